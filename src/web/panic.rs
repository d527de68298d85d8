//! Turns a panic (or a fatal start-up failure) into a visible message on the page instead of a
//! silently dead map. Uses the DOM directly: after a panic the reactive runtime cannot be
//! trusted. Text is set with `textContent`, never as HTML.

use std::sync::Once;

pub fn install() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            console_error_panic_hook::hook(info);
            show_fatal(&format!(
                "The map stopped because of an internal error. Reload the page (F5). \
                 If it happens again, report this text: {info}"
            ));
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
