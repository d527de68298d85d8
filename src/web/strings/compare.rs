//! The texts with values of history playback (`playback_ui.rs`) and of the comparison of two
//! windows (`compare_ui.rs`), in English and French: speeds, the time shown in London and
//! Paris, refusals of a window (the field named), the displacement sentence and its compass
//! point, per-day rates and changes. Units as named in the texts: ground km, degrees clockwise
//! from true north, reports per day, per cent.

use super::locale::number;
use super::table::Lang;
use crate::env::City;

/// A speed preset of the playback (data time per real second): "1 h/s", "1 d/s" / "1 j/s".
pub fn speed(lang: Lang, key: &str) -> String {
    let (n, unit) = key.split_at(key.len().saturating_sub(1));
    let unit = match (lang, unit) {
        (_, "h") => "h",
        (Lang::En, "d") => "d",
        (Lang::Fr, "d") => "j",
        (Lang::En, "w") => "wk",
        (Lang::Fr, "w") => "sem.",
        (_, u) => u,
    };
    format!("{n} {unit}/s")
}

/// The browser locale the day and time of a language are formatted in.
pub fn locale(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en-GB",
        Lang::Fr => "fr-FR",
    }
}

/// One city's line of the time shown: "London Sat 28 Nov, 14:00".
pub fn city_time(lang: Lang, city: City, day_time: &str) -> String {
    format!("{} {day_time}", super::labels::city(lang, city))
}

/// Which end of which window a refusal is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    AFrom,
    ATo,
    BFrom,
    BTo,
    CustomFrom,
    CustomTo,
}

fn field_name(lang: Lang, f: Field) -> &'static str {
    match (lang, f) {
        (Lang::En, Field::AFrom) => "Window A, from",
        (Lang::En, Field::ATo) => "Window A, to",
        (Lang::En, Field::BFrom) => "Window B, from",
        (Lang::En, Field::BTo) => "Window B, to",
        (Lang::En, Field::CustomFrom) => "Custom window, from",
        (Lang::En, Field::CustomTo) => "Custom window, to",
        (Lang::Fr, Field::AFrom) => "Période A, du",
        (Lang::Fr, Field::ATo) => "Période A, au",
        (Lang::Fr, Field::BFrom) => "Période B, du",
        (Lang::Fr, Field::BTo) => "Période B, au",
        (Lang::Fr, Field::CustomFrom) => "Période personnalisée, du",
        (Lang::Fr, Field::CustomTo) => "Période personnalisée, au",
    }
}

/// Why a window typed in a panel was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Not a date and time.
    NotADateTime,
    /// Not after the window's start.
    NotAfterFrom,
}

/// A window end typed in a panel was refused: the field named, why, what stays.
pub fn window_refused(lang: Lang, field: Field, why: Refusal) -> String {
    let name = field_name(lang, field);
    match (lang, why) {
        (Lang::En, Refusal::NotADateTime) => {
            format!("{name}: a date and time is needed; the map is unchanged")
        }
        (Lang::En, Refusal::NotAfterFrom) => {
            format!("{name}: must be after the start of the window; the map is unchanged")
        }
        (Lang::Fr, Refusal::NotADateTime) => {
            format!("{name} : une date et une heure sont attendues ; la carte est inchangée")
        }
        (Lang::Fr, Refusal::NotAfterFrom) => {
            format!("{name} : doit être après le début de la période ; la carte est inchangée")
        }
    }
}

/// The 16-point compass point of a bearing (degrees clockwise from true north).
pub fn compass(lang: Lang, deg: f64) -> &'static str {
    const EN: [&str; 16] = [
        "N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE", "S", "SSW", "SW", "WSW", "W", "WNW",
        "NW", "NNW",
    ];
    const FR: [&str; 16] = [
        "N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE", "S", "SSO", "SO", "OSO", "O", "ONO",
        "NO", "NNO",
    ];
    let i = ((deg.rem_euclid(360.0) / 22.5).round() as usize) % 16;
    let table = match lang {
        Lang::En => &EN,
        Lang::Fr => &FR,
    };
    table.get(i).copied().unwrap_or("N")
}

/// The displacement sentence: "Centre of activity moved 37.5 km ENE (76°)"; "did not move"
/// under 50 m; without reports in one window, which one is empty.
pub fn shift(lang: Lang, km: Option<f64>, bearing: Option<f64>, empty: Option<char>) -> String {
    if let Some(w) = empty {
        return match lang {
            Lang::En => format!("No reports in window {w}: no centre of activity to compare"),
            Lang::Fr => {
                format!(
                    "Aucun signalement dans la période {w} : pas de centre d’activité à comparer"
                )
            }
        };
    }
    match (lang, km, bearing) {
        (Lang::En, Some(km), Some(b)) if km >= 0.05 => format!(
            "Centre of activity moved {} km {} ({}°)",
            number(lang, km, 1),
            compass(lang, b),
            number(lang, b, 0)
        ),
        (Lang::Fr, Some(km), Some(b)) if km >= 0.05 => format!(
            "Le centre d’activité s’est déplacé de {} km vers {} ({}°)",
            number(lang, km, 1),
            compass(lang, b),
            number(lang, b, 0)
        ),
        (Lang::En, ..) => "Centre of activity did not move".to_string(),
        (Lang::Fr, ..) => "Le centre d’activité n’a pas bougé".to_string(),
    }
}

/// A window's line of the summary: "A: 3360 reports, 480.0 a day".
pub fn window_count(lang: Lang, name: char, count: usize, per_day: f64) -> String {
    match lang {
        Lang::En => format!("{name}: {count} reports, {} a day", rate(lang, per_day)),
        Lang::Fr => format!(
            "{name} : {count} signalements, {} par jour",
            rate(lang, per_day)
        ),
    }
}

/// A rate per day: one decimal under 100, none above.
pub fn rate(lang: Lang, per_day: f64) -> String {
    number(lang, per_day, if per_day >= 100.0 { 0 } else { 1 })
}

/// A change in per cent, signed ("+35 %", "−12 %"), "new" when A had none ("nouveau").
pub fn change(lang: Lang, pct: Option<f64>, b: f64) -> String {
    match pct {
        Some(p) if p.is_finite() => {
            let sign = if p > 0.5 {
                "+"
            } else if p < -0.5 {
                "−"
            } else {
                "±"
            };
            format!("{sign}{} %", number(lang, p.abs(), 0))
        }
        _ if b > 0.0 => match lang {
            Lang::En => "new".to_string(),
            Lang::Fr => "nouveau".to_string(),
        },
        _ => "—".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compass_points_and_sentences() {
        assert_eq!(compass(Lang::En, 0.0), "N");
        assert_eq!(compass(Lang::En, 76.0), "ENE");
        assert_eq!(compass(Lang::Fr, 250.0), "OSO");
        assert_eq!(compass(Lang::En, 359.0), "N");
        assert_eq!(compass(Lang::En, -90.0), "W");
        assert_eq!(
            shift(Lang::En, Some(37.46), Some(76.2), None),
            "Centre of activity moved 37.5 km ENE (76°)"
        );
        assert!(shift(Lang::Fr, Some(0.01), None, None).contains("n’a pas bougé"));
        assert!(shift(Lang::En, None, None, Some('A')).contains("window A"));
        assert_eq!(change(Lang::En, Some(35.2), 3.0), "+35 %");
        assert_eq!(change(Lang::En, Some(-12.0), 3.0), "−12 %");
        assert_eq!(change(Lang::Fr, None, 2.0), "nouveau");
        assert_eq!(change(Lang::En, None, 0.0), "—");
        assert_eq!(speed(Lang::Fr, "1d"), "1 j/s");
        assert_eq!(speed(Lang::En, "1w"), "1 wk/s");
        assert_eq!(rate(Lang::En, 480.0), "480");
        assert_eq!(rate(Lang::En, 2.25), "2.2");
        assert_eq!(rate(Lang::Fr, 2.25), "2,2");
        assert_eq!(rate(Lang::Fr, 1480.0), "1\u{202F}480");
        assert!(
            window_refused(Lang::En, Field::BTo, Refusal::NotAfterFrom)
                .starts_with("Window B, to:")
        );
    }
}
