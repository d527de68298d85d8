//! Hit testing: which feature is under the cursor or finger.
//!
//! The cursor position and tolerance are CSS px; geometry is EPSG:3857 metres
//! and is compared in CSS px through the [`Viewport`].

use super::model::{FeatureKind, LayerData, LayerId, Shape};
use super::projection::to_mercator;
use super::units::Mercator;
use super::viewport::Viewport;

/// A feature found under the cursor: its layer and index in `LayerData::features`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    pub layer: LayerId,
    pub feature: usize,
}

/// True if `p` is inside `ring` or on its boundary (EPSG:3857 metres; the ring may
/// be closed or not). Rings with fewer than 3 positions contain nothing but their edge.
pub fn point_in_ring(p: Mercator, ring: &[Mercator]) -> bool {
    if ring.len() < 2 {
        return ring.first().is_some_and(|q| *q == p);
    }
    let n = ring.len();
    let mut inside = false;
    for i in 0..n {
        let (Some(a), Some(b)) = (ring.get(i), ring.get((i + 1) % n)) else {
            continue;
        };
        if on_segment(p, *a, *b) {
            return true;
        }
        if (a.y > p.y) != (b.y > p.y) {
            let x_cross = a.x + (p.y - a.y) * (b.x - a.x) / (b.y - a.y);
            if p.x < x_cross {
                inside = !inside;
            }
        }
    }
    inside && n >= 3
}

/// True if `p` lies on segment `ab` (tolerance relative to the coordinates' size).
fn on_segment(p: Mercator, a: Mercator, b: Mercator) -> bool {
    let scale =
        a.x.abs()
            .max(a.y.abs())
            .max(b.x.abs())
            .max(b.y.abs())
            .max(1.0);
    dist2_point_segment(p, a, b).sqrt() <= scale * 1e-12
}

/// Squared distance from `p` to segment `ab`, in the units of the inputs.
pub fn dist2_point_segment(p: Mercator, a: Mercator, b: Mercator) -> f64 {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((p.x - a.x) * dx + (p.y - a.y) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (qx, qy) = (a.x + t * dx, a.y + t * dy);
    (p.x - qx).powi(2) + (p.y - qy).powi(2)
}

/// Distance from `p` to a polyline (EPSG:3857 metres); infinity for an empty line.
fn dist_to_path(p: Mercator, path: &[Mercator]) -> f64 {
    match path {
        [] => f64::INFINITY,
        [only] => ((p.x - only.x).powi(2) + (p.y - only.y).powi(2)).sqrt(),
        _ => path
            .windows(2)
            .filter_map(|w| match w {
                [a, b] => Some(dist2_point_segment(p, *a, *b)),
                _ => None,
            })
            .fold(f64::INFINITY, f64::min)
            .sqrt(),
    }
}

/// Inside the exterior ring and not strictly inside a hole (hole edges count as inside).
fn point_in_polygon(p: Mercator, rings: &[Vec<Mercator>]) -> bool {
    let Some((outer, holes)) = rings.split_first() else {
        return false;
    };
    if !point_in_ring(p, outer) {
        return false;
    }
    !holes.iter().any(|h| {
        point_in_ring(p, h)
            && !h
                .windows(2)
                .any(|w| matches!(w, [a, b] if on_segment(p, *a, *b)))
    })
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
                        let d = ((p.x - m.x).powi(2) + (p.y - m.y).powi(2)).sqrt();
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
                    Shape::Polygon(rings) => {
                        let d = rings
                            .iter()
                            .map(|ring| dist_to_path(p, ring))
                            .fold(f64::INFINITY, f64::min);
                        if d <= tol_m {
                            better(&mut best_line, d, hit);
                        }
                        if point_in_polygon(p, rings) {
                            top_polygon = Some(hit);
                        }
                    }
                }
            }
            if let FeatureKind::Camera(cam) = &f.kind
                && point_in_ring(p, &cam.sector)
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
