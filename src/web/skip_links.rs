//! Skip links (issue 15, item 5): the first tab stops of the page, hidden until focused, that
//! take the keyboard focus straight to the map, the zone alerts, the incident list or the zones.
//!
//! No units. Each link names its places in order of preference (test ids); the first that is
//! in the page and shown gets the focus (made focusable with `tabindex="-1"` if it is not
//! already): the list's current row before the list's panel, and on a tablet the sheet's tab
//! when the sheet is closed. A link with no place shown does nothing. Test ids: `skip-links`,
//! `skip-map`, `skip-alerts`, `skip-incidents`, `skip-zones`.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

use crate::state::use_app;
use crate::strings::T;

/// The links: test id, text, the places they go to (CSS selectors, in order of preference).
const LINKS: [(&str, T, &[&str]); 4] = [
    ("skip-map", T::SkipToMap, &["[data-testid=map-canvas]"]),
    (
        "skip-alerts",
        T::SkipToAlerts,
        &[
            "[data-testid=alert-list] [tabindex='0']",
            "[data-testid=alert-ticker]",
        ],
    ),
    (
        "skip-incidents",
        T::SkipToIncidents,
        &[
            "[data-testid=incident-list] [tabindex='0']",
            "[data-testid=incident-panel]",
            "[data-testid=sheet-tab-incidents]",
        ],
    ),
    (
        "skip-zones",
        T::SkipToZones,
        &[
            "[data-testid=zone-list] [tabindex='0']",
            "[data-testid=zone-panel]",
            "[data-testid=sheet-tab-layers]",
        ],
    ),
];

/// Focuses the first of `places` that is in the page and shown; false if none is.
fn focus_first(places: &[&str]) -> bool {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return false;
    };
    for sel in places {
        let Some(el) = doc
            .query_selector(sel)
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<HtmlElement>().ok())
        else {
            continue;
        };
        let r = el.get_bounding_client_rect();
        if r.width() <= 0.0 || r.height() <= 0.0 {
            continue;
        }
        if el.get_attribute("tabindex").is_none() && el.tab_index() < 0 {
            let _ = el.set_attribute("tabindex", "-1");
        }
        if el.focus().is_ok() {
            return true;
        }
    }
    false
}

/// The skip links, first in the page.
#[component]
pub fn SkipLinks() -> impl IntoView {
    let state = use_app();
    let lang = move || state.lang.get();
    view! {
        <nav class="skip-links" data-testid="skip-links" aria-label=move || T::SkipLinks.get(lang())>
            {LINKS
                .into_iter()
                .map(|(testid, text, places)| {
                    view! {
                        <a
                            href="#"
                            data-testid=testid
                            on:click=move |ev| {
                                ev.prevent_default();
                                focus_first(places);
                            }
                        >
                            {move || text.get(lang())}
                        </a>
                    }
                })
                .collect::<Vec<_>>()}
        </nav>
    }
}
