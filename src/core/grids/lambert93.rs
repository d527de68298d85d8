//! Lambert-93 (EPSG:2154, RGF93 / Lambert-93): the French national grid, in metres.
//!
//! Input: WGS84 degrees, taken as RGF93 (the French realisation of ETRS89, fixed to the
//! European plate: it and today's WGS84 differ by under a metre, about 0.9 m by 2026; EPSG's
//! and PROJ's default WGS84 → RGF93 step is the null transformation, so the 1 cm here is the
//! projection's accuracy, not the datum's). Output: x (easting) and y
//! (northing) in metres, computed by `proj.rs`'s conic, within 1 cm of PROJ (the committed
//! reference points, `tests/fixtures/grids-reference.csv`).
//!
//! Area of use (EPSG): France, mainland and Corsica, onshore and offshore: longitude −9.86° to
//! 10.38°, latitude 41.15° to 51.56° (EPSG publishes this bounding box of its polygon; the test
//! is that box, so Kent south of 51.56° N counts as inside, the Thames estuary's north shore and
//! the North Sea beyond as outside). Outside it the numbers are still computed (the projection is
//! defined everywhere near) but flagged ([`L93::in_area`]) so the readout can say so.

use super::proj::{Projected, forward, inverse};
use crate::units::LonLat;

/// EPSG:2154's area of use: west, south, east, north (degrees).
pub const AREA_OF_USE: [f64; 4] = [-9.86, 41.15, 10.38, 51.56];

/// A Lambert-93 position, metres.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct L93 {
    /// Easting, metres.
    pub x: f64,
    /// Northing, metres.
    pub y: f64,
}

impl L93 {
    /// Whether the position lies in EPSG:2154's area of use.
    pub fn in_area(self) -> bool {
        to_lonlat(self).is_some_and(lonlat_in_area)
    }
}

/// Whether a WGS84 position lies in EPSG:2154's area of use.
pub fn lonlat_in_area(p: LonLat) -> bool {
    let [w, s, e, n] = AREA_OF_USE;
    (w..=e).contains(&p.lon) && (s..=n).contains(&p.lat)
}

/// WGS84 → Lambert-93.
pub fn from_lonlat(p: LonLat) -> Option<L93> {
    forward(Projected::Lambert93, p.lon, p.lat).map(|(x, y)| L93 { x, y })
}

/// Lambert-93 → WGS84; `None` for non-finite input or a point the projection cannot invert.
pub fn to_lonlat(p: L93) -> Option<LonLat> {
    let (lon, lat) = inverse(Projected::Lambert93, p.x, p.y)?;
    LonLat::new(lon, lat)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calais_is_in_area_and_ipswich_is_not() {
        let calais = from_lonlat(LonLat {
            lon: 1.8587,
            lat: 50.9513,
        })
        .unwrap();
        assert!(calais.in_area());
        assert!(!lonlat_in_area(LonLat {
            lon: 1.155,
            lat: 52.059
        }));
    }
}
