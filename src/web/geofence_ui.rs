//! Geofencing panels: the zone list with live counts and the zone editor's buttons (Edit /
//! Delete per drawn zone, Draw / Export / Import; the app puts the list in the layer panel),
//! the zone problems (the app puts them in the incident panel) and the alert ticker (left
//! column) with the critical flash. The incident card's zone rows are `incident_ui`'s. The zone
//! list and the alert list are one tab stop each, with the arrow keys inside (`roving`).
//!
//! Units: counts are open incidents; distances are ground metres, shown in m or km; times are
//! local clock time labelled with this device's zone. Every text from the zones file or the API is rendered as text.

use leptos::prelude::*;

use crate::core::geofence::Origin;
use crate::core::model::LayerId;
use crate::core::units::Zoom;
use crate::core::viewport::Viewport;
use crate::env::{download, js_error_text};
use crate::geofence::{ActiveZones, ZonesState};
use crate::roving::{Roving, event_element};
use crate::state::use_app;
use crate::strings::{Lang, T, labels, messages, problems};
use crate::widgets::{clock_ms, distance_text};
use crate::zone_editor::{
    CORRUPT_KEY, ImportFailure, ImportReport, MAX_IMPORT_BYTES, Mode, StorageProblem, ZoneEditor,
    check_import_size,
};

/// Alerts shown at once in the ticker (the rest are kept, newest first).
const TICKER_SHOWN: usize = 6;

/// The per-zone load problems: the zones file that failed, its skipped zones, drawn zones
/// renamed because a loaded zone has their id.
pub fn zone_problems(lang: Lang, active: Option<&ActiveZones>, state: &ZonesState) -> Vec<String> {
    let Some(a) = active else {
        return match state {
            ZonesState::Failed { error, .. } => vec![messages::load_error(lang, error)],
            _ => Vec::new(),
        };
    };
    let mut out: Vec<String> = a
        .failed
        .iter()
        .map(|e| messages::load_error(lang, e))
        .collect();
    out.extend(a.set.rejected.iter().map(|r| problems::zone_error(lang, r)));
    out.extend(
        a.renamed
            .iter()
            .map(|(from, to)| messages::drawn_renamed(lang, from, to)),
    );
    out
}

/// The problems with the drawn zones saved in the browser: reading them at start, the last
/// save.
fn storage_problems(lang: Lang, ed: ZoneEditor) -> Vec<String> {
    let mut out: Vec<String> = ed.load_problems.with(|ps| {
        ps.iter()
            .map(|p| match p {
                StorageProblem::Unreadable(e) => problems::saved_unreadable(lang, e),
                StorageProblem::Damaged { error, kept } => {
                    problems::saved_damaged(lang, error, kept.then_some(CORRUPT_KEY))
                }
                StorageProblem::Skipped(z) => problems::saved_zone_skipped(lang, z),
            })
            .collect()
    });
    out.extend(
        ed.save_error
            .with(|e| e.as_ref().map(|e| problems::save_failed(lang, e))),
    );
    out
}

/// Why a whole file was not imported.
fn import_failure(lang: Lang, e: &ImportFailure) -> String {
    match e {
        ImportFailure::TooBig(bytes) => {
            messages::file_too_big(lang, bytes / 1e6, MAX_IMPORT_BYTES / 1e6)
        }
        ImportFailure::NotText => T::NotText.get(lang).to_string(),
        ImportFailure::Unreadable(detail) => messages::file_unreadable(lang, detail),
        ImportFailure::NotZones(e) => problems::zone_file_error(lang, e),
    }
}

/// The zones (loaded, then drawn) with their live counts, the drawing tools, skipped zones
/// and the load problem, if any.
#[component]
pub fn ZonePanel() -> impl IntoView {
    let state = use_app();
    let geo = state.geofence;
    let lang = state.lang.get_untracked();
    let rows = move || {
        let Some(active) = geo.active.get() else {
            return Vec::new();
        };
        let counts = geo.counts.get();
        let drawn = geo.drawn.get();
        let set = active.set.clone();
        set.zones
            .iter()
            .zip(active.origins.iter().copied())
            .enumerate()
            .map(|(i, (z, origin))| {
                let drawn_id = match origin {
                    Origin::Drawn(j) => drawn.zones.get(j).map(|d| d.id.clone()),
                    Origin::Loaded(_) => None,
                };
                let source = match origin {
                    Origin::Drawn(_) => "drawn",
                    Origin::Loaded(_) => "file",
                };
                let count = counts.get(i).copied().unwrap_or(0);
                let bounds = z.bounds;
                let occupied = count > 0;
                let go = move |_| {
                    let v = state.view.get_untracked();
                    let fit = Viewport::fit(&bounds, v.width_css(), v.height_css(), v.dpr(), 48.0);
                    state.fly_to(fit.center(), Zoom::clamped(fit.zoom().get().min(16.0)));
                };
                view! {
                    <li class="zone-item" data-testid="zone-item" data-source=source>
                        <button
                            class=format!("zone-row zone-{}", z.kind.key())
                            class:critical=z.rules.critical
                            class:occupied=occupied
                            data-testid="zone-row"
                            data-zone-id=z.id.clone()
                            data-count=count.to_string()
                            data-source=source
                            tabindex="-1"
                            title=messages::zone_row_title(lang, z.kind)
                            on:click=go
                        >
                            <span class="zone-swatch" aria-hidden="true"></span>
                            <span class="zone-name">{z.name.clone()}</span>
                            <span class="zone-count">{count}</span>
                        </button>
                        {row_actions(lang, origin, drawn_id, z.name.clone())}
                    </li>
                }
            })
            .collect::<Vec<_>>()
    };
    // One tab stop for the zone buttons, the arrow keys among them, the focus kept while the
    // live counts render the rows again (`roving`).
    let roving = Roving::new("data-zone-id");
    let list_ref = NodeRef::<leptos::html::Ul>::new();
    Effect::new(move |_| {
        geo.active.track();
        geo.counts.track();
        geo.drawn.track();
        roving.settle_next_frame(move || list_ref.try_get_untracked().flatten().map(Into::into));
    });
    let problems = move || zone_problems(state.lang.get(), geo.active.get().as_ref(), &geo.state());
    let coverage = move || {
        let fences = state.layer(LayerId::Fences);
        let cameras = state.layer(LayerId::Cameras);
        let config = geo.active.get()?.config;
        let (Some(f), Some(c)) = (fences.data(), cameras.data()) else {
            return None;
        };
        let gaps = geo.gaps(
            f,
            c,
            (fences.version(), cameras.version()),
            config.gap_spacing_m,
        )?;
        Some(view! {
            <p
                class="coverage-gap"
                data-testid="coverage-gap"
                data-uncovered-m=format!("{:.0}", gaps.uncovered_m)
                data-fence-m=format!("{:.0}", gaps.fence_m)
                title=messages::coverage_sampling(lang, gaps.spacing_m)
            >
                <span class="gap-swatch" aria-hidden="true"></span>
                {messages::coverage_gap(
                    lang,
                    &distance_text(lang, gaps.uncovered_m),
                    &distance_text(lang, gaps.fence_m),
                    gaps.gaps.len(),
                )}
            </p>
        })
    };
    let export_error = RwSignal::new(None::<String>);
    let export = move |name: &'static str| {
        let (text, mime) = if name.ends_with(".csv") {
            (geo.log_csv(T::ZoneLogCsvHeader.get(lang)), "text/csv")
        } else {
            (geo.log_geojson(), "application/geo+json")
        };
        let result = match text {
            Some(t) => download(name, mime, &t).map_err(|e| problems::download_error(lang, &e)),
            None => Err(T::NoEventLog.get(lang).to_string()),
        };
        export_error.set(result.err());
    };
    view! {
        <section class="zone-panel" data-testid="zone-panel" aria-label=T::Zones.get(lang)>
            <h2>{T::Zones.get(lang)}</h2>
            <Show when=move || matches!(geo.state(), ZonesState::Loading)>
                <p class="muted">{T::LoadingZones.get(lang)}</p>
            </Show>
            <ul
                class="zone-list"
                data-testid="zone-list"
                node_ref=list_ref
                on:keydown=move |ev| roving.on_key_down(&ev)
                on:focusin=move |ev| roving.focus_in(event_element(ev.target()))
                on:focusout=move |ev| roving.on_focus_out(&ev)
            >
                {rows}
            </ul>
            <ZoneTools lang=lang />
            {coverage}
            <div class="zone-export">
                <span>{T::ZoneEventLog.get(lang)}</span>
                <button data-testid="export-log-geojson" on:click=move |_| export("zone-events.geojson")>"GeoJSON"</button>
                <button data-testid="export-log-csv" on:click=move |_| export("zone-events.csv")>"CSV"</button>
            </div>
            <Show when=move || export_error.get().is_some()>
                <p class="zone-problems" role="alert" data-testid="export-error">{move || export_error.get()}</p>
            </Show>
            <ul class="zone-problems" data-testid="zone-problems" data-count=move || problems().len().to_string()>
                {move || problems().into_iter().map(|p| view! { <li role="alert">{p}</li> }).collect::<Vec<_>>()}
            </ul>
        </section>
    }
}

/// "Edit" and "Delete" (with an inline "Delete? Yes / No") for a drawn zone's row; a
/// "read-only" tag for a loaded one. `drawn_id`: the id in the drawn list.
fn row_actions(lang: Lang, origin: Origin, drawn_id: Option<String>, name: String) -> AnyView {
    let ed = use_app().zone_editor;
    let Origin::Drawn(_) = origin else {
        return view! {
            <span class="zone-source" data-testid="zone-readonly" title=T::ReadOnlyTitle.get(lang)>
                {T::Fixed.get(lang)}
            </span>
        }
        .into_any();
    };
    let Some(id) = drawn_id else {
        return ().into_any();
    };
    let confirming = {
        let id = id.clone();
        move || {
            ed.confirm_delete
                .with(|c| c.as_deref() == Some(id.as_str()))
        }
    };
    let (id_edit, id_ask, id_yes) = (id.clone(), id.clone(), id.clone());
    view! {
        <span class="zone-actions">
            <Show
                when=confirming
                fallback=move || {
                    let (a, b) = (id_edit.clone(), id_ask.clone());
                    view! {
                        <button
                            class="zone-action"
                            data-testid="zone-edit"
                            title=T::EditTitle.get(lang)
                            disabled=move || ed.mode.get() != Mode::Idle
                            on:click=move |_| ed.edit(&a)
                        >
                            {T::Edit.get(lang)}
                        </button>
                        <button class="zone-action" data-testid="zone-delete" title=T::DeleteTitle.get(lang) on:click=move |_| ed.confirm_delete.set(Some(b.clone()))>
                            {T::Delete.get(lang)}
                        </button>
                    }
                }
            >
                {
                    let yes = id_yes.clone();
                    let name = name.clone();
                    view! {
                        <span class="zone-confirm" role="alert" data-testid="zone-delete-confirm">
                            {messages::delete_zone_confirm(lang, &name)}
                        </span>
                        <button class="zone-action danger" data-testid="zone-delete-yes" on:click=move |_| ed.delete(&yes)>{T::Yes.get(lang)}</button>
                        <button class="zone-action" data-testid="zone-delete-no" on:click=move |_| ed.confirm_delete.set(None)>{T::No.get(lang)}</button>
                    }
                }
            </Show>
        </span>
    }
    .into_any()
}

/// Draw / export / import buttons, storage problems and the last import's report (in the
/// zone panel).
#[component]
fn ZoneTools(lang: Lang) -> impl IntoView {
    let state = use_app();
    let ed = state.zone_editor;
    let geo = state.geofence;
    let drawn_count = move || geo.drawn.with(|d| d.zones.len());
    let export_error = RwSignal::new(None::<String>);
    let export = move |_| {
        let text = ed.export_text();
        let result = download("calais-drawn-zones.geojson", "application/geo+json", &text);
        export_error.set(result.err().map(|e| problems::download_error(lang, &e)));
    };
    let on_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let file = input.files().and_then(|f| f.get(0));
        input.set_value("");
        let Some(file) = file else {
            return;
        };
        let name = file.name();
        if let Err(e) = check_import_size(file.size()) {
            ed.import_report.set(Some(ImportReport {
                error: Some(e),
                file: name,
                ..ImportReport::default()
            }));
            return;
        }
        leptos::task::spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(file.text()).await {
                Ok(v) => match v.as_string() {
                    Some(text) => ed.import_text(&name, &text),
                    None => ed.import_report.set(Some(ImportReport {
                        file: name,
                        error: Some(ImportFailure::NotText),
                        ..ImportReport::default()
                    })),
                },
                Err(e) => ed.import_report.set(Some(ImportReport {
                    file: name,
                    error: Some(ImportFailure::Unreadable(js_error_text(&e))),
                    ..ImportReport::default()
                })),
            }
        });
    };
    let problems = move || storage_problems(state.lang.get(), ed);
    let report = move || {
        ed.import_report.get().map(|r| {
            let lang = state.lang.get();
            let summary = match &r.error {
                Some(e) => messages::not_imported(lang, &r.file, &import_failure(lang, e)),
                None => {
                    let names: Vec<&str> = r.added.iter().map(|(_, n)| n.as_str()).collect();
                    messages::imported(lang, &r.file, &names, r.rejected.len())
                }
            };
            let failed = r.error.is_some() || !r.rejected.is_empty();
            view! {
                <div
                    class="zone-import-report"
                    class:has-errors=failed
                    role="status"
                    data-testid="zone-import-report"
                    data-added=r.added.len().to_string()
                    data-rejected=r.rejected.len().to_string()
                >
                    <p>{summary}</p>
                    <ul>
                        {r.renamed.iter().map(|(from, to)| view! {
                            <li data-testid="zone-import-renamed" data-zone-id=to.clone()>
                                {messages::import_renamed(lang, from, to)}
                            </li>
                        }).collect::<Vec<_>>()}
                        {r.rejected.iter().map(|z| view! {
                            <li class="rejected" data-testid="zone-import-rejected" data-zone-id=z.id.clone().unwrap_or_default()>
                                {problems::import_skipped(lang, z)}
                            </li>
                        }).collect::<Vec<_>>()}
                        {r.save_error.as_ref().map(|e| view! { <li class="rejected">{problems::save_failed(lang, e)}</li> })}
                    </ul>
                    <button class="zone-action" data-testid="zone-import-dismiss" on:click=move |_| ed.import_report.set(None)>
                        {T::Dismiss.get(lang)}
                    </button>
                </div>
            }
        })
    };
    let idle = move || ed.mode.get() == Mode::Idle;
    view! {
        <div class="zone-tools">
            <button
                class="zone-draw"
                data-testid="zone-draw"
                disabled=move || !idle()
                title=T::DrawZoneTitle.get(lang)
                on:click=move |_| {
                    state.selection.set(None);
                    state.incidents.selected.set(None);
                    ed.start_drawing();
                }
            >
                {T::DrawZone.get(lang)}
            </button>
            <button
                class="zone-action"
                data-testid="zone-export"
                disabled=move || drawn_count() == 0
                title=T::ExportTitle.get(lang)
                on:click=export
            >
                {T::Export.get(lang)}
            </button>
            <label class="zone-action zone-import" title=T::ImportTitle.get(lang)>
                {T::Import.get(lang)}
                <input
                    type="file"
                    accept=".geojson,.json,application/geo+json,application/json"
                    data-testid="zone-import-input"
                    on:change=on_file
                />
            </label>
        </div>
        <ul class="zone-problems" data-testid="zone-storage-error" data-count=move || problems().len().to_string()>
            {move || problems().into_iter().map(|p| view! { <li role="alert">{p}</li> }).collect::<Vec<_>>()}
        </ul>
        <Show when=move || export_error.get().is_some()>
            <p class="zone-problems" role="alert" data-testid="zone-export-error">{move || export_error.get()}</p>
        </Show>
        {report}
    }
}

/// Zone problems for the diagnostics panel (under the feed's row): the zones file's failure
/// and skipped zones, drawn zones renamed on an id clash, saved drawn zones that could not be
/// read and a failed save to the browser's storage.
#[component]
pub fn ZoneDiagnostics() -> impl IntoView {
    let state = use_app();
    let geo = state.geofence;
    let ed = state.zone_editor;
    let lang = state.lang.get_untracked();
    let problems = move || {
        let lang = state.lang.get();
        let mut p = zone_problems(lang, geo.active.get().as_ref(), &geo.state());
        p.extend(storage_problems(lang, ed));
        p
    };
    let failing = move || !problems().is_empty();
    view! {
        <section
            class="zone-diagnostics"
            class:has-errors=failing
            data-testid="zone-diagnostics"
            data-count=move || problems().len().to_string()
            aria-label=T::ZoneProblems.get(lang)
        >
            <span>{move || messages::zone_problems(state.lang.get(), problems().len())}</span>
            <ul>
                {move || problems().into_iter().map(|p| view! { <li data-testid="zone-diagnostic">{p}</li> }).collect::<Vec<_>>()}
            </ul>
        </section>
    }
}

/// The newest zone alerts with acknowledge buttons; unacknowledged alerts of critical zones
/// flash.
#[component]
pub fn AlertTicker() -> impl IntoView {
    let state = use_app();
    let geo = state.geofence;
    let lang = state.lang.get_untracked();
    let unacked = move || geo.alerts.with(|a| a.iter().filter(|a| !a.acked).count());
    let items = move || {
        geo.alerts
            .get()
            .into_iter()
            .take(TICKER_SHOWN)
            .map(|a| {
                let seq = a.seq;
                // Labelled with this device's zone ("14:02:11 Paris").
                let time = clock_ms(lang, a.time_ms as f64);
                let text_id = format!("alert-text-{seq}");
                let acked = a.acked;
                view! {
                    <li
                        class="alert-row"
                        class:critical=a.critical
                        class:acked=a.acked
                        data-testid="alert-row"
                        data-kind=a.kind.key()
                        data-zone-id=a.zone_id.clone()
                        data-incident-id=a.incident_id.clone()
                        data-acked=a.acked.to_string()
                    >
                        <span class="alert-time">{time}</span>
                        <span class="alert-text" id=text_id.clone()>
                            {format!("{} {} {}", a.incident_id, labels::event_verb(lang, a.kind), a.zone_name)}
                        </span>
                        // The list's roving stop (an acknowledged alert's button stays
                        // focusable: `aria-disabled`, not `disabled`), described by its alert.
                        <button
                            class="alert-ack"
                            data-testid="alert-ack"
                            data-alert-seq=seq.to_string()
                            tabindex="-1"
                            aria-describedby=text_id
                            aria-disabled=acked.then_some("true")
                            on:click=move |_| {
                                if !acked {
                                    geo.acknowledge(Some(seq));
                                }
                            }
                        >
                            {if a.acked { T::Acked.get(lang) } else { T::Ack.get(lang) }}
                        </button>
                    </li>
                }
            })
            .collect::<Vec<_>>()
    };
    // One tab stop for the alerts' buttons, the arrow keys among them, the focus kept while
    // new alerts render the list again (`roving`).
    let roving = Roving::new("data-alert-seq");
    let list_ref = NodeRef::<leptos::html::Ul>::new();
    Effect::new(move |_| {
        geo.alerts.track();
        roving.settle_next_frame(move || list_ref.try_get_untracked().flatten().map(Into::into));
    });
    view! {
        <Show when=move || geo.alerts.with(|a| !a.is_empty())>
            <section class="panel alert-ticker" data-testid="alert-ticker" data-map-reserved="" aria-label=T::ZoneAlerts.get(lang)>
                <header>
                    <h2>{T::ZoneAlerts.get(lang)}</h2>
                    <span class="alert-unacked" data-testid="alert-unacked" data-count=move || unacked().to_string()>
                        {move || messages::new_alerts(state.lang.get(), unacked())}
                    </span>
                    <button class="alert-ack-all" data-testid="alert-ack-all" on:click=move |_| geo.acknowledge(None)>
                        {T::AckAll.get(lang)}
                    </button>
                </header>
                <ul
                    class="alert-list"
                    data-testid="alert-list"
                    node_ref=list_ref
                    on:keydown=move |ev| roving.on_key_down(&ev)
                    on:focusin=move |ev| roving.focus_in(event_element(ev.target()))
                    on:focusout=move |ev| roving.on_focus_out(&ev)
                >
                    {items}
                </ul>
            </section>
        </Show>
    }
}

/// While an alert of a critical zone is unacknowledged: a red frame around the whole screen
/// (pulsing; steady when the user prefers reduced motion) and a banner naming the zones, big
/// enough to be seen across the room on the video wall. Acknowledging the alerts (ticker)
/// clears it.
#[component]
pub fn CriticalFlash() -> impl IntoView {
    let state = use_app();
    let geo = state.geofence;
    // Unacknowledged critical alerts, and their zones (names, ids), newest first, once each.
    let pending = move || {
        geo.alerts.with(|alerts| {
            let mut zones: Vec<(String, String)> = Vec::new();
            let mut n = 0usize;
            for a in alerts.iter().filter(|a| a.critical && !a.acked) {
                n += 1;
                if !zones.iter().any(|(id, _)| *id == a.zone_id) {
                    zones.push((a.zone_id.clone(), a.zone_name.clone()));
                }
            }
            (n, zones)
        })
    };
    // (Bound first: `a > b` inside `view!` reads as a tag.)
    let active = move || pending().0 != 0;
    view! {
        <Show when=active>
            {move || {
                let (n, zones) = pending();
                let ids = zones.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>().join(" ");
                let names = zones.iter().map(|(_, name)| name.as_str()).collect::<Vec<_>>().join(" · ");
                let what = messages::critical_alerts(state.lang.get(), n);
                view! {
                    <div
                        class="critical-flash"
                        data-testid="critical-flash"
                        data-count=n.to_string()
                        data-zone-ids=ids
                    >
                        <div class="critical-banner" data-map-reserved="">
                            <strong>{what}</strong>
                            <span>{names}</span>
                        </div>
                    </div>
                }
            }}
        </Show>
    }
}
