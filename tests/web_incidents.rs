//! Incident panels in headless Chromium: mount, act (feed events through the same path as
//! the live stream), tick, assert on the DOM.
//!
//! Positions are degrees WGS84 around Calais and Coquelles; the feed is not started (no
//! network): events go in through `Incidents::receive`, exactly as the EventSource listener
//! hands them over.
#![cfg(target_arch = "wasm32")]

use calais_map::web::feed_strip::IncidentStrip;
use calais_map::web::incident_ui::{IncidentCard, IncidentPanel};
use calais_map::web::state::AppState;
use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement};

mod common;
use common::{mount_with, until};

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts the incident strip, list and card with a fresh `AppState`, list unfolded.
fn mount() -> (Element, AppState) {
    let (container, state) = mount_with(|| {
        view! {
            <div>
                <IncidentStrip />
                <IncidentPanel />
                <IncidentCard />
            </div>
        }
    });
    // The list starts folded in a narrow window (the test browser's may be): unfold it.
    let toggle = container
        .query_selector("[data-testid=incident-panel-toggle]")
        .unwrap()
        .expect("panel toggle");
    if toggle.get_attribute("aria-expanded").as_deref() == Some("false") {
        toggle.unchecked_ref::<HtmlElement>().click();
    }
    (container, state)
}

fn attr(root: &Element, selector: &str, name: &str) -> Option<String> {
    root.query_selector(selector).ok()??.get_attribute(name)
}

fn count(root: &Element, selector: &str) -> u32 {
    root.query_selector_all(selector).map_or(0, |l| l.length())
}

fn event(
    id: &str,
    kind: &str,
    sev: u8,
    status: &str,
    (lon, lat): (f64, f64),
    minute: u32,
    desc: &str,
) -> String {
    let desc = serde_json::to_string(desc).unwrap();
    format!(
        r#"{{"type":"Feature","id":"{id}","geometry":{{"type":"Point","coordinates":[{lon},{lat}]}},
        "properties":{{"kind":"{kind}","severity":{sev},"status":"{status}",
        "reported_at":"2026-11-25T09:00:00Z","updated_at":"2026-11-25T09:{minute:02}:00Z",
        "description":{desc},"source":"cam-T-07"}}}}"#
    )
}

const XSS: &str = "<img src=x onerror=window.__xss=1>";

#[wasm_bindgen_test]
async fn counters_list_and_diagnostics_follow_the_events() {
    let (root, state) = mount();
    let feed = state.incidents;
    feed.receive(
        &event(
            "b1",
            "small_boat",
            4,
            "open",
            (1.74, 50.95),
            1,
            "Boat off Sangatte",
        ),
        "101",
    );
    feed.receive(
        &event(
            "f1",
            "fence_breach",
            5,
            "open",
            (1.81, 50.93),
            2,
            "Cut in the fence",
        ),
        "102",
    );
    feed.receive(
        &event(
            "f2",
            "fence_breach",
            2,
            "closed",
            (1.812, 50.931),
            3,
            "Closed",
        ),
        "103",
    );
    feed.receive("not json at all", "104");
    feed.receive(
        r#"{"type":"Feature","geometry":null,"properties":{}}"#,
        "105",
    );
    until("two open fence/boat counts", || {
        attr(
            &root,
            "[data-testid=incident-count-small_boat]",
            "data-count",
        )
        .as_deref()
            == Some("1")
            && attr(
                &root,
                "[data-testid=incident-count-fence_breach]",
                "data-count",
            )
            .as_deref()
                == Some("1")
    })
    .await;
    assert_eq!(
        attr(&root, "[data-testid=incident-total]", "data-count").as_deref(),
        Some("3")
    );
    assert_eq!(count(&root, "[data-testid=incident-row]"), 3);
    // Newest first.
    assert_eq!(
        attr(&root, "[data-testid=incident-row]", "data-incident-id").as_deref(),
        Some("f2")
    );
    until("diagnostics", || {
        attr(&root, "[data-testid=feed-diagnostics]", "data-rejected").as_deref() == Some("2")
    })
    .await;
    let last = root
        .query_selector("[data-testid=feed-last-error]")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap_or_default();
    assert!(
        last.contains("no id") || last.contains("geometry"),
        "{last}"
    );

    // A replayed (same seq) or older update changes nothing; a newer one closes the boat.
    feed.receive(
        &event("b1", "small_boat", 4, "closed", (1.70, 50.97), 0, "older"),
        "106",
    );
    feed.receive(
        &event(
            "b1",
            "small_boat",
            4,
            "closed",
            (1.70, 50.97),
            9,
            "Intercepted",
        ),
        "107",
    );
    until("boat closed", || {
        attr(
            &root,
            "[data-testid=incident-count-small_boat]",
            "data-count",
        )
        .as_deref()
            == Some("0")
    })
    .await;
    assert_eq!(
        attr(&root, "[data-testid=incident-total]", "data-count").as_deref(),
        Some("3")
    );

    // Unticking "fence breach" hides both fence rows.
    let boxed = root
        .query_selector("[data-testid=incident-filter-kind-fence_breach]")
        .unwrap()
        .unwrap()
        .unchecked_into::<HtmlInputElement>();
    boxed.click();
    until("fence rows hidden", || {
        count(&root, "[data-testid=incident-row]") == 1
    })
    .await;
    assert_eq!(
        attr(&root, "[data-testid=incident-total]", "data-count").as_deref(),
        Some("1")
    );
}

#[wasm_bindgen_test]
async fn incident_card_shows_markup_as_text() {
    let (root, state) = mount();
    let feed = state.incidents;
    feed.receive(
        &event("x1", "other", 3, "open", (1.86, 50.965), 5, XSS),
        "201",
    );
    until("row", || count(&root, "[data-testid=incident-row]") == 1).await;
    let row = root
        .query_selector("[data-testid=incident-row]")
        .unwrap()
        .unwrap()
        .unchecked_into::<HtmlElement>();
    assert!(row.text_content().unwrap_or_default().contains(XSS));
    row.click();
    until("card", || count(&root, "[data-testid=info-card]") == 1).await;
    assert_eq!(
        attr(&root, "[data-testid=info-card]", "data-incident-id").as_deref(),
        Some("x1")
    );
    let card = root
        .query_selector("[data-testid=info-card]")
        .unwrap()
        .unwrap();
    assert!(card.text_content().unwrap_or_default().contains(XSS));
    assert_eq!(count(&root, "img"), 0);
    TimeoutFuture::new(50).await;
    let flag = js_sys::Reflect::get(&web_sys::window().unwrap(), &"__xss".into()).unwrap();
    assert!(flag.is_undefined());
    // Close.
    root.query_selector("[data-testid=info-card-close]")
        .unwrap()
        .unwrap()
        .unchecked_into::<HtmlElement>()
        .click();
    until("card closed", || {
        count(&root, "[data-testid=info-card]") == 0
    })
    .await;
}
