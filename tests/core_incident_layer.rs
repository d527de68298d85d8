//! Incident layer rasteriser: sprites, fade, hollow closed marks, tracks,
//! tiles, density mode, picking and bad input.
//!
//! Fixtures are incidents near Calais port (lon 1.8600, lat 50.9650), the
//! Coquelles terminal (1.8130, 50.9280) and Dover (1.3300, 51.1200), parsed
//! from GeoJSON events. Views are centred on the port at zoom 13, 800×600 CSS
//! px; pixel positions are device px from the frame's top-left; times are ms
//! since the Unix epoch (UTC).

use calais_map::core::incident::{
    Incident, IncidentKind, IncidentNames, IncidentStore, Severity, Status, Timestamp,
    parse_incident,
};
use calais_map::core::incident_layer::{
    CLOSED_CELL_RGB, DrawOptions, Marks, Mode, OUTLINE_RGB, Plan, Shape, TILE_PX, TileRect,
    icon_outline, kind_shape, severity_css, severity_rgb, sprite_size_css,
};
use calais_map::core::projection::{to_lonlat, to_mercator};
use calais_map::core::units::{LonLat, Mercator, Zoom};
use calais_map::core::viewport::Viewport;

const PORT: (f64, f64) = (1.8600, 50.9650);
const COQUELLES: (f64, f64) = (1.8130, 50.9280);
const DOVER: (f64, f64) = (1.3300, 51.1200);

/// 2024-06-01T12:00:00Z.
const NOW_MS: i64 = 1_717_243_200_000;
const NOW: &str = "2024-06-01T12:00:00Z";
const HALF_HOUR_AGO: &str = "2024-06-01T11:30:00Z";

/// Basemap sea, `#0a1624`.
const NAVY: [u8; 4] = [0x0a, 0x16, 0x24, 255];

fn merc((lon, lat): (f64, f64)) -> Mercator {
    to_mercator(LonLat::new(lon, lat).expect("valid position"))
}

fn sev(v: u8) -> Severity {
    Severity::new(v).expect("1..=5")
}

/// One incident event as the API sends it.
fn incident(
    id: &str,
    kind: &str,
    severity: u8,
    status: &str,
    (lon, lat): (f64, f64),
    updated: &str,
) -> Incident {
    let text = format!(
        r#"{{"type":"Feature","id":"{id}","geometry":{{"type":"Point","coordinates":[{lon},{lat}]}},
        "properties":{{"kind":"{kind}","severity":{severity},"status":"{status}",
        "reported_at":"2024-06-01T11:00:00Z","updated_at":"{updated}"}}}}"#
    );
    parse_incident(&text, &IncidentNames::default()).expect("valid incident")
}

/// The same incident moved to a world point (EPSG:3857 metres).
fn placed(mut inc: Incident, at: Mercator) -> Incident {
    inc.position = to_lonlat(at);
    inc.at = at;
    inc
}

fn view(dpr: f64) -> Viewport {
    view_at(13.0, dpr)
}

/// 800 × 600 CSS px centred on the port.
fn view_at(zoom: f64, dpr: f64) -> Viewport {
    Viewport::new(
        merc(PORT),
        Zoom::new(zoom).expect("zoom"),
        800.0,
        600.0,
        dpr,
    )
}

/// A frame of one colour.
fn solid(v: &Viewport, c: [u8; 4]) -> Vec<u8> {
    c.repeat(v.width_px() as usize * v.height_px() as usize)
}

/// A frame where every pixel differs from its neighbours (catches misplaced copies).
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

fn render(plan: &Plan, bg: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    plan.render_frame(bg, &mut out);
    out
}

/// The pixels of `r` in a frame `width` px wide, row-major RGBA.
fn crop(frame: &[u8], width: u32, r: TileRect) -> Vec<u8> {
    let mut out = Vec::with_capacity((r.w * r.h * 4) as usize);
    for y in r.y..r.y + r.h {
        let s = ((y * width + r.x) * 4) as usize;
        out.extend_from_slice(&frame[s..s + (r.w * 4) as usize]);
    }
    out
}

/// Every tile of a `width × height` frame, row-major, edge tiles clipped.
fn grid(width: u32, height: u32) -> Vec<TileRect> {
    (0..height.div_ceil(TILE_PX))
        .flat_map(|ty| {
            (0..width.div_ceil(TILE_PX)).map(move |tx| TileRect {
                x: tx * TILE_PX,
                y: ty * TILE_PX,
                w: TILE_PX.min(width - tx * TILE_PX),
                h: TILE_PX.min(height - ty * TILE_PX),
            })
        })
        .collect()
}

fn pixel(buf: &[u8], width: u32, x: i64, y: i64) -> [u8; 4] {
    let i = (y as usize * width as usize + x as usize) * 4;
    [buf[i], buf[i + 1], buf[i + 2], buf[i + 3]]
}

/// Device px of a world point in `v`.
fn device(v: &Viewport, m: Mercator) -> (f64, f64) {
    let (x, y) = v.world_to_screen(m);
    (x * v.dpr(), y * v.dpr())
}

fn close_rgb(a: [u8; 4], b: [u8; 3], tol: i32) -> bool {
    (0..3).all(|i| (i32::from(a[i]) - i32::from(b[i])).abs() <= tol) && a[3] == 255
}

/// Opacity with which `c` was blended over `bg` in `px`, from the channel with the largest contrast.
fn blend_alpha(px: [u8; 4], bg: [u8; 4], c: [u8; 3]) -> f64 {
    let i = (0..3)
        .max_by_key(|&i| (i32::from(c[i]) - i32::from(bg[i])).abs())
        .unwrap_or(0);
    (f64::from(px[i]) - f64::from(bg[i])) / (f64::from(c[i]) - f64::from(bg[i]))
}

fn plan_of(incidents: &[Incident], v: &Viewport) -> (Marks, Plan) {
    let marks = Marks::from_incidents(incidents);
    let plan = Plan::new(&marks, v, NOW_MS, &DrawOptions::default());
    (marks, plan)
}

#[test]
fn palette_shapes_and_sizes() {
    let expected = [
        ([0xd8, 0xf3, 0xdc], "#d8f3dc"),
        ([0xff, 0xe1, 0x4d], "#ffe14d"),
        ([0xff, 0x8c, 0x1a], "#ff8c1a"),
        ([0xe6, 0x26, 0x2d], "#e6262d"),
        ([0xf0, 0x40, 0xd0], "#f040d0"),
    ];
    for (v, (rgb, css)) in (1..=5).zip(expected) {
        assert_eq!(severity_rgb(sev(v)), rgb);
        assert_eq!(severity_css(sev(v)), css);
        let from_css: Vec<u8> = (0..3)
            .map(|i| u8::from_str_radix(&css[1 + 2 * i..3 + 2 * i], 16).expect("hex"))
            .collect();
        assert_eq!(from_css, rgb);
        // Far from the fence amber, camera cyan and terminal purple.
        let layers: [[u8; 3]; 3] = [[0xff, 0xb3, 0x00], [0x4d, 0xd0, 0xff], [0xd0, 0x9c, 0xff]];
        for layer in layers {
            let d: i32 = (0..3)
                .map(|i| (i32::from(rgb[i]) - i32::from(layer[i])).pow(2))
                .sum();
            assert!(d > 40 * 40, "severity {v} too close to {layer:?}");
        }
    }
    assert_eq!(kind_shape(IncidentKind::SmallBoat), Shape::TriangleUp);
    assert_eq!(kind_shape(IncidentKind::FenceBreach), Shape::Diamond);
    assert_eq!(kind_shape(IncidentKind::LorryIntrusion), Shape::Square);
    assert_eq!(
        kind_shape(IncidentKind::TunnelIntrusion),
        Shape::TriangleDown
    );
    assert_eq!(kind_shape(IncidentKind::VehicleSighting), Shape::Circle);
    assert_eq!(kind_shape(IncidentKind::Other), Shape::Cross);
    let sizes: Vec<f64> = (1..=5).map(|v| sprite_size_css(sev(v))).collect();
    assert_eq!(sizes, [14.0, 14.0, 16.0, 19.0, 19.0]);
}

#[test]
fn fade_and_closed_alpha() {
    let o = DrawOptions::default();
    let close = |a: f32, b: f32| (a - b).abs() < 1e-4;
    assert!(close(o.alpha(-5_000, true), 1.0));
    assert!(close(o.alpha(0, true), 1.0));
    assert!(close(o.alpha(2 * 60_000, true), 1.0));
    assert!(close(o.alpha(16 * 60_000, true), 0.7));
    assert!(close(o.alpha(30 * 60_000, true), 0.4));
    assert!(close(o.alpha(10 * 3_600_000, true), 0.4));
    assert!(close(o.alpha(0, false), 0.5));
    assert!(close(o.alpha(30 * 60_000, false), 0.2));
    let odd = DrawOptions {
        fade_start_ms: 10,
        fade_end_ms: 5,
        min_alpha: f32::NAN,
        closed_alpha: 7.0,
        ..o
    };
    assert!(close(odd.alpha(0, true), 1.0));
    assert!(close(odd.alpha(11, true), 0.4));
    assert!(close(odd.alpha(0, false), 1.0));
}

#[test]
fn fresh_sprite_centre_has_the_severity_colour_at_dpr_1_and_2() {
    for dpr in [1.0, 2.0] {
        let v = view(dpr);
        let inc = incident("boat-1", "small_boat", 4, "open", PORT, NOW);
        let (marks, plan) = plan_of(std::slice::from_ref(&inc), &v);
        assert_eq!(marks.len(), 1);
        assert_eq!(marks.id(0), Some("boat-1"));
        assert_eq!(plan.mode(), Mode::Sprites);
        assert_eq!((plan.visible(), plan.drawn()), (1, 1));
        assert_eq!(plan.frame_size(), (v.width_px(), v.height_px()));
        let out = render(&plan, &solid(&v, NAVY));
        let (x, y) = device(&v, inc.at);
        let c = pixel(&out, v.width_px(), x.floor() as i64, y.floor() as i64);
        assert!(close_rgb(c, severity_rgb(sev(4)), 1), "dpr {dpr}: {c:?}");
        // Far from the sprite: untouched.
        assert_eq!(pixel(&out, v.width_px(), 5, 5), NAVY);
    }
}

#[test]
fn outline_is_dark_even_on_a_white_background() {
    let v = view(2.0);
    // Circle, severity 3: radius 0.95 * 8 CSS px = 15.2 device px, outline 3 device px.
    let inc = incident("veh-1", "vehicle_sighting", 3, "open", PORT, NOW);
    let (_, plan) = plan_of(std::slice::from_ref(&inc), &v);
    let out = render(&plan, &solid(&v, [255, 255, 255, 255]));
    let (x, y) = device(&v, inc.at);
    let (cx, cy) = (x.floor() as i64, y.floor() as i64);
    for (dx, dy) in [(16, 0), (-17, 0), (0, 16), (0, -17)] {
        let p = pixel(&out, v.width_px(), cx + dx, cy + dy);
        assert!(close_rgb(p, OUTLINE_RGB, 24), "outline at {dx},{dy}: {p:?}");
    }
    // Inside: orange; outside the outline: white.
    assert!(close_rgb(
        pixel(&out, v.width_px(), cx + 10, cy),
        severity_rgb(sev(3)),
        1
    ));
    assert_eq!(pixel(&out, v.width_px(), cx + 22, cy), [255, 255, 255, 255]);
}

#[test]
fn kinds_give_different_masks() {
    let v = view(2.0);
    let orange_or_red = severity_rgb(sev(4));
    let probe = |kind: &str, dx: i64, dy: i64| {
        let inc = incident("k", kind, 4, "open", PORT, NOW);
        let (_, plan) = plan_of(std::slice::from_ref(&inc), &v);
        let out = render(&plan, &solid(&v, NAVY));
        let (x, y) = device(&v, inc.at);
        (
            pixel(
                &out,
                v.width_px(),
                x.floor() as i64 + dx,
                y.floor() as i64 + dy,
            ),
            out,
        )
    };
    // Severity 4 at dpr 2: nominal radius 19 device px. Towards a corner of the
    // square the square is filled, the diamond is not.
    let (square_corner, square) = probe("lorry_intrusion", 12, 12);
    let (diamond_corner, diamond) = probe("fence_breach", 12, 12);
    assert!(
        close_rgb(square_corner, orange_or_red, 1),
        "{square_corner:?}"
    );
    assert!(
        !close_rgb(diamond_corner, orange_or_red, 60),
        "{diamond_corner:?}"
    );
    assert_ne!(square, diamond);
    // Towards the top, the bow of the boat is filled; the tunnel's triangle points down.
    let (boat_top, _) = probe("small_boat", 0, -17);
    let (tunnel_top, _) = probe("tunnel_intrusion", 0, -17);
    assert!(close_rgb(boat_top, orange_or_red, 1), "{boat_top:?}");
    assert_eq!(tunnel_top, NAVY);
    let (tunnel_bottom, _) = probe("tunnel_intrusion", 0, 16);
    assert!(
        close_rgb(tunnel_bottom, orange_or_red, 1),
        "{tunnel_bottom:?}"
    );
    // The cross is hollow at its corners, unlike the square.
    let (cross_corner, _) = probe("other", 12, 12);
    assert_eq!(cross_corner, NAVY);
    let (cross_arm, _) = probe("other", 15, 0);
    assert!(close_rgb(cross_arm, orange_or_red, 1));
}

#[test]
fn faded_incident_is_blended_with_lower_alpha() {
    let v = view(1.0);
    let fresh = incident("fresh", "fence_breach", 4, "open", PORT, NOW);
    // Half an hour old, 100 CSS px west of the port.
    let old = placed(
        incident("old", "fence_breach", 4, "open", PORT, HALF_HOUR_AGO),
        v.screen_to_world(300.0, 300.0),
    );
    let (_, plan) = plan_of(&[fresh.clone(), old.clone()], &v);
    assert_eq!(plan.drawn(), 2);
    let out = render(&plan, &solid(&v, NAVY));
    let red = severity_rgb(sev(4));
    let at = |inc: &Incident| {
        let (x, y) = device(&v, inc.at);
        pixel(&out, v.width_px(), x.floor() as i64, y.floor() as i64)
    };
    let a_fresh = blend_alpha(at(&fresh), NAVY, red);
    let a_old = blend_alpha(at(&old), NAVY, red);
    assert!((a_fresh - 1.0).abs() < 0.01, "{a_fresh}");
    assert!((a_old - 0.4).abs() < 0.02, "{a_old}");
}

#[test]
fn closed_incident_is_hollow() {
    let v = view(2.0);
    let inc = incident("closed-1", "vehicle_sighting", 5, "closed", PORT, NOW);
    let (_, plan) = plan_of(std::slice::from_ref(&inc), &v);
    assert_eq!(plan.drawn(), 1);
    let bg = gradient(&v);
    let out = render(&plan, &bg);
    let (x, y) = device(&v, inc.at);
    let (cx, cy) = (x.floor() as i64, y.floor() as i64);
    let w = v.width_px();
    // The middle shows the background exactly.
    for (dx, dy) in [(0, 0), (3, 0), (-3, 2), (0, -4)] {
        assert_eq!(
            pixel(&out, w, cx + dx, cy + dy),
            pixel(&bg, w, cx + dx, cy + dy)
        );
    }
    // The ring (radius 0.95 * 19 = 18 device px, 3.5 px wide) is the severity colour at half opacity.
    let ring = pixel(&out, w, cx + 16, cy);
    let a = blend_alpha(ring, pixel(&bg, w, cx + 16, cy), severity_rgb(sev(5)));
    assert!((a - 0.5).abs() < 0.03, "{ring:?} alpha {a}");
}

#[test]
fn tiles_list_exactly_the_tiles_a_sprite_overlaps() {
    let v = view(2.0); // 1600 × 1200 device px: 7 × 5 tiles, the last column 64 px wide.
    assert_eq!((v.width_px(), v.height_px()), (1600, 1200));
    let corner = v.screen_to_world(128.0, 128.0); // device (256, 256): a tile corner.
    let inc = placed(
        incident("c", "lorry_intrusion", 3, "open", PORT, NOW),
        corner,
    );
    let (_, plan) = plan_of(std::slice::from_ref(&inc), &v);
    let t = TILE_PX;
    let tile = |x: u32, y: u32| TileRect { x, y, w: t, h: t };
    assert_eq!(
        plan.tiles(),
        [tile(0, 0), tile(t, 0), tile(0, t), tile(t, t)]
    );
    let bg = gradient(&v);
    let whole = render(&plan, &bg);
    let mut out = Vec::new();
    let all = grid(1600, 1200);
    assert_eq!(all.len(), 35);
    for r in all {
        plan.render_tile(r, &bg, 1600, &mut out);
        assert_eq!(out.len(), (r.w * r.h * 4) as usize);
        if plan.tiles().contains(&r) {
            assert_ne!(out, crop(&bg, 1600, r), "{r:?} draws part of the sprite");
        } else {
            assert_eq!(
                out,
                crop(&bg, 1600, r),
                "{r:?} is the background, byte for byte"
            );
        }
        // The tiles put together equal the whole frame.
        assert_eq!(out, crop(&whole, 1600, r));
    }

    // Well inside one tile: only that tile.
    let inside = placed(inc, v.screen_to_world(320.0, 190.0)); // device (640, 380)
    let (_, plan) = plan_of(&[inside], &v);
    assert_eq!(plan.tiles(), [tile(2 * t, t)]);
}

#[test]
fn edge_tiles_are_clipped_and_empty_plans_restore_the_background() {
    let v = view(1.0); // 800 × 600: 4 × 3 tiles.
    let (_, plan) = plan_of(&[], &v);
    assert!(plan.tiles().is_empty());
    assert_eq!((plan.visible(), plan.drawn()), (0, 0));
    let bg = gradient(&v);
    let mut out = Vec::new();
    let edge = TileRect {
        x: 768,
        y: 512,
        w: 32,
        h: 88,
    };
    assert_eq!(grid(800, 600).last(), Some(&edge));
    plan.render_tile(edge, &bg, 800, &mut out);
    assert_eq!(out, crop(&bg, 800, edge));

    // A sprite on the right edge lists the clipped edge tile.
    let inc = placed(
        incident("e", "other", 2, "open", PORT, NOW),
        v.screen_to_world(799.0, 300.0),
    );
    let (_, plan) = plan_of(&[inc], &v);
    assert_eq!(
        plan.tiles(),
        [TileRect {
            x: 768,
            y: 256,
            w: 32,
            h: 256
        }]
    );
}

#[test]
fn track_draws_along_the_segment_and_not_beside_it() {
    let v = view(1.0);
    let w = v.width_px();
    // A boat moving from 200 px west-south-west of the port to the port: the
    // store keeps the previous fix as the track.
    let start = v.screen_to_world(200.0, 380.0);
    let end = v.screen_to_world(400.0, 300.0);
    let mut store = IncidentStore::new();
    let first = placed(
        incident(
            "boat",
            "small_boat",
            3,
            "open",
            PORT,
            "2024-06-01T11:59:00Z",
        ),
        start,
    );
    let second = placed(incident("boat", "small_boat", 3, "open", PORT, NOW), end);
    store.upsert(first);
    store.upsert(second);
    let stored = store.get("boat").expect("stored");
    assert_eq!(stored.track.len(), 1);
    let marks = Marks::from_incidents(store.iter());
    let plan = Plan::new(&marks, &v, NOW_MS, &DrawOptions::default());
    assert_eq!(plan.drawn(), 1);
    let out = render(&plan, &solid(&v, NAVY));
    let orange = severity_rgb(sev(3));
    // Midway along the segment: the stroke, at the newest segment's 0.8 opacity.
    let mid = pixel(&out, w, 300, 340);
    let a = blend_alpha(mid, NAVY, orange);
    assert!(a > 0.6 && a < 0.85, "{mid:?} alpha {a}");
    // Along the whole segment something is drawn; 8 px beside it nothing is.
    for k in 1..10 {
        let t = k as f64 / 10.0;
        let (x, y) = (200.0 + 200.0 * t, 380.0 - 80.0 * t);
        assert_ne!(
            pixel(&out, w, x as i64, y as i64),
            NAVY,
            "on the track at {t}"
        );
        // Unit normal of (200, -80) is (0.37, 0.93).
        let (ox, oy) = (x + 8.0 * 0.371, y + 8.0 * 0.928);
        assert_eq!(pixel(&out, w, ox as i64, oy as i64), NAVY, "beside at {t}");
    }
    // A dot at the old fix (dark rim, coloured middle), nothing beyond the track's start.
    let fix = pixel(&out, w, 200, 380);
    assert!(blend_alpha(fix, NAVY, orange) > 0.1, "{fix:?}");
    assert_eq!(pixel(&out, w, 190, 384), NAVY);
}

/// Deterministic pseudo-random numbers in `[0, 1)` (a 64-bit LCG).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// 100,000 open severity-3 marks: 90,000 in hot spots at the port and the
/// terminal (about 400 m across), 10,000 spread over 15 × 12 km around Calais.
fn many_marks() -> Marks {
    let template = incident("t", "vehicle_sighting", 3, "open", PORT, NOW);
    let mut rng = Lcg(7);
    let mut marks = Marks::new();
    let (port, terminal) = (merc(PORT), merc(COQUELLES));
    let mut inc = template;
    for i in 0..100_000 {
        let (cx, cy, spread) = match i % 10 {
            0 => (port.x, port.y, 15_000.0),
            1..=6 => (port.x, port.y, 600.0),
            _ => (terminal.x, terminal.y, 600.0),
        };
        inc.at = Mercator {
            x: cx + (rng.next() - 0.5) * spread,
            y: cy + (rng.next() - 0.5) * spread * 0.8,
        };
        inc.id.clear();
        inc.id.push_str(&format!("syn-{i:06}"));
        marks.push(&inc);
    }
    marks
}

#[test]
fn density_mode_keeps_100k_marks_readable() {
    let marks = many_marks();
    assert_eq!(marks.len(), 100_000);
    assert_eq!(marks.id(99_999), Some("syn-099999"));
    // Zoom 12: 38 m a CSS px, both hot spots in view.
    let v = view_at(12.0, 1.0);
    let opts = DrawOptions {
        top_sprites: 0,
        ..DrawOptions::default()
    };
    let plan = Plan::new(&marks, &v, NOW_MS, &opts);
    assert_eq!(plan.mode(), Mode::Density);
    assert_eq!(plan.visible(), 100_000);
    assert!(plan.drawn() < 20_000, "{} cells", plan.drawn());
    assert!(!plan.tiles().is_empty());
    let out = render(&plan, &solid(&v, NAVY));
    let w = v.width_px();
    let orange = severity_rgb(sev(3));
    // The hot spot at the port (the view's centre) is near opaque.
    let (hx, hy) = device(&v, merc(PORT));
    let hot = (-6..=6)
        .flat_map(|dy| (-6..=6).map(move |dx| (dx, dy)))
        .map(|(dx, dy)| blend_alpha(pixel(&out, w, hx as i64 + dx, hy as i64 + dy), NAVY, orange))
        .fold(0.0f64, f64::max);
    assert!(hot > 0.9, "hot {hot}");
    // A sparse area (2.5 km north-east of the port, outside both hot spots): faint cells.
    let sparse_at = Mercator {
        x: merc(PORT).x + 2_500.0,
        y: merc(PORT).y + 2_500.0,
    };
    let (sx, sy) = device(&v, sparse_at);
    let sparse: Vec<f64> = (-20..=20)
        .flat_map(|dy| (-20..=20).map(move |dx| (dx, dy)))
        .map(|(dx, dy)| blend_alpha(pixel(&out, w, sx as i64 + dx, sy as i64 + dy), NAVY, orange))
        .filter(|a| *a > 0.01)
        .collect();
    assert!(!sparse.is_empty(), "sparse cells are drawn");
    let sparse_max = sparse.iter().copied().fold(0.0f64, f64::max);
    assert!(
        sparse_max < 0.7 && sparse_max < hot - 0.2,
        "sparse {sparse_max} hot {hot}"
    );
    // The 1 px gaps between cells keep it from being a solid blob: some pixels
    // in the sparse area show the background.
    let bg_px = (-20..=20)
        .flat_map(|dy| (-20..=20).map(move |dx| (dx, dy)))
        .filter(|(dx, dy)| pixel(&out, w, sx as i64 + dx, sy as i64 + dy) == NAVY)
        .count();
    assert!(bg_px > 80, "{bg_px}");

    // Default options: the 300 most important open marks get sprites on top.
    let with_top = Plan::new(&marks, &v, NOW_MS, &DrawOptions::default());
    assert_eq!(with_top.drawn(), plan.drawn() + 300);
    // Picking in density mode finds a binned mark near the pointer.
    let picked = with_top
        .pick(sx, sy, 30.0)
        .expect("a mark near the sparse probe");
    let p = marks.position(picked).expect("index into marks");
    let (px, py) = device(&v, p);
    assert!((px - sx).hypot(py - sy) <= 30.0 + 1e-3);
}

#[test]
fn density_cells_of_closed_marks_are_grey() {
    let v = view(1.0);
    let mut incs = Vec::new();
    for i in 0..40 {
        let at = v.screen_to_world(
            100.0 + f64::from(i % 20) * 10.0,
            100.0 + f64::from(i / 20) * 10.0,
        );
        incs.push(placed(
            incident(&format!("c{i}"), "other", 5, "closed", PORT, NOW),
            at,
        ));
    }
    let marks = Marks::from_incidents(&incs);
    let opts = DrawOptions {
        density_above: 10,
        ..DrawOptions::default()
    };
    let plan = Plan::new(&marks, &v, NOW_MS, &opts);
    assert_eq!(plan.mode(), Mode::Density);
    assert_eq!(
        plan.drawn(),
        40,
        "one cell each, no sprites for closed marks"
    );
    let out = render(&plan, &solid(&v, NAVY));
    let cell = pixel(&out, v.width_px(), 100, 100);
    // One mark a cell, the maximum count: full opacity.
    assert!(close_rgb(cell, CLOSED_CELL_RGB, 1), "{cell:?}");
    let picked = plan.pick(101.0, 101.0, 3.0).expect("the mark in that cell");
    assert_eq!(marks.id(picked), Some("c0"));
    assert_eq!(plan.cell_mark(101.0, 101.0), Some(picked));
}

#[test]
fn pick_returns_the_nearest_mark_within_the_radius() {
    let v = view(2.0);
    let a = placed(
        incident("a", "fence_breach", 2, "open", PORT, NOW),
        v.screen_to_world(200.0, 200.0),
    );
    let b = placed(
        incident("b", "fence_breach", 2, "open", PORT, NOW),
        v.screen_to_world(215.0, 200.0),
    );
    let dover = incident("dover", "small_boat", 5, "open", DOVER, NOW);
    let (marks, plan) = plan_of(&[a, b, dover], &v);
    assert_eq!(plan.visible(), 2, "Dover is outside the view");
    let id = |i: Option<usize>| i.and_then(|i| marks.id(i));
    // Device px: a at (400, 400), b at (430, 400).
    assert_eq!(id(plan.pick(405.0, 401.0, 20.0)), Some("a"));
    assert_eq!(id(plan.pick(424.0, 400.0, 20.0)), Some("b"));
    assert_eq!(id(plan.pick(400.0, 400.0, 0.0)), Some("a"));
    assert_eq!(plan.pick(400.0, 440.0, 20.0), None);
    assert_eq!(plan.pick(f64::NAN, 400.0, 20.0), None);
    assert_eq!(plan.pick(400.0, 400.0, f64::INFINITY), None);
    assert_eq!(plan.pick(400.0, 400.0, -1.0), None);
}

#[test]
fn pick_all_lists_every_mark_within_the_radius_nearest_first() {
    let v = view(2.0);
    let a = placed(
        incident("a", "fence_breach", 2, "open", PORT, NOW),
        v.screen_to_world(200.0, 200.0),
    );
    let b = placed(
        incident("b", "fence_breach", 2, "open", PORT, NOW),
        v.screen_to_world(215.0, 200.0),
    );
    let (marks, plan) = plan_of(&[a, b], &v);
    let ids = |v: Vec<usize>| {
        v.into_iter()
            .filter_map(|i| marks.id(i))
            .collect::<Vec<_>>()
    };
    // Device px: a at (400, 400), b at (430, 400). A 44 px finger between them: both, nearest
    // first; the first is `pick`'s.
    assert_eq!(ids(plan.pick_all(420.0, 400.0, 44.0)), ["b", "a"]);
    assert_eq!(
        plan.pick_all(420.0, 400.0, 44.0).first().copied(),
        plan.pick(420.0, 400.0, 44.0)
    );
    assert_eq!(ids(plan.pick_all(400.0, 400.0, 20.0)), ["a"]);
    assert!(plan.pick_all(400.0, 480.0, 20.0).is_empty());
    assert!(plan.pick_all(f64::NAN, 400.0, 20.0).is_empty());
}

#[test]
fn marks_keep_store_order_and_ids() {
    let mut store = IncidentStore::new();
    for (id, pos) in [
        ("z-dover", DOVER),
        ("a-port", PORT),
        ("m-terminal", COQUELLES),
    ] {
        store.upsert(incident(id, "other", 1, "open", pos, NOW));
    }
    let marks = Marks::from_incidents(store.iter());
    assert_eq!(marks.len(), 3);
    assert!(!marks.is_empty());
    let ids: Vec<_> = (0..3).map(|i| marks.id(i)).collect();
    assert_eq!(ids, [Some("a-port"), Some("m-terminal"), Some("z-dover")]);
    assert_eq!(marks.id(3), None);
    assert_eq!(marks.position(0), Some(merc(PORT)));
    assert_eq!(marks.kind(1), Some(IncidentKind::Other));
    assert_eq!(marks.severity(2), Some(sev(1)));
    assert_eq!(marks.is_open(0), Some(true));
    assert_eq!(marks.updated_ms(0), Some(NOW_MS));
    assert!(Marks::new().is_empty());
}

#[test]
fn bad_input_does_not_panic_and_draws_nothing() {
    let mut incs = Vec::new();
    for (i, (x, y)) in [
        (f64::NAN, 0.0),
        (0.0, f64::INFINITY),
        (f64::NEG_INFINITY, f64::NAN),
        (1e300, -1e300),
    ]
    .into_iter()
    .enumerate()
    {
        let mut inc = incident(&format!("bad{i}"), "small_boat", 5, "open", PORT, NOW);
        inc.at = Mercator { x, y };
        inc.track = vec![(Mercator { x: f64::NAN, y }, Timestamp::EPOCH)];
        incs.push(inc);
    }
    // A good mark whose track has non-finite and far-away fixes.
    let mut good = incident("good", "small_boat", 5, "closed", PORT, NOW);
    good.status = Status::Closed;
    good.track = vec![
        (
            Mercator {
                x: f64::NAN,
                y: 0.0,
            },
            Timestamp::EPOCH,
        ),
        (Mercator { x: 1e12, y: -1e12 }, Timestamp::EPOCH),
        (merc(COQUELLES), Timestamp::EPOCH),
    ];
    incs.push(good);
    let marks = Marks::from_incidents(&incs);
    let v = view(1.0);
    let plan = Plan::new(&marks, &v, NOW_MS, &DrawOptions::default());
    assert_eq!(plan.visible(), 1);
    assert_eq!(plan.drawn(), 1);
    let bg = solid(&v, NAVY);
    let mut out = Vec::new();
    for t in plan.tiles() {
        plan.render_tile(*t, &bg, 800, &mut out);
    }
    // Short or mismatched backgrounds, odd tiles.
    plan.render_tile(
        TileRect {
            x: 0,
            y: 0,
            w: 256,
            h: 256,
        },
        &[],
        0,
        &mut out,
    );
    assert_eq!(out.len(), 256 * 256 * 4);
    assert_eq!(&out[..4], &[0, 0, 0, 255]);
    plan.render_tile(
        TileRect {
            x: 700,
            y: 500,
            w: 300,
            h: 300,
        },
        &bg[..1000],
        800,
        &mut out,
    );
    assert_eq!(out.len(), 300 * 300 * 4);
    plan.render_tile(
        TileRect {
            x: u32::MAX,
            y: u32::MAX,
            w: 4,
            h: 4,
        },
        &bg,
        800,
        &mut out,
    );
    assert_eq!(out.len(), 64);
    plan.render_tile(
        TileRect {
            x: 0,
            y: 0,
            w: 0,
            h: 0,
        },
        &bg,
        800,
        &mut out,
    );
    assert!(out.is_empty());
    plan.render_tile(
        TileRect {
            x: 0,
            y: 0,
            w: u32::MAX,
            h: u32::MAX,
        },
        &bg,
        800,
        &mut out,
    );
    assert!(out.is_empty());
    assert_eq!(plan.pick(f64::INFINITY, f64::NAN, 10.0), None);

    // Odd options: everything in density mode, all sprites, zero alphas.
    let odd = DrawOptions {
        density_above: 0,
        top_sprites: usize::MAX,
        min_alpha: 0.0,
        closed_alpha: f32::NAN,
        fade_start_ms: i64::MIN,
        fade_end_ms: i64::MAX,
    };
    let plan = Plan::new(&marks, &v, i64::MAX, &odd);
    plan.render_frame(&bg, &mut out);

    // A 0 × 0 view (sanitised to 1 × 1 device px) and a view larger than any canvas.
    let zero = Viewport::new(merc(PORT), Zoom::clamped(13.0), 0.0, 0.0, 0.0);
    let plan = Plan::new(&marks, &zero, NOW_MS, &DrawOptions::default());
    plan.render_frame(&[], &mut out);
    assert_eq!(out.len(), 4);
    assert_eq!(out[3], 255);
    let huge = Viewport::new(merc(PORT), Zoom::clamped(20.0), 1e9, 1e9, 3.0);
    let plan = Plan::new(&marks, &huge, NOW_MS, &DrawOptions::default());
    assert!(plan.tiles().is_empty());
    assert_eq!(plan.drawn(), 0);
    let tiny_dpr = view(1e-9);
    let plan = Plan::new(&marks, &tiny_dpr, NOW_MS, &DrawOptions::default());
    plan.render_frame(&[], &mut out);
    let huge_dpr = view(1e6);
    let plan = Plan::new(&marks, &huge_dpr, NOW_MS, &DrawOptions::default());
    assert!(plan.tiles().is_empty());

    // Empty marks.
    let plan = Plan::new(&Marks::new(), &v, NOW_MS, &DrawOptions::default());
    assert!(plan.tiles().is_empty());
    assert_eq!(plan.mode(), Mode::Sprites);
}

#[test]
fn projection_matches_the_viewport() {
    let v = view(2.0);
    let at = v.screen_to_world(123.25, 77.5);
    let inc = placed(incident("p", "other", 1, "open", PORT, NOW), at);
    let (_, plan) = plan_of(&[inc], &v);
    assert_eq!(plan.pick(246.5, 155.0, 0.01), Some(0));
    // Half outside the left edge: still visible and drawn.
    let edge = placed(
        incident("edge", "other", 1, "open", PORT, NOW),
        v.screen_to_world(-3.0, 100.0),
    );
    let far = placed(
        incident("far", "other", 1, "open", PORT, NOW),
        v.screen_to_world(-60.0, 100.0),
    );
    let (_, plan) = plan_of(&[edge, far], &v);
    assert_eq!((plan.visible(), plan.drawn()), (1, 1));
}

#[test]
fn a_long_track_lists_only_the_tiles_it_crosses() {
    let v = view(2.0); // 1600 × 1200 device px, 7 × 5 tiles.
    let w = v.width_px();
    let mut boat = placed(
        incident("crossing", "small_boat", 5, "open", PORT, NOW),
        v.screen_to_world(790.0, 590.0),
    );
    // From far outside the top-left corner, diagonally across the frame.
    boat.track = vec![
        (v.screen_to_world(-5_000.0, -4_000.0), Timestamp::EPOCH),
        (v.screen_to_world(100.0, 50.0), Timestamp::EPOCH),
    ];
    let (_, plan) = plan_of(&[boat], &v);
    let tiles = plan.tiles();
    assert!(
        tiles.len() >= 7 && tiles.len() <= 16,
        "a diagonal crosses about one tile per row and column: {tiles:?}"
    );
    let bg = gradient(&v);
    let whole = render(&plan, &bg);
    let mut out = Vec::new();
    let mut drawn_tiles = 0;
    for r in grid(w, v.height_px()) {
        plan.render_tile(r, &bg, w, &mut out);
        if out != crop(&bg, w, r) {
            drawn_tiles += 1;
            assert!(tiles.contains(&r), "{r:?} draws but is not listed");
        }
        // Rendering by tile and by frame agree.
        assert_eq!(out, crop(&whole, w, r));
    }
    assert!(drawn_tiles >= 7, "{drawn_tiles}");
}

/// The incident bitmap is capped (issue 15, item 6): a view past `MAX_FRAME_SIDE_PX` a side
/// (or `MAX_FRAME_AREA_PX`) gets an empty plan, nothing allocated for its pixels, instead of a
/// bitmap no canvas can hold; the same incident in a normal view is drawn.
#[test]
fn a_view_past_the_frame_caps_plans_nothing() {
    use calais_map::core::incident_layer::{MAX_FRAME_AREA_PX, MAX_FRAME_SIDE_PX};
    let boat = incident("boat", "small_boat", 4, "open", PORT, NOW);
    let (_, plan) = plan_of(std::slice::from_ref(&boat), &view(1.0));
    assert_eq!(plan.drawn(), 1);
    let side = f64::from(MAX_FRAME_SIDE_PX) + 1.0;
    let area_side = (MAX_FRAME_AREA_PX as f64).sqrt() + 1.0;
    for (w, h) in [(side, 600.0), (800.0, side), (area_side, area_side)] {
        let huge = Viewport::new(merc(PORT), Zoom::new(13.0).expect("zoom"), w, h, 1.0);
        let (_, plan) = plan_of(std::slice::from_ref(&boat), &huge);
        assert_eq!((plan.visible(), plan.drawn()), (0, 0), "{w} x {h}");
    }
}

/// The icon outlines (panels' kind icons, the exported legend) fit their 16 × 16 box, are
/// polygons of at least three vertices, and differ per kind; only the circle is an arc.
#[test]
fn icon_outlines_fit_their_box_and_tell_the_kinds_apart() {
    let mut seen = Vec::new();
    for kind in IncidentKind::ALL {
        let shape = kind_shape(kind);
        match icon_outline(shape) {
            None => assert_eq!(shape, Shape::Circle),
            Some(points) => {
                assert!(points.len() >= 3, "{shape:?}");
                for &(x, y) in points {
                    assert!(
                        (0.0..=16.0).contains(&x) && (0.0..=16.0).contains(&y),
                        "{shape:?}"
                    );
                }
                assert!(!seen.contains(&points), "{shape:?} drawn as another kind");
                seen.push(points);
            }
        }
    }
    assert_eq!(seen.len(), IncidentKind::ALL.len() - 1);
}
