//! `Roving` in headless Chromium: a list's roving focus settles after a render, and a render's
//! frame that comes after the list is gone (a language switch rebuilds the panels) does nothing.
//! The second is the panic the faults e2e met once in three runs ("Tried to access a reactive
//! value that has already been disposed", from the list's `NodeRef` read in that frame).
//!
//! No units: DOM rows carrying their key in `data-k`.
#![cfg(target_arch = "wasm32")]

use std::cell::Cell;
use std::rc::Rc;

use calais_map::web::roving::Roving;
use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use wasm_bindgen_test::*;
use web_sys::Element;

mod common;
use common::{mount_with, until};

wasm_bindgen_test_configure!(run_in_browser);

fn tabindex(root: &Element, key: &str) -> Option<String> {
    root.query_selector(&format!("[data-k=\"{key}\"]"))
        .ok()??
        .get_attribute("tabindex")
}

#[wasm_bindgen_test]
async fn a_frame_after_the_list_is_gone_does_nothing() {
    let show = RwSignal::new(true);
    let held = RwSignal::new(None::<(Roving, NodeRef<leptos::html::Ol>)>);
    let (root, _) = mount_with(move || {
        move || {
            show.get().then(|| {
                let roving = Roving::new("data-k");
                let list_ref = NodeRef::<leptos::html::Ol>::new();
                held.set(Some((roving, list_ref)));
                view! {
                    <ol node_ref=list_ref>
                        <li data-k="a" tabindex="-1">"a"</li>
                        <li data-k="b" tabindex="-1">"b"</li>
                    </ol>
                }
            })
        }
    });
    let (roving, list_ref) = held.get_untracked().expect("the list is built");
    let settle = move |called: Rc<Cell<bool>>| {
        roving.settle_next_frame(move || {
            called.set(true);
            list_ref.try_get_untracked().flatten().map(Into::into)
        });
    };

    // While the list lives: the first row becomes its one tab stop at the next frame.
    let called = Rc::new(Cell::new(false));
    settle(called.clone());
    until("the tab stop set", || {
        tabindex(&root, "a").as_deref() == Some("0")
    })
    .await;
    assert!(called.get());
    assert_eq!(tabindex(&root, "b").as_deref(), Some("-1"));
    assert!(!roving.is_disposed());

    // A render asks for a frame, and the list is gone before it comes.
    let called = Rc::new(Cell::new(false));
    settle(called.clone());
    show.set(false);
    until("the list removed", || {
        root.query_selector("ol").ok().flatten().is_none()
    })
    .await;
    // Two frames later (at 25 ms a poll, 60 Hz): the frame has run, and did nothing.
    TimeoutFuture::new(100).await;
    assert!(roving.is_disposed(), "the list's state went with it");
    assert!(!called.get(), "the gone list is not looked up");
}
