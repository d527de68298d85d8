//! Live incidents: RFC 3339 times, local dates and clock skew
//! (`Timestamp::recency`), event and snapshot parsing with exact errors
//! (unknown kinds kept as other with their text), and the store's ordering,
//! tracks, resync, purge and scale.
//!
//! Positions are degrees WGS84 around Calais (Sangatte, Coquelles); times are
//! milliseconds since the Unix epoch, known values computed with python3's
//! `datetime`.

use calais_map::core::incident::{
    Diagnostics, Incident, IncidentError, IncidentKind, IncidentNames, IncidentStore, Rejected,
    Severity, Snapshot, SnapshotOutcome, Status, TRACK_LEN, TimeField, Timestamp, Upsert,
    parse_event, parse_incident, parse_seq, parse_snapshot,
};
use calais_map::core::limits::Limits;
use calais_map::core::projection::to_mercator;
use calais_map::core::time::{CLOCK_SKEW_TOLERANCE_MS, Recency};
use calais_map::core::units::LonLat;

const SMALL_BOAT: &str = include_str!("fixtures/incidents/event_small_boat.json");
const FENCE_BREACH: &str = include_str!("fixtures/incidents/event_fence_breach.json");
const SNAPSHOT_MIXED: &str = include_str!("fixtures/incidents/snapshot_mixed.geojson");

const XSS: &str = "<img src=x onerror=alert(1)>";

fn names() -> IncidentNames {
    IncidentNames::default()
}

fn ts(s: &str) -> Timestamp {
    Timestamp::parse_rfc3339(s).unwrap_or_else(|| panic!("{s} parses"))
}

/// 2024-06-01T00:00:00Z plus `min` minutes.
fn at_min(min: i64) -> Timestamp {
    Timestamp::from_millis(1_717_200_000_000 + min * 60_000).expect("in range")
}

fn ll(lon: f64, lat: f64) -> LonLat {
    LonLat::new(lon, lat).expect("valid position")
}

fn mk(
    id: &str,
    kind: IncidentKind,
    (lon, lat): (f64, f64),
    status: Status,
    updated_at: Timestamp,
    seq: Option<u64>,
) -> Incident {
    let position = ll(lon, lat);
    Incident {
        id: id.to_string(),
        kind,
        kind_text: None,
        severity: Severity::new(3).expect("valid"),
        status,
        position,
        at: to_mercator(position),
        reported_at: updated_at,
        updated_at,
        description: String::new(),
        source: None,
        accuracy_m: None,
        seq,
        track: Vec::new(),
        properties: Vec::new(),
    }
}

const SANGATTE: (f64, f64) = (1.74, 50.95);
const COQUELLES: (f64, f64) = (1.81, 50.93);

/// The small-boat event with one text replacement (which must apply).
fn boat_with(from: &str, to: &str) -> String {
    assert!(SMALL_BOAT.contains(from), "fixture lacks {from:?}");
    SMALL_BOAT.replacen(from, to, 1)
}

fn boat_err(from: &str, to: &str) -> IncidentError {
    match parse_incident(&boat_with(from, to), &names()) {
        Ok(inc) => panic!("{from:?} -> {to:?} parsed: {inc:?}"),
        Err(e) => e,
    }
}

/// A snapshot feature as JSON text.
fn feature_json(
    id: &str,
    kind: &str,
    (lon, lat): (f64, f64),
    status: &str,
    updated: &str,
) -> String {
    format!(
        r#"{{"type":"Feature","id":"{id}","geometry":{{"type":"Point","coordinates":[{lon},{lat}]}},
        "properties":{{"kind":"{kind}","severity":3,"status":"{status}",
        "reported_at":"2024-06-01T00:00:00Z","updated_at":"{updated}"}}}}"#
    )
}

fn collection(features: &[String]) -> String {
    format!(
        r#"{{"type":"FeatureCollection","cursor":"c-1","features":[{}]}}"#,
        features.join(",")
    )
}

fn ids(store: &IncidentStore) -> Vec<&str> {
    store.iter().map(|i| i.id.as_str()).collect()
}

// ---------------------------------------------------------------------------
// RFC 3339.

#[test]
fn rfc3339_known_values_from_python() {
    let known: [(&str, i64, &str); 18] = [
        ("1970-01-01T00:00:00Z", 0, "1970-01-01T00:00:00.000Z"),
        (
            "2024-06-01T12:34:56Z",
            1_717_245_296_000,
            "2024-06-01T12:34:56.000Z",
        ),
        (
            "2024-06-01T13:34:56.789+01:00",
            1_717_245_296_789,
            "2024-06-01T12:34:56.789Z",
        ),
        (
            "2024-02-29T23:59:59.999-05:30",
            1_709_270_999_999,
            "2024-03-01T05:29:59.999Z",
        ),
        ("1969-12-31T23:59:59.999Z", -1, "1969-12-31T23:59:59.999Z"),
        (
            "2000-03-01T00:00:00Z",
            951_868_800_000,
            "2000-03-01T00:00:00.000Z",
        ),
        (
            "0001-01-01T00:00:00Z",
            -62_135_596_800_000,
            "0001-01-01T00:00:00.000Z",
        ),
        (
            "9999-12-31T23:59:59.999Z",
            253_402_300_799_999,
            "9999-12-31T23:59:59.999Z",
        ),
        (
            "2038-01-19T03:14:08Z",
            2_147_483_648_000,
            "2038-01-19T03:14:08.000Z",
        ),
        (
            "1900-02-28T12:00:00.5+14:00",
            -2_203_984_799_500,
            "1900-02-27T22:00:00.500Z",
        ),
        (
            "2024-10-27T02:30:00.123456+02:00",
            1_729_989_000_123,
            "2024-10-27T00:30:00.123Z",
        ),
        (
            "2024-06-01T05:20:30.250+02:00",
            1_717_212_030_250,
            "2024-06-01T03:20:30.250Z",
        ),
        (
            "2024-06-01T03:01:17.5Z",
            1_717_210_877_500,
            "2024-06-01T03:01:17.500Z",
        ),
        (
            "2024-06-01T02:45:00+01:00",
            1_717_206_300_000,
            "2024-06-01T01:45:00.000Z",
        ),
        (
            "2023-03-26T01:59:59.999+00:00",
            1_679_795_999_999,
            "2023-03-26T01:59:59.999Z",
        ),
        (
            "2100-02-28T23:59:59-00:00",
            4_107_542_399_000,
            "2100-02-28T23:59:59.000Z",
        ),
        (
            "1999-12-31T23:59:59.001-12:00",
            946_727_999_001,
            "2000-01-01T11:59:59.001Z",
        ),
        (
            "2024-06-01t05:20:30.250z",
            1_717_219_230_250,
            "2024-06-01T05:20:30.250Z",
        ),
    ];
    for (text, ms, utc) in known {
        let t = Timestamp::parse_rfc3339(text).unwrap_or_else(|| panic!("{text} parses"));
        assert_eq!(t.millis(), ms, "{text}");
        assert_eq!(t.to_rfc3339(), utc, "{text}");
        assert_eq!(t.to_string(), utc);
        assert_eq!(Timestamp::parse_rfc3339(utc), Some(t), "{utc} round-trips");
    }
    // Year 0 (a leap year) is one 366-day year before year 1.
    assert_eq!(
        ts("0000-01-01T00:00:00Z").millis(),
        -62_135_596_800_000 - 366 * 86_400_000
    );
}

#[test]
fn rfc3339_rejects_what_is_not_strict() {
    for bad in [
        "",
        "2024-06-01",
        "2024-06-01T12:34Z",
        "2024-06-01T12:34:56",
        "2024-06-01 12:34:56Z",
        " 2024-06-01T12:34:56Z",
        "2024-06-01T12:34:56Z ",
        "2024-6-01T12:34:56Z",
        "24-06-01T12:34:56Z",
        "+2024-06-01T12:34:56Z",
        "2024-06-01T12:34:56.Z",
        "2024-06-01T12:34:56,5Z",
        "2024-06-01T12:34:56+0100",
        "2024-06-01T12:34:56+01",
        "2024-06-01T12:34:56+24:00",
        "2024-06-01T12:34:56+01:60",
        "2024-13-01T12:34:56Z",
        "2024-00-01T12:34:56Z",
        "2023-02-29T12:00:00Z",
        "1900-02-29T12:00:00Z",
        "2024-04-31T12:00:00Z",
        "2024-06-00T12:00:00Z",
        "2024-06-01T24:00:00Z",
        "2024-06-01T12:60:00Z",
        "2024-06-01T12:00:61Z",
        "2024-06-01T12:00:00ZZ",
        "2024-06-01T12:00:00Z\u{0}",
        "２０２４-06-01T12:00:00Z",
        "2024-06-01T12:00:00.１Z",
        "1717245296000",
        "yesterday",
    ] {
        assert_eq!(Timestamp::parse_rfc3339(bad), None, "{bad:?}");
    }
    assert!(Timestamp::parse_rfc3339("2024-02-29T12:00:00Z").is_some());
    assert!(Timestamp::parse_rfc3339("2000-02-29T12:00:00Z").is_some());
}

#[test]
fn timestamp_range_and_order() {
    assert_eq!(Timestamp::from_millis(i64::MIN), None);
    assert_eq!(Timestamp::from_millis(i64::MAX), None);
    assert_eq!(Timestamp::from_millis(0), Some(Timestamp::EPOCH));
    assert!(ts("2024-06-01T05:00:00+02:00") < ts("2024-06-01T04:00:00Z"));
    assert_eq!(ts("2024-06-01T05:00:00+02:00"), ts("2024-06-01T03:00:00Z"));
}

// ---------------------------------------------------------------------------
// Local dates and clock skew (offsets are minutes east of UTC, looked up per instant).

/// Paris: +60 in winter, +120 in summer (the switches of 2024: 31 March 01:00Z, 27 October 01:00Z).
const PARIS_WINTER: i32 = 60;
const PARIS_SUMMER: i32 = 120;

#[test]
fn local_time_parts() {
    let t = ts("2024-12-02T23:30:05.999Z");
    let utc = t.local(0);
    assert_eq!(utc.date(), (2024, 12, 2));
    assert_eq!((utc.hour, utc.minute, utc.second), (23, 30, 5));
    let paris = t.local(PARIS_WINTER);
    assert_eq!(paris.date(), (2024, 12, 3), "00:30 the next day in Paris");
    assert_eq!((paris.hour, paris.minute, paris.second), (0, 30, 5));
    let new_york = ts("2024-03-01T02:00:00Z").local(-300);
    assert_eq!(
        new_york.date(),
        (2024, 2, 29),
        "the leap day, 21:00 in New York"
    );
    assert_eq!(new_york.hour, 21);
    let kolkata = ts("2024-06-01T18:29:59Z").local(330);
    assert_eq!(
        (kolkata.date(), kolkata.hour, kolkata.minute),
        ((2024, 6, 1), 23, 59)
    );
    // The ends of the range at an offset stay whole (no panic, no wrap).
    assert_eq!(Timestamp::MIN.local(-60).date(), (-1, 12, 31));
    assert_eq!(Timestamp::MAX.local(60).date(), (10_000, 1, 1));
    // The existing texts are the same parts.
    assert_eq!(t.clock_text(PARIS_WINTER), "00:30:05");
    assert_eq!(t.date_time_text(PARIS_WINTER), "2024-12-03 00:30:05");
}

#[test]
fn recency_midnight_at_a_non_zero_offset() {
    use Recency::{OtherDay, Today};
    // 11:00 in Paris on 3 December (UTC+1): local midnight is 23:00Z the day before.
    let now = ts("2024-12-03T10:00:00Z");
    let r = |t: &str| ts(t).recency(now, PARIS_WINTER, PARIS_WINTER);
    assert_eq!(r("2024-12-02T23:00:00Z"), Today, "00:00:00 local");
    assert_eq!(
        r("2024-12-02T22:59:59.999Z"),
        OtherDay,
        "23:59:59.999 local, the day before"
    );
    assert_eq!(r("2024-12-03T10:00:00Z"), Today, "now itself");
    assert_eq!(r("2024-11-30T10:00:00Z"), OtherDay, "3 days ago");
    assert_eq!(
        r("2023-12-03T10:00:00Z"),
        OtherDay,
        "same date, a year before"
    );
    // In UTC the same instants fall on other sides of midnight.
    assert_eq!(ts("2024-12-02T23:00:00Z").recency(now, 0, 0), OtherDay);
    assert_eq!(ts("2024-12-03T00:00:00Z").recency(now, 0, 0), Today);
    // West of UTC (New York, -05:00): 22:00 on 2 December local.
    let now = ts("2024-12-03T03:00:00Z");
    assert_eq!(ts("2024-12-02T05:00:00Z").recency(now, -300, -300), Today);
    assert_eq!(
        ts("2024-12-02T04:59:59Z").recency(now, -300, -300),
        OtherDay
    );
    // Half-hour offset (Kolkata, +05:30): midnight is 18:30Z.
    let now = ts("2024-12-03T06:00:00Z");
    assert_eq!(ts("2024-12-02T18:30:00Z").recency(now, 330, 330), Today);
    assert_eq!(ts("2024-12-02T18:29:59Z").recency(now, 330, 330), OtherDay);
    // Just before midnight, a report a minute ahead (within the tolerance) is already
    // tomorrow: dated, not flagged.
    let now = ts("2024-12-03T22:59:30Z");
    assert_eq!(
        ts("2024-12-03T23:00:30Z").recency(now, PARIS_WINTER, PARIS_WINTER),
        OtherDay
    );
}

#[test]
fn recency_across_summer_time_changes() {
    use Recency::{OtherDay, Today};
    // Spring (31 March 2024, 01:00Z: +60 → +120). Now: 14:00 local (+120) on 31 March.
    let now = ts("2024-03-31T12:00:00Z");
    // 22:30Z on the 30th was 23:30 on the 30th at its own offset (+60): another day. At
    // now's offset it would wrongly read 00:30 on the 31st.
    let t = ts("2024-03-30T22:30:00Z");
    assert_eq!(t.recency(now, PARIS_WINTER, PARIS_SUMMER), OtherDay);
    assert_eq!(
        t.recency(now, PARIS_SUMMER, PARIS_SUMMER),
        Today,
        "the wrong offset"
    );
    assert_eq!(
        ts("2024-03-30T23:00:00Z").recency(now, PARIS_WINTER, PARIS_SUMMER),
        Today,
        "00:00 local on the 31st, before the switch"
    );
    // Autumn (27 October 2024, 01:00Z: +120 → +60). Now: 00:30 local (+60) on the 28th.
    let now = ts("2024-10-27T23:30:00Z");
    assert_eq!(
        ts("2024-10-27T22:59:59Z").recency(now, PARIS_WINTER, PARIS_WINTER),
        OtherDay,
        "23:59:59 on the 27th"
    );
    assert_eq!(
        ts("2024-10-27T23:00:00Z").recency(now, PARIS_WINTER, PARIS_WINTER),
        Today
    );
    // Noon on the 27th, 02:30 local on the 27th at +120 (before the switch): another day.
    let now = ts("2024-10-27T11:00:00Z");
    let t = ts("2024-10-26T22:30:00Z");
    assert_eq!(
        t.recency(now, PARIS_SUMMER, PARIS_WINTER),
        Today,
        "00:30 on the 27th"
    );
    assert_eq!(
        t.recency(now, PARIS_WINTER, PARIS_WINTER),
        OtherDay,
        "the wrong offset"
    );
}

#[test]
fn recency_flags_clock_skew_beyond_the_tolerance() {
    assert_eq!(CLOCK_SKEW_TOLERANCE_MS, 120_000, "2 minutes (documented)");
    let now = ts("2024-12-03T10:00:00Z");
    let ahead = |ms: i64| {
        Timestamp::from_millis(now.millis() + ms)
            .expect("in range")
            .recency(now, PARIS_WINTER, PARIS_WINTER)
    };
    // Exactly at the tolerance is not skew; one millisecond more is.
    assert_eq!(ahead(CLOCK_SKEW_TOLERANCE_MS), Recency::Today);
    assert_eq!(ahead(CLOCK_SKEW_TOLERANCE_MS).skew_ms(), None);
    assert_eq!(
        ahead(CLOCK_SKEW_TOLERANCE_MS + 1),
        Recency::Future {
            ahead_ms: CLOCK_SKEW_TOLERANCE_MS + 1,
            today: true
        }
    );
    assert_eq!(ahead(600_000).skew_ms(), Some(600_000), "10 minutes ahead");
    assert!(ahead(600_000).is_today());
    assert_eq!(ahead(-3 * 86_400_000), Recency::OtherDay);
    assert!(!Recency::OtherDay.is_today());
    // Far ahead, on another date: flagged, and dated.
    let two_days = ahead(2 * 86_400_000);
    assert_eq!(two_days.skew_ms(), Some(2 * 86_400_000));
    assert!(!two_days.is_today());
    // A few minutes ahead just before local midnight: flagged, on tomorrow's date.
    let late = ts("2024-12-03T22:58:00Z");
    let r = ts("2024-12-03T23:08:00Z").recency(late, PARIS_WINTER, PARIS_WINTER);
    assert_eq!(
        r,
        Recency::Future {
            ahead_ms: 600_000,
            today: false
        }
    );
    // The ends of the range.
    assert_eq!(
        Timestamp::MAX.recency(Timestamp::MIN, 0, 0).skew_ms(),
        Some(Timestamp::MAX.millis() - Timestamp::MIN.millis())
    );
    assert_eq!(
        Timestamp::MIN.recency(Timestamp::MAX, 0, 0),
        Recency::OtherDay
    );
}

// ---------------------------------------------------------------------------
// Types.

#[test]
fn kinds_status_and_severity() {
    let keys: Vec<&str> = IncidentKind::ALL.iter().map(|k| k.key()).collect();
    assert_eq!(
        keys,
        [
            "small_boat",
            "fence_breach",
            "lorry_intrusion",
            "tunnel_intrusion",
            "vehicle_sighting",
            "other"
        ]
    );
    for (i, k) in IncidentKind::ALL.into_iter().enumerate() {
        assert_eq!(IncidentKind::from_key(k.key()), Some(k));
        assert_eq!(k.index(), i);
    }
    for unknown in ["Small_Boat", "small boat", " small_boat", "jetski", ""] {
        assert_eq!(IncidentKind::from_key(unknown), None, "{unknown:?}");
    }
    assert_eq!(Status::from_key("open"), Some(Status::Open));
    assert_eq!(Status::from_key("closed"), Some(Status::Closed));
    assert_eq!(Status::from_key("Closed"), None);
    assert_eq!(Severity::new(0), None);
    assert_eq!(Severity::new(6), None);
    assert_eq!(Severity::new(5).map(Severity::get), Some(5));
    assert!(Severity::new(1) < Severity::new(5));
}

#[test]
fn names_default_and_partial_config() {
    let n = IncidentNames::default();
    assert_eq!(n.accuracy, "accuracy_m");
    assert!(n.fields().iter().all(|(_, v)| !v.is_empty()));
    let partial: IncidentNames =
        serde_json::from_str(r#"{"kind":"type_incident","severity":"gravite"}"#).expect("parses");
    assert_eq!(partial.kind, "type_incident");
    assert_eq!(partial.severity, "gravite");
    assert_eq!(partial.status, "status");
    assert_eq!(partial.updated_at, "updated_at");
}

// ---------------------------------------------------------------------------
// Events.

#[test]
fn small_boat_event_parses_every_field() {
    let inc = parse_incident(SMALL_BOAT, &names()).expect("valid event");
    assert_eq!(inc.id, "inc-sangatte-boat-1");
    assert_eq!(inc.kind, IncidentKind::SmallBoat);
    assert_eq!(inc.kind_text, None, "a known kind keeps no text");
    assert_eq!(inc.severity.get(), 4);
    assert_eq!(inc.status, Status::Open);
    assert!(inc.is_open());
    assert_eq!(inc.position, ll(1.74, 50.95));
    assert_eq!(inc.at, to_mercator(ll(1.74, 50.95)));
    // python3: 6378137 * radians(1.74), 6378137 * log(tan(pi/4 + radians(50.95)/2)).
    assert!((inc.at.x - 193_695.914).abs() < 0.01, "{:?}", inc.at);
    assert!((inc.at.y - 6_612_454.063).abs() < 0.01, "{:?}", inc.at);
    assert_eq!(inc.reported_at.millis(), 1_717_211_520_000);
    assert_eq!(inc.updated_at.millis(), 1_717_212_030_250);
    assert_eq!(
        inc.description,
        "Inflatable, about 40 people, heading north-west off Sangatte"
    );
    assert_eq!(inc.source.as_deref(), Some("cam-sangatte-beach-2"));
    assert_eq!(inc.accuracy_m, Some(150.0));
    assert_eq!(inc.seq, None);
    assert!(inc.track.is_empty());
    // The named properties are fields; the others are kept in source order, as text.
    let keys: Vec<&str> = inc.properties.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["persons", "vessel"]);
    assert_eq!(inc.properties[0], ("persons".into(), "40".into()));
    assert_eq!(
        inc.properties[1],
        (
            "vessel".into(),
            r#"{"type":"inflatable","engine":true}"#.into()
        )
    );
    assert_eq!(inc.clone().with_seq(812).seq, Some(812));
}

#[test]
fn fence_breach_numeric_id_and_missing_optionals() {
    let inc = parse_incident(FENCE_BREACH, &names()).expect("valid event");
    assert_eq!(inc.id, "1042");
    assert_eq!(inc.kind, IncidentKind::FenceBreach);
    assert_eq!(inc.status, Status::Closed);
    assert_eq!(inc.position, ll(1.81, 50.93), "altitude ignored");
    assert_eq!(inc.description, "");
    assert_eq!(inc.source, None);
    assert_eq!(inc.accuracy_m, None);
    assert_eq!(inc.reported_at.to_rfc3339(), "2024-06-01T03:01:17.500Z");
    assert_eq!(inc.updated_at.to_rfc3339(), "2024-06-01T03:05:00.000Z");
}

#[test]
fn id_falls_back_to_the_id_property() {
    let text = boat_with(r#""id": "inc-sangatte-boat-1","#, "").replacen(
        r#""kind": "#,
        r#""id": "p-77", "kind": "#,
        1,
    );
    assert_eq!(parse_incident(&text, &names()).expect("valid").id, "p-77");
    let text = boat_with(r#""id": "inc-sangatte-boat-1","#, r#""id": null,"#).replacen(
        r#""kind": "#,
        r#""id": 5, "kind": "#,
        1,
    );
    assert_eq!(parse_incident(&text, &names()).expect("valid").id, "5");
}

#[test]
fn configured_property_names() {
    let n = IncidentNames {
        kind: "type_incident".into(),
        severity: "gravite".into(),
        ..IncidentNames::default()
    };
    let text = boat_with(
        r#""kind": "small_boat""#,
        r#""type_incident": "small_boat""#,
    )
    .replacen(r#""severity": 4"#, r#""gravite": 2"#, 1);
    let inc = parse_incident(&text, &n).expect("valid with configured names");
    assert_eq!(inc.kind, IncidentKind::SmallBoat);
    assert_eq!(inc.severity.get(), 2);
    assert_eq!(
        parse_incident(&text, &names()),
        Err(IncidentError::KindMissing)
    );
}

/// A feature whose kind is `kind` (JSON text), and the same with a bare `NaN` in an extra
/// property (read again by the serde_json fallback, not the fast reader).
fn with_kind(kind: &str) -> [String; 2] {
    let text = boat_with(r#""kind": "small_boat""#, &format!(r#""kind": {kind}"#));
    let fallback = text.replacen(r#""persons": 40"#, r#""persons": NaN"#, 1);
    assert_ne!(text, fallback, "fixture has persons");
    [text, fallback]
}

#[test]
fn unknown_kinds_are_other_with_their_text_in_events_and_snapshots() {
    let long = format!("\"{}\"", "k".repeat(200));
    let cases = [
        (r#""drone_sighting""#, "drone_sighting".to_string()),
        (r#""Small_Boat""#, "Small_Boat".to_string()),
        (r#""jet ski <b>&amp;""#, "jet ski <b>&amp;".to_string()),
        (r#""dr\u00f4ne""#, "dr\u{f4}ne".to_string()),
        (long.as_str(), format!("{}…", "k".repeat(80))),
    ];
    for (kind, want) in &cases {
        for text in with_kind(kind) {
            // Live event.
            let inc = parse_incident(&text, &names()).unwrap_or_else(|e| panic!("{kind}: {e}"));
            assert_eq!(inc.kind, IncidentKind::Other, "{kind}");
            assert_eq!(inc.kind_text.as_deref(), Some(want.as_str()), "{kind}");
            assert!(
                !inc.properties.iter().any(|(k, _)| k == "kind"),
                "the kind is a field, not an extra property"
            );
            // The same feature in a snapshot, beside a known kind.
            let snap = parse_snapshot(
                &collection(&[
                    text.clone(),
                    feature_json(
                        "b",
                        "fence_breach",
                        COQUELLES,
                        "open",
                        "2024-06-01T04:00:00Z",
                    ),
                ]),
                &names(),
            )
            .expect("loads");
            assert_eq!(snap.rejected, []);
            assert_eq!(snap.incidents.len(), 2);
            assert_eq!(
                snap.incidents[0], inc,
                "{kind}: the snapshot reads what the event does"
            );
            assert_eq!(snap.incidents[1].kind_text, None);
        }
    }
    // The key "other" itself is a known kind: no text.
    let [text, fallback] = with_kind(r#""other""#);
    for t in [text, fallback] {
        let inc = parse_incident(&t, &names()).expect("valid");
        assert_eq!((inc.kind, inc.kind_text), (IncidentKind::Other, None));
    }
    // A configured kind property name reads the same way.
    let n = IncidentNames {
        kind: "type_incident".into(),
        ..IncidentNames::default()
    };
    let text = boat_with(r#""kind": "small_boat""#, r#""type_incident": "drone""#);
    let inc = parse_incident(&text, &n).expect("valid");
    assert_eq!(inc.kind_text.as_deref(), Some("drone"));
}

#[test]
fn missing_or_non_string_kinds_are_rejected_and_keep_the_good_data() {
    use IncidentError as E;
    let bad = [
        ("null", E::KindMissing),
        (r#""""#, E::KindMissing),
        (r#""   ""#, E::KindMissing),
        ("3", E::BadKind("3".into())),
        ("false", E::BadKind("false".into())),
        (r#"["drone"]"#, E::BadKind(r#"["drone"]"#.into())),
    ];
    for (kind, want) in &bad {
        for text in with_kind(kind) {
            assert_eq!(
                parse_incident(&text, &names()).as_ref(),
                Err(want),
                "{kind}"
            );
        }
    }
    let [no_kind, no_kind_fallback] =
        with_kind(r#""x""#).map(|t| t.replacen(r#""kind": "x","#, "", 1));
    for text in [&no_kind, &no_kind_fallback] {
        assert_eq!(parse_incident(text, &names()), Err(E::KindMissing));
    }

    // In a store: a good incident, then bad versions of it and of a new id change nothing.
    let mut store = IncidentStore::new();
    let good = parse_incident(&with_kind(r#""drone_sighting""#)[0], &names()).expect("valid");
    assert_eq!(store.upsert(good.clone().with_seq(1)), Upsert::Inserted);
    let v = store.version();
    for (i, (kind, want)) in bad.iter().enumerate() {
        let text = with_kind(kind)[0].replacen("05:20:30.250", "06:00:00", 1);
        match parse_incident(&text, &names()) {
            Ok(inc) => panic!("{kind} parsed: {inc:?}"),
            Err(e) => {
                assert_eq!(&e, want);
                store.record_error(&e);
            }
        }
        assert_eq!(store.diagnostics().rejected, i as u64 + 1);
    }
    assert_eq!(store.version(), v, "rejections change no incident");
    assert_eq!(store.get(&good.id), Some(&good.clone().with_seq(1)));
    assert_eq!(
        store
            .diagnostics()
            .last_error
            .as_ref()
            .map(ToString::to_string)
            .as_deref(),
        Some(r#"kind ["drone"] is not a string"#)
    );

    // A snapshot with a bad kind for a held id and a good unknown kind: the held version
    // stays (the rejected id counts as present), the unknown one is added as other.
    let snap_text = collection(&[
        feature_json("b", "x", COQUELLES, "open", "2024-06-01T09:00:00Z").replacen(
            r#""kind":"x""#,
            r#""kind":12"#,
            1,
        ),
        feature_json(
            "c",
            "harbour_seal",
            SANGATTE,
            "open",
            "2024-06-01T09:00:00Z",
        ),
    ]);
    let mut store = IncidentStore::new();
    fill(
        &mut store,
        &[("b", K::FenceBreach, COQUELLES, Open, "08:00", None)],
    );
    let snap = parse_snapshot(&snap_text, &names()).expect("loads");
    assert_eq!(
        snap.rejected,
        [Rejected {
            index: 0,
            id: Some("b".into()),
            error: E::BadKind("12".into()),
        }]
    );
    let out = store.apply_snapshot(snap);
    assert_eq!((out.inserted, out.removed, out.rejected), (1, 0, 1));
    assert_eq!(store.get("b").map(|i| i.kind), Some(K::FenceBreach));
    assert_eq!(store.get("b").map(|i| i.updated_at), Some(hm("08:00")));
    let c = store.get("c").expect("added");
    assert_eq!(
        (c.kind, c.kind_text.as_deref()),
        (K::Other, Some("harbour_seal"))
    );
    assert_eq!(store.open_counts_by_kind()[5], (K::Other, 1));
}

#[test]
fn the_store_keeps_the_kind_text_of_the_latest_version() {
    let version = |kind: &str, updated: &str, lon: f64| {
        let text = feature_json("d", kind, (lon, 50.96), "open", updated);
        parse_incident(&text, &names()).expect("valid")
    };
    let mut store = IncidentStore::new();
    let first = version("drone_sighting", "2024-06-01T10:00:00Z", 1.80);
    store.upsert(first.with_seq(1));
    // A newer state of the same unknown kind (moved): the text stays, the track grows.
    assert_eq!(
        store.upsert(version("drone_sighting", "2024-06-01T10:01:00Z", 1.81).with_seq(2)),
        Upsert::Updated
    );
    let d = store.get("d").expect("held");
    assert_eq!(
        (d.kind, d.kind_text.as_deref()),
        (K::Other, Some("drone_sighting"))
    );
    assert_eq!(d.track.len(), 1);
    // An earlier event (a lower seq) with another text is stale: nothing changes.
    assert_eq!(
        store.upsert(version("uav", "2024-06-01T09:00:00Z", 1.81).with_seq(1)),
        Upsert::Stale
    );
    assert_eq!(
        store.get("d").and_then(|d| d.kind_text.as_deref()),
        Some("drone_sighting")
    );
    // The latest state is the whole incident: a renamed unknown kind, then a known one.
    store.upsert(version("uav", "2024-06-01T10:02:00Z", 1.81).with_seq(4));
    assert_eq!(
        store.get("d").and_then(|d| d.kind_text.as_deref()),
        Some("uav")
    );
    assert_eq!(store.open_counts_by_kind()[5], (K::Other, 1));
    store.upsert(version("vehicle_sighting", "2024-06-01T10:03:00Z", 1.81).with_seq(5));
    let d = store.get("d").expect("held");
    assert_eq!((d.kind, d.kind_text.as_deref()), (K::VehicleSighting, None));
    assert_eq!(store.open_counts_by_kind()[4], (K::VehicleSighting, 1));
    assert_eq!(store.open_counts_by_kind()[5], (K::Other, 0));
    assert_eq!(d.track.len(), 1, "the track is kept across kinds");
}

#[test]
fn invalid_events_give_exact_errors() {
    use IncidentError as E;
    let geometry = r#""geometry": { "type": "Point", "coordinates": [1.74, 50.95] },"#;
    let cases: Vec<(&str, &str, IncidentError)> = vec![
        (r#""id": "inc-sangatte-boat-1","#, "", E::NoId),
        (r#""id": "inc-sangatte-boat-1","#, r#""id": "  ","#, E::NoId),
        (r#""id": "inc-sangatte-boat-1","#, r#""id": true,"#, E::NoId),
        (geometry, "", E::GeometryMissing),
        (geometry, r#""geometry": null,"#, E::GeometryMissing),
        (
            geometry,
            r#""geometry": { "type": "Polygon", "coordinates": [] },"#,
            E::NotPoint("Polygon".into()),
        ),
        (
            geometry,
            r#""geometry": [1.74, 50.95],"#,
            E::NotPoint("an array without a type".into()),
        ),
        (
            "[1.74, 50.95]",
            "[1.74]",
            E::BadCoordinates("position has 1 number(s) (needs at least 2)".into()),
        ),
        (
            "[1.74, 50.95]",
            r#"["1.74", 50.95]"#,
            E::BadCoordinates("coordinate is a string (expected a number)".into()),
        ),
        (
            r#", "coordinates": [1.74, 50.95]"#,
            "",
            E::BadCoordinates("no coordinates".into()),
        ),
        ("[1.74, 50.95]", "[1.74, NaN]", E::NonFiniteCoordinates),
        (
            "[1.74, 50.95]",
            "[Infinity, 50.95]",
            E::NonFiniteCoordinates,
        ),
        ("[1.74, 50.95]", "[1.74, null]", E::NonFiniteCoordinates),
        (
            "[1.74, 50.95]",
            "[200, 50.95]",
            E::CoordinatesOutOfRange {
                lon: 200.0,
                lat: 50.95,
            },
        ),
        (
            "[1.74, 50.95]",
            "[1.74, -90.5]",
            E::CoordinatesOutOfRange {
                lon: 1.74,
                lat: -90.5,
            },
        ),
        (r#""kind": "small_boat","#, "", E::KindMissing),
        (
            r#""kind": "small_boat","#,
            r#""kind": null,"#,
            E::KindMissing,
        ),
        (r#""small_boat""#, r#""""#, E::KindMissing),
        (r#""small_boat""#, r#"" \t ""#, E::KindMissing),
        (r#""small_boat""#, "3", E::BadKind("3".into())),
        (r#""small_boat""#, "true", E::BadKind("true".into())),
        (
            r#""small_boat""#,
            r#"["small_boat"]"#,
            E::BadKind(r#"["small_boat"]"#.into()),
        ),
        (
            r#""small_boat""#,
            r#"{"key":"small_boat"}"#,
            E::BadKind(r#"{"key":"small_boat"}"#.into()),
        ),
        (r#""severity": 4,"#, "", E::SeverityMissing),
        (r#""status": "open","#, "", E::StatusMissing),
        (r#""open""#, r#""opened""#, E::BadStatus("opened".into())),
        (r#""open""#, r#""OPEN""#, E::BadStatus("OPEN".into())),
        (r#""open""#, "true", E::BadStatus("true".into())),
        (
            r#""reported_at": "2024-06-01T05:12:00+02:00","#,
            "",
            E::TimeMissing(TimeField::ReportedAt),
        ),
        (
            r#""updated_at": "2024-06-01T05:20:30.250+02:00","#,
            r#""updated_at": null,"#,
            E::TimeMissing(TimeField::UpdatedAt),
        ),
        (
            "2024-06-01T05:12:00+02:00",
            "2024-06-01 05:12:00+02:00",
            E::BadTime {
                field: TimeField::ReportedAt,
                found: "2024-06-01 05:12:00+02:00".into(),
            },
        ),
        (
            r#""2024-06-01T05:20:30.250+02:00""#,
            "1717212030250",
            E::BadTime {
                field: TimeField::UpdatedAt,
                found: "1717212030250".into(),
            },
        ),
        (
            r#""type": "Feature","#,
            r#""type": "FeatureCollection","#,
            E::NotFeature(r#"type is "FeatureCollection""#.into()),
        ),
        (
            r#""type": "Feature","#,
            "",
            E::NotFeature(r#"no "type" member"#.into()),
        ),
    ];
    for (from, to, want) in cases {
        assert_eq!(boat_err(from, to), want, "{from:?} -> {to:?}");
    }
    for bad in ["0", "6", "-1", "2.5", "256", r#""3""#, "[4]"] {
        assert_eq!(
            boat_err(r#""severity": 4"#, &format!(r#""severity": {bad}"#)),
            E::BadSeverity(bad.into()),
            "severity {bad}"
        );
    }
    assert_eq!(
        parse_incident("[]", &names()),
        Err(E::NotFeature("an array (expected an object)".into()))
    );
    assert!(matches!(
        parse_incident("<html>502 Bad Gateway</html>", &names()),
        Err(E::Json(_))
    ));
    assert!(matches!(parse_incident("", &names()), Err(E::Json(_))));
}

#[test]
fn severity_accepts_integral_numbers_and_description_is_verbatim() {
    let inc = parse_incident(
        &boat_with(r#""severity": 4"#, r#""severity": 5.0"#),
        &names(),
    )
    .expect("5.0 is an integer");
    assert_eq!(inc.severity.get(), 5);

    let nasty = r#"<script>alert(\"x\")</script> &amp; \u00e9 \n line 2"#;
    let inc = parse_incident(
        &boat_with(
            r#""Inflatable, about 40 people, heading north-west off Sangatte""#,
            &format!("\"{nasty}\""),
        ),
        &names(),
    )
    .expect("valid");
    assert_eq!(
        inc.description,
        "<script>alert(\"x\")</script> &amp; \u{e9} \n line 2"
    );
    let inc = parse_incident(
        &boat_with(
            r#""description": "Inflatable, about 40 people, heading north-west off Sangatte","#,
            "",
        ),
        &names(),
    )
    .expect("description is optional");
    assert_eq!(inc.description, "");
    // A bad optional value is dropped, never a reason to lose the incident.
    let inc = parse_incident(&boat_with("150", "-3"), &names()).expect("valid");
    assert_eq!(inc.accuracy_m, None);
    let inc = parse_incident(&boat_with("150", r#""35.5""#), &names()).expect("valid");
    assert_eq!(inc.accuracy_m, Some(35.5));
}

#[test]
fn error_messages_are_human_readable() {
    let msg = |e: IncidentError| e.to_string();
    assert_eq!(
        msg(IncidentError::BadKind("3".into())),
        "kind 3 is not a string"
    );
    assert_eq!(msg(IncidentError::KindMissing), "kind is missing or empty");
    assert_eq!(
        msg(IncidentError::BadSeverity("9".into())),
        "severity 9 is not an integer from 1 to 5"
    );
    assert_eq!(
        msg(IncidentError::BadTime {
            field: TimeField::UpdatedAt,
            found: "yesterday".into()
        }),
        r#"updated_at "yesterday" is not an RFC 3339 date-time"#
    );
    assert_eq!(
        msg(IncidentError::TimeMissing(TimeField::ReportedAt)),
        "reported_at is missing"
    );
    assert_eq!(
        msg(IncidentError::CoordinatesOutOfRange {
            lon: 1.8,
            lat: 95.0
        }),
        "Point coordinates [1.8, 95.0] out of range (lon must be in -180..180, lat in -90..90)"
    );
    assert_eq!(
        msg(IncidentError::CoordinatesOutOfRange {
            lon: 1e308,
            lat: 0.0
        }),
        "Point coordinates [1e308, 0.0] out of range (lon must be in -180..180, lat in -90..90)"
    );
    // Quoted input is cut short.
    let long = "x".repeat(10_000);
    let e = boat_err(r#""open""#, &format!("\"{long}\""));
    assert!(e.to_string().len() < 200, "{e}");
}

#[test]
fn sse_ids() {
    assert_eq!(parse_seq("812"), Some(812));
    assert_eq!(parse_seq("0"), Some(0));
    assert_eq!(parse_seq("18446744073709551615"), Some(u64::MAX));
    for bad in ["", "-1", "+1", " 1", "1.0", "abc", "18446744073709551616"] {
        assert_eq!(parse_seq(bad), None, "{bad:?}");
    }
}

// ---------------------------------------------------------------------------
// Snapshots.

#[test]
fn mixed_snapshot_keeps_the_good_and_reports_the_bad() {
    let snap = parse_snapshot(SNAPSHOT_MIXED, &names()).expect("snapshot loads");
    assert_eq!(snap.cursor.as_deref(), Some("c-000184"));
    let got: Vec<&str> = snap.incidents.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(
        got,
        [
            "inc-boat-1",
            "inc-fence-7",
            "inc-lorry-3",
            "77",
            "inc-drone-1"
        ]
    );

    let fence = &snap.incidents[1];
    assert_eq!(fence.description, XSS, "kept verbatim");
    // Named properties are fields, not repeated among the extra properties.
    assert!(!fence.properties.iter().any(|(k, _)| k == "description"));
    assert_eq!(fence.position, ll(1.81, 50.93));

    let lorry = &snap.incidents[2];
    assert_eq!(lorry.kind, IncidentKind::LorryIntrusion);
    assert_eq!(lorry.status, Status::Closed);
    assert_eq!(lorry.updated_at.millis(), 1_717_206_300_000);
    assert_eq!(snap.incidents[3].kind, IncidentKind::TunnelIntrusion);
    assert_eq!(snap.incidents[3].accuracy_m, Some(25.5));
    // An unknown kind is kept as `other` with its text; known kinds carry no text.
    let drone = &snap.incidents[4];
    assert_eq!(drone.kind, IncidentKind::Other);
    assert_eq!(drone.kind_text.as_deref(), Some("drone_sighting"));
    assert!(snap.incidents[..4].iter().all(|i| i.kind_text.is_none()));

    let want = vec![
        Rejected {
            index: 2,
            id: Some("inc-bad-kind".into()),
            error: IncidentError::BadKind("7".into()),
        },
        Rejected {
            index: 3,
            id: Some("inc-bad-geometry".into()),
            error: IncidentError::NotPoint("LineString".into()),
        },
        Rejected {
            index: 4,
            id: Some("inc-bad-severity".into()),
            error: IncidentError::BadSeverity("9".into()),
        },
        Rejected {
            index: 5,
            id: None,
            error: IncidentError::NoId,
        },
        Rejected {
            index: 7,
            id: Some("inc-bad-time".into()),
            error: IncidentError::BadTime {
                field: TimeField::UpdatedAt,
                found: "yesterday".into(),
            },
        },
        Rejected {
            index: 8,
            id: Some("inc-bad-lat".into()),
            error: IncidentError::CoordinatesOutOfRange {
                lon: 1.8,
                lat: 95.0,
            },
        },
    ];
    assert_eq!(snap.rejected, want);
}

#[test]
fn snapshot_whole_failures() {
    use IncidentError as E;
    assert!(matches!(parse_snapshot("{", &names()), Err(E::Json(_))));
    assert_eq!(
        parse_snapshot(SMALL_BOAT, &names()),
        Err(E::NotFeatureCollection(r#"type is "Feature""#.into()))
    );
    assert_eq!(
        parse_snapshot(r#"{"type":"FeatureCollection","features":{}}"#, &names()),
        Err(E::NotFeatureCollection(
            "no features array (features is an object)".into()
        ))
    );
    assert_eq!(
        parse_snapshot("42", &names()),
        Err(E::NotFeatureCollection(
            "a number (expected an object)".into()
        ))
    );
    let empty = parse_snapshot(r#"{"type":"FeatureCollection","features":[]}"#, &names())
        .expect("empty is fine");
    assert_eq!(empty, Snapshot::default());
    let numeric_cursor = parse_snapshot(
        r#"{"type":"FeatureCollection","features":[],"cursor":184}"#,
        &names(),
    )
    .expect("loads");
    assert_eq!(numeric_cursor.cursor.as_deref(), Some("184"));
}

#[test]
fn truncated_or_mangled_input_never_panics() {
    let mut cut = 0;
    let whole = SNAPSHOT_MIXED.trim_end();
    for (i, _) in whole.char_indices() {
        let prefix = &whole[..i];
        assert!(
            parse_snapshot(prefix, &names()).is_err(),
            "prefix {i} is not JSON"
        );
        cut += 1;
    }
    assert!(cut > 1000);
    for (i, _) in SMALL_BOAT.char_indices().step_by(3) {
        for patch in ["\"", "}", "[", "NaN", "-", "\u{feff}"] {
            let mut s = SMALL_BOAT.to_string();
            s.insert_str(i, patch);
            let _ = parse_incident(&s, &names());
        }
    }
}

// ---------------------------------------------------------------------------
// Store: ordering.

use IncidentKind as K;
use Status::{Closed, Open};

/// 2024-06-01 at `hh_mm` UTC.
fn hm(hh_mm: &str) -> Timestamp {
    ts(&format!("2024-06-01T{hh_mm}:00Z"))
}

/// (id, kind, position, status, "HH:MM", seq).
type Row<'a> = (&'a str, K, (f64, f64), Status, &'a str, Option<u64>);

/// Upsert rows.
fn fill(store: &mut IncidentStore, rows: &[Row]) {
    for &(id, kind, p, status, t, seq) in rows {
        store.upsert(mk(id, kind, p, status, hm(t), seq));
    }
}

/// (id, kind key, position, status, "HH:MM").
type WireRow<'a> = (&'a str, &'a str, (f64, f64), &'a str, &'a str);

/// A snapshot FeatureCollection from rows.
fn wire(rows: &[WireRow]) -> String {
    let features: Vec<String> = rows
        .iter()
        .map(|&(id, kind, p, status, t)| {
            feature_json(id, kind, p, status, &format!("2024-06-01T{t}:00Z"))
        })
        .collect();
    collection(&features)
}

#[test]
fn live_versions_are_ordered_by_the_servers_seq_not_its_clock() {
    let mut store = IncidentStore::new();
    let v0 = store.version();
    let boat = |min, seq| mk("b1", K::SmallBoat, SANGATTE, Open, at_min(min), seq);

    assert_eq!(store.upsert(boat(10, Some(5))), Upsert::Inserted);
    let v1 = store.version();
    assert_ne!(v1, v0);

    assert_eq!(store.upsert(boat(10, Some(5))), Upsert::Duplicate, "replay");
    assert_eq!(
        store.upsert(boat(12, Some(4))),
        Upsert::Stale,
        "an earlier event (out of order), however it is stamped"
    );
    assert_eq!(
        store.upsert(boat(10, None)),
        Upsert::Duplicate,
        "no seq: the same time is the same version"
    );
    assert_eq!(
        store.upsert(boat(9, None)),
        Upsert::Stale,
        "no seq: an earlier time"
    );
    assert_eq!(store.version(), v1, "nothing effective happened");
    assert_eq!(store.get("b1").and_then(|i| i.seq), Some(5));

    // The server's clock went back three days: its next event is still the newer version.
    let mut behind = boat(10 - 3 * 24 * 60, Some(6));
    behind.severity = Severity::new(5).expect("valid");
    behind.status = Closed;
    assert_eq!(store.upsert(behind), Upsert::Updated, "seq, not the clock");
    let b1 = store.get("b1").expect("held");
    assert_eq!((b1.severity.get(), b1.status, b1.seq), (5, Closed, Some(6)));
    assert_eq!(b1.updated_at, at_min(10 - 3 * 24 * 60));
    let v2 = store.version();
    assert_ne!(v2, v1);

    assert_eq!(
        store.upsert(boat(11, None)),
        Upsert::Updated,
        "no seq: a later time wins"
    );
    assert_eq!(
        store.upsert(boat(1, Some(1))),
        Upsert::Updated,
        "any seq over none (the stream resumes after the snapshot's cursor)"
    );
    assert_eq!(store.get("b1").and_then(|i| i.seq), Some(1));
    assert_eq!(store.len(), 1);
    assert!(Upsert::Updated.changed() && !Upsert::Stale.changed());
}

#[test]
fn closing_keeps_the_incident_and_updates_counts() {
    let mut store = IncidentStore::new();
    let lorry_park = (1.82, 50.935);
    fill(
        &mut store,
        &[
            ("boat", K::SmallBoat, SANGATTE, Open, "04:00", None),
            ("fence", K::FenceBreach, COQUELLES, Open, "04:01", None),
            ("fence2", K::FenceBreach, COQUELLES, Open, "04:02", None),
            (
                "lorry",
                K::LorryIntrusion,
                lorry_park,
                Closed,
                "04:03",
                None,
            ),
        ],
    );
    let counts = |s: &IncidentStore| -> Vec<usize> {
        s.open_counts_by_kind()
            .into_iter()
            .map(|(_, n)| n)
            .collect()
    };
    let kinds: Vec<K> = store
        .open_counts_by_kind()
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert_eq!(kinds, IncidentKind::ALL);
    assert_eq!(counts(&store), [1, 2, 0, 0, 0, 0]);

    fill(
        &mut store,
        &[("fence", K::FenceBreach, COQUELLES, Closed, "04:05", None)],
    );
    assert_eq!(counts(&store), [1, 1, 0, 0, 0, 0]);
    assert_eq!(store.len(), 4, "closed incidents stay");
    assert_eq!(store.get("fence").map(|i| i.status), Some(Closed));

    fill(
        &mut store,
        &[("fence2", K::Other, COQUELLES, Open, "04:06", None)],
    );
    assert_eq!(counts(&store), [1, 0, 0, 0, 0, 1]);
    assert_eq!(ids(&store), ["boat", "fence", "fence2", "lorry"]);
    assert_eq!(store.newest_update(), Some(hm("04:06")));
}

#[test]
fn moving_incident_builds_a_bounded_track() {
    let mut store = IncidentStore::new();
    // Drifting north-west from Sangatte, one fix a minute.
    let pos = |i: i64| (1.74 - 0.002 * i as f64, 50.95 + 0.001 * i as f64);
    let fix = |i: i64, p, seq| mk("boat", K::SmallBoat, p, Open, at_min(i), seq);
    for i in 0..=20 {
        assert!(store.upsert(fix(i, pos(i), Some(i as u64))).changed());
    }
    let boat = store.get("boat").expect("held");
    assert_eq!(boat.position, ll(pos(20).0, pos(20).1));
    assert_eq!(boat.track.len(), TRACK_LEN);
    // Versions 4..=19 (the previous positions), oldest first.
    for (k, (m, t)) in boat.track.iter().enumerate() {
        let i = k as i64 + 4;
        assert_eq!(*m, to_mercator(ll(pos(i).0, pos(i).1)), "track {k}");
        assert_eq!(*t, at_min(i));
    }

    // An update without moving adds nothing; the track is carried over.
    store.upsert(fix(21, pos(20), Some(21)));
    let boat = store.get("boat").expect("held");
    assert_eq!(boat.track.len(), TRACK_LEN);
    assert_eq!(boat.track.last().map(|(_, t)| *t), Some(at_min(19)));

    // A stale fix from the past changes nothing.
    assert_eq!(store.upsert(fix(3, SANGATTE, None)), Upsert::Stale);
    assert_eq!(
        store.get("boat").map(|b| b.position),
        Some(ll(pos(20).0, pos(20).1))
    );
}

// ---------------------------------------------------------------------------
// Store: resync, purge, diagnostics.

#[test]
fn resync_replaces_the_held_state_with_the_servers() {
    let mut store = IncidentStore::new();
    let first = wire(&[
        ("a", "small_boat", SANGATTE, "open", "10:00"),
        ("b", "fence_breach", COQUELLES, "open", "10:05"),
        ("d", "other", COQUELLES, "closed", "09:00"),
        ("e", "vehicle_sighting", COQUELLES, "open", "10:00"),
    ]);
    store.apply_snapshot(parse_snapshot(&first, &names()).expect("loads"));
    // After it, a live event: c appears.
    fill(
        &mut store,
        &[("c", K::SmallBoat, (1.70, 50.96), Open, "10:20", Some(9))],
    );
    let bad_e = feature_json(
        "e",
        "vehicle_sighting",
        COQUELLES,
        "open",
        "2024-06-01T10:06:00Z",
    )
    .replacen(r#""severity":3"#, r#""severity":0"#, 1);
    let good = wire(&[
        ("a", "small_boat", (1.73, 50.955), "open", "10:10"),
        ("b", "fence_breach", COQUELLES, "open", "10:05"),
        ("f", "tunnel_intrusion", (1.78, 50.92), "open", "10:15"),
    ]);
    let head = good.strip_suffix("]}").expect("collection text");
    let text = format!("{head},{bad_e}]}}");
    let snap = parse_snapshot(&text, &names()).expect("loads");
    assert_eq!(snap.rejected.len(), 1, "e's feature has severity 0");
    let v = store.version();
    let out = store.apply_snapshot(snap);
    let want = SnapshotOutcome {
        inserted: 1,
        updated: 1,
        duplicate: 1,
        removed: 2,
        rejected: 1,
    };
    assert_eq!(out, want);
    assert_ne!(store.version(), v);
    // c and d are gone (the server no longer has them, c although it is stamped later than
    // anything in the snapshot); b is the same state; e's feature was bad, so e stays.
    assert_eq!(ids(&store), ["a", "b", "e", "f"]);
    let a = store.get("a").expect("held");
    assert_eq!(a.position, ll(1.73, 50.955));
    assert_eq!(a.track.len(), 1, "moved");
    assert_eq!(a.seq, None, "snapshot versions carry no seq");
    assert_eq!(store.diagnostics().rejected, 1);
    assert_eq!(
        store
            .diagnostics()
            .last_error
            .as_ref()
            .map(ToString::to_string)
            .as_deref(),
        Some("severity 0 is not an integer from 1 to 5")
    );

    // The server's clock went back: its state replaces the held one all the same (a closed,
    // stamped earlier than the version held); the same states are duplicates.
    let text = wire(&[
        ("a", "small_boat", (1.73, 50.955), "closed", "09:59"),
        ("b", "fence_breach", COQUELLES, "open", "10:05"),
        ("e", "vehicle_sighting", COQUELLES, "open", "10:00"),
        ("f", "tunnel_intrusion", (1.78, 50.92), "open", "10:15"),
    ]);
    let out = store.apply_snapshot(parse_snapshot(&text, &names()).expect("loads"));
    assert_eq!((out.updated, out.duplicate, out.removed), (1, 3, 0));
    let a = store.get("a").expect("held");
    assert_eq!((a.status, a.updated_at), (Closed, hm("09:59")));
    assert_eq!(store.len(), 4);
}

#[test]
fn resync_edge_cases() {
    let mut store = IncidentStore::new();
    fill(
        &mut store,
        &[
            ("a", K::SmallBoat, SANGATTE, Open, "00:00", None),
            ("b", K::FenceBreach, COQUELLES, Closed, "08:20", None),
        ],
    );
    // All features rejected: no reference time, nothing removed.
    let all_bad = wire(&[("z", "small_boat", SANGATTE, "open", "00:00")]).replacen(
        r#""kind":"small_boat""#,
        r#""kind":null"#,
        1,
    );
    let out = store.apply_snapshot(parse_snapshot(&all_bad, &names()).expect("loads"));
    assert_eq!((out.removed, out.rejected), (0, 1));
    assert_eq!(store.len(), 2);
    let last = store
        .diagnostics()
        .last_error
        .as_ref()
        .map(ToString::to_string);
    assert_eq!(last.as_deref(), Some("kind is missing or empty"));

    // No features at all: the server has nothing.
    let out = store.apply_snapshot(parse_snapshot(&wire(&[]), &names()).expect("loads"));
    assert_eq!(out.removed, 2);
    assert!(store.is_empty());
    assert_eq!(store.newest_update(), None);
    assert!(store.open_counts_by_kind().iter().all(|(_, n)| *n == 0));
}

#[test]
fn purge_drops_old_closed_only() {
    let mut store = IncidentStore::new();
    let (now, hour) = (hm("12:00"), 3_600_000);
    fill(
        &mut store,
        &[
            (
                "old-closed",
                K::FenceBreach,
                COQUELLES,
                Closed,
                "10:30",
                None,
            ),
            (
                "edge-closed",
                K::FenceBreach,
                COQUELLES,
                Closed,
                "11:00",
                None,
            ),
            ("new-closed", K::SmallBoat, SANGATTE, Closed, "11:30", None),
            ("old-open", K::SmallBoat, SANGATTE, Open, "06:00", None),
        ],
    );
    let v = store.version();
    assert_eq!(store.purge(now, hour), 1);
    assert_ne!(store.version(), v);
    assert_eq!(ids(&store), ["edge-closed", "new-closed", "old-open"]);
    let v = store.version();
    assert_eq!(store.purge(now, hour), 0);
    assert_eq!(store.version(), v, "no change, same version");

    // A closed incident that is reopened is no longer purgeable.
    fill(
        &mut store,
        &[(
            "edge-closed",
            K::FenceBreach,
            COQUELLES,
            Open,
            "11:01",
            None,
        )],
    );
    assert_eq!(store.purge(now, 0), 1, "only new-closed");
    assert_eq!(store.purge(now, -5), 0, "negative retention counts as 0");
    assert_eq!(ids(&store), ["edge-closed", "old-open"]);
    assert_eq!(store.purge(Timestamp::MIN, i64::MAX), 0);
}

#[test]
fn diagnostics_record() {
    let mut d = Diagnostics::default();
    d.record(&IncidentError::NoId);
    d.record(&IncidentError::GeometryMissing);
    assert_eq!(d.rejected, 2);
    assert_eq!(
        d.last_error.as_ref().map(ToString::to_string).as_deref(),
        Some("geometry is missing or null")
    );
    let mut store = IncidentStore::new();
    let v = store.version();
    store.record_error(&IncidentError::KindMissing);
    assert_eq!(store.diagnostics().rejected, 1);
    assert_eq!(store.version(), v);
}

// ---------------------------------------------------------------------------
// Store: scale and order independence.

#[test]
fn hundred_thousand_inserts_and_updates() {
    const N: usize = 100_000;
    let mut store = IncidentStore::new();
    let pos = |i: usize, step: f64| {
        (
            1.6 + (i % 400) as f64 * 0.001 + step,
            50.85 + (i / 400) as f64 * 0.0005,
        )
    };
    let kind = |i: usize| IncidentKind::ALL[i % IncidentKind::ALL.len()];
    for i in 0..N {
        let id = format!("inc-{i:06}");
        let up = store.upsert(mk(
            &id,
            kind(i),
            pos(i, 0.0),
            Status::Open,
            at_min((i % 600) as i64),
            Some(i as u64),
        ));
        assert_eq!(up, Upsert::Inserted);
    }
    assert_eq!(store.len(), N);
    assert_eq!(store.version(), N as u64);
    let per_kind = N / IncidentKind::ALL.len();
    for (k, n) in store.open_counts_by_kind() {
        assert!(n == per_kind || n == per_kind + 1, "{k:?}: {n}");
    }
    for i in 0..N {
        let id = format!("inc-{i:06}");
        let status = if i % 2 == 0 {
            Status::Closed
        } else {
            Status::Open
        };
        let up = store.upsert(mk(
            &id,
            kind(i),
            pos(i, 0.0005),
            status,
            at_min(1_000 + (i % 600) as i64),
            Some((N + i) as u64),
        ));
        assert_eq!(up, Upsert::Updated);
    }
    assert_eq!(store.len(), N);
    assert_eq!(store.version(), 2 * N as u64);
    let open: usize = store.open_counts_by_kind().iter().map(|(_, n)| n).sum();
    assert_eq!(open, N / 2);
    assert!(store.iter().all(|i| i.track.len() == 1));
    assert_eq!(store.iter().count(), N);
    assert_eq!(
        store.iter().next().map(|i| i.id.as_str()),
        Some("inc-000000")
    );
    assert_eq!(store.newest_update(), Some(at_min(1_599)));
    assert_eq!(store.purge(at_min(10_000), 0), N / 2);
    assert_eq!(store.len(), N / 2);
    assert!(store.iter().all(Incident::is_open));
}

/// xorshift64*: a small deterministic pseudo-random sequence.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn shuffle<T>(v: &mut [T], rng: &mut Rng) {
    for i in (1..v.len()).rev() {
        v.swap(i, rng.below(i + 1));
    }
}

/// Open counts recomputed from scratch.
fn recount(store: &IncidentStore) -> Vec<(IncidentKind, usize)> {
    IncidentKind::ALL
        .into_iter()
        .map(|k| {
            (
                k,
                store.iter().filter(|i| i.kind == k && i.is_open()).count(),
            )
        })
        .collect()
}

/// Live events delivered shuffled and repeated end as delivered in order: with seqs (the
/// contract: every event carries one) whatever their stamps, which here also go back in time
/// (a skewed server clock); without seqs, by strictly later stamps.
#[test]
fn shuffled_updates_with_duplicates_converge_to_in_order_state() {
    let seeds = [1_u64, 0x5eed, 0xdead_beef, 42_424_242, 7, 0xc1a15];
    for (k, seed) in seeds.into_iter().enumerate() {
        let mut rng = Rng(seed);
        let with_seq = k % 2 == 0;
        let mut events: Vec<Incident> = Vec::new();
        // The server's seq, across ids.
        let mut counter = 0_u64;
        for n in 0..150 {
            let id = format!("inc-{n:03}");
            let mut minute = rng.below(60) as i64;
            for _ in 0..1 + rng.below(10) {
                let seq = if with_seq {
                    counter += 1 + rng.below(3) as u64;
                    // Stamped by a clock that may have jumped back (or forward) days.
                    minute += rng.below(4_001) as i64 * 3 - 6_000;
                    Some(counter)
                } else {
                    minute += 1 + rng.below(5) as i64;
                    None
                };
                let kind = IncidentKind::ALL[rng.below(6)];
                let status = if rng.below(3) == 0 {
                    Status::Closed
                } else {
                    Status::Open
                };
                let p = if rng.below(2) == 0 {
                    (
                        1.70 + rng.below(200) as f64 * 0.001,
                        50.90 + rng.below(100) as f64 * 0.001,
                    )
                } else {
                    SANGATTE
                };
                events.push(mk(&id, kind, p, status, at_min(minute), seq));
            }
        }
        // In order: per id, events are already increasing; the global order interleaves ids.
        let mut in_order = IncidentStore::new();
        for e in &events {
            assert!(
                in_order.upsert(e.clone()).changed(),
                "{} strictly newer",
                e.id
            );
        }
        let mut shuffled: Vec<Incident> = events.clone();
        for _ in 0..events.len() / 3 {
            shuffled.push(events[rng.below(events.len())].clone());
        }
        shuffle(&mut shuffled, &mut rng);
        let mut store = IncidentStore::new();
        let mut changes = 0_u64;
        for e in shuffled {
            if store.upsert(e).changed() {
                changes += 1;
            }
        }
        assert_eq!(store.version(), changes);
        assert_eq!(store.len(), in_order.len());
        assert_eq!(ids(&store), ids(&in_order));
        for (a, b) in store.iter().zip(in_order.iter()) {
            let strip = |i: &Incident| Incident {
                track: Vec::new(),
                ..i.clone()
            };
            assert_eq!(strip(a), strip(b), "seed {seed}");
            assert!(a.track.len() <= TRACK_LEN);
            // The final version is its id's latest: the greatest seq, else updated_at.
            let best = events
                .iter()
                .filter(|e| e.id == a.id)
                .max_by_key(|e| (e.seq, e.updated_at))
                .expect("has events");
            assert_eq!(strip(a), strip(best));
        }
        assert_eq!(store.open_counts_by_kind(), recount(&store));
        assert_eq!(in_order.open_counts_by_kind(), recount(&in_order));
        assert_eq!(
            store.newest_update(),
            store.iter().map(|i| i.updated_at).max()
        );
    }
}

/// Issue 15 item 6: one live event's data is capped (`limits.event_mb`, default 1 MB): over
/// the cap it is not parsed, it counts as a rejected event with the cap named, and the store
/// keeps what it had; at the cap it is read as usual.
#[test]
fn an_event_over_its_cap_is_rejected_unread_and_counted() {
    let cap = Limits::default().event_bytes();
    assert_eq!(cap, 1_000_000);
    let mut store = IncidentStore::new();
    let good = parse_event(SMALL_BOAT, &names(), cap).expect("a real event is far under the cap");
    assert_eq!(good, parse_incident(SMALL_BOAT, &names()).expect("parses"));
    store.upsert(good);
    // A valid incident padded past the cap with a megabyte description.
    let padded = SMALL_BOAT.replacen(
        "\"properties\": {",
        &format!("\"properties\": {{\"note\": \"{}\",", "x".repeat(1_000_001)),
        1,
    );
    assert!(
        padded.len() as u64 > cap,
        "padded to {} bytes",
        padded.len()
    );
    assert!(
        parse_incident(&padded, &names()).is_ok(),
        "valid apart from its size"
    );
    let err = parse_event(&padded, &names(), cap).expect_err("over the cap");
    assert_eq!(
        err,
        IncidentError::TooLarge {
            bytes: padded.len() as u64,
            limit: cap
        }
    );
    assert!(err.to_string().contains("limits.event_mb"), "{err}");
    store.record_error(&err);
    assert_eq!(store.diagnostics().rejected, 1);
    assert_eq!(store.diagnostics().last_error, Some(err));
    assert_eq!(store.len(), 1, "the good incident stays");
    // Exactly at the cap: read.
    let exact = SMALL_BOAT.len() as u64;
    assert!(parse_event(SMALL_BOAT, &names(), exact).is_ok());
    assert!(matches!(
        parse_event(SMALL_BOAT, &names(), exact - 1),
        Err(IncidentError::TooLarge { .. })
    ));
}
