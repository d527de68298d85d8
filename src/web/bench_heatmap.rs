//! Heatmap benchmark functions on `window.calaisMap` (issue 12; driven by `bench/heatmap.mjs`,
//! which runs the JavaScript peers in the same page on the same points). Benchmark builds only
//! (`--features bench`), installed by `bench_hook::install`.
//!
//! Units: positions EPSG:3857 metres, screen CSS px (dpr 1), times `performance.now()` ms.
//!
//! * `benchHeatmapSetup(seed, n)` generates `n` seeded reports (`core::heatmap::synthetic`,
//!   weights 1 to 5), keeps them and returns `{ points, mercator (Float64Array x, y), weights
//!   (Float32Array), generateMs, width, height, leftM, topM, mercPerPx, sigmaM, sigmaPx (σ in
//!   CSS px at the view's centre), cellsPerPx, cols, rows, viewCols, viewRows, gridLeftM,
//!   gridTopM, cellM, sigmaXCells, sigmaYCells (at the view's centre row), lut (Uint8Array,
//!   256 RGBA entries of the sequential ramp) }`: the view is `synthetic::view()` (1920 × 1080
//!   at zoom 11), σ 500 ground metres, the grid at half the screen's resolution.
//! * `benchHeatmap(reps)`: `reps` frames after 2 warm-ups, each `Workspace::density` + `paint`
//!   (relative scale) + `ImageData` + `putImageData` on a grid-sized canvas + `drawImage`
//!   scaled onto a 1920 × 1080 canvas, then a 1-px `getImageData` of it (Chromium records
//!   canvas 2D drawing and rasterises it later: the read makes it happen inside the frame):
//!   `{ medianMs, minMs, samples, densityMs, paintMs, putMs, flushMs (samples each), peak,
//!   painted (non-transparent pixels) }`.
//! * `benchHeatmapStages(reps)`: the engine's stages timed one by one (`begin`, `bin`,
//!   `smooth_rows`, `smooth_columns`, `finish`, `paint`): `{ beginMs, binMs, rowsMs,
//!   columnsMs, finishMs, paintMs }`, samples each.
//! * `benchHeatmapPlayback(total, days, window, reps)`: the setup's points become a `History`
//!   of `total` reports spread evenly over `days` days (ids `r<k>`); each frame moves a
//!   sliding window of `window` reports' span by a twentieth of it and draws it as
//!   `benchHeatmap` does (filtering by `History::points` included): `{ medianMs, minMs,
//!   samples, inWindow (median reports per frame), loadMs, bytes }`.
//! * `benchHeatmapCheck()`: the wasm SIMD path (`core::heatmap::lanes`) against the scalar
//!   references in the page: `{ rows, columns }`, the largest difference of `gaussian_2d` from
//!   `blur::filter_line` (`f64`) line by line, as a fraction of the peak, on a seeded grid
//!   (rows 103 wide with a σ each, columns with one σ); `paint`, the pixels of `ramp::paint`
//!   that differ from the table entry of `round(t · 255)` (0 expected).

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Float32Array, Float64Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{Clamped, JsCast, JsValue};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

use crate::core::heatmap::blur::{Deriche, filter_line, gaussian_2d};
use crate::core::heatmap::history::{History, Report, Weighting};
use crate::core::heatmap::ramp::{Ramp, Scale, lut, paint};
use crate::core::heatmap::{Workspace, synthetic};
use crate::core::incident::{IncidentFilter, IncidentKind, Severity, Status};
use crate::core::projection::ground_scale;
use crate::core::units::Mercator;
use crate::core::viewport::Viewport;
use crate::env::now_ms;

/// Bandwidth, ground metres (the default of `heatmap.bandwidth_m`).
const SIGMA_M: f64 = 500.0;
/// Grid cells per CSS px (the default resolution: half).
const CELLS_PER_PX: f64 = 0.5;

/// A grid-sized canvas and the screen-sized one it is drawn onto.
struct Canvases {
    small: HtmlCanvasElement,
    small_ctx: CanvasRenderingContext2d,
    screen_ctx: CanvasRenderingContext2d,
}

struct Data {
    view: Viewport,
    points: Vec<(Mercator, f32)>,
    ws: Workspace,
    rgba: Vec<u8>,
    canvases: Option<Canvases>,
}

type Shared = Rc<RefCell<Option<Data>>>;

fn set(obj: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}

fn num(obj: &Object, key: &str, v: f64) {
    set(obj, key, &JsValue::from_f64(v));
}

fn samples(obj: &Object, key: &str, v: &[f64]) {
    let a: Array = v.iter().map(|&x| JsValue::from_f64(x)).collect();
    set(obj, key, &a.into());
}

fn clamp_count(x: f64, lo: usize, hi: usize, default: usize) -> usize {
    if x.is_finite() {
        x.clamp(lo as f64, hi as f64) as usize
    } else {
        default
    }
}

fn canvas(width: u32, height: u32) -> Option<(HtmlCanvasElement, CanvasRenderingContext2d)> {
    let doc = web_sys::window()?.document()?;
    let c: HtmlCanvasElement = doc.create_element("canvas").ok()?.dyn_into().ok()?;
    c.set_width(width);
    c.set_height(height);
    let ctx = c.get_context("2d").ok()??.dyn_into().ok()?;
    Some((c, ctx))
}

fn canvases(view: &Viewport) -> Option<Canvases> {
    let (small, small_ctx) = canvas(1, 1)?;
    let (_, screen_ctx) = canvas(view.width_px(), view.height_px())?;
    Some(Canvases {
        small,
        small_ctx,
        screen_ctx,
    })
}

fn setup(shared: &Shared, seed: f64, n: f64) -> JsValue {
    let seed = if seed.is_finite() && seed >= 0.0 {
        seed as u64
    } else {
        42
    };
    let t0 = now_ms();
    let points = synthetic::points(seed, clamp_count(n, 1, 10_000_000, 100_000));
    let generate_ms = now_ms() - t0;
    let view = synthetic::view();
    let mut ws = Workspace::default();
    let o = Object::new();
    if ws.begin(&view, SIGMA_M, CELLS_PER_PX).is_none() {
        return JsValue::NULL;
    }
    let (xy, w): (Vec<[f64; 2]>, Vec<f32>) = points.iter().map(|(m, w)| ([m.x, m.y], *w)).unzip();
    let xy: Vec<f64> = xy.into_iter().flatten().collect();
    set(&o, "mercator", &Float64Array::from(xy.as_slice()).into());
    set(&o, "weights", &Float32Array::from(w.as_slice()).into());
    num(&o, "points", points.len() as f64);
    num(&o, "generateMs", generate_ms);
    let vb = view.visible_bounds();
    let mpp = view.mercator_per_css_px();
    num(&o, "width", view.width_css());
    num(&o, "height", view.height_css());
    num(&o, "leftM", vb.min_x);
    num(&o, "topM", vb.max_y);
    num(&o, "mercPerPx", mpp);
    num(&o, "sigmaM", SIGMA_M);
    let centre_scale = ground_scale(crate::core::projection::to_lonlat(view.center()).lat);
    num(&o, "sigmaPx", SIGMA_M / centre_scale / mpp);
    num(&o, "cellsPerPx", CELLS_PER_PX);
    if let Some(g) = ws.grid() {
        let s = g.spec;
        num(&o, "cols", s.cols as f64);
        num(&o, "rows", s.rows as f64);
        let pair = |(a, b): (usize, usize)| Array::of2(&(a as f64).into(), &(b as f64).into());
        set(&o, "viewCols", &pair(s.view_cols).into());
        set(&o, "viewRows", &pair(s.view_rows).into());
        num(&o, "gridLeftM", s.left_m);
        num(&o, "gridTopM", s.top_m);
        num(&o, "cellM", s.cell_m);
        let mid = s.row_scale(s.rows / 2);
        num(&o, "sigmaXCells", SIGMA_M / (mid.east * s.cell_m));
        num(&o, "sigmaYCells", SIGMA_M / (mid.north * s.cell_m));
    }
    let table: Vec<u8> = lut(Ramp::Sequential).into_iter().flatten().collect();
    set(&o, "lut", &Uint8Array::from(table.as_slice()).into());
    let canvases = canvases(&view);
    *shared.borrow_mut() = Some(Data {
        view,
        points,
        ws,
        rgba: Vec::new(),
        canvases,
    });
    o.into()
}

/// Times of one frame's parts, ms.
#[derive(Default)]
struct FrameTimes {
    density: f64,
    paint: f64,
    put: f64,
    flush: f64,
}

/// Puts the painted view crop on the grid-sized canvas, draws it scaled over the screen
/// canvas and reads one pixel back (see the module doc).
fn present(d: &mut Data, times: &mut FrameTimes) {
    let (Some(c), Some(g)) = (d.canvases.as_ref(), d.ws.grid()) else {
        return;
    };
    let (w, h) = g.view_size();
    let (x, y, sw, sh) = g.spec.view_placement_css(&d.view);
    let t0 = now_ms();
    if c.small.width() != w as u32 || c.small.height() != h as u32 {
        c.small.set_width(w as u32);
        c.small.set_height(h as u32);
    }
    if let Ok(img) =
        ImageData::new_with_u8_clamped_array_and_sh(Clamped(d.rgba.as_slice()), w as u32, h as u32)
    {
        let _ = c.small_ctx.put_image_data(&img, 0.0, 0.0);
    }
    c.screen_ctx
        .clear_rect(0.0, 0.0, d.view.width_css(), d.view.height_css());
    let _ = c
        .screen_ctx
        .draw_image_with_html_canvas_element_and_dw_and_dh(&c.small, x, y, sw, sh);
    let t1 = now_ms();
    let _ = c.screen_ctx.get_image_data(0.0, 0.0, 1.0, 1.0);
    times.put = t1 - t0;
    times.flush = now_ms() - t1;
}

/// One frame of `points`: density, colour, canvas.
fn frame(d: &mut Data, points: impl IntoIterator<Item = (Mercator, f32)>) -> FrameTimes {
    let mut times = FrameTimes::default();
    let t0 = now_ms();
    let top =
        d.ws.density(&d.view, SIGMA_M, CELLS_PER_PX, points)
            .and_then(|g| Scale::Relative.top(g.peak_per_km2));
    let t1 = now_ms();
    if let Some(g) = d.ws.grid() {
        paint(g.view_rows(), Ramp::Sequential, top, &mut d.rgba);
    }
    let t2 = now_ms();
    present(d, &mut times);
    times.density = t1 - t0;
    times.paint = t2 - t1;
    times
}

fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    s.get(s.len() / 2).copied().unwrap_or(f64::NAN)
}

fn timing(o: &Object, total: &[f64]) {
    num(o, "medianMs", median(total));
    num(
        o,
        "minMs",
        total.iter().copied().fold(f64::INFINITY, f64::min),
    );
    samples(o, "samples", total);
}

fn run(shared: &Shared, reps: f64) -> JsValue {
    let reps = clamp_count(reps, 1, 1000, 21);
    let Ok(mut guard) = shared.try_borrow_mut() else {
        return JsValue::NULL;
    };
    let Some(d) = guard.as_mut() else {
        return JsValue::NULL;
    };
    let points = std::mem::take(&mut d.points);
    let mut parts: [Vec<f64>; 5] = Default::default();
    for i in 0..reps + 2 {
        let t0 = now_ms();
        let t = frame(d, points.iter().copied());
        let total = now_ms() - t0;
        if i >= 2 {
            let [a, b, c, e, f] = &mut parts;
            a.push(total);
            b.push(t.density);
            c.push(t.paint);
            e.push(t.put);
            f.push(t.flush);
        }
    }
    d.points = points;
    let o = Object::new();
    let [total, density, paint_ms, put, flush] = &parts;
    timing(&o, total);
    samples(&o, "densityMs", density);
    samples(&o, "paintMs", paint_ms);
    samples(&o, "putMs", put);
    samples(&o, "flushMs", flush);
    num(&o, "peak", d.ws.grid().map_or(0.0, |g| g.peak_per_km2));
    let painted = d
        .rgba
        .chunks_exact(4)
        .filter(|p| p.get(3) != Some(&0))
        .count();
    num(&o, "painted", painted as f64);
    o.into()
}

fn stages(shared: &Shared, reps: f64) -> JsValue {
    let reps = clamp_count(reps, 1, 1000, 21);
    let Ok(mut guard) = shared.try_borrow_mut() else {
        return JsValue::NULL;
    };
    let Some(d) = guard.as_mut() else {
        return JsValue::NULL;
    };
    let mut t: [Vec<f64>; 6] = Default::default();
    for i in 0..reps + 2 {
        let mut marks = [0.0f64; 7];
        let [m0, m1, m2, m3, m4, m5, m6] = &mut marks;
        *m0 = now_ms();
        let _ = d.ws.begin(&d.view, SIGMA_M, CELLS_PER_PX);
        *m1 = now_ms();
        d.ws.bin(d.points.iter().copied());
        *m2 = now_ms();
        d.ws.smooth_rows();
        *m3 = now_ms();
        d.ws.smooth_columns();
        *m4 = now_ms();
        let top =
            d.ws.finish()
                .and_then(|g| Scale::Relative.top(g.peak_per_km2));
        *m5 = now_ms();
        if let Some(g) = d.ws.grid() {
            paint(g.view_rows(), Ramp::Sequential, top, &mut d.rgba);
        }
        *m6 = now_ms();
        if i >= 2 {
            for ((v, a), b) in t.iter_mut().zip(marks.iter()).zip(marks.iter().skip(1)) {
                v.push(b - a);
            }
        }
    }
    let o = Object::new();
    let names = [
        "beginMs",
        "binMs",
        "rowsMs",
        "columnsMs",
        "finishMs",
        "paintMs",
    ];
    for (name, v) in names.iter().zip(&t) {
        samples(&o, name, v);
    }
    o.into()
}

fn playback(shared: &Shared, args: [f64; 4]) -> JsValue {
    let [total, days, window, reps] = args;
    let reps = clamp_count(reps, 1, 1000, 21);
    let Ok(mut guard) = shared.try_borrow_mut() else {
        return JsValue::NULL;
    };
    let Some(d) = guard.as_mut() else {
        return JsValue::NULL;
    };
    let total = clamp_count(total, 1, d.points.len(), d.points.len());
    let window = clamp_count(window, 1, total, total.min(100_000));
    let days = if days.is_finite() && days > 0.0 {
        days
    } else {
        30.0
    };
    let span_ms = days * 86_400_000.0;
    let start: i64 = 1_767_225_600_000;
    let step_ms = span_ms / total as f64;
    let t0 = now_ms();
    let mut history = History::new();
    for (k, (m, w)) in d.points.iter().take(total).enumerate() {
        let Some(severity) = Severity::new(*w as u8).or(Severity::new(1)) else {
            continue;
        };
        let report = Report {
            reported_ms: start + (k as f64 * step_ms) as i64,
            at: *m,
            kind: IncidentKind::ALL
                .get(k % IncidentKind::ALL.len())
                .copied()
                .unwrap_or(IncidentKind::Other),
            severity,
            status: if k % 3 == 0 {
                Status::Closed
            } else {
                Status::Open
            },
        };
        history.insert(&format!("r{k}"), report);
    }
    let load_ms = now_ms() - t0;
    let filter = IncidentFilter::default();
    let win_ms = (window as f64 * step_ms) as i64;
    let slide = (win_ms / 20).max(1);
    let mut times = Vec::with_capacity(reps);
    let mut counts = Vec::with_capacity(reps);
    let mut to = start + win_ms;
    for i in 0..reps + 2 {
        if to > start + span_ms as i64 {
            to = start + win_ms;
        }
        let from = to - win_ms;
        let t0 = now_ms();
        frame(d, history.points(from, to, &filter, Weighting::Count));
        let t = now_ms() - t0;
        if i >= 2 {
            times.push(t);
            counts.push(history.range(from, to).len() as f64);
        }
        to += slide;
    }
    let o = Object::new();
    timing(&o, &times);
    num(&o, "inWindow", median(&counts));
    num(&o, "loadMs", load_ms);
    num(&o, "bytes", history.bytes() as f64);
    num(&o, "reports", history.len() as f64);
    o.into()
}

/// A seeded grid of `cols × rows` cells, one in sixteen holding a weight up to 5.
fn check_grid(cols: usize, rows: usize) -> Vec<f32> {
    let mut s = 12_345u32;
    (0..cols * rows)
        .map(|_| {
            s = s.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            if s >> 28 == 0 {
                (s >> 8) as f32 / (1 << 24) as f32 * 5.0
            } else {
                0.0
            }
        })
        .collect()
}

/// Largest |a − b| over the largest |b|.
fn worst(a: &[f32], b: &[f32]) -> f64 {
    let peak = b.iter().fold(0.0f32, |m, v| m.max(v.abs()));
    let e = a
        .iter()
        .zip(b)
        .fold(0.0f32, |m, (x, y)| m.max((x - y).abs()));
    f64::from(e / peak)
}

/// The line filter (`f64`) over `n` values of `grid` from `start`, `stride` apart.
fn reference_line(grid: &mut [f32], start: usize, stride: usize, n: usize, sigma: f64) {
    let Some(c) = Deriche::for_sigma(sigma) else {
        return;
    };
    let idx: Vec<usize> = (0..n).map(|k| start + k * stride).collect();
    let line: Vec<f32> = idx.iter().filter_map(|i| grid.get(*i).copied()).collect();
    let mut out = vec![0.0f32; line.len()];
    filter_line(&line, &mut out, &c);
    for (i, v) in idx.iter().zip(out) {
        if let Some(g) = grid.get_mut(*i) {
            *g = v;
        }
    }
}

fn check() -> JsValue {
    let o = Object::new();
    // Rows: 19 rows (two blocks of eight and three left over), 103 columns, a σ each.
    let (cols, rows) = (103, 19);
    let sigmas: Vec<f64> = (0..rows)
        .map(|j| {
            [0.9, 2.0, 3.3, 5.2, 8.0, 0.3, 6.1]
                .get(j % 7)
                .copied()
                .unwrap_or(1.0)
        })
        .collect();
    let mut got = check_grid(cols, rows);
    let mut want = got.clone();
    for (j, s) in sigmas.iter().enumerate() {
        reference_line(&mut want, j * cols, 1, cols, *s);
    }
    gaussian_2d(&mut got, cols, rows, &sigmas, &[0.0]);
    num(&o, "rows", worst(&got, &want));
    // Columns: 37 columns (not a multiple of 4) of 90 rows, σ 4.7.
    let (cols, rows) = (37, 90);
    let mut got = check_grid(cols, rows);
    let mut want = got.clone();
    for i in 0..cols {
        reference_line(&mut want, i, cols, rows, 4.7);
    }
    gaussian_2d(&mut got, cols, rows, &[0.0], &[4.7]);
    num(&o, "columns", worst(&got, &want));
    // Colour: every pixel against its table entry.
    let values: Vec<f32> = (0..1003).map(|k| (k as f32 - 100.0) * 0.0011).collect();
    let table = lut(Ramp::Sequential);
    let mut rgba = Vec::new();
    paint(
        [values.as_slice()].into_iter(),
        Ramp::Sequential,
        Some(1.0),
        &mut rgba,
    );
    let wrong = rgba
        .chunks_exact(4)
        .zip(&values)
        .filter(|(px, v)| {
            let i = (*v * 255.0 + 0.5).clamp(0.0, 255.0) as usize;
            table.get(i).map(|e| e.as_slice()) != Some(*px)
        })
        .count();
    num(&o, "paint", wrong as f64);
    o.into()
}

/// Adds the heatmap benchmark functions to the `calaisMap` hook object.
pub fn install(hook: &Object) {
    let shared: Shared = Rc::new(RefCell::new(None));

    let s = shared.clone();
    let f =
        Closure::<dyn Fn(f64, f64) -> JsValue>::new(move |seed: f64, n: f64| setup(&s, seed, n));
    set(hook, "benchHeatmapSetup", &f.into_js_value());

    let s = shared.clone();
    let f = Closure::<dyn Fn(f64) -> JsValue>::new(move |reps: f64| run(&s, reps));
    set(hook, "benchHeatmap", &f.into_js_value());

    let s = shared.clone();
    let f = Closure::<dyn Fn(f64) -> JsValue>::new(move |reps: f64| stages(&s, reps));
    set(hook, "benchHeatmapStages", &f.into_js_value());

    let f = Closure::<dyn Fn() -> JsValue>::new(check);
    set(hook, "benchHeatmapCheck", &f.into_js_value());

    let s = shared;
    let f = Closure::<dyn Fn(f64, f64, f64, f64) -> JsValue>::new(
        move |total: f64, days: f64, window: f64, reps: f64| {
            playback(&s, [total, days, window, reps])
        },
    );
    set(hook, "benchHeatmapPlayback", &f.into_js_value());
}
