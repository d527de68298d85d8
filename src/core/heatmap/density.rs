//! Kernel density of weighted points over a view, in **reports per km² of ground**.
//!
//! Input positions are EPSG:3857 metres with a weight each (1 per report, or its severity);
//! output is a [`DensityGrid`]: the padded grid of [`GridSpec`] holding, per cell, the
//! Gaussian kernel density estimate at the cell centre, in weight per km² of ground.
//!
//! Steps: linear binning ([`Binner`]), a separable Gaussian of σ = the bandwidth in ground
//! metres converted to cells row by row (east-west with the parallel scale, north-south with
//! the meridian scale of each row's latitude: [`RowScale`]), then each cell's smoothed weight
//! divided by its ground area. So the same place has the same value at any zoom and the same
//! colour under the fixed scale (tested between zoom 10 and 14, and at 49.5° and 52° N).
//!
//! The estimate is `f(x) = Σ wᵢ · φσ(‖x − xᵢ‖)`, `φσ` the 2-D normal density with standard
//! deviation σ ground metres on the local tangent plane (so `∫ f dA = Σ wᵢ`): integrated over
//! the view, the grid gives back the weight in view (mass conservation).

use super::blur::{Scratch, smooth_columns, smooth_rows};
use super::grid::{Binner, GridSpec};
use super::lanes::{F4, Lane};
use crate::units::Mercator;
use crate::viewport::Viewport;

/// The density over a view. Cells outside [`GridSpec::view_cols`] / `view_rows` are padding.
#[derive(Clone, Debug, PartialEq)]
pub struct DensityGrid {
    pub spec: GridSpec,
    /// Row-major, `spec.cols × spec.rows`, weight per km² of ground.
    pub per_km2: Vec<f32>,
    /// Highest value among the cells covering the view (0 when nothing is there).
    pub peak_per_km2: f64,
    /// Bandwidth used, ground metres.
    pub sigma_m: f64,
}

/// Linear binning spreads a report over a triangle one cell wide, which adds a variance of
/// 1/6 cell² per axis (averaged over positions within a cell); the smoothing makes up the rest,
/// so that the estimate has the asked bandwidth (0.5 % on the peak at σ = 4 cells otherwise).
fn smoothing_sigma(sigma_cells: f64) -> f64 {
    (sigma_cells * sigma_cells - 1.0 / 6.0).max(0.0).sqrt()
}

/// Density of `points` (EPSG:3857 metres, weight) over `view` with bandwidth `sigma_m` ground
/// metres at `cells_per_css_px` grid cells per CSS px. `None` if the grid cannot be built
/// (non-finite or non-positive inputs, or a view too large for the bandwidth:
/// [`MAX_SIDE_CELLS`](super::grid::MAX_SIDE_CELLS)). A [`Workspace`] does the same without
/// allocating from one frame to the next.
pub fn density(
    view: &Viewport,
    sigma_m: f64,
    cells_per_css_px: f64,
    points: impl IntoIterator<Item = (Mercator, f32)>,
) -> Option<DensityGrid> {
    let mut ws = Workspace::default();
    ws.density(view, sigma_m, cells_per_css_px, points)?;
    ws.grid
}

/// The density engine with its buffers kept between frames (playback, live updates). The
/// stages are public so that the benchmark can time them one by one: [`Workspace::begin`],
/// [`Workspace::bin`], [`Workspace::smooth_rows`], [`Workspace::smooth_columns`],
/// [`Workspace::finish`]; [`Workspace::density`] runs them all.
#[derive(Clone, Debug, Default)]
pub struct Workspace {
    grid: Option<DensityGrid>,
    scratch: Scratch,
    sigma_x: Vec<f64>,
    sigma_y: Vec<f64>,
    inv_area: Vec<f32>,
}

impl Workspace {
    /// All stages: the density of `points` over `view` (see [`density`]).
    pub fn density(
        &mut self,
        view: &Viewport,
        sigma_m: f64,
        cells_per_css_px: f64,
        points: impl IntoIterator<Item = (Mercator, f32)>,
    ) -> Option<&DensityGrid> {
        self.begin(view, sigma_m, cells_per_css_px)?;
        self.bin(points);
        self.smooth_rows();
        self.smooth_columns();
        self.finish()
    }

    /// Lay the grid over the view, clear it and compute each row's σ in cells and cell area.
    /// `None` if the grid cannot be built (see [`density`]).
    pub fn begin(&mut self, view: &Viewport, sigma_m: f64, cells_per_css_px: f64) -> Option<()> {
        let spec = GridSpec::for_view(view, cells_per_css_px, sigma_m)?;
        let mut per_km2 = self.grid.take().map(|g| g.per_km2).unwrap_or_default();
        per_km2.clear();
        per_km2.resize(spec.cols * spec.rows, 0.0);
        self.sigma_x.clear();
        self.sigma_y.clear();
        self.inv_area.clear();
        for j in 0..spec.rows {
            let s = spec.row_scale(j);
            self.sigma_x
                .push(smoothing_sigma(sigma_m / (s.east * spec.cell_m)));
            self.sigma_y
                .push(smoothing_sigma(sigma_m / (s.north * spec.cell_m)));
            self.inv_area.push((1.0 / spec.cell_area_km2(j)) as f32);
        }
        self.grid = Some(DensityGrid {
            spec,
            per_km2,
            peak_per_km2: 0.0,
            sigma_m,
        });
        Some(())
    }

    /// Add the points to the grid (linear binning).
    pub fn bin(&mut self, points: impl IntoIterator<Item = (Mercator, f32)>) {
        if let Some(g) = self.grid.as_mut() {
            let binner = Binner::new(&g.spec);
            for (m, w) in points {
                binner.splat(&mut g.per_km2, m, w);
            }
        }
    }

    /// The Gaussian along the rows.
    pub fn smooth_rows(&mut self) {
        if let Some(g) = self.grid.as_mut() {
            let (c, r) = (g.spec.cols, g.spec.rows);
            smooth_rows(&mut g.per_km2, c, r, &self.sigma_x, &mut self.scratch);
        }
    }

    /// The Gaussian along the columns, then each row divided by its cells' ground area
    /// (weight per km²; rounding in the recursions can leave -1e-7 where nothing is: clamped
    /// at zero).
    pub fn smooth_columns(&mut self) {
        if let Some(g) = self.grid.as_mut() {
            let (c, r) = (g.spec.cols, g.spec.rows);
            let gain = Some(self.inv_area.as_slice());
            smooth_columns(&mut g.per_km2, c, r, &self.sigma_y, gain, &mut self.scratch);
        }
    }

    /// Find the peak in view.
    pub fn finish(&mut self) -> Option<&DensityGrid> {
        let g = self.grid.as_mut()?;
        g.peak_per_km2 = f64::from(peak_in_view(&g.per_km2, &g.spec));
        Some(g)
    }

    /// The last density computed.
    pub fn grid(&self) -> Option<&DensityGrid> {
        self.grid.as_ref()
    }
}

/// The highest value of the view crop (0 when there is none above 0), four columns at a time
/// in [`F4`] lanes.
#[cfg_attr(target_arch = "wasm32", target_feature(enable = "simd128"))]
fn peak_in_view(grid: &[f32], spec: &GridSpec) -> f32 {
    let (c0, c1) = spec.view_cols;
    let (r0, r1) = spec.view_rows;
    let rows = grid
        .chunks_exact(spec.cols)
        .skip(r0)
        .take(r1.saturating_sub(r0));
    let (mut m, mut t) = (F4::splat(0.0), 0.0f32);
    for row in rows.filter_map(|r| r.get(c0..c1)) {
        let (body, tail) = row.as_chunks::<4>();
        for c in body {
            m = m.pmax(F4::load(c));
        }
        for v in tail {
            t = t.pmax(*v);
        }
    }
    m.to_array().into_iter().fold(t, Lane::pmax)
}

impl DensityGrid {
    /// The value of cell (column `i`, row `j`), weight per km².
    pub fn cell(&self, i: usize, j: usize) -> Option<f32> {
        if i >= self.spec.cols {
            return None;
        }
        self.per_km2.get(j * self.spec.cols + i).copied()
    }

    /// The density at a world point, bilinear between cell centres; `None` outside the grid.
    pub fn value_at(&self, m: Mercator) -> Option<f64> {
        let (fx, fy) = self.spec.cell_coords(m);
        if !(fx.is_finite() && fy.is_finite()) || fx < 0.0 || fy < 0.0 {
            return None;
        }
        let (i, j) = (fx.floor() as usize, fy.floor() as usize);
        let (tx, ty) = (fx - fx.floor(), fy - fy.floor());
        let v00 = f64::from(self.cell(i, j)?);
        let v10 = f64::from(self.cell(i + 1, j)?);
        let v01 = f64::from(self.cell(i, j + 1)?);
        let v11 = f64::from(self.cell(i + 1, j + 1)?);
        Some(
            v00 * (1.0 - tx) * (1.0 - ty)
                + v10 * tx * (1.0 - ty)
                + v01 * (1.0 - tx) * ty
                + v11 * tx * ty,
        )
    }

    /// The cells covering the view, row by row (row-major crop), weight per km².
    pub fn view_rows(&self) -> impl Iterator<Item = &[f32]> + '_ {
        let (c0, c1) = self.spec.view_cols;
        let (r0, r1) = self.spec.view_rows;
        self.per_km2
            .chunks_exact(self.spec.cols)
            .skip(r0)
            .take(r1.saturating_sub(r0))
            .filter_map(move |row| row.get(c0..c1))
    }

    /// Width and height of the view crop, cells.
    pub fn view_size(&self) -> (usize, usize) {
        self.spec.view_size()
    }

    /// Σ density × cell ground area over the view crop: the weight the estimate puts in view.
    pub fn weight_in_view(&self) -> f64 {
        let r0 = self.spec.view_rows.0;
        self.view_rows()
            .enumerate()
            .map(|(k, row)| {
                let a = self.spec.cell_area_km2(r0 + k);
                row.iter().map(|v| f64::from(*v)).sum::<f64>() * a
            })
            .sum()
    }

    /// Σ density × cell ground area over the whole padded grid.
    pub fn weight_total(&self) -> f64 {
        self.per_km2
            .chunks_exact(self.spec.cols)
            .enumerate()
            .map(|(j, row)| {
                row.iter().map(|v| f64::from(*v)).sum::<f64>() * self.spec.cell_area_km2(j)
            })
            .sum()
    }
}

/// `b / days_b − a / days_a` cell by cell over the view crop (row-major), in weight per km²
/// per day: two windows of different lengths compared fairly. `None` if the grids differ in
/// geometry or a length is not a positive number of days.
pub fn difference_per_day(
    a: &DensityGrid,
    days_a: f64,
    b: &DensityGrid,
    days_b: f64,
) -> Option<Vec<f32>> {
    let ok = |d: f64| d.is_finite() && d > 0.0;
    if a.spec != b.spec || !ok(days_a) || !ok(days_b) {
        return None;
    }
    let (ka, kb) = ((1.0 / days_a) as f32, (1.0 / days_b) as f32);
    Some(
        a.view_rows()
            .zip(b.view_rows())
            .flat_map(|(ra, rb)| ra.iter().zip(rb).map(move |(va, vb)| vb * kb - va * ka))
            .collect(),
    )
}
