//! Geofencing panels: the zone list with live counts (in the layer panel), the alert ticker
//! (left column) and the zone/camera/distance rows of the incident card.
//!
//! Units: counts are open incidents; distances are ground metres, shown in m or km; times are
//! local clock time. Every text from the zones file or the API is rendered as text.

use leptos::prelude::*;

use crate::core::geofence::{EventKind, Fix, Origin};
use crate::core::incident::{Incident, Timestamp};
use crate::core::model::LayerId;
use crate::core::units::Zoom;
use crate::core::viewport::Viewport;
use crate::geofence::{ActiveZones, ZonesState};
use crate::incident_ui::clock;
use crate::map::fly_to;
use crate::state::use_app;

/// Offers `text` as a file download named `name` (a Blob URL on a temporary link); an error
/// text if the browser refuses.
pub(crate) fn download(name: &str, mime: &str, text: &str) -> Result<(), String> {
    use wasm_bindgen::JsCast;
    let fail = |what: &str| format!("could not export {name}: {what}");
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts)
        .map_err(|_| fail("no Blob"))?;
    let url =
        web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| fail("no object URL"))?;
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| fail("no document"))?;
    let a: web_sys::HtmlAnchorElement = doc
        .create_element("a")
        .map_err(|_| fail("no link"))?
        .dyn_into()
        .map_err(|_| fail("no link"))?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// Alerts shown at once in the ticker (the rest are kept, newest first).
const TICKER_SHOWN: usize = 6;

/// "enter", "exit", … as the ticker says them.
fn kind_text(kind: EventKind) -> &'static str {
    match kind {
        EventKind::Enter => "entered",
        EventKind::Exit => "left",
        EventKind::Dwell => "is dwelling in",
        EventKind::Cross => "crossed",
        EventKind::Ended => "ended in",
    }
}

/// Ground metres as "85 m" or "2.4 km".
pub fn distance_text(m: f64) -> String {
    if !m.is_finite() {
        "—".to_string()
    } else if m < 1_000.0 {
        format!("{m:.0} m")
    } else {
        format!("{:.1} km", m / 1_000.0)
    }
}

/// The per-zone load problems: the zones file that failed, its skipped zones, drawn zones
/// renamed because a loaded zone has their id.
pub fn zone_problems(active: Option<&ActiveZones>, state: &ZonesState) -> Vec<String> {
    let Some(a) = active else {
        return match state {
            ZonesState::Failed { message, .. } => vec![message.clone()],
            _ => Vec::new(),
        };
    };
    let mut out: Vec<String> = a.failed.iter().cloned().collect();
    out.extend(a.set.rejected.iter().map(|r| r.to_string()));
    out.extend(a.renamed.iter().map(|(from, to)| {
        format!("drawn zone \"{from}\" is listed as \"{to}\": a zone of the zones file has its id")
    }));
    out
}

/// The zones (loaded, then drawn) with their live counts, the drawing tools, skipped zones
/// and the load problem, if any.
#[component]
pub fn ZonePanel() -> impl IntoView {
    let state = use_app();
    let geo = state.geofence;
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
                    fly_to(
                        state,
                        fit.center(),
                        Zoom::clamped(fit.zoom().get().min(16.0)),
                    );
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
                            title=format!("{} zone · show on the map", z.kind.label())
                            on:click=go
                        >
                            <span class="zone-swatch" aria-hidden="true"></span>
                            <span class="zone-name">{z.name.clone()}</span>
                            <span class="zone-count">{count}</span>
                        </button>
                        {crate::zone_editor::row_actions(origin, drawn_id, z.name.clone())}
                    </li>
                }
            })
            .collect::<Vec<_>>()
    };
    let problems = move || zone_problems(geo.active.get().as_ref(), &geo.state());
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
                title=format!("Sampled every {:.0} m along the fences", gaps.spacing_m)
            >
                <span class="gap-swatch" aria-hidden="true"></span>
                {format!(
                    "Fence unseen by cameras: {} of {} ({} stretches)",
                    distance_text(gaps.uncovered_m),
                    distance_text(gaps.fence_m),
                    gaps.gaps.len()
                )}
            </p>
        })
    };
    let export_error = RwSignal::new(None::<String>);
    let export = move |name: &'static str| {
        let (text, mime) = if name.ends_with(".csv") {
            (geo.log_csv(), "text/csv")
        } else {
            (geo.log_geojson(), "application/geo+json")
        };
        let result = match text {
            Some(t) => download(name, mime, &t),
            None => Err("the zones are not loaded: there is no event log yet".to_string()),
        };
        export_error.set(result.err());
    };
    view! {
        <section class="zone-panel" data-testid="zone-panel" aria-label="Zones">
            <h2>"Zones"</h2>
            <Show when=move || matches!(geo.state(), ZonesState::Loading)>
                <p class="muted">"Loading zones…"</p>
            </Show>
            <ul class="zone-list">{rows}</ul>
            <crate::zone_editor::ZoneTools />
            {coverage}
            <div class="zone-export">
                <span>"Zone event log:"</span>
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

/// Zone problems for the diagnostics panel (under the feed's row): the zones file's failure
/// and skipped zones, drawn zones renamed on an id clash, saved drawn zones that could not be
/// read and a failed save to the browser's storage.
#[component]
pub fn ZoneDiagnostics() -> impl IntoView {
    let state = use_app();
    let geo = state.geofence;
    let ed = state.zone_editor;
    let problems = move || {
        let mut p = zone_problems(geo.active.get().as_ref(), &geo.state());
        p.extend(ed.load_problems.get());
        p.extend(ed.save_error.get());
        p
    };
    let failing = move || !problems().is_empty();
    view! {
        <section
            class="zone-diagnostics"
            class:has-errors=failing
            data-testid="zone-diagnostics"
            data-count=move || problems().len().to_string()
            aria-label="Zone problems"
        >
            <span>{move || format!("Zone problems: {}", problems().len())}</span>
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
    let geo = use_app().geofence;
    let unacked = move || geo.alerts.with(|a| a.iter().filter(|a| !a.acked).count());
    let items = move || {
        geo.alerts
            .get()
            .into_iter()
            .take(TICKER_SHOWN)
            .map(|a| {
                let seq = a.seq;
                let time = Timestamp::from_millis(a.time_ms).map_or_else(|| "—".to_string(), clock);
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
                        <span class="alert-text">
                            {format!("{} {} {}", a.incident_id, kind_text(a.kind), a.zone_name)}
                        </span>
                        <button
                            class="alert-ack"
                            data-testid="alert-ack"
                            disabled=a.acked
                            on:click=move |_| geo.acknowledge(Some(seq))
                        >
                            {if a.acked { "Acked" } else { "Ack" }}
                        </button>
                    </li>
                }
            })
            .collect::<Vec<_>>()
    };
    view! {
        <Show when=move || geo.alerts.with(|a| !a.is_empty())>
            <section class="panel alert-ticker" data-testid="alert-ticker" data-map-reserved="" aria-label="Zone alerts" aria-live="polite">
                <header>
                    <h2>"Zone alerts"</h2>
                    <span class="alert-unacked" data-testid="alert-unacked" data-count=move || unacked().to_string()>
                        {move || format!("{} new", unacked())}
                    </span>
                    <button class="alert-ack-all" data-testid="alert-ack-all" on:click=move |_| geo.acknowledge(None)>
                        "Ack all"
                    </button>
                </header>
                <ul>{items}</ul>
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
    let geo = use_app().geofence;
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
                let what = if n == 1 { "1 critical alert".to_string() } else { format!("{n} critical alerts") };
                view! {
                    <div
                        class="critical-flash"
                        data-testid="critical-flash"
                        data-count=n.to_string()
                        data-zone-ids=ids
                        role="alert"
                    >
                        <div class="critical-banner">
                            <strong>{what}</strong>
                            <span>{names}</span>
                        </div>
                    </div>
                }
            }}
        </Show>
    }
}

/// The incident card's geofencing rows: zones, cameras, nearest fence and port.
pub fn situation_rows(inc: &Incident) -> Vec<(String, String)> {
    let state = use_app();
    let geo = state.geofence;
    let fences = state.layer_untracked(LayerId::Fences);
    let cameras = state.layer_untracked(LayerId::Cameras);
    let ports = state.layer_untracked(LayerId::Ports);
    let (Some(f), Some(c), Some(p)) = (fences.data(), cameras.data(), ports.data()) else {
        return Vec::new();
    };
    let s = geo.situation(
        &Fix::from_incident(inc),
        (f, c, p),
        (fences.version(), cameras.version(), ports.version()),
    );
    let list = |v: &[String]| {
        if v.is_empty() {
            "none".to_string()
        } else {
            v.join(", ")
        }
    };
    let mut rows = vec![
        ("Zones".to_string(), list(&s.zones)),
        ("Seen by cameras".to_string(), list(&s.cameras)),
    ];
    if let Some((d, name)) = s.fence {
        rows.push((
            "Nearest fence".to_string(),
            format!("{} ({name})", distance_text(d)),
        ));
    }
    if let Some((d, name)) = s.port {
        rows.push((
            "Nearest port".to_string(),
            format!("{} ({name})", distance_text(d)),
        ));
    }
    rows
}
