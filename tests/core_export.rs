//! The exports' core (issue 14 item 7): the canonical incident GeoJSON (the bytes a record
//! hashes) and CSV, the zones CSV, the sidecar's fields and its JSON inside a PNG.

use calais_map::core::export::sidecar::{FORMAT, HASHED, PNG_KEYWORD};
use calais_map::core::export::{
    AppVersion, DataHash, ExportTimes, FeedRecord, INCIDENT_COLUMNS, ImageRecord, Parameters,
    Sidecar, TextChunk, ViewRecord, ZONE_COLUMNS, ZoneRow, incidents_csv, incidents_geojson,
    insert_text_chunks, read_text_chunks, sha256_hex, zones_csv,
};
use calais_map::core::geofence::parse_zones;
use calais_map::core::incident::{IncidentNames, parse_snapshot};
use calais_map::core::projection::to_mercator;
use calais_map::core::units::{LonLat, Zoom};
use calais_map::core::viewport::Viewport;

const SNAPSHOT: &str = r#"{"type":"FeatureCollection","features":[
 {"type":"Feature","id":"inc-2","geometry":{"type":"Point","coordinates":[1.8512345678,50.9654321]},
  "properties":{"kind":"fence_breach","severity":4,"status":"open","reported_at":"2026-12-05T10:00:00Z",
  "updated_at":"2026-12-05T10:05:00Z","description":"=cmd, \"quoted\"","source":"cam-T-16","accuracy_m":12.5,"sector":"F-11"}},
 {"type":"Feature","id":"inc-1","geometry":{"type":"Point","coordinates":[1.9,50.97]},
  "properties":{"kind":"drone","severity":2,"status":"closed","reported_at":"2026-12-05T09:00:00Z",
  "updated_at":"2026-12-05T09:30:00Z"}}]}"#;

fn incidents() -> Vec<calais_map::core::incident::Incident> {
    parse_snapshot(SNAPSHOT, &IncidentNames::default())
        .unwrap()
        .incidents
}

#[test]
fn canonical_geojson_is_sorted_and_independent_of_store_order() {
    let inc = incidents();
    let text = incidents_geojson(&inc);
    let reversed: Vec<_> = inc.iter().rev().collect();
    assert_eq!(
        incidents_geojson(reversed),
        text,
        "same incidents, same bytes"
    );
    assert!(text.ends_with("]}\n"));
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let f = v["features"].as_array().unwrap();
    assert_eq!(f.len(), 2);
    assert_eq!(f[0]["id"], "inc-1");
    assert_eq!(f[0]["properties"]["kind"], "other");
    assert_eq!(f[0]["properties"]["kind_text"], "drone");
    assert_eq!(f[1]["id"], "inc-2");
    // 7 decimals, WGS84 lon/lat.
    assert_eq!(f[1]["geometry"]["coordinates"][0].as_f64(), Some(1.8512346));
    assert_eq!(
        f[1]["geometry"]["coordinates"][1].as_f64(),
        Some(50.9654321)
    );
    assert_eq!(f[1]["properties"]["updated_at"], "2026-12-05T10:05:00.000Z");
    assert_eq!(f[1]["properties"]["sector"], "F-11");
    // The exact bytes of one feature (the definition the record's hash relies on).
    let expected = r#"{"type":"Feature","geometry":{"type":"Point","coordinates":[1.9,50.97]},"id":"inc-1","properties":{"kind":"other","kind_text":"drone","severity":2,"status":"closed","reported_at":"2026-12-05T09:00:00.000Z","updated_at":"2026-12-05T09:30:00.000Z","description":""}}"#;
    assert!(text.contains(expected), "{text}");
    // The hash is that of these bytes.
    let h = DataHash::of("x.geojson".into(), 2, &text);
    assert_eq!(h.sha256, sha256_hex(text.as_bytes()));
    assert_eq!(h.sha256.len(), 64);
}

#[test]
fn incident_csv_has_the_callers_header_and_the_datas_values() {
    let inc = incidents();
    let fr = [
        "identifiant",
        "type",
        "gravité",
        "statut",
        "signalé",
        "mis à jour",
        "lon",
        "lat",
        "précision (m)",
        "source",
        "description",
    ];
    let csv = incidents_csv(&fr, &inc);
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "identifiant,type,gravité,statut,signalé,mis à jour,lon,lat,précision (m),source,description"
    );
    assert_eq!(
        lines[1],
        "inc-1,drone,2,closed,2026-12-05T09:00:00.000Z,2026-12-05T09:30:00.000Z,1.9000000,50.9700000,,,"
    );
    // Quoted, formula-guarded description; accuracy in metres.
    assert_eq!(
        lines[2],
        "inc-2,fence_breach,4,open,2026-12-05T10:00:00.000Z,2026-12-05T10:05:00.000Z,1.8512346,50.9654321,12.5,cam-T-16,\"'=cmd, \"\"quoted\"\"\""
    );
    assert_eq!(lines.len(), 4, "two rows and the final line end");
    assert_eq!(INCIDENT_COLUMNS.len(), fr.len());
}

#[test]
fn zones_csv_rows_with_wkt() {
    let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","id":"z1",
      "properties":{"name":"Terminal, east","kind":"restricted","dwell_s":300},
      "geometry":{"type":"Polygon","coordinates":[[[1.8,50.9],[1.81,50.9],[1.81,50.91],[1.8,50.9]]]}}]}"#;
    let set = parse_zones(text).unwrap();
    let header: [&str; 10] = ZONE_COLUMNS;
    let csv = zones_csv(
        &header,
        set.zones.iter().map(|z| ZoneRow {
            zone: z,
            origin: "loaded",
            inside: 3,
        }),
    );
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "id,name,kind,origin,incidents_inside,alert_on_enter,alert_on_exit,dwell_s,critical,wkt"
    );
    assert!(lines[1].starts_with("z1,\"Terminal, east\",restricted,loaded,3,true,true,300,true,\"POLYGON ((1.8 50.9, 1.81 50.9, 1.81 50.91, 1.8 50.9))\""), "{}", lines[1]);
}

fn sidecar() -> Sidecar {
    let view = Viewport::new(
        to_mercator(LonLat::new(1.85, 50.95).unwrap()),
        Zoom::new(12.0).unwrap(),
        1280.0,
        800.0,
        2.0,
    );
    let geojson = incidents_geojson(&incidents());
    Sidecar {
        format: FORMAT,
        app: AppVersion {
            name: "calais-map".into(),
            version: "0.1.0".into(),
            commit: Some("abc123".into()),
        },
        exported: ExportTimes::new(1_765_000_000_000, Some(0), Some(60)).unwrap(),
        lang: "fr".into(),
        image: ImageRecord {
            file: "calais-map.png".into(),
            width_px: 2560,
            height_px: 1900,
            map_height_px: 1600,
            mode: "desk".into(),
            wall_tile: None,
            wall_grid: None,
        },
        view: ViewRecord::of(&view),
        parameters: Parameters {
            layers: vec!["basemap".into(), "fences".into()],
            kinds: vec!["small_boat".into()],
            min_severity: 3,
            status: "open".into(),
            time_window: "24h".into(),
            heatmap: None,
        },
        feed: FeedRecord {
            status: "live".into(),
            last_update: Some("2026-12-05T10:05:00.000Z".into()),
        },
        note: "Écluse Carnot — relève 14 h".into(),
        incidents: DataHash::of("calais-map.incidents.geojson".into(), 2, &geojson),
    }
}

#[test]
fn sidecar_fields_and_the_png_chunk() {
    let s = sidecar();
    let json = s.to_json();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["format"], "calais-map-export/1");
    assert_eq!(v["app"]["version"], "0.1.0");
    assert_eq!(v["app"]["commit"], "abc123");
    assert_eq!(v["exported"]["utc"], "2025-12-06T05:46:40.000Z");
    assert_eq!(v["exported"]["london"], "2025-12-06T05:46:40+00:00");
    assert_eq!(v["exported"]["paris"], "2025-12-06T06:46:40+01:00");
    let c = &v["view"]["centre"];
    assert!(
        (c[0].as_f64().unwrap() - 1.85).abs() < 1e-7
            && (c[1].as_f64().unwrap() - 50.95).abs() < 1e-7
    );
    assert_eq!(v["view"]["zoom"], 12.0);
    assert_eq!(v["view"]["dpr"], 2.0);
    let b = v["view"]["bbox"].as_array().unwrap();
    assert!(b[0].as_f64().unwrap() < 1.85 && b[2].as_f64().unwrap() > 1.85);
    assert!(b[1].as_f64().unwrap() < 50.95 && b[3].as_f64().unwrap() > 50.95);
    assert_eq!(v["parameters"]["min_severity"], 3);
    assert!(v["parameters"]["heatmap"].is_null());
    assert_eq!(v["feed"]["status"], "live");
    assert_eq!(v["note"], "Écluse Carnot — relève 14 h");
    assert_eq!(v["incidents"]["count"], 2);
    assert_eq!(v["incidents"]["hashed"], HASHED);
    assert_eq!(
        v["incidents"]["sha256"],
        sha256_hex(incidents_geojson(&incidents()).as_bytes())
    );
    assert!(json.ends_with("}\n"));

    // The same JSON inside a PNG (a 1 × 1 image with a good IEND) comes back byte for byte.
    let png = tiny_png();
    let out = insert_text_chunks(
        &png,
        &[TextChunk::Utf8 {
            keyword: PNG_KEYWORD.into(),
            text: json.clone(),
        }],
    )
    .unwrap();
    let chunks = read_text_chunks(&out).unwrap();
    assert_eq!(chunks.len(), 1);
    assert_eq!(chunks[0].keyword(), PNG_KEYWORD);
    assert_eq!(chunks[0].text(), json);
}

/// A 1 × 1 grey PNG written by Python's zlib (CRCs computed there, not by the code under test).
fn tiny_png() -> Vec<u8> {
    // Python: zlib.crc32 over type + data; zlib.compress(b"\x00\x80") for the grey pixel.
    let hex = "89504e470d0a1a0a0000000d49484452000000010000000108000000003a7e9b55\
               0000000a49444154789c636800000082008177cd72b6\
               0000000049454e44ae426082";
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect()
}
