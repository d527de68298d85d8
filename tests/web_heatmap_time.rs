//! Component tests of the heatmap's playback bar and comparison panel in headless Chromium:
//! mount, act, tick, assert. The history's columns are filled directly (reports round Calais in
//! the first week, round Dunkirk in the second), its span set as a load would set it.
#![cfg(target_arch = "wasm32")]

use calais_map::core::heatmap::displacement::Window;
use calais_map::core::heatmap::history::Report;
use calais_map::core::incident::{IncidentKind, Severity, Status};
use calais_map::core::projection::to_mercator;
use calais_map::core::units::LonLat;
use calais_map::web::compare_ui::ComparePanel;
use calais_map::web::displacement::Comparison;
use calais_map::web::playback_ui::PlaybackBar;
use calais_map::web::state::AppState;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

mod common;
use common::{mount_with, until};

wasm_bindgen_test_configure!(run_in_browser);

const DAY: i64 = 86_400_000;
/// The history's end (a round hour in 2026).
const END: i64 = 1_796_000_400_000;

fn mount() -> (Element, AppState) {
    mount_with(|| view! { <PlaybackBar /> <ComparePanel /> })
}

/// 14 days of reports, one an hour: round Calais the first week, Dunkirk the second (a small
/// fixed scatter), and the span loaded.
fn fill(state: AppState) {
    let shared = state.history.shared().unwrap();
    let mut h = shared.borrow_mut();
    for k in 0..14 * 24 {
        let t = END - 14 * DAY + k * 3_600_000;
        let (lon, lat) = if t < END - 7 * DAY {
            (1.85, 50.96)
        } else {
            (2.37, 51.04)
        };
        let jitter = ((k % 7) as f64 - 3.0) * 0.002;
        let at = to_mercator(LonLat::new(lon + jitter, lat - jitter).unwrap());
        h.insert(
            &format!("r{k}"),
            Report {
                reported_ms: t,
                at,
                kind: IncidentKind::SmallBoat,
                severity: Severity::new(3).unwrap(),
                status: Status::Closed,
            },
        );
    }
    drop(h);
    state.history.revision.update(|r| *r += 1);
    state.history.span.set(Some(Window {
        from_ms: END - 14 * DAY,
        to_ms: END,
    }));
    state.incidents.clock.set(END);
    state.heatmap.update(|h| h.enabled = true);
}

fn attr(root: &Element, testid: &str, name: &str) -> Option<String> {
    root.query_selector(&format!("[data-testid=\"{testid}\"]"))
        .unwrap()?
        .get_attribute(name)
}

fn click(root: &Element, testid: &str) {
    root.query_selector(&format!("[data-testid=\"{testid}\"]"))
        .unwrap()
        .unwrap()
        .unchecked_into::<HtmlElement>()
        .click();
}

#[wasm_bindgen_test]
async fn steps_move_the_cursor_by_the_speed_and_live_returns() {
    let (root, state) = mount();
    fill(state);
    until("the bar is shown, live", || {
        attr(&root, "heatmap-playback", "hidden").is_none()
            && attr(&root, "heatmap-playback", "data-live").as_deref() == Some("true")
    })
    .await;
    let live: i64 = attr(&root, "heatmap-playback", "data-t-ms")
        .unwrap()
        .parse()
        .unwrap();
    click(&root, "playback-step-back");
    click(&root, "playback-step-back");
    until("two days back", || {
        attr(&root, "heatmap-playback", "data-t-ms").and_then(|t| t.parse::<i64>().ok())
            == Some(live - 2 * DAY)
    })
    .await;
    assert_eq!(
        attr(&root, "heatmap-playback", "data-live").as_deref(),
        Some("false")
    );
    let p = state.playback.get_untracked().unwrap();
    assert_eq!(p.window().from_ms, live - 3 * DAY, "a sliding 24 h window");
    click(&root, "playback-live");
    until("live again", || state.playback.get_untracked().is_none()).await;
}

#[wasm_bindgen_test]
async fn the_comparison_summarises_the_shift_and_closes() {
    let (root, state) = mount();
    fill(state);
    state.open_compare(Comparison {
        a: Window {
            from_ms: END - 14 * DAY,
            to_ms: END - 7 * DAY,
        },
        b: Window {
            from_ms: END - 7 * DAY,
            to_ms: END,
        },
    });
    until("the summary has a shift", || {
        attr(&root, "displacement-summary", "data-shift-km").is_some()
    })
    .await;
    let km: f64 = attr(&root, "displacement-summary", "data-shift-km")
        .unwrap()
        .parse()
        .unwrap();
    let bearing: f64 = attr(&root, "displacement-summary", "data-bearing-deg")
        .unwrap()
        .parse()
        .unwrap();
    // Calais → Dunkirk on WGS84: 37.5 km at 76° (the jitter is symmetric, so it cancels).
    assert!((km - 37.5).abs() < 0.5, "{km}");
    assert!((bearing - 76.0).abs() < 1.5, "{bearing}");
    assert_eq!(
        attr(&root, "displacement-summary", "data-count-a").as_deref(),
        Some("168")
    );
    assert!(
        attr(&root, "heatmap-playback", "hidden").is_some(),
        "the bar gives way to the panel"
    );
    click(&root, "compare-close");
    until("closed", || state.compare.get_untracked().is_none()).await;
    until("the panel hides", || {
        attr(&root, "compare-panel", "hidden").is_some()
    })
    .await;
}
