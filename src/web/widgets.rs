//! Small views and texts that several panels show: the incident kind icon, local clock
//! times, ground distances (numbers and units only; words are `strings`'). What two panels share lives here (or lower), so a
//! panel never imports another panel.
//!
//! Units: times are ms since the Unix epoch, shown as local wall-clock `HH:MM:SS` in the
//! browser's time zone (looked up per instant, `env::local_offset_min`); distances are ground
//! metres, shown in m or km; icons are drawn in a 16 × 16 SVG box sized by CSS.

use leptos::prelude::*;

use crate::core::incident::{IncidentKind, Timestamp};
use crate::env::local_offset_min;
use crate::strings::{Lang, labels};

/// The video wall's clocks at `ms` (ms since the Unix epoch): `London HH:MM`, `Paris HH:MM`
/// (`Londres …` in French; `--:--` where the browser lacks the zone).
pub fn wall_clocks(lang: Lang, ms: f64) -> [String; 2] {
    crate::env::wall_clocks(ms).map(|(city, hm)| format!("{} {hm}", labels::city(lang, city)))
}

/// `HH:MM:SS` local time.
pub fn clock(t: Timestamp) -> String {
    t.clock_text(local_offset_min(t.millis()))
}

/// `HH:MM:SS` local time of `ms` since the Unix epoch; "—" when it is no valid time.
pub fn clock_ms(ms: f64) -> String {
    Timestamp::from_millis(ms as i64).map_or_else(|| "—".to_string(), clock)
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

/// The small shape drawn for a kind (the same shapes as on the map), coloured by CSS class.
#[component]
pub fn KindIcon(kind: IncidentKind, #[prop(into)] class: String) -> impl IntoView {
    let d = match kind {
        IncidentKind::SmallBoat => "M8 1.5 L14.5 13.5 L1.5 13.5 Z",
        IncidentKind::FenceBreach => "M8 0.8 L15.2 8 L8 15.2 L0.8 8 Z",
        IncidentKind::LorryIntrusion => "M2 2 H14 V14 H2 Z",
        IncidentKind::TunnelIntrusion => "M1.5 2.5 H14.5 L8 14.5 Z",
        IncidentKind::VehicleSighting => "M8 1.5 A6.5 6.5 0 1 1 7.99 1.5 Z",
        IncidentKind::Other => "M5.8 1 H10.2 V5.8 H15 V10.2 H10.2 V15 H5.8 V10.2 H1 V5.8 H5.8 Z",
    };
    view! {
        <svg class=format!("kind-icon {class}") viewBox="0 0 16 16" aria-hidden="true">
            <path d=d></path>
        </svg>
    }
}
