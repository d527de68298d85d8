//! The filtered incidents and the zones as files: incidents as canonical GeoJSON (the bytes the
//! record's SHA-256 is taken over) and CSV; zones as CSV (their GeoJSON is
//! `geofence::zones_to_geojson`, the zones file format).
//!
//! Units: coordinates degrees WGS84 (lon, lat) rounded to 7 decimals (about 1 cm, as the zone
//! writers do); times RFC 3339 UTC with milliseconds; accuracy ground metres.
//!
//! **Canonical incident GeoJSON** (what `sidecar::DataHash` hashes): a FeatureCollection,
//! features sorted by id (byte order), each `{"type":"Feature","id":…,"geometry":{Point
//! [lon, lat]},"properties":{kind, kind_text?, severity, status, reported_at, updated_at,
//! description, source?, accuracy_m?, then the feed's other properties in source order}}`,
//! written by serde_json without spaces, ending with one line feed, UTF-8. The same incidents
//! always give the same bytes, whatever order the store holds them in.
//!
//! **CSV** (RFC 4180, `\r\n`): the header row is the caller's (the shell gives it in the
//! operator's language), the values are the data's own: wire keys (`small_boat`, `open`),
//! RFC 3339 UTC times, decimal points. So an English and a French export of the same data
//! differ only in their first line, every column reads the same in any spreadsheet locale, and
//! each row can be checked against the GeoJSON. Text fields are quoted when needed and guarded
//! against spreadsheet formulas (`geofence::events`' rule, shared).

use crate::geofence::Zone;
use crate::geofence::events::csv_field;
use crate::geofence::zone::coord7;
use crate::incident::Incident;
use crate::projection::to_lonlat;

/// The incidents' columns, in order (the shell words the header of each).
pub const INCIDENT_COLUMNS: [&str; 11] = [
    "id",
    "kind",
    "severity",
    "status",
    "reported_at",
    "updated_at",
    "lon",
    "lat",
    "accuracy_m",
    "source",
    "description",
];

/// The zones' columns, in order (the shell words the header of each).
pub const ZONE_COLUMNS: [&str; 10] = [
    "id",
    "name",
    "kind",
    "origin",
    "incidents_inside",
    "alert_on_enter",
    "alert_on_exit",
    "dwell_s",
    "critical",
    "wkt",
];

fn sorted<'a>(incidents: impl IntoIterator<Item = &'a Incident>) -> Vec<&'a Incident> {
    let mut v: Vec<&Incident> = incidents.into_iter().collect();
    crate::compact_sort::sort_by(&mut v, |a, b| a.id.as_bytes().cmp(b.id.as_bytes()));
    v
}

fn feature(inc: &Incident) -> geojson::Feature {
    let mut p = geojson::JsonObject::new();
    p.insert("kind".into(), inc.kind.key().into());
    if let Some(t) = &inc.kind_text {
        p.insert("kind_text".into(), t.clone().into());
    }
    p.insert("severity".into(), inc.severity.get().into());
    p.insert("status".into(), inc.status.key().into());
    p.insert("reported_at".into(), inc.reported_at.to_rfc3339().into());
    p.insert("updated_at".into(), inc.updated_at.to_rfc3339().into());
    p.insert("description".into(), inc.description.clone().into());
    if let Some(s) = &inc.source {
        p.insert("source".into(), s.clone().into());
    }
    if let Some(a) = inc.accuracy_m {
        p.insert("accuracy_m".into(), a.into());
    }
    for (k, v) in &inc.properties {
        if !p.contains_key(k) {
            p.insert(k.clone(), v.clone().into());
        }
    }
    geojson::Feature {
        bbox: None,
        geometry: Some(geojson::Geometry::new(geojson::GeometryValue::new_point([
            coord7(inc.position.lon),
            coord7(inc.position.lat),
        ]))),
        id: Some(geojson::feature::Id::String(inc.id.clone())),
        properties: Some(p),
        foreign_members: None,
    }
}

/// The canonical GeoJSON of `incidents` (module doc): sorted by id, one line feed at the end.
pub fn incidents_geojson<'a>(incidents: impl IntoIterator<Item = &'a Incident>) -> String {
    let fc = geojson::FeatureCollection::new(sorted(incidents).into_iter().map(feature));
    // Serialising these values cannot fail (string keys, finite numbers); "" if it ever did.
    let mut out = serde_json::to_string(&fc).unwrap_or_default();
    out.push('\n');
    out
}

fn header(words: &[&str]) -> String {
    let mut out = words
        .iter()
        .map(|w| csv_field(w))
        .collect::<Vec<_>>()
        .join(",");
    out.push_str("\r\n");
    out
}

/// The incidents as CSV, sorted by id, columns [`INCIDENT_COLUMNS`] under the caller's `header`.
pub fn incidents_csv<'a>(
    header_words: &[&str; INCIDENT_COLUMNS.len()],
    incidents: impl IntoIterator<Item = &'a Incident>,
) -> String {
    let mut out = header(header_words);
    for i in sorted(incidents) {
        let kind = i.kind_text.as_deref().unwrap_or(i.kind.key());
        out.push_str(&format!(
            "{},{},{},{},{},{},{:.7},{:.7},{},{},{}\r\n",
            csv_field(&i.id),
            csv_field(kind),
            i.severity.get(),
            i.status.key(),
            i.reported_at.to_rfc3339(),
            i.updated_at.to_rfc3339(),
            coord7(i.position.lon),
            coord7(i.position.lat),
            i.accuracy_m.map(|a| a.to_string()).unwrap_or_default(),
            csv_field(i.source.as_deref().unwrap_or("")),
            csv_field(&i.description),
        ));
    }
    out
}

/// A zone's shape as WKT (`POLYGON` or `MULTIPOLYGON`, lon lat, 7 decimals).
fn wkt(z: &Zone) -> String {
    let polys: Vec<String> = z
        .polygons
        .iter()
        .map(|polygon| {
            let rings: Vec<String> = crate::geometry::rings(polygon)
                .map(|r| {
                    let pts: Vec<String> = r
                        .coords()
                        .map(|c| {
                            let ll = to_lonlat((*c).into());
                            format!("{} {}", coord7(ll.lon), coord7(ll.lat))
                        })
                        .collect();
                    format!("({})", pts.join(", "))
                })
                .collect();
            format!("({})", rings.join(", "))
        })
        .collect();
    match polys.as_slice() {
        [one] => format!("POLYGON {one}"),
        _ => format!("MULTIPOLYGON ({})", polys.join(", ")),
    }
}

/// One zone row's facts besides the zone: where it comes from (`loaded`, `drawn`) and how many
/// open incidents are inside it now.
pub struct ZoneRow<'a> {
    pub zone: &'a Zone,
    pub origin: &'static str,
    pub inside: u32,
}

/// The zones as CSV in the given order, columns [`ZONE_COLUMNS`] under the caller's `header`.
pub fn zones_csv<'a>(
    header_words: &[&str; ZONE_COLUMNS.len()],
    rows: impl IntoIterator<Item = ZoneRow<'a>>,
) -> String {
    let mut out = header(header_words);
    for r in rows {
        let z = r.zone;
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{}\r\n",
            csv_field(&z.id),
            csv_field(&z.name),
            z.kind.key(),
            r.origin,
            r.inside,
            z.rules.alert_on_enter,
            z.rules.alert_on_exit,
            z.rules.dwell_s.map(|s| s.to_string()).unwrap_or_default(),
            z.rules.critical,
            csv_field(&wkt(z)),
        ));
    }
    out
}
