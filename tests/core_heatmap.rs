//! Heatmap engine (core::heatmap) against the exact Gaussian kernel sum, with points around
//! Calais, Dunkirk and at 49.5° / 52° N. Densities in reports per km² of ground, bandwidths in
//! ground metres.

use calais_map::core::earth::metres_per_radian;
use calais_map::core::heatmap::blur::{Deriche, gaussian_2d};
use calais_map::core::heatmap::centre::{shift, weighted_centre};
use calais_map::core::heatmap::ramp::{Ramp, Scale, colour, paint};
use calais_map::core::heatmap::{Bandwidth, ParamError, density, difference_per_day};
use calais_map::core::projection::{to_lonlat, to_mercator};
use calais_map::core::units::{LonLat, Mercator, Zoom};
use calais_map::core::viewport::Viewport;
use std::f64::consts::PI;

const CALAIS: LonLat = LonLat {
    lon: 1.858,
    lat: 50.963,
};

/// Deterministic normal deviates (LCG + Box-Muller).
struct Rng(u64);
impl Rng {
    fn uniform(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }
    fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform(), self.uniform());
        (-2.0 * u.ln()).sqrt() * (2.0 * PI * v).cos()
    }
}

/// `n` points scattered round `c` with a ground standard deviation of `spread_m` metres.
fn cluster(rng: &mut Rng, c: LonLat, spread_m: f64, n: usize) -> Vec<LonLat> {
    let (m, n_cos) = metres_per_radian(c.lat);
    (0..n)
        .map(|_| LonLat {
            lon: c.lon + (rng.normal() * spread_m / n_cos).to_degrees(),
            lat: c.lat + (rng.normal() * spread_m / m).to_degrees(),
        })
        .collect()
}

fn view_at(c: LonLat, zoom: f64) -> Viewport {
    Viewport::new(
        to_mercator(c),
        Zoom::new(zoom).unwrap(),
        1920.0,
        1080.0,
        1.0,
    )
}

fn ones(points: &[LonLat]) -> impl Iterator<Item = (Mercator, f32)> + '_ {
    points.iter().map(|p| (to_mercator(*p), 1.0f32))
}

/// Exact kernel sum at `x`, reports per km²: Σ φσ(d), d on the local tangent plane at `x`.
fn exact(points: &[LonLat], x: LonLat, sigma: f64) -> f64 {
    let (m, n_cos) = metres_per_radian(x.lat);
    let k = 1e6 / (2.0 * PI * sigma * sigma);
    points
        .iter()
        .map(|p| {
            let dx = (p.lon - x.lon).to_radians() * n_cos;
            let dy = (p.lat - x.lat).to_radians() * m;
            k * (-(dx * dx + dy * dy) / (2.0 * sigma * sigma)).exp()
        })
        .sum()
}

/// Largest |grid − exact| over a lattice of sample points round `c`, as a fraction of the
/// exact peak there.
fn worst_error(points: &[LonLat], c: LonLat, zoom: f64, sigma: f64, cells_per_px: f64) -> f64 {
    let view = view_at(c, zoom);
    let g = density(&view, sigma, cells_per_px, ones(points)).unwrap();
    let (m, n_cos) = metres_per_radian(c.lat);
    let mut peak: f64 = 0.0;
    let mut worst: f64 = 0.0;
    for a in -8..=8 {
        for b in -8..=8 {
            let x = LonLat {
                lon: c.lon + (f64::from(a) * 0.37 * sigma / n_cos).to_degrees(),
                lat: c.lat + (f64::from(b) * 0.41 * sigma / m).to_degrees(),
            };
            let want = exact(points, x, sigma);
            let got = g.value_at(to_mercator(x)).unwrap();
            peak = peak.max(want);
            worst = worst.max((got - want).abs());
        }
    }
    worst / peak
}

#[test]
fn accuracy_against_the_exact_kernel_sum() {
    let mut rng = Rng(7);
    let pts = cluster(&mut rng, CALAIS, 1500.0, 3000);
    // σ = 500 m at zoom 13 with half-resolution cells: a cell is 2 CSS px = 23.5 m of ground
    // at 51° N, so σ is 21 cells, coarsened to 8 cells by the grid; zoom 11: σ 5.3 cells;
    // zoom 10: 2.7 cells (documented, looser).
    let e13 = worst_error(&pts, CALAIS, 13.0, 500.0, 0.5);
    let e11 = worst_error(&pts, CALAIS, 11.0, 500.0, 0.5);
    let e10 = worst_error(&pts, CALAIS, 10.0, 500.0, 0.5);
    println!("accuracy: peak-relative error z13 {e13:.4}, z11 {e11:.4}, z10 {e10:.4}");
    assert!(e13 < 0.01, "{e13}");
    assert!(e11 < 0.01, "{e11}");
    assert!(e10 < 0.03, "{e10}");
}

#[test]
fn accuracy_of_the_recursive_gaussian_on_one_line() {
    // A unit impulse smoothed with σ cells against the sampled, normalised Gaussian.
    for sigma in [0.7, 1.0, 2.0, 4.0, 6.5, 10.0, 25.0] {
        let n = 801;
        let mut grid = vec![0.0f32; n];
        grid[400] = 1.0;
        gaussian_2d(&mut grid, n, 1, &[sigma], &[0.0]);
        let g: Vec<f64> = (0..n)
            .map(|i| (-((i as f64 - 400.0).powi(2)) / (2.0 * sigma * sigma)).exp())
            .collect();
        let total: f64 = g.iter().sum();
        let peak = 1.0 / total;
        let worst = grid
            .iter()
            .zip(&g)
            .map(|(v, w)| (f64::from(*v) - w / total).abs())
            .fold(0.0, f64::max)
            / peak;
        println!("accuracy: σ {sigma} cells, 1-D peak-relative error {worst:.5}");
        assert!(worst < 0.001, "σ {sigma}: {worst}");
    }
}

#[test]
fn mass_is_conserved_in_view() {
    let mut rng = Rng(11);
    // 2,000 reports well inside a zoom-11 view of Calais (the view is ~ 110 × 60 km of ground
    // at 1920 × 1080; the cluster's 2 km spread and σ 500 m stay far from its edges).
    let pts = cluster(&mut rng, CALAIS, 2000.0, 2000);
    for zoom in [11.0, 12.5] {
        let g = density(&view_at(CALAIS, zoom), 500.0, 0.5, ones(&pts)).unwrap();
        let w = g.weight_in_view();
        assert!((w - 2000.0).abs() < 20.0, "zoom {zoom}: {w}");
        assert!(
            (g.weight_total() - 2000.0).abs() < 2.0,
            "{}",
            g.weight_total()
        );
    }
}

#[test]
fn one_report_is_the_gaussian_of_the_bandwidth_at_two_zooms_and_two_latitudes() {
    for lat in [49.5, 52.0] {
        let c = LonLat { lon: 2.0, lat };
        let (m, n_cos) = metres_per_radian(lat);
        for zoom in [11.0, 13.0] {
            for sigma in [300.0, 800.0] {
                let g = density(&view_at(c, zoom), sigma, 0.5, [(to_mercator(c), 1.0f32)]).unwrap();
                let peak_want = 1e6 / (2.0 * PI * sigma * sigma);
                let at = |dx: f64, dy: f64| {
                    let p = LonLat {
                        lon: c.lon + (dx / n_cos).to_degrees(),
                        lat: c.lat + (dy / m).to_degrees(),
                    };
                    g.value_at(to_mercator(p)).unwrap()
                };
                let peak = at(0.0, 0.0);
                // Peak within 2 % (the grid samples a smooth hump at cell centres ≥ 4 cells/σ).
                assert!(
                    (peak / peak_want - 1.0).abs() < 0.02,
                    "{lat} z{zoom} σ{sigma}: {peak} vs {peak_want}"
                );
                // One σ of ground east, west, north and south: e^(-1/2) of the peak, within 2 %.
                for (dx, dy) in [(sigma, 0.0), (-sigma, 0.0), (0.0, sigma), (0.0, -sigma)] {
                    let r = at(dx, dy) / peak_want;
                    assert!(
                        (r - (-0.5f64).exp()).abs() < 0.02,
                        "{lat} z{zoom} σ{sigma} ({dx},{dy}): {r}"
                    );
                }
            }
        }
    }
}

#[test]
fn a_place_keeps_its_value_from_zoom_10_to_14() {
    let mut rng = Rng(3);
    let pts = cluster(&mut rng, CALAIS, 3000.0, 5000);
    // A place 4 km north-east of the cluster's centre, seen from views centred elsewhere.
    let place = LonLat {
        lon: CALAIS.lon + 0.05,
        lat: CALAIS.lat + 0.03,
    };
    let reference = exact(&pts, place, 500.0);
    for zoom in [10.0, 11.0, 12.0, 13.0, 14.0] {
        let centre = LonLat {
            lon: place.lon - 0.01,
            lat: place.lat + 0.005,
        };
        let g = density(&view_at(centre, zoom), 500.0, 0.5, ones(&pts)).unwrap();
        let v = g.value_at(to_mercator(place)).unwrap();
        assert!(
            (v / reference - 1.0).abs() < 0.02,
            "zoom {zoom}: {v} vs {reference}"
        );
    }
}

#[test]
fn symmetric_and_translation_invariant() {
    let view = view_at(CALAIS, 12.0);
    let spec = density(&view, 400.0, 0.5, std::iter::empty()).unwrap().spec;
    let (i0, j0) = (
        (spec.view_cols.0 + spec.view_cols.1) / 2,
        (spec.view_rows.0 + spec.view_rows.1) / 2,
    );
    let at = |i: usize, j: usize| Mercator {
        x: spec.col_centre_x(i),
        y: spec.row_centre_y(j),
    };
    let g = density(&view, 400.0, 0.5, [(at(i0, j0), 1.0f32)]).unwrap();
    for k in 1..12 {
        let (e, w) = (g.cell(i0 + k, j0).unwrap(), g.cell(i0 - k, j0).unwrap());
        // The recursions run in f32 (rows four at a time in SIMD lanes): the causal and the
        // anti-causal halves round differently, 1.1e-5 of the value at most here.
        assert!((e - w).abs() <= 5e-5 * e.max(w), "east/west {k}: {e} {w}");
        // North and south: the ground scale changes by 0.02 % per cell at this zoom.
        let (n, s) = (g.cell(i0, j0 - k).unwrap(), g.cell(i0, j0 + k).unwrap());
        assert!((n - s).abs() <= 5e-3 * n.max(s), "north/south {k}: {n} {s}");
    }
    // The same report moved by 7 whole cells east and 5 south: the picture moves with it.
    let h = density(&view, 400.0, 0.5, [(at(i0 + 7, j0 + 5), 1.0f32)]).unwrap();
    for (di, dj) in [(0usize, 0usize), (3, 0), (0, 4), (6, 2)] {
        let a = g.cell(i0 + di, j0 + dj).unwrap();
        let b = h.cell(i0 + 7 + di, j0 + 5 + dj).unwrap();
        // 5 cells south is a slightly different latitude: the cell area changes by ~1e-3.
        assert!((a - b).abs() <= 2e-3 * a.max(b), "({di},{dj}) {a} {b}");
    }
}

#[test]
fn the_difference_of_a_window_with_itself_is_zero_and_days_are_fair() {
    let mut rng = Rng(5);
    let pts = cluster(&mut rng, CALAIS, 2000.0, 500);
    let view = view_at(CALAIS, 12.0);
    let a = density(&view, 500.0, 0.5, ones(&pts)).unwrap();
    let d = difference_per_day(&a, 7.0, &a, 7.0).unwrap();
    assert!(d.iter().all(|v| *v == 0.0));
    // The same reports over 14 days are half the daily rate of 7 days.
    let half = difference_per_day(&a, 7.0, &a, 14.0).unwrap();
    let peak_day = a.peak_per_km2 / 7.0;
    let most_negative = half.iter().copied().fold(0.0f32, f32::min);
    assert!((f64::from(-most_negative) - peak_day / 2.0).abs() < 1e-3 * peak_day);
    assert!(difference_per_day(&a, 0.0, &a, 7.0).is_none());
}

#[test]
fn a_scripted_shift_is_recovered() {
    // Window A round Calais, window B round Dunkirk (Gravelines side): the shift of the
    // centres is the geodesic between the scripted centres, within 1 km.
    let dunkirk = LonLat {
        lon: 2.30,
        lat: 51.03,
    };
    let mut rng = Rng(13);
    let a = cluster(&mut rng, CALAIS, 4000.0, 4000);
    let b = cluster(&mut rng, dunkirk, 6000.0, 3000);
    let ca = weighted_centre(a.iter().map(|p| (*p, 1.0))).unwrap();
    let cb = weighted_centre(b.iter().map(|p| (*p, 1.0))).unwrap();
    let got = shift(ca, cb);
    let want = shift(CALAIS, dunkirk);
    assert!((got.km - want.km).abs() < 1.0, "{got:?} vs {want:?}");
    assert!((got.bearing_deg.unwrap() - want.bearing_deg.unwrap()).abs() < 3.0);
    assert!(want.km > 30.0 && want.km < 35.0, "{want:?}");
    // East-north-east.
    assert!((60.0..90.0).contains(&want.bearing_deg.unwrap()));
    // Weights count: a report of weight 3 pulls like three reports.
    let w = weighted_centre([(CALAIS, 3.0), (dunkirk, 1.0)]).unwrap();
    let by_three =
        weighted_centre([(CALAIS, 1.0), (CALAIS, 1.0), (CALAIS, 1.0), (dunkirk, 1.0)]).unwrap();
    assert!((w.lon - by_three.lon).abs() < 1e-12 && (w.lat - by_three.lat).abs() < 1e-12);
    assert!(weighted_centre(std::iter::empty()).is_none());
    assert!(weighted_centre([(CALAIS, f64::NAN), (dunkirk, -1.0)]).is_none());
}

#[test]
fn ramps_and_scales() {
    assert_eq!(colour(Ramp::Sequential, 0.0)[3], 0);
    assert_eq!(colour(Ramp::Diverging, 0.0)[3], 0);
    // Brightness grows with density.
    let lum =
        |c: [u8; 4]| 0.2126 * f64::from(c[0]) + 0.7152 * f64::from(c[1]) + 0.0722 * f64::from(c[2]);
    let mut last = -1.0;
    for k in 1..=10 {
        let l = lum(colour(Ramp::Sequential, k as f32 / 10.0));
        assert!(l > last);
        last = l;
    }
    // Less is blue, more is red.
    let less = colour(Ramp::Diverging, -1.0);
    let more = colour(Ramp::Diverging, 1.0);
    assert!(less[2] > less[0] && more[0] > more[2]);
    assert_eq!(Scale::Fixed(20.0).top(3.0), Some(20.0));
    assert_eq!(Scale::Relative.top(3.0), Some(3.0));
    assert_eq!(Scale::Relative.top(0.0), None);
    let rows: Vec<&[f32]> = vec![&[0.0, 10.0], &[20.0, 40.0]];
    let mut out = Vec::new();
    paint(
        rows.into_iter(),
        Ramp::Sequential,
        Scale::Fixed(20.0).top(0.0),
        &mut out,
    );
    assert_eq!(out.len(), 16);
    assert_eq!(out[3], 0);
    assert_eq!(
        &out[8..12],
        &out[12..16],
        "values above the fixed top saturate"
    );
}

#[test]
fn bandwidth_is_validated() {
    assert_eq!(Bandwidth::default().metres(), 500.0);
    assert!(Bandwidth::new(500.0).is_ok());
    assert_eq!(Bandwidth::new(10.0), Err(ParamError::Bandwidth(10.0)));
    assert!(Bandwidth::new(f64::NAN).is_err());
    assert!(Bandwidth::new(1e6).is_err());
    assert!(Deriche::for_sigma(f64::NAN).is_none());
    // A non-finite report is ignored, never a panic.
    let g = density(
        &view_at(CALAIS, 12.0),
        500.0,
        0.5,
        [(
            Mercator {
                x: f64::NAN,
                y: 0.0,
            },
            1.0f32,
        )],
    )
    .unwrap();
    assert_eq!(g.peak_per_km2, 0.0);
    let far = to_lonlat(Mercator { x: 1e9, y: 1e9 });
    let _ = density(
        &view_at(CALAIS, 12.0),
        500.0,
        0.5,
        [(to_mercator(far), 1.0f32)],
    );
}

mod history_and_displacement {
    use super::*;
    use calais_map::core::heatmap::displacement::{Window, displacement};
    use calais_map::core::heatmap::history::{History, Report, Weighting};
    use calais_map::core::incident::{
        IncidentFilter, IncidentKind, Severity, Status, StatusFilter,
    };

    const DAY: i64 = 86_400_000;
    const DUNKIRK: LonLat = LonLat {
        lon: 2.36,
        lat: 51.05,
    };

    fn report(at: LonLat, t: i64, kind: IncidentKind, sev: u8, status: Status) -> Report {
        Report {
            reported_ms: t,
            at: to_mercator(at),
            kind,
            severity: Severity::new(sev).unwrap(),
            status,
        }
    }

    /// 10 days round Calais (20 a day), then 5 days round Dunkirk (30 a day).
    fn scripted() -> History {
        let mut rng = Rng(17);
        let mut h = History::new();
        let a = cluster(&mut rng, CALAIS, 2500.0, 200);
        let b = cluster(&mut rng, DUNKIRK, 2500.0, 150);
        for (k, p) in a.iter().enumerate() {
            let t = k as i64 * (10 * DAY / 200);
            assert!(h.insert(
                &format!("a{k}"),
                report(*p, t, IncidentKind::SmallBoat, 3, Status::Closed)
            ));
        }
        for (k, p) in b.iter().enumerate() {
            let t = 10 * DAY + k as i64 * (5 * DAY / 150);
            assert!(h.insert(
                &format!("b{k}"),
                report(*p, t, IncidentKind::SmallBoat, 4, Status::Closed)
            ));
        }
        h
    }

    #[test]
    fn at_the_cap_the_oldest_reports_go() {
        let mut h = History::with_cap(640);
        for k in 0..2_000i64 {
            assert!(h.insert(
                &format!("r{k}"),
                report(
                    CALAIS,
                    k * 1_000,
                    IncidentKind::FenceBreach,
                    2,
                    Status::Open
                )
            ));
            assert!(h.len() <= 640, "{} reports held", h.len());
        }
        // The newest report is held, the oldest are gone (a batch of cap/64 at a time).
        let (first, last) = h.span().unwrap();
        assert_eq!(last, 1_999_000);
        assert!(h.len() >= 640 - 10, "{}", h.len());
        assert_eq!(first, (2_000 - h.len() as i64) * 1_000);
        // A dropped id is forgotten (it would count again); a held one is not taken twice.
        assert!(!h.insert(
            "r1999",
            report(
                CALAIS,
                1_999_000,
                IncidentKind::FenceBreach,
                2,
                Status::Open
            )
        ));
        assert!(h.insert(
            "r0",
            report(
                CALAIS,
                1_999_500,
                IncidentKind::FenceBreach,
                2,
                Status::Open
            )
        ));
    }

    #[test]
    fn reports_before_the_kept_span_are_dropped() {
        use calais_map::core::heatmap::history::{LOAD_DAYS, keep_from};
        let mut h = scripted();
        let before = h.len();
        let bytes = h.bytes();
        // Day 12 of 15: the first 12 days go, Dunkirk's last days stay.
        let dropped = h.drop_before(12 * DAY);
        // Calais' 200 reports and Dunkirk's first 2 days (30 a day).
        assert_eq!(dropped, 260);
        assert_eq!(h.len(), before - dropped);
        assert!(h.span().unwrap().0 >= 12 * DAY);
        assert_eq!(h.range(i64::MIN, 12 * DAY), 0..0);
        assert!(h.bytes() <= bytes);
        assert!(h.insert(
            "a0",
            report(CALAIS, 14 * DAY, IncidentKind::SmallBoat, 3, Status::Closed)
        ));
        // What the page keeps: the last LOAD_DAYS days, or from a pinned earlier window;
        // on the hour.
        let now = 100 * DAY + 3_600_000 + 1_234;
        assert_eq!(keep_from(now, None), now - 1_234 - LOAD_DAYS * DAY);
        assert_eq!(keep_from(now, Some(10 * DAY + 5)), 10 * DAY);
        assert_eq!(
            keep_from(now, Some(99 * DAY)),
            now - 1_234 - LOAD_DAYS * DAY
        );
    }

    #[test]
    fn columns_keep_time_order_and_count_an_id_once() {
        let mut h = History::new();
        assert!(h.insert(
            "x",
            report(CALAIS, 5_000, IncidentKind::FenceBreach, 2, Status::Open)
        ));
        assert!(h.insert(
            "y",
            report(CALAIS, 1_000, IncidentKind::FenceBreach, 2, Status::Open)
        ));
        assert!(h.insert(
            "z",
            report(DUNKIRK, 3_000, IncidentKind::SmallBoat, 5, Status::Closed)
        ));
        assert!(!h.insert(
            "x",
            report(DUNKIRK, 9_000, IncidentKind::FenceBreach, 2, Status::Open)
        ));
        assert!(!h.insert(
            "w",
            report(
                LonLat {
                    lon: f64::NAN,
                    lat: 0.0
                },
                1,
                IncidentKind::Other,
                1,
                Status::Open
            )
        ));
        assert_eq!(h.len(), 3);
        assert_eq!(h.span(), Some((1_000, 5_000)));
        assert_eq!(h.range(1_000, 5_000), 0..2);
        assert_eq!(h.range(6_000, 7_000).len(), 0);
        let all = IncidentFilter::default();
        let pts: Vec<_> = h.points(0, 10_000, &all, Weighting::Severity).collect();
        assert_eq!(
            pts.iter().map(|(_, w)| *w).collect::<Vec<_>>(),
            vec![2.0, 5.0, 2.0]
        );
        // Filters: kind, minimum severity, status.
        let mut f = IncidentFilter::default();
        f.kinds[IncidentKind::FenceBreach.index()] = false;
        assert_eq!(h.points(0, 10_000, &f, Weighting::Count).count(), 1);
        let f = IncidentFilter {
            min_severity: 3,
            ..IncidentFilter::default()
        };
        assert_eq!(h.points(0, 10_000, &f, Weighting::Count).count(), 1);
        let f = IncidentFilter {
            status: StatusFilter::Open,
            ..IncidentFilter::default()
        };
        assert_eq!(h.points(0, 10_000, &f, Weighting::Count).count(), 2);
        // Compact: tens of bytes a report, not an object each.
        let big = scripted();
        assert!(
            big.bytes() / big.len() < 64,
            "{} bytes for {}",
            big.bytes(),
            big.len()
        );
    }

    #[test]
    fn the_scripted_move_is_measured() {
        let h = scripted();
        let all = IncidentFilter::default();
        let a = Window::new(0, 10 * DAY).unwrap();
        let b = Window::new(10 * DAY, 15 * DAY).unwrap();
        let ports = [
            CALAIS,
            DUNKIRK,
            LonLat {
                lon: 2.92,
                lat: 51.23,
            },
        ];
        let d = displacement(&h, a, b, &all, Weighting::Count, &ports, 5_000.0);
        assert_eq!((d.count_a, d.count_b), (200, 150));
        let want = shift(CALAIS, DUNKIRK);
        let got = d.shift.unwrap();
        assert!((got.km - want.km).abs() < 1.0, "{got:?} vs {want:?}");
        assert!((got.bearing_deg.unwrap() - want.bearing_deg.unwrap()).abs() < 3.0);
        // Per day near each port: Calais ~20/day in A (most of the 2.5 km cluster is within
        // 5 km), none in B; Dunkirk none in A, ~30/day in B; Ostend none in either.
        let [calais, dunkirk, ostend] = [d.ports[0], d.ports[1], d.ports[2]];
        assert!(
            calais.per_day_a > 17.0 && calais.per_day_a <= 20.0,
            "{calais:?}"
        );
        assert_eq!(calais.per_day_b, 0.0);
        assert_eq!(calais.change_pct, Some(-100.0));
        assert!(
            dunkirk.per_day_b > 25.0 && dunkirk.per_day_b <= 30.0,
            "{dunkirk:?}"
        );
        assert_eq!(
            dunkirk.change_pct, None,
            "a change from nothing has no percentage"
        );
        assert_eq!((ostend.per_day_a, ostend.per_day_b), (0.0, 0.0));
        // A window with itself: no shift.
        let same = displacement(&h, a, a, &all, Weighting::Count, &ports, 5_000.0);
        assert!(same.shift.unwrap().km < 1e-9);
        assert!(
            same.ports
                .iter()
                .all(|p| p.change_pct.is_none_or(|c| c == 0.0))
        );
        // Nothing passes the filter: no centres, no shift, no panic.
        let none = IncidentFilter {
            min_severity: 5,
            ..IncidentFilter::default()
        };
        let empty = displacement(&h, a, b, &none, Weighting::Count, &ports, 5_000.0);
        assert!(empty.shift.is_none() && empty.centre_a.is_none());
        assert!(Window::new(5, 5).is_none());
    }

    #[test]
    fn the_heatmap_of_a_window_follows_the_history() {
        let h = scripted();
        let all = IncidentFilter::default();
        let view = view_at(
            LonLat {
                lon: 2.1,
                lat: 51.0,
            },
            10.0,
        );
        let a = density(
            &view,
            1000.0,
            0.5,
            h.points(0, 10 * DAY, &all, Weighting::Count),
        )
        .unwrap();
        let b = density(
            &view,
            1000.0,
            0.5,
            h.points(10 * DAY, 15 * DAY, &all, Weighting::Count),
        )
        .unwrap();
        let at = |g: &calais_map::core::heatmap::DensityGrid, p: LonLat| {
            g.value_at(to_mercator(p)).unwrap()
        };
        assert!(at(&a, CALAIS) > 10.0 * at(&a, DUNKIRK));
        assert!(at(&b, DUNKIRK) > 10.0 * at(&b, CALAIS));
        assert!(
            (a.weight_in_view() - 200.0).abs() < 2.0,
            "{}",
            a.weight_in_view()
        );
    }
}

mod config {
    use calais_map::core::config::{ConfigError, ConfigProblem, parse_config};
    use calais_map::core::heatmap::history::Weighting;
    use calais_map::core::heatmap::settings::{HeatWindow, ScaleMode};

    fn field_of(text: &str) -> (String, ConfigProblem) {
        match parse_config(text) {
            Err(ConfigError::Invalid { field, problem }) => (field, problem),
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn defaults_and_a_full_section() {
        let c = parse_config("{}").unwrap();
        assert!(!c.heatmap.enabled);
        assert_eq!(c.heatmap.bandwidth.metres(), 500.0);
        assert_eq!(c.heatmap.window, HeatWindow::Hours24);
        assert_eq!(c.incidents.history_url, "api/incidents/history");
        let c = parse_config(
            r#"{"heatmap": {"enabled": true, "bandwidth_m": 800, "window": "7d", "scale": "relative",
                "weighting": "severity", "resolution": 0.25, "port_radius_m": 5000,
                "compare": {"a": {"from": "2026-11-01T00:00:00Z", "to": "2026-11-08T00:00:00Z"},
                            "b": {"from": "2026-11-29T00:00:00+01:00", "to": "2026-12-06T00:00:00Z"}}}}"#,
        )
        .unwrap()
        .heatmap;
        assert!(c.enabled);
        assert_eq!(c.bandwidth.metres(), 800.0);
        assert_eq!(
            (c.window, c.scale, c.weighting),
            (HeatWindow::Days7, ScaleMode::Relative, Weighting::Severity)
        );
        let (a, b) = c.compare.unwrap();
        assert_eq!(a.days(), 7.0);
        assert!((b.days() - (7.0 + 1.0 / 24.0)).abs() < 1e-9);
        assert_eq!(HeatWindow::Days7.at(1_000_000_000_000).days(), 7.0);
        let c = parse_config(
            r#"{"heatmap": {"window": {"from": "2026-11-01T00:00:00Z", "to": "2026-11-03T12:00:00Z"}}}"#,
        )
        .unwrap()
        .heatmap;
        let HeatWindow::Custom(w) = c.window else {
            panic!("{:?}", c.window)
        };
        assert_eq!((w.days(), c.window.key()), (2.5, "custom"));
        assert_eq!(
            c.window.at(0),
            w,
            "an interval does not move with the clock"
        );
    }

    #[test]
    fn bad_values_are_refused_with_the_field_named() {
        let cases = [
            (r#"{"heatmap": {"bandwidth_m": 10}}"#, "heatmap.bandwidth_m"),
            (
                r#"{"heatmap": {"bandwidth_m": "wide"}}"#,
                "heatmap.bandwidth_m",
            ),
            (r#"{"heatmap": {"window": "2d"}}"#, "heatmap.window"),
            (
                r#"{"heatmap": {"window": {"from": "2026-11-08T00:00:00Z", "to": "2026-11-01T00:00:00Z"}}}"#,
                "heatmap.window.to",
            ),
            (
                r#"{"heatmap": {"window": {"from": "2024-11-08T00:00:00Z", "to": "2026-11-01T00:00:00Z"}}}"#,
                "heatmap.window.to",
            ),
            (
                r#"{"heatmap": {"window": {"from": "now", "to": "2026-11-01T00:00:00Z"}}}"#,
                "heatmap.window.from",
            ),
            (r#"{"heatmap": {"scale": "log"}}"#, "heatmap.scale"),
            (r#"{"heatmap": {"resolution": 3}}"#, "heatmap.resolution"),
            (
                r#"{"heatmap": {"compare": {"a": {"from": "yesterday", "to": "2026-11-08T00:00:00Z"}}}}"#,
                "heatmap.compare.a.from",
            ),
            (
                r#"{"heatmap": {"compare": {"a": {"from": "2026-11-08T00:00:00Z", "to": "2026-11-01T00:00:00Z"}, "b": {}}}}"#,
                "heatmap.compare.a.to",
            ),
            (
                r#"{"heatmap": {"compare": {"a": {"from": "2026-11-01T00:00:00Z", "to": "2026-11-08T00:00:00Z"}}}}"#,
                "heatmap.compare.b",
            ),
            (r#"{"heatmap": 3}"#, "heatmap"),
            (
                r#"{"incidents": {"history_url": " "}}"#,
                "incidents.history_url",
            ),
        ];
        for (text, field) in cases {
            assert_eq!(field_of(text).0, field, "{text}");
        }
        assert_eq!(
            field_of(r#"{"heatmap": {"window": "2d"}}"#).1,
            ConfigProblem::OneOf(&["1h", "24h", "7d", "30d"])
        );
    }
}

/// A wall of 2×2 screens (no bezel, then 30 CSS px) over one virtual view: each screen paints
/// the crop of the whole view's grid that covers it (`GridSpec::crop`), so its cells are the
/// whole's cells (the same values, hence the same colours under the whole's relative scale) and
/// land where the whole view draws them; without bezel the crops cover the whole view crop. Each
/// screen's own grid would differ: its peak is not the whole's.
#[test]
fn a_walls_screens_paint_crops_of_the_whole_views_grid() {
    use calais_map::core::wall::{Grid, WallLayout};
    let mut rng = Rng(5);
    // One cluster on the top-left screen, a weaker one on the bottom-right.
    let mut pts = cluster(
        &mut rng,
        LonLat {
            lon: 1.80,
            lat: 50.99,
        },
        1200.0,
        3000,
    );
    pts.extend(cluster(
        &mut rng,
        LonLat {
            lon: 1.93,
            lat: 50.94,
        },
        1500.0,
        800,
    ));
    for bezel in [0.0, 30.0] {
        let layout = WallLayout::new(Grid::new(2, 2, bezel).unwrap(), 960.0, 540.0);
        let (vw, vh) = layout.virtual_size();
        let whole = Viewport::new(to_mercator(CALAIS), Zoom::new(12.5).unwrap(), vw, vh, 1.0);
        let g = density(&whole, 400.0, 0.5, ones(&pts)).expect("grid");
        let whole_rows: Vec<&[f32]> = g.view_rows().collect();
        let (cols, rows_n) = g.view_size();
        let (wl, wt, ww, _) = g.spec.view_placement_css(&whole);
        let px_per_cell = ww / cols as f64;
        let mut covered = vec![false; cols * rows_n];
        let mut peaks = Vec::new();
        for tile in layout.grid().tiles() {
            let part = layout.tile_view(&whole, tile);
            let crop = g.spec.crop(&part);
            let (c0, r0) = (
                crop.view_cols.0 - g.spec.view_cols.0,
                crop.view_rows.0 - g.spec.view_rows.0,
            );
            let rows: Vec<&[f32]> = g.spec.crop_rows(&crop, g.view_rows()).collect();
            assert_eq!(rows.len(), crop.view_size().1);
            for (k, row) in rows.iter().enumerate() {
                assert_eq!(row.len(), crop.view_size().0);
                assert_eq!(*row, &whole_rows[r0 + k][c0..c0 + row.len()]);
                for i in 0..row.len() {
                    covered[(r0 + k) * cols + c0 + i] = true;
                }
            }
            // Placed on the screen where the whole view draws those cells.
            let (l, t, w, h) = crop.view_placement_css(&part);
            let (vx, vy) = layout.to_virtual(tile, l, t);
            assert!(
                (vx - (wl + c0 as f64 * px_per_cell)).abs() < 1e-6,
                "{tile:?} x {vx}"
            );
            assert!(
                (vy - (wt + r0 as f64 * px_per_cell)).abs() < 1e-6,
                "{tile:?} y {vy}"
            );
            // Covering the screen, from at most two cells before it.
            let (sw, sh) = layout.screen_size();
            assert!(
                l <= 1e-6 && l >= -2.0 * px_per_cell - 1e-6 && l + w >= sw - 1e-6,
                "{tile:?} x {l} + {w}"
            );
            assert!(
                t <= 1e-6 && t >= -2.0 * px_per_cell - 1e-6 && t + h >= sh - 1e-6,
                "{tile:?} y {t} + {h}"
            );
            // The screen's own grid has another peak: painting it alone would change the colours.
            let own = density(&part, 400.0, 0.5, ones(&pts)).expect("own grid");
            peaks.push(own.peak_per_km2);
        }
        if bezel == 0.0 {
            assert!(
                covered.iter().all(|c| *c),
                "the crops cover the whole view crop"
            );
        }
        let top = g.peak_per_km2;
        assert!(
            peaks.iter().any(|p| (p - top).abs() > 0.1 * top),
            "{peaks:?} vs {top}"
        );
    }
}
