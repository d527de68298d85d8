//! The live incident layer's two canvases laid over the map canvas (no pointer events), so
//! incidents never touch the map's pixels and the map never has to be read back:
//!
//! - `data-testid="incident-cells"`: density mode's cells, one bitmap pixel a cell
//!   (`Plan::density_image`), shown scaled by the cell pitch with `image-rendering: pixelated`
//!   (the compositor scales it; the page uploads a few hundred thousand pixels, not 8 million);
//! - `data-testid="incident-sprites"`: tracks and sprites, a transparent bitmap of the view's
//!   size kept by `core::incident_layer::Frame`, only changed 64-px tiles uploaded.
//!
//! [`overlay_canvas`] makes every canvas laid over the map (these two, the heatmap's, the wall's
//! labels').
//!
//! Units: bitmaps are device px; CSS placement is CSS px (device px / dpr) relative to the map
//! canvas' box, set through the CSSOM (`style.setProperty`, allowed by a strict CSP). During a
//! pan or zoom both canvases get the gesture's CSS transform until the next settled frame.

use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

use crate::core::incident_layer::DensityImage;
use crate::core::viewport::ScreenTransform;
use crate::env::query_param;

/// The two overlay canvases.
pub struct IncidentOverlay {
    cells: HtmlCanvasElement,
    cells_ctx: CanvasRenderingContext2d,
    sprites: HtmlCanvasElement,
    sprites_ctx: CanvasRenderingContext2d,
    /// Where the cells bitmap sits (device px of its top-left, device px a bitmap pixel).
    cells_place: (f64, f64, f64),
    dpr: f64,
}

/// A canvas to lay over the map, with its 2D context, not yet in the page: `class` styles it
/// (no pointer events), `testid` names it for tests; hidden from assistive technology. The
/// incident canvases, the heatmap's and the wall's labels' are made by it.
pub fn overlay_canvas(
    class: &str,
    testid: &str,
) -> Result<(HtmlCanvasElement, CanvasRenderingContext2d), &'static str> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let canvas: HtmlCanvasElement = document
        .create_element("canvas")
        .map_err(|_| "could not create a canvas")?
        .dyn_into()
        .map_err(|_| "not a canvas")?;
    let _ = canvas.set_attribute("class", class);
    let _ = canvas.set_attribute("data-testid", testid);
    let _ = canvas.set_attribute("aria-hidden", "true");
    let ctx: CanvasRenderingContext2d = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .ok_or("no 2d context")?
        .dyn_into()
        .map_err(|_| "not a 2d context")?;
    Ok((canvas, ctx))
}

fn canvas_after(
    after: &HtmlCanvasElement,
    class: &str,
    testid: &str,
) -> Result<(HtmlCanvasElement, CanvasRenderingContext2d), String> {
    let parent = after.parent_node().ok_or("the map canvas has no parent")?;
    let (canvas, ctx) = overlay_canvas(class, testid)?;
    canvas.set_width(1);
    canvas.set_height(1);
    parent
        .insert_before(&canvas, after.next_sibling().as_ref())
        .map_err(|_| "could not place the incident layer")?;
    Ok((canvas, ctx))
}

/// Sets one CSS property of `canvas` through the CSSOM (allowed by a strict CSP).
pub fn set_style(canvas: &HtmlCanvasElement, name: &str, value: &str) {
    let _ = canvas.style().set_property(name, value);
}

impl IncidentOverlay {
    /// Creates the two canvases right after `screen` in its parent (cells, then sprites over
    /// them); an error when `screen` has no parent (the caller draws into the composite).
    pub fn new(screen: &HtmlCanvasElement) -> Result<IncidentOverlay, String> {
        let (cells, cells_ctx) =
            canvas_after(screen, "incident-overlay incident-cells", "incident-cells")?;
        let (sprites, sprites_ctx) = canvas_after(
            &cells,
            "incident-overlay incident-sprites",
            "incident-sprites",
        )?;
        cells_ctx.set_image_smoothing_enabled(false);
        set_style(&cells, "display", "none");
        set_style(&sprites, "display", "none");
        Ok(IncidentOverlay {
            cells,
            cells_ctx,
            sprites,
            sprites_ctx,
            cells_place: (0.0, 0.0, 1.0),
            dpr: 1.0,
        })
    }

    /// The sprites canvas' context, its bitmap made `width × height` device px (a resize
    /// clears it: the caller then repaints everything).
    pub fn sprites_ctx(&self, width: u32, height: u32) -> (&CanvasRenderingContext2d, bool) {
        let resized = self.sprites.width() != width || self.sprites.height() != height;
        if resized {
            self.sprites.set_width(width);
            self.sprites.set_height(height);
        }
        (&self.sprites_ctx, resized)
    }

    /// Shows density cells (or hides the cells canvas for `None`), for a view of `dpr`.
    pub fn show_cells(&mut self, image: Option<&DensityImage>, dpr: f64) {
        self.dpr = dpr;
        let Some(img) = image.filter(|i| i.cols > 0 && i.rows > 0) else {
            set_style(&self.cells, "display", "none");
            return;
        };
        if self.cells.width() != img.cols || self.cells.height() != img.rows {
            self.cells.set_width(img.cols);
            self.cells.set_height(img.rows);
        }
        match ImageData::new_with_u8_clamped_array_and_sh(
            Clamped(img.pixels.as_slice()),
            img.cols,
            img.rows,
        ) {
            Ok(data) => {
                let _ = self.cells_ctx.put_image_data(&data, 0.0, 0.0);
            }
            Err(e) => web_sys::console::warn_1(&e),
        }
        set_style(&self.cells, "width", &format!("{}px", img.cols));
        set_style(&self.cells, "height", &format!("{}px", img.rows));
        set_style(&self.cells, "display", "block");
        self.cells_place = (img.x as f64, img.y as f64, img.pitch as f64);
        self.place(None);
    }

    /// Places both canvases for the view they were drawn for (`None`) or moved by a gesture's
    /// transform (CSS px of the drawn view to CSS px of the current one).
    pub fn place(&self, t: Option<ScreenTransform>) {
        let t = t.unwrap_or(ScreenTransform {
            scale: 1.0,
            tx: 0.0,
            ty: 0.0,
        });
        let d = self.dpr.max(f64::MIN_POSITIVE);
        let (x, y, pitch) = self.cells_place;
        let k = t.scale * pitch / d;
        set_style(
            &self.cells,
            "transform",
            &format!(
                "matrix({k}, 0, 0, {k}, {}, {})",
                t.tx + t.scale * x / d,
                t.ty + t.scale * y / d
            ),
        );
        let moved = t.scale != 1.0 || t.tx != 0.0 || t.ty != 0.0;
        set_style(
            &self.sprites,
            "transform",
            &if moved {
                format!("matrix({0}, 0, 0, {0}, {1}, {2})", t.scale, t.tx, t.ty)
            } else {
                "none".to_string()
            },
        );
    }

    /// Shows the sprites canvas only while it holds something: an empty 4K layer would still
    /// be composited every frame.
    pub fn show_sprites(&self, shown: bool) {
        set_style(
            &self.sprites,
            "display",
            if shown { "block" } else { "none" },
        );
    }
}

/// Whether the page asked for incidents drawn into the map's own bitmap (`?incidents=inline`):
/// the benchmarks compare both ways.
pub fn inline_requested() -> bool {
    query_param("incidents").is_some_and(|v| v == "inline")
}
