//! The tablet layout's geometry (`core::layout`): the visible part of the map and the sheet's
//! snap heights. CSS px.

use calais_map::core::layout::{Rect, SheetHeight, free_rect};

fn r(x: f64, y: f64, w: f64, h: f64) -> Rect {
    Rect::new(x, y, w, h).expect("valid rect")
}

#[test]
fn the_free_rect_is_the_map_above_a_bottom_sheet() {
    let map = r(0.0, 0.0, 768.0, 1024.0);
    // A sheet over the bottom 500 px and a tab bar: the map above them.
    let free = free_rect(
        map,
        &[r(0.0, 524.0, 768.0, 500.0), r(0.0, 968.0, 768.0, 56.0)],
    );
    assert_eq!(free, r(0.0, 0.0, 768.0, 524.0));
    assert_eq!(free.centre(), (384.0, 262.0));
}

#[test]
fn the_free_rect_goes_round_corner_panels() {
    let map = r(0.0, 0.0, 1024.0, 768.0);
    // A feed strip top-left (300 × 120), zoom buttons top-right (60 × 160), a tab bar.
    let panels = [
        r(10.0, 10.0, 300.0, 120.0),
        r(964.0, 10.0, 60.0, 160.0),
        r(0.0, 712.0, 1024.0, 56.0),
    ];
    let free = free_rect(map, &panels);
    assert!(panels.iter().all(|p| !p.overlaps(&free)), "{free:?}");
    // The largest: below the strip and left of the zoom buttons (964 × 582 = 561,048 px²
    // beats the whole width below both, 1024 × 542 = 555,008 px²).
    assert_eq!(free, r(0.0, 130.0, 964.0, 582.0));
    // Boxes outside the map are ignored; no box: the whole map.
    assert_eq!(free_rect(map, &[r(2000.0, 0.0, 10.0, 10.0)]), map);
}

#[test]
fn a_covered_map_has_an_empty_free_rect_at_its_centre() {
    let map = r(0.0, 0.0, 100.0, 50.0);
    let free = free_rect(map, &[r(-10.0, -10.0, 200.0, 200.0)]);
    assert_eq!(free.area(), 0.0);
    assert_eq!(free.centre(), (50.0, 25.0));
    assert!(Rect::new(f64::NAN, 0.0, 1.0, 1.0).is_none());
    assert!(Rect::new(0.0, 0.0, -1.0, 1.0).is_none());
}

#[test]
fn a_sheet_snaps_to_the_nearest_height() {
    assert_eq!(SheetHeight::Half.snap(0.05), SheetHeight::Collapsed);
    assert_eq!(SheetHeight::Collapsed.snap(0.5), SheetHeight::Half);
    assert_eq!(SheetHeight::Half.snap(0.8), SheetHeight::Full);
    assert_eq!(SheetHeight::Full.snap(f64::NAN), SheetHeight::Full);
    assert_eq!(SheetHeight::Half.toggled(), SheetHeight::Full);
    assert_eq!(SheetHeight::Full.toggled(), SheetHeight::Half);
    assert_eq!(SheetHeight::Collapsed.toggled(), SheetHeight::Half);
    assert_eq!(SheetHeight::Full.key(), "full");
}
