//! The one Earth model for ground lengths: the **WGS84 ellipsoid**.
//!
//! Inputs: degrees WGS84 ([`LonLat`]); lengths are **ground metres** on the ellipsoid; bearings
//! are degrees clockwise from true north ([`Bearing`]).
//!
//! * Point to point ([`distance_m`], [`destination`], [`initial_bearing`]) uses geo's
//!   [`Geodesic`] (Karney's algorithm, geographiclib-rs, on WGS84): exact to nanometres at any
//!   distance. It is used where a length or a direction is asked for once or a few hundred
//!   times a frame: camera field-of-view sectors ([`fov_sector`](crate::camera::fov_sector)),
//!   the camera coverage test, fence lengths, tests.
//! * Hot loops (nearest fence and port for every incident, zone exit margins) cannot afford a
//!   geodesic per point (about 1 µs each). They use the **same ellipsoid's** local scale,
//!   precomputed once per query: [`metres_per_radian`] (meridional radius M and parallel
//!   radius N·cos φ at a latitude), and [`ground_scale`] for EPSG:3857 metres. Within 100 km
//!   around Calais the local plane is within 0.05 % of the geodesic (tested).
//!
//! Haversine on a sphere is not used: on the mean sphere (R = 6,371,008.8 m) an east-west
//! length at Calais' latitude (51° N) is 0.31 % short of the ellipsoid's, a north-south one
//! 0.05 % short. The EPSG:3857 projection itself ([`projection`](crate::projection)) is
//! defined on the sphere of radius [`WGS84_A`] applied to WGS84 coordinates; that is the map's
//! projection, not a model of ground lengths.

use crate::units::{Bearing, LonLat};
use geo::{Bearing as _, Destination as _, Distance as _, Geodesic, Point};

/// WGS84 semi-major axis, metres (also the radius of the EPSG:3857 sphere).
pub const WGS84_A: f64 = 6_378_137.0;
/// WGS84 flattening.
pub const WGS84_F: f64 = 1.0 / 298.257_223_563;
/// WGS84 first eccentricity squared, `f (2 - f)`.
pub const WGS84_E2: f64 = WGS84_F * (2.0 - WGS84_F);

fn point(p: LonLat) -> Point<f64> {
    Point::new(p.lon, p.lat)
}

/// Ground metres along the geodesic between two positions (Karney, WGS84). NaN if an input
/// is not finite.
pub fn distance_m(a: LonLat, b: LonLat) -> f64 {
    if !(a.lon.is_finite() && a.lat.is_finite() && b.lon.is_finite() && b.lat.is_finite()) {
        return f64::NAN;
    }
    Geodesic.distance(point(a), point(b))
}

/// The position reached by travelling `distance_m` ground metres from `p` along the geodesic
/// leaving with `bearing` (Karney, WGS84). Longitude wrapped into `[-180, 180]`.
pub fn destination(p: LonLat, bearing: Bearing, distance_m: f64) -> LonLat {
    if !(p.lon.is_finite() && p.lat.is_finite() && distance_m.is_finite()) {
        return LonLat {
            lon: f64::NAN,
            lat: f64::NAN,
        };
    }
    let q = Geodesic.destination(point(p), bearing.degrees(), distance_m);
    LonLat {
        lon: crate::projection::wrap_lon(q.x()),
        lat: q.y(),
    }
}

/// Initial bearing of the geodesic from `a` to `b` (degrees clockwise from north). `None` if
/// the two points coincide or an input is not finite.
pub fn initial_bearing(a: LonLat, b: LonLat) -> Option<Bearing> {
    if a == b || !(a.lon.is_finite() && a.lat.is_finite() && b.lon.is_finite() && b.lat.is_finite())
    {
        return None;
    }
    Bearing::new(Geodesic.bearing(point(a), point(b)))
}

/// Ground metres per radian of latitude (the meridional radius M) and per radian of longitude
/// (the parallel radius N·cos φ) at latitude `lat_deg`, on WGS84. The local scale hot loops
/// precompute instead of a geodesic per point.
pub fn metres_per_radian(lat_deg: f64) -> (f64, f64) {
    let phi = lat_deg.to_radians();
    let w2 = 1.0 - WGS84_E2 * phi.sin().powi(2);
    let w = w2.sqrt();
    let m = WGS84_A * (1.0 - WGS84_E2) / (w2 * w);
    let n = WGS84_A / w;
    (m, n * phi.cos())
}

/// Ground metres per EPSG:3857 metre along the parallel at latitude `lat_deg`, on WGS84:
/// `N(φ)·cos φ / a` = `cos φ / sqrt(1 − e² sin² φ)` (at Calais, 51° N: 0.6306, i.e. one
/// ground metre is about 1.586 EPSG:3857 metres). Along the meridian the scale is
/// `M(φ)·cos φ / a`, 0.27 % smaller at 51° N (EPSG:3857 on ellipsoidal coordinates is not
/// conformal); the parallel scale is the one a horizontal scale bar needs, and zone margins
/// converted with it are within 0.3 % in any direction.
pub fn ground_scale(lat_deg: f64) -> f64 {
    let phi = lat_deg.to_radians();
    phi.cos() / (1.0 - WGS84_E2 * phi.sin().powi(2)).sqrt()
}
