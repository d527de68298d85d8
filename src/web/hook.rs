//! `window.calaisMap`: a small scripting hook for tests, benchmarks and (later) video-wall tours.
//!
//! Units: `project` and `cameraClusters` return CSS px relative to the map canvas; `setView`
//! takes WGS84 degrees and a zoom level; `frames()` returns render times in ms.

use js_sys::{Array, Object, Reflect};
use leptos::prelude::*;
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::Closure;

use crate::core::model::LayerId;
use crate::core::projection::{to_lonlat, to_mercator};
use crate::core::units::{LonLat, Zoom};
use crate::web::map::SharedRuntime;
use crate::web::render::draw::{CLUSTER_BELOW_ZOOM, camera_clusters};
use crate::web::state::AppState;

fn set(obj: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}

fn func(obj: &Object, key: &str, f: JsValue) {
    set(obj, key, &f);
}

pub fn install(state: AppState, runtime: SharedRuntime) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let hook = Object::new();

    let project = Closure::<dyn Fn(f64, f64) -> JsValue>::new(move |lon: f64, lat: f64| {
        let Some(p) = LonLat::new(lon, lat) else {
            return JsValue::NULL;
        };
        let (x, y) = state.view.get_untracked().world_to_screen(to_mercator(p));
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
                let o = Object::new();
                set(&o, "x", &c.x.into());
                set(&o, "y", &c.y.into());
                set(&o, "count", &(c.count() as f64).into());
                out.push(&o);
            }
        }
        out.into()
    });
    func(&hook, "cameraClusters", clusters.into_js_value());

    set(&window, "calaisMap", &hook);
}
