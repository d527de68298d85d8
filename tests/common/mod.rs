//! Shared helpers of the wasm-bindgen component tests (`tests/web_*.rs`): mount a component
//! tree with a fresh `AppState`, and wait for the DOM to catch up.
//!
//! The config used (`tests/fixtures/wasm/config-404.json`) names files that do not exist, so
//! nothing is fetched successfully; the view fits the region in 800×600 CSS px at dpr 1.
#![allow(dead_code)] // each test file uses a subset

use std::cell::RefCell;
use std::rc::Rc;

use calais_map::core::viewport::{Viewport, region_bounds};
use calais_map::web::state::AppState;
use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

pub fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Mounts `children` under a fresh container with a fresh `AppState` in context; returns both.
pub fn mount_with<V: IntoView + 'static>(
    children: impl FnOnce() -> V + 'static,
) -> (Element, AppState) {
    let container = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&container).unwrap();
    let holder: Rc<RefCell<Option<AppState>>> = Rc::new(RefCell::new(None));
    let h = holder.clone();
    let view = Viewport::fit(&region_bounds(), 800.0, 600.0, 1.0, 0.0);
    let handle = leptos::mount::mount_to(
        container.clone().unchecked_into::<HtmlElement>(),
        move || {
            let state = AppState::new("tests/fixtures/wasm/config-404.json".to_string(), view);
            provide_context(state);
            *h.borrow_mut() = Some(state);
            children()
        },
    );
    std::mem::forget(handle);
    let state = holder.borrow().expect("mounted");
    (container, state)
}

/// Polls `f` every 25 ms for up to 5 s.
pub async fn until(what: &str, mut f: impl FnMut() -> bool) {
    for _ in 0..200 {
        if f() {
            return;
        }
        TimeoutFuture::new(25).await;
    }
    panic!("timed out waiting for {what}");
}
