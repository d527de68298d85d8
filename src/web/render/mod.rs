//! The canvas renderer: cached bitmaps per view, cheap gesture frames, sharp settled frames.
//!
//! Units: the view is a `Viewport` (CSS px size and device pixel ratio); every bitmap is in
//! device px. Layers split an expensive `prepare` from a cheap `draw`:
//! - `base`: the basemap (sea, land, coast, borders) rendered for one view and basemap version;
//! - `composite`: `base` plus the overlays (fences, cameras, ports, labels) for one view, data
//!   versions and visibility;
//! - incidents: rasterised in wasm into 256-px tiles written onto `composite` (see
//!   [`incidents`]); only tiles that change are written, per (view, store version, filter,
//!   5-s clock step);
//! - the screen: `composite` blitted (moved and scaled during a gesture, never re-projected),
//!   plus the selection highlight.
//!
//! A view change shows a `Gesture` frame at once and re-renders sharp (`Full`) when the view
//! has been still for [`SETTLE_MS`]. Toggles and selection only re-`Compose`.

pub mod draft;
pub mod draw;
pub mod incidents;
pub mod overlay;
pub mod style;
pub mod tiles;

use std::collections::VecDeque;
use std::rc::Rc;
use std::sync::Arc;

use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use crate::core::basemap::{Outlines, outlines};
use crate::core::model::{LayerData, LayerId};
use crate::core::viewport::Viewport;
use crate::state::{FrameKind, FrameStat, Selection, Visibility, layer_index};
use draw::Pen;

/// How long the view must be still before the sharp re-render, in ms.
pub const SETTLE_MS: f64 = 160.0;
/// How many frames the perf log keeps.
pub const FRAME_LOG: usize = 500;

/// One layer as the renderer sees it: the data and its version (0 = none).
pub type LayerInput = Option<(Arc<LayerData>, u64)>;

/// Everything one frame depends on.
pub struct Scene {
    pub view: Viewport,
    pub layers: [LayerInput; 4],
    pub visibility: Visibility,
    pub selection: Option<Selection>,
    /// False while a pan or zoom is under way: draw the cached composite moved and scaled.
    pub settled: bool,
    /// The raster tile layer, when the config has one and it is switched on.
    pub tiles: Option<tiles::TileSource>,
    /// Screen areas covered by panels (`[x, y, w, h]` CSS px): labels are not placed there.
    pub reserved: Vec<[f64; 4]>,
    /// The selected incident's position (EPSG:3857 metres), ringed on screen.
    pub selected_incident: Option<crate::core::units::Mercator>,
    /// Geofencing zones and their data version.
    pub zones: Option<(std::sync::Arc<crate::core::geofence::ZoneSet>, u64)>,
    /// Fence stretches no camera sees, and a key of what they were computed from.
    pub gaps: Option<(std::sync::Arc<crate::core::geofence::CoverageGaps>, u64)>,
    /// The zone being drawn or reshaped (drawn on the screen, over everything).
    pub draft: Option<draft::DraftOverlay>,
}

struct Surface {
    canvas: HtmlCanvasElement,
    ctx: CanvasRenderingContext2d,
}

impl Surface {
    fn wrap(canvas: HtmlCanvasElement) -> Result<Surface, String> {
        let ctx = canvas
            .get_context("2d")
            .map_err(|_| "the browser refused a 2D canvas context".to_string())?
            .ok_or("the browser has no 2D canvas context")?
            .dyn_into::<CanvasRenderingContext2d>()
            .map_err(|_| "unexpected canvas context type".to_string())?;
        Ok(Surface { canvas, ctx })
    }

    fn offscreen() -> Result<Surface, String> {
        let canvas = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.create_element("canvas").ok())
            .and_then(|e| e.dyn_into::<HtmlCanvasElement>().ok())
            .ok_or("could not create an offscreen canvas")?;
        Surface::wrap(canvas)
    }

    /// Sizes the bitmap for `view` (device px); resizing clears it.
    fn fit(&self, view: &Viewport) {
        let (w, h) = (view.width_px(), view.height_px());
        if self.canvas.width() != w {
            self.canvas.set_width(w);
        }
        if self.canvas.height() != h {
            self.canvas.set_height(h);
        }
        self.ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0).ok();
    }
}

#[derive(Clone, Copy, PartialEq)]
struct BaseKey {
    view: Viewport,
    version: u64,
    visible: bool,
    /// Tile layer on, and how many tiles had loaded.
    tiles: Option<u64>,
}

#[derive(Clone, Copy, PartialEq)]
struct CompositeKey {
    base: BaseKey,
    /// (version, visible) of fences, cameras, ports.
    overlays: [(u64, bool); 3],
    /// Versions of the zones and of the coverage gaps (0: none).
    geofence: (u64, u64),
}

pub struct Renderer {
    screen: Surface,
    base: Surface,
    composite: Surface,
    base_key: Option<BaseKey>,
    composite_key: Option<CompositeKey>,
    outlines: Option<(u64, Outlines)>,
    tiles: tiles::TileCache,
    /// Bumped whenever `composite` is re-rendered.
    composite_gen: u64,
    pub incidents: incidents::IncidentLayer,
    /// The incident overlay canvases; `None`: incidents are drawn into the composite.
    overlay: Option<overlay::IncidentOverlay>,
    scratch: Vec<[f32; 2]>,
    /// The last [`FRAME_LOG`] frames.
    pub frames: VecDeque<FrameStat>,
    /// Frames drawn since start.
    pub frames_total: u64,
}

const OVERLAYS: [LayerId; 3] = [LayerId::Fences, LayerId::Cameras, LayerId::Ports];

impl Renderer {
    /// `on_tile_load` is called when a raster tile arrives (to schedule a frame).
    pub fn new(canvas: HtmlCanvasElement, on_tile_load: Rc<dyn Fn()>) -> Result<Renderer, String> {
        let overlay = if overlay::inline_requested() {
            None
        } else {
            overlay::IncidentOverlay::new(&canvas)
                .map_err(|e| {
                    web_sys::console::info_1(&format!("incidents drawn into the map: {e}").into())
                })
                .ok()
        };
        Ok(Renderer {
            overlay,
            screen: Surface::wrap(canvas)?,
            base: Surface::offscreen()?,
            composite: Surface::offscreen()?,
            base_key: None,
            composite_key: None,
            outlines: None,
            tiles: tiles::TileCache::new(on_tile_load),
            composite_gen: 0,
            incidents: incidents::IncidentLayer::default(),
            scratch: Vec::new(),
            frames: VecDeque::new(),
            frames_total: 0,
        })
    }

    /// Whether a composite exists to move during a gesture (false until the first frame).
    pub fn has_composite(&self) -> bool {
        self.composite_key.is_some()
    }

    /// The on-screen canvas.
    pub fn canvas(&self) -> &HtmlCanvasElement {
        &self.screen.canvas
    }

    /// Draws one frame; returns what it cost.
    pub fn render(
        &mut self,
        scene: &Scene,
        incidents: Option<&incidents::IncidentInput>,
        now_ms: impl Fn() -> f64,
    ) -> FrameStat {
        let start = now_ms();
        self.screen.fit(&scene.view);
        let mut drawn = 0;
        let kind = match (self.composite_key, scene.settled) {
            (Some(key), false) => {
                self.gesture_frame(&key.base.view, &scene.view);
                if let Some(ov) = &self.overlay {
                    self.incidents.place_overlay(ov, &scene.view);
                }
                FrameKind::Gesture
            }
            _ => {
                let (kind, n) = self.settled_frame(scene, incidents, &now_ms);
                drawn = n;
                kind
            }
        };
        if let Some(sel) = scene.selection
            && let Some((data, _)) = &scene.layers[layer_index(sel.layer)]
            && scene.visibility.get(sel.layer)
            && let Some(feature) = data.features.get(sel.feature)
        {
            let mut pen = Pen {
                ctx: &self.screen.ctx,
                view: &scene.view,
                scratch: &mut self.scratch,
            };
            draw::highlight(&mut pen, feature);
        }
        if let Some(at) = scene.selected_incident {
            let (x, y) = scene.view.world_to_screen(at);
            draw::incident_ring(&self.screen.ctx, x, y, scene.view.dpr());
        }
        if let Some(d) = &scene.draft {
            draft::draw(&self.screen.ctx, &scene.view, d);
        }
        let stat = FrameStat {
            kind,
            ms: now_ms() - start,
            features_drawn: drawn,
        };
        if self.frames.len() >= FRAME_LOG {
            self.frames.pop_front();
        }
        self.frames.push_back(stat);
        self.frames_total += 1;
        stat
    }

    /// Re-plans the incident layer `n` times on the current composite (with `repaint`, also
    /// repaints and uploads every tile with incidents, as after a new composite; without,
    /// only tiles whose incidents changed, i.e. none), each followed by a 1-px
    /// `getImageData` so the canvas work is done; returns each time in ms (the benchmarks'
    /// "draw 100k incidents"). Empty before the first settled frame.
    pub fn bench_incidents(
        &mut self,
        input: Option<&incidents::IncidentInput>,
        now_ms: &dyn Fn() -> f64,
        n: usize,
        repaint: bool,
    ) -> Vec<f64> {
        let Some(key) = self.composite_key else {
            return Vec::new();
        };
        let view = key.base.view;
        if let Some(ov) = self.overlay.as_mut() {
            return (0..n)
                .map(|_| {
                    if repaint {
                        self.incidents.forget_overlay();
                    } else {
                        self.incidents.invalidate(false);
                    }
                    let t0 = now_ms();
                    self.incidents.update_overlay(ov, &view, input, now_ms);
                    let (ctx, _) = ov.sprites_ctx(view.width_px(), view.height_px());
                    let _ = ctx.get_image_data(0.0, 0.0, 1.0, 1.0);
                    now_ms() - t0
                })
                .collect();
        }
        (0..n)
            .map(|_| {
                self.incidents.invalidate(repaint);
                let t0 = now_ms();
                self.incidents.update(
                    &self.composite.ctx,
                    &view,
                    self.composite_gen,
                    input,
                    now_ms,
                );
                let _ = self.composite.ctx.get_image_data(0.0, 0.0, 1.0, 1.0);
                now_ms() - t0
            })
            .collect()
    }

    /// Moves and scales the cached composite; fills the uncovered strips with sea.
    fn gesture_frame(&self, cached: &Viewport, view: &Viewport) {
        let t = view.transform_from(cached);
        let dpr = view.dpr();
        let (x, y) = (t.tx * dpr, t.ty * dpr);
        let (w, h) = (
            cached.width_css() * t.scale * dpr,
            cached.height_css() * t.scale * dpr,
        );
        let (sw, sh) = (view.width_px() as f64, view.height_px() as f64);
        let ctx = &self.screen.ctx;
        ctx.set_fill_style_str(style::SEA);
        // Only the strips the bitmap does not cover.
        if y > 0.0 {
            ctx.fill_rect(0.0, 0.0, sw, y.min(sh));
        }
        if y + h < sh {
            ctx.fill_rect(0.0, (y + h).max(0.0), sw, sh - (y + h).max(0.0));
        }
        if x > 0.0 {
            ctx.fill_rect(0.0, y.max(0.0), x.min(sw), h.min(sh));
        }
        if x + w < sw {
            ctx.fill_rect(
                (x + w).max(0.0),
                y.max(0.0),
                sw - (x + w).max(0.0),
                h.min(sh),
            );
        }
        let _ = ctx.draw_image_with_html_canvas_element_and_dw_and_dh(
            &self.composite.canvas,
            x,
            y,
            w,
            h,
        );
    }

    fn settled_frame(
        &mut self,
        scene: &Scene,
        incidents: Option<&incidents::IncidentInput>,
        now_ms: &dyn Fn() -> f64,
    ) -> (FrameKind, usize) {
        let view = scene.view;
        let basemap = &scene.layers[layer_index(LayerId::Basemap)];
        let base_key = BaseKey {
            view,
            version: basemap.as_ref().map_or(0, |(_, v)| *v),
            visible: scene.visibility.get(LayerId::Basemap),
            tiles: scene.tiles.as_ref().map(|_| self.tiles.version.get()),
        };
        let overlays = OVERLAYS.map(|id| {
            (
                scene.layers[layer_index(id)]
                    .as_ref()
                    .map_or(0, |(_, v)| *v),
                scene.visibility.get(id),
            )
        });
        let key = CompositeKey {
            base: base_key,
            overlays,
            geofence: (
                scene.zones.as_ref().map_or(0, |z| z.1),
                scene.gaps.as_ref().map_or(0, |g| g.1),
            ),
        };
        let mut kind = FrameKind::Compose;
        let mut drawn = 0;
        if self.base_key != Some(base_key) {
            self.render_base(scene, base_key);
            kind = FrameKind::Full;
        }
        if self.composite_key != Some(key) {
            let data_changed = self.composite_key.is_none_or(|old| {
                old.base.view != view || old.overlays.iter().zip(&overlays).any(|(a, b)| a.0 != b.0)
            });
            if data_changed {
                kind = FrameKind::Full;
            }
            drawn = self.render_composite(scene);
            self.composite_key = Some(key);
            self.composite_gen += 1;
            if self.overlay.is_none() {
                self.incidents.composite_changed();
            }
        }
        match self.overlay.as_mut() {
            Some(ov) => {
                self.incidents.update_overlay(ov, &view, incidents, now_ms);
            }
            None => {
                self.incidents.update(
                    &self.composite.ctx,
                    &view,
                    self.composite_gen,
                    incidents,
                    now_ms,
                );
            }
        }
        let ctx = &self.screen.ctx;
        let _ = ctx.draw_image_with_html_canvas_element(&self.composite.canvas, 0.0, 0.0);
        (kind, drawn)
    }

    fn render_base(&mut self, scene: &Scene, key: BaseKey) {
        self.base.fit(&scene.view);
        let data = scene.layers[layer_index(LayerId::Basemap)]
            .as_ref()
            .filter(|_| key.visible);
        if let Some((d, version)) = data
            && self.outlines.as_ref().is_none_or(|(v, _)| v != version)
        {
            self.outlines = Some((*version, outlines(d)));
        }
        let mut pen = Pen {
            ctx: &self.base.ctx,
            view: &scene.view,
            scratch: &mut self.scratch,
        };
        draw::basemap(
            &mut pen,
            data.map(|(d, _)| d.as_ref()),
            data.and(self.outlines.as_ref().map(|(_, o)| o)),
        );
        if let Some(source) = &scene.tiles {
            self.tiles.draw(&self.base.ctx, &scene.view, source);
        }
        self.base_key = Some(key);
    }

    fn render_composite(&mut self, scene: &Scene) -> usize {
        self.composite.fit(&scene.view);
        let ctx = &self.composite.ctx;
        let _ = ctx.draw_image_with_html_canvas_element(&self.base.canvas, 0.0, 0.0);
        let layer = |id: LayerId| {
            scene.layers[layer_index(id)]
                .as_ref()
                .filter(|_| scene.visibility.get(id))
                .map(|(d, _)| d.as_ref())
        };
        let mut pen = Pen {
            ctx,
            view: &scene.view,
            scratch: &mut self.scratch,
        };
        let mut drawn = 0;
        if let Some((z, _)) = &scene.zones {
            drawn += draw::zones(&mut pen, &z.zones);
        }
        if let Some(d) = layer(LayerId::Fences) {
            drawn += draw::fences(&mut pen, d);
        }
        if let Some((g, _)) = &scene.gaps {
            drawn += draw::coverage_gaps(&mut pen, g);
        }
        if let Some(d) = layer(LayerId::Cameras) {
            drawn += draw::cameras(&mut pen, d);
        }
        if let Some(d) = layer(LayerId::Ports) {
            drawn += draw::ports(&mut pen, d);
        }
        draw::labels(
            &mut pen,
            layer(LayerId::Ports),
            layer(LayerId::Cameras),
            &scene.reserved,
        );
        drawn
    }
}
