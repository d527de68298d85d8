//! The comparison of two time windows in the page (issue 12, floor 2): the displacement
//! summary of the history's reports that pass the incident filters, with the ports of the
//! ports layer, recomputed when the windows, the filters, the weighting, the port radius, the
//! ports or the history change (a `Memo`: the summary panel and the map's arrow read it).
//!
//! Units: windows are ms since the epoch (`[from, to)`), centres degrees WGS84, the shift
//! ground km and degrees clockwise from true north, the port radius ground metres, the port
//! rows reports per day (`core::heatmap::displacement`, which does the work).

use leptos::prelude::*;

use crate::core::heatmap::displacement::{Displacement, Window, displacement};
use crate::core::heatmap::settings::HeatmapConfig;
use crate::core::incident::IncidentFilter;
use crate::core::model::{FeatureKind, LayerData, Shape};
use crate::core::projection::to_lonlat;
use crate::core::units::{LonLat, Mercator};
use crate::history::IncidentHistory;
use crate::load::LayerState;

/// Two windows to compare: A (before) and B (after).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Comparison {
    pub a: Window,
    pub b: Window,
}

const DAY_MS: i64 = 86_400_000;

impl Comparison {
    /// The comparison opened from the panel at `now_ms`: the last 7 days (B) against the 7 days
    /// three weeks before them (A, the same week a month ago within the 30 days loaded).
    pub fn default_at(now_ms: i64) -> Comparison {
        Comparison {
            a: Window {
                from_ms: now_ms - 28 * DAY_MS,
                to_ms: now_ms - 21 * DAY_MS,
            },
            b: Window {
                from_ms: now_ms - 7 * DAY_MS,
                to_ms: now_ms,
            },
        }
    }
}

/// A port of the summary's table: its name and position.
#[derive(Clone, Debug, PartialEq)]
pub struct Port {
    pub name: String,
    pub at: LonLat,
}

/// The summary the panel shows and the arrow the map draws.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    pub displacement: Displacement,
    /// Indexed like `displacement.ports`: the ports west to east.
    pub ports: Vec<Port>,
}

/// The ports of the ports layer, west to east: each feature's first point (or the centre of
/// its bounds), named by its name or id.
pub fn ports_of(data: &LayerData) -> Vec<Port> {
    let mut ports: Vec<Port> = data
        .features
        .iter()
        .filter(|f| matches!(f.kind, FeatureKind::Port(_)))
        .filter_map(|f| {
            let b = &f.bounds;
            let m = f
                .shapes
                .iter()
                .find_map(|s| match s {
                    Shape::Point(p) => Mercator::new(p.x(), p.y()),
                    _ => None,
                })
                .or_else(|| {
                    (!b.is_empty())
                        .then(|| {
                            Mercator::new((b.min_x + b.max_x) / 2.0, (b.min_y + b.max_y) / 2.0)
                        })
                        .flatten()
                })?;
            Some(Port {
                name: f.name.clone().unwrap_or_else(|| f.id.clone()),
                at: to_lonlat(m),
            })
        })
        .collect();
    crate::core::compact_sort::sort_by(&mut ports, |a, b| a.at.lon.total_cmp(&b.at.lon));
    ports
}

/// The summary of `cmp` over the history's reports that pass `filter`, weighed as the heatmap
/// weighs them, with `ports` and the configured port radius. `None` without history columns.
pub fn summarise(
    history: IncidentHistory,
    cmp: Comparison,
    filter: &IncidentFilter,
    settings: &HeatmapConfig,
    ports: Vec<Port>,
) -> Option<Summary> {
    let shared = history.shared()?;
    let h = shared.try_borrow().ok()?;
    let at: Vec<LonLat> = ports.iter().map(|p| p.at).collect();
    let displacement = displacement(
        &h,
        cmp.a,
        cmp.b,
        filter,
        settings.weighting,
        &at,
        settings.port_radius_m,
    );
    Some(Summary {
        displacement,
        ports,
    })
}

/// The summary, kept up to date: `None` while no comparison is open.
pub fn summary_memo(
    history: IncidentHistory,
    compare: RwSignal<Option<Comparison>>,
    filter: RwSignal<IncidentFilter>,
    settings: RwSignal<HeatmapConfig>,
    ports: crate::fetched::Fetched<LayerState>,
) -> Memo<Option<Summary>> {
    Memo::new(move |_| {
        let cmp = compare.get()?;
        history.revision.track();
        let ports = match ports.get() {
            Some(LayerState::Loaded { data, .. }) => ports_of(&data),
            _ => Vec::new(),
        };
        let f = filter.get();
        settings.with(|s| summarise(history, cmp, &f, s, ports))
    })
}
