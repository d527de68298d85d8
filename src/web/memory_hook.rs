//! `calaisMap.memory()`: what the page holds, for the accelerated-day soak benchmark
//! (bench/soak.mjs) and the memory audit of ARCHITECTURE.md ("What grows, and its cap").
//!
//! Units: `wasmBytes`, `heapBytes` and `historyBytes` are bytes (the wasm instance's linear
//! memory, which only ever grows; what the page's allocations hold in it, `alloc::in_use`; the
//! history columns' capacity); every other member is a count of
//! entries of one capped structure: `incidents` (the store, open and closed), `closed`,
//! `pendingChanges` / `pendingHistoryChanges` (changed ids not yet taken), `historyReports`,
//! `alerts` (the ticker), `zoneTracked` / `zoneLog` / `zoneArchive` (the geofencing engine),
//! `frameLog` (the renderer's perf log).

use js_sys::{Object, Reflect};
use leptos::prelude::*;
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::map::SharedRuntime;
use crate::state::AppState;

/// Linear memory of this wasm instance, bytes.
fn wasm_bytes() -> f64 {
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .ok()
        .and_then(|m| m.buffer().dyn_into::<js_sys::ArrayBuffer>().ok())
        .map_or(0.0, |b| f64::from(b.byte_length()))
}

/// Adds `memory()` to the hook object.
pub fn install(hook: &Object, state: AppState, runtime: SharedRuntime) {
    let f = Closure::<dyn Fn() -> JsValue>::new(move || {
        let o = Object::new();
        let put = |k: &str, v: f64| {
            let _ = Reflect::set(&o, &JsValue::from_str(k), &v.into());
        };
        put("wasmBytes", wasm_bytes());
        put("heapBytes", crate::alloc::in_use() as f64);
        let (count, open) = state
            .incidents
            .with_store(|s| {
                let open: usize = s.open_counts_by_kind().iter().map(|(_, n)| n).sum();
                (s.len(), open)
            })
            .unwrap_or_default();
        put("incidents", count as f64);
        put("closed", count.saturating_sub(open) as f64);
        let (changes, history_changes) = state.incidents.pending_changes().unwrap_or_default();
        put("pendingChanges", changes as f64);
        put("pendingHistoryChanges", history_changes as f64);
        let (reports, bytes) = state
            .history
            .counts
            .try_with_untracked(|c| (c.reports, c.bytes))
            .unwrap_or_default();
        put("historyReports", reports as f64);
        put("historyBytes", bytes as f64);
        let alerts = state.geofence.alerts.try_with_untracked(Vec::len);
        put("alerts", alerts.unwrap_or(0) as f64);
        let zones = state.geofence.sizes();
        put("zoneTracked", zones.tracked as f64);
        put("zoneLog", zones.log as f64);
        put("zoneArchive", zones.archive as f64);
        let frames = runtime
            .try_borrow()
            .ok()
            .and_then(|rt| rt.renderer.as_ref().map(|r| r.frames.len()));
        put("frameLog", frames.unwrap_or(0) as f64);
        o.into()
    });
    let _ = Reflect::set(hook, &JsValue::from_str("memory"), &f.into_js_value());
}
