//! The wall's tour loop in headless Chromium (`web::wall_tour`): a config without tour (here
//! the 404 config: the defaults) shows the home view, the region fitted to the map's size when
//! no incident is open; outside the wall mode nothing runs.
#![cfg(target_arch = "wasm32")]

use calais_map::core::display::DisplayMode;
use calais_map::core::wall::Show;
use calais_map::core::wall::fit::region_view;
use calais_map::web::wall_tour;
use leptos::prelude::*;
use wasm_bindgen_test::*;

mod common;
use common::{mount_with, until};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn no_tour_shows_the_region() {
    let (_el, state) = mount_with(|| ());
    state.mode.set(DisplayMode::Wall);
    // Somewhere else first: the tour loop brings the wall home.
    state
        .view
        .update(|v| *v = v.panned_by(300.0, 100.0).zoomed_by(1.5, 0.0, 0.0));
    let tour = wall_tour::start(state);
    until("the home view", || {
        tour.borrow()
            .current()
            .is_some_and(|(s, _, _)| s == Show::Home)
    })
    .await;
    until("the region on screen", || {
        let v = state.view.get_untracked();
        let home = region_view(v.width_css(), v.height_css(), v.dpr());
        (v.zoom().get() - home.zoom().get()).abs() < 1e-9
            && (v.center().x - home.center().x).abs() < 1e-6
            && (v.center().y - home.center().y).abs() < 1e-6
    })
    .await;
}

#[wasm_bindgen_test]
async fn nothing_runs_on_the_desk() {
    let (_el, state) = mount_with(|| ());
    let before = state.view.get_untracked();
    let tour = wall_tour::start(state);
    gloo_timers::future::TimeoutFuture::new(300).await;
    assert!(tour.borrow().current().is_none());
    assert_eq!(state.view.get_untracked(), before);
}
