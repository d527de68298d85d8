//! Incident panels: the incident list with its filters (the feed strip is `feed_strip`),
//! the incident info card (with the incident's geofencing situation) and the feed
//! diagnostics (the zone problems below them are `geofence_ui::ZoneDiagnostics`, passed in as
//! children by the app).
//!
//! Units: times are shown as local wall-clock text (the browser's time zone, looked up per
//! instant so summer time is right: `env::local_offset_min`): the list shows `HH:MM:SS` for
//! today's local date and the date (`3 Dec 07:59`) otherwise, under a note naming this
//! device's zone (`incident-list-zone`); the card shows London and Paris time
//! (`widgets::london_paris`, the browser's `Intl`); it flags times more than the
//! core's `CLOCK_SKEW_TOLERANCE_MS` ahead of this device's clock as clock skew (row and card;
//! the decision is `Timestamp::recency`, the words are `strings`'). Positions are WGS84 degrees;
//! distances in the card are ground metres. A kind the client does not know shows as "Other
//! (its text)". Every text from the API (ids, kinds, descriptions, sources, property values)
//! is rendered as a text node, never as HTML.

use leptos::prelude::*;

use crate::core::config::PropertyNames;
use crate::core::display::DisplayMode;
use crate::core::geofence::Fix;
use crate::core::incident::{
    Incident, IncidentFilter, IncidentKind, SortOrder, Status, StatusFilter, TimeWindow, Timestamp,
    listing,
};
use crate::core::model::LayerId;
use crate::core::time::Recency;
use crate::core::units::Zoom;
use crate::env::{local_offset_min, window_size};
use crate::feed::IncidentSelection;
use crate::keyed_rows::{KeyedRows, NEW_ROWS_PER_TASK, paced};
use crate::roving::{Roving, event_element};
use crate::state::use_app;
use crate::strings::{Lang, T, labels, locale, messages};
use crate::widgets::{
    CoordLines, KindIcon, clock, device_zone_name, distance_text, kind_label, london_paris,
    property_row, severity_class,
};

/// Rows rendered in the list at most (the total still counts every match).
pub const LIST_LIMIT: usize = 200;
/// Below this window width (CSS px) the incident list starts folded.
pub const NARROW_CSS_PX: f64 = 900.0;
/// Zoom level a list selection flies to (or the current one, if closer).
pub const FLY_ZOOM: f64 = 15.0;

/// `t` as local date and time labelled with this device's zone ("2026-12-05 14:02:11 Paris").
fn date_time(lang: Lang, t: Timestamp) -> String {
    locale::zoned(
        &t.date_time_text(local_offset_min(t.millis())),
        &device_zone_name(lang),
    )
}

/// How `t` stands against this device's clock `now` (each dated at its own local offset).
fn recency(t: Timestamp, now: Timestamp) -> Recency {
    t.recency(
        now,
        local_offset_min(t.millis()),
        local_offset_min(now.millis()),
    )
}

/// A list row's time: `HH:MM:SS` on today's local date, else the date and minute
/// (`3 Dec 07:59`, with the year when it is not this year: `3 Dec 2024 07:59`).
fn list_time(lang: Lang, t: Timestamp, now: Timestamp, recency: Recency) -> String {
    if recency.is_today() {
        return clock(t);
    }
    let l = t.local(local_offset_min(t.millis()));
    let month = labels::month(lang, l.month);
    let this_year = now.local(local_offset_min(now.millis())).year;
    if l.year == this_year {
        format!("{} {month} {:02}:{:02}", l.day, l.hour, l.minute)
    } else {
        format!("{} {month} {} {:02}:{:02}", l.day, l.year, l.hour, l.minute)
    }
}

/// The kind's name, with the API's own text for a kind this client does not know
/// ("Other (drone_sighting)").
/// One list row, owned (the store is borrowed only while the list is computed). The whole
/// row is the list's key: any change of what it shows (the time text too, as the clock
/// passes midnight or catches up with a skewed time) renders it again, up to 70 rows a flush
/// at 288 events/s; `KeyedRows` frees each replaced row whole (Leptos's `For` kept part of
/// each for as long as the list was shown). The list's key is the row with whether it is
/// selected, so that a row is static: no per-row effect subscribes to a long-lived signal.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Row {
    id: String,
    kind: IncidentKind,
    /// The API's kind text when it is not a known kind.
    kind_text: Option<String>,
    severity: u8,
    open: bool,
    updated: Timestamp,
    /// `updated` as the list shows it ([`list_time`]).
    time_text: String,
    /// `updated` is further ahead of this device's clock than the tolerance.
    skew: bool,
    description: String,
    source: Option<String>,
}

impl Row {
    /// The row of `i` at this device's time `now`.
    fn of(lang: Lang, i: &Incident, now: Timestamp) -> Row {
        let when = recency(i.updated_at, now);
        let mut description: String = i.description.chars().take(160).collect();
        if description.len() < i.description.len() {
            description.push('…');
        }
        Row {
            id: i.id.clone(),
            kind: i.kind,
            kind_text: i.kind_text.clone(),
            severity: i.severity.get(),
            open: i.is_open(),
            updated: i.updated_at,
            time_text: list_time(lang, i.updated_at, now, when),
            skew: when.skew_ms().is_some(),
            description,
            source: i.source.clone(),
        }
    }
}

fn select_value(ev: &leptos::ev::Event) -> String {
    event_target_value(ev)
}

/// Whether the incident list starts open: on desktops and the wall; folded on small tablets so
/// the map stays visible.
/// On a tablet the list is a sheet of its own (`sheets.rs`): open inside it.
pub fn list_starts_open(mode: DisplayMode) -> bool {
    window_size().0 >= NARROW_CSS_PX || mode == DisplayMode::Tablet
}

/// The incident list: filters, sort, rows (select one to fly to it) and feed diagnostics;
/// `children` (the app passes the zone problems) go below the diagnostics. `open` (whether the
/// list is shown; its own when not given) is the app's, so that it outlives a rebuild of the
/// panel (a language switch).
#[component]
pub fn IncidentPanel(
    #[prop(optional)] open: Option<RwSignal<bool>>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let state = use_app();
    let feed = state.incidents;
    let lang = state.lang.get_untracked();
    let open = open.unwrap_or_else(|| RwSignal::new(list_starts_open(state.mode.get_untracked())));
    let set_open = open.write_only();
    let listing_memo = Memo::new(move |_| {
        feed.version.track();
        let filter = feed.filter.get();
        let lang = state.lang.get();
        let now = Timestamp::from_millis(feed.clock.get()).unwrap_or(Timestamp::EPOCH);
        let _m = crate::env::Measured::start("list");
        feed.with_store(|s| {
            let l = listing(s, &filter, now, LIST_LIMIT);
            let rows = l
                .rows
                .into_iter()
                .map(|i| Row::of(lang, i, now))
                .collect::<Vec<_>>();
            (l.total, rows)
        })
        .unwrap_or_default()
    });
    let total = move || listing_memo.with(|l| l.0);
    // Each row with whether it is the selected one: part of the key, so a row holds no
    // reactive closure of its own (a row's effect reading `feed.selected` stayed in that
    // signal's subscribers after the row went: `keyed_rows`).
    // New rows are built at most `NEW_ROWS_PER_TASK` a task (`keyed_rows::paced`): the rest
    // follow in the next tasks, `more` asking for them.
    let more = RwSignal::new(0u32);
    let shown = Memo::new(move |before: Option<&(Vec<(Row, bool)>, bool)>| {
        more.track();
        let selected = feed.selected.with(|s| s.as_ref().map(|s| s.id.clone()));
        let full = listing_memo.with(|l| {
            l.1.iter()
                .map(|r| (r.clone(), selected.as_ref() == Some(&r.id)))
                .collect::<Vec<_>>()
        });
        let rendered = before.map_or(&[][..], |b| &b.0[..]);
        paced(&full, rendered, NEW_ROWS_PER_TASK)
    });
    let rows = move || shown.with(|s| s.0.clone());

    let select_row = move |id: String| {
        let at = feed.with_store(|s| s.get(&id).map(|i| i.at)).flatten();
        state.selection.set(None);
        feed.selected
            .set(Some(IncidentSelection { id, pinned: true }));
        if let Some(at) = at {
            let z = state.view.get_untracked().zoom().get().max(FLY_ZOOM);
            state.fly_to(at, Zoom::clamped(z));
        }
    };

    // One tab stop for the list, the arrow keys in it, and the focus kept across renders
    // (`roving`): the tab stop is set after each render, when the rows are in the page.
    let roving = Roving::new("data-incident-id");
    let list_ref = NodeRef::<leptos::html::Ol>::new();
    // The same effect asks for the rows that wait (one effect less: each costs ~5 KB of wasm).
    Effect::new(move |_| {
        if shown.with(|s| s.1) {
            wasm_bindgen_futures::spawn_local(async move {
                crate::env::yield_now().await;
                more.try_update(|n| *n = n.wrapping_add(1));
            });
        }
        roving.settle_next_frame(move || list_ref.try_get_untracked().flatten().map(Into::into));
    });

    let row_view = move |(r, selected): (Row, bool)| {
        let id = r.id.clone();
        let status = if r.open { Status::Open } else { Status::Closed };
        view! {
            <li>
                <button
                    class="incident-row"
                    class:selected=selected
                    class:closed=!r.open
                    data-testid="incident-row"
                    data-incident-id=r.id.clone()
                    tabindex="-1"
                    class:clock-skew=r.skew
                    data-kind=r.kind.key()
                    data-kind-text=r.kind_text.clone()
                    data-clock-skew=r.skew.then_some("true")
                    data-severity=r.severity.to_string()
                    data-status=status.key()
                    on:click=move |_| select_row(id.clone())
                >
                    <KindIcon kind=r.kind class=severity_class(r.severity, r.open) />
                    <span class="row-time" title=date_time(lang, r.updated)>{r.time_text.clone()}</span>
                    <span class="row-kind">{kind_label(lang, r.kind, r.kind_text.as_deref())}</span>
                    <span class=format!("row-sev sev-{}", r.severity)>{format!("{}{}", T::SeverityShort.get(lang), r.severity)}</span>
                    {(!r.open).then(|| view! { <span class="row-closed">{T::ClosedTag.get(lang)}</span> })}
                    <span class="row-desc">{r.description.clone()}</span>
                    {r.skew.then(|| view! {
                        <span
                            class="row-skew"
                            data-testid="incident-row-clock-skew"
                            title=T::ClockSkewTitle.get(lang)
                        >
                            {T::ClockSkewTag.get(lang)}
                        </span>
                    })}
                    {r.source.clone().map(|s| view! { <span class="row-source">{s}</span> })}
                </button>
            </li>
        }
    };

    let diagnostics = move || feed.diagnostics.get();
    view! {
        <aside class="panel incident-panel" class:collapsed=move || !open.get() data-testid="incident-panel" data-map-reserved="" aria-label=T::Incidents.get(lang)>
            <header class="incident-head">
                <h2>{T::Incidents.get(lang)}</h2>
                <span class="incident-total" data-testid="incident-total" data-count=move || total().to_string()>
                    {move || messages::shown(state.lang.get(), total())}
                </span>
                <button
                    class="collapse"
                    data-testid="incident-panel-toggle"
                    aria-expanded=move || open.get().to_string()
                    title=move || if open.get() { T::HideIncidentList.get(lang) } else { T::ShowIncidentList.get(lang) }
                    on:click=move |_| set_open.update(|o| *o = !*o)
                >
                    {move || if open.get() { "▾" } else { "▸" }}
                </button>
            </header>
            // The wall hides the panel (CSS): its list is not built there, so the rows that
            // every flush and clock step would render again cost nothing.
            <Show when=move || open.get() && state.mode.get() != DisplayMode::Wall>
                <IncidentFilters lang=lang />
                <p class="list-zone" data-testid="incident-list-zone">
                    {locale::list_zone(lang, &device_zone_name(lang))}
                </p>
                <ol
                    class="incident-list"
                    data-testid="incident-list"
                    node_ref=list_ref
                    on:keydown=move |ev| roving.on_key_down(&ev)
                    on:focusin=move |ev| roving.focus_in(event_element(ev.target()))
                    on:focusout=move |ev| roving.on_focus_out(&ev)
                >
                    <KeyedRows each=rows key=Clone::clone children=row_view />
                </ol>
                <Show when=move || { total() > LIST_LIMIT }>
                    <p class="list-more">
                        {move || messages::more_not_listed(state.lang.get(), total() - LIST_LIMIT)}
                    </p>
                </Show>
                <Show when=move || total() == 0>
                    <p class="list-empty" data-testid="incident-list-empty">{T::NoIncidentsMatch.get(lang)}</p>
                </Show>
            </Show>
            <footer
                class="feed-diagnostics"
                class=("has-errors", move || diagnostics().rejected > 0)
                data-testid="feed-diagnostics"
                data-rejected=move || diagnostics().rejected.to_string()
            >
                <span>{move || messages::rejected_events(state.lang.get(), diagnostics().rejected)}</span>
                <span class="last-error" data-testid="feed-last-error">
                    {move || {
                        diagnostics()
                            .last_error
                            .map(|e| messages::incident_error(state.lang.get(), &e))
                            .unwrap_or_default()
                    }}
                </span>
            </footer>
            {children.map(|c| c())}
        </aside>
    }
}

/// The incident filters (kinds, severity, status, time window) and the list order.
#[component]
fn IncidentFilters(lang: Lang) -> impl IntoView {
    let feed = use_app().incidents;
    let set_filter = move |f: &dyn Fn(&mut IncidentFilter)| feed.filter.update(|x| f(x));
    let kind_boxes = IncidentKind::ALL
        .into_iter()
        .map(|kind| {
            let checked = move || {
                feed.filter
                    .with(|f| f.kinds.get(kind.index()).copied().unwrap_or(true))
            };
            view! {
                <label class="kind-filter" title=labels::incident_kind(lang, kind)>
                    <input
                        type="checkbox"
                        data-testid=format!("incident-filter-kind-{}", kind.key())
                        prop:checked=checked
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            set_filter(&|f| {
                                if let Some(k) = f.kinds.get_mut(kind.index()) {
                                    *k = on;
                                }
                            });
                        }
                    />
                    <KindIcon kind=kind class="filter-icon" />
                    <span>{labels::incident_kind(lang, kind)}</span>
                </label>
            }
        })
        .collect_view();

    view! {
                <div class="incident-filters" role="group" aria-label=T::IncidentFilters.get(lang)>
                    <div class="kind-filters">{kind_boxes}</div>
                    <div class="select-filters">
                        <label>
                            {T::Severity.get(lang)}
                            <select
                                data-testid="incident-filter-severity"
                                prop:value=move || feed.filter.with(|f| f.min_severity.to_string())
                                on:change=move |ev| {
                                    let v = select_value(&ev).parse::<u8>().unwrap_or(1).clamp(1, 5);
                                    set_filter(&|f| f.min_severity = v);
                                }
                            >
                                <option value="1">{T::SeverityAll.get(lang)}</option>
                                <option value="2">{T::Severity2Up.get(lang)}</option>
                                <option value="3">{T::Severity3Up.get(lang)}</option>
                                <option value="4">{T::Severity4Up.get(lang)}</option>
                                <option value="5">{T::Severity5Only.get(lang)}</option>
                            </select>
                        </label>
                        <label>
                            {T::Status.get(lang)}
                            <select
                                data-testid="incident-filter-status"
                                prop:value=move || feed.filter.with(|f| f.status.key())
                                on:change=move |ev| {
                                    let v = StatusFilter::from_key(&select_value(&ev)).unwrap_or(StatusFilter::All);
                                    set_filter(&|f| f.status = v);
                                }
                            >
                                {StatusFilter::ALL.map(|s| view! { <option value=s.key()>{labels::status_filter(lang, s)}</option> }).into_iter().collect::<Vec<_>>()}
                            </select>
                        </label>
                        <label>
                            {T::UpdatedFilter.get(lang)}
                            <select
                                data-testid="incident-filter-window"
                                prop:value=move || feed.filter.with(|f| f.window.key())
                                on:change=move |ev| {
                                    let v = TimeWindow::from_key(&select_value(&ev)).unwrap_or(TimeWindow::All);
                                    set_filter(&|f| f.window = v);
                                }
                            >
                                {TimeWindow::ALL.map(|w| view! { <option value=w.key()>{labels::time_window(lang, w)}</option> }).into_iter().collect::<Vec<_>>()}
                            </select>
                        </label>
                        <label>
                            {T::Order.get(lang)}
                            <select
                                data-testid="incident-sort"
                                prop:value=move || feed.filter.with(|f| f.sort.key())
                                on:change=move |ev| {
                                    let v = SortOrder::from_key(&select_value(&ev)).unwrap_or(SortOrder::Newest);
                                    set_filter(&|f| f.sort = v);
                                }
                            >
                                {SortOrder::ALL.map(|o| view! { <option value=o.key()>{labels::sort_order(lang, o)}</option> }).into_iter().collect::<Vec<_>>()}
                            </select>
                        </label>
                    </div>
                </div>
    }
}

/// The selected incident's details (shares the feature card's place and test ids).
#[component]
pub fn IncidentCard() -> impl IntoView {
    let state = use_app();
    let feed = state.incidents;
    let content = Memo::new(move |_| {
        feed.version.track();
        state.geofence.version.track();
        let sel = feed.selected.get()?;
        let inc = feed.with_store(|s| s.get(&sel.id).cloned()).flatten()?;
        Some((sel.pinned, inc))
    });
    move || {
        content.get().map(|(pinned, inc)| {
            let lang = state.lang.get();
            let names = state
                .config
                .get_untracked()
                .and_then(|c| c.ok())
                .unwrap_or_default()
                .incidents
                .properties;
            let core_keys: Vec<String> = names.fields().iter().map(|(_, v)| v.to_string()).collect();
            let row = |k: T, v: String| (k.get(lang).to_string(), v);
            let mut rows: Vec<(String, String)> = vec![
                row(T::RowUpdated, london_paris(lang, inc.updated_at)),
                row(T::RowReported, london_paris(lang, inc.reported_at)),
                row(
                    T::RowPosition,
                    messages::lat_lon(lang, inc.position.lat, inc.position.lon),
                ),
            ];
            if let Some(a) = inc.accuracy_m {
                rows.push(row(
                    T::RowAccuracy,
                    format!("± {} m", locale::number(lang, a, 0)),
                ));
            }
            if let Some(s) = &inc.source {
                rows.push(row(T::RowSource, s.clone()));
            }
            if !inc.track.is_empty() {
                rows.push(row(
                    T::RowTrack,
                    messages::earlier_positions(lang, inc.track.len()),
                ));
            }
            rows.extend(situation_rows(lang, &inc));
            rows.push(row(T::RowDescription, inc.description.clone()));
            // The API's other properties: labelled when known, else as the data writes them.
            let plain = PropertyNames::default();
            let extra = inc
                .properties
                .iter()
                .filter(|(k, _)| !core_keys.iter().any(|c| c == k))
                .map(|(k, v)| property_row(lang, &plain, k, v))
                .collect_view();
            let rows = rows
                .into_iter()
                .map(|(k, v)| {
                    view! {
                        <tr data-testid="info-card-row">
                            <th scope="row">{k}</th>
                            <td>{v}</td>
                        </tr>
                    }
                })
                .collect_view();
            let status = labels::status(lang, inc.status);
            // Clock skew follows this device's clock (the card stays while it ticks).
            let updated = inc.updated_at;
            let skew = move || {
                Timestamp::from_millis(feed.clock.get())
                    .and_then(|now| recency(updated, now).skew_ms())
            };
            view! {
                <section
                    class="panel info-card incident-card"
                    data-testid="info-card"
                    data-incident-id=inc.id.clone()
                    data-kind=inc.kind.key()
                    data-kind-text=inc.kind_text.clone()
                    data-clock-skew=move || skew().map(|_| "true")
                    class:pinned=pinned
                    aria-label=T::IncidentDetails.get(lang)
                >
                    <header>
                        <KindIcon kind=inc.kind class=severity_class(inc.severity.get(), inc.is_open()) />
                        <h2 data-testid="info-card-title">
                            {format!("{} · {}", kind_label(lang, inc.kind, inc.kind_text.as_deref()), inc.id)}
                        </h2>
                        <button
                            class="close"
                            data-testid="info-card-close"
                            aria-label=T::Close.get(lang)
                            on:click=move |_| feed.selected.set(None)
                        >
                            "×"
                        </button>
                    </header>
                    <p class="info-kind">
                        <span class=format!("row-sev sev-{}", inc.severity.get())>{messages::severity(lang, inc.severity.get())}</span>
                        {format!(" · {status}")}
                    </p>
                    {move || skew().map(|ms| view! {
                        <p class="info-skew" data-testid="info-card-clock-skew" role="note">
                            {messages::clock_skew_note(lang, &messages::ahead(lang, ms))}
                        </p>
                    })}
                    <table>
                        <tbody>{rows}{extra}</tbody>
                    </table>
                    // Issue 14, coordinates: the incident's position in the three systems.
                    <CoordLines at=inc.position grids=state.grids lang=lang testid="info-card-coords" />
                </section>
            }
        })
    }
}

/// The incident card's geofencing rows: zones, cameras, nearest fence and port.
fn situation_rows(lang: Lang, inc: &Incident) -> Vec<(String, String)> {
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
            T::NoneListed.get(lang).to_string()
        } else {
            v.join(", ")
        }
    };
    let row = |k: T, v: String| (k.get(lang).to_string(), v);
    let mut rows = vec![
        row(T::RowZones, list(&s.zones)),
        row(T::RowSeenBy, list(&s.cameras)),
    ];
    if let Some((d, name)) = s.fence {
        rows.push(row(
            T::RowNearestFence,
            format!("{} ({name})", distance_text(lang, d)),
        ));
    }
    if let Some((d, name)) = s.port {
        rows.push(row(
            T::RowNearestPort,
            format!("{} ({name})", distance_text(lang, d)),
        ));
    }
    rows
}
