//! The coordinates' texts with values (`grids_ui.rs`, the incident card's position block), in
//! English and French: the Lambert-93 and National Grid lines of a readout, why a go-to text
//! was refused, the grid file's failure and the clipboard's. Units: Lambert-93 and National
//! Grid metres shown whole (the conversions are good to 1 cm and 0.1 m; a readout shows the
//! metre), WGS84 as the core's `wgs84_text` writes it.

use super::messages::load_error;
use super::table::Lang;
use crate::core::grids::Readout;
use crate::core::grids::bng::BngError;
use crate::core::grids::goto::{GotoError, System};
use crate::core::grids::letters::{self, Precision, RefError};
use crate::core::grids::wgs84_text::{self, Half, Wgs84Error, Wgs84Form};
use crate::load::GridLoadError;

/// The WGS84 line: the position in the chosen form (west is O, ouest, in French).
pub fn wgs84(lang: Lang, r: &Readout, form: Wgs84Form) -> String {
    let t = wgs84_text::format(r.at.lon, r.at.lat, form);
    match lang {
        Lang::En => t,
        Lang::Fr => t.replace('W', "O"),
    }
}

/// The Lambert-93 line, readable by the go-to box: `L93 619632 7095616` (and "outside its
/// area of use" past EPSG:2154's).
pub fn l93(lang: Lang, r: &Readout) -> String {
    match (lang, r.l93) {
        (_, Some((p, true))) => format!("L93 {:.0} {:.0}", p.x, p.y),
        (Lang::En, Some((p, false))) => {
            format!("L93 {:.0} {:.0} (outside its area of use)", p.x, p.y)
        }
        (Lang::Fr, Some((p, false))) => {
            format!("L93 {:.0} {:.0} (hors de sa zone d’emploi)", p.x, p.y)
        }
        (Lang::En, None) => "L93 out of range".to_string(),
        (Lang::Fr, None) => "L93 hors domaine".to_string(),
    }
}

/// The National Grid line: letters to the metre (`BNG TR 31885 41408`), out of range where
/// OSTN15 has no data, unavailable without the grid file.
pub fn bng(lang: Lang, r: &Readout) -> String {
    let reference = r
        .bng
        .map(|b| letters::format(b, Precision::M1).ok_or(BngError::OutsideOstn15));
    match (lang, reference) {
        (_, Ok(Ok(text))) => format!("BNG {text}"),
        (Lang::En, Ok(Err(_)) | Err(BngError::OutsideOstn15)) => {
            "BNG out of range (no OSTN15 data here)".to_string()
        }
        (Lang::Fr, Ok(Err(_)) | Err(BngError::OutsideOstn15)) => {
            "BNG hors couverture (pas de données OSTN15 ici)".to_string()
        }
        (Lang::En, Err(BngError::GridUnavailable)) => {
            "BNG unavailable (grid file not loaded)".to_string()
        }
        (Lang::Fr, Err(BngError::GridUnavailable)) => {
            "BNG indisponible (fichier de grille non chargé)".to_string()
        }
    }
}

/// What the copy button puts on the clipboard: the three lines.
pub fn copy_text(lang: Lang, r: &Readout, form: Wgs84Form) -> String {
    format!(
        "{}\n{}\n{}",
        wgs84(lang, r, form),
        l93(lang, r),
        bng(lang, r)
    )
}

/// The clipboard refused the text.
pub fn copy_failed(lang: Lang, detail: &str) -> String {
    match lang {
        Lang::En => format!("Could not copy: {detail}"),
        Lang::Fr => format!("Copie impossible : {detail}"),
    }
}

/// The grid file's banner: the National Grid is unavailable, and why.
pub fn grid_file_error(lang: Lang, e: &GridLoadError) -> String {
    let why = match (lang, e) {
        (_, GridLoadError::Load(l)) => load_error(lang, l),
        (Lang::En, GridLoadError::File { url, .. }) => format!("{url} is not an OSTN15 grid file"),
        (Lang::Fr, GridLoadError::File { url, .. }) => {
            format!("{url} n’est pas un fichier de grille OSTN15")
        }
    };
    match lang {
        Lang::En => {
            format!("British National Grid unavailable ({why}); Lambert-93 and WGS84 still work")
        }
        Lang::Fr => format!(
            "Quadrillage national britannique indisponible ({why}) ; Lambert-93 et WGS84 fonctionnent"
        ),
    }
}

fn half(lang: Lang, h: Half) -> &'static str {
    match (lang, h) {
        (Lang::En, Half::Latitude) => "latitude",
        (Lang::En, Half::Longitude) => "longitude",
        (Lang::Fr, Half::Latitude) => "la latitude",
        (Lang::Fr, Half::Longitude) => "la longitude",
    }
}

fn system(lang: Lang, s: System) -> &'static str {
    match (lang, s) {
        (_, System::Wgs84) => "WGS84",
        (_, System::Lambert93) => "Lambert-93",
        (Lang::En, System::Bng) => "British National Grid",
        (Lang::Fr, System::Bng) => "quadrillage national britannique",
    }
}

/// The forms the box reads, as examples.
fn expected(lang: Lang) -> &'static str {
    match lang {
        Lang::En => {
            "expected WGS84 (51.125, 1.3125 · 51°07'30\"N 1°18'45\"E · 51°07.500'N 001°18.750'E), Lambert-93 (L93 581588 7115668) or a grid reference (TR 318 413)"
        }
        Lang::Fr => {
            "attendu : WGS84 (51.125, 1.3125 · 51°07'30\"N 1°18'45\"E · 51°07.500'N 001°18.750'E), Lambert-93 (L93 581588 7115668) ou une référence du quadrillage britannique (TR 318 413)"
        }
    }
}

/// Why the go-to box cannot go there; the map does not move.
pub fn goto_error(lang: Lang, e: GotoError) -> String {
    let ex = expected(lang);
    match (lang, e) {
        (Lang::En, GotoError::Empty) => format!("Type a position: {ex}."),
        (Lang::Fr, GotoError::Empty) => format!("Saisissez une position : {ex}."),
        (Lang::En, GotoError::Wgs84(Wgs84Error::Character(i))) => {
            format!("Not a position: character {} belongs to no form; {ex}.", i + 1)
        }
        (Lang::Fr, GotoError::Wgs84(Wgs84Error::Character(i))) => {
            format!("Position illisible : le caractère {} n’appartient à aucune forme ; {ex}.", i + 1)
        }
        (Lang::En, GotoError::Wgs84(Wgs84Error::Shape)) => {
            format!("Not a position: a latitude and a longitude of one to three numbers each were expected; {ex}.")
        }
        (Lang::Fr, GotoError::Wgs84(Wgs84Error::Shape)) => {
            format!("Position illisible : une latitude et une longitude d’un à trois nombres chacune étaient attendues ; {ex}.")
        }
        (Lang::En, GotoError::Wgs84(Wgs84Error::SameAxisTwice)) => {
            "Two latitudes or two longitudes: give one N/S and one E/W.".to_string()
        }
        (Lang::Fr, GotoError::Wgs84(Wgs84Error::SameAxisTwice)) => {
            "Deux latitudes ou deux longitudes : donnez un N/S et un E/O.".to_string()
        }
        (Lang::En, GotoError::Wgs84(Wgs84Error::FractionBeforeMore(h))) => format!(
            "In the {}, only the last number may have decimals (51 07.5, not 51.1 07).",
            half(lang, h)
        ),
        (Lang::Fr, GotoError::Wgs84(Wgs84Error::FractionBeforeMore(h))) => format!(
            "Dans {}, seul le dernier nombre peut avoir des décimales (51 07.5, pas 51.1 07).",
            half(lang, h)
        ),
        (Lang::En, GotoError::Wgs84(Wgs84Error::MinutesOrSeconds(h))) => {
            format!("In the {}, minutes and seconds must be under 60.", half(lang, h))
        }
        (Lang::Fr, GotoError::Wgs84(Wgs84Error::MinutesOrSeconds(h))) => {
            format!("Dans {}, les minutes et secondes doivent être inférieures à 60.", half(lang, h))
        }
        (Lang::En, GotoError::Wgs84(Wgs84Error::OutOfRange(Half::Latitude))) => {
            "The latitude must be within 90° of the equator.".to_string()
        }
        (Lang::Fr, GotoError::Wgs84(Wgs84Error::OutOfRange(Half::Latitude))) => {
            "La latitude doit être comprise entre −90° et 90°.".to_string()
        }
        (Lang::En, GotoError::Wgs84(Wgs84Error::OutOfRange(Half::Longitude))) => {
            "The longitude must be within 180° of Greenwich.".to_string()
        }
        (Lang::Fr, GotoError::Wgs84(Wgs84Error::OutOfRange(Half::Longitude))) => {
            "La longitude doit être comprise entre −180° et 180°.".to_string()
        }
        (Lang::En, GotoError::GridRef(RefError::Letters)) => {
            "Grid reference: the two letters are not a square of the British National Grid (e.g. TR 318 413).".to_string()
        }
        (Lang::Fr, GotoError::GridRef(RefError::Letters)) => {
            "Référence de quadrillage : les deux lettres ne sont pas un carré du quadrillage britannique (ex. TR 318 413).".to_string()
        }
        (Lang::En, GotoError::GridRef(RefError::Digits)) => {
            "Grid reference: two letters then an even number of digits, 2 to 10, were expected (TR 318 413, TR 31800 41300).".to_string()
        }
        (Lang::Fr, GotoError::GridRef(RefError::Digits)) => {
            "Référence de quadrillage : deux lettres puis un nombre pair de chiffres, de 2 à 10, étaient attendus (TR 318 413, TR 31800 41300).".to_string()
        }
        (Lang::En, GotoError::Metres(System::Lambert93)) => {
            "Lambert-93: two numbers in metres, x then y, were expected (L93 619632 7095616).".to_string()
        }
        (Lang::Fr, GotoError::Metres(System::Lambert93)) => {
            "Lambert-93 : deux nombres en mètres, x puis y, étaient attendus (L93 619632 7095616).".to_string()
        }
        (Lang::En, GotoError::Metres(_)) => {
            "British National Grid: two numbers in metres, easting then northing, were expected (BNG 631885 141408).".to_string()
        }
        (Lang::Fr, GotoError::Metres(_)) => {
            "Quadrillage britannique : deux nombres en mètres, abscisse puis ordonnée, étaient attendus (BNG 631885 141408).".to_string()
        }
        (Lang::En, GotoError::OutsideRegion(s)) => format!(
            "This {} position is outside the map's region (1.5° W to 5.5° E, 49.4° N to 52.5° N).",
            system(lang, s)
        ),
        (Lang::Fr, GotoError::OutsideRegion(s)) => format!(
            "Cette position ({}) est hors de la région de la carte (1,5° O à 5,5° E, 49,4° N à 52,5° N).",
            system(lang, s)
        ),
        (Lang::En, GotoError::OutsideOstn15) => {
            "Outside OSTN15's coverage: the British National Grid has no data there (it ends east of Gravelines, and the app carries Kent and the Strait).".to_string()
        }
        (Lang::Fr, GotoError::OutsideOstn15) => {
            "Hors de la couverture OSTN15 : le quadrillage britannique n’a pas de données ici (il s’arrête à l’est de Gravelines, et l’application couvre le Kent et le détroit).".to_string()
        }
        (Lang::En, GotoError::GridUnavailable) => {
            "The British National Grid is unavailable: its grid file did not load.".to_string()
        }
        (Lang::Fr, GotoError::GridUnavailable) => {
            "Le quadrillage britannique est indisponible : son fichier de grille n’a pas été chargé.".to_string()
        }
    }
}

/// The three forms' labels of the switch, with their titles.
pub fn form_label(lang: Lang, f: Wgs84Form) -> (&'static str, &'static str) {
    use super::table::T;
    let (short, long) = match f {
        Wgs84Form::Dd => (T::CoordFormDd, T::CoordFormDdTitle),
        Wgs84Form::Dms => (T::CoordFormDms, T::CoordFormDmsTitle),
        Wgs84Form::Ddm => (T::CoordFormDdm, T::CoordFormDdmTitle),
    };
    (short.get(lang), long.get(lang))
}
