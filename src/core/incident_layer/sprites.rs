//! Anti-aliased sprite images: one premultiplied RGBA image per
//! (glyph, severity, open/closed) and device pixel ratio, rendered on first
//! use and kept in a small per-thread memo (about 1 MB at dpr 2).
//!
//! Units: device px. A glyph is described by a 1-Lipschitz signed distance
//! field (negative inside) around the sprite centre, y down. Coverage is
//! supersampled 4×4 only where a pixel is within one pixel of an edge;
//! elsewhere the pixel centre decides.

use super::{OUTLINE_RGB, Shape, severity_rgb};
use crate::incident::Severity;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

/// Outline (dark halo) width, CSS px.
const OUTLINE_CSS: f64 = 1.5;
/// Width of the severity-coloured ring of a closed (hollow) sprite, CSS px.
const RING_CSS: f64 = 1.75;
/// Width of the dark band inside that ring, CSS px.
const INNER_DARK_CSS: f64 = 0.75;
/// Radius of a track fix dot's fill, CSS px.
const DOT_RADIUS_CSS: f64 = 2.0;
/// Outline width of a track fix dot, CSS px.
const DOT_OUTLINE_CSS: f64 = 0.75;
/// Largest device pixel ratio the sprite sizes follow (bounds the image sizes).
pub(super) const MAX_SPRITE_DPR: f64 = 8.0;
/// Sub-samples per axis on edge pixels.
const SUB: usize = 4;

/// What a sprite image shows: a mark's shape, or a track fix dot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Glyph {
    Shape(Shape),
    Dot,
}

impl Glyph {
    const COUNT: usize = 7;

    fn index(self) -> usize {
        match self {
            Glyph::Shape(s) => s as usize,
            Glyph::Dot => 6,
        }
    }
}

/// Nominal sprite size of a severity, CSS px (see [`super::sprite_size_css`]).
pub(super) fn size_css(sev: Severity) -> f64 {
    match sev.get() {
        0..=2 => 14.0,
        3 => 16.0,
        _ => 19.0,
    }
}

/// Convex polygon as at most four outward half-planes `n·p - d` (unit normals).
#[derive(Clone, Copy, Debug)]
struct Convex {
    planes: [[f32; 3]; 4],
    n: usize,
}

impl Convex {
    /// From vertices in either winding order (3 or 4 of them).
    fn polygon(v: &[(f32, f32)]) -> Convex {
        let mut planes = [[0.0f32; 3]; 4];
        let count = v.len().min(4);
        let (sx, sy) = v
            .iter()
            .take(count)
            .fold((0.0, 0.0), |(x, y), p| (x + p.0, y + p.1));
        let c = (sx / count.max(1) as f32, sy / count.max(1) as f32);
        for (i, plane) in planes.iter_mut().enumerate().take(count) {
            let (Some(p), Some(q)) = (v.get(i), v.get((i + 1) % count)) else {
                continue;
            };
            let (ex, ey) = (q.0 - p.0, q.1 - p.1);
            let len = (ex * ex + ey * ey).sqrt().max(f32::MIN_POSITIVE);
            let (mut nx, mut ny) = (ey / len, -ex / len);
            let mut d = nx * p.0 + ny * p.1;
            if nx * c.0 + ny * c.1 > d {
                (nx, ny, d) = (-nx, -ny, -d);
            }
            *plane = [nx, ny, d];
        }
        Convex { planes, n: count }
    }

    /// Axis-aligned rectangle with half-extents `hx`, `hy` around the origin.
    fn rect(hx: f32, hy: f32) -> Convex {
        Convex::polygon(&[(-hx, -hy), (hx, -hy), (hx, hy), (-hx, hy)])
    }

    fn eval(&self, x: f32, y: f32) -> f32 {
        self.planes
            .iter()
            .take(self.n)
            .fold(f32::NEG_INFINITY, |m, p| m.max(p[0] * x + p[1] * y - p[2]))
    }
}

/// Signed distance field of a glyph (device px, negative inside).
#[derive(Clone, Copy, Debug)]
enum Field {
    Convex(Convex),
    Union(Convex, Convex),
    Disc(f32),
}

impl Field {
    fn eval(&self, x: f32, y: f32) -> f32 {
        match self {
            Field::Convex(c) => c.eval(x, y),
            Field::Union(a, b) => a.eval(x, y).min(b.eval(x, y)),
            Field::Disc(r) => (x * x + y * y).sqrt() - r,
        }
    }
}

/// The glyph's field for a nominal radius `r` (device px) and its farthest
/// point from the centre in units of `r`.
fn field(glyph: Glyph, r: f32) -> (Field, f32) {
    let poly = |v: &[(f32, f32)]| {
        let scaled: Vec<(f32, f32)> = v.iter().map(|(x, y)| (x * r, y * r)).collect();
        Field::Convex(Convex::polygon(&scaled))
    };
    match glyph {
        // Centroid at the centre: apex up (a bow), base below.
        Glyph::Shape(Shape::TriangleUp) => (poly(&[(0.0, -1.2), (1.05, 0.6), (-1.05, 0.6)]), 1.2),
        Glyph::Shape(Shape::TriangleDown) => {
            (poly(&[(0.0, 1.2), (1.05, -0.6), (-1.05, -0.6)]), 1.2)
        }
        Glyph::Shape(Shape::Diamond) => (
            poly(&[(0.0, -1.2), (1.2, 0.0), (0.0, 1.2), (-1.2, 0.0)]),
            1.2,
        ),
        Glyph::Shape(Shape::Square) => (Field::Convex(Convex::rect(0.85 * r, 0.85 * r)), 1.21),
        Glyph::Shape(Shape::Circle) => (Field::Disc(0.95 * r), 0.95),
        Glyph::Shape(Shape::Cross) => (
            Field::Union(
                Convex::rect(1.05 * r, 0.36 * r),
                Convex::rect(0.36 * r, 1.05 * r),
            ),
            1.12,
        ),
        Glyph::Dot => (Field::Disc(r), 1.0),
    }
}

/// Nominal radius and outline width of a glyph at a severity, device px.
fn metrics(glyph: Glyph, sev: Severity, dpr: f64) -> (f64, f64) {
    let dpr = sprite_dpr(dpr);
    match glyph {
        Glyph::Dot => (DOT_RADIUS_CSS * dpr, DOT_OUTLINE_CSS * dpr),
        Glyph::Shape(_) => (size_css(sev) / 2.0 * dpr, OUTLINE_CSS * dpr),
    }
}

/// The device pixel ratio sprite sizes follow: `dpr` within `(0, MAX_SPRITE_DPR]`.
pub(super) fn sprite_dpr(dpr: f64) -> f64 {
    if dpr.is_finite() && dpr > 0.0 {
        dpr.min(MAX_SPRITE_DPR)
    } else {
        1.0
    }
}

/// Half the side of the square image of a glyph, device px (whole px).
fn half_side(rho: f64, r: f64, outline: f64) -> i64 {
    // Mitred outline corners reach at most 2 outlines out (60° apex).
    (rho * r + 2.5 * outline + 1.5).ceil().clamp(1.0, 4096.0) as i64
}

/// Half side of the largest sprite image at this dpr, device px: the margin
/// around the frame within which a mark can still show.
pub(super) fn max_half_side(dpr: f64) -> i64 {
    let five = Severity::new(5).map_or(19.0, size_css);
    half_side(
        1.21,
        five / 2.0 * sprite_dpr(dpr),
        OUTLINE_CSS * sprite_dpr(dpr),
    )
}

/// One premultiplied RGBA sprite image (device px, row-major, square).
#[derive(Clone, Debug)]
pub(super) struct Image {
    /// Side length, px.
    pub side: i64,
    /// Offset from the sprite centre to the image's top-left corner is `-half`.
    pub half: i64,
    /// Tight box of the non-transparent pixels, image px `[x0, y0, x1, y1)`.
    pub tight: [i64; 4],
    /// Premultiplied `[r, g, b, a]`, `side * side` entries.
    pub px: Vec<[u8; 4]>,
    /// Per row: the non-transparent pixels `[x0, x1)` and, within them, the
    /// longest run of opaque ones `[o0, o1)` (empty: `o0 == o1`), image px.
    pub spans: Vec<Span>,
}

/// See [`Image::spans`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Span {
    pub x0: i64,
    pub x1: i64,
    pub o0: i64,
    pub o1: i64,
}

impl Span {
    fn of(row: &[[u8; 4]]) -> Span {
        let x0 = row.iter().position(|p| p[3] > 0).unwrap_or(0);
        let x1 = row.iter().rposition(|p| p[3] > 0).map_or(0, |i| i + 1);
        let (mut best, mut run_start) = ((0, 0), None);
        for (i, p) in row.iter().enumerate().chain([(row.len(), &[0u8; 4])]) {
            match (p[3] == 255, run_start) {
                (true, None) => run_start = Some(i),
                (false, Some(s)) => {
                    if i - s > best.1 - best.0 {
                        best = (s, i);
                    }
                    run_start = None;
                }
                _ => {}
            }
        }
        Span {
            x0: x0 as i64,
            x1: x1 as i64,
            o0: best.0 as i64,
            o1: best.1 as i64,
        }
    }
}

impl Image {
    /// Pixels `[x0, x1)` of row `y`, if inside the image.
    pub fn row(&self, y: i64, x0: i64, x1: i64) -> Option<&[[u8; 4]]> {
        if y < 0 || y >= self.side || x0 < 0 || x1 > self.side || x0 > x1 {
            return None;
        }
        let start = usize::try_from(y * self.side + x0).ok()?;
        let end = usize::try_from(y * self.side + x1).ok()?;
        self.px.get(start..end)
    }
}

/// Which layer a point of a glyph belongs to, top layer first.
fn classify(sd: f32, levels: &Levels) -> u8 {
    if sd < levels.colour_out && sd >= levels.colour_in {
        2
    } else if sd < levels.dark_out && sd >= levels.dark_in {
        1
    } else {
        0
    }
}

/// Distance thresholds of the layers: colour where `colour_in <= sd < colour_out`,
/// else dark where `dark_in <= sd < dark_out`.
struct Levels {
    colour_in: f32,
    colour_out: f32,
    dark_in: f32,
    dark_out: f32,
}

impl Levels {
    fn near_edge(&self, sd: f32) -> bool {
        [self.colour_in, self.colour_out, self.dark_in, self.dark_out]
            .iter()
            .any(|l| (sd - l).abs() <= 0.75)
    }
}

/// Render one sprite image.
fn build(glyph: Glyph, sev: Severity, hollow: bool, dpr: f64) -> Image {
    let (r, outline) = metrics(glyph, sev, dpr);
    let (f, rho) = field(glyph, r as f32);
    let half = half_side(f64::from(rho), r, outline);
    let side = half * 2;
    let o = outline as f32;
    let levels = if hollow {
        let ring = (RING_CSS * sprite_dpr(dpr)) as f32;
        let inner = (INNER_DARK_CSS * sprite_dpr(dpr)) as f32;
        Levels {
            colour_in: -ring,
            colour_out: 0.0,
            dark_in: -(ring + inner),
            dark_out: o,
        }
    } else {
        Levels {
            colour_in: f32::NEG_INFINITY,
            colour_out: 0.0,
            dark_in: f32::NEG_INFINITY,
            dark_out: o,
        }
    };
    let colour = severity_rgb(sev);
    let n = usize::try_from(side * side).unwrap_or(0);
    let mut px = vec![[0u8; 4]; n];
    let mut tight = [side, side, 0, 0];
    let halff = half as f32;
    let total = (SUB * SUB) as u32;
    for (k, p) in px.iter_mut().enumerate() {
        let (ix, iy) = ((k as i64) % side.max(1), (k as i64) / side.max(1));
        let cx = ix as f32 + 0.5 - halff;
        let cy = iy as f32 + 0.5 - halff;
        let sd = f.eval(cx, cy);
        let (mut n_col, mut n_dark) = (0u32, 0u32);
        if levels.near_edge(sd) {
            for sy in 0..SUB {
                for sx in 0..SUB {
                    let ox = (sx as f32 + 0.5) / SUB as f32 - 0.5;
                    let oy = (sy as f32 + 0.5) / SUB as f32 - 0.5;
                    match classify(f.eval(cx + ox, cy + oy), &levels) {
                        2 => n_col += 1,
                        1 => n_dark += 1,
                        _ => {}
                    }
                }
            }
        } else {
            match classify(sd, &levels) {
                2 => n_col = total,
                1 => n_dark = total,
                _ => {}
            }
        }
        if n_col + n_dark == 0 {
            continue;
        }
        let ch = |c: u8, d: u8| {
            let v = (n_col * u32::from(c) + n_dark * u32::from(d) + total / 2) / total;
            v.min(255) as u8
        };
        let [cr, cg, cb] = colour;
        let [dr, dg, db] = OUTLINE_RGB;
        let a = ((n_col + n_dark) * 255 + total / 2) / total;
        *p = [ch(cr, dr), ch(cg, dg), ch(cb, db), a.min(255) as u8];
        tight = [
            tight[0].min(ix),
            tight[1].min(iy),
            tight[2].max(ix + 1),
            tight[3].max(iy + 1),
        ];
    }
    if tight[0] >= tight[2] {
        tight = [0, 0, 0, 0];
    }
    let spans = px
        .chunks_exact(usize::try_from(side).unwrap_or(1).max(1))
        .map(Span::of)
        .collect();
    Image {
        side,
        half,
        tight,
        px,
        spans,
    }
}

/// Most images the per-thread cache keeps (about four device pixel ratios' worth).
const CACHE_MAX: usize = 4 * Glyph::COUNT * 5 * 2;

type CacheKey = (u64, usize, u8, bool);

thread_local! {
    /// Images already rendered, by (dpr bits, glyph, severity, hollow): a pure
    /// memo, so that planning a frame rarely renders a sprite.
    static CACHE: RefCell<HashMap<CacheKey, Arc<Image>>> = RefCell::new(HashMap::new());
}

/// The image for this combination, from the cache or rendered now.
fn cached(dpr: f64, glyph: Glyph, sev: Severity, hollow: bool) -> Arc<Image> {
    let key = (sprite_dpr(dpr).to_bits(), glyph.index(), sev.get(), hollow);
    let hit = CACHE.with(|c| c.borrow().get(&key).cloned());
    if let Some(img) = hit {
        return img;
    }
    let img = Arc::new(build(glyph, sev, hollow, dpr));
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= CACHE_MAX {
            c.clear();
        }
        c.insert(key, Arc::clone(&img));
    });
    img
}

/// The sprite images one plan uses, for one device pixel ratio.
#[derive(Clone, Debug, Default)]
pub(super) struct ImageSet {
    dpr: f64,
    /// Index into `images` by `[glyph][severity - 1][hollow]`.
    lookup: [[[Option<u16>; 2]; 5]; Glyph::COUNT],
    images: Vec<Arc<Image>>,
    /// Per image: a key that names its look across plans (glyph, severity, hollow, dpr).
    keys: Vec<u64>,
}

impl ImageSet {
    pub fn new(dpr: f64) -> ImageSet {
        ImageSet {
            dpr,
            ..ImageSet::default()
        }
    }

    /// The image id for this combination.
    pub fn id(&mut self, glyph: Glyph, sev: Severity, hollow: bool) -> Option<u16> {
        let sev_i = usize::from(sev.get().saturating_sub(1));
        let slot = self
            .lookup
            .get_mut(glyph.index())?
            .get_mut(sev_i)?
            .get_mut(usize::from(hollow))?;
        if let Some(id) = *slot {
            return Some(id);
        }
        let id = u16::try_from(self.images.len()).ok()?;
        self.images.push(cached(self.dpr, glyph, sev, hollow));
        let look = (glyph.index() as u64) << 8 | u64::from(sev.get()) << 1 | u64::from(hollow);
        self.keys
            .push(sprite_dpr(self.dpr).to_bits().rotate_left(16) ^ look);
        *slot = Some(id);
        Some(id)
    }

    pub fn get(&self, id: u16) -> Option<&Image> {
        self.images.get(usize::from(id)).map(|i| &**i)
    }

    /// A key for image `id` that is the same in every plan that draws the same image.
    pub fn key(&self, id: u16) -> u64 {
        self.keys.get(usize::from(id)).copied().unwrap_or(u64::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sprite cache is capped (issue 15, item 6): whatever device pixel ratios come (a
    /// browser zoomed step by step), it never holds more than [`CACHE_MAX`] images.
    #[test]
    fn the_sprite_cache_never_passes_its_cap() {
        for step in 0..400 {
            let dpr = 0.5 + f64::from(step) * 0.02;
            for sev in 1..=5 {
                let sev = Severity::new(sev).unwrap();
                cached(dpr, Glyph::Dot, sev, step % 2 == 0);
                let held = CACHE.with(|c| c.borrow().len());
                assert!(held <= CACHE_MAX, "{held} images held at dpr {dpr}");
            }
        }
    }
}
