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

/// How a feature was reached, in [`hit_test`]'s order of priority.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Reach {
    /// A point feature (camera, port) within the tolerance.
    Point,
    /// A line or a polygon's outline within the tolerance.
    Line,
    /// Inside a camera's field-of-view sector.
    Sector,
    /// Inside a polygon.
    Polygon,
}

/// Every feature under `p`, each once with its best reach and distance (EPSG:3857 m; the
/// polygon reach has none), in draw order.
fn candidates(layers: &[&LayerData], p: Mercator, tol_m: f64) -> Vec<(Reach, f64, Hit)> {
    let mut out: Vec<(Reach, f64, Hit)> = Vec::new();
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
            let mut best: Option<(Reach, f64)> = None;
            let mut offer = |reach: Reach, d: f64| {
                if d.is_finite() && best.is_none_or(|(r, bd)| (reach, d) <= (r, bd)) {
                    best = Some((reach, d));
                }
            };
            for s in &f.shapes {
                match s {
                    Shape::Point(m) => {
                        let d = ((p.x - m.x()).powi(2) + (p.y - m.y()).powi(2)).sqrt();
                        if d <= tol_m {
                            offer(Reach::Point, d);
                        }
                    }
                    Shape::Line(pts) => {
                        let d = dist_to_path(p, pts);
                        if d <= tol_m {
                            offer(Reach::Line, d);
                        }
                    }
                    Shape::Polygon(polygon) => {
                        let d = s
                            .paths()
                            .map(|ring| dist_to_path(p, ring))
                            .fold(f64::INFINITY, f64::min);
                        if d <= tol_m {
                            offer(Reach::Line, d);
                        }
                        if polygon_position(p, polygon).is_inside_or_on() {
                            offer(Reach::Polygon, 0.0);
                        }
                    }
                }
            }
            if let FeatureKind::Camera(cam) = &f.kind
                && polygon_position(p, &cam.sector).is_inside_or_on()
            {
                let apex = to_mercator(cam.position);
                offer(
                    Reach::Sector,
                    ((p.x - apex.x).powi(2) + (p.y - apex.y).powi(2)).sqrt(),
                );
            }
            if let Some((reach, d)) = best {
                out.push((reach, d, hit));
            }
        }
    }
    out
}

/// The position in the view's world and the tolerance in EPSG:3857 m, or `None` for a
/// position that is not finite.
fn at(view: &Viewport, x_css: f64, y_css: f64, tolerance_css: f64) -> Option<(Mercator, f64)> {
    if !(x_css.is_finite() && y_css.is_finite()) {
        return None;
    }
    let tol_css = if tolerance_css.is_finite() && tolerance_css > 0.0 {
        tolerance_css
    } else {
        0.0
    };
    Some((
        view.screen_to_world(x_css, y_css),
        tol_css * view.mercator_per_css_px(),
    ))
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
    let (p, tol_m) = at(view, x_css, y_css, tolerance_css)?;
    let all = sorted(candidates(layers, p, tol_m));
    all.first().map(|c| c.2)
}

/// What a finger touched within its tolerance, each feature once, best first in
/// [`hit_test`]'s order (nearest first, the one drawn on top on a tie).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Touched {
    /// Point features (cameras, ports).
    pub points: Vec<Hit>,
    /// Lines and polygon outlines (fences, terminal areas).
    pub lines: Vec<Hit>,
}

/// Everything within `tolerance_css` of a tap at `(x_css, y_css)`: the point features and,
/// apart, the lines and polygon outlines. Being inside a sector or a polygon does not count:
/// a tablet's chooser lists what the finger touched (a camera under an incident, two fences
/// meeting), and [`hit_test`] stays the answer when it touched nothing.
pub fn hits(
    layers: &[&LayerData],
    view: &Viewport,
    x_css: f64,
    y_css: f64,
    tolerance_css: f64,
) -> Touched {
    let mut out = Touched::default();
    let Some((p, tol_m)) = at(view, x_css, y_css, tolerance_css) else {
        return out;
    };
    for (reach, _, h) in sorted(candidates(layers, p, tol_m)) {
        match reach {
            Reach::Point => out.points.push(h),
            Reach::Line => out.lines.push(h),
            Reach::Sector | Reach::Polygon => {}
        }
    }
    out
}

/// Best first; on a tie the later in draw order (on top) first. By insertion: the list is
/// what lies under a finger (a few items), and std's stable sort instantiated for this type
/// cost 2.6 KB gzip of the bundle (measured, issue 14's tablet part in BENCHMARKS.md).
fn sorted(all: Vec<(Reach, f64, Hit)>) -> Vec<(Reach, f64, Hit)> {
    let mut out: Vec<(Reach, f64, Hit)> = Vec::with_capacity(all.len());
    for c in all {
        let at = out
            .iter()
            .position(|o| (c.0, c.1) <= (o.0, o.1))
            .unwrap_or(out.len());
        out.insert(at, c);
    }
    out
}

/// Is an outline of `polygons` (EPSG:3857 m: a zone's) within `tolerance_css` of the tap at
/// `(x_css, y_css)`? A zone joins a tablet's chooser when the finger is on its edge.
pub fn outline_near(
    polygons: &geo::MultiPolygon<f64>,
    view: &Viewport,
    x_css: f64,
    y_css: f64,
    tolerance_css: f64,
) -> bool {
    let Some((p, tol_m)) = at(view, x_css, y_css, tolerance_css) else {
        return false;
    };
    polygons
        .iter()
        .flat_map(|poly| std::iter::once(poly.exterior()).chain(poly.interiors()))
        .any(|ring| dist_to_path(p, ring) <= tol_m)
}
