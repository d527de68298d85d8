//! The exports' texts with values (`export_ui.rs`), in English and French: the band's time,
//! layers, filters, heatmap and feed lines, the CSV headers, what was saved and why an export
//! failed. Units: times are texts the caller formats (`env`'s time-zone helpers); bandwidth
//! ground metres; sizes device px.

use super::table::{Lang, T};
use crate::core::export::PngError;
use crate::env::City;
use crate::export_image::ImageError;

/// `London Sat 5 Dec 2026, 20:17:43 GMT · Paris sam. 5 déc. 2026, 21:17:43 UTC+1` (a zone the
/// browser does not know shows "—").
pub fn times(lang: Lang, london: Option<String>, paris: Option<String>) -> String {
    let one = |c: City, t: Option<String>| {
        format!(
            "{} {}",
            super::labels::city(lang, c),
            t.unwrap_or_else(|| "—".into())
        )
    };
    format!(
        "{} · {}",
        one(City::London, london),
        one(City::Paris, paris)
    )
}

/// A clock in both zones: `20:17:43 London / 21:17:43 Paris`.
pub fn both_clocks(lang: Lang, london: &str, paris: &str) -> String {
    format!(
        "{london} {} / {paris} {}",
        super::labels::city(lang, City::London),
        super::labels::city(lang, City::Paris)
    )
}

/// The incident filter: kinds (all or those named), lowest severity, status, time window.
pub fn filters(
    lang: Lang,
    kinds: Option<&[&str]>,
    min_sev: u8,
    status: &str,
    window: &str,
) -> String {
    let kinds = match (lang, kinds) {
        (Lang::En, None) => "all kinds".to_string(),
        (Lang::Fr, None) => "tous les types".to_string(),
        (Lang::En, Some([])) => "no kind".to_string(),
        (Lang::Fr, Some([])) => "aucun type".to_string(),
        (_, Some(k)) => k.join(", "),
    };
    match lang {
        Lang::En => format!("incidents: {kinds}; severity ≥ {min_sev}; {status}; {window}"),
        Lang::Fr => format!("incidents : {kinds} ; gravité ≥ {min_sev} ; {status} ; {window}"),
    }
}

/// The heatmap as shown: its window, bandwidth, scale and whether it is a comparison or a
/// playback.
pub fn heatmap(
    lang: Lang,
    window: &str,
    bandwidth_m: f64,
    relative: bool,
    difference: bool,
    playback: bool,
) -> String {
    let (scale, diff, play) = match lang {
        Lang::En => (
            if relative {
                "relative scale"
            } else {
                "fixed scale"
            },
            "difference of two windows per day",
            "playback",
        ),
        Lang::Fr => (
            if relative {
                "échelle relative"
            } else {
                "échelle fixe"
            },
            "différence de deux fenêtres par jour",
            "relecture",
        ),
    };
    let mut out = match lang {
        Lang::En => format!("heatmap: {window}, σ {bandwidth_m:.0} m, {scale}"),
        Lang::Fr => format!("carte de densité : {window}, σ {bandwidth_m:.0} m, {scale}"),
    };
    for (on, what) in [(difference, diff), (playback, play)] {
        if on {
            out.push_str(", ");
            out.push_str(what);
        }
    }
    out
}

/// The incident count the picture's data line ends with.
pub fn shown_count(lang: Lang, n: usize) -> String {
    match (lang, n) {
        (Lang::En, 1) => "1 incident passes the filter".to_string(),
        (Lang::En, n) => format!("{n} incidents pass the filter"),
        (Lang::Fr, n) if n <= 1 => format!("{n} incident passe le filtre"),
        (Lang::Fr, n) => format!("{n} incidents passent le filtre"),
    }
}

/// A wall screen's part of the wall, columns and rows counted from 1 at the top left:
/// "column 2 of 2, row 1 of 1 of the wall: this screen's part of the view only".
pub fn wall_screen(lang: Lang, (col, row): (u32, u32), (cols, rows): (u32, u32)) -> String {
    match lang {
        Lang::En => format!(
            "column {col} of {cols}, row {row} of {rows} of the wall: this screen's part of the view only"
        ),
        Lang::Fr => format!(
            "colonne {col} sur {cols}, rangée {row} sur {rows} du mur : seulement la partie de la vue sur cet écran"
        ),
    }
}

/// A severity's legend entry: "Severity 4".
pub fn severity(lang: Lang, n: u8) -> String {
    format!("{} {n}", T::Severity.get(lang))
}

/// The incidents' CSV header (`core::export::INCIDENT_COLUMNS`' order).
pub fn incident_header(lang: Lang) -> [&'static str; 11] {
    [
        T::CsvId,
        T::CsvKind,
        T::CsvSeverity,
        T::CsvStatus,
        T::CsvReportedAt,
        T::CsvUpdatedAt,
        T::CsvLon,
        T::CsvLat,
        T::CsvAccuracy,
        T::CsvSource,
        T::CsvDescription,
    ]
    .map(|t| t.get(lang))
}

/// The zones' CSV header (`core::export::ZONE_COLUMNS`' order).
pub fn zone_header(lang: Lang) -> [&'static str; 10] {
    [
        T::CsvId,
        T::CsvName,
        T::CsvKind,
        T::CsvOrigin,
        T::CsvInside,
        T::CsvAlertEnter,
        T::CsvAlertExit,
        T::CsvDwell,
        T::CsvCritical,
        T::CsvWkt,
    ]
    .map(|t| t.get(lang))
}

/// What was saved: the file names.
pub fn saved(lang: Lang, files: &[String]) -> String {
    match lang {
        Lang::En => format!("Saved {}", files.join(", ")),
        Lang::Fr => format!("Enregistré : {}", files.join(", ")),
    }
}

/// Why the picture could not be made.
pub fn image_error(lang: Lang, e: ImageError) -> &'static str {
    match (lang, e) {
        (Lang::En, ImageError::NoMap) => "No picture: the map is not drawn yet",
        (Lang::Fr, ImageError::NoMap) => "Pas d’image : la carte n’est pas encore dessinée",
        (Lang::En, ImageError::NoCanvas) => "No picture: the browser refused an offscreen canvas",
        (Lang::Fr, ImageError::NoCanvas) => {
            "Pas d’image : le navigateur refuse un canevas hors écran"
        }
        (Lang::En, ImageError::Draw) => "No picture: a layer of the map could not be copied",
        (Lang::Fr, ImageError::Draw) => {
            "Pas d’image : une couche de la carte n’a pas pu être copiée"
        }
        (Lang::En, ImageError::Encode) => "No picture: the browser could not encode the PNG",
        (Lang::Fr, ImageError::Encode) => "Pas d’image : le navigateur n’a pas pu encoder le PNG",
        (Lang::En, ImageError::Clock) => "No export: the computer's clock is out of range",
        (Lang::Fr, ImageError::Clock) => {
            "Pas d’export : l’horloge de l’ordinateur est hors limites"
        }
        (Lang::En, ImageError::NoData) => "No export: the incidents could not be read",
        (Lang::Fr, ImageError::NoData) => "Pas d’export : les incidents n’ont pas pu être lus",
    }
}

/// Why the record could not be written into the PNG (the browser's PNG did not read).
pub fn png_error(lang: Lang, e: &PngError) -> String {
    match lang {
        Lang::En => format!("No picture: the browser's PNG could not take its record ({e})"),
        Lang::Fr => {
            format!("Pas d’image : le PNG du navigateur n’a pas pu recevoir son relevé ({e})")
        }
    }
}

/// No zones are loaded or drawn.
pub fn no_zones(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "No zones to export",
        Lang::Fr => "Aucune zone à exporter",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wall_screen_is_named_by_column_and_row_from_one() {
        assert_eq!(
            wall_screen(Lang::En, (2, 1), (2, 1)),
            "column 2 of 2, row 1 of 1 of the wall: this screen's part of the view only"
        );
        assert_eq!(
            wall_screen(Lang::Fr, (1, 2), (3, 2)),
            "colonne 1 sur 3, rangée 2 sur 2 du mur : seulement la partie de la vue sur cet écran"
        );
    }
}
