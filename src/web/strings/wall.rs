//! The video wall's texts with values (`wall_ui.rs`, `wall_reload.rs`), in English and French:
//! the lost-feed banner with its age, the watchdog's fatal reasons and the notice after a
//! reload. Units: ages are whole seconds or minutes of wall-clock time; times are local
//! `HH:MM:SS` texts the caller formats.

use super::table::Lang;
use crate::core::wall::watchdog::ReloadReason;

/// An age as "45 s", "3 min", "2 h 05 min".
pub fn age(ms: f64) -> String {
    let s = (ms.max(0.0) / 1000.0).floor() as u64;
    if s < 60 {
        format!("{s} s")
    } else if s < 3600 {
        format!("{} min", s / 60)
    } else {
        format!("{} h {:02} min", s / 3600, (s % 3600) / 60)
    }
}

/// The lost-feed banner: how long the picture has not been updated (`None`: never was).
pub fn feed_lost(lang: Lang, age_ms: Option<f64>) -> String {
    match (lang, age_ms) {
        (Lang::En, Some(a)) => format!("FEED LOST · no update for {}", age(a)),
        (Lang::En, None) => "FEED LOST · no update received".to_string(),
        (Lang::Fr, Some(a)) => format!("FLUX PERDU · aucune mise à jour depuis {}", age(a)),
        (Lang::Fr, None) => "FLUX PERDU · aucune mise à jour reçue".to_string(),
    }
}

/// The watchdog screen's headline for a fatal reason (the daily reload has none: it is not one).
pub fn fatal_title(lang: Lang, reason: ReloadReason) -> &'static str {
    match (lang, reason) {
        (Lang::En, ReloadReason::Panic) => "THE MAP STOPPED · internal error",
        (Lang::Fr, ReloadReason::Panic) => "LA CARTE S’EST ARRÊTÉE · erreur interne",
        (Lang::En, ReloadReason::Trap) => "THE MAP STOPPED · its WebAssembly instance was lost",
        (Lang::Fr, ReloadReason::Trap) => {
            "LA CARTE S’EST ARRÊTÉE · son instance WebAssembly est perdue"
        }
        (Lang::En, ReloadReason::Start) => "THE MAP COULD NOT START",
        (Lang::Fr, ReloadReason::Start) => "LA CARTE N’A PAS PU DÉMARRER",
        (Lang::En, ReloadReason::Heartbeat | ReloadReason::Daily) => "THE MAP STOPPED RESPONDING",
        (Lang::Fr, ReloadReason::Heartbeat | ReloadReason::Daily) => "LA CARTE NE RÉPOND PLUS",
    }
}

/// The notice after a reload: when (`at`, local `HH:MM:SS`), why, and how many fatal errors in
/// a row (`streak`; a daily reload says only when).
pub fn reload_notice(lang: Lang, reason: ReloadReason, at: &str, streak: u32) -> String {
    let why = match (lang, reason) {
        (Lang::En, ReloadReason::Panic) => "an internal error",
        (Lang::Fr, ReloadReason::Panic) => "une erreur interne",
        (Lang::En, ReloadReason::Trap) => "the loss of its WebAssembly instance",
        (Lang::Fr, ReloadReason::Trap) => "la perte de son instance WebAssembly",
        (Lang::En, ReloadReason::Start) => "a failed start",
        (Lang::Fr, ReloadReason::Start) => "un échec du démarrage",
        (Lang::En, ReloadReason::Heartbeat) => "it stopped responding",
        (Lang::Fr, ReloadReason::Heartbeat) => "une absence de réponse",
        (Lang::En, ReloadReason::Daily) => return format!("Daily reload at {at}"),
        (Lang::Fr, ReloadReason::Daily) => return format!("Rechargement quotidien à {at}"),
    };
    match lang {
        Lang::En => format!("RELOADED after {why} at {at} · {streak} in a row"),
        Lang::Fr => format!("RECHARGÉE après {why} à {at} · {streak} d’affilée"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_and_banner() {
        assert_eq!(age(45_900.0), "45 s");
        assert_eq!(age(190_000.0), "3 min");
        assert_eq!(age(7_500_000.0), "2 h 05 min");
        assert_eq!(
            feed_lost(Lang::En, Some(130_000.0)),
            "FEED LOST · no update for 2 min"
        );
        assert!(feed_lost(Lang::Fr, None).starts_with("FLUX PERDU"));
        assert_eq!(
            reload_notice(Lang::En, ReloadReason::Trap, "14:03:12", 2),
            "RELOADED after the loss of its WebAssembly instance at 14:03:12 · 2 in a row"
        );
        assert_eq!(
            reload_notice(Lang::Fr, ReloadReason::Daily, "04:30:02", 0),
            "Rechargement quotidien à 04:30:02"
        );
        for r in ReloadReason::FATAL {
            assert_ne!(fatal_title(Lang::En, r), fatal_title(Lang::Fr, r));
        }
    }
}
