//! Seeded synthetic reports for the heatmap benchmarks (`examples/heatmap_bench.rs`, the
//! benchmark page's `calaisMap.benchHeatmap*`): the same points natively, in wasm and for the
//! JavaScript peers.
//!
//! Units: positions are **EPSG:3857 metres**, weights 1 to 5 (a severity). Reports lie round
//! six hot spots of the coast between Boulogne and Dunkirk (Calais port, Coquelles, Sangatte,
//! Dunkirk, Gravelines, Boulogne), each a 2-D normal of a few kilometres (LCG + Box-Muller).

use crate::projection::to_mercator;
use crate::units::{LonLat, Mercator, Zoom};
use crate::viewport::Viewport;

/// Hot spots: longitude, latitude (degrees WGS84) and spread (ground metres).
const SPOTS: [(f64, f64, f64); 6] = [
    (1.858, 50.963, 3000.0),
    (1.80, 50.93, 1500.0),
    (1.75, 50.90, 2500.0),
    (2.30, 51.03, 4000.0),
    (2.12, 51.0, 2000.0),
    (1.60, 50.72, 3000.0),
];

/// `n` reports from `seed`: report `k` round spot `k mod 6`, weight `1 + k mod 5`.
pub fn points(seed: u64, n: usize) -> Vec<(Mercator, f32)> {
    let mut s = seed;
    let mut u = || {
        s = s
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((s >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    };
    (0..n)
        .map(|k| {
            let (lon, lat, spread) = SPOTS.get(k % SPOTS.len()).copied().unwrap_or(SPOTS[0]);
            let r = (-2.0 * u().ln()).sqrt() * spread;
            let a = std::f64::consts::TAU * u();
            let p = LonLat {
                lon: lon + r * a.cos() / 70_000.0,
                lat: lat + r * a.sin() / 111_000.0,
            };
            (to_mercator(p), 1.0 + (k % 5) as f32)
        })
        .collect()
}

/// The benchmark view: 1920 × 1080 CSS px (dpr 1) at zoom 11 over the coast (1.95° E,
/// 50.95° N), Boulogne to Dunkirk.
pub fn view() -> Viewport {
    let zoom = Zoom::clamped(11.0);
    let centre = to_mercator(LonLat {
        lon: 1.95,
        lat: 50.95,
    });
    Viewport::new(centre, zoom, 1920.0, 1080.0, 1.0)
}
