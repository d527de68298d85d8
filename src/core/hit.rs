//! Hit testing: which feature is under the cursor or finger.
//!
//! The cursor position and tolerance are CSS px; geometry is EPSG:3857 metres (geo-types
//! shapes)
//! and is compared in CSS px through the [`Viewport`]. "Inside a polygon" and "inside a
//! camera's sector" are [`geometry::position`](super::geometry::position), the test zones use
//! too: a point within 1 mm (EPSG:3857) of an edge, a hole's included, is inside.

use super::geometry::{dist2_point_segment, polygon_position};
use super::model::{FeatureKind, LayerData, LayerId, Shape};
use super::projection::to_mercator;
use super::units::Mercator;
use super::viewport::Viewport;
use geo::LineString;

/// A feature found under the cursor: its layer and index in `LayerData::features`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    pub layer: LayerId,
    pub feature: usize,
}

/// Distance from `p` to a polyline (EPSG:3857 metres); infinity for an empty line.
fn dist_to_path(p: Mercator, path: &LineString<f64>) -> f64 {
    match path.0.as_slice() {
        [] => f64::INFINITY,
        [only] => ((p.x - only.x).powi(2) + (p.y - only.y).powi(2)).sqrt(),
        _ => path
            .lines()
            .map(|l| dist2_point_segment(p, l.start.into(), l.end.into()))
            .fold(f64::INFINITY, f64::min)
            .sqrt(),
    }
}

/// Best candidate so far: smaller distance wins; on a tie the later one (drawn on top) wins.
fn better(best: &mut Option<(f64, Hit)>, d: f64, hit: Hit) {
    if !d.is_finite() {
        return;
    }
    match best {
        Some((bd, _)) if d > *bd => {}
        _ => *best = Some((d, hit)),
    }
}

/// What is under CSS-px position `(x_css, y_css)`.
///
/// `layers` are in draw order (last on top). Priority:
/// 1. point features (cameras, ports) within `tolerance_css`, nearest first;
/// 2. lines and polygon outlines within `tolerance_css`, nearest first;
/// 3. inside a camera's field-of-view sector (nearest camera first);
/// 4. inside a polygon (topmost first).
///
/// Ties go to the feature drawn on top. The basemap never hits.
pub fn hit_test(
    layers: &[&LayerData],
    view: &Viewport,
    x_css: f64,
    y_css: f64,
    tolerance_css: f64,
) -> Option<Hit> {
    if !(x_css.is_finite() && y_css.is_finite()) {
        return None;
    }
    let tol_css = if tolerance_css.is_finite() && tolerance_css > 0.0 {
        tolerance_css
    } else {
        0.0
    };
    let r = view.mercator_per_css_px();
    let p = view.screen_to_world(x_css, y_css);
    let tol_m = tol_css * r;

    let mut best_point: Option<(f64, Hit)> = None;
    let mut best_line: Option<(f64, Hit)> = None;
    let mut best_sector: Option<(f64, Hit)> = None;
    let mut top_polygon: Option<Hit> = None;

    for layer in layers {
        if layer.layer == LayerId::Basemap {
            continue;
        }
        for (i, f) in layer.features.iter().enumerate() {
            if matches!(f.kind, FeatureKind::Land) || !f.bounds.expanded(tol_m).contains(p) {
                continue;
            }
            let hit = Hit {
                layer: layer.layer,
                feature: i,
            };
            for s in &f.shapes {
                match s {
                    Shape::Point(m) => {
                        let d = ((p.x - m.x()).powi(2) + (p.y - m.y()).powi(2)).sqrt();
                        if d <= tol_m {
                            better(&mut best_point, d, hit);
                        }
                    }
                    Shape::Line(pts) => {
                        let d = dist_to_path(p, pts);
                        if d <= tol_m {
                            better(&mut best_line, d, hit);
                        }
                    }
                    Shape::Polygon(polygon) => {
                        let d = s
                            .paths()
                            .map(|ring| dist_to_path(p, ring))
                            .fold(f64::INFINITY, f64::min);
                        if d <= tol_m {
                            better(&mut best_line, d, hit);
                        }
                        if polygon_position(p, polygon).is_inside_or_on() {
                            top_polygon = Some(hit);
                        }
                    }
                }
            }
            if let FeatureKind::Camera(cam) = &f.kind
                && polygon_position(p, &cam.sector).is_inside_or_on()
            {
                let apex = to_mercator(cam.position);
                let d = ((p.x - apex.x).powi(2) + (p.y - apex.y).powi(2)).sqrt();
                better(&mut best_sector, d, hit);
            }
        }
    }
    best_point
        .or(best_line)
        .or(best_sector)
        .map(|(_, h)| h)
        .or(top_polygon)
}
