//! Where a point is relative to a polygon: [`position`], the one point-position test of the
//! core, used by hit testing ([`hit`](crate::hit)) and geofencing (zones'
//! [`Zone::contains`](crate::geofence::Zone::contains), the zone index's exact path and zone
//! validation). All in EPSG:3857 metres: [`Mercator`] points, geo-types polygons
//! ([`polygon_position`], [`rings_position`]) or rings as slices of points ([`position`]);
//! the same algorithm for both. Also the segment primitives of zones: orientation, distance,
//! contact between two segments ([`segment_contact`]) and along a path ([`first_contact`]).
//!
//! **Boundary tolerance**: a point within [`BOUNDARY_EPS_M`] = 1 mm (EPSG:3857 metres) of any
//! ring edge or vertex is [`Position::OnBoundary`]. EPSG:3857 stretches the ground by
//! 1 / cos φ (about 1.59 at Calais, 51° N; see [`ground_scale`](crate::earth::ground_scale)),
//! so 1 mm of EPSG:3857 is **about 0.63 mm on the ground** at Calais. The tolerance makes "on
//! the edge" well defined for points computed in floating point (an edge's midpoint is rarely
//! exactly on the edge) and keeps the parity test away from the cases where rounding could
//! decide; it is far below anything drawn (a CSS px is 0.15 m at zoom 20) or measured (GPS).
//! Hit testing and zones both count a boundary point as inside ([`Position::is_inside_or_on`]).
//!
//! Elsewhere the parity of the crossings of a ray towards +x decides: holes subtract, rings
//! may be oriented either way. A polygon is its exterior ring then its holes (a geo-types
//! [`Polygon`], or `rings[0]` then the holes as slices). Rings should be closed
//! (first == last); an open slice ring is closed implicitly (a geo-types polygon's rings are
//! closed by [`Polygon::new`]).

use crate::units::Mercator;
use geo::{LineString, Polygon};

/// Distance (EPSG:3857 metres) within which a point is on a ring's boundary: 1 mm, about
/// 0.63 mm on the ground at Calais.
pub const BOUNDARY_EPS_M: f64 = 1e-3;

/// Where a point is relative to a polygon (or a ring).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Position {
    /// Strictly inside (more than [`BOUNDARY_EPS_M`] from every edge).
    Inside,
    /// Within [`BOUNDARY_EPS_M`] of an edge or vertex of any ring (holes included).
    OnBoundary,
    /// Strictly outside, or inside a hole; also any non-finite point.
    Outside,
}

impl Position {
    /// `true` for [`Position::Inside`] and [`Position::OnBoundary`]: the rule of both hit
    /// testing and zones.
    #[inline]
    pub fn is_inside_or_on(self) -> bool {
        !matches!(self, Position::Outside)
    }
}

/// Twice the signed area of the triangle `a, b, c`: > 0 if `c` is left of `a -> b`
/// (counter-clockwise), < 0 if right, 0 if collinear.
#[inline]
pub fn orient(a: Mercator, b: Mercator, c: Mercator) -> f64 {
    (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)
}

/// The point of segment `ab` nearest to `p`, in the units of the inputs.
#[inline]
pub fn closest_on_segment(p: Mercator, a: Mercator, b: Mercator) -> Mercator {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((p.x - a.x) * dx + (p.y - a.y) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    Mercator {
        x: a.x + t * dx,
        y: a.y + t * dy,
    }
}

/// Squared distance from `p` to segment `ab`, in the units of the inputs.
#[inline]
pub fn dist2_point_segment(p: Mercator, a: Mercator, b: Mercator) -> f64 {
    let q = closest_on_segment(p, a, b);
    (p.x - q.x).powi(2) + (p.y - q.y).powi(2)
}

/// `true` if `p` is within [`BOUNDARY_EPS_M`] of the segment `a`–`b`.
#[inline]
pub fn near_segment(p: Mercator, a: Mercator, b: Mercator) -> bool {
    dist2_point_segment(p, a, b) <= BOUNDARY_EPS_M * BOUNDARY_EPS_M
}

/// The edges of a ring: consecutive pairs, plus the closing edge (last, first) if the ring is
/// open (a single position is one degenerate edge).
pub fn edges(ring: &[Mercator]) -> impl Iterator<Item = (Mercator, Mercator)> + '_ {
    let closing = match (ring.first(), ring.last()) {
        (Some(a), Some(b)) if a != b || ring.len() == 1 => Some((*b, *a)),
        _ => None,
    };
    ring.windows(2)
        .filter_map(|w| match w {
            [a, b] => Some((*a, *b)),
            _ => None,
        })
        .chain(closing)
}

/// Crosses the ray from `p` towards +x? (Half-open in y, so that a vertex at `p`'s height is
/// counted once.)
#[inline]
fn crosses(p: Mercator, a: Mercator, b: Mercator) -> bool {
    if (a.y <= p.y) != (b.y <= p.y) {
        // The edge spans p's height: it crosses the ray iff p is on the edge's left when
        // going up (right when going down).
        let o = orient(a, b, p);
        (b.y > a.y && o > 0.0) || (b.y < a.y && o < 0.0)
    } else {
        false
    }
}

/// Where `p` is relative to the polygon `rings` (exterior then holes; see the module doc for
/// the boundary tolerance). One pass over the edges: the first edge within
/// [`BOUNDARY_EPS_M`] answers [`Position::OnBoundary`], otherwise the parity decides.
pub fn position<R: AsRef<[Mercator]>>(p: Mercator, rings: &[R]) -> Position {
    position_by_rings(p, rings.iter().map(|r| edges(r.as_ref())))
}

/// [`position`] for a geo-types polygon in EPSG:3857 metres (a model [`Shape`](crate::model::Shape),
/// a camera's sector or a zone's polygon): its exterior and holes, either winding.
pub fn polygon_position(p: Mercator, polygon: &Polygon<f64>) -> Position {
    rings_position(p, rings(polygon))
}

/// [`position`] for closed geo-types rings in EPSG:3857 metres (a polygon's, or a single ring
/// on its own): the parity over all of them, a boundary hit on any ending it.
pub fn rings_position<'a>(
    p: Mercator,
    rings: impl IntoIterator<Item = &'a LineString<f64>>,
) -> Position {
    position_by_rings(p, rings.into_iter().map(ring_edges))
}

/// A polygon's rings: its exterior, then its holes.
pub fn rings(polygon: &Polygon<f64>) -> impl Iterator<Item = &LineString<f64>> {
    std::iter::once(polygon.exterior()).chain(polygon.interiors())
}

/// The edges of a geo-types ring (or line) as EPSG:3857 pairs, in order.
pub fn ring_edges(ring: &LineString<f64>) -> impl Iterator<Item = (Mercator, Mercator)> + '_ {
    ring.lines().map(|l| (l.start.into(), l.end.into()))
}

/// Every edge of a polygon: the exterior's, then each hole's.
pub fn polygon_edges(polygon: &Polygon<f64>) -> impl Iterator<Item = (Mercator, Mercator)> + '_ {
    rings(polygon).flat_map(ring_edges)
}

/// The one point-position algorithm: crossings parity over every ring's edges, a boundary hit
/// ending it. Ring by ring, each ring's edges in their own tight loop ([`scan_ring`]): a
/// flattened iterator over all rings measured ~10 % slower on the exact zone path.
#[inline]
fn position_by_rings<E: Iterator<Item = (Mercator, Mercator)>>(
    p: Mercator,
    rings: impl Iterator<Item = E>,
) -> Position {
    if !(p.x.is_finite() && p.y.is_finite()) {
        return Position::Outside;
    }
    let mut odd = false;
    for ring in rings {
        match scan_ring(p, ring) {
            Some(crossed) => odd ^= crossed,
            None => return Position::OnBoundary,
        }
    }
    if odd {
        Position::Inside
    } else {
        Position::Outside
    }
}

/// Parity of the crossings of one ring's edges by the ray from `p`; `None` when `p` lies on
/// an edge (within the boundary tolerance).
#[inline]
fn scan_ring(p: Mercator, edges: impl Iterator<Item = (Mercator, Mercator)>) -> Option<bool> {
    let mut odd = false;
    for (a, b) in edges {
        if near_segment(p, a, b) {
            return None;
        }
        odd ^= crosses(p, a, b);
    }
    Some(odd)
}

/// Distance in EPSG:3857 metres from `p` to the nearest edge of any ring of any of the
/// polygons, holes included (infinity if there is none): what [`BOUNDARY_EPS_M`] is compared
/// with.
pub fn boundary_distance(p: Mercator, polygons: &[Polygon<f64>]) -> f64 {
    polygons
        .iter()
        .flat_map(polygon_edges)
        .map(|(a, b)| dist2_point_segment(p, a, b))
        .fold(f64::INFINITY, f64::min)
        .sqrt()
}

/// [`position`] for a polygon of one ring given as a slice of points.
pub fn ring_position(p: Mercator, ring: &[Mercator]) -> Position {
    position(p, &[ring])
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
