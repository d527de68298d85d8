//! The names of the core's enums as the UI shows them, in English and French (the core keeps
//! only machine `key()`s). No units. Each function is one `match` on [`Lang`], so a language
//! without its text does not compile.

use super::table::Lang;
use crate::core::feed::{Request, ResyncCause};
use crate::core::geofence::{EventKind, ZoneKind};
use crate::core::incident::{IncidentKind, SortOrder, Status, StatusFilter, TimeWindow};
use crate::core::model::{FenceKind, LayerId, PortKind};
use crate::env::City;

/// A layer's title in the layer panel and its banners: "Basemap", …, "Ports & terminals".
pub fn layer(lang: Lang, id: LayerId) -> &'static str {
    match lang {
        Lang::En => match id {
            LayerId::Basemap => "Basemap",
            LayerId::Fences => "Fences",
            LayerId::Cameras => "Cameras",
            LayerId::Ports => "Ports & terminals",
        },
        Lang::Fr => match id {
            LayerId::Basemap => "Fond de carte",
            LayerId::Fences => "Clôtures",
            LayerId::Cameras => "Caméras",
            LayerId::Ports => "Ports et terminaux",
        },
    }
}

/// A fence feature's kind (legend, info card).
pub fn fence(lang: Lang, kind: FenceKind) -> &'static str {
    match lang {
        Lang::En => match kind {
            FenceKind::Fence => "Fence",
            FenceKind::Wall => "Wall",
            FenceKind::Gate => "Gate",
            FenceKind::Other => "Other barrier",
        },
        Lang::Fr => match kind {
            FenceKind::Fence => "Clôture",
            FenceKind::Wall => "Mur",
            FenceKind::Gate => "Portail",
            FenceKind::Other => "Autre barrière",
        },
    }
}

/// A port feature's kind (legend, info card).
pub fn port(lang: Lang, kind: PortKind) -> &'static str {
    match lang {
        Lang::En => match kind {
            PortKind::FerryPort => "Ferry port",
            PortKind::RailTerminal => "Rail terminal",
            PortKind::TunnelPortal => "Tunnel portal",
            PortKind::Harbour => "Harbour",
            PortKind::Other => "Other site",
        },
        Lang::Fr => match kind {
            PortKind::FerryPort => "Port de ferries",
            PortKind::RailTerminal => "Terminal ferroviaire",
            PortKind::TunnelPortal => "Entrée du tunnel",
            PortKind::Harbour => "Port",
            PortKind::Other => "Autre site",
        },
    }
}

/// An incident's kind: "Small boat", "Fence breach", …
pub fn incident_kind(lang: Lang, kind: IncidentKind) -> &'static str {
    match lang {
        Lang::En => match kind {
            IncidentKind::SmallBoat => "Small boat",
            IncidentKind::FenceBreach => "Fence breach",
            IncidentKind::LorryIntrusion => "Lorry intrusion",
            IncidentKind::TunnelIntrusion => "Tunnel intrusion",
            IncidentKind::VehicleSighting => "Vehicle sighting",
            IncidentKind::Other => "Other",
        },
        Lang::Fr => match kind {
            IncidentKind::SmallBoat => "Petite embarcation",
            IncidentKind::FenceBreach => "Intrusion par la clôture",
            IncidentKind::LorryIntrusion => "Intrusion dans un poids lourd",
            IncidentKind::TunnelIntrusion => "Intrusion dans le tunnel",
            IncidentKind::VehicleSighting => "Véhicule repéré",
            IncidentKind::Other => "Autre",
        },
    }
}

/// An incident's status: "Open", "Closed".
pub fn status(lang: Lang, status: Status) -> &'static str {
    match (lang, status) {
        (Lang::En, Status::Open) => "Open",
        (Lang::En, Status::Closed) => "Closed",
        (Lang::Fr, Status::Open) => "En cours",
        (Lang::Fr, Status::Closed) => "Clos",
    }
}

/// The status filter's choices.
pub fn status_filter(lang: Lang, f: StatusFilter) -> &'static str {
    match lang {
        Lang::En => match f {
            StatusFilter::All => "Open and closed",
            StatusFilter::Open => "Open only",
            StatusFilter::Closed => "Closed only",
        },
        Lang::Fr => match f {
            StatusFilter::All => "En cours et clos",
            StatusFilter::Open => "En cours seulement",
            StatusFilter::Closed => "Clos seulement",
        },
    }
}

/// The time window's choices.
pub fn time_window(lang: Lang, w: TimeWindow) -> &'static str {
    match lang {
        Lang::En => match w {
            TimeWindow::All => "Any time",
            TimeWindow::Min15 => "Last 15 min",
            TimeWindow::Hour1 => "Last hour",
            TimeWindow::Hour6 => "Last 6 hours",
            TimeWindow::Hour24 => "Last 24 hours",
        },
        Lang::Fr => match w {
            TimeWindow::All => "Toute période",
            TimeWindow::Min15 => "15 dernières min",
            TimeWindow::Hour1 => "Dernière heure",
            TimeWindow::Hour6 => "6 dernières heures",
            TimeWindow::Hour24 => "24 dernières heures",
        },
    }
}

/// The list order's choices.
pub fn sort_order(lang: Lang, o: SortOrder) -> &'static str {
    match (lang, o) {
        (Lang::En, SortOrder::Newest) => "Newest first",
        (Lang::En, SortOrder::Severity) => "Most severe first",
        (Lang::Fr, SortOrder::Newest) => "Plus récents d’abord",
        (Lang::Fr, SortOrder::Severity) => "Plus graves d’abord",
    }
}

/// A zone's kind: "Restricted", "Watch", "Approach", "Other".
pub fn zone_kind(lang: Lang, kind: ZoneKind) -> &'static str {
    match lang {
        Lang::En => match kind {
            ZoneKind::Restricted => "Restricted",
            ZoneKind::Watch => "Watch",
            ZoneKind::Approach => "Approach",
            ZoneKind::Other => "Other",
        },
        Lang::Fr => match kind {
            ZoneKind::Restricted => "Interdite",
            ZoneKind::Watch => "Surveillée",
            ZoneKind::Approach => "Approche",
            ZoneKind::Other => "Autre",
        },
    }
}

/// A zone event as the alert ticker says it between the incident and the zone:
/// "entered", "left", …
pub fn event_verb(lang: Lang, kind: EventKind) -> &'static str {
    match lang {
        Lang::En => match kind {
            EventKind::Enter => "entered",
            EventKind::Exit => "left",
            EventKind::Dwell => "is dwelling in",
            EventKind::Cross => "crossed",
            EventKind::Ended => "ended in",
        },
        Lang::Fr => match kind {
            EventKind::Enter => "est entré dans",
            EventKind::Exit => "a quitté",
            EventKind::Dwell => "stationne dans",
            EventKind::Cross => "a traversé",
            EventKind::Ended => "s’est terminé dans",
        },
    }
}

/// A feed request as a problem sentence names it.
pub fn request(lang: Lang, request: Request) -> &'static str {
    match (lang, request) {
        (Lang::En, Request::Snapshot) => "the incident snapshot",
        (Lang::En, Request::Changes) => "the request for the latest changes",
        (Lang::Fr, Request::Snapshot) => "l’instantané des incidents",
        (Lang::Fr, Request::Changes) => "la demande des derniers changements",
    }
}

/// Why every incident was reloaded (the resync notice).
pub fn resync_cause(lang: Lang, cause: ResyncCause) -> &'static str {
    match lang {
        Lang::En => match cause {
            ResyncCause::Reset => "the server could not replay the missed events",
            ResyncCause::CursorGone => "the server could not serve the changes since the last poll",
            ResyncCause::NoCursor => "there was no position to resume the feed from",
            ResyncCause::Retry => "the feed was restarted",
        },
        Lang::Fr => match cause {
            ResyncCause::Reset => "le serveur n’a pas pu renvoyer les événements manqués",
            ResyncCause::CursorGone => {
                "le serveur n’a pas pu fournir les changements depuis la dernière interrogation"
            }
            ResyncCause::NoCursor => "il n’y avait aucune position d’où reprendre le flux",
            ResyncCause::Retry => "le flux a été redémarré",
        },
    }
}

/// List dates' month abbreviations ("3 Dec 07:59"), `month` 1..=12; "?" otherwise.
pub fn month(lang: Lang, month: u8) -> &'static str {
    const EN: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    const FR: [&str; 12] = [
        "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
        "déc.",
    ];
    let names = match lang {
        Lang::En => &EN,
        Lang::Fr => &FR,
    };
    usize::from(month)
        .checked_sub(1)
        .and_then(|m| names.get(m))
        .copied()
        .unwrap_or("?")
}

/// A city of the video wall's clocks.
pub fn city(lang: Lang, city: City) -> &'static str {
    match (lang, city) {
        (Lang::En, City::London) => "London",
        (Lang::Fr, City::London) => "Londres",
        (_, City::Paris) => "Paris",
    }
}
