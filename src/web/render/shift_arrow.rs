//! The displacement arrow (issue 12): from the centre of activity of comparison window A to
//! that of window B, drawn on the screen canvas (like the selection; the layer is
//! `layers::ShiftArrowLayer`) so that it follows the view during a pan or zoom; each end ringed
//! and lettered, the length written beside the middle.
//!
//! Units: the centres are EPSG:3857 metres, projected through the [`Viewport`] to CSS px and
//! multiplied by the device pixel ratio (the screen bitmap is device px); sizes below are CSS
//! px; the length is ground km (`core::heatmap::centre::shift`).

use web_sys::CanvasRenderingContext2d;

use crate::core::units::Mercator;
use crate::core::viewport::Viewport;

/// What to draw.
#[derive(Clone, Debug, PartialEq)]
pub struct ShiftArrow {
    /// Centre of window A and of window B, EPSG:3857 metres.
    pub a: Mercator,
    pub b: Mercator,
    /// The geodesic length as written beside the arrow, ground km in the operator's language
    /// ("2.4 km", "2,4 km": `strings::locale::number`).
    pub label: String,
}

/// The arrow's colour (the diverging ramp's "more" end, on dark casing).
const STROKE: &str = "#ffffff";
const CASING: &str = "rgba(6,16,24,0.92)";
const END_A: &str = "#67a9cf";
const END_B: &str = "#ef8a62";

/// Arrow head length and end ring radius, CSS px.
const HEAD: f64 = 16.0;
const RING: f64 = 11.0;

fn ring(ctx: &CanvasRenderingContext2d, x: f64, y: f64, r: f64, fill: &str, letter: &str, k: f64) {
    ctx.begin_path();
    let _ = ctx.arc(x, y, r, 0.0, std::f64::consts::TAU);
    ctx.set_fill_style_str(fill);
    ctx.fill();
    ctx.set_stroke_style_str(CASING);
    ctx.set_line_width(3.0 * k);
    ctx.stroke();
    ctx.set_fill_style_str(CASING);
    ctx.set_font(&format!(
        "700 {}px system-ui, sans-serif",
        (13.0 * k).round()
    ));
    ctx.set_text_align("center");
    ctx.set_text_baseline("middle");
    let _ = ctx.fill_text(letter, x, y + 0.5 * k);
}

/// Draws `arrow` on `ctx` for `view`; `k` is device px per CSS px.
pub fn draw(ctx: &CanvasRenderingContext2d, view: &Viewport, arrow: &ShiftArrow, k: f64) {
    let dpr = view.dpr();
    let px = |m: Mercator| {
        let (x, y) = view.world_to_screen(m);
        (x * dpr, y * dpr)
    };
    let (a, b) = (px(arrow.a), px(arrow.b));
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len = dx.hypot(dy);
    ctx.save();
    ctx.set_line_cap("round");
    ctx.set_line_join("round");
    if len > 2.0 * RING * k {
        let (ux, uy) = (dx / len, dy / len);
        // The shaft stops at the rings; the head's tip touches B's ring.
        let start = (a.0 + ux * RING * k, a.1 + uy * RING * k);
        let tip = (b.0 - ux * RING * k, b.1 - uy * RING * k);
        let head = HEAD * k;
        let base = (tip.0 - ux * head, tip.1 - uy * head);
        let (nx, ny) = (-uy * head * 0.55, ux * head * 0.55);
        for (colour, width) in [(CASING, 7.0), (STROKE, 3.5)] {
            ctx.begin_path();
            ctx.move_to(start.0, start.1);
            ctx.line_to(base.0, base.1);
            ctx.set_stroke_style_str(colour);
            ctx.set_line_width(width * k);
            ctx.stroke();
            ctx.begin_path();
            ctx.move_to(tip.0, tip.1);
            ctx.line_to(base.0 + nx, base.1 + ny);
            ctx.line_to(base.0 - nx, base.1 - ny);
            ctx.close_path();
            ctx.set_fill_style_str(colour);
            if colour == CASING {
                ctx.set_line_width(width * k);
                ctx.stroke();
            }
            ctx.fill();
        }
        // The length beside the middle, on the left of the direction of travel.
        let mid = ((a.0 + b.0) / 2.0 + nx * 1.4, (a.1 + b.1) / 2.0 + ny * 1.4);
        let text = &arrow.label;
        ctx.set_font(&format!(
            "700 {}px system-ui, sans-serif",
            (15.0 * k).round()
        ));
        ctx.set_text_align("center");
        ctx.set_text_baseline("middle");
        ctx.set_stroke_style_str(CASING);
        ctx.set_line_width(5.0 * k);
        let _ = ctx.stroke_text(text, mid.0, mid.1);
        ctx.set_fill_style_str(STROKE);
        let _ = ctx.fill_text(text, mid.0, mid.1);
    }
    ring(ctx, a.0, a.1, RING * k, END_A, "A", k);
    ring(ctx, b.0, b.1, RING * k, END_B, "B", k);
    ctx.restore();
}
