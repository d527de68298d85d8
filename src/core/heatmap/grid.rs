//! The density grid's geometry over a view, and linear (cloud-in-cell) binning onto it.
//!
//! Space: the grid is square in **EPSG:3857 metres** (`cell_m` per cell, both axes), its
//! columns and rows parallel to the screen, anchored to whole multiples of `cell_m` in the
//! world (so panning moves the picture, not the binning: a place keeps its value while the map
//! is dragged). Its resolution is a fraction of the screen's (**cells per CSS px**, default ½),
//! coarsened when the bandwidth spans more than [`MAX_SIGMA_CELLS`] cells (the density is
//! smooth at that scale; the bitmap is upscaled by the compositor). It is padded by
//! [`PAD_SIGMAS`] σ on every side so that reports just outside the view still shine into it.
//!
//! Ground: every row has its own latitude; [`GridSpec::row_scale`] gives the ground metres per
//! EPSG:3857 metre along the parallel and along the meridian there (WGS84, [`earth`]), from
//! which the σ in cells of each row and the ground area of its cells follow.
//!
//! Parts: a wall of several screens computes one grid over the whole wall's view and each
//! screen paints the cells covering it ([`GridSpec::crop`]), so the values, the peak in view
//! and the colours are the whole wall's on every screen.
//!
//! [`earth`]: crate::earth

use crate::earth::{WGS84_A, metres_per_radian};
use crate::projection::to_lonlat;
use crate::units::Mercator;
use crate::viewport::Viewport;

/// The grid is padded by this many bandwidths on each side.
pub const PAD_SIGMAS: f64 = 4.0;
/// Above this σ in cells the grid is coarsened (cells grow) to keep σ at this many cells.
pub const MAX_SIGMA_CELLS: f64 = 8.0;
/// No grid side grows beyond this many cells (a zoomed-out view of a whole continent).
pub const MAX_SIDE_CELLS: usize = 4096;

/// Where the grid lies and how fine it is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GridSpec {
    /// Columns and rows, padding included.
    pub cols: usize,
    pub rows: usize,
    /// EPSG:3857 metres per cell (both axes).
    pub cell_m: f64,
    /// EPSG:3857 x of the grid's left edge.
    pub left_m: f64,
    /// EPSG:3857 y of the grid's top edge (rows go south).
    pub top_m: f64,
    /// The cells that cover the view: columns `view_cols.0 .. view_cols.1`, rows likewise.
    pub view_cols: (usize, usize),
    pub view_rows: (usize, usize),
}

/// Ground metres per EPSG:3857 metre at a latitude: along the parallel (east-west) and along
/// the meridian (north-south). They differ by 0.27 % at 51° N (EPSG:3857 applied to WGS84
/// coordinates is not conformal).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RowScale {
    pub east: f64,
    pub north: f64,
}

impl RowScale {
    /// The scale at latitude `lat_deg` (WGS84).
    pub fn at(lat_deg: f64) -> RowScale {
        let (m, n_cos) = metres_per_radian(lat_deg);
        let cos = lat_deg.to_radians().cos();
        RowScale {
            east: n_cos / WGS84_A,
            north: m * cos / WGS84_A,
        }
    }
}

impl GridSpec {
    /// The grid for `view` at `cells_per_css_px` (clamped to 1/16 ..= 2) for a bandwidth of
    /// `sigma_m` ground metres. `None` if the inputs are not finite and positive.
    pub fn for_view(view: &Viewport, cells_per_css_px: f64, sigma_m: f64) -> Option<GridSpec> {
        if !(cells_per_css_px.is_finite() && sigma_m.is_finite() && sigma_m > 0.0) {
            return None;
        }
        let f = cells_per_css_px.clamp(1.0 / 16.0, 2.0);
        let mpp = view.mercator_per_css_px();
        let vb = view.visible_bounds();
        // The largest σ in cells is on the row nearest the pole (smallest ground scale).
        let pole_lat = to_lonlat(Mercator {
            x: vb.min_x,
            y: if vb.max_y.abs() > vb.min_y.abs() {
                vb.max_y
            } else {
                vb.min_y
            },
        })
        .lat;
        let scale_min = RowScale::at(pole_lat)
            .north
            .min(RowScale::at(pole_lat).east);
        let mut cell_m = mpp / f;
        let sigma_cells_max = sigma_m / (scale_min * cell_m);
        if sigma_cells_max > MAX_SIGMA_CELLS {
            cell_m = sigma_m / (scale_min * MAX_SIGMA_CELLS);
        }
        if !(cell_m.is_finite() && cell_m > 0.0) {
            return None;
        }
        let sigma_cells_max = sigma_m / (scale_min * cell_m);
        let pad = (PAD_SIGMAS * sigma_cells_max).ceil().max(1.0);
        // View edges snapped outwards to whole cells of the world.
        let i_left = (vb.min_x / cell_m).floor();
        let i_right = (vb.max_x / cell_m).ceil();
        let j_top = (vb.max_y / cell_m).ceil();
        let j_bottom = (vb.min_y / cell_m).floor();
        let view_w = (i_right - i_left).max(1.0);
        let view_h = (j_top - j_bottom).max(1.0);
        let cols = view_w + 2.0 * pad;
        let rows = view_h + 2.0 * pad;
        let max_side = MAX_SIDE_CELLS as f64;
        if !(cols.is_finite() && rows.is_finite()) || cols > max_side || rows > max_side {
            return None;
        }
        let (cols, rows, pad_u) = (cols as usize, rows as usize, pad as usize);
        Some(GridSpec {
            cols,
            rows,
            cell_m,
            left_m: (i_left - pad) * cell_m,
            top_m: (j_top + pad) * cell_m,
            view_cols: (pad_u, pad_u + view_w as usize),
            view_rows: (pad_u, pad_u + view_h as usize),
        })
    }

    /// EPSG:3857 y of the centre of row `j`.
    pub fn row_centre_y(&self, j: usize) -> f64 {
        self.top_m - (j as f64 + 0.5) * self.cell_m
    }

    /// EPSG:3857 x of the centre of column `i`.
    pub fn col_centre_x(&self, i: usize) -> f64 {
        self.left_m + (i as f64 + 0.5) * self.cell_m
    }

    /// The ground scale of row `j` (at its centre's latitude).
    pub fn row_scale(&self, j: usize) -> RowScale {
        let lat = to_lonlat(Mercator {
            x: 0.0,
            y: self.row_centre_y(j),
        })
        .lat;
        RowScale::at(lat)
    }

    /// Ground area of one cell of row `j`, km².
    pub fn cell_area_km2(&self, j: usize) -> f64 {
        let s = self.row_scale(j);
        self.cell_m * s.east * self.cell_m * s.north / 1e6
    }

    /// Fractional cell coordinates of a world point, measured so that cell centres are whole
    /// numbers: `(0.0, 0.0)` is the centre of the top-left cell.
    pub fn cell_coords(&self, m: Mercator) -> (f64, f64) {
        (
            (m.x - self.left_m) / self.cell_m - 0.5,
            (self.top_m - m.y) / self.cell_m - 0.5,
        )
    }

    /// Where the cells covering the view land on the screen of `view`: left, top, width,
    /// height in CSS px (left/top ≤ 0: the bitmap overhangs the view by under one cell).
    pub fn view_placement_css(&self, view: &Viewport) -> (f64, f64, f64, f64) {
        let mpp = view.mercator_per_css_px();
        let x0 = self.left_m + self.view_cols.0 as f64 * self.cell_m;
        let y0 = self.top_m - self.view_rows.0 as f64 * self.cell_m;
        let (sx, sy) = view.world_to_screen(Mercator { x: x0, y: y0 });
        let w = (self.view_cols.1 - self.view_cols.0) as f64 * self.cell_m / mpp;
        let h = (self.view_rows.1 - self.view_rows.0) as f64 * self.cell_m / mpp;
        (sx, sy, w, h)
    }

    /// The same grid with its view crop narrowed to the cells covering `part`, a part of the
    /// view it was laid over (one screen of a wall of several screens), with one cell more on
    /// each side (so that a bitmap of the crop, smoothed as it is scaled up, reads the same
    /// neighbours at the part's edges as the whole's), clamped to this grid's view crop. The
    /// values stay the whole view's: the same place gets the same colour on every part.
    pub fn crop(&self, part: &Viewport) -> GridSpec {
        let vb = part.visible_bounds();
        let within = |v: f64, (lo, hi): (usize, usize)| {
            if v.is_finite() {
                v.clamp(lo as f64, hi as f64) as usize
            } else {
                lo
            }
        };
        let col = |x: f64| (x - self.left_m) / self.cell_m;
        let row = |y: f64| (self.top_m - y) / self.cell_m;
        let c0 = within(col(vb.min_x).floor() - 1.0, self.view_cols);
        let c1 = within(col(vb.max_x).ceil() + 1.0, self.view_cols).max(c0);
        let r0 = within(row(vb.max_y).floor() - 1.0, self.view_rows);
        let r1 = within(row(vb.min_y).ceil() + 1.0, self.view_rows).max(r0);
        GridSpec {
            view_cols: (c0, c1),
            view_rows: (r0, r1),
            ..*self
        }
    }

    /// The rows of `crop` (a [`GridSpec::crop`] of this grid) out of `view_rows`, the rows of
    /// this grid's view crop (a [`DensityGrid::view_rows`](super::DensityGrid::view_rows), or
    /// values computed over it, as a difference of two windows).
    pub fn crop_rows<'a>(
        &self,
        crop: &GridSpec,
        view_rows: impl Iterator<Item = &'a [f32]>,
    ) -> impl Iterator<Item = &'a [f32]> {
        let c0 = crop.view_cols.0.saturating_sub(self.view_cols.0);
        let c1 = crop.view_cols.1.saturating_sub(self.view_cols.0).max(c0);
        let r0 = crop.view_rows.0.saturating_sub(self.view_rows.0);
        let r1 = crop.view_rows.1.saturating_sub(self.view_rows.0);
        view_rows
            .skip(r0)
            .take(r1.saturating_sub(r0))
            .filter_map(move |row| row.get(c0..c1))
    }

    /// Width and height of the view crop, cells.
    pub fn view_size(&self) -> (usize, usize) {
        (
            self.view_cols.1.saturating_sub(self.view_cols.0),
            self.view_rows.1.saturating_sub(self.view_rows.0),
        )
    }

    /// Whether a cell lies in the view crop.
    pub fn in_view(&self, i: usize, j: usize) -> bool {
        (self.view_cols.0..self.view_cols.1).contains(&i)
            && (self.view_rows.0..self.view_rows.1).contains(&j)
    }
}

/// Add `w` at world point `m` to the four cells around it, each in proportion to its
/// closeness (bilinear, "cloud in cell"): the total added is `w` unless part of the cloud falls
/// off the grid. Non-finite positions or weights are ignored. (One point; [`Binner`] bins
/// many.)
pub fn splat(grid: &mut [f32], spec: &GridSpec, m: Mercator, w: f32) {
    Binner::new(spec).splat(grid, m, w);
}

/// Linear binning onto one grid, its geometry worked out once for all the points.
#[derive(Clone, Copy, Debug)]
pub struct Binner {
    cols: usize,
    /// Cells per EPSG:3857 metre.
    inv_cell: f64,
    /// Fractional cell coordinates of the world origin (see [`GridSpec::cell_coords`]).
    x0: f64,
    y0: f64,
    /// Last column and row with a right / lower neighbour.
    max_i: f64,
    max_j: f64,
    cols_f: f64,
    rows_f: f64,
}

impl Binner {
    pub fn new(spec: &GridSpec) -> Binner {
        let inv_cell = 1.0 / spec.cell_m;
        Binner {
            cols: spec.cols,
            inv_cell,
            x0: -spec.left_m * inv_cell - 0.5,
            y0: spec.top_m * inv_cell - 0.5,
            max_i: spec.cols as f64 - 2.0,
            max_j: spec.rows as f64 - 2.0,
            cols_f: spec.cols as f64,
            rows_f: spec.rows as f64,
        }
    }

    /// Add `w` at `m` (see [`splat`]).
    #[inline]
    pub fn splat(&self, grid: &mut [f32], m: Mercator, w: f32) {
        let fx = m.x * self.inv_cell + self.x0;
        let fy = self.y0 - m.y * self.inv_cell;
        // Inside (the common case): the cloud's four cells are on the grid; then the
        // coordinates are ≥ 0 and truncation is the floor. NaN fails every comparison.
        if fx >= 0.0 && fy >= 0.0 && fx < self.max_i + 1.0 && fy < self.max_j + 1.0 {
            if !w.is_finite() {
                return;
            }
            let (i0, j0) = (fx as usize, fy as usize);
            let (tx, ty) = ((fx - i0 as f64) as f32, (fy - j0 as f64) as f32);
            let (wx1, wx0) = (w * tx, w * (1.0 - tx));
            let idx = j0 * self.cols + i0;
            add_pair(
                grid.get_mut(idx..idx + 2),
                [wx0 * (1.0 - ty), wx1 * (1.0 - ty)],
            );
            add_pair(
                grid.get_mut(idx + self.cols..idx + self.cols + 2),
                [wx0 * ty, wx1 * ty],
            );
            return;
        }
        self.splat_edge(grid, fx, fy, w);
    }

    /// [`Binner::splat`] at fractional cell coordinates (`fx`, `fy`) off the inside: corner
    /// by corner, the corners off the grid dropped.
    #[cold]
    fn splat_edge(&self, grid: &mut [f32], fx: f64, fy: f64, w: f32) {
        if !(fx >= -1.0 && fy >= -1.0 && fx < self.cols_f && fy < self.rows_f && w.is_finite()) {
            return;
        }
        let (i0, j0) = (fx.floor(), fy.floor());
        let (tx, ty) = ((fx - i0) as f32, (fy - j0) as f32);
        let (wx1, wx0) = (w * tx, w * (1.0 - tx));
        let corners = [
            (i0, j0, wx0 * (1.0 - ty)),
            (i0 + 1.0, j0, wx1 * (1.0 - ty)),
            (i0, j0 + 1.0, wx0 * ty),
            (i0 + 1.0, j0 + 1.0, wx1 * ty),
        ];
        for (i, j, v) in corners {
            let inside = i >= 0.0 && j >= 0.0 && i < self.cols_f && j < self.rows_f;
            let cell = inside.then(|| j as usize * self.cols + i as usize);
            if let Some(c) = cell.and_then(|k| grid.get_mut(k)) {
                *c += v;
            }
        }
    }
}

#[inline(always)]
fn add_pair(cells: Option<&mut [f32]>, v: [f32; 2]) {
    if let Some([a, b]) = cells {
        *a += v[0];
        *b += v[1];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The heatmap grid is capped (issue 15, item 6): a view whose grid would pass
    /// [`MAX_SIDE_CELLS`] cells a side gets none (the layer draws nothing) instead of a huge
    /// allocation; a wall-sized view gets one within the cap.
    #[test]
    fn no_grid_passes_max_side_cells() {
        use crate::projection::to_mercator;
        use crate::units::{LonLat, Zoom};
        let c = to_mercator(LonLat::new(1.85, 50.96).unwrap());
        let wall = Viewport::new(c, Zoom::new(11.0).unwrap(), 3840.0, 2160.0, 1.0);
        let g = GridSpec::for_view(&wall, 0.5, 800.0).unwrap();
        assert!(g.cols <= MAX_SIDE_CELLS && g.rows <= MAX_SIDE_CELLS);
        let huge = Viewport::new(c, Zoom::new(11.0).unwrap(), 20_000.0, 20_000.0, 1.0);
        assert!(GridSpec::for_view(&huge, 2.0, 800.0).is_none());
    }

    #[test]
    fn binning_spreads_each_report_over_the_four_cells_on_the_grid() {
        let spec = GridSpec {
            cols: 6,
            rows: 5,
            cell_m: 10.0,
            left_m: 100.0,
            top_m: 500.0,
            view_cols: (1, 5),
            view_rows: (1, 4),
        };
        let binner = Binner::new(&spec);
        // Inside, on every edge and corner, off the grid, not finite.
        let spots = [
            (133.0, 466.0),
            (100.0, 480.0),
            (95.0, 470.0),
            (158.0, 470.0),
            (163.0, 470.0),
            (130.0, 500.0),
            (130.0, 451.0),
            (130.0, 446.0),
            (96.0, 497.0),
            (164.0, 449.0),
            (50.0, 470.0),
            (f64::NAN, 470.0),
        ];
        for (x, y) in spots {
            let mut got = vec![0.0f32; 30];
            binner.splat(&mut got, Mercator { x, y }, 2.0);
            let mut want = vec![0.0f32; 30];
            let (fx, fy) = spec.cell_coords(Mercator { x, y });
            if fx.is_finite() {
                let (i0, j0) = (fx.floor(), fy.floor());
                let (tx, ty) = (fx - i0, fy - j0);
                for (di, dj, k) in [
                    (0.0, 0.0, (1.0 - tx) * (1.0 - ty)),
                    (1.0, 0.0, tx * (1.0 - ty)),
                    (0.0, 1.0, (1.0 - tx) * ty),
                    (1.0, 1.0, tx * ty),
                ] {
                    let (i, j) = (i0 + di, j0 + dj);
                    if (0.0..6.0).contains(&i) && (0.0..5.0).contains(&j) {
                        want[j as usize * 6 + i as usize] += (2.0 * k) as f32;
                    }
                }
            }
            for (g, w) in got.iter().zip(&want) {
                assert!((g - w).abs() < 1e-6, "({x}, {y}): {got:?} {want:?}");
            }
        }
    }
}
