//! The map's palette read at a glance (issue 14 item 8): the WCAG 2 contrast ratio of the sea
//! and land fills computed from `render::style`'s values (at least 3:1, the non-text contrast
//! of WCAG 2.1 SC 1.4.11), and of what sits on them: label text on the land, the coastline on
//! the sea, cameras and port icons on the land, each fence and zone colour on its dark casing.
#![cfg(not(target_arch = "wasm32"))]

use calais_map::core::model::FenceKind;
use calais_map::web::render::style;

/// `#rrggbb` or `rgba(r,g,b,a)` (alpha ignored: the casings and halos are near opaque) to
/// sRGB channels 0..=255.
fn rgb(css: &str) -> [u8; 3] {
    if let Some(hex) = css.strip_prefix('#') {
        let ch = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex colour");
        return [ch(0), ch(2), ch(4)];
    }
    let inner = css
        .strip_prefix("rgba(")
        .and_then(|s| s.strip_suffix(')'))
        .expect("#rrggbb or rgba()");
    let v: Vec<u8> = inner
        .split(',')
        .take(3)
        .map(|s| s.trim().parse().expect("channel"))
        .collect();
    [v[0], v[1], v[2]]
}

/// WCAG 2 relative luminance.
fn luminance(css: &str) -> f64 {
    let lin = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let [r, g, b] = rgb(css);
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

/// WCAG 2 contrast ratio, 1..=21.
fn contrast(a: &str, b: &str) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[test]
fn contrast_formula_matches_wcag_reference_values() {
    assert!((contrast("#000000", "#ffffff") - 21.0).abs() < 1e-9);
    assert!((contrast("#777777", "#ffffff") - 4.48).abs() < 0.01);
    assert!(
        (contrast("#0a1624", "#1f2a36") - 1.25).abs() < 0.01,
        "the old fills"
    );
}

#[test]
fn land_and_sea_fills_contrast_at_least_three_to_one_on_a_dark_map() {
    let ratio = contrast(style::SEA, style::LAND);
    assert!(
        ratio >= 3.0,
        "sea {} / land {}: {ratio:.2}:1",
        style::SEA,
        style::LAND
    );
    // Still a dark map: the land is darker than mid-grey, the sea near black.
    assert!(luminance(style::LAND) < 0.18, "land {}", style::LAND);
    assert!(luminance(style::SEA) < 0.01, "sea {}", style::SEA);
}

#[test]
fn what_sits_on_land_and_sea_still_reads() {
    assert!(
        contrast(style::LABEL, style::LAND) >= 4.5,
        "label text on land"
    );
    assert!(
        contrast(style::LABEL, style::LABEL_HALO) >= 4.5,
        "label text on its halo"
    );
    assert!(
        contrast(style::COAST, style::SEA) >= 3.0,
        "coastline on sea"
    );
    assert!(
        contrast(style::CAMERA, style::LAND) >= 3.0,
        "cameras on land"
    );
    assert!(contrast(style::CAMERA, style::SEA) >= 3.0, "cameras on sea");
    for kind in [
        FenceKind::Fence,
        FenceKind::Wall,
        FenceKind::Gate,
        FenceKind::Other,
    ] {
        let (colour, _, _) = style::fence_style(kind);
        let on_casing = contrast(colour, style::LABEL_HALO);
        assert!(
            on_casing >= 3.0,
            "{kind:?} {colour} on its casing: {on_casing:.2}"
        );
    }
    use calais_map::core::geofence::ZoneKind;
    for kind in [
        ZoneKind::Restricted,
        ZoneKind::Watch,
        ZoneKind::Approach,
        ZoneKind::Other,
    ] {
        let (colour, _, _) = style::zone_style(kind);
        let on_casing = contrast(colour, style::LABEL_HALO);
        assert!(
            on_casing >= 3.0,
            "zone {kind:?} {colour} on its casing: {on_casing:.2}"
        );
    }
    use calais_map::core::model::PortKind;
    for kind in [
        PortKind::FerryPort,
        PortKind::RailTerminal,
        PortKind::TunnelPortal,
        PortKind::Harbour,
        PortKind::Other,
    ] {
        let (colour, _) = style::port_style(kind);
        assert!(
            contrast(colour, style::LAND) >= 3.0,
            "port icon {kind:?} {colour} on land"
        );
    }
}
