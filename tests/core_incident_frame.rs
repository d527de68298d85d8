//! The incident layer's persistent frame: what it repaints and uploads when a
//! plan replaces the last one, and that its pixels always equal a fresh render.
//!
//! Fixtures: incidents around Calais port (lon 1.8600, lat 50.9650) and the
//! Coquelles terminal (1.8130, 50.9280); views 800×600 CSS px at zoom 13–14;
//! pixels are device px of the frame; times ms since the Unix epoch (UTC).

use calais_map::core::incident::{Incident, IncidentNames, parse_incident};
use calais_map::core::incident_layer::{DIRTY_TILE_PX, DrawOptions, Frame, Marks, Plan, TileRect};
use calais_map::core::projection::to_mercator;
use calais_map::core::units::{LonLat, Mercator, Zoom};
use calais_map::core::viewport::Viewport;

const PORT: (f64, f64) = (1.8600, 50.9650);
const COQUELLES: (f64, f64) = (1.8130, 50.9280);
/// 2024-06-01T12:00:00Z.
const NOW_MS: i64 = 1_717_243_200_000;

fn merc((lon, lat): (f64, f64)) -> Mercator {
    to_mercator(LonLat::new(lon, lat).expect("valid position"))
}

fn incident(id: &str, kind: &str, severity: u8, (lon, lat): (f64, f64)) -> Incident {
    let text = format!(
        r#"{{"type":"Feature","id":"{id}","geometry":{{"type":"Point","coordinates":[{lon},{lat}]}},
        "properties":{{"kind":"{kind}","severity":{severity},"status":"open",
        "reported_at":"2024-06-01T11:00:00Z","updated_at":"2024-06-01T11:59:00Z"}}}}"#
    );
    parse_incident(&text, &IncidentNames::default()).expect("valid incident")
}

fn view(zoom: f64, dpr: f64) -> Viewport {
    Viewport::new(
        merc(PORT),
        Zoom::new(zoom).expect("zoom"),
        800.0,
        600.0,
        dpr,
    )
}

/// A background where every pixel differs from its neighbours.
fn gradient(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity((w * h * 4) as usize);
    for y in 0..h {
        for x in 0..w {
            out.extend_from_slice(&[(x % 251) as u8, (y % 241) as u8, ((x + y) % 239) as u8, 255]);
        }
    }
    out
}

fn plan(incidents: &[Incident], v: &Viewport, opts: &DrawOptions) -> Plan {
    Plan::new(&Marks::from_incidents(incidents), v, NOW_MS, opts)
}

fn fresh(p: &Plan, bg: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    p.render_frame(bg, &mut out);
    out
}

/// Sprite-mode fixture: a few incidents near the port and the terminal.
fn few() -> Vec<Incident> {
    let mut v = Vec::new();
    for i in 0..12 {
        let d = f64::from(i) * 0.0012;
        v.push(incident(
            &format!("p{i}"),
            "small_boat",
            1 + (i % 5) as u8,
            (PORT.0 + d, PORT.1 - d / 2.0),
        ));
        v.push(incident(
            &format!("t{i}"),
            "fence_breach",
            3,
            (COQUELLES.0 + d, COQUELLES.1),
        ));
    }
    v
}

/// Density-mode fixture: thousands of incidents spread around the port.
fn many() -> Vec<Incident> {
    let template = incident("x", "vehicle_sighting", 2, PORT);
    let mut seed = 11u64;
    let mut rnd = move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..6000)
        .map(|i| {
            let mut inc = template.clone();
            inc.id = format!("m{i}");
            let at = merc(PORT);
            inc.at = Mercator {
                x: at.x + (rnd() - 0.5) * 6000.0,
                y: at.y + (rnd() - 0.5) * 4000.0,
            };
            inc
        })
        .collect()
}

fn covers(rects: &[TileRect], x: u32, y: u32) -> bool {
    rects
        .iter()
        .any(|r| x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h)
}

#[test]
fn first_draw_equals_a_fresh_render_and_uploads_only_tiles_with_incidents() {
    for dpr in [1.0, 2.0] {
        let v = view(14.0, dpr);
        let (w, h) = (v.width_px(), v.height_px());
        let bg = gradient(w, h);
        let p = plan(&few(), &v, &DrawOptions::default());
        let mut frame = Frame::new(bg.clone(), w, h);
        let rects = frame.draw(&p);
        assert!(frame.pixels() == fresh(&p, &bg).as_slice(), "dpr {dpr}");
        assert!(!rects.is_empty());
        // Every changed pixel lies in an uploaded rectangle; rectangles stay inside the frame.
        for (i, (a, b)) in frame
            .pixels()
            .chunks_exact(4)
            .zip(bg.chunks_exact(4))
            .enumerate()
        {
            if a != b {
                let (x, y) = ((i as u32) % w, (i as u32) / w);
                assert!(
                    covers(&rects, x, y),
                    "changed pixel ({x}, {y}) not uploaded at dpr {dpr}"
                );
            }
        }
        let area: u64 = rects.iter().map(|r| u64::from(r.w) * u64::from(r.h)).sum();
        assert!(
            area < u64::from(w) * u64::from(h) / 2,
            "uploads {area} px of {}",
            w * h
        );
        for r in &rects {
            assert!(r.x + r.w <= w && r.y + r.h <= h);
        }
    }
}

#[test]
fn an_unchanged_plan_repaints_and_uploads_nothing() {
    let v = view(13.0, 1.0);
    let (w, h) = (v.width_px(), v.height_px());
    let bg = gradient(w, h);
    for incidents in [few(), many()] {
        let mut frame = Frame::new(bg.clone(), w, h);
        frame.draw(&plan(&incidents, &v, &DrawOptions::default()));
        let before = frame.pixels().to_vec();
        let rects = frame.draw(&plan(&incidents, &v, &DrawOptions::default()));
        assert!(
            rects.is_empty(),
            "{} rects for an unchanged plan",
            rects.len()
        );
        assert_eq!(frame.repainted(), 0);
        assert!(frame.pixels() == before.as_slice(), "pixels differ");
    }
}

#[test]
fn one_moved_incident_repaints_only_the_tiles_around_it() {
    let v = view(13.0, 1.0);
    let (w, h) = (v.width_px(), v.height_px());
    let bg = gradient(w, h);
    for (incidents, must_change) in [(few(), true), (many(), false)] {
        let mut frame = Frame::new(bg.clone(), w, h);
        frame.draw(&plan(&incidents, &v, &DrawOptions::default()));
        let mut moved = incidents.clone();
        moved[2].at.x += 400.0; // "p1", near the port (in view)
        let p = plan(&moved, &v, &DrawOptions::default());
        let before = frame.pixels().to_vec();
        let rects = frame.draw(&p);
        assert!(frame.pixels() == fresh(&p, &bg).as_slice(), "pixels differ");
        // In density mode a mark moving between two occupied cells may change no pixel.
        assert!(
            frame.repainted() <= 12,
            "{} tiles repainted",
            frame.repainted()
        );
        assert!(
            !must_change || frame.repainted() >= 1,
            "a moved sprite repainted nothing"
        );
        for (i, (a, b)) in frame
            .pixels()
            .chunks_exact(4)
            .zip(before.chunks_exact(4))
            .enumerate()
        {
            if a != b {
                let (x, y) = ((i as u32) % w, (i as u32) / w);
                assert!(
                    covers(&rects, x, y),
                    "changed pixel ({x}, {y}) not uploaded"
                );
            }
        }
        let area: u64 = rects.iter().map(|r| u64::from(r.w) * u64::from(r.h)).sum();
        let tile = u64::from(DIRTY_TILE_PX * DIRTY_TILE_PX);
        assert!(area <= 12 * tile * 4, "uploads {area} px");
    }
}

#[test]
fn a_run_of_random_changes_always_matches_a_fresh_render() {
    let v = view(13.5, 1.0);
    let (w, h) = (v.width_px(), v.height_px());
    let bg = gradient(w, h);
    let mut incidents = few();
    let mut frame = Frame::new(bg.clone(), w, h);
    let mut seed = 3u64;
    for step in 0..40 {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let k = (seed >> 33) as usize % incidents.len();
        match step % 4 {
            0 => incidents[k].at.y += 150.0,
            1 => incidents[k].severity = calais_map::core::incident::Severity::new(5).expect("5"),
            2 => {
                incidents.remove(k);
            }
            _ => incidents.push(incident(
                &format!("n{step}"),
                "lorry_intrusion",
                4,
                (PORT.0 - 0.004, PORT.1 + 0.002),
            )),
        }
        let p = plan(&incidents, &v, &DrawOptions::default());
        frame.draw(&p);
        assert!(frame.pixels() == fresh(&p, &bg).as_slice(), "step {step}");
    }
    // Everything gone: the background is back and its tiles are uploaded.
    let rects = frame.draw(&plan(&[], &v, &DrawOptions::default()));
    assert!(frame.pixels() == bg.as_slice(), "pixels differ");
    assert!(!rects.is_empty());
    assert!(!frame.has_incidents());
}

#[test]
fn forget_repaints_and_uploads_every_tile_with_incidents() {
    let v = view(13.0, 1.0);
    let (w, h) = (v.width_px(), v.height_px());
    let bg = gradient(w, h);
    let p = plan(&many(), &v, &DrawOptions::default());
    let mut frame = Frame::new(bg.clone(), w, h);
    let first = frame.draw(&p);
    frame.forget();
    assert!(frame.pixels() == bg.as_slice(), "pixels differ");
    let again = frame.draw(&p);
    assert_eq!(again, first);
    assert!(frame.pixels() == fresh(&p, &bg).as_slice(), "pixels differ");
}

#[test]
fn mismatched_sizes_and_short_backgrounds_do_not_panic() {
    let v = view(13.0, 1.0);
    let (w, h) = (v.width_px(), v.height_px());
    let p = plan(&few(), &v, &DrawOptions::default());
    // A background too short reads as opaque black.
    let mut frame = Frame::new(vec![9; 40], w, h);
    frame.draw(&p);
    let mut black = vec![9; 40];
    black.extend([0u8, 0, 0, 255].repeat((w * h) as usize - 10));
    assert!(
        frame.pixels() == fresh(&p, &black).as_slice(),
        "short background"
    );
    // A plan for another size removes the old plan and draws nothing.
    let small = Viewport::new(
        merc(PORT),
        Zoom::new(13.0).expect("zoom"),
        300.0,
        200.0,
        1.0,
    );
    frame.draw(&plan(&few(), &small, &DrawOptions::default()));
    assert!(
        frame.pixels() == black.as_slice(),
        "a plan of another size drew something"
    );
    // An impossible size gives an empty frame that draws nothing.
    let mut huge = Frame::new(Vec::new(), 40_000, 40_000);
    assert_eq!(huge.size(), (0, 0));
    assert!(huge.draw(&p).is_empty());
}
