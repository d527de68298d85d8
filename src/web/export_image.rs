//! The exported picture (issue 14 item 7), composed in the browser from the canvases already
//! on screen: the map canvas and every canvas laid over it in the map's stage (heatmap,
//! incident cells and sprites, the wall's labels), each drawn where and as the screen shows it
//! (its box and CSS opacity; the cells' one-pixel-a-cell bitmap scaled up crisp), then a scale
//! bar and a north arrow on the map, then a band below it with the caller's lines of text (in
//! the operator's language), the legend and the note. Nothing is re-rendered. PNG-encoded by the
//! browser (`OffscreenCanvas.convertToBlob`); the record's text chunks are the core's
//! (`core::export::png_text`).
//!
//! Floor 0 (browser): takes plain values (texts, colours, a scale bar) from the panel that
//! gathers them (`export_ui.rs`), so it imports only the core, `env` and `render/style`.
//!
//! Units: the picture is device px of the map canvas' bitmap (its width is the bitmap's);
//! `unit` is device px per CSS px of the map (the view's device pixel ratio, on the wall
//! times its map scale), so type and marks are as large, relative to the map, as on screen.
//! Box positions come from `getBoundingClientRect` (screen CSS px, after CSS transforms).

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{HtmlCanvasElement, OffscreenCanvas, OffscreenCanvasRenderingContext2d as Ctx};

use calais_core::incident_layer::{Shape, icon_outline};

/// The font of the band (a size in px is put before it).
const FONT: &str = "system-ui, -apple-system, \"Segoe UI\", Roboto, sans-serif";
const BAND_BG: &str = "#0d1722";
const BAND_TEXT: &str = "#f4f7fb";
const BAND_MUTED: &str = "#9fb3c8";

/// The mark drawn before a legend entry.
#[derive(Clone, Debug, PartialEq)]
pub enum Swatch {
    /// A line (fences, borders) of a colour, dashed or not.
    Line { colour: &'static str, dashed: bool },
    /// A filled box with an outline (camera sectors, zones).
    Area {
        fill: &'static str,
        stroke: &'static str,
    },
    /// A filled disc (ports, clusters, a severity).
    Dot { colour: &'static str },
    /// An outlined disc (closed incidents).
    Ring { colour: &'static str },
    /// An incident kind's shape, light on the band (`core::incident_layer::icon_outline`, as
    /// the panels' kind icons are drawn).
    Shape(Shape),
}

/// One entry of the legend.
#[derive(Clone, Debug, PartialEq)]
pub struct LegendItem {
    pub swatch: Swatch,
    pub text: String,
}

/// What the band below the map says (all texts already in the operator's language).
#[derive(Clone, Debug, PartialEq)]
pub struct Band {
    /// The first line, in bold.
    pub title: String,
    /// `(label, text)` lines: times, layers, filters, data.
    pub lines: Vec<(String, String)>,
    pub legend_title: String,
    pub legend: Vec<LegendItem>,
    /// The operator's note (`None`: no note line).
    pub note: Option<(String, String)>,
    /// The scale bar: its length in CSS px of the map and its label (`core::scale_bar`).
    pub scale: Option<(f64, String)>,
    /// The north arrow's letter.
    pub north: String,
}

/// Why the picture could not be made (`strings::export` words it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageError {
    /// No map canvas on the page, or an empty one.
    NoMap,
    /// The browser refused an offscreen canvas or its 2D context.
    NoCanvas,
    /// Drawing a layer's canvas failed (a tainted or lost canvas).
    Draw,
    /// PNG encoding failed or gave no bytes.
    Encode,
    /// The browser's clock is outside the years 0000–9999.
    Clock,
    /// The incident store could not be read (the app is shutting down).
    NoData,
}

/// The encoded picture and its sizes (device px).
pub struct Picture {
    pub png: Vec<u8>,
    pub width: u32,
    pub height: u32,
    pub map_height: u32,
}

fn font(ctx: &Ctx, px: f64, bold: bool) {
    ctx.set_font(&format!(
        "{}{px:.1}px {FONT}",
        if bold { "600 " } else { "" }
    ));
}

fn text_width(ctx: &Ctx, s: &str) -> f64 {
    ctx.measure_text(s).map_or(0.0, |m| m.width())
}

/// `text` broken into lines no wider than `width` (at word boundaries; a longer word on its
/// own line).
fn wrap(ctx: &Ctx, text: &str, width: f64) -> Vec<String> {
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        for word in para.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if !line.is_empty() && text_width(ctx, &candidate) > width {
                lines.push(std::mem::replace(&mut line, word.to_string()));
            } else {
                line = candidate;
            }
        }
        lines.push(line);
    }
    lines
}

/// The canvases of the map's stage in stacking order (DOM order), with their screen boxes.
fn stage_canvases() -> Option<(HtmlCanvasElement, Vec<HtmlCanvasElement>)> {
    let doc = web_sys::window()?.document()?;
    let map: HtmlCanvasElement = doc
        .query_selector("[data-testid=map-canvas]")
        .ok()??
        .dyn_into()
        .ok()?;
    let stage = map.parent_element()?;
    let list = stage.query_selector_all("canvas").ok()?;
    let all = (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<HtmlCanvasElement>().ok())
        .collect();
    Some((map, all))
}

/// The CSS opacity the screen shows `el` with (its own and its ancestors' up to the stage).
fn opacity(el: &web_sys::Element) -> f64 {
    let Some(w) = web_sys::window() else {
        return 1.0;
    };
    w.get_computed_style(el)
        .ok()
        .flatten()
        .and_then(|s| s.get_property_value("opacity").ok())
        .and_then(|v| calais_core::decimal::parse_f64(v.trim()))
        .unwrap_or(1.0)
}

fn swatch(ctx: &Ctx, s: &Swatch, x: f64, y: f64, size: f64) {
    ctx.set_line_width((size / 6.0).max(1.0));
    let (cx, cy, r) = (x + size / 2.0, y + size / 2.0, size * 0.36);
    match s {
        Swatch::Line { colour, dashed } => {
            ctx.set_stroke_style_str(colour);
            let dash = js_sys::Array::new();
            if *dashed {
                dash.push(&JsValue::from_f64(size / 4.0));
                dash.push(&JsValue::from_f64(size / 6.0));
            }
            let _ = ctx.set_line_dash(&dash);
            ctx.set_line_width((size / 5.0).max(1.5));
            ctx.begin_path();
            ctx.move_to(x, cy);
            ctx.line_to(x + size * 1.6, cy);
            ctx.stroke();
            let _ = ctx.set_line_dash(&js_sys::Array::new());
        }
        Swatch::Area { fill, stroke } => {
            ctx.set_fill_style_str(fill);
            ctx.set_stroke_style_str(stroke);
            ctx.fill_rect(x, y + size * 0.15, size * 1.6, size * 0.7);
            ctx.stroke_rect(x, y + size * 0.15, size * 1.6, size * 0.7);
        }
        Swatch::Dot { colour } | Swatch::Ring { colour } => {
            ctx.begin_path();
            let _ = ctx.arc(cx + size * 0.3, cy, r, 0.0, std::f64::consts::TAU);
            if let Swatch::Dot { .. } = s {
                ctx.set_fill_style_str(colour);
                ctx.fill();
            } else {
                ctx.set_stroke_style_str(colour);
                ctx.set_line_width((size / 5.0).max(1.5));
                ctx.stroke();
            }
        }
        Swatch::Shape(shape) => {
            // In the swatch's box, centred where a dot would be.
            let k = size / 16.0;
            let (ox, oy) = (cx + size * 0.3 - size / 2.0, y);
            ctx.begin_path();
            match icon_outline(*shape) {
                Some(points) => {
                    for (i, (px, py)) in points.iter().enumerate() {
                        let (px, py) = (ox + px * k, oy + py * k);
                        if i == 0 {
                            ctx.move_to(px, py);
                        } else {
                            ctx.line_to(px, py);
                        }
                    }
                    ctx.close_path();
                }
                None => {
                    let _ = ctx.arc(
                        ox + 8.0 * k,
                        oy + 8.0 * k,
                        6.5 * k,
                        0.0,
                        std::f64::consts::TAU,
                    );
                }
            }
            ctx.set_fill_style_str(BAND_TEXT);
            ctx.fill();
        }
    }
}

/// The scale bar (bottom left) and north arrow (top right) on the map part.
fn map_marks(ctx: &Ctx, band: &Band, w: f64, map_h: f64, unit: f64) {
    let pad = 12.0 * unit;
    if let Some((len_css, label)) = &band.scale {
        let len = len_css * unit;
        font(ctx, 13.0 * unit, true);
        let box_w = len.max(text_width(ctx, label)) + 2.0 * pad;
        let box_h = 40.0 * unit;
        let (x, y) = (pad, map_h - pad - box_h);
        ctx.set_fill_style_str("rgba(6,12,20,0.78)");
        ctx.fill_rect(x, y, box_w, box_h);
        ctx.set_fill_style_str(BAND_TEXT);
        ctx.set_stroke_style_str(BAND_TEXT);
        ctx.set_line_width(2.0 * unit);
        let base = y + box_h - 10.0 * unit;
        ctx.begin_path();
        ctx.move_to(x + pad, base - 6.0 * unit);
        ctx.line_to(x + pad, base);
        ctx.line_to(x + pad + len, base);
        ctx.line_to(x + pad + len, base - 6.0 * unit);
        ctx.stroke();
        let _ = ctx.fill_text(label, x + pad, base - 10.0 * unit);
    }
    // North arrow: the map is north-up (Web Mercator, never rotated).
    let (cx, top) = (w - pad - 18.0 * unit, pad);
    ctx.set_fill_style_str("rgba(6,12,20,0.78)");
    ctx.fill_rect(cx - 18.0 * unit, top, 36.0 * unit, 52.0 * unit);
    ctx.set_fill_style_str(BAND_TEXT);
    ctx.begin_path();
    ctx.move_to(cx, top + 6.0 * unit);
    ctx.line_to(cx + 9.0 * unit, top + 30.0 * unit);
    ctx.line_to(cx, top + 24.0 * unit);
    ctx.line_to(cx - 9.0 * unit, top + 30.0 * unit);
    ctx.close_path();
    ctx.fill();
    font(ctx, 14.0 * unit, true);
    let nw = text_width(ctx, &band.north);
    let _ = ctx.fill_text(&band.north, cx - nw / 2.0, top + 47.0 * unit);
}

/// Lays out (`draw` false: measures) the band from `y0`; returns its height.
fn band_layout(ctx: &Ctx, band: &Band, w: f64, y0: f64, unit: f64, draw: bool) -> f64 {
    let pad = 12.0 * unit;
    let (size, line_h) = (13.0 * unit, 19.0 * unit);
    let mut y = y0 + pad;
    let put = |s: &str, x: f64, y: f64, colour: &str| {
        if draw {
            ctx.set_fill_style_str(colour);
            let _ = ctx.fill_text(s, x, y + size);
        }
    };
    font(ctx, 15.0 * unit, true);
    put(&band.title, pad, y, BAND_TEXT);
    y += 23.0 * unit;
    let label_w = band
        .lines
        .iter()
        .chain(band.note.iter())
        .map(|(l, _)| {
            font(ctx, size, true);
            text_width(ctx, l)
        })
        .fold(0.0, f64::max)
        + 10.0 * unit;
    for (label, text) in band.lines.iter().chain(band.note.iter()) {
        font(ctx, size, true);
        put(label, pad, y, BAND_MUTED);
        font(ctx, size, false);
        for line in wrap(ctx, text, (w - 2.0 * pad - label_w).max(40.0 * unit)) {
            put(&line, pad + label_w, y, BAND_TEXT);
            y += line_h;
        }
    }
    // The legend: its title, then entries flowing left to right.
    font(ctx, size, true);
    put(&band.legend_title, pad, y, BAND_MUTED);
    let sw = 14.0 * unit;
    let mut x = pad + label_w;
    font(ctx, size, false);
    for item in &band.legend {
        let item_w = sw * 1.6 + 6.0 * unit + text_width(ctx, &item.text) + 16.0 * unit;
        if x + item_w > w - pad && x > pad + label_w {
            x = pad + label_w;
            y += line_h;
        }
        if draw {
            swatch(
                ctx,
                &item.swatch,
                x,
                y + (line_h - sw) / 2.0 - 2.0 * unit,
                sw,
            );
        }
        put(&item.text, x + sw * 1.6 + 6.0 * unit, y, BAND_TEXT);
        x += item_w;
    }
    y += line_h;
    y + pad - y0
}

fn ctx_2d(c: &OffscreenCanvas) -> Option<Ctx> {
    c.get_context("2d").ok()??.dyn_into().ok()
}

/// Composes and encodes the picture: the map as the screen shows it, the marks, the band.
pub async fn compose(band: &Band, unit: f64) -> Result<Picture, ImageError> {
    let (map, canvases) = stage_canvases().ok_or(ImageError::NoMap)?;
    let (w, map_h) = (map.width(), map.height());
    let map_box = map.get_bounding_client_rect();
    if w == 0 || map_h == 0 || map_box.width() <= 0.0 {
        return Err(ImageError::NoMap);
    }
    // Device px of the picture per screen CSS px.
    let s = f64::from(w) / map_box.width();
    // Measure the band on a scratch canvas, then make the picture its height taller.
    let scratch = OffscreenCanvas::new(1, 1).map_err(|_| ImageError::NoCanvas)?;
    let band_h = band_layout(
        &ctx_2d(&scratch).ok_or(ImageError::NoCanvas)?,
        band,
        f64::from(w),
        0.0,
        unit,
        false,
    )
    .ceil() as u32;
    let h = map_h + band_h;
    let out = OffscreenCanvas::new(w, h).map_err(|_| ImageError::NoCanvas)?;
    let ctx = ctx_2d(&out).ok_or(ImageError::NoCanvas)?;
    for c in canvases {
        let r = c.get_bounding_client_rect();
        if c.width() == 0 || c.height() == 0 || r.width() <= 0.0 || r.height() <= 0.0 {
            continue;
        }
        ctx.set_global_alpha(opacity(&c));
        // The cells are one pixel a cell, scaled up crisp on screen (`image-rendering`).
        ctx.set_image_smoothing_enabled(!c.class_list().contains("incident-cells"));
        ctx.draw_image_with_html_canvas_element_and_sw_and_sh_and_dx_and_dy_and_dw_and_dh(
            &c,
            0.0,
            0.0,
            f64::from(c.width()),
            f64::from(c.height()),
            (r.left() - map_box.left()) * s,
            (r.top() - map_box.top()) * s,
            r.width() * s,
            r.height() * s,
        )
        .map_err(|_| ImageError::Draw)?;
    }
    ctx.set_global_alpha(1.0);
    map_marks(&ctx, band, f64::from(w), f64::from(map_h), unit);
    ctx.set_fill_style_str(BAND_BG);
    ctx.fill_rect(0.0, f64::from(map_h), f64::from(w), f64::from(band_h));
    ctx.set_fill_style_str("rgba(255,255,255,0.25)");
    ctx.fill_rect(0.0, f64::from(map_h), f64::from(w), unit.max(1.0));
    band_layout(&ctx, band, f64::from(w), f64::from(map_h), unit, true);
    let blob = wasm_bindgen_futures::JsFuture::from(
        out.convert_to_blob().map_err(|_| ImageError::Encode)?,
    )
    .await
    .map_err(|_| ImageError::Encode)?;
    let blob: web_sys::Blob = blob.dyn_into().map_err(|_| ImageError::Encode)?;
    let buf = wasm_bindgen_futures::JsFuture::from(blob.array_buffer())
        .await
        .map_err(|_| ImageError::Encode)?;
    let png = js_sys::Uint8Array::new(&buf).to_vec();
    if png.is_empty() {
        return Err(ImageError::Encode);
    }
    Ok(Picture {
        png,
        width: w,
        height: h,
        map_height: map_h,
    })
}
