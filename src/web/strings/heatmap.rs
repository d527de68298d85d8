//! The heatmap's texts with values (`heatmap_ui.rs`): window presets, the bandwidth refusal,
//! the history's state and diagnostics, in English and French. No units beyond those named in
//! the texts (ground metres, reports per km², bytes).

use super::locale::{count, number};
use super::messages::incident_error;
use super::table::Lang;
use crate::core::heatmap::Bandwidth;
use crate::core::heatmap::settings::HeatWindow;
use crate::history::{HistoryCounts, HistoryProblem};

/// A window preset's name ("24 h", "7 d" / "7 j").
pub fn window(lang: Lang, w: HeatWindow) -> String {
    let day = match lang {
        Lang::En => "d",
        Lang::Fr => "j",
    };
    match w {
        HeatWindow::Hour1 => "1 h".to_string(),
        HeatWindow::Hours24 => "24 h".to_string(),
        HeatWindow::Days7 => format!("7 {day}"),
        HeatWindow::Days30 => format!("30 {day}"),
        HeatWindow::Custom(_) => match lang {
            Lang::En => "custom".to_string(),
            Lang::Fr => "personnalisée".to_string(),
        },
    }
}

/// A bandwidth typed in the panel was refused (the field named, its range, the text typed).
pub fn bandwidth_refused(lang: Lang, typed: &str) -> String {
    let (min, max) = (Bandwidth::MIN_M, Bandwidth::MAX_M);
    match lang {
        Lang::En => format!(
            "Bandwidth σ (m) must be a number from {min} to {max} m: “{typed}” refused, the heatmap is unchanged"
        ),
        Lang::Fr => format!(
            "Largeur du noyau σ (m) : un nombre de {min} à {max} m est attendu ; « {typed} » refusé, la carte de densité est inchangée"
        ),
    }
}

fn problem(lang: Lang, p: &HistoryProblem) -> String {
    match (lang, p) {
        (Lang::En, HistoryProblem::Unreachable) => "no answer".to_string(),
        (Lang::Fr, HistoryProblem::Unreachable) => "pas de réponse".to_string(),
        (Lang::En, HistoryProblem::Truncated) => "the answer was cut off".to_string(),
        (Lang::Fr, HistoryProblem::Truncated) => "la réponse a été coupée".to_string(),
        (_, HistoryProblem::TooLarge { limit }) => super::limits::history_too_large(lang, *limit),
        (_, HistoryProblem::Http { status, error }) => match error {
            Some(e) => format!("HTTP {status}: {e}"),
            None => format!("HTTP {status}"),
        },
        (_, HistoryProblem::Unreadable(e)) => incident_error(lang, e),
        (Lang::En, HistoryProblem::CursorRepeated) => {
            "the server gave the same page cursor again".to_string()
        }
        (Lang::Fr, HistoryProblem::CursorRepeated) => {
            "le serveur a redonné le même curseur de page".to_string()
        }
    }
}

/// A history page could not be used; what was loaded is kept.
pub fn history_failed(lang: Lang, p: &HistoryProblem, kept: usize) -> String {
    let why = problem(lang, p);
    match lang {
        Lang::En => format!("History page unusable ({why}): loading stopped, {kept} reports kept"),
        Lang::Fr => format!(
            "Page d’historique inutilisable ({why}) : chargement arrêté, {kept} signalements conservés"
        ),
    }
}

/// The API has no history: said once in the panel.
pub fn no_history(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "No incident history from the API: the heatmap shows the live incidents only",
        Lang::Fr => {
            "Pas d’historique des incidents dans l’API : la carte de densité ne montre que les incidents en direct"
        }
    }
}

/// History pages are coming in.
pub fn history_loading(lang: Lang, reports: usize) -> String {
    match lang {
        Lang::En => format!("Loading history… {reports} reports"),
        Lang::Fr => format!("Chargement de l’historique… {reports} signalements"),
    }
}

/// Every page is in.
pub fn history_loaded(lang: Lang, reports: usize) -> String {
    match lang {
        Lang::En => format!("History: {reports} reports"),
        Lang::Fr => format!("Historique : {reports} signalements"),
    }
}

/// Bytes as "830 B", "45.2 KB", "1.2 MB" ("45,2 Ko", "1,2 Mo" in French).
fn size(lang: Lang, bytes: usize) -> String {
    let b = bytes as f64;
    let (kb, mb, byte) = match lang {
        Lang::En => ("KB", "MB", "B"),
        Lang::Fr => ("Ko", "Mo", "o"),
    };
    if b >= 1e6 {
        format!("{} {mb}", number(lang, b / 1e6, 1))
    } else if b >= 1e3 {
        format!("{} {kb}", number(lang, b / 1e3, 1))
    } else {
        format!("{bytes} {byte}")
    }
}

/// The diagnostics line: reports held, memory, pages, skipped features and the last reason.
pub fn history_diagnostics(lang: Lang, c: &HistoryCounts) -> String {
    let (reports, mem, pages, skipped) = (
        count(lang, c.reports),
        size(lang, c.bytes),
        count(lang, c.pages),
        count(lang, c.skipped),
    );
    let last = c.last_skip.as_ref().map(|e| incident_error(lang, e));
    match lang {
        Lang::En => {
            let mut s = format!(
                "History: {reports} reports, {mem} in memory, {pages} pages, {skipped} features skipped"
            );
            if let Some(l) = last {
                s.push_str(&format!(" (last: {l})"));
            }
            s
        }
        Lang::Fr => {
            let mut s = format!(
                "Historique : {reports} signalements, {mem} en mémoire, {pages} pages, {skipped} objets ignorés"
            );
            if let Some(l) = last {
                s.push_str(&format!(" (dernier : {l})"));
            }
            s
        }
    }
}

/// The peak in view under the legend.
pub fn peak(lang: Lang, value: &str) -> String {
    match lang {
        Lang::En => format!("peak in view {value}"),
        Lang::Fr => format!("maximum dans la vue {value}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_windows() {
        assert_eq!(size(Lang::En, 830), "830 B");
        assert_eq!(size(Lang::En, 45_200), "45.2 KB");
        assert_eq!(size(Lang::En, 1_234_567), "1.2 MB");
        assert_eq!(size(Lang::Fr, 1_234_567), "1,2 Mo");
        assert_eq!(window(Lang::Fr, HeatWindow::Days7), "7 j");
        assert_eq!(window(Lang::En, HeatWindow::Days30), "30 d");
        assert!(bandwidth_refused(Lang::En, "20").starts_with("Bandwidth σ (m) must be"));
    }
}
