//! Web-mercator projection: WGS84 degrees ↔ EPSG:3857 metres.
//!
//! Inputs/outputs: degrees WGS84 ([`LonLat`]) and EPSG:3857 metres ([`Mercator`]). The
//! projection applies the sphere of radius [`EARTH_RADIUS_M`] (WGS84's semi-major axis) to
//! WGS84 coordinates, as EPSG:3857 is defined. Ground lengths are not measured on that
//! sphere: they come from the one Earth model, [`earth`](crate::earth) (WGS84 ellipsoid),
//! whose [`ground_scale`], [`destination`] and [`initial_bearing`] are re-exported here.

use super::units::{LonLat, Mercator};
use std::f64::consts::{FRAC_PI_2, FRAC_PI_4, PI};

/// Sphere radius of EPSG:3857, metres (= [`WGS84_A`](crate::earth::WGS84_A)).
pub const EARTH_RADIUS_M: f64 = crate::earth::WGS84_A;
/// Mean Earth radius (IUGG), metres. Not the Earth model for ground lengths (that is
/// [`earth`](crate::earth)); only the seeded synthetic benchmark data
/// ([`geofence::synthetic`](crate::geofence::synthetic)) is laid out with it, so that its
/// shapes, and the benchmark figures, stay those of earlier runs.
pub const MEAN_EARTH_RADIUS_M: f64 = 6_371_008.8;
/// Latitude (degrees) at which the web-mercator square world ends.
pub const MAX_LAT: f64 = 85.051_128_779_806_59;
/// Half the width (and height) of the EPSG:3857 world square, metres (`pi * R`).
pub const MAX_MERCATOR_M: f64 = EARTH_RADIUS_M * PI;

/// Degrees WGS84 to EPSG:3857 metres. Latitude is clamped to `±MAX_LAT`.
pub fn to_mercator(p: LonLat) -> Mercator {
    let lat = p.lat.clamp(-MAX_LAT, MAX_LAT);
    let x = EARTH_RADIUS_M * p.lon.to_radians();
    let y = EARTH_RADIUS_M * (FRAC_PI_4 + lat.to_radians() / 2.0).tan().ln();
    Mercator { x, y }
}

/// EPSG:3857 metres to degrees WGS84.
///
/// Longitude outside `[-180, 180]` (x beyond the world square) is wrapped back
/// into range; latitude is always within `±MAX_LAT` for |y| within the square.
pub fn to_lonlat(m: Mercator) -> LonLat {
    let lon = wrap_lon((m.x / EARTH_RADIUS_M).to_degrees());
    let lat = (2.0 * (m.y / EARTH_RADIUS_M).exp().atan() - FRAC_PI_2).to_degrees();
    LonLat { lon, lat }
}

/// Wrap a longitude in degrees into `[-180, 180]` (values already inside are untouched).
pub fn wrap_lon(lon: f64) -> f64 {
    if (-180.0..=180.0).contains(&lon) || !lon.is_finite() {
        lon
    } else {
        (lon + 180.0).rem_euclid(360.0) - 180.0
    }
}

// Ground lengths (scale, distance, destination, bearing) come from the one Earth model,
// `core::earth` (WGS84); re-exported here for the callers that project and measure together.
pub use crate::earth::{destination, ground_scale, initial_bearing};
