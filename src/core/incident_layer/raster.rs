//! Pixel work: integer rectangles, per-tile buckets and the blending loops.
//!
//! Units: device px of the frame (origin top-left, y down); pixel `(x, y)`
//! covers `[x, x+1) × [y, y+1)`, its centre is `(x + 0.5, y + 0.5)`. Buffers are
//! RGBA, 4 bytes a pixel, non-premultiplied, alpha 255.

use super::TILE_PX;
use super::sprites::Image;

/// Half-open integer rectangle `[x0, x1) × [y0, y1)`, device px.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct IRect {
    pub x0: i64,
    pub y0: i64,
    pub x1: i64,
    pub y1: i64,
}

impl IRect {
    pub fn frame(w: u32, h: u32) -> IRect {
        IRect {
            x0: 0,
            y0: 0,
            x1: i64::from(w),
            y1: i64::from(h),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.x0 >= self.x1 || self.y0 >= self.y1
    }

    pub fn intersect(&self, o: &IRect) -> IRect {
        IRect {
            x0: self.x0.max(o.x0),
            y0: self.y0.max(o.y0),
            x1: self.x1.min(o.x1),
            y1: self.y1.min(o.y1),
        }
    }

    pub fn offset(&self, dx: i64, dy: i64) -> IRect {
        IRect {
            x0: self.x0.saturating_add(dx),
            y0: self.y0.saturating_add(dy),
            x1: self.x1.saturating_add(dx),
            y1: self.y1.saturating_add(dy),
        }
    }

    /// Tile columns and rows `[c0, c1) × [r0, r1)` this (non-empty, in-frame) rectangle touches.
    pub fn tile_span(&self) -> (i64, i64, i64, i64) {
        let t = i64::from(TILE_PX);
        (
            self.x0.div_euclid(t),
            self.y0.div_euclid(t),
            (self.x1 - 1).div_euclid(t) + 1,
            (self.y1 - 1).div_euclid(t) + 1,
        )
    }
}

/// Items per tile in compressed form: the items of tile `t` are
/// `items[start[t]..start[t + 1]]`, in the order they were given.
#[derive(Clone, Debug, Default)]
pub(super) struct Buckets {
    start: Vec<usize>,
    items: Vec<u32>,
}

impl Buckets {
    /// `each(i, emit)` calls `emit(tile)` once for every tile item `i` touches.
    pub fn build(
        n_tiles: usize,
        n_items: usize,
        mut each: impl FnMut(usize, &mut dyn FnMut(usize)),
    ) -> Buckets {
        let mut start = vec![0usize; n_tiles + 1];
        for i in 0..n_items {
            each(i, &mut |t| {
                if let Some(c) = start.get_mut(t + 1) {
                    *c += 1;
                }
            });
        }
        for t in 0..n_tiles {
            let prev = start.get(t).copied().unwrap_or(0);
            if let Some(c) = start.get_mut(t + 1) {
                *c += prev;
            }
        }
        let total = start.last().copied().unwrap_or(0);
        let mut items = vec![0u32; total];
        let mut cursor = start.clone();
        for i in 0..n_items {
            let id = u32::try_from(i).unwrap_or(u32::MAX);
            each(i, &mut |t| {
                if let Some(c) = cursor.get_mut(t) {
                    if let Some(slot) = items.get_mut(*c) {
                        *slot = id;
                    }
                    *c += 1;
                }
            });
        }
        Buckets { start, items }
    }

    /// Item indices of tile `t` (empty for an unknown tile).
    pub fn of(&self, t: usize) -> &[u32] {
        match (self.start.get(t), self.start.get(t + 1)) {
            (Some(&a), Some(&b)) => self.items.get(a..b).unwrap_or(&[]),
            _ => &[],
        }
    }
}

/// A destination buffer covering `rect` of the frame (row-major RGBA).
pub(super) struct Canvas<'a> {
    pub buf: &'a mut [u8],
    pub rect: IRect,
}

impl Canvas<'_> {
    /// Bytes of frame pixels `[x0, x1)` on frame row `y`, if all inside the buffer.
    #[inline(always)]
    fn row(&mut self, y: i64, x0: i64, x1: i64) -> Option<&mut [u8]> {
        let r = self.rect;
        if y < r.y0 || y >= r.y1 || x0 < r.x0 || x1 > r.x1 || x0 > x1 {
            return None;
        }
        let w = r.x1 - r.x0;
        let start = usize::try_from(((y - r.y0) * w + (x0 - r.x0)) * 4).ok()?;
        let end = usize::try_from(((y - r.y0) * w + (x1 - r.x0)) * 4).ok()?;
        self.buf.get_mut(start..end)
    }
}

/// `round(x / 255)` for `x <= 65535`.
#[inline(always)]
fn div255(x: u32) -> u32 {
    let x = x + 128;
    (x + (x >> 8)) >> 8
}

/// Blend a solid colour with alpha `a` (0..=255) over one pixel.
#[inline(always)]
fn blend_px(px: &mut [u8], rgb: [u8; 3], a: u32) {
    if let [r, g, b, alpha] = px {
        let a = a.min(255);
        if *alpha != 255 {
            let [cr, cg, cb] = rgb;
            let s = [cr, cg, cb].map(|c| div255(u32::from(c) * a));
            over_translucent(px, [s[0], s[1], s[2], a]);
            return;
        }
        let inv = 255 - a;
        let [cr, cg, cb] = rgb;
        *r = div255(u32::from(*r) * inv + u32::from(cr) * a).min(255) as u8;
        *g = div255(u32::from(*g) * inv + u32::from(cg) * a).min(255) as u8;
        *b = div255(u32::from(*b) * inv + u32::from(cb) * a).min(255) as u8;
    }
}

/// `(255 << 16) / a` for `a` in 1..=255 (0 for 0): un-premultiplying by a multiply.
const RECIP: [u32; 256] = {
    let mut t = [0u32; 256];
    let mut rest: &mut [u32] = &mut t;
    let mut a = 0u32;
    while let [r, tail @ ..] = rest {
        if let Some(q) = (255u32 << 16).checked_div(a) {
            *r = q;
        }
        rest = tail;
        a += 1;
    }
    t
};

/// Premultiplied `s` (`[r, g, b, a]`, 0..=255) over a pixel that is not opaque
/// (stored straight, as `putImageData` takes it): the general "over", used when
/// the frame has a transparent background (an overlay above the map).
#[inline(always)]
fn over_translucent(px: &mut [u8], s: [u32; 4]) {
    let [sr, sg, sb, sa] = s;
    if let [r, g, b, alpha] = px {
        if *alpha == 0 {
            // Nothing below: the source, un-premultiplied.
            // `sa.min(255)` indexes a 256-entry table: the check folds away.
            let k = RECIP.get(sa.min(255) as usize).copied().unwrap_or(0);
            let un = |c: u32| ((c * k + (1 << 15)) >> 16).min(255) as u8;
            (*r, *g, *b, *alpha) = (un(sr), un(sg), un(sb), sa.min(255) as u8);
            return;
        }
        let da = div255(u32::from(*alpha) * (255 - sa.min(255)));
        let out_a = sa + da;
        if out_a == 0 {
            return;
        }
        let mix =
            |s: u32, d: u8| ((s * 255 + u32::from(d) * da + out_a / 2) / out_a).min(255) as u8;
        *r = mix(sr, *r);
        *g = mix(sg, *g);
        *b = mix(sb, *b);
        *alpha = out_a.min(255) as u8;
    }
}

/// A placed sprite: image `image` with its top-left corner at frame px `(x, y)`,
/// drawn with opacity `alpha` (0..=255).
#[derive(Clone, Copy, Debug)]
pub(super) struct Sprite {
    pub x: i64,
    pub y: i64,
    pub image: u16,
    pub alpha: u8,
}

impl Sprite {
    /// Frame px box of its non-transparent pixels.
    pub fn bounds(&self, img: &Image) -> IRect {
        let [x0, y0, x1, y1] = img.tight;
        IRect { x0, y0, x1, y1 }.offset(self.x, self.y)
    }

    /// Draw the part inside `clip`.
    pub fn draw(&self, img: &Image, canvas: &mut Canvas, clip: &IRect) {
        let r = self.bounds(img).intersect(clip);
        if r.is_empty() || self.alpha == 0 {
            return;
        }
        let m = u32::from(self.alpha);
        for y in r.y0..r.y1 {
            let iy = y - self.y;
            let Some(span) = img.spans.get(usize::try_from(iy).unwrap_or(usize::MAX)) else {
                continue;
            };
            // This row's pixels, frame px.
            let x0 = r.x0.max(self.x + span.x0);
            let x1 = r.x1.min(self.x + span.x1);
            if x0 >= x1 {
                continue;
            }
            let src = img.row(iy, x0 - self.x, x1 - self.x);
            let (Some(src), Some(dst)) = (src, canvas.row(y, x0, x1)) else {
                continue;
            };
            if m == 255 {
                // Blend the edges, copy the opaque middle.
                let o0 = (self.x + span.o0).clamp(x0, x1);
                let o1 = (self.x + span.o1).clamp(o0, x1);
                let (a, b) = ((o0 - x0) as usize, (o1 - x0) as usize);
                let (s_head, s_rest) = src.split_at(a.min(src.len()));
                let (s_mid, s_tail) = s_rest.split_at(b.saturating_sub(a).min(s_rest.len()));
                let (d_head, d_rest) = dst.split_at_mut((s_head.len() * 4).min(dst.len()));
                let (d_mid, d_tail) = d_rest.split_at_mut((s_mid.len() * 4).min(d_rest.len()));
                blend_row_opaque(d_head, s_head);
                let s_mid = s_mid.as_flattened();
                if s_mid.len() == d_mid.len() {
                    d_mid.copy_from_slice(s_mid);
                }
                blend_row_opaque(d_tail, s_tail);
            } else {
                blend_row(dst, src, m);
            }
        }
    }
}

/// Premultiplied `src` over `dst` at full opacity.
fn blend_row_opaque(dst: &mut [u8], src: &[[u8; 4]]) {
    for (d, s) in dst.as_chunks_mut::<4>().0.iter_mut().zip(src) {
        let [sr, sg, sb, sa] = *s;
        if sa == 0 {
            continue;
        }
        if d[3] != 255 {
            over_translucent(d, s.map(u32::from));
            continue;
        }
        let [r, g, b, _] = d;
        if sa == 255 {
            (*r, *g, *b) = (sr, sg, sb);
        } else {
            let inv = 255 - u32::from(sa);
            *r = (div255(u32::from(*r) * inv) + u32::from(sr)).min(255) as u8;
            *g = (div255(u32::from(*g) * inv) + u32::from(sg)).min(255) as u8;
            *b = (div255(u32::from(*b) * inv) + u32::from(sb)).min(255) as u8;
        }
    }
}

/// Premultiplied `src` scaled by `m / 255` over `dst`.
fn blend_row(dst: &mut [u8], src: &[[u8; 4]], m: u32) {
    for (d, s) in dst.as_chunks_mut::<4>().0.iter_mut().zip(src) {
        let [sr, sg, sb, sa] = *s;
        if sa == 0 {
            continue;
        }
        if d[3] != 255 {
            over_translucent(d, s.map(|c| div255(u32::from(c) * m)));
            continue;
        }
        let inv = 255 - div255(u32::from(sa) * m).min(255);
        let [r, g, b, _] = d;
        *r = (div255(u32::from(*r) * inv) + div255(u32::from(sr) * m)).min(255) as u8;
        *g = (div255(u32::from(*g) * inv) + div255(u32::from(sg) * m)).min(255) as u8;
        *b = (div255(u32::from(*b) * inv) + div255(u32::from(sb) * m)).min(255) as u8;
    }
}

/// A density cell: a solid square with its top-left corner at frame px `(x, y)`.
#[derive(Clone, Copy, Debug)]
pub(super) struct Cell {
    pub x: i64,
    pub y: i64,
    pub rgb: [u8; 3],
    pub alpha: u8,
    /// Index of the most important mark binned here (for picking).
    pub rep: u32,
}

impl Cell {
    pub fn bounds(&self, side: i64) -> IRect {
        IRect {
            x0: self.x,
            y0: self.y,
            x1: self.x.saturating_add(side),
            y1: self.y.saturating_add(side),
        }
    }

    pub fn draw(&self, side: i64, canvas: &mut Canvas, clip: &IRect) {
        let r = self.bounds(side).intersect(clip);
        if r.is_empty() {
            return;
        }
        let a = u32::from(self.alpha);
        for y in r.y0..r.y1 {
            if let Some(dst) = canvas.row(y, r.x0, r.x1) {
                for d in dst.chunks_exact_mut(4) {
                    blend_px(d, self.rgb, a);
                }
            }
        }
    }
}

/// An anti-aliased straight stroke from `a` to `b` (frame device px), round caps.
#[derive(Clone, Copy, Debug)]
pub(super) struct Segment {
    pub a: (f32, f32),
    pub b: (f32, f32),
    /// Half the stroke width, px.
    pub half_width: f32,
    pub rgb: [u8; 3],
    pub alpha: u8,
}

impl Segment {
    /// How far from the centre line a pixel centre may be and still be touched, px.
    fn reach(&self) -> f32 {
        self.half_width + 1.0
    }

    pub fn bounds(&self) -> IRect {
        let m = self.reach();
        IRect {
            x0: (self.a.0.min(self.b.0) - m).floor() as i64,
            y0: (self.a.1.min(self.b.1) - m).floor() as i64,
            x1: (self.a.0.max(self.b.0) + m).ceil() as i64 + 1,
            y1: (self.a.1.max(self.b.1) + m).ceil() as i64 + 1,
        }
    }

    /// Calls `emit` for every tile (row-major index in a grid of `cols × rows`)
    /// the stroke may touch, walking it band by band.
    pub fn tiles(&self, frame: &IRect, cols: i64, rows: i64, emit: &mut dyn FnMut(usize)) {
        let b = self.bounds().intersect(frame);
        if b.is_empty() {
            return;
        }
        let (_, r0, _, r1) = b.tile_span();
        let t = TILE_PX as f32;
        let m = self.reach() + 1.0;
        let (dx, dy) = (self.b.0 - self.a.0, self.b.1 - self.a.1);
        for row in r0.max(0)..r1.min(rows) {
            // The stroke's x extent within this band (grown by the reach).
            let (lo, hi) = (row as f32 * t - m, (row + 1) as f32 * t + m);
            let (mut t0, mut t1) = (0.0f32, 1.0f32);
            if dy.abs() > f32::EPSILON {
                let (ta, tb) = ((lo - self.a.1) / dy, (hi - self.a.1) / dy);
                t0 = t0.max(ta.min(tb));
                t1 = t1.min(ta.max(tb));
            } else if self.a.1 < lo || self.a.1 > hi {
                continue;
            }
            if t0 > t1 {
                continue;
            }
            let (xa, xb) = (self.a.0 + dx * t0, self.a.0 + dx * t1);
            let band = IRect {
                x0: (xa.min(xb) - m).floor() as i64,
                y0: row * i64::from(TILE_PX),
                x1: (xa.max(xb) + m).ceil() as i64 + 1,
                y1: (row + 1) * i64::from(TILE_PX),
            }
            .intersect(&b);
            if band.is_empty() {
                continue;
            }
            let (c0, _, c1, _) = band.tile_span();
            for col in c0.max(0)..c1.min(cols) {
                if let Ok(i) = usize::try_from(row * cols + col) {
                    emit(i);
                }
            }
        }
    }

    pub fn draw(&self, canvas: &mut Canvas, clip: &IRect) {
        let r = self.bounds().intersect(clip);
        let (ax, ay) = self.a;
        let (dx, dy) = (self.b.0 - ax, self.b.1 - ay);
        let len2 = dx * dx + dy * dy;
        if r.is_empty() || len2 <= 1e-6 || self.alpha == 0 {
            return;
        }
        let len = len2.sqrt();
        let reach = self.reach();
        let edge = self.half_width + 0.5;
        let alpha = f32::from(self.alpha);
        for y in r.y0..r.y1 {
            let py = y as f32 + 0.5;
            // Pixel centres within `reach` of the infinite line, on this row.
            let (x0, x1) = if dy.abs() > 1e-3 {
                let xc = ax + (py - ay) * dx / dy;
                let half = reach * len / dy.abs();
                (
                    ((xc - half).floor() as i64).max(r.x0),
                    ((xc + half).ceil() as i64 + 1).min(r.x1),
                )
            } else {
                (r.x0, r.x1)
            };
            if x0 >= x1 {
                continue;
            }
            let Some(dst) = canvas.row(y, x0, x1) else {
                continue;
            };
            let ey = py - ay;
            for (k, d) in dst.chunks_exact_mut(4).enumerate() {
                let ex = (x0 + k as i64) as f32 + 0.5 - ax;
                let t = ((ex * dx + ey * dy) / len2).clamp(0.0, 1.0);
                let (qx, qy) = (ex - t * dx, ey - t * dy);
                let cov = (edge - (qx * qx + qy * qy).sqrt()).clamp(0.0, 1.0);
                if cov > 0.0 {
                    blend_px(d, self.rgb, (cov * alpha + 0.5) as u32);
                }
            }
        }
    }
}

/// Clip segment `a`–`b` to `r` (Liang–Barsky); `None` if nothing is inside or
/// a coordinate is not finite.
pub(super) fn clip_segment(
    a: (f64, f64),
    b: (f64, f64),
    r: [f64; 4],
) -> Option<((f64, f64), (f64, f64))> {
    if ![a.0, a.1, b.0, b.1].iter().all(|v| v.is_finite()) {
        return None;
    }
    let [x0, y0, x1, y1] = r;
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-dx, a.0 - x0),
        (dx, x1 - a.0),
        (-dy, a.1 - y0),
        (dy, y1 - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    (t0 <= t1).then_some((
        (a.0 + dx * t0, a.1 + dy * t0),
        (a.0 + dx * t1, a.1 + dy * t1),
    ))
}

#[cfg(test)]
mod tests {
    use super::RECIP;

    #[test]
    fn recip_is_the_quotient_table() {
        assert_eq!(RECIP[0], 0);
        for a in 1..256u32 {
            assert_eq!(RECIP[a as usize], (255 << 16) / a, "a = {a}");
        }
    }
}
