//! The two map projections of the national grids, on the GRS80 ellipsoid, written out.
//!
//! Units: longitude and latitude in degrees on GRS80 (ETRS89 / RGF93, equal to WGS84 within a
//! few centimetres here, far under these grids' use); projected coordinates in metres.
//!
//! - Lambert-93 (EPSG:2154): Lambert conformal conic with two standard parallels (44° N and
//!   49° N), origin 46.5° N 3° E, false origin 700,000 m E, 6,600,000 m N (proj string
//!   `+proj=lcc +lat_0=46.5 +lon_0=3 +lat_1=49 +lat_2=44 +x_0=700000 +y_0=6600000 +ellps=GRS80`);
//!   closed formulas (EPSG Guidance Note 7-2, 1.3.1.1), the inverse latitude by iteration to
//!   1e-15 rad.
//! - The National Grid's transverse Mercator on GRS80: origin 49° N 2° W, scale 0.9996012717,
//!   false origin 400,000 m E, −100,000 m N (`+proj=tmerc +lat_0=49 +lon_0=-2
//!   +k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=GRS80`). Applied to ETRS89 it gives the
//!   "ETRS89 grid" coordinates OSTN15 starts from (`ostn15.rs`). Krüger's series to n⁶ (Karney
//!   2011, the algorithm of PROJ's default `tmerc`, "Poder/Engsager"): nanometres within
//!   thousands of kilometres of the central meridian.
//!
//! Hand-written on a measurement: `proj4rs` 0.3 (the crate the issue names) cost 77.5 KB gzip
//! in the shipped bundle with the rest of this part, against a 12 KB allowance: on wasm32 it
//! always compiles its own `wasm_bindgen` JS API (exported `Projection` and `Point` classes,
//! kept by the linker as exports) and, since a proj string picks the projection at run time,
//! every projection it has. These two projections are about 120 lines; `tests/core_grids.rs`
//! checks them against proj4rs (a native dev-dependency) over the region to 1 mm, and against
//! PROJ's own numbers (pyproj, the committed reference points) to 1 cm.

use std::f64::consts::FRAC_PI_4;

/// GRS80 semi-major axis, metres.
const A: f64 = 6_378_137.0;
/// GRS80 flattening.
const F: f64 = 1.0 / 298.257_222_101;

/// Which projection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Projected {
    /// EPSG:2154.
    Lambert93,
    /// The National Grid's transverse Mercator on GRS80 (before OSTN15).
    NationalGridTm,
}

fn e2() -> f64 {
    F * (2.0 - F)
}

fn ecc() -> f64 {
    e2().sqrt()
}

/// Lambert conformal conic's `t(φ)`.
fn lcc_t(phi: f64) -> f64 {
    let e = ecc();
    let s = phi.sin();
    (FRAC_PI_4 - phi / 2.0).tan() / ((1.0 - e * s) / (1.0 + e * s)).powf(e / 2.0)
}

/// Lambert conformal conic's `m(φ)`.
fn lcc_m(phi: f64) -> f64 {
    phi.cos() / (1.0 - e2() * phi.sin().powi(2)).sqrt()
}

/// Lambert-93's constants: n, a·F, ρ at the origin's latitude, λ0.
fn lcc_constants() -> (f64, f64, f64, f64) {
    let (p1, p2, p0) = (49f64.to_radians(), 44f64.to_radians(), 46.5f64.to_radians());
    let (m1, m2) = (lcc_m(p1), lcc_m(p2));
    let (t1, t2) = (lcc_t(p1), lcc_t(p2));
    let n = (m1.ln() - m2.ln()) / (t1.ln() - t2.ln());
    let af = A * m1 / (n * t1.powf(n));
    (n, af, af * lcc_t(p0).powf(n), 3f64.to_radians())
}

const L93_X0: f64 = 700_000.0;
const L93_Y0: f64 = 6_600_000.0;

fn lcc_forward(lon: f64, lat: f64) -> (f64, f64) {
    let (n, af, rho0, lam0) = lcc_constants();
    let rho = af * lcc_t(lat.to_radians()).powf(n);
    let theta = n * (lon.to_radians() - lam0);
    (
        L93_X0 + rho * theta.sin(),
        L93_Y0 + rho0 - rho * theta.cos(),
    )
}

fn lcc_inverse(x: f64, y: f64) -> (f64, f64) {
    let (n, af, rho0, lam0) = lcc_constants();
    let (dx, dy) = (x - L93_X0, rho0 - (y - L93_Y0));
    let rho = dx.hypot(dy);
    let t = (rho / af).powf(1.0 / n);
    let theta = dx.atan2(dy);
    let e = ecc();
    let mut phi = std::f64::consts::FRAC_PI_2 - 2.0 * t.atan();
    for _ in 0..15 {
        let s = phi.sin();
        let next = std::f64::consts::FRAC_PI_2
            - 2.0 * (t * ((1.0 - e * s) / (1.0 + e * s)).powf(e / 2.0)).atan();
        let done = (next - phi).abs() < 1e-15;
        phi = next;
        if done {
            break;
        }
    }
    ((theta / n + lam0).to_degrees(), phi.to_degrees())
}

const TM_K0: f64 = 0.999_601_271_7;
const TM_LAT0: f64 = 49.0;
const TM_LON0: f64 = -2.0;
const TM_E0: f64 = 400_000.0;
const TM_N0: f64 = -100_000.0;

/// Krüger's series: the rectifying radius A and the α (forward) and β (inverse) coefficients.
fn kruger() -> (f64, [f64; 6], [f64; 6]) {
    let n = F / (2.0 - F);
    let (n2, n3, n4, n5, n6) = (n * n, n.powi(3), n.powi(4), n.powi(5), n.powi(6));
    let a = A / (1.0 + n) * (1.0 + n2 / 4.0 + n4 / 64.0 + n6 / 256.0);
    let alpha = [
        n / 2.0 - 2.0 * n2 / 3.0 + 5.0 * n3 / 16.0 + 41.0 * n4 / 180.0 - 127.0 * n5 / 288.0
            + 7891.0 * n6 / 37800.0,
        13.0 * n2 / 48.0 - 3.0 * n3 / 5.0 + 557.0 * n4 / 1440.0 + 281.0 * n5 / 630.0
            - 1_983_433.0 * n6 / 1_935_360.0,
        61.0 * n3 / 240.0 - 103.0 * n4 / 140.0
            + 15061.0 * n5 / 26880.0
            + 167_603.0 * n6 / 181_440.0,
        49561.0 * n4 / 161_280.0 - 179.0 * n5 / 168.0 + 6_601_661.0 * n6 / 7_257_600.0,
        34729.0 * n5 / 80640.0 - 3_418_889.0 * n6 / 1_995_840.0,
        212_378_941.0 * n6 / 319_334_400.0,
    ];
    let beta = [
        n / 2.0 - 2.0 * n2 / 3.0 + 37.0 * n3 / 96.0 - n4 / 360.0 - 81.0 * n5 / 512.0
            + 96199.0 * n6 / 604_800.0,
        n2 / 48.0 + n3 / 15.0 - 437.0 * n4 / 1440.0 + 46.0 * n5 / 105.0
            - 1_118_711.0 * n6 / 3_870_720.0,
        17.0 * n3 / 480.0 - 37.0 * n4 / 840.0 - 209.0 * n5 / 4480.0 + 5569.0 * n6 / 90720.0,
        4397.0 * n4 / 161_280.0 - 11.0 * n5 / 504.0 - 830_251.0 * n6 / 7_257_600.0,
        4583.0 * n5 / 161_280.0 - 108_847.0 * n6 / 3_991_680.0,
        20_648_693.0 * n6 / 638_668_800.0,
    ];
    (a, alpha, beta)
}

/// The conformal latitude's tangent τ' of a latitude's tangent τ (Karney 2011, eq. 7–9).
fn tau_prime(tau: f64) -> f64 {
    let e = ecc();
    let sigma = (e * (e * tau / (1.0 + tau * tau).sqrt()).atanh()).sinh();
    tau * (1.0 + sigma * sigma).sqrt() - sigma * (1.0 + tau * tau).sqrt()
}

/// The series applied to (ξ', η') with coefficients `c` and sign `s` (+1 forward, −1 inverse).
fn series(xi: f64, eta: f64, c: &[f64; 6], s: f64) -> (f64, f64) {
    let (mut x, mut y) = (xi, eta);
    for (j, cj) in (1..=6).zip(c) {
        let k = 2.0 * f64::from(j);
        x += s * cj * (k * xi).sin() * (k * eta).cosh();
        y += s * cj * (k * xi).cos() * (k * eta).sinh();
    }
    (x, y)
}

/// (ξ, η) of a latitude and a longitude difference, radians.
fn tm_xi_eta(phi: f64, dlam: f64, alpha: &[f64; 6]) -> (f64, f64) {
    let tp = tau_prime(phi.tan());
    let xi_p = tp.atan2(dlam.cos());
    let eta_p = (dlam.sin() / (tp * tp + dlam.cos().powi(2)).sqrt()).asinh();
    series(xi_p, eta_p, alpha, 1.0)
}

fn tm_forward(lon: f64, lat: f64) -> (f64, f64) {
    let (a, alpha, _) = kruger();
    let (xi0, _) = tm_xi_eta(TM_LAT0.to_radians(), 0.0, &alpha);
    let (xi, eta) = tm_xi_eta(lat.to_radians(), (lon - TM_LON0).to_radians(), &alpha);
    (TM_E0 + TM_K0 * a * eta, TM_N0 + TM_K0 * a * (xi - xi0))
}

fn tm_inverse(e: f64, n: f64) -> (f64, f64) {
    let (a, alpha, beta) = kruger();
    let (xi0, _) = tm_xi_eta(TM_LAT0.to_radians(), 0.0, &alpha);
    let xi = (n - TM_N0) / (TM_K0 * a) + xi0;
    let eta = (e - TM_E0) / (TM_K0 * a);
    let (xi_p, eta_p) = series(xi, eta, &beta, -1.0);
    let tp0 = xi_p.sin() / (eta_p.sinh().powi(2) + xi_p.cos().powi(2)).sqrt();
    let dlam = eta_p.sinh().atan2(xi_p.cos());
    // τ from τ' by Newton's method (Karney 2011, eq. 19–21).
    let one_e2 = 1.0 - e2();
    let mut tau = tp0;
    for _ in 0..8 {
        let tp = tau_prime(tau);
        let d = (tp0 - tp) * (1.0 + one_e2 * tau * tau)
            / (one_e2 * (1.0 + tp * tp).sqrt() * (1.0 + tau * tau).sqrt());
        tau += d;
        if d.abs() < 1e-15 {
            break;
        }
    }
    (TM_LON0 + dlam.to_degrees(), tau.atan().to_degrees())
}

fn finite(p: (f64, f64)) -> Option<(f64, f64)> {
    (p.0.is_finite() && p.1.is_finite()).then_some(p)
}

/// Longitude, latitude (degrees, GRS80) to easting, northing (metres); `None` for non-finite
/// input or a point the projection cannot take (a pole, the conic's apex).
pub fn forward(to: Projected, lon: f64, lat: f64) -> Option<(f64, f64)> {
    if !(lat.abs() < 90.0 && lon.is_finite()) {
        return None;
    }
    finite(match to {
        Projected::Lambert93 => lcc_forward(lon, lat),
        Projected::NationalGridTm => tm_forward(lon, lat),
    })
}

/// Easting, northing (metres) to longitude, latitude (degrees, GRS80).
pub fn inverse(from: Projected, x: f64, y: f64) -> Option<(f64, f64)> {
    if !(x.is_finite() && y.is_finite()) {
        return None;
    }
    finite(match from {
        Projected::Lambert93 => lcc_inverse(x, y),
        Projected::NationalGridTm => tm_inverse(x, y),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_and_round_trips() {
        let (x, y) = forward(Projected::Lambert93, 3.0, 46.5).unwrap();
        assert!((x - 700_000.0).abs() < 1e-6 && (y - 6_600_000.0).abs() < 1e-6);
        let (lon, lat) = inverse(Projected::NationalGridTm, 400_000.0, -100_000.0).unwrap();
        assert!((lon + 2.0).abs() < 1e-12 && (lat - 49.0).abs() < 1e-12);
        for p in [Projected::Lambert93, Projected::NationalGridTm] {
            let (x, y) = forward(p, 1.8587, 50.9513).unwrap();
            let (lon, lat) = inverse(p, x, y).unwrap();
            assert!(
                (lon - 1.8587).abs() < 1e-11 && (lat - 50.9513).abs() < 1e-11,
                "{p:?}"
            );
        }
        assert_eq!(forward(Projected::Lambert93, 0.0, 90.0), None);
        assert_eq!(inverse(Projected::NationalGridTm, f64::NAN, 0.0), None);
    }
}
