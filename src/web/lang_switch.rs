//! The operator's language (issue 14, item 4): which one the app starts in, the EN/FR switch
//! that changes it without a reload, and the device's memory of the choice.
//!
//! At start an explicit `?lang=` wins, then the language this device remembers
//! (`localStorage` key [`LANG_KEY`]), then English (`Lang::choose`). The switch sets
//! `AppState::lang`; the app rebuilds its panels under a closure keyed on it (`lib.rs`; the map
//! canvas is not rebuilt, and what the operator set lives in the app state, which the panels
//! read again). A switch is remembered on this device and, when the page's address names a
//! `?lang=`, written into the address too (`history.replaceState`), so a reload keeps it. A
//! browser that refuses storage still switches: the choice then lasts as long as the page. The
//! panic message is worded in the language shown ([`shown`], a copy outside the reactive state).
//!
//! Test ids: `lang-switch` (with `data-lang`, the current language's key), its buttons
//! `lang-en` and `lang-fr` (`aria-pressed`). No units.

use std::sync::atomic::{AtomicU8, Ordering};

use leptos::prelude::*;

use crate::env::{local_storage, query_param};
use crate::state::use_app;
use crate::strings::{Lang, T};

/// The `localStorage` key of the remembered language ("en" or "fr").
pub const LANG_KEY: &str = "calais.lang";

/// The language shown now, for the panic message (after a panic the reactive state is not
/// trusted): 0 until the app has set it, then 1 English, 2 French.
static SHOWN: AtomicU8 = AtomicU8::new(0);

/// The language the page shows now (the one it starts in until the app has set it).
pub fn shown() -> Lang {
    match SHOWN.load(Ordering::Relaxed) {
        1 => Lang::En,
        2 => Lang::Fr,
        _ => start_lang(),
    }
}

/// The language the app starts in: `?lang=`, else the remembered one, else English.
pub fn start_lang() -> Lang {
    let stored = local_storage()
        .ok()
        .and_then(|s| s.get_item(LANG_KEY).ok().flatten());
    Lang::choose(query_param("lang").as_deref(), stored.as_deref())
}

/// Remembers `lang` on this device and, if the address names a `?lang=`, writes it there.
fn remember(lang: Lang) {
    if let Ok(s) = local_storage() {
        let _ = s.set_item(LANG_KEY, lang.key());
    }
    let Some(w) = web_sys::window() else { return };
    if query_param("lang").is_none() {
        return;
    }
    let Ok(url) = w.location().href().and_then(|h| web_sys::Url::new(&h)) else {
        return;
    };
    url.search_params().set("lang", lang.key());
    if let Ok(h) = w.history() {
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url.href()));
    }
}

/// Sets the language of the app (and of the document: `<html lang>`) and remembers it.
pub fn switch_to(lang: Lang) {
    let state = use_app();
    remember(lang);
    state.lang.set(lang);
}

/// Keeps the document's `lang` attribute (`<html lang>`), and [`shown`], on the app's language.
pub fn follow_document(lang: ReadSignal<Lang>) {
    Effect::new(move |_| {
        let lang = lang.get();
        SHOWN.store(if lang == Lang::Fr { 2 } else { 1 }, Ordering::Relaxed);
        let key = lang.key();
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("lang", key);
        }
    });
}

/// The EN/FR switch: one button per language, written in its own language (`lang` on each).
#[component]
pub fn LangSwitch() -> impl IntoView {
    let state = use_app();
    let current = move || state.lang.get();
    let button = move |l: Lang| {
        let (label, testid) = match l {
            Lang::En => (T::LangEnglish, "lang-en"),
            Lang::Fr => (T::LangFrench, "lang-fr"),
        };
        view! {
            <button
                data-testid=testid
                lang=l.key()
                title=move || label.get(current())
                aria-pressed=move || if current() == l { "true" } else { "false" }
                on:click=move |_| switch_to(l)
            >
                // The name read out contains the text shown ("EN English"): an `aria-label`
                // without the "EN" on the button fails WCAG's label-in-name (axe-core).
                {l.key().to_ascii_uppercase()}
                <span class="visually-hidden">{move || label.get(current())}</span>
            </button>
        }
    };
    view! {
        <div
            class="lang-switch"
            role="group"
            data-testid="lang-switch"
            data-lang=move || current().key()
            aria-label=move || T::LangSwitch.get(current())
        >
            {button(Lang::En)}
            {button(Lang::Fr)}
        </div>
    }
}
