//! `KeyedRows` in headless Chromium: a list whose rows are all replaced again and again
//! (as the desk's incident list replaces every row whose text changed at each flush) holds
//! no more memory after many rounds than after a few.
//!
//! Units: bytes of the wasm heap in use, counted by the shell's counting allocator
//! (`web::alloc::Counting`, this test binary's global allocator as it is the app's); rows are
//! DOM `<li>` elements. A memory bound, not a timing.
#![cfg(target_arch = "wasm32")]

use calais_map::web::alloc::{Counting, in_use};
use calais_map::web::keyed_rows::KeyedRows;
use leptos::prelude::*;
use wasm_bindgen_test::*;
use web_sys::Element;

mod common;
use common::{mount_with, until};

#[global_allocator]
static ALLOC: Counting = Counting;

wasm_bindgen_test_configure!(run_in_browser);

/// Rows in the list, as the incident list's `LIST_LIMIT`.
const ROWS: u32 = 200;
/// Rounds before the first count (buffers, the DOM's and the arena's, reach their size).
const WARM_UP: u32 = 5;
/// Rounds between the two counts: 40 × 200 = 8,000 rows rendered and dropped.
const ROUNDS: u32 = 40;
/// Growth allowed over those rounds: Leptos's `For` kept ~80 B per replaced row (about
/// 640 kB here); 64 kB is 8 B a row, noise.
const BOUND: usize = 64 * 1024;

fn first_row(root: &Element) -> Option<String> {
    root.query_selector("li").ok()??.get_attribute("data-row")
}

#[wasm_bindgen_test]
async fn replaced_rows_free_their_memory() {
    let generation = RwSignal::new(0u32);
    let clicks = RwSignal::new(0u32);
    let (root, _) = mount_with(move || {
        // Every round gives every row a new key, so that every row is dropped and rendered
        // again, with a click listener like the incident rows (static otherwise, as they are:
        // a row's effect reading a signal that outlives it stays in its subscribers).
        let each = move || {
            let g = generation.get();
            (0..ROWS).map(move |i| g * ROWS + i).collect::<Vec<_>>()
        };
        let row = move |k: u32| {
            view! {
                <li
                    data-row=k.to_string()
                    class:odd=k % 2 == 1
                    on:click=move |_| clicks.update(|c| *c += 1)
                >
                    {format!("row {k}")}
                </li>
            }
        };
        view! { <ol><KeyedRows each=each key=|k: &u32| *k children=row /></ol> }
    });
    let round = |g: u32| {
        let root = root.clone();
        async move {
            generation.set(g);
            let want = (g * ROWS).to_string();
            until("the rows of the new round", || {
                first_row(&root).as_deref() == Some(want.as_str())
            })
            .await;
        }
    };
    for g in 1..=WARM_UP {
        round(g).await;
    }
    let before = in_use();
    for g in WARM_UP + 1..=WARM_UP + ROUNDS {
        round(g).await;
    }
    let after = in_use();
    assert_eq!(
        root.query_selector_all("li").unwrap().length(),
        ROWS,
        "the list shows every row"
    );
    assert!(
        after <= before + BOUND,
        "{} rows replaced: the heap in use went from {before} B to {after} B (+{} B, bound {BOUND} B)",
        ROUNDS * ROWS,
        after.saturating_sub(before),
    );
}
