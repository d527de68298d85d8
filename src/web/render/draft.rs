//! The zone being drawn or reshaped, drawn on the screen canvas over everything else (like
//! the selection highlight), so it follows the view during a pan or zoom without touching the
//! cached bitmaps.
//!
//! Units: the outline is EPSG:3857 metres, the pointer CSS px relative to the canvas; both
//! go through the [`Viewport`] to CSS px and are multiplied by the device pixel ratio here
//! (the screen bitmap is device px). Sizes below are CSS px.

use wasm_bindgen::JsValue;
use web_sys::CanvasRenderingContext2d;

use crate::core::units::Mercator;
use crate::core::viewport::Viewport;

/// Outline and handles colour (the app's accent).
const STROKE: &str = "#4dd0ff";
/// Fill of a closed outline.
const FILL: &str = "rgba(77,208,255,0.18)";
/// Dark casing under lines and handles, for contrast on land and sea.
const CASING: &str = "rgba(6,16,24,0.9)";
/// The first vertex when a tap on it closes the outline.
const CLOSE_RING: &str = "#3ee89a";
/// Where edges cross.
const CROSSING: &str = "#ff3b30";
/// Vertex handle radius; touch handles are drawn larger.
const HANDLE_R: f64 = 6.0;
const HANDLE_R_TOUCH: f64 = 9.0;
/// Edge midpoint handle radius.
const MID_R: f64 = 4.0;

/// What to draw.
#[derive(Clone, Debug, PartialEq)]
pub struct DraftOverlay {
    /// The vertices, EPSG:3857 metres (open ring).
    pub vertices: Vec<Mercator>,
    /// Closed outline (being reshaped, filled) or still being drawn (open).
    pub closed: bool,
    /// While drawing: the pointer (CSS px), for the rubber-band edge from the last vertex.
    pub pointer: Option<(f64, f64)>,
    /// While drawing: a tap on the first vertex would close the outline.
    pub can_close: bool,
    /// Where two edges cross (EPSG:3857 metres), if they do.
    pub crossing: Option<Mercator>,
    /// The vertex being dragged.
    pub active: Option<usize>,
    /// Show the edge midpoint handles (dragging one inserts a vertex).
    pub midpoints: bool,
    /// Larger handles for touch screens.
    pub touch: bool,
}

fn dash(ctx: &CanvasRenderingContext2d, dpr: f64, pattern: &[f64]) {
    let arr = js_sys::Array::new();
    for d in pattern {
        arr.push(&JsValue::from_f64(d * dpr));
    }
    let _ = ctx.set_line_dash(&arr);
}

fn line(ctx: &CanvasRenderingContext2d, dpr: f64, a: (f64, f64), b: (f64, f64), colour: &str) {
    ctx.begin_path();
    ctx.move_to(a.0, a.1);
    ctx.line_to(b.0, b.1);
    ctx.set_stroke_style_str(CASING);
    ctx.set_line_width(5.0 * dpr);
    ctx.stroke();
    ctx.set_stroke_style_str(colour);
    ctx.set_line_width(2.5 * dpr);
    ctx.stroke();
}

fn circle(ctx: &CanvasRenderingContext2d, x: f64, y: f64, r: f64) {
    ctx.begin_path();
    let _ = ctx.arc(x, y, r, 0.0, std::f64::consts::TAU);
}

/// Draws the draft on `ctx` (the screen canvas) for `view`.
pub fn draw(ctx: &CanvasRenderingContext2d, view: &Viewport, d: &DraftOverlay) {
    let dpr = view.dpr();
    let px = |m: Mercator| {
        let (x, y) = view.world_to_screen(m);
        (x * dpr, y * dpr)
    };
    let pts: Vec<(f64, f64)> = d.vertices.iter().map(|m| px(*m)).collect();
    if pts.iter().any(|(x, y)| !(x.is_finite() && y.is_finite())) {
        return;
    }
    ctx.save();
    ctx.set_line_join("round");
    ctx.set_line_cap("round");

    // Fill and edges.
    if d.closed && pts.len() >= 3 {
        ctx.begin_path();
        for (i, (x, y)) in pts.iter().enumerate() {
            if i == 0 {
                ctx.move_to(*x, *y);
            } else {
                ctx.line_to(*x, *y);
            }
        }
        ctx.close_path();
        ctx.set_fill_style_str(FILL);
        ctx.fill();
    }
    dash(ctx, dpr, &[]);
    for w in pts.windows(2) {
        line(ctx, dpr, w[0], w[1], STROKE);
    }
    if let (Some(first), Some(last)) = (pts.first(), pts.last())
        && pts.len() >= 2
    {
        if d.closed {
            line(ctx, dpr, *last, *first, STROKE);
        } else {
            // The edge that will close the outline, dashed.
            dash(ctx, dpr, &[6.0, 6.0]);
            line(ctx, dpr, *last, *first, "rgba(77,208,255,0.6)");
            dash(ctx, dpr, &[]);
        }
    }
    // Rubber band from the last vertex to the pointer.
    if !d.closed
        && let (Some(last), Some((x, y))) = (pts.last(), d.pointer)
        && x.is_finite()
        && y.is_finite()
    {
        dash(ctx, dpr, &[4.0, 5.0]);
        line(ctx, dpr, *last, (x * dpr, y * dpr), "#ffffff");
        dash(ctx, dpr, &[]);
    }

    // Midpoint handles (hollow).
    if d.closed && d.midpoints && pts.len() >= 3 {
        for i in 0..pts.len() {
            let (a, b) = (pts[i], pts[(i + 1) % pts.len()]);
            circle(ctx, (a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0, MID_R * dpr);
            ctx.set_fill_style_str(CASING);
            ctx.fill();
            ctx.set_stroke_style_str(STROKE);
            ctx.set_line_width(1.5 * dpr);
            ctx.stroke();
        }
    }

    // Vertex handles.
    let r = if d.touch { HANDLE_R_TOUCH } else { HANDLE_R } * dpr;
    for (i, (x, y)) in pts.iter().enumerate() {
        let active = d.active == Some(i);
        circle(ctx, *x, *y, if active { r * 1.3 } else { r });
        ctx.set_fill_style_str(if active { STROKE } else { "#ffffff" });
        ctx.fill();
        ctx.set_stroke_style_str(CASING);
        ctx.set_line_width(2.0 * dpr);
        ctx.stroke();
        if i == 0 && !d.closed && d.can_close {
            // "Tap here to close."
            circle(ctx, *x, *y, r + 4.0 * dpr);
            ctx.set_stroke_style_str(CLOSE_RING);
            ctx.set_line_width(3.0 * dpr);
            ctx.stroke();
        }
    }

    // Where edges cross: a red ring with a cross.
    if let Some(m) = d.crossing {
        let (x, y) = px(m);
        let s = 7.0 * dpr;
        circle(ctx, x, y, 11.0 * dpr);
        ctx.set_stroke_style_str(CASING);
        ctx.set_line_width(6.0 * dpr);
        ctx.stroke();
        ctx.set_stroke_style_str(CROSSING);
        ctx.set_line_width(3.0 * dpr);
        ctx.stroke();
        ctx.begin_path();
        ctx.move_to(x - s, y - s);
        ctx.line_to(x + s, y + s);
        ctx.move_to(x + s, y - s);
        ctx.line_to(x - s, y + s);
        ctx.stroke();
    }
    ctx.restore();
}
