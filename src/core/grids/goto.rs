//! The go-to box's reader: a typed position in any of the three systems → a WGS84 position, or
//! a structured error saying what form was expected and which part is wrong.
//!
//! Units: input text; output WGS84 degrees ([`LonLat`]). Forms read, in this order:
//! - `L93 x y` (explicit prefix), or two numbers that can only be Lambert-93 metres
//!   (x 0–1,300,000 and y 6,000,000–7,200,000);
//! - National Grid letters and digits (`TR 318 413`, `TR31800413000`…), or `BNG e n`, or two
//!   numbers that can only be National Grid metres (both past 180, both under 1,300,000: the
//!   grid's letters end at E 700 km, its numbers do not; OSTN15 decides coverage);
//! - otherwise WGS84 in decimal degrees, DMS or DDM (`wgs84_text.rs`).
//!
//! A position outside the app's region (lon −1.5…5.5, lat 49.4…52.5, `viewport::region_bounds`)
//! or a National Grid one where OSTN15 has no data (or the grid file did not load) is its own
//! error.

use super::bng::{self, Bng, BngError};
use super::lambert93::{self, L93};
use super::letters::{self, RefError};
use super::ostn15::Ostn15Grid;
use super::wgs84_text::{self, Wgs84Error};
use crate::units::LonLat;

/// The app's region (degrees): west, south, east, north (`viewport::region_bounds`).
pub const REGION: [f64; 4] = [-1.5, 49.4, 5.5, 52.5];

/// Which system a text was read as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum System {
    /// WGS84 degrees (any of the three forms).
    Wgs84,
    /// Lambert-93 metres.
    Lambert93,
    /// British National Grid (letters or metres).
    Bng,
}

/// A place the box can go to.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Target {
    /// Where, WGS84.
    pub at: LonLat,
    /// What it was read as.
    pub system: System,
}

/// Why the box cannot go there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GotoError {
    /// Nothing typed.
    Empty,
    /// Read as WGS84 (nothing else fits), and this is wrong with it.
    Wgs84(Wgs84Error),
    /// Read as a grid reference with letters, and this is wrong with it.
    GridRef(RefError),
    /// `L93` or `BNG` then not two numbers in metres.
    Metres(System),
    /// A valid position outside the app's region.
    OutsideRegion(System),
    /// A National Grid position where OSTN15 has no data.
    OutsideOstn15,
    /// A National Grid position but the grid file did not load.
    GridUnavailable,
}

fn in_region(p: LonLat) -> bool {
    let [w, s, e, n] = REGION;
    (w..=e).contains(&p.lon) && (s..=n).contains(&p.lat)
}

fn two_numbers(text: &str) -> Option<(f64, f64)> {
    let mut it = text
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|s| !s.is_empty())
        .map(|s| crate::decimal::parse_f64(s).filter(|v| v.is_finite()));
    match (it.next(), it.next(), it.next()) {
        (Some(Some(a)), Some(Some(b)), None) => Some((a, b)),
        _ => None,
    }
}

fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| text.get(prefix.len()..))
        .flatten()
        .map(|r| r.trim_start_matches([':', ' ']))
}

fn from_l93(x: f64, y: f64) -> Result<Target, GotoError> {
    let at =
        lambert93::to_lonlat(L93 { x, y }).ok_or(GotoError::OutsideRegion(System::Lambert93))?;
    finish(at, System::Lambert93)
}

fn from_bng(grid: Option<&Ostn15Grid>, b: Bng) -> Result<Target, GotoError> {
    let grid = grid.ok_or(GotoError::GridUnavailable)?;
    match bng::to_lonlat(grid, b) {
        Ok(at) => finish(at, System::Bng),
        Err(BngError::OutsideOstn15) => Err(GotoError::OutsideOstn15),
        Err(BngError::GridUnavailable) => Err(GotoError::GridUnavailable),
    }
}

fn finish(at: LonLat, system: System) -> Result<Target, GotoError> {
    if in_region(at) {
        Ok(Target { at, system })
    } else {
        Err(GotoError::OutsideRegion(system))
    }
}

fn looks_like_letters(t: &str) -> bool {
    let mut c = t.chars();
    let (a, b) = (c.next(), c.next());
    let rest: String = c.filter(|c| !c.is_whitespace()).collect();
    a.is_some_and(|a| a.is_ascii_alphabetic())
        && b.is_some_and(|b| b.is_ascii_alphabetic())
        && !rest.is_empty()
        && rest.chars().all(|c| c.is_ascii_alphanumeric())
        && rest.chars().next().is_some_and(|c| c.is_ascii_digit())
}

/// Reads the go-to box's text. `grid`: the OSTN15 grid file if it loaded.
pub fn parse(text: &str, grid: Option<&Ostn15Grid>) -> Result<Target, GotoError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(GotoError::Empty);
    }
    if let Some(rest) = strip_prefix_ci(t, "L93") {
        let (x, y) = two_numbers(rest).ok_or(GotoError::Metres(System::Lambert93))?;
        return from_l93(x, y);
    }
    if let Some(rest) = strip_prefix_ci(t, "BNG") {
        if looks_like_letters(rest) {
            return from_bng(grid, letters::parse(rest).map_err(GotoError::GridRef)?);
        }
        let (e, n) = two_numbers(rest).ok_or(GotoError::Metres(System::Bng))?;
        return from_bng(grid, Bng { e, n });
    }
    if looks_like_letters(t) {
        return from_bng(grid, letters::parse(t).map_err(GotoError::GridRef)?);
    }
    if let Some((a, b)) = two_numbers(t) {
        if (0.0..1_300_000.0).contains(&a) && (6_000_000.0..7_200_000.0).contains(&b) {
            return from_l93(a, b);
        }
        if a.abs() > 180.0 && b.abs() > 180.0 {
            if (0.0..1_300_000.0).contains(&a) && (0.0..1_300_000.0).contains(&b) {
                return from_bng(grid, Bng { e: a, n: b });
            }
            return Err(GotoError::Metres(System::Bng));
        }
    }
    let (lon, lat) = wgs84_text::parse(t).map_err(GotoError::Wgs84)?;
    let at = LonLat::new(lon, lat).ok_or(GotoError::OutsideRegion(System::Wgs84))?;
    finish(at, System::Wgs84)
}
