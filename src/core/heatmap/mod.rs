//! Heatmap engine: kernel density of incident reports in true ground units.
//!
//! Units: the bandwidth σ is in **ground metres** (WGS84), densities are **reports per km² of
//! ground** (or per km² per day for comparisons), input positions are **EPSG:3857 metres**,
//! the grid is laid over a [`Viewport`](crate::viewport::Viewport) in CSS px.
//!
//! One algorithm per module:
//! * [`grid`]: where the grid lies (screen-parallel, a fraction of the screen's resolution,
//!   anchored to the world, padded) and linear binning onto it;
//! * [`blur`]: the separable Gaussian by Deriche's recursive filter (cost independent of σ);
//! * [`lanes`]: four `f32` lanes (wasm SIMD in the browser) for the hot loops;
//! * [`density`]: binning + smoothing + division by each row's ground cell area; the
//!   difference of two windows per day;
//! * [`ramp`]: densities to RGBA with a fixed or relative scale;
//! * [`centre`]: the weighted mean ground position of a window and the shift between two;
//! * [`history`]: reports over days as compact columns (time-ordered, deduplicated by id);
//! * [`displacement`]: two windows compared: centres, shift, reports per day near each port;
//! * [`playback`]: a time cursor over the history and the window shown at it;
//! * [`settings`]: the `heatmap` section of `config.json`;
//! * [`synthetic`]: seeded reports over the coast for the benchmarks.
//!
//! Unlike browser heatmap libraries (kernel in screen pixels, colours scaled to whatever is
//! visible), a place has the same value at every zoom, so two weeks can be compared.

pub mod blur;
pub mod centre;
pub mod density;
pub mod displacement;
pub mod grid;
pub mod history;
pub mod lanes;
pub mod playback;
pub mod ramp;
pub mod settings;
pub mod synthetic;

pub use density::{DensityGrid, Workspace, density, difference_per_day};

/// Why a heatmap parameter was refused (the shell names the field and says why).
#[derive(Clone, Copy, Debug, PartialEq, thiserror::Error)]
pub enum ParamError {
    /// A bandwidth outside [`Bandwidth::MIN_M`] ..= [`Bandwidth::MAX_M`] or not a number.
    #[error("bandwidth {0} m out of range")]
    Bandwidth(f64),
}

/// Kernel bandwidth σ, ground metres, within [`Bandwidth::MIN_M`] ..= [`Bandwidth::MAX_M`].
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
pub struct Bandwidth(f64);

impl Bandwidth {
    /// Smallest bandwidth: finer than a fence sector makes a heatmap of single reports.
    pub const MIN_M: f64 = 50.0;
    /// Largest bandwidth: the width of the region watched.
    pub const MAX_M: f64 = 50_000.0;
    /// Default (config `heatmap.bandwidth_m`).
    pub const DEFAULT_M: f64 = 500.0;

    /// Validating constructor.
    pub fn new(metres: f64) -> Result<Bandwidth, ParamError> {
        if metres.is_finite() && (Self::MIN_M..=Self::MAX_M).contains(&metres) {
            Ok(Bandwidth(metres))
        } else {
            Err(ParamError::Bandwidth(metres))
        }
    }

    /// Ground metres.
    pub fn metres(self) -> f64 {
        self.0
    }
}

impl Default for Bandwidth {
    fn default() -> Self {
        Bandwidth(Self::DEFAULT_M)
    }
}
