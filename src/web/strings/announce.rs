//! What the screen reader is told (issue 15 item 5, `announce.rs`), in English and French:
//! the feed's status class when it changes, a resync, and how many new critical zone alerts
//! arrived. No units (counts); the sentences are short, said once each.

use super::table::Lang;
use crate::core::announce::StatusClass;

/// The feed's new status, as a sentence ("Live feed lost: reconnecting.").
pub fn status(lang: Lang, class: StatusClass) -> &'static str {
    match (lang, class) {
        (Lang::En, StatusClass::Live) => "Live feed back: the picture is live.",
        (Lang::En, StatusClass::Reconnecting) => "Live feed lost: reconnecting.",
        (Lang::En, StatusClass::Offline) => "No network: the live feed is offline.",
        (Lang::En, StatusClass::Stale) => "The picture is stale: nothing new from the live feed.",
        (Lang::Fr, StatusClass::Live) => "Flux en direct rétabli : l’image est à jour.",
        (Lang::Fr, StatusClass::Reconnecting) => "Flux en direct perdu : reconnexion.",
        (Lang::Fr, StatusClass::Offline) => "Pas de réseau : le flux en direct est hors ligne.",
        (Lang::Fr, StatusClass::Stale) => {
            "L’image n’est plus à jour : rien de nouveau du flux en direct."
        }
    }
}

/// A resync: every incident reloaded, with how many before and after.
pub fn resync(lang: Lang, before: usize, after: usize) -> String {
    match lang {
        Lang::En => {
            format!("Every incident reloaded from the server: {before} before, {after} now.")
        }
        Lang::Fr => format!(
            "Tous les incidents rechargés depuis le serveur : {before} avant, {after} maintenant."
        ),
    }
}

/// New critical zone alerts, counted ("3 new critical zone alerts.").
pub fn critical(lang: Lang, n: usize) -> String {
    match (lang, n) {
        (Lang::En, 1) => "1 new critical zone alert.".to_string(),
        (Lang::En, n) => format!("{n} new critical zone alerts."),
        (Lang::Fr, 0 | 1) => format!("{n} nouvelle alerte de zone critique."),
        (Lang::Fr, n) => format!("{n} nouvelles alertes de zone critique."),
    }
}
