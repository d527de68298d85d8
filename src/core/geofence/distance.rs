//! Ground distance from a point to the nearest fence and the nearest port: [`Proximity`].
//!
//! Input geometry: layers in EPSG:3857 metres ([`LayerData`]); queries in EPSG:3857 metres.
//! Output: **ground metres** on the one Earth model ([`earth`](crate::earth), the WGS84
//! ellipsoid). This is a hot loop (nearest fence and port of every incident, about 100k a
//! snapshot), too hot for a geodesic per candidate (about 1 µs each), so it uses the same
//! ellipsoid's local scale ([`metres_per_radian`]) around each query/target pair:
//! east = N(φm)·cos φm·Δλ, north = M(φm)·Δφ, with M and N the meridional and prime-vertical
//! radii of curvature at the mean latitude φm of the pair. Against the geodesic
//! ([`earth::distance_m`](crate::earth::distance_m)) this is within 0.05 % up to about 100 km
//! in the Calais–Dover region (tested to within 0.5 %). Fence segments are the straight lines of the
//! map; the closest point on a segment is found in that local plane.
//!
//! Candidates come from R-trees (rstar) over fence segments and port points, nearest first
//! in EPSG:3857; the search stops once the EPSG:3857 distance, scaled by the smallest
//! possible ground scale within it, exceeds the best ground distance found, so the answer
//! is the true nearest and usually costs one or two candidates.

use crate::earth::metres_per_radian;
use crate::model::{FeatureKind, LayerData, Shape};
use crate::projection::{to_lonlat, to_mercator};
use crate::units::{LonLat, Mercator};
use rstar::RTree;
use rstar::primitives::{GeomWithData, Line};
use std::f64::consts::PI;

fn wrap_pi(d: f64) -> f64 {
    if (-PI..=PI).contains(&d) {
        d
    } else {
        (d + PI).rem_euclid(2.0 * PI) - PI
    }
}

/// (east, north) ground metres of `p` from `origin` in the local plane at latitude `lat_deg`.
fn local(origin: LonLat, p: LonLat, lat_deg: f64) -> (f64, f64) {
    let (mn, me) = metres_per_radian(lat_deg);
    (
        me * wrap_pi((p.lon - origin.lon).to_radians()),
        mn * (p.lat - origin.lat).to_radians(),
    )
}

/// Ground metres between two positions in the local plane of the WGS84 ellipsoid at their
/// mean latitude (the hot-loop form of [`earth::distance_m`](crate::earth::distance_m); see
/// the module doc). NaN if an input is not finite.
pub fn ground_distance_m(a: LonLat, b: LonLat) -> f64 {
    let (x, y) = local(a, b, (a.lat + b.lat) / 2.0);
    x.hypot(y)
}

/// Ground metres from `p` to the segment `a`–`b` and the closest point (degrees).
fn segment_distance(p: LonLat, a: LonLat, b: LonLat) -> (f64, LonLat) {
    let mid = (a.lat + b.lat) / 2.0;
    let lat = (p.lat + mid) / 2.0;
    let (ax, ay) = local(p, a, lat);
    let (bx, by) = local(p, b, lat);
    let (dx, dy) = (bx - ax, by - ay);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (-(ax * dx + ay * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let d = (ax + t * dx).hypot(ay + t * dy);
    let at = LonLat {
        lon: a.lon + t * (b.lon - a.lon),
        lat: a.lat + t * (b.lat - a.lat),
    };
    (d, at)
}

/// The nearest feature found.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Nearest<'a> {
    /// The feature's id.
    pub id: &'a str,
    /// Index in its layer's `features`.
    pub feature: usize,
    /// Ground metres.
    pub distance_m: f64,
    /// The closest point of the feature, EPSG:3857 metres.
    pub at: Mercator,
}

type SegItem = GeomWithData<Line<[f64; 2]>, u32>;
type PtItem = GeomWithData<[f64; 2], u32>;

/// Indexes of fence segments (lines and polygon boundaries of the fences layer) and port
/// points (the Point features of the ports layer).
#[derive(Clone, Debug)]
pub struct Proximity {
    segs: RTree<SegItem>,
    /// Per segment: feature index, ends in degrees.
    seg_info: Vec<(usize, LonLat, LonLat)>,
    fence_ids: Vec<String>,
    ports: RTree<PtItem>,
    port_info: Vec<(usize, LonLat)>,
    port_ids: Vec<String>,
}

/// Smallest ground metres per EPSG:3857 metre anywhere within `d` EPSG:3857 metres of `p`
/// (with a margin for the ellipsoid, whose meridional radius is down to 0.993 R).
fn min_scale_within(p: Mercator, d: f64) -> f64 {
    let hi = to_lonlat(Mercator { x: p.x, y: p.y + d }).lat.abs();
    let lo = to_lonlat(Mercator { x: p.x, y: p.y - d }).lat.abs();
    0.993 * hi.max(lo).to_radians().cos().max(0.0)
}

impl Proximity {
    /// Index the fences and ports layers (other feature kinds are ignored).
    pub fn new(fences: &LayerData, ports: &LayerData) -> Proximity {
        let mut segs = Vec::new();
        let mut seg_info = Vec::new();
        let mut fence_ids = Vec::new();
        for (fi, f) in fences.features.iter().enumerate() {
            fence_ids.push(f.id.clone());
            if !matches!(f.kind, FeatureKind::Fence(_)) {
                continue;
            }
            for l in f.shapes.iter().flat_map(Shape::paths) {
                for line in l.lines() {
                    let (a, b): (Mercator, Mercator) = (line.start.into(), line.end.into());
                    let Ok(i) = u32::try_from(seg_info.len()) else {
                        continue;
                    };
                    segs.push(GeomWithData::new(Line::new([a.x, a.y], [b.x, b.y]), i));
                    seg_info.push((fi, to_lonlat(a), to_lonlat(b)));
                }
            }
        }
        let mut pts = Vec::new();
        let mut port_info = Vec::new();
        let mut port_ids = Vec::new();
        for (pi, f) in ports.features.iter().enumerate() {
            port_ids.push(f.id.clone());
            if !matches!(f.kind, FeatureKind::Port(_)) {
                continue;
            }
            for shape in &f.shapes {
                if let Shape::Point(m) = shape {
                    let Ok(i) = u32::try_from(port_info.len()) else {
                        continue;
                    };
                    pts.push(GeomWithData::new([m.x(), m.y()], i));
                    port_info.push((pi, to_lonlat((*m).into())));
                }
            }
        }
        Proximity {
            segs: RTree::bulk_load(segs),
            seg_info,
            fence_ids,
            ports: RTree::bulk_load(pts),
            port_info,
            port_ids,
        }
    }

    /// Number of fence segments and port points indexed.
    pub fn sizes(&self) -> (usize, usize) {
        (self.seg_info.len(), self.port_info.len())
    }

    /// The nearest fence (line or polygon boundary) to `p`; `None` if there is none or `p`
    /// is not finite.
    pub fn nearest_fence(&self, p: Mercator) -> Option<Nearest<'_>> {
        if !(p.x.is_finite() && p.y.is_finite()) {
            return None;
        }
        let ll = to_lonlat(p);
        let mut best: Option<(f64, usize, LonLat)> = None;
        for (item, d2) in self.segs.nearest_neighbor_iter_with_distance_2(&[p.x, p.y]) {
            let dm = d2.sqrt();
            if let Some((g, ..)) = best
                && dm * min_scale_within(p, dm) > g
            {
                break;
            }
            let Some(&(fi, a, b)) = self.seg_info.get(item.data as usize) else {
                continue;
            };
            let (g, at) = segment_distance(ll, a, b);
            if best.is_none_or(|(bg, ..)| g < bg) {
                best = Some((g, fi, at));
            }
        }
        let (g, fi, at) = best?;
        Some(Nearest {
            id: self.fence_ids.get(fi).map_or("", String::as_str),
            feature: fi,
            distance_m: g,
            at: to_mercator(at),
        })
    }

    /// The nearest port point to `p`; `None` if there is none or `p` is not finite.
    pub fn nearest_port(&self, p: Mercator) -> Option<Nearest<'_>> {
        if !(p.x.is_finite() && p.y.is_finite()) {
            return None;
        }
        let ll = to_lonlat(p);
        let mut best: Option<(f64, usize, LonLat)> = None;
        for (item, d2) in self
            .ports
            .nearest_neighbor_iter_with_distance_2(&[p.x, p.y])
        {
            let dm = d2.sqrt();
            if let Some((g, ..)) = best
                && dm * min_scale_within(p, dm) > g
            {
                break;
            }
            let Some(&(fi, q)) = self.port_info.get(item.data as usize) else {
                continue;
            };
            let g = ground_distance_m(ll, q);
            if best.is_none_or(|(bg, ..)| g < bg) {
                best = Some((g, fi, q));
            }
        }
        let (g, fi, at) = best?;
        Some(Nearest {
            id: self.port_ids.get(fi).map_or("", String::as_str),
            feature: fi,
            distance_m: g,
            at: to_mercator(at),
        })
    }
}
