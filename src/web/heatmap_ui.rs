//! The heatmap's panel section (issue 12, floor 4; the app puts it in the layer panel) and the
//! history's row of the diagnostics panel (the app puts it in the incident panel).
//!
//! Units: the bandwidth σ is typed in ground metres (refused outside
//! `Bandwidth::MIN_M ..= MAX_M`, the field named, nothing changed); densities are reports per
//! km² of ground; the legend's `data-peak-per-km2` (the highest density in view) and
//! `data-bandwidth-m` are what the heatmap layer last computed (`AppState::heatmap_shown`),
//! so tools read what eyes read. Every text comes from `strings` (`T` and `strings::heatmap`).

use leptos::prelude::*;

use crate::core::heatmap::Bandwidth;
use crate::core::heatmap::displacement::Window;
use crate::core::heatmap::history::Weighting;
use crate::core::heatmap::ramp::{Ramp, colour};
use crate::core::heatmap::settings::{HeatWindow, ScaleMode};
use crate::env::{local_input_text, parse_local_input};
use crate::feed::CLOCK_STEP_MS;
use crate::history::HistoryStatus;
use crate::state::use_app;
use crate::strings::compare::{self as compare_words, Field, Refusal};
use crate::strings::{Lang, T, heatmap as words, locale};
use crate::widgets::device_zone_name;

/// The legend's ramp as a CSS gradient (left: 0, or −top for the diverging ramp; right: the
/// ramp's top).
pub fn ramp_gradient(ramp: Ramp) -> String {
    let stops: Vec<String> = (0..=8)
        .map(|k| {
            let t = k as f32 / 8.0;
            let t = match ramp {
                Ramp::Sequential => t,
                Ramp::Diverging => t * 2.0 - 1.0,
            };
            let [r, g, b, a] = colour(ramp, t);
            format!(
                "rgba({r},{g},{b},{:.2}) {}%",
                f32::from(a) / 255.0,
                k * 100 / 8
            )
        })
        .collect();
    format!("linear-gradient(to right, {})", stops.join(", "))
}

/// A density for the legend: 3 significant digits at most ("0.125", "12.5", "1,250"), in the
/// language's form.
pub fn per_km2_text(lang: Lang, v: f64) -> String {
    if !v.is_finite() || v <= 0.0 {
        "0".to_string()
    } else if v >= 100.0 {
        locale::number(lang, v, 0)
    } else if v >= 10.0 {
        locale::number(lang, v, 1)
    } else if v >= 1.0 {
        locale::number(lang, v, 2)
    } else {
        locale::number(lang, v, 3)
    }
}

/// One change in the heatmap section, from the control's `name` and its value or checked state.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    On(bool),
    Bandwidth(Result<Bandwidth, String>),
    Window(HeatWindow),
    /// "custom" picked: an interval, the current window's to start with.
    CustomWindow,
    /// One end of the custom interval typed (`true`: the start), in the browser's time zone.
    CustomEnd(bool, String),
    Scale(ScaleMode),
    Weighting(Weighting),
}

impl Change {
    /// The change a control of the section reports (`None`: not one of its controls). A
    /// bandwidth that is not a number in range is `Err` with the text typed.
    pub fn of(name: &str, value: &str, checked: bool) -> Option<Change> {
        Some(match name {
            "heat-on" => Change::On(checked),
            "heat-bandwidth" => Change::Bandwidth(
                calais_core::decimal::parse_f64(value.trim())
                    .and_then(|v| Bandwidth::new(v).ok())
                    .ok_or_else(|| value.to_string()),
            ),
            "heat-window" if value == "custom" => Change::CustomWindow,
            "heat-window" => Change::Window(
                HeatWindow::PRESETS
                    .iter()
                    .find(|(k, _)| *k == value)
                    .map(|(_, w)| *w)?,
            ),
            "heat-custom-from" => Change::CustomEnd(true, value.to_string()),
            "heat-custom-to" => Change::CustomEnd(false, value.to_string()),
            "heat-scale" => Change::Scale(if value == "relative" {
                ScaleMode::Relative
            } else {
                ScaleMode::Fixed
            }),
            "heat-weighting" => Change::Weighting(if checked {
                Weighting::Severity
            } else {
                Weighting::Count
            }),
            _ => return None,
        })
    }
}

/// A property of the event's target element (`value`, `checked`).
fn target_prop(ev: &leptos::ev::Event, prop: &str) -> Option<wasm_bindgen::JsValue> {
    js_sys::Reflect::get(&ev.target()?.into(), &prop.into()).ok()
}

/// On/off, bandwidth, window, scale, weighting, the legend and the history's state. One change
/// listener serves every control (by `name`); the controls are rebuilt when the settings
/// change, the legend when the layer draws.
#[component]
pub fn HeatmapPanel() -> impl IntoView {
    let state = use_app();
    let lang = state.lang.get_untracked();
    let settings = state.heatmap;
    let (refused, set_refused) = signal(None::<String>);
    let on_change = move |ev: leptos::ev::Event| {
        let name = target_prop(&ev, "name").and_then(|v| v.as_string());
        let value = target_prop(&ev, "value").and_then(|v| v.as_string());
        let checked = target_prop(&ev, "checked").and_then(|v| v.as_bool());
        let change = Change::of(
            name.as_deref().unwrap_or_default(),
            value.as_deref().unwrap_or_default(),
            checked.unwrap_or(false),
        );
        set_refused.set(None);
        match change {
            Some(Change::On(on)) => state.show_heatmap(on),
            Some(Change::Bandwidth(Ok(b))) => settings.update(|h| h.bandwidth = b),
            Some(Change::Bandwidth(Err(typed))) => {
                set_refused.set(Some(words::bandwidth_refused(
                    state.lang.get_untracked(),
                    &typed,
                )));
            }
            Some(Change::Window(w)) => state.set_heat_window(w),
            Some(Change::CustomWindow) => {
                let now = state.incidents.clock.get_untracked() + CLOCK_STEP_MS;
                let w = settings.with_untracked(|h| h.window.at(now));
                state.set_heat_window(HeatWindow::Custom(w));
            }
            Some(Change::CustomEnd(start, typed)) => {
                let lang = state.lang.get_untracked();
                let now = state.incidents.clock.get_untracked() + CLOCK_STEP_MS;
                let w = settings.with_untracked(|h| h.window.at(now));
                let field = if start {
                    Field::CustomFrom
                } else {
                    Field::CustomTo
                };
                let window = parse_local_input(&typed)
                    .ok_or((field, Refusal::NotADateTime))
                    .and_then(|t| {
                        let (from, to) = if start { (t, w.to_ms) } else { (w.from_ms, t) };
                        Window::new(from, to).ok_or((Field::CustomTo, Refusal::NotAfterFrom))
                    });
                match window {
                    Ok(w) => state.set_heat_window(HeatWindow::Custom(w)),
                    Err((f, why)) => {
                        set_refused.set(Some(compare_words::window_refused(lang, f, why)))
                    }
                }
            }
            Some(Change::Scale(s)) => settings.update(|h| h.scale = s),
            Some(Change::Weighting(w)) => settings.update(|h| h.weighting = w),
            None => {}
        }
    };
    let options = |items: Vec<(&'static str, String)>, current: &str| {
        items
            .into_iter()
            .map(
                |(key, text)| view! { <option value=key selected={key == current}>{text}</option> },
            )
            .collect::<Vec<_>>()
    };
    let controls = move || {
        let h = settings.get();
        let mut windows: Vec<(&'static str, String)> = HeatWindow::PRESETS
            .iter()
            .map(|(k, w)| (*k, words::window(lang, *w)))
            .collect();
        windows.push(("custom", T::HeatWindowCustom.get(lang).to_string()));
        let custom = match h.window {
            HeatWindow::Custom(w) => Some(w),
            _ => None,
        };
        let scales = vec![
            ("fixed", T::HeatScaleFixed.get(lang).to_string()),
            ("relative", T::HeatScaleRelative.get(lang).to_string()),
        ];
        let scale = match h.scale {
            ScaleMode::Fixed => "fixed",
            ScaleMode::Relative => "relative",
        };
        view! {
            <div class="layer-row" data-testid="layer-row-heatmap">
                <label title=T::HeatmapTitle.get(lang)>
                    <input type="checkbox" name="heat-on" data-testid="heatmap-toggle" prop:checked=h.enabled />
                    <span class="layer-name">{T::Heatmap.get(lang)}</span>
                </label>
            </div>
            <div class="heatmap-controls" hidden=!h.enabled>
                <label class="heat-field">
                    <span>{T::HeatBandwidth.get(lang)}</span>
                    <input
                        type="number"
                        name="heat-bandwidth"
                        data-testid="heatmap-bandwidth"
                        min=Bandwidth::MIN_M
                        max=Bandwidth::MAX_M
                        step="50"
                        value=h.bandwidth.metres()
                    />
                </label>
                <label class="heat-field">
                    <span>{T::HeatWindow.get(lang)}</span>
                    <select name="heat-window" data-testid="heatmap-window">{options(windows, h.window.key())}</select>
                </label>
                {custom.map(|w| view! {
                    <label class="heat-field">
                        <span>{T::HeatFrom.get(lang)}</span>
                        <input type="datetime-local" name="heat-custom-from" data-testid="heatmap-custom-from"
                            value=local_input_text(w.from_ms) />
                    </label>
                    <label class="heat-field">
                        <span>{T::HeatTo.get(lang)}</span>
                        <input type="datetime-local" name="heat-custom-to" data-testid="heatmap-custom-to"
                            value=local_input_text(w.to_ms) />
                    </label>
                    <p class="list-zone" data-testid="heatmap-custom-zone">{locale::list_zone(lang, &device_zone_name(lang))}</p>
                })}
                <label class="heat-field">
                    <span>{T::HeatScale.get(lang)}</span>
                    <select name="heat-scale" data-testid="heatmap-scale">{options(scales, scale)}</select>
                </label>
                <label class="heat-check">
                    <input
                        type="checkbox"
                        name="heat-weighting"
                        data-testid="heatmap-weighting"
                        prop:checked=h.weighting == Weighting::Severity
                    />
                    <span>{T::HeatWeighting.get(lang)}</span>
                </label>
            </div>
        }
    };
    let on = move || settings.with(|h| h.enabled);
    view! {
        <section class="heatmap-panel" data-testid="heatmap-panel" aria-label=T::Heatmap.get(lang) on:change=on_change>
            {controls}
            <p class="heat-refused" role="alert" data-testid="heatmap-bandwidth-error">{refused}</p>
            // The engine's part (loaded on first use) could not be fetched: said, with a retry
            // (the next frame asks again).
            {move || (on() && state.heat_engine.get() == Some(false))
                .then(|| crate::split::refused(lang, "heat-refused part-unavailable"))}
            <div class="heatmap-shown" hidden=move || !on()>
                // Not while the engine's part is refused: the line above says so, once.
                <Show when=move || on() && state.heat_engine.get() != Some(false)>
                    {move || heat_legend(())}
                </Show>
            </div>
        </section>
    }
}

crate::split::split_view! {
    /// The legend (the ramp, its figures, the history's line): the part `heatmap`, fetched with
    /// the engine when the heatmap is first shown.
    heatmap: fn heat_legend(_none: ()) {
        let state = use_app();
        let lang = state.lang.get_untracked();
        let settings = state.heatmap;
        let shown = state.heatmap_shown;
        let history = state.history;
        let gradients = [
            ramp_gradient(Ramp::Sequential),
            ramp_gradient(Ramp::Diverging),
        ];
        let legend = move || {
            let s = shown.get();
            let top = s.and_then(|s| s.top_per_km2);
            let difference = s.is_some_and(|s| s.difference);
            let peak = s.map_or(0.0, |s| s.peak_per_km2);
            let bandwidth = s.map_or_else(
                || settings.with(|h| h.bandwidth.metres()),
                |s| s.bandwidth_m,
            );
            let line = match history.status.get() {
                HistoryStatus::Idle => None,
                HistoryStatus::Loading => Some((
                    "loading",
                    words::history_loading(lang, history.counts.with(|c| c.reports)),
                )),
                HistoryStatus::Loaded => Some((
                    "loaded",
                    words::history_loaded(lang, history.counts.with(|c| c.reports)),
                )),
                HistoryStatus::Absent => Some(("absent", words::no_history(lang).to_string())),
                HistoryStatus::Failed(p) => Some((
                    "failed",
                    words::history_failed(lang, &p, history.counts.with(|c| c.reports)),
                )),
            };
            view! {
                <div
                    class="heatmap-legend"
                    data-testid="heatmap-legend"
                    data-peak-per-km2=s.map(|s| s.peak_per_km2.to_string())
                    data-top-per-km2=top.map(|t| t.to_string())
                    data-bandwidth-m=bandwidth.to_string()
                    data-difference=difference.to_string()
                    data-reports=s.map(|s| s.reports.to_string())
                >
                    <div class="heat-ramp" style:background=gradients[usize::from(difference)].clone()></div>
                    <div class="heat-ticks">
                        <span>{if difference {
                            format!("−{}", per_km2_text(lang, top.unwrap_or(0.0)))
                        } else {
                            "0".to_string()
                        }}</span>
                        <span>{if difference { "0".to_string() } else { per_km2_text(lang, top.unwrap_or(0.0) / 2.0) }}</span>
                        <span>{if difference { "+" } else { "" }}{per_km2_text(lang, top.unwrap_or(0.0))}</span>
                    </div>
                    <div class="heat-units">
                        {if difference { T::HeatUnitsPerDay.get(lang) } else { T::HeatUnits.get(lang) }}
                        " · "
                        {words::peak(lang, &per_km2_text(lang, peak))}
                    </div>
                </div>
                {line.map(|(key, text)| view! {
                    <p class="heat-history" data-testid="heatmap-history" data-state=key>{text}</p>
                })}
            }
        };
        legend.into_any()
    }
}

/// The history's row of the diagnostics panel: reports held, memory, pages, skipped features
/// (shown once the history has been asked for).
#[component]
pub fn HistoryDiagnostics() -> impl IntoView {
    let state = use_app();
    let history = state.history;
    let lang = state.lang.get_untracked();
    move || {
        let asked = history.status.with(|s| *s != HistoryStatus::Idle);
        let c = history.counts.get();
        asked.then(|| {
            view! {
                <section
                    class="history-diagnostics"
                    class:has-errors={c.skipped > 0}
                    data-testid="history-diagnostics"
                    data-reports=c.reports.to_string()
                    data-bytes=c.bytes.to_string()
                    data-skipped=c.skipped.to_string()
                    aria-label=T::HistoryDiagnosticsLabel.get(lang)
                >
                    {words::history_diagnostics(state.lang.get(), &c)}
                </section>
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_report_their_changes() {
        assert_eq!(Change::of("heat-on", "on", true), Some(Change::On(true)));
        assert_eq!(
            Change::of("heat-bandwidth", " 750 ", false),
            Some(Change::Bandwidth(Ok(Bandwidth::new(750.0).unwrap())))
        );
        for typed in ["20", "60000", "abc", "", "NaN"] {
            assert_eq!(
                Change::of("heat-bandwidth", typed, false),
                Some(Change::Bandwidth(Err(typed.to_string()))),
                "{typed}"
            );
        }
        assert_eq!(
            Change::of("heat-window", "7d", false),
            Some(Change::Window(HeatWindow::Days7))
        );
        assert_eq!(Change::of("heat-window", "2w", false), None);
        assert_eq!(
            Change::of("heat-scale", "relative", false),
            Some(Change::Scale(ScaleMode::Relative))
        );
        assert_eq!(
            Change::of("heat-weighting", "on", true),
            Some(Change::Weighting(Weighting::Severity))
        );
        assert_eq!(Change::of("zone-name", "x", false), None);
    }

    #[test]
    fn legend_numbers_and_gradient() {
        let en = |v| per_km2_text(Lang::En, v);
        assert_eq!(en(0.0), "0");
        assert_eq!(en(f64::NAN), "0");
        assert_eq!(en(0.1234), "0.123");
        assert_eq!(en(5.0), "5.00");
        assert_eq!(en(12.345), "12.3");
        assert_eq!(en(1250.4), "1,250");
        assert_eq!(per_km2_text(Lang::Fr, 1250.4), "1\u{202F}250");
        let g = ramp_gradient(Ramp::Sequential);
        assert!(
            g.starts_with("linear-gradient(to right, rgba(0,0,0,0.00) 0%"),
            "{g}"
        );
        assert!(g.ends_with("rgba(252,255,164,0.95) 100%)"), "{g}");
    }
}
