//! The panels around the map: layers and legend (the app puts the zone panel between them),
//! info card, error banners, scale bar (with the coordinates readout the app passes), zoom controls, attribution and the
//! `?perf` overlay.
//!
//! Every text of the UI comes from `strings` in the app's language (`AppState::lang`).
//! Every string that comes from data (names, properties, error messages quoting the data) is
//! rendered as a text node by the `view!` macro, never as HTML.

use leptos::prelude::*;

use crate::core::model::{FeatureKind, FenceKind, LayerId, PortKind};
use crate::core::scale_bar::scale_bar;
use crate::core::viewport::{Viewport, region_bounds};
use crate::render::style;
use crate::state::{LayerState, map_size, use_app};
use crate::strings::{Lang, T, labels, locale, messages, problems};
use crate::widgets::{property_row, wall_clocks};

/// Layer toggles with counts, then `children` (the app passes the zone panel), then the legend.
#[component]
pub fn LayerPanel(#[prop(optional)] children: Option<Children>) -> impl IntoView {
    let state = use_app();
    let lang = state.lang.get_untracked();
    let rows = LayerId::ALL
        .into_iter()
        .map(|id| {
            let key = id.key();
            let checked = move || state.visibility.get().get(id);
            let count = move || match state.layer(id) {
                LayerState::Loading => "…".to_string(),
                LayerState::Loaded { data, .. } => data.features.len().to_string(),
                LayerState::Failed { .. } => "0".to_string(),
            };
            let failed = move || {
                matches!(state.layer(id), LayerState::Failed { .. })
                    || state
                        .layer(id)
                        .data()
                        .is_some_and(|d| !d.skipped.is_empty())
            };
            view! {
                <li class="layer-row" data-testid=format!("layer-row-{key}") class:has-error=failed>
                    <label>
                        <input
                            type="checkbox"
                            data-testid=format!("layer-toggle-{key}")
                            prop:checked=checked
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                state.visibility.update(|v| v.set(id, on));
                            }
                        />
                        <span class="layer-name">{labels::layer(lang, id)}</span>
                        <span class="layer-count" data-testid=format!("layer-count-{key}")>
                            {count}
                        </span>
                    </label>
                </li>
            }
        })
        .collect_view();
    // The raster tile layer is offered only when the config names a tile server.
    let has_tiles = move || {
        state
            .config
            .get()
            .and_then(|c| c.ok())
            .is_some_and(|c| c.tiles.is_some())
    };
    let tiles_row = move || {
        has_tiles().then(|| {
            view! {
                <li class="layer-row" data-testid="layer-row-tiles">
                    <label>
                        <input
                            type="checkbox"
                            data-testid="layer-toggle-tiles"
                            prop:checked=move || state.tiles_on.get()
                            on:change=move |ev| state.tiles_on.set(event_target_checked(&ev))
                        />
                        <span class="layer-name">{T::RasterTiles.get(lang)}</span>
                    </label>
                </li>
            }
        })
    };
    // The geofencing zones (loaded and drawn): drawing on/off; counts and alerts go on.
    let zone_count = move || {
        state
            .geofence
            .active
            .get()
            .map_or_else(|| "…".to_string(), |a| a.set.zones.len().to_string())
    };
    let zones_row = view! {
        <li class="layer-row" data-testid="layer-row-zones">
            <label>
                <input
                    type="checkbox"
                    data-testid="layer-toggle-zones"
                    prop:checked=move || state.zones_on.get()
                    on:change=move |ev| state.zones_on.set(event_target_checked(&ev))
                />
                <span class="layer-name">{T::Zones.get(lang)}</span>
                <span class="layer-count" data-testid="layer-count-zones">{zone_count}</span>
            </label>
        </li>
    };
    view! {
        <aside class="panel layer-panel" data-testid="layer-panel" data-map-reserved="" aria-label=T::Layers.get(lang)>
            <h2>{T::Layers.get(lang)}</h2>
            <ul class="layer-list">{rows} {zones_row} {tiles_row}</ul>
            {children.map(|c| c())}
            <Legend lang=lang />
        </aside>
    }
}

#[component]
fn Legend(lang: Lang) -> impl IntoView {
    let fences = FenceKind::ALL
        .into_iter()
        .map(|k| {
            let (colour, width, _) = style::fence_style(k);
            let height = format!("{}px", width.max(2.0));
            view! {
                <li>
                    <span class="swatch line" style:background=colour style:height=height></span>
                    {labels::fence(lang, k)}
                </li>
            }
        })
        .collect_view();
    let ports = PortKind::ALL
        .into_iter()
        .filter(|k| *k != PortKind::Other)
        .map(|k| {
            let (colour, _) = style::port_style(k);
            let class = format!("swatch icon icon-{}", k.key());
            view! {
                <li>
                    <span class=class style:background=colour></span>
                    {labels::port(lang, k)}
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="legend" data-testid="legend">
            <h3>{T::Legend.get(lang)}</h3>
            <ul>
                {fences}
                <li>
                    <span class="swatch sector"></span>
                    {T::LegendCamera.get(lang)}
                </li>
                <li>
                    <span class="swatch cluster"></span>
                    {T::LegendCluster.get(lang)}
                </li>
                {ports}
                <li>
                    <span class="swatch line dashed" style:border-color=style::BORDER></span>
                    {T::LegendBorder.get(lang)}
                </li>
            </ul>
            <h3 class="legend-incidents">{T::Incidents.get(lang)}</h3>
            <ul>
                <li class="severity-scale" title=T::SeverityScale.get(lang)>
                    <span class="swatch-label">{T::Severity.get(lang)}</span>
                    {(1..=5u8).map(|n| view! {
                        <span class=format!("sev-swatch sev-{n}")>{n.to_string()}</span>
                    }).collect_view()}
                </li>
                <li>
                    <span class="swatch sev-swatch-hollow"></span>
                    {T::LegendClosed.get(lang)}
                </li>
                <li>
                    <span class="swatch density-swatch"></span>
                    {T::LegendDensity.get(lang)}
                </li>
            </ul>
        </div>
    }
}

/// One banner per layer (or config) that failed or skipped features.
#[component]
pub fn ErrorBanners() -> impl IntoView {
    let state = use_app();
    let banners = move || {
        let lang = state.lang.get();
        let mut out: Vec<(String, String)> = Vec::new();
        if let Some(Err(e)) = state.config.get() {
            out.push(("config".into(), messages::config_banner(lang, &e)));
        }
        for id in LayerId::ALL {
            let title = labels::layer(lang, id);
            match state.layer(id) {
                LayerState::Failed { error } => {
                    out.push((id.key().into(), messages::layer_failed(lang, title, &error)))
                }
                LayerState::Loaded { data, .. } if !data.skipped.is_empty() => {
                    let first = data
                        .skipped
                        .first()
                        .map_or(String::new(), |s| problems::skipped_feature(lang, s));
                    out.push((
                        id.key().into(),
                        messages::layer_skipped(
                            lang,
                            title,
                            data.skipped.len(),
                            data.features.len(),
                            &first,
                        ),
                    ));
                }
                _ => {}
            }
        }
        out
    };
    view! {
        <div class="banners" aria-live="polite">
            <For each=banners key=|b| b.clone() let:b>
                <div class="error-banner" role="alert" data-testid="error-banner" data-layer=b.0.clone()>
                    <span class="banner-icon" aria-hidden="true">"⚠"</span>
                    <span class="banner-text">{b.1.clone()}</span>
                </div>
            </For>
        </div>
    }
}

/// The selected feature's properties.
#[component]
pub fn InfoCard() -> impl IntoView {
    let state = use_app();
    let content = move || {
        let sel = state.selection.get()?;
        let data = state.layer(sel.layer).data()?.clone();
        let f = data.features.get(sel.feature)?.clone();
        Some((sel, f))
    };
    move || {
        content().map(|(sel, f)| {
            let lang = state.lang.get();
            let kind = match &f.kind {
                FeatureKind::Fence(k) => labels::fence(lang, *k).to_string(),
                FeatureKind::Camera(c) => {
                    messages::camera_line(lang, c.bearing.degrees(), c.fov_deg, c.range_m)
                }
                FeatureKind::Port(k) => labels::port(lang, *k).to_string(),
                FeatureKind::Land => T::Land.get(lang).to_string(),
            };
            let title = f.name.clone().unwrap_or_else(|| f.id.clone());
            let names = state
                .config
                .get_untracked()
                .and_then(|c| c.ok())
                .unwrap_or_default()
                .properties;
            let rows = f
                .properties
                .iter()
                .map(|(k, v)| property_row(lang, &names, k, v))
                .collect_view();
            view! {
                <section class="panel info-card" data-testid="info-card" class:pinned=sel.pinned aria-label=T::FeatureDetails.get(lang)>
                    <header>
                        <h2 data-testid="info-card-title">{title}</h2>
                        <button
                            class="close"
                            data-testid="info-card-close"
                            aria-label=T::Close.get(lang)
                            on:click=move |_| state.selection.set(None)
                        >
                            "×"
                        </button>
                    </header>
                    <p class="info-kind">{kind}</p>
                    <table>
                        <tbody>{rows}</tbody>
                    </table>
                </section>
            }
        })
    }
}

/// Zoom in / out and fit-to-region buttons.
#[component]
pub fn Controls() -> impl IntoView {
    let state = use_app();
    let lang = state.lang.get_untracked();
    let fit = move |_| {
        let (w, h, dpr, _) = map_size(state.mode.get_untracked());
        state
            .view
            .set(Viewport::fit(&region_bounds(), w, h, dpr, 24.0));
    };
    view! {
        <div class="controls" data-map-reserved="" role="group" aria-label=T::Zoom.get(lang)>
            <button data-testid="zoom-in" title=T::ZoomInKey.get(lang) aria-label=T::ZoomIn.get(lang) on:click=move |_| state.zoom_centre(1.0)>"+"</button>
            <button data-testid="zoom-out" title=T::ZoomOutKey.get(lang) aria-label=T::ZoomOut.get(lang) on:click=move |_| state.zoom_centre(-1.0)>"−"</button>
            <button data-testid="fit-region" title=T::FitRegion.get(lang) aria-label=T::FitRegion.get(lang) on:click=fit>"⤢"</button>
        </div>
    }
}

/// Scale bar, the cursor's position (`children`: the app passes the coordinates readout,
/// `grids_ui::CoordReadout`), the clocks and attribution along the bottom; `lead` first (the
/// app passes the tablet layout's tab bar).
#[component]
pub fn StatusBar(#[prop(optional)] lead: Option<AnyView>, children: Children) -> impl IntoView {
    let state = use_app();
    let bar = Memo::new(move |_| {
        let v = state.view.get();
        scale_bar(v.ground_metres_per_css_px(), 140.0)
    });
    let attribution = move || {
        let config = state.config.get().and_then(|c| c.ok()).unwrap_or_default();
        match config.tiles {
            Some(t) if state.tiles_on.get() && !t.attribution.is_empty() => {
                messages::attribution_with_tiles(
                    state.lang.get(),
                    &config.basemap_attribution,
                    &t.attribution,
                )
            }
            _ => config.basemap_attribution,
        }
    };
    view! {
        <footer class="status-bar" data-map-reserved="">
            {lead}
            <div class="scale-bar" data-testid="scale-bar">
                <div
                    class="scale-bar-line"
                    style:width=move || format!("{:.1}px", bar.get().map_or(0.0, |b| b.width_css))
                ></div>
                <span data-testid="scale-bar-label">{move || bar.get().map(|b| locale::length(state.lang.get(), b.length_m)).unwrap_or_default()}</span>
            </div>
            {children()}
            <div class="status-clocks" data-testid="status-clocks" title=T::Clocks.get(state.lang.get_untracked())>
                {move || wall_clocks(state.lang.get(), state.incidents.clock.get() as f64).join(" · ")}
            </div>
            <div class="attribution" data-testid="attribution">
                {attribution}
            </div>
        </footer>
    }
}

/// `?perf`: the last frame's cost and the feature counts.
#[component]
pub fn PerfOverlay() -> impl IntoView {
    let state = use_app();
    let text = move || {
        let f = state.last_frame.get();
        let counts: Vec<String> = LayerId::ALL
            .iter()
            .map(|id| {
                let n = state.layer(*id).data().map_or(0, |d| d.features.len());
                format!("{} {n}", id.key())
            })
            .collect();
        match f {
            Some(f) => locale::perf_line(
                state.lang.get(),
                f.ms,
                f.kind.key(),
                f.features_drawn,
                &counts.join(" · "),
            ),
            None => T::NoFrameYet.get(state.lang.get()).to_string(),
        }
    };
    view! {
        <div class="perf-overlay" data-testid="perf-overlay" data-frame-ms=move || state.last_frame.get().map(|f| format!("{:.2}", f.ms))>
            {text}
        </div>
    }
}
