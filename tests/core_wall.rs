//! The video wall's core (issue 13), natively: the `wall` section of `config.json` with tours
//! of the Calais coast, the screens of a wall as one map (property-tested: every tile draws a
//! world point where the one large render would, minus its offset; the tiles and bezels
//! partition the wall), the tour clock (order and dwell with a fast clock, two clocks 30 ms
//! apart), critical alerts interrupting and resuming, and the home view.
#![cfg(not(target_arch = "wasm32"))]

use calais_map::core::config::{ConfigError, ConfigProblem, parse_config};
use calais_map::core::projection::to_mercator;
use calais_map::core::units::{LonLat, Mercator, Zoom};
use calais_map::core::viewport::Viewport;
use calais_map::core::wall::fit::{FitLimits, fit_incidents, region_view};
use calais_map::core::wall::tiling::{CssBox, Grid, Tile, WallLayout};
use calais_map::core::wall::tour::{ALERT_ZOOM, AlertLeg, Phase, Waypoint};
use calais_map::core::wall::{Show, TourLayer, TourPlayer, TourState, WallEvent};
use proptest::prelude::*;

/// Coquelles terminal 10 s, Calais port 20 s, Dunkirk 5 s, the Channel 15 s with the heatmap
/// comparison; flights of 4 s: a 66 s cycle.
const CONFIG: &str = r#"{"wall": {
  "flight_s": 4, "alert_hold_s": 60, "cols": 2, "rows": 1, "bezel_px": 0,
  "tours": [
    {"name": "Coquelles terminal", "center": [1.8100, 50.9290], "zoom": 14, "dwell_s": 10,
     "layers": ["basemap", "fences", "cameras", "incidents"]},
    {"name": "Calais port", "center": [1.8650, 50.9660], "zoom": 13, "dwell_s": 20},
    {"name": "Dunkirk", "center": [2.3768, 51.0343], "zoom": 12, "dwell_s": 5},
    {"name": "Channel overview", "center": [1.5, 50.9], "zoom": 9, "dwell_s": 15,
     "layers": ["basemap", "heatmap"], "heatmap_compare": true}
  ]}}"#;

/// 2026-12-05T00:00:00Z.
const DEC_5: i64 = 1_796_428_800_000;

fn player() -> TourPlayer {
    let cfg = parse_config(CONFIG).expect("config");
    assert!(cfg.wall.problems.is_empty(), "{:?}", cfg.wall.problems);
    TourPlayer::from_config(&cfg.wall)
}

/// The start of the cycle at or before `t`.
fn cycle_start(p: &TourPlayer, t: i64) -> i64 {
    t - t.rem_euclid(p.tour().cycle_ms())
}

fn dwell_state(view: usize) -> TourState {
    TourState {
        view,
        phase: Phase::Dwell,
    }
}

fn dwell(view: usize) -> Show {
    Show::Tour(dwell_state(view))
}

fn holding(s: &Show) -> bool {
    matches!(
        s,
        Show::Alert {
            leg: AlertLeg::Hold,
            ..
        }
    )
}

fn calais_port() -> Mercator {
    to_mercator(LonLat {
        lon: 1.8650,
        lat: 50.9660,
    })
}

#[test]
fn the_wall_section_of_the_config() {
    let cfg = parse_config(CONFIG).unwrap();
    let w = &cfg.wall;
    let names: Vec<&str> = w.tours.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Coquelles terminal",
            "Calais port",
            "Dunkirk",
            "Channel overview"
        ]
    );
    assert!(w.tours[3].heatmap_compare && w.tours[3].shows(TourLayer::Heatmap));
    assert!(!w.tours[0].shows(TourLayer::Zones));
    assert_eq!((w.grid.cols(), w.grid.rows()), (2, 1));
    // The other sections are untouched, and no wall section is the default wall.
    assert_eq!(cfg.heatmap, parse_config("{}").unwrap().heatmap);
    assert!(parse_config("{}").unwrap().wall.tours.is_empty());
}

#[test]
fn a_bad_wall_never_fails_the_config() {
    let cfg = parse_config(
        r#"{"wall": {"cols": 2, "tile": [5, 0], "tours": [
            {"name": "Calais port", "center": [1.865, 50.966], "zoom": 30},
            {"name": "Dunkirk", "center": [2.3768, 51.0343], "zoom": 12, "layers": ["boats"]}
        ]}}"#,
    )
    .expect("the wall's problems are reported, not fatal");
    let w = &cfg.wall;
    assert_eq!(w.tours.len(), 1, "the rest of the tour runs");
    assert_eq!(w.tours[0].name, "Dunkirk");
    assert_eq!(
        w.grid,
        Grid::default(),
        "a tile outside the grid: one screen"
    );
    let fields: Vec<String> = w
        .problems
        .iter()
        .map(|e| match e {
            ConfigError::Invalid { field, .. } => field.clone(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        fields,
        [
            "wall.tile[0]",
            "wall.tours[0].zoom",
            "wall.tours[1].layers[0]"
        ]
    );
    let cfg = parse_config(r#"{"wall": [1, 2]}"#).expect("still a config");
    assert_eq!(
        cfg.wall.problems,
        vec![ConfigError::Invalid {
            field: "wall".into(),
            problem: ConfigProblem::SectionNotObject
        }]
    );
}

#[test]
fn tour_order_and_dwell_with_a_fast_clock() {
    let p = player();
    assert_eq!(p.tour().cycle_ms(), 66_000);
    // Sample three cycles every 50 ms (a fast clock), recording each dwell's view and length.
    let c0 = cycle_start(&p, DEC_5);
    let mut dwells: Vec<(usize, i64)> = Vec::new();
    let mut flights = 0;
    let mut last: Option<TourState> = None;
    let mut t = c0;
    while t < c0 + 3 * 66_000 {
        let Show::Tour(s) = p.at(t) else {
            panic!("no alert, a tour")
        };
        match (s.phase, last.map(|l| l.phase)) {
            (Phase::Dwell, Some(Phase::Dwell)) if last.map(|l| l.view) == Some(s.view) => {
                dwells.last_mut().unwrap().1 += 50;
            }
            (Phase::Dwell, _) => dwells.push((s.view, 50)),
            (Phase::Flight { from, to, t: f }, prev) => {
                assert!((0.0..1.0).contains(&f));
                assert_eq!(to, (from + 1) % 4);
                if !matches!(prev, Some(Phase::Flight { .. })) {
                    flights += 1;
                }
            }
        }
        last = Some(s);
        t += 50;
    }
    let order: Vec<usize> = dwells.iter().map(|d| d.0).collect();
    assert_eq!(order, [0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3]);
    let lengths: Vec<i64> = dwells.iter().take(4).map(|d| d.1).collect();
    assert_eq!(lengths, [10_000, 20_000, 5_000, 15_000]);
    assert_eq!(flights, 12);
}

#[test]
fn two_clocks_30_ms_apart_show_the_same_view_but_near_a_boundary() {
    let p = player();
    let c0 = cycle_start(&p, DEC_5);
    let boundaries: Vec<i64> = {
        // Dwell starts and ends of one cycle (ms into it).
        let mut b = Vec::new();
        let mut at = 0;
        for d in [10_000, 20_000, 5_000, 15_000] {
            b.push(at);
            b.push(at + d);
            at += d + 4_000;
        }
        b
    };
    let near = |t: i64| {
        let pos = (t - c0).rem_euclid(66_000);
        boundaries
            .iter()
            .chain(std::iter::once(&66_000))
            .any(|b| (pos - b).abs() <= 30)
    };
    let mut differing = 0;
    for k in 0..20_000 {
        let a = c0 + k * 7 + 3;
        let (sa, sb) = (p.at(a), p.at(a + 30));
        let (Show::Tour(x), Show::Tour(y)) = (&sa, &sb) else {
            panic!()
        };
        let same = x.shown_view() == y.shown_view()
            && std::mem::discriminant(&x.phase) == std::mem::discriminant(&y.phase);
        if !same {
            differing += 1;
            assert!(near(a + 30), "{a}: {sa:?} vs {sb:?}");
        }
        // Within a flight, 30 ms is 30 ms of progress.
        if let (Phase::Flight { t: ta, .. }, Phase::Flight { t: tb, .. }) = (x.phase, y.phase) {
            assert!((tb - ta - 30.0 / 4_000.0).abs() < 1e-9);
        }
    }
    assert!(differing > 0, "the sample crosses boundaries");
}

#[test]
fn a_critical_alert_interrupts_and_the_tour_resumes_where_it_was() {
    let mut p = player();
    let c0 = cycle_start(&p, DEC_5);
    // Calais port dwells from c0 + 14 s to c0 + 34 s; the alert comes 6 s in, at Coquelles.
    let alert_t = c0 + 20_000;
    let coquelles = to_mercator(LonLat {
        lon: 1.8105,
        lat: 50.9335,
    });
    // It reaches the screen 250 ms after the feed's time.
    p.handle(
        alert_t + 250,
        WallEvent::Alert {
            id: "z-17".into(),
            at: coquelles,
            time_ms: alert_t,
        },
    );
    assert_eq!(p.at(alert_t - 1), dwell(1));
    let Show::Alert {
        id,
        at,
        since_ms,
        leg: AlertLeg::In { from, t },
    } = p.at(alert_t + 1_000)
    else {
        panic!("{:?}", p.at(alert_t + 1_000))
    };
    assert_eq!((id.as_str(), at, since_ms), ("z-17", coquelles, alert_t));
    assert_eq!(from, Waypoint::Tour(dwell_state(1)));
    assert!((t - 0.25).abs() < 1e-12);
    assert!(holding(&p.at(alert_t + 4_000)));
    assert!(holding(&p.at(alert_t + 40_000)));
    // Acknowledged 30 s in: fly back to Calais port.
    p.handle(
        alert_t + 30_000,
        WallEvent::Ack {
            id: "z-17".into(),
            time_ms: alert_t + 30_000,
        },
    );
    let back = p.at(alert_t + 32_000);
    let Show::Alert {
        leg: AlertLeg::Back { to, t },
        ..
    } = back
    else {
        panic!("{back:?}")
    };
    assert_eq!(to, Waypoint::Tour(dwell_state(1)));
    assert!((t - 0.5).abs() < 1e-12);
    // Back at alert + 34 s: the 14 s left of Calais port, until alert + 48 s, then on with the
    // epoch schedule at its next view start at least a flight later.
    let resumed = alert_t + 34_000;
    for t in [resumed, resumed + 13_999] {
        assert_eq!(p.at(t), dwell(1), "{t}");
    }
    // alert + 48 s = c0 + 68 s; the next dwell start at or after c0 + 72 s is Calais port's at
    // c0 + 66 s + 14 s = c0 + 80 s: stay until 76 s, fly 1 → 1 (no move), so still view 1.
    assert_eq!(p.at(c0 + 79_999), dwell(1));
    // From then on, the schedule: a fresh screen (never saw the alert) agrees.
    let fresh = player();
    for t in (c0 + 80_000..c0 + 200_000).step_by(333) {
        assert_eq!(p.at(t), fresh.at(t), "{t}");
    }
}

#[test]
fn an_unacknowledged_alert_holds_then_rejoins_with_a_flight() {
    let mut p = player();
    let c0 = cycle_start(&p, DEC_5);
    // During the flight Coquelles → Calais port (c0 + 10..14 s): come back to Calais port with
    // its whole dwell.
    let alert_t = c0 + 12_000;
    p.handle(
        alert_t,
        WallEvent::Alert {
            id: "z-2".into(),
            at: calais_port(),
            time_ms: alert_t,
        },
    );
    let Show::Alert {
        leg: AlertLeg::In { from, .. },
        ..
    } = p.at(alert_t)
    else {
        panic!()
    };
    assert!(matches!(
        from,
        Waypoint::Tour(TourState {
            phase: Phase::Flight { from: 0, to: 1, .. },
            ..
        })
    ));
    // Held 4 s + 60 s (alert_hold_s), back at + 68 s, 20 s on Calais port: until + 88 s.
    assert!(holding(&p.at(alert_t + 63_999)));
    assert!(matches!(
        p.at(alert_t + 64_000),
        Show::Alert {
            leg: AlertLeg::Back { .. },
            ..
        }
    ));
    let resumed = alert_t + 68_000;
    assert_eq!(p.at(resumed), dwell(1));
    assert_eq!(p.at(resumed + 19_999), dwell(1));
    // + 88 s = c0 + 100 s; next dwell start at or after c0 + 104 s: Dunkirk's at
    // c0 + 66 + 38 = c0 + 104 s. So fly 1 → 2 over c0 + 100..104 s.
    let Show::Tour(s) = p.at(c0 + 102_000) else {
        panic!()
    };
    assert_eq!(
        s.phase,
        Phase::Flight {
            from: 1,
            to: 2,
            t: 0.5
        }
    );
    let fresh = player();
    assert_eq!(p.at(c0 + 104_000), fresh.at(c0 + 104_000));
    assert_eq!(fresh.at(c0 + 104_000), dwell(2));
}

#[test]
fn a_newer_alert_replaces_the_held_one() {
    let mut p = player();
    let c0 = cycle_start(&p, DEC_5);
    let dunkirk = to_mercator(LonLat {
        lon: 2.3768,
        lat: 51.0343,
    });
    let t1 = c0 + 1_000;
    p.handle(
        t1,
        WallEvent::Alert {
            id: "a".into(),
            at: calais_port(),
            time_ms: t1,
        },
    );
    // 2 s later (still flying to Calais port): the newer one waits for the arrival.
    let t2 = t1 + 2_000;
    p.handle(
        t2,
        WallEvent::Alert {
            id: "b".into(),
            at: dunkirk,
            time_ms: t2,
        },
    );
    assert!(
        matches!(p.at(t2 + 1_000), Show::Alert { ref id, leg: AlertLeg::In { .. }, .. } if id == "a")
    );
    let Show::Alert {
        id, leg, since_ms, ..
    } = p.at(t1 + 5_000)
    else {
        panic!()
    };
    assert_eq!((id.as_str(), since_ms), ("b", t1 + 4_000));
    assert_eq!(
        leg,
        AlertLeg::In {
            from: Waypoint::Incident(calais_port()),
            t: 0.25
        }
    );
    // Acknowledging the replaced alert does nothing; acknowledging the newer one ends it.
    p.handle(
        t1 + 10_000,
        WallEvent::Ack {
            id: "a".into(),
            time_ms: t1 + 10_000,
        },
    );
    assert!(holding(&p.at(t1 + 20_000)));
    p.handle(
        t1 + 20_000,
        WallEvent::Ack {
            id: "b".into(),
            time_ms: t1 + 20_000,
        },
    );
    let Show::Alert {
        leg: AlertLeg::Back { to, .. },
        ..
    } = p.at(t1 + 21_000)
    else {
        panic!()
    };
    // Back to where the tour was when the first alert came: Coquelles.
    assert_eq!(to, Waypoint::Tour(dwell_state(0)));
}

#[test]
fn no_tour_shows_home_and_an_alert_returns_home() {
    let cfg = parse_config(r#"{"wall": {"tours": []}}"#).unwrap();
    let mut p = TourPlayer::from_config(&cfg.wall);
    assert_eq!(p.at(DEC_5), Show::Home);
    p.handle(
        DEC_5,
        WallEvent::Alert {
            id: "x".into(),
            at: calais_port(),
            time_ms: DEC_5,
        },
    );
    assert!(matches!(
        p.at(DEC_5 + 1),
        Show::Alert {
            leg: AlertLeg::In {
                from: Waypoint::Home,
                ..
            },
            ..
        }
    ));
    assert!(matches!(
        p.at(DEC_5 + 4_000 + 120_000 + 1),
        Show::Alert {
            leg: AlertLeg::Back {
                to: Waypoint::Home,
                ..
            },
            ..
        }
    ));
    assert_eq!(p.at(DEC_5 + 4_000 + 120_000 + 4_000), Show::Home);
    // What home is: the fit of the open incidents, or the region.
    let home = region_view(3840.0, 1080.0, 1.0);
    assert_eq!(
        p.viewport(&Show::Home, &home, Zoom::new(ALERT_ZOOM).unwrap()),
        home
    );
    let hold = p.at(DEC_5 + 10_000);
    let v = p.viewport(&hold, &home, Zoom::new(ALERT_ZOOM).unwrap());
    assert_eq!((v.center(), v.zoom().get()), (calais_port(), ALERT_ZOOM));
}

#[test]
fn viewports_of_the_tour_on_a_two_screen_wall() {
    let cfg = parse_config(CONFIG).unwrap();
    let p = TourPlayer::from_config(&cfg.wall);
    let layout = WallLayout::new(cfg.wall.grid, 1920.0, 1080.0);
    let (w, h) = layout.virtual_size();
    let home = fit_incidents([calais_port()], w, h, 1.0, &FitLimits::default());
    let c0 = cycle_start(&p, DEC_5);
    let zoom = Zoom::new(ALERT_ZOOM).unwrap();
    // On Calais port: its centre and zoom, the view's size the whole wall's.
    let v = p.viewport(&p.at(c0 + 20_000), &home, zoom);
    assert_eq!(
        (v.center(), v.zoom().get(), v.width_css()),
        (calais_port(), 13.0, 3840.0)
    );
    assert_eq!(p.layers(&p.at(c0 + 20_000)), TourLayer::DEFAULT);
    // Mid-flight Coquelles → Calais port: the fly path of Viewport::fly_step.
    let s = p.at(c0 + 12_000);
    let from = p.viewport(&p.at(c0), &home, zoom);
    let mid = p.viewport(&s, &home, zoom);
    assert_eq!(mid, from.fly_step(&v, 0.5));
    // The destination's layers during the flight.
    assert_eq!(p.layers(&s), TourLayer::DEFAULT);
    assert_eq!(p.layers(&p.at(c0)).len(), 4);
    // Calais port at the seam: at x = 1920 of the whole, x = 0 of the right-hand screen.
    let right = layout.tile_view(&v, Tile { col: 1, row: 0 });
    assert!(right.world_to_screen(calais_port()).0.abs() < 1e-6);
}

#[test]
fn the_home_view_frames_calais_and_dunkirk() {
    let points = [
        calais_port(),
        to_mercator(LonLat {
            lon: 1.81,
            lat: 50.929,
        }),
        to_mercator(LonLat {
            lon: 2.3768,
            lat: 51.0343,
        }),
    ];
    let v = fit_incidents(points, 3840.0, 2160.0, 1.0, &FitLimits::default());
    for p in points {
        let (x, y) = v.world_to_screen(p);
        assert!(
            (159.999..=3680.001).contains(&x) && (159.999..=2000.001).contains(&y),
            "{x} {y}"
        );
    }
    // Calais and Lisbon: too spread for the minimum zoom, clamped, centred on the two.
    let far = [
        calais_port(),
        to_mercator(LonLat {
            lon: -9.14,
            lat: 38.72,
        }),
    ];
    let v = fit_incidents(far, 3840.0, 2160.0, 1.0, &FitLimits::default());
    assert_eq!(v.zoom().get(), 8.0);
    let mid = (far[0].x + far[1].x) / 2.0;
    assert!((v.center().x - mid).abs() < 1e-6);
}

fn virtual_view(center_dx: f64, center_dy: f64, zoom: f64, layout: &WallLayout) -> Viewport {
    let c = calais_port();
    layout.virtual_view(
        Mercator {
            x: c.x + center_dx,
            y: c.y + center_dy,
        },
        Zoom::new(zoom).unwrap(),
        1.5,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Every tile draws a world point where the one large render draws it, minus the tile's
    /// offset, and reads the world under a pixel as the large render does.
    #[test]
    fn tiles_agree_with_the_virtual_view(
        cols in 1u32..6, rows in 1u32..4, bezel in 0.0f64..200.0,
        sw in 320.0f64..2000.0, sh in 240.0f64..1200.0, zoom in 6.0f64..18.0,
        dx in -50_000.0f64..50_000.0, dy in -50_000.0f64..50_000.0,
        px in -0.2f64..1.2, py in -0.2f64..1.2,
    ) {
        let layout = WallLayout::new(Grid::new(cols, rows, bezel).unwrap(), sw, sh);
        let whole = virtual_view(dx, dy, zoom, &layout);
        let (w, h) = layout.virtual_size();
        let m = whole.screen_to_world(px * w, py * h);
        let (vx, vy) = whole.world_to_screen(m);
        for tile in layout.grid().tiles() {
            let tv = layout.tile_view(&whole, tile);
            prop_assert_eq!((tv.width_css(), tv.height_css()), (sw, sh));
            prop_assert_eq!(tv.zoom(), whole.zoom());
            let (tx, ty) = tv.world_to_screen(m);
            let (ex, ey) = layout.to_tile(tile, vx, vy);
            prop_assert!((tx - ex).abs() < 1e-6 && (ty - ey).abs() < 1e-6,
                "{:?}: {} {} vs {} {}", tile, tx, ty, ex, ey);
            let (bx, by) = layout.to_virtual(tile, tx, ty);
            prop_assert!((bx - vx).abs() < 1e-6 && (by - vy).abs() < 1e-6);
            // Back: the tile's pixel reads the same world point.
            let back = tv.screen_to_world(tx, ty);
            let tol = whole.mercator_per_css_px() * 1e-6;
            prop_assert!((back.x - m.x).abs() < tol && (back.y - m.y).abs() < tol);
            let again = layout.virtual_of(&tv, tile);
            prop_assert!((again.center().x - whole.center().x).abs() < tol);
            prop_assert!((again.center().y - whole.center().y).abs() < tol);
        }
    }

    /// The tiles and the bezels partition the wall: a point of the wall is on exactly one tile
    /// or in a bezel; tiles never overlap and neighbours are exactly a bezel apart.
    #[test]
    fn tiles_partition_the_wall(
        cols in 1u32..6, rows in 1u32..4, bezel in 0.0f64..200.0,
        sw in 320.0f64..2000.0, sh in 240.0f64..1200.0,
        points in prop::collection::vec((0.0f64..1.0, 0.0f64..1.0), 32),
    ) {
        let layout = WallLayout::new(Grid::new(cols, rows, bezel).unwrap(), sw, sh);
        let (w, h) = layout.virtual_size();
        let tiles: Vec<Tile> = layout.grid().tiles().collect();
        let area: f64 = tiles.iter().map(|t| {
            let b = layout.tile_box(*t);
            (b.x1 - b.x0) * (b.y1 - b.y0)
        }).sum();
        let bezels = w * h - area;
        let expected_bezels = f64::from(cols - 1) * bezel * h + f64::from(rows - 1) * bezel * w
            - f64::from((cols - 1) * (rows - 1)) * bezel * bezel;
        prop_assert!((bezels - expected_bezels).abs() < 1e-6 * w * h);
        for (i, a) in tiles.iter().enumerate() {
            for b in tiles.iter().skip(i + 1) {
                prop_assert!(!layout.tile_box(*a).overlaps(&layout.tile_box(*b)));
            }
            if a.col + 1 < cols {
                let right = layout.tile_box(Tile { col: a.col + 1, row: a.row });
                prop_assert!((right.x0 - layout.tile_box(*a).x1 - bezel).abs() < 1e-9);
            }
        }
        for (fx, fy) in points {
            let (x, y) = (fx * w, fy * h);
            let owners: Vec<Tile> = tiles.iter().copied().filter(|t| {
                let b = layout.tile_box(*t);
                b.x0 <= x && x < b.x1 && b.y0 <= y && y < b.y1
            }).collect();
            prop_assert!(owners.len() <= 1);
            prop_assert_eq!(layout.tile_at(x, y), owners.first().copied());
            if let Some(t) = owners.first() {
                let (tx, ty) = layout.to_tile(*t, x, y);
                prop_assert!((-1e-9..sw + 1e-9).contains(&tx) && (-1e-9..sh + 1e-9).contains(&ty));
            }
        }
    }

    /// A label placed once in virtual px shows on every tile it touches and on no other.
    #[test]
    fn labels_show_on_the_tiles_they_touch(
        cols in 1u32..5, rows in 1u32..3, bezel in 0.0f64..100.0,
        x in 0.0f64..1.0, y in 0.0f64..1.0, lw in 1.0f64..400.0, lh in 1.0f64..60.0,
    ) {
        let layout = WallLayout::new(Grid::new(cols, rows, bezel).unwrap(), 800.0, 600.0);
        let (w, h) = layout.virtual_size();
        let label = calais_map::core::labels::LabelCandidate {
            x: x * w, y: y * h, width: lw, height: lh, priority: 0,
        };
        let b = CssBox { x0: label.x, y0: label.y - lh / 2.0, x1: label.x + lw, y1: label.y + lh / 2.0 };
        let shown: Vec<Tile> = layout.grid().tiles().filter(|t| layout.label_on_tile(&label, *t)).collect();
        for t in layout.grid().tiles() {
            prop_assert_eq!(shown.contains(&t), layout.tile_box(t).overlaps(&b));
        }
        // Its anchor's tile, if any, always draws it.
        if let Some(t) = layout.tile_at(label.x + lw / 2.0, label.y) {
            prop_assert!(shown.contains(&t));
        }
    }
}
