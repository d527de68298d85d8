//! The Rust side of the wall's watchdog (floor 0): calls into `window.calaisWatchdog`, the
//! static script `assets/watchdog.js` that index.html loads before the wasm, and the reload
//! note it leaves in local storage. The policy (streaks, delays, silence limits) is
//! `core::wall::watchdog`'s; the script only stores, shows and waits.
//!
//! Units: instants are ms since the Unix epoch (`env::wall_ms`). Every call goes through
//! `Reflect`, so a page without the script (the wasm component tests) runs unchanged.
//!
//! The script (a Trunk `<script data-trunk>` asset, a classic script run before the wasm module,
//! so that it still works once the wasm is dead; no eval, no inline script, as a strict CSP
//! wants) offers `window.calaisWatchdog`:
//! * `started()`: the wasm runs (every mode; [`started`]);
//! * `arm(json)`: only on the wall, every 2 s (`wall_reload.rs`): `{plan: {streak, delays_ms,
//!   lost_after_ms, start_timeout_ms}, text: {panic, trap, start, heartbeat, countdown, streak}}`
//!   (`core::wall::watchdog::Arming` and the string table's texts; the script replaces `{s}` and
//!   `{n}` in `countdown` and `streak`), kept in local storage for this page's address
//!   (`calais-map.wall.watchdog.v1`: a failed start has nothing else to go on);
//! * `report(reason, detail)`: the panic hook ([`report`]).
//!
//! It calls the page dead on a panic; on a `WebAssembly.RuntimeError` reaching the window's
//! `error` or `unhandledrejection` (`trap`); on any error before `started()`, or
//! `start_timeout_ms` without it (`start`); and after `lost_after_ms` without arming while the
//! page is visible (`heartbeat`; hidden time, and time the script itself was suspended, as in
//! sleep, do not count). Then it writes the [`ReloadNote`] under [`NOTE_KEY`] (the armed streak;
//! for a failed start one more than the stored note's), shows the reason, the streak and a
//! countdown over the page (`wall-fatal`, `data-reason`, `data-streak`, `data-delay-ms`;
//! `wall-fatal-countdown`), and reloads after the streak's delay from the table. Without an
//! arming for this address (the desk, or a wall that never ran in this browser) it does nothing.
//!
//! Storage keys (a contract with the script): [`NOTE_KEY`] holds the [`ReloadNote`],
//! `calais-map.wall.watchdog.v1` the script's last arming of each page address.

use std::cell::Cell;

use js_sys::{Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::core::wall::watchdog::{ReloadNote, ReloadReason};
use crate::env::local_storage;

/// Where the reload note lives in local storage.
pub const NOTE_KEY: &str = "calais-map.wall.reload.v1";

thread_local! {
    /// Set by [`silence`]: arming stops, as when the page's loop has died.
    static SILENT: Cell<bool> = const { Cell::new(false) };
}

/// Calls `calaisWatchdog[name](args…)`; nothing when the script is absent.
fn call(name: &str, args: &[JsValue]) {
    let Some(w) = web_sys::window() else { return };
    let Ok(dog) = Reflect::get(&w, &JsValue::from_str("calaisWatchdog")) else {
        return;
    };
    if dog.is_undefined() {
        return;
    }
    let Some(f) = Reflect::get(&dog, &JsValue::from_str(name))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
    else {
        return;
    };
    let args = js_sys::Array::from_iter(args);
    let _ = f.apply(&dog, &args);
}

/// The wasm has started (every mode): ends the script's start watch.
pub fn started() {
    call("started", &[]);
}

/// Arms the watchdog with `json` (the arming and its texts, `wall_reload.rs` builds it);
/// nothing after [`silence`].
pub fn arm(json: &str) {
    if !SILENT.with(Cell::get) {
        call("arm", &[JsValue::from_str(json)]);
    }
}

/// A fatal error the shell saw itself (the panic hook): the script reloads if armed.
pub fn report(reason: ReloadReason, detail: &str) {
    call(
        "report",
        &[JsValue::from_str(reason.key()), JsValue::from_str(detail)],
    );
}

/// Stops arming for good (the test hook's `fault('silence')`): the script calls the page lost
/// once the silence lasts.
pub fn silence() {
    SILENT.with(|s| s.set(true));
}

/// The stored reload note, if any and readable.
pub fn read_note() -> Option<ReloadNote> {
    let text = local_storage().ok()?.get_item(NOTE_KEY).ok()??;
    ReloadNote::parse(&text)
}

/// Stores `note` (`None` removes it); a refusing storage is ignored (the wall runs on).
pub fn write_note(note: Option<&ReloadNote>) {
    let Ok(s) = local_storage() else { return };
    let _ = match note {
        Some(n) => s.set_item(NOTE_KEY, &n.to_text()),
        None => s.remove_item(NOTE_KEY),
    };
}
