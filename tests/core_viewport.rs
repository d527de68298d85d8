//! Viewport maths (EPSG:3857 metres <-> CSS px), scale bar and scene projection.

use calais_map::core::projection::{MAX_MERCATOR_M, to_mercator};
use calais_map::core::scale_bar::scale_bar;
use calais_map::core::scene::{is_visible, project_path, project_point};
use calais_map::core::units::{LonLat, Mercator, Zoom};
use calais_map::core::viewport::{MercatorBounds, Viewport, region_bounds};

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

fn merc(lon: f64, lat: f64) -> Mercator {
    to_mercator(LonLat::new(lon, lat).expect("valid"))
}

fn calais_view(zoom: f64) -> Viewport {
    Viewport::new(
        merc(1.8650, 50.9660),
        Zoom::new(zoom).expect("zoom"),
        1280.0,
        800.0,
        2.0,
    )
}

#[test]
fn resolution_follows_the_256_px_convention() {
    let v = calais_view(12.0);
    // python: 2*pi*R / (256 * 2**12) = 38.218514 m/px; ground = * the WGS84 parallel scale
    // cos(50.966) / sqrt(1 - e2 sin2(50.966)) = 24.118070 (the sphere's cos alone: 24.069311)
    assert!(close(v.mercator_per_css_px(), 38.218_514, 1e-6));
    assert!(close(v.ground_metres_per_css_px(), 24.118_070, 1e-6));
    let v0 = Viewport::new(
        Mercator { x: 0.0, y: 0.0 },
        Zoom::new(2.0).expect("zoom"),
        1024.0,
        1024.0,
        1.0,
    );
    // At zoom 2 the world is exactly 1024 px wide.
    let vb = v0.visible_bounds();
    assert!(close(vb.min_x, -MAX_MERCATOR_M, 1e-6) && close(vb.max_x, MAX_MERCATOR_M, 1e-6));
}

#[test]
fn sanitised_sizes_and_device_pixels() {
    let v = Viewport::new(
        Mercator { x: 0.0, y: 0.0 },
        Zoom::clamped(5.0),
        f64::NAN,
        -3.0,
        0.0,
    );
    assert_eq!((v.width_css(), v.height_css(), v.dpr()), (1.0, 1.0, 1.0));
    assert_eq!((v.width_px(), v.height_px()), (1, 1));

    let v = calais_view(12.0).with_size(1001.0, 333.3, 1.5);
    assert_eq!(v.width_px(), 1502); // round(1501.5)
    assert_eq!(v.height_px(), 500); // round(499.95)
    assert_eq!(v.center(), calais_view(12.0).center());

    // Centre kept inside the world square.
    let v = calais_view(3.0).with_center(Mercator { x: 9e9, y: -9e9 });
    assert_eq!(
        v.center(),
        Mercator {
            x: MAX_MERCATOR_M,
            y: -MAX_MERCATOR_M
        }
    );
    let v = calais_view(3.0).with_center(Mercator {
        x: f64::NAN,
        y: 1.0,
    });
    assert_eq!(v.center(), Mercator { x: 0.0, y: 1.0 });
}

#[test]
fn world_screen_round_trip() {
    let v = calais_view(13.3);
    let centre = v.world_to_screen(v.center());
    assert!(close(centre.0, 640.0, 1e-9) && close(centre.1, 400.0, 1e-9));
    for (lon, lat) in [(1.8650, 50.9660), (1.8030, 50.9270), (1.3134, 51.1279)] {
        let m = merc(lon, lat);
        let (x, y) = v.world_to_screen(m);
        let back = v.screen_to_world(x, y);
        assert!(close(back.x, m.x, 1e-6) && close(back.y, m.y, 1e-6));
    }
    // North is up: Dover (north-west of Calais) is left of and above the centre.
    let (x, y) = v.world_to_screen(merc(1.3134, 51.1279));
    assert!(x < 640.0 && y < 400.0);

    let ll = v.lonlat_at(640.0, 400.0).expect("inside world");
    assert!(close(ll.lon, 1.8650, 1e-9) && close(ll.lat, 50.9660, 1e-9));
    let world = Viewport::new(
        Mercator { x: 0.0, y: 0.0 },
        Zoom::new(2.0).expect("zoom"),
        2000.0,
        2000.0,
        1.0,
    );
    assert!(
        world.lonlat_at(1.0, 1.0).is_none(),
        "outside the mercator square"
    );
    assert!(world.lonlat_at(f64::NAN, 1.0).is_none());
}

#[test]
fn zoom_keeps_the_anchor_fixed() {
    let v = calais_view(12.0);
    let (ax, ay) = (200.0, 650.0);
    let before = v.screen_to_world(ax, ay);
    for z in [2.0, 9.5, 12.0, 15.75, 20.0] {
        let z2 = v.zoomed_at(Zoom::new(z).expect("zoom"), ax, ay);
        let (x, y) = z2.world_to_screen(before);
        assert!(
            close(x, ax, 1e-6) && close(y, ay, 1e-6),
            "zoom {z}: {x},{y}"
        );
        assert_eq!(z2.zoom().get(), z);
    }
    let zb = v.zoomed_by(1.0, ax, ay);
    assert_eq!(zb.zoom().get(), 13.0);
    let (x, y) = zb.world_to_screen(before);
    assert!(close(x, ax, 1e-6) && close(y, ay, 1e-6));
    assert!(close(
        zb.mercator_per_css_px() * 2.0,
        v.mercator_per_css_px(),
        1e-9
    ));
    assert_eq!(v.zoomed_by(100.0, ax, ay).zoom().get(), Zoom::MAX);
    assert_eq!(v.zoomed_by(-100.0, ax, ay).zoom().get(), Zoom::MIN);
    assert_eq!(v.zoomed_by(f64::NAN, ax, ay), v);
}

#[test]
fn pan_moves_content_with_the_pointer() {
    let v = calais_view(14.0);
    let dover = merc(1.3134, 51.1279);
    let (x0, y0) = v.world_to_screen(dover);
    let p = v.panned_by(120.0, -45.0);
    let (x1, y1) = p.world_to_screen(dover);
    assert!(close(x1 - x0, 120.0, 1e-6) && close(y1 - y0, -45.0, 1e-6));
    // Dragging right moves the view west; dragging up moves it north... of the content.
    assert!(p.center().x < v.center().x && p.center().y < v.center().y);
    assert_eq!(v.panned_by(f64::NAN, f64::INFINITY), v);
}

#[test]
fn fit_region_at_full_hd() {
    let region = region_bounds();
    // python: region is 779 236.44 m x 548 034.13 m; fit zoom = 8.269109158
    assert!(close(region.width(), 779_236.435_55, 0.01));
    assert!(close(region.height(), 548_034.132_46, 0.01));
    let v = Viewport::fit(&region, 1920.0, 1080.0, 1.0, 0.0);
    assert!(
        close(v.zoom().get(), 8.269_109_158, 1e-6),
        "{}",
        v.zoom().get()
    );
    let vis = v.visible_bounds();
    let eps = 1e-6;
    assert!(vis.min_x <= region.min_x + eps && vis.max_x >= region.max_x - eps);
    assert!(vis.min_y <= region.min_y + eps && vis.max_y >= region.max_y - eps);
    // Height is the binding dimension: it fills exactly.
    assert!(close(vis.height(), region.height(), 1e-3));
    // With padding the zoom is a bit lower and the region still fits inside the padded area.
    let padded = Viewport::fit(&region, 1920.0, 1080.0, 2.0, 40.0);
    assert!(padded.zoom().get() < v.zoom().get() && padded.zoom().get() > 8.0);
    let (x0, y0) = padded.world_to_screen(Mercator {
        x: region.min_x,
        y: region.max_y,
    });
    assert!(x0 >= 40.0 - 1e-6 && y0 >= 40.0 - 1e-6);
    assert_eq!(padded.width_px(), 3840);

    // Degenerate inputs never panic.
    let pt = MercatorBounds {
        min_x: 1.0,
        min_y: 1.0,
        max_x: 1.0,
        max_y: 1.0,
    };
    assert_eq!(
        Viewport::fit(&pt, 100.0, 100.0, 1.0, 10.0).zoom().get(),
        Zoom::MAX
    );
    let e = Viewport::fit(&MercatorBounds::empty(), 100.0, 100.0, 1.0, 500.0);
    assert_eq!(e.zoom().get(), Zoom::MIN);
}

#[test]
fn bounds_operations() {
    let mut b = MercatorBounds::empty();
    assert!(b.is_empty());
    assert_eq!(b.width(), 0.0);
    b.extend(merc(1.8650, 50.9660));
    b.extend(Mercator {
        x: f64::NAN,
        y: 0.0,
    });
    assert!(!b.is_empty());
    b.extend(merc(1.3134, 51.1279));
    assert!(b.contains(merc(1.5, 51.0)));
    assert!(!b.contains(merc(1.9, 51.0)));
    let c = MercatorBounds::from_lonlat(1.79, 50.91, 1.82, 50.94).expect("valid");
    assert!(!b.intersects(&c));
    let u = b.union(&c);
    assert!(u.contains(merc(1.80, 50.92)) && u.contains(merc(1.3134, 51.1279)));
    assert!(u.intersects(&c) && u.intersects(&b));
    assert!(!u.intersects(&MercatorBounds::empty()));
    assert_eq!(MercatorBounds::empty().union(&c), c);
    assert!(MercatorBounds::from_lonlat(2.0, 50.0, 1.0, 51.0).is_none());
    assert!(MercatorBounds::from_lonlat(1.0, 50.0, 2.0, 95.0).is_none());
    let centre = c.center();
    assert!(close(centre.x, (c.min_x + c.max_x) / 2.0, 1e-9));
    assert!(region_bounds().contains(merc(1.8650, 50.9660)));
}

#[test]
fn transform_from_lines_up_old_bitmaps() {
    let old = calais_view(12.0);
    let news = [
        old.panned_by(37.0, -12.5),
        old.zoomed_by(0.7, 100.0, 700.0),
        old.zoomed_by(-1.3, 1200.0, 10.0).panned_by(-300.0, 80.0),
        old.with_size(900.0, 1200.0, 1.0),
    ];
    let pts = [
        merc(1.8650, 50.9660),
        merc(1.8030, 50.9270),
        merc(1.90, 50.99),
    ];
    for new in news {
        let t = new.transform_from(&old);
        for p in pts {
            let (ox, oy) = old.world_to_screen(p);
            let (nx, ny) = new.world_to_screen(p);
            let (mx, my) = t.apply(ox, oy);
            assert!(close(mx, nx, 1e-6) && close(my, ny, 1e-6), "{t:?}");
            assert!(close(t.scale * ox + t.tx, nx, 1e-6));
        }
    }
    let id = old.transform_from(&old);
    assert!(close(id.scale, 1.0, 1e-12) && close(id.tx, 0.0, 1e-9) && close(id.ty, 0.0, 1e-9));
    let zin = old.zoomed_by(1.0, 640.0, 400.0).transform_from(&old);
    assert!(close(zin.scale, 2.0, 1e-12));
}

#[test]
fn scale_bar_values() {
    // python (ground m/px at Calais latitude on WGS84, 120 px max); the widths are 0.2 % below
    // those of the mean sphere (64.916690 at zoom 5, ...), the lengths unchanged.
    let cases = [
        (5.0, 200_000.0, "200 km", 64.785_450),
        (8.0, 20_000.0, "20 km", 51.828_360),
        (10.0, 10_000.0, "10 km", 103.656_721),
        (12.0, 2_000.0, "2 km", 82.925_376),
        (14.0, 500.0, "500 m", 82.925_376),
        (16.0, 100.0, "100 m", 66.340_301),
        (18.0, 20.0, "20 m", 53.072_241),
    ];
    for (z, len, label, width) in cases {
        let v = calais_view(z);
        let sb = scale_bar(v.ground_metres_per_css_px(), 120.0).expect("scale bar");
        assert_eq!(sb.length_m, len, "zoom {z}");
        assert_eq!(sb.label, label);
        assert!(
            close(sb.width_css, width, 1e-5),
            "zoom {z}: {}",
            sb.width_css
        );
        assert!(sb.width_css <= 120.0);
    }
    // Exactly fitting lengths are accepted; 50 m and sub-metre labels.
    let sb = scale_bar(10.0, 100.0).expect("sb");
    assert_eq!(
        (sb.length_m, sb.label.as_str(), sb.width_css),
        (1000.0, "1 km", 100.0)
    );
    assert_eq!(
        scale_bar(0.5, 100.0).map(|s| s.label),
        Some("50 m".to_string())
    );
    assert_eq!(
        scale_bar(0.004, 100.0).map(|s| s.label),
        Some("0.2 m".to_string())
    );
    assert!(scale_bar(0.0, 100.0).is_none());
    assert!(scale_bar(f64::NAN, 100.0).is_none());
    assert!(scale_bar(10.0, -1.0).is_none());
}

#[test]
fn scene_projection_to_device_px() {
    let v = calais_view(15.0); // dpr 2
    let c = project_point(v.center(), &v);
    assert_eq!(c, [1280.0, 800.0]);
    let calais = merc(1.8650, 50.9660);
    let r = v.mercator_per_css_px();
    let east = Mercator {
        x: calais.x + 10.0 * r,
        y: calais.y - 5.0 * r,
    };
    let p = project_point(east, &v);
    assert!((p[0] - 1300.0).abs() < 1e-3 && (p[1] - 810.0).abs() < 1e-3);

    // A closed ring with a cluster of near points: simplified, still closed.
    let d = |dx: f64, dy: f64| Mercator {
        x: calais.x + dx * r,
        y: calais.y + dy * r,
    };
    let ring = [
        d(0.0, 0.0),
        d(0.2, 0.0),
        d(0.4, 0.1),
        d(50.0, 0.0),
        d(50.0, 50.0),
        d(0.0, 50.0),
        d(0.0, 0.0),
    ];
    let mut out = Vec::new();
    project_path(&ring, &v, 1.5, &mut out); // 1.5 device px = 0.75 CSS px
    assert_eq!(out.len(), 5, "{out:?}");
    assert_eq!(out.first(), out.last());
    let mut all = vec![[0.0f32, 0.0]];
    project_path(&ring, &v, f64::NAN, &mut all);
    assert_eq!(all.len(), 1 + ring.len(), "appends, keeps every point");
    // Last point kept even when close to the previous kept one.
    let mut out = Vec::new();
    project_path(
        &[d(0.0, 0.0), d(10.0, 0.0), d(10.1, 0.0)],
        &v,
        2.0,
        &mut out,
    );
    assert_eq!(out.len(), 3);
    let mut out = Vec::new();
    project_path::<Mercator>(&[], &v, 2.0, &mut out);
    assert!(out.is_empty());
}

#[test]
fn visibility_culling() {
    let v = calais_view(14.0);
    let dover = MercatorBounds::from_lonlat(1.30, 51.10, 1.35, 51.14).expect("valid");
    let calais = MercatorBounds::from_lonlat(1.86, 50.96, 1.87, 50.97).expect("valid");
    assert!(is_visible(&calais, &v, 0.0));
    assert!(!is_visible(&dover, &v, 0.0));
    assert!(!is_visible(&MercatorBounds::empty(), &v, 1e9));
    // Just outside the right edge becomes visible with a margin.
    let vb = v.visible_bounds();
    let r = v.mercator_per_css_px();
    let beyond = MercatorBounds {
        min_x: vb.max_x + 5.0 * r,
        min_y: v.center().y,
        max_x: vb.max_x + 6.0 * r,
        max_y: v.center().y,
    };
    assert!(!is_visible(&beyond, &v, 4.0));
    assert!(is_visible(&beyond, &v, 6.0));
}

#[test]
fn fly_from_calais_to_dover_eases_and_lands_exactly() {
    let from = calais_view(11.0);
    let dover = Viewport::new(
        merc(1.3300, 51.1200),
        Zoom::new(14.0).expect("zoom"),
        640.0,
        480.0,
        1.0,
    );
    let start = from.fly_step(&dover, 0.0);
    assert_eq!(start, from);
    let end = from.fly_step(&dover, 1.0);
    assert_eq!(end.center(), dover.center());
    assert_eq!(end.zoom(), dover.zoom());
    // Size and dpr stay the flying view's own.
    assert_eq!((end.width_css(), end.dpr()), (1280.0, 2.0));
    // Halfway (eased symmetric): half the zoom change and half the distance.
    let mid = from.fly_step(&dover, 0.5);
    assert!(close(mid.zoom().get(), 12.5, 1e-9));
    assert!(close(
        mid.center().x,
        (from.center().x + dover.center().x) / 2.0,
        1e-6
    ));
    // Eased: a quarter of the time covers less than a quarter of the way.
    let q = from.fly_step(&dover, 0.25);
    let frac = (q.center().x - from.center().x) / (dover.center().x - from.center().x);
    assert!(frac > 0.0 && frac < 0.25, "{frac}");
    // Out-of-range and NaN fractions are clamped.
    assert_eq!(from.fly_step(&dover, 7.0).center(), dover.center());
    assert_eq!(from.fly_step(&dover, f64::NAN).zoom(), dover.zoom());
    assert_eq!(from.fly_step(&dover, -1.0), from);
}
