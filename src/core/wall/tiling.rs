//! Several screens as one map: the wall's grid of screens and each screen's part of one large
//! virtual viewport.
//!
//! Units and spaces:
//! * **virtual CSS px**: the whole wall as one canvas, origin at the top-left corner of tile
//!   (0, 0), y down. It is `cols × W + (cols − 1) × bezel_px` wide and
//!   `rows × H + (rows − 1) × bezel_px` high, where `W × H` is one screen's size in CSS px: the
//!   bezels (the physical frames between screens) count as hidden pixels, so a line crossing
//!   a gap keeps its direction, as a window frame hides part of the view behind it.
//! * **tile CSS px**: one screen's canvas, origin at its top-left corner, y down. Tile `(c, r)`
//!   starts at virtual px `(c × (W + bezel), r × (H + bezel))`.
//! * World positions are EPSG:3857 metres; every screen ↔ world conversion goes through
//!   [`Viewport`]: a tile's viewport is the virtual viewport's centre moved to the tile's centre,
//!   with the same zoom, so a world point is drawn on a tile exactly where the virtual render
//!   would draw it minus the tile's offset (no seam, no overlap; with bezel 0, pixel `(x, y)` of
//!   tile (1, 0) is pixel `(x + W, y)` of the virtual render).
//!
//! Labels are placed once, in virtual CSS px, for the whole wall
//! ([`labels::place_labels`](crate::labels::place_labels) over [`WallLayout::virtual_size`]);
//! each tile draws those whose box meets it ([`WallLayout::label_on_tile`]), moved by
//! [`WallLayout::to_tile`], so a label across a seam is drawn in part on both tiles and never
//! cut off or doubled.
//!
//! The shell keeps the VIRTUAL view as the app's view (so flights, fits and tours frame the
//! whole wall) and derives its screen's with [`WallLayout::tile_view`]; its layout is in the
//! map's CSS px ([`WallLayout::in_map_px`]: screen CSS px over the map scale `k`, the same `k` on
//! every screen), so a bezel of `b` screen px hides `b` screen px on every screen.

use crate::labels::LabelCandidate;
use crate::units::{Mercator, Zoom};
use crate::viewport::Viewport;

/// Largest number of screen columns or rows of a wall.
pub const MAX_SCREENS_PER_SIDE: u32 = 16;
/// Largest bezel, CSS px.
pub const MAX_BEZEL_PX: f64 = 1_000.0;

/// One screen's place in the grid: column from the left, row from the top, both from 0.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Tile {
    pub col: u32,
    pub row: u32,
}

/// The wall's grid of screens: `cols × rows` screens with `bezel_px` CSS px hidden between
/// neighbours. Built only through [`Grid::new`], so it always holds at least one screen.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Grid {
    cols: u32,
    rows: u32,
    bezel_px: f64,
}

impl Default for Grid {
    /// A single screen.
    fn default() -> Self {
        Grid {
            cols: 1,
            rows: 1,
            bezel_px: 0.0,
        }
    }
}

/// Why a grid could not be built (the field is the caller's to name).
#[derive(Clone, Copy, Debug, PartialEq, thiserror::Error)]
pub enum GridError {
    /// Columns outside `1..=MAX_SCREENS_PER_SIDE`.
    #[error("columns out of range")]
    Cols,
    /// Rows outside `1..=MAX_SCREENS_PER_SIDE`.
    #[error("rows out of range")]
    Rows,
    /// A bezel that is not a finite number of CSS px in `0..=MAX_BEZEL_PX`.
    #[error("bezel out of range")]
    Bezel,
}

impl Grid {
    /// A grid of `cols × rows` screens (each `1..=MAX_SCREENS_PER_SIDE`) with `bezel_px` CSS px
    /// (finite, `0..=MAX_BEZEL_PX`) between screens.
    pub fn new(cols: u32, rows: u32, bezel_px: f64) -> Result<Grid, GridError> {
        if !(1..=MAX_SCREENS_PER_SIDE).contains(&cols) {
            return Err(GridError::Cols);
        }
        if !(1..=MAX_SCREENS_PER_SIDE).contains(&rows) {
            return Err(GridError::Rows);
        }
        if !(bezel_px.is_finite() && (0.0..=MAX_BEZEL_PX).contains(&bezel_px)) {
            return Err(GridError::Bezel);
        }
        Ok(Grid {
            cols,
            rows,
            bezel_px,
        })
    }

    pub fn cols(&self) -> u32 {
        self.cols
    }
    pub fn rows(&self) -> u32 {
        self.rows
    }
    /// CSS px hidden between two neighbouring screens.
    pub fn bezel_px(&self) -> f64 {
        self.bezel_px
    }

    /// The same screens with another bezel (refused as in [`Grid::new`]).
    pub fn with_bezel(self, bezel_px: f64) -> Result<Grid, GridError> {
        Grid::new(self.cols, self.rows, bezel_px)
    }

    /// True if the tile is one of the grid's screens.
    pub fn contains(&self, tile: Tile) -> bool {
        tile.col < self.cols && tile.row < self.rows
    }

    /// Every tile, row by row from the top-left.
    pub fn tiles(&self) -> impl Iterator<Item = Tile> + '_ {
        (0..self.rows).flat_map(move |row| (0..self.cols).map(move |col| Tile { col, row }))
    }

    /// Is this a wall of more than one screen?
    pub fn is_multi(&self) -> bool {
        self.cols > 1 || self.rows > 1
    }
}

/// An axis-aligned box in CSS px (virtual or tile), `x0 ≤ x1`, `y0 ≤ y1`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CssBox {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl CssBox {
    /// True if the boxes share interior area (touching edges do not count).
    pub fn overlaps(&self, o: &CssBox) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }
}

/// The wall's layout in CSS px: its grid and one screen's size (every screen the same).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WallLayout {
    grid: Grid,
    screen_w: f64,
    screen_h: f64,
}

fn sane_size(v: f64) -> f64 {
    if v.is_finite() && v >= 1.0 { v } else { 1.0 }
}

impl WallLayout {
    /// The layout of `grid` with screens of `screen_w × screen_h` CSS px (non-finite or < 1
    /// becomes 1, as [`Viewport::new`] does).
    pub fn new(grid: Grid, screen_w_css: f64, screen_h_css: f64) -> WallLayout {
        WallLayout {
            grid,
            screen_w: sane_size(screen_w_css),
            screen_h: sane_size(screen_h_css),
        }
    }

    /// The layout in the map's CSS px of screens `screen_w × screen_h` screen CSS px wide drawn
    /// at map scale `k` (screen CSS px per map CSS px, `DisplayMode::scale`; non-finite or ≤ 0
    /// is 1): screens and bezels divided by `k`, so that a bezel of `b` screen px hides `b`
    /// screen px of the map on every screen whatever `k` (the bezel may then exceed
    /// [`MAX_BEZEL_PX`] map px).
    pub fn in_map_px(grid: Grid, screen_w_css: f64, screen_h_css: f64, k: f64) -> WallLayout {
        let k = if k.is_finite() && k > 0.0 { k } else { 1.0 };
        WallLayout::new(
            Grid {
                bezel_px: grid.bezel_px / k,
                ..grid
            },
            screen_w_css / k,
            screen_h_css / k,
        )
    }

    pub fn grid(&self) -> Grid {
        self.grid
    }

    /// One screen's size, CSS px.
    pub fn screen_size(&self) -> (f64, f64) {
        (self.screen_w, self.screen_h)
    }

    /// The whole wall's size in virtual CSS px, bezels included.
    pub fn virtual_size(&self) -> (f64, f64) {
        let g = &self.grid;
        let b = g.bezel_px;
        (
            f64::from(g.cols) * self.screen_w + f64::from(g.cols - 1) * b,
            f64::from(g.rows) * self.screen_h + f64::from(g.rows - 1) * b,
        )
    }

    /// Virtual CSS px of the tile's top-left corner.
    pub fn origin(&self, tile: Tile) -> (f64, f64) {
        let b = self.grid.bezel_px;
        (
            f64::from(tile.col) * (self.screen_w + b),
            f64::from(tile.row) * (self.screen_h + b),
        )
    }

    /// The tile's area in virtual CSS px.
    pub fn tile_box(&self, tile: Tile) -> CssBox {
        let (x0, y0) = self.origin(tile);
        CssBox {
            x0,
            y0,
            x1: x0 + self.screen_w,
            y1: y0 + self.screen_h,
        }
    }

    /// Virtual CSS px to the tile's CSS px (outside `0..W × 0..H` when not on that tile).
    pub fn to_tile(&self, tile: Tile, x_virtual: f64, y_virtual: f64) -> (f64, f64) {
        let (ox, oy) = self.origin(tile);
        (x_virtual - ox, y_virtual - oy)
    }

    /// The tile's CSS px to virtual CSS px.
    pub fn to_virtual(&self, tile: Tile, x_tile: f64, y_tile: f64) -> (f64, f64) {
        let (ox, oy) = self.origin(tile);
        (x_tile + ox, y_tile + oy)
    }

    /// The tile showing a virtual CSS px position (edges: the tile to the right / below owns
    /// its left / top edge); `None` in a bezel or outside the wall.
    pub fn tile_at(&self, x_virtual: f64, y_virtual: f64) -> Option<Tile> {
        let index = |v: f64, size: f64, n: u32| -> Option<u32> {
            let pitch = size + self.grid.bezel_px;
            if !(v.is_finite() && v >= 0.0) {
                return None;
            }
            let i = (v / pitch).floor();
            if i >= f64::from(n) || v - i * pitch >= size {
                return None;
            }
            // `i` is a whole number in 0..n, so the cast is exact.
            Some(i as u32)
        };
        Some(Tile {
            col: index(x_virtual, self.screen_w, self.grid.cols)?,
            row: index(y_virtual, self.screen_h, self.grid.rows)?,
        })
    }

    /// The whole wall's viewport centred on `center` at `zoom` (what a tour view or a fit
    /// names; `dpr` is each screen's device pixel ratio).
    pub fn virtual_view(&self, center: Mercator, zoom: Zoom, dpr: f64) -> Viewport {
        let (w, h) = self.virtual_size();
        Viewport::new(center, zoom, w, h, dpr)
    }

    /// The tile's own viewport: `W × H` CSS px at the virtual view's zoom and dpr, centred on the
    /// world point under the tile's centre in the virtual view. Its `world_to_screen` is the
    /// virtual one minus the tile's [`origin`](WallLayout::origin). (A virtual view whose
    /// tiles reach past the EPSG:3857 world square would have their centres clamped into it:
    /// not a view of the Channel.)
    pub fn tile_view(&self, virtual_view: &Viewport, tile: Tile) -> Viewport {
        let (ox, oy) = self.origin(tile);
        let center =
            virtual_view.screen_to_world(ox + self.screen_w / 2.0, oy + self.screen_h / 2.0);
        Viewport::new(
            center,
            virtual_view.zoom(),
            self.screen_w,
            self.screen_h,
            virtual_view.dpr(),
        )
    }

    /// The virtual viewport a tile's viewport belongs to (inverse of
    /// [`tile_view`](WallLayout::tile_view)): the shell keeps its tile's view and derives the
    /// whole wall's from it.
    pub fn virtual_of(&self, tile_view: &Viewport, tile: Tile) -> Viewport {
        let (ox, oy) = self.origin(tile);
        let (w, h) = self.virtual_size();
        let center = tile_view.screen_to_world(w / 2.0 - ox, h / 2.0 - oy);
        Viewport::new(center, tile_view.zoom(), w, h, tile_view.dpr())
    }

    /// Does a box in virtual CSS px show on the tile (share area with it)? A box wholly in a
    /// bezel shows on none.
    pub fn box_on_tile(&self, b: &CssBox, tile: Tile) -> bool {
        self.tile_box(tile).overlaps(b)
    }

    /// A label placed in virtual CSS px as the tile draws it: moved into the tile's CSS px
    /// ([`to_tile`](WallLayout::to_tile)), or `None` when its box, grown by `margin_css` on
    /// every side (a halo drawn round the text), does not meet the tile.
    pub fn label_to_tile(
        &self,
        label: &LabelCandidate,
        tile: Tile,
        margin_css: f64,
    ) -> Option<LabelCandidate> {
        let m = if margin_css.is_finite() {
            margin_css.max(0.0)
        } else {
            0.0
        };
        let (x0, y0, x1, y1) = label.css_box()?;
        let grown = CssBox {
            x0: x0 - m,
            y0: y0 - m,
            x1: x1 + m,
            y1: y1 + m,
        };
        self.box_on_tile(&grown, tile).then(|| {
            let (x, y) = self.to_tile(tile, label.x, label.y);
            LabelCandidate { x, y, ..*label }
        })
    }

    /// Does a label placed in virtual CSS px show on the tile? (Its box as
    /// [`LabelCandidate::css_box`]; a label with a non-finite or negative size shows nowhere.)
    pub fn label_on_tile(&self, label: &LabelCandidate, tile: Tile) -> bool {
        label
            .css_box()
            .is_some_and(|(x0, y0, x1, y1)| self.box_on_tile(&CssBox { x0, y0, x1, y1 }, tile))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::projection::to_mercator;
    use crate::units::LonLat;

    fn calais() -> Mercator {
        to_mercator(LonLat {
            lon: 1.8587,
            lat: 50.9513,
        })
    }

    #[test]
    fn grids_refuse_nonsense() {
        assert_eq!(Grid::new(0, 1, 0.0), Err(GridError::Cols));
        assert_eq!(Grid::new(2, 17, 0.0), Err(GridError::Rows));
        assert_eq!(Grid::new(2, 1, -1.0), Err(GridError::Bezel));
        assert_eq!(Grid::new(2, 1, f64::NAN), Err(GridError::Bezel));
        let g = Grid::new(3, 2, 40.0).unwrap();
        assert_eq!(g.tiles().count(), 6);
        assert!(g.contains(Tile { col: 2, row: 1 }));
        assert!(!g.contains(Tile { col: 3, row: 0 }));
        assert!(!Grid::default().is_multi());
    }

    #[test]
    fn two_by_one_without_bezel_is_one_wide_canvas() {
        let layout = WallLayout::new(Grid::new(2, 1, 0.0).unwrap(), 1920.0, 1080.0);
        assert_eq!(layout.virtual_size(), (3840.0, 1080.0));
        let whole = layout.virtual_view(calais(), Zoom::new(13.0).unwrap(), 1.0);
        let right = layout.tile_view(&whole, Tile { col: 1, row: 0 });
        // Pixel (x, y) of tile (1, 0) is pixel (x + 1920, y) of the whole.
        for (x, y) in [(0.0, 0.0), (10.5, 700.25), (1919.0, 1079.0)] {
            let a = right.screen_to_world(x, y);
            let b = whole.screen_to_world(x + 1920.0, y);
            assert!((a.x - b.x).abs() < 1e-6 && (a.y - b.y).abs() < 1e-6);
        }
        // Calais sits at the seam in the whole view: at x = 0 of the right tile.
        let (x, _) = right.world_to_screen(calais());
        assert!(x.abs() < 1e-6, "{x}");
        assert_eq!(
            layout.virtual_of(&right, Tile { col: 1, row: 0 }).center(),
            whole.center()
        );
    }

    #[test]
    fn bezels_hide_pixels() {
        let layout = WallLayout::new(Grid::new(2, 2, 40.0).unwrap(), 1920.0, 1080.0);
        assert_eq!(layout.virtual_size(), (3880.0, 2200.0));
        let t = Tile { col: 1, row: 1 };
        assert_eq!(layout.origin(t), (1960.0, 1120.0));
        assert_eq!(layout.to_tile(t, 1960.0, 1120.0), (0.0, 0.0));
        assert_eq!(layout.to_virtual(t, 5.0, 6.0), (1965.0, 1126.0));
        assert_eq!(layout.tile_at(1930.0, 10.0), None, "in the bezel");
        assert_eq!(layout.tile_at(1960.0, 10.0), Some(Tile { col: 1, row: 0 }));
        assert_eq!(
            layout.tile_at(1919.9, 1079.9),
            Some(Tile { col: 0, row: 0 })
        );
        assert_eq!(layout.tile_at(3880.0, 0.0), None);
        assert_eq!(layout.tile_at(-0.1, 0.0), None);
    }

    #[test]
    fn layouts_in_map_px_keep_the_bezel_in_screen_px() {
        let grid = Grid::new(2, 1, 40.0).unwrap();
        let layout = WallLayout::in_map_px(grid, 1920.0, 1080.0, 1.5);
        assert_eq!(layout.screen_size(), (1280.0, 720.0));
        let (ox, _) = layout.origin(Tile { col: 1, row: 0 });
        // Tile (1, 0) starts 1960 screen px into the wall: 1920 + the 40 px bezel.
        assert!((ox * 1.5 - 1960.0).abs() < 1e-9, "{ox}");
        let (w, h) = layout.virtual_size();
        assert!((w * 1.5 - 3880.0).abs() < 1e-9 && (h - 720.0).abs() < 1e-9);
        assert_eq!(
            WallLayout::in_map_px(grid, 1920.0, 1080.0, f64::NAN),
            WallLayout::new(grid, 1920.0, 1080.0)
        );
        // A big bezel on a small scale is kept, not refused.
        let wide = WallLayout::in_map_px(Grid::new(2, 1, 900.0).unwrap(), 800.0, 600.0, 0.5);
        assert_eq!(wide.grid().bezel_px(), 1800.0);
    }

    #[test]
    fn a_label_across_the_seam_shows_on_both_tiles() {
        let layout = WallLayout::new(Grid::new(2, 1, 0.0).unwrap(), 1920.0, 1080.0);
        let label = LabelCandidate {
            x: 1900.0,
            y: 500.0,
            width: 80.0,
            height: 20.0,
            priority: 0,
        };
        assert!(layout.label_on_tile(&label, Tile { col: 0, row: 0 }));
        assert!(layout.label_on_tile(&label, Tile { col: 1, row: 0 }));
        let on_right = layout
            .label_to_tile(&label, Tile { col: 1, row: 0 }, 0.0)
            .unwrap();
        assert_eq!(
            (on_right.x, on_right.y, on_right.width),
            (-20.0, 500.0, 80.0)
        );
        let near = LabelCandidate { x: 1830.0, ..label };
        assert_eq!(
            layout.label_to_tile(&near, Tile { col: 1, row: 0 }, 0.0),
            None
        );
        let halo = layout
            .label_to_tile(&near, Tile { col: 1, row: 0 }, 12.0)
            .unwrap();
        assert_eq!(halo.x, -90.0, "its halo reaches the tile");
        let left_only = LabelCandidate { x: 100.0, ..label };
        assert!(!layout.label_on_tile(&left_only, Tile { col: 1, row: 0 }));
        let bad = LabelCandidate {
            width: f64::NAN,
            ..label
        };
        assert!(!layout.label_on_tile(&bad, Tile { col: 0, row: 0 }));
    }
}
