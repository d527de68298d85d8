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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_announcement_is_said_in_english_and_french() {
        let classes = [
            StatusClass::Live,
            StatusClass::Reconnecting,
            StatusClass::Offline,
            StatusClass::Stale,
        ];
        for lang in [Lang::En, Lang::Fr] {
            let said: Vec<&str> = classes.iter().map(|c| status(lang, *c)).collect();
            for (i, s) in said.iter().enumerate() {
                assert!(!said[..i].contains(s), "{lang:?}: {s} said twice");
            }
        }
        for c in classes {
            assert_ne!(status(Lang::En, c), status(Lang::Fr, c));
        }
        assert_eq!(critical(Lang::En, 1), "1 new critical zone alert.");
        assert_eq!(critical(Lang::En, 3), "3 new critical zone alerts.");
        assert_eq!(critical(Lang::Fr, 1), "1 nouvelle alerte de zone critique.");
        assert_eq!(
            critical(Lang::Fr, 3),
            "3 nouvelles alertes de zone critique."
        );
        assert_eq!(
            resync(Lang::Fr, 34, 0),
            "Tous les incidents rechargés depuis le serveur : 34 avant, 0 maintenant."
        );
    }
}
