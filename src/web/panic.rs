//! Turns a panic (or a fatal start-up failure) into a visible message on the page instead of a
//! silently dead map. Uses the DOM directly: after a panic the reactive runtime cannot be
//! trusted. Text is set with `textContent`, never as HTML. On the wall the panic is also
//! reported to the watchdog (`watchdog::report`), which reloads the page after its back-off
//! (off the wall the watchdog is not armed and does nothing).

use std::sync::Once;

use crate::core::wall::watchdog::ReloadReason;
use crate::watchdog;

/// Installs the hook once; `word` turns the panic's text into the message shown (the app
/// passes the string table's, so this floor-0 module imports no text).
pub fn install(word: fn(&str) -> String) {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(move |info| {
            console_error_panic_hook::hook(info);
            let text = info.to_string();
            show_fatal(&word(&text));
            watchdog::report(ReloadReason::Panic, &text);
        }));
    });
}

/// Shows `message` in a full-width alert at the top of the page.
pub fn show_fatal(message: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(body) = doc.body() else { return };
    let el = match doc.query_selector("[data-testid=panic-message]") {
        Ok(Some(el)) => el,
        _ => {
            let Ok(el) = doc.create_element("div") else {
                return;
            };
            let _ = el.set_attribute("data-testid", "panic-message");
            let _ = el.set_attribute("role", "alert");
            let _ = el.set_attribute("class", "panic-message");
            let _ = body.append_child(&el);
            el
        }
    };
    el.set_text_content(Some(message));
}
