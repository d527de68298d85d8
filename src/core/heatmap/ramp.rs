//! Colour mapping of densities to RGBA pixels (one pixel a grid cell; the shell draws the
//! bitmap scaled over the view).
//!
//! Units: densities in reports per km² (or per km² per day for a difference); output bytes are
//! straight (not premultiplied) RGBA, as `ImageData` wants.
//!
//! * [`Ramp::Sequential`]: transparent at zero, then dark violet → red → orange → pale yellow
//!   (an "inferno"-like ramp: brightness grows with density, readable on the dark basemap and
//!   for red-green colour blindness), opacity rising over the first quarter.
//! * [`Ramp::Diverging`]: for differences: blue where the second window has less, red where it
//!   has more, transparent where they are equal.
//!
//! The scale maps a density to `t ∈ [0, 1]`: `t = value / max` (clamped), where `max` is the
//! fixed scale's top or the peak in view ([`Scale`]).

use super::lanes::{F4, Lane};

/// How densities map to the ramp.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scale {
    /// Absolute: this many reports per km² (or per km² per day) is the top colour, everywhere
    /// and at every zoom.
    Fixed(f64),
    /// Relative to the highest value in view.
    Relative,
}

impl Scale {
    /// The density at the top of the ramp given the peak in view (`None` when nothing can be
    /// shown: a non-positive top).
    pub fn top(self, peak_in_view: f64) -> Option<f64> {
        let top = match self {
            Scale::Fixed(v) => v,
            Scale::Relative => peak_in_view,
        };
        (top.is_finite() && top > 0.0).then_some(top)
    }
}

/// Which colours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ramp {
    Sequential,
    Diverging,
}

/// Colour stops of the sequential ramp, t → RGB.
const SEQUENTIAL: [(f32, [u8; 3]); 6] = [
    (0.0, [40, 11, 84]),
    (0.2, [101, 21, 110]),
    (0.4, [159, 42, 99]),
    (0.6, [212, 72, 66]),
    (0.8, [245, 125, 21]),
    (1.0, [252, 255, 164]),
];

/// Colour stops of the diverging ramp over t ∈ [-1, 1] (sign: less / more).
const DIVERGING: [(f32, [u8; 3]); 5] = [
    (-1.0, [33, 102, 172]),
    (-0.5, [103, 169, 207]),
    (0.0, [247, 247, 247]),
    (0.5, [239, 138, 98]),
    (1.0, [178, 24, 43]),
];

fn lerp_stops(stops: &[(f32, [u8; 3])], t: f32) -> [u8; 3] {
    let mut prev = stops.first().copied().unwrap_or((0.0, [0, 0, 0]));
    for &(st, c) in stops {
        if t <= st {
            let span = st - prev.0;
            let k = if span > 0.0 { (t - prev.0) / span } else { 1.0 };
            let mix =
                |a: u8, b: u8| (f32::from(a) + (f32::from(b) - f32::from(a)) * k).round() as u8;
            return [
                mix(prev.1[0], c[0]),
                mix(prev.1[1], c[1]),
                mix(prev.1[2], c[2]),
            ];
        }
        prev = (st, c);
    }
    prev.1
}

/// RGBA of `t` on a ramp (`t` in [0, 1] for sequential, [-1, 1] for diverging; clamped).
pub fn colour(ramp: Ramp, t: f32) -> [u8; 4] {
    match ramp {
        Ramp::Sequential => {
            let t = if t.is_finite() {
                t.clamp(0.0, 1.0)
            } else {
                0.0
            };
            if t < 1.0 / 255.0 {
                return [0, 0, 0, 0];
            }
            let [r, g, b] = lerp_stops(&SEQUENTIAL, t);
            let a = (0.35 + 0.6 * (t * 4.0).min(1.0)) * 255.0;
            [r, g, b, a.round() as u8]
        }
        Ramp::Diverging => {
            let t = if t.is_finite() {
                t.clamp(-1.0, 1.0)
            } else {
                0.0
            };
            let [r, g, b] = lerp_stops(&DIVERGING, t);
            let a = (t.abs() * 3.0).min(1.0) * 0.9 * 255.0;
            [r, g, b, a.round() as u8]
        }
    }
}

/// A 256-entry lookup table of a ramp (index = round(t · 255), t ∈ [0, 1]; for the diverging
/// ramp the index covers t ∈ [-1, 1]).
pub fn lut(ramp: Ramp) -> Vec<[u8; 4]> {
    table(ramp).to_vec()
}

fn table(ramp: Ramp) -> [[u8; 4]; 256] {
    std::array::from_fn(|k| {
        let u = k as f32 / 255.0;
        match ramp {
            Ramp::Sequential => colour(ramp, u),
            Ramp::Diverging => colour(ramp, u * 2.0 - 1.0),
        }
    })
}

/// Paint row-major values as RGBA bytes into `out` (cleared first): sequential when every value
/// is a density, diverging when they are signed differences. `top` is the value drawn with the
/// top colour (see [`Scale::top`]); nothing is painted (all transparent) without one.
///
/// One table look-up a pixel, the index a byte (`as u8` saturates: below 0 and NaN give 0,
/// above 255 gives 255), so that the look-up needs no bounds check and each pixel is one
/// 4-byte store.
pub fn paint<'a>(
    rows: impl Iterator<Item = &'a [f32]>,
    ramp: Ramp,
    top: Option<f64>,
    out: &mut Vec<u8>,
) {
    out.clear();
    let table = table(ramp);
    let k = top.map_or(0.0, |t| (1.0 / t) as f32);
    // Table index of a value: round(t · 255) over [0, 1], or round((t + 1) · 127.5) over
    // [-1, 1], as `floor(v · scale + offset)` saturated to a byte.
    let (scale, offset) = match ramp {
        Ramp::Sequential => (k * 255.0, 0.5),
        Ramp::Diverging => (k * 127.5, 128.0),
    };
    let (scale, offset) = (F4::splat(scale), F4::splat(offset));
    paint_rows(rows, &table, scale, offset, k != 0.0, out);
}

/// The pixels of [`paint`], four at a time: the table indices in [`F4`] lanes; a group whose
/// four indices are 0 is left transparent when entry 0 is (most of a heatmap is empty).
#[cfg_attr(target_arch = "wasm32", target_feature(enable = "simd128"))]
fn paint_rows<'a>(
    rows: impl Iterator<Item = &'a [f32]>,
    table: &[[u8; 4]; 256],
    scale: F4,
    offset: F4,
    draw: bool,
    out: &mut Vec<u8>,
) {
    let transparent = [0u8; 4];
    let skip_zero = table.first() == Some(&transparent);
    let words = table.map(u32::from_le_bytes);
    let look = |i: u32| *table.get((i & 255) as usize).unwrap_or(&transparent);
    for row in rows {
        let start = out.len();
        out.resize(start + row.len() * 4, 0);
        let Some(dst) = out.get_mut(start..) else {
            continue;
        };
        if !draw {
            continue;
        }
        let (px, px_tail) = dst.as_chunks_mut::<16>();
        let (vs, vs_tail) = row.as_chunks::<4>();
        for (p, v) in px.iter_mut().zip(vs) {
            let t = F4::load(v) * scale + offset;
            // Every index 0 (below 1 before the truncation).
            if skip_zero && t.all_below(1.0) {
                continue;
            }
            t.to_bytes().look_up(&words).store_bytes(p);
        }
        let (px, _) = px_tail.as_chunks_mut::<4>();
        for (p, v) in px.iter_mut().zip(vs_tail) {
            let [i, ..] = (F4::splat(*v) * scale + offset).to_bytes().to_array();
            *p = look(i);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paint_looks_up_the_rounded_index_of_every_value() {
        let row: Vec<f32> = (0..103)
            .map(|k| (k as f32 - 20.0) * 0.013)
            .chain([f32::NAN, f32::INFINITY, -0.0, 2.0])
            .collect();
        for (ramp, index) in [
            (
                Ramp::Sequential,
                (|t: f32| t * 255.0 + 0.5) as fn(f32) -> f32,
            ),
            (Ramp::Diverging, |t: f32| t * 127.5 + 128.0),
        ] {
            let table = lut(ramp);
            let mut out = Vec::new();
            paint([row.as_slice()].into_iter(), ramp, Some(1.0), &mut out);
            assert_eq!(out.len(), row.len() * 4);
            for (px, v) in out.chunks_exact(4).zip(&row) {
                let want = table[index(*v).clamp(0.0, 255.0) as usize];
                assert_eq!(px, want, "{ramp:?} {v}");
            }
            paint([row.as_slice()].into_iter(), ramp, None, &mut out);
            assert!(out.iter().all(|b| *b == 0));
        }
    }
}
