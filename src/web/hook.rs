//! `window.calaisMap`: a small scripting hook for tests, benchmarks and (later) video-wall tours.
//!
//! Units: `project` and `cameraClusters` return CSS px relative to the map canvas (this screen's
//! part on a wall of several screens); `setView` takes WGS84 degrees and a zoom level (the view
//! of the whole wall, as `view()` returns it); `frames()` returns render times in ms; `tour()`
//! returns the wall's tour state (`null` outside `?mode=wall`), its clock in ms since the epoch;
//! `fault('panic'|'trap'|'silence')` makes a real fatal error for the wall's reload tests.
//! `labels()` returns the place names drawn, each with its box in CSS px of the map canvas
//! (from zoom 15 also camera ids `cam-T-16` and fence sectors `T-11`). `device()` returns the
//! device position "Where am I" shows (`{lon, lat, accuracy_m}`: WGS84 degrees, ground metres),
//! or `null` before the officer asked or once the panel is closed.
//!
//! The language (issue 14) has no hook: tests use the DOM's contracts, the switch
//! `[data-testid=lang-switch]` (`data-lang` = `en`/`fr`) with its buttons `lang-en`/`lang-fr`
//! (`aria-pressed`), `<main lang>` and `<html lang>`, the status bar's `status-clocks`
//! (`London HH:MM · Paris HH:MM`), the incident list's `incident-list-zone`, the info card rows'
//! `data-key` (the property key as the data writes it), and `localStorage` `calais.lang`.
//! `toGrids(lon, lat)` (WGS84 degrees) returns `{lambert93: [x, y], bng: [e, n] or null}` in
//! metres (`bng` null where OSTN15 has no data or the grid file did not load; the whole answer
//! null for an invalid position or one Lambert-93 cannot project); synchronous, and right once
//! the map is ready (the readiness waits for the grid file).
//! The tablet layout (issue 14 item 1) adds no function here: its tests read stable
//! `data-testid`s (`sheet-KEY` with `data-state`, `tab-bar`, `sheet-tab-KEY`, `sheet-handle`,
//! `sheet-size`, `sheet-hide`, `tap-chooser` and its `tap-choice` rows; ARCHITECTURE.md).

use js_sys::{Array, Object, Reflect};
use leptos::prelude::*;
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::Closure;

use crate::core::model::LayerId;
use crate::core::projection::{to_lonlat, to_mercator};
use crate::core::units::{LonLat, Zoom};
use crate::env::now_ms;
use crate::map::SharedRuntime;
use crate::render::draw::{CLUSTER_BELOW_ZOOM, camera_clusters};
use crate::render::incidents::IncidentInput;
use crate::state::AppState;
use crate::wall_tour::TourHandle;

fn set(obj: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}

fn func(obj: &Object, key: &str, f: JsValue) {
    set(obj, key, &f);
}

pub fn install(state: AppState, runtime: SharedRuntime, tour: TourHandle) {
    let runtime_incidents = runtime.clone();
    let runtime_labels = runtime.clone();
    let Some(window) = web_sys::window() else {
        return;
    };
    let hook = Object::new();

    let project = Closure::<dyn Fn(f64, f64) -> JsValue>::new(move |lon: f64, lat: f64| {
        let Some(p) = LonLat::new(lon, lat) else {
            return JsValue::NULL;
        };
        // The canvas shows this screen's part of the view (all of it but on a tiled wall).
        let view = state
            .wall_screen
            .with_untracked(|s| s.tile_view(&state.view.get_untracked()));
        let (x, y) = view.world_to_screen(to_mercator(p));
        Array::of2(&x.into(), &y.into()).into()
    });
    func(&hook, "project", project.into_js_value());

    let view = Closure::<dyn Fn() -> JsValue>::new(move || {
        let v = state.view.get_untracked();
        let c = to_lonlat(v.center());
        let o = Object::new();
        set(&o, "lon", &c.lon.into());
        set(&o, "lat", &c.lat.into());
        set(&o, "zoom", &v.zoom().get().into());
        set(&o, "width", &v.width_css().into());
        set(&o, "height", &v.height_css().into());
        set(&o, "dpr", &v.dpr().into());
        o.into()
    });
    func(&hook, "view", view.into_js_value());

    let set_view = Closure::<dyn Fn(f64, f64, f64) -> bool>::new(move |lon, lat, zoom| {
        match (LonLat::new(lon, lat), Zoom::new(zoom)) {
            (Some(p), Some(z)) => {
                state.view.update(|v| {
                    let (cx, cy) = (v.width_css() / 2.0, v.height_css() / 2.0);
                    *v = v.with_center(to_mercator(p)).zoomed_at(z, cx, cy);
                });
                true
            }
            _ => false,
        }
    });
    func(&hook, "setView", set_view.into_js_value());

    let reload = Closure::<dyn Fn()>::new(move || state.reload.update(|n| *n += 1));
    func(&hook, "reloadLayers", reload.into_js_value());

    let frames = Closure::<dyn Fn() -> JsValue>::new(move || {
        let out = Array::new();
        if let Ok(rt) = runtime.try_borrow()
            && let Some(r) = rt.renderer.as_ref()
        {
            for f in &r.frames {
                let o = Object::new();
                set(&o, "kind", &f.kind.key().into());
                set(&o, "ms", &f.ms.into());
                set(&o, "features", &(f.features_drawn as f64).into());
                out.push(&o);
            }
        }
        out.into()
    });
    func(&hook, "frames", frames.into_js_value());

    // The camera cluster badges on screen (CSS px), empty when zoomed in past clustering.
    let clusters = Closure::<dyn Fn() -> JsValue>::new(move || {
        let out = Array::new();
        let view = state.view.get_untracked();
        if view.zoom().get() < CLUSTER_BELOW_ZOOM
            && let Some(data) = state.layer_untracked(LayerId::Cameras).data()
        {
            for c in camera_clusters(data, &view) {
                // Placed in the whole wall's view; this canvas' px on a tiled wall.
                let (x, y) = state.wall_screen.with_untracked(|s| s.to_tile(c.x, c.y));
                let o = Object::new();
                set(&o, "x", &x.into());
                set(&o, "y", &y.into());
                set(&o, "count", &(c.count() as f64).into());
                out.push(&o);
            }
        }
        out.into()
    });
    func(&hook, "cameraClusters", clusters.into_js_value());

    // The place names drawn (this screen's canvas CSS px), for tests.
    let labels = Closure::<dyn Fn() -> JsValue>::new(move || {
        let out = Array::new();
        if let Ok(rt) = runtime_labels.try_borrow()
            && let Some(r) = rt.renderer.as_ref()
        {
            for (text, [x, y, w, h]) in r.label_names() {
                let o = Object::new();
                set(&o, "text", &text.into());
                set(&o, "x", &x.into());
                set(&o, "y", &y.into());
                set(&o, "width", &w.into());
                set(&o, "height", &h.into());
                out.push(&o);
            }
        }
        out.into()
    });
    func(&hook, "labels", labels.into_js_value());

    // Where am I: the device position shown on the map (`null` when none), for tests.
    let device = Closure::<dyn Fn() -> JsValue>::new(move || {
        let Some(f) = state.device.get_untracked() else {
            return JsValue::NULL;
        };
        let o = Object::new();
        set(&o, "lon", &f.at.lon.into());
        set(&o, "lat", &f.at.lat.into());
        set(&o, "accuracy_m", &f.accuracy_m.into());
        o.into()
    });
    func(&hook, "device", device.into_js_value());

    install_fault(&hook);
    install_tour(&hook, state, tour);
    crate::memory_hook::install(&hook, state, runtime_incidents.clone());
    install_incidents(&hook, state, runtime_incidents);
    install_grids(&hook, state);
    #[cfg(feature = "bench")]
    crate::bench_hook::install(&hook);
    set(&window, "calaisMap", &hook);
}

/// `calaisMap.fault(kind)`: a real fatal error for the wall's reload tests, from a timer
/// callback as a real one would come: `panic` panics in Rust (the panic hook, then the trap),
/// `trap` aborts the wasm instance (`WebAssembly.RuntimeError: unreachable` reaching the
/// window's `error` event, no panic hook), `silence` stops arming the watchdog (its heartbeat)
/// for good. Returns whether the kind is known. Off the wall the watchdog is not armed: the
/// page shows the panic message (or nothing for a trap) and stays.
fn install_fault(hook: &Object) {
    let f = Closure::<dyn Fn(String) -> bool>::new(|kind: String| {
        let run: fn() = match kind.as_str() {
            "panic" => || panic!("calaisMap.fault('panic'): a panic asked for by a test"),
            "trap" => || std::process::abort(),
            "silence" => crate::watchdog::silence,
            _ => return false,
        };
        gloo_timers::callback::Timeout::new(0, run).forget();
        true
    });
    func(hook, "fault", f.into_js_value());
}

/// `calaisMap.tour()`: what the wall shows, as of its last step (read only): `kind` (`home`,
/// `tour`, `alert`), `clockMs`; for the tour `view` (index), `name`, `phase` (`dwell`,
/// `flight`), `to` and `t` during a flight; for an alert `id`, `leg` (`in`, `hold`, `back`),
/// `t` and `sinceMs`; `layers`, what the app shows now (the map layers' keys, `zones`,
/// `heatmap`, `compare`). `null` outside the wall mode or before the config is known.
fn install_tour(hook: &Object, state: AppState, tour: TourHandle) {
    use crate::core::wall::tour::{AlertLeg, Phase, Show};
    let f = Closure::<dyn Fn() -> JsValue>::new(move || {
        let Some((show, name, clock)) = tour.try_borrow().ok().and_then(|d| d.current()) else {
            return JsValue::NULL;
        };
        let o = Object::new();
        set(&o, "clockMs", &(clock as f64).into());
        let layers = Array::new();
        let vis = state.visibility.get_untracked();
        for id in LayerId::ALL.into_iter().filter(|id| vis.get(*id)) {
            layers.push(&id.key().into());
        }
        for (key, on) in [
            ("zones", state.zones_on.get_untracked()),
            ("heatmap", state.heatmap.with_untracked(|h| h.enabled)),
            ("compare", state.compare.with_untracked(Option::is_some)),
        ] {
            if on {
                layers.push(&key.into());
            }
        }
        set(&o, "layers", &layers);
        match show {
            Show::Home => set(&o, "kind", &"home".into()),
            Show::Tour(s) => {
                set(&o, "kind", &"tour".into());
                set(&o, "view", &(s.view as f64).into());
                set(&o, "name", &name.unwrap_or_default().into());
                match s.phase {
                    Phase::Dwell => set(&o, "phase", &"dwell".into()),
                    Phase::Flight { to, t, .. } => {
                        set(&o, "phase", &"flight".into());
                        set(&o, "to", &(to as f64).into());
                        set(&o, "t", &t.into());
                    }
                }
            }
            Show::Alert {
                id, since_ms, leg, ..
            } => {
                set(&o, "kind", &"alert".into());
                set(&o, "id", &id.as_str().into());
                set(&o, "sinceMs", &(since_ms as f64).into());
                let (key, t) = match leg {
                    AlertLeg::In { t, .. } => ("in", t),
                    AlertLeg::Hold => ("hold", 1.0),
                    AlertLeg::Back { t, .. } => ("back", t),
                };
                set(&o, "leg", &key.into());
                set(&o, "t", &t.into());
            }
        }
        o.into()
    });
    func(hook, "tour", f.into_js_value());
}

/// The incident part of the hook: counts, one incident, ids, feed and draw measurements.
fn install_incidents(hook: &Object, state: AppState, runtime: SharedRuntime) {
    let feed = state.incidents;

    let incidents = Closure::<dyn Fn() -> JsValue>::new(move || {
        let o = Object::new();
        let (count, version, open) = feed
            .with_store(|s| (s.len(), s.version(), s.open_counts_by_kind()))
            .unwrap_or_default();
        set(&o, "count", &(count as f64).into());
        set(&o, "version", &(version as f64).into());
        let by_kind = Object::new();
        for (kind, n) in open {
            set(&by_kind, kind.key(), &(n as f64).into());
        }
        set(&o, "open", &by_kind);
        o.into()
    });
    func(hook, "incidents", incidents.into_js_value());

    let one = Closure::<dyn Fn(String) -> JsValue>::new(move |id: String| {
        feed.with_store(|s| {
            s.get(&id).map(|i| {
                let o = Object::new();
                set(&o, "id", &i.id.as_str().into());
                set(&o, "kind", &i.kind.key().into());
                // The API's kind text when it is not a known kind (shown as other), else null.
                let kind_text = i.kind_text.as_deref().map_or(JsValue::NULL, JsValue::from);
                set(&o, "kindText", &kind_text);
                set(&o, "severity", &f64::from(i.severity.get()).into());
                set(&o, "status", &i.status.key().into());
                set(&o, "lon", &i.position.lon.into());
                set(&o, "lat", &i.position.lat.into());
                set(&o, "description", &i.description.as_str().into());
                set(&o, "updatedAt", &i.updated_at.to_rfc3339().into());
                set(&o, "track", &(i.track.len() as f64).into());
                JsValue::from(o)
            })
        })
        .flatten()
        .unwrap_or(JsValue::NULL)
    });
    func(hook, "incident", one.into_js_value());

    let ids = Closure::<dyn Fn() -> JsValue>::new(move || {
        let out = Array::new();
        feed.with_store(|s| {
            for i in s.iter() {
                out.push(&i.id.as_str().into());
            }
        });
        out.into()
    });
    func(hook, "incidentIds", ids.into_js_value());

    let stats = Closure::<dyn Fn() -> JsValue>::new(move || {
        let o = Object::new();
        if let Some((st, transport)) = feed.stats() {
            let status = feed.status.get_untracked().status.key();
            set(&o, "status", &status.into());
            set(&o, "transport", &transport.key().into());
            set(&o, "events", &(st.events as f64).into());
            set(&o, "ingestMs", &st.ingest_ms.into());
            set(&o, "snapshotMs", &st.snapshot_ms.into());
            set(
                &o,
                "snapshotFeatures",
                &(st.snapshot_features as f64).into(),
            );
            set(&o, "snapshots", &(st.snapshots as f64).into());
            set(&o, "snapshotSlices", &f64::from(st.snapshot_slices).into());
            set(
                &o,
                "snapshotLongestSliceMs",
                &st.snapshot_longest_slice_ms.into(),
            );
            let rejected = feed.with_store(|s| s.diagnostics().rejected).unwrap_or(0);
            set(&o, "rejected", &(rejected as f64).into());
            set(
                &o,
                "lastSeq",
                &st.last_seq.map_or(JsValue::NULL, |s| s.as_str().into()),
            );
        }
        o.into()
    });
    func(hook, "feedStats", stats.into_js_value());

    let rt = runtime.clone();
    let draw = Closure::<dyn Fn() -> JsValue>::new(move || {
        let o = Object::new();
        if let Ok(r) = rt.try_borrow()
            && let Some(renderer) = r.renderer.as_ref()
        {
            let last = renderer.incident_draw();
            set(&o, "ms", &last.ms.into());
            set(&o, "planMs", &last.plan_ms.into());
            set(&o, "readMs", &last.read_ms.into());
            set(&o, "paintMs", &last.paint_ms.into());
            set(&o, "uploadedPx", &(last.uploaded_px as f64).into());
            let mode = match last.mode {
                Some(crate::core::incident_layer::Mode::Density) => "density",
                Some(crate::core::incident_layer::Mode::Sprites) => "sprites",
                None => "none",
            };
            set(&o, "mode", &mode.into());
            set(&o, "visible", &(last.visible as f64).into());
            set(&o, "drawn", &(last.drawn as f64).into());
            set(&o, "repainted", &(last.repainted as f64).into());
            set(&o, "overlay", &last.overlay.into());
            set(&o, "tiles", &(last.tiles as f64).into());
        }
        o.into()
    });
    func(hook, "incidentDraw", draw.into_js_value());

    // Median ms of `n` forced re-draws of the incident layer at the current view: re-plan,
    // and with `repaint` truthy also repaint and upload every tile with incidents.
    let bench = Closure::<dyn Fn(f64, JsValue) -> f64>::new(move |n: f64, repaint: JsValue| {
        let n = if n.is_finite() {
            n.clamp(1.0, 100.0) as usize
        } else {
            5
        };
        let Some(shared) = feed.shared() else {
            return f64::NAN;
        };
        let Ok(core) = shared.try_borrow() else {
            return f64::NAN;
        };
        let input = IncidentInput {
            store: &core.store,
            version: core.store.version(),
            filter: feed.filter.get_untracked(),
            clock_ms: feed.clock.get_untracked(),
        };
        let Ok(mut r) = runtime.try_borrow_mut() else {
            return f64::NAN;
        };
        let Some(renderer) = r.renderer.as_mut() else {
            return f64::NAN;
        };
        let mut times = renderer.bench_incidents(Some(&input), &now_ms, n, repaint.is_truthy());
        crate::core::compact_sort::sort_f64(&mut times);
        times.get(times.len() / 2).copied().unwrap_or(f64::NAN)
    });
    func(hook, "benchIncidentDraw", bench.into_js_value());
}

/// `toGrids(lon, lat)`: the Lambert-93 and National Grid metres of a WGS84 position
/// (`core::grids::readout` with the loaded grid file).
fn install_grids(hook: &Object, state: AppState) {
    let to_grids = Closure::<dyn Fn(f64, f64) -> JsValue>::new(move |lon: f64, lat: f64| {
        let Some(at) = LonLat::new(lon, lat) else {
            return JsValue::NULL;
        };
        let r = crate::core::grids::readout(at, state.grids.grid_untracked().as_deref());
        let Some((l93, _)) = r.l93 else {
            return JsValue::NULL;
        };
        let o = Object::new();
        set(
            &o,
            "lambert93",
            &Array::of2(&l93.x.into(), &l93.y.into()).into(),
        );
        let bng = r.bng.map_or(JsValue::NULL, |b| {
            Array::of2(&b.e.into(), &b.n.into()).into()
        });
        set(&o, "bng", &bng);
        o.into()
    });
    func(hook, "toGrids", to_grids.into_js_value());
}
