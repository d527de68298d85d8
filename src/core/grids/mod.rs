//! The national grids and the text forms of positions: Lambert-93 (EPSG:2154), the British
//! National Grid (EPSG:27700, through OSTN15) and WGS84 in decimal degrees, DMS and DDM.
//!
//! Units: WGS84 degrees ([`LonLat`]) in; Lambert-93 and National Grid metres out. One concept
//! per file: `proj.rs` (the two projections, checked against proj4rs), `lambert93.rs`, `ostn15.rs` (the
//! regional shift grid file), `bng.rs`, `letters.rs` (grid references with letters),
//! `wgs84_text.rs`, `goto.rs` (the go-to box's reader). [`Readout`] is what the status bar and
//! the incident card show for one position.

pub mod bng;
pub mod goto;
pub mod lambert93;
pub mod letters;
pub mod ostn15;
pub mod proj;
pub mod wgs84_text;

use crate::units::LonLat;
use bng::{Bng, BngError};
use lambert93::L93;
use ostn15::Ostn15Grid;

/// One position in the three systems.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Readout {
    /// WGS84.
    pub at: LonLat,
    /// Lambert-93 (`None` only if the projection failed, never in the region), with whether it
    /// is inside EPSG:2154's area of use.
    pub l93: Option<(L93, bool)>,
    /// The National Grid, or why not.
    pub bng: Result<Bng, BngError>,
}

/// The three systems' values of a position; `grid`: the OSTN15 file if it loaded.
pub fn readout(at: LonLat, grid: Option<&Ostn15Grid>) -> Readout {
    let l93 = lambert93::from_lonlat(at).map(|p| (p, lambert93::lonlat_in_area(at)));
    let bng = grid.map_or(Err(BngError::GridUnavailable), |g| bng::from_lonlat(g, at));
    Readout { at, l93, bng }
}
