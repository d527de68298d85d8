//! The canvas renderer: cached bitmaps per view, cheap gesture frames, sharp settled frames.
//!
//! Units: the view is a `Viewport` (CSS px size and device pixel ratio); every bitmap is in
//! device px. The renderer names no layer: it walks the registry ([`registry`]) through the
//! layer seam ([`layer`]): each layer has a key, an expensive `prepare` (run when its key
//! changes) and a cheap `draw` onto its stage's bitmap:
//! - `base`: the base layers (basemap, raster tiles), redrawn when one of their keys changes;
//! - `composite`: `base` plus the map layers (zones, fences, gaps, cameras, ports, and the
//!   labels but on the wall), redrawn when a base or map key changes;
//! - over it, layers with canvases of their own (the heatmap, [`heatmap`], under the incidents,
//!   [`incidents`], and on the wall the labels over them, [`label_layer`]), prepared when their
//!   key changes and moved along during gestures;
//! - the screen: `composite` blitted (moved and scaled during a gesture, never re-projected),
//!   plus the screen layers (selection highlight, the zone under way), every frame.
//!
//! A view change shows a `Gesture` frame at once and re-renders sharp (`Full`) when the view
//! has been still for [`SETTLE_MS`] (a flight, `Scene::flying`, stays on gesture frames until it
//! lands). Toggles and selection only re-`Compose`. During a flight on the wall (nobody points
//! at it) a gesture frame draws nothing: the screen canvas as last drawn is moved by a CSS
//! transform, as the canvases over it are, so the compositor scales the cached bitmaps.

pub mod device_position;
pub mod draft;
pub mod draw;
pub mod heatmap;
pub mod incidents;
pub mod label_layer;
pub mod layer;
pub mod layers;
pub mod overlay;
pub mod registry;
pub mod shift_arrow;
pub mod style;
pub mod tiles;

use std::collections::VecDeque;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use crate::core::display::DisplayMode;
use crate::core::viewport::{ScreenTransform, Viewport};
use crate::env::CanvasError;
use crate::state::{FrameKind, FrameStat};
use incidents::{IncidentDrawStat, IncidentInput, IncidentOverlays};
use layer::{LayerContext, LayerKey, MapLayer, Stage, StageCache};
pub use layer::{LayerInput, Scene};

/// How long the view must be still before the sharp re-render, in ms.
pub const SETTLE_MS: f64 = 160.0;
/// How many frames the perf log keeps.
pub const FRAME_LOG: usize = 500;

struct Surface {
    canvas: HtmlCanvasElement,
    ctx: CanvasRenderingContext2d,
}

impl Surface {
    fn wrap(canvas: HtmlCanvasElement) -> Result<Surface, CanvasError> {
        let ctx = canvas
            .get_context("2d")
            .map_err(|_| CanvasError::Refused)?
            .ok_or(CanvasError::NoContext)?
            .dyn_into::<CanvasRenderingContext2d>()
            .map_err(|_| CanvasError::WrongType)?;
        Ok(Surface { canvas, ctx })
    }

    fn offscreen() -> Result<Surface, CanvasError> {
        let canvas = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.create_element("canvas").ok())
            .and_then(|e| e.dyn_into::<HtmlCanvasElement>().ok())
            .ok_or(CanvasError::NoOffscreen)?;
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

pub struct Renderer {
    screen: Surface,
    base: Surface,
    composite: Surface,
    /// Every layer, in draw order (`registry::registry`).
    layers: Vec<Box<dyn MapLayer>>,
    stages: Vec<Stage>,
    cache: StageCache,
    /// The view the composite was drawn for.
    composite_view: Option<Viewport>,
    /// The view the screen canvas' pixels were drawn for, and whether a CSS transform moves it
    /// (a flight on the wall).
    screen_view: Option<Viewport>,
    screen_moved: bool,
    /// Bumped whenever `composite` is re-rendered.
    composite_gen: u64,
    /// The last [`FRAME_LOG`] frames.
    pub frames: VecDeque<FrameStat>,
    /// Frames drawn since start.
    pub frames_total: u64,
}

impl Renderer {
    /// The renderer of `canvas` in `mode` (which decides where some layers draw, e.g. the
    /// labels over the incidents on the wall); `on_tile_load` is called when a raster tile
    /// arrives (to schedule a frame).
    pub fn new(
        canvas: HtmlCanvasElement,
        mode: DisplayMode,
        on_tile_load: Rc<dyn Fn()>,
    ) -> Result<Renderer, CanvasError> {
        let layers = registry::registry(Some(&canvas), mode, on_tile_load);
        Ok(Renderer {
            stages: layers.iter().map(|l| l.stage()).collect(),
            layers,
            screen: Surface::wrap(canvas)?,
            base: Surface::offscreen()?,
            composite: Surface::offscreen()?,
            cache: StageCache::default(),
            composite_view: None,
            screen_view: None,
            screen_moved: false,
            composite_gen: 0,
            frames: VecDeque::new(),
            frames_total: 0,
        })
    }

    /// Whether a composite exists to move during a gesture (false until the first frame).
    pub fn has_composite(&self) -> bool {
        self.cache.has_map()
    }

    /// Whether a layer left work for another frame ([`MapLayer::wants_frame`]).
    pub fn wants_frame(&self) -> bool {
        self.layers.iter().any(|l| l.wants_frame())
    }

    /// The on-screen canvas.
    pub fn canvas(&self) -> &HtmlCanvasElement {
        &self.screen.canvas
    }

    fn incident_layer(&self) -> Option<&IncidentOverlays> {
        self.layers.iter().find_map(|l| l.as_any().downcast_ref())
    }

    /// The last incident draw (`window.calaisMap.incidentDraw()`).
    pub fn incident_draw(&self) -> IncidentDrawStat {
        self.incident_layer()
            .map_or_else(Default::default, |l| l.layer.last)
    }

    /// The place names the labels layer placed last, each with its box (CSS px of this
    /// screen's view: `[x, y, width, height]`, top-left corner).
    pub fn label_names(&self) -> Vec<(String, [f64; 4])> {
        self.layers
            .iter()
            .find_map(|l| l.as_any().downcast_ref::<label_layer::Labels>())
            .map_or_else(Vec::new, label_layer::Labels::names)
    }

    /// The id of the incident drawn under a point (CSS px) of `view`, if any.
    pub fn pick_incident(&self, view: &Viewport, x: f64, y: f64, tolerance: f64) -> Option<String> {
        self.incident_layer()?.layer.pick(view, x, y, tolerance)
    }

    /// The ids of every incident drawn within `tolerance` CSS px of `(x, y)`, nearest first.
    pub fn pick_incidents(&self, view: &Viewport, x: f64, y: f64, tolerance: f64) -> Vec<String> {
        self.incident_layer()
            .map(|l| l.layer.pick_all(view, x, y, tolerance))
            .unwrap_or_default()
    }

    /// Draws one frame; returns what it cost.
    pub fn render(
        &mut self,
        scene: &Scene,
        incidents: Option<&IncidentInput>,
        now_ms: impl Fn() -> f64,
    ) -> FrameStat {
        let start = now_ms();
        self.screen.fit(&scene.view);
        let mut drawn = 0;
        // A flight on the wall moves the screen canvas as drawn (the composite and the screen
        // layers on it) by CSS, as the canvases over it are: the frame costs no pixels here. So
        // does the frame where it lands, until the sharp one.
        let css_moved = !scene.settled
            && scene.mode == DisplayMode::Wall
            && (scene.flying || self.screen_moved);
        let kind = match (self.composite_view, scene.settled) {
            (Some(cached), false) => {
                match self.screen_view.filter(|_| css_moved) {
                    Some(drawn) => self.move_screen(Some(scene.view.transform_from(&drawn))),
                    None => {
                        self.move_screen(None);
                        self.gesture_frame(&cached, &scene.view);
                        self.screen_view = Some(scene.view);
                    }
                }
                for l in &mut self.layers {
                    l.follow(&scene.view, &cached);
                }
                FrameKind::Gesture
            }
            _ => {
                self.move_screen(None);
                let (kind, n) = self.settled_frame(scene, incidents, &now_ms);
                self.screen_view = Some(scene.view);
                drawn = n;
                kind
            }
        };
        if self.screen_moved {
            // The screen layers were drawn for the view the canvas shows, and move with it.
            return self.log_frame(kind, now_ms() - start, drawn);
        }
        let cx = LayerContext {
            scene,
            incidents,
            now_ms: &now_ms,
            map_generation: self.composite_gen,
        };
        for (l, _) in self
            .layers
            .iter_mut()
            .zip(&self.stages)
            .filter(|(_, s)| **s == Stage::Screen)
        {
            l.prepare(&cx, &self.screen.ctx);
            l.draw(&cx, &self.screen.ctx);
        }
        self.log_frame(kind, now_ms() - start, drawn)
    }

    /// Records a frame in the perf log; returns it.
    fn log_frame(&mut self, kind: FrameKind, ms: f64, features_drawn: usize) -> FrameStat {
        let stat = FrameStat {
            kind,
            ms,
            features_drawn,
        };
        if self.frames.len() >= FRAME_LOG {
            self.frames.pop_front();
        }
        self.frames.push_back(stat);
        self.frames_total += 1;
        stat
    }

    /// Moves the screen canvas by `t` (CSS px of the view it was drawn for to CSS px of the
    /// current one), or puts it back (`None`); writes the style only on a change.
    fn move_screen(&mut self, t: Option<ScreenTransform>) {
        let value = match t {
            Some(t) => format!("matrix({0}, 0, 0, {0}, {1}, {2})", t.scale, t.tx, t.ty),
            None if self.screen_moved => "none".to_string(),
            None => return,
        };
        self.screen_moved = t.is_some();
        let _ = self.screen.canvas.style().set_property("transform", &value);
    }

    /// Re-plans the incident layer `n` times on the current composite (see
    /// [`IncidentOverlays::bench`]); returns each time in ms. Empty before the first settled
    /// frame.
    pub fn bench_incidents(
        &mut self,
        input: Option<&IncidentInput>,
        now_ms: &dyn Fn() -> f64,
        n: usize,
        repaint: bool,
    ) -> Vec<f64> {
        let Some(view) = self.composite_view else {
            return Vec::new();
        };
        let composite = (&self.composite.ctx, self.composite_gen);
        self.layers
            .iter_mut()
            .find_map(|l| l.as_any_mut().downcast_mut::<IncidentOverlays>())
            .map_or_else(Vec::new, |l| {
                l.bench(&view, composite, input, now_ms, n, repaint)
            })
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

    fn keys(&self, cx: &LayerContext) -> Vec<Option<LayerKey>> {
        self.layers.iter().map(|l| l.key(cx)).collect()
    }

    fn settled_frame(
        &mut self,
        scene: &Scene,
        incidents: Option<&IncidentInput>,
        now_ms: &dyn Fn() -> f64,
    ) -> (FrameKind, usize) {
        let mut cx = LayerContext {
            scene,
            incidents,
            now_ms,
            map_generation: self.composite_gen,
        };
        let mut keys = self.keys(&cx);
        let mut plan = self.cache.plan(&self.stages, &keys);
        if plan.map {
            // Layers drawn into the composite key on the generation it is about to get.
            self.composite_gen += 1;
            cx.map_generation = self.composite_gen;
            keys = self.keys(&cx);
            plan = self.cache.plan(&self.stages, &keys);
        }
        let mut drawn = 0;
        if plan.base {
            self.base.fit(&scene.view);
            self.run_stage(Stage::Base, &cx, &plan.prepare);
        }
        if plan.map {
            self.composite.fit(&scene.view);
            let ctx = &self.composite.ctx;
            let _ = ctx.draw_image_with_html_canvas_element(&self.base.canvas, 0.0, 0.0);
            drawn = self.run_stage(Stage::Map, &cx, &plan.prepare);
            self.composite_view = Some(scene.view);
        }
        self.run_stage(Stage::Over, &cx, &plan.prepare);
        self.cache.done(&plan, &keys);
        let ctx = &self.screen.ctx;
        let _ = ctx.draw_image_with_html_canvas_element(&self.composite.canvas, 0.0, 0.0);
        let kind = if plan.new_content {
            FrameKind::Full
        } else {
            FrameKind::Compose
        };
        (kind, drawn)
    }

    /// Prepares (those listed in `prepare`) and draws the layers of `stage` onto its bitmap
    /// (`Over` layers get the composite, for drawing into it); returns the features drawn.
    fn run_stage(&mut self, stage: Stage, cx: &LayerContext, prepare: &[usize]) -> usize {
        let ctx = match stage {
            Stage::Base => &self.base.ctx,
            Stage::Map | Stage::Over => &self.composite.ctx,
            Stage::Screen => &self.screen.ctx,
        };
        let mut drawn = 0;
        for (i, layer) in self.layers.iter_mut().enumerate() {
            if self.stages.get(i) != Some(&stage) {
                continue;
            }
            let _m = crate::env::Measured::start(layer.name());
            if prepare.contains(&i) {
                layer.prepare(cx, ctx);
            }
            drawn += layer.draw(cx, ctx);
        }
        drawn
    }
}
