//! The live incident layer on the canvas: rasterised in wasm by `core::incident_layer` into
//! a persistent copy of the composite ([`Frame`]) and written onto the composite bitmap with
//! `putImageData`.
//!
//! Units: device px (the composite's bitmap); incident positions are EPSG:3857 metres; times
//! ms since the Unix epoch. The composite's own pixels are read once per composite with
//! `getImageData`; a new plan then costs only the pixels the old and the new plan touch, and
//! only the 64-px tiles that changed are uploaded (straight from wasm memory, no copy), so
//! nothing else is re-rendered when incidents change.
//!
//! On a wall of several screens each screen plans its part of the whole wall's view
//! (`Plan::part_of`): sprite or density mode, the cells' opacity scale and the sprites kept
//! over the cells are decided over the whole wall, so the screens side by side are one picture.

use js_sys::Uint8ClampedArray;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, ImageData};

use std::any::Any;
use std::hash::{Hash, Hasher};

use crate::core::incident::{IncidentFilter, TimeWindow};
use crate::core::incident_layer::{DrawOptions, Frame, Marks, Mode, Plan, TileRect};
use crate::core::viewport::Viewport;

use super::layer::{LayerContext, LayerKey, MapLayer, Stage};
use super::overlay::{IncidentOverlay, inline_requested};

pub use super::layer::IncidentInput;

/// The last incident draw, for `window.calaisMap.incidentDraw()` and the benchmarks.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct IncidentDrawStat {
    /// Plan + raster + upload, ms.
    pub ms: f64,
    /// Of which planning (projection, density binning), ms.
    pub plan_ms: f64,
    /// Of which reading the composite's pixels (once per composite), ms.
    pub read_ms: f64,
    /// Of which restoring the old plan's pixels and drawing the new one in wasm, ms.
    pub paint_ms: f64,
    pub mode: Option<Mode>,
    pub visible: usize,
    pub drawn: usize,
    /// 64-px tiles repainted.
    pub repainted: usize,
    /// Rectangles uploaded with `putImageData`.
    pub tiles: usize,
    /// Pixels uploaded.
    pub uploaded_px: u64,
    /// Drawn on the overlay canvases (else into the composite); `uploaded_px` then counts
    /// the density image's pixels too.
    pub overlay: bool,
}

impl IncidentDrawStat {
    /// What `plan` drew (mode, counts) and what `frame` repainted; times and uploads zero.
    fn of(plan: &Plan, frame: Option<&Frame>) -> IncidentDrawStat {
        IncidentDrawStat {
            mode: Some(plan.mode()),
            visible: plan.visible(),
            drawn: plan.drawn(),
            repainted: frame.map_or(0, Frame::repainted),
            ..IncidentDrawStat::default()
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
struct MarksKey {
    version: u64,
    filter: IncidentFilter,
    /// The clock when a time window filters (else 0).
    clock: i64,
}

#[derive(Clone, Copy, PartialEq)]
struct PlanKey {
    view: Viewport,
    composite: u64,
    marks: u64,
    clock: i64,
}

/// What an overlay update draws for: this screen's view, the whole wall's (the same view on
/// one screen), the incidents and the page's clock (ms).
#[derive(Clone, Copy)]
pub struct Drawing<'a> {
    pub view: &'a Viewport,
    pub whole: &'a Viewport,
    pub input: Option<&'a IncidentInput<'a>>,
    pub now_ms: &'a dyn Fn() -> f64,
}

#[derive(Default)]
pub struct IncidentLayer {
    marks: Marks,
    marks_key: Option<MarksKey>,
    marks_gen: u64,
    plan: Option<Plan>,
    plan_key: Option<PlanKey>,
    /// A plan made for the overlay (`plan_key`) not painted yet, and its time (ms).
    planned: Option<(Plan, f64)>,
    /// The composite's pixels without and with incidents, read lazily.
    frame: Option<Frame>,
    /// The overlay canvases show the last plan moved (a gesture is under way).
    overlay_moved: bool,
    pub last: IncidentDrawStat,
}

impl IncidentLayer {
    /// The composite was re-rendered (it has no incidents on it now).
    pub fn composite_changed(&mut self) {
        self.frame = None;
        self.plan_key = None;
    }

    /// Forces the next [`IncidentLayer::update`] to plan again (benchmarks); with
    /// `repaint`, to paint and upload every tile with incidents too, as after a
    /// new composite (without reading it back).
    pub fn invalidate(&mut self, repaint: bool) {
        self.plan_key = None;
        if repaint && let Some(f) = self.frame.as_mut() {
            f.forget();
        }
    }

    /// Rebuilds the marks if they are out of date ([`IncidentLayer::sync_marks`]); returns
    /// the plan key of `view`, or `None` when the plan for it is current.
    fn next_key(
        &mut self,
        view: &Viewport,
        composite: u64,
        input: Option<&IncidentInput>,
    ) -> Option<PlanKey> {
        self.sync_marks(input);
        let key = PlanKey {
            view: *view,
            composite,
            marks: self.marks_gen,
            clock: input.map_or(0, |i| i.clock_ms),
        };
        (self.plan_key != Some(key)).then_some(key)
    }

    /// Rebuilds the marks when the store, the filter or (with a time window) the clock
    /// changed; returns whether it did.
    fn sync_marks(&mut self, input: Option<&IncidentInput>) -> bool {
        let map_filter = input.map(|i| i.filter.for_map()).unwrap_or_default();
        let marks_key = input.map(|i| MarksKey {
            version: i.version,
            filter: map_filter,
            clock: if map_filter.window == TimeWindow::All {
                0
            } else {
                i.clock_ms
            },
        });
        if marks_key != self.marks_key {
            let _m = crate::env::Measured::start("incidents-marks");
            self.marks = match input {
                Some(i) if map_filter.is_everything() => Marks::from_incidents(i.store.iter()),
                Some(i) => {
                    let now = crate::core::incident::Timestamp::from_millis(i.clock_ms)
                        .unwrap_or(crate::core::incident::Timestamp::EPOCH);
                    Marks::from_incidents(i.store.iter().filter(|inc| map_filter.matches(inc, now)))
                }
                None => Marks::new(),
            };
            self.marks_key = marks_key;
            self.marks_gen += 1;
            return true;
        }
        false
    }

    /// Brings the overlay canvases up to date for `view`: a new plan paints the changed tiles
    /// of the sprites canvas (transparent background: the map is never read) and replaces the
    /// density cells image; returns whether a new plan was drawn. During gestures
    /// [`IncidentLayer::place_overlay`] moves the canvases instead.
    pub fn update_overlay(&mut self, ov: &mut IncidentOverlay, at: Drawing<'_>) -> bool {
        self.plan_overlay(ov, at) && self.paint_planned(ov, at)
    }

    /// The first half of [`IncidentLayer::update_overlay`]: makes the plan for `view` and
    /// keeps it for [`IncidentLayer::paint_planned`]; returns whether there is one to paint
    /// (`false`: the plan is current, or there is nothing to draw and the canvases were
    /// cleared).
    pub fn plan_overlay(&mut self, ov: &mut IncidentOverlay, at: Drawing<'_>) -> bool {
        let Drawing {
            view,
            whole,
            input,
            now_ms,
        } = at;
        self.planned = None;
        let (width, height) = (view.width_px(), view.height_px());
        let (_, resized) = ov.sprites_ctx(width, height);
        if resized {
            self.frame = None;
            self.plan_key = None;
        }
        let Some(key) = self.next_key(view, 0, input) else {
            if self.overlay_moved {
                // A gesture ended where it began: put the canvases back.
                ov.place(None);
                self.overlay_moved = false;
            }
            return false;
        };
        self.plan_key = Some(key);
        self.overlay_moved = false;
        let on_canvas = self.frame.as_ref().is_some_and(Frame::has_incidents);
        if self.marks.is_empty() && !on_canvas {
            ov.show_cells(None, view.dpr());
            ov.show_sprites(false);
            self.plan = None;
            self.last = IncidentDrawStat::default();
            return false;
        }
        let start = now_ms();
        let plan = {
            let _m = crate::env::Measured::start("incidents-plan");
            Plan::part_of(&self.marks, view, whole, key.clock, &DrawOptions::default())
        };
        self.planned = Some((plan, now_ms() - start));
        true
    }

    /// The second half of [`IncidentLayer::update_overlay`]: paints and uploads the plan
    /// [`IncidentLayer::plan_overlay`] kept, if it is still the one for `view` (else plans
    /// again and paints); returns whether a plan was drawn.
    pub fn paint_planned(&mut self, ov: &mut IncidentOverlay, at: Drawing<'_>) -> bool {
        let Drawing {
            view,
            input,
            now_ms,
            ..
        } = at;
        let Some((plan, plan_ms)) = self.planned.take() else {
            return false;
        };
        let (width, height) = (view.width_px(), view.height_px());
        let (_, resized) = ov.sprites_ctx(width, height);
        if resized {
            self.frame = None;
            self.plan_key = None;
        }
        if self.next_key(view, 0, input).is_some() {
            // The view, the marks or the canvas changed since the plan: a new one.
            return self.update_overlay(ov, at);
        }
        let start = now_ms() - plan_ms;
        let t_paint = now_ms();
        if self
            .frame
            .as_ref()
            .is_none_or(|f| f.size() != (width, height))
        {
            let Ok(n) = usize::try_from(u64::from(width) * u64::from(height) * 4) else {
                return false;
            };
            self.frame = Some(Frame::new(vec![0; n], width, height));
        }
        let (rects, paint_ms) = match self.frame.as_mut() {
            Some(frame) => (frame.draw_without_cells(&plan), now_ms() - t_paint),
            None => (Vec::new(), 0.0),
        };
        let density = plan.density_image();
        let cells_px = density
            .as_ref()
            .map_or(0, |d| u64::from(d.cols) * u64::from(d.rows));
        ov.show_cells(density.as_ref(), view.dpr());
        ov.place(None);
        let uploaded_px: u64 = rects.iter().map(|r| u64::from(r.w) * u64::from(r.h)).sum();
        let (ctx, _) = ov.sprites_ctx(width, height);
        let written = self.frame.as_ref().map_or(0, |f| upload(ctx, f, &rects));
        ov.show_sprites(self.frame.as_ref().is_some_and(Frame::has_incidents));
        self.last = IncidentDrawStat {
            ms: now_ms() - start,
            plan_ms,
            paint_ms,
            tiles: written,
            uploaded_px: uploaded_px + cells_px,
            overlay: true,
            ..IncidentDrawStat::of(&plan, self.frame.as_ref())
        };
        self.plan = Some(plan);
        true
    }

    /// Moves the overlay canvases to where the last plan's content belongs in `view` (during
    /// a gesture; the next settled frame plans again).
    pub fn place_overlay(&mut self, ov: &IncidentOverlay, view: &Viewport) {
        let Some(key) = self.plan_key else {
            return;
        };
        self.overlay_moved = true;
        ov.place(Some(view.transform_from(&key.view)));
    }

    /// Puts the overlay canvases back where the last plan belongs, if a gesture moved them and
    /// ended where it began (no new plan).
    pub fn settle_overlay(&mut self, ov: &IncidentOverlay) {
        if self.overlay_moved {
            ov.place(None);
            self.overlay_moved = false;
        }
    }

    /// Forces the next overlay draw to repaint every tile (benchmarks: as after a new view).
    pub fn forget_overlay(&mut self) {
        self.plan_key = None;
        if let Some(f) = self.frame.as_mut() {
            f.forget();
        }
    }

    /// Brings the incidents on the composite up to date; returns whether anything was drawn.
    pub fn update(
        &mut self,
        ctx: &CanvasRenderingContext2d,
        view: &Viewport,
        whole: &Viewport,
        composite: u64,
        input: Option<&IncidentInput>,
        now_ms: &dyn Fn() -> f64,
    ) -> bool {
        let Some(key) = self.next_key(view, composite, input) else {
            return false;
        };
        let clock = key.clock;
        self.plan_key = Some(key);
        let on_canvas = self.frame.as_ref().is_some_and(Frame::has_incidents);
        if self.marks.is_empty() && !on_canvas {
            self.plan = None;
            self.last = IncidentDrawStat::default();
            return false;
        }
        let start = now_ms();
        let plan = Plan::part_of(&self.marks, view, whole, clock, &DrawOptions::default());
        let plan_ms = now_ms() - start;
        let (width, height) = (view.width_px(), view.height_px());
        let t_read = now_ms();
        if self
            .frame
            .as_ref()
            .is_none_or(|f| f.size() != (width, height))
        {
            let background = ctx
                .get_image_data(0.0, 0.0, f64::from(width), f64::from(height))
                .map(|img| img.data().0)
                .unwrap_or_default();
            self.frame = Some(Frame::new(background, width, height));
        }
        let read_ms = now_ms() - t_read;
        let t_paint = now_ms();
        let (rects, paint_ms) = match self.frame.as_mut() {
            Some(frame) => (frame.draw(&plan), now_ms() - t_paint),
            None => (Vec::new(), 0.0),
        };
        let uploaded_px = rects.iter().map(|r| u64::from(r.w) * u64::from(r.h)).sum();
        let written = self.frame.as_ref().map_or(0, |f| upload(ctx, f, &rects));
        self.last = IncidentDrawStat {
            ms: now_ms() - start,
            plan_ms,
            read_ms,
            paint_ms,
            tiles: written,
            uploaded_px,
            ..IncidentDrawStat::of(&plan, self.frame.as_ref())
        };
        self.plan = Some(plan);
        true
    }

    /// The id of the incident drawn under a point (CSS px) of `view`, if the last plan was
    /// drawn for that view.
    pub fn pick(
        &self,
        view: &Viewport,
        x_css: f64,
        y_css: f64,
        tolerance_css: f64,
    ) -> Option<String> {
        if self.plan_key.is_none_or(|k| k.view != *view) {
            return None;
        }
        let dpr = view.dpr();
        let i = self
            .plan
            .as_ref()?
            .pick(x_css * dpr, y_css * dpr, tolerance_css * dpr)?;
        self.marks.id(i).map(str::to_string)
    }

    /// The ids of every incident drawn within `tolerance_css` of a point (CSS px) of `view`,
    /// nearest first, if the last plan was drawn for that view (a tablet's tap chooser).
    pub fn pick_all(
        &self,
        view: &Viewport,
        x_css: f64,
        y_css: f64,
        tolerance_css: f64,
    ) -> Vec<String> {
        let Some(plan) = self
            .plan
            .as_ref()
            .filter(|_| self.plan_key.is_some_and(|k| k.view == *view))
        else {
            return Vec::new();
        };
        let dpr = view.dpr();
        plan.pick_all(x_css * dpr, y_css * dpr, tolerance_css * dpr)
            .into_iter()
            .filter_map(|i| self.marks.id(i).map(str::to_string))
            .collect()
    }
}

/// Writes `rects` of the frame's pixels onto the canvas; returns how many were written.
fn upload(ctx: &CanvasRenderingContext2d, frame: &Frame, rects: &[TileRect]) -> usize {
    if rects.is_empty() {
        return 0;
    }
    let (width, height) = frame.size();
    // A Uint8ClampedArray over the frame's pixels in wasm memory (no copy). Nothing below
    // allocates in wasm (which could grow the memory and detach the view), and neither the
    // view nor the ImageData over it outlives this function.
    let pixels = frame.pixels();
    let Ok(memory) = wasm_bindgen::memory().dyn_into::<js_sys::WebAssembly::Memory>() else {
        return 0;
    };
    let view = Uint8ClampedArray::new_with_byte_offset_and_length(
        &memory.buffer(),
        pixels.as_ptr() as usize as u32,
        pixels.len() as u32,
    );
    let img = match ImageData::new_with_js_u8_clamped_array_and_sh(&view, width, height) {
        Ok(img) => img,
        Err(e) => {
            web_sys::console::warn_1(&e);
            return 0;
        }
    };
    rects
        .iter()
        .filter(|r| {
            ctx.put_image_data_with_dirty_x_and_dirty_y_and_dirty_width_and_dirty_height(
                &img,
                0.0,
                0.0,
                f64::from(r.x),
                f64::from(r.y),
                f64::from(r.w),
                f64::from(r.h),
            )
            .map_err(|e| web_sys::console::warn_1(&e))
            .is_ok()
        })
        .count()
}

/// The incident layer on the layer seam: on its overlay canvases (or, when they cannot be
/// made or `?incidents=inline` asks, into the composite).
pub struct IncidentOverlays {
    pub layer: IncidentLayer,
    /// The overlay canvases; `None`: incidents are drawn into the composite.
    overlay: Option<IncidentOverlay>,
    /// The composite generation the inline incidents were drawn onto.
    generation: Option<u64>,
    /// What of a large store's update was left for the next frame ([`SPLIT_FROM`]).
    pending: Pending,
    /// Plans left for a next frame so far: part of the layer's key, so that frame prepares it.
    deferred: u64,
}

/// From this many incidents in the store, a frame that rebuilds the marks leaves the plan to
/// the next frame, and (on the overlay canvases) that frame leaves the paint and the upload to
/// the one after (two frames, 33 ms, later on screen): on the first load of 100k incidents the
/// marks and the plan made one 54–68 ms task with the page's layout after the swap, then the
/// plan with the paint and upload 54–57 ms (BENCHMARKS "Main-thread blocks").
pub const SPLIT_FROM: usize = 20_000;

/// The part of a split update ([`SPLIT_FROM`]) the next frame does.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Pending {
    #[default]
    Nothing,
    /// The marks were rebuilt: the plan (and, drawn into the composite, the paint).
    Plan,
    /// The plan was made: its paint and upload on the overlay canvases.
    Paint,
}

impl IncidentOverlays {
    /// The layer for the map canvas `screen` (`None`: no canvas, as in native tests).
    pub fn new(screen: Option<&web_sys::HtmlCanvasElement>) -> IncidentOverlays {
        let overlay = screen.filter(|_| !inline_requested()).and_then(|screen| {
            IncidentOverlay::new(screen)
                .map_err(|e| {
                    web_sys::console::info_1(&format!("incidents drawn into the map: {e}").into())
                })
                .ok()
        });
        IncidentOverlays {
            layer: IncidentLayer::default(),
            overlay,
            generation: None,
            pending: Pending::Nothing,
            deferred: 0,
        }
    }

    /// Re-plans the incident layer `n` times for `view` (with `repaint`, also repaints and
    /// uploads every tile with incidents, as after a new composite; without, only tiles whose
    /// incidents changed, i.e. none), each followed by a 1-px `getImageData` so the canvas work
    /// is done; returns each time in ms (the benchmarks' "draw 100k incidents"). `composite`
    /// is the map bitmap (the inline sink) and its generation.
    pub fn bench(
        &mut self,
        view: &Viewport,
        composite: (&CanvasRenderingContext2d, u64),
        input: Option<&IncidentInput>,
        now_ms: &dyn Fn() -> f64,
        n: usize,
        repaint: bool,
    ) -> Vec<f64> {
        let layer = &mut self.layer;
        if let Some(ov) = self.overlay.as_mut() {
            return (0..n)
                .map(|_| {
                    if repaint {
                        layer.forget_overlay();
                    } else {
                        layer.invalidate(false);
                    }
                    let t0 = now_ms();
                    layer.update_overlay(
                        ov,
                        Drawing {
                            view,
                            whole: view,
                            input,
                            now_ms,
                        },
                    );
                    let (ctx, _) = ov.sprites_ctx(view.width_px(), view.height_px());
                    let _ = ctx.get_image_data(0.0, 0.0, 1.0, 1.0);
                    now_ms() - t0
                })
                .collect();
        }
        let (ctx, generation) = composite;
        (0..n)
            .map(|_| {
                layer.invalidate(repaint);
                let t0 = now_ms();
                layer.update(ctx, view, view, generation, input, now_ms);
                let _ = ctx.get_image_data(0.0, 0.0, 1.0, 1.0);
                now_ms() - t0
            })
            .collect()
    }
}

impl MapLayer for IncidentOverlays {
    fn name(&self) -> &'static str {
        "incidents"
    }

    fn stage(&self) -> Stage {
        Stage::Over
    }

    /// The view, the store version, the map's filter, the clock step and (drawn into the
    /// composite) the composite's generation.
    fn key(&self, cx: &LayerContext) -> Option<LayerKey> {
        let mut h = std::hash::DefaultHasher::new();
        cx.incidents
            .map(|i| (i.filter.for_map(), i.clock_ms))
            .hash(&mut h);
        if self.overlay.is_none() {
            cx.map_generation.hash(&mut h);
        }
        self.deferred.hash(&mut h);
        let version = cx.incidents.map_or(0, |i| i.version);
        Some(cx.key(version, h.finish()))
    }

    fn prepare(&mut self, cx: &LayerContext, ctx: &CanvasRenderingContext2d) {
        let _m = crate::env::Measured::start("incidents-prepare");
        let large = cx.incidents.is_some_and(|i| i.store.len() >= SPLIT_FROM);
        // Drawn into the composite, a new composite has no incidents on it: never left without.
        let kept = self.overlay.is_some() || self.generation == Some(cx.map_generation);
        if large && kept && self.pending == Pending::Nothing && self.layer.sync_marks(cx.incidents)
        {
            // The marks were this frame's work; the plan is the next frame's.
            self.pending = Pending::Plan;
            self.deferred += 1;
            return;
        }
        let pending = std::mem::take(&mut self.pending);
        // On a wall of several screens the plan's choices are the whole wall's.
        let whole = cx.scene.wall.as_ref().map_or(cx.view(), |w| &w.whole);
        let at = Drawing {
            view: cx.view(),
            whole,
            input: cx.incidents,
            now_ms: cx.now_ms,
        };
        match self.overlay.as_mut() {
            Some(ov) if pending == Pending::Plan => {
                // The plan is this frame's work; the paint and upload the next frame's.
                if self.layer.plan_overlay(ov, at) {
                    self.pending = Pending::Paint;
                    self.deferred += 1;
                }
            }
            Some(ov) if pending == Pending::Paint => {
                self.layer.paint_planned(ov, at);
            }
            Some(ov) => {
                self.layer.update_overlay(ov, at);
            }
            None => {
                if self.generation != Some(cx.map_generation) {
                    // A new composite has no incidents on it.
                    self.layer.composite_changed();
                    self.generation = Some(cx.map_generation);
                }
                self.layer.update(
                    ctx,
                    cx.view(),
                    whole,
                    cx.map_generation,
                    cx.incidents,
                    cx.now_ms,
                );
            }
        }
    }

    fn wants_frame(&self) -> bool {
        self.pending != Pending::Nothing
    }

    /// Puts the overlay canvases back after a gesture that ended where it began.
    fn draw(&mut self, _cx: &LayerContext, _ctx: &CanvasRenderingContext2d) -> usize {
        if let Some(ov) = &self.overlay {
            self.layer.settle_overlay(ov);
        }
        0
    }

    fn follow(&mut self, view: &Viewport, _drawn_for: &Viewport) {
        if let Some(ov) = &self.overlay {
            self.layer.place_overlay(ov, view);
        }
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
