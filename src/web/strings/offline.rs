//! The offline texts with values (`offline_ui.rs`), in English and French: the offline banner
//! (the picture's time in London and Paris and its age), the store's size and the browser's
//! refusals. Units: ages are whole seconds, sizes bytes (shown in MB or GB in the language's
//! decimal form); clock texts (`London 14:02`) come from `widgets::wall_clocks`.

use super::table::Lang;
use super::wall::age;

/// The banner: "OFFLINE — picture from London 14:02 · Paris 15:02, 37 min old".
pub fn banner(lang: Lang, clocks: &[String; 2], age_s: u64) -> String {
    let [a, b] = clocks;
    let age = age(age_s as f64 * 1_000.0);
    match lang {
        Lang::En => format!("OFFLINE — picture from {a} · {b}, {age} old"),
        Lang::Fr => format!("HORS LIGNE — image de {a} · {b}, il y a {age}"),
    }
}

/// A size in bytes as "3.4 MB" / "3,4 Mo" (GB / Go from 1,000 MB).
pub fn size(lang: Lang, bytes: f64) -> String {
    let mb = bytes.max(0.0) / 1e6;
    let (v, en, fr) = if mb >= 1_000.0 {
        (mb / 1_000.0, "GB", "Go")
    } else {
        (mb, "MB", "Mo")
    };
    let n = format!("{v:.1}");
    match lang {
        Lang::En => format!("{n} {en}"),
        Lang::Fr => format!("{} {fr}", n.replace('.', ",")),
    }
}

/// "3.4 MB used of 1.2 GB" (the quota unknown: "3.4 MB used").
pub fn usage(lang: Lang, usage: f64, quota: Option<f64>) -> String {
    let used = size(lang, usage);
    match (lang, quota) {
        (Lang::En, Some(q)) => format!("{used} used of {}", size(lang, q)),
        (Lang::Fr, Some(q)) => format!("{used} utilisés sur {}", size(lang, q)),
        (Lang::En, None) => format!("{used} used"),
        (Lang::Fr, None) => format!("{used} utilisés"),
    }
}

/// The browser refused the store (its own text, e.g. "SecurityError: …").
pub fn refused(lang: Lang, detail: &str) -> String {
    match lang {
        Lang::En => format!("the browser refused the store ({detail})"),
        Lang::Fr => format!("le navigateur refuse le stockage ({detail})"),
    }
}

/// The service worker could not be registered (the browser's text).
pub fn worker_failed(lang: Lang, detail: &str) -> String {
    match lang {
        Lang::En => format!("offline use unavailable: {detail}"),
        Lang::Fr => format!("usage hors ligne indisponible : {detail}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_banner_says_offline_when_and_how_old_in_both_languages() {
        let clocks = ["London 14:02".to_string(), "Paris 15:02".to_string()];
        assert_eq!(
            banner(Lang::En, &clocks, 37 * 60 + 12),
            "OFFLINE — picture from London 14:02 · Paris 15:02, 37 min old"
        );
        let fr = ["Londres 14:02".to_string(), "Paris 15:02".to_string()];
        assert_eq!(
            banner(Lang::Fr, &fr, 45),
            "HORS LIGNE — image de Londres 14:02 · Paris 15:02, il y a 45 s"
        );
    }

    #[test]
    fn sizes_in_each_languages_form() {
        assert_eq!(size(Lang::En, 3_400_000.0), "3.4 MB");
        assert_eq!(size(Lang::Fr, 3_400_000.0), "3,4 Mo");
        assert_eq!(usage(Lang::En, 0.0, Some(1.2e9)), "0.0 MB used of 1.2 GB");
        assert_eq!(usage(Lang::Fr, 2e6, None), "2,0 Mo utilisés");
    }
}
