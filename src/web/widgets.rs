//! Small views and texts that several panels show: the incident kind icon, local clock
//! times, ground distances (numbers and units only; words are `strings`'). What two panels share lives here (or lower), so a
//! panel never imports another panel.
//!
//! Units: times are ms since the Unix epoch, shown as local wall-clock `HH:MM:SS` in the
//! browser's time zone (looked up per instant, `env::local_offset_min`); distances are ground
//! metres, shown in m or km; icons are drawn in a 16 × 16 SVG box sized by CSS.

use leptos::prelude::*;

use crate::core::config::PropertyNames;
use crate::core::incident::{IncidentKind, Timestamp};
use crate::core::incident_layer::{icon_outline, kind_shape};
use crate::env::{WALL_CLOCKS, device_zone, local_offset_min, zone_day_time};
use crate::strings::{Lang, T, labels, locale};

/// `keydown` anywhere in the window for as long as the calling view lives: the listener is
/// removed when its owner is cleaned up (Leptos leaves a window listener in place until its
/// handle's `remove`, so a panel rebuilt on each language switch would pile them up, the old
/// ones acting on a panel that is gone).
pub fn window_keydown_while_mounted(f: impl Fn(web_sys::KeyboardEvent) + 'static) {
    let handle = window_event_listener(leptos::ev::keydown, f);
    let handle = send_wrapper::SendWrapper::new(handle);
    on_cleanup(move || handle.take().remove());
}

/// The video wall's clocks at `ms` (ms since the Unix epoch): `London HH:MM`, `Paris HH:MM`
/// (`Londres …` in French; `--:--` where the browser lacks the zone).
pub fn wall_clocks(lang: Lang, ms: f64) -> [String; 2] {
    crate::env::wall_clocks(ms).map(|(city, hm)| format!("{} {hm}", labels::city(lang, city)))
}

/// `HH:MM:SS` local time.
pub fn clock(t: Timestamp) -> String {
    t.clock_text(local_offset_min(t.millis()))
}

/// `HH:MM:SS` local time of `ms` since the Unix epoch labelled with this device's zone
/// ("07:59:08 Paris"); "—" when it is no valid time.
pub fn clock_ms(lang: Lang, ms: f64) -> String {
    Timestamp::from_millis(ms as i64).map_or_else(
        || "—".to_string(),
        |t| locale::zoned(&clock(t), &device_zone_name(lang)),
    )
}

/// This device's time zone as a place name ("Paris", "Londres"; "UTC" when the browser has none).
pub fn device_zone_name(lang: Lang) -> String {
    locale::zone_name(lang, &device_zone().unwrap_or_else(|| "UTC".to_string()))
}

/// `t` in London and in Paris, day and time in the language's form ("Sat 28 Nov, 14:00 London
/// · Sat 28 Nov, 15:00 Paris"); in UTC, so labelled, if the browser knows neither zone.
pub fn london_paris(lang: Lang, t: Timestamp) -> String {
    let ms = t.millis() as f64;
    let [(_, london), (_, paris)] = WALL_CLOCKS;
    let locale_tag = crate::strings::compare::locale(lang);
    match (
        zone_day_time(ms, london, locale_tag),
        zone_day_time(ms, paris, locale_tag),
    ) {
        (None, None) => locale::utc(&t.date_time_text(0)),
        (l, p) => locale::london_paris(lang, l.as_deref(), p.as_deref()),
    }
}

/// Ground metres as "85 m" or "2.4 km" ("2,4 km" in French).
pub fn distance_text(lang: Lang, m: f64) -> String {
    if !m.is_finite() {
        "—".to_string()
    } else if m < 1_000.0 {
        format!("{} m", locale::number(lang, m, 0))
    } else {
        format!("{} km", locale::number(lang, m / 1_000.0, 1))
    }
}

/// An incident's kind as shown: its name, and the sender's own text for `other`.
pub fn kind_label(lang: Lang, kind: IncidentKind, kind_text: Option<&str>) -> String {
    let name = labels::incident_kind(lang, kind);
    match kind_text {
        Some(text) => format!("{name} ({text})"),
        None => name.to_string(),
    }
}

/// The CSS classes of an incident's severity colour, hollow when it is closed.
pub fn severity_class(severity: u8, open: bool) -> String {
    if open {
        format!("sev-{severity}")
    } else {
        format!("sev-{severity} closed")
    }
}

/// The small shape drawn for a kind (the map's shapes, `core::incident_layer::icon_outline`,
/// as the exported legend draws them), coloured by CSS class.
#[component]
pub fn KindIcon(kind: IncidentKind, #[prop(into)] class: String) -> impl IntoView {
    let d = match icon_outline(kind_shape(kind)) {
        Some(points) => {
            let mut d = String::new();
            for (i, (x, y)) in points.iter().enumerate() {
                d.push_str(&format!("{}{x} {y} ", if i == 0 { 'M' } else { 'L' }));
            }
            d.push('Z');
            d
        }
        None => "M8 1.5 A6.5 6.5 0 1 1 7.99 1.5 Z".to_string(),
    };
    view! {
        <svg class=format!("kind-icon {class}") viewBox="0 0 16 16" aria-hidden="true">
            <path d=d></path>
        </svg>
    }
}

/// A feature property's row: its label and its value with the unit in the language's form, or,
/// for a key with no label, the key as the data writes it, marked as a data key
/// (`data-key` on the row: the key as written).
pub fn property_row(lang: Lang, names: &PropertyNames, key: &str, value: &str) -> AnyView {
    // The camera keys as the config names them (`properties` in config.json).
    let known = match key {
        k if k == names.bearing => "bearing",
        k if k == names.fov => "fov",
        k if k == names.range => "range_m",
        k if k == names.name => "name",
        k if k == names.kind => "kind",
        k => k,
    };
    // An unknown key: as the data writes it, marked (class `data-key` and its title).
    let (label, unit, title) = match locale::property(known) {
        Some((label, unit)) => (label.get(lang), unit, None),
        None => (key, locale::Unit::None, Some(T::DataKeyTitle.get(lang))),
    };
    view! {
        <tr data-testid="info-card-row" data-key=key.to_string()>
            <th scope="row" class:data-key=title.is_some() title=title>{label.to_string()}</th>
            <td>{locale::property_value(lang, unit, value)}</td>
        </tr>
    }
    .into_any()
}

/// A position in the three systems, one line each (`data-testid` `{testid}-wgs84`, `-l93`,
/// `-bng`): WGS84 in the chosen form, Lambert-93, the National Grid with letters (or why not).
/// Follows the form switch and the grid file's arrival.
#[component]
pub fn CoordLines(
    at: crate::core::units::LonLat,
    grids: crate::grids::Grids,
    lang: Lang,
    testid: &'static str,
) -> impl IntoView {
    use crate::strings::grids as text;
    let r = Memo::new(move |_| grids.readout(at));
    view! {
        <div class="coord-lines" data-testid=testid>
            <span data-testid=format!("{testid}-wgs84")>{move || text::wgs84(lang, &r.get(), grids.form.get())}</span>
            <span data-testid=format!("{testid}-l93")>{move || text::l93(lang, &r.get())}</span>
            <span data-testid=format!("{testid}-bng") data-out=move || r.get().bng.is_err().then_some("true")>
                {move || text::bng(lang, &r.get())}
            </span>
        </div>
    }
}
