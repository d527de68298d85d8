//! Camera field-of-view sectors, label placement and hit testing.

use calais_map::core::camera::fov_sector;
use calais_map::core::config::PropertyNames;
use calais_map::core::earth::distance_m;
use calais_map::core::geometry::{Position, dist2_point_segment, position, ring_position};
use calais_map::core::hit::{Hit, hit_test, hits, outline_near};
use calais_map::core::ingest::ingest_layer;
use calais_map::core::labels::{LabelCandidate, place_labels};
use calais_map::core::model::{LayerData, LayerId};
use calais_map::core::projection::{initial_bearing, to_mercator};
use calais_map::core::units::{Bearing, LonLat, Mercator, Zoom};
use calais_map::core::viewport::Viewport;
use geo::Intersects;

fn ll(lon: f64, lat: f64) -> LonLat {
    LonLat::new(lon, lat).expect("valid")
}

fn brg(d: f64) -> Bearing {
    Bearing::new(d).expect("finite")
}

fn angle_diff(a: f64, b: f64) -> f64 {
    let d = (a - b).rem_euclid(360.0);
    d.min(360.0 - d)
}

// ---------------------------------------------------------------- camera

#[test]
fn sector_arc_is_at_true_ground_range() {
    let apex = ll(1.8650, 50.9660);
    let ring = fov_sector(apex, brg(45.0), 60.0, 100.0);
    // apex + 13 arc points (12 steps of 5 degrees) + apex
    assert_eq!(ring.len(), 15);
    assert_eq!(ring.first(), Some(&apex));
    assert_eq!(ring.last(), Some(&apex));
    let arc = &ring[1..ring.len() - 1];
    for p in arc {
        let d = distance_m(apex, *p);
        assert!((d - 100.0).abs() <= 0.1, "{d}"); // within 0.1 %
    }
    // End bearings are bearing -/+ fov/2, and consecutive points are <= 5 degrees apart.
    let b = |p: &LonLat| initial_bearing(apex, *p).expect("distinct").degrees();
    assert!(angle_diff(b(&arc[0]), 15.0) < 1e-6, "{}", b(&arc[0]));
    assert!(angle_diff(b(&arc[arc.len() - 1]), 75.0) < 1e-6);
    for w in arc.windows(2) {
        assert!(angle_diff(b(&w[0]), b(&w[1])) <= 5.0 + 1e-9);
    }
    // Across north: bearing 350, fov 40 spans 330..10.
    let ring = fov_sector(apex, brg(350.0), 40.0, 250.0);
    assert!(angle_diff(b(&ring[1]), 330.0) < 1e-6);
    assert!(angle_diff(b(&ring[ring.len() - 2]), 10.0) < 1e-6);
    // A narrow camera still gets both edges.
    assert_eq!(fov_sector(apex, brg(0.0), 7.0, 50.0).len(), 5);
}

#[test]
fn sector_is_longer_in_mercator_than_on_the_ground() {
    // 100 ground metres north at Calais is 158.89 EPSG:3857 metres (~100 / cos 51 deg; Vincenty
    // on WGS84 in Python; the mean sphere said 158.964438, 0.05 % more).
    let apex = ll(1.8650, 50.9660);
    let ring = fov_sector(apex, brg(0.0), 10.0, 100.0);
    let mid = ring[2]; // bearing exactly 0 (arc points at -5, 0, +5)
    let dy = to_mercator(mid).y - to_mercator(apex).y;
    assert!((dy - 158.889_342).abs() < 1e-3, "{dy}");
    assert!((dy - 100.0 / 50.9660f64.to_radians().cos()).abs() < 0.5);
}

#[test]
fn full_circle_and_invalid_sectors() {
    let dover = ll(1.3300, 51.1260);
    let ring = fov_sector(dover, brg(123.0), 360.0, 80.0);
    assert_eq!(ring.len(), 73);
    assert_eq!(ring.first(), ring.last());
    assert!(
        ring.iter()
            .all(|p| (distance_m(dover, *p) - 80.0).abs() < 0.08)
    );
    assert_eq!(fov_sector(dover, brg(0.0), 400.0, 80.0).len(), 73);
    assert!(fov_sector(dover, brg(0.0), 0.0, 80.0).is_empty());
    assert!(fov_sector(dover, brg(0.0), 90.0, -1.0).is_empty());
    assert!(fov_sector(dover, brg(0.0), f64::NAN, 10.0).is_empty());
    assert!(fov_sector(dover, brg(0.0), 90.0, f64::INFINITY).is_empty());
}

// ---------------------------------------------------------------- labels

fn label(x: f64, y: f64, w: f64, priority: i32) -> LabelCandidate {
    LabelCandidate {
        x,
        y,
        width: w,
        height: 14.0,
        priority,
    }
}

#[test]
fn labels_overlap_and_priority() {
    let cands = [
        label(100.0, 100.0, 80.0, 1), // "Coquelles"
        label(150.0, 105.0, 80.0, 5), // "Calais" overlaps, higher priority
        label(400.0, 100.0, 60.0, 0), // alone
    ];
    assert_eq!(place_labels(&cands, 800.0, 600.0, 0.0), [false, true, true]);
    // Equal priority: input order wins.
    let tie = [label(100.0, 100.0, 80.0, 3), label(150.0, 105.0, 80.0, 3)];
    assert_eq!(place_labels(&tie, 800.0, 600.0, 0.0), [true, false]);
    // Padding: a 3 px gap is fine with 2 px padding, not with 4 px.
    let gap = [label(0.0, 50.0, 50.0, 0), label(53.0, 50.0, 50.0, 0)];
    assert_eq!(place_labels(&gap, 800.0, 600.0, 2.0), [true, true]);
    assert_eq!(place_labels(&gap, 800.0, 600.0, 4.0), [true, false]);
}

#[test]
fn labels_must_be_fully_on_screen() {
    let cands = [
        label(-1.0, 100.0, 50.0, 9),  // sticks out left
        label(760.0, 100.0, 50.0, 9), // sticks out right (810 > 800)
        label(10.0, 5.0, 50.0, 9),    // top at -2
        label(10.0, 595.0, 50.0, 9),  // bottom at 602
        label(0.0, 7.0, 800.0, 9),    // exactly fills the top row
        label(f64::NAN, 50.0, 10.0, 9),
        label(10.0, 50.0, -10.0, 9),
    ];
    assert_eq!(
        place_labels(&cands, 800.0, 600.0, 0.0),
        [false, false, false, false, true, false, false]
    );
    assert_eq!(place_labels(&cands, f64::NAN, 600.0, 0.0), [false; 7]);
    assert!(place_labels(&[], 800.0, 600.0, 1.0).is_empty());
}

#[test]
fn labels_grid_matches_brute_force() {
    // Deterministic pseudo-random labels (LCG), 3000 of them on a 1920x1080 screen.
    let mut s: u64 = 0x00ca_1a15;
    let mut rnd = move || {
        s = s
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((s >> 33) as f64) / f64::from(1u32 << 31)
    };
    let cands: Vec<LabelCandidate> = (0..3000)
        .map(|_| LabelCandidate {
            x: rnd() * 2000.0 - 40.0,
            y: rnd() * 1150.0 - 30.0,
            width: 20.0 + rnd() * 140.0,
            height: 10.0 + rnd() * 8.0,
            priority: (rnd() * 5.0) as i32,
        })
        .collect();
    let pad = 3.0;
    let got = place_labels(&cands, 1920.0, 1080.0, pad);

    let mut order: Vec<usize> = (0..cands.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(cands[i].priority));
    let mut expected = vec![false; cands.len()];
    let mut placed: Vec<usize> = Vec::new();
    let bx = |c: &LabelCandidate| {
        (
            c.x,
            c.y - c.height / 2.0,
            c.x + c.width,
            c.y + c.height / 2.0,
        )
    };
    for i in order {
        let (x0, y0, x1, y1) = bx(&cands[i]);
        if x0 < 0.0 || y0 < 0.0 || x1 > 1920.0 || y1 > 1080.0 {
            continue;
        }
        let clash = placed.iter().any(|&j| {
            let (a0, b0, a1, b1) = bx(&cands[j]);
            x0 - pad < a1 && a0 < x1 + pad && y0 - pad < b1 && b0 < y1 + pad
        });
        if !clash {
            placed.push(i);
            expected[i] = true;
        }
    }
    assert_eq!(got, expected);
    let n = got.iter().filter(|b| **b).count();
    assert!(n > 50 && n < 3000, "{n}");
}

// ---------------------------------------------------------------- hit testing

fn layer(id: LayerId, text: &str) -> LayerData {
    ingest_layer(id, text, &PropertyNames::default()).expect("fixture loads")
}

struct Layers {
    basemap: LayerData,
    fences: LayerData,
    cameras: LayerData,
    ports: LayerData,
}

fn layers() -> Layers {
    Layers {
        basemap: layer(
            LayerId::Basemap,
            include_str!("fixtures/core/basemap_valid.geojson"),
        ),
        fences: layer(
            LayerId::Fences,
            include_str!("fixtures/core/fences_valid.geojson"),
        ),
        cameras: layer(
            LayerId::Cameras,
            include_str!("fixtures/core/cameras_valid.geojson"),
        ),
        ports: layer(
            LayerId::Ports,
            include_str!("fixtures/core/ports_valid.geojson"),
        ),
    }
}

fn view_at(lon: f64, lat: f64, zoom: f64) -> Viewport {
    Viewport::new(
        to_mercator(ll(lon, lat)),
        Zoom::new(zoom).expect("zoom"),
        1280.0,
        800.0,
        2.0,
    )
}

fn screen(v: &Viewport, lon: f64, lat: f64) -> (f64, f64) {
    v.world_to_screen(to_mercator(ll(lon, lat)))
}

#[test]
fn hit_camera_and_port_points() {
    let l = layers();
    let v = view_at(1.8650, 50.9660, 16.0);
    let (x, y) = screen(&v, 1.8650, 50.9660);
    // Camera and port share the Calais position: the port is drawn on top and wins the tie.
    let all = [&l.basemap, &l.fences, &l.cameras, &l.ports];
    assert_eq!(
        hit_test(&all, &v, x + 3.0, y - 2.0, 8.0),
        Some(Hit {
            layer: LayerId::Ports,
            feature: 0
        })
    );
    // Ports hidden: the camera.
    assert_eq!(
        hit_test(&[&l.fences, &l.cameras], &v, x + 3.0, y - 2.0, 8.0),
        Some(Hit {
            layer: LayerId::Cameras,
            feature: 0
        })
    );
    // Nearest point wins: camera "4" at (1.85, 50.96) vs nothing else near.
    let (x4, y4) = screen(&v, 1.8500, 50.9600);
    let w = Viewport::new(v.center(), v.zoom(), 4000.0, 4000.0, 1.0);
    let (x4w, y4w) = w.world_to_screen(to_mercator(ll(1.85, 50.96)));
    assert_eq!(
        hit_test(&[&l.cameras], &w, x4w - 4.0, y4w, 6.0),
        Some(Hit {
            layer: LayerId::Cameras,
            feature: 3
        })
    );
    // Out of tolerance: no point hit (and not inside any sector there).
    assert_eq!(hit_test(&[&l.cameras], &v, x4 + 30.0, y4 + 30.0, 8.0), None);
}

#[test]
fn hits_lists_everything_near_a_tap_best_first() {
    let l = layers();
    let v = view_at(1.8650, 50.9660, 16.0);
    let (x, y) = screen(&v, 1.8650, 50.9660);
    let all = [&l.basemap, &l.fences, &l.cameras, &l.ports];
    // The port and the camera share the Calais position: both listed, the one hit_test
    // picks first (the port, drawn on top), each once (the camera's own sector is not
    // listed again).
    let found = hits(&all, &v, x + 3.0, y - 2.0, 8.0).points;
    assert_eq!(
        found.first().copied(),
        hit_test(&all, &v, x + 3.0, y - 2.0, 8.0)
    );
    assert!(found.contains(&Hit {
        layer: LayerId::Cameras,
        feature: 0
    }));
    assert!(found.contains(&Hit {
        layer: LayerId::Ports,
        feature: 0
    }));
    let mut unique = found.clone();
    unique.sort_by_key(|h| (h.layer.key(), h.feature));
    unique.dedup();
    assert_eq!(unique.len(), found.len(), "each feature once: {found:?}");
    // A wider tolerance finds at least as much; a position that is not finite nothing.
    assert!(hits(&all, &v, x + 3.0, y - 2.0, 22.0).points.len() >= found.len());
    assert_eq!(hits(&all, &v, f64::NAN, y, 22.0), Default::default());
    // Far from everything: nothing, as hit_test.
    let w = Viewport::new(v.center(), v.zoom(), 4000.0, 4000.0, 1.0);
    let (x4, y4) = w.world_to_screen(to_mercator(ll(1.85, 50.96)));
    assert_eq!(
        hits(&[&l.cameras], &w, x4 + 1500.0, y4 + 1500.0, 22.0),
        Default::default()
    );
    // Inside the Calais camera's sector, 50 px from it: hit_test's camera, but no finger
    // touched anything.
    let inside = calais_map::core::projection::destination(ll(1.8650, 50.9660), brg(45.0), 75.0);
    let (sx, sy) = v.world_to_screen(to_mercator(inside));
    assert!(hit_test(&[&l.cameras], &v, sx, sy, 8.0).is_some());
    assert_eq!(hits(&[&l.cameras], &v, sx, sy, 8.0), Default::default());
}

#[test]
fn a_zone_outline_is_near_within_the_tolerance_only() {
    let v = view_at(1.8600, 50.9600, 16.0);
    let ring = |pts: &[(f64, f64)]| {
        geo::LineString::from(
            pts.iter()
                .map(|&(lon, lat)| {
                    let m = to_mercator(ll(lon, lat));
                    (m.x, m.y)
                })
                .collect::<Vec<_>>(),
        )
    };
    let zone = geo::MultiPolygon(vec![geo::Polygon::new(
        ring(&[
            (1.85, 50.95),
            (1.87, 50.95),
            (1.87, 50.97),
            (1.85, 50.97),
            (1.85, 50.95),
        ]),
        vec![],
    )]);
    // On the west edge, 10 px inside; the middle of the zone is far from every edge.
    let (ex, ey) = screen(&v, 1.85, 50.96);
    assert!(outline_near(&zone, &v, ex + 10.0, ey, 22.0));
    assert!(!outline_near(&zone, &v, ex + 10.0, ey, 5.0));
    let (cx, cy) = screen(&v, 1.86, 50.96);
    assert!(!outline_near(&zone, &v, cx, cy, 22.0));
    assert!(!outline_near(&zone, &v, f64::NAN, cy, 22.0));
}

#[test]
fn hit_fence_line() {
    let l = layers();
    let v = view_at(1.8600, 50.9600, 16.0);
    // Midway along the first rocade segment, 3 px off the line.
    let (ax, ay) = screen(&v, 1.8400, 50.9550);
    let (bx, by) = screen(&v, 1.8600, 50.9600);
    let (mx, my) = ((ax + bx) / 2.0, (ay + by) / 2.0);
    let (nx, ny) = (-(by - ay), bx - ax);
    let len = (nx * nx + ny * ny).sqrt();
    let (px, py) = (mx + 3.0 * nx / len, my + 3.0 * ny / len);
    let all = [&l.basemap, &l.fences, &l.cameras, &l.ports];
    assert_eq!(
        hit_test(&all, &v, px, py, 5.0),
        Some(Hit {
            layer: LayerId::Fences,
            feature: 0
        })
    );
    assert_eq!(hit_test(&all, &v, px, py, 2.0), None);
    // The finger touched the fence: a line, no point.
    let touched = hits(&all, &v, px, py, 5.0);
    assert!(touched.points.is_empty());
    assert_eq!(
        touched.lines.first(),
        Some(&Hit {
            layer: LayerId::Fences,
            feature: 0
        })
    );
    // Fences hidden: nothing.
    assert_eq!(hit_test(&[&l.basemap, &l.cameras], &v, px, py, 5.0), None);
}

#[test]
fn hit_camera_sector() {
    let l = layers();
    let v = view_at(1.8650, 50.9660, 16.0);
    // 75 m along the Calais camera's bearing (45 deg, range 150 m): inside the sector,
    // ~50 CSS px from the camera point.
    let inside = calais_map::core::projection::destination(ll(1.8650, 50.9660), brg(45.0), 75.0);
    let (x, y) = v.world_to_screen(to_mercator(inside));
    let all = [&l.basemap, &l.fences, &l.cameras, &l.ports];
    assert_eq!(
        hit_test(&all, &v, x, y, 8.0),
        Some(Hit {
            layer: LayerId::Cameras,
            feature: 0
        })
    );
    // Behind the camera (bearing 225): outside the sector.
    let behind = calais_map::core::projection::destination(ll(1.8650, 50.9660), brg(225.0), 75.0);
    let (x, y) = v.world_to_screen(to_mercator(behind));
    assert_eq!(hit_test(&all, &v, x, y, 8.0), None);
}

#[test]
fn hit_polygons_topmost_and_holes() {
    let l = layers();
    let v = view_at(1.8100, 50.9250, 15.0);
    // Inside both the Coquelles fence polygon and the Eurotunnel terminal polygon.
    let (x, y) = screen(&v, 1.8120, 50.9220);
    let all = [&l.basemap, &l.fences, &l.cameras, &l.ports];
    assert_eq!(
        hit_test(&all, &v, x, y, 8.0),
        Some(Hit {
            layer: LayerId::Ports,
            feature: 1
        })
    );
    assert_eq!(
        hit_test(&[&l.basemap, &l.fences], &v, x, y, 8.0),
        Some(Hit {
            layer: LayerId::Fences,
            feature: 1
        })
    );
    // In the terminal's hole: only the fence polygon contains it.
    let (hx, hy) = screen(&v, 1.8045, 50.9285);
    assert_eq!(hit_test(&[&l.ports], &v, hx, hy, 8.0), None);
    assert_eq!(
        hit_test(&[&l.fences, &l.ports], &v, hx, hy, 8.0),
        Some(Hit {
            layer: LayerId::Fences,
            feature: 1
        })
    );
}

#[test]
fn hit_nothing_and_basemap_never_hits() {
    let l = layers();
    let v = view_at(2.2000, 50.8000, 14.0);
    // On land in the basemap polygon, far from any feature.
    let (x, y) = screen(&v, 2.2000, 50.8000);
    assert_eq!(
        hit_test(
            &[&l.basemap, &l.fences, &l.cameras, &l.ports],
            &v,
            x,
            y,
            20.0
        ),
        None
    );
    assert_eq!(hit_test(&[], &v, x, y, 20.0), None);
    assert_eq!(hit_test(&[&l.ports], &v, f64::NAN, y, 20.0), None);
}

#[test]
fn ring_position_matches_geo() {
    let sq = |x: f64, y: f64| Mercator { x, y };
    let point_in_ring = |p: Mercator, ring: &[Mercator]| ring_position(p, ring).is_inside_or_on();
    // An L-shaped (concave) ring, closed.
    let ring = [
        sq(0.0, 0.0),
        sq(40.0, 0.0),
        sq(40.0, 10.0),
        sq(10.0, 10.0),
        sq(10.0, 30.0),
        sq(0.0, 30.0),
        sq(0.0, 0.0),
    ];
    assert!(point_in_ring(sq(5.0, 5.0), &ring));
    assert!(
        point_in_ring(sq(0.0, 0.0), &ring),
        "vertex counts as inside"
    );
    assert!(
        point_in_ring(sq(25.0, 10.0), &ring),
        "edge counts as inside"
    );
    assert!(!point_in_ring(sq(20.0, 20.0), &ring), "in the notch");
    assert!(!point_in_ring(sq(5.0, 5.0), &ring[..2]));
    assert!(!point_in_ring(sq(5.0, 5.0), &[]));
    // The three answers, the 1 mm tolerance, an open ring closed implicitly, a hole.
    assert_eq!(ring_position(sq(5.0, 5.0), &ring), Position::Inside);
    assert_eq!(ring_position(sq(0.0, 0.0), &ring), Position::OnBoundary);
    assert_eq!(ring_position(sq(25.0, 10.0), &ring), Position::OnBoundary);
    assert_eq!(
        ring_position(sq(25.0, 10.0005), &ring),
        Position::OnBoundary
    );
    assert_eq!(ring_position(sq(25.0, 9.998), &ring), Position::Inside);
    assert_eq!(ring_position(sq(25.0, 10.002), &ring), Position::Outside);
    assert_eq!(ring_position(sq(20.0, 20.0), &ring), Position::Outside);
    assert_eq!(ring_position(sq(f64::NAN, 5.0), &ring), Position::Outside);
    let open = &ring[..6];
    assert_eq!(ring_position(sq(5.0, 5.0), open), Position::Inside);
    assert_eq!(ring_position(sq(0.0, 15.0), open), Position::OnBoundary);
    let hole = vec![
        sq(2.0, 2.0),
        sq(6.0, 2.0),
        sq(6.0, 6.0),
        sq(2.0, 6.0),
        sq(2.0, 2.0),
    ];
    let holed = [ring.to_vec(), hole];
    assert_eq!(position(sq(4.0, 4.0), &holed), Position::Outside);
    assert_eq!(position(sq(2.0, 4.0), &holed), Position::OnBoundary);
    assert_eq!(position(sq(8.0, 4.0), &holed), Position::Inside);

    let poly = geo::Polygon::new(
        geo::LineString::from(ring.iter().map(|m| (m.x, m.y)).collect::<Vec<_>>()),
        vec![],
    );
    for i in -2..=42 {
        for j in -2..=32 {
            let (x, y) = (f64::from(i), f64::from(j));
            assert_eq!(
                point_in_ring(sq(x, y), &ring),
                poly.intersects(&geo::Point::new(x, y)),
                "({x}, {y})"
            );
        }
    }
    assert_eq!(
        dist2_point_segment(sq(5.0, 3.0), sq(0.0, 0.0), sq(10.0, 0.0)),
        9.0
    );
    assert_eq!(
        dist2_point_segment(sq(13.0, 4.0), sq(0.0, 0.0), sq(10.0, 0.0)),
        25.0
    );
}

#[test]
fn label_groups_fall_back_to_alternative_positions() {
    use calais_map::core::labels::place_label_groups;
    let at = |x: f64, y: f64, priority: i32| LabelCandidate {
        x,
        y,
        width: 80.0,
        height: 16.0,
        priority,
    };
    // A blocker right of the anchor at (300, 300); the label then goes left, then above.
    let blocker = [at(310.0, 300.0, 100)];
    let label = [
        at(310.0, 300.0, 10),
        at(210.0, 300.0, 10),
        at(260.0, 280.0, 10),
    ];
    let placed = place_label_groups(&[&blocker, &label], 800.0, 600.0, 2.0);
    assert_eq!(placed, vec![Some(0), Some(1)]);
    // With the left also taken, the third alternative (above) is used.
    let left = [at(210.0, 300.0, 50)];
    let placed = place_label_groups(&[&blocker, &left, &label], 800.0, 600.0, 2.0);
    assert_eq!(placed, vec![Some(0), Some(0), Some(2)]);
    // Nothing fits: None; off-screen alternatives are skipped.
    let off = [at(790.0, 300.0, 5), at(-50.0, 300.0, 5)];
    assert_eq!(place_label_groups(&[&off], 800.0, 600.0, 0.0), vec![None]);
}

// ---------------------------------------------------------------- id labels (issue 14 item 8)

/// The demo fences carry the sector ids incident texts name; each gets a label anchor halfway
/// along its line (or outline), on the fence itself.
#[test]
fn demo_fences_have_sector_ids_and_anchors_on_the_fence() {
    use calais_map::core::labels::SECTOR_PROPERTY;
    use calais_map::core::model::property;
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("public/data/fences.geojson"),
    )
    .expect("demo fences");
    let layer = ingest_layer(LayerId::Fences, &text, &PropertyNames::default()).expect("fences");
    assert!(!layer.features.is_empty());
    let mut terminal = 0;
    for f in &layer.features {
        let sector = property(&f.properties, SECTOR_PROPERTY).expect("every fence has a sector");
        assert_eq!(
            format!("fence-{sector}"),
            f.id,
            "the sector is the fence's id"
        );
        terminal += usize::from(sector.starts_with("T-"));
        let at = f
            .shapes
            .iter()
            .find_map(|s| s.midpoint())
            .expect("an anchor");
        let on = f.shapes.iter().flat_map(|s| s.paths()).any(|l| {
            l.0.windows(2).any(|w| {
                let (a, b) = (Mercator::from(w[0]), Mercator::from(w[1]));
                dist2_point_segment(Mercator::from(at.0), a, b) < 1e-6
            })
        });
        assert!(on, "{}: the anchor lies on the fence", f.id);
    }
    // The demo server's fence breaches name the terminal's sectors T-01..T-25.
    assert_eq!(terminal, 25);
}

#[test]
fn midpoint_is_halfway_along_a_line() {
    use calais_map::core::model::Shape;
    let line = geo::LineString::from(vec![(0.0, 0.0), (30.0, 0.0), (30.0, 10.0)]);
    let m = Shape::Line(line).midpoint().expect("a point");
    assert!((m.x() - 20.0).abs() < 1e-9 && m.y().abs() < 1e-9, "{m:?}");
    let empty = Shape::Line(geo::LineString::new(Vec::new()));
    assert_eq!(empty.midpoint(), None);
}
