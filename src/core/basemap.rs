//! Basemap outlines: splits the land polygons' edges into coastline and country borders.
//!
//! Units: EPSG:3857 metres in and out (geo-types rings in, [`Mercator`] polylines out). Runs once per basemap version (the renderer's `prepare`
//! then only projects the polylines). An edge that two different countries share is a border;
//! an edge lying on the clip rectangle of the data (the basemap is clipped to the region) is
//! neither and is not stroked; every other edge is coastline.

use std::collections::HashMap;

use crate::geometry::ring_edges;
use crate::model::{LayerData, Shape};
use crate::units::Mercator;
use crate::viewport::MercatorBounds;
use geo::LineString;

/// Polylines to stroke, in EPSG:3857 metres.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outlines {
    pub coast: Vec<Vec<Mercator>>,
    pub borders: Vec<Vec<Mercator>>,
}

/// Points closer than this (metres) are the same vertex when matching shared edges.
const SNAP_M: f64 = 0.05;
/// An edge within this distance (metres) of the data's bounding box edge is a clip edge.
const CLIP_EPS_M: f64 = 1.0;

type Key = (i64, i64);

fn key(m: Mercator) -> Key {
    ((m.x / SNAP_M).round() as i64, (m.y / SNAP_M).round() as i64)
}

fn edge_key(a: Mercator, b: Mercator) -> (Key, Key) {
    let (ka, kb) = (key(a), key(b));
    if ka <= kb { (ka, kb) } else { (kb, ka) }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum EdgeClass {
    Coast,
    Border,
    Hidden,
}

fn on_clip_edge(a: Mercator, b: Mercator, clip: &MercatorBounds) -> bool {
    let near = |v: f64, edge: f64| (v - edge).abs() <= CLIP_EPS_M;
    (near(a.x, clip.min_x) && near(b.x, clip.min_x))
        || (near(a.x, clip.max_x) && near(b.x, clip.max_x))
        || (near(a.y, clip.min_y) && near(b.y, clip.min_y))
        || (near(a.y, clip.max_y) && near(b.y, clip.max_y))
}

/// The polygon rings of every feature, with the feature's index.
fn rings(data: &LayerData) -> impl Iterator<Item = (usize, &LineString<f64>)> {
    data.features.iter().enumerate().flat_map(|(i, f)| {
        f.shapes
            .iter()
            .filter(|s| matches!(s, Shape::Polygon(_)))
            .flat_map(move |s| s.paths().map(move |r| (i, r)))
    })
}

/// Splits the polygon edges of `data` into coastline and border polylines.
pub fn outlines(data: &LayerData) -> Outlines {
    // First owner of each edge, and whether a different feature shares it.
    let mut owners: HashMap<(Key, Key), (usize, bool)> = HashMap::new();
    for (feature, ring) in rings(data) {
        for (a, b) in ring_edges(ring) {
            let entry = owners.entry(edge_key(a, b)).or_insert((feature, false));
            if entry.0 != feature {
                entry.1 = true;
            }
        }
    }
    let clip = data.bounds;
    let mut out = Outlines::default();
    for (feature, ring) in rings(data) {
        let mut current: Vec<Mercator> = Vec::new();
        let mut current_class = EdgeClass::Hidden;
        for (a, b) in ring_edges(ring) {
            let class = if on_clip_edge(a, b, &clip) {
                EdgeClass::Hidden
            } else {
                match owners.get(&edge_key(a, b)) {
                    // A shared edge is drawn once, by its first owner.
                    Some((first, true)) if *first == feature => EdgeClass::Border,
                    Some((_, true)) => EdgeClass::Hidden,
                    _ => EdgeClass::Coast,
                }
            };
            if class != current_class || current.is_empty() {
                flush(&mut out, current_class, &mut current);
                current_class = class;
                if class != EdgeClass::Hidden {
                    current.push(a);
                }
            }
            if class != EdgeClass::Hidden {
                current.push(b);
            }
        }
        flush(&mut out, current_class, &mut current);
    }
    out
}

fn flush(out: &mut Outlines, class: EdgeClass, current: &mut Vec<Mercator>) {
    if current.len() >= 2 {
        let line = std::mem::take(current);
        match class {
            EdgeClass::Coast => out.coast.push(line),
            EdgeClass::Border => out.borders.push(line),
            EdgeClass::Hidden => {}
        }
    }
    current.clear();
}
