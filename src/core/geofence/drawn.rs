//! The operator's own zones (drawn on the map or imported) next to the zones loaded from the
//! config's zones file: ids, the text they are saved as, imports, and the one zone list the
//! engine classifies against.
//!
//! Units: zone geometry as in [`zone`](super::zone) (read and written in degrees WGS84, kept
//! in EPSG:3857 metres). Text in and out is the zones GeoJSON FeatureCollection that
//! [`parse_zones`] reads and [`zones_to_geojson`] writes (the format the zones URL serves), so
//! saved text, exports and imports are one format.
//!
//! Ids: a drawn zone gets `drawn-<name slug>` (`-2`, `-3`, … if taken). An imported zone keeps
//! its id unless a zone already has it (a loaded one or another drawn one): it is then
//! renamed to the first free `<id>-2`, `<id>-3`, … and the rename is reported. Zones are
//! never merged or replaced by an import. Should a loaded zone later have the same id as a
//! drawn one (the zones file changed), [`combine`] renames the drawn one in the combined list
//! the same way and reports it; the saved drawn zone keeps its id.

use super::zone::{Zone, ZoneError, ZoneFileError, parse_zones};
use std::collections::BTreeSet;

/// Longest slug taken from a name for a new id, in characters.
const SLUG_CHARS: usize = 40;

/// Lower-case ASCII letters and digits of `name`, other runs as one `-`, at most 40
/// characters, no leading or trailing `-` (empty if nothing is left).
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in name.chars() {
        let c = match c {
            'À'..='Å' | 'à'..='å' => 'a',
            'Ç' | 'ç' => 'c',
            'È'..='Ë' | 'è'..='ë' => 'e',
            'Ì'..='Ï' | 'ì'..='ï' => 'i',
            'Ò'..='Ö' | 'ò'..='ö' => 'o',
            'Ù'..='Ü' | 'ù'..='ü' => 'u',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
            if out.len() >= SLUG_CHARS {
                break;
            }
        } else {
            dash = true;
        }
    }
    out.trim_end_matches('-').to_string()
}

/// `base` if it is free, else the first free `base-2`, `base-3`, …
pub fn unique_id(base: &str, taken: &dyn Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_string();
    }
    (2u64..)
        .map(|n| format!("{base}-{n}"))
        .find(|id| !taken(id))
        .unwrap_or_else(|| base.to_string())
}

/// The id of a newly drawn zone named `name`: `drawn-<slug>` (`drawn-zone` if the name has
/// no letter or digit), made unique.
pub fn new_zone_id(name: &str, taken: &dyn Fn(&str) -> bool) -> String {
    let s = slug(name);
    let base = if s.is_empty() {
        "drawn-zone".to_string()
    } else {
        format!("drawn-{s}")
    };
    unique_id(&base, taken)
}

/// What an import gives.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Import {
    /// The good zones, ids made unique (add them all).
    pub zones: Vec<Zone>,
    /// `(id in the file, id given)` for each zone whose id was taken.
    pub renamed: Vec<(String, String)>,
    /// The zones that were skipped, and why (per zone, as for a zones file).
    pub rejected: Vec<ZoneError>,
}

/// Reads an imported zones file: good zones are kept (ids already in `taken` renamed),
/// bad ones reported per zone. Fails only if the text is not a FeatureCollection.
pub fn import(text: &str, taken: &BTreeSet<String>) -> Result<Import, ZoneFileError> {
    let set = parse_zones(text)?;
    let mut used: BTreeSet<String> = taken.clone();
    let mut out = Import {
        rejected: set.rejected,
        ..Import::default()
    };
    for mut z in set.zones {
        if used.contains(&z.id) {
            let id = unique_id(&z.id, &|s| used.contains(s));
            out.renamed.push((z.id.clone(), id.clone()));
            if let Some(p) = z.properties.iter_mut().find(|(k, _)| k == "id") {
                p.1 = id.clone();
            }
            z.id = id;
        }
        used.insert(z.id.clone());
        out.zones.push(z);
    }
    Ok(out)
}

/// Where a zone of the combined list comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The config's zones file (read-only here); index in that file's zones.
    Loaded(usize),
    /// The operator's zones; index in that list.
    Drawn(usize),
}

/// The zones the engine classifies against: the loaded ones, then the drawn ones.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Combined {
    pub zones: Vec<Zone>,
    /// Same length as `zones`.
    pub origins: Vec<Origin>,
    /// `(drawn id, id used here)` for drawn zones whose id a loaded zone has.
    pub renamed: Vec<(String, String)>,
}

/// Loaded zones then drawn zones, ids unique (a drawn zone yields to a loaded one).
pub fn combine(loaded: &[Zone], drawn: &[Zone]) -> Combined {
    let mut out = Combined::default();
    let mut used: BTreeSet<String> = BTreeSet::new();
    for (i, z) in loaded.iter().enumerate() {
        used.insert(z.id.clone());
        out.zones.push(z.clone());
        out.origins.push(Origin::Loaded(i));
    }
    for (i, z) in drawn.iter().enumerate() {
        let mut z = z.clone();
        if used.contains(&z.id) {
            let id = unique_id(&z.id, &|s| used.contains(s));
            out.renamed.push((z.id.clone(), id.clone()));
            z.id = id;
        }
        used.insert(z.id.clone());
        out.zones.push(z);
        out.origins.push(Origin::Drawn(i));
    }
    out
}

/// What the saved text of the drawn zones holds.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Restored {
    pub zones: Vec<Zone>,
    /// The text could not be read at all (keep it aside before overwriting it): why.
    pub unreadable: Option<ZoneFileError>,
    /// The saved zones that were skipped, and why.
    pub skipped: Vec<ZoneError>,
}

/// Reads the saved drawn zones (`None`: nothing saved). Never fails: unreadable text gives no
/// zones and its error; a bad zone is skipped with its reason.
pub fn restore(text: Option<&str>) -> Restored {
    let Some(text) = text else {
        return Restored::default();
    };
    match parse_zones(text) {
        Err(e) => Restored {
            unreadable: Some(e),
            ..Restored::default()
        },
        Ok(set) => Restored {
            zones: set.zones,
            unreadable: None,
            skipped: set.rejected,
        },
    }
}
