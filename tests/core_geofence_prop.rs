//! Property tests of `core::geofence` (native only: proptest does not build for
//! wasm32-unknown-unknown): point-in-polygon against geo's robust predicates, the grid fast
//! path against the exact R-tree + PIP path on random zones (points on edges and vertices
//! included), hysteresis under boundary jitter, replay determinism, and parsing never
//! panicking.
#![cfg(not(target_arch = "wasm32"))]

use calais_map::core::geofence::pip::{BOUNDARY_EPS_M, boundary_distance, point_in_polygon};
use calais_map::core::geofence::{
    Engine, EngineConfig, EventKind, Fix, Input, Zone, ZoneIndex, ZoneKind, ZoneRules, parse_zones,
};
use calais_map::core::projection::{ground_scale, to_lonlat, to_mercator};
use calais_map::core::units::{LonLat, Mercator};
use geo::Intersects;
use proptest::prelude::*;

const O: (f64, f64) = (1.86, 50.96);

fn origin() -> Mercator {
    to_mercator(LonLat { lon: O.0, lat: O.1 })
}

/// A star-shaped ring (EPSG:3857 offsets from the origin): `radii.len()` vertices at
/// increasing angles, closed.
fn star(cx: f64, cy: f64, radii: &[f64], jitter: &[f64]) -> Vec<(f64, f64)> {
    let n = radii.len();
    let mut r: Vec<(f64, f64)> = radii
        .iter()
        .zip(jitter)
        .enumerate()
        .map(|(i, (rad, j))| {
            let a = std::f64::consts::TAU * (i as f64 + 0.3 * j) / n as f64;
            (cx + rad * a.cos(), cy + rad * a.sin())
        })
        .collect();
    r.push(r[0]);
    r
}

fn zone_from(id: &str, polys: &[Vec<Vec<(f64, f64)>>]) -> Option<Zone> {
    let o = origin();
    let polys: Vec<Vec<Vec<LonLat>>> = polys
        .iter()
        .map(|rings| {
            rings
                .iter()
                .map(|r| {
                    r.iter()
                        .map(|&(x, y)| {
                            to_lonlat(Mercator {
                                x: o.x + x,
                                y: o.y + y,
                            })
                        })
                        .collect()
                })
                .collect()
        })
        .collect();
    Zone::new(
        id,
        None,
        ZoneKind::Watch,
        ZoneRules::defaults(ZoneKind::Watch),
        &polys,
    )
    .ok()
}

prop_compose! {
    /// One polygon: a concave star (6..40 vertices, 50..800 m) and maybe a hole.
    fn polygon()(n in 6usize..40, cx in -1500.0f64..1500.0, cy in -1500.0f64..1500.0,
                 size in 50.0f64..800.0, hole in any::<bool>())
                (radii in prop::collection::vec(0.55f64..1.0, n),
                 jitter in prop::collection::vec(-1.0f64..1.0, n),
                 hole_radii in prop::collection::vec(0.15f64..0.4, 7),
                 hole_jitter in prop::collection::vec(-1.0f64..1.0, 7),
                 cx in Just(cx), cy in Just(cy), size in Just(size), hole in Just(hole))
                -> Vec<Vec<(f64, f64)>> {
        let shell = star(cx, cy, &radii.iter().map(|r| r * size).collect::<Vec<_>>(), &jitter);
        let mut rings = vec![shell];
        if hole {
            rings.push(star(cx, cy, &hole_radii.iter().map(|r| r * size).collect::<Vec<_>>(), &hole_jitter));
        }
        rings
    }
}

fn geo_polygon(rings: &[Vec<Mercator>]) -> geo::Polygon<f64> {
    let ls =
        |r: &Vec<Mercator>| geo::LineString::from(r.iter().map(|m| (m.x, m.y)).collect::<Vec<_>>());
    geo::Polygon::new(ls(&rings[0]), rings[1..].iter().map(ls).collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn pip_agrees_with_geo(poly in polygon(),
                           pts in prop::collection::vec((-2500.0f64..2500.0, -2500.0f64..2500.0), 60),
                           on in prop::collection::vec((0usize..1000, 0.0f64..1.0), 20)) {
        let Some(z) = zone_from("p", &[poly]) else { return Ok(()); };
        let rings = &z.polygons[0];
        let g = geo_polygon(rings);
        let o = origin();
        for (x, y) in pts {
            let p = Mercator { x: o.x + x, y: o.y + y };
            let d = boundary_distance(p, &z.polygons);
            let ours = point_in_polygon(p, rings);
            if d <= BOUNDARY_EPS_M {
                prop_assert!(ours, "on the boundary: inside");
            } else if d > 2.0 * BOUNDARY_EPS_M {
                prop_assert_eq!(ours, g.intersects(&geo::Point::new(p.x, p.y)), "{:?}", p);
            }
        }
        // Points on edges and vertices (any ring, holes too) are inside.
        let edges: Vec<(Mercator, Mercator)> = rings.iter()
            .flat_map(|r| r.windows(2).map(|w| (w[0], w[1])))
            .collect();
        for (k, t) in on {
            let (a, b) = edges[k % edges.len()];
            let p = Mercator { x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y) };
            prop_assert!(point_in_polygon(p, rings));
            prop_assert!(point_in_polygon(a, rings));
        }
    }

    #[test]
    fn grid_equals_exact(polys in prop::collection::vec(polygon(), 1..6),
                         multi in any::<bool>(),
                         cell in prop::option::of(5.0f64..600.0),
                         pts in prop::collection::vec((-2500.0f64..2500.0, -2500.0f64..2500.0), 150),
                         on in prop::collection::vec((0usize..1000, 0usize..1000, 0.0f64..1.0), 40)) {
        // Zones: one per polygon, or the first two as one MultiPolygon.
        let mut zones = Vec::new();
        if multi && polys.len() >= 2 {
            if let Some(z) = zone_from("m", &polys[..2]) { zones.push(z); }
            for (i, p) in polys[2..].iter().enumerate() {
                if let Some(z) = zone_from(&format!("z{i}"), std::slice::from_ref(p)) { zones.push(z); }
            }
        } else {
            for (i, p) in polys.iter().enumerate() {
                if let Some(z) = zone_from(&format!("z{i}"), std::slice::from_ref(p)) { zones.push(z); }
            }
        }
        prop_assume!(!zones.is_empty());
        let index = ZoneIndex::with_cell_size(&zones, cell);
        let o = origin();
        let mut points: Vec<Mercator> = pts.iter().map(|(x, y)| Mercator { x: o.x + x, y: o.y + y }).collect();
        for (zk, ek, t) in on {
            let z = &zones[zk % zones.len()];
            let edges: Vec<(Mercator, Mercator)> = z.polygons.iter().flatten()
                .flat_map(|r| r.windows(2).map(|w| (w[0], w[1])))
                .collect();
            let (a, b) = edges[ek % edges.len()];
            points.push(Mercator { x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y) });
            points.push(a);
            // And just off the edge, either side, around the 1 mm band.
            let (dx, dy) = (b.x - a.x, b.y - a.y);
            let len = (dx * dx + dy * dy).sqrt().max(1e-9);
            for off in [-1.5e-3, -0.9e-3, 0.9e-3, 1.5e-3, 0.02, -0.02] {
                points.push(Mercator {
                    x: a.x + t * dx - dy / len * off,
                    y: a.y + t * dy + dx / len * off,
                });
            }
        }
        let c = index.classify_all(&points);
        for (i, p) in points.iter().enumerate() {
            let exact: Vec<u32> = index.zones_at_exact(*p).into_iter().map(|z| z as u32).collect();
            prop_assert_eq!(c.zones_of(i), exact.as_slice(), "point {} {:?}", i, p);
            prop_assert_eq!(index.zones_at(*p), index.zones_at_exact(*p));
        }
    }

    #[test]
    fn jitter_within_the_margin_never_flaps(steps in prop::collection::vec(-9.5f64..9.5, 1..80),
                                            along in prop::collection::vec(20.0f64..180.0, 80)) {
        // A 200 m ground square; the incident enters, then jitters across its east edge.
        let g = 1.0 / ground_scale(O.1);
        let sq = vec![vec![(0.0, 0.0), (200.0 * g, 0.0), (200.0 * g, 200.0 * g), (0.0, 200.0 * g), (0.0, 0.0)]];
        let z = zone_from("sq", &[sq]).expect("square");
        let mut e = Engine::new(vec![z], EngineConfig::default());
        let o = origin();
        let at = |east: f64, north: f64| Mercator { x: o.x + east * g, y: o.y + north * g };
        prop_assert_eq!(e.update(&Fix::new("a", at(100.0, 100.0), 0)).len(), 1);
        for (k, (s, n)) in steps.iter().zip(&along).enumerate() {
            let ev = e.update(&Fix::new("a", at(200.0 + s, *n), 1000 * (k as i64 + 1)));
            prop_assert!(ev.is_empty(), "step {}: {:?}", k, ev);
        }
        let ev = e.update(&Fix::new("a", at(211.0, 100.0), 1_000_000));
        prop_assert_eq!(ev.len(), 1);
        prop_assert_eq!(ev[0].kind, EventKind::Exit);
    }

    #[test]
    fn replays_are_identical(moves in prop::collection::vec((0usize..5, -300.0f64..300.0, -300.0f64..300.0, 0u8..10), 1..150)) {
        let g = 1.0 / ground_scale(O.1);
        let zones: Vec<Zone> = [(0.0, 0.0), (250.0, 0.0), (0.0, 250.0)]
            .iter()
            .enumerate()
            .filter_map(|(i, (x, y))| {
                let r = vec![vec![(*x, *y), (x + 200.0 * g, *y), (x + 200.0 * g, y + 200.0 * g), (*x, y + 200.0 * g), (*x, *y)]];
                zone_from(&format!("z{i}"), &[r])
            })
            .collect();
        let o = origin();
        let mut inputs = Vec::new();
        let mut t = 0i64;
        for (who, x, y, what) in moves {
            t += 1000;
            let f = Fix::new(format!("i{who}"), Mercator { x: o.x + x, y: o.y + y }, t);
            inputs.push(match what {
                0 => Input::Tick(t + 90_000),
                1 => Input::Fix(f.closed()),
                2 => Input::Fix(f.with_accuracy(500.0)),
                _ => Input::Fix(f),
            });
        }
        let run = || {
            let mut e = Engine::new(zones.clone(), EngineConfig { log_capacity: 50, ..EngineConfig::default() });
            for i in &inputs { e.apply(i); }
            (e.log().clone(), e.counts().to_vec())
        };
        prop_assert_eq!(run(), run());
    }

    #[test]
    fn parsing_never_panics(text in "\\PC{0,200}") {
        let _ = parse_zones(&text);
    }

    #[test]
    fn mutated_zone_files_never_panic(bytes in prop::collection::vec((0usize..400, any::<u8>()), 1..6)) {
        let base = r#"{"type":"FeatureCollection","features":[{"type":"Feature","id":"a","properties":{"kind":"watch","dwell_s":30},"geometry":{"type":"Polygon","coordinates":[[[1.80,50.90],[1.82,50.90],[1.82,50.92],[1.80,50.92],[1.80,50.90]]]}}]}"#;
        let mut b = base.as_bytes().to_vec();
        for (i, v) in bytes {
            let i = i % b.len();
            b[i] = v;
        }
        let text = String::from_utf8_lossy(&b);
        if let Ok(set) = parse_zones(&text) {
            let index = ZoneIndex::new(&set.zones);
            let _ = index.zones_at(to_mercator(LonLat { lon: 1.81, lat: 50.91 }));
        }
    }
}
