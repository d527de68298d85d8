//! The incident layer's own copy of the canvas: the map underneath (the
//! background) and the same pixels with the current plan drawn on top, kept
//! between frames so a new plan costs only the pixels the old and the new
//! plan touch, plus the upload of the rectangles that changed.
//!
//! Units: device px of the frame (origin top-left, y down). Buffers are RGBA,
//! 4 bytes a pixel, row-major, non-premultiplied, alpha 255 (what canvas
//! `getImageData` gives and `putImageData` takes). Change tracking works on a
//! grid of [`DIRTY_TILE_PX`]-square tiles.

use super::raster::{Buckets, Canvas, IRect};
use super::{MAX_FRAME_AREA_PX, MAX_FRAME_SIDE_PX, Plan, TileRect};

/// Side of a change-tracking tile, device px.
pub const DIRTY_TILE_PX: u32 = 64;

/// Dirty tiles a row apart by at most this many clean ones are uploaded as
/// one rectangle (fewer `putImageData` calls for a few more pixels).
const MERGE_GAP_TILES: usize = 2;

/// The background and the background-plus-incidents of one frame size.
///
/// [`Frame::draw`] sorts the new plan's items into [`DIRTY_TILE_PX`] tiles and
/// keys each tile by what is drawn in it (every item's position, size, colour,
/// opacity and image); only tiles whose key changed are repainted (background
/// back, then the tile's items in draw order, clipped to it) and uploaded. A
/// redraw of unchanged incidents touches no pixel; a change repaints the tiles
/// around it; a new frame paints every tile that holds something.
#[derive(Clone, Debug, Default)]
pub struct Frame {
    width: u32,
    height: u32,
    background: Vec<u8>,
    pixels: Vec<u8>,
    /// Per tile (row-major): key of the items drawn in it, 0 for none (background only).
    keys: Vec<u64>,
    /// Scratch for the new keys.
    next: Vec<u64>,
    /// Tiles repainted by the last draw.
    repainted: usize,
}

/// Tile key of a tile that held incidents before [`Frame::forget`]: its pixels
/// are the background already, but it must be uploaded.
const FORGOTTEN: u64 = 1;

/// Golden-ratio multiplier for the tile keys.
const MIX: u64 = 0x9E37_79B9_7F4A_7C15;

/// Fold item key `k` (never 0) into tile key `h`.
#[inline(always)]
fn mix(h: u64, k: u64) -> u64 {
    // Odd, so never 0 ("nothing here"); FORGOTTEN is odd too, at odds of 2^-63.
    (h.rotate_left(23) ^ k).wrapping_mul(MIX) | 1
}

/// An item key from two words and a kind tag (never 0).
#[inline(always)]
fn item_key(a: u64, b: u64, tag: u64) -> u64 {
    (a.wrapping_mul(MIX).rotate_left(31) ^ b ^ (tag << 61)) | 1
}

/// Two 32-bit halves in one word.
#[inline(always)]
fn pair(lo: u32, hi: u32) -> u64 {
    u64::from(lo) | u64::from(hi) << 32
}

impl Frame {
    /// A frame of `width × height` device px over `background` (RGBA of that
    /// size; missing pixels read as opaque black, extra bytes are dropped). A
    /// size beyond [`MAX_FRAME_SIDE_PX`] or [`MAX_FRAME_AREA_PX`] gives an empty
    /// (0 × 0) frame.
    pub fn new(mut background: Vec<u8>, width: u32, height: u32) -> Frame {
        let area = u64::from(width) * u64::from(height);
        let n = if width > MAX_FRAME_SIDE_PX
            || height > MAX_FRAME_SIDE_PX
            || area > MAX_FRAME_AREA_PX
        {
            None
        } else {
            usize::try_from(area * 4).ok()
        };
        let Some(n) = n else {
            return Frame::default();
        };
        background.truncate(n);
        background.truncate(background.len() - background.len() % 4);
        while background.len() < n {
            background.extend_from_slice(&[0, 0, 0, 255]);
        }
        Frame {
            width,
            height,
            pixels: background.clone(),
            background,
            keys: Vec::new(),
            next: Vec::new(),
            repainted: 0,
        }
    }

    /// Frame size `(width, height)`, device px.
    pub fn size(&self) -> (u32, u32) {
        (self.width, self.height)
    }

    /// The frame's pixels: the background with the last drawn plan on top.
    pub fn pixels(&self) -> &[u8] {
        &self.pixels
    }

    /// Forget what is drawn: the pixels go back to the background and the next
    /// [`Frame::draw`] repaints every tile it puts anything into (and uploads
    /// every tile that held something).
    pub fn forget(&mut self) {
        self.pixels.copy_from_slice(&self.background);
        for k in &mut self.keys {
            if *k != 0 {
                *k = FORGOTTEN;
            }
        }
    }

    /// `true` if the last drawn plan put anything into the frame.
    pub fn has_incidents(&self) -> bool {
        self.keys.iter().any(|&k| k != 0)
    }

    /// Tiles the last [`Frame::draw`] repainted.
    pub fn repainted(&self) -> usize {
        self.repainted
    }

    /// Replace the last drawn plan with `plan` and return the rectangles of
    /// [`Frame::pixels`] that changed (device px, inside the frame, disjoint,
    /// row-major), to be uploaded. A plan of another frame size draws nothing
    /// (the old plan is still removed).
    pub fn draw(&mut self, plan: &Plan) -> Vec<TileRect> {
        self.draw_items(plan, true)
    }

    /// [`Frame::draw`] without the density cells (they are shown apart, as
    /// [`Plan::density_image`]): tracks and sprites only.
    pub fn draw_without_cells(&mut self, plan: &Plan) -> Vec<TileRect> {
        self.draw_items(plan, false)
    }

    fn draw_items(&mut self, plan: &Plan, with_cells: bool) -> Vec<TileRect> {
        let t = i64::from(DIRTY_TILE_PX);
        let cols = (i64::from(self.width) + t - 1) / t;
        let rows = (i64::from(self.height) + t - 1) / t;
        let n_tiles = usize::try_from(cols * rows).unwrap_or(0);
        let frame = IRect::frame(self.width, self.height);
        self.keys.resize(n_tiles, 0);
        self.next.clear();
        self.next.resize(n_tiles, 0);
        let same_size = plan.frame_size() == (self.width, self.height);
        // Every item in draw order: cells, then segments, then sprites.
        let (nc, ns) = (plan.cells.len(), plan.segments.len());
        let n_items = if same_size {
            nc + ns + plan.sprites.len()
        } else {
            0
        };
        let first = if with_cells { 0 } else { nc };
        let item = |i: usize| -> Option<(IRect, u64)> {
            if i < first {
                return None;
            }
            if let Some(c) = plan.cells.get(i) {
                let [r, g, b] = c.rgb;
                let look = u64::from(r) | u64::from(g) << 8 | u64::from(b) << 16;
                let look = look | u64::from(c.alpha) << 24 | (plan.cell_side as u64) << 32;
                return Some((
                    c.bounds(plan.cell_side),
                    item_key(pair(c.x as u32, c.y as u32), look, 1),
                ));
            }
            if let Some(s) = plan.segments.get(i.wrapping_sub(nc)) {
                let [r, g, b] = s.rgb;
                let look = u64::from(r) | u64::from(g) << 8 | u64::from(b) << 16;
                let look = look | u64::from(s.alpha) << 24;
                let a = pair(s.a.0.to_bits(), s.a.1.to_bits());
                let b = pair(s.b.0.to_bits(), s.b.1.to_bits()) ^ look.rotate_left(17);
                let w = u64::from(s.half_width.to_bits());
                return Some((s.bounds(), item_key(a ^ w.rotate_left(7), b, 2)));
            }
            let s = plan.sprites.get(i.wrapping_sub(nc).wrapping_sub(ns))?;
            let img = plan.images.get(s.image)?;
            let look = plan.images.key(s.image) ^ u64::from(s.alpha) << 56;
            Some((
                s.bounds(img),
                item_key(pair(s.x as u32, s.y as u32), look, 3),
            ))
        };
        // Tiles (row-major indices) a box touches.
        let tiles_of = |r: &IRect, emit: &mut dyn FnMut(usize)| {
            let r = r.intersect(&frame);
            if r.is_empty() {
                return;
            }
            for row in r.y0 / t..=(r.y1 - 1) / t {
                for col in r.x0 / t..=(r.x1 - 1) / t {
                    if let Ok(i) = usize::try_from(row * cols + col) {
                        emit(i);
                    }
                }
            }
        };
        for i in first..n_items {
            if let Some((bounds, key)) = item(i) {
                let next = &mut self.next;
                tiles_of(&bounds, &mut |ti| {
                    if let Some(h) = next.get_mut(ti) {
                        *h = mix(*h, key);
                    }
                });
            }
        }
        let damaged: Vec<bool> = self
            .keys
            .iter()
            .zip(&self.next)
            .map(|(old, new)| old != new)
            .collect();
        self.repainted = damaged.iter().filter(|&&d| d).count();
        if self.repainted > 0 {
            // The items of each damaged tile, in draw order.
            let buckets = Buckets::build(n_tiles, n_items, |i, emit| {
                if let Some((bounds, _)) = item(i) {
                    tiles_of(&bounds, &mut |ti| {
                        if damaged.get(ti).copied().unwrap_or(false) {
                            emit(ti);
                        }
                    });
                }
            });
            let stride = i64::from(self.width) * 4;
            let mut canvas = Canvas {
                buf: &mut self.pixels,
                rect: frame,
            };
            for (ti, _) in damaged.iter().enumerate().filter(|(_, d)| **d) {
                let Ok(ti64) = i64::try_from(ti) else {
                    continue;
                };
                let (col, row) = (ti64 % cols.max(1), ti64 / cols.max(1));
                let tile = IRect {
                    x0: col * t,
                    y0: row * t,
                    x1: (col + 1) * t,
                    y1: (row + 1) * t,
                }
                .intersect(&frame);
                if !matches!(self.keys.get(ti), None | Some(&0) | Some(&FORGOTTEN)) {
                    restore(canvas.buf, &self.background, &tile, stride);
                }
                for &i in buckets.of(ti) {
                    draw_item(plan, i as usize, &mut canvas, &tile);
                }
            }
        }
        std::mem::swap(&mut self.keys, &mut self.next);
        coalesce(&damaged, cols, rows, &frame)
    }
}

/// Copy `r` of `background` over `pixels` (both `stride` bytes a row).
fn restore(pixels: &mut [u8], background: &[u8], r: &IRect, stride: i64) {
    for y in r.y0..r.y1 {
        let (a, b) = (y * stride + r.x0 * 4, y * stride + r.x1 * 4);
        let (Ok(a), Ok(b)) = (usize::try_from(a), usize::try_from(b)) else {
            continue;
        };
        if let (Some(dst), Some(src)) = (pixels.get_mut(a..b), background.get(a..b)) {
            dst.copy_from_slice(src);
        }
    }
}

/// Draw item `i` of `plan` (cells, then segments, then sprites) clipped to `clip`.
fn draw_item(plan: &Plan, i: usize, canvas: &mut Canvas, clip: &IRect) {
    let (nc, ns) = (plan.cells.len(), plan.segments.len());
    if let Some(c) = plan.cells.get(i) {
        c.draw(plan.cell_side, canvas, clip);
    } else if let Some(s) = plan.segments.get(i.wrapping_sub(nc)) {
        s.draw(canvas, clip);
    } else if let Some(s) = plan.sprites.get(i.wrapping_sub(nc).wrapping_sub(ns))
        && let Some(img) = plan.images.get(s.image)
    {
        s.draw(img, canvas, clip);
    }
}

/// The dirty tiles as rectangles: runs along each tile row (bridging gaps of
/// up to [`MERGE_GAP_TILES`]), and runs equal to the row above's extend them.
fn coalesce(dirty: &[bool], cols: i64, rows: i64, frame: &IRect) -> Vec<TileRect> {
    let t = i64::from(DIRTY_TILE_PX);
    let mut out: Vec<IRect> = Vec::new();
    // Indices into `out` of the previous row's runs, and their column spans.
    let mut prev: Vec<(i64, i64, usize)> = Vec::new();
    let mut cur: Vec<(i64, i64)> = Vec::new();
    for row in 0..rows {
        cur.clear();
        let mut col = 0;
        while col < cols {
            let is_dirty = |c: i64| {
                usize::try_from(row * cols + c)
                    .ok()
                    .and_then(|i| dirty.get(i))
                    .copied()
                    .unwrap_or(false)
            };
            if !is_dirty(col) {
                col += 1;
                continue;
            }
            let start = col;
            let mut end = col + 1;
            loop {
                // Extend over dirty tiles and short clean gaps before another dirty one.
                let next = (end..cols.min(end + 1 + MERGE_GAP_TILES as i64)).find(|&c| is_dirty(c));
                match next {
                    Some(c) => end = c + 1,
                    None => break,
                }
            }
            cur.push((start, end));
            col = end;
        }
        let same =
            cur.len() == prev.len() && cur.iter().zip(&prev).all(|(a, b)| a.0 == b.0 && a.1 == b.1);
        if same {
            for &(_, _, i) in &prev {
                if let Some(r) = out.get_mut(i) {
                    r.y1 = (row + 1) * t;
                }
            }
        } else {
            prev.clear();
            for &(c0, c1) in &cur {
                prev.push((c0, c1, out.len()));
                out.push(IRect {
                    x0: c0 * t,
                    y0: row * t,
                    x1: c1 * t,
                    y1: (row + 1) * t,
                });
            }
        }
    }
    out.iter()
        .filter_map(|r| super::tile_rect(&r.intersect(frame)))
        .collect()
}
