//! Where am I's texts with values (`locate_ui.rs`), in English and French: the radius choices,
//! the position with its accuracy, a row's distance and bearing, nothing within the radius and
//! how many more are not listed. Units: ground metres (the caller's `widgets::distance_text`),
//! bearings degrees clockwise from true north with their 16-point compass point
//! (`compare::compass`).

use super::compare::compass;
use super::table::Lang;
use crate::core::nearby::Radius;

/// A radius choice: "250 m", "1 km".
pub fn radius(r: Radius) -> &'static str {
    match r {
        Radius::M250 => "250 m",
        Radius::M500 => "500 m",
        Radius::Km1 => "1 km",
        Radius::Km2 => "2 km",
    }
}

/// The device's position and its accuracy (`accuracy`: a distance text such as "12 m"):
/// "You are at 50.95200° N, 1.85300° E ± 12 m".
pub fn position(lang: Lang, lat: f64, lon: f64, accuracy: &str) -> String {
    let at = super::messages::lat_lon(lang, lat, lon);
    match lang {
        Lang::En => format!("You are at {at} ± {accuracy}"),
        Lang::Fr => format!("Vous êtes à {at} ± {accuracy}"),
    }
}

/// A row's distance (a text such as "120 m") and bearing: "120 m · ENE 68°"; `None` bearing
/// (at the thing, or inside a zone): the distance alone.
pub fn distance_bearing(lang: Lang, d: &str, bearing: Option<f64>) -> String {
    match bearing {
        Some(b) => format!("{d} · {} {}°", compass(lang, b), b.round() as i64 % 360),
        None => d.to_string(),
    }
}

/// Nothing within the radius.
pub fn nothing_within(lang: Lang, r: Radius) -> String {
    match lang {
        Lang::En => format!("No open incident, camera or zone within {}", radius(r)),
        Lang::Fr => format!(
            "Aucun incident ouvert, caméra ni zone à moins de {}",
            radius(r)
        ),
    }
}

/// How many more are within the radius than listed.
pub fn more_not_listed(lang: Lang, n: usize) -> String {
    match (lang, n) {
        (Lang::En, n) => format!("{n} more within the radius, not listed (nearest first)"),
        (Lang::Fr, 0 | 1) => {
            format!("{n} de plus dans ce rayon, non listé (les plus proches d’abord)")
        }
        (Lang::Fr, n) => {
            format!("{n} de plus dans ce rayon, non listés (les plus proches d’abord)")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearings_and_radii() {
        assert_eq!(radius(Radius::M250), "250 m");
        assert_eq!(radius(Radius::Km2), "2 km");
        assert_eq!(
            distance_bearing(Lang::En, "120 m", Some(67.6)),
            "120 m · ENE 68°"
        );
        assert_eq!(
            distance_bearing(Lang::Fr, "300 m", Some(250.0)),
            "300 m · OSO 250°"
        );
        assert_eq!(distance_bearing(Lang::En, "0 m", None), "0 m");
        assert_eq!(
            distance_bearing(Lang::En, "10 m", Some(359.7)),
            "10 m · N 0°"
        );
    }
}
