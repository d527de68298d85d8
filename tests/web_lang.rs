//! The language switch in headless Chromium (issue 14, item 4): the whole app mounted, the
//! operator's settings made through the UI, a switch to French and back, each time: the texts
//! changed, the settings kept, the map canvas the same element, the choice remembered. And
//! London and Paris time (the browser's `Intl`) across the March and October clock changes.
#![cfg(target_arch = "wasm32")]

use calais_map::web::env::{WALL_CLOCKS, local_storage, zone_clock};
use calais_map::web::lang_switch::LANG_KEY;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement};

mod common;
use common::{document, until};

wasm_bindgen_test_configure!(run_in_browser);

fn one(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
}

fn text(root: &Element, selector: &str) -> String {
    root.query_selector(selector)
        .unwrap()
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

fn click(root: &Element, selector: &str) {
    one(root, selector).unchecked_into::<HtmlElement>().click();
}

#[wasm_bindgen_test]
async fn the_switch_changes_the_texts_and_keeps_what_the_operator_set() {
    if let Ok(s) = local_storage() {
        let _ = s.remove_item(LANG_KEY);
    }
    let container = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&container).unwrap();
    let handle = leptos::mount::mount_to(
        container.clone().unchecked_into::<HtmlElement>(),
        calais_map::web::App,
    );
    std::mem::forget(handle);
    let root = container.clone();
    until("the layer panel", || {
        root.query_selector("[data-testid=layer-toggle-ports]")
            .unwrap()
            .is_some()
    })
    .await;
    assert_eq!(
        one(&root, "[data-testid=lang-switch]").get_attribute("data-lang"),
        Some("en".into())
    );
    let heading = text(&root, "[data-testid=layer-panel] h2");
    assert_eq!(heading.trim(), "Layers");
    let canvas = one(&root, "[data-testid=map-canvas]");

    // The operator's settings: a layer hidden, a severity filter, the incident list folded.
    click(&root, "[data-testid=layer-toggle-ports]");
    let folded = |root: &Element| {
        one(root, "[data-testid=incident-panel-toggle]").get_attribute("aria-expanded")
    };
    if folded(&root) == Some("false".into()) {
        click(&root, "[data-testid=incident-panel-toggle]");
        until("the list open", || folded(&root) == Some("true".into())).await;
    }
    let sev =
        one(&root, "[data-testid=incident-filter-severity]").unchecked_into::<HtmlSelectElement>();
    sev.set_value("3");
    sev.dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    click(&root, "[data-testid=incident-panel-toggle]");
    until("the list folded", || folded(&root) == Some("false".into())).await;

    click(&root, "[data-testid=lang-fr]");
    until("the French texts", || {
        text(&root, "[data-testid=layer-panel] h2").trim() == "Couches"
    })
    .await;
    assert_eq!(
        one(&root, "[data-testid=lang-switch]").get_attribute("data-lang"),
        Some("fr".into())
    );
    assert_eq!(
        one(&root, "[data-testid=zoom-in]").get_attribute("title"),
        Some("Zoom avant (+)".into())
    );
    assert!(
        text(&root, "[data-testid=status-clocks]").contains("Londres"),
        "{}",
        text(&root, "[data-testid=status-clocks]")
    );
    assert_eq!(
        one(&root, "[data-testid=lang-fr]").get_attribute("aria-pressed"),
        Some("true".into())
    );
    let html_lang = document().document_element().unwrap().get_attribute("lang");
    assert_eq!(html_lang, Some("fr".into()));
    assert_eq!(
        local_storage().unwrap().get_item(LANG_KEY).unwrap(),
        Some("fr".into())
    );
    // What the operator set is kept, and the map canvas is the same element.
    let ports = one(&root, "[data-testid=layer-toggle-ports]").unchecked_into::<HtmlInputElement>();
    assert!(!ports.checked(), "the hidden layer stays hidden");
    assert_eq!(folded(&root), Some("false".into()), "the list stays folded");
    assert!(
        one(&root, "[data-testid=map-canvas]").is_same_node(Some(&canvas)),
        "the map canvas is not rebuilt"
    );
    click(&root, "[data-testid=incident-panel-toggle]");
    until("the list open", || folded(&root) == Some("true".into())).await;
    let sev =
        one(&root, "[data-testid=incident-filter-severity]").unchecked_into::<HtmlSelectElement>();
    assert_eq!(sev.value(), "3", "the severity filter is kept");

    // And back to English.
    click(&root, "[data-testid=lang-en]");
    until("the English texts", || {
        text(&root, "[data-testid=layer-panel] h2").trim() == "Layers"
    })
    .await;
    assert_eq!(
        local_storage().unwrap().get_item(LANG_KEY).unwrap(),
        Some("en".into())
    );
    let _ = local_storage().unwrap().remove_item(LANG_KEY);
}

/// Ms since the Unix epoch of a UTC date and time.
fn utc_ms(y: u32, mo: u32, d: u32, h: u32, mi: u32) -> f64 {
    js_sys::Date::utc(y as f64, (mo - 1) as f64)
        + ((d as f64 - 1.0) * 24.0 + h as f64) * 3_600_000.0
        + mi as f64 * 60_000.0
}

fn minutes(hm: &str) -> i32 {
    let (h, m) = hm.split_once(':').expect("HH:MM");
    h.parse::<i32>().unwrap() * 60 + m.parse::<i32>().unwrap()
}

#[wasm_bindgen_test]
fn london_and_paris_differ_by_an_hour_across_the_clock_changes() {
    let [(_, london), (_, paris)] = WALL_CLOCKS;
    // Both change at 01:00 UTC on the last Sunday of March and of October (2026: 29 March,
    // 25 October): before, at and after each change, Paris is London plus one hour.
    let cases = [
        (utc_ms(2026, 3, 29, 0, 59), "00:59", "01:59"),
        (utc_ms(2026, 3, 29, 1, 0), "02:00", "03:00"),
        (utc_ms(2026, 3, 29, 1, 30), "02:30", "03:30"),
        (utc_ms(2026, 10, 25, 0, 59), "01:59", "02:59"),
        (utc_ms(2026, 10, 25, 1, 0), "01:00", "02:00"),
        (utc_ms(2026, 10, 25, 12, 0), "12:00", "13:00"),
        (utc_ms(2026, 1, 15, 23, 30), "23:30", "00:30"),
    ];
    for (ms, l, p) in cases {
        let (lt, pt) = (
            zone_clock(ms, london).unwrap(),
            zone_clock(ms, paris).unwrap(),
        );
        assert_eq!((lt.as_str(), pt.as_str()), (l, p), "at {ms}");
        assert_eq!((minutes(&pt) - minutes(&lt)).rem_euclid(24 * 60), 60);
    }
}
