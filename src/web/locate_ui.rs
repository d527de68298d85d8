//! Where am I (issue 14 item 2; floor 4): the `locate-me` button over the zoom controls and,
//! once tapped, a panel with the device's position and accuracy, a radius to choose and the
//! open incidents, cameras and zones within it, nearest first with distance and bearing
//! (`core::nearby`); tapping a row opens the thing (the incident's or the camera's card, the
//! zone framed). The browser is asked for the position only by a tap on the button
//! (`geolocation::locate`, one answer a tap, never retried by itself); a refusal, no fix, a
//! timeout and a position outside the region are said in the panel. Closing the panel hides
//! the position from the map (`AppState::device`).
//!
//! Units: positions WGS84 degrees, distances ground metres, bearings degrees clockwise from
//! true north; the panel is laid out in CSS px (assets/style.css, `.locate`).

use leptos::prelude::*;

use crate::core::model::{FeatureKind, LayerId};
use crate::core::nearby::{
    Candidate, Near, NearKind, Nearby, Place, Radius, in_region, nearest_first,
};
use crate::core::projection::to_mercator;
use crate::core::units::{LonLat, Zoom};
use crate::core::viewport::Viewport;
use crate::feed::IncidentSelection;
use crate::geolocation::{DeviceFix, LocateError, locate};
use crate::load::LayerState;
use crate::state::{AppState, Selection, use_app};
use crate::strings::{T, field, labels};
use crate::widgets::distance_text;

/// The zoom a located position or a row's thing is flown to (at least).
const FLY_ZOOM: f64 = 16.0;

/// Where the panel stands.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Status {
    Asking,
    Found(DeviceFix),
    Failed(LocateError),
}

impl Status {
    /// `data-state` of the status line.
    fn key(self) -> &'static str {
        match self {
            Status::Asking => "asking",
            Status::Found(f) if !in_region(f.at) => "outside",
            Status::Found(_) => "found",
            Status::Failed(LocateError::Denied) => "denied",
            Status::Failed(LocateError::Unavailable) => "unavailable",
            Status::Failed(LocateError::Timeout) => "timeout",
            Status::Failed(LocateError::Unsupported) => "unsupported",
            Status::Failed(LocateError::Invalid) => "invalid",
        }
    }
}

/// A listed thing, with what its row shows and what a tap opens.
#[derive(Clone, Debug, PartialEq)]
struct Row {
    near: Near,
    id: String,
    name: String,
    at: Option<LonLat>,
}

/// The things within `radius` of `from`: open incidents, cameras, zones (loaded and drawn).
fn rows(state: AppState, from: LonLat, radius: Radius) -> (Vec<Row>, usize) {
    let lang = state.lang.get();
    state.incidents.version.track();
    let incidents: Vec<(String, String, LonLat)> = state
        .incidents
        .with_store(|s| {
            s.iter()
                .filter(|i| i.status == crate::core::incident::Status::Open)
                .map(|i| {
                    let kind = i
                        .kind_text
                        .clone()
                        .unwrap_or_else(|| labels::incident_kind(lang, i.kind).to_string());
                    (i.id.clone(), kind, i.position)
                })
                .collect()
        })
        .unwrap_or_default();
    let cameras: Vec<(String, LonLat)> = match state.layer(LayerId::Cameras) {
        LayerState::Loaded { data, .. } => data
            .features
            .iter()
            .filter_map(|f| match &f.kind {
                FeatureKind::Camera(c) => Some((f.id.clone(), c.position)),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    let active = state.geofence.active.get();
    let zones = active
        .as_ref()
        .map(|a| a.set.zones.as_slice())
        .unwrap_or(&[]);
    let candidates = incidents
        .iter()
        .enumerate()
        .map(|(index, (_, _, p))| Candidate {
            kind: NearKind::Incident,
            index,
            place: Place::Point(*p),
        })
        .chain(cameras.iter().enumerate().map(|(index, (_, p))| Candidate {
            kind: NearKind::Camera,
            index,
            place: Place::Point(*p),
        }))
        .chain(zones.iter().enumerate().map(|(index, z)| Candidate {
            kind: NearKind::Zone,
            index,
            place: Place::Zone(z),
        }));
    let Nearby { listed, total } = nearest_first(from, radius, candidates);
    let rows = listed
        .into_iter()
        .filter_map(|near| {
            let (id, name, at) = match near.kind {
                NearKind::Incident => {
                    let (id, kind, p) = incidents.get(near.index)?;
                    (id.clone(), format!("{kind} · {id}"), Some(*p))
                }
                NearKind::Camera => {
                    let (id, p) = cameras.get(near.index)?;
                    (
                        id.clone(),
                        format!("{} {id}", T::LocateCamera.get(lang)),
                        Some(*p),
                    )
                }
                NearKind::Zone => {
                    let z = zones.get(near.index)?;
                    let kind = labels::zone_kind(lang, z.kind);
                    (z.id.clone(), format!("{kind} · {}", z.name), None)
                }
            };
            Some(Row { near, id, name, at })
        })
        .collect();
    (rows, total)
}

/// Opens a row's thing: the incident's card, the camera's card, or the zone framed.
fn open(state: AppState, row: &Row) {
    let z = state.view.get_untracked().zoom().get().max(FLY_ZOOM);
    match row.near.kind {
        NearKind::Incident => {
            state.selection.set(None);
            state.incidents.selected.set(Some(IncidentSelection {
                id: row.id.clone(),
                pinned: true,
            }));
        }
        NearKind::Camera => {
            state.incidents.selected.set(None);
            if let LayerState::Loaded { data, .. } = state.layer_untracked(LayerId::Cameras)
                && let Some(feature) = data.features.iter().position(|f| f.id == row.id)
            {
                state.selection.set(Some(Selection {
                    layer: LayerId::Cameras,
                    feature,
                    pinned: true,
                }));
            }
        }
        NearKind::Zone => {
            let bounds = state.geofence.active.with_untracked(|a| {
                a.as_ref()
                    .and_then(|a| a.set.zones.iter().find(|z| z.id == row.id))
                    .map(|z| z.bounds)
            });
            if let Some(b) = bounds {
                let v = state.view.get_untracked();
                let fit = Viewport::fit(&b, v.width_css(), v.height_css(), v.dpr(), 48.0);
                state.fly_to(fit.center(), Zoom::clamped(fit.zoom().get().min(FLY_ZOOM)));
            }
            return;
        }
    }
    if let Some(at) = row.at {
        state.fly_to(to_mercator(at), Zoom::clamped(z));
    }
}

/// The button and, once it was tapped, the panel.
#[component]
pub fn LocatePanel() -> impl IntoView {
    let state = use_app();
    let lang = state.lang.get_untracked();
    let status: RwSignal<Option<Status>> = RwSignal::new(None);
    let radius = RwSignal::new(Radius::default());
    // Each tap asks once; an answer for an older tap (or after closing) is dropped.
    let ticket = StoredValue::new(0u64);

    let ask = move |_| {
        let mine = ticket.get_value() + 1;
        ticket.set_value(mine);
        status.set(Some(Status::Asking));
        wasm_bindgen_futures::spawn_local(async move {
            let answer = locate().await;
            if ticket.try_get_value() != Some(mine) {
                return;
            }
            match answer {
                Ok(fix) => {
                    status.set(Some(Status::Found(fix)));
                    state.device.set(Some(fix));
                    if in_region(fix.at) {
                        let z = state.view.get_untracked().zoom().get().max(FLY_ZOOM);
                        state.fly_to(to_mercator(fix.at), Zoom::clamped(z));
                    }
                }
                Err(e) => {
                    status.set(Some(Status::Failed(e)));
                    state.device.set(None);
                }
            }
        });
    };
    view! {
        <div class="locate">
            <button
                class="locate-me"
                data-testid="locate-me"
                data-map-reserved=""
                title=T::LocateMeTip.get(lang)
                aria-label=T::LocateMe.get(lang)
                on:click=ask
            >"◎"</button>
            {move || status.with(Option::is_some).then(|| locate_panel((status, radius, ticket)))}
        </div>
    }
}

/// The panel's signals: the status, the radius, the tap's ticket.
type Panel = (RwSignal<Option<Status>>, RwSignal<Radius>, StoredValue<u64>);

crate::split::split_view! {
    /// The panel itself (the status, the radius, what is near, `core::nearby`): the part
    /// `field`, loaded at the first tap of the button.
    field: fn locate_panel(signals: Panel) {
        let (status, radius, ticket) = signals;
        let state = use_app();
        let lang = state.lang.get_untracked();
        let close = move |_| {
            ticket.update_value(|t| *t += 1);
            status.set(None);
            state.device.set(None);
        };

        let found = move || match status.get() {
            Some(Status::Found(f)) if in_region(f.at) => Some(f),
            _ => None,
        };
        let listing = Memo::new(move |_| found().map(|f| rows(state, f.at, radius.get())));
        let on_radius = move |ev: leptos::ev::Event| {
            if let Some(r) = Radius::from_metres(&event_target_value(&ev)) {
                radius.set(r);
            }
        };

        // The panel's head (title, status, radius) is rebuilt as a whole, from plain values, when
        // the status, the language or the radius changes; the list when its rows change. Two
        // reactive closures instead of one per attribute keep the panel's share of the bundle
        // small (BENCHMARKS.md, "Issue 14, the field part").
        let head = move || {
            let lang = state.lang.get();
            let status = status.get()?;
            let chosen = radius.get();
            let options: Vec<_> = Radius::ALL
                .into_iter()
                .map(|r| view! { <option value=r.metres().to_string() selected=r == chosen>{field::radius(r)}</option> })
                .collect();
            let radius_choice = found().map(|_| {
                view! {
                    <label class="locate-radius">
                        {T::LocateRadius.get(lang)}
                        <select data-testid="locate-radius" on:change=on_radius>{options}</select>
                    </label>
                }
            });
            Some(view! {
                <header>
                    <h2>{T::LocateMe.get(lang)}</h2>
                    <button class="locate-close" data-testid="locate-close" title=T::LocateClose.get(lang) aria-label=T::LocateClose.get(lang) on:click=close>"×"</button>
                </header>
                <p class="locate-status" data-testid="locate-status" data-state=status.key() role="status">{status_text(lang, status)}</p>
                {radius_choice}
            })
        };

        let list = move || {
            let lang = state.lang.get_untracked();
            let (rows, total) = listing.get()?;
            let shown = rows.len();
            let empty = rows.is_empty().then(|| {
                view! { <p class="locate-empty" data-testid="locate-empty">{field::nothing_within(lang, radius.get_untracked())}</p> }
            });
            let more = (total > shown).then(|| {
                view! { <p class="locate-more">{field::more_not_listed(lang, total - shown)}</p> }
            });
            let rows: Vec<_> = rows.into_iter().map(|r| row_view(state, lang, r)).collect();
            Some(view! {
                <ul class="locate-list" data-testid="locate-list">{rows}</ul>
                {empty}
                {more}
            })
        };
        view! {
            <section class="locate-panel" data-testid="locate-panel" data-map-reserved="" aria-label=T::LocateMe.get(lang)>
                {head}
                {list}
            </section>
        }
        .into_any()
    }
}

/// The status line's text: the position and its accuracy (and outside the region, that), or
/// why there is none.
fn status_text(lang: crate::strings::Lang, status: Status) -> String {
    match status {
        Status::Asking => T::LocateAsking.get(lang).to_string(),
        Status::Found(f) => {
            let at = field::position(lang, f.at.lat, f.at.lon, &distance_text(lang, f.accuracy_m));
            if in_region(f.at) {
                at
            } else {
                format!("{at}. {}", T::LocateOutside.get(lang))
            }
        }
        Status::Failed(e) => match e {
            LocateError::Denied => T::LocateDenied,
            LocateError::Unavailable => T::LocateUnavailable,
            LocateError::Timeout => T::LocateTimeout,
            LocateError::Unsupported => T::LocateUnsupported,
            LocateError::Invalid => T::LocateInvalid,
        }
        .get(lang)
        .to_string(),
    }
}

/// One row: what it is, its distance and bearing; a tap opens it.
fn row_view(state: AppState, lang: crate::strings::Lang, row: Row) -> impl IntoView {
    let kind = match row.near.kind {
        NearKind::Incident => "incident",
        NearKind::Camera => "camera",
        NearKind::Zone => "zone",
    };
    let d = distance_text(lang, row.near.distance_m);
    let where_ = match (row.near.kind, row.near.bearing) {
        (NearKind::Zone, None) => format!("{d} · {}", T::LocateZoneInside.get(lang)),
        (_, b) => field::distance_bearing(lang, &d, b.map(|b| b.degrees())),
    };
    let (id, name) = (row.id.clone(), row.name.clone());
    let distance = format!("{:.1}", row.near.distance_m);
    view! {
        <li>
            <button
                class="locate-row"
                data-testid="locate-row"
                data-kind=kind
                data-id=id
                data-distance-m=distance
                on:click=move |_| open(state, &row)
            >
                <span class="locate-name">{name}</span>
                <span class="locate-where">{where_}</span>
            </button>
        </li>
    }
}
