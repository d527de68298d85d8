//! Property tests of `core::geometry::position` (the one point-position test of hit testing
//! and geofencing) against geo's `CoordinatePosition` (robust predicates) on random valid
//! polygons at Calais' EPSG:3857 coordinates (about 207 km east, 6.6 Mm north: the
//! magnitudes that make floating point hard), points exactly on edges and vertices included.
//! Native only: proptest does not build for wasm32-unknown-unknown.
#![cfg(not(target_arch = "wasm32"))]

use calais_map::core::geometry::{
    BOUNDARY_EPS_M, Position, boundary_distance, polygon_position, position, ring_position,
};
use calais_map::core::units::Mercator;
use geo::Validation;
use geo::coordinate_position::{CoordPos, CoordinatePosition};
use proptest::prelude::*;

/// Calais port in EPSG:3857 metres, rounded to the metre (integer vertices stay exact).
const O: (f64, f64) = (207_610.0, 6_614_240.0);

/// A star-shaped ring around `(cx, cy)` (offsets from `O`, metres): `radii.len()` vertices at
/// increasing angles, rounded to whole metres, closed.
fn star(cx: f64, cy: f64, radii: &[f64], jitter: &[f64]) -> Vec<Mercator> {
    let n = radii.len();
    let mut r: Vec<Mercator> = radii
        .iter()
        .zip(jitter)
        .enumerate()
        .map(|(i, (rad, j))| {
            let a = std::f64::consts::TAU * (i as f64 + 0.3 * j) / n as f64;
            Mercator {
                x: (O.0 + cx + rad * a.cos()).round(),
                y: (O.1 + cy + rad * a.sin()).round(),
            }
        })
        .collect();
    r.push(r[0]);
    r
}

prop_compose! {
    /// One polygon: a concave star (5..30 vertices, 20..600 m, whole-metre vertices) and
    /// maybe a hole.
    fn polygon()(n in 5usize..30, cx in -500.0f64..500.0, cy in -500.0f64..500.0,
                 size in 20.0f64..600.0, hole in any::<bool>())
                (radii in prop::collection::vec(0.55f64..1.0, n),
                 jitter in prop::collection::vec(-1.0f64..1.0, n),
                 hole_radii in prop::collection::vec(0.15f64..0.4, 6),
                 hole_jitter in prop::collection::vec(-1.0f64..1.0, 6),
                 cx in Just(cx), cy in Just(cy), size in Just(size), hole in Just(hole))
                -> Vec<Vec<Mercator>> {
        let scaled = |r: &[f64]| r.iter().map(|r| r * size).collect::<Vec<_>>();
        let mut rings = vec![star(cx, cy, &scaled(&radii), &jitter)];
        if hole {
            rings.push(star(cx, cy, &scaled(&hole_radii), &hole_jitter));
        }
        rings
    }
}

fn geo_polygon(rings: &[Vec<Mercator>]) -> geo::Polygon<f64> {
    let ls =
        |r: &Vec<Mercator>| geo::LineString::from(r.iter().map(|m| (m.x, m.y)).collect::<Vec<_>>());
    geo::Polygon::new(ls(&rings[0]), rings[1..].iter().map(ls).collect())
}

fn geo_position(g: &geo::Polygon<f64>, p: Mercator) -> CoordPos {
    g.coordinate_position(&geo::coord! { x: p.x, y: p.y })
}

/// Ours against geo's, with the tolerance: within 1 mm of an edge we say on the boundary;
/// beyond 2 mm we agree with geo exactly; in between either answer is allowed.
fn check(rings: &[Vec<Mercator>], g: &geo::Polygon<f64>, p: Mercator) -> Result<(), TestCaseError> {
    let ours = position(p, rings);
    let theirs = geo_position(g, p);
    let d = boundary_distance(p, std::slice::from_ref(g));
    if theirs == CoordPos::OnBoundary || d <= BOUNDARY_EPS_M {
        prop_assert_eq!(ours, Position::OnBoundary, "{:?} at {} m", p, d);
    } else if d > 2.0 * BOUNDARY_EPS_M {
        let expected = match theirs {
            CoordPos::Inside => Position::Inside,
            _ => Position::Outside,
        };
        prop_assert_eq!(ours, expected, "{:?} at {} m", p, d);
    } else {
        prop_assert!(
            ours == Position::OnBoundary
                || (ours == Position::Inside) == (theirs == CoordPos::Inside)
        );
    }
    // The geo-types form, used by zones and hit testing, is the same function.
    prop_assert_eq!(polygon_position(p, g), ours);
    Ok(())
}

fn gcd(a: i64, b: i64) -> i64 {
    if b == 0 { a.abs() } else { gcd(b, a % b) }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn position_agrees_with_geo(poly in polygon(),
                                pts in prop::collection::vec((-800.0f64..800.0, -800.0f64..800.0), 80),
                                on in prop::collection::vec((0usize..1000, 0.0f64..1.0, -3.0f64..3.0), 40)) {
        let g = geo_polygon(&poly);
        // Rounding may fold a star onto itself: only valid polygons are compared.
        prop_assume!(g.is_valid());
        for (x, y) in pts {
            check(&poly, &g, Mercator { x: O.0 + x, y: O.1 + y })?;
        }
        let edges: Vec<(Mercator, Mercator)> = poly.iter()
            .flat_map(|r| r.windows(2).map(|w| (w[0], w[1])))
            .collect();
        for (k, t, off_mm) in on {
            let (a, b) = edges[k % edges.len()];
            // Every vertex is on the boundary, for both.
            prop_assert_eq!(geo_position(&g, a), CoordPos::OnBoundary);
            prop_assert_eq!(position(a, &poly), Position::OnBoundary);
            // Points exactly on the edge: whole-metre vertices, steps of (dx, dy) / gcd.
            let (dx, dy) = ((b.x - a.x) as i64, (b.y - a.y) as i64);
            let steps = gcd(dx, dy).max(1);
            let k = ((t * steps as f64) as i64).min(steps);
            let exact = Mercator { x: a.x + (dx / steps * k) as f64, y: a.y + (dy / steps * k) as f64 };
            prop_assert_eq!(geo_position(&g, exact), CoordPos::OnBoundary);
            prop_assert_eq!(position(exact, &poly), Position::OnBoundary);
            // Points along the edge (rounded, so a hair off it) and pushed off it by up to
            // 3 mm across: on the boundary within 1 mm, geo's answer beyond 2 mm.
            let len = ((b.x - a.x).powi(2) + (b.y - a.y).powi(2)).sqrt();
            let (nx, ny) = (-(b.y - a.y) / len, (b.x - a.x) / len);
            let along = Mercator { x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y) };
            prop_assert_eq!(position(along, &poly), Position::OnBoundary);
            let off = Mercator { x: along.x + nx * off_mm * 1e-3, y: along.y + ny * off_mm * 1e-3 };
            check(&poly, &g, off)?;
        }
    }

    #[test]
    fn ring_position_is_position_of_one_ring(poly in polygon(),
                                             pts in prop::collection::vec((-800.0f64..800.0, -800.0f64..800.0), 40)) {
        let shell = &poly[0];
        // Closed or open (closed implicitly), the same answers.
        let open = &shell[..shell.len() - 1];
        for (x, y) in pts {
            let p = Mercator { x: O.0 + x, y: O.1 + y };
            let ours = ring_position(p, shell);
            prop_assert_eq!(ours, position(p, std::slice::from_ref(shell)));
            prop_assert_eq!(ours, ring_position(p, open));
        }
    }
}
