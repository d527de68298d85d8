//! The displacement summary of two time windows: where activity was, where it is, and how the
//! ports' neighbourhoods changed.
//!
//! Units: windows in milliseconds since the epoch (`[from, to)`), rates in reports per day,
//! distances in ground metres / km (WGS84), bearings in degrees clockwise from true north,
//! positions degrees WGS84 (centres) from the history's EPSG:3857 metres.
//!
//! * Centre of a window: the mean ground position of its reports that pass the filter
//!   ([`weighted_centre`], each report weighing as the heatmap weighs it).
//! * Shift: the geodesic from centre A to centre B ([`shift`]).
//! * Ports: for each port, the reports within `radius_m` ground metres in each window, per day
//!   (windows of different lengths compare fairly), and the change from A to B in per cent
//!   (`None` when A had none: a change from nothing has no percentage).

use super::centre::{Shift, shift, weighted_centre};
use super::history::{History, Weighting};
use crate::earth::metres_per_radian;
use crate::incident::IncidentFilter;
use crate::projection::to_lonlat;
use crate::units::LonLat;

const DAY_MS: f64 = 86_400_000.0;

/// A time window `[from_ms, to_ms)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub from_ms: i64,
    pub to_ms: i64,
}

impl Window {
    /// Validating constructor: `from < to`.
    pub fn new(from_ms: i64, to_ms: i64) -> Option<Window> {
        (from_ms < to_ms).then_some(Window { from_ms, to_ms })
    }

    /// Length in days.
    pub fn days(self) -> f64 {
        (self.to_ms - self.from_ms) as f64 / DAY_MS
    }
}

/// One port's row of the summary.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PortRow {
    /// Index in the ports given.
    pub port: usize,
    pub per_day_a: f64,
    pub per_day_b: f64,
    /// `(b − a) / a × 100`; `None` when `a` is 0.
    pub change_pct: Option<f64>,
}

/// What moved between window A and window B.
#[derive(Clone, Debug, PartialEq)]
pub struct Displacement {
    pub a: Window,
    pub b: Window,
    /// Reports of each window that pass the filter.
    pub count_a: usize,
    pub count_b: usize,
    pub centre_a: Option<LonLat>,
    pub centre_b: Option<LonLat>,
    /// From A's centre to B's; `None` unless both windows have reports.
    pub shift: Option<Shift>,
    pub ports: Vec<PortRow>,
}

/// Reports of a window near each port (local plane of each port's latitude, exact enough
/// within tens of km: `earth`'s note).
fn near_ports(
    history: &History,
    w: Window,
    filter: &IncidentFilter,
    ports: &[LonLat],
    radius_m: f64,
) -> Vec<usize> {
    let scales: Vec<(f64, f64)> = ports.iter().map(|p| metres_per_radian(p.lat)).collect();
    let mut counts = vec![0usize; ports.len()];
    for (m, _) in history.points(w.from_ms, w.to_ms, filter, Weighting::Count) {
        let q = to_lonlat(m);
        for ((p, (m_lat, m_lon)), c) in ports.iter().zip(&scales).zip(counts.iter_mut()) {
            let dy = (q.lat - p.lat).to_radians() * m_lat;
            let dx = (q.lon - p.lon).to_radians() * m_lon;
            if dx * dx + dy * dy <= radius_m * radius_m {
                *c += 1;
            }
        }
    }
    counts
}

/// The summary of windows `a` and `b` over `history`'s reports that pass `filter`, with
/// `ports` (degrees WGS84) and a neighbourhood of `radius_m` ground metres round each.
pub fn displacement(
    history: &History,
    a: Window,
    b: Window,
    filter: &IncidentFilter,
    weighting: Weighting,
    ports: &[LonLat],
    radius_m: f64,
) -> Displacement {
    let centre = |w: Window| {
        let mut n = 0usize;
        let c = weighted_centre(history.points(w.from_ms, w.to_ms, filter, weighting).map(
            |(m, wt)| {
                n += 1;
                (to_lonlat(m), f64::from(wt))
            },
        ));
        (c, n)
    };
    let (centre_a, count_a) = centre(a);
    let (centre_b, count_b) = centre(b);
    let radius_m = if radius_m.is_finite() {
        radius_m.max(0.0)
    } else {
        0.0
    };
    let na = near_ports(history, a, filter, ports, radius_m);
    let nb = near_ports(history, b, filter, ports, radius_m);
    let ports = na
        .iter()
        .zip(&nb)
        .enumerate()
        .map(|(port, (ca, cb))| {
            let (per_day_a, per_day_b) = (*ca as f64 / a.days(), *cb as f64 / b.days());
            PortRow {
                port,
                per_day_a,
                per_day_b,
                change_pct: (per_day_a > 0.0).then(|| (per_day_b - per_day_a) / per_day_a * 100.0),
            }
        })
        .collect();
    Displacement {
        a,
        b,
        count_a,
        count_b,
        shift: centre_a.zip(centre_b).map(|(ca, cb)| shift(ca, cb)),
        centre_a,
        centre_b,
        ports,
    }
}
