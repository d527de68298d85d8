//! The optional XYZ raster tile layer: loads tile images from the configured server, keeps a
//! bounded cache, and draws the loaded ones into the base bitmap (device px).
//!
//! Which tiles, where and their URLs are the core's (`core::tiles`); this module only owns the
//! `<img>` elements. A tile that arrives bumps `version` and calls `on_load`, so the base is
//! re-rendered once per animation frame while tiles stream in.

use std::cell::Cell;
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use web_sys::{CanvasRenderingContext2d, HtmlImageElement};

use crate::core::tiles::{TileId, tile_url, tile_zoom, visible_tiles};
use crate::core::viewport::Viewport;

/// Tile images kept at most (about 256 px squares each): 600 × 256 KB decoded is at most about
/// 150 MB of image memory. The tiles of the view being drawn are never evicted (a view asks
/// for at most `core::tiles::MAX_TILES` = 400), the others go oldest requested first.
pub const CACHE_TILES: usize = 600;

#[derive(Clone, Copy, PartialEq, Eq)]
enum TileState {
    Loading,
    Ready,
    Failed,
}

struct Entry {
    img: HtmlImageElement,
    state: Rc<Cell<TileState>>,
}

/// What the tile layer shows: the URL template and its deepest zoom level.
#[derive(Clone, Debug, PartialEq)]
pub struct TileSource {
    pub url_template: String,
    pub max_zoom: u8,
}

pub struct TileCache {
    entries: HashMap<TileId, Entry>,
    order: VecDeque<TileId>,
    /// Bumped whenever a tile finishes loading (part of the base bitmap's cache key).
    pub version: Rc<Cell<u64>>,
    on_load: Rc<dyn Fn()>,
    template: String,
}

impl TileCache {
    pub fn new(on_load: Rc<dyn Fn()>) -> TileCache {
        TileCache {
            entries: HashMap::new(),
            order: VecDeque::new(),
            version: Rc::new(Cell::new(0)),
            on_load,
            template: String::new(),
        }
    }

    /// Tile images held (loading, loaded or failed).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// `true` if no tile image is held.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Whether the image of this tile is held.
    pub fn holds(&self, id: TileId) -> bool {
        self.entries.contains_key(&id)
    }

    fn request(&mut self, id: TileId) -> Option<&Entry> {
        if !self.entries.contains_key(&id) {
            let img = HtmlImageElement::new().ok()?;
            let state = Rc::new(Cell::new(TileState::Loading));
            let (s, v, cb) = (state.clone(), self.version.clone(), self.on_load.clone());
            let onload = Closure::once_into_js(move || {
                s.set(TileState::Ready);
                v.set(v.get() + 1);
                cb();
            });
            let s = state.clone();
            let onerror = Closure::once_into_js(move || s.set(TileState::Failed));
            img.set_onload(Some(onload.unchecked_ref()));
            img.set_onerror(Some(onerror.unchecked_ref()));
            img.set_src(&tile_url(&self.template, id));
            self.entries.insert(id, Entry { img, state });
            self.order.push_back(id);
        }
        self.entries.get(&id)
    }

    fn evict(&mut self, keep: &[TileId]) {
        let mut budget = self.order.len();
        while self.entries.len() > CACHE_TILES && budget > 0 {
            budget -= 1;
            let Some(id) = self.order.pop_front() else {
                break;
            };
            if keep.contains(&id) {
                self.order.push_back(id);
            } else if let Some(e) = self.entries.remove(&id) {
                // Stop a pending download of a tile nobody will see.
                e.img.set_src("");
            }
        }
    }

    /// Draws the loaded tiles of `view` and starts loading the missing ones. Returns how many
    /// tiles were drawn.
    pub fn draw(
        &mut self,
        ctx: &CanvasRenderingContext2d,
        view: &Viewport,
        source: &TileSource,
    ) -> usize {
        if self.template != source.url_template {
            self.entries.clear();
            self.order.clear();
            self.template = source.url_template.clone();
        }
        let tiles = visible_tiles(view, tile_zoom(view, source.max_zoom));
        let dpr = view.dpr();
        let mut drawn = 0;
        for t in &tiles {
            let Some(e) = self.request(t.id) else {
                continue;
            };
            if e.state.get() != TileState::Ready {
                continue;
            }
            let [x, y, w, h] = t.rect_css;
            // Round to whole device px so neighbouring tiles leave no hairline seams.
            let (x0, y0) = ((x * dpr).floor(), (y * dpr).floor());
            let (x1, y1) = (((x + w) * dpr).ceil(), ((y + h) * dpr).ceil());
            let _ = ctx.draw_image_with_html_image_element_and_dw_and_dh(
                &e.img,
                x0,
                y0,
                x1 - x0,
                y1 - y0,
            );
            drawn += 1;
        }
        let keep: Vec<TileId> = tiles.iter().map(|t| t.id).collect();
        self.evict(&keep);
        drawn
    }
}
