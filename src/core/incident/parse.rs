//! Incident GeoJSON text to [`Incident`]s.
//!
//! Input positions are degrees WGS84 (`[lon, lat]`; an altitude is ignored);
//! `Incident::at` is EPSG:3857 metres; `accuracy_m` is ground metres; times
//! are RFC 3339 text read into [`Timestamp`]s. A snapshot is validated feature
//! by feature: a bad feature is rejected with its reason and the rest still
//! load. Nothing here panics on any input.

use super::{
    Incident, IncidentError, IncidentKind, IncidentNames, MAX_QUOTE_CHARS, Severity, Status,
    TimeField, Timestamp,
};
use crate::core::json::Json;
use crate::core::model::Properties;
use crate::core::projection::to_mercator;
use crate::core::units::LonLat;

/// A full resync: every incident the server has, plus the stream cursor.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Snapshot {
    /// Valid incidents in source order.
    pub incidents: Vec<Incident>,
    /// Features that were not accepted, in source order.
    pub rejected: Vec<Rejected>,
    /// The collection's `cursor` foreign member (a string, or a number's text),
    /// to resume the live stream from.
    pub cursor: Option<String>,
}

/// A snapshot feature that was not accepted.
#[derive(Clone, Debug, PartialEq)]
pub struct Rejected {
    /// Index in the snapshot's `features` array.
    pub index: usize,
    /// The feature's id, if it had a usable one.
    pub id: Option<String>,
    pub error: IncidentError,
}

/// Parse one live event: a single incident Feature. `seq` is left `None`; set
/// it from the SSE id with [`Incident::with_seq`].
pub fn parse_incident(text: &str, names: &IncidentNames) -> Result<Incident, IncidentError> {
    let root = Json::parse(text).map_err(IncidentError::Json)?;
    incident(&root, names)
}

/// Parse a snapshot FeatureCollection with its `cursor` foreign member.
///
/// Fails as a whole only if the text is not JSON or not a FeatureCollection
/// with a `features` array; each feature is validated on its own.
pub fn parse_snapshot(text: &str, names: &IncidentNames) -> Result<Snapshot, IncidentError> {
    let root = Json::parse(text).map_err(IncidentError::Json)?;
    let not_fc = IncidentError::NotFeatureCollection;
    geojson_type(&root, "FeatureCollection").map_err(not_fc)?;
    let features = match root.get("features") {
        Some(Json::Arr(a)) => a,
        Some(other) => {
            return Err(not_fc(format!(
                "no features array (features is {})",
                other.kind()
            )));
        }
        None => return Err(not_fc("no features array".to_string())),
    };
    let cursor = match root.get("cursor") {
        Some(Json::Str(s)) => Some(s.to_string()),
        Some(n @ Json::Num(_)) => Some(n.to_json()),
        _ => None,
    };
    let mut snapshot = Snapshot {
        incidents: Vec::with_capacity(features.len()),
        rejected: Vec::new(),
        cursor,
    };
    for (index, f) in features.iter().enumerate() {
        match incident(f, names) {
            Ok(inc) => snapshot.incidents.push(inc),
            Err(error) => snapshot.rejected.push(Rejected {
                index,
                id: feature_id(f, names),
                error,
            }),
        }
    }
    Ok(snapshot)
}

/// An SSE `id:` field as a sequence number: plain decimal digits only.
pub fn parse_seq(id: &str) -> Option<u64> {
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    id.parse().ok()
}

/// At most [`MAX_QUOTE_CHARS`] characters of `s`, with "…" if cut.
fn quote_cut(s: &str) -> String {
    match s.char_indices().nth(MAX_QUOTE_CHARS) {
        Some((end, _)) => format!("{}…", s.get(..end).unwrap_or_default()),
        None => s.to_string(),
    }
}

/// A value quoted in an error: a string's own text, anything else as JSON.
fn found(v: &Json) -> String {
    quote_cut(&v.display())
}

/// `Ok` if `v` is an object whose `type` is `want`, else what was found.
fn geojson_type(v: &Json, want: &str) -> Result<(), String> {
    if !matches!(v, Json::Obj(_)) {
        return Err(format!("{} (expected an object)", v.kind()));
    }
    match v.get("type") {
        Some(Json::Str(t)) if t == want => Ok(()),
        Some(Json::Str(t)) => Err(format!("type is {:?}", quote_cut(t))),
        Some(other) => Err(format!("type is {}", other.kind())),
        None => Err("no \"type\" member".to_string()),
    }
}

fn id_text(v: &Json) -> Option<String> {
    match v {
        Json::Str(s) if !s.trim().is_empty() => Some(s.to_string()),
        Json::Num(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Feature `id`, else the id property.
fn feature_id(f: &Json, names: &IncidentNames) -> Option<String> {
    f.get("id").and_then(id_text).or_else(|| {
        f.get("properties")
            .and_then(|p| p.get(&names.id))
            .and_then(id_text)
    })
}

fn position(coords: &Json) -> Result<LonLat, IncidentError> {
    let bad = IncidentError::BadCoordinates;
    let Json::Arr(a) = coords else {
        return Err(bad(format!(
            "coordinates is {} (expected an array)",
            coords.kind()
        )));
    };
    let [x, y, ..] = a.as_slice() else {
        return Err(bad(format!(
            "position has {} number(s) (needs at least 2)",
            a.len()
        )));
    };
    let num = |c: &Json| match c {
        Json::Null => Err(IncidentError::NonFiniteCoordinates),
        Json::Num(n) => n
            .as_f64()
            .filter(|v| v.is_finite())
            .ok_or(IncidentError::NonFiniteCoordinates),
        other => Err(bad(format!(
            "coordinate is {} (expected a number)",
            other.kind()
        ))),
    };
    let (lon, lat) = (num(x)?, num(y)?);
    LonLat::new(lon, lat).ok_or(IncidentError::CoordinatesOutOfRange { lon, lat })
}

fn time(props: &Json, name: &str, field: TimeField) -> Result<Timestamp, IncidentError> {
    match props.get_some(name) {
        None => Err(IncidentError::TimeMissing(field)),
        Some(Json::Str(s)) => Timestamp::parse_rfc3339(s).ok_or_else(|| IncidentError::BadTime {
            field,
            found: quote_cut(s),
        }),
        Some(other) => Err(IncidentError::BadTime {
            field,
            found: found(other),
        }),
    }
}

fn severity(v: Option<&Json>) -> Result<Severity, IncidentError> {
    let v = v.ok_or(IncidentError::SeverityMissing)?;
    let level = match v {
        Json::Num(n) => n.as_u64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && (1.0..=5.0).contains(f))
                .map(|f| f as u64)
        }),
        _ => None,
    };
    level
        .and_then(|l| u8::try_from(l).ok())
        .and_then(Severity::new)
        .ok_or_else(|| IncidentError::BadSeverity(quote_cut(&v.to_json())))
}

/// Validate one Feature: type, id, Point geometry, then the properties in the
/// order kind, severity, status, reported_at, updated_at.
fn incident(f: &Json, names: &IncidentNames) -> Result<Incident, IncidentError> {
    let not_feature = IncidentError::NotFeature;
    geojson_type(f, "Feature").map_err(not_feature)?;
    let empty = Json::Obj(Vec::new());
    let props = match f.get("properties") {
        None | Some(Json::Null) => &empty,
        Some(p @ Json::Obj(_)) => p,
        Some(other) => {
            return Err(not_feature(format!(
                "properties is {} (expected an object or null)",
                other.kind()
            )));
        }
    };
    let id = feature_id(f, names).ok_or(IncidentError::NoId)?;

    let geometry = f
        .get_some("geometry")
        .ok_or(IncidentError::GeometryMissing)?;
    match geometry.get("type") {
        Some(Json::Str(t)) if t == "Point" => {}
        Some(Json::Str(t)) => return Err(IncidentError::NotPoint(quote_cut(t))),
        _ => {
            return Err(IncidentError::NotPoint(format!(
                "{} without a type",
                geometry.kind()
            )));
        }
    }
    let coords = geometry
        .get_some("coordinates")
        .ok_or_else(|| IncidentError::BadCoordinates("no coordinates".to_string()))?;
    let position = position(coords)?;

    let kind = match props.get_some(&names.kind) {
        None => return Err(IncidentError::KindMissing),
        Some(Json::Str(k)) => {
            IncidentKind::from_key(k).ok_or_else(|| IncidentError::UnknownKind(quote_cut(k)))?
        }
        Some(other) => return Err(IncidentError::UnknownKind(found(other))),
    };
    let severity = severity(props.get_some(&names.severity))?;
    let status = match props.get_some(&names.status) {
        None => return Err(IncidentError::StatusMissing),
        Some(Json::Str(s)) => {
            Status::from_key(s).ok_or_else(|| IncidentError::BadStatus(quote_cut(s)))?
        }
        Some(other) => return Err(IncidentError::BadStatus(found(other))),
    };
    let reported_at = time(props, &names.reported_at, TimeField::ReportedAt)?;
    let updated_at = time(props, &names.updated_at, TimeField::UpdatedAt)?;

    let description = props
        .get_some(&names.description)
        .map(Json::display)
        .unwrap_or_default();
    let source = props
        .get_some(&names.source)
        .map(Json::display)
        .filter(|s| !s.trim().is_empty());
    let accuracy_m = match props.get_some(&names.accuracy) {
        Some(Json::Num(n)) => n.as_f64(),
        Some(Json::Str(s)) => s.trim().parse::<f64>().ok(),
        _ => None,
    }
    .filter(|a| a.is_finite() && *a >= 0.0);

    // The named properties are fields already; keep the others (for the card) as text.
    let named = names.fields();
    let properties: Properties = match props {
        Json::Obj(m) => m
            .iter()
            .filter(|(k, _)| !named.iter().any(|(_, n)| *n == k.as_ref()))
            .map(|(k, v)| (k.to_string(), v.display()))
            .collect(),
        _ => Vec::new(),
    };
    Ok(Incident {
        id,
        kind,
        severity,
        status,
        position,
        at: to_mercator(position),
        reported_at,
        updated_at,
        description,
        source,
        accuracy_m,
        seq: None,
        track: Vec::new(),
        properties,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_cut_on_char_boundaries() {
        let long = "é".repeat(MAX_QUOTE_CHARS + 5);
        let cut = quote_cut(&long);
        assert_eq!(cut.chars().count(), MAX_QUOTE_CHARS + 1);
        assert!(cut.ends_with('…'));
        assert_eq!(quote_cut("open"), "open");
    }

    #[test]
    fn ids_from_feature_then_property() {
        let f = Json::parse(r#"{"id":"","properties":{"id":7}}"#).expect("json");
        assert_eq!(feature_id(&f, &IncidentNames::default()), Some("7".into()));
        let f = Json::parse(r#"{"id":1.5}"#).expect("json");
        assert_eq!(
            feature_id(&f, &IncidentNames::default()),
            Some("1.5".into())
        );
        let f = Json::parse(r#"{"properties":[1]}"#).expect("json");
        assert_eq!(feature_id(&f, &IncidentNames::default()), None);
    }
}
