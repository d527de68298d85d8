//! Coastline / border / clip-edge split of the basemap (EPSG:3857 metres).

use calais_map::core::basemap::outlines;
use calais_map::core::config::PropertyNames;
use calais_map::core::ingest::ingest_layer;
use calais_map::core::model::LayerId;

fn layer(text: &str) -> calais_map::core::model::LayerData {
    ingest_layer(LayerId::Basemap, text, &PropertyNames::default()).expect("valid basemap")
}

fn len(lines: &[Vec<calais_map::core::units::Mercator>]) -> usize {
    lines.iter().map(|l| l.len() - 1).sum()
}

#[test]
fn shared_edge_is_a_border_drawn_once_and_clip_edges_are_hidden() {
    // Two countries side by side, both cut by the data's clip rectangle at lat 51.0 (north).
    // West: (1,50)-(2,50)-(2,51)-(1,51); east shares the edge x=2 from 50 to 51.
    let data = layer(
        r#"{"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"name":"West"},"geometry":{"type":"Polygon","coordinates":[[[1,50],[2,50],[2,51],[1,51],[1,50]]]}},
        {"type":"Feature","properties":{"name":"East"},"geometry":{"type":"Polygon","coordinates":[[[2,50],[3,49.5],[3,51],[2,51],[2,50]]]}}]}"#,
    );
    let o = outlines(&data);
    // The shared edge x=2: one border segment, once.
    assert_eq!(len(&o.borders), 1, "{:?}", o.borders);
    // Clip edges: the data bounds are x 1..3, y 49.5..51; edges on x=1, y=51 and x=3 are hidden.
    // Coast: (1,50)-(2,50) and (2,50)-(3,49.5).
    assert_eq!(len(&o.coast), 2, "{:?}", o.coast);
}

#[test]
fn demo_basemap_has_coast_and_the_french_belgian_border() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/public/data/basemap.geojson"
    ))
    .expect("demo basemap");
    let data = layer(&text);
    assert!(data.skipped.is_empty(), "{:?}", data.skipped.first());
    let o = outlines(&data);
    let coast = len(&o.coast);
    let borders = len(&o.borders);
    assert!(coast > 5_000, "coast segments {coast}");
    assert!(borders > 1_000, "border segments {borders}");
    // The French-Belgian border reaches the sea near Bray-Dunes (about 2.54 E, 51.08 N).
    let near = calais_map::core::projection::to_mercator(
        calais_map::core::units::LonLat::new(2.546, 51.08).unwrap(),
    );
    let closest = o
        .borders
        .iter()
        .flatten()
        .map(|m| ((m.x - near.x).powi(2) + (m.y - near.y).powi(2)).sqrt())
        .fold(f64::INFINITY, f64::min);
    assert!(
        closest < 3_000.0,
        "nearest border vertex {closest} m from Bray-Dunes"
    );
}
