//! The named hostile inputs of issue 15 (item 3) through every ingest parser of the core, as
//! regression tests beside the fuzz driver (`fuzz/`, README "Fuzzing"): JSON nested 100,000
//! levels, numbers past f64 and 400-digit integers, unpaired surrogate escapes, megabyte
//! strings, NaN-like text, a byte order mark, truncated text. Each is refused as a whole with a
//! JSON error (serde_json's recursion limit and number and escape checks stay on) or read with
//! the bad part skipped; none panics. Units: none (text in, the core's values and errors out).

use calais_map::core::config::{ConfigError, PropertyNames, parse_config};
use calais_map::core::geofence::{ZoneFileError, import, parse_zones, restore};
use calais_map::core::incident::{IncidentError, IncidentNames, parse_incident, parse_snapshot};
use calais_map::core::ingest::{IngestError, ingest_layer};
use calais_map::core::model::LayerId;
use std::collections::BTreeSet;

const DEEP: usize = 100_000;

fn feature(geometry: &str, props: &str) -> String {
    format!(r#"{{"type":"Feature","id":"f-1","geometry":{geometry},"properties":{props}}}"#)
}

fn collection(features: &[String]) -> String {
    format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        features.join(",")
    )
}

const CALAIS_POINT: &str = r#"{"type":"Point","coordinates":[1.85,50.96]}"#;

fn incident(props: &str) -> String {
    feature(CALAIS_POINT, props)
}

const GOOD_PROPS: &str = r#"{"kind":"small_boat","severity":4,"status":"open","reported_at":"2024-06-01T05:00:00Z","updated_at":"2024-06-01T05:10:00Z"}"#;

/// Every parser on `text`: whether each refused it as not JSON (`true`) or read it.
fn json_refusals(text: &str) -> [bool; 6] {
    let names = IncidentNames::default();
    [
        matches!(
            ingest_layer(LayerId::Fences, text, &PropertyNames::default()),
            Err(IngestError::Json(_))
        ),
        matches!(parse_zones(text), Err(ZoneFileError::Json(_))),
        matches!(import(text, &BTreeSet::new()), Err(ZoneFileError::Json(_))),
        matches!(parse_incident(text, &names), Err(IncidentError::Json(_))),
        matches!(parse_snapshot(text, &names), Err(IncidentError::Json(_))),
        matches!(parse_config(text), Err(ConfigError::Json(_))),
    ]
}

#[test]
fn nesting_100k_levels_deep_is_refused_as_json_by_every_parser() {
    let arrays = format!("{}{}", "[".repeat(DEEP), "]".repeat(DEEP));
    let objects = format!("{}1{}", "{\"a\":".repeat(DEEP), "}".repeat(DEEP));
    let coordinates = collection(&[feature(
        &format!(
            r#"{{"type":"Polygon","coordinates":{}1.8{}}}"#,
            "[".repeat(DEEP),
            "]".repeat(DEEP)
        ),
        "{}",
    )]);
    let collections = collection(&[feature(
        &format!(
            "{}{CALAIS_POINT}{}",
            r#"{"type":"GeometryCollection","geometries":["#.repeat(DEEP),
            "]}".repeat(DEEP)
        ),
        "{}",
    )]);
    for (what, text) in [
        ("arrays", arrays.clone()),
        ("objects", objects),
        ("coordinates", coordinates),
        ("geometry collections", collections),
    ] {
        let refused = json_refusals(&text);
        // The event reader (index 3) is given collections here and refuses them as "not a
        // Feature". The incident readers skip what they do not read without recursing
        // (serde_json's `IgnoredAny` walks it with a stack of its own): 100k levels under a
        // foreign member `"a"`, or under a geometry that is not a Point, are skipped and the
        // text or the feature is refused for what it is.
        let snapshot = matches!(what, "arrays" | "coordinates");
        assert_eq!(refused, [true, true, true, false, snapshot, true], "{what}");
        let names = IncidentNames::default();
        assert!(parse_incident(&text, &names).is_err(), "{what}");
        if let Ok(snap) = parse_snapshot(&text, &names) {
            assert!(snap.incidents.is_empty(), "{what}");
        }
    }
    assert!(matches!(
        parse_incident(&arrays, &IncidentNames::default()),
        Err(IncidentError::NotFeature(_))
    ));
    // At 40 levels a GeometryCollection is read (our own recursion over it stays shallow).
    let shallow = collection(&[feature(
        &format!(
            "{}{CALAIS_POINT}{}",
            r#"{"type":"GeometryCollection","geometries":["#.repeat(40),
            "]}".repeat(40)
        ),
        r#"{"name":"Nested"}"#,
    )]);
    let layer = ingest_layer(LayerId::Fences, &shallow, &PropertyNames::default())
        .expect("40 levels are JSON");
    assert_eq!(layer.features.len() + layer.skipped.len(), 1);
}

#[test]
fn numbers_past_f64_and_400_digit_integers_are_refused_not_wrapped() {
    let digits = "9".repeat(400);
    for number in ["1e400", "-1e400", digits.as_str()] {
        let point = format!(r#"{{"type":"Point","coordinates":[{number},50.96]}}"#);
        let text = collection(&[feature(&point, "{}")]);
        assert_eq!(
            json_refusals(&text)[..2],
            [true, true],
            "{number} in coordinates"
        );
        let props = GOOD_PROPS.replace("\"severity\":4", &format!("\"severity\":{number}"));
        let refused = json_refusals(&collection(&[incident(&props)]));
        assert!(
            refused[4],
            "{number} as a severity: the snapshot is not JSON to serde_json"
        );
    }
    // A 400-digit severity that serde_json reads (as f64 1e400 would be refused, digits with
    // an exponent are not): the incident alone is rejected, never a wrapped small number.
    let props = GOOD_PROPS.replace("\"severity\":4", "\"severity\":400");
    let snap = parse_snapshot(&collection(&[incident(&props)]), &IncidentNames::default())
        .expect("the snapshot is read");
    assert_eq!((snap.incidents.len(), snap.rejected.len()), (0, 1));
    // A number past f64 is a JSON error with its place, never infinity in a config.
    match parse_config(r#"{"incidents": {"retention_s": 1e400}}"#) {
        Err(ConfigError::Json(d)) => assert!(d.contains("line 1"), "{d}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn unpaired_surrogate_escapes_are_refused_as_json() {
    for escape in [r"\ud800", r"\udc00", r"a\ud800b", r"\udc00\ud800"] {
        let props = GOOD_PROPS.replace("small_boat", escape);
        let text = collection(&[incident(&props)]);
        let refused = json_refusals(&text);
        assert!(refused[4], "{escape} in a kind: the snapshot");
        assert!(json_refusals(&incident(&props))[3], "{escape}: the event");
        let zone = collection(&[feature(CALAIS_POINT, &format!(r#"{{"name":"{escape}"}}"#))]);
        assert_eq!(
            json_refusals(&zone)[..3],
            [true, true, true],
            "{escape} in a name"
        );
    }
    // A paired escape is a character, read as such.
    let props = GOOD_PROPS.replace(
        r#""status":"open""#,
        r#""status":"open","description":"\ud83d\udea4 off Sangatte""#,
    );
    let inc = parse_incident(&incident(&props), &IncidentNames::default()).expect("paired");
    assert_eq!(inc.description, "\u{1f6a4} off Sangatte");
}

#[test]
fn megabyte_strings_are_read_and_kept_whole_or_refused_without_copies() {
    let long = "é".repeat(1 << 19);
    let props = GOOD_PROPS.replace(
        r#""status":"open""#,
        &format!(r#""status":"open","description":"{long}""#),
    );
    let inc = parse_incident(&incident(&props), &IncidentNames::default()).expect("a long text");
    assert_eq!(inc.description.len(), 1 << 20);
    let id = "x".repeat(1 << 20);
    let text = collection(&[incident(GOOD_PROPS).replace("\"f-1\"", &format!("\"{id}\""))]);
    let snap = parse_snapshot(&text, &IncidentNames::default()).expect("a long id");
    assert_eq!(snap.incidents.len() + snap.rejected.len(), 1);
    let key = format!(r#"{{"{}": 1}}"#, "k".repeat(1 << 20));
    assert!(
        parse_config(&key).is_ok(),
        "an unknown megabyte key is ignored"
    );
}

#[test]
fn nan_like_text_a_bom_and_truncation_never_panic() {
    // Bare NaN/Infinity tokens: the layer and zone readers read them as null (that feature is
    // skipped), the config reader refuses the text.
    let nan = collection(&[
        feature(r#"{"type":"Point","coordinates":[NaN,50.96]}"#, "{}"),
        feature(CALAIS_POINT, r#"{"name":"Calais"}"#),
    ]);
    let layer = ingest_layer(LayerId::Ports, &nan, &PropertyNames::default()).expect("tolerant");
    assert_eq!((layer.features.len(), layer.skipped.len()), (1, 1));
    assert!(matches!(
        parse_config(r#"{"zones": {"exit_margin_m": NaN}}"#),
        Err(ConfigError::Json(_))
    ));
    // "NaN" as a string is a string: a wrong type, named.
    assert!(matches!(
        parse_config(r#"{"zones": {"exit_margin_m": "NaN"}}"#),
        Err(ConfigError::Invalid { .. })
    ));
    // A byte order mark before the text (the browser's decoder drops it; a stored or imported
    // text may keep it) is ignored by every reader: the config's was the one that refused it
    // (found by these inputs, fixed in `config::parse_config`).
    let snapshot = collection(&[incident(GOOD_PROPS)]);
    let bom = format!("\u{feff}{snapshot}");
    assert_eq!(json_refusals(&bom), [false; 6]);
    assert_eq!(
        parse_snapshot(&bom, &IncidentNames::default()),
        parse_snapshot(&snapshot, &IncidentNames::default())
    );
    assert_eq!(restore(Some(&bom)), restore(Some(&snapshot)));
    assert_eq!(
        parse_config("\u{feff}{\"zones\": {\"log_capacity\": 7}}").map(|c| c.zones.log_capacity),
        Ok(7)
    );
    // Truncated at every byte: refused or read, never a panic (the fuzz driver's hostile set
    // does the same at 15 cuts per seed of its corpus).
    let full = collection(&[
        incident(GOOD_PROPS),
        incident(GOOD_PROPS).replace("f-1", "f-2"),
    ]);
    for cut in (0..full.len()).filter(|&c| full.is_char_boundary(c)) {
        let _ = json_refusals(&full[..cut]);
    }
}
