//! Geofencing (`core::geofence`): zones file reading and validation, point-in-polygon and
//! the grid fast path, zone events (hysteresis, accuracy, dwell, crossing, close, log,
//! replay, exports), zone changes that keep the stays (`Engine::set_zones`) and bulk silent
//! seeding (`Engine::seed_all`), distances to fences and ports, camera coverage and coverage
//! gaps.
//! Property tests are in `core_geofence_prop.rs`.

use calais_map::core::config::PropertyNames;
use calais_map::core::earth::{distance_m, metres_per_radian};
use calais_map::core::geofence::{
    CameraCoverage, Engine, EngineConfig, Event, EventKind, EventLog, Fix, Input, Proximity,
    RingProblem, ShapeError, Stay, Zone, ZoneFileError, ZoneIndex, ZoneKind, ZoneProblem,
    ZoneRules, ground_distance_m, parse_zones, sector_contains, synthetic, zones_to_geojson,
};
use calais_map::core::geometry::{BOUNDARY_EPS_M, rings};
use calais_map::core::ingest::ingest_layer;
use calais_map::core::model::{Camera, LayerData, LayerId};
use calais_map::core::projection::{destination, ground_scale, to_lonlat, to_mercator};
use calais_map::core::units::{Bearing, LonLat, Mercator};
use geo::{Distance, Geodesic, LineString};

fn ll(lon: f64, lat: f64) -> LonLat {
    LonLat::new(lon, lat).expect("valid")
}

fn merc(lon: f64, lat: f64) -> Mercator {
    to_mercator(ll(lon, lat))
}

const DEMO_ZONES: &str = include_str!("../public/data/zones.geojson");
const FENCES: &str = include_str!("../public/data/fences.geojson");
const PORTS: &str = include_str!("../public/data/ports.geojson");
const CAMERAS: &str = include_str!("../public/data/cameras.geojson");

fn layer(id: LayerId, text: &str) -> LayerData {
    ingest_layer(id, text, &PropertyNames::default()).expect("layer parses")
}

/// Origin of the metre-level test zones: near the port of Calais.
const O: (f64, f64) = (1.86, 50.96);

/// Ground metres per EPSG:3857 metre at the origin.
fn gs() -> f64 {
    ground_scale(O.1)
}

/// A point `east`, `north` **ground** metres from the origin (EPSG:3857 offset scaled).
fn at_m(east: f64, north: f64) -> Mercator {
    let o = merc(O.0, O.1);
    Mercator {
        x: o.x + east / gs(),
        y: o.y + north / gs(),
    }
}

/// A zone from polygons given in ground metres around the origin.
fn zone_m(id: &str, rules: ZoneRules, polys: &[&[&[(f64, f64)]]]) -> Zone {
    let polys: Vec<Vec<Vec<LonLat>>> = polys
        .iter()
        .map(|rings| {
            rings
                .iter()
                .map(|r| r.iter().map(|&(e, n)| to_lonlat(at_m(e, n))).collect())
                .collect()
        })
        .collect();
    Zone::new(id, None, ZoneKind::Restricted, rules, &polys).expect("valid zone")
}

fn rules() -> ZoneRules {
    ZoneRules::defaults(ZoneKind::Watch)
}

/// Square `[0, s] x [0, s]` ground metres, closed.
fn square(s: f64) -> Vec<(f64, f64)> {
    vec![(0.0, 0.0), (s, 0.0), (s, s), (0.0, s), (0.0, 0.0)]
}

// ------------------------------------------------------------------ zones file

#[test]
fn demo_zones_parse_without_rejections() {
    let set = parse_zones(DEMO_ZONES).expect("FeatureCollection");
    assert!(set.rejected.is_empty(), "{:?}", set.rejected);
    assert_eq!(set.zones.len(), 8);
    let z = |id: &str| set.zones.iter().find(|z| z.id == id).expect(id);
    let terminal = z("eurotunnel-coquelles");
    assert_eq!(terminal.kind, ZoneKind::Restricted);
    assert!(terminal.rules.critical);
    assert_eq!(terminal.rules.dwell_s, Some(120.0));
    let port = z("port-calais");
    assert!(
        port.rules.critical,
        "restricted zones are critical by default"
    );
    assert_eq!(
        port.polygons.0[0].interiors().len(),
        1,
        "the port has a hole"
    );
    assert_eq!(z("beussingue-approach").kind, ZoneKind::Approach);
    assert_eq!(z("beussingue-approach").rules.dwell_s, Some(60.0));
    assert!(!z("beach-wimereux").rules.critical);
    assert_eq!(z("port-dunkirk").polygons.0.len(), 2, "MultiPolygon");
    for id in [
        "beach-sangatte-bleriot",
        "beach-wimereux",
        "beach-gravelines",
        "beach-malo-les-bains",
    ] {
        assert_eq!(z(id).kind, ZoneKind::Watch);
    }
}

#[test]
fn demo_zones_classify_known_places() {
    let set = parse_zones(DEMO_ZONES).expect("parses");
    let index = ZoneIndex::new(&set.zones);
    let ids = |lon: f64, lat: f64| -> Vec<String> {
        let p = merc(lon, lat);
        let fast: Vec<String> = index
            .zones_at(p)
            .into_iter()
            .map(|i| set.zones[i].id.clone())
            .collect();
        let exact: Vec<String> = index
            .zones_at_exact(p)
            .into_iter()
            .map(|i| set.zones[i].id.clone())
            .collect();
        assert_eq!(fast, exact, "grid and exact agree at {lon}, {lat}");
        fast
    };
    // Eurotunnel terminal (ports.csv position) and the middle of the site.
    assert_eq!(ids(1.8120, 50.9280), ["eurotunnel-coquelles"]);
    assert_eq!(ids(1.8100, 50.9300), ["eurotunnel-coquelles"]);
    // Port of Calais ferry berths; the check-in / marshalling area hole is not in the port.
    assert_eq!(ids(1.8650, 50.9660), ["port-calais"]);
    assert!(ids(1.8610, 50.9635).is_empty(), "inside the hole");
    // Beussingue tunnel portal.
    assert_eq!(ids(1.7800, 50.9210), ["beussingue-approach"]);
    // Dunkirk: both parts of the MultiPolygon.
    assert_eq!(ids(2.3620, 51.0470), ["port-dunkirk"]);
    assert_eq!(ids(2.2010, 51.0210), ["port-dunkirk"]);
    // Beaches on the coastline.
    assert_eq!(ids(1.7831, 50.9555), ["beach-sangatte-bleriot"]);
    assert_eq!(ids(1.6065, 50.7720), ["beach-wimereux"]);
    assert_eq!(ids(2.0876, 51.0098), ["beach-gravelines"]);
    assert_eq!(ids(2.4083, 51.0528), ["beach-malo-les-bains"]);
    // Calais town centre, Coquelles village, the open sea: nothing.
    assert!(ids(1.8587, 50.9513).is_empty());
    assert!(ids(1.7990, 50.9470).is_empty());
    assert!(ids(1.6000, 51.0000).is_empty());
}

#[test]
fn invalid_zones_are_reported_and_skipped() {
    let set = parse_zones(include_str!("fixtures/geofence/zones_invalid.geojson"))
        .expect("FeatureCollection");
    let ids: Vec<&str> = set.zones.iter().map(|z| z.id.as_str()).collect();
    assert_eq!(ids, ["ok-a", "17"]);
    let msg = |index: usize| -> String {
        set.rejected
            .iter()
            .find(|e| e.index == index)
            .map(|e| e.to_string())
            .unwrap_or_else(|| panic!("zone {index} not rejected"))
    };
    assert_eq!(
        msg(1),
        "zone \"bowtie\": ring 0 intersects itself near 1.8601, 50.9702"
    );
    assert_eq!(
        msg(2),
        "zone \"unclosed\": ring 0 is not closed (its first and last positions differ)"
    );
    assert_eq!(
        msg(3),
        "zone \"three\": ring 0 has 3 positions (needs at least 4)"
    );
    assert_eq!(
        msg(4),
        "zone \"nan\": ring 0: coordinate is NaN or infinite"
    );
    assert!(msg(5).starts_with("zone 5: missing id"), "{}", msg(5));
    assert_eq!(
        msg(6),
        "zone \"ok-a\": duplicate id (zone 0 has the same id)"
    );
    assert_eq!(
        msg(7),
        "zone \"circle\": unknown geometry type \"Circle\" (expects Polygon or MultiPolygon)"
    );
    assert!(
        msg(8).contains("LineString geometry is not a zone"),
        "{}",
        msg(8)
    );
    assert!(msg(9).contains("out of range"), "{}", msg(9));
    assert!(
        msg(10).starts_with("zone \"badhole\": ring 1 (a hole) lies outside ring 0"),
        "{}",
        msg(10)
    );
    assert_eq!(
        msg(11),
        "zone \"badrule\": property alert_on_enter is a string (expected true or false)"
    );
    assert!(msg(13).contains("dwell_s is -5"), "{}", msg(13));
    assert_eq!(msg(14), "zone \"nogeom\": geometry is null");
    assert_eq!(set.rejected.len(), 13);
    let e = set.rejected.iter().find(|e| e.index == 1).expect("bowtie");
    assert_eq!(e.id.as_deref(), Some("bowtie"));
    // Structured: the ring, and where (the shell words it; `Display` is for logs).
    match &e.problem {
        ZoneProblem::Shape(ShapeError::Polygon {
            polygon: None,
            problem: RingProblem::IntersectsItself { ring: 0, near },
        }) => {
            assert!((near.0.lon - 1.8601).abs() < 1e-4 && (near.0.lat - 50.9702).abs() < 1e-4);
        }
        other => panic!("{other:?}"),
    }

    // The valid ones work: rules as given, the hole of the MultiPolygon is not inside.
    let b = &set.zones[1];
    assert_eq!(b.kind, ZoneKind::Approach);
    assert_eq!(
        b.rules,
        ZoneRules {
            alert_on_enter: true,
            alert_on_exit: false,
            dwell_s: Some(30.0),
            critical: false
        }
    );
    let index = ZoneIndex::new(&set.zones);
    assert_eq!(index.zones_at(merc(1.852, 50.961)), [0]);
    assert_eq!(index.zones_at(merc(1.901, 50.951)), [1]);
    assert!(
        index.zones_at(merc(1.905, 50.953)).is_empty(),
        "in the hole"
    );
    assert_eq!(index.zones_at(merc(1.922, 50.951)), [1], "second polygon");
}

#[test]
fn more_invalid_geometry() {
    let one = |geometry: &str| -> String {
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","id":"z","properties":{{}},"geometry":{geometry}}}]}}"#
        );
        let set = parse_zones(&text).expect("collection");
        assert!(set.zones.is_empty(), "{geometry} accepted");
        set.rejected[0].to_string()
    };
    // A ring touching itself at a vertex (figure of eight).
    let m = one(
        r#"{"type":"Polygon","coordinates":[[[1.80,50.90],[1.82,50.90],[1.81,50.91],[1.80,50.92],[1.82,50.92],[1.81,50.91],[1.80,50.90]]]}"#,
    );
    assert!(
        m.contains("ring 0 intersects itself near 1.8100, 50.9100"),
        "{m}"
    );
    // A spike doubling back on its own edge.
    let m = one(
        r#"{"type":"Polygon","coordinates":[[[1.80,50.90],[1.82,50.90],[1.82,50.92],[1.82,50.91],[1.80,50.90]]]}"#,
    );
    assert!(m.contains("ring 0 doubles back on itself"), "{m}");
    // A hole crossing the exterior.
    let m = one(
        r#"{"type":"Polygon","coordinates":[[[1.80,50.90],[1.82,50.90],[1.82,50.92],[1.80,50.92],[1.80,50.90]],[[1.81,50.91],[1.83,50.91],[1.83,50.915],[1.81,50.91]]]}"#,
    );
    assert!(m.contains("ring 1 crosses ring 0 near"), "{m}");
    // All positions on one line.
    let m = one(
        r#"{"type":"Polygon","coordinates":[[[1.80,50.90],[1.81,50.90],[1.82,50.90],[1.80,50.90]]]}"#,
    );
    assert!(m.contains("ring 0"), "{m}");
    // Too few distinct positions.
    let m = one(
        r#"{"type":"Polygon","coordinates":[[[1.80,50.90],[1.80,50.90],[1.81,50.90],[1.80,50.90]]]}"#,
    );
    assert!(m.contains("fewer than 3 distinct positions"), "{m}");
    // MultiPolygon member errors name the polygon.
    let m = one(
        r#"{"type":"MultiPolygon","coordinates":[[[[1.80,50.90],[1.81,50.90],[1.81,50.91],[1.80,50.90]]],[[[1.8591,50.9692],[1.8611,50.9712],[1.8611,50.9692],[1.8591,50.9712],[1.8591,50.9692]]]]}"#,
    );
    assert_eq!(
        m,
        "zone \"z\": polygon 1 ring 0 intersects itself near 1.8601, 50.9702"
    );
    // Beyond the web-mercator latitude limit, no coordinates, bad types.
    assert!(
        one(r#"{"type":"Polygon","coordinates":[[[1,86],[2,86],[2,87],[1,86]]]}"#)
            .contains("out of range")
    );
    assert!(one(r#"{"type":"Polygon"}"#).contains("no coordinates"));
    assert!(
        one(r#"{"type":"Polygon","coordinates":[[["a",1],[2,1],[2,2],["a",1]]]}"#)
            .contains("a string")
    );
    assert!(one(r#"{"type":"Polygon","coordinates":[]}"#).contains("no rings"));
    assert!(one(r#"{"type":"MultiPolygon","coordinates":[]}"#).contains("no polygons"));
    assert!(one(r#""Polygon""#).contains("expected an object"));
}

#[test]
fn a_hole_touching_the_exterior_at_one_point_is_valid() {
    let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","id":"t","geometry":{"type":"Polygon","coordinates":[[[1.80,50.90],[1.82,50.90],[1.82,50.92],[1.80,50.92],[1.80,50.90]],[[1.80,50.91],[1.81,50.905],[1.81,50.915],[1.80,50.91]]]}}]}"#;
    let set = parse_zones(text).expect("collection");
    assert!(set.rejected.is_empty(), "{:?}", set.rejected);
}

#[test]
fn whole_file_errors() {
    assert!(matches!(
        parse_zones(include_str!("fixtures/geofence/not_json.txt")),
        Err(ZoneFileError::Json(_))
    ));
    // A lone Feature is a zones file of one zone (RFC 7946 §2); this one has no id.
    let one = parse_zones(include_str!("fixtures/geofence/not_collection.geojson")).expect("ok");
    assert_eq!(one.rejected.len(), 1);
    assert_eq!(
        parse_zones(r#"{"type":"Topology"}"#)
            .unwrap_err()
            .to_string(),
        "zones file is not GeoJSON: type is \"Topology\" (expected \"FeatureCollection\", \"Feature\" or a geometry type)"
    );
    assert!(matches!(
        parse_zones("[1,2]"),
        Err(ZoneFileError::NotGeoJson(_))
    ));
    assert!(matches!(
        parse_zones(r#"{"type":"FeatureCollection","features":{}}"#),
        Err(ZoneFileError::NotGeoJson(_))
    ));
    let empty = parse_zones(r#"{"type":"FeatureCollection","features":[]}"#).expect("empty ok");
    assert!(empty.zones.is_empty() && empty.rejected.is_empty());
    // Nothing panics on odd input.
    for text in [
        "",
        "null",
        "{}",
        "\u{feff}",
        "{\"type\":1}",
        "[[[[[[",
        "1e999",
    ] {
        let _ = parse_zones(text);
    }
}

#[test]
fn rule_defaults_and_kinds() {
    assert!(ZoneRules::defaults(ZoneKind::Restricted).critical);
    assert!(!ZoneRules::defaults(ZoneKind::Watch).critical);
    assert_eq!(
        ZoneKind::from_str_lossy(" Restricted "),
        ZoneKind::Restricted
    );
    assert_eq!(ZoneKind::from_str_lossy("pier"), ZoneKind::Other);
    let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","id":"r","properties":{"kind":"restricted","critical":false,"alert_on_enter":null},"geometry":{"type":"Polygon","coordinates":[[[1.80,50.90],[1.81,50.90],[1.81,50.91],[1.80,50.90]]]}}]}"#;
    let set = parse_zones(text).expect("ok");
    let z = &set.zones[0];
    assert!(!z.rules.critical, "explicit critical false wins");
    assert!(z.rules.alert_on_enter, "null is the default");
    assert_eq!(z.name, "r", "name defaults to the id");
}

#[test]
fn zones_to_geojson_round_trips() {
    let zones = synthetic::zones(5, 12, 30);
    let back = parse_zones(&zones_to_geojson(&zones)).expect("parses");
    assert!(back.rejected.is_empty(), "{:?}", back.rejected);
    assert_eq!(back.zones.len(), zones.len());
    for (a, b) in zones.iter().zip(&back.zones) {
        assert_eq!(a.id, b.id);
        assert_eq!(a.kind, b.kind);
        assert_eq!(a.rules, b.rules);
        assert_eq!(a.polygons.0.len(), b.polygons.0.len());
        for (ra, rb) in a
            .polygons
            .iter()
            .flat_map(rings)
            .zip(b.polygons.iter().flat_map(rings))
        {
            assert_eq!(ra.0.len(), rb.0.len());
            for (p, q) in ra.coords().zip(rb.coords()) {
                assert!((p.x - q.x).abs() < 0.02 && (p.y - q.y).abs() < 0.02);
            }
        }
    }
}

// ------------------------------------------------------------------ point in polygon

#[test]
fn boundary_rule_edges_vertices_and_holes_count_as_inside() {
    let shell = square(100.0);
    let hole = vec![
        (40.0, 40.0),
        (40.0, 60.0),
        (60.0, 60.0),
        (60.0, 40.0),
        (40.0, 40.0),
    ];
    let z = zone_m("h", rules(), &[&[&shell, &hole]]);
    let polygon = &z.polygons.0[0];
    let (s, h) = (
        ring_points(polygon.exterior()),
        ring_points(&polygon.interiors()[0]),
    );
    let mid = |a: Mercator, b: Mercator| Mercator {
        x: (a.x + b.x) / 2.0,
        y: (a.y + b.y) / 2.0,
    };
    let inside = |p: Mercator| z.contains(p);
    assert!(inside(at_m(20.0, 20.0)));
    assert!(!inside(at_m(50.0, 50.0)), "in the hole");
    assert!(!inside(at_m(120.0, 50.0)));
    for i in 0..4 {
        assert!(inside(s[i]), "shell vertex {i}");
        assert!(inside(h[i]), "hole vertex {i}");
        assert!(inside(mid(s[i], s[i + 1])), "shell edge {i}");
        assert!(inside(mid(h[i], h[i + 1])), "hole edge {i}");
    }
    // Within 1 mm of an edge is on it; 2 mm outside is outside (EPSG:3857 metres).
    let e = mid(s[0], s[1]); // bottom edge
    assert!(inside(Mercator {
        x: e.x,
        y: e.y - 0.5 * BOUNDARY_EPS_M
    }));
    assert!(!inside(Mercator {
        x: e.x,
        y: e.y - 2.0 * BOUNDARY_EPS_M
    }));
    let he = mid(h[0], h[1]); // hole's west edge
    assert!(inside(Mercator {
        x: he.x + 0.5 * BOUNDARY_EPS_M,
        y: he.y
    }));
    assert!(!inside(Mercator {
        x: he.x + 2.0 * BOUNDARY_EPS_M,
        y: he.y
    }));
    // Non-finite points are outside, never a panic.
    assert!(!inside(Mercator {
        x: f64::NAN,
        y: 0.0
    }));
    // The grid says the same.
    let index = ZoneIndex::new(std::slice::from_ref(&z));
    for p in [
        s[0],
        s[2],
        h[1],
        mid(h[2], h[3]),
        at_m(20.0, 20.0),
        at_m(50.0, 50.0),
    ] {
        assert_eq!(index.zones_at(p), index.zones_at_exact(p), "{p:?}");
    }
    assert!(
        index
            .zones_at(Mercator {
                x: f64::NAN,
                y: f64::INFINITY
            })
            .is_empty()
    );
}

#[test]
fn concave_shapes_and_multipolygons() {
    // A U open to the north: the notch is outside.
    let u = vec![
        (0.0, 0.0),
        (300.0, 0.0),
        (300.0, 300.0),
        (200.0, 300.0),
        (200.0, 100.0),
        (100.0, 100.0),
        (100.0, 300.0),
        (0.0, 300.0),
        (0.0, 0.0),
    ];
    let far = vec![(1000.0, 0.0), (1100.0, 0.0), (1050.0, 80.0), (1000.0, 0.0)];
    let z = zone_m("u", rules(), &[&[&u], &[&far]]);
    let index = ZoneIndex::new(std::slice::from_ref(&z));
    let has = |e: f64, n: f64| !index.zones_at(at_m(e, n)).is_empty();
    assert!(has(50.0, 250.0));
    assert!(has(250.0, 250.0));
    assert!(has(150.0, 50.0));
    assert!(!has(150.0, 200.0), "in the notch");
    assert!(has(150.0, 100.0), "on the notch's floor");
    assert!(has(1050.0, 30.0), "second polygon");
    assert!(!has(600.0, 50.0), "between the polygons");
    // A ray through a vertex at the point's height does not double count.
    assert!(has(50.0, 100.0));
    assert!(!has(-50.0, 100.0));
}

/// A ring's positions as EPSG:3857 points.
fn ring_points(ring: &LineString<f64>) -> Vec<Mercator> {
    ring.coords().map(|c| (*c).into()).collect()
}

/// Winding-number reference with its own edge test (independent of `core::geometry`'s).
fn reference_inside(p: Mercator, polygons: &geo::MultiPolygon<f64>) -> bool {
    polygons.iter().any(|polygon| {
        let mut on_edge = false;
        let mut wn_total = 0i32;
        let mut parity = false;
        for r in rings(polygon).map(ring_points) {
            let mut wn = 0i32;
            for w in r.windows(2) {
                let (a, b) = (w[0], w[1]);
                let (dx, dy) = (b.x - a.x, b.y - a.y);
                let len2 = dx * dx + dy * dy;
                let t = if len2 > 0.0 {
                    (((p.x - a.x) * dx + (p.y - a.y) * dy) / len2).clamp(0.0, 1.0)
                } else {
                    0.0
                };
                let (qx, qy) = (a.x + t * dx - p.x, a.y + t * dy - p.y);
                if qx * qx + qy * qy <= BOUNDARY_EPS_M * BOUNDARY_EPS_M {
                    on_edge = true;
                }
                let cross = dx * (p.y - a.y) - dy * (p.x - a.x);
                if a.y <= p.y {
                    if b.y > p.y && cross > 0.0 {
                        wn += 1;
                    }
                } else if b.y <= p.y && cross < 0.0 {
                    wn -= 1;
                }
            }
            wn_total += wn;
            parity ^= wn != 0;
        }
        let _ = wn_total;
        on_edge || parity
    })
}

#[test]
fn grid_matches_brute_force_on_the_synthetic_benchmark_data() {
    let zones = synthetic::zones(42, 200, 50);
    assert_eq!(zones.len(), 200);
    let points = synthetic::points(7, 10_000, &zones);
    let index = ZoneIndex::new(&zones);
    let c = index.classify_all(&points);
    assert_eq!(c.len(), points.len());
    let mut counts = vec![0u32; zones.len()];
    for (i, p) in points.iter().enumerate() {
        let brute: Vec<u32> = zones
            .iter()
            .enumerate()
            .filter(|(_, z)| z.bounds.expanded(0.01).contains(*p))
            .filter(|(_, z)| reference_inside(*p, &z.polygons))
            .map(|(zi, _)| zi as u32)
            .collect();
        assert_eq!(c.zones_of(i), brute.as_slice(), "point {i} {p:?}");
        for z in brute {
            counts[z as usize] += 1;
        }
    }
    assert_eq!(c.counts, counts);
    assert_eq!(index.count_all(&points), counts);
    assert!(
        counts.iter().sum::<u32>() > 1_000,
        "the data exercises the zones"
    );
    // Points on the zones' vertices and edge midpoints are all inside their zone.
    let mut on: Vec<(Mercator, u32)> = Vec::new();
    for (zi, z) in zones.iter().enumerate().step_by(7) {
        for r in z.polygons.iter().flat_map(rings).map(ring_points) {
            for w in r.windows(2) {
                on.push((w[0], zi as u32));
                on.push((
                    Mercator {
                        x: (w[0].x + w[1].x) / 2.0,
                        y: (w[0].y + w[1].y) / 2.0,
                    },
                    zi as u32,
                ));
            }
        }
    }
    let pts: Vec<Mercator> = on.iter().map(|(p, _)| *p).collect();
    let c = index.classify_all(&pts);
    for (i, (p, z)) in on.iter().enumerate() {
        assert!(c.zones_of(i).contains(z), "{p:?} on zone {z}");
        assert_eq!(
            c.zones_of(i)
                .iter()
                .map(|z| *z as usize)
                .collect::<Vec<_>>(),
            index.zones_at_exact(*p)
        );
    }
}

#[test]
fn grid_cell_sizes_agree() {
    let zones = synthetic::zones(9, 40, 24);
    let points = synthetic::points(3, 5_000, &zones);
    let reference = ZoneIndex::new(&zones).classify_all(&points);
    for cell in [20.0, 75.0, 400.0, 5_000.0] {
        let c = ZoneIndex::with_cell_size(&zones, Some(cell)).classify_all(&points);
        assert_eq!(c, reference, "cell {cell} m");
    }
    // No zones: nothing anywhere, no panic.
    let empty = ZoneIndex::new(&[]);
    assert!(empty.zones_at(merc(1.8, 50.9)).is_empty());
    assert_eq!(empty.classify_all(&points).zones.len(), 0);
}

#[test]
fn synthetic_data_is_deterministic_and_as_specified() {
    let a = synthetic::zones(42, 200, 50);
    let b = synthetic::zones(42, 200, 50);
    assert_eq!(a, b);
    assert_ne!(a, synthetic::zones(43, 200, 50));
    let with_holes = a
        .iter()
        .filter(|z| !z.polygons.0[0].interiors().is_empty())
        .count();
    let multi = a.iter().filter(|z| z.polygons.0.len() > 1).count();
    assert!(with_holes >= 40 && multi >= 10, "{with_holes} {multi}");
    for z in &a {
        let outer = z.polygons.0[0].exterior().0.len() - 1;
        assert_eq!(outer, 50);
        let ll0 = to_lonlat(z.bounds.center());
        assert!((1.5..2.6).contains(&ll0.lon) && (50.8..51.1).contains(&ll0.lat));
        let w = z.bounds.width() * ground_scale(ll0.lat);
        assert!((100.0..3_300.0).contains(&w), "{} m across", w);
    }
    assert_eq!(
        synthetic::points(7, 1000, &a),
        synthetic::points(7, 1000, &a)
    );
}

// ------------------------------------------------------------------ events

fn engine_with(zones: Vec<Zone>) -> Engine {
    Engine::new(zones, EngineConfig::default())
}

fn kinds(events: &[Event]) -> Vec<(EventKind, String)> {
    events.iter().map(|e| (e.kind, e.zone_id.clone())).collect()
}

fn fix(id: &str, east: f64, north: f64, t_s: f64) -> Fix {
    Fix::new(id, at_m(east, north), (t_s * 1000.0) as i64)
}

#[test]
fn enter_and_exit_with_hysteresis() {
    let mut e = engine_with(vec![zone_m("sq", rules(), &[&[&square(200.0)]])]);
    let enter = e.update(&fix("a", 100.0, 100.0, 0.0));
    assert_eq!(kinds(&enter), [(EventKind::Enter, "sq".to_string())]);
    assert_eq!(enter[0].seq, 1);
    assert_eq!(enter[0].incident_id, "a");
    assert_eq!(e.counts(), [1]);
    // Jitter along the east edge, up to 9.5 m out and back in: no flapping.
    let mut t = 1.0;
    for k in 0..40 {
        let east = if k % 2 == 0 {
            209.5
        } else {
            195.0 + (k % 5) as f64
        };
        assert!(e.update(&fix("a", east, 100.0, t)).is_empty(), "jitter {k}");
        t += 1.0;
    }
    assert_eq!(e.memberships("a"), [0]);
    // 11 m out: exit.
    let out = e.update(&fix("a", 211.0, 100.0, t));
    assert_eq!(kinds(&out), [(EventKind::Exit, "sq".to_string())]);
    assert_eq!(e.counts(), [0]);
    // Outside but near (5 m): not a member, no event; on the edge: enter again.
    assert!(e.update(&fix("a", 205.0, 100.0, t + 1.0)).is_empty());
    let again = e.update(&Fix::new(
        "a",
        e.zones()[0].polygons.0[0].exterior().0[1].into(),
        (t as i64 + 2) * 1000,
    ));
    assert_eq!(kinds(&again), [(EventKind::Enter, "sq".to_string())]);
    // A new incident starting outside but within the margin never enters.
    assert!(e.update(&fix("b", -5.0, 50.0, 0.0)).is_empty());
    assert!(e.memberships("b").is_empty());
}

#[test]
fn margin_follows_the_config() {
    let cfg = EngineConfig {
        exit_margin_m: 30.0,
        ..EngineConfig::default()
    };
    let mut e = Engine::new(vec![zone_m("sq", rules(), &[&[&square(200.0)]])], cfg);
    e.update(&fix("a", 100.0, 100.0, 0.0));
    assert!(e.update(&fix("a", 225.0, 100.0, 1.0)).is_empty());
    assert_eq!(e.update(&fix("a", 232.0, 100.0, 2.0)).len(), 1);
}

#[test]
fn inaccurate_fixes_change_nothing() {
    let mut e = engine_with(vec![zone_m("sq", rules(), &[&[&square(200.0)]])]);
    assert!(
        e.update(&fix("a", 100.0, 100.0, 0.0).with_accuracy(150.0))
            .is_empty()
    );
    assert!(e.memberships("a").is_empty());
    assert_eq!(e.counts(), [0]);
    assert!(
        e.update(&fix("a", 100.0, 100.0, 1.0).with_accuracy(f64::NAN))
            .is_empty()
    );
    assert_eq!(
        e.update(&fix("a", 100.0, 100.0, 2.0).with_accuracy(20.0))
            .len(),
        1
    );
    // A far-away inaccurate fix does not make it exit.
    assert!(
        e.update(&fix("a", 900.0, 900.0, 3.0).with_accuracy(500.0))
            .is_empty()
    );
    assert_eq!(e.memberships("a"), [0]);
    // Older than the last accepted fix: ignored.
    assert!(e.update(&fix("a", 900.0, 900.0, 1.0)).is_empty());
    assert_eq!(e.memberships("a"), [0]);
    // No limit configured: accepted.
    let mut e2 = Engine::new(
        vec![zone_m("sq", rules(), &[&[&square(200.0)]])],
        EngineConfig {
            max_accuracy_m: None,
            ..EngineConfig::default()
        },
    );
    assert_eq!(
        e2.update(&fix("a", 1.0, 1.0, 0.0).with_accuracy(5000.0))
            .len(),
        1
    );
}

#[test]
fn dwell_on_tick_and_on_update_once_per_stay() {
    let r = ZoneRules {
        dwell_s: Some(60.0),
        ..rules()
    };
    let mut e = engine_with(vec![zone_m("d", r, &[&[&square(200.0)]])]);
    e.update(&fix("still", 50.0, 50.0, 0.0));
    assert!(e.tick(59_999).is_empty());
    let d = e.tick(60_000);
    assert_eq!(kinds(&d), [(EventKind::Dwell, "d".to_string())]);
    assert_eq!(d[0].time_ms, 60_000);
    assert_eq!(d[0].at, at_m(50.0, 50.0));
    assert!(e.tick(500_000).is_empty(), "once per stay");
    assert!(e.update(&fix("still", 60.0, 50.0, 600.0)).is_empty());
    assert_eq!(e.stay_ms("still", 0, 600_000), Some(600_000));
    // A moving incident gets it from its own update.
    e.update(&fix("mover", 10.0, 10.0, 1000.0));
    assert!(e.update(&fix("mover", 20.0, 10.0, 1030.0)).is_empty());
    let d = e.update(&fix("mover", 30.0, 10.0, 1061.0));
    assert_eq!(kinds(&d), [(EventKind::Dwell, "d".to_string())]);
    assert!(e.tick(2_000_000).is_empty());
    // Leaving and coming back starts a new stay with a new dwell.
    e.update(&fix("mover", 500.0, 10.0, 1100.0));
    e.update(&fix("mover", 30.0, 10.0, 1200.0));
    assert_eq!(
        kinds(&e.tick(1_260_000)),
        [(EventKind::Dwell, "d".to_string())]
    );
    // A dwell due for an incident that left is not raised.
    e.update(&fix("brief", 30.0, 30.0, 2000.0));
    e.update(&fix("brief", 900.0, 30.0, 2010.0));
    assert!(e.tick(3_000_000).is_empty());
}

#[test]
fn crossing_between_two_outside_fixes() {
    let mut e = engine_with(vec![
        zone_m("sq", rules(), &[&[&square(200.0)]]),
        zone_m(
            "far",
            rules(),
            &[&[&[
                (1000.0, 0.0),
                (1100.0, 0.0),
                (1100.0, 100.0),
                (1000.0, 100.0),
                (1000.0, 0.0),
            ]]],
        ),
    ]);
    assert!(e.update(&fix("boat", -100.0, 100.0, 0.0)).is_empty());
    let ev = e.update(&fix("boat", 300.0, 100.0, 10.0));
    assert_eq!(kinds(&ev), [(EventKind::Cross, "sq".to_string())]);
    // Where the path first meets the zone: its west edge.
    let p = ev[0].at;
    let w = at_m(0.0, 100.0);
    assert!(
        (p.x - w.x).abs() < 0.01 && (p.y - w.y).abs() < 0.01,
        "{p:?} {w:?}"
    );
    assert!(e.memberships("boat").is_empty());
    assert_eq!(e.counts(), [0, 0]);
    // A path that misses both zones.
    assert!(e.update(&fix("boat", 300.0, 600.0, 20.0)).is_empty());
    // Through both, in path order.
    e.update(&fix("b2", -100.0, 50.0, 0.0));
    let ev = e.update(&fix("b2", 1200.0, 50.0, 10.0));
    assert_eq!(
        kinds(&ev),
        [
            (EventKind::Cross, "sq".to_string()),
            (EventKind::Cross, "far".to_string())
        ]
    );
    // From inside one zone across another: exit, cross, enter.
    e.update(&fix("c", 100.0, 50.0, 0.0));
    let ev = e.update(&fix("c", 1300.0, 50.0, 5.0));
    assert_eq!(
        kinds(&ev),
        [
            (EventKind::Exit, "sq".to_string()),
            (EventKind::Cross, "far".to_string())
        ]
    );
    // A zone that does not alert on enter does not alert on crossing either.
    let quiet = ZoneRules {
        alert_on_enter: false,
        ..rules()
    };
    let mut e = engine_with(vec![zone_m("q", quiet, &[&[&square(200.0)]])]);
    e.update(&fix("boat", -100.0, 100.0, 0.0));
    assert!(e.update(&fix("boat", 300.0, 100.0, 10.0)).is_empty());
    // ... and its enter is silent, but the incident is counted.
    assert!(e.update(&fix("boat", 100.0, 100.0, 20.0)).is_empty());
    assert_eq!(e.counts(), [1]);
}

#[test]
fn closing_or_removing_ends_memberships_without_exit() {
    let mut e = engine_with(vec![
        zone_m("a", rules(), &[&[&square(200.0)]]),
        zone_m("b", rules(), &[&[&square(100.0)]]),
    ]);
    let ev = e.update(&fix("x", 50.0, 50.0, 0.0));
    assert_eq!(
        kinds(&ev),
        [
            (EventKind::Enter, "a".to_string()),
            (EventKind::Enter, "b".to_string())
        ]
    );
    e.update(&fix("y", 150.0, 150.0, 0.0));
    assert_eq!(e.counts(), [2, 1]);
    let closed = e.update(&fix("x", 50.0, 50.0, 5.0).closed());
    assert_eq!(
        kinds(&closed),
        [
            (EventKind::Ended, "a".to_string()),
            (EventKind::Ended, "b".to_string())
        ]
    );
    assert!(closed.iter().all(|e| !e.kind.is_alert()));
    assert_eq!(e.counts(), [1, 0]);
    assert_eq!(e.tracked(), 1);
    // Reopened: a fresh start.
    assert_eq!(e.update(&fix("x", 50.0, 50.0, 6.0)).len(), 2);
    let removed = e.apply(&Input::Remove {
        id: "y".into(),
        time_ms: 7000,
    });
    assert_eq!(kinds(&removed), [(EventKind::Ended, "a".to_string())]);
    assert_eq!(e.counts(), [1, 1]);
    assert!(e.remove("nobody", 0).is_empty());
    // Closing an unknown incident does nothing.
    assert!(e.update(&fix("z", 0.0, 0.0, 0.0).closed()).is_empty());
}

#[test]
fn critical_flag_and_kind_keys() {
    let mut r = rules();
    r.critical = true;
    let mut e = engine_with(vec![zone_m("c", r, &[&[&square(100.0)]])]);
    let ev = e.update(&fix("x", 50.0, 50.0, 0.0));
    assert!(ev[0].critical);
    for k in EventKind::ALL {
        assert_eq!(EventKind::from_key(k.key()), Some(k));
    }
}

#[test]
fn log_is_bounded() {
    let cfg = EngineConfig {
        log_capacity: 5,
        ..EngineConfig::default()
    };
    let mut e = Engine::new(vec![zone_m("sq", rules(), &[&[&square(100.0)]])], cfg);
    for i in 0..6 {
        e.update(&fix("a", 50.0, 50.0, 2.0 * i as f64));
        e.update(&fix("a", 500.0, 50.0, 2.0 * i as f64 + 1.0));
    }
    let log = e.log();
    assert_eq!(log.len(), 5);
    assert_eq!(log.dropped(), 7);
    let seqs: Vec<u64> = log.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, [8, 9, 10, 11, 12]);
    let mut small = EventLog::new(0);
    assert_eq!(small.capacity(), 1);
    small.push(log.iter().next().cloned().expect("one"));
    assert_eq!(small.len(), 1);
}

/// A deterministic script: incidents walking across the demo zones, ticks, closes.
fn script() -> Vec<Input> {
    let mut rng = synthetic::Rng::new(11);
    let starts = [
        (1.8120, 50.9280),
        (1.8650, 50.9660),
        (1.7800, 50.9210),
        (1.7831, 50.9555),
        (2.3620, 51.0470),
    ];
    let mut out = Vec::new();
    let mut pos: Vec<Mercator> = (0..30)
        .map(|i| {
            let (lon, lat) = starts[i % starts.len()];
            merc(lon, lat)
        })
        .collect();
    for step in 0..120i64 {
        let t = 1_700_000_000_000 + step * 5_000;
        for (i, p) in pos.iter_mut().enumerate() {
            p.x += rng.range(-120.0, 120.0);
            p.y += rng.range(-120.0, 120.0);
            let mut f = Fix::new(format!("inc-{i}"), *p, t + i as i64);
            if rng.unit() < 0.1 {
                f = f.with_accuracy(rng.range(0.0, 300.0));
            }
            if step == 100 && i % 7 == 0 {
                f = f.closed();
            }
            out.push(Input::Fix(f));
        }
        out.push(Input::Tick(t + 4_000));
    }
    out.push(Input::Remove {
        id: "inc-1".into(),
        time_ms: 1_700_000_700_000,
    });
    out
}

#[test]
fn replay_reproduces_the_log() {
    let zones = parse_zones(DEMO_ZONES).expect("demo").zones;
    let inputs = script();
    let mut a = Engine::new(zones.clone(), EngineConfig::default());
    let mut returned: Vec<Event> = Vec::new();
    for i in &inputs {
        returned.extend(a.apply(i));
    }
    let log_a: Vec<Event> = a.log().iter().cloned().collect();
    assert_eq!(returned, log_a, "update results are what the log holds");
    let kinds_seen: std::collections::BTreeSet<EventKind> = log_a.iter().map(|e| e.kind).collect();
    assert!(kinds_seen.contains(&EventKind::Enter) && kinds_seen.contains(&EventKind::Exit));
    assert!(kinds_seen.contains(&EventKind::Dwell) && kinds_seen.contains(&EventKind::Ended));
    // A fresh engine.
    let mut b = Engine::new(zones, EngineConfig::default());
    for i in &inputs {
        b.apply(i);
    }
    assert_eq!(b.log(), a.log());
    assert_eq!(b.counts(), a.counts());
    // The same engine after reset.
    let counts = a.counts().to_vec();
    a.reset();
    assert!(a.log().is_empty() && a.counts().iter().all(|c| *c == 0));
    for i in &inputs {
        a.apply(i);
    }
    assert_eq!(a.log(), b.log());
    assert_eq!(a.counts(), counts.as_slice());
    // Live counts equal a recount of the memberships.
    let mut recount = vec![0u32; a.zones().len()];
    for i in 0..30 {
        for z in a.memberships(&format!("inc-{i}")) {
            recount[z] += 1;
        }
    }
    assert_eq!(a.counts(), recount.as_slice());
    // Time window for playback.
    let t0 = 1_700_000_100_000;
    let t1 = 1_700_000_200_000;
    let w = a.log().between(t0, t1);
    assert!(!w.is_empty());
    assert!(w.iter().all(|e| e.time_ms >= t0 && e.time_ms < t1));
    assert_eq!(
        w.len(),
        a.log()
            .iter()
            .filter(|e| (t0..t1).contains(&e.time_ms))
            .count()
    );
}

#[test]
fn exports_geojson_and_csv() {
    let mut e = engine_with(vec![zone_m("z,\"1\"", rules(), &[&[&square(100.0)]])]);
    e.update(&Fix::new(
        "=cmd|' /C calc'!A0",
        at_m(50.0, 50.0),
        1_717_245_296_789,
    ));
    e.update(&Fix::new("b", at_m(50.0, 50.0), 1_717_245_297_000));
    let gj: serde_json::Value = serde_json::from_str(&e.log().to_geojson()).expect("JSON");
    assert_eq!(gj["type"], "FeatureCollection");
    assert_eq!(gj["dropped"], 0);
    let f = &gj["features"][0];
    assert_eq!(f["id"], 1);
    assert_eq!(f["properties"]["kind"], "enter");
    assert_eq!(f["properties"]["zone_id"], "z,\"1\"");
    assert_eq!(f["properties"]["time"], "2024-06-01T12:34:56.789Z");
    assert_eq!(f["properties"]["time_ms"], 1_717_245_296_789i64);
    let c = f["geometry"]["coordinates"].as_array().expect("coords");
    let p = to_lonlat(at_m(50.0, 50.0));
    assert!((c[0].as_f64().unwrap() - p.lon).abs() < 1e-6);
    assert!((c[1].as_f64().unwrap() - p.lat).abs() < 1e-6);
    let csv = e.log().to_csv();
    let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(
        lines[0],
        "seq,time,time_ms,kind,incident_id,zone_id,lon,lat,critical"
    );
    assert!(
        lines[1].starts_with(
            "1,2024-06-01T12:34:56.789Z,1717245296789,enter,'=cmd|' /C calc'!A0,\"z,\"\"1\"\"\","
        ),
        "{}",
        lines[1]
    );
    assert!(lines[2].ends_with(",false"));
}

#[test]
fn fix_from_an_incident() {
    use calais_map::core::incident::{IncidentNames, parse_incident};
    let text = include_str!("fixtures/incidents/event_small_boat.json");
    let inc = parse_incident(text, &IncidentNames::default()).expect("incident");
    let f = Fix::from_incident(&inc);
    assert_eq!(f.id, inc.id);
    assert_eq!(f.at, inc.at);
    assert_eq!(f.time_ms, inc.updated_at.millis());
    assert_eq!(f.open, inc.is_open());
}

// ------------------------------------------------------------------ zone changes, seeding

/// 2024-06-01T12:00:00Z.
const T0: i64 = 1_717_243_200_000;

fn demo_zones() -> Vec<Zone> {
    parse_zones(DEMO_ZONES).expect("demo").zones
}

fn zone_ix(zones: &[Zone], id: &str) -> usize {
    zones.iter().position(|z| z.id == id).expect(id)
}

fn at_ll(id: &str, lon: f64, lat: f64, t_ms: i64) -> Fix {
    Fix::at_lonlat(id, ll(lon, lat), t_ms)
}

fn kind_ids(events: &[Event]) -> Vec<(EventKind, &str)> {
    events
        .iter()
        .map(|e| (e.kind, e.zone_id.as_str()))
        .collect()
}

/// Everything the engine remembers of its incidents, plus the zone counts.
type State = (Vec<(String, Option<(Mercator, i64)>, Vec<Stay>)>, Vec<u32>);

fn state(e: &Engine) -> State {
    let tracks = e
        .tracked_ids()
        .map(|id| (id.to_string(), e.last_fix(id), e.stays(id)))
        .collect();
    (tracks, e.counts().to_vec())
}

/// An event without its sequence number (engines with different logs number differently).
fn unnumbered(events: &[Event]) -> Vec<Event> {
    events
        .iter()
        .map(|e| Event {
            seq: 0,
            ..e.clone()
        })
        .collect()
}

#[test]
fn editing_one_zone_neither_restarts_nor_re_raises_a_dwell_in_another() {
    let zones = demo_zones();
    let terminal = zone_ix(&zones, "eurotunnel-coquelles");
    let portal = zone_ix(&zones, "beussingue-approach");
    let mut e = Engine::new(zones.clone(), EngineConfig::default());
    // A lorry stops in the Eurotunnel terminal (dwell 120 s); someone walks into the
    // Beussingue portal area (dwell 60 s) 100 s later.
    let ev = e.update(&at_ll("lorry", 1.8120, 50.9280, T0));
    assert_eq!(kind_ids(&ev), [(EventKind::Enter, "eurotunnel-coquelles")]);
    let ev = e.update(&at_ll("walker", 1.7800, 50.9210, T0 + 100_000));
    assert_eq!(kind_ids(&ev), [(EventKind::Enter, "beussingue-approach")]);
    let ev = e.tick(T0 + 120_000);
    assert_eq!(kind_ids(&ev), [(EventKind::Dwell, "eurotunnel-coquelles")]);
    let counts = e.counts().to_vec();
    let logged = e.log().len();

    // The operator reshapes and renames the Sangatte beach zone (and gives it a dwell).
    let mut edited = zones.clone();
    let beach = zone_ix(&edited, "beach-sangatte-bleriot");
    let rect = vec![vec![vec![
        ll(1.775, 50.952),
        ll(1.792, 50.952),
        ll(1.792, 50.959),
        ll(1.775, 50.959),
        ll(1.775, 50.952),
    ]]];
    let rules = ZoneRules {
        dwell_s: Some(30.0),
        ..ZoneRules::defaults(ZoneKind::Watch)
    };
    edited[beach] = Zone::new(
        "beach-sangatte-bleriot",
        Some("Beach, Sangatte (redrawn)".into()),
        ZoneKind::Watch,
        rules,
        &rect,
    )
    .expect("valid");
    e.set_zones(edited, T0 + 130_000);
    assert_eq!(e.log().len(), logged, "a zone change raises nothing");
    assert_eq!(e.counts(), counts.as_slice());
    assert_eq!(
        e.stays("lorry"),
        [Stay {
            zone: terminal,
            since_ms: T0,
            dwell_due_ms: None,
            dwell_raised: true,
        }]
    );
    assert_eq!(e.stay_ms("walker", portal, T0 + 130_000), Some(30_000));
    // The walker's dwell is still due 60 s after it entered, not after the edit; the
    // lorry's is not raised again, by the clock or by its next fix.
    assert!(e.tick(T0 + 159_999).is_empty());
    let ev = e.tick(T0 + 160_000);
    assert_eq!(kind_ids(&ev), [(EventKind::Dwell, "beussingue-approach")]);
    assert!(e.tick(T0 + 3_600_000).is_empty());
    assert!(
        e.update(&at_ll("lorry", 1.8121, 50.9281, T0 + 3_600_000))
            .is_empty()
    );
    assert_eq!(e.memberships("lorry"), [terminal]);
}

#[test]
fn renaming_and_reordering_zones_keeps_memberships() {
    let zones = demo_zones();
    let mut e = Engine::new(zones.clone(), EngineConfig::default());
    let ev = e.update(&at_ll("ferry", 1.8650, 50.9660, T0));
    assert_eq!(kind_ids(&ev), [(EventKind::Enter, "port-calais")]);
    // Renamed, and the list comes back in another order.
    let mut renamed: Vec<Zone> = zones.iter().rev().cloned().collect();
    let port = zone_ix(&renamed, "port-calais");
    renamed[port].name = "Port de Calais".into();
    e.set_zones(renamed, T0 + 5_000);
    assert_eq!(e.zones()[port].name, "Port de Calais");
    assert_eq!(e.memberships("ferry"), [port]);
    assert_eq!(e.stay_ms("ferry", port, T0 + 10_000), Some(10_000));
    let mut want = vec![0; zones.len()];
    want[port] = 1;
    assert_eq!(e.counts(), want.as_slice());
    // No second enter inside; leaving for the open sea is an exit of the renumbered zone.
    assert!(
        e.update(&at_ll("ferry", 1.8655, 50.9662, T0 + 20_000))
            .is_empty()
    );
    let ev = e.update(&at_ll("ferry", 1.6000, 51.0000, T0 + 60_000));
    assert_eq!(kind_ids(&ev), [(EventKind::Exit, "port-calais")]);
    assert_eq!(ev[0].zone, port);
    assert!(ev[0].critical);
}

#[test]
fn deleting_a_zone_ends_its_memberships_without_an_exit() {
    let zones = demo_zones();
    let mut e = Engine::new(zones.clone(), EngineConfig::default());
    e.update(&at_ll("tug", 2.3620, 51.0470, T0)); // Port of Dunkirk (dwell 300 s)
    e.update(&at_ll("ferry", 1.8650, 50.9660, T0)); // Port of Calais
    let logged = e.log().len();
    let without: Vec<Zone> = zones
        .iter()
        .filter(|z| z.id != "port-dunkirk")
        .cloned()
        .collect();
    e.set_zones(without.clone(), T0 + 10_000);
    assert_eq!(e.log().len(), logged);
    assert!(e.memberships("tug").is_empty());
    assert_eq!(
        e.tracked(),
        2,
        "the incident is still tracked, only the zone went"
    );
    assert_eq!(e.memberships("ferry"), [zone_ix(&without, "port-calais")]);
    assert_eq!(e.counts().iter().sum::<u32>(), 1);
    // Its dwell never comes, and leaving is no exit.
    assert!(e.tick(T0 + 3_600_000).is_empty());
    assert!(
        e.update(&at_ll("tug", 2.3000, 51.1000, T0 + 3_600_000))
            .is_empty()
    );
    // The zone is restored while the tug is back inside: a member again, silently, from
    // the change (its dwell counts from then).
    e.update(&at_ll("tug", 2.3620, 51.0470, T0 + 3_700_000));
    let t1 = T0 + 3_800_000;
    e.set_zones(zones.clone(), t1);
    let dunkirk = zone_ix(&zones, "port-dunkirk");
    assert_eq!(e.memberships("tug"), [dunkirk]);
    assert_eq!(
        e.stays("tug"),
        [Stay {
            zone: dunkirk,
            since_ms: t1,
            dwell_due_ms: Some(t1 + 300_000),
            dwell_raised: false,
        }]
    );
    assert_eq!(e.log().len(), logged);
    assert!(e.tick(t1 + 299_999).is_empty());
    assert_eq!(
        kind_ids(&e.tick(t1 + 300_000)),
        [(EventKind::Dwell, "port-dunkirk")]
    );
}

#[test]
fn reshaping_a_zone_ends_or_starts_memberships_silently() {
    let r = ZoneRules {
        dwell_s: Some(60.0),
        ..rules()
    };
    let mut e = engine_with(vec![zone_m("quay", r, &[&[&square(200.0)]])]);
    for (id, east) in [("a", 50.0), ("b", 95.0), ("c", 250.0), ("d", 150.0)] {
        e.update(&fix(id, east, 100.0, 0.0));
    }
    assert_eq!(e.counts(), [3]);
    let logged = e.log().len();
    // Moved 100 m east: a is 50 m outside (ends), b 5 m (within the exit margin: goes on),
    // c now inside (joins as of the change), d inside both (goes on).
    let moved: Vec<(f64, f64)> = square(200.0)
        .into_iter()
        .map(|(x, y)| (x + 100.0, y))
        .collect();
    e.set_zones(vec![zone_m("quay", r, &[&[&moved]])], 30_000);
    assert_eq!(e.log().len(), logged);
    assert!(e.memberships("a").is_empty());
    assert_eq!(e.counts(), [3]);
    let stay = |id: &str| e.stays(id).first().copied();
    assert_eq!(stay("b").map(|s| s.since_ms), Some(0));
    assert_eq!(stay("d").map(|s| s.dwell_due_ms), Some(Some(60_000)));
    assert_eq!(
        stay("c"),
        Some(Stay {
            zone: 0,
            since_ms: 30_000,
            dwell_due_ms: Some(90_000),
            dwell_raised: false,
        })
    );
    // b and d dwell at 60 s, c at 90 s.
    let ev = e.tick(60_000);
    assert_eq!(ev.len(), 2);
    assert!(ev.iter().all(|e| e.kind == EventKind::Dwell));
    assert_eq!(
        e.tick(90_000)
            .iter()
            .map(|e| e.incident_id.as_str())
            .collect::<Vec<_>>(),
        ["c"]
    );
    // Later fixes raise the right events: c moving inside nothing, leaving an exit; a
    // nothing; b, a real member, exits 20 m out.
    assert!(e.update(&fix("c", 260.0, 100.0, 100.0)).is_empty());
    assert_eq!(
        kinds(&e.update(&fix("c", 320.0, 100.0, 101.0))),
        [(EventKind::Exit, "quay".to_string())]
    );
    assert!(e.update(&fix("a", 60.0, 100.0, 100.0)).is_empty());
    assert_eq!(
        kinds(&e.update(&fix("b", 80.0, 100.0, 100.0))),
        [(EventKind::Exit, "quay".to_string())]
    );
}

#[test]
fn a_new_zone_takes_its_members_silently_from_the_change() {
    let mut e = engine_with(vec![zone_m("west", rules(), &[&[&square(100.0)]])]);
    e.update(&fix("x", 50.0, 50.0, 0.0));
    e.update(&fix("y", 550.0, 50.0, 0.0));
    assert_eq!(e.log().len(), 1);
    // The new zone comes first: the old one is renumbered.
    let r = ZoneRules {
        dwell_s: Some(120.0),
        ..rules()
    };
    let east: Vec<(f64, f64)> = square(100.0)
        .into_iter()
        .map(|(x, y)| (x + 500.0, y))
        .collect();
    e.set_zones(
        vec![
            zone_m("east", r, &[&[&east]]),
            zone_m("west", rules(), &[&[&square(100.0)]]),
        ],
        10_000,
    );
    assert_eq!(e.log().len(), 1, "no burst of enter alerts");
    assert_eq!(e.counts(), [1, 1]);
    assert_eq!(e.memberships("x"), [1]);
    assert_eq!(e.memberships("y"), [0]);
    assert_eq!(e.stay_ms("x", 1, 10_000), Some(10_000));
    assert_eq!(e.stay_ms("y", 0, 10_000), Some(0));
    assert!(e.tick(129_999).is_empty());
    assert_eq!(
        kinds(&e.tick(130_000)),
        [(EventKind::Dwell, "east".to_string())]
    );
}

#[test]
fn a_changed_dwell_threshold_counts_from_the_stay_once_per_stay() {
    let with_dwell = |s: Option<f64>| {
        vec![zone_m(
            "d",
            ZoneRules {
                dwell_s: s,
                ..rules()
            },
            &[&[&square(200.0)]],
        )]
    };
    let mut e = engine_with(with_dwell(Some(60.0)));
    e.update(&fix("a", 50.0, 50.0, 0.0));
    e.update(&fix("b", 60.0, 50.0, 30.0));
    assert_eq!(e.tick(60_000).len(), 1, "a dwells");
    // Longer threshold: b is due 300 s after it entered; a already dwelt this stay.
    e.set_zones(with_dwell(Some(300.0)), 70_000);
    assert_eq!(e.stays("b")[0].dwell_due_ms, Some(330_000));
    assert!(e.stays("a")[0].dwell_raised);
    // No threshold, then a short one: b has been inside longer than 20 s, so its dwell is
    // due at once (the next tick); a's is never raised again.
    e.set_zones(with_dwell(None), 80_000);
    assert_eq!(e.stays("b")[0].dwell_due_ms, None);
    assert!(e.tick(200_000).is_empty());
    e.set_zones(with_dwell(Some(20.0)), 210_000);
    let ev = e.tick(210_000);
    assert_eq!(
        ev.iter()
            .map(|e| (e.kind, e.incident_id.as_str()))
            .collect::<Vec<_>>(),
        [(EventKind::Dwell, "b")]
    );
    assert!(e.tick(10_000_000).is_empty());
    assert!(e.update(&fix("a", 51.0, 50.0, 10_000.0)).is_empty());
}

#[test]
fn the_same_zones_again_change_nothing() {
    let zones = demo_zones();
    let inputs = script();
    let half = inputs.len() / 2;
    let mut a = Engine::new(zones.clone(), EngineConfig::default());
    let mut b = Engine::new(zones.clone(), EngineConfig::default());
    for i in &inputs[..half] {
        a.apply(i);
        b.apply(i);
    }
    b.set_zones(zones.clone(), 1_700_000_300_000);
    assert_eq!(state(&a), state(&b));
    for i in &inputs[half..] {
        assert_eq!(a.apply(i), b.apply(i));
    }
    assert_eq!(a.log(), b.log());
}

#[test]
fn seed_all_equals_seeding_each_incident() {
    let zones = demo_zones();
    let inputs = script();
    // Live for the first 10 steps, a snapshot of steps 10..60 (several fixes per incident,
    // inaccurate ones, closes and reopenings), then live again.
    let step = 31; // 30 fixes and a tick per step
    let fixes = |inputs: &[Input]| -> Vec<Fix> {
        inputs
            .iter()
            .filter_map(|i| match i {
                Input::Fix(f) => Some(f.clone()),
                _ => None,
            })
            .collect()
    };
    let live0 = &inputs[..10 * step];
    let mut snapshot = fixes(&inputs[10 * step..60 * step]);
    let t = 1_700_000_000_000 + 300_000;
    snapshot.push(at_ll("inc-3", 1.8651, 50.9661, t).closed());
    snapshot.push(at_ll("inc-4", 1.8651, 50.9661, t).closed());
    snapshot.push(at_ll("inc-4", 1.8651, 50.9661, t + 1));
    snapshot.push(at_ll("new-closed", 1.8651, 50.9661, t).closed());
    snapshot.push(at_ll("new-vague", 1.8651, 50.9661, t).with_accuracy(250.0));
    snapshot.push(at_ll("new-late", 1.8651, 50.9661, t).with_accuracy(250.0));
    snapshot.push(at_ll("new-late", 1.8120, 50.9280, t + 5));
    snapshot.push(at_ll("new-late", 1.8650, 50.9660, t + 2)); // older: ignored
    let live1 = &inputs[60 * step..];
    let run = |how: u8| {
        let mut e = Engine::new(zones.clone(), EngineConfig::default());
        for i in live0 {
            e.apply(i);
        }
        match how {
            0 => e.seed_all(snapshot.iter().cloned()),
            1 => snapshot.iter().for_each(|f| e.seed(f)),
            _ => snapshot.iter().for_each(|f| {
                e.update(f);
            }),
        }
        let seeded = state(&e);
        let logged = e.log().len();
        let later: Vec<Event> = live1.iter().flat_map(|i| e.apply(i)).collect();
        (seeded, logged, later, e)
    };
    let (bulk, bulk_logged, bulk_later, bulk_engine) = run(0);
    let (one, one_logged, one_later, _) = run(1);
    let (upd, upd_logged, upd_later, _) = run(2);
    assert_eq!(bulk, one);
    assert_eq!(bulk, upd);
    assert_eq!(bulk_logged, one_logged, "seeding logs nothing");
    assert!(upd_logged > bulk_logged);
    assert_eq!(bulk_later, one_later);
    assert_eq!(unnumbered(&bulk_later), unnumbered(&upd_later));
    assert!(!bulk_later.is_empty());
    assert_eq!(bulk_engine.last_fix("new-closed"), None);
    assert_eq!(bulk_engine.last_fix("new-vague"), None);
    assert_eq!(
        bulk_engine.last_fix("new-late").map(|(_, t)| t),
        Some(t + 5)
    );
}

#[test]
fn seed_all_keeps_the_rules_and_later_updates_raise_the_right_events() {
    let r = ZoneRules {
        dwell_s: Some(60.0),
        ..rules()
    };
    let zones = vec![
        zone_m("sq", r, &[&[&square(200.0)]]),
        zone_m(
            "far",
            rules(),
            &[&[&[
                (1000.0, 0.0),
                (1100.0, 0.0),
                (1100.0, 100.0),
                (1000.0, 100.0),
                (1000.0, 0.0),
            ]]],
        ),
    ];
    let mut e = engine_with(zones.clone());
    let corner: Mercator = e.zones()[0].polygons.0[0].exterior().0[2].into();
    // 0.9 mm (EPSG:3857) east of the east edge.
    let edge = Mercator {
        x: corner.x + 0.9 * BOUNDARY_EPS_M,
        y: at_m(0.0, 100.0).y,
    };
    e.seed_all([
        fix("inside", 100.0, 100.0, 0.0),
        Fix::new("vertex", corner, 0),
        Fix::new("edge", edge, 0),
        fix("band", 205.0, 100.0, 0.0),
        fix("vague", 100.0, 100.0, 0.0).with_accuracy(150.0),
        fix("closed", 100.0, 100.0, 0.0).closed(),
        fix("boat", -100.0, 50.0, 0.0),
    ]);
    assert!(e.log().is_empty());
    assert_eq!(e.memberships("inside"), [0]);
    assert_eq!(e.memberships("vertex"), [0], "a vertex is inside");
    assert_eq!(
        e.memberships("edge"),
        [0],
        "within 1 mm of an edge is inside"
    );
    assert!(
        e.memberships("band").is_empty(),
        "the margin only keeps members"
    );
    assert_eq!(
        e.tracked(),
        5,
        "the inaccurate and the closed fix are not tracked"
    );
    assert_eq!(e.counts(), [3, 0]);
    // Dwell from the seeded fix's time; hysteresis; crossing from the seeded position.
    assert_eq!(e.tick(60_000).len(), 3);
    assert!(e.update(&fix("inside", 209.0, 100.0, 61.0)).is_empty());
    assert_eq!(
        kinds(&e.update(&fix("inside", 211.0, 100.0, 62.0))),
        [(EventKind::Exit, "sq".to_string())]
    );
    assert_eq!(
        kinds(&e.update(&fix("boat", 1200.0, 50.0, 10.0))),
        [
            (EventKind::Cross, "sq".to_string()),
            (EventKind::Cross, "far".to_string())
        ]
    );
    assert_eq!(
        kinds(&e.update(&fix("band", 100.0, 100.0, 10.0))),
        [(EventKind::Enter, "sq".to_string())]
    );
    assert!(e.update(&fix("vague", 100.0, 100.0, 10.0)).len() == 1);
    // At the end of time a dwell threshold saturates and is due by the fix itself: marked
    // raised, silently, by either path.
    let last = Fix::new("t", at_m(100.0, 100.0), i64::MAX);
    let mut a = engine_with(zones.clone());
    a.seed_all([last.clone()]);
    let mut b = engine_with(zones);
    b.seed(&last);
    assert_eq!(state(&a), state(&b));
    assert!(a.stays("t")[0].dwell_raised);
    assert!(a.log().is_empty());
}

// ------------------------------------------------------------------ distances

fn geodesic(a: LonLat, b: LonLat) -> f64 {
    Geodesic.distance(geo::Point::new(a.lon, a.lat), geo::Point::new(b.lon, b.lat))
}

#[test]
fn ground_distance_agrees_with_the_geodesic() {
    let pairs = [
        ((1.8650, 50.9660), (1.8120, 50.9280)), // Calais port to Coquelles
        ((1.8650, 50.9660), (1.3330, 51.1265)), // Calais to Dover
        ((1.3330, 51.1265), (1.3340, 51.1270)), // 100 m at Dover
        ((1.7800, 50.9210), (2.3620, 51.0470)), // Beussingue to Dunkirk
        ((1.8600, 50.9600), (1.8600, 50.9601)), // 11 m north
    ];
    for ((a0, a1), (b0, b1)) in pairs {
        let (a, b) = (ll(a0, a1), ll(b0, b1));
        let ours = ground_distance_m(a, b);
        let reference = geodesic(a, b);
        assert!(
            (ours - reference).abs() <= 0.0005 * reference,
            "{a:?} {b:?}: {ours} vs {reference}"
        );
    }
}

#[test]
fn nearest_fence_and_port_are_right_to_half_a_percent() {
    let fences = layer(LayerId::Fences, FENCES);
    let ports = layer(LayerId::Ports, PORTS);
    let prox = Proximity::new(&fences, &ports);
    let (segs, pts) = prox.sizes();
    assert!(segs > 100 && pts == 18, "{segs} {pts}");
    let queries = [
        (1.8120, 50.9280), // inside the terminal
        (1.8000, 50.9100), // south of the terminal
        (1.8650, 50.9660), // the port's berths
        (1.9000, 50.9900), // at sea off Calais
        (1.7440, 50.9500), // Sangatte beach
        (1.3330, 51.1200), // Dover
        (1.2000, 51.0500), // off Folkestone
        (2.2000, 51.0200), // Loon-Plage
        (1.8300, 50.9245), // near fence T-05
    ];
    for (lon, lat) in queries {
        let p = merc(lon, lat);
        let q = ll(lon, lat);
        // Ports: against the geodesic to every port.
        let near = prox.nearest_port(p).expect("a port");
        let (best_id, best) = ports
            .features
            .iter()
            .filter_map(|f| match f.shapes.first() {
                Some(calais_map::core::model::Shape::Point(m)) => {
                    Some((f.id.clone(), geodesic(q, to_lonlat((*m).into()))))
                }
                _ => None,
            })
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .expect("ports");
        assert!(
            (near.distance_m - best).abs() <= 0.005 * best + 0.01,
            "{lon},{lat}: port {} vs {best}",
            near.distance_m
        );
        assert_eq!(near.id, best_id);
        // Fences: our distance is the geodesic distance to the point we report, and no
        // segment comes closer (by more than 0.5 %).
        let f = prox.nearest_fence(p).expect("a fence");
        let to_at = geodesic(q, to_lonlat(f.at));
        assert!(
            (f.distance_m - to_at).abs() <= 0.005 * to_at.max(1.0),
            "{lon},{lat}: fence {} vs {to_at}",
            f.distance_m
        );
        for feat in &fences.features {
            for shape in &feat.shapes {
                let lines: Vec<Vec<Mercator>> = shape
                    .paths()
                    .map(|l| l.coords().map(|c| Mercator::from(*c)).collect())
                    .collect();
                for l in lines {
                    for w in l.windows(2) {
                        // Closest point on the segment by dense sampling (1 m steps).
                        let len = distance_m(to_lonlat(w[0]), to_lonlat(w[1]));
                        let n = (len.ceil() as usize).max(1);
                        let d = (0..=n)
                            .map(|k| {
                                let t = k as f64 / n as f64;
                                let m = Mercator {
                                    x: w[0].x + t * (w[1].x - w[0].x),
                                    y: w[0].y + t * (w[1].y - w[0].y),
                                };
                                distance_m(q, to_lonlat(m))
                            })
                            .fold(f64::INFINITY, f64::min);
                        assert!(
                            d >= f.distance_m * 0.995 - 1.0,
                            "{lon},{lat}: {} is nearer ({d}) than {} ({})",
                            feat.id,
                            f.id,
                            f.distance_m
                        );
                    }
                }
            }
        }
    }
    // Inside the terminal, the nearest fence is a terminal fence; at Dover the port is Dover.
    assert!(
        prox.nearest_fence(merc(1.8120, 50.9280))
            .unwrap()
            .id
            .starts_with("fence-T-")
    );
    assert_eq!(
        prox.nearest_port(merc(1.3330, 51.1200)).unwrap().id,
        "port-port-of-dover-eastern-docks"
    );
    // Nothing to find, or a bad point: None.
    let none = Proximity::new(
        &LayerData::empty(LayerId::Fences),
        &LayerData::empty(LayerId::Ports),
    );
    assert!(none.nearest_fence(merc(1.8, 50.9)).is_none());
    assert!(
        prox.nearest_port(Mercator {
            x: f64::NAN,
            y: 0.0
        })
        .is_none()
    );
}

// ------------------------------------------------------------------ cameras

fn brg(d: f64) -> Bearing {
    Bearing::new(d).expect("finite")
}

#[test]
fn sector_edges_are_inclusive() {
    let cam = ll(1.86, 50.96);
    let p = |east: f64, north: f64| {
        // Along the geodesic (WGS84) at bearing atan2(east, north), as the sector test
        // measures it.
        destination(cam, brg(east.atan2(north).to_degrees()), east.hypot(north))
    };
    // Looking north, 90 degrees, 100 m.
    let sees = |q: LonLat| sector_contains(cam, brg(0.0), 90.0, 100.0, q);
    assert!(sees(cam), "the apex");
    assert!(sees(p(0.0, 100.0)), "exactly at range");
    assert!(!sees(p(0.0, 100.1)));
    let s = std::f64::consts::FRAC_1_SQRT_2;
    assert!(sees(p(50.0 * s, 50.0 * s)), "on the side ray");
    assert!(!sees(p(51.0 * s, 49.0 * s)));
    assert!(!sees(p(0.0, -10.0)), "behind");
    // Across north: bearing 350, fov 40 sees 10 degrees east of north.
    assert!(sector_contains(cam, brg(350.0), 40.0, 100.0, p(10.0, 80.0)));
    // A dome sees all around; bad parameters see nothing.
    assert!(sector_contains(cam, brg(0.0), 360.0, 100.0, p(0.0, -99.0)));
    assert!(!sector_contains(cam, brg(0.0), f64::NAN, 100.0, cam));
    assert!(!sector_contains(cam, brg(0.0), 90.0, 0.0, cam));
}

#[test]
fn demo_cameras_cover_their_own_ground() {
    let cams = layer(LayerId::Cameras, CAMERAS);
    let cov = CameraCoverage::new(&cams);
    assert_eq!(cov.len(), 79);
    for (i, f) in cams.features.iter().enumerate() {
        let calais_map::core::model::FeatureKind::Camera(c) = &f.kind else {
            continue;
        };
        let pos = to_mercator(c.position);
        assert!(
            cov.covering(pos).contains(&i),
            "{} at its own position",
            f.id
        );
        // A point half the range along the bearing is seen by it; one behind (if not a
        // dome) past the range is not.
        let ahead =
            calais_map::core::projection::destination(c.position, c.bearing, c.range_m / 2.0);
        assert!(cov.covers(i, to_mercator(ahead)), "{}", f.id);
        let behind =
            calais_map::core::projection::destination(c.position, c.bearing, c.range_m * 1.1);
        assert!(!cov.covers(i, to_mercator(behind)), "{}", f.id);
        assert_eq!(cov.camera_id(i), Some(f.id.as_str()));
    }
}

/// A fences layer with one fence along the given positions (degrees).
fn fence_layer(lines: &[&[(f64, f64)]]) -> LayerData {
    let feats: Vec<String> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let coords: Vec<String> = l.iter().map(|(x, y)| format!("[{x},{y}]")).collect();
            format!(
                r#"{{"type":"Feature","id":"f{i}","properties":{{"kind":"fence"}},"geometry":{{"type":"LineString","coordinates":[{}]}}}}"#,
                coords.join(",")
            )
        })
        .collect();
    layer(
        LayerId::Fences,
        &format!(
            r#"{{"type":"FeatureCollection","features":[{}]}}"#,
            feats.join(",")
        ),
    )
}

fn camera(position: LonLat, bearing: f64, fov_deg: f64, range_m: f64) -> Camera {
    Camera {
        position,
        bearing: brg(bearing),
        fov_deg,
        range_m,
        sector: geo::Polygon::new(geo::LineString::new(Vec::new()), Vec::new()),
    }
}

#[test]
fn coverage_gap_on_a_straight_kilometre() {
    // A 1 km east-west fence at lat 50.95: west end at lon 1.80.
    let lat: f64 = 50.95;
    // Ground metres along the parallel and the meridian on WGS84.
    let (m_lat, m_lon) = metres_per_radian(lat);
    let dlon = |m: f64| (m / m_lon).to_degrees();
    let dlat = |m: f64| (m / m_lat).to_degrees();
    let fences = fence_layer(&[&[(1.80, lat), (1.80 + dlon(1000.0), lat)]]);
    let mid = 1.80 + dlon(500.0);
    let spacing = 10.0;

    // No camera: all of it.
    let none = CameraCoverage::from_cameras(Vec::new());
    let g = none.gaps(&fences, spacing);
    assert!((g.fence_m - 1000.0).abs() < 1.0, "{}", g.fence_m);
    assert!((g.uncovered_m - g.fence_m).abs() < 1e-6);
    assert_eq!(g.gaps.len(), 1);

    // A camera 200 m south of the middle looking north with 90 degrees and 300 m range sees
    // exactly the middle 400 m: 600 m uncovered in two gaps of 300 m.
    let cam = CameraCoverage::from_cameras(vec![(
        "c".to_string(),
        camera(ll(mid, lat - dlat(200.0)), 0.0, 90.0, 300.0),
    )]);
    let g = cam.gaps(&fences, spacing);
    assert!(
        (g.uncovered_m - 600.0).abs() <= spacing,
        "{}",
        g.uncovered_m
    );
    assert!(
        (g.uncovered_m - 600.0).abs() <= 1.0,
        "bisection makes it sharp: {}",
        g.uncovered_m
    );
    assert_eq!(g.gaps.len(), 2);
    for gap in &g.gaps {
        assert_eq!(gap.fence_id, "f0");
        assert!((gap.length_m - 300.0).abs() <= 1.0, "{}", gap.length_m);
    }
    // The first gap ends 300 m from the west end.
    let end = to_lonlat(*g.gaps[0].path.last().expect("end"));
    assert!((distance_m(ll(1.80, lat), end) - 300.0).abs() < 1.0);

    // A dome on the fence at the middle with 200 m range: the same 600 m.
    let dome = CameraCoverage::from_cameras(vec![(
        "d".to_string(),
        camera(ll(mid, lat), 0.0, 360.0, 200.0),
    )]);
    let g = dome.gaps(&fences, spacing);
    assert!((g.uncovered_m - 600.0).abs() <= 1.0, "{}", g.uncovered_m);

    // Two domes at the ends covering 150 m each: one gap of 700 m in the middle.
    let ends = CameraCoverage::from_cameras(vec![
        ("w".to_string(), camera(ll(1.80, lat), 0.0, 360.0, 150.0)),
        (
            "e".to_string(),
            camera(ll(1.80 + dlon(1000.0), lat), 0.0, 360.0, 150.0),
        ),
    ]);
    let g = ends.gaps(&fences, 25.0);
    assert_eq!(g.gaps.len(), 1);
    assert!((g.uncovered_m - 700.0).abs() <= 1.0, "{}", g.uncovered_m);
    // Fully covered: no gap.
    let all = CameraCoverage::from_cameras(vec![(
        "big".to_string(),
        camera(ll(mid, lat), 0.0, 360.0, 800.0),
    )]);
    let g = all.gaps(&fences, spacing);
    assert!(g.gaps.is_empty() && g.uncovered_m == 0.0);
}

#[test]
fn coverage_gap_runs_through_a_ring_start_and_across_vertices() {
    // A closed fence ring (square 400 m) with a dome at the middle of its east side covering
    // 100 m of it: one gap of 1,500 m, joined across the ring's first vertex.
    let lat: f64 = 50.95;
    // Ground metres along the parallel and the meridian on WGS84.
    let (m_lat, m_lon) = metres_per_radian(lat);
    let dlon = |m: f64| (m / m_lon).to_degrees();
    let dlat = |m: f64| (m / m_lat).to_degrees();
    let (x0, y0) = (1.80, lat);
    let (x1, y1) = (1.80 + dlon(400.0), lat + dlat(400.0));
    let fences = layer(
        LayerId::Fences,
        &format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","id":"ring","properties":{{"kind":"fence"}},"geometry":{{"type":"Polygon","coordinates":[[[{x0},{y0}],[{x1},{y0}],[{x1},{y1}],[{x0},{y1}],[{x0},{y0}]]]}}}}]}}"#
        ),
    );
    let cov = CameraCoverage::from_cameras(vec![(
        "d".to_string(),
        camera(ll(x1, (y0 + y1) / 2.0), 0.0, 360.0, 50.0),
    )]);
    let g = cov.gaps(&fences, 5.0);
    assert!((g.fence_m - 1600.0).abs() < 2.0, "{}", g.fence_m);
    assert_eq!(
        g.gaps.len(),
        1,
        "{:?}",
        g.gaps.iter().map(|g| g.length_m).collect::<Vec<_>>()
    );
    assert!((g.uncovered_m - 1500.0).abs() <= 2.0, "{}", g.uncovered_m);
    // The gap's path goes round the three other corners.
    assert!(g.gaps[0].path.len() >= 5);
}

#[test]
fn demo_fence_coverage_is_reported() {
    let fences = layer(LayerId::Fences, FENCES);
    let cams = layer(LayerId::Cameras, CAMERAS);
    let cov = CameraCoverage::new(&cams);
    let g = cov.gaps(&fences, 20.0);
    assert!(g.fence_m > 10_000.0, "{}", g.fence_m);
    assert!(g.uncovered_m >= 0.0 && g.uncovered_m < g.fence_m);
    let sum: f64 = g.gaps.iter().map(|x| x.length_m).sum();
    assert!((sum - g.uncovered_m).abs() < 1e-6);
    // Every gap's midpoint sample is really uncovered.
    for gap in &g.gaps {
        if let Some(p) = gap.path.get(gap.path.len() / 2)
            && gap.length_m > 50.0
            && gap.path.len() > 2
        {
            assert!(cov.covering(*p).is_empty(), "{} {p:?}", gap.fence_id);
        }
    }
}

/// The zone index's grid is capped (issue 15, item 6): a cell asked for far too small for the
/// zones' extent (or zones spread over the whole region) grows until the grid has at most
/// `MAX_GRID_CELLS` cells, and classification still agrees with the exact test.
#[test]
fn the_zone_grid_never_passes_its_cell_cap() {
    use calais_map::core::geofence::index::MAX_GRID_CELLS;
    let zones = synthetic::zones(15, 60, 20);
    for cell in [Some(0.001), Some(0.1), Some(1.0), None] {
        let index = ZoneIndex::with_cell_size(&zones, cell);
        let (cell_m, nx, ny) = index.grid_shape();
        assert!(
            nx * ny <= MAX_GRID_CELLS,
            "{nx} x {ny} cells of {cell_m} m for {cell:?}"
        );
        let b = zones[0].bounds;
        let p = Mercator {
            x: (b.min_x + b.max_x) / 2.0,
            y: (b.min_y + b.max_y) / 2.0,
        };
        assert_eq!(index.zones_at(p), index.zones_at_exact(p), "{cell:?}");
    }
}
