//! The incident history (`GET /api/incidents/history`): seeded reports over the days before the
//! server started, in which activity moves along the coast.
//!
//! Generated, not stored: the reports of an hour are a pure function of (seed, hour), so any
//! interval and any page can be produced on demand, identically on every request. Positions
//! are degrees WGS84, times milliseconds since the Unix epoch (UTC).
//!
//! * Generator mode: `--history-days` (default 30) days ending at the server's start (rounded
//!   down to the hour), `--history-per-hour` reports an hour on average (default 60) with a
//!   daily rhythm (small boats leave at night and at dawn, lorries are boarded in the evening).
//!   Over the period activity **shifts** from Calais, Coquelles and the Sangatte–Wimereux
//!   beaches towards Gravelines, Dunkirk and the Belgian ports (De Panne, Nieuwpoort, Ostend,
//!   Zeebrugge): the share of the eastern places grows from 20 % to 80 %.
//! * Scenario mode: the file's `"history"` member scripts a known shift: reports scattered
//!   round `a` in the first half of the period and round `b` in the second (see docs/api.md).
//!   A scenario without it has no history endpoint (404), like an API that lacks one.

use serde_json::{Value, json};

use crate::clock::rfc3339_ms;
use crate::rng::Rng;

const HOUR_MS: i64 = 3_600_000;
const M_PER_DEG_LAT: f64 = 111_320.0;
/// Reports per page; the answer carries `next_cursor` when more remain.
pub const PAGE: usize = 5_000;

/// Relative activity at an hour of the day (UTC): night and dawn crossings (02-06), an
/// evening peak of lorries boarded (19-22), a floor the rest of the day.
fn rhythm(hod: f64) -> f64 {
    0.45 + 1.3 * (-((hod - 4.0) / 2.0).powi(2)).exp() + 0.8 * (-((hod - 20.5) / 1.8).powi(2)).exp()
}

/// A place reports come from, with the kinds seen there.
struct Place {
    lon: f64,
    lat: f64,
    spread_m: f64,
    kinds: &'static [&'static str],
}

const BOAT: &[&str] = &["small_boat", "small_boat", "small_boat", "vehicle_sighting"];
const PORT: &[&str] = &[
    "lorry_intrusion",
    "lorry_intrusion",
    "fence_breach",
    "other",
];
const TERMINAL: &[&str] = &[
    "fence_breach",
    "fence_breach",
    "lorry_intrusion",
    "tunnel_intrusion",
];

/// Calais, Coquelles and the beaches west of them: where activity starts.
const WEST: [Place; 6] = [
    Place {
        lon: 1.865,
        lat: 50.966,
        spread_m: 900.0,
        kinds: PORT,
    },
    Place {
        lon: 1.812,
        lat: 50.928,
        spread_m: 800.0,
        kinds: TERMINAL,
    },
    Place {
        lon: 1.740,
        lat: 50.950,
        spread_m: 1500.0,
        kinds: BOAT,
    },
    Place {
        lon: 1.805,
        lat: 50.964,
        spread_m: 1200.0,
        kinds: BOAT,
    },
    Place {
        lon: 1.662,
        lat: 50.888,
        spread_m: 1500.0,
        kinds: BOAT,
    },
    Place {
        lon: 1.605,
        lat: 50.770,
        spread_m: 1500.0,
        kinds: BOAT,
    },
];
/// Gravelines, Dunkirk and the Belgian ports: where it moves to.
const EAST: [Place; 7] = [
    Place {
        lon: 2.130,
        lat: 51.010,
        spread_m: 1500.0,
        kinds: BOAT,
    },
    Place {
        lon: 2.360,
        lat: 51.050,
        spread_m: 1000.0,
        kinds: PORT,
    },
    Place {
        lon: 2.405,
        lat: 51.058,
        spread_m: 1500.0,
        kinds: BOAT,
    },
    Place {
        lon: 2.590,
        lat: 51.100,
        spread_m: 1500.0,
        kinds: BOAT,
    },
    Place {
        lon: 2.720,
        lat: 51.150,
        spread_m: 1000.0,
        kinds: PORT,
    },
    Place {
        lon: 2.920,
        lat: 51.232,
        spread_m: 1000.0,
        kinds: PORT,
    },
    Place {
        lon: 3.200,
        lat: 51.330,
        spread_m: 1200.0,
        kinds: PORT,
    },
];

/// A scripted shift: the first half of the period round `a`, the second round `b`.
#[derive(Debug, Clone, PartialEq)]
pub struct ScriptedShift {
    pub a: (f64, f64),
    pub b: (f64, f64),
    pub spread_m: f64,
}

/// What the history holds.
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    pub seed: u64,
    /// Mean reports per hour.
    pub per_hour: f64,
    /// First and last hour (ms since the epoch, whole hours), end exclusive.
    pub start_ms: i64,
    pub end_ms: i64,
    pub script: Option<ScriptedShift>,
}

impl History {
    /// `days` days ending at `now_ms` rounded down to the hour.
    pub fn ending_at(now_ms: i64, days: u32, per_hour: f64, seed: u64) -> History {
        let end_ms = now_ms.div_euclid(HOUR_MS) * HOUR_MS;
        History {
            seed,
            per_hour,
            start_ms: end_ms - i64::from(days) * 24 * HOUR_MS,
            end_ms,
            script: None,
        }
    }

    /// Progress through the period at `t`, 0 at the start, 1 at the end.
    fn progress(&self, t: i64) -> f64 {
        let span = (self.end_ms - self.start_ms).max(1) as f64;
        ((t - self.start_ms) as f64 / span).clamp(0.0, 1.0)
    }

    /// The reports of one hour (`hour` = ms / 3,600,000), in time order.
    fn hour(&self, hour: i64) -> Vec<Report> {
        let t0 = hour * HOUR_MS;
        if t0 < self.start_ms || t0 >= self.end_ms {
            return Vec::new();
        }
        let mut rng = Rng::new(self.seed ^ (hour as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let mean_rhythm = (0..24).map(|h| rhythm(f64::from(h))).sum::<f64>() / 24.0;
        let mean = self.per_hour * rhythm(hour.rem_euclid(24) as f64) / mean_rhythm;
        // Poisson-like count: the mean ± its square root, rounded.
        let n = (mean + mean.sqrt() * (rng.unit() * 2.0 - 1.0))
            .round()
            .max(0.0) as usize;
        let mut out: Vec<Report> = (0..n)
            .map(|k| {
                let t = t0 + (rng.unit() * HOUR_MS as f64) as i64;
                self.report(&mut rng, hour, k, t)
            })
            .collect();
        out.sort_by_key(|r| (r.t_ms, r.k));
        for (i, r) in out.iter_mut().enumerate() {
            r.k_order = i;
        }
        out
    }

    fn report(&self, rng: &mut Rng, hour: i64, k: usize, t: i64) -> Report {
        let s = self.progress(t);
        let (lon, lat, spread, kinds): (f64, f64, f64, &[&str]) = match &self.script {
            Some(sc) => {
                let (lon, lat) = if s < 0.5 { sc.a } else { sc.b };
                (lon, lat, sc.spread_m, BOAT)
            }
            None => {
                let east = rng.chance(0.2 + 0.6 * s);
                let p = if east {
                    rng.pick(&EAST)
                } else {
                    rng.pick(&WEST)
                };
                (p.lon, p.lat, p.spread_m, p.kinds)
            }
        };
        // Scatter: a 2-D normal of `spread` ground metres (Box-Muller).
        let r = (-2.0 * (1.0 - rng.unit()).ln()).sqrt() * spread;
        let a = rng.range(0.0, std::f64::consts::TAU);
        let dlat = r * a.sin() / M_PER_DEG_LAT;
        let dlon = r * a.cos() / (M_PER_DEG_LAT * lat.to_radians().cos());
        let kind = *rng.pick(kinds);
        let severity = match kind {
            "tunnel_intrusion" => 5,
            "small_boat" => rng.int(3, 5),
            "vehicle_sighting" => rng.int(1, 2),
            _ => rng.int(2, 4),
        };
        let updated = t + (rng.range(5.0, 120.0) * 60_000.0) as i64;
        Report {
            t_ms: t,
            k,
            k_order: k,
            id: format!("h{hour}-{k}"),
            kind,
            severity,
            lon: lon + dlon,
            lat: lat + dlat,
            closed: updated < self.end_ms,
            updated_ms: updated.min(self.end_ms),
        }
    }

    /// The page of reports with `from <= reported_at < to` after `cursor` (exclusive), at
    /// most [`PAGE`] long, and the cursor of the next page if more remain.
    pub fn page(
        &self,
        from: i64,
        to: i64,
        cursor: Option<Cursor>,
    ) -> (Vec<Report>, Option<Cursor>) {
        let from = from.max(self.start_ms);
        let to = to.min(self.end_ms);
        let mut out = Vec::new();
        if from >= to {
            return (out, None);
        }
        let first_hour = match cursor {
            Some(c) => c.hour.max(from.div_euclid(HOUR_MS)),
            None => from.div_euclid(HOUR_MS),
        };
        let last_hour = (to - 1).div_euclid(HOUR_MS);
        for h in first_hour..=last_hour {
            for r in self.hour(h) {
                if r.t_ms < from || r.t_ms >= to {
                    continue;
                }
                if cursor.is_some_and(|c| h == c.hour && r.k_order <= c.k_order) {
                    continue;
                }
                if out.len() == PAGE {
                    let next = out.last().map(|l: &Report| Cursor {
                        hour: l.t_ms.div_euclid(HOUR_MS),
                        k_order: l.k_order,
                    });
                    return (out, next);
                }
                out.push(r);
            }
        }
        (out, None)
    }
}

/// Where a page ends: the hour and the position within the hour's time-ordered reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub hour: i64,
    pub k_order: usize,
}

impl Cursor {
    /// `"<hour>.<position>"`.
    pub fn encode(self) -> String {
        format!("{}.{}", self.hour, self.k_order)
    }

    /// Inverse of [`Cursor::encode`]; `None` for anything else.
    pub fn decode(s: &str) -> Option<Cursor> {
        let (h, k) = s.split_once('.')?;
        Some(Cursor {
            hour: h.parse().ok()?,
            k_order: k.parse().ok()?,
        })
    }
}

/// One report of the history.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub t_ms: i64,
    /// Index in generation order (part of the id).
    pub k: usize,
    /// Position among the hour's reports in time order (what a cursor counts).
    pub k_order: usize,
    pub id: String,
    pub kind: &'static str,
    pub severity: u64,
    pub lon: f64,
    pub lat: f64,
    pub closed: bool,
    pub updated_ms: i64,
}

impl Report {
    /// The report as a GeoJSON Feature (the incident model of docs/api.md).
    pub fn feature(&self) -> Value {
        let round = |v: f64| (v * 1e6).round() / 1e6;
        json!({
            "type": "Feature",
            "id": self.id,
            "geometry": {"type": "Point", "coordinates": [round(self.lon), round(self.lat)]},
            "properties": {
                "kind": self.kind,
                "severity": self.severity,
                "status": if self.closed { "closed" } else { "open" },
                "reported_at": rfc3339_ms(self.t_ms),
                "updated_at": rfc3339_ms(self.updated_ms),
            }
        })
    }
}
