//! Spherical web-mercator projection and great-circle geodesy.
//!
//! Inputs/outputs: degrees WGS84 ([`LonLat`]) and EPSG:3857 metres ([`Mercator`]).
//! Distances are ground metres on the mean Earth sphere (radius
//! [`MEAN_EARTH_RADIUS_M`]); the projection uses the EPSG:3857 sphere
//! (radius [`EARTH_RADIUS_M`]).

use super::units::{Bearing, LonLat, Mercator};
use std::f64::consts::{FRAC_PI_2, FRAC_PI_4, PI};

/// Sphere radius of EPSG:3857, metres.
pub const EARTH_RADIUS_M: f64 = 6_378_137.0;
/// Mean Earth radius (IUGG) used for geodesic distances, metres.
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

/// Ground metres per EPSG:3857 metre at latitude `lat_deg` (= `cos(lat)`).
pub fn ground_scale(lat_deg: f64) -> f64 {
    lat_deg.to_radians().cos()
}

/// Point reached by travelling `distance_m` ground metres from `p` along the
/// great circle with initial `bearing`, on the mean Earth sphere.
pub fn destination(p: LonLat, bearing: Bearing, distance_m: f64) -> LonLat {
    let delta = distance_m / MEAN_EARTH_RADIUS_M;
    let theta = bearing.degrees().to_radians();
    let phi1 = p.lat.to_radians();
    let lambda1 = p.lon.to_radians();
    let sin_phi2 =
        (phi1.sin() * delta.cos() + phi1.cos() * delta.sin() * theta.cos()).clamp(-1.0, 1.0);
    let phi2 = sin_phi2.asin();
    let lambda2 = lambda1
        + (theta.sin() * delta.sin() * phi1.cos()).atan2(delta.cos() - phi1.sin() * sin_phi2);
    LonLat {
        lon: wrap_lon(lambda2.to_degrees()),
        lat: phi2.to_degrees(),
    }
}

/// Great-circle distance in ground metres between two positions (haversine, mean sphere).
pub fn haversine_m(a: LonLat, b: LonLat) -> f64 {
    let phi1 = a.lat.to_radians();
    let phi2 = b.lat.to_radians();
    let dphi = phi2 - phi1;
    let dlambda = (b.lon - a.lon).to_radians();
    let h = ((dphi / 2.0).sin().powi(2) + phi1.cos() * phi2.cos() * (dlambda / 2.0).sin().powi(2))
        .clamp(0.0, 1.0);
    2.0 * MEAN_EARTH_RADIUS_M * h.sqrt().asin()
}

/// Initial great-circle bearing from `a` to `b` (degrees clockwise from north).
/// `None` if the two points coincide or the inputs are not finite.
pub fn initial_bearing(a: LonLat, b: LonLat) -> Option<Bearing> {
    if a == b {
        return None;
    }
    let phi1 = a.lat.to_radians();
    let phi2 = b.lat.to_radians();
    let dlambda = (b.lon - a.lon).to_radians();
    let y = dlambda.sin() * phi2.cos();
    let x = phi1.cos() * phi2.sin() - phi1.sin() * phi2.cos() * dlambda.cos();
    Bearing::new(y.atan2(x).to_degrees())
}
