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
use crate::core::heatmap::history::Weighting;
use crate::core::heatmap::ramp::{Ramp, colour};
use crate::core::heatmap::settings::{HeatWindow, ScaleMode};
use crate::history::HistoryStatus;
use crate::state::use_app;
use crate::strings::{T, heatmap as words};

/// The legend's ramp as a CSS gradient (left: 0, right: the ramp's top).
pub fn ramp_gradient() -> String {
    let stops: Vec<String> = (0..=8)
        .map(|k| {
            let t = k as f32 / 8.0;
            let [r, g, b, a] = colour(Ramp::Sequential, t);
            format!(
                "rgba({r},{g},{b},{:.2}) {}%",
                f32::from(a) / 255.0,
                k * 100 / 8
            )
        })
        .collect();
    format!("linear-gradient(to right, {})", stops.join(", "))
}

/// A density for the legend: 3 significant digits at most ("0.125", "12.5", "1250").
pub fn per_km2_text(v: f64) -> String {
    if !v.is_finite() || v <= 0.0 {
        "0".to_string()
    } else if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else if v >= 1.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.3}")
    }
}

/// On/off, bandwidth, window, scale, weighting, the legend and the history's state.
#[component]
pub fn HeatmapPanel() -> impl IntoView {
    let state = use_app();
    let lang = state.lang.get_untracked();
    let settings = state.heatmap;
    let on = move || settings.with(|h| h.enabled);
    let (refused, set_refused) = signal(None::<String>);
    let on_bandwidth = move |ev: leptos::ev::Event| {
        let typed = event_target_value(&ev);
        match typed.trim().parse::<f64>().ok().map(Bandwidth::new) {
            Some(Ok(b)) => {
                set_refused.set(None);
                settings.update(|h| h.bandwidth = b);
            }
            _ => set_refused.set(Some(words::bandwidth_refused(
                state.lang.get_untracked(),
                &typed,
            ))),
        }
    };
    let windows = move || {
        HeatWindow::PRESETS
            .iter()
            .map(|(key, w)| {
                let w = *w;
                view! {
                    <option value=*key selected=move || settings.with(|h| h.window == w)>
                        {words::window(lang, w)}
                    </option>
                }
            })
            .collect_view()
    };
    let on_window = move |ev: leptos::ev::Event| {
        let key = event_target_value(&ev);
        if let Some((_, w)) = HeatWindow::PRESETS.iter().find(|(k, _)| *k == key) {
            settings.update(|h| h.window = *w);
        }
    };
    let on_scale = move |ev: leptos::ev::Event| {
        let scale = if event_target_value(&ev) == "relative" {
            ScaleMode::Relative
        } else {
            ScaleMode::Fixed
        };
        settings.update(|h| h.scale = scale);
    };
    let shown = state.heatmap_shown;
    let top = move || shown.get().and_then(|s| s.top_per_km2);
    let history = state.history;
    let history_line = move || {
        let lang = state.lang.get();
        let reports = history.counts.with(|c| c.reports);
        match history.status.get() {
            HistoryStatus::Idle => None,
            HistoryStatus::Loading => Some(("loading", words::history_loading(lang, reports))),
            HistoryStatus::Loaded => Some(("loaded", words::history_loaded(lang, reports))),
            HistoryStatus::Absent => Some(("absent", words::no_history(lang).to_string())),
            HistoryStatus::Failed(p) => Some(("failed", words::history_failed(lang, &p, reports))),
        }
    };
    let gradient = ramp_gradient();
    view! {
        <section class="heatmap-panel" data-testid="heatmap-panel" aria-label=T::Heatmap.get(lang)>
            <div class="layer-row" data-testid="layer-row-heatmap">
            <label title=T::HeatmapTitle.get(lang)>
                <input
                    type="checkbox"
                    data-testid="heatmap-toggle"
                    prop:checked=on
                    on:change=move |ev| state.show_heatmap(event_target_checked(&ev))
                />
                <span class="layer-name">{T::Heatmap.get(lang)}</span>
            </label>
            </div>
            <Show when=on>
                <div class="heatmap-controls">
                    <label class="heat-field">
                        <span>{T::HeatBandwidth.get(lang)}</span>
                        <input
                            type="number"
                            data-testid="heatmap-bandwidth"
                            min=Bandwidth::MIN_M
                            max=Bandwidth::MAX_M
                            step="50"
                            prop:value=move || settings.with(|h| h.bandwidth.metres().to_string())
                            on:change=on_bandwidth
                        />
                    </label>
                    {move || refused.get().map(|r| view! {
                        <p class="heat-refused" role="alert" data-testid="heatmap-bandwidth-error">{r}</p>
                    })}
                    <label class="heat-field">
                        <span>{T::HeatWindow.get(lang)}</span>
                        <select data-testid="heatmap-window" on:change=on_window>{windows()}</select>
                    </label>
                    <label class="heat-field">
                        <span>{T::HeatScale.get(lang)}</span>
                        <select data-testid="heatmap-scale" on:change=on_scale>
                            <option value="fixed" selected=move || settings.with(|h| h.scale == ScaleMode::Fixed)>
                                {T::HeatScaleFixed.get(lang)}
                            </option>
                            <option value="relative" selected=move || settings.with(|h| h.scale == ScaleMode::Relative)>
                                {T::HeatScaleRelative.get(lang)}
                            </option>
                        </select>
                    </label>
                    <label class="heat-check">
                        <input
                            type="checkbox"
                            data-testid="heatmap-weighting"
                            prop:checked=move || settings.with(|h| h.weighting == Weighting::Severity)
                            on:change=move |ev| {
                                let w = if event_target_checked(&ev) { Weighting::Severity } else { Weighting::Count };
                                settings.update(|h| h.weighting = w);
                            }
                        />
                        <span>{T::HeatWeighting.get(lang)}</span>
                    </label>
                    <div
                        class="heatmap-legend"
                        data-testid="heatmap-legend"
                        data-peak-per-km2=move || shown.get().map(|s| s.peak_per_km2.to_string())
                        data-top-per-km2=move || top().map(|t| t.to_string())
                        data-bandwidth-m=move || shown.get().map_or_else(
                            || settings.with(|h| h.bandwidth.metres()),
                            |s| s.bandwidth_m,
                        ).to_string()
                        data-reports=move || shown.get().map(|s| s.reports.to_string())
                    >
                        <div class="heat-ramp" style:background=gradient.clone()></div>
                        <div class="heat-ticks">
                            <span>"0"</span>
                            <span>{move || per_km2_text(top().unwrap_or(0.0) / 2.0)}</span>
                            <span>{move || per_km2_text(top().unwrap_or(0.0))}</span>
                        </div>
                        <div class="heat-units">
                            {T::HeatUnits.get(lang)} " · "
                            {move || words::peak(state.lang.get(), &per_km2_text(shown.get().map_or(0.0, |s| s.peak_per_km2)))}
                        </div>
                    </div>
                    {move || history_line().map(|(key, text)| view! {
                        <p class="heat-history" data-testid="heatmap-history" data-state=key class:has-errors=key == "failed">{text}</p>
                    })}
                </div>
            </Show>
        </section>
    }
}

/// The history's row of the diagnostics panel: reports held, memory, pages, skipped features
/// (shown once the history has been asked for).
#[component]
pub fn HistoryDiagnostics() -> impl IntoView {
    let state = use_app();
    let history = state.history;
    let lang = state.lang.get_untracked();
    let asked = move || history.status.with(|s| *s != HistoryStatus::Idle);
    view! {
        <Show when=asked>
            <section
                class="history-diagnostics"
                class:has-errors=move || history.counts.with(|c| c.skipped > 0)
                data-testid="history-diagnostics"
                data-reports=move || history.counts.with(|c| c.reports.to_string())
                data-bytes=move || history.counts.with(|c| c.bytes.to_string())
                data-skipped=move || history.counts.with(|c| c.skipped.to_string())
                aria-label=T::HistoryDiagnosticsLabel.get(lang)
            >
                {move || history.counts.with(|c| words::history_diagnostics(state.lang.get(), c))}
            </section>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legend_numbers_and_gradient() {
        assert_eq!(per_km2_text(0.0), "0");
        assert_eq!(per_km2_text(f64::NAN), "0");
        assert_eq!(per_km2_text(0.1234), "0.123");
        assert_eq!(per_km2_text(5.0), "5.00");
        assert_eq!(per_km2_text(12.345), "12.3");
        assert_eq!(per_km2_text(1250.4), "1250");
        let g = ramp_gradient();
        assert!(
            g.starts_with("linear-gradient(to right, rgba(0,0,0,0.00) 0%"),
            "{g}"
        );
        assert!(g.ends_with("rgba(252,255,164,0.95) 100%)"), "{g}");
    }
}
