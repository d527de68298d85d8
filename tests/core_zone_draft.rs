//! Zones drawn by operators (`core::geofence::draft` and `core::geofence::drawn`): drawing,
//! undo, moving and inserting vertices, hit tests in CSS px through a viewport, validation
//! with the loaded zones' rules, the saved text (round trip through the zones reader), corrupt
//! storage, imports with good and bad zones, id collisions, and the combined list the engine
//! classifies against. Positions are real places around Calais and Coquelles.

use calais_map::core::geofence::draft::{MAX_VERTICES, canonical};
use calais_map::core::geofence::drawn::{slug, unique_id};
use calais_map::core::geofence::{
    Draft, DraftError, Engine, EngineConfig, Fix, Handle, Origin, TapOutcome, Zone, ZoneForm,
    ZoneKind, ZoneRules, combine, import, new_zone_id, parse_dwell, parse_zones, restore,
    zones_to_geojson,
};
use calais_map::core::geometry::rings;
use calais_map::core::projection::{to_lonlat, to_mercator};
use calais_map::core::units::{LonLat, Zoom};
use calais_map::core::viewport::Viewport;
use calais_map::web::strings::{Lang, problems};
use std::collections::BTreeSet;

fn ll(lon: f64, lat: f64) -> LonLat {
    LonLat::new(lon, lat).expect("valid position")
}

/// Calais town hall (Hôtel de ville), roughly.
const CALAIS: (f64, f64) = (1.8536, 50.9513);
/// The Eurotunnel terminal at Coquelles, roughly.
const COQUELLES: (f64, f64) = (1.8100, 50.9280);

/// A square of half-size `d` degrees around `c`, anticlockwise from the south-west corner.
fn square(c: (f64, f64), d: f64) -> Vec<LonLat> {
    vec![
        ll(c.0 - d, c.1 - d),
        ll(c.0 + d, c.1 - d),
        ll(c.0 + d, c.1 + d),
        ll(c.0 - d, c.1 + d),
    ]
}

fn drawn(points: &[LonLat]) -> Draft {
    let mut d = Draft::new();
    for p in points {
        d.push(*p).expect("vertex accepted");
    }
    d
}

fn form(name: &str, kind: ZoneKind) -> ZoneForm {
    ZoneForm {
        name: name.to_string(),
        ..ZoneForm::new(kind)
    }
}

fn inside(zone: &Zone, p: (f64, f64)) -> bool {
    zone.contains(to_mercator(ll(p.0, p.1)))
}

/// A 1200 x 800 CSS px map at zoom 15 centred on `c`, device pixel ratio 2.
fn view_at(c: (f64, f64)) -> Viewport {
    Viewport::new(
        to_mercator(ll(c.0, c.1)),
        Zoom::new(15.0).expect("zoom"),
        1200.0,
        800.0,
        2.0,
    )
}

#[test]
fn a_square_drawn_around_calais_town_hall_becomes_a_zone_that_holds_it() {
    let mut d = Draft::new();
    assert!(!d.can_close());
    for (i, p) in square(CALAIS, 0.002).into_iter().enumerate() {
        assert_eq!(d.push(p), Ok(i));
        assert_eq!(d.can_close(), i >= 2, "closable from the 3rd point");
    }
    assert_eq!(d.ring().len(), 5, "closed ring repeats the first vertex");
    assert_eq!(d.ring().first(), d.ring().last());
    assert_eq!(d.check(), Ok(()));
    let z = d
        .to_zone(
            "drawn-calais-centre",
            &form("  Calais centre  ", ZoneKind::Restricted),
        )
        .expect("valid zone");
    assert_eq!(z.id, "drawn-calais-centre");
    assert_eq!(z.name, "Calais centre", "the name is trimmed");
    assert_eq!(z.kind, ZoneKind::Restricted);
    assert!(z.rules.critical, "restricted zones default to critical");
    assert!(inside(&z, CALAIS));
    assert!(!inside(&z, COQUELLES));
    assert_eq!(z.edge_count(), 4);

    // The engine over it counts an incident at the town hall.
    let mut e = Engine::new(vec![z], EngineConfig::default());
    e.update(&Fix::at_lonlat("i1", ll(CALAIS.0, CALAIS.1), 1_000));
    assert_eq!(e.counts(), &[1]);
}

#[test]
fn bad_points_are_refused_and_leave_the_draft_as_it_was() {
    let mut d = drawn(&square(COQUELLES, 0.003)[..2]);
    let before = d.clone();
    for bad in [
        LonLat {
            lon: f64::NAN,
            lat: 50.9,
        },
        LonLat {
            lon: 1.8,
            lat: f64::INFINITY,
        },
        LonLat {
            lon: 181.0,
            lat: 50.9,
        },
        LonLat {
            lon: 1.8,
            lat: 89.0,
        }, // beyond the Web Mercator limit
    ] {
        assert_eq!(d.push(bad), Err(DraftError::BadPoint), "{bad:?}");
        assert_eq!(d.move_vertex(0, bad), Err(DraftError::BadPoint));
        assert_eq!(d.insert_after(0, bad), Err(DraftError::BadPoint));
    }
    let last = *d.vertices().last().expect("two vertices");
    assert_eq!(d.push(last), Err(DraftError::Duplicate), "same point twice");
    assert_eq!(
        d.move_vertex(7, ll(1.8, 50.9)),
        Err(DraftError::NoSuchVertex(7))
    );
    assert_eq!(
        d.insert_after(7, ll(1.8, 50.9)),
        Err(DraftError::NoSuchVertex(7))
    );
    assert_eq!(d, before);
    assert!(
        Draft::from_vertices(&[
            ll(1.8, 50.9),
            LonLat {
                lon: f64::NAN,
                lat: 0.0
            }
        ])
        .is_err(),
        "a NaN vertex never gets in"
    );
}

#[test]
fn undo_removes_the_last_point_and_three_distinct_points_are_needed() {
    let sq = square(COQUELLES, 0.003);
    let mut d = drawn(&sq[..3]);
    assert!(d.can_close());
    assert_eq!(d.undo(), Some(sq[2]));
    assert!(!d.can_close());
    assert_eq!(d.len(), 2);
    // A third point equal to the first is not a third distinct point.
    d.push(sq[0]).expect("not the same as the last");
    assert_eq!(d.distinct_count(), 2);
    assert!(!d.can_close());
    assert_eq!(
        d.to_zone("x", &form("Two points", ZoneKind::Watch)),
        Err(DraftError::TooFew(2))
    );
    d.undo();
    d.undo();
    d.undo();
    assert_eq!(d.undo(), None, "undo on an empty draft does nothing");
    assert!(d.is_empty());
    assert_eq!(d.ring(), Vec::<LonLat>::new());
}

#[test]
fn a_self_intersecting_outline_says_the_edges_cross_and_where() {
    // A bow tie over the Coquelles terminal: the 2nd and 4th edges cross at its centre.
    let (x, y) = COQUELLES;
    let d = drawn(&[
        ll(x - 0.004, y - 0.002),
        ll(x + 0.004, y + 0.002),
        ll(x + 0.004, y - 0.002),
        ll(x - 0.004, y + 0.002),
    ]);
    assert!(d.can_close(), "four distinct points");
    let m = d.crossing().expect("edges cross");
    let at = to_lonlat(m);
    assert!(
        (at.lon - x).abs() < 1e-6 && (at.lat - y).abs() < 1e-6,
        "{at:?}"
    );
    let err = d
        .to_zone("bow", &form("Bow tie", ZoneKind::Watch))
        .expect_err("invalid");
    match &err {
        DraftError::EdgesCross(near) => assert_eq!(near.to_string(), format!("{x:.4}, {y:.4}")),
        other => panic!("{other:?}"),
    }
    assert!(
        err.to_string()
            .starts_with("edges cross near 1.8100, 50.9280"),
        "{err}"
    );
    // Swapping the 2nd and 3rd points mends it (south-west, south-east, north-east, north-west).
    let mut fixed = d.clone();
    let (p1, p2) = (fixed.vertices()[1], fixed.vertices()[2]);
    fixed.move_vertex(1, p2).expect("move");
    fixed.move_vertex(2, p1).expect("move");
    assert_eq!(fixed.crossing(), None);
    assert!(
        fixed
            .to_zone("bow", &form("Bow tie", ZoneKind::Watch))
            .is_ok()
    );
}

#[test]
fn collinear_points_are_not_a_zone() {
    let (x, y) = CALAIS;
    let d = drawn(&[ll(x, y), ll(x + 0.001, y), ll(x + 0.002, y)]);
    assert!(d.can_close());
    let err = d.check().expect_err("no area");
    assert!(
        matches!(err, DraftError::EdgesCross(_) | DraftError::Invalid(_)),
        "{err:?}"
    );
}

#[test]
fn the_form_needs_a_name_and_a_sane_dwell_time() {
    let d = drawn(&square(CALAIS, 0.002));
    for name in ["", "   ", "\t\n"] {
        assert_eq!(
            d.to_zone("x", &form(name, ZoneKind::Watch)),
            Err(DraftError::EmptyName),
            "{name:?}"
        );
    }
    let long = "x".repeat(121);
    assert_eq!(
        d.to_zone("x", &form(&long, ZoneKind::Watch)),
        Err(DraftError::NameTooLong)
    );
    // Text that looks like markup is just a name (the UI renders it as text).
    let z = d
        .to_zone(
            "x",
            &form("<img src=x onerror=alert(1)>", ZoneKind::Approach),
        )
        .expect("any text is a name");
    assert_eq!(z.name, "<img src=x onerror=alert(1)>");

    assert_eq!(parse_dwell(""), Ok(None));
    assert_eq!(parse_dwell("  "), Ok(None));
    assert_eq!(parse_dwell("90"), Ok(Some(90.0)));
    assert_eq!(parse_dwell(" 30.5 "), Ok(Some(30.5)));
    for bad in ["abc", "-5", "0", "0.5", "NaN", "inf", "1e9", "90s"] {
        assert!(
            matches!(parse_dwell(bad), Err(DraftError::BadDwell(_))),
            "{bad}"
        );
    }
    let mut f = form("Dwell", ZoneKind::Watch);
    f.dwell_s = Some(f64::NAN);
    assert!(matches!(d.to_zone("x", &f), Err(DraftError::BadDwell(_))));
    f.dwell_s = Some(120.0);
    f.alert_on_exit = false;
    let z = d.to_zone("x", &f).expect("valid");
    assert_eq!(z.rules.dwell_s, Some(120.0));
    assert!(!z.rules.alert_on_exit);
    assert!(z.rules.alert_on_enter);
}

#[test]
fn handles_are_hit_in_css_px_through_the_viewport() {
    let view = view_at(CALAIS);
    let sq = square(CALAIS, 0.002);
    let d = drawn(&sq);
    let px = |p: LonLat| view.world_to_screen(to_mercator(p));
    let (x0, y0) = px(sq[0]);
    let (x2, y2) = px(sq[2]);
    // At zoom 15, 0.004° of longitude is about 93 CSS px.
    assert!((x2 - x0 - 93.2).abs() < 0.5, "{}", x2 - x0);
    assert_eq!(d.vertex_at(&view, x0 + 5.0, y0 - 5.0, 10.0), Some(0));
    assert_eq!(d.vertex_at(&view, x0 + 12.0, y0, 10.0), None);
    assert_eq!(d.vertex_at(&view, x2, y2, 10.0), Some(2));
    assert_eq!(d.vertex_at(&view, f64::NAN, y2, 10.0), None);
    // The middle of the first edge (south side).
    let (mx, my) = view.world_to_screen(d.midpoint(0).expect("edge"));
    assert!((my - y0).abs() < 1e-6 && (mx - (x0 + 46.6)).abs() < 0.5);
    assert_eq!(
        d.handle_at(&view, mx + 3.0, my, 10.0),
        Some(Handle::Midpoint(0))
    );
    assert_eq!(d.handle_at(&view, x0, y0, 10.0), Some(Handle::Vertex(0)));
    assert_eq!(
        d.handle_at(&view, (x0 + x2) / 2.0, (y0 + y2) / 2.0, 10.0),
        None
    );
    // The same square seen at device pixel ratio 1 is hit at the same CSS px.
    let view1 = Viewport::new(view.center(), view.zoom(), 1200.0, 800.0, 1.0);
    assert_eq!(d.vertex_at(&view1, x0, y0, 1.0), Some(0));
}

#[test]
fn taps_add_points_close_on_the_first_point_and_ignore_repeats() {
    let view = view_at(COQUELLES);
    let mut d = Draft::new();
    let taps = [(500.0, 300.0), (700.0, 300.0), (700.0, 500.0)];
    for (i, (x, y)) in taps.iter().enumerate() {
        assert_eq!(d.tap(&view, *x, *y, 12.0), TapOutcome::Added(i));
    }
    // Tapping again on the last point does not add a point.
    assert_eq!(
        d.tap(&view, 701.0, 501.0, 12.0),
        TapOutcome::Refused(DraftError::Duplicate)
    );
    // Near the first point (within the radius) closes.
    assert_eq!(d.tap(&view, 505.0, 306.0, 12.0), TapOutcome::Close);
    assert_eq!(d.len(), 3);
    // With only two points, a tap on the first point is refused (too close to a vertex).
    let mut two = Draft::new();
    two.tap(&view, 500.0, 300.0, 12.0);
    two.tap(&view, 700.0, 300.0, 12.0);
    assert_eq!(
        two.tap(&view, 501.0, 300.0, 12.0),
        TapOutcome::Refused(DraftError::Duplicate)
    );
    assert_eq!(two.tap(&view, 520.0, 300.0, 12.0), TapOutcome::Added(2));
    // The tapped positions are where the viewport puts them.
    let p = d.vertices()[1];
    let (x, y) = view.world_to_screen(to_mercator(p));
    assert!((x - 700.0).abs() < 1e-6 && (y - 300.0).abs() < 1e-6);
}

#[test]
fn moving_and_inserting_vertices_reshapes_the_zone() {
    // A square around the Coquelles terminal with an incident near its north-east corner.
    let (x, y) = COQUELLES;
    let incident = (x + 0.0015, y + 0.0015);
    let mut d = drawn(&square(COQUELLES, 0.002));
    let z = d
        .to_zone("t", &form("Terminal", ZoneKind::Restricted))
        .expect("ok");
    assert!(inside(&z, incident));
    // Pull the north-east corner in towards the centre: the incident falls out.
    d.move_vertex(2, ll(x - 0.0005, y - 0.0005)).expect("move");
    let z = d
        .to_zone("t", &form("Terminal", ZoneKind::Restricted))
        .expect("still simple");
    assert!(!inside(&z, incident));
    assert!(inside(&z, (x - 0.001, y - 0.001)));
    // Insert a vertex on the south edge, pulled south.
    assert_eq!(d.insert_after(0, ll(x, y - 0.003)), Ok(1));
    assert_eq!(d.len(), 5);
    let z = d
        .to_zone("t", &form("Terminal", ZoneKind::Restricted))
        .expect("ok");
    assert!(inside(&z, (x, y - 0.0025)));
    // Remove it again; a triangle cannot lose a vertex.
    assert_eq!(d.remove_vertex(1), Ok(ll(x, y - 0.003)));
    let mut tri = drawn(&square(COQUELLES, 0.002)[..3]);
    assert!(matches!(tri.remove_vertex(0), Err(DraftError::TooFew(_))));
    assert_eq!(tri.remove_vertex(9), Err(DraftError::NoSuchVertex(9)));
}

#[test]
fn at_most_max_vertices() {
    let mut d = Draft::new();
    for i in 0..MAX_VERTICES {
        let a = i as f64 / MAX_VERTICES as f64 * std::f64::consts::TAU;
        d.push(ll(CALAIS.0 + 0.01 * a.cos(), CALAIS.1 + 0.01 * a.sin()))
            .expect("under the limit");
    }
    assert_eq!(d.push(ll(1.9, 50.9)), Err(DraftError::TooMany));
    assert!(
        d.to_zone("circle", &form("Circle", ZoneKind::Watch))
            .is_ok()
    );
}

#[test]
fn a_saved_zone_reads_back_the_same_and_drafts_come_back_from_zones() {
    let d = drawn(&square(CALAIS, 0.002));
    let mut f = form("Calais \"centre\" / hôtel de ville", ZoneKind::Approach);
    f.dwell_s = Some(45.0);
    f.critical = true;
    let z = d.to_zone("drawn-calais", &f).expect("ok");
    let text = zones_to_geojson(std::slice::from_ref(&z));
    let back = parse_zones(&text).expect("FeatureCollection");
    assert!(back.rejected.is_empty(), "{:?}", back.rejected);
    assert_eq!(back.zones, vec![z.clone()], "exactly the same zone");
    assert_eq!(
        canonical(z.clone()),
        Ok(z.clone()),
        "canonical is a fixed point"
    );
    // The outline comes back as a draft (open ring, 4 vertices within 1 cm).
    let again = Draft::from_zone(&z).expect("one simple polygon");
    assert_eq!(again.len(), 4);
    for (a, b) in again.vertices().iter().zip(d.vertices()) {
        assert!((a.lon - b.lon).abs() < 1e-7 && (a.lat - b.lat).abs() < 1e-7);
    }
    assert_eq!(
        ZoneForm::of_zone(&z).name,
        "Calais \"centre\" / hôtel de ville"
    );
    assert_eq!(ZoneForm::of_zone(&z).dwell_s, Some(45.0));
}

#[test]
fn every_demo_zone_round_trips_through_the_writer() {
    let demo = parse_zones(include_str!("../public/data/zones.geojson")).expect("demo zones");
    assert!(demo.rejected.is_empty());
    let back = parse_zones(&zones_to_geojson(&demo.zones)).expect("written text");
    assert!(back.rejected.is_empty(), "{:?}", back.rejected);
    assert_eq!(back.zones.len(), demo.zones.len());
    for (a, b) in demo.zones.iter().zip(&back.zones) {
        assert_eq!(
            (&a.id, &a.name, a.kind, a.rules),
            (&b.id, &b.name, b.kind, b.rules)
        );
        assert_eq!(a.polygons.0.len(), b.polygons.0.len());
        let (ra, rb) = (
            a.polygons.iter().flat_map(rings),
            b.polygons.iter().flat_map(rings),
        );
        for (pa, pb) in ra.zip(rb) {
            assert_eq!(pa.0.len(), pb.0.len(), "{}", a.id);
            for (p, q) in pa.coords().zip(pb.coords()) {
                // 7 decimals of a degree: about 1 cm on the ground, 2 cm in EPSG:3857 here.
                assert!(
                    (p.x - q.x).abs() < 0.03 && (p.y - q.y).abs() < 0.03,
                    "{}",
                    a.id
                );
            }
        }
    }
    // Zones with holes or several parts keep their outline; only the form applies.
    let port = demo
        .zones
        .iter()
        .find(|z| z.polygons.iter().any(|p| !p.interiors().is_empty()) || z.polygons.0.len() > 1)
        .expect("a demo zone with a hole or several parts");
    assert_eq!(Draft::from_zone(port), Err(DraftError::NotEditable));
    let renamed = form("Renamed", ZoneKind::Watch)
        .apply(port)
        .expect("form applies");
    assert_eq!(renamed.name, "Renamed");
    assert_eq!(renamed.kind, ZoneKind::Watch);
    assert_eq!(renamed.polygons, port.polygons);
    assert_eq!(
        form(" ", ZoneKind::Watch).apply(port),
        Err(DraftError::EmptyName)
    );
}

#[test]
fn corrupt_or_partly_bad_storage_never_fails_and_says_why() {
    assert_eq!(restore(None).zones.len(), 0);
    assert!(restore(None).skipped.is_empty() && restore(None).unreadable.is_none());
    for corrupt in ["{not json", "", "null", "[1,2]", "{\"type\":\"Feature\"}"] {
        let r = restore(Some(corrupt));
        let e = r.unreadable.as_ref().expect("unreadable");
        assert!(r.zones.is_empty() && r.skipped.is_empty(), "{corrupt:?}");
        assert!(e.to_string().starts_with("zones file is"), "{e}");
        assert!(
            problems::saved_damaged(Lang::En, e, None).starts_with(
                "Saved drawn zones are damaged and were not loaded (the saved zones cannot be read: zones file is"
            ),
            "{corrupt:?}"
        );
    }
    // One good zone and one whose ring is not closed: the good one is kept.
    let good = drawn(&square(CALAIS, 0.002))
        .to_zone("drawn-a", &form("A", ZoneKind::Watch))
        .expect("ok");
    let text = zones_to_geojson(std::slice::from_ref(&good)).replace(
        "]}\n",
        ",{\"type\":\"Feature\",\"id\":\"drawn-b\",\"properties\":{\"name\":\"B\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[1.80,50.92],[1.81,50.92],[1.81,50.93]]]}}]}",
    );
    let r = restore(Some(&text));
    assert!(r.unreadable.is_none());
    assert_eq!(r.zones, vec![good]);
    assert_eq!(r.skipped.len(), 1);
    let text = problems::saved_zone_skipped(Lang::En, &r.skipped[0]);
    assert!(text.contains("zone \"drawn-b\""), "{text}");
    assert!(text.contains("3 positions"), "{text}");
}

#[test]
fn an_import_keeps_the_good_zones_reports_the_bad_ones_and_renames_taken_ids() {
    let text = include_str!("fixtures/zones/import-mixed.geojson");
    let taken: BTreeSet<String> = ["port-calais".to_string()].into();
    let imp = import(text, &taken).expect("a FeatureCollection");
    assert_eq!(imp.zones.len(), 1);
    let z = &imp.zones[0];
    assert_eq!(
        (z.id.as_str(), z.name.as_str()),
        ("import-good", "Imported watch square")
    );
    assert_eq!(z.kind, ZoneKind::Watch);
    assert_eq!(
        z.rules,
        ZoneRules {
            alert_on_enter: true,
            alert_on_exit: false,
            dwell_s: Some(300.0),
            critical: false
        }
    );
    assert!(inside(z, (1.87, 50.945)));
    assert_eq!(imp.rejected.len(), 1);
    assert_eq!(imp.rejected[0].id.as_deref(), Some("import-bowtie"));
    assert_eq!(
        imp.rejected[0].to_string(),
        "zone \"import-bowtie\": ring 0 intersects itself near 1.8550, 50.9375"
    );
    assert_eq!(imp.rejected[0].name.as_deref(), Some("Crossed fence line"));
    assert_eq!(
        problems::import_skipped(Lang::En, &imp.rejected[0]),
        "Skipped “Crossed fence line” (import-bowtie): ring 0 intersects itself near 1.8550, 50.9375"
    );
    assert!(imp.renamed.is_empty());

    // Importing the same file again: the id is taken, so the zone comes in renamed.
    let taken: BTreeSet<String> = ["import-good".to_string(), "import-good-2".to_string()].into();
    let again = import(text, &taken).expect("ok");
    assert_eq!(again.zones[0].id, "import-good-3");
    assert_eq!(
        again.renamed,
        vec![("import-good".to_string(), "import-good-3".to_string())]
    );

    // A mix with NaN, a duplicate id, a non-polygon and a good MultiPolygon.
    let mixed = r#"{"type":"FeatureCollection","features":[
      {"type":"Feature","id":"nan","properties":{"name":"NaN corner"},"geometry":{"type":"Polygon","coordinates":[[[1.80,50.92],[NaN,50.92],[1.81,50.93],[1.80,50.92]]]}},
      {"type":"Feature","id":"two","properties":{"name":"Two parts","kind":"approach"},"geometry":{"type":"MultiPolygon","coordinates":[[[[1.80,50.92],[1.81,50.92],[1.81,50.93],[1.80,50.92]]],[[[1.82,50.92],[1.83,50.92],[1.83,50.93],[1.82,50.92]]]]}},
      {"type":"Feature","id":"two","properties":{"name":"Same id"},"geometry":{"type":"Polygon","coordinates":[[[1.84,50.92],[1.85,50.92],[1.85,50.93],[1.84,50.92]]]}},
      {"type":"Feature","id":"pt","properties":{"name":"A point"},"geometry":{"type":"Point","coordinates":[1.8,50.9]}}
    ]}"#;
    let imp = import(mixed, &BTreeSet::new()).expect("ok");
    assert_eq!(
        imp.zones.iter().map(|z| z.id.as_str()).collect::<Vec<_>>(),
        ["two"]
    );
    let ids: Vec<_> = imp
        .rejected
        .iter()
        .map(|r| r.id.clone().unwrap_or_default())
        .collect();
    assert_eq!(ids, ["nan", "two", "pt"]);
    let message = |i: usize| imp.rejected[i].to_string();
    assert!(
        message(0).contains("NaN") || message(0).contains("null"),
        "{}",
        message(0)
    );
    assert!(message(1).contains("duplicate id"));
    assert!(message(2).contains("Point geometry is not a zone"));
    assert_eq!(imp.rejected[1].name.as_deref(), Some("Same id"));
    assert!(
        problems::import_skipped(Lang::En, &imp.rejected[1])
            .starts_with("Skipped “Same id” (two): duplicate id")
    );

    // Not a zones file at all: one error for the whole file, nothing added.
    assert!(import("{\"type\":\"Feature\"}", &BTreeSet::new()).is_err());
    assert!(import("garbage", &BTreeSet::new()).is_err());
}

#[test]
fn ids_of_new_zones_are_slugs_and_unique() {
    assert_eq!(slug("Plage de Sangatte — nord"), "plage-de-sangatte-nord");
    assert_eq!(
        slug("  Fréthun / Coquelles (A16) "),
        "frethun-coquelles-a16"
    );
    assert_eq!(slug("!!!"), "");
    assert!(slug(&"ab ".repeat(100)).len() <= 40);
    let taken: BTreeSet<String> = ["drawn-beach".to_string(), "drawn-beach-2".to_string()].into();
    let is_taken = |s: &str| taken.contains(s);
    assert_eq!(new_zone_id("Beach", &is_taken), "drawn-beach-3");
    assert_eq!(new_zone_id("Dunes", &is_taken), "drawn-dunes");
    assert_eq!(new_zone_id("???", &is_taken), "drawn-zone");
    assert_eq!(unique_id("x", &|_| false), "x");
}

#[test]
fn loaded_and_drawn_zones_combine_with_unique_ids_and_the_engine_counts_both() {
    let demo = parse_zones(include_str!("../public/data/zones.geojson")).expect("demo");
    let mine = drawn(&square(CALAIS, 0.002))
        .to_zone("drawn-town-hall", &form("Town hall", ZoneKind::Watch))
        .expect("ok");
    // A drawn zone whose id the zones file also has (the file changed since it was drawn).
    let clash = drawn(&square(COQUELLES, 0.001))
        .to_zone("port-calais", &form("Clash", ZoneKind::Watch))
        .expect("ok");
    let c = combine(&demo.zones, &[mine.clone(), clash]);
    let n = demo.zones.len();
    assert_eq!(c.zones.len(), n + 2);
    assert_eq!(c.origins[0], Origin::Loaded(0));
    assert_eq!(c.origins[n], Origin::Drawn(0));
    assert_eq!(c.origins[n + 1], Origin::Drawn(1));
    assert_eq!(c.zones[n].id, "drawn-town-hall");
    assert_eq!(c.zones[n + 1].id, "port-calais-2");
    assert_eq!(
        c.renamed,
        vec![("port-calais".to_string(), "port-calais-2".to_string())]
    );
    let ids: BTreeSet<_> = c.zones.iter().map(|z| z.id.clone()).collect();
    assert_eq!(ids.len(), c.zones.len(), "unique ids");

    // Seeding an engine over the combined list counts an incident in the drawn zone.
    let mut e = Engine::new(c.zones.clone(), EngineConfig::default());
    e.update(&Fix::at_lonlat("town", ll(CALAIS.0, CALAIS.1), 0));
    e.update(&Fix::at_lonlat("terminal", ll(COQUELLES.0, COQUELLES.1), 0));
    assert_eq!(e.counts()[n], 1, "the drawn town-hall zone");
    assert_eq!(e.counts()[n + 1], 1, "the renamed clash zone");
    let terminal = c
        .zones
        .iter()
        .position(|z| z.id == "eurotunnel-coquelles")
        .expect("demo terminal");
    assert_eq!(e.counts()[terminal], 1);
}
