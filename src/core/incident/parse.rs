//! Incident GeoJSON text to [`Incident`]s, the one reader of the snapshot, the `?since=`
//! change lists and the live events: serde_json's reader with serde visitors for the GeoJSON
//! members (strings borrowed from the text where they have no escapes) and
//! `serde_json::Value` for the nested property values a card shows as JSON text.
//!
//! Input positions are degrees WGS84 (`[lon, lat]`; an altitude is ignored);
//! `Incident::at` is EPSG:3857 metres; `accuracy_m` is ground metres; times are RFC 3339 text
//! read into [`Timestamp`]s. A snapshot is validated feature by feature as it is read (the
//! `features` array is walked element by element; each feature's properties go into one buffer
//! kept from feature to feature): a bad feature is rejected with its reason and the rest still
//! load. A `kind` string that is not one of the known keys is read as [`IncidentKind::Other`]
//! with its text kept in `Incident::kind_text` (docs/api.md); a missing, empty or non-string
//! kind is a rejection. Members that RFC 7946 allows besides the ones read here (`bbox`,
//! foreign members, at any level) are skipped. Every GeoJSON member is typed leniently
//! ([`Value`], [`Object`], [`Coords`]): a member of the wrong JSON kind is a reason to reject
//! its feature, never the whole text; the last of duplicate members wins, as in `JSON.parse`.
//! Bare `NaN`/`Infinity` tokens (not JSON) are read as `null` on a second reading of the text
//! (their coordinates are then rejected as non-finite). Nothing here panics on any input.
//!
//! Why serde and not a hand-written reader (issue 11 item 2): a hand-tuned pull reader
//! (`core::json::Scan`, with this serde reading as its fallback) read the 100k snapshot
//! before; measured in the same pages (BENCHMARKS.md, "Incident snapshot reader"), this path
//! costs 1.26× its parse + apply on a page's first load (the app's snapshot ingest; median of
//! 12 first loads each, 430 against 343 ms on a busy 2-core machine) and 1.28–1.41× once the
//! engine has optimised both (a resync): under the issue's 1.3× bar on the first load.
//! Serde's derived structs were tried for the Feature and its geometry: they reject a
//! duplicate member, which fails a whole snapshot for one feature, hence the visitors.

use super::{
    Incident, IncidentError, IncidentKind, IncidentNames, MAX_QUOTE_CHARS, Severity, Status,
    TimeField, Timestamp,
};
use crate::json::{kind as tree_kind, replace_non_finite_tokens};
use crate::model::Properties;
use crate::projection::to_mercator;
use crate::units::LonLat;
use serde::Deserialize;
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Number;
use std::borrow::Cow;

mod sliced;
pub use sliced::SnapshotReader;
use std::fmt;
use std::marker::PhantomData;

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
    /// The collection's `next_cursor` member (a history page: more reports remain when it is
    /// a string or a number; `null` or absent ends the list, docs/api.md).
    pub next_cursor: Option<String>,
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

/// One live event's data under its cap (`limits.event_mb`, bytes): over it the text is not
/// parsed ([`IncidentError::TooLarge`], counted as a rejected event), else [`parse_incident`].
pub fn parse_event(
    text: &str,
    names: &IncidentNames,
    max_bytes: u64,
) -> Result<Incident, IncidentError> {
    let bytes = text.len() as u64;
    if bytes > max_bytes {
        return Err(IncidentError::TooLarge {
            bytes,
            limit: max_bytes,
        });
    }
    parse_incident(text, names)
}

/// Parse one live event: a single incident Feature. `seq` is left `None`; set
/// it from the SSE id with [`Incident::with_seq`].
pub fn parse_incident(text: &str, names: &IncidentNames) -> Result<Incident, IncidentError> {
    read_tolerant(text, |text| {
        let mut props = Vec::new();
        let mut de = serde_json::Deserializer::from_str(text);
        let feature = Visit(FeatureSeed(&mut props)).deserialize(&mut de)?;
        de.end()?;
        Ok(incident(feature, &props, names).map_err(|(_, e)| e))
    })?
}

/// Parse a snapshot FeatureCollection with its `cursor` foreign member.
///
/// Fails as a whole only if the text is not JSON or not a FeatureCollection
/// with a `features` array; each feature is validated on its own.
pub fn parse_snapshot(text: &str, names: &IncidentNames) -> Result<Snapshot, IncidentError> {
    read_tolerant(text, |text| {
        if !text.trim_start().starts_with('{') {
            // Not an object: what it is (or serde_json's error if it is not JSON).
            let v: serde_json::Value = serde_json::from_str(text)?;
            let kind = tree_kind(&v);
            return Ok(Err(IncidentError::NotFeatureCollection(format!(
                "{kind} (expected an object)"
            ))));
        }
        let mut de = serde_json::Deserializer::from_str(text);
        let root = de.deserialize_map(RootVisitor(names))?;
        de.end()?;
        Ok(collection(root))
    })?
}

/// An SSE `id:` field as a sequence number: plain decimal digits only.
pub fn parse_seq(id: &str) -> Option<u64> {
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    id.parse().ok()
}

/// Read `text` with `read`: a leading BOM is ignored and, if strict reading fails, bare
/// `NaN`/`Infinity` tokens are read as `null` and it is tried again. A text that is still not
/// JSON fails with the strict reading's error.
fn read_tolerant<T>(
    text: &str,
    read: impl Fn(&str) -> serde_json::Result<T>,
) -> Result<T, IncidentError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    read(text).or_else(|strict| {
        replace_non_finite_tokens(text)
            .and_then(|fixed| read(&fixed).ok())
            .ok_or_else(|| IncidentError::Json(strict.to_string()))
    })
}

// ---------------------------------------------------------------------------
// The GeoJSON members, typed leniently.

/// A member's value as validation looks at it: strings borrowed from the text where they have
/// no escapes, arrays and objects as `serde_json::Value` (shown as compact JSON text).
#[derive(Clone, Debug, Default)]
enum Value<'a> {
    /// The member is absent.
    #[default]
    Missing,
    Null,
    Bool(bool),
    Num(Number),
    Str(Cow<'a, str>),
    Tree(Box<serde_json::Value>),
}

impl Value<'_> {
    /// "null", "a boolean", "a number", "a string", "an array", "an object" ("absent").
    fn kind(&self) -> &'static str {
        match self {
            Value::Missing => "absent",
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Num(_) => "a number",
            Value::Str(_) => "a string",
            Value::Tree(t) => tree_kind(t),
        }
    }

    /// Compact JSON text (strings quoted).
    fn to_json(&self) -> String {
        match self {
            Value::Missing | Value::Null => "null".to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Num(n) => n.to_string(),
            Value::Str(s) => serde_json::Value::from(s.as_ref()).to_string(),
            Value::Tree(t) => t.to_string(),
        }
    }

    /// Display text: a string as-is, anything else as compact JSON.
    fn display(&self) -> String {
        match self {
            Value::Str(s) => s.to_string(),
            other => other.to_json(),
        }
    }

    /// Number or numeric string (trimmed) as a finite f64.
    fn as_number_lossy(&self) -> Option<f64> {
        let v = match self {
            Value::Num(n) => n.as_f64()?,
            Value::Str(s) => crate::decimal::parse_f64(s.trim())?,
            _ => return None,
        };
        v.is_finite().then_some(v)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Value<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Value<'a>, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<Value<'de>, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value<'de>, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value<'de>, D::Error> {
        Value::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value<'de>, E> {
        Ok(Value::Bool(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value<'de>, E> {
        Ok(Value::Num(v.into()))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value<'de>, E> {
        Ok(Value::Num(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value<'de>, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Num))
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Value<'de>, E> {
        Ok(Value::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value<'de>, E> {
        Ok(Value::Str(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Value<'de>, E> {
        Ok(Value::Str(Cow::Owned(v)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Value<'de>, A::Error> {
        let tree = serde_json::Value::deserialize(SeqAccessDeserializer::new(seq))?;
        Ok(Value::Tree(Box::new(tree)))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Value<'de>, A::Error> {
        let tree = serde_json::Value::deserialize(MapAccessDeserializer::new(map))?;
        Ok(Value::Tree(Box::new(tree)))
    }
}

/// How one member is read when only one JSON kind is expected of it: the expected kind by
/// [`Expect::seq`] or [`Expect::map`], anything else (read in full and dropped) by its kind.
trait Expect<'de>: Sized {
    type Value;

    fn other(self, kind: &'static str) -> Self::Value;

    fn seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(self.other("an array"))
    }

    fn map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(self.other("an object"))
    }
}

/// An [`Expect`] as a serde visitor and seed.
struct Visit<E>(E);

impl<'de, E: Expect<'de>> DeserializeSeed<'de> for Visit<E> {
    type Value = E::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<E::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, E: Expect<'de>> Visitor<'de> for Visit<E> {
    type Value = E::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<X>(self) -> Result<E::Value, X> {
        Ok(self.0.other("null"))
    }
    fn visit_none<X>(self) -> Result<E::Value, X> {
        Ok(self.0.other("null"))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<E::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_bool<X>(self, _: bool) -> Result<E::Value, X> {
        Ok(self.0.other("a boolean"))
    }
    fn visit_u64<X>(self, _: u64) -> Result<E::Value, X> {
        Ok(self.0.other("a number"))
    }
    fn visit_i64<X>(self, _: i64) -> Result<E::Value, X> {
        Ok(self.0.other("a number"))
    }
    fn visit_f64<X>(self, _: f64) -> Result<E::Value, X> {
        Ok(self.0.other("a number"))
    }
    fn visit_str<X>(self, _: &str) -> Result<E::Value, X> {
        Ok(self.0.other("a string"))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<E::Value, A::Error> {
        self.0.seq(seq)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<E::Value, A::Error> {
        self.0.map(map)
    }
}

/// A member that should be an object, read as `T`; else the kind of what was there.
#[derive(Debug, Default)]
enum Object<T> {
    #[default]
    Missing,
    Other(&'static str),
    Obj(T),
}

struct ExpectObject<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Expect<'de> for ExpectObject<T> {
    type Value = Object<T>;

    fn other(self, kind: &'static str) -> Object<T> {
        Object::Other(kind)
    }
    fn map<A: MapAccess<'de>>(self, map: A) -> Result<Object<T>, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map)).map(Object::Obj)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Object<T>, D::Error> {
        Visit(ExpectObject(PhantomData)).deserialize(d)
    }
}

/// A GeoJSON Feature (RFC 7946 § 3.2); its other members (`bbox`, foreign members) are skipped.
/// Its `properties` members are read into a buffer kept from feature to feature (see
/// [`FeatureSeed`]). The last of duplicate members wins, as in `JSON.parse` (serde's derived
/// structs reject a duplicate member, which would fail a whole snapshot for one feature).
#[derive(Debug, Default)]
struct FeatureIn<'a> {
    ty: Value<'a>,
    id: Value<'a>,
    geometry: Object<GeometryIn<'a>>,
    /// Whether `properties` is an object (its members are in the buffer).
    properties: Object<()>,
}

/// The members of an object `properties` in source order (duplicates included).
type Members<'a> = Vec<(Cow<'a, str>, Value<'a>)>;

/// Reads one feature, its properties into the buffer (cleared first).
struct FeatureSeed<'b, 'a>(&'b mut Members<'a>);

impl<'de> Expect<'de> for FeatureSeed<'_, 'de> {
    type Value = Object<FeatureIn<'de>>;

    fn other(self, kind: &'static str) -> Object<FeatureIn<'de>> {
        Object::Other(kind)
    }
    fn map<A: MapAccess<'de>>(self, mut map: A) -> Result<Object<FeatureIn<'de>>, A::Error> {
        let mut f = FeatureIn::default();
        self.0.clear();
        while let Some(Key(key)) = map.next_key()? {
            match key.as_ref() {
                "type" => f.ty = map.next_value()?,
                "id" => f.id = map.next_value()?,
                "geometry" => f.geometry = map.next_value()?,
                "properties" => {
                    self.0.clear();
                    f.properties = map.next_value_seed(Visit(PropsSeed(&mut *self.0)))?;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Object::Obj(f))
    }
}

/// Reads a `properties` object into the (cleared) buffer.
struct PropsSeed<'b, 'a>(&'b mut Members<'a>);

impl<'de> Expect<'de> for PropsSeed<'_, 'de> {
    type Value = Object<()>;

    fn other(self, kind: &'static str) -> Object<()> {
        Object::Other(kind)
    }
    fn map<A: MapAccess<'de>>(self, mut map: A) -> Result<Object<()>, A::Error> {
        while let Some(Key(k)) = map.next_key()? {
            self.0.push((k, map.next_value()?));
        }
        Ok(Object::Obj(()))
    }
}

/// A GeoJSON Geometry object, as far as a Point is read from it (the last of duplicate members
/// wins).
#[derive(Debug, Default)]
struct GeometryIn<'a> {
    ty: Value<'a>,
    coordinates: Coords<'a>,
}

impl<'de: 'a, 'a> Deserialize<'de> for GeometryIn<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<GeometryIn<'a>, D::Error> {
        d.deserialize_map(GeometryVisitor)
    }
}

struct GeometryVisitor;

impl<'de> Visitor<'de> for GeometryVisitor {
    type Value = GeometryIn<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Geometry object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<GeometryIn<'de>, A::Error> {
        let mut g = GeometryIn::default();
        while let Some(Key(key)) = map.next_key()? {
            match key.as_ref() {
                "type" => g.ty = map.next_value()?,
                "coordinates" => g.coordinates = map.next_value()?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(g)
    }
}

/// A geometry's `coordinates` member: the array's length and its first two elements.
#[derive(Debug, Default)]
enum Coords<'a> {
    /// Absent or null.
    #[default]
    Null,
    Other(&'static str),
    Arr {
        len: usize,
        x: Option<Value<'a>>,
        y: Option<Value<'a>>,
    },
}

struct ExpectCoords;

impl<'de> Expect<'de> for ExpectCoords {
    type Value = Coords<'de>;

    fn other(self, kind: &'static str) -> Coords<'de> {
        match kind {
            "null" => Coords::Null,
            other => Coords::Other(other),
        }
    }
    fn seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Coords<'de>, A::Error> {
        let x = seq.next_element::<Value>()?;
        let y = match x {
            Some(_) => seq.next_element::<Value>()?,
            None => None,
        };
        let mut len = usize::from(x.is_some()) + usize::from(y.is_some());
        if y.is_some() {
            while seq.next_element::<IgnoredAny>()?.is_some() {
                len += 1;
            }
        }
        Ok(Coords::Arr { len, x, y })
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Coords<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Coords<'a>, D::Error> {
        Visit(ExpectCoords).deserialize(d)
    }
}

/// An object key, borrowed from the text unless it has escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Key<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Key<'a>, D::Error> {
        d.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(v)))
    }
}

/// A snapshot's root object (the last of duplicate members wins).
struct Root<'a> {
    ty: Value<'a>,
    cursor: Value<'a>,
    next_cursor: Value<'a>,
    features: Object<Features>,
}

/// The `features` array, its features validated as they were read.
struct Features(Vec<Incident>, Vec<Rejected>);

/// Reads the root object, walking `features` with [`ExpectFeatures`].
struct RootVisitor<'n>(&'n IncidentNames);

impl<'de> Visitor<'de> for RootVisitor<'_> {
    type Value = Root<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Root<'de>, A::Error> {
        let mut root = Root {
            ty: Value::Missing,
            cursor: Value::Missing,
            next_cursor: Value::Missing,
            features: Object::Missing,
        };
        while let Some(Key(key)) = map.next_key()? {
            match key.as_ref() {
                "type" => root.ty = map.next_value()?,
                "cursor" => root.cursor = map.next_value()?,
                "next_cursor" => root.next_cursor = map.next_value()?,
                "features" => root.features = map.next_value_seed(Visit(ExpectFeatures(self.0)))?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(root)
    }
}

struct ExpectFeatures<'n>(&'n IncidentNames);

impl<'de> Expect<'de> for ExpectFeatures<'_> {
    type Value = Object<Features>;

    fn other(self, kind: &'static str) -> Object<Features> {
        Object::Other(kind)
    }
    fn seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Object<Features>, A::Error> {
        let mut incidents = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 20));
        let mut rejected = Vec::new();
        let mut index = 0;
        let mut props = Vec::new();
        while let Some(feature) = seq.next_element_seed(Visit(FeatureSeed(&mut props)))? {
            match incident(feature, &props, self.0) {
                Ok(inc) => incidents.push(inc),
                Err((id, error)) => rejected.push(Rejected { index, id, error }),
            }
            index += 1;
        }
        incidents.shrink_to_fit();
        Ok(Object::Obj(Features(incidents, rejected)))
    }
}

// ---------------------------------------------------------------------------
// Validation.

/// The snapshot from its root: type, then the `features` array, then the cursor.
fn collection(root: Root<'_>) -> Result<Snapshot, IncidentError> {
    let not_fc = IncidentError::NotFeatureCollection;
    geojson_type(&root.ty, "FeatureCollection").map_err(not_fc)?;
    let Features(incidents, rejected) = match root.features {
        Object::Obj(features) => features,
        Object::Other(kind) => {
            return Err(not_fc(format!("no features array (features is {kind})")));
        }
        Object::Missing => return Err(not_fc("no features array".to_string())),
    };
    let text = |v: Value<'_>| match v {
        Value::Str(s) => Some(s.into_owned()),
        Value::Num(n) => Some(n.to_string()),
        _ => None,
    };
    Ok(Snapshot {
        incidents,
        rejected,
        cursor: text(root.cursor),
        next_cursor: text(root.next_cursor),
    })
}

/// `Ok` if an object's `type` member is `want`, else what was found.
fn geojson_type(ty: &Value, want: &str) -> Result<(), String> {
    match ty {
        Value::Str(t) if t == want => Ok(()),
        Value::Str(t) => Err(format!("type is {:?}", quote_cut(t))),
        Value::Missing => Err("no \"type\" member".to_string()),
        other => Err(format!("type is {}", other.kind())),
    }
}

/// At most [`MAX_QUOTE_CHARS`] characters of `s`, with "…" if cut.
fn quote_cut(s: &str) -> String {
    match s.char_indices().nth(MAX_QUOTE_CHARS) {
        Some((end, _)) => format!("{}…", s.get(..end).unwrap_or_default()),
        None => s.to_string(),
    }
}

/// A value quoted in an error: a string's own text, anything else as JSON.
fn found(v: &Value) -> String {
    quote_cut(&v.display())
}

/// A string that is not blank, or a number's text.
fn id_text(v: &Value) -> Option<String> {
    match v {
        Value::Str(s) if !s.trim().is_empty() => Some(s.to_string()),
        Value::Num(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A feature's named properties: per [`IncidentNames::fields`] slot, the last member of that
/// name (null included).
struct Named<'p, 'a>([Option<&'p Value<'a>>; 9]);

/// Slots of [`IncidentNames::fields`].
const ID: usize = 0;
const KIND: usize = 1;
const SEVERITY: usize = 2;
const STATUS: usize = 3;
const REPORTED_AT: usize = 4;
const UPDATED_AT: usize = 5;
const DESCRIPTION: usize = 6;
const SOURCE: usize = 7;
const ACCURACY: usize = 8;

impl<'p, 'a> Named<'p, 'a> {
    /// The named members of `props`, and whether the member at an index with a key is named.
    fn new(
        props: &'p [(Cow<'a, str>, Value<'a>)],
        names: &[&str; 9],
    ) -> (Self, impl Fn(usize, &str) -> bool) {
        let mut named = Named([None; 9]);
        // Bit i: member i (of the first 64) is named; beyond them the names are compared again.
        let mut mask = 0u64;
        for (i, (key, value)) in props.iter().enumerate() {
            for (slot, name) in named.0.iter_mut().zip(names) {
                if key == name {
                    *slot = Some(value);
                    mask |= 1u64.checked_shl(i as u32).unwrap_or(0);
                }
            }
        }
        let names = *names;
        let is_named = move |i: usize, key: &str| match 1u64.checked_shl(i as u32) {
            Some(bit) => mask & bit != 0,
            None => names.contains(&key),
        };
        (named, is_named)
    }

    /// Named property in `slot` if present and not null.
    fn get(&self, slot: usize) -> Option<&'p Value<'a>> {
        self.0
            .get(slot)
            .copied()
            .flatten()
            .filter(|v| !matches!(v, Value::Null))
    }
}

/// Validate one Feature: type, properties, id, Point geometry, then the properties in the
/// order kind, severity, status, reported_at, updated_at. A rejection carries the feature's id
/// if it had a usable one.
fn incident(
    feature: Object<FeatureIn<'_>>,
    members: &[(Cow<str>, Value)],
    names: &IncidentNames,
) -> Result<Incident, (Option<String>, IncidentError)> {
    let f = match feature {
        Object::Obj(f) => f,
        Object::Other(kind) => {
            let e = IncidentError::NotFeature(format!("{kind} (expected an object)"));
            return Err((None, e));
        }
        Object::Missing => return Err((None, IncidentError::NotFeature("absent".to_string()))),
    };
    let names = names.fields().map(|(_, name)| name);
    let props = match f.properties {
        Object::Obj(()) => members,
        _ => &[],
    };
    let (named, is_named) = Named::new(props, &names);
    let id = id_text(&f.id).or_else(|| named.get(ID).and_then(id_text));
    let fields = match fields(&f, &named, id.is_some()) {
        Ok(fields) => fields,
        Err(e) => return Err((id, e)),
    };
    let Some(id) = id else {
        return Err((None, IncidentError::NoId));
    };
    // The named properties are fields already; keep the others (for the card) as text.
    let properties: Properties = props
        .iter()
        .enumerate()
        .filter(|(i, (k, _))| !is_named(*i, k))
        .map(|(_, (k, v))| (k.to_string(), v.display()))
        .collect();
    let Fields {
        kind,
        kind_text,
        severity,
        status,
        position,
        reported_at,
        updated_at,
        description,
        source,
        accuracy_m,
    } = fields;
    Ok(Incident {
        id,
        kind,
        kind_text,
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

/// A feature's validated fields, but its id and other properties.
struct Fields {
    kind: IncidentKind,
    kind_text: Option<String>,
    severity: Severity,
    status: Status,
    position: LonLat,
    reported_at: Timestamp,
    updated_at: Timestamp,
    description: String,
    source: Option<String>,
    accuracy_m: Option<f64>,
}

/// The checks of [`incident`] after the object itself, in its order.
fn fields(f: &FeatureIn, named: &Named, has_id: bool) -> Result<Fields, IncidentError> {
    let not_feature = IncidentError::NotFeature;
    geojson_type(&f.ty, "Feature").map_err(not_feature)?;
    if let Object::Other(kind) = f.properties
        && kind != "null"
    {
        return Err(not_feature(format!(
            "properties is {kind} (expected an object or null)"
        )));
    }
    if !has_id {
        return Err(IncidentError::NoId);
    }
    let position = point(&f.geometry)?;
    let get = |slot: usize| named.get(slot);

    // docs/api.md: a kind that is not one of the known keys is `other`; its text is kept.
    let (kind, kind_text) = match get(KIND) {
        None => return Err(IncidentError::KindMissing),
        Some(Value::Str(k)) if k.trim().is_empty() => return Err(IncidentError::KindMissing),
        Some(Value::Str(k)) => match IncidentKind::from_key(k) {
            Some(kind) => (kind, None),
            None => (IncidentKind::Other, Some(quote_cut(k))),
        },
        Some(other) => return Err(IncidentError::BadKind(found(other))),
    };
    let severity = severity(get(SEVERITY))?;
    let status = match get(STATUS) {
        None => return Err(IncidentError::StatusMissing),
        Some(Value::Str(s)) => {
            Status::from_key(s).ok_or_else(|| IncidentError::BadStatus(quote_cut(s)))?
        }
        Some(other) => return Err(IncidentError::BadStatus(found(other))),
    };
    let reported_at = time(get(REPORTED_AT), TimeField::ReportedAt)?;
    let updated_at = time(get(UPDATED_AT), TimeField::UpdatedAt)?;

    let description = get(DESCRIPTION).map(Value::display).unwrap_or_default();
    let source = get(SOURCE)
        .map(Value::display)
        .filter(|s| !s.trim().is_empty());
    let accuracy_m = get(ACCURACY)
        .and_then(Value::as_number_lossy)
        .filter(|a| *a >= 0.0);
    Ok(Fields {
        kind,
        kind_text,
        severity,
        status,
        position,
        reported_at,
        updated_at,
        description,
        source,
        accuracy_m,
    })
}

/// The Point's position: geometry present, of type Point, with coordinates.
fn point(geometry: &Object<GeometryIn>) -> Result<LonLat, IncidentError> {
    let g = match geometry {
        Object::Missing | Object::Other("null") => return Err(IncidentError::GeometryMissing),
        Object::Other(kind) => {
            return Err(IncidentError::NotPoint(format!("{kind} without a type")));
        }
        Object::Obj(g) => g,
    };
    match &g.ty {
        Value::Str(t) if t == "Point" => {}
        Value::Str(t) => return Err(IncidentError::NotPoint(quote_cut(t))),
        _ => {
            return Err(IncidentError::NotPoint(
                "an object without a type".to_string(),
            ));
        }
    }
    position(&g.coordinates)
}

fn position(coordinates: &Coords) -> Result<LonLat, IncidentError> {
    let bad = IncidentError::BadCoordinates;
    let (x, y) = match coordinates {
        Coords::Null => return Err(bad("no coordinates".to_string())),
        Coords::Other(kind) => {
            return Err(bad(format!("coordinates is {kind} (expected an array)")));
        }
        Coords::Arr {
            x: Some(x),
            y: Some(y),
            ..
        } => (x, y),
        Coords::Arr { len, .. } => {
            return Err(bad(format!(
                "position has {len} number(s) (needs at least 2)"
            )));
        }
    };
    let num = |c: &Value| match c {
        Value::Null => Err(IncidentError::NonFiniteCoordinates),
        Value::Num(n) => n
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

fn time(v: Option<&Value>, field: TimeField) -> Result<Timestamp, IncidentError> {
    match v {
        None => Err(IncidentError::TimeMissing(field)),
        Some(Value::Str(s)) => Timestamp::parse_rfc3339(s).ok_or_else(|| IncidentError::BadTime {
            field,
            found: quote_cut(s),
        }),
        Some(other) => Err(IncidentError::BadTime {
            field,
            found: found(other),
        }),
    }
}

fn severity(v: Option<&Value>) -> Result<Severity, IncidentError> {
    let v = v.ok_or(IncidentError::SeverityMissing)?;
    let level = match v {
        Value::Num(n) => n.as_u64().or_else(|| {
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

    const EVENT: &str = include_str!("../../../tests/fixtures/incidents/event_small_boat.json");

    fn id_of(text: &str) -> Result<String, IncidentError> {
        parse_incident(text, &IncidentNames::default()).map(|i| i.id)
    }

    #[test]
    fn ids_from_feature_then_property_and_the_last_duplicate_member_wins() {
        let with = |from: &str, to: &str| EVENT.replacen(from, to, 1);
        let id = r#""id": "inc-sangatte-boat-1","#;
        assert_eq!(
            id_of(&with(id, r#""id": "","#).replacen(r#""kind":"#, r#""id": 7, "kind":"#, 1)),
            Ok("7".into())
        );
        assert_eq!(id_of(&with(id, r#""id": 1.5,"#)), Ok("1.5".into()));
        assert_eq!(
            id_of(&with(id, r#""id": "a", "id": null,"#).replacen(
                r#""kind":"#,
                r#""id": "b", "kind":"#,
                1
            )),
            Ok("b".into())
        );
        // Duplicate Feature and geometry members: the last one is read, as `JSON.parse` does.
        let dup = with(id, r#""id": "a", "type": 1, "type": "Feature", "id": "z","#).replacen(
            r#""coordinates": [1.74, 50.95]"#,
            r#""coordinates": [3, 4], "coordinates": [1.74, 50.95]"#,
            1,
        );
        let inc = parse_incident(&dup, &IncidentNames::default()).expect("valid");
        assert_eq!(
            (inc.id.as_str(), inc.position),
            (
                "z",
                LonLat {
                    lon: 1.74,
                    lat: 50.95
                }
            )
        );
    }

    #[test]
    fn coinciding_names_share_the_value() {
        let names = IncidentNames {
            description: "source".into(),
            ..IncidentNames::default()
        };
        let text = r#"{"type":"Feature","id":"a",
            "geometry":{"type":"Point","coordinates":[1.8,50.9]},
            "properties":{"kind":"other","severity":1,"status":"open",
            "reported_at":"2024-06-01T00:00:00Z","updated_at":"2024-06-01T00:00:00Z",
            "source":"cam-1","x":[1]}}"#;
        let inc = parse_incident(text, &names).expect("valid");
        assert_eq!(inc.description, "cam-1");
        assert_eq!(inc.source.as_deref(), Some("cam-1"));
        assert_eq!(inc.properties, vec![("x".to_string(), "[1]".to_string())]);
    }

    #[test]
    fn bbox_foreign_members_nan_and_deep_texts() {
        let n = IncidentNames::default();
        // RFC 7946 bbox and foreign members, at every level, are accepted (and skipped).
        let text = EVENT
            .replacen(
                r#""type": "Feature","#,
                r#""type": "Feature", "bbox": [1, 2, 3, 4], "x-source": {"a": [1e999]},"#,
                1,
            )
            .replacen(
                r#""type": "Point","#,
                r#""type": "Point", "bbox": [1.74, 50.95, 1.74, 50.95], "crs": null,"#,
                1,
            );
        assert_eq!(
            parse_incident(&text, &n).map(|i| i.id),
            Ok("inc-sangatte-boat-1".into())
        );
        let snapshot = format!(
            r#"{{"bbox":[0,0,1,1],"type":"FeatureCollection","name":"x","features":[{EVENT}],"cursor":"c"}}"#
        );
        let s = parse_snapshot(&snapshot, &n).expect("loads");
        assert_eq!((s.incidents.len(), s.cursor.as_deref()), (1, Some("c")));
        // Bare NaN: the text is read again with null in its place.
        let nan = EVENT.replacen("50.95", "NaN", 1);
        assert_eq!(
            parse_incident(&nan, &n),
            Err(IncidentError::NonFiniteCoordinates)
        );
        // serde_json reads nesting to depth 128: not a FeatureCollection; deeper, not JSON.
        let deep = |d: usize| format!("{}{}", "[".repeat(d), "]".repeat(d));
        assert!(matches!(
            parse_snapshot(&deep(120), &n),
            Err(IncidentError::NotFeatureCollection(_))
        ));
        assert!(matches!(
            parse_snapshot(&deep(200), &n),
            Err(IncidentError::Json(_))
        ));
        // An extra property's object with a duplicate key is shown as JSON.parse would.
        let text = EVENT.replacen(r#""engine": true"#, r#""engine": true, "type": 1"#, 1);
        let inc = parse_incident(&text, &n).expect("valid");
        assert_eq!(inc.properties[1].1, r#"{"type":1,"engine":true}"#);
    }
}
