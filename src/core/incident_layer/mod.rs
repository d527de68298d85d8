//! Live incident layer: a software rasteriser that draws up to ~100,000
//! incidents into RGBA pixel tiles over the composited map.
//!
//! Units and spaces:
//! * positions (marks and their tracks) are **EPSG:3857 metres** ([`Mercator`]);
//! * the raster is **device px** (CSS px × device pixel ratio) of the frame,
//!   origin at the **top-left, y down**; pixel `(x, y)` covers
//!   `[x, x+1) × [y, y+1)`. The frame is the view's canvas
//!   ([`Viewport::width_px`] × [`Viewport::height_px`]), cut into
//!   [`TILE_PX`]-square tiles (edge tiles clipped);
//! * times are **milliseconds since the Unix epoch, UTC**; ages and fade
//!   limits are milliseconds;
//! * pixel buffers are RGBA, 4 bytes a pixel, row-major, non-premultiplied
//!   sRGB with alpha 255 (what canvas `getImageData` gives and
//!   `putImageData` takes).
//!
//! Use:
//! 1. [`Marks::from_incidents`] whenever the incident store changes (a compact
//!    copy: positions, kind, severity, status, `updated_at`, track, id);
//! 2. [`Plan::new`] per (view, marks, time bucket): projects, culls, picks
//!    sprite or density mode and buckets every item by tile;
//! 3. [`Plan::render_tile`] for each tile of [`Plan::tiles`] (and each tile that
//!    held something in the previous plan): the tile's background with the
//!    incidents blended on top;
//! 4. [`Plan::pick`] for hover and click.
//!
//! Look (chosen to read on the dark navy basemap and away from the hues of
//! the fences (amber), cameras (cyan) and terminal (purple)):
//! * shape by kind ([`kind_shape`]), fill colour by severity ([`severity_rgb`]),
//!   a 1.5 CSS px near-black outline ([`OUTLINE_RGB`]), size by severity
//!   ([`sprite_size_css`]: 14, 14, 16, 19, 19 CSS px), anti-aliased;
//! * opacity fades with age ([`DrawOptions::alpha`]); a closed incident is
//!   drawn hollow (a severity-coloured ring between dark bands, the
//!   background showing through the middle) and more transparent;
//! * sprite mode: tracks under the sprites, a 2 CSS px stroke from the
//!   oldest fix to the current position in the severity colour, opacity
//!   rising from 0.25 (oldest segment) to 0.8 (newest), with a small dot at
//!   every fix;
//! * density mode (more than [`DrawOptions::density_above`] marks in view):
//!   5 CSS px square cells anchored to the world (stable while panning), each
//!   coloured by the highest severity of its open marks (grey
//!   [`CLOSED_CELL_RGB`] if only closed ones), opacity
//!   `0.35 + 0.65·ln(1+count)/ln(1+max count)`; the most important open marks
//!   still get sprites on top.
//!
//! Sprite sizes follow the device pixel ratio up to 8. Tracks are drawn for
//! the marks in view only. Sprite images (coverage supersampled 4×4 on edge
//! pixels) are rendered once per (shape, severity, open/closed, dpr) and
//! memoised per thread; that memo is the only state kept between plans.
//!
//! Nothing here panics on any input: non-finite positions are skipped, a view
//! larger than any canvas ([`MAX_FRAME_SIDE_PX`], [`MAX_FRAME_AREA_PX`]) draws
//! nothing, short background buffers read as opaque black.

mod frame;
mod raster;
mod sprites;

pub use frame::{DIRTY_TILE_PX, Frame};

use crate::incident::{Incident, IncidentKind, Severity, Timestamp};
use crate::units::Mercator;
use crate::viewport::Viewport;
use raster::{Buckets, Canvas, Cell, IRect, Segment, Sprite, clip_segment};
use sprites::{Glyph, ImageSet};
use std::cell::OnceCell;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Side of a square render tile, device px.
pub const TILE_PX: u32 = 256;

/// Largest frame side a plan draws into, device px (a larger view draws nothing).
pub const MAX_FRAME_SIDE_PX: u32 = 32_768;

/// Largest frame area a plan draws into, device px² (16384²).
pub const MAX_FRAME_AREA_PX: u64 = 1 << 28;

/// Outline (halo) colour of every sprite and dot: near-black `rgb(8, 12, 18)`.
pub const OUTLINE_RGB: [u8; 3] = [8, 12, 18];

/// Colour of a density cell holding only closed incidents: grey `#8a96a3`.
pub const CLOSED_CELL_RGB: [u8; 3] = [0x8a, 0x96, 0xa3];

/// Density cell pitch, CSS px (the drawn square is 1 device px smaller).
const CELL_CSS: f64 = 5.0;
/// Most density cells a plan bins into (the pitch grows beyond).
const MAX_CELLS: i64 = 1 << 22;
/// Track stroke half-width, CSS px.
const TRACK_HALF_WIDTH_CSS: f64 = 1.0;
/// Track opacity of the oldest and of the newest segment.
const TRACK_ALPHA: (f64, f64) = (0.25, 0.8);
/// Density cell opacity: base and range over the log count.
const CELL_ALPHA: (f64, f64) = (0.35, 0.65);

/// Severity 1..=5 colours, sRGB. Checked for colour-blind viewers by
/// `tests/colour_vision.rs` (any two levels ≥ 10 ΔE₀₀ apart under protanopia, deuteranopia and
/// tritanopia; 4 and 5 were `#ff3b30` and `#ff2d95`, 9.2 apart for deuteranopes between 3 and
/// 4 and 8.8 for tritanopes between 4 and 5).
const SEVERITY_RGB: [[u8; 3]; 5] = [
    [0xd8, 0xf3, 0xdc],
    [0xff, 0xe1, 0x4d],
    [0xff, 0x8c, 0x1a],
    [0xe6, 0x26, 0x2d],
    [0xf0, 0x40, 0xd0],
];

/// [`SEVERITY_RGB`] as CSS.
const SEVERITY_CSS: [&str; 5] = ["#d8f3dc", "#ffe14d", "#ff8c1a", "#e6262d", "#f040d0"];

/// Fill colour of a severity (sRGB), a sequence from pale to hot that avoids the
/// map's layer hues:
/// 1 pale green-white `#d8f3dc`, 2 yellow `#ffe14d`, 3 orange `#ff8c1a`,
/// 4 red `#e6262d`, 5 magenta `#f040d0`.
pub fn severity_rgb(sev: Severity) -> [u8; 3] {
    SEVERITY_RGB
        .get(usize::from(sev.get().saturating_sub(1)))
        .copied()
        .unwrap_or([0xf0, 0x40, 0xd0])
}

/// [`severity_rgb`] as a CSS colour (`"#rrggbb"`), for the legend and list.
pub fn severity_css(sev: Severity) -> &'static str {
    SEVERITY_CSS
        .get(usize::from(sev.get().saturating_sub(1)))
        .copied()
        .unwrap_or("#f040d0")
}

/// Nominal sprite size of a severity, CSS px: 14 for 1–2, 16 for 3, 19 for 4–5
/// (times the device pixel ratio on the raster; the outline adds 1.5 CSS px a side).
pub fn sprite_size_css(sev: Severity) -> f64 {
    sprites::size_css(sev)
}

/// Sprite shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Shape {
    /// Upward triangle (the bow of a boat): small boats.
    TriangleUp,
    /// Diamond (a square on its point): fence breaches.
    Diamond,
    /// Square: lorry intrusions.
    Square,
    /// Downward triangle (going under): tunnel intrusions.
    TriangleDown,
    /// Circle: vehicle sightings.
    Circle,
    /// Plus-shaped cross: other incidents.
    Cross,
}

/// Shape of an incident kind: small boat = [`Shape::TriangleUp`], fence breach =
/// [`Shape::Diamond`], lorry intrusion = [`Shape::Square`], tunnel intrusion =
/// [`Shape::TriangleDown`], vehicle sighting = [`Shape::Circle`], other =
/// [`Shape::Cross`].
pub fn kind_shape(kind: IncidentKind) -> Shape {
    match kind {
        IncidentKind::SmallBoat => Shape::TriangleUp,
        IncidentKind::FenceBreach => Shape::Diamond,
        IncidentKind::LorryIntrusion => Shape::Square,
        IncidentKind::TunnelIntrusion => Shape::TriangleDown,
        IncidentKind::VehicleSighting => Shape::Circle,
        IncidentKind::Other => Shape::Cross,
    }
}

/// A shape's outline as the panels' kind icons and the exported legend draw it: vertices in a
/// 16 × 16 box (units of the box, y down), closed. `None` for [`Shape::Circle`]: the circle of
/// radius 6.5 around (8, 8). The map's sprites draw the same shapes from signed distance fields
/// (`sprites.rs`) at their own sizes.
pub fn icon_outline(shape: Shape) -> Option<&'static [(f64, f64)]> {
    Some(match shape {
        Shape::TriangleUp => &[(8.0, 1.5), (14.5, 13.5), (1.5, 13.5)],
        Shape::Diamond => &[(8.0, 0.8), (15.2, 8.0), (8.0, 15.2), (0.8, 8.0)],
        Shape::Square => &[(2.0, 2.0), (14.0, 2.0), (14.0, 14.0), (2.0, 14.0)],
        Shape::TriangleDown => &[(1.5, 2.5), (14.5, 2.5), (8.0, 14.5)],
        Shape::Circle => return None,
        Shape::Cross => &[
            (5.8, 1.0),
            (10.2, 1.0),
            (10.2, 5.8),
            (15.0, 5.8),
            (15.0, 10.2),
            (10.2, 10.2),
            (10.2, 15.0),
            (5.8, 15.0),
            (5.8, 10.2),
            (1.0, 10.2),
            (1.0, 5.8),
            (5.8, 5.8),
        ],
    })
}

/// A rectangle of the frame, device px from the top-left; edge tiles are
/// clipped to the frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TileRect {
    /// Left edge, device px.
    pub x: u32,
    /// Top edge, device px.
    pub y: u32,
    /// Width, device px.
    pub w: u32,
    /// Height, device px.
    pub h: u32,
}

/// One incident as drawn (its position and draw order key are kept apart, in
/// [`Marks`]). Time ms since the Unix epoch.
#[derive(Clone, Copy, Debug)]
struct Mark {
    updated_ms: i64,
    track_start: u32,
    track_len: u32,
    kind: IncidentKind,
    severity: Severity,
    open: bool,
}

/// Draw order key: closed below open, then by severity, then by `updated_at`
/// (ms since the Unix epoch; newest on top). Ties go by mark index.
fn rank(open: bool, sev: Severity, updated_ms: i64) -> u64 {
    // Timestamps span less than 2^49 ms from Timestamp::MIN.
    let t = updated_ms
        .saturating_sub(Timestamp::MIN.millis())
        .clamp(0, (1 << 56) - 1) as u64;
    (u64::from(open) << 60) | (u64::from(sev.get()) << 56) | t
}

/// A compact copy of the incidents to draw: positions (EPSG:3857 metres),
/// kind, severity, status, `updated_at` (ms since the Unix epoch, UTC), the
/// track (EPSG:3857 metres, oldest first, in one shared buffer) and the id,
/// indexed `0..len()` in insertion order.
#[derive(Clone, Debug, Default)]
pub struct Marks {
    /// Positions, EPSG:3857 metres (apart, for a tight culling loop).
    pos: Vec<(f64, f64)>,
    /// Draw order keys (see [`rank`]).
    rank: Vec<u64>,
    marks: Vec<Mark>,
    /// All tracks, back to back; mark `i` owns `track_start..track_start + track_len`.
    track: Vec<(f64, f64)>,
    /// All ids, back to back; id `i` ends at `id_ends[i]`.
    ids: String,
    id_ends: Vec<usize>,
    /// Positions and ranks again, in a coarse spatial order, built on the first plan.
    spatial: OnceCell<Spatial>,
}

/// The marks' positions and ranks sorted by a 256 × 256 grid over their bounding box (rows,
/// then columns), with each one's index: a plan walks them in that order, so the density
/// grid it bins into is touched a few rows at a time instead of at random (the marks come in
/// store order, which is id order and all over the map).
#[derive(Clone, Debug, Default)]
struct Spatial {
    pos: Vec<(f64, f64)>,
    rank: Vec<u64>,
    index: Vec<u32>,
}

/// Grid side of [`Spatial`]'s order.
const SPATIAL_GRID: usize = 256;

impl Spatial {
    fn of(pos: &[(f64, f64)], rank: &[u64]) -> Spatial {
        let finite = pos.iter().filter(|(x, y)| x.is_finite() && y.is_finite());
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for &(x, y) in finite {
            (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
        }
        let g = SPATIAL_GRID as f64;
        let (kx, ky) = (g / (x1 - x0).max(1.0), g / (y1 - y0).max(1.0));
        let last = SPATIAL_GRID - 1;
        // Top row first (screen y grows southwards: north is the largest y).
        let cell = |&(x, y): &(f64, f64)| -> usize {
            if !(x.is_finite() && y.is_finite()) {
                return 0;
            }
            let cx = (((x - x0) * kx) as usize).min(last);
            let cy = (((y1 - y) * ky) as usize).min(last);
            cy * SPATIAL_GRID + cx
        };
        let mut start = vec![0u32; SPATIAL_GRID * SPATIAL_GRID + 1];
        let cells: Vec<u32> = pos.iter().map(|p| cell(p) as u32).collect();
        for &c in &cells {
            if let Some(n) = start.get_mut(c as usize + 1) {
                *n += 1;
            }
        }
        let mut sum = 0;
        for s in &mut start {
            sum += *s;
            *s = sum;
        }
        let n = pos.len();
        let mut out = Spatial {
            pos: vec![(0.0, 0.0); n],
            rank: vec![0; n],
            index: vec![0; n],
        };
        for (i, (&c, (&p, &r))) in cells.iter().zip(pos.iter().zip(rank)).enumerate() {
            let Some(slot) = start.get_mut(c as usize) else {
                continue;
            };
            let at = *slot as usize;
            *slot += 1;
            if let (Some(dp), Some(dr), Some(di)) = (
                out.pos.get_mut(at),
                out.rank.get_mut(at),
                out.index.get_mut(at),
            ) {
                (*dp, *dr, *di) = (p, r, i as u32);
            }
        }
        out
    }
}

impl Marks {
    /// No marks.
    pub fn new() -> Self {
        Marks::default()
    }

    /// The incidents in iteration order (e.g. `store.iter()`, id order).
    pub fn from_incidents<'a>(it: impl IntoIterator<Item = &'a Incident>) -> Self {
        let mut marks = Marks::new();
        for inc in it {
            marks.push(inc);
        }
        marks
    }

    /// Append one incident; its index is the previous `len()`.
    pub fn push(&mut self, inc: &Incident) {
        self.spatial.take();
        let start = self.track.len();
        self.track.extend(inc.track.iter().map(|(m, _)| (m.x, m.y)));
        let len = self.track.len().saturating_sub(start);
        let (track_start, track_len) = match (u32::try_from(start), u32::try_from(len)) {
            (Ok(s), Ok(l)) => (s, l),
            _ => {
                self.track.truncate(start);
                (0, 0)
            }
        };
        self.ids.push_str(&inc.id);
        self.id_ends.push(self.ids.len());
        self.pos.push((inc.at.x, inc.at.y));
        self.rank
            .push(rank(inc.is_open(), inc.severity, inc.updated_at.millis()));
        self.marks.push(Mark {
            updated_ms: inc.updated_at.millis(),
            track_start,
            track_len,
            kind: inc.kind,
            severity: inc.severity,
            open: inc.is_open(),
        });
    }

    /// Number of marks.
    pub fn len(&self) -> usize {
        self.marks.len()
    }

    /// `true` if there are none.
    pub fn is_empty(&self) -> bool {
        self.marks.is_empty()
    }

    /// Incident id of mark `i`.
    pub fn id(&self, i: usize) -> Option<&str> {
        let end = *self.id_ends.get(i)?;
        let start = match i.checked_sub(1) {
            Some(p) => *self.id_ends.get(p)?,
            None => 0,
        };
        self.ids.get(start..end)
    }

    /// Position of mark `i`, EPSG:3857 metres (as given, possibly not finite).
    pub fn position(&self, i: usize) -> Option<Mercator> {
        self.pos.get(i).map(|&(x, y)| Mercator { x, y })
    }

    /// Kind of mark `i`.
    pub fn kind(&self, i: usize) -> Option<IncidentKind> {
        self.marks.get(i).map(|m| m.kind)
    }

    /// Severity of mark `i`.
    pub fn severity(&self, i: usize) -> Option<Severity> {
        self.marks.get(i).map(|m| m.severity)
    }

    /// Whether mark `i` is open.
    pub fn is_open(&self, i: usize) -> Option<bool> {
        self.marks.get(i).map(|m| m.open)
    }

    /// `updated_at` of mark `i`, ms since the Unix epoch (UTC).
    pub fn updated_ms(&self, i: usize) -> Option<i64> {
        self.marks.get(i).map(|m| m.updated_ms)
    }

    fn track_of(&self, m: &Mark) -> &[(f64, f64)] {
        let start = m.track_start as usize;
        self.track
            .get(start..start.saturating_add(m.track_len as usize))
            .unwrap_or(&[])
    }
}

/// How a plan draws. Counts are marks; times are ms; alphas are `0..=1`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DrawOptions {
    /// More marks than this inside the view switch to density mode (default 3000).
    pub density_above: usize,
    /// In density mode, this many of the most important open marks (severity
    /// descending, then newest) still get sprites on top (default 300).
    pub top_sprites: usize,
    /// Age (now − `updated_at`, ms) up to which a mark is fully opaque (default 2 min).
    pub fade_start_ms: i64,
    /// Age (ms) from which a mark has `min_alpha` (default 30 min); linear in between.
    pub fade_end_ms: i64,
    /// Opacity at and after `fade_end_ms` (default 0.4).
    pub min_alpha: f32,
    /// Opacity factor of closed incidents (default 0.5).
    pub closed_alpha: f32,
}

impl Default for DrawOptions {
    fn default() -> Self {
        DrawOptions {
            density_above: 3000,
            top_sprites: 300,
            fade_start_ms: 2 * 60_000,
            fade_end_ms: 30 * 60_000,
            min_alpha: 0.4,
            closed_alpha: 0.5,
        }
    }
}

impl DrawOptions {
    /// Alphas clamped into `0..=1` (non-finite ones take the default).
    fn sanitised(&self) -> DrawOptions {
        let d = DrawOptions::default();
        let unit = |v: f32, dflt: f32| {
            if v.is_finite() {
                v.clamp(0.0, 1.0)
            } else {
                dflt
            }
        };
        DrawOptions {
            min_alpha: unit(self.min_alpha, d.min_alpha),
            closed_alpha: unit(self.closed_alpha, d.closed_alpha),
            ..*self
        }
    }

    /// Opacity (`0..=1`) of a mark `age_ms` old (negative: from the future,
    /// fully opaque): 1 until `fade_start_ms`, linear down to `min_alpha` at
    /// `fade_end_ms`, times `closed_alpha` if not open.
    pub fn alpha(&self, age_ms: i64, open: bool) -> f32 {
        let o = self.sanitised();
        let fade = if age_ms <= o.fade_start_ms {
            1.0
        } else if age_ms >= o.fade_end_ms {
            o.min_alpha
        } else {
            let t = age_ms.saturating_sub(o.fade_start_ms) as f64
                / o.fade_end_ms.saturating_sub(o.fade_start_ms).max(1) as f64;
            (1.0 - t.clamp(0.0, 1.0) * (1.0 - f64::from(o.min_alpha))) as f32
        };
        if open { fade } else { fade * o.closed_alpha }
    }
}

/// The severity in a [`rank`] if the mark is open, else 0.
#[inline(always)]
fn rank_open_severity(rank: u64) -> u8 {
    if rank >> 60 == 1 {
        ((rank >> 56) & 0xf) as u8
    } else {
        0
    }
}

/// Opacity `0..=1` to `0..=255`.
fn alpha_u8(a: f64) -> u8 {
    (a.clamp(0.0, 1.0) * 255.0 + 0.5) as u8
}

/// How a plan draws its marks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// One sprite a mark, with tracks.
    Sprites,
    /// Density cells, with the most important open marks as sprites on top.
    Density,
}

/// The density cells of a plan, one pixel a cell ([`Plan::density_image`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DensityImage {
    /// Device px of the image's top-left corner in the frame (may be negative).
    pub x: i64,
    pub y: i64,
    /// Device px a pixel of the image covers, each way.
    pub pitch: i64,
    pub cols: u32,
    pub rows: u32,
    /// Straight RGBA, `cols * rows * 4` bytes, row-major.
    pub pixels: Vec<u8>,
}

/// EPSG:3857 metres to frame device px: [`Viewport::world_to_screen`] times the dpr.
#[derive(Clone, Copy, Debug)]
struct Transform {
    k: f64,
    cx: f64,
    cy: f64,
    ox: f64,
    oy: f64,
}

impl Transform {
    fn of(view: &Viewport) -> Transform {
        let c = view.center();
        let (sx, sy) = view.world_to_screen(c);
        let dpr = view.dpr();
        Transform {
            k: dpr / view.mercator_per_css_px(),
            cx: c.x,
            cy: c.y,
            ox: sx * dpr,
            oy: sy * dpr,
        }
    }

    /// Device px of a world point; `None` if not finite.
    #[inline(always)]
    fn apply(&self, x: f64, y: f64) -> Option<(f64, f64)> {
        let px = (x - self.cx) * self.k + self.ox;
        let py = (self.cy - y) * self.k + self.oy;
        (px.is_finite() && py.is_finite()).then_some((px, py))
    }
}

/// The device px of a larger view (`whole`) a plan's decisions are taken over, in the frame's
/// px: `[x0, x1) × [y0, y1)`, the frame itself when the plan's view is not a part of another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Extent {
    x0: i64,
    y0: i64,
    x1: i64,
    y1: i64,
}

impl Extent {
    /// `whole`'s frame in `view`'s frame px, when `view` is a part of it (same dpr and zoom);
    /// else `view`'s own frame.
    fn of(view: &Viewport, whole: &Viewport) -> Extent {
        let own = Extent {
            x0: 0,
            y0: 0,
            x1: i64::from(view.width_px()),
            y1: i64::from(view.height_px()),
        };
        if whole.dpr() != view.dpr() || whole.zoom() != view.zoom() {
            return own;
        }
        // The part's top-left in the whole's device px: whole pixels on a wall (screens and
        // bezels are whole device px), rounded.
        let dpr = view.dpr();
        let (x, y) = whole.world_to_screen(view.screen_to_world(0.0, 0.0));
        let (ox, oy) = ((x * dpr).round(), (y * dpr).round());
        let side = f64::from(MAX_FRAME_SIDE_PX);
        if !(ox.abs() <= side && oy.abs() <= side) {
            return own;
        }
        let (ox, oy) = (ox as i64, oy as i64);
        Extent {
            x0: -ox,
            y0: -oy,
            x1: i64::from(whole.width_px()) - ox,
            y1: i64::from(whole.height_px()) - oy,
        }
    }
}

/// A mark in view: its centre (frame device px), index and draw order key.
#[derive(Clone, Copy, Debug)]
struct PickPoint {
    x: f32,
    y: f32,
    mark: u32,
    rank: u64,
}

impl PickPoint {
    /// Draw order: least important first.
    #[inline(always)]
    fn order(&self) -> (u64, u32) {
        (self.rank, self.mark)
    }
}

/// Everything one frame of the layer draws, bucketed by tile. Built by
/// [`Plan::new`] for one (marks, view, time); cheap to render any tile of.
#[derive(Clone, Debug)]
pub struct Plan {
    mode: Mode,
    visible: usize,
    drawn: usize,
    width: u32,
    height: u32,
    dpr: f64,
    /// Tile grid, columns and rows.
    cols: i64,
    rows: i64,
    images: ImageSet,
    /// Track dots then mark sprites, in draw order.
    sprites: Vec<Sprite>,
    segments: Vec<Segment>,
    cells: Vec<Cell>,
    /// Side of a drawn density cell, device px.
    cell_side: i64,
    /// Density mode: the cell grid, `(x0, y0, pitch, cols, rows)` in device px (the
    /// top-left of grid cell (0, 0) and the cell pitch), for [`Plan::density_image`].
    grid: Option<(i64, i64, i64, u32, u32)>,
    /// Items by 256-px tile, built on first use ([`Plan::tiles`], [`Plan::render_tile`]);
    /// the full-frame path ([`Frame::draw`]) does without.
    buckets: OnceCell<TileBuckets>,
    /// Mark sprites in draw order (topmost last).
    pick_sprites: Vec<PickPoint>,
    /// Density mode: every mark in view.
    pick_rest: Vec<PickPoint>,
}

/// A plan's items bucketed by 256-px tile, and the tiles that hold any.
#[derive(Clone, Debug, Default)]
struct TileBuckets {
    tiles: Vec<TileRect>,
    sprites: Buckets,
    segments: Buckets,
    cells: Buckets,
}

impl Plan {
    /// Plan the frame of `view` for `marks` at `now_ms` (ms since the Unix
    /// epoch, UTC). Marks whose sprite cannot reach the frame are left out.
    pub fn new(marks: &Marks, view: &Viewport, now_ms: i64, opts: &DrawOptions) -> Plan {
        Plan::part_of(marks, view, view, now_ms, opts)
    }

    /// Plan the frame of `view`, one part of the larger view `whole` (a screen of a wall of
    /// several screens: the same zoom and dpr, `view` inside `whole`), so that the parts side
    /// by side show the plan of `whole`: what depends on the whole picture is decided over
    /// `whole` (sprite or density mode by the marks in it, the density cells' opacity by its
    /// fullest cell, which open marks keep sprites over the cells, the tracks of marks off
    /// this part that cross it); only what meets `view`'s frame is drawn. A `whole` of
    /// another zoom or dpr is not a view `view` is part of: the plan of `view` alone.
    /// [`Plan::visible`] counts the marks in `whole`.
    pub fn part_of(
        marks: &Marks,
        view: &Viewport,
        whole: &Viewport,
        now_ms: i64,
        opts: &DrawOptions,
    ) -> Plan {
        let opts = opts.sanitised();
        let (width, height) = (view.width_px(), view.height_px());
        let mut plan = Plan::empty(width, height, view.dpr());
        let area = u64::from(width) * u64::from(height);
        if width > MAX_FRAME_SIDE_PX || height > MAX_FRAME_SIDE_PX || area > MAX_FRAME_AREA_PX {
            return plan;
        }
        let xf = Transform::of(view);
        let extent = Extent::of(view, whole);
        let margin = sprites::max_half_side(view.dpr()) as f64;
        let (x0, x1) = (extent.x0 as f64 - margin, extent.x1 as f64 + margin);
        let (y0, y1) = (extent.y0 as f64 - margin, extent.y1 as f64 + margin);
        let mut vis = Vec::with_capacity(marks.len());
        let sp = marks
            .spatial
            .get_or_init(|| Spatial::of(&marks.pos, &marks.rank));
        for ((&(mx, my), &rank), &mark) in sp.pos.iter().zip(&sp.rank).zip(&sp.index) {
            if let Some((x, y)) = xf.apply(mx, my)
                && (x0..=x1).contains(&x)
                && (y0..=y1).contains(&y)
            {
                vis.push(PickPoint {
                    x: x as f32,
                    y: y as f32,
                    mark,
                    rank,
                });
            }
        }
        plan.visible = vis.len();
        if vis.len() > opts.density_above {
            plan.mode = Mode::Density;
            plan.plan_density(marks, &mut vis, extent, now_ms, &opts, &xf);
            // Picking needs only the marks that can be under this frame.
            let (w, h) = (width as f32 + margin as f32, height as f32 + margin as f32);
            let m = margin as f32;
            vis.retain(|p| (-m..=w).contains(&p.x) && (-m..=h).contains(&p.y));
            plan.pick_rest = vis;
        } else {
            plan.plan_sprites(marks, vis, now_ms, &opts, &xf);
        }
        plan
    }

    fn empty(width: u32, height: u32, dpr: f64) -> Plan {
        let t = i64::from(TILE_PX);
        Plan {
            mode: Mode::Sprites,
            visible: 0,
            drawn: 0,
            width,
            height,
            dpr,
            cols: (i64::from(width) + t - 1) / t,
            rows: (i64::from(height) + t - 1) / t,
            images: ImageSet::new(dpr),
            sprites: Vec::new(),
            segments: Vec::new(),
            cells: Vec::new(),
            cell_side: 0,
            grid: None,
            buckets: OnceCell::new(),
            pick_sprites: Vec::new(),
            pick_rest: Vec::new(),
        }
    }

    fn frame(&self) -> IRect {
        IRect::frame(self.width, self.height)
    }

    /// Add a sprite centred at `(cx, cy)` (device px); `false` if it shows nothing.
    fn push_sprite(
        &mut self,
        glyph: Glyph,
        sev: Severity,
        hollow: bool,
        c: (f64, f64),
        alpha: u8,
    ) -> bool {
        if alpha == 0 {
            return false;
        }
        let Some(id) = self.images.id(glyph, sev, hollow) else {
            return false;
        };
        let Some(img) = self.images.get(id) else {
            return false;
        };
        let half = img.half as f64;
        let (x, y) = ((c.0 - half).round(), (c.1 - half).round());
        if !(x.is_finite() && y.is_finite()) {
            return false;
        }
        let s = Sprite {
            x: x as i64,
            y: y as i64,
            image: id,
            alpha,
        };
        if s.bounds(img).intersect(&self.frame()).is_empty() {
            return false;
        }
        self.sprites.push(s);
        true
    }

    /// The sprite of a mark; counted as drawn and pickable if it shows.
    fn push_mark(&mut self, marks: &Marks, p: PickPoint, now_ms: i64, opts: &DrawOptions) {
        let Some(m) = marks.marks.get(p.mark as usize) else {
            return;
        };
        let alpha = alpha_u8(f64::from(
            opts.alpha(now_ms.saturating_sub(m.updated_ms), m.open),
        ));
        let glyph = Glyph::Shape(kind_shape(m.kind));
        let c = (f64::from(p.x), f64::from(p.y));
        if self.push_sprite(glyph, m.severity, !m.open, c, alpha) {
            self.pick_sprites.push(p);
            self.drawn += 1;
        }
    }

    fn plan_sprites(
        &mut self,
        marks: &Marks,
        mut vis: Vec<PickPoint>,
        now_ms: i64,
        opts: &DrawOptions,
        xf: &Transform,
    ) {
        vis.sort_unstable_by_key(PickPoint::order);
        for p in &vis {
            if let Some(m) = marks.marks.get(p.mark as usize)
                && m.track_len > 0
            {
                let fade = f64::from(opts.alpha(now_ms.saturating_sub(m.updated_ms), m.open));
                let now_at = (f64::from(p.x), f64::from(p.y));
                self.push_track(marks.track_of(m), now_at, m.severity, fade, xf);
            }
        }
        for p in vis {
            self.push_mark(marks, p, now_ms, opts);
        }
    }

    /// Segments from the oldest fix to the current position `now_at` (device
    /// px) and a dot at every fix.
    fn push_track(
        &mut self,
        track: &[(f64, f64)],
        now_at: (f64, f64),
        sev: Severity,
        fade: f64,
        xf: &Transform,
    ) {
        let dpr = sprites::sprite_dpr(self.dpr);
        let half_width = TRACK_HALF_WIDTH_CSS * dpr;
        let pad = half_width + 2.0;
        let f = self.frame();
        let clip = [-pad, -pad, f.x1 as f64 + pad, f.y1 as f64 + pad];
        let rgb = severity_rgb(sev);
        let n = track.len();
        let project = |k: usize| match track.get(k) {
            Some(&(x, y)) => xf.apply(x, y),
            None if k == n => Some(now_at),
            None => None,
        };
        let mut prev = project(0);
        for k in 0..n {
            let next = project(k + 1);
            let t = if n > 1 {
                k as f64 / (n - 1) as f64
            } else {
                1.0
            };
            let alpha = alpha_u8(fade * (TRACK_ALPHA.0 + (TRACK_ALPHA.1 - TRACK_ALPHA.0) * t));
            if let (Some(a), Some(b)) = (prev, next)
                && let Some((a, b)) = clip_segment(a, b, clip)
            {
                self.segments.push(Segment {
                    a: (a.0 as f32, a.1 as f32),
                    b: (b.0 as f32, b.1 as f32),
                    half_width: half_width as f32,
                    rgb,
                    alpha,
                });
            }
            if let Some(at) = prev
                && (clip[0]..=clip[2]).contains(&at.0)
                && (clip[1]..=clip[3]).contains(&at.1)
            {
                self.push_sprite(Glyph::Dot, sev, false, at, alpha);
            }
            prev = next;
        }
    }

    /// Density mode: the marks of `vis` inside `extent` binned into cells (the grid spans the
    /// extent, so its fullest cell sets every cell's opacity); the cells meeting the frame and
    /// the most important open marks of `vis` are drawn.
    fn plan_density(
        &mut self,
        marks: &Marks,
        vis: &mut [PickPoint],
        extent: Extent,
        now_ms: i64,
        opts: &DrawOptions,
        xf: &Transform,
    ) {
        let dpr = sprites::sprite_dpr(self.dpr);
        let (w, h) = (extent.x1 - extent.x0, extent.y1 - extent.y0);
        let mut pitch = ((CELL_CSS * dpr).round() as i64).max(2);
        while (w / pitch + 2) * (h / pitch + 2) > MAX_CELLS {
            pitch *= 2;
        }
        // Anchor the cell grid to the world origin so cells stay put while panning. Below,
        // cell positions are counted from the extent's top-left (`ex`, `ey`).
        let (ex, ey) = (extent.x0, extent.y0);
        let origin = xf.apply(0.0, 0.0).unwrap_or((0.0, 0.0));
        let phase = |o: f64| {
            let v = o.round().rem_euclid(pitch as f64);
            if v.is_finite() { v as i64 } else { 0 }
        };
        let (phx, phy) = (phase(origin.0 - ex as f64), phase(origin.1 - ey as f64));
        let ncols = (w - phx).div_euclid(pitch) + 2;
        let nrows = (h - phy).div_euclid(pitch) + 2;
        let mut slot = vec![u32::MAX; usize::try_from(ncols * nrows).unwrap_or(0)];
        // 16 bytes a cell with marks, so the cells binned into stay in cache.
        struct Acc {
            /// The most important mark's order key (rank, mark).
            rank: u64,
            mark: u32,
            /// Marks binned here (low 24 bits, saturating) and the highest severity of an
            /// open one (high 8 bits, 0 if none).
            count_sev: u32,
        }
        const COUNT_MASK: u32 = 0x00ff_ffff;
        let mut max = 1u32;
        let mut acc: Vec<Acc> = Vec::new();
        // The most important open marks, kept in a bounded min-heap while binning (one pass;
        // most marks lose to the heap's least important one at once).
        let k = opts.top_sprites;
        let mut top: BinaryHeap<Reverse<((u64, u32), usize)>> =
            BinaryHeap::with_capacity(k.saturating_add(1).min(4_096));
        let (wf, hf) = (w as f32, h as f32);
        let inv_pitch = 1.0 / pitch as f32;
        let (phxf, phyf) = ((phx + ex) as f32, (phy + ey) as f32);
        let (exf, eyf) = (ex as f32, ey as f32);
        for (vi, p) in vis.iter().enumerate() {
            if k > 0 && rank_open_severity(p.rank) > 0 {
                let key = p.order();
                if top.len() < k {
                    top.push(Reverse((key, vi)));
                } else if top.peek().is_some_and(|Reverse((least, _))| key > *least) {
                    top.pop();
                    top.push(Reverse((key, vi)));
                }
            }
            let (x, y) = (p.x - exf, p.y - eyf);
            if !(x >= 0.0 && x < wf && y >= 0.0 && y < hf) {
                continue;
            }
            // `x - phase > -pitch`, so the shifted quotient is >= 0 and `as` floors it.
            let gx = ((p.x - phxf) * inv_pitch + 1.0) as i64;
            let gy = ((p.y - phyf) * inv_pitch + 1.0) as i64;
            if !(0..ncols).contains(&gx) || !(0..nrows).contains(&gy) {
                continue;
            }
            let Some(s) = usize::try_from(gy * ncols + gx)
                .ok()
                .and_then(|i| slot.get_mut(i))
            else {
                continue;
            };
            let open_sev = u32::from(rank_open_severity(p.rank));
            if let Some(a) = acc.get_mut(*s as usize) {
                let count = ((a.count_sev & COUNT_MASK) + 1).min(COUNT_MASK);
                a.count_sev = (a.count_sev >> 24).max(open_sev) << 24 | count;
                max = max.max(count);
                if (p.rank, p.mark) > (a.rank, a.mark) {
                    (a.rank, a.mark) = (p.rank, p.mark);
                }
            } else {
                *s = u32::try_from(acc.len()).unwrap_or(u32::MAX);
                acc.push(Acc {
                    rank: p.rank,
                    mark: p.mark,
                    count_sev: open_sev << 24 | 1,
                });
            }
        }
        let denom = (1.0 + f64::from(max)).ln();
        let cell_alpha = |count: u32| {
            alpha_u8(CELL_ALPHA.0 + CELL_ALPHA.1 * (1.0 + f64::from(count)).ln() / denom)
        };
        // Most cells hold few marks: their opacities once, not a logarithm a cell.
        let alpha_of: Vec<u8> = (0..=max.min(1024)).map(cell_alpha).collect();
        self.cell_side = pitch - 1;
        // The grid's columns and rows that meet the frame (all of them when the extent is
        // the frame): grid column `g` covers frame px `[ex + phx + (g − 1)·pitch, + pitch)`.
        let span = |e: i64, ph: i64, size: i64, n: i64| {
            let lo = ((-1 - e - ph).div_euclid(pitch) + 1).clamp(0, n);
            let hi = ((size - e - ph).div_euclid(pitch) + 2).clamp(lo, n);
            (lo, hi)
        };
        let (gx0, gx1) = span(ex, phx, i64::from(self.width), ncols);
        let (gy0, gy1) = span(ey, phy, i64::from(self.height), nrows);
        self.grid = Some((
            ex + phx + (gx0 - 1) * pitch,
            ey + phy + (gy0 - 1) * pitch,
            pitch,
            u32::try_from(gx1 - gx0).unwrap_or(0),
            u32::try_from(gy1 - gy0).unwrap_or(0),
        ));
        // Cells in row-major order (the slot grid's), so drawing and restoring them walk
        // the frame's memory forwards instead of jumping about it.
        let cols = usize::try_from(ncols).unwrap_or(1).max(1);
        let grid_xy = |i: usize| ((i % cols) as i64, (i / cols) as i64);
        self.cells = slot
            .iter()
            .enumerate()
            .filter(|(i, _)| {
                let (gx, gy) = grid_xy(*i);
                (gx0..gx1).contains(&gx) && (gy0..gy1).contains(&gy)
            })
            .filter_map(|(i, &s)| Some((i, acc.get(s as usize)?)))
            .map(|(i, a)| {
                let count = a.count_sev & COUNT_MASK;
                let sev = (a.count_sev >> 24) as u8;
                let rgb = Severity::new(sev).map_or(CLOSED_CELL_RGB, severity_rgb);
                let alpha = match alpha_of.get(count as usize) {
                    Some(&alpha) => alpha,
                    None => cell_alpha(count),
                };
                let (gx, gy) = grid_xy(i);
                Cell {
                    x: ex + phx + (gx - 1) * pitch,
                    y: ey + phy + (gy - 1) * pitch,
                    rgb,
                    alpha,
                    rep: a.mark,
                }
            })
            .collect();
        self.drawn += self.cells.len();

        let mut top: Vec<PickPoint> = top
            .into_iter()
            .filter_map(|Reverse((_, vi))| vis.get(vi).copied())
            .collect();
        top.sort_unstable_by_key(PickPoint::order);
        for p in top {
            self.push_mark(marks, p, now_ms, opts);
        }
    }

    /// Bucket every item by the tiles it touches and list the non-empty tiles.
    fn bucket(&self) -> TileBuckets {
        let area = u64::from(self.width) * u64::from(self.height);
        if self.width > MAX_FRAME_SIDE_PX
            || self.height > MAX_FRAME_SIDE_PX
            || area > MAX_FRAME_AREA_PX
        {
            return TileBuckets::default();
        }
        let frame = self.frame();
        let (cols, rows) = (self.cols, self.rows);
        let n_tiles = usize::try_from(cols * rows).unwrap_or(0);
        let rect_tiles = |r: IRect, emit: &mut dyn FnMut(usize)| {
            let r = r.intersect(&frame);
            if r.is_empty() {
                return;
            }
            let (c0, r0, c1, r1) = r.tile_span();
            for row in r0.max(0)..r1.min(rows) {
                for col in c0.max(0)..c1.min(cols) {
                    if let Ok(t) = usize::try_from(row * cols + col) {
                        emit(t);
                    }
                }
            }
        };
        let (sprites, images) = (&self.sprites, &self.images);
        let sprites = Buckets::build(n_tiles, sprites.len(), |i, emit| {
            if let Some(s) = sprites.get(i)
                && let Some(img) = images.get(s.image)
            {
                rect_tiles(s.bounds(img), emit);
            }
        });
        let segs = &self.segments;
        let segments = Buckets::build(n_tiles, segs.len(), |i, emit| {
            if let Some(s) = segs.get(i) {
                s.tiles(&frame, cols, rows, emit);
            }
        });
        let (cell_list, side) = (&self.cells, self.cell_side);
        let cells = Buckets::build(n_tiles, cell_list.len(), |i, emit| {
            if let Some(c) = cell_list.get(i) {
                rect_tiles(c.bounds(side), emit);
            }
        });
        let t = i64::from(TILE_PX);
        let tiles = (0..n_tiles)
            .filter(|&i| {
                !(sprites.of(i).is_empty() && segments.of(i).is_empty() && cells.of(i).is_empty())
            })
            .filter_map(|i| {
                let i = i64::try_from(i).ok()?;
                let r = IRect {
                    x0: (i % cols.max(1)) * t,
                    y0: (i / cols.max(1)) * t,
                    x1: (i % cols.max(1) + 1) * t,
                    y1: (i / cols.max(1) + 1) * t,
                }
                .intersect(&frame);
                tile_rect(&r)
            })
            .collect();
        TileBuckets {
            tiles,
            sprites,
            segments,
            cells,
        }
    }

    fn buckets(&self) -> &TileBuckets {
        self.buckets.get_or_init(|| self.bucket())
    }

    /// Sprite or density mode.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// Marks inside the view (including a sprite-size margin around it).
    pub fn visible(&self) -> usize {
        self.visible
    }

    /// Mark sprites plus density cells drawn (track dots not counted).
    pub fn drawn(&self) -> usize {
        self.drawn
    }

    /// Frame size `(width, height)`, device px.
    pub fn frame_size(&self) -> (u32, u32) {
        (self.width, self.height)
    }

    /// The tiles with something to draw, row-major, no duplicates.
    pub fn tiles(&self) -> &[TileRect] {
        &self.buckets().tiles
    }

    /// Density mode: the cells as an image with one pixel a cell (straight RGBA, the
    /// cell's colour and opacity; transparent where no cell is), to be shown scaled by
    /// `pitch` with its top-left at `(x, y)` device px, nearest-neighbour (cells then
    /// touch: no 1-px gap as in [`Plan::render_frame`]). `None` in sprite mode.
    pub fn density_image(&self) -> Option<DensityImage> {
        let (x, y, pitch, cols, rows) = self.grid?;
        let n = usize::try_from(u64::from(cols) * u64::from(rows) * 4).ok()?;
        let mut pixels = vec![0u8; n];
        for c in &self.cells {
            let (gx, gy) = ((c.x - x) / pitch, (c.y - y) / pitch);
            if !(0..i64::from(cols)).contains(&gx) || !(0..i64::from(rows)).contains(&gy) {
                continue;
            }
            let i = usize::try_from((gy * i64::from(cols) + gx) * 4).unwrap_or(usize::MAX);
            if let Some(px) = pixels.get_mut(i..i.saturating_add(4)) {
                let [r, g, b] = c.rgb;
                px.copy_from_slice(&[r, g, b, c.alpha]);
            }
        }
        Some(DensityImage {
            x,
            y,
            pitch,
            cols,
            rows,
            pixels,
        })
    }

    /// Fill `out` with `tile`'s pixels of `background` (the full frame's RGBA,
    /// `frame_width` px a row) with the incidents blended on top. `out` is
    /// resized to `tile.w * tile.h * 4` bytes. Any rectangle works (not only
    /// one of [`Plan::tiles`]); parts outside the plan's frame show only the
    /// background, parts outside `background` are opaque black. A tile
    /// larger than [`MAX_FRAME_AREA_PX`] leaves `out` empty.
    pub fn render_tile(
        &self,
        tile: TileRect,
        background: &[u8],
        frame_width: u32,
        out: &mut Vec<u8>,
    ) {
        out.clear();
        let area = u64::from(tile.w) * u64::from(tile.h);
        if area > MAX_FRAME_AREA_PX {
            return;
        }
        let Ok(n) = usize::try_from(area * 4) else {
            return;
        };
        out.reserve(n);
        copy_background(tile, background, frame_width, out);
        let rect = IRect {
            x0: i64::from(tile.x),
            y0: i64::from(tile.y),
            x1: i64::from(tile.x) + i64::from(tile.w),
            y1: i64::from(tile.y) + i64::from(tile.h),
        };
        let clip = rect.intersect(&self.frame());
        if clip.is_empty() || self.tiles().is_empty() {
            return;
        }
        let mut canvas = Canvas { buf: out, rect };
        let t = i64::from(TILE_PX);
        let (c0, r0, c1, r1) = clip.tile_span();
        for row in r0.max(0)..r1.min(self.rows) {
            for col in c0.max(0)..c1.min(self.cols) {
                let grid = IRect {
                    x0: col * t,
                    y0: row * t,
                    x1: (col + 1) * t,
                    y1: (row + 1) * t,
                };
                if let Ok(i) = usize::try_from(row * self.cols + col) {
                    self.draw_tile(i, &grid.intersect(&clip), &mut canvas);
                }
            }
        }
    }

    /// The whole frame over a background of the frame's size (the same pixels
    /// as [`Plan::render_tile`] of `(0, 0, width, height)`).
    pub fn render_frame(&self, background: &[u8], out: &mut Vec<u8>) {
        let tile = TileRect {
            x: 0,
            y: 0,
            w: self.width,
            h: self.height,
        };
        out.clear();
        let area = u64::from(self.width) * u64::from(self.height);
        if area > MAX_FRAME_AREA_PX {
            return;
        }
        copy_background(tile, background, self.width, out);
        let mut canvas = Canvas {
            buf: out,
            rect: self.frame(),
        };
        self.paint(&mut canvas, &mut |_| {});
    }

    /// Draw every item into `canvas` (which must cover the whole frame) in
    /// draw order (cells, tracks, sprites); `painted` gets each item's box
    /// clipped to the frame.
    fn paint(&self, canvas: &mut Canvas, painted: &mut dyn FnMut(IRect)) {
        let clip = self.frame();
        let side = self.cell_side;
        for c in &self.cells {
            let b = c.bounds(side).intersect(&clip);
            if !b.is_empty() {
                c.draw(side, canvas, &clip);
                painted(b);
            }
        }
        for s in &self.segments {
            let b = s.bounds().intersect(&clip);
            if !b.is_empty() {
                s.draw(canvas, &clip);
                painted(b);
            }
        }
        for s in &self.sprites {
            if let Some(img) = self.images.get(s.image) {
                let b = s.bounds(img).intersect(&clip);
                if !b.is_empty() {
                    s.draw(img, canvas, &clip);
                    painted(b);
                }
            }
        }
    }

    /// Draw grid tile `t`'s items inside `clip`: cells, then tracks, then sprites.
    fn draw_tile(&self, t: usize, clip: &IRect, canvas: &mut Canvas) {
        let b = self.buckets();
        for &i in b.cells.of(t) {
            if let Some(c) = self.cells.get(i as usize) {
                c.draw(self.cell_side, canvas, clip);
            }
        }
        for &i in b.segments.of(t) {
            if let Some(s) = self.segments.get(i as usize) {
                s.draw(canvas, clip);
            }
        }
        for &i in b.sprites.of(t) {
            if let Some(s) = self.sprites.get(i as usize)
                && let Some(img) = self.images.get(s.image)
            {
                s.draw(img, canvas, clip);
            }
        }
    }

    /// The mark drawn nearest to `(x_px, y_px)` (frame device px) within
    /// `radius_px` (device px) of its centre: sprites first (the topmost on a
    /// tie); in density mode, failing a sprite, the nearest mark binned into
    /// the cells. An index into the plan's [`Marks`].
    pub fn pick(&self, x_px: f64, y_px: f64, radius_px: f64) -> Option<usize> {
        if !(x_px.is_finite() && y_px.is_finite() && radius_px.is_finite() && radius_px >= 0.0) {
            return None;
        }
        let r2 = radius_px * radius_px;
        nearest(&self.pick_sprites, x_px, y_px, r2)
            .or_else(|| nearest(&self.pick_rest, x_px, y_px, r2))
    }

    /// Every mark drawn within `radius_px` (device px) of `(x_px, y_px)`, nearest first (the
    /// first is [`Plan::pick`]'s on the sprites), each once: a tap's chooser lists them.
    pub fn pick_all(&self, x_px: f64, y_px: f64, radius_px: f64) -> Vec<usize> {
        if !(x_px.is_finite() && y_px.is_finite() && radius_px.is_finite() && radius_px >= 0.0) {
            return Vec::new();
        }
        let r2 = radius_px * radius_px;
        // By insertion, nearest first and the later (drawn on top) first among equals: a
        // finger covers a few marks, and a std sort instantiated here cost bundle bytes
        // (`hit::sorted`'s note).
        let mut found: Vec<(f64, usize)> = Vec::new();
        for p in self.pick_sprites.iter().chain(self.pick_rest.iter()) {
            let (dx, dy) = (f64::from(p.x) - x_px, f64::from(p.y) - y_px);
            let d2 = dx * dx + dy * dy;
            let m = p.mark as usize;
            if d2 > r2 || found.iter().any(|f| f.1 == m) {
                continue;
            }
            let at = found.iter().position(|f| d2 <= f.0).unwrap_or(found.len());
            found.insert(at, (d2, m));
        }
        found.into_iter().map(|f| f.1).collect()
    }

    /// In density mode, the most important mark (open first, then severity,
    /// then newest) of the cell under `(x_px, y_px)` (device px), if that cell
    /// is drawn. A scan of the cells: for a click, not for every pointer move.
    pub fn cell_mark(&self, x_px: f64, y_px: f64) -> Option<usize> {
        let side = self.cell_side;
        self.cells
            .iter()
            .find(|c| {
                let b = c.bounds(side + 1);
                x_px >= b.x0 as f64
                    && x_px < b.x1 as f64
                    && y_px >= b.y0 as f64
                    && y_px < b.y1 as f64
            })
            .map(|c| c.rep as usize)
    }
}

/// Nearest point within `sqrt(r2)` px; the later one on a tie.
fn nearest(points: &[PickPoint], x: f64, y: f64, r2: f64) -> Option<usize> {
    let mut best: Option<(f64, u32)> = None;
    for p in points {
        let (dx, dy) = (f64::from(p.x) - x, f64::from(p.y) - y);
        let d2 = dx * dx + dy * dy;
        if d2 <= r2 && best.is_none_or(|(b, _)| d2 <= b) {
            best = Some((d2, p.mark));
        }
    }
    best.map(|(_, m)| m as usize)
}

fn tile_rect(r: &IRect) -> Option<TileRect> {
    if r.is_empty() {
        return None;
    }
    Some(TileRect {
        x: u32::try_from(r.x0).ok()?,
        y: u32::try_from(r.y0).ok()?,
        w: u32::try_from(r.x1 - r.x0).ok()?,
        h: u32::try_from(r.y1 - r.y0).ok()?,
    })
}

/// Append `tile`'s pixels of `background` (`frame_width` px a row) to `out`,
/// `tile.w * tile.h * 4` bytes; pixels `background` does not have are opaque black.
fn copy_background(tile: TileRect, background: &[u8], frame_width: u32, out: &mut Vec<u8>) {
    const BLACK: [u8; 4] = [0, 0, 0, 255];
    let w = tile.w as usize;
    // Pixels of each row that lie inside the background's width.
    let inside = frame_width.saturating_sub(tile.x).min(tile.w) as usize;
    for j in 0..u64::from(tile.h) {
        let start = (u64::from(tile.y) + j) * u64::from(frame_width) + u64::from(tile.x);
        let src = usize::try_from(start * 4)
            .ok()
            .and_then(|s| background.get(s..s.checked_add(inside * 4)?));
        let copied = match src {
            Some(src) => {
                out.extend_from_slice(src);
                inside
            }
            None => 0,
        };
        for _ in copied..w {
            out.extend_from_slice(&BLACK);
        }
    }
}
