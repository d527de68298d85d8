//! GeoJSON ingest: valid layers, per-feature skips with exact reasons, whole-layer errors.

use calais_map::core::config::PropertyNames;
use calais_map::core::earth::distance_m;
use calais_map::core::ingest::{IngestError, ingest_layer, replace_non_finite_tokens};
use calais_map::core::model::{
    FeatureKind, FenceKind, LayerData, LayerId, PortKind, Shape, SkippedFeature,
};
use calais_map::core::projection::{to_lonlat, to_mercator};
use calais_map::core::units::{LonLat, Mercator};

const CAMERAS_VALID: &str = include_str!("fixtures/core/cameras_valid.geojson");
const CAMERAS_INVALID: &str = include_str!("fixtures/core/cameras_invalid.geojson");
const FENCES_VALID: &str = include_str!("fixtures/core/fences_valid.geojson");
const FENCES_INVALID: &str = include_str!("fixtures/core/fences_invalid.geojson");
const PORTS_VALID: &str = include_str!("fixtures/core/ports_valid.geojson");
const BASEMAP_VALID: &str = include_str!("fixtures/core/basemap_valid.geojson");
const SINGLE_FEATURE: &str = include_str!("fixtures/core/single_feature.geojson");
const NOT_JSON: &str = include_str!("fixtures/core/not_json.geojson");
const TRUNCATED: &str = include_str!("fixtures/core/truncated.geojson");

fn load(layer: LayerId, text: &str) -> LayerData {
    ingest_layer(layer, text, &PropertyNames::default()).expect("layer loads")
}

/// A polygon's rings (exterior, then holes) as EPSG:3857 positions.
fn rings(p: &geo::Polygon) -> Vec<Vec<Mercator>> {
    std::iter::once(p.exterior())
        .chain(p.interiors())
        .map(|r| r.coords().map(|c| Mercator::from(*c)).collect())
        .collect()
}

/// A camera's sector ring as EPSG:3857 positions.
fn sector(c: &calais_map::core::model::Camera) -> Vec<Mercator> {
    rings(&c.sector).swap_remove(0)
}

fn ids(d: &LayerData) -> Vec<&str> {
    d.features.iter().map(|f| f.id.as_str()).collect()
}

/// (index, id, reason without its "feature N: " prefix), checking the prefix (the skip's
/// `Display`, for logs, is the English text the UI words from the problem).
fn skips(d: &LayerData) -> Vec<(usize, Option<&str>, &'static str)> {
    d.skipped
        .iter()
        .map(|s| {
            let prefix = format!("feature {}: ", s.index);
            let reason = s.to_string();
            let detail = reason
                .strip_prefix(&prefix)
                .unwrap_or_else(|| panic!("reason {reason:?} lacks {prefix:?}"));
            assert_eq!(detail, s.problem.to_string());
            let detail: &'static str = Box::leak(detail.to_string().into_boxed_str());
            (s.index, s.id.as_deref(), detail)
        })
        .collect()
}

fn ll(lon: f64, lat: f64) -> LonLat {
    LonLat::new(lon, lat).expect("valid")
}

#[test]
fn cameras_valid() {
    let d = load(LayerId::Cameras, CAMERAS_VALID);
    assert_eq!(d.layer, LayerId::Cameras);
    assert!(d.skipped.is_empty(), "{:?}", d.skipped);
    assert_eq!(
        ids(&d),
        [
            "cam-calais-1",
            "cam-coquelles-2",
            "cam-dover-3",
            "4",
            "cameras#4"
        ]
    );
    let names: Vec<Option<&str>> = d.features.iter().map(|f| f.name.as_deref()).collect();
    assert_eq!(
        names,
        [
            Some("Calais port, berth 7"),
            Some("Coquelles terminal gate"),
            Some("Dover Eastern Docks dome"),
            None,
            Some("Coquelles car park")
        ]
    );
    let cams: Vec<_> = d
        .features
        .iter()
        .map(|f| match &f.kind {
            FeatureKind::Camera(c) => c.clone(),
            other => panic!("not a camera: {other:?}"),
        })
        .collect();
    let summary: Vec<(f64, f64, f64)> = cams
        .iter()
        .map(|c| (c.bearing.degrees(), c.fov_deg, c.range_m))
        .collect();
    assert_eq!(
        summary,
        [
            (45.0, 60.0, 150.0),
            (270.0, 90.0, 200.0), // numeric strings, one with spaces
            (270.0, 360.0, 80.0), // bearing -90 normalised
            (0.0, 30.0, 100.0),
            (120.5, 75.0, 60.0),
        ]
    );
    // Calais camera: point shape at the port, sector apex + 13 arc points + apex.
    let calais = &d.features[0];
    let port = to_mercator(ll(1.8650, 50.9660));
    assert_eq!(calais.shapes, vec![Shape::Point(port.into())]);
    // The sector is a geo-types polygon in EPSG:3857 metres: one closed ring, no holes.
    assert!(cams.iter().all(|c| c.sector.interiors().is_empty()));
    let sector0 = sector(&cams[0]);
    assert_eq!(sector0.len(), 15);
    assert_eq!(sector0.first(), Some(&port));
    assert_eq!(sector0.last(), Some(&port));
    for m in &sector0[1..14] {
        let d_m = distance_m(cams[0].position, to_lonlat(*m));
        assert!((d_m - 150.0).abs() < 0.15, "{d_m}");
    }
    // Feature bounds cover point and sector; 360-degree camera is a circle without apex.
    assert!(sector0.iter().all(|m| calais.bounds.contains(*m)));
    assert!(calais.bounds.width() > 150.0);
    let sector2 = sector(&cams[2]);
    assert_eq!(sector2.len(), 73);
    assert_eq!(sector2.first(), sector2.last());
    assert_ne!(sector2.first(), Some(&to_mercator(cams[2].position)));
    // 3D position accepted, altitude ignored.
    assert_eq!(cams[1].position, ll(1.8030, 50.9270));
    // Layer bounds span Dover to Calais.
    assert!(d.bounds.contains(to_mercator(ll(1.33, 51.126))));
    assert!(d.bounds.contains(port));
    assert!(!d.bounds.contains(to_mercator(ll(1.0, 51.0))));
}

#[test]
fn fences_valid() {
    let d = load(LayerId::Fences, FENCES_VALID);
    assert!(d.skipped.is_empty(), "{:?}", d.skipped);
    assert_eq!(
        ids(&d),
        ["fence-rocade", "wall-coquelles", "gates-calais", "fences#3"]
    );
    let kinds: Vec<&FeatureKind> = d.features.iter().map(|f| &f.kind).collect();
    assert_eq!(
        kinds,
        [
            &FeatureKind::Fence(FenceKind::Fence),
            &FeatureKind::Fence(FenceKind::Wall),
            &FeatureKind::Fence(FenceKind::Gate),
            &FeatureKind::Fence(FenceKind::Other),
        ]
    );
    let shape_kinds: Vec<Vec<&str>> = d
        .features
        .iter()
        .map(|f| {
            f.shapes
                .iter()
                .map(|s| match s {
                    Shape::Point(_) => "point",
                    Shape::Line(_) => "line",
                    Shape::Polygon(_) => "polygon",
                })
                .collect()
        })
        .collect();
    assert_eq!(
        shape_kinds,
        [
            vec!["line"],
            vec!["polygon"],
            vec!["line", "line"],
            vec!["line", "polygon"]
        ]
    );
    let Shape::Line(rocade) = &d.features[0].shapes[0] else {
        panic!("line expected");
    };
    assert_eq!(rocade.0.len(), 3);
    assert_eq!(
        Mercator::from(rocade.0[0]),
        to_mercator(ll(1.8400, 50.9550))
    );
    let Shape::Polygon(polygon) = &d.features[1].shapes[0] else {
        panic!("polygon expected");
    };
    let rings = rings(polygon);
    assert_eq!(rings.len(), 1);
    assert_eq!(rings[0].len(), 5);
    assert_eq!(rings[0].first(), rings[0].last());
    assert_eq!(
        d.features[0].properties,
        vec![
            ("name".to_string(), "Rocade portuaire fence".to_string()),
            ("kind".to_string(), "Fence".to_string()),
            ("height_m".to_string(), "4".to_string()),
            ("installed".to_string(), "2016".to_string()),
        ]
    );
    // Feature bounds are exactly the projected extent.
    let b = d.features[0].bounds;
    let sw = to_mercator(ll(1.8400, 50.9550));
    let ne = to_mercator(ll(1.8750, 50.9620));
    assert_eq!(
        (b.min_x, b.min_y, b.max_x, b.max_y),
        (sw.x, sw.y, ne.x, ne.y)
    );
}

#[test]
fn ports_valid_and_property_order() {
    let d = load(LayerId::Ports, PORTS_VALID);
    assert!(d.skipped.is_empty(), "{:?}", d.skipped);
    let kinds: Vec<PortKind> = d
        .features
        .iter()
        .map(|f| match f.kind {
            FeatureKind::Port(k) => k,
            _ => panic!("port expected"),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            PortKind::FerryPort,
            PortKind::RailTerminal,
            PortKind::FerryPort,
            PortKind::TunnelPortal,
            PortKind::Other
        ]
    );
    // Properties in source order (not alphabetical), values as display text.
    let props: Vec<(&str, &str)> = d.features[0]
        .properties
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        props,
        [
            ("name", "Port de Calais"),
            ("kind", "ferry_port"),
            ("zeta", "last in source"),
            ("alpha", "1.5"),
            ("open", "true"),
            ("note", "null"),
            ("berths", "[1,2,3]"),
            ("contact", r#"{"tel":"+33 3 21 00 00 00","24h":true}"#),
        ]
    );
    // Polygon with a hole; MultiPolygon flattened into two polygons.
    let Shape::Polygon(polygon) = &d.features[1].shapes[0] else {
        panic!("polygon expected");
    };
    assert_eq!(rings(polygon).len(), 2);
    assert_eq!(d.features[2].shapes.len(), 2);
    assert!(
        d.features[2]
            .shapes
            .iter()
            .all(|s| matches!(s, Shape::Polygon(_)))
    );
}

#[test]
fn basemap_valid_and_wrong_layer_geometry() {
    let d = load(LayerId::Basemap, BASEMAP_VALID);
    assert!(d.skipped.is_empty());
    assert_eq!(ids(&d), ["basemap#0", "basemap#1"]);
    assert!(d.features.iter().all(|f| f.kind == FeatureKind::Land));
    assert_eq!(d.features[1].shapes.len(), 2);
    assert!(d.bounds.contains(to_mercator(ll(1.8650, 50.9660))));
    assert!(d.bounds.contains(to_mercator(ll(1.3134, 51.1279))));

    // Ports fed to the basemap: the points are skipped, the polygons load.
    let d = load(LayerId::Basemap, PORTS_VALID);
    assert_eq!(ids(&d), ["eurotunnel-coquelles", "port-dover"]);
    let expected = "Point geometry not allowed in layer basemap (expects Polygon or MultiPolygon)";
    assert_eq!(
        skips(&d),
        [
            (0, Some("port-calais"), expected),
            (3, Some("portal-sangatte"), expected),
            (4, Some("folkestone"), expected),
        ]
    );
}

#[test]
fn invalid_cameras_are_skipped_with_reasons() {
    let d = load(LayerId::Cameras, CAMERAS_INVALID);
    assert_eq!(ids(&d), ["ok-1", "ok-2"]);
    assert_eq!(
        skips(&d),
        [
            (1, Some("nan-lon"), "coordinate is NaN or infinite"),
            (
                2,
                Some("no-bearing"),
                "camera bearing missing or not a number"
            ),
            (3, Some("bad-fov"), "camera fov must be in (0, 360]"),
            (4, Some("zero-range"), "camera range must be > 0 m"),
            (
                5,
                Some("line-camera"),
                "LineString geometry not allowed in layer cameras (expects Point)"
            ),
            (6, Some("null-geom"), "geometry is null"),
            (
                7,
                Some("lat-95"),
                "coordinate [1.8, 95] out of range (lat must be in -90..90)"
            ),
            (8, Some("inf-range"), "camera range missing or not a number"),
            (
                9,
                Some("bearing-text"),
                "camera bearing missing or not a number"
            ),
        ]
    );
    // NaN inside strings is left alone by the NaN/Infinity repair.
    assert_eq!(d.features[0].name.as_deref(), Some("Calais \"NaN\" berth"));
    assert!(d.features[0].properties.contains(&(
        "note".into(),
        "Infinity and NaN in strings stay text".into()
    )));
    let FeatureKind::Camera(c) = &d.features[1].kind else {
        panic!("camera expected");
    };
    assert_eq!(
        (c.bearing.degrees(), c.fov_deg, c.range_m),
        (180.0, 45.0, 75.5)
    );
    assert_eq!(d.skipped[5].to_string(), "feature 6: geometry is null");
}

#[test]
fn invalid_fences_are_skipped_with_reasons() {
    let d = load(LayerId::Fences, FENCES_INVALID);
    assert_eq!(ids(&d), ["ok-line", "ok-poly"]);
    let not_allowed = "Point geometry not allowed in layer fences (expects LineString, MultiLineString, Polygon or MultiPolygon)";
    assert_eq!(
        skips(&d),
        [
            (1, Some("unclosed"), "polygon ring not closed"),
            (
                2,
                Some("three-positions"),
                "polygon ring has 3 positions (needs at least 4)"
            ),
            (3, Some("empty"), "empty geometry"),
            (4, Some("point-fence"), not_allowed),
            (5, Some("one-position"), "line has fewer than 2 positions"),
            (6, Some("neg-inf"), "coordinate is NaN or infinite"),
            (
                7,
                Some("lon-200"),
                "coordinate [200, 50.97] out of range (lon must be in -180..180)"
            ),
            (8, None, "feature is a number (expected an object)"),
            (9, Some("typo"), "type is \"Fature\" (expected \"Feature\")"),
            (10, None, "coordinate is a string (expected a number)"),
            (11, Some("gc-mixed"), not_allowed),
            (12, Some("no-geometry"), "geometry is missing"),
        ]
    );
    assert_eq!(d.features[1].kind, FeatureKind::Fence(FenceKind::Gate));
    assert_eq!(d.features[1].name.as_deref(), Some("Coquelles gate"));
    assert_eq!(d.features[1].properties.len(), 2);
    assert!(d.features[0].properties.len() == 1);
    assert_eq!(
        d.skipped[7].to_string(),
        "feature 8: feature is a number (expected an object)"
    );
    // Layer bounds only cover the good features.
    assert_eq!(d.bounds, d.features[0].bounds.union(&d.features[1].bounds));
}

#[test]
fn whole_layer_errors() {
    let names = PropertyNames::default();
    // A single Feature is a layer of one feature (RFC 7946 §2).
    let one = ingest_layer(LayerId::Ports, SINGLE_FEATURE, &names).expect("a lone Feature");
    assert_eq!(ids(&one), ["ports#0"]);
    assert_eq!(one.features[0].name.as_deref(), Some("Port de Calais"));
    match ingest_layer(LayerId::Ports, NOT_JSON, &names) {
        Err(IngestError::Json(msg)) => {
            assert_eq!(msg, "expected value at line 1 column 1");
        }
        other => panic!("{other:?}"),
    }
    match ingest_layer(LayerId::Ports, TRUNCATED, &names) {
        Err(e @ IngestError::Json(_)) => {
            assert!(
                e.to_string()
                    .starts_with("not valid JSON: EOF while parsing"),
                "{e}"
            );
        }
        other => panic!("{other:?}"),
    }
    let nfc = |t: &str| match ingest_layer(LayerId::Fences, t, &names) {
        Err(IngestError::NotGeoJson(m)) => m.to_string(),
        other => panic!("{other:?}"),
    };
    assert_eq!(nfc("[]"), "top level is an array");
    assert_eq!(nfc("\"FeatureCollection\""), "top level is a string");
    assert_eq!(nfc("{\"features\": []}"), "no \"type\" member");
    assert_eq!(
        nfc("{\"type\": \"FeatureCollection\"}"),
        "no features array"
    );
    assert_eq!(
        nfc("{\"type\": \"FeatureCollection\", \"features\": {}}"),
        "no features array (features is an object)"
    );
    assert_eq!(
        nfc("{\"type\": \"Topology\", \"objects\": {}}"),
        "type is \"Topology\" (expected \"FeatureCollection\", \"Feature\" or a geometry type)"
    );
    assert_eq!(nfc("{\"type\": 7}"), "type is a number");
    assert_eq!(
        nfc("{\"type\": \"Feature\"}"),
        "a Feature with no \"geometry\" member"
    );
    assert_eq!(
        ingest_layer(LayerId::Fences, "[]", &names)
            .unwrap_err()
            .to_string(),
        "not GeoJSON: top level is an array"
    );
    assert!(matches!(
        ingest_layer(LayerId::Fences, "", &names),
        Err(IngestError::Json(_))
    ));
    // Empty collection and a leading BOM are fine.
    let d = ingest_layer(
        LayerId::Fences,
        "\u{feff}{\"type\":\"FeatureCollection\",\"features\":[]}",
        &names,
    )
    .expect("ok");
    assert!(d.features.is_empty() && d.skipped.is_empty() && d.bounds.is_empty());
}

#[test]
fn configured_property_names() {
    let names = PropertyNames {
        name: "nom".to_string(),
        kind: "type_site".to_string(),
        bearing: "azimut".to_string(),
        fov: "angle".to_string(),
        range: "portee".to_string(),
    };
    let text = r#"{"type":"FeatureCollection","features":[
      {"type":"Feature","id":"c1","geometry":{"type":"Point","coordinates":[1.865,50.966]},
       "properties":{"nom":"Quai Paul Devot","azimut":"15","angle":50,"portee":"90","bearing":"ignored"}},
      {"type":"Feature","id":"c2","geometry":{"type":"Point","coordinates":[1.865,50.966]},
       "properties":{"name":"wrong names","bearing":15,"fov":50,"range_m":90}}]}"#;
    let d = ingest_layer(LayerId::Cameras, text, &names).expect("ok");
    assert_eq!(ids(&d), ["c1"]);
    assert_eq!(d.features[0].name.as_deref(), Some("Quai Paul Devot"));
    assert_eq!(
        skips(&d),
        [(1, Some("c2"), "camera bearing missing or not a number")]
    );
    let text = r#"{"type":"FeatureCollection","features":[
      {"type":"Feature","geometry":{"type":"Point","coordinates":[1.865,50.966]},"properties":{"type_site":"Harbour","kind":"rail_terminal"}}]}"#;
    let d = ingest_layer(LayerId::Ports, text, &names).expect("ok");
    assert_eq!(d.features[0].kind, FeatureKind::Port(PortKind::Harbour));
    assert_eq!(d.features[0].name, None);
}

#[test]
fn nan_token_repair_only_outside_strings() {
    assert_eq!(
        replace_non_finite_tokens(r#"[NaN, -Infinity, Infinity, "NaN \"Infinity\"", +Infinity]"#)
            .as_deref(),
        Some(r#"[null, null, null, "NaN \"Infinity\"", null]"#)
    );
    assert_eq!(replace_non_finite_tokens(r#"{"a": "NaN", "b": 1}"#), None);
    assert_eq!(replace_non_finite_tokens("[NaNa]"), None);
    // Valid JSON that merely mentions NaN in a string is parsed as is.
    let d = load(
        LayerId::Ports,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[1.865,50.966]},"properties":{"name":"NaN"}}]}"#,
    );
    assert_eq!(d.features[0].name.as_deref(), Some("NaN"));
}

#[test]
fn assorted_bad_features() {
    let wrap =
        |features: &str| format!(r#"{{"type":"FeatureCollection","features":[{features}]}}"#);
    let reason = |layer: LayerId, feature: &str| -> String {
        let d = ingest_layer(layer, &wrap(feature), &PropertyNames::default()).expect("layer");
        match d.skipped.as_slice() {
            [s @ SkippedFeature { index: 0, .. }] => s
                .to_string()
                .strip_prefix("feature 0: ")
                .unwrap_or_else(|| panic!("{s}"))
                .to_string(),
            other => panic!("expected one skip, got {other:?} / {:?}", d.features),
        }
    };
    let f = |geom: &str| format!(r#"{{"type":"Feature","geometry":{geom},"properties":null}}"#);
    use LayerId::*;
    assert_eq!(
        reason(Ports, &f(r#"{"type":"Point","coordinates":[]}"#)),
        "empty geometry"
    );
    assert_eq!(
        reason(Ports, &f(r#"{"type":"Point","coordinates":[1.8]}"#)),
        "position has 1 number(s) (needs at least 2)"
    );
    assert_eq!(
        reason(Ports, &f(r#"{"type":"Point"}"#)),
        "geometry has no coordinates"
    );
    assert_eq!(
        reason(Ports, &f(r#"{"type":"Circle","coordinates":[1,2]}"#)),
        "unknown geometry type \"Circle\""
    );
    assert_eq!(
        reason(Ports, &f(r#"[1, 2]"#)),
        "geometry is an array (expected an object)"
    );
    assert_eq!(
        reason(Ports, &f(r#"{"coordinates":[1, 2]}"#)),
        "geometry has no type"
    );
    assert_eq!(
        reason(Ports, &f(r#"{"type":"MultiPolygon","coordinates":[[]]}"#)),
        "empty geometry"
    );
    assert_eq!(
        reason(
            Ports,
            &f(r#"{"type":"Polygon","coordinates":[[[1,50],[2,50],[1,51]]]}"#)
        ),
        "polygon ring has 3 positions (needs at least 4)"
    );
    assert_eq!(
        reason(
            Ports,
            &f(r#"{"type":"GeometryCollection","geometries":[]}"#)
        ),
        "empty geometry"
    );
    assert_eq!(
        reason(Ports, &f(r#"{"type":"MultiPoint","coordinates":[[1,50]]}"#)),
        "MultiPoint geometry not allowed in layer ports (expects Point, Polygon or MultiPolygon)"
    );
    assert_eq!(
        reason(
            Fences,
            &f(r#"{"type":"LineString","coordinates":[[1.86,50.96],[1.87,null]]}"#)
        ),
        "coordinate is NaN or infinite"
    );
    assert_eq!(
        reason(
            Cameras,
            r#"{"type":"Feature","geometry":{"type":"Point","coordinates":[1.86,50.96]},"properties":{"bearing":10,"range_m":5}}"#
        ),
        "camera fov missing or not a number"
    );
    assert_eq!(
        reason(
            Cameras,
            r#"{"type":"Feature","geometry":{"type":"Point","coordinates":[1.86,50.96]},"properties":{"bearing":10,"fov":0,"range_m":5}}"#
        ),
        "camera fov must be in (0, 360]"
    );
    assert_eq!(
        reason(
            Cameras,
            r#"{"type":"Feature","geometry":{"type":"Point","coordinates":[1.86,50.96]},"properties":{"bearing":10,"fov":20,"range_m":-5}}"#
        ),
        "camera range must be > 0 m"
    );
    assert_eq!(
        reason(
            Cameras,
            r#"{"type":"Feature","geometry":{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1.86,50.96]},{"type":"Point","coordinates":[1.87,50.96]}]},"properties":{"bearing":10,"fov":20,"range_m":5}}"#
        ),
        "camera needs exactly one Point"
    );
    assert_eq!(
        reason(
            Ports,
            r#"{"type":"Feature","geometry":{"type":"Point","coordinates":[1.86,50.96]},"properties":[1]}"#
        ),
        "properties is an array (expected an object or null)"
    );
}

#[test]
fn never_panics_on_mangled_input() {
    let names = PropertyNames::default();
    for text in [FENCES_INVALID, CAMERAS_INVALID] {
        // Every prefix (on a char boundary), for every layer.
        for (cut, _) in text.char_indices().step_by(3) {
            for layer in LayerId::ALL {
                let _ = ingest_layer(layer, &text[..cut], &names);
            }
        }
    }
    // Every single-byte deletion of a small fixture.
    let t = SINGLE_FEATURE;
    for (i, _) in t.char_indices() {
        let mangled: String = t
            .char_indices()
            .filter(|(j, _)| *j != i)
            .map(|(_, c)| c)
            .collect();
        let _ = ingest_layer(LayerId::Ports, &mangled, &names);
    }
    let deep = "[".repeat(100_000);
    assert!(matches!(
        ingest_layer(LayerId::Basemap, &deep, &names),
        Err(IngestError::Json(_))
    ));
    let deep_gc = format!(
        r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","geometry":{}{}}}]}}"#,
        r#"{"type":"GeometryCollection","geometries":["#.repeat(200),
        "]}".repeat(200)
    );
    assert!(ingest_layer(LayerId::Ports, &deep_gc, &names).is_err());
    // Huge but finite numbers and odd ids do not panic either.
    let odd = r#"{"type":"FeatureCollection","features":[{"type":"Feature","id":{"x":1},
      "geometry":{"type":"Point","coordinates":[1e308,-1e308]},"properties":{"id":1e300}}]}"#;
    let d = ingest_layer(LayerId::Ports, odd, &names).expect("layer");
    assert_eq!(d.skipped.len(), 1);
    // Number ids use serde_json's number formatting.
    assert_eq!(d.skipped[0].id.as_deref(), Some("1e+300"));
    assert_eq!(
        d.skipped[0].to_string(),
        "feature 0: coordinate [1e308, -1e308] out of range (lon must be in -180..180)"
    );
}

// ------------------------------------------------------------------ any RFC 7946 GeoJSON text

const CALAIS_FENCE_FEATURE: &str = include_str!("fixtures/core/calais_fence_feature.geojson");
const COQUELLES_POLYGON: &str = include_str!("fixtures/core/coquelles_polygon.geojson");

#[test]
fn a_single_feature_is_a_layer_of_one_feature() {
    // A Calais fence as one Feature, with bbox members and foreign members (RFC 7946 §5, §6.1).
    let d = load(LayerId::Fences, CALAIS_FENCE_FEATURE);
    assert!(d.skipped.is_empty(), "{:?}", d.skipped);
    assert_eq!(ids(&d), ["fence-port-est"]);
    let f = &d.features[0];
    assert_eq!(
        f.name.as_deref(),
        Some("Clôture port Est (quai de la Loire)")
    );
    assert_eq!(f.kind, FeatureKind::Fence(FenceKind::Wall));
    let Shape::Line(pts) = &f.shapes[0] else {
        panic!("{:?}", f.shapes)
    };
    assert_eq!(pts.0.len(), 4);
    let first = to_lonlat(pts.0[0].into());
    assert!((first.lon - 1.8585).abs() < 1e-9 && (first.lat - 50.9640).abs() < 1e-9);
    // Properties in source order; foreign members are not properties.
    let keys: Vec<&str> = f.properties.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["name", "kind", "operator"]);
    assert_eq!(d.bounds, f.bounds);

    // The same Feature in a layer that does not take lines: skipped with its reason, the
    // layer still loads.
    let d = load(LayerId::Basemap, CALAIS_FENCE_FEATURE);
    assert!(d.features.is_empty());
    assert_eq!(
        skips(&d),
        [(
            0,
            Some("fence-port-est"),
            "LineString geometry not allowed in layer basemap (expects Polygon or MultiPolygon)"
        )]
    );
    // A lone Feature with a null geometry is a layer with one skipped feature.
    let d = load(
        LayerId::Ports,
        r#"{"type":"Feature","id":7,"geometry":null,"properties":{"name":"x"}}"#,
    );
    assert_eq!(skips(&d), [(0, Some("7"), "geometry is null")]);
}

#[test]
fn a_bare_geometry_is_one_feature_without_properties() {
    // A bare Polygon around Coquelles (the Channel Tunnel terminal), with a hole.
    let d = load(LayerId::Basemap, COQUELLES_POLYGON);
    assert!(d.skipped.is_empty(), "{:?}", d.skipped);
    assert_eq!(ids(&d), ["basemap#0"]);
    let f = &d.features[0];
    assert_eq!(f.kind, FeatureKind::Land);
    assert_eq!(f.name, None);
    assert!(f.properties.is_empty());
    let Shape::Polygon(polygon) = &f.shapes[0] else {
        panic!("{:?}", f.shapes)
    };
    let rings = rings(polygon);
    assert_eq!(rings.len(), 2);
    assert_eq!(rings[0].len(), 5);
    let sw = to_lonlat(rings[0][0]);
    assert!((sw.lon - 1.7920).abs() < 1e-9 && (sw.lat - 50.9180).abs() < 1e-9);
    // Ports take polygons too; fences take them as fence outlines.
    assert_eq!(ids(&load(LayerId::Ports, COQUELLES_POLYGON)), ["ports#0"]);
    assert_eq!(ids(&load(LayerId::Fences, COQUELLES_POLYGON)), ["fences#0"]);

    // Every geometry type is a GeoJSON text; what the layer does not take is skipped.
    let point = r#"{"type":"Point","coordinates":[1.8650,50.9660]}"#;
    assert_eq!(ids(&load(LayerId::Ports, point)), ["ports#0"]);
    let cams = load(LayerId::Cameras, point);
    assert_eq!(
        skips(&cams),
        [(0, None, "camera bearing missing or not a number")]
    );
    let lines = r#"{"type":"MultiLineString","coordinates":[[[1.80,50.95],[1.81,50.95]],[[1.82,50.95],[1.83,50.96]]]}"#;
    assert_eq!(load(LayerId::Fences, lines).features[0].shapes.len(), 2);
    let gc = r#"{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1.86,50.96]},{"type":"Point","coordinates":[1.87,50.97]}]}"#;
    assert_eq!(load(LayerId::Ports, gc).features[0].shapes.len(), 2);
    // A bad bare geometry is a skipped feature, not a failed layer.
    let open_ring = r#"{"type":"Polygon","coordinates":[[[1.80,50.92],[1.81,50.92],[1.81,50.93],[1.80,50.93]]]}"#;
    assert_eq!(
        skips(&load(LayerId::Basemap, open_ring)),
        [(0, None, "polygon ring not closed")]
    );
}

#[test]
fn winding_bbox_and_foreign_members_are_never_rejected() {
    // Counter-clockwise exterior (RFC 7946 §3.1.6) and its clockwise reverse both load.
    let ccw = [
        [1.80, 50.92],
        [1.81, 50.92],
        [1.81, 50.93],
        [1.80, 50.93],
        [1.80, 50.92],
    ];
    let cw: Vec<[f64; 2]> = ccw.iter().rev().copied().collect();
    for ring in [ccw.to_vec(), cw] {
        let text = format!(
            r#"{{"type":"FeatureCollection","bbox":[1.80,50.92,1.81,50.93],"name":"coquelles",
              "crs":{{"type":"name","properties":{{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}}}},
              "features":[{{"type":"Feature","bbox":[1.80,50.92,1.81,50.93],"extra":{{"a":1}},
              "properties":{{"name":"terminal"}},
              "geometry":{{"type":"Polygon","bbox":[1.80,50.92,1.81,50.93],"coordinates":[{}]}}}}]}}"#,
            serde_json::to_string(&ring).unwrap()
        );
        let d = load(LayerId::Basemap, &text);
        assert!(d.skipped.is_empty(), "{:?}", d.skipped);
        assert_eq!(d.features[0].name.as_deref(), Some("terminal"));
        let zones = calais_map::core::geofence::parse_zones(&text.replace(
            "\"properties\":{\"name\":\"terminal\"}",
            "\"id\":\"t\",\"properties\":{\"name\":\"terminal\"}",
        ))
        .expect("zones");
        assert!(zones.rejected.is_empty(), "{:?}", zones.rejected);
        assert_eq!(zones.zones.len(), 1);
    }
}

#[test]
fn zones_accept_a_single_feature_or_a_bare_geometry() {
    use calais_map::core::geofence::{ZoneKind, parse_zones, zones_to_geojson};
    let feature = r#"{"type":"Feature","id":"coquelles","bbox":[1.792,50.918,1.823,50.94],
      "properties":{"name":"Terminal Coquelles","kind":"restricted"},"source":"test",
      "geometry":{"type":"Polygon","coordinates":[[[1.792,50.918],[1.823,50.918],[1.823,50.94],[1.792,50.94],[1.792,50.918]]]}}"#;
    let set = parse_zones(feature).expect("a lone Feature");
    assert!(set.rejected.is_empty(), "{:?}", set.rejected);
    assert_eq!(set.zones[0].id, "coquelles");
    assert_eq!(set.zones[0].kind, ZoneKind::Restricted);
    // Written back as a FeatureCollection and read again to the same zone.
    let back = parse_zones(&zones_to_geojson(&set.zones)).expect("written");
    assert_eq!(back.zones[0].polygons, set.zones[0].polygons);
    // A bare geometry has no id: one rejected zone that says so, never a failed file.
    let set = parse_zones(COQUELLES_POLYGON).expect("a bare Polygon");
    assert!(set.zones.is_empty());
    assert_eq!(set.rejected.len(), 1);
    assert!(
        set.rejected[0]
            .to_string()
            .starts_with("zone 0: missing id"),
        "{}",
        set.rejected[0]
    );
}

#[test]
fn zone_exports_are_geojson_values() {
    use calais_map::core::geofence::{parse_zones, zones_to_geojson};
    let demo = parse_zones(include_str!("../public/data/zones.geojson")).expect("demo");
    let text = zones_to_geojson(&demo.zones);
    assert!(text.ends_with("]}\n"));
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["type"], "FeatureCollection");
    assert_eq!(v["features"].as_array().unwrap().len(), demo.zones.len());
    let f = &v["features"][0];
    assert_eq!(f["type"], "Feature");
    assert_eq!(f["id"], serde_json::json!(demo.zones[0].id));
    assert_eq!(
        f["properties"]["name"],
        serde_json::json!(demo.zones[0].name)
    );
    // Read back, the properties come in the order written.
    let back = parse_zones(&text).expect("written");
    let keys: Vec<&str> = back.zones[0]
        .properties
        .iter()
        .map(|(k, _)| k.as_str())
        .collect();
    assert_eq!(&keys[..3], ["id", "name", "kind"]);
    // Coordinates have at most 7 decimals.
    let c = &v["features"][0]["geometry"]["coordinates"][0][0];
    for x in c.as_array().unwrap() {
        let t = x.to_string();
        let decimals = t.split_once('.').map_or(0, |(_, d)| d.len());
        assert!(decimals <= 7, "{t}");
    }
}

const RFC7946_PORTS: &str = include_str!("fixtures/core/rfc7946_ports.geojson");

#[test]
fn rfc7946_collection_bbox_foreign_members_winding_and_a_bad_feature_among_good_ones() {
    use calais_map::core::geojson_read::JsonKind;
    use calais_map::core::geometry::{Position, polygon_position};
    use calais_map::core::ingest::FeatureProblem;
    // A FeatureCollection with bbox and foreign members at every level, a right-hand-rule
    // polygon, a clockwise one with a clockwise hole, a malformed geometry bbox, a 3D position.
    let d = load(LayerId::Ports, RFC7946_PORTS);
    assert_eq!(ids(&d), ["terminal-ccw", "quay-cw", "42"]);
    // The bad features are skipped with their index and id; the others are kept.
    assert_eq!(
        skips(&d),
        [
            (
                2,
                Some("berth-string"),
                "coordinate is a string (expected a number)"
            ),
            (4, Some("ring-open"), "polygon ring not closed"),
        ]
    );
    // The reason is structured too (the shell words it from this).
    let problems: Vec<&FeatureProblem> = d.skipped.iter().map(|s| &s.problem).collect();
    assert_eq!(
        problems,
        [
            &FeatureProblem::NotANumber(JsonKind::String),
            &FeatureProblem::RingNotClosed
        ]
    );
    // Foreign members are not properties.
    let keys: Vec<&str> = d.features[0]
        .properties
        .iter()
        .map(|(k, _)| k.as_str())
        .collect();
    assert_eq!(keys, ["name", "kind"]);
    assert_eq!(
        d.features[2].kind,
        FeatureKind::Port(PortKind::TunnelPortal)
    );
    // Either winding is the same area: inside, on the edge, in the hole.
    let m = |lon: f64, lat: f64| to_mercator(ll(lon, lat));
    for (f, inside) in [(0, m(1.855, 50.965)), (1, m(1.872, 50.962))] {
        let Shape::Polygon(p) = &d.features[f].shapes[0] else {
            panic!("{:?}", d.features[f].shapes)
        };
        assert_eq!(polygon_position(inside, p), Position::Inside, "{f}");
    }
    let Shape::Polygon(quay) = &d.features[1].shapes[0] else {
        panic!("polygon expected")
    };
    assert_eq!(rings(quay).len(), 2);
    assert_eq!(polygon_position(m(1.875, 50.965), quay), Position::Outside);
    let corner = rings(quay)[0][0];
    assert_eq!(polygon_position(corner, quay), Position::OnBoundary);

    // The zones reader takes the same text: polygons are zones, the rest is rejected per zone.
    let zones = calais_map::core::geofence::parse_zones(RFC7946_PORTS).expect("zones");
    let zone_ids: Vec<&str> = zones.zones.iter().map(|z| z.id.as_str()).collect();
    assert_eq!(zone_ids, ["terminal-ccw", "quay-cw"]);
    let rejected: Vec<String> = zones.rejected.iter().map(|r| r.to_string()).collect();
    assert_eq!(
        rejected,
        [
            "zone \"berth-string\": Point geometry is not a zone (expects Polygon or MultiPolygon)",
            "zone \"42\": Point geometry is not a zone (expects Polygon or MultiPolygon)",
            "zone \"ring-open\": ring 0 is not closed (its first and last positions differ)",
        ]
    );
    assert_eq!(zones.rejected[2].name.as_deref(), Some("Open ring"));
}
