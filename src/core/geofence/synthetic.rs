//! Seeded, deterministic synthetic zones and points for benchmarks and tests (native and in
//! the browser).
//!
//! Zones are generated in degrees WGS84 over [`REGION`] (the Calais–Dunkirk coast, lon
//! 1.5..2.6, lat 50.8..51.1) with sizes in ground metres (200 m to 3 km across), then
//! validated by [`Zone::new`] and so stored in EPSG:3857 metres. Points are EPSG:3857 metres.
//! The generator is a SplitMix64 stream: the same seed gives the same data on a given
//! platform (sines and cosines of the zone outlines may differ in the last bit between
//! platforms' maths libraries; the points use no transcendental function).

use super::zone::{Zone, ZoneKind, ZoneRules};
use crate::projection::{MEAN_EARTH_RADIUS_M, to_mercator};
use crate::units::{LonLat, Mercator};
use std::f64::consts::TAU;

/// `[west, south, east, north]` degrees WGS84.
pub const REGION: [f64; 4] = [1.5, 50.8, 2.6, 51.1];

/// A small seeded pseudo-random generator (SplitMix64).
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `[a, b)`.
    pub fn range(&mut self, a: f64, b: f64) -> f64 {
        a + (b - a) * self.unit()
    }

    /// Uniform in `0..n` (0 if `n == 0`).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// Roughly normal with mean 0 and standard deviation 1 (sum of 4 uniforms).
    pub fn normalish(&mut self) -> f64 {
        let s: f64 = (0..4).map(|_| self.unit()).sum();
        (s - 2.0) * 3f64.sqrt()
    }
}

/// A star-shaped (so simple) ring around `c`: `n` vertices at increasing angles, radii
/// `r * [lo, hi)` ground metres; closed.
fn star(rng: &mut Rng, c: LonLat, r: f64, n: usize, lo: f64, hi: f64) -> Vec<LonLat> {
    let n = n.max(3);
    let cos_lat = c.lat.to_radians().cos();
    let mut ring: Vec<LonLat> = (0..n)
        .map(|i| {
            let a = TAU * (i as f64 + rng.range(-0.3, 0.3)) / n as f64;
            let rr = r * rng.range(lo, hi);
            let (east, north) = (rr * a.sin(), rr * a.cos());
            LonLat {
                lon: c.lon + (east / (MEAN_EARTH_RADIUS_M * cos_lat)).to_degrees(),
                lat: c.lat + (north / MEAN_EARTH_RADIUS_M).to_degrees(),
            }
        })
        .collect();
    if let Some(first) = ring.first().copied() {
        ring.push(first);
    }
    ring
}

/// `count` zones of about `vertices` vertices each (at least 8): concave star shapes 200 m
/// to 3 km across spread over [`REGION`]; every 4th has a hole, every 10th (not a 4th) is a
/// MultiPolygon with a small second part. Kinds cycle restricted / watch / approach; every
/// 3rd zone has a dwell threshold. Ids `syn-000`, `syn-001`, …
pub fn zones(seed: u64, count: usize, vertices: usize) -> Vec<Zone> {
    let mut rng = Rng::new(seed ^ 0x5A0E_5EED);
    let vertices = vertices.max(8);
    let [w, s, e, n] = REGION;
    let mut out = Vec::with_capacity(count);
    let mut i = 0usize;
    // A generated shape is simple by construction; the loop bound guards the impossible.
    let mut attempts = 0usize;
    while out.len() < count && attempts < count.saturating_mul(4) + 16 {
        attempts += 1;
        let r = rng.range(100.0, 1500.0);
        let c = LonLat {
            lon: rng.range(w + 0.03, e - 0.03),
            lat: rng.range(s + 0.02, n - 0.02),
        };
        let shell = star(&mut rng, c, r, vertices, 0.55, 1.0);
        let mut polys = vec![vec![shell]];
        if i.is_multiple_of(4) {
            let hole = star(&mut rng, c, r, 8, 0.15, 0.4);
            if let Some(p) = polys.first_mut() {
                p.push(hole);
            }
        } else if i % 10 == 5 {
            let a = rng.range(0.0, TAU);
            let d = 1.6 * r;
            let cos_lat = c.lat.to_radians().cos();
            let c2 = LonLat {
                lon: c.lon + (d * a.sin() / (MEAN_EARTH_RADIUS_M * cos_lat)).to_degrees(),
                lat: c.lat + (d * a.cos() / MEAN_EARTH_RADIUS_M).to_degrees(),
            };
            polys.push(vec![star(&mut rng, c2, r / 3.0, 12, 0.6, 1.0)]);
        }
        let kind = match i % 3 {
            0 => ZoneKind::Restricted,
            1 => ZoneKind::Watch,
            _ => ZoneKind::Approach,
        };
        let mut rules = ZoneRules::defaults(kind);
        if i % 3 == 2 {
            rules.dwell_s = Some(60.0);
        }
        let id = format!("syn-{:03}", out.len());
        if let Ok(z) = Zone::new(id, None, kind, rules, &polys) {
            out.push(z);
        }
        i += 1;
    }
    out
}

/// `count` points: 60 % clustered around the zones (roughly normal around a random zone's
/// centre, spread about its size), 40 % uniform over [`REGION`].
pub fn points(seed: u64, count: usize, zones: &[Zone]) -> Vec<Mercator> {
    let mut rng = Rng::new(seed ^ 0x9017_5EED);
    let [w, s, e, n] = REGION;
    let sw = to_mercator(LonLat { lon: w, lat: s });
    let ne = to_mercator(LonLat { lon: e, lat: n });
    (0..count)
        .map(|_| {
            if !zones.is_empty() && rng.unit() < 0.6 {
                let z = zones.get(rng.below(zones.len()));
                if let Some(z) = z {
                    let c = z.bounds.center();
                    let sx = z.bounds.width() / 2.0;
                    let sy = z.bounds.height() / 2.0;
                    return Mercator {
                        x: c.x + rng.normalish() * sx,
                        y: c.y + rng.normalish() * sy,
                    };
                }
            }
            Mercator {
                x: rng.range(sw.x, ne.x),
                y: rng.range(sw.y, ne.y),
            }
        })
        .collect()
}
