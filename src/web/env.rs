//! The browser environment the shell reads and the few things it asks of the browser:
//! clocks, the time zone, the window's size, the page's query string, local storage,
//! animation frames and file downloads.
//!
//! Floor 0 of the shell: imports only the core and the browser crates, so any module may use
//! it (ARCHITECTURE.md, "no import cycles among src/web modules").
//!
//! Units: [`now_ms`] is ms since the page started (`performance.now()`, monotonic: use it for
//! durations); [`wall_ms`] is ms since the Unix epoch (`Date.now()`, the wall clock, which may
//! jump); [`local_offset_min`] is minutes east of UTC in the browser's time zone at an instant;
//! [`window_size`] is CSS px and the device pixel ratio. Without a window (natively, in unit
//! tests) each helper returns its documented fallback instead of failing.

use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::Closure;

/// Monotonic ms since the page started (`performance.now()`); 0 without a window.
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Wall-clock ms since the Unix epoch (`Date.now()`).
pub fn wall_ms() -> f64 {
    js_sys::Date::now()
}

/// Minutes east of UTC in the browser's time zone at `ms` (ms since the Unix epoch), looked up
/// per instant so summer time is right.
pub fn local_offset_min(ms: i64) -> i32 {
    let d = js_sys::Date::new(&JsValue::from_f64(ms as f64));
    -(d.get_timezone_offset().round() as i32)
}

/// The window's CSS size and device pixel ratio (800 × 600 at 1 without a window).
pub fn window_size() -> (f64, f64, f64) {
    let Some(w) = web_sys::window() else {
        return (800.0, 600.0, 1.0);
    };
    let num = |v: Result<JsValue, _>| v.ok().and_then(|v| v.as_f64());
    (
        num(w.inner_width()).unwrap_or(800.0),
        num(w.inner_height()).unwrap_or(600.0),
        w.device_pixel_ratio(),
    )
}

/// Runs `f` before the browser's next repaint (`requestAnimationFrame`); never without a window.
pub fn on_animation_frame(f: impl FnOnce() + 'static) {
    let cb = Closure::once_into_js(f);
    if let Some(w) = web_sys::window() {
        let _ = w.request_animation_frame(cb.unchecked_ref());
    }
}

/// The page's query string (`?a=b&c`, or empty).
pub fn location_search() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default()
}

/// Reads `name` from a `?a=b&c` query string (percent-decoding `%XX` and `+`); a name without
/// `=` reads as empty.
pub fn query_param(query: &str, name: &str) -> Option<String> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(k) == name).then(|| percent_decode(v))
        })
        .next()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A thrown JS value as text: `Name: message` for an `Error`, the string itself, or
/// "unknown error".
pub fn js_error_text(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| {
            let name = String::from(e.name());
            let msg = String::from(e.message());
            if msg.is_empty() {
                name
            } else {
                format!("{name}: {msg}")
            }
        })
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".to_string())
}

/// The browser's `localStorage`, or why there is none (private mode, disabled, no window).
pub fn local_storage() -> Result<web_sys::Storage, String> {
    let w = web_sys::window().ok_or("no window")?;
    match w.local_storage() {
        Ok(Some(s)) => Ok(s),
        Ok(None) => Err("this browser has no local storage".to_string()),
        Err(e) => Err(format!(
            "local storage is not available ({})",
            js_error_text(&e)
        )),
    }
}

/// Offers `text` as a file download named `name` (a Blob URL on a temporary link); an error
/// text if the browser refuses.
pub fn download(name: &str, mime: &str, text: &str) -> Result<(), String> {
    let fail = |what: &str| format!("could not export {name}: {what}");
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts)
        .map_err(|_| fail("no Blob"))?;
    let url =
        web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| fail("no object URL"))?;
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| fail("no document"))?;
    let a: web_sys::HtmlAnchorElement = doc
        .create_element("a")
        .map_err(|_| fail("no link"))?
        .dyn_into()
        .map_err(|_| fail("no link"))?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_params_are_found_and_decoded() {
        assert_eq!(query_param("?perf", "perf").as_deref(), Some(""));
        assert_eq!(
            query_param("?perf&incidents=inline", "incidents").as_deref(),
            Some("inline")
        );
        assert_eq!(query_param("?a=1&a=2", "a").as_deref(), Some("1"));
        assert_eq!(query_param("?x%20y=a+b", "x y").as_deref(), Some("a b"));
        assert_eq!(query_param("", "perf"), None);
    }

    #[test]
    fn percent_decoding_keeps_bad_escapes() {
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(percent_decode("a%zz"), "a%zz");
        assert_eq!(percent_decode("a+b%41"), "a bA");
    }
}
