//! Colours checked for colour-blind viewers (issue 15 item 5): the severity fills (map sprites,
//! list icons, legend), the zone outlines and the fences, simulated for protanopia,
//! deuteranopia and tritanopia (Machado et al. 2009, dichromacy: `core::colour_vision`), must
//! stay at least [`MIN_DELTA_E`] apart (CIEDE2000) from one another and from the map's sea and
//! land. Ten ΔE₀₀ is about ten just-noticeable differences: two marks of 14–19 CSS px on a dark
//! map are told apart at a glance, not only side by side (a ΔE₀₀ near 2 is what a trained eye
//! sees with both colours touching). Severity is also told by size and ring (sprites) and by its
//! digit (list); zone kinds by their dash pattern, so only zones drawn alike are compared.
#![cfg(not(target_arch = "wasm32"))]

use calais_map::core::colour_vision::{Deficiency, ciede2000, difference, parse_hex};
use calais_map::core::geofence::ZoneKind;
use calais_map::core::incident::Severity;
use calais_map::core::incident_layer::severity_rgb;
use calais_map::core::model::FenceKind;
use calais_map::web::render::style;

/// The least CIEDE2000 difference between colours that must be told apart.
const MIN_DELTA_E: f64 = 10.0;

/// Normal vision and the three dichromacies.
const VISIONS: [Option<Deficiency>; 4] = [
    None,
    Some(Deficiency::Protanopia),
    Some(Deficiency::Deuteranopia),
    Some(Deficiency::Tritanopia),
];

fn hex(css: &str) -> [u8; 3] {
    parse_hex(css).unwrap_or_else(|| panic!("not #rrggbb: {css}"))
}

fn severities() -> Vec<(u8, [u8; 3])> {
    (1..=5)
        .map(|s| (s, severity_rgb(Severity::new(s).expect("1..=5"))))
        .collect()
}

/// Every pair of `colours` (named) at least `min` apart for every vision; the smallest
/// difference found, printed for the README.
fn assert_apart(what: &str, colours: &[(String, [u8; 3])], min: f64) {
    for v in VISIONS {
        let mut least = (f64::MAX, String::new());
        for (i, (na, a)) in colours.iter().enumerate() {
            for (nb, b) in &colours[i + 1..] {
                let d = difference(*a, *b, v);
                assert!(
                    d >= min,
                    "{what}, {v:?}: {na} and {nb} are {d:.1} ΔE00 apart (< {min})"
                );
                if d < least.0 {
                    least = (d, format!("{na}/{nb}"));
                }
            }
        }
        println!("{what}, {v:?}: least {:.1} ΔE00 ({})", least.0, least.1);
    }
}

#[test]
fn ciede2000_matches_sharmas_test_pairs() {
    // Sharma, Wu & Dalal (2005), table 1: pairs 1, 7, 17, 25 and 34.
    for (p, q, expected) in [
        ([50.0, 2.6772, -79.7751], [50.0, 0.0, -82.7485], 2.0425),
        ([50.0, 0.0, 0.0], [50.0, -1.0, 2.0], 2.3669),
        ([50.0, 2.5, 0.0], [73.0, 25.0, -18.0], 27.1492),
        (
            [60.2574, -34.0099, 36.2677],
            [60.4626, -34.1751, 39.4387],
            1.2644,
        ),
        (
            [2.0776, 0.0795, -1.1350],
            [0.9033, -0.0636, -0.5514],
            0.9082,
        ),
    ] {
        let d = ciede2000(p, q);
        assert!(
            (d - expected).abs() < 1e-4,
            "{p:?} {q:?}: {d} (expected {expected})"
        );
    }
}

#[test]
fn the_simulation_keeps_grey_and_loses_red_green() {
    // Greys are seen alike by every vision; red and green nearly merge without L or M cones.
    for v in VISIONS {
        assert!(difference([128, 128, 128], [128, 128, 128], v) < 1e-9);
        let grey = calais_map::core::colour_vision::seen([128, 128, 128], v);
        assert!(
            (grey[0] - grey[1]).abs() < 0.01 && (grey[1] - grey[2]).abs() < 0.01,
            "{v:?}: {grey:?}"
        );
    }
    let (red, green) = ([220, 40, 40], [90, 160, 40]);
    assert!(difference(red, green, None) > 40.0);
    assert!(difference(red, green, Some(Deficiency::Deuteranopia)) < 20.0);
    assert!(difference(red, green, Some(Deficiency::Protanopia)) < 25.0);
}

#[test]
fn severity_levels_stay_apart_for_colour_blind_viewers() {
    let named: Vec<(String, [u8; 3])> = severities()
        .into_iter()
        .map(|(s, c)| (format!("severity {s}"), c))
        .collect();
    assert_apart("severity fills", &named, MIN_DELTA_E);
}

#[test]
fn severity_fills_stand_out_from_the_sea_and_the_land() {
    for v in VISIONS {
        for (ground, css) in [("sea", style::SEA), ("land", style::LAND)] {
            for (s, c) in severities() {
                let d = difference(c, hex(css), v);
                assert!(
                    d >= MIN_DELTA_E,
                    "{v:?}: severity {s} on the {ground}: {d:.1} ΔE00"
                );
            }
        }
    }
}

#[test]
fn zones_drawn_alike_and_fences_stay_apart() {
    // Zone kinds with the same dash pattern must differ by colour.
    let kinds: Vec<(ZoneKind, &str, &[f64])> = ZoneKind::ALL
        .into_iter()
        .map(|k| {
            let (outline, _, dash) = style::zone_style(k);
            (k, outline, dash)
        })
        .collect();
    for (i, (ka, a, da)) in kinds.iter().enumerate() {
        for (kb, b, db) in &kinds[i + 1..] {
            if da != db {
                continue;
            }
            for v in VISIONS {
                let d = difference(hex(a), hex(b), v);
                assert!(
                    d >= MIN_DELTA_E,
                    "{v:?}: zones {ka:?} and {kb:?} (same dashes): {d:.1} ΔE00"
                );
            }
        }
    }
    for (k, outline, _) in &kinds {
        for v in VISIONS {
            for ground in [style::SEA, style::LAND] {
                let d = difference(hex(outline), hex(ground), v);
                assert!(
                    d >= MIN_DELTA_E,
                    "{v:?}: zone {k:?} on {ground}: {d:.1} ΔE00"
                );
            }
        }
    }
    let fences: Vec<(String, [u8; 3])> = [
        FenceKind::Fence,
        FenceKind::Wall,
        FenceKind::Gate,
        FenceKind::Other,
    ]
    .into_iter()
    .map(|k| (format!("{k:?}"), hex(style::fence_style(k).0)))
    .collect();
    assert_apart("fences", &fences, MIN_DELTA_E);
}
