//! The heatmap layer (issue 12) on the layer seam: the kernel density of the reports of the
//! heatmap's window (or the difference per day of two windows being compared) that pass the
//! incident filters (kind, severity, status), computed by
//! `core::heatmap` and drawn as its own small bitmap (one pixel a grid cell) on a canvas of its
//! own laid over the map, under the incident markers, scaled up by the compositor.
//!
//! Units: densities are reports per km² of ground, the bandwidth σ ground metres, the grid's
//! resolution cells per CSS px; the canvas is placed in CSS px of the map canvas' box
//! (`GridSpec::view_placement_css`) through the CSSOM. The layer is recomputed only when its
//! key changes (view, history revision, window, filter, settings), never per frame; during a
//! pan or zoom the canvas follows the gesture's transform.
//!
//! On a wall of several screens the density is computed over the whole wall's view
//! (`Scene::wall`) and each screen shows its part of it, so the relative scale's top, the
//! difference's symmetric top and the legend's figures are the whole wall's on every screen.
//!
//! Its canvas is made at the first draw and put right after the map canvas, i.e. under the
//! incident canvases (made when the registry was built, also right after the map canvas).

use std::any::Any;
use std::hash::{Hash, Hasher};

use wasm_bindgen::Clamped;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

use crate::core::heatmap::displacement::Window;
use crate::core::heatmap::grid::GridSpec;
use crate::core::heatmap::history::History;
use crate::core::heatmap::ramp::{self, Ramp, Scale};
use crate::core::heatmap::{DensityGrid, Workspace, difference_per_day};
use crate::core::viewport::{ScreenTransform, Viewport};
use crate::state::HeatmapShown;

use super::layer::{Compute, HeatShows, HeatmapInput, LayerContext, LayerKey, MapLayer, Stage};
use super::overlay::{overlay_canvas, set_style};

/// The density of a window over `view` computed in `ws`, with the number of reports that went
/// in.
fn window_density<'w>(
    input: &HeatmapInput,
    history: &History,
    w: Window,
    view: &Viewport,
    ws: &'w mut Workspace,
) -> (Option<&'w DensityGrid>, usize) {
    let mut reports = 0usize;
    let points = history
        .points(w.from_ms, w.to_ms, &input.filter, input.weighting)
        .inspect(|_| reports += 1);
    (
        ws.density(view, input.bandwidth_m, input.resolution, points),
        reports,
    )
}

/// What `input` shows over `view`, computed in `ws` (and `ws_b`, the second window of a
/// difference; their buffers reused from one frame to the next), its pixels (straight RGBA,
/// the view crop row by row) written to `pixels`; with what the legend shows. A window is
/// painted on the sequential ramp with the input's scale; a difference (B − A per day) on the
/// diverging ramp, symmetric about 0 with the largest |difference| in view at the ends. The one
/// place the engine is called.
///
/// On a wall of several screens `view` is the whole wall's and `part` this screen's: the
/// density, the peak and the ramp's top are the whole wall's (the same place has the same
/// colour on every screen, and the legend the same figures), and only the cells of `part`
/// (`GridSpec::crop`) are painted; the crop is returned with the grid.
pub fn compute<'w>(
    input: &HeatmapInput,
    history: &History,
    view: &Viewport,
    part: &Viewport,
    ws: &'w mut Workspace,
    ws_b: &mut Workspace,
    pixels: &mut Vec<u8>,
) -> (Option<(&'w DensityGrid, GridSpec)>, HeatmapShown) {
    match input.shows {
        HeatShows::Window(w) => {
            let (grid, reports) = window_density(input, history, w, view, ws);
            let peak = grid.map_or(0.0, |g| g.peak_per_km2);
            let top = input.scale.top(peak);
            let grid = grid.map(|g| (g, g.spec.crop(part)));
            if let Some((g, crop)) = &grid {
                let rows = g.spec.crop_rows(crop, g.view_rows());
                ramp::paint(rows, Ramp::Sequential, top, pixels);
            }
            let shown = HeatmapShown {
                peak_per_km2: peak,
                top_per_km2: top,
                bandwidth_m: input.bandwidth_m,
                reports,
                difference: false,
            };
            (grid, shown)
        }
        HeatShows::Difference { a, b } => {
            let (grid_b, reports_b) = window_density(input, history, b, view, ws_b);
            let (grid_a, reports_a) = window_density(input, history, a, view, ws);
            let diff = grid_a
                .zip(grid_b)
                .and_then(|(ga, gb)| difference_per_day(ga, a.days(), gb, b.days()));
            let peak = diff.as_ref().map_or(0.0, |d| {
                d.iter().fold(0.0f64, |m, v| m.max(f64::from(v.abs())))
            });
            let top = Scale::Relative.top(peak);
            let grid_a = grid_a.map(|g| (g, g.spec.crop(part)));
            if let (Some((g, crop)), Some(d)) = (&grid_a, diff.as_ref()) {
                let cols = g.view_size().0.max(1);
                let rows = g.spec.crop_rows(crop, d.chunks(cols));
                ramp::paint(rows, Ramp::Diverging, top, pixels);
            }
            let shown = HeatmapShown {
                peak_per_km2: peak,
                top_per_km2: top,
                bandwidth_m: input.bandwidth_m,
                reports: reports_a + reports_b,
                difference: true,
            };
            (grid_a, shown)
        }
    }
}

crate::split::split_point! {
    /// The density engine (`core::heatmap`'s kernel density, blur and ramps, and [`compute`]):
    /// the part `heatmap`, loaded when the heatmap is first shown (`split.rs`).
    heatmap: fn engine_part() -> Compute {
        compute
    }
}

thread_local! {
    static ENGINE: std::cell::Cell<Option<Compute>> = const { std::cell::Cell::new(None) };
    static ASKED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// The engine when its part is loaded; else `None`, and the part is asked for (once at a
/// time): `done(loaded)` is called when it came or could not be fetched, so the caller draws
/// again or says so. Without the feature `split` the engine is always there.
pub fn engine(done: impl FnOnce(bool) + 'static) -> Option<Compute> {
    if cfg!(not(feature = "split")) {
        return Some(compute);
    }
    if let Some(c) = ENGINE.get() {
        return Some(c);
    }
    if !ASKED.replace(true) {
        wasm_bindgen_futures::spawn_local(async move {
            let got = engine_part().await;
            if let Ok(c) = got {
                ENGINE.set(Some(c));
            }
            ASKED.set(false);
            done(got.is_ok());
        });
    } else {
        drop(done);
    }
    None
}

/// A hash of what the heatmap's pixels depend on besides the view and the history revision.
fn settings_hash(input: &HeatmapInput) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    match input.shows {
        HeatShows::Window(w) => (0u8, w.from_ms, w.to_ms, 0i64, 0i64),
        HeatShows::Difference { a, b } => (1u8, a.from_ms, a.to_ms, b.from_ms, b.to_ms),
    }
    .hash(&mut h);
    input.filter.hash(&mut h);
    (input.bandwidth_m.to_bits(), input.resolution.to_bits()).hash(&mut h);
    match input.scale {
        Scale::Fixed(v) => v.to_bits(),
        Scale::Relative => 1,
    }
    .hash(&mut h);
    (input.weighting == crate::core::heatmap::history::Weighting::Severity).hash(&mut h);
    h.finish()
}

/// The heatmap layer: its canvas (made at the first draw), the engine's buffers and its
/// pixels (kept from one computation to the next), and where its bitmap lies.
#[derive(Default)]
pub struct Heatmap {
    /// The map canvas, after which the heatmap's canvas goes (`None` in native tests).
    screen: Option<HtmlCanvasElement>,
    canvas: Option<(HtmlCanvasElement, CanvasRenderingContext2d)>,
    workspace: Workspace,
    /// The second window's buffers (a difference).
    workspace_b: Workspace,
    pixels: Vec<u8>,
    /// The view the bitmap was drawn for, its top-left (CSS px) and CSS px per bitmap pixel.
    placed: Option<(Viewport, f64, f64, f64)>,
    /// A gesture moved the canvas.
    moved: bool,
}

impl Heatmap {
    /// The layer for the map canvas `screen` (`None`: it draws nothing).
    pub fn new(screen: Option<&HtmlCanvasElement>) -> Heatmap {
        Heatmap {
            screen: screen.cloned(),
            ..Heatmap::default()
        }
    }

    /// Its canvas, made and placed right after the map canvas the first time.
    fn canvas(&mut self) -> Option<&(HtmlCanvasElement, CanvasRenderingContext2d)> {
        if self.canvas.is_none() {
            let screen = self.screen.as_ref()?;
            let parent = screen.parent_node()?;
            let (canvas, ctx) = overlay_canvas("heatmap-canvas", "heatmap-canvas").ok()?;
            parent
                .insert_before(&canvas, screen.next_sibling().as_ref())
                .ok()?;
            self.canvas = Some((canvas, ctx));
        }
        self.canvas.as_ref()
    }

    fn hide(&mut self) {
        if let Some((c, _)) = &self.canvas {
            set_style(c, "display", "none");
        }
        self.placed = None;
    }

    /// Places the canvas for the view it was drawn for, moved by `t` (CSS px of that view to
    /// CSS px of the current one) during a gesture.
    fn place(&self, t: ScreenTransform) {
        let (Some((c, _)), Some((_, left, top, k))) = (&self.canvas, self.placed) else {
            return;
        };
        let s = t.scale * k;
        set_style(
            c,
            "transform",
            &format!(
                "matrix({s}, 0, 0, {s}, {}, {})",
                t.tx + t.scale * left,
                t.ty + t.scale * top
            ),
        );
    }

    /// Puts the pixels of `crop` (cells of a grid) on the canvas for `view`.
    fn show(&mut self, crop: &GridSpec, view: &Viewport) {
        let (cols, rows) = crop.view_size();
        let (Ok(w), Ok(h)) = (u32::try_from(cols), u32::try_from(rows)) else {
            return;
        };
        if w == 0 || h == 0 || self.pixels.len() != cols * rows * 4 {
            self.hide();
            return;
        }
        let pixels = std::mem::take(&mut self.pixels);
        if let Some((c, ctx)) = self.canvas() {
            if c.width() != w || c.height() != h {
                c.set_width(w);
                c.set_height(h);
            }
            match ImageData::new_with_u8_clamped_array_and_sh(Clamped(pixels.as_slice()), w, h) {
                Ok(data) => {
                    let _ = ctx.put_image_data(&data, 0.0, 0.0);
                }
                Err(e) => web_sys::console::warn_1(&e),
            }
            set_style(c, "width", &format!("{w}px"));
            set_style(c, "height", &format!("{h}px"));
            set_style(c, "display", "block");
        }
        self.pixels = pixels;
        let (left, top, width, _) = crop.view_placement_css(view);
        self.placed = Some((*view, left, top, width / f64::from(w)));
        self.moved = false;
        self.place(ScreenTransform {
            scale: 1.0,
            tx: 0.0,
            ty: 0.0,
        });
    }
}

impl MapLayer for Heatmap {
    fn name(&self) -> &'static str {
        "heatmap"
    }

    fn stage(&self) -> Stage {
        Stage::Over
    }

    /// Switched off: one key for every view (nothing to recompute). On: the view, the history
    /// revision and the window, filter and settings.
    fn key(&self, cx: &LayerContext) -> Option<LayerKey> {
        Some(match &cx.scene.heatmap {
            None => LayerKey {
                view: None,
                data: 0,
                style: 0,
                mode: cx.mode(),
            },
            Some(input) => cx.key(input.revision + 1, settings_hash(input)),
        })
    }

    fn prepare(&mut self, cx: &LayerContext, _ctx: &CanvasRenderingContext2d) {
        let Some(input) = cx.scene.heatmap.as_ref() else {
            self.hide();
            return;
        };
        let Ok(history) = input.history.try_borrow() else {
            return;
        };
        let mut pixels = std::mem::take(&mut self.pixels);
        let mut ws = std::mem::take(&mut self.workspace);
        let mut ws_b = std::mem::take(&mut self.workspace_b);
        // On a wall of several screens: computed over the whole wall's view, this screen's
        // part painted.
        let whole = cx.scene.wall.as_ref().map_or(cx.view(), |w| &w.whole);
        let (grid, shown) = (input.compute)(
            input,
            &history,
            whole,
            cx.view(),
            &mut ws,
            &mut ws_b,
            &mut pixels,
        );
        self.workspace_b = ws_b;
        drop(history);
        self.pixels = pixels;
        match grid {
            Some((_, crop)) if shown.top_per_km2.is_some() => self.show(&crop, cx.view()),
            _ => self.hide(),
        }
        self.workspace = ws;
        (input.publish)(shown);
    }

    /// Puts the canvas back after a gesture that ended where it began.
    fn draw(&mut self, _cx: &LayerContext, _ctx: &CanvasRenderingContext2d) -> usize {
        if self.moved {
            self.moved = false;
            self.place(ScreenTransform {
                scale: 1.0,
                tx: 0.0,
                ty: 0.0,
            });
        }
        0
    }

    fn follow(&mut self, view: &Viewport, _drawn_for: &Viewport) {
        if let Some((drawn, ..)) = self.placed {
            self.moved = true;
            self.place(view.transform_from(&drawn));
        }
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
