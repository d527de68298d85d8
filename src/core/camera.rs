//! Camera field of view on the ground.
//!
//! Input: camera position in degrees WGS84, bearing in degrees clockwise from
//! north, field of view in degrees, range in ground metres. Output: a closed
//! ring in degrees WGS84 (project it with
//! [`to_mercator`](super::projection::to_mercator) to draw it). Arc points are on the
//! geodesics of the one Earth model ([`earth`](super::earth): Karney on WGS84).

use super::earth::destination;
use super::units::{Bearing, LonLat};

/// Largest angular spacing between consecutive arc points, degrees.
pub const MAX_ARC_STEP_DEG: f64 = 5.0;

/// The ground area a camera sees, as a closed ring (first == last).
///
/// For `fov_deg < 360`: apex, then arc points from `bearing - fov/2` to
/// `bearing + fov/2` at most [`MAX_ARC_STEP_DEG`] apart, each `range_m` ground
/// metres from the apex along a geodesic (WGS84), then the apex again.
/// For `fov_deg >= 360`: a closed circle of radius `range_m` without apex.
/// Returns an empty vector if `fov_deg` or `range_m` is not finite and positive.
pub fn fov_sector(position: LonLat, bearing: Bearing, fov_deg: f64, range_m: f64) -> Vec<LonLat> {
    if !(fov_deg.is_finite() && fov_deg > 0.0 && range_m.is_finite() && range_m > 0.0) {
        return Vec::new();
    }
    let at = |deg: f64| -> Option<LonLat> {
        let b = Bearing::new(deg)?;
        let p = destination(position, b, range_m);
        (p.lon.is_finite() && p.lat.is_finite()).then_some(p)
    };
    if fov_deg >= 360.0 {
        let n: u32 = (360.0 / MAX_ARC_STEP_DEG).ceil() as u32;
        let mut ring: Vec<LonLat> = (0..n)
            .filter_map(|i| at(bearing.degrees() + 360.0 * f64::from(i) / f64::from(n)))
            .collect();
        if let Some(first) = ring.first().copied() {
            ring.push(first);
        }
        return ring;
    }
    // fov in (0, 360): at most 72 steps.
    let steps = ((fov_deg / MAX_ARC_STEP_DEG).ceil() as u32).max(1);
    let start = bearing.degrees() - fov_deg / 2.0;
    let mut ring = Vec::with_capacity(steps as usize + 3);
    ring.push(position);
    ring.extend((0..=steps).filter_map(|i| at(start + fov_deg * f64::from(i) / f64::from(steps))));
    ring.push(position);
    ring
}
