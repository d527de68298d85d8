//! Where a point is relative to a polygon: [`position`], the one point-position test of the
//! core, used by hit testing ([`hit`](crate::hit)) and geofencing
//! ([`geofence::pip`](crate::geofence::pip), the zone index's exact path). All in EPSG:3857
//! metres: [`Mercator`] points, rings as slices of them or geo-types polygons
//! ([`polygon_position`]).
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
//! may be oriented either way. A polygon is `rings[0]` (exterior) then its holes. Rings
//! should be closed (first == last); an open ring is closed implicitly.

use crate::units::Mercator;
use geo::Polygon;

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

/// Squared distance from `p` to segment `ab`, in the units of the inputs.
#[inline]
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

/// Parity of the crossings of the ray from `p` towards +x with the ring. Ignores the
/// boundary tolerance (zone validation uses it on vertices known to be off the boundary).
pub fn ring_parity(p: Mercator, ring: &[Mercator]) -> bool {
    edges(ring).fold(false, |odd, (a, b)| odd ^ crosses(p, a, b))
}

/// Where `p` is relative to the polygon `rings` (exterior then holes; see the module doc for
/// the boundary tolerance). One pass over the edges: the first edge within
/// [`BOUNDARY_EPS_M`] answers [`Position::OnBoundary`], otherwise the parity decides.
pub fn position<R: AsRef<[Mercator]>>(p: Mercator, rings: &[R]) -> Position {
    position_by_rings(p, rings.iter().map(|r| edges(r.as_ref())))
}

/// [`position`] for a geo-types polygon in EPSG:3857 metres (a model [`Shape`](crate::model::Shape)
/// or a camera's sector): its exterior and holes, either winding.
pub fn polygon_position(p: Mercator, polygon: &Polygon<f64>) -> Position {
    position_by_rings(
        p,
        std::iter::once(polygon.exterior())
            .chain(polygon.interiors())
            .map(|r| r.lines().map(|l| (l.start.into(), l.end.into()))),
    )
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

/// [`position`] for a polygon of one ring (e.g. a camera's field-of-view sector).
pub fn ring_position(p: Mercator, ring: &[Mercator]) -> Position {
    position(p, &[ring])
}
