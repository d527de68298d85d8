//! The British National Grid (EPSG:27700, OSGB36) through OSTN15, both directions.
//!
//! Units: WGS84 degrees in and out; National Grid eastings and northings in metres.
//!
//! Forward: WGS84 taken as ETRS89 (they differ by under a metre, about 0.9 m by 2026 as the
//! European plate drifts; OSTN15 is defined from ETRS89, GPS receivers and this app's data give
//! WGS84, and OS's guidance treats the two as equal at metre accuracy, so we do too; the 0.1 m
//! here is the transformation's accuracy, not the datum's) → the National Grid's
//! transverse Mercator on GRS80 (`proj.rs`) → ETRS89 grid E, N → + OSTN15's shifts, bilinear
//! between the 1 km nodes (`ostn15.rs`) → OSGB36 E, N. Within 0.1 m (in practice a millimetre)
//! of OSTN15 as `convertbng` (lonlat_bng) computes it: the committed reference points.
//!
//! Inverse (the go-to box): OSGB36 E, N → ETRS89 grid E, N by fixed-point iteration
//! (E₀ = E − shift(E), Eₖ₊₁ = E − shift(Eₖ); the shifts change by centimetres a kilometre, so it
//! converges to 0.1 mm in three or four steps) → the transverse Mercator's inverse → degrees.
//!
//! Where the grid file has no data the answer is [`BngError::OutsideOstn15`], never a number.

use super::ostn15::Ostn15Grid;
use super::proj::{Projected, forward, inverse};
use crate::units::LonLat;

/// An OSGB36 National Grid position, metres.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bng {
    /// Easting, metres.
    pub e: f64,
    /// Northing, metres.
    pub n: f64,
}

/// Why no National Grid position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BngError {
    /// OSTN15 (as far as the app's grid file holds it) has no data there.
    OutsideOstn15,
    /// The grid file did not load: the BNG cannot be computed at all.
    GridUnavailable,
}

/// Most iterations of the inverse.
const MAX_ITERATIONS: usize = 10;
/// The inverse stops when a step moves less than this, metres.
const CONVERGED_M: f64 = 1e-4;

/// WGS84 (as ETRS89) → OSGB36 National Grid.
pub fn from_lonlat(grid: &Ostn15Grid, p: LonLat) -> Result<Bng, BngError> {
    let (e, n) = forward(Projected::NationalGridTm, p.lon, p.lat).ok_or(BngError::OutsideOstn15)?;
    let (de, dn) = grid.shift(e, n).ok_or(BngError::OutsideOstn15)?;
    Ok(Bng {
        e: e + de,
        n: n + dn,
    })
}

/// OSGB36 National Grid → WGS84 (as ETRS89).
pub fn to_lonlat(grid: &Ostn15Grid, b: Bng) -> Result<LonLat, BngError> {
    let (mut e, mut n) = (b.e, b.n);
    for _ in 0..MAX_ITERATIONS {
        let (de, dn) = grid.shift(e, n).ok_or(BngError::OutsideOstn15)?;
        let (ne, nn) = (b.e - de, b.n - dn);
        let step = (ne - e).hypot(nn - n);
        (e, n) = (ne, nn);
        if step < CONVERGED_M {
            break;
        }
    }
    // The last ETRS89 estimate must itself be inside the data.
    grid.shift(e, n).ok_or(BngError::OutsideOstn15)?;
    let (lon, lat) = inverse(Projected::NationalGridTm, e, n).ok_or(BngError::OutsideOstn15)?;
    LonLat::new(lon, lat).ok_or(BngError::OutsideOstn15)
}
