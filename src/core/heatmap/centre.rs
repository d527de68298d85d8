//! Centre of activity of a set of reports, and the shift between two such centres.
//!
//! Units: positions in degrees WGS84, distances in ground metres (WGS84 geodesic,
//! [`earth`](crate::earth)), bearings in degrees clockwise from true north.
//!
//! The centre is the weighted **mean ground position**: the mean of the reports' unit normals
//! to the WGS84 ellipsoid (n-vectors), normalised and read back as a geodetic latitude and
//! longitude. Unlike a mean of degrees it does not depend on the map projection and is right
//! across the antimeridian; over the Strait (a few hundred km) it differs from the mean of
//! degrees by metres. The shift from centre A to centre B is the geodesic between them:
//! its length and its initial bearing seen from A.

use crate::earth::{distance_m, initial_bearing};
use crate::units::LonLat;

/// Weighted mean ground position of `points` (degrees WGS84, weight ≥ 0; non-finite or
/// negative weights and invalid positions are ignored). `None` when the total weight is 0 or
/// the normals cancel out (points spread evenly round the globe).
pub fn weighted_centre(points: impl IntoIterator<Item = (LonLat, f64)>) -> Option<LonLat> {
    let (mut x, mut y, mut z, mut total) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
    for (p, w) in points {
        if !(w.is_finite() && w > 0.0) || LonLat::new(p.lon, p.lat).is_none() {
            continue;
        }
        let (lat, lon) = (p.lat.to_radians(), p.lon.to_radians());
        x += w * lat.cos() * lon.cos();
        y += w * lat.cos() * lon.sin();
        z += w * lat.sin();
        total += w;
    }
    if total <= 0.0 {
        return None;
    }
    let h = x.hypot(y);
    if h.hypot(z) < 1e-12 * total {
        return None;
    }
    LonLat::new(y.atan2(x).to_degrees(), z.atan2(h).to_degrees())
}

/// The move from centre `a` to centre `b`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Shift {
    /// Ground distance, km.
    pub km: f64,
    /// Initial bearing of the geodesic at `a`, degrees clockwise from north; `None` when the
    /// centres coincide.
    pub bearing_deg: Option<f64>,
}

/// The shift from `a` to `b` (geodesic length and initial bearing on WGS84).
pub fn shift(a: LonLat, b: LonLat) -> Shift {
    Shift {
        km: distance_m(a, b) / 1000.0,
        bearing_deg: initial_bearing(a, b).map(|br| br.degrees()),
    }
}
