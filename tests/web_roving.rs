//! `Roving` in headless Chromium: a list's roving focus settles after a render, and a render's
//! frame that comes after the list is gone (a language switch rebuilds the panels) does nothing;
//! a render that moves the focused row gives the focus back (the a11y e2e lost it once in a CI
//! run: the browser moves the focus to the page while a keyed render moves the row), while a
//! press outside the list takes the focus away for good.
//! The second is the panic the faults e2e met once in three runs ("Tried to access a reactive
//! value that has already been disposed", from the list's `NodeRef` read in that frame).
//!
//! No units: DOM rows carrying their key in `data-k`.
#![cfg(target_arch = "wasm32")]

use std::cell::Cell;
use std::rc::Rc;

use calais_map::web::roving::{Roving, event_element};
use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
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

/// The list of three rows `a`, `b`, `c` wired as the app's lists wire theirs, and its state.
fn wired_list() -> (Element, Roving, NodeRef<leptos::html::Ol>) {
    let held = RwSignal::new(None::<(Roving, NodeRef<leptos::html::Ol>)>);
    let (root, _) = mount_with(move || {
        let roving = Roving::new("data-k");
        let list_ref = NodeRef::<leptos::html::Ol>::new();
        held.set(Some((roving, list_ref)));
        view! {
            <ol
                node_ref=list_ref
                on:focusin=move |ev| roving.focus_in(event_element(ev.target()))
                on:focusout=move |ev| roving.on_focus_out(&ev)
            >
                <li data-k="a" tabindex="-1">"a"</li>
                <li data-k="b" tabindex="-1">"b"</li>
                <li data-k="c" tabindex="-1">"c"</li>
            </ol>
        }
    });
    let (roving, list_ref) = held.get_untracked().expect("the list is built");
    (root, roving, list_ref)
}

fn row(root: &Element, key: &str) -> web_sys::HtmlElement {
    root.query_selector(&format!("[data-k=\"{key}\"]"))
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into().ok())
        .expect("the row")
}

fn focused_key() -> Option<String> {
    common::document()
        .active_element()
        .and_then(|a| a.get_attribute("data-k"))
}

#[wasm_bindgen_test]
async fn a_render_that_moves_the_focused_row_gives_the_focus_back() {
    let (root, roving, list_ref) = wired_list();
    let list: Element = list_ref.get_untracked().expect("the list").into();
    row(&root, "b").focus().unwrap();
    assert_eq!(focused_key().as_deref(), Some("b"));
    // A keyed render reorders the rows: the focused one is taken out and put back (the browser
    // moves the focus to the page meanwhile), then the render asks for its settling frame.
    list.append_child(&row(&root, "b")).unwrap();
    roving.settle_next_frame(move || list_ref.try_get_untracked().flatten().map(Into::into));
    TimeoutFuture::new(100).await;
    assert_eq!(
        focused_key().as_deref(),
        Some("b"),
        "the focus is back on the moved row"
    );
    assert_eq!(tabindex(&root, "b").as_deref(), Some("0"));
}

#[wasm_bindgen_test]
async fn a_press_outside_the_list_takes_the_focus_away_for_good() {
    let (root, roving, list_ref) = wired_list();
    let outside = common::document().create_element("p").unwrap();
    outside.set_text_content(Some("not focusable"));
    root.append_child(&outside).unwrap();
    row(&root, "b").focus().unwrap();
    assert_eq!(focused_key().as_deref(), Some("b"));
    // A press where nothing takes the focus: the browser's pointerdown, then the focus to the page.
    let down = common::document().create_event("Event").unwrap();
    down.init_event_with_bubbles("pointerdown", true);
    outside.dispatch_event(&down).unwrap();
    row(&root, "b").blur().unwrap();
    // A render comes in the same frame: it does not pull the focus back into the list.
    roving.settle_next_frame(move || list_ref.try_get_untracked().flatten().map(Into::into));
    TimeoutFuture::new(100).await;
    assert_eq!(
        focused_key(),
        None,
        "the focus stays where the press left it"
    );
}
