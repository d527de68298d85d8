//! Property tests of `core::geofence` (native only: proptest does not build for
//! wasm32-unknown-unknown): point-in-polygon against geo's robust predicates (a zone's
//! polygon, and a zone of several polygons as its geo-types MultiPolygon), the grid fast
//! path against the exact R-tree + PIP path on random zones (points on edges and vertices
//! included), hysteresis under boundary jitter, replay determinism, bulk seeding against
//! seeding one fix at a time, zone changes against a model of the rules, and parsing never
//! panicking.
#![cfg(not(target_arch = "wasm32"))]

use calais_map::core::geofence::{
    Engine, EngineConfig, Event, EventKind, Fix, Input, Stay, Zone, ZoneIndex, ZoneKind, ZoneRules,
    parse_zones, synthetic,
};
use calais_map::core::geometry::{
    BOUNDARY_EPS_M, boundary_distance, polygon_edges, polygon_position, rings,
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

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn pip_agrees_with_geo(poly in polygon(),
                           pts in prop::collection::vec((-2500.0f64..2500.0, -2500.0f64..2500.0), 60),
                           on in prop::collection::vec((0usize..1000, 0.0f64..1.0), 20)) {
        let Some(z) = zone_from("p", &[poly]) else { return Ok(()); };
        // The zone's own geo-types polygon, for both.
        let g = &z.polygons.0[0];
        let inside = |p: Mercator| polygon_position(p, g).is_inside_or_on();
        let o = origin();
        for (x, y) in pts {
            let p = Mercator { x: o.x + x, y: o.y + y };
            let d = boundary_distance(p, &z.polygons.0);
            let ours = inside(p);
            if d <= BOUNDARY_EPS_M {
                prop_assert!(ours, "on the boundary: inside");
            } else if d > 2.0 * BOUNDARY_EPS_M {
                prop_assert_eq!(ours, g.intersects(&geo::Point::new(p.x, p.y)), "{:?}", p);
            }
        }
        // Points on edges and vertices (any ring, holes too) are inside.
        let edges: Vec<(Mercator, Mercator)> = polygon_edges(g).collect();
        for (k, t) in on {
            let (a, b) = edges[k % edges.len()];
            let p = Mercator { x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y) };
            prop_assert!(inside(p));
            prop_assert!(inside(a));
        }
    }

    #[test]
    fn zone_contains_agrees_with_geo_on_its_multipolygon(
        polys in prop::collection::vec(polygon(), 1..5),
        pts in prop::collection::vec((-2500.0f64..2500.0, -2500.0f64..2500.0), 80),
        on in prop::collection::vec((0usize..1000, 0.0f64..1.0), 20)) {
        // A zone of several polygons (they may overlap): its geo-types MultiPolygon is the
        // union, inside or on any part's boundary, as geo's `Intersects` says away from the
        // boundary; the index's exact test is the same function.
        let z = zone_from("m", &polys);
        prop_assume!(z.is_some());
        let z = z.unwrap();
        let index = ZoneIndex::new(std::slice::from_ref(&z));
        let o = origin();
        for (x, y) in pts {
            let p = Mercator { x: o.x + x, y: o.y + y };
            let d = boundary_distance(p, &z.polygons.0);
            let ours = z.contains(p);
            prop_assert_eq!(ours, index.contains(0, p));
            if d <= BOUNDARY_EPS_M {
                prop_assert!(ours, "on a boundary: inside");
            } else if d > 2.0 * BOUNDARY_EPS_M {
                prop_assert_eq!(ours, z.polygons.intersects(&geo::Point::from(p)), "{:?}", p);
            }
        }
        let edges: Vec<(Mercator, Mercator)> = z.polygons.iter().flat_map(polygon_edges).collect();
        for (k, t) in on {
            let (a, b) = edges[k % edges.len()];
            let p = Mercator { x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y) };
            prop_assert!(z.contains(p) && z.contains(a) && index.contains(0, p));
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
            let edges: Vec<(Mercator, Mercator)> = z.polygons.iter().flat_map(polygon_edges).collect();
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

    #[test]
    fn seed_all_equals_seeding_each_fix(w in world(),
                                        before in prop::collection::vec(op(), 0..60),
                                        snapshot in prop::collection::vec(op(), 0..300),
                                        after in prop::collection::vec(op(), 1..200)) {
        let (zones, pts) = build(&w);
        let t0 = 1_767_225_600_000;
        let before = inputs(&before, &pts, t0);
        let t1 = t0 + 10_000_000;
        let snapshot: Vec<Fix> = inputs(&snapshot, &pts, t1)
            .into_iter()
            .filter_map(|i| match i {
                Input::Fix(f) => Some(f),
                _ => None,
            })
            .collect();
        let after = inputs(&after, &pts, t1 + 100_000_000);
        // 0: seed_all; 1: seed of each fix; 2: update of each fix, events dropped.
        let run = |how: u8| {
            let mut e = Engine::new(zones.clone(), EngineConfig::default());
            for i in &before {
                e.apply(i);
            }
            let logged = e.log().len();
            match how {
                0 => e.seed_all(snapshot.iter().cloned()),
                1 => snapshot.iter().for_each(|f| e.seed(f)),
                _ => snapshot.iter().for_each(|f| {
                    e.update(f);
                }),
            }
            let seeded = state(&e);
            let silent = e.log().len() == logged;
            let later: Vec<Event> = after.iter().flat_map(|i| e.apply(i)).collect();
            (seeded, silent, later, state(&e))
        };
        let bulk = run(0);
        let one = run(1);
        let upd = run(2);
        prop_assert!(bulk.1 && one.1, "seeding logs nothing");
        prop_assert_eq!(&bulk.0, &one.0);
        prop_assert_eq!(&bulk.0, &upd.0);
        prop_assert_eq!(&bulk.2, &one.2, "same events, same numbers");
        prop_assert_eq!(unnumbered(&bulk.2), unnumbered(&upd.2));
        prop_assert_eq!(&bulk.3, &upd.3);
    }

    #[test]
    fn set_zones_keeps_stays_by_id_and_position(w in world(),
                                                other_seed in any::<u64>(),
                                                ops in prop::collection::vec(op(), 1..200),
                                                edits in prop::collection::vec(0u8..4, 20),
                                                added in 0usize..4,
                                                shuffle in any::<u64>(),
                                                after in prop::collection::vec(op(), 1..100)) {
        let (zones, pts) = build(&w);
        let t0 = 1_767_225_600_000;
        let mut e = Engine::new(zones.clone(), EngineConfig::default());
        for i in inputs(&ops, &pts, t0) {
            e.apply(&i);
        }
        let now = t0 + 500_000_000;
        let after = inputs(&after, &pts, now + 1_000);

        // The same zones again: nothing changes, now or later.
        let mut same = e.clone();
        same.set_zones(zones.clone(), now);
        prop_assert_eq!(state(&same), state(&e));
        let mut plain = e.clone();
        for i in &after {
            prop_assert_eq!(same.apply(i), plain.apply(i));
        }

        // Edited: kept, renamed, reshaped (another zone's outline, same id) or deleted; a few
        // new zones; in another order.
        let other = synthetic::zones(other_seed, zones.len() + added, 8 + w.2 % 20);
        let mut edited: Vec<Zone> = Vec::new();
        for (k, z) in zones.iter().enumerate() {
            match edits[k % edits.len()] {
                0 => edited.push(z.clone()),
                1 => edited.push(Zone { name: format!("{} (renamed)", z.name), ..z.clone() }),
                2 => {
                    if let Some(o) = other.get(k) {
                        edited.push(Zone { polygons: o.polygons.clone(), bounds: o.bounds, ..z.clone() });
                    }
                }
                _ => {}
            }
        }
        for (k, o) in other.iter().skip(zones.len()).enumerate() {
            edited.push(Zone { id: format!("new-{k}"), ..o.clone() });
        }
        let mut rng = synthetic::Rng::new(shuffle);
        for i in (1..edited.len()).rev() {
            edited.swap(i, rng.below(i + 1));
        }
        let old_ids: Vec<String> = zones.iter().map(|z| z.id.clone()).collect();
        let before = state(&e).0;
        let logged = e.log().len();
        e.set_zones(edited.clone(), now);
        prop_assert_eq!(e.log().len(), logged, "a zone change raises nothing");
        prop_assert_eq!(e.zones(), edited.as_slice());

        // The model: by id, the stay goes on where the new outline holds the last position or
        // comes within the exit margin of it; a zone holding it otherwise starts a stay now.
        let index = ZoneIndex::new(&edited);
        let mut counts = vec![0u32; edited.len()];
        let after_ids: Vec<String> = e.tracked_ids().map(str::to_string).collect();
        prop_assert_eq!(after_ids, before.iter().map(|b| b.0.clone()).collect::<Vec<_>>());
        for (id, last, stays) in &before {
            let Some((at, _)) = *last else { continue };
            prop_assert_eq!(e.last_fix(id), *last);
            let inside = index.zones_at_exact(at);
            let margin = EngineConfig::default().exit_margin_m / ground_scale(to_lonlat(at).lat);
            let mut want = Vec::new();
            for (j, z) in edited.iter().enumerate() {
                let old = stays.iter().find(|s| old_ids[s.zone] == z.id);
                let dwell = z.rules.dwell_ms();
                let inside = inside.contains(&j);
                match old {
                    Some(s) if inside || boundary_distance(at, &z.polygons.0) <= margin => {
                        want.push(Stay {
                            zone: j,
                            since_ms: s.since_ms,
                            dwell_due_ms: if s.dwell_raised { None } else { dwell.map(|d| s.since_ms + d) },
                            dwell_raised: s.dwell_raised,
                        });
                    }
                    _ if inside => want.push(Stay {
                        zone: j,
                        since_ms: now,
                        dwell_due_ms: dwell.map(|d| now + d),
                        dwell_raised: false,
                    }),
                    _ => {}
                }
            }
            for s in &want {
                counts[s.zone] += 1;
            }
            prop_assert_eq!(e.stays(id), want, "{} at {:?}", id, at);
        }
        prop_assert_eq!(e.counts(), counts.as_slice());
        // Later updates keep every member where its position is.
        for i in &after {
            e.apply(i);
        }
        for id in e.tracked_ids() {
            let Some((at, _)) = e.last_fix(id) else { continue };
            let members = e.memberships(id);
            prop_assert!(index.zones_at(at).iter().all(|z| members.contains(z)));
        }
    }
}

/// Synthetic zones (seed, count, vertices) and points (seed).
fn world() -> impl Strategy<Value = (u64, usize, usize, u64)> {
    (any::<u64>(), 1usize..16, 8usize..40, any::<u64>())
}

/// The zones and candidate positions of a world: synthetic points around them, and every
/// 5th vertex of their rings (on the boundary).
fn build(w: &(u64, usize, usize, u64)) -> (Vec<Zone>, Vec<Mercator>) {
    let zones = synthetic::zones(w.0, w.1, w.2);
    let mut pts = synthetic::points(w.3, 200, &zones);
    for z in &zones {
        let vertices = z.polygons.iter().flat_map(rings).flat_map(|r| r.coords());
        pts.extend(vertices.step_by(5).map(|c| Mercator::from(*c)));
    }
    (zones, pts)
}

/// (incident, position, what, seconds since the previous one).
type Op = (usize, usize, u8, u16);

fn op() -> impl Strategy<Value = Op> {
    (0usize..40, any::<usize>(), 0u8..16, 0u16..90)
}

/// Inputs from ops, from `t0` (ms): ticks, closes, removals, inaccurate and older fixes,
/// nudges (up to 12 ground metres from the incident's previous position: jitter across
/// boundaries, within the exit margin or just beyond), otherwise a fix at one of `pts`.
fn inputs(ops: &[Op], pts: &[Mercator], t0: i64) -> Vec<Input> {
    let mut t = t0;
    let mut last: Vec<Option<Mercator>> = vec![None; 40];
    ops.iter()
        .map(|&(who, p, what, dt)| {
            t += i64::from(dt) * 1000;
            let mut at = pts[p % pts.len()];
            if what >= 10
                && let Some(prev) = last[who % 40]
            {
                let g = ground_scale(to_lonlat(prev).lat);
                let (dx, dy) = ((p % 25) as f64 - 12.0, ((p / 25) % 25) as f64 - 12.0);
                at = Mercator {
                    x: prev.x + dx / g,
                    y: prev.y + dy / g,
                };
            }
            last[who % 40] = Some(at);
            let f = Fix::new(format!("i{who}"), at, t);
            match what {
                0 => Input::Tick(t),
                1 => Input::Fix(f.closed()),
                2 => Input::Fix(f.with_accuracy(500.0)),
                3 => Input::Remove {
                    id: f.id,
                    time_ms: t,
                },
                4 => Input::Fix(Fix {
                    time_ms: t - 200_000,
                    ..f
                }),
                5 => Input::Fix(f.with_accuracy(20.0)),
                _ => Input::Fix(f),
            }
        })
        .collect()
}

type State = (Vec<(String, Option<(Mercator, i64)>, Vec<Stay>)>, Vec<u32>);

fn state(e: &Engine) -> State {
    let tracks = e
        .tracked_ids()
        .map(|id| (id.to_string(), e.last_fix(id), e.stays(id)))
        .collect();
    (tracks, e.counts().to_vec())
}

fn unnumbered(events: &[Event]) -> Vec<Event> {
    events
        .iter()
        .map(|e| Event {
            seq: 0,
            ..e.clone()
        })
        .collect()
}
