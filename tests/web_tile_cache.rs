//! The raster tile layer's image cache in headless Chromium (issue 15 item 6, limits): panning
//! across the Strait at zoom 14 asks for far more tiles than the cache keeps; it never holds
//! more than `CACHE_TILES` images, and the tiles of the view being drawn are always held.
//!
//! Units: views in EPSG:3857 metres and CSS px (dpr 1); tiles are XYZ ids. The tile URL is one
//! small `data:` image for every tile, so nothing is fetched from a server.
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;

use calais_map::core::tiles::{tile_zoom, visible_tiles};
use calais_map::core::units::{Mercator, Zoom};
use calais_map::core::viewport::Viewport;
use calais_map::web::render::tiles::{CACHE_TILES, TileCache, TileSource};
use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

mod common;
use common::document;

wasm_bindgen_test_configure!(run_in_browser);

/// A 1 × 1 transparent GIF: every tile's image, decoded at once.
const PIXEL: &str =
    "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7#{z}/{x}/{y}";

#[wasm_bindgen_test]
async fn panning_far_keeps_at_most_the_cap_and_always_the_view() {
    let canvas: HtmlCanvasElement = document()
        .create_element("canvas")
        .unwrap()
        .unchecked_into();
    canvas.set_width(1600);
    canvas.set_height(1000);
    let ctx: CanvasRenderingContext2d = canvas.get_context("2d").unwrap().unwrap().unchecked_into();
    let mut cache = TileCache::new(Rc::new(|| {}));
    let source = TileSource {
        url_template: PIXEL.to_string(),
        max_zoom: 19,
    };
    // Dover to Dunkirk and back down to Boulogne: 60 views of 1600 × 1000 CSS px at zoom 14,
    // each one screen width (about 15 km) east or south of the last.
    let start = Mercator::new(145_000.0, 6_640_000.0).unwrap();
    let mut requested = std::collections::BTreeSet::new();
    let mut largest = 0;
    for step in 0..60 {
        let (dx, dy) = if step < 30 {
            (step as f64 * 15_000.0, 0.0)
        } else {
            (435_000.0 - (step - 30) as f64 * 15_000.0, -40_000.0)
        };
        let centre = Mercator::new(start.x + dx, start.y + dy).unwrap();
        let view = Viewport::new(centre, Zoom::clamped(14.0), 1600.0, 1000.0, 1.0);
        cache.draw(&ctx, &view, &source);
        let shown = visible_tiles(&view, tile_zoom(&view, source.max_zoom));
        requested.extend(shown.iter().map(|t| t.id));
        largest = largest.max(cache.len());
        assert!(
            cache.len() <= CACHE_TILES,
            "view {step}: {} images held",
            cache.len()
        );
        assert!(
            shown.iter().all(|t| cache.holds(t.id)),
            "view {step}: a tile of the view drawn was evicted"
        );
        // Let some images load (and fire their onload) between views, as they would.
        if step % 10 == 0 {
            TimeoutFuture::new(20).await;
        }
    }
    assert!(
        requested.len() > 2 * CACHE_TILES,
        "the pan asked for {} tiles: more than the cache keeps",
        requested.len()
    );
    assert_eq!(largest, CACHE_TILES, "the cache filled up to its cap");
}
