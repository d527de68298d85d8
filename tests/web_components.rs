//! Component tests in headless Chromium: mount, act, tick, assert.
//!
//! The test runner serves the crate's folder; the config used here
//! (`tests/fixtures/wasm/config-404.json`) names layer files that do not exist, so every layer
//! answers 404: the banners are tested against that, and layer data is then set directly from
//! GeoJSON text through the real ingest.
#![cfg(target_arch = "wasm32")]

use std::sync::Arc;

use calais_map::core::config::PropertyNames;
use calais_map::core::ingest::ingest_layer;
use calais_map::core::model::LayerId;
use calais_map::web::components::{ErrorBanners, InfoCard, LayerPanel};
use calais_map::web::map::{MapCanvas, Runtime};
use calais_map::web::state::{AppState, LayerState, Selection, layer_index};
use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{
    CanvasRenderingContext2d, Element, HtmlCanvasElement, HtmlElement, HtmlInputElement,
};

mod common;
use common::{document, mount_with, until};

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts the layer panels (and the map canvas if `with_map`) with a fresh `AppState`.
fn mount(with_map: bool) -> (Element, AppState) {
    mount_with(move || {
        let runtime = Runtime::new();
        view! {
            <div style="position:relative;width:800px;height:600px">
                {with_map.then(|| view! { <MapCanvas runtime=runtime /> })}
                <ErrorBanners />
                <LayerPanel />
                <InfoCard />
            </div>
        }
    })
}

fn texts(root: &Element, selector: &str) -> Vec<String> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .map(|n| n.text_content().unwrap_or_default())
        .collect()
}

fn load(state: AppState, id: LayerId, text: &str) {
    let data = ingest_layer(id, text, &PropertyNames::default()).expect("valid fixture");
    state.layers[layer_index(id)].set(Some(LayerState::Loaded {
        data: Arc::new(data),
        version: 1000 + layer_index(id) as u64,
    }));
}

async fn settled(state: AppState) {
    until("every layer to fail on 404", || {
        LayerId::ALL
            .iter()
            .all(|id| matches!(state.layer_untracked(*id), LayerState::Failed { .. }))
    })
    .await;
}

const CAMERA: &str = r#"{"type":"FeatureCollection","features":[
 {"type":"Feature","id":"cam-x","geometry":{"type":"Point","coordinates":[1.865,50.966]},
  "properties":{"name":"<img src=x onerror=window.__xss=1>","bearing":90,"fov":60,"range_m":200,"note":"<b>bold</b>"}}]}"#;

const LAND: &str = r#"{"type":"FeatureCollection","features":[
 {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[-1.5,49.4],[5.5,49.4],[5.5,50.9],[-1.5,50.9],[-1.5,49.4]]]},
  "properties":{"name":"Southland"}}]}"#;

#[wasm_bindgen_test]
async fn banners_name_each_layer_that_failed() {
    let (root, state) = mount(false);
    settled(state).await;
    until("banners", || {
        texts(&root, "[data-testid=error-banner]").len() == 4
    })
    .await;
    let banners = texts(&root, "[data-testid=error-banner] .banner-text");
    for (text, title) in banners
        .iter()
        .zip(["Basemap", "Fences", "Cameras", "Ports"])
    {
        assert!(text.starts_with(title), "{text}");
        assert!(text.contains("HTTP 404"), "{text}");
    }
    // A layer that then loads clears its banner; the others stay.
    load(state, LayerId::Cameras, CAMERA);
    until("camera banner gone", || {
        texts(&root, "[data-testid=error-banner]").len() == 3
    })
    .await;
    assert_eq!(
        texts(&root, "[data-testid=layer-count-cameras]"),
        vec!["1".to_string()]
    );
}

#[wasm_bindgen_test]
async fn info_card_shows_markup_as_text() {
    let (root, state) = mount(false);
    settled(state).await;
    load(state, LayerId::Cameras, CAMERA);
    state.selection.set(Some(Selection {
        layer: LayerId::Cameras,
        feature: 0,
        pinned: true,
    }));
    until("info card", || {
        !texts(&root, "[data-testid=info-card-title]").is_empty()
    })
    .await;
    assert_eq!(
        texts(&root, "[data-testid=info-card-title]"),
        vec!["<img src=x onerror=window.__xss=1>".to_string()]
    );
    let rows = texts(&root, "[data-testid=info-card-row]");
    assert!(rows.iter().any(|r| r.contains("<b>bold</b>")), "{rows:?}");
    let card = root
        .query_selector("[data-testid=info-card]")
        .unwrap()
        .unwrap();
    assert!(
        card.query_selector("img, b").unwrap().is_none(),
        "markup was parsed"
    );
    // Closing clears the selection.
    root.query_selector("[data-testid=info-card-close]")
        .unwrap()
        .unwrap()
        .unchecked_into::<HtmlElement>()
        .click();
    until("card closed", || {
        texts(&root, "[data-testid=info-card]").is_empty()
    })
    .await;
    assert_eq!(state.selection.get_untracked(), None);
}

#[wasm_bindgen_test]
async fn layer_toggle_hides_the_layer() {
    let (root, state) = mount(false);
    let toggle: HtmlInputElement = root
        .query_selector("[data-testid=layer-toggle-cameras]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert!(toggle.checked());
    toggle.click();
    TimeoutFuture::new(10).await;
    assert!(!state.visibility.get_untracked().get(LayerId::Cameras));
    assert!(state.visibility.get_untracked().get(LayerId::Fences));
}

#[wasm_bindgen_test]
async fn map_canvas_draws_land_and_sea() {
    let (root, state) = mount(true);
    settled(state).await;
    load(state, LayerId::Basemap, LAND);
    load(state, LayerId::Cameras, CAMERA);
    let canvas: HtmlCanvasElement = root
        .query_selector("[data-testid=map-canvas]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    until("a settled frame", || {
        canvas.get_attribute("data-ready").as_deref() == Some("true")
    })
    .await;
    // Let the frame after the last data change land.
    TimeoutFuture::new(300).await;
    let ctx: CanvasRenderingContext2d = canvas.get_context("2d").unwrap().unwrap().unchecked_into();
    let view = state.view.get_untracked();
    let pixel = |lon: f64, lat: f64| {
        let m = calais_map::core::projection::to_mercator(
            calais_map::core::units::LonLat::new(lon, lat).unwrap(),
        );
        let (x, y) = view.world_to_screen(m);
        let d = ctx
            .get_image_data(x * view.dpr(), y * view.dpr(), 1.0, 1.0)
            .unwrap()
            .data();
        (d[0], d[1], d[2])
    };
    let land = pixel(0.5, 50.0);
    let sea = pixel(0.5, 52.0);
    // The fills of `render::style` (issue 14: land and sea at 3.1:1), as drawn.
    let rgb = |hex: &str| {
        let v = u32::from_str_radix(hex.trim_start_matches('#'), 16).unwrap();
        ((v >> 16) as u8, (v >> 8) as u8, v as u8)
    };
    assert_eq!(
        land,
        rgb(calais_map::web::render::style::LAND),
        "land colour"
    );
    assert_eq!(sea, rgb(calais_map::web::render::style::SEA), "sea colour");
}

#[wasm_bindgen_test]
fn panic_message_is_visible_text() {
    calais_map::web::panic::show_fatal("boom <i>x</i>");
    let el = document()
        .query_selector("[data-testid=panic-message]")
        .unwrap()
        .expect("panic message");
    assert_eq!(el.text_content().unwrap(), "boom <i>x</i>");
    assert!(el.query_selector("i").unwrap().is_none());
    el.remove();
}

#[wasm_bindgen_test]
fn wall_clocks_follow_summer_time_and_query_params_are_read() {
    use calais_map::web::env::{query_param, zone_clock};
    use calais_map::web::strings::Lang;
    use calais_map::web::widgets::wall_clocks;
    // 2024-07-01T12:34:00Z (BST, CEST) and 2024-01-15T12:34:00Z (GMT, CET).
    assert_eq!(
        wall_clocks(Lang::En, 1_719_837_240_000.0),
        ["London 13:34".to_string(), "Paris 14:34".to_string()]
    );
    assert_eq!(
        wall_clocks(Lang::Fr, 1_705_322_040_000.0),
        ["Londres 12:34".to_string(), "Paris 13:34".to_string()]
    );
    // The switch of 27 October 2024, 01:00 UTC: Paris goes from 02:59 CEST to 02:00 CET.
    assert_eq!(
        zone_clock(1_729_990_740_000.0, "Europe/Paris").as_deref(),
        Some("02:59")
    );
    assert_eq!(
        zone_clock(1_729_990_800_000.0, "Europe/Paris").as_deref(),
        Some("02:00")
    );
    assert_eq!(zone_clock(0.0, "Not/AZone"), None);
    // The runner's page has no query string.
    assert_eq!(query_param("perf"), None);
}
