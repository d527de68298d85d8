//! The texts of a download refused for its size (issue 15, item 6: `load.rs`, `feed.rs`,
//! `history.rs`), in English and French. Units: sizes are bytes in, megabytes (decimal,
//! 1 MB = 1,000,000 bytes, the unit of the config's `limits` section) out, in the language's
//! number form.

use super::locale::number;
use super::table::Lang;
use crate::core::limits::TooLarge;

/// Bytes as megabytes: whole, or one decimal below 10 MB when not whole (2, 2.5, 500).
fn mb(lang: Lang, bytes: u64) -> String {
    let v = bytes as f64 / 1e6;
    let decimals = if v < 10.0 && (v * 10.0).round() % 10.0 != 0.0 {
        1
    } else {
        0
    };
    number(lang, v, decimals)
}

/// A file (a layer, the zones, the config) refused for its size: what the server declared, or
/// that it passed the cap while read; the cap and the config key that sets it (`None`: fixed).
pub fn file_too_large(lang: Lang, url: &str, refused: &TooLarge, key: Option<&str>) -> String {
    let limit = mb(lang, refused.limit);
    let key = key.map_or_else(String::new, |k| format!(" ({k})"));
    match (lang, refused.declared) {
        (Lang::En, Some(d)) => format!(
            "{url} not loaded: it is {} MB, more than the {limit} MB allowed{key}; the other data stays",
            mb(lang, d)
        ),
        (Lang::En, None) => format!(
            "{url} not loaded: it passed the {limit} MB allowed{key} and was stopped; the other data stays"
        ),
        (Lang::Fr, Some(d)) => format!(
            "{url} non chargé : {} Mo, plus que les {limit} Mo permis{key} ; les autres données restent",
            mb(lang, d)
        ),
        (Lang::Fr, None) => format!(
            "{url} non chargé : il a dépassé les {limit} Mo permis{key} et a été arrêté ; les autres données restent"
        ),
    }
}

/// The feed's answer refused for its size (`request`: the request's label, worded).
pub fn feed_too_large(lang: Lang, request: &str, limit: u64) -> String {
    let limit = mb(lang, limit);
    match lang {
        Lang::En => format!(
            "The answer to {request} is larger than {limit} MB (limits.snapshot_mb) and was not read: retrying"
        ),
        Lang::Fr => format!(
            "La réponse à {request} dépasse {limit} Mo (limits.snapshot_mb) et n’a pas été lue : nouvel essai"
        ),
    }
}

/// A history page refused for its size.
pub fn history_too_large(lang: Lang, limit: u64) -> String {
    let limit = mb(lang, limit);
    match lang {
        Lang::En => format!("a page is larger than {limit} MB (limits.history_page_mb)"),
        Lang::Fr => format!("une page dépasse {limit} Mo (limits.history_page_mb)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_caps_are_said_in_both_languages() {
        let declared = TooLarge {
            limit: 50_000_000,
            declared: Some(500_000_000),
        };
        assert_eq!(
            file_too_large(
                Lang::En,
                "data/huge.geojson",
                &declared,
                Some("limits.layer_mb")
            ),
            "data/huge.geojson not loaded: it is 500 MB, more than the 50 MB allowed (limits.layer_mb); the other data stays"
        );
        let cut = TooLarge {
            limit: 2_500_000,
            declared: None,
        };
        let fr = file_too_large(Lang::Fr, "zones.geojson", &cut, None);
        assert!(fr.contains("2,5 Mo"), "{fr}");
        assert!(feed_too_large(Lang::Fr, "l’instantané", 200_000_000).contains("200 Mo"));
        assert!(history_too_large(Lang::En, 50_000_000).contains("50 MB"));
    }
}
