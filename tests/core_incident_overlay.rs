//! The incident layer as overlays above the map (what the page shows): a frame
//! with a transparent background holding tracks and sprites, and the density
//! cells as an image of one pixel a cell. Composited over the map they give
//! the pixels the CPU rasteriser draws onto the map directly.
//!
//! Fixtures: incidents around Calais port (lon 1.8600, lat 50.9650) and the
//! Coquelles terminal (1.8130, 50.9280); views 800×600 CSS px; pixels are
//! device px of the frame, straight (non-premultiplied) RGBA; times ms since
//! the Unix epoch (UTC).

use calais_map::core::incident::{Incident, IncidentNames, Timestamp, parse_incident};
use calais_map::core::incident_layer::{DensityImage, DrawOptions, Frame, Marks, Mode, Plan};
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

fn incident(id: &str, kind: &str, severity: u8, status: &str, at: (f64, f64)) -> Incident {
    let (lon, lat) = at;
    let text = format!(
        r#"{{"type":"Feature","id":"{id}","geometry":{{"type":"Point","coordinates":[{lon},{lat}]}},
        "properties":{{"kind":"{kind}","severity":{severity},"status":"{status}",
        "reported_at":"2024-06-01T11:00:00Z","updated_at":"2024-06-01T11:40:00Z"}}}}"#
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

/// An opaque frame where every pixel differs from its neighbours.
fn gradient(v: &Viewport) -> Vec<u8> {
    let (w, h) = (v.width_px() as usize, v.height_px() as usize);
    let mut out = Vec::with_capacity(w * h * 4);
    for y in 0..h {
        for x in 0..w {
            out.extend_from_slice(&[(x % 251) as u8, (y % 241) as u8, ((x + y) % 239) as u8, 255]);
        }
    }
    out
}

/// Straight RGBA `top` over opaque `bottom`, per pixel (what the browser's compositor does).
fn composite(bottom: &[u8], top: &[u8]) -> Vec<u8> {
    bottom
        .chunks_exact(4)
        .zip(top.chunks_exact(4))
        .flat_map(|(b, t)| {
            let a = f32::from(t[3]) / 255.0;
            let c = |i: usize| (f32::from(t[i]) * a + f32::from(b[i]) * (1.0 - a)).round() as u8;
            [c(0), c(1), c(2), 255]
        })
        .collect()
}

/// The density image scaled by its pitch into a frame of `w × h` (nearest neighbour).
fn scaled(img: &DensityImage, w: u32, h: u32) -> Vec<u8> {
    let mut out = vec![0u8; w as usize * h as usize * 4];
    for y in 0..h as i64 {
        for x in 0..w as i64 {
            let (gx, gy) = (
                (x - img.x).div_euclid(img.pitch),
                (y - img.y).div_euclid(img.pitch),
            );
            if gx < 0 || gy < 0 || gx >= i64::from(img.cols) || gy >= i64::from(img.rows) {
                continue;
            }
            let s = ((gy * i64::from(img.cols) + gx) * 4) as usize;
            let d = ((y * i64::from(w) + x) * 4) as usize;
            out[d..d + 4].copy_from_slice(&img.pixels[s..s + 4]);
        }
    }
    out
}

/// Pixels differing by more than `tol` in any channel, and the largest difference.
fn compare(a: &[u8], b: &[u8], tol: u8) -> (usize, u8) {
    assert_eq!(a.len(), b.len());
    let mut bad = 0;
    let mut worst = 0;
    for (p, q) in a.chunks_exact(4).zip(b.chunks_exact(4)) {
        let d = p
            .iter()
            .zip(q)
            .map(|(x, y)| x.abs_diff(*y))
            .max()
            .unwrap_or(0);
        worst = worst.max(d);
        if d > tol {
            bad += 1;
        }
    }
    (bad, worst)
}

/// Boats with tracks (three fixes each), fence breaches, closed lorry intrusions.
fn sprite_fixture() -> Vec<Incident> {
    let mut v = Vec::new();
    for i in 0..10 {
        let d = f64::from(i) * 0.0013;
        let mut boat = incident(
            &format!("boat{i}"),
            "small_boat",
            1 + (i % 5) as u8,
            "open",
            (PORT.0 + d, PORT.1 - d / 3.0),
        );
        boat.track = vec![
            (
                merc((PORT.0 + d - 0.004, PORT.1 - d / 3.0 - 0.002)),
                Timestamp::from_millis(NOW_MS - 1_800_000).expect("time"),
            ),
            (
                merc((PORT.0 + d - 0.002, PORT.1 - d / 3.0 - 0.0015)),
                Timestamp::from_millis(NOW_MS - 900_000).expect("time"),
            ),
        ];
        v.push(boat);
        v.push(incident(
            &format!("fence{i}"),
            "fence_breach",
            3,
            "open",
            (COQUELLES.0 + d, COQUELLES.1 + 0.01),
        ));
        v.push(incident(
            &format!("lorry{i}"),
            "lorry_intrusion",
            4,
            "closed",
            (PORT.0 - d, PORT.1 + 0.002),
        ));
    }
    v
}

/// Deterministic uniform numbers in [0, 1) from `seed` (an LCG).
fn uniform(mut state: u64) -> impl FnMut() -> f64 {
    move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// 20,000 open marks around the port and the terminal (density mode).
fn dense_fixture() -> Vec<Incident> {
    let mut next = uniform(7);
    (0..20_000)
        .map(|i| {
            let (c, spread) = if i % 2 == 0 {
                (PORT, 0.03)
            } else {
                (COQUELLES, 0.02)
            };
            let at = (
                c.0 + (next() - 0.5) * spread,
                c.1 + (next() - 0.5) * spread * 0.6,
            );
            incident(
                &format!("d{i}"),
                "vehicle_sighting",
                1 + (i % 5) as u8,
                "open",
                at,
            )
        })
        .collect()
}

fn plan(incidents: &[Incident], v: &Viewport) -> Plan {
    Plan::new(
        &Marks::from_incidents(incidents),
        v,
        NOW_MS,
        &DrawOptions::default(),
    )
}

/// The transparent overlay frame's pixels after drawing `p` without cells.
fn overlay(p: &Plan, v: &Viewport) -> Vec<u8> {
    let (w, h) = (v.width_px(), v.height_px());
    let mut frame = Frame::new(vec![0; (w * h * 4) as usize], w, h);
    frame.draw_without_cells(p);
    frame.pixels().to_vec()
}

#[test]
fn sprites_and_tracks_on_a_transparent_overlay_match_drawing_on_the_map() {
    for dpr in [1.0, 2.0] {
        let v = view(14.0, dpr);
        let p = plan(&sprite_fixture(), &v);
        assert_eq!(p.mode(), Mode::Sprites);
        assert!(p.density_image().is_none());
        let bg = gradient(&v);
        let mut direct = Vec::new();
        p.render_frame(&bg, &mut direct);
        let top = overlay(&p, &v);
        // The overlay is transparent where nothing is drawn, of many opacities elsewhere
        // (faded marks, anti-aliased edges).
        let alphas: std::collections::BTreeSet<u8> = top.chunks_exact(4).map(|px| px[3]).collect();
        assert!(
            alphas.contains(&0) && alphas.len() > 10,
            "{} alphas",
            alphas.len()
        );
        let (bad, worst) = compare(&direct, &composite(&bg, &top), 2);
        assert_eq!(
            bad, 0,
            "dpr {dpr}: {bad} pixels differ by more than 2 (worst {worst})"
        );
        assert!(compare(&bg, &direct, 0).0 > 1000, "something is drawn");
    }
}

#[test]
fn density_image_has_one_pixel_per_cell_with_its_colour_and_opacity() {
    for dpr in [1.0, 2.0] {
        let v = view(13.0, dpr);
        let p = plan(&dense_fixture(), &v);
        assert_eq!(p.mode(), Mode::Density);
        let img = p.density_image().expect("density mode has an image");
        assert_eq!(img.pitch, (5.0 * dpr) as i64);
        assert_eq!(img.pixels.len(), (img.cols * img.rows * 4) as usize);
        assert!(img.x <= 0 && img.x > -2 * img.pitch && img.y <= 0 && img.y > -2 * img.pitch);
        assert!(i64::from(img.cols) * img.pitch + img.x >= i64::from(v.width_px()));
        assert!(i64::from(img.rows) * img.pitch + img.y >= i64::from(v.height_px()));
        let cells = img.pixels.chunks_exact(4).filter(|px| px[3] > 0).count();
        assert!(cells > 1000, "{cells} cells");

        // Over the map: the scaled image, then the sprite overlay, equal the direct
        // drawing on every pixel a cell's square covers (the direct one leaves a
        // 1-px gap between cells, which the image fills).
        let (w, h) = (v.width_px(), v.height_px());
        let bg = gradient(&v);
        let mut direct = Vec::new();
        p.render_frame(&bg, &mut direct);
        let shown = composite(&composite(&bg, &scaled(&img, w, h)), &overlay(&p, &v));
        let mut checked = 0;
        let mut bad = 0;
        for y in 0..h as i64 {
            for x in 0..w as i64 {
                let (ox, oy) = (
                    (x - img.x).rem_euclid(img.pitch),
                    (y - img.y).rem_euclid(img.pitch),
                );
                if ox == img.pitch - 1 || oy == img.pitch - 1 {
                    continue; // the direct drawing's gap
                }
                let i = ((y * i64::from(w) + x) * 4) as usize;
                checked += 1;
                if compare(&direct[i..i + 4], &shown[i..i + 4], 2).0 > 0 {
                    bad += 1;
                }
            }
        }
        assert!(checked > 100_000);
        assert_eq!(bad, 0, "dpr {dpr}: {bad} of {checked} pixels differ");
    }
}

#[test]
fn a_redraw_on_the_overlay_repaints_only_what_changed_and_clears_what_left() {
    let v = view(14.0, 1.0);
    let (w, h) = (v.width_px(), v.height_px());
    let mut frame = Frame::new(vec![0; (w * h * 4) as usize], w, h);
    let mut incidents = sprite_fixture();
    let first = plan(&incidents, &v);
    assert!(!frame.draw_without_cells(&first).is_empty());
    assert!(
        frame.draw_without_cells(&first).is_empty(),
        "nothing changed"
    );
    // Everything leaves the view: the overlay is transparent again.
    for inc in &mut incidents {
        inc.at = merc((1.3133, 51.1279)); // Dover
        inc.track.clear();
    }
    let gone = plan(&incidents, &v);
    assert!(!frame.draw_without_cells(&gone).is_empty());
    assert!(frame.pixels().iter().all(|&b| b == 0));
}

/// What the page shows of plan `p` over `bg` (the frame of `v`): the density image scaled,
/// then the sprite overlay.
fn picture(p: &Plan, v: &Viewport, bg: &[u8]) -> Vec<u8> {
    let (w, h) = (v.width_px(), v.height_px());
    let under = match p.density_image() {
        Some(img) => composite(bg, &scaled(&img, w, h)),
        None => bg.to_vec(),
    };
    composite(&under, &overlay(p, v))
}

/// Columns `x0 .. x0 + w` of a frame `width` px wide.
fn columns(frame: &[u8], width: u32, x0: u32, w: u32) -> Vec<u8> {
    frame
        .chunks_exact(width as usize * 4)
        .flat_map(|row| &row[x0 as usize * 4..(x0 + w) as usize * 4])
        .copied()
        .collect()
}

/// 4,000 open marks 2.5 km west of the port and 1,500 east of it: over a view centred on the port, the western half holds more than the density
/// threshold (3,000), the eastern half fewer, the whole more.
fn lopsided_fixture() -> Vec<Incident> {
    let mut next = uniform(11);
    (0..5_500)
        .map(|i| {
            let at = if i < 4_000 {
                (
                    PORT.0 - 0.035 + (next() - 0.5) * 0.03,
                    PORT.1 + (next() - 0.5) * 0.02,
                )
            } else {
                (
                    PORT.0 + 0.004 + next() * 0.05,
                    PORT.1 + (next() - 0.5) * 0.03,
                )
            };
            incident(
                &format!("l{i}"),
                "vehicle_sighting",
                1 + (i % 5) as u8,
                "open",
                at,
            )
        })
        .collect()
}

/// A wall of two screens side by side (2×1, no bezel) over an 800 × 600 CSS px view centred on
/// the port: each screen plans its half as a part of the whole view (`Plan::part_of`), and the
/// two pictures side by side are the whole view's picture, pixel for pixel, in density mode
/// (the eastern screen alone would draw sprites; the cells' opacities follow the whole view's
/// fullest cell) and in sprite mode (tracks crossing the seam drawn on both screens).
#[test]
fn a_walls_screens_side_by_side_are_the_whole_views_picture() {
    use calais_map::core::wall::{Grid, Tile, WallLayout};
    let layout = WallLayout::new(Grid::new(2, 1, 0.0).expect("2x1"), 400.0, 600.0);
    for (fixture, zoom, mode) in [
        (lopsided_fixture(), 13.0, Mode::Density),
        (sprite_fixture(), 14.0, Mode::Sprites),
    ] {
        let marks = Marks::from_incidents(&fixture);
        for dpr in [1.0, 2.0] {
            let whole = view(zoom, dpr);
            let p = Plan::part_of(&marks, &whole, &whole, NOW_MS, &DrawOptions::default());
            assert_eq!(p.mode(), mode);
            let bg = gradient(&whole);
            let (w, h) = (whole.width_px(), whole.height_px());
            let expected = picture(&p, &whole, &bg);
            for col in 0..2 {
                let part = layout.tile_view(&whole, Tile { col, row: 0 });
                let (pw, ph) = (part.width_px(), part.height_px());
                assert_eq!((pw * 2, ph), (w, h));
                let q = Plan::part_of(&marks, &part, &whole, NOW_MS, &DrawOptions::default());
                assert_eq!(q.mode(), mode, "screen {col}: the whole view's mode");
                assert_eq!(
                    q.visible(),
                    p.visible(),
                    "marks counted over the whole view"
                );
                let shown = picture(&q, &part, &columns(&bg, w, col * pw, pw));
                let (bad, worst) = compare(&shown, &columns(&expected, w, col * pw, pw), 2);
                assert_eq!(
                    bad, 0,
                    "{mode:?} dpr {dpr} screen {col}: {bad} pixels differ (worst {worst})"
                );
            }
            if mode == Mode::Density {
                // Planned alone, the eastern screen would draw sprites: the test tells the two
                // apart.
                let east = layout.tile_view(&whole, Tile { col: 1, row: 0 });
                assert_eq!(plan(&fixture, &east).mode(), Mode::Sprites);
            } else {
                // A track crosses the seam: the western screen draws part of a boat's track
                // whose boat is on the eastern screen.
                let west = layout.tile_view(&whole, Tile { col: 0, row: 0 });
                let alone = picture(&plan(&fixture, &west), &west, &columns(&bg, w, 0, w / 2));
                let part = Plan::part_of(&marks, &west, &whole, NOW_MS, &DrawOptions::default());
                let shown = picture(&part, &west, &columns(&bg, w, 0, w / 2));
                assert!(
                    compare(&alone, &shown, 2).0 > 0,
                    "dpr {dpr}: a track over the seam"
                );
            }
        }
    }
}
