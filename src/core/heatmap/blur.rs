//! Gaussian smoothing of a grid by **Deriche's 4th-order recursive filter** (R. Deriche,
//! "Recursively implementing the Gaussian and its derivatives", INRIA RR-1893, 1993),
//! separable, whose cost per cell does not depend on the bandwidth.
//!
//! Units: grid cells. The Gaussian of standard deviation σ cells is the sum of a causal and an
//! anti-causal 4th-order recursion (8 multiply-adds each per cell), with Deriche's fitted
//! constants; the result is normalised to unit mass. Measured against the sampled Gaussian
//! (`tests/core_heatmap.rs`, the `f32` passes below): peak-relative error 0.013 % to 0.047 %
//! for σ from 0.7 to 10 cells (the grid keeps σ ≤ 8), 0.074 % at 25, where cascaded box
//! filters (the other cost-independent choice) are at 3.5 % (4 extended-box passes) to 6 % (3
//! passes) for a single report. Against the sampled 2-D kernel sum of 3,000 reports: 0.02 %
//! to 0.23 % of the peak between zoom 13 and 10.
//!
//! Below [`MIN_SIGMA_CELLS`] the filter is not applied (the linear binning already spreads a
//! report over the four nearest cells); the density is then coarser than the bandwidth, which
//! the caller documents.
//!
//! Boundary: values outside the grid are zero and the recursions start from rest (the caller
//! pads the grid by several σ, so nothing in view is affected).
//!
//! Direction: rows are filtered left to right and back with each row's own σ (the east-west
//! ground scale of its latitude); columns are filtered top to bottom and back, all columns of a
//! row at once, with the coefficients of the row being written (the north-south scale changes
//! by ~0.02 % per row at zoom 10: a slowly varying recursion follows it).
//!
//! Arithmetic: both passes run in `f32` lanes ([`lanes`](super::lanes): wasm SIMD in the
//! browser, the same IEEE operations natively). Rows go eight at a time (two recursions of four
//! rows, one row a lane, interleaved by 4 × 4 transposes), their state flushed of tiny values
//! once every four columns (subnormals are 100 times slower); columns go a whole row at a time,
//! four columns a lane, the anti-causal half added to the causal one, times the row's gain,
//! as it is computed. [`filter_line`] is the `f64` reference the lanes are tested against
//! (unit tests here, and in the browser by the benchmark page's `benchHeatmapCheck`): 4 ppm of
//! the peak at most. Hand-written for speed (the whole-program opt-level "z" does not
//! vectorise): 100k reports' rows 4.5 → 1.2 ms, columns 6.2 → 1.1 ms in the browser; the code
//! earns its place only while the benchmark says so (BENCHMARKS.md "Heatmap engine (issue
//! 12)").

use super::lanes::{F4, F8, Lane};

/// Below this σ (cells) no smoothing is applied.
pub const MIN_SIGMA_CELLS: f64 = 0.5;

// Deriche's constants for the 4th-order Gaussian fit (a0, a1, b0, ω0; c0, c1, b1, ω1).
const A0: f64 = 1.680;
const A1: f64 = 3.735;
const B0: f64 = 1.783;
const W0: f64 = 0.6318;
const C0: f64 = -0.6803;
const C1: f64 = -0.2598;
const B1: f64 = 1.723;
const W1: f64 = 1.997;

/// Coefficients of the two recursions for one σ, normalised to unit mass:
/// causal `y⁺[n] = Σₖ n[k]·x[n−k] − Σₖ d[k]·y⁺[n−1−k]`,
/// anti-causal `y⁻[n] = Σₖ m[k]·x[n+1+k] − Σₖ d[k]·y⁻[n+1+k]`, output `y⁺ + y⁻`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Deriche {
    pub n: [f64; 4],
    pub m: [f64; 4],
    pub d: [f64; 4],
}

impl Deriche {
    /// The filter for `sigma_cells`; `None` (no smoothing) below [`MIN_SIGMA_CELLS`] or for a
    /// non-finite σ.
    pub fn for_sigma(sigma_cells: f64) -> Option<Deriche> {
        if !(sigma_cells.is_finite() && sigma_cells >= MIN_SIGMA_CELLS) {
            return None;
        }
        let s = sigma_cells;
        let e = |v: f64| (-v / s).exp();
        let (cw0, sw0) = ((W0 / s).cos(), (W0 / s).sin());
        let (cw1, sw1) = ((W1 / s).cos(), (W1 / s).sin());
        let n0 = A0 + C0;
        let n1 =
            e(B1) * (C1 * sw1 - (C0 + 2.0 * A0) * cw1) + e(B0) * (A1 * sw0 - (2.0 * C0 + A0) * cw0);
        let n2 = 2.0 * e(B0 + B1) * ((A0 + C0) * cw1 * cw0 - A1 * cw1 * sw0 - C1 * cw0 * sw1)
            + C0 * e(2.0 * B0)
            + A0 * e(2.0 * B1);
        let n3 =
            e(B1 + 2.0 * B0) * (C1 * sw1 - C0 * cw1) + e(B0 + 2.0 * B1) * (A1 * sw0 - A0 * cw0);
        let d4 = e(2.0 * (B0 + B1));
        let d3 = -2.0 * cw0 * e(B0 + 2.0 * B1) - 2.0 * cw1 * e(B1 + 2.0 * B0);
        let d2 = 4.0 * cw1 * cw0 * e(B0 + B1) + e(2.0 * B1) + e(2.0 * B0);
        let d1 = -2.0 * e(B1) * cw1 - 2.0 * e(B0) * cw0;
        let n = [n0, n1, n2, n3];
        let d = [d1, d2, d3, d4];
        let m = [n1 - d1 * n0, n2 - d2 * n0, n3 - d3 * n0, -d4 * n0];
        // DC gain of causal + anti-causal parts: divide it out so the kernel has unit mass.
        let denom = 1.0 + d.iter().sum::<f64>();
        let gain = (n.iter().sum::<f64>() + m.iter().sum::<f64>()) / denom;
        if !(gain.is_finite() && gain.abs() > f64::EPSILON) {
            return None;
        }
        Some(Deriche {
            n: n.map(|v| v / gain),
            m: m.map(|v| v / gain),
            d,
        })
    }
}

impl Deriche {
    /// `n`, `m`, `d` rounded to `f32`, for the lanes' recursions. (Rescaling `n` and `m` to
    /// the unit mass of the rounded `d` was tried: no better, 0.09 % instead of 0.07 % at σ 25.)
    pub fn to_f32(&self) -> [[f32; 4]; 3] {
        let f = |v: [f64; 4]| v.map(|x| x as f32);
        [f(self.n), f(self.m), f(self.d)]
    }
}

/// Filter one line (constant σ) from `src` into `dst` (same length), in `f64`: the reference
/// the lanes' `f32` passes are tested against.
pub fn filter_line(src: &[f32], dst: &mut [f32], c: &Deriche) {
    let [n0, n1, n2, n3] = c.n;
    let [m0, m1, m2, m3] = c.m;
    let [d1, d2, d3, d4] = c.d;
    // Causal, left to right.
    let (mut x1, mut x2, mut x3) = (0.0f64, 0.0f64, 0.0f64);
    let (mut y1, mut y2, mut y3, mut y4) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
    for (s, d) in src.iter().zip(dst.iter_mut()) {
        let x0 = f64::from(*s);
        let y0 = n0 * x0 + n1 * x1 + n2 * x2 + n3 * x3 - d1 * y1 - d2 * y2 - d3 * y3 - d4 * y4;
        *d = flush(y0 as f32);
        (x3, x2, x1) = (x2, x1, x0);
        (y4, y3, y2, y1) = (y3, y2, y1, y0);
    }
    // Anti-causal, right to left, added.
    let (mut x1, mut x2, mut x3, mut x4) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
    let (mut y1, mut y2, mut y3, mut y4) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
    for (s, d) in src.iter().zip(dst.iter_mut()).rev() {
        let y0 = m0 * x1 + m1 * x2 + m2 * x3 + m3 * x4 - d1 * y1 - d2 * y2 - d3 * y3 - d4 * y4;
        *d = flush(*d + y0 as f32);
        (x4, x3, x2, x1) = (x3, x2, x1, f64::from(*s));
        (y4, y3, y2, y1) = (y3, y2, y1, y0);
    }
}

#[inline(always)]
fn flush(v: f32) -> f32 {
    Lane::flush(v)
}

/// The coefficients of a recursion as lanes: `n` (causal input taps), `m` (anti-causal input
/// taps), `d` (feedback), in `f32`.
#[derive(Clone, Copy, Debug)]
struct Taps<L> {
    n: [L; 4],
    m: [L; 4],
    d: [L; 4],
}

impl<L: Lane> Taps<L> {
    /// One filter in every lane.
    fn splat(c: &Deriche) -> Taps<L> {
        let [n, m, d] = c.to_f32();
        Taps {
            n: n.map(L::splat),
            m: m.map(L::splat),
            d: d.map(L::splat),
        }
    }
}

impl Taps<F4> {
    /// Lane `l` filters with `cs[l]`; a lane without one goes through the identity (n₀ = 1,
    /// the rest 0: the input comes out unchanged).
    fn lanes(cs: &[Option<Deriche>; 4]) -> Taps<F4> {
        let identity = Deriche {
            n: [1.0, 0.0, 0.0, 0.0],
            m: [0.0; 4],
            d: [0.0; 4],
        };
        let cs = cs.map(|c| c.unwrap_or(identity).to_f32());
        let tap = |k: usize| -> [F4; 4] {
            let [a, b, c, d] = cs.map(|t| t.get(k).copied().unwrap_or([0.0; 4]));
            std::array::from_fn(|t| {
                let g = |v: [f32; 4]| v.get(t).copied().unwrap_or(0.0);
                F4::new([g(a), g(b), g(c), g(d)])
            })
        };
        Taps {
            n: tap(0),
            m: tap(1),
            d: tap(2),
        }
    }
}

/// One step of a recursion: `Σ a[k]·x[k] − Σ b[k]·y[k]`. The feedback of the previous output
/// (`y[0]`) comes last, so that a recursion along its lanes waits on one multiply and one
/// subtraction per step, not on the whole sum.
#[inline(always)]
fn step_raw<L: Lane>(x: [L; 4], y: [L; 4], a: &[L; 4], b: &[L; 4]) -> L {
    let [x0, x1, x2, x3] = x;
    let [y1, y2, y3, y4] = y;
    let [a0, a1, a2, a3] = *a;
    let [b1, b2, b3, b4] = *b;
    a0 * x0 + a1 * x1 + a2 * x2 + a3 * x3 - b4 * y4 - b3 * y3 - b2 * y2 - b1 * y1
}

/// [`step_raw`], flushed.
#[inline(always)]
fn step<L: Lane>(x: [L; 4], y: [L; 4], a: &[L; 4], b: &[L; 4]) -> L {
    step_raw(x, y, a, b).flush()
}

/// The recursions of four (eight) rows at once, one row a lane, along `xs` (the rows
/// interleaved: `xs[k]` holds the rows' values at column k): on return `ys[k]` is the smoothed value
/// (causal + anti-causal).
///
/// Four columns a step, the state flushed once a step (a value cannot fall from above
/// [`TINY`](super::lanes::TINY) to a subnormal in four columns), so that the flush is off the
/// recursion's critical path three times in four.
#[cfg_attr(target_arch = "wasm32", target_feature(enable = "simd128"))]
fn filter_lanes<L: Lane + Default>(xs: &[L], ys: &mut Vec<L>, t: &Taps<L>) {
    let z = L::default();
    ys.clear();
    ys.resize(xs.len(), z);
    let (n, m, d) = (&t.n, &t.m, &t.d);
    // Causal, left to right.
    let (mut x1, mut x2, mut x3) = (z, z, z);
    let (mut y1, mut y2, mut y3, mut y4) = (z, z, z, z);
    let ((xb, xt), (yb, yt)) = (xs.as_chunks::<4>(), ys.as_chunks_mut::<4>());
    for (&[a, b, c, e], out) in xb.iter().zip(yb.iter_mut()) {
        let ya = step_raw([a, x1, x2, x3], [y1, y2, y3, y4], n, d);
        let yb = step_raw([b, a, x1, x2], [ya, y1, y2, y3], n, d);
        let yc = step_raw([c, b, a, x1], [yb, ya, y1, y2], n, d);
        let ye = step_raw([e, c, b, a], [yc, yb, ya, y1], n, d);
        *out = [ya, yb, yc, ye];
        (x3, x2, x1) = (b, c, e);
        (y4, y3, y2, y1) = (ya.flush(), yb.flush(), yc.flush(), ye.flush());
    }
    for (x0, out) in xt.iter().zip(yt.iter_mut()) {
        let y0 = step([*x0, x1, x2, x3], [y1, y2, y3, y4], n, d);
        *out = y0;
        (x3, x2, x1) = (x2, x1, *x0);
        (y4, y3, y2, y1) = (y3, y2, y1, y0);
    }
    // Anti-causal, right to left, added.
    let (mut x1, mut x2, mut x3, mut x4) = (z, z, z, z);
    let (mut y1, mut y2, mut y3, mut y4) = (z, z, z, z);
    for (x, out) in xt.iter().zip(yt.iter_mut()).rev() {
        let y0 = step([x1, x2, x3, x4], [y1, y2, y3, y4], m, d);
        (x4, x3, x2, x1) = (x3, x2, x1, *x);
        (y4, y3, y2, y1) = (y3, y2, y1, y0);
        *out = (*out + y0).flush();
    }
    for (&[a, b, c, e], out) in xb.iter().zip(yb.iter_mut()).rev() {
        let ye = step_raw([x1, x2, x3, x4], [y1, y2, y3, y4], m, d);
        let yc = step_raw([e, x1, x2, x3], [ye, y1, y2, y3], m, d);
        let yb = step_raw([c, e, x1, x2], [yc, ye, y1, y2], m, d);
        let ya = step_raw([b, c, e, x1], [yb, yc, ye, y1], m, d);
        let [oa, ob, oc, oe] = *out;
        *out = [
            (oa + ya).flush(),
            (ob + yb).flush(),
            (oc + yc).flush(),
            (oe + ye).flush(),
        ];
        (x4, x3, x2, x1) = (e, c, b, a);
        (y4, y3, y2, y1) = (ye.flush(), yc.flush(), yb.flush(), ya.flush());
    }
}

/// Four rows into lanes: `pick(&mut xs[k])` gets the four rows' values at column k (4 × 4
/// transposes, then one column at a time for the last `cols mod 4`).
#[inline(always)]
fn interleave(r: [&[f32]; 4], xs: &mut [F8], pick: fn(&mut F8) -> &mut F4) {
    let [r0, r1, r2, r3] = r;
    let (xb, xt) = xs.as_chunks_mut::<4>();
    let ((a, at), (b, bt)) = (r0.as_chunks::<4>(), r1.as_chunks::<4>());
    let ((c, ct), (d, dt)) = (r2.as_chunks::<4>(), r3.as_chunks::<4>());
    let quads = a.iter().zip(b).zip(c.iter().zip(d));
    for (out, ((a, b), (c, d))) in xb.iter_mut().zip(quads) {
        let [t0, t1, t2, t3] = F4::transpose([F4::load(a), F4::load(b), F4::load(c), F4::load(d)]);
        let [o0, o1, o2, o3] = out;
        (*pick(o0), *pick(o1), *pick(o2), *pick(o3)) = (t0, t1, t2, t3);
    }
    let tails = at.iter().zip(bt).zip(ct.iter().zip(dt));
    for (out, ((a, b), (c, d))) in xt.iter_mut().zip(tails) {
        *pick(out) = F4::new([*a, *b, *c, *d]);
    }
}

/// Lanes back into four rows (the inverse of [`interleave`]).
#[inline(always)]
fn deinterleave(ys: &[F8], r: [&mut [f32]; 4], pick: fn(&F8) -> F4) {
    let [r0, r1, r2, r3] = r;
    let (yb, yt) = ys.as_chunks::<4>();
    let ((a, at), (b, bt)) = (r0.as_chunks_mut::<4>(), r1.as_chunks_mut::<4>());
    let ((c, ct), (d, dt)) = (r2.as_chunks_mut::<4>(), r3.as_chunks_mut::<4>());
    let quads = a.iter_mut().zip(b).zip(c.iter_mut().zip(d));
    for ([y0, y1, y2, y3], ((a, b), (c, d))) in yb.iter().zip(quads) {
        let [va, vb, vc, vd] = F4::transpose([pick(y0), pick(y1), pick(y2), pick(y3)]);
        va.store(a);
        vb.store(b);
        vc.store(c);
        vd.store(d);
    }
    let tails = at.iter_mut().zip(bt).zip(ct.iter_mut().zip(dt));
    for (v, ((a, b), (c, d))) in yt.iter().zip(tails) {
        [*a, *b, *c, *d] = pick(v).to_array();
    }
}

/// Filter the eight rows of `block` (row-major, `cols` wide), row `l` with `cs[l]` (rows
/// without coefficients are left as they are): interleaved into lanes (two recursions of four
/// rows in one loop), filtered by [`filter_lanes`], put back.
#[cfg_attr(target_arch = "wasm32", target_feature(enable = "simd128"))]
fn filter_rows8(
    block: &mut [f32],
    cols: usize,
    cs: &[Option<Deriche>; 8],
    xs: &mut Vec<F8>,
    ys: &mut Vec<F8>,
) {
    let [c0, c1, c2, c3, c4, c5, c6, c7] = *cs;
    let (lo, hi) = (
        Taps::lanes(&[c0, c1, c2, c3]),
        Taps::lanes(&[c4, c5, c6, c7]),
    );
    let pair = |a: [F4; 4], b: [F4; 4]| -> [F8; 4] {
        let ([a0, a1, a2, a3], [b0, b1, b2, b3]) = (a, b);
        [F8(a0, b0), F8(a1, b1), F8(a2, b2), F8(a3, b3)]
    };
    let taps = Taps {
        n: pair(lo.n, hi.n),
        m: pair(lo.m, hi.m),
        d: pair(lo.d, hi.d),
    };
    let mut rows = block.chunks_exact_mut(cols);
    let mut next4 = || Some([rows.next()?, rows.next()?, rows.next()?, rows.next()?]);
    let (Some([r0, r1, r2, r3]), Some([r4, r5, r6, r7])) = (next4(), next4()) else {
        return;
    };
    xs.clear();
    xs.resize(cols, F8::default());
    interleave([&*r0, &*r1, &*r2, &*r3], xs, |v| &mut v.0);
    interleave([&*r4, &*r5, &*r6, &*r7], xs, |v| &mut v.1);
    filter_lanes(xs, ys, &taps);
    deinterleave(ys, [r0, r1, r2, r3], |v| v.0);
    deinterleave(ys, [r4, r5, r6, r7], |v| v.1);
}

/// Buffers the smoothing reuses from one frame to the next (a heatmap redrawn 30 times a
/// second allocates nothing once they have grown to the grid's size).
#[derive(Clone, Debug, Default)]
pub struct Scratch {
    lanes: Vec<F8>,
    out_lanes: Vec<F8>,
    /// The last rows of a grid whose row count is not a multiple of 8, padded with zero rows.
    block: Vec<f32>,
    zeros: Vec<f32>,
    causal: Vec<f32>,
    /// The anti-causal outputs of the last four rows (a ring, row j in slot j mod 4).
    anti: Vec<f32>,
    coeffs: Vec<Option<Deriche>>,
}

/// Smooth a row-major `cols × rows` grid in place: each row with σ `sigma_x[row]` cells, then
/// each column with σ `sigma_y[row]` cells for the row being written (one entry per row;
/// missing entries reuse the last).
pub fn gaussian_2d(grid: &mut [f32], cols: usize, rows: usize, sigma_x: &[f64], sigma_y: &[f64]) {
    let mut scratch = Scratch::default();
    let mut buf = grid.to_vec();
    smooth_rows(&mut buf, cols, rows, sigma_x, &mut scratch);
    smooth_columns(&mut buf, cols, rows, sigma_y, None, &mut scratch);
    grid.copy_from_slice(&buf);
}

/// The horizontal pass of [`gaussian_2d`]: each row with σ `sigma_x[row]` cells, eight rows
/// at a time (independent recursions in the lanes of [`F8`]). Blocks of rows that hold
/// nothing (no report within them) stay zero without being filtered.
pub fn smooth_rows(
    grid: &mut [f32],
    cols: usize,
    rows: usize,
    sigma_x: &[f64],
    scratch: &mut Scratch,
) {
    if cols == 0 || rows == 0 || grid.len() != cols * rows {
        return;
    }
    let last_x = sigma_x.last().copied().unwrap_or(0.0);
    let coeff_x = |j: usize| Deriche::for_sigma(sigma_x.get(j).copied().unwrap_or(last_x));
    let empty = |r: &[f32]| r.iter().all(|v| *v == 0.0);
    let Scratch {
        lanes,
        out_lanes,
        block: pad,
        ..
    } = scratch;
    let mut blocks = grid.chunks_exact_mut(cols * 8);
    for (b, block) in (&mut blocks).enumerate() {
        if empty(block) {
            continue;
        }
        let cs: [Option<Deriche>; 8] = std::array::from_fn(|l| coeff_x(b * 8 + l));
        if cs.iter().all(Option::is_none) {
            continue;
        }
        filter_rows8(block, cols, &cs, lanes, out_lanes);
    }
    let done = rows / 8 * 8;
    let rest = blocks.into_remainder();
    if rest.is_empty() || empty(rest) {
        return;
    }
    // The last rows, with zero rows below them (filtered as the identity: left as they are).
    pad.clear();
    pad.extend_from_slice(rest);
    pad.resize(cols * 8, 0.0);
    let cs: [Option<Deriche>; 8] = std::array::from_fn(|l| {
        let j = done + l;
        if j < rows { coeff_x(j) } else { None }
    });
    filter_rows8(pad, cols, &cs, lanes, out_lanes);
    if let Some(src) = pad.get(..rest.len()) {
        rest.copy_from_slice(src);
    }
}

/// The vertical pass of [`gaussian_2d`]: each column, with σ `sigma_y[row]` cells for the row
/// being written. With a `gain` per row, each output row is then multiplied by its gain and
/// clamped at zero (the density's division by the cell area, done while the row is at hand).
/// The result is written to a buffer of `scratch`, which is then swapped with `grid`.
pub fn smooth_columns(
    grid: &mut Vec<f32>,
    cols: usize,
    rows: usize,
    sigma_y: &[f64],
    gain: Option<&[f32]>,
    scratch: &mut Scratch,
) {
    if cols == 0 || rows == 0 || grid.len() != cols * rows {
        return;
    }
    let last_y = sigma_y.last().copied().unwrap_or(0.0);
    scratch.coeffs.clear();
    scratch
        .coeffs
        .extend((0..rows).map(|j| Deriche::for_sigma(sigma_y.get(j).copied().unwrap_or(last_y))));
    if scratch.coeffs.iter().all(Option::is_none) {
        if let Some(gain) = gain {
            for (row, k) in grid.chunks_exact_mut(cols).zip(gain) {
                for v in row.iter_mut() {
                    *v = (*v * k).max(0.0);
                }
            }
        }
        return;
    }
    filter_columns(grid, cols, rows, gain, scratch);
    std::mem::swap(grid, &mut scratch.causal);
}

/// Rows of `buf` (row-major, `cols` wide) `j − 1 … j − 4` (or `j + 1 … j + 4` going up),
/// zeros beyond the grid, as slices.
fn neighbours<'a>(
    buf: &'a [f32],
    zeros: &'a [f32],
    cols: usize,
    rows: usize,
    j: usize,
    up: bool,
) -> [&'a [f32]; 4] {
    let row = |k: usize| -> &'a [f32] {
        let r = if up {
            j.checked_add(k).filter(|r| *r < rows)
        } else {
            j.checked_sub(k)
        };
        r.and_then(|r| buf.get(r * cols..(r + 1) * cols))
            .unwrap_or(zeros)
    };
    [row(1), row(2), row(3), row(4)]
}

/// What a recursion down the columns reads and writes: four columns (`[f32; 4]`, as [`F4`])
/// or, at the end of a row, one (`f32`).
trait Cell: Copy {
    type L: Lane;
    fn read(&self) -> Self::L;
    fn write(&mut self, v: Self::L);
}

impl Cell for [f32; 4] {
    type L = F4;
    #[inline(always)]
    fn read(&self) -> F4 {
        F4::load(self)
    }
    #[inline(always)]
    fn write(&mut self, v: F4) {
        v.store(self);
    }
}

impl Cell for f32 {
    type L = f32;
    #[inline(always)]
    fn read(&self) -> f32 {
        *self
    }
    #[inline(always)]
    fn write(&mut self, v: f32) {
        *self = v;
    }
}

/// A row as four-column cells and the one-column cells left at its end.
#[inline(always)]
fn split(r: &[f32]) -> (&[[f32; 4]], &[f32]) {
    r.as_chunks::<4>()
}

#[inline(always)]
fn split_mut(r: &mut [f32]) -> (&mut [[f32; 4]], &mut [f32]) {
    r.as_chunks_mut::<4>()
}

/// One causal step down the columns for a whole row: `out = step(x₀…x₃, y₁…y₄)`.
#[inline(always)]
fn causal_row<C: Cell>(out: &mut [C], x: [&[C]; 4], y: [&[C]; 4], t: &Taps<C::L>) {
    let [x0, x1, x2, x3] = x;
    let [y1, y2, y3, y4] = y;
    let xs = x0.iter().zip(x1).zip(x2.iter().zip(x3));
    let ys = y1.iter().zip(y2).zip(y3.iter().zip(y4));
    for (o, (((p0, p1), (p2, p3)), ((q1, q2), (q3, q4)))) in out.iter_mut().zip(xs.zip(ys)) {
        let x = [p0.read(), p1.read(), p2.read(), p3.read()];
        let y = [q1.read(), q2.read(), q3.read(), q4.read()];
        o.write(step(x, y, &t.n, &t.d));
    }
}

/// One anti-causal step up the columns for a whole row, added to the causal part:
/// `a = step(x₁…x₄, y₁…y₄)` where `ring` holds y₄ on entry and `a` on return, then
/// `out = out + a` (times `gain` and clamped at zero if given).
#[inline(always)]
fn anti_row<C: Cell>(
    out: &mut [C],
    ring: &mut [C],
    x: [&[C]; 4],
    y: [&[C]; 3],
    t: &Taps<C::L>,
    gain: Option<C::L>,
) {
    let [x1, x2, x3, x4] = x;
    let [y1, y2, y3] = y;
    let xs = x1.iter().zip(x2).zip(x3.iter().zip(x4));
    let ys = y1.iter().zip(y2).zip(y3);
    let outs = out.iter_mut().zip(ring.iter_mut());
    for ((o, r), (((p1, p2), (p3, p4)), ((q1, q2), q3))) in outs.zip(xs.zip(ys)) {
        let x = [p1.read(), p2.read(), p3.read(), p4.read()];
        let y = [q1.read(), q2.read(), q3.read(), r.read()];
        let a = step(x, y, &t.m, &t.d);
        r.write(a);
        let s = o.read() + a;
        o.write(match gain {
            Some(k) => (s * k).max0(),
            None => s,
        });
    }
}

/// The vertical recursions, a whole row at a time (no loop-carried dependency along a row:
/// four columns per [`F4`]), with each output row's own coefficients (identity rows copy),
/// each output row times its `gain` (clamped at zero) if given. Causal part into
/// `scratch.causal`, then the anti-causal part bottom to top (its last four rows in the ring
/// `scratch.anti`) added there: the result is in `scratch.causal`, `grid` is unchanged.
#[cfg_attr(target_arch = "wasm32", target_feature(enable = "simd128"))]
fn filter_columns(
    grid: &[f32],
    cols: usize,
    rows: usize,
    gain: Option<&[f32]>,
    scratch: &mut Scratch,
) {
    let Scratch {
        zeros,
        causal,
        anti,
        coeffs,
        ..
    } = scratch;
    zeros.clear();
    zeros.resize(cols, 0.0);
    let zeros = zeros.as_slice();
    let coeffs = coeffs.as_slice();
    // Every row of `causal` is written below before it is read: no clearing needed.
    causal.resize(cols * rows, 0.0);
    anti.clear();
    anti.resize(cols * 4, 0.0);
    // Causal, top to bottom: y⁺[j] from x[j..j-3] and y⁺[j-1..j-4].
    for j in 0..rows {
        let [x1, x2, x3, _] = neighbours(grid, zeros, cols, rows, j, false);
        let (done, rest) = causal.split_at_mut(j * cols);
        let ys = neighbours(done, zeros, cols, j, j, false);
        let (Some(x0), Some(out)) = (grid.get(j * cols..(j + 1) * cols), rest.get_mut(..cols))
        else {
            return;
        };
        let Some(c) = coeffs.get(j).copied().flatten() else {
            out.copy_from_slice(x0);
            continue;
        };
        let ([a0, a1, a2, a3], [b1, b2, b3, b4]) = ([x0, x1, x2, x3].map(split), ys.map(split));
        let (ob, ot) = split_mut(out);
        causal_row(
            ob,
            [a0.0, a1.0, a2.0, a3.0],
            [b1.0, b2.0, b3.0, b4.0],
            &Taps::splat(&c),
        );
        causal_row(
            ot,
            [a0.1, a1.1, a2.1, a3.1],
            [b1.1, b2.1, b3.1, b4.1],
            &Taps::splat(&c),
        );
    }
    // Anti-causal, bottom to top: y⁻[j] from x[j+1..j+4] and y⁻[j+1..j+4], added to y⁺[j].
    let mut ring = anti.chunks_exact_mut(cols);
    let (Some(s0), Some(s1), Some(s2), Some(s3)) =
        (ring.next(), ring.next(), ring.next(), ring.next())
    else {
        return;
    };
    let mut slots = [s0, s1, s2, s3];
    for j in (0..rows).rev() {
        let xs = neighbours(grid, zeros, cols, rows, j, true);
        let Some(out) = causal.get_mut(j * cols..(j + 1) * cols) else {
            return;
        };
        // Slot j mod 4 holds y⁻[j+4] and receives y⁻[j]; the next three hold y⁻[j+1..j+3].
        let [w, a, b, c] = match j % 4 {
            0 => slots.each_mut(),
            1 => {
                let [s0, s1, s2, s3] = slots.each_mut();
                [s1, s2, s3, s0]
            }
            2 => {
                let [s0, s1, s2, s3] = slots.each_mut();
                [s2, s3, s0, s1]
            }
            _ => {
                let [s0, s1, s2, s3] = slots.each_mut();
                [s3, s0, s1, s2]
            }
        };
        let k = gain.and_then(|g| g.get(j)).copied();
        let Some(cf) = coeffs.get(j).copied().flatten() else {
            // Identity row: y⁻ = 0, the output is the input (times the gain).
            w.fill(0.0);
            for v in out.iter_mut() {
                *v = match k {
                    Some(k) => (*v * k).max0(),
                    None => *v,
                };
            }
            continue;
        };
        let (a, b, c) = (&**a, &**b, &**c);
        let [x1, x2, x3, x4] = xs.map(split);
        let [y1, y2, y3] = [a, b, c].map(split);
        let (ob, ot) = split_mut(out);
        let (wb, wt) = split_mut(w);
        let taps = Taps::splat(&cf);
        anti_row(
            ob,
            wb,
            [x1.0, x2.0, x3.0, x4.0],
            [y1.0, y2.0, y3.0],
            &taps,
            k.map(F4::splat),
        );
        let taps = Taps::splat(&cf);
        anti_row(
            ot,
            wt,
            [x1.1, x2.1, x3.1, x4.1],
            [y1.1, y2.1, y3.1],
            &taps,
            k,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_mass_and_symmetry() {
        for sigma in [0.7, 2.0, 4.0, 9.5, 25.0] {
            let c = Deriche::for_sigma(sigma).unwrap();
            let mut src = vec![0.0f32; 401];
            src[200] = 1.0;
            let mut dst = vec![0.0f32; 401];
            filter_line(&src, &mut dst, &c);
            let total: f32 = dst.iter().sum();
            assert!((total - 1.0).abs() < 1e-4, "σ {sigma}: {total}");
            for k in 1..40 {
                assert!(
                    (dst[200 - k] - dst[200 + k]).abs() < 1e-6,
                    "σ {sigma} at {k}"
                );
            }
        }
        assert!(Deriche::for_sigma(0.2).is_none());
        assert!(Deriche::for_sigma(f64::NAN).is_none());
    }

    /// A grid with a few impulses and a spread of values, `cols × rows`.
    fn sample_grid(cols: usize, rows: usize) -> Vec<f32> {
        let mut g = vec![0.0f32; cols * rows];
        let mut s = 12345u32;
        for v in g.iter_mut() {
            s = s.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            if s >> 28 == 0 {
                *v = (s >> 8) as f32 / (1 << 24) as f32 * 5.0;
            }
        }
        g
    }

    fn worst(a: &[f32], b: &[f32]) -> f32 {
        let peak = b.iter().fold(0.0f32, |m, v| m.max(v.abs()));
        a.iter()
            .zip(b)
            .fold(0.0f32, |m, (x, y)| m.max((x - y).abs()))
            / peak
    }

    #[test]
    fn the_rows_in_lanes_match_the_f64_reference() {
        // 19 rows (two blocks of eight and three left over), 103 columns (not a multiple of
        // 4), a σ per row, one row without smoothing.
        let (cols, rows) = (103, 19);
        let sigmas: Vec<f64> = (0..rows)
            .map(|j| [0.9, 2.0, 3.3, 5.2, 8.0, 0.3, 6.1][j % 7])
            .collect();
        let mut grid = sample_grid(cols, rows);
        let mut want = grid.clone();
        for (row, s) in want.chunks_exact_mut(cols).zip(sigmas.iter().copied()) {
            if let Some(c) = Deriche::for_sigma(s) {
                let mut out = vec![0.0; cols];
                filter_line(row, &mut out, &c);
                row.copy_from_slice(&out);
            }
        }
        smooth_rows(&mut grid, cols, rows, &sigmas, &mut Scratch::default());
        let e = worst(&grid, &want);
        println!("lanes against f64: {e:e} of the peak");
        assert!(e < 1e-5, "{e}");
        // The unsmoothed rows are left as they were.
        assert_eq!(grid[5 * cols..6 * cols], want[5 * cols..6 * cols]);
        assert_eq!(grid[12 * cols..13 * cols], want[12 * cols..13 * cols]);
    }

    #[test]
    fn the_columns_in_lanes_match_the_f64_reference() {
        let (cols, rows) = (37, 90);
        let sigma = 4.7;
        let mut grid = sample_grid(cols, rows);
        let mut want = grid.clone();
        let c = Deriche::for_sigma(sigma).unwrap();
        for i in 0..cols {
            let col: Vec<f32> = (0..rows).map(|j| want[j * cols + i]).collect();
            let mut out = vec![0.0; rows];
            filter_line(&col, &mut out, &c);
            for (j, v) in out.iter().enumerate() {
                want[j * cols + i] = v.max(0.0) * 2.0;
            }
        }
        let gain = vec![2.0f32; rows];
        smooth_columns(
            &mut grid,
            cols,
            rows,
            &[sigma],
            Some(&gain),
            &mut Scratch::default(),
        );
        let e = worst(&grid, &want);
        println!("lanes against f64: {e:e} of the peak");
        assert!(e < 1e-5, "{e}");
    }
}
