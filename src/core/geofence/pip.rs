//! Zones' point and segment tests, in EPSG:3857 metres ([`Mercator`]).
//!
//! **Boundary rule**: the one point-position test of the core,
//! [`geometry::position`](crate::geometry::position): a point within [`BOUNDARY_EPS_M`]
//! (1 mm in EPSG:3857 metres, about 0.63 mm on the ground at Calais) of any ring edge or
//! vertex is *on the boundary* and counts as **inside** the zone. That holds for the edges of
//! holes too: a point on a hole's boundary is inside the zone. Elsewhere the parity of the
//! crossings of a ray towards +x decides (holes subtract, rings may be oriented either way).
//!
//! A polygon is `rings[0]` (exterior) then its holes; every ring is closed (first == last).
//! A zone is a union of such polygons.

use crate::geometry::{Position, dist2_point_segment, position};
use crate::units::Mercator;

pub use crate::geometry::{BOUNDARY_EPS_M, edges, near_segment, orient, ring_parity};

/// `true` if `p` is on the boundary (within [`BOUNDARY_EPS_M`]) of any ring.
pub fn on_boundary(p: Mercator, rings: &[Vec<Mercator>]) -> bool {
    position(p, rings) == Position::OnBoundary
}

/// `true` if `p` is inside the polygon (exterior then holes), boundary inclusive.
#[inline]
pub fn point_in_polygon(p: Mercator, rings: &[Vec<Mercator>]) -> bool {
    position(p, rings).is_inside_or_on()
}

/// `true` if `p` is inside any of the polygons, boundary inclusive.
pub fn point_in_polygons(p: Mercator, polygons: &[Vec<Vec<Mercator>>]) -> bool {
    polygons.iter().any(|rings| point_in_polygon(p, rings))
}

/// Distance in EPSG:3857 metres from `p` to the nearest edge of any ring of any polygon
/// (infinity if there is none).
pub fn boundary_distance(p: Mercator, polygons: &[Vec<Vec<Mercator>>]) -> f64 {
    polygons
        .iter()
        .flatten()
        .flat_map(|r| edges(r))
        .map(|(a, b)| dist2_point_segment(p, a, b))
        .fold(f64::INFINITY, f64::min)
        .sqrt()
}

/// How two closed segments meet.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SegmentContact {
    /// They do not meet.
    None,
    /// They meet in exactly one point (a crossing or a touch).
    Point(Mercator),
    /// They are collinear and share more than one point; the point is where the shared part
    /// starts.
    Overlap(Mercator),
}

fn within(v: f64, a: f64, b: f64) -> bool {
    v >= a.min(b) && v <= a.max(b)
}

fn on_closed_segment(p: Mercator, a: Mercator, b: Mercator) -> bool {
    orient(a, b, p) == 0.0 && within(p.x, a.x, b.x) && within(p.y, a.y, b.y)
}

/// How segment `a`–`b` meets segment `c`–`d` (exact orientation signs, no tolerance).
pub fn segment_contact(a: Mercator, b: Mercator, c: Mercator, d: Mercator) -> SegmentContact {
    let o1 = orient(a, b, c);
    let o2 = orient(a, b, d);
    let o3 = orient(c, d, a);
    let o4 = orient(c, d, b);
    if o1 == 0.0 && o2 == 0.0 {
        // Collinear (or degenerate): overlap along the dominant axis.
        let use_x = (b.x - a.x).abs() + (d.x - c.x).abs() >= (b.y - a.y).abs() + (d.y - c.y).abs();
        let key = |m: Mercator| if use_x { m.x } else { m.y };
        let (lo1, hi1) = if key(a) <= key(b) { (a, b) } else { (b, a) };
        let (lo2, hi2) = if key(c) <= key(d) { (c, d) } else { (d, c) };
        let lo = if key(lo1) >= key(lo2) { lo1 } else { lo2 };
        let hi = if key(hi1) <= key(hi2) { hi1 } else { hi2 };
        if key(lo) < key(hi) {
            return SegmentContact::Overlap(lo);
        }
        if key(lo) == key(hi) && on_closed_segment(lo, a, b) && on_closed_segment(lo, c, d) {
            return SegmentContact::Point(lo);
        }
        return SegmentContact::None;
    }
    if ((o1 > 0.0 && o2 < 0.0) || (o1 < 0.0 && o2 > 0.0))
        && ((o3 > 0.0 && o4 < 0.0) || (o3 < 0.0 && o4 > 0.0))
    {
        let t = o3 / (o3 - o4);
        return SegmentContact::Point(Mercator {
            x: a.x + t * (b.x - a.x),
            y: a.y + t * (b.y - a.y),
        });
    }
    for (p, s, e) in [(c, a, b), (d, a, b), (a, c, d), (b, c, d)] {
        if on_closed_segment(p, s, e) {
            return SegmentContact::Point(p);
        }
    }
    SegmentContact::None
}

/// The first parameter `t` in `[0, 1]` along `a -> b` at which the segment comes within
/// [`BOUNDARY_EPS_M`] of the edge `c`–`d`, if it does.
pub fn first_contact(a: Mercator, b: Mercator, c: Mercator, d: Mercator) -> Option<f64> {
    let eps2 = BOUNDARY_EPS_M * BOUNDARY_EPS_M;
    let len2 = (b.x - a.x).powi(2) + (b.y - a.y).powi(2);
    if len2 == 0.0 {
        return (dist2_point_segment(a, c, d) <= eps2).then_some(0.0);
    }
    if dist2_point_segment(a, c, d) <= eps2 {
        return Some(0.0);
    }
    let o3 = orient(c, d, a);
    let o4 = orient(c, d, b);
    let o1 = orient(a, b, c);
    let o2 = orient(a, b, d);
    let mut best: Option<f64> = None;
    let mut take = |t: f64| {
        if t.is_finite() {
            let t = t.clamp(0.0, 1.0);
            best = Some(best.map_or(t, |b: f64| b.min(t)));
        }
    };
    if (o3 > 0.0) != (o4 > 0.0) && (o1 > 0.0) != (o2 > 0.0) && o3 != o4 {
        take(o3 / (o3 - o4));
    }
    // Near misses and collinear contacts: the edge's endpoints projected onto a -> b.
    for q in [c, d] {
        if dist2_point_segment(q, a, b) <= eps2 {
            take(((q.x - a.x) * (b.x - a.x) + (q.y - a.y) * (b.y - a.y)) / len2);
        }
    }
    if dist2_point_segment(b, c, d) <= eps2 {
        take(1.0);
    }
    best
}

/// Absolute area (EPSG:3857 square metres) enclosed by a closed ring (shoelace).
pub fn ring_area(ring: &[Mercator]) -> f64 {
    let Some(o) = ring.first().copied() else {
        return 0.0;
    };
    (edges(ring)
        .map(|(a, b)| (a.x - o.x) * (b.y - o.y) - (b.x - o.x) * (a.y - o.y))
        .sum::<f64>()
        / 2.0)
        .abs()
}
