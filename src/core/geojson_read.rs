//! Reading GeoJSON (RFC 7946) text, shared by the layers ([`ingest`](crate::ingest)) and the
//! zones ([`geofence::zone`](crate::geofence::zone)): the text to a `serde_json::Value`
//! (source order kept: the core enables serde_json's `preserve_order`), the root to its
//! features, each feature's envelope (type, id, properties) and its geometry as a
//! [`geojson::Geometry`]. Coordinates are degrees WGS84 ([`LonLat`]); nothing is projected here.
//!
//! One feature is read at a time, so a bad one is skipped with a [`FeatureProblem`] (the
//! structured reason the shell words; its `Display` is the English text, for logs) and never costs the
//! layer. RFC 7946 as a reader should take it: any winding (the right-hand rule is for
//! writers), `bbox` members (a malformed one is ignored, as an absent one) and foreign members
//! are accepted; positions may have a third (altitude) number.
//!
//! [`read_geometry`] builds the `geojson` crate's types from the JSON value and says where and
//! why when a member is not what it must be, in the terms of [`FeatureProblem`].

/// Bare `NaN`/`Infinity` tokens outside strings to `null` (shared with the incident reader).
pub use crate::json::replace_non_finite_tokens;
use crate::units::LonLat;
use geojson::{Geometry, GeometryValue, Position};
use serde_json::{Map, Value as J};
use std::borrow::Cow;
use std::fmt;

/// What a JSON value is, for messages: "null", "a boolean", "a number", "a string",
/// "an array", "an object".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum JsonKind {
    Null,
    Boolean,
    Number,
    String,
    Array,
    Object,
}

impl JsonKind {
    /// The kind of `v`.
    pub fn of(v: &J) -> JsonKind {
        match v {
            J::Null => JsonKind::Null,
            J::Bool(_) => JsonKind::Boolean,
            J::Number(_) => JsonKind::Number,
            J::String(_) => JsonKind::String,
            J::Array(_) => JsonKind::Array,
            J::Object(_) => JsonKind::Object,
        }
    }
}

impl JsonKind {
    /// For logs: "null", "a boolean", "a number", "a string", "an array", "an object".
    pub fn article(self) -> &'static str {
        match self {
            JsonKind::Null => "null",
            JsonKind::Boolean => "a boolean",
            JsonKind::Number => "a number",
            JsonKind::String => "a string",
            JsonKind::Array => "an array",
            JsonKind::Object => "an object",
        }
    }
}

impl fmt::Display for JsonKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.article())
    }
}

/// A member's value as found: a string (shown quoted) or another kind of value.
#[derive(Clone, Debug, PartialEq)]
pub enum Found {
    Text(String),
    Kind(JsonKind),
}

impl Found {
    fn of(v: &J) -> Found {
        match v {
            J::String(s) => Found::Text(s.clone()),
            other => Found::Kind(JsonKind::of(other)),
        }
    }
}

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Found::Text(s) => write!(f, "{s:?}"),
            Found::Kind(k) => k.fmt(f),
        }
    }
}

/// Which array of a geometry was not an array.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Member {
    Position,
    LineCoordinates,
    PolygonCoordinates,
    PolygonRing,
    MultiPointCoordinates,
    MultiLineStringCoordinates,
    MultiPolygonCoordinates,
    Geometries,
}

impl fmt::Display for Member {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Member::Position => "position",
            Member::LineCoordinates => "line coordinates",
            Member::PolygonCoordinates => "polygon coordinates",
            Member::PolygonRing => "polygon ring",
            Member::MultiPointCoordinates => "MultiPoint coordinates",
            Member::MultiLineStringCoordinates => "MultiLineString coordinates",
            Member::MultiPolygonCoordinates => "MultiPolygon coordinates",
            Member::Geometries => "geometries",
        })
    }
}

/// A coordinate for messages: plain for ordinary values (`1.8`, `95`), scientific for huge or
/// tiny ones (`1e308`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Coordinate(pub f64);

impl fmt::Display for Coordinate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (v, a) = (self.0, self.0.abs());
        if a != 0.0 && !(1e-6..1e7).contains(&a) {
            write!(f, "{v:e}")
        } else {
            write!(f, "{v}")
        }
    }
}

/// Why one feature was skipped (the whole layer or zones file still loads). Structured, so
/// the shell can word it; `Display` is today's English text, e.g. `geometry is null`.
#[derive(thiserror::Error, Clone, Debug, PartialEq)]
pub enum FeatureProblem {
    #[error("feature is {0} (expected an object)")]
    NotAnObject(JsonKind),
    #[error("feature has no type")]
    NoType,
    #[error("type is {0} (expected \"Feature\")")]
    NotAFeature(Found),
    #[error("properties is {0} (expected an object or null)")]
    PropertiesNotAnObject(JsonKind),
    #[error("geometry is missing")]
    GeometryMissing,
    #[error("geometry is null")]
    GeometryNull,
    #[error("geometry is {0} (expected an object)")]
    GeometryNotAnObject(JsonKind),
    #[error("geometry has no type")]
    GeometryNoType,
    #[error("geometry type is {0}")]
    GeometryTypeNotText(JsonKind),
    #[error("unknown geometry type {0:?}")]
    UnknownGeometryType(String),
    #[error("GeometryCollection has no geometries array")]
    NoGeometries,
    #[error("GeometryCollection member {0} is null")]
    NullMember(usize),
    /// The layer (its key) does not take this geometry type; `expects`: the types it takes.
    #[error(
        "{geometry} geometry not allowed in layer {layer} (expects {})",
        or_list(expects, "or")
    )]
    NotAllowed {
        geometry: &'static str,
        layer: &'static str,
        expects: &'static [&'static str],
    },
    #[error("geometry has no coordinates")]
    NoCoordinates,
    #[error("empty geometry")]
    Empty,
    #[error("{member} is {found} (expected an array)")]
    NotAnArray { member: Member, found: JsonKind },
    #[error("position has {0} number(s) (needs at least 2)")]
    PositionTooShort(usize),
    #[error("coordinate is NaN or infinite")]
    NotFinite,
    #[error("coordinate is {0} (expected a number)")]
    NotANumber(JsonKind),
    #[error("coordinate [{lon}, {lat}] out of range (lon must be in -180..180)")]
    LonOutOfRange { lon: Coordinate, lat: Coordinate },
    #[error("coordinate [{lon}, {lat}] out of range (lat must be in -90..90)")]
    LatOutOfRange { lon: Coordinate, lat: Coordinate },
    #[error("line has fewer than 2 positions")]
    LineTooShort,
    #[error("polygon ring has {0} positions (needs at least 4)")]
    RingTooShort(usize),
    #[error("polygon ring not closed")]
    RingNotClosed,
    #[error("camera needs exactly one Point")]
    CameraNotOnePoint,
    #[error("camera bearing missing or not a number")]
    CameraBearing,
    #[error("camera fov missing or not a number")]
    CameraFovMissing,
    #[error("camera fov must be in (0, 360]")]
    CameraFovOutOfRange,
    #[error("camera range missing or not a number")]
    CameraRangeMissing,
    #[error("camera range must be > 0 m")]
    CameraRangeNotPositive,
}

/// A [`FeatureProblem`] and where in the geometry it is: the polygon of a MultiPolygon and the
/// ring of a polygon, when known (the zones' messages name them).
#[derive(Clone, Debug, PartialEq)]
pub struct Located {
    pub polygon: Option<usize>,
    pub ring: Option<usize>,
    pub problem: FeatureProblem,
}

impl From<FeatureProblem> for Located {
    fn from(problem: FeatureProblem) -> Located {
        Located {
            polygon: None,
            ring: None,
            problem,
        }
    }
}

/// As zones word it: `polygon 1 ring 0: coordinate is NaN or infinite`.
impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(pi) = self.polygon {
            write!(f, "polygon {pi} ")?;
        }
        if let Some(ri) = self.ring {
            write!(f, "ring {ri}: ")?;
        }
        self.problem.fmt(f)
    }
}

/// `"A"`, `"A or B"`, `"A, B or C"` (`or` being the conjunction): the geometry types a layer
/// takes, for messages.
pub fn or_list(items: &[&str], or: &str) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} {or} {last}", init.join(", ")),
    }
}

/// Why a GeoJSON text's root is not GeoJSON (RFC 7946 §2): the whole layer or zones file is
/// refused. `Display` is the English text for logs, e.g. `top level is an array`.
#[derive(thiserror::Error, Clone, Debug, PartialEq)]
pub enum RootProblem {
    #[error("top level is {0}")]
    TopLevel(JsonKind),
    #[error("type is {0}")]
    TypeNotText(JsonKind),
    #[error("no \"type\" member")]
    NoType,
    #[error("no features array (features is {0})")]
    FeaturesNotArray(JsonKind),
    #[error("no features array")]
    NoFeatures,
    #[error("a Feature with no \"geometry\" member")]
    FeatureWithoutGeometry,
    #[error("type is {0:?} (expected \"FeatureCollection\", \"Feature\" or a geometry type)")]
    UnknownType(String),
}

// ---------------------------------------------------------------------------
// Text and root.

/// Parse text to a value (a leading BOM ignored; if strict parsing fails, bare
/// `NaN`/`Infinity` tokens read as `null`, which a coordinate then reports as not finite). The
/// error is serde_json's text for the original input.
pub(crate) fn parse_text(text: &str) -> Result<J, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    serde_json::from_str(text).or_else(|strict: serde_json::Error| {
        replace_non_finite_tokens(text)
            .and_then(|fixed| serde_json::from_str(&fixed).ok())
            .ok_or_else(|| strict.to_string())
    })
}

const GEOMETRY_TYPES: [&str; 7] = [
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
];

/// The features of a GeoJSON text's root, or why the root is not GeoJSON (for the layer and
/// zones readers both).
///
/// RFC 7946 §2: a GeoJSON text is a FeatureCollection, a Feature or a geometry. A
/// FeatureCollection gives its `features` (each read later on its own); a Feature gives
/// itself (it must have the `geometry` member RFC 7946 §3.2 requires, else nothing says it is
/// a Feature); a geometry gives one Feature with that geometry and no properties. `bbox` and
/// foreign members are accepted and ignored.
pub(crate) fn root_features(root: &J) -> Result<Vec<Cow<'_, J>>, RootProblem> {
    if !matches!(root, J::Object(_)) {
        return Err(RootProblem::TopLevel(JsonKind::of(root)));
    }
    let t = match root.get("type") {
        Some(J::String(t)) => t.as_str(),
        Some(other) => return Err(RootProblem::TypeNotText(JsonKind::of(other))),
        None => return Err(RootProblem::NoType),
    };
    match t {
        "FeatureCollection" => match root.get("features") {
            Some(J::Array(a)) => Ok(a.iter().map(Cow::Borrowed).collect()),
            Some(other) => Err(RootProblem::FeaturesNotArray(JsonKind::of(other))),
            None => Err(RootProblem::NoFeatures),
        },
        "Feature" if root.get("geometry").is_none() => Err(RootProblem::FeatureWithoutGeometry),
        "Feature" => Ok(vec![Cow::Borrowed(root)]),
        g if GEOMETRY_TYPES.contains(&g) => {
            let mut f = Map::new();
            f.insert("type".into(), "Feature".into());
            f.insert("geometry".into(), root.clone());
            f.insert("properties".into(), J::Null);
            Ok(vec![Cow::Owned(J::Object(f))])
        }
        other => Err(RootProblem::UnknownType(other.to_string())),
    }
}

// ---------------------------------------------------------------------------
// Feature envelope.

/// The `properties` of a GeoJSON Feature (`None` when absent or null), or why `f` is not a
/// Feature.
pub(crate) fn feature_properties(f: &J) -> Result<Option<&Map<String, J>>, FeatureProblem> {
    let J::Object(_) = f else {
        return Err(FeatureProblem::NotAnObject(JsonKind::of(f)));
    };
    match f.get("type") {
        Some(J::String(t)) if t == "Feature" => {}
        Some(other) => return Err(FeatureProblem::NotAFeature(Found::of(other))),
        None => return Err(FeatureProblem::NoType),
    }
    match f.get("properties") {
        None | Some(J::Null) => Ok(None),
        Some(J::Object(p)) => Ok(Some(p)),
        Some(other) => Err(FeatureProblem::PropertiesNotAnObject(JsonKind::of(other))),
    }
}

/// A feature's id as text: its `id` member, else its `id` property (a string as is, or trimmed
/// and then only if not empty when `trim`; a number in serde_json's formatting); `None` for
/// anything else.
pub(crate) fn feature_id(f: &J, trim: bool) -> Option<String> {
    let text = |v: &J| match v {
        J::String(s) if trim => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        J::String(s) => Some(s.clone()),
        J::Number(n) => Some(n.to_string()),
        _ => None,
    };
    f.get("id")
        .and_then(text)
        .or_else(|| f.get("properties").and_then(|p| p.get("id")).and_then(text))
}

/// Display text of a property value: a string as is, anything else as compact JSON (keys in
/// source order).
pub(crate) fn display(v: &J) -> String {
    match v {
        J::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A number, or a numeric string (trimmed), as a finite f64.
pub(crate) fn number_lossy(v: &J) -> Option<f64> {
    let v = match v {
        J::Number(n) => n.as_f64()?,
        J::String(s) => crate::decimal::parse_f64(s.trim())?,
        _ => return None,
    };
    v.is_finite().then_some(v)
}

/// All properties in source order as display text.
pub(crate) fn property_texts(props: Option<&Map<String, J>>) -> Vec<(String, String)> {
    props.map_or_else(Vec::new, |m| {
        m.iter().map(|(k, v)| (k.clone(), display(v))).collect()
    })
}

/// The feature's geometry member (`geometry` missing or null is a problem), read by
/// [`read_geometry`].
pub(crate) fn feature_geometry(f: &J) -> Result<Geometry, Located> {
    match f.get("geometry") {
        None => Err(FeatureProblem::GeometryMissing.into()),
        Some(J::Null) => Err(FeatureProblem::GeometryNull.into()),
        Some(g) => read_geometry(g),
    }
}

// ---------------------------------------------------------------------------
// Geometry.

/// One geometry object as a [`geojson::Geometry`], or the first member that is not what RFC
/// 7946 says it must be (object, `type`, `coordinates` arrays nested as the type requires,
/// positions of at least 2 numbers, `geometries` without null members). Empty arrays are taken
/// (the readers decide what an empty geometry means to them); a `bbox` that is not an array of
/// numbers is ignored, as RFC 7946 lets a reader; foreign members are accepted and not kept.
///
/// Built from the `serde_json::Value` here rather than by the crate's serde reader: that reader
/// costs 12.9 KB gzip in the release bundle (measured), for the same values.
pub(crate) fn read_geometry(g: &J) -> Result<Geometry, Located> {
    let t = match g {
        J::Object(_) => match g.get("type") {
            Some(J::String(t)) => t.as_str(),
            Some(other) => {
                return Err(FeatureProblem::GeometryTypeNotText(JsonKind::of(other)).into());
            }
            None => return Err(FeatureProblem::GeometryNoType.into()),
        },
        other => return Err(FeatureProblem::GeometryNotAnObject(JsonKind::of(other)).into()),
    };
    let value = if t == "GeometryCollection" {
        let members = match g.get("geometries") {
            Some(v) => array(v, Member::Geometries)?,
            None => return Err(FeatureProblem::NoGeometries.into()),
        };
        let geometries = members
            .iter()
            .enumerate()
            .map(|(i, m)| match m {
                J::Null => Err(FeatureProblem::NullMember(i).into()),
                m => read_geometry(m),
            })
            .collect::<Result<_, _>>()?;
        GeometryValue::GeometryCollection { geometries }
    } else {
        if !GEOMETRY_TYPES.contains(&t) {
            return Err(FeatureProblem::UnknownGeometryType(t.to_string()).into());
        }
        let coords = match g.get("coordinates") {
            None | Some(J::Null) => return Err(FeatureProblem::NoCoordinates.into()),
            Some(c) => c,
        };
        match t {
            "Point" => match coords {
                J::Array(a) if a.is_empty() => return Err(FeatureProblem::Empty.into()),
                c => GeometryValue::Point {
                    coordinates: position(c)?,
                },
            },
            "MultiPoint" => GeometryValue::MultiPoint {
                coordinates: positions(coords, Member::MultiPointCoordinates)?,
            },
            "LineString" => GeometryValue::LineString {
                coordinates: positions(coords, Member::LineCoordinates)?,
            },
            "MultiLineString" => GeometryValue::MultiLineString {
                coordinates: array(coords, Member::MultiLineStringCoordinates)?
                    .iter()
                    .map(|l| positions(l, Member::LineCoordinates))
                    .collect::<Result<_, _>>()?,
            },
            "Polygon" => GeometryValue::Polygon {
                coordinates: polygon(coords)?,
            },
            _ => GeometryValue::MultiPolygon {
                coordinates: array(coords, Member::MultiPolygonCoordinates)?
                    .iter()
                    .enumerate()
                    .map(|(pi, p)| {
                        polygon(p).map_err(|l| Located {
                            polygon: Some(pi),
                            ..l
                        })
                    })
                    .collect::<Result<_, _>>()?,
            },
        }
    };
    let bbox = match g.get("bbox") {
        Some(J::Array(a)) => a.iter().map(J::as_f64).collect::<Option<Vec<f64>>>(),
        _ => None,
    };
    Ok(Geometry {
        bbox,
        value,
        foreign_members: None,
    })
}

/// The members of an array (maybe empty), or why it is not one.
fn array(v: &J, member: Member) -> Result<&[J], FeatureProblem> {
    match v {
        J::Array(a) => Ok(a),
        other => Err(FeatureProblem::NotAnArray {
            member,
            found: JsonKind::of(other),
        }),
    }
}

/// A position: an array of at least 2 numbers (`null` is a `NaN`/`Infinity` token read as
/// null); numbers after the first two (an altitude) are kept while they are numbers.
fn position(v: &J) -> Result<Position, FeatureProblem> {
    let a = array(v, Member::Position)?;
    if a.len() < 2 {
        return Err(FeatureProblem::PositionTooShort(a.len()));
    }
    let number = |c: &J| match c {
        J::Number(n) => n.as_f64().ok_or(FeatureProblem::NotFinite),
        J::Null => Err(FeatureProblem::NotFinite),
        other => Err(FeatureProblem::NotANumber(JsonKind::of(other))),
    };
    let mut out = Vec::with_capacity(2);
    for (i, c) in a.iter().enumerate() {
        match number(c) {
            Ok(x) => out.push(x),
            Err(e) if i < 2 => return Err(e),
            Err(_) => break,
        }
    }
    Ok(Position::from(out))
}

fn positions(v: &J, member: Member) -> Result<Vec<Position>, FeatureProblem> {
    array(v, member)?.iter().map(position).collect()
}

/// A polygon's rings; a problem names its ring.
fn polygon(v: &J) -> Result<Vec<Vec<Position>>, Located> {
    array(v, Member::PolygonCoordinates)?
        .iter()
        .enumerate()
        .map(|(ri, r)| {
            positions(r, Member::PolygonRing).map_err(|problem| Located {
                polygon: None,
                ring: Some(ri),
                problem,
            })
        })
        .collect()
}

/// A position in degrees WGS84: at least 2 numbers, finite, longitude in -180..180, latitude
/// in -90..90 (a third number, the altitude, is ignored).
pub(crate) fn lonlat(p: &Position) -> Result<LonLat, FeatureProblem> {
    let (lon, lat) = match p.as_slice() {
        [lon, lat, ..] => (*lon, *lat),
        other => return Err(FeatureProblem::PositionTooShort(other.len())),
    };
    if !(lon.is_finite() && lat.is_finite()) {
        return Err(FeatureProblem::NotFinite);
    }
    let (clon, clat) = (Coordinate(lon), Coordinate(lat));
    if !(-180.0..=180.0).contains(&lon) {
        return Err(FeatureProblem::LonOutOfRange {
            lon: clon,
            lat: clat,
        });
    }
    if !(-90.0..=90.0).contains(&lat) {
        return Err(FeatureProblem::LatOutOfRange {
            lon: clon,
            lat: clat,
        });
    }
    LonLat::new(lon, lat).ok_or(FeatureProblem::NotFinite)
}

/// The geometry type's name (`"Point"`, …, `"GeometryCollection"`).
pub(crate) fn type_name(g: &GeometryValue) -> &'static str {
    g.type_name()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_and_last_duplicate_wins() {
        let v = parse_text("\u{feff}{\"z\":1,\"a\":[true,null],\"z\":\"two\"}").expect("json");
        assert_eq!(v.get("z"), Some(&J::from("two")));
        let keys: Vec<&String> = v.as_object().expect("object").keys().collect();
        assert_eq!(keys, ["z", "a"]);
        assert_eq!(display(&v), r#"{"z":"two","a":[true,null]}"#);
        assert_eq!(v.get("a").map(JsonKind::of), Some(JsonKind::Array));
        assert_eq!(JsonKind::Array.to_string(), "an array");
        assert_eq!(display(&J::Null), "null");
        assert_eq!(number_lossy(&" 1.5 ".into()), Some(1.5));
        assert_eq!(number_lossy(&"NaN".into()), None);
    }

    #[test]
    fn bare_non_finite_tokens_become_null() {
        let v = parse_text("[1, NaN, -Infinity]").expect("tolerated");
        assert_eq!(display(&v), "[1,null,null]");
        assert!(parse_text("[1, NaN").is_err());
    }

    #[test]
    fn problems_read_as_today() {
        let p = FeatureProblem::LatOutOfRange {
            lon: Coordinate(1.8),
            lat: Coordinate(95.0),
        };
        assert_eq!(
            p.to_string(),
            "coordinate [1.8, 95] out of range (lat must be in -90..90)"
        );
        assert_eq!(
            FeatureProblem::NotAFeature(Found::Text("Fature".into())).to_string(),
            "type is \"Fature\" (expected \"Feature\")"
        );
        assert_eq!(Coordinate(1e308).to_string(), "1e308");
    }

    #[test]
    fn bbox_read_when_well_formed_and_ignored_otherwise() {
        let read = |text: &str| read_geometry(&serde_json::from_str(text).expect("json"));
        let g = read(r#"{"type":"Point","bbox":"everywhere","coordinates":[1.86,50.96]}"#)
            .expect("read");
        assert_eq!(g.bbox, None);
        assert_eq!(type_name(&g.value), "Point");
        let g = read(r#"{"type":"Point","bbox":[1,50,2,51],"coordinates":[1.86,50.96,12]}"#)
            .expect("read");
        assert_eq!(g.bbox, Some(vec![1.0, 50.0, 2.0, 51.0]));
        let GeometryValue::Point { coordinates } = g.value else {
            panic!("point")
        };
        assert_eq!(coordinates.as_slice(), [1.86, 50.96, 12.0]);
        let e = read(r#"{"type":"MultiPolygon","coordinates":[[],[[[1,2],[3,"x"]]]]}"#);
        assert_eq!(
            e,
            Err(Located {
                polygon: Some(1),
                ring: Some(0),
                problem: FeatureProblem::NotANumber(JsonKind::String)
            })
        );
    }
}
