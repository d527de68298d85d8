//! The locale's forms (issue 14, items 4 and 5): numbers as each language writes them, the
//! names of time zones, times labelled with their zone, and the property names of the map's
//! features as the info card shows them (with their units). The one helper for numbers: every
//! number a text of the UI shows in a sentence goes through [`number`].
//!
//! Units: [`number`] takes any finite `f64` and a count of decimals; property values keep the
//! data's units (degrees, ground metres, seconds), which [`property`] names; zone names are IANA
//! time-zone ids ("Europe/London"); clock texts come from the caller (the browser's `Intl`,
//! `env::zone_clock`), this module only labels them.
//!
//! Numbers are written here rather than through the browser's `Intl.NumberFormat`: the rule for
//! the two locales is three lines (English `12,345.6`, French `12 345,6` with a narrow no-break
//! space U+202F, as `Intl.NumberFormat("fr-FR")` writes it), testable natively, where `Intl`
//! would need a browser in every test and a JS call per number (BENCHMARKS.md "Languages and
//! time" has the bundle figures).

use super::table::{Lang, T};
use crate::env::City;

/// The thousands separator of French: a narrow no-break space (U+202F), as `Intl` writes it.
pub const FR_THOUSANDS: char = '\u{202F}';

/// `v` with `decimals` decimals in the language's form: English `12,345.6`, French `12 345,6`
/// (narrow no-break space); "—" for a value that is not finite. Both languages group from
/// 1,000 (`1,000` / `1 000`).
pub fn number(lang: Lang, v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return "—".to_string();
    }
    let text = format!("{:.*}", decimals, v.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let (group, point) = match lang {
        Lang::En => (',', '.'),
        Lang::Fr => (FR_THOUSANDS, ','),
    };
    // "-0" and "-0.0" are written without their sign.
    let negative = v < 0.0 && text.bytes().any(|b| b.is_ascii_digit() && b != b'0');
    let mut out = String::with_capacity(text.len() + 4);
    if negative {
        out.push('-');
    }
    let digits = int.len();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (digits - i) % 3 == 0 {
            out.push(group);
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push(point);
        out.push_str(frac);
    }
    out
}

/// A whole count in the language's form (`12,345` / `12 345`).
pub fn count(lang: Lang, n: usize) -> String {
    number(lang, n as f64, 0)
}

/// A scale bar's length, ground metres: "2 km", "500 m", "0.5 m" ("0,5 m" in French), with the
/// decimals the length needs (at most 3; the bar's lengths are 1-2-5 steps).
pub fn length(lang: Lang, metres: f64) -> String {
    let (v, unit) = if metres >= 1000.0 {
        (metres / 1000.0, "km")
    } else {
        (metres, "m")
    };
    let decimals = (0..3)
        .find(|&d| {
            let scale = 10f64.powi(d);
            ((v * scale) - (v * scale).round()).abs() < 1e-6
        })
        .unwrap_or(3) as usize;
    format!("{} {unit}", number(lang, v, decimals))
}

/// A number the data wrote as text (a feature's property) in the language's form, keeping the
/// decimals it was written with (at most 6); `None` if the text is not a plain decimal number.
fn data_number(lang: Lang, text: &str) -> Option<String> {
    let t = text.trim();
    let plain = !t.is_empty()
        && t.bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
        && t.bytes().any(|b| b.is_ascii_digit());
    let v = calais_core::decimal::parse_f64(t).filter(|_| plain)?;
    let decimals = t.split_once('.').map_or(0, |(_, f)| f.len().min(6));
    Some(number(lang, v, decimals))
}

/// A city's name from an IANA time-zone id: "Europe/London" → "London" ("Londres" in French),
/// "America/New_York" → "New York", "UTC" or "Etc/UTC" → "UTC".
pub fn zone_name(lang: Lang, zone: &str) -> String {
    match zone {
        "Europe/London" => super::labels::city(lang, City::London).to_string(),
        "Europe/Paris" => super::labels::city(lang, City::Paris).to_string(),
        "UTC" | "Etc/UTC" | "Etc/GMT" | "GMT" => "UTC".to_string(),
        z => z.rsplit('/').next().unwrap_or(z).replace('_', " "),
    }
}

/// A clock text labelled with its zone: "14:02:11 Paris" (`zone_label` from [`zone_name`]).
pub fn zoned(clock: &str, zone_label: &str) -> String {
    format!("{clock} {zone_label}")
}

/// A time in London and in Paris: "Sat 28 Nov, 14:00 London · Sat 28 Nov, 15:00 Paris"
/// (`london`, `paris`: the two texts, each in its zone, `None` where the browser lacks the zone).
pub fn london_paris(lang: Lang, london: Option<&str>, paris: Option<&str>) -> String {
    let one = |city, t: Option<&str>| zoned(t.unwrap_or("--:--"), super::labels::city(lang, city));
    format!(
        "{} · {}",
        one(City::London, london),
        one(City::Paris, paris)
    )
}

/// A time shown in UTC because the browser knows neither zone: "2026-03-29 01:30 UTC".
pub fn utc(text: &str) -> String {
    zoned(text, "UTC")
}

/// The incident list's times: which zone they are in ("Times: Paris (this device's zone)").
pub fn list_zone(lang: Lang, zone_label: &str) -> String {
    match lang {
        Lang::En => format!("Times: {zone_label} (this device's zone)"),
        Lang::Fr => format!("Heures : {zone_label} (fuseau de cet appareil)"),
    }
}

/// The `?perf` overlay's line: the last frame's cost (ms) and kind (its key), the features
/// drawn, the layers' feature counts (`counts`, keys and numbers).
pub fn perf_line(lang: Lang, ms: f64, kind: &str, drawn: usize, counts: &str) -> String {
    let (ms, drawn) = (number(lang, ms, 1), count(lang, drawn));
    match lang {
        Lang::En => format!("last frame {ms} ms ({kind}) · drawn {drawn} · {counts}"),
        Lang::Fr => format!("dernière image {ms} ms ({kind}) · dessinés {drawn} · {counts}"),
    }
}

/// The unit a feature property's value is in (appended to its number).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Text or a bare number.
    None,
    /// Degrees (bearing clockwise from true north, field of view).
    Degrees,
    /// Ground metres.
    Metres,
    /// Seconds.
    Seconds,
}

impl Unit {
    fn suffix(self) -> &'static str {
        match self {
            Unit::None => "",
            Unit::Degrees => "°",
            Unit::Metres => " m",
            Unit::Seconds => " s",
        }
    }
}

/// A feature property's label and unit for the info card, by the key the data uses (the
/// camera keys as the config names them are mapped by the caller); `None` for a key with no
/// label, which the card shows as is, marked as a data key.
pub fn property(key: &str) -> Option<(T, Unit)> {
    Some(match key {
        "id" => (T::PropId, Unit::None),
        "name" => (T::PropName, Unit::None),
        "kind" => (T::PropKind, Unit::None),
        "bearing" => (T::PropBearing, Unit::Degrees),
        "fov" => (T::PropFov, Unit::Degrees),
        "range_m" => (T::PropRange, Unit::Metres),
        "height_m" => (T::PropHeight, Unit::Metres),
        "model" => (T::PropModel, Unit::None),
        "operator" => (T::PropOperator, Unit::None),
        "watches" => (T::PropWatches, Unit::None),
        "synthetic" => (T::PropSynthetic, Unit::None),
        "country" => (T::PropCountry, Unit::None),
        "source" => (T::RowSource, Unit::None),
        "iso_a3" => (T::PropCountryCode, Unit::None),
        "critical" => (T::PropCritical, Unit::None),
        "dwell_s" => (T::PropDwell, Unit::Seconds),
        _ => return None,
    })
}

/// A property's value as the card shows it: a number in the language's form with its unit,
/// `true`/`false` as yes/no, any other text as the data wrote it.
pub fn property_value(lang: Lang, unit: Unit, value: &str) -> String {
    match value.trim() {
        "true" => return T::Yes.get(lang).to_string(),
        "false" => return T::No.get(lang).to_string(),
        _ => {}
    }
    match data_number(lang, value) {
        Some(n) => format!("{n}{}", unit.suffix()),
        None => value.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_each_language() {
        assert_eq!(number(Lang::En, 12345.678, 1), "12,345.7");
        assert_eq!(number(Lang::Fr, 12345.678, 1), "12\u{202F}345,7");
        assert_eq!(number(Lang::En, 999.0, 0), "999");
        assert_eq!(number(Lang::Fr, 1000.0, 0), "1\u{202F}000");
        assert_eq!(number(Lang::En, 1_234_567.0, 0), "1,234,567");
        assert_eq!(number(Lang::Fr, -2.5, 2), "-2,50");
        assert_eq!(number(Lang::Fr, -0.01, 1), "0,0");
        assert_eq!(number(Lang::En, f64::NAN, 1), "—");
        assert_eq!(count(Lang::Fr, 50_000), "50\u{202F}000");
    }

    #[test]
    fn scale_bar_lengths() {
        assert_eq!(length(Lang::En, 2000.0), "2 km");
        assert_eq!(length(Lang::Fr, 500.0), "500 m");
        assert_eq!(length(Lang::Fr, 0.5), "0,5 m");
        assert_eq!(length(Lang::En, 1_000_000.0), "1,000 km");
    }

    #[test]
    fn data_numbers_keep_their_decimals() {
        assert_eq!(data_number(Lang::Fr, "2.8").as_deref(), Some("2,8"));
        assert_eq!(data_number(Lang::En, "270").as_deref(), Some("270"));
        assert_eq!(
            data_number(Lang::Fr, "1500.25").as_deref(),
            Some("1\u{202F}500,25")
        );
        assert_eq!(data_number(Lang::En, "PTZ"), None);
        assert_eq!(data_number(Lang::En, "1e5"), None);
        assert_eq!(data_number(Lang::En, "-"), None);
    }

    #[test]
    fn property_labels_and_values() {
        assert_eq!(property("range_m"), Some((T::PropRange, Unit::Metres)));
        assert_eq!(property("x_custom"), None);
        assert_eq!(property_value(Lang::Fr, Unit::Metres, "2.8"), "2,8 m");
        assert_eq!(property_value(Lang::En, Unit::Degrees, "71"), "71°");
        assert_eq!(property_value(Lang::Fr, Unit::None, "true"), "Oui");
        assert_eq!(
            property_value(Lang::En, Unit::None, "Eurotunnel"),
            "Eurotunnel"
        );
    }

    #[test]
    fn zones_are_named() {
        assert_eq!(zone_name(Lang::Fr, "Europe/London"), "Londres");
        assert_eq!(zone_name(Lang::En, "Europe/Paris"), "Paris");
        assert_eq!(zone_name(Lang::En, "America/New_York"), "New York");
        assert_eq!(zone_name(Lang::Fr, "Etc/UTC"), "UTC");
        assert_eq!(
            london_paris(Lang::Fr, Some("14:00"), None),
            "14:00 Londres · --:-- Paris"
        );
    }
}
