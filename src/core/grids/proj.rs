//! The two map projections of the national grids, through `proj4rs` (PROJ's formulas in Rust),
//! built once per thread from their proj strings.
//!
//! Units: longitude and latitude in degrees on the GRS80 ellipsoid (ETRS89 / RGF93, equal to
//! WGS84 within a few centimetres here, far under these grids' use), projected coordinates in
//! metres.
//!
//! - Lambert-93 (EPSG:2154): Lambert conformal conic, secant at 44° N and 49° N, origin 46.5° N
//!   3° E, false origin 700,000 m E, 6,600,000 m N, on GRS80 (RGF93).
//! - The National Grid's transverse Mercator on GRS80: origin 49° N 2° W, scale 0.9996012717,
//!   false origin 400,000 m E, −100,000 m N. Applied to ETRS89 it gives the "ETRS89 grid"
//!   coordinates OSTN15 starts from (`ostn15.rs`); the OSGB36 grid (EPSG:27700) is those plus
//!   OSTN15's shifts.
//!
//! The proj strings are written here rather than taken from proj4rs's `crs-definitions` table
//! (its EPSG registry of some thousands of strings would be in the wasm for two entries).

use proj4rs::Proj;
use proj4rs::transform::transform;

/// RGF93 / ETRS89 geographic (GRS80), degrees in, radians for proj4rs.
const GEOGRAPHIC: &str = "+proj=longlat +ellps=GRS80 +towgs84=0,0,0 +no_defs";
/// EPSG:2154, RGF93 / Lambert-93.
const LAMBERT_93: &str = "+proj=lcc +lat_0=46.5 +lon_0=3 +lat_1=49 +lat_2=44 +x_0=700000 +y_0=6600000 +ellps=GRS80 +towgs84=0,0,0 +units=m +no_defs";
/// The National Grid's transverse Mercator on GRS80 (the ETRS89 grid of OSTN15).
const NATIONAL_GRID_TM: &str = "+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=GRS80 +towgs84=0,0,0 +units=m +no_defs";

/// Which projection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Projected {
    /// EPSG:2154.
    Lambert93,
    /// The National Grid's transverse Mercator on GRS80 (before OSTN15).
    NationalGridTm,
}

struct Projections {
    geographic: Proj,
    lambert93: Proj,
    tm: Proj,
}

thread_local! {
    static PROJECTIONS: Option<Projections> = build();
}

fn build() -> Option<Projections> {
    Some(Projections {
        geographic: Proj::from_proj_string(GEOGRAPHIC).ok()?,
        lambert93: Proj::from_proj_string(LAMBERT_93).ok()?,
        tm: Proj::from_proj_string(NATIONAL_GRID_TM).ok()?,
    })
}

fn finite(p: (f64, f64, f64)) -> Option<(f64, f64)> {
    (p.0.is_finite() && p.1.is_finite()).then_some((p.0, p.1))
}

/// Longitude, latitude (degrees, GRS80) to easting, northing (metres); `None` where the
/// projection fails (never for a finite point of the region).
pub fn forward(to: Projected, lon: f64, lat: f64) -> Option<(f64, f64)> {
    PROJECTIONS.with(|p| {
        let p = p.as_ref()?;
        let dst = match to {
            Projected::Lambert93 => &p.lambert93,
            Projected::NationalGridTm => &p.tm,
        };
        let mut pt = (lon.to_radians(), lat.to_radians(), 0.0);
        transform(&p.geographic, dst, &mut pt).ok()?;
        finite(pt)
    })
}

/// Easting, northing (metres) to longitude, latitude (degrees, GRS80).
pub fn inverse(from: Projected, x: f64, y: f64) -> Option<(f64, f64)> {
    PROJECTIONS.with(|p| {
        let p = p.as_ref()?;
        let src = match from {
            Projected::Lambert93 => &p.lambert93,
            Projected::NationalGridTm => &p.tm,
        };
        let mut pt = (x, y, 0.0);
        transform(src, &p.geographic, &mut pt).ok()?;
        finite((pt.0.to_degrees(), pt.1.to_degrees(), 0.0))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projections_build_and_invert() {
        let (x, y) = forward(Projected::Lambert93, 3.0, 46.5).unwrap();
        assert!((x - 700_000.0).abs() < 1e-6 && (y - 6_600_000.0).abs() < 1e-6);
        let (lon, lat) = inverse(Projected::NationalGridTm, 400_000.0, -100_000.0).unwrap();
        assert!((lon + 2.0).abs() < 1e-9 && (lat - 49.0).abs() < 1e-9);
    }
}
