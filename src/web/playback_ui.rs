//! History playback (issue 12, floor 4): a time slider over the loaded history with play /
//! pause, a step either way, speed presets (1 h to 1 week of data per real second), a sliding
//! or cumulative window, the time shown in London and Paris time, a way back to live, and the
//! button that opens the comparison. Shown while the heatmap is on and no comparison is open.
//!
//! Units: times are ms since the Unix epoch (data time, the slider's values too), speeds data
//! ms per real second (`core::heatmap::playback::SPEEDS`), frame deltas real ms
//! (`env::now_ms`). The core's [`Playback`](crate::core::heatmap::playback::Playback) does
//! the arithmetic; this module feeds it animation-frame deltas and the operator's input.
//!
//! `data-testid="heatmap-playback"` carries `data-playing` and `data-t-ms` (the cursor), so
//! tools read what the slider shows.

use leptos::prelude::*;

use crate::core::heatmap::playback::{Accumulation, SPEEDS};
use crate::displacement::Comparison;
use crate::env::{WALL_CLOCKS, now_ms, on_animation_frame, zone_day_time};
use crate::state::{AppState, use_app};
use crate::strings::{T, compare as words};

/// One animation frame of a running playback started as loop `run` of `runs`: advance by the
/// real time since `last`, and ask for the next frame while it plays (stops by itself at the
/// end, when paused, or when a newer loop has been started: a pause and play within one frame
/// must not leave two loops advancing the cursor).
fn tick(state: AppState, runs: StoredValue<u64>, run: u64, last: f64) {
    if runs.try_get_value() != Some(run) {
        return;
    }
    let now = now_ms();
    let mut playing = false;
    state.playback.try_update(|p| {
        if let Some(p) = p.as_mut() {
            p.advance(now - last);
            playing = p.playing;
        }
    });
    if playing {
        on_animation_frame(move || tick(state, runs, run, now));
    }
}

/// The buttons' icons (SVG paths in a 24 × 24 box: fonts do not all have the media symbols).
const STEP_BACK: &str = "M5 4h3v16H5z M20 4v16L9 12z";
const PLAY: &str = "M7 4l13 8-13 8z";
const PAUSE: &str = "M6 4h4v16H6z M14 4h4v16h-4z";
const STEP_FORWARD: &str = "M16 4h3v16h-3z M4 4v16l11-8z";

fn icon(d: &'static str) -> impl IntoView {
    view! {
        <svg class="playback-icon" viewBox="0 0 24 24" aria-hidden="true"><path d=d></path></svg>
    }
}

/// Starts a playback loop of `runs` (a newer loop stops the older one).
fn start_loop(state: AppState, runs: StoredValue<u64>) {
    let t = now_ms();
    runs.update_value(|r| *r += 1);
    let run = runs.get_value();
    on_animation_frame(move || tick(state, runs, run, t));
}

/// The span and cursor the controls show (the live end when no playback runs): data ms.
fn span(state: AppState) -> (i64, i64, i64) {
    let p = state.playback.get();
    let live_end = state.incidents.clock.get() + crate::feed::CLOCK_STEP_MS;
    let span = state.history.span.get();
    let (start, end) = match (p, span) {
        (Some(p), _) => (p.start_ms, p.end_ms),
        (None, Some(s)) => (s.from_ms, s.to_ms.max(live_end)),
        (None, None) => (live_end, live_end),
    };
    (start, end, p.map_or(end, |p| p.t_ms))
}

/// The playback bar: its box and what it says of the cursor here, its controls in the part
/// `heatmap` (built the first time the bar shows).
#[component]
pub fn PlaybackBar() -> impl IntoView {
    let state = use_app();
    let lang = state.lang.get_untracked();
    // Not while the heatmap's part is refused (the heatmap panel says so, with its retry).
    let shown = move || {
        state.heatmap.with(|h| h.enabled)
            && state.compare.with(Option::is_none)
            && state.history.span.with(Option::is_some)
            && state.heat_engine.with(|e| *e != Some(false))
    };
    let runs = StoredValue::new(0u64);
    // Built again while playing (a language switch rebuilds the panels): the loop of the bar it
    // replaces stopped with it, this one carries on.
    if state
        .playback
        .with_untracked(|p| p.as_ref().is_some_and(|p| p.playing))
    {
        start_loop(state, runs);
    }
    let playing = move || state.playback.with(|p| p.is_some_and(|p| p.playing));
    view! {
        <section
            class="playback-bar"
            data-testid="heatmap-playback"
            data-map-reserved=""
            aria-label=T::Playback.get(lang)
            hidden=move || !shown()
            data-playing=move || playing().to_string()
            data-t-ms=move || span(state).2.to_string()
            data-live=move || state.playback.with(Option::is_none).to_string()
        >
            <Show when=shown>{move || playback_controls(runs)}</Show>
        </section>
    }
}

crate::split::split_view! {
    /// The bar's controls: the part `heatmap`.
    heatmap: fn playback_controls(runs: StoredValue<u64>) {
        let state = use_app();
        let lang = state.lang.get_untracked();
        let start_loop = move || start_loop(state, runs);
        let span = move || span(state);
        let play = move |_| {
            let Some(p) = state.playback_started() else {
                return;
            };
            if p.playing {
                state.update_playback(|p| p.pause());
            } else {
                state.update_playback(|p| p.play());
                start_loop();
            }
        };
        let step = move |dir: i32| {
            if state.playback_started().is_some() {
                state.update_playback(|p| {
                    p.pause();
                    p.step(dir);
                });
            }
        };
        let seek = move |ev: leptos::ev::Event| {
            if let Some(t) = calais_core::decimal::parse_f64(&event_target_value(&ev))
                && state.playback_started().is_some()
            {
                state.update_playback(|p| p.seek(t as i64));
            }
        };
        let set_speed = move |ev: leptos::ev::Event| {
            let key = event_target_value(&ev);
            if let Some((_, v)) = SPEEDS.iter().find(|(k, _)| *k == key)
                && state.playback_started().is_some()
            {
                state.update_playback(|p| p.speed = *v);
            }
        };
        let set_accumulation = move |ev: leptos::ev::Event| {
            let cumulative = event_target_value(&ev) == "cumulative";
            let width_ms = state.heatmap.with_untracked(|h| h.window.length_ms());
            if state.playback_started().is_some() {
                state.update_playback(|p| {
                    p.accumulation = if cumulative {
                        Accumulation::Cumulative
                    } else {
                        Accumulation::Sliding { width_ms }
                    };
                });
            }
        };
        let live = move |_| state.playback.set(None);
        let compare = move |_| {
            let now = state.incidents.clock.get_untracked() + crate::feed::CLOCK_STEP_MS;
            state.open_compare(Comparison::default_at(now));
        };
        let time_lines = move || {
            let (_, _, t) = span();
            WALL_CLOCKS
                .iter()
                .map(|(city, zone)| {
                    let text = zone_day_time(t as f64, zone, words::locale(lang))
                        .unwrap_or_else(|| "—".to_string());
                    view! { <span class="playback-city">{words::city_time(lang, *city, &text)}</span> }
                })
                .collect::<Vec<_>>()
        };
        let playing = move || state.playback.with(|p| p.is_some_and(|p| p.playing));
        let speed_key = move || {
            let v = state.playback.with(|p| p.map_or(SPEEDS[2].1, |p| p.speed));
            SPEEDS
                .iter()
                .find(|(_, s)| *s == v)
                .map_or("1d", |(k, _)| *k)
        };
        let accumulation_key = move || {
            state.playback.with(|p| match p.map(|p| p.accumulation) {
                Some(Accumulation::Cumulative) => "cumulative",
                _ => "sliding",
            })
        };
        view! {
            <div class="playback-row">
                <button
                    class="playback-button"
                    data-testid="playback-step-back"
                    aria-label=T::StepBack.get(lang)
                    title=T::StepBack.get(lang)
                    on:click=move |_| step(-1)
                >{icon(STEP_BACK)}</button>
                <button
                    class="playback-button playback-play"
                    data-testid="playback-play"
                    aria-label=move || if playing() { T::Pause.get(lang) } else { T::Play.get(lang) }
                    title=move || if playing() { T::Pause.get(lang) } else { T::Play.get(lang) }
                    on:click=play
                >{move || icon(if playing() { PAUSE } else { PLAY })}</button>
                <button
                    class="playback-button"
                    data-testid="playback-step-forward"
                    aria-label=T::StepForward.get(lang)
                    title=T::StepForward.get(lang)
                    on:click=move |_| step(1)
                >{icon(STEP_FORWARD)}</button>
                <input
                    type="range"
                    class="playback-slider"
                    data-testid="playback-slider"
                    aria-label=T::PlaybackTime.get(lang)
                    min=move || span().0.to_string()
                    max=move || span().1.to_string()
                    step="60000"
                    prop:value=move || span().2.to_string()
                    on:input=seek
                />
            </div>
            <div class="playback-row">
                <div class="playback-time" data-testid="playback-time" aria-live="off">{time_lines}</div>
                <select
                    class="playback-select"
                    data-testid="playback-speed"
                    aria-label=T::PlaybackSpeed.get(lang)
                    title=T::PlaybackSpeed.get(lang)
                    prop:value=speed_key
                    on:change=set_speed
                >
                    {SPEEDS
                        .iter()
                        .map(|(k, _)| view! { <option value=*k>{words::speed(lang, k)}</option> })
                        .collect::<Vec<_>>()}
                </select>
                <select
                    class="playback-select"
                    data-testid="playback-accumulation"
                    prop:value=accumulation_key
                    on:change=set_accumulation
                >
                    <option value="sliding">{T::PlaybackSliding.get(lang)}</option>
                    <option value="cumulative">{T::PlaybackCumulative.get(lang)}</option>
                </select>
                <button
                    class="playback-text-button"
                    data-testid="playback-live"
                    hidden=move || state.playback.with(Option::is_none)
                    on:click=live
                >{T::PlaybackLive.get(lang)}</button>
                <button class="playback-text-button" data-testid="compare-open" on:click=compare>
                    {T::CompareOpen.get(lang)}
                </button>
            </div>
        }
        .into_any()
    }
}
