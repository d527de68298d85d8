//! Geofence zones: the model and the zones GeoJSON reader.
//!
//! Input: RFC 7946 GeoJSON (a FeatureCollection, a single Feature or a bare geometry, read
//! as the layers are by [`crate::geojson_read`]: geometry through the `geojson` crate, any
//! winding, `bbox` and foreign members accepted), coordinates in degrees WGS84, Polygon or
//! MultiPolygon geometries (holes allowed). Output: [`Zone`]s whose shape is a geo-types
//! [`MultiPolygon`] in **EPSG:3857 metres** (x east, y north, as [`Mercator`]), every ring
//! closed, without repeated consecutive positions, in the source's winding; `dwell_s` is
//! seconds.
//!
//! **Boundary rule**: a zone contains a point inside any of its polygons or within
//! [`BOUNDARY_EPS_M`](crate::geometry::BOUNDARY_EPS_M) (1 mm in EPSG:3857 metres, about 0.63 mm on the ground at Calais) of any
//! ring edge or vertex, holes' included ([`Zone::contains`], by the one point-position test
//! [`geometry::polygon_position`](crate::geometry::polygon_position)).
//!
//! Properties: `id` (the Feature's `id` member, else an `id` property; string or number),
//! `name` (default: the id), `kind` (`restricted`, `watch`, `approach`; anything else is
//! [`ZoneKind::Other`]), `alert_on_enter` and `alert_on_exit` (booleans, default `true`),
//! `dwell_s` (number > 0, optional), `critical` (boolean; default `true` for restricted zones,
//! `false` otherwise). A `null` property is the same as an absent one.
//!
//! A bad zone (no id, duplicate id, unknown geometry type, a ring with fewer than 4 positions,
//! not closed, self-intersecting, crossing another ring of its polygon, a hole outside its
//! exterior, a NaN / infinite / out-of-range coordinate, a malformed rule property) is
//! reported in [`ZoneSet::rejected`] with its index, id and a [`ZoneProblem`] (structured: the
//! shell words it; its `Display`, for logs, reads `ring 0 intersects itself near 1.8601,
//! 50.9702`, lon, lat), and skipped; the other zones still load. Only text that is not JSON or not GeoJSON (a FeatureCollection, a
//! Feature or a geometry) fails as a whole ([`ZoneFileError`]).

use crate::geojson_read::{
    FeatureProblem, JsonKind, Located, RootProblem, feature_id, feature_properties, lonlat,
    parse_text, property_texts, read_geometry, root_features,
};
use crate::geometry::{
    Position as PointPosition, SegmentContact, orient, polygon_position, ring_edges,
    rings_position, segment_contact,
};
use crate::model::Properties;
use crate::projection::{MAX_LAT, to_lonlat, to_mercator};
use crate::units::{LonLat, Mercator};
use crate::viewport::MercatorBounds;
use geo::{Area, LineString, MultiPolygon, Polygon};
use geojson::{GeometryValue, Position};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};
use serde_json::{Map, Value as J};
use std::collections::BTreeMap;
use std::fmt;

/// What a zone is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ZoneKind {
    Restricted,
    Watch,
    Approach,
    Other,
}

impl ZoneKind {
    pub const ALL: [ZoneKind; 4] = [
        ZoneKind::Restricted,
        ZoneKind::Watch,
        ZoneKind::Approach,
        ZoneKind::Other,
    ];

    /// "restricted", "watch", "approach", "other".
    pub fn key(self) -> &'static str {
        match self {
            ZoneKind::Restricted => "restricted",
            ZoneKind::Watch => "watch",
            ZoneKind::Approach => "approach",
            ZoneKind::Other => "other",
        }
    }

    /// Case-insensitive, trimmed match on the key; anything unknown is `Other`.
    pub fn from_str_lossy(s: &str) -> ZoneKind {
        let k = s.trim().to_ascii_lowercase();
        ZoneKind::ALL
            .into_iter()
            .find(|z| z.key() == k)
            .unwrap_or(ZoneKind::Other)
    }
}

/// What a zone alerts on.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ZoneRules {
    /// Raise an enter event (and a cross event) for this zone.
    pub alert_on_enter: bool,
    /// Raise an exit event for this zone.
    pub alert_on_exit: bool,
    /// Raise one dwell event per stay once an incident has been inside this many seconds.
    pub dwell_s: Option<f64>,
    /// Alerts of this zone flash on the video wall.
    pub critical: bool,
}

impl ZoneRules {
    /// The defaults for a kind: alert on enter and exit, no dwell, critical iff restricted.
    pub fn defaults(kind: ZoneKind) -> ZoneRules {
        ZoneRules {
            alert_on_enter: true,
            alert_on_exit: true,
            dwell_s: None,
            critical: kind == ZoneKind::Restricted,
        }
    }

    /// The dwell threshold in milliseconds, if any.
    pub fn dwell_ms(&self) -> Option<i64> {
        self.dwell_s
            .filter(|s| s.is_finite() && *s > 0.0)
            .map(|s| (s * 1000.0).round().clamp(1.0, 1e15) as i64)
    }
}

/// One validated zone.
#[derive(Clone, Debug, PartialEq)]
pub struct Zone {
    pub id: String,
    /// The `name` property, else the id.
    pub name: String,
    pub kind: ZoneKind,
    pub rules: ZoneRules,
    /// The zone is the union of these polygons (one for a Polygon geometry), EPSG:3857
    /// metres: each an exterior ring and its holes, closed, either winding.
    pub polygons: MultiPolygon<f64>,
    /// Bounding box of all rings (EPSG:3857 metres).
    pub bounds: MercatorBounds,
    /// All properties in source order, as display text.
    pub properties: Properties,
}

impl Zone {
    /// A validated zone from polygons in degrees WGS84 (each: exterior ring, then holes; each
    /// ring closed), or the first problem found.
    pub fn new(
        id: impl Into<String>,
        name: Option<String>,
        kind: ZoneKind,
        rules: ZoneRules,
        polygons: &[Vec<Vec<LonLat>>],
    ) -> Result<Zone, ShapeError> {
        let id = id.into();
        if id.trim().is_empty() {
            return Err(ShapeError::MissingId);
        }
        if polygons.is_empty() {
            return Err(ShapeError::EmptyGeometry);
        }
        let multi = polygons.len() > 1;
        let mut out = Vec::with_capacity(polygons.len());
        let mut bounds = MercatorBounds::empty();
        for (pi, poly) in polygons.iter().enumerate() {
            let rings = validate_polygon(poly).map_err(|problem| ShapeError::Polygon {
                polygon: multi.then_some(pi),
                problem,
            })?;
            for c in crate::geometry::rings(&rings).flat_map(|r| r.coords()) {
                bounds.extend((*c).into());
            }
            out.push(rings);
        }
        Ok(Zone {
            name: name.unwrap_or_else(|| id.clone()),
            id,
            kind,
            rules,
            polygons: MultiPolygon::new(out),
            bounds,
            properties: Vec::new(),
        })
    }

    /// Number of edges over all rings.
    pub fn edge_count(&self) -> usize {
        self.polygons
            .iter()
            .flat_map(crate::geometry::rings)
            .map(|r| r.lines().len())
            .sum()
    }

    /// `true` if `p` (EPSG:3857 metres) is in the zone: inside one of its polygons or on a
    /// ring's boundary (within [`BOUNDARY_EPS_M`](crate::geometry::BOUNDARY_EPS_M); see the module doc).
    pub fn contains(&self, p: Mercator) -> bool {
        self.polygons
            .iter()
            .any(|polygon| polygon_position(p, polygon).is_inside_or_on())
    }
}

/// Where a problem is, in degrees WGS84; `Display`: `lon, lat` with 4 decimals (about 10 m).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Near(pub LonLat);

impl Near {
    pub(crate) fn at(m: Mercator) -> Near {
        Near(to_lonlat(m))
    }
}

impl fmt::Display for Near {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.4}, {:.4}", self.0.lon, self.0.lat)
    }
}

/// Why the rings of one polygon do not make a zone; `ring` and `other` are ring indexes in
/// the polygon (0: the exterior), `near` where it happens. `Display` is the English text, for
/// logs.
#[derive(thiserror::Error, Clone, Debug, PartialEq)]
pub enum RingProblem {
    #[error("polygon has no rings")]
    NoRings,
    #[error("ring {ring} has {positions} positions (needs at least 4)")]
    TooFewPositions { ring: usize, positions: usize },
    #[error("ring {0} is not closed (its first and last positions differ)")]
    NotClosed(usize),
    #[error("ring {0} has a NaN or infinite coordinate")]
    NotFinite(usize),
    #[error(
        "ring {ring} has coordinate {lon}, {lat} out of range (lon -180..180, lat -85.05..85.05)"
    )]
    OutOfRange { ring: usize, lon: f64, lat: f64 },
    #[error("ring {0} has fewer than 3 distinct positions (needs at least 3 plus the closing one)")]
    TooFewDistinct(usize),
    #[error("ring {ring} doubles back on itself near {near}")]
    DoublesBack { ring: usize, near: Near },
    #[error("ring {ring} intersects itself near {near}")]
    IntersectsItself { ring: usize, near: Near },
    #[error("ring {ring} overlaps ring {other} near {near}")]
    Overlaps {
        ring: usize,
        other: usize,
        near: Near,
    },
    #[error("ring {ring} crosses ring {other} near {near}")]
    Crosses {
        ring: usize,
        other: usize,
        near: Near,
    },
    #[error("ring {0} has no area (all its positions are on one line)")]
    NoArea(usize),
    #[error("ring {ring} (a hole) lies outside ring 0 near {near}")]
    HoleOutside { ring: usize, near: Near },
    #[error("ring {ring} (a hole) lies inside ring {other} (another hole) near {near}")]
    HoleInHole {
        ring: usize,
        other: usize,
        near: Near,
    },
}

/// Why [`Zone::new`] refuses a zone. `Display` is the English text, for logs.
#[derive(thiserror::Error, Clone, Debug, PartialEq)]
pub enum ShapeError {
    #[error("missing id")]
    MissingId,
    #[error("empty geometry")]
    EmptyGeometry,
    /// A polygon's rings; `polygon`: its index when the zone has several.
    #[error("{}{problem}", polygon.map(|p| format!("polygon {p} ")).unwrap_or_default())]
    Polygon {
        polygon: Option<usize>,
        problem: RingProblem,
    },
}

/// Why one zone of a zones file is skipped. `Display` is the English text, for logs.
#[derive(thiserror::Error, Clone, Debug, PartialEq)]
pub enum ZoneProblem {
    /// The feature's envelope (not an object, properties not an object, geometry absent).
    #[error("{0}")]
    Feature(FeatureProblem),
    /// A member of the geometry, with the polygon and ring it is in.
    #[error("{0}")]
    Geometry(Located),
    #[error("missing id (give the Feature an id or an \"id\" property)")]
    NoId,
    /// Another zone (its index in the file) has the same id.
    #[error("duplicate id (zone {0} has the same id)")]
    DuplicateId(usize),
    /// A GeoJSON geometry type that is not a polygon.
    #[error("{0} geometry is not a zone (expects Polygon or MultiPolygon)")]
    NotAZone(String),
    #[error("unknown geometry type {0:?} (expects Polygon or MultiPolygon)")]
    UnknownGeometryType(String),
    #[error("MultiPolygon has no polygons")]
    NoPolygons,
    /// A rule property that must be a boolean.
    #[error("property {name} is {found} (expected true or false)")]
    NotABoolean { name: &'static str, found: JsonKind },
    /// `dwell_s` is a number that is not > 0 (the number as written).
    #[error("dwell_s is {0} (expected a number of seconds > 0)")]
    DwellNotPositive(String),
    #[error("dwell_s is {0} (expected a number of seconds > 0)")]
    DwellNotANumber(JsonKind),
    #[error("{0}")]
    Shape(ShapeError),
}

/// A zone that was skipped, and why. `Display`, for logs: `zone "port": ring 0 is not closed
/// …`, or `zone 3: missing id …` when there is no id.
#[derive(Clone, Debug, PartialEq)]
pub struct ZoneError {
    /// Index in the source `features` array.
    pub index: usize,
    pub id: Option<String>,
    /// The feature's `name` property, if it is a non-empty string.
    pub name: Option<String>,
    pub problem: ZoneProblem,
}

impl fmt::Display for ZoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.id {
            Some(id) => write!(f, "zone {}: {}", quote(id), self.problem),
            None => write!(f, "zone {}: {}", self.index, self.problem),
        }
    }
}

/// Why a whole zones file could not be read.
#[derive(thiserror::Error, Debug, Clone, PartialEq)]
pub enum ZoneFileError {
    /// serde_json's description.
    #[error("zones file is not valid JSON: {0}")]
    Json(String),
    /// Not a FeatureCollection, a Feature or a geometry (RFC 7946 §2).
    #[error("zones file is not GeoJSON: {0}")]
    NotGeoJson(RootProblem),
}

/// The zones read from one file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ZoneSet {
    pub zones: Vec<Zone>,
    pub rejected: Vec<ZoneError>,
}

// ---------------------------------------------------------------------------
// Geometry validation.

/// A closed ring of degrees to EPSG:3857 without repeated consecutive positions.
fn project_ring(ring: &[LonLat], ri: usize) -> Result<LineString<f64>, RingProblem> {
    if ring.len() < 4 {
        return Err(RingProblem::TooFewPositions {
            ring: ri,
            positions: ring.len(),
        });
    }
    if ring.first() != ring.last() {
        return Err(RingProblem::NotClosed(ri));
    }
    let mut out: Vec<Mercator> = Vec::with_capacity(ring.len());
    for p in ring {
        if !(p.lon.is_finite() && p.lat.is_finite()) {
            return Err(RingProblem::NotFinite(ri));
        }
        if !(-180.0..=180.0).contains(&p.lon) || !(-MAX_LAT..=MAX_LAT).contains(&p.lat) {
            return Err(RingProblem::OutOfRange {
                ring: ri,
                lon: p.lon,
                lat: p.lat,
            });
        }
        let m = to_mercator(*p);
        if out.last() != Some(&m) {
            out.push(m);
        }
    }
    // out is closed (first == last) and free of consecutive duplicates.
    if out.len() < 4 {
        return Err(RingProblem::TooFewDistinct(ri));
    }
    Ok(out.into_iter().map(geo::Coord::from).collect())
}

type EdgeBox = GeomWithData<Rectangle<[f64; 2]>, (usize, usize)>;

/// Closed polygon rings (degrees) to a validated EPSG:3857 polygon (exterior, then holes);
/// the error names the ring.
fn validate_polygon(rings: &[Vec<LonLat>]) -> Result<Polygon<f64>, RingProblem> {
    if rings.is_empty() {
        return Err(RingProblem::NoRings);
    }
    let rings: Vec<LineString<f64>> = rings
        .iter()
        .enumerate()
        .map(|(ri, r)| project_ring(r, ri))
        .collect::<Result<_, _>>()?;

    // Every edge against every other edge whose box it meets.
    let mut boxes: Vec<EdgeBox> = Vec::new();
    for (ri, r) in rings.iter().enumerate() {
        for (ei, (a, b)) in ring_edges(r).enumerate() {
            boxes.push(GeomWithData::new(
                Rectangle::from_corners([a.x, a.y], [b.x, b.y]),
                (ri, ei),
            ));
        }
    }
    let tree = RTree::bulk_load(boxes.clone());
    let edge = |ri: usize, ei: usize| -> Option<(Mercator, Mercator)> {
        let r = rings.get(ri)?;
        Some(((*r.0.get(ei)?).into(), (*r.0.get(ei + 1)?).into()))
    };
    for b in &boxes {
        let (ri, ei) = b.data;
        let Some((p, q)) = edge(ri, ei) else { continue };
        let env = AABB::from_corners([p.x.min(q.x), p.y.min(q.y)], [p.x.max(q.x), p.y.max(q.y)]);
        let mut others: Vec<(usize, usize)> = tree
            .locate_in_envelope_intersecting(&env)
            .map(|o| o.data)
            .filter(|&o| o > (ri, ei))
            .collect();
        crate::compact_sort::sort_by(&mut others, Ord::cmp);
        for (rj, ej) in others {
            let Some((s, t)) = edge(rj, ej) else { continue };
            let contact = segment_contact(p, q, s, t);
            if rj == ri {
                let n = rings.get(ri).map_or(0, |r| r.0.len().saturating_sub(1));
                let adjacent = ej == ei + 1 || (ei == 0 && ej + 1 == n);
                match contact {
                    SegmentContact::None => {}
                    SegmentContact::Point(_) if adjacent => {}
                    SegmentContact::Overlap(m) if adjacent => {
                        let near = Near::at(m);
                        return Err(RingProblem::DoublesBack { ring: ri, near });
                    }
                    SegmentContact::Point(m) | SegmentContact::Overlap(m) => {
                        let near = Near::at(m);
                        return Err(RingProblem::IntersectsItself { ring: ri, near });
                    }
                }
            } else {
                match contact {
                    SegmentContact::None => {}
                    SegmentContact::Overlap(m) => {
                        return Err(RingProblem::Overlaps {
                            ring: rj,
                            other: ri,
                            near: Near::at(m),
                        });
                    }
                    SegmentContact::Point(m) => {
                        // Touching at one point (a vertex on the other ring) is allowed;
                        // a proper crossing is not.
                        let touch = [p, q, s, t].contains(&m)
                            || orient(p, q, s) == 0.0
                            || orient(p, q, t) == 0.0
                            || orient(s, t, p) == 0.0
                            || orient(s, t, q) == 0.0;
                        if !touch {
                            return Err(RingProblem::Crosses {
                                ring: rj,
                                other: ri,
                                near: Near::at(m),
                            });
                        }
                    }
                }
            }
        }
    }

    // A simple ring with no area: all its positions on one line.
    for (ri, r) in rings.iter().enumerate() {
        if Polygon::new(r.clone(), Vec::new()).unsigned_area() <= 1e-6 {
            return Err(RingProblem::NoArea(ri));
        }
    }

    // Holes inside the exterior, and not inside one another: the first vertex of the hole
    // off the other ring's boundary, and where it is.
    let probe = |hole: &LineString<f64>, other: &LineString<f64>| {
        hole.coords()
            .map(|c| ((*c).into(), rings_position((*c).into(), [other])))
            .find(|(_, at)| *at != PointPosition::OnBoundary)
    };
    let mut rings = rings.into_iter();
    let Some(shell) = rings.next() else {
        return Err(RingProblem::NoRings);
    };
    let holes: Vec<LineString<f64>> = rings.collect();
    for (hi, hole) in holes.iter().enumerate() {
        if let Some((v, PointPosition::Outside)) = probe(hole, &shell) {
            return Err(RingProblem::HoleOutside {
                ring: hi + 1,
                near: Near::at(v),
            });
        }
        for (hj, other) in holes.iter().enumerate() {
            if hj == hi {
                continue;
            }
            if let Some((v, PointPosition::Inside)) = probe(hole, other) {
                return Err(RingProblem::HoleInHole {
                    ring: hi + 1,
                    other: hj + 1,
                    near: Near::at(v),
                });
            }
        }
    }
    Ok(Polygon::new(shell, holes))
}

// ---------------------------------------------------------------------------
// GeoJSON.

// The text, root, feature envelope and geometry are read as the layers' (`geojson_read`), so
// the messages match; a latitude beyond the Web Mercator limit is rejected by the ring checks
// above.

/// Polygon `pi` of a MultiPolygon: its index on a problem of its rings.
fn in_polygon(pi: usize, e: ZoneProblem) -> ZoneProblem {
    match e {
        ZoneProblem::Geometry(l) => ZoneProblem::Geometry(Located {
            polygon: Some(pi),
            ..l
        }),
        ZoneProblem::Shape(ShapeError::Polygon { problem, .. }) => {
            ZoneProblem::Shape(ShapeError::Polygon {
                polygon: Some(pi),
                problem,
            })
        }
        other => other,
    }
}

fn polygon_coords(rings: &[Vec<Position>]) -> Result<Vec<Vec<LonLat>>, ZoneProblem> {
    if rings.is_empty() {
        return Err(ZoneProblem::Shape(ShapeError::Polygon {
            polygon: None,
            problem: RingProblem::NoRings,
        }));
    }
    rings
        .iter()
        .enumerate()
        .map(|(ri, r)| {
            r.iter()
                .map(|p| {
                    lonlat(p).map_err(|problem| {
                        ZoneProblem::Geometry(Located {
                            polygon: None,
                            ring: Some(ri),
                            problem,
                        })
                    })
                })
                .collect()
        })
        .collect()
}

/// The zone's polygons in degrees: its geometry must be a Polygon or a MultiPolygon.
fn zone_polygons(f: &J) -> Result<Vec<Vec<Vec<LonLat>>>, ZoneProblem> {
    let g = match f.get("geometry") {
        None => return Err(ZoneProblem::Feature(FeatureProblem::GeometryMissing)),
        Some(J::Null) => return Err(ZoneProblem::Feature(FeatureProblem::GeometryNull)),
        Some(g) => g,
    };
    match g.get("type") {
        Some(J::String(t)) if t == "Polygon" || t == "MultiPolygon" => {}
        Some(J::String(t))
            if [
                "Point",
                "MultiPoint",
                "LineString",
                "MultiLineString",
                "GeometryCollection",
            ]
            .contains(&t.as_str()) =>
        {
            return Err(ZoneProblem::NotAZone(t.clone()));
        }
        Some(J::String(t)) => return Err(ZoneProblem::UnknownGeometryType(t.clone())),
        _ => {}
    }
    match read_geometry(g).map_err(ZoneProblem::Geometry)?.value {
        GeometryValue::Polygon { coordinates } => Ok(vec![polygon_coords(&coordinates)?]),
        GeometryValue::MultiPolygon { coordinates } => {
            if coordinates.is_empty() {
                return Err(ZoneProblem::NoPolygons);
            }
            coordinates
                .iter()
                .enumerate()
                .map(|(pi, p)| polygon_coords(p).map_err(|e| in_polygon(pi, e)))
                .collect()
        }
        other => Err(ZoneProblem::NotAZone(other.type_name().to_string())),
    }
}

fn flag(
    props: Option<&Map<String, J>>,
    name: &'static str,
    default: bool,
) -> Result<bool, ZoneProblem> {
    match props.and_then(|p| p.get(name)) {
        None | Some(J::Null) => Ok(default),
        Some(J::Bool(b)) => Ok(*b),
        Some(other) => Err(ZoneProblem::NotABoolean {
            name,
            found: JsonKind::of(other),
        }),
    }
}

fn zone_feature(f: &J, id: Option<String>) -> Result<Zone, ZoneProblem> {
    let props = feature_properties(f).map_err(ZoneProblem::Feature)?;
    let Some(id) = id else {
        return Err(ZoneProblem::NoId);
    };
    let text = |name: &str| match props.and_then(|p| p.get(name)) {
        Some(J::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    };
    let kind = text("kind").map_or(ZoneKind::Other, |k| ZoneKind::from_str_lossy(&k));
    let defaults = ZoneRules::defaults(kind);
    let dwell_s = match props.and_then(|p| p.get("dwell_s")) {
        None | Some(J::Null) => None,
        Some(J::Number(n)) => match n.as_f64() {
            Some(s) if s.is_finite() && s > 0.0 => Some(s),
            _ => return Err(ZoneProblem::DwellNotPositive(n.to_string())),
        },
        Some(other) => return Err(ZoneProblem::DwellNotANumber(JsonKind::of(other))),
    };
    let rules = ZoneRules {
        alert_on_enter: flag(props, "alert_on_enter", defaults.alert_on_enter)?,
        alert_on_exit: flag(props, "alert_on_exit", defaults.alert_on_exit)?,
        dwell_s,
        critical: flag(props, "critical", defaults.critical)?,
    };
    let polys = zone_polygons(f)?;
    let mut zone = Zone::new(id, text("name"), kind, rules, &polys).map_err(ZoneProblem::Shape)?;
    zone.properties = property_texts(props);
    Ok(zone)
}

/// The feature's `name` property, if it is a non-empty string (trimmed).
fn feature_name(f: &J) -> Option<String> {
    match f.get("properties")?.get("name")? {
        J::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    }
}

/// Read a zones GeoJSON text: a FeatureCollection, a single Feature or a bare geometry (a zone
/// that then has no id, so is rejected), as [`crate::ingest::ingest_layer`] takes them. Fails
/// as a whole only if the text is not JSON (bare `NaN`/`Infinity` tokens are read as null,
/// then rejected per zone) or none of these; every feature is validated on its own.
pub fn parse_zones(text: &str) -> Result<ZoneSet, ZoneFileError> {
    let root = parse_text(text).map_err(ZoneFileError::Json)?;
    let features = root_features(&root).map_err(ZoneFileError::NotGeoJson)?;
    let mut set = ZoneSet::default();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (index, f) in features.iter().enumerate() {
        let id = feature_id(f, true);
        let result = match id.as_ref().and_then(|i| seen.get(i)) {
            Some(first) => Err(ZoneProblem::DuplicateId(*first)),
            None => zone_feature(f, id.clone()),
        };
        match result {
            Ok(z) => {
                seen.insert(z.id.clone(), index);
                set.zones.push(z);
            }
            Err(problem) => set.rejected.push(ZoneError {
                index,
                id,
                name: feature_name(f),
                problem,
            }),
        }
    }
    Ok(set)
}

/// A JSON-quoted string (for ids in messages and exports).
pub fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("{s:?}"))
}

/// A coordinate rounded to 7 decimals (about 1 cm), never `-0`: written by serde_json as the
/// shortest text that reads back to it, so at most 7 decimals.
pub(crate) fn coord7(v: f64) -> f64 {
    (v * 1e7).round() / 1e7 + 0.0
}

/// A JSON number for `v`: an integer when `v` is a whole number (`45`, as the zones file has
/// always been written), else the float; `null` when not finite.
fn number(v: f64) -> serde_json::Value {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    if v.fract() == 0.0 && v.abs() < EXACT {
        #[allow(clippy::cast_possible_truncation)] // whole and below 2^53: exact
        return serde_json::Value::from(v as i64);
    }
    serde_json::Number::from_f64(v).map_or(serde_json::Value::Null, serde_json::Value::Number)
}

/// One zone as a GeoJSON Feature (degrees, 7 decimals; properties in the order written).
fn zone_feature_out(z: &Zone) -> geojson::Feature {
    let mut polys: Vec<geojson::PolygonType> = z
        .polygons
        .iter()
        .map(|polygon| {
            crate::geometry::rings(polygon)
                .map(|r| {
                    r.coords()
                        .map(|c| {
                            let ll = to_lonlat((*c).into());
                            geojson::Position::from([coord7(ll.lon), coord7(ll.lat)])
                        })
                        .collect()
                })
                .collect()
        })
        .collect();
    let value = if polys.len() == 1
        && let Some(one) = polys.pop()
    {
        geojson::GeometryValue::Polygon { coordinates: one }
    } else {
        geojson::GeometryValue::MultiPolygon { coordinates: polys }
    };
    let mut props = geojson::JsonObject::new();
    props.insert("id".into(), z.id.clone().into());
    props.insert("name".into(), z.name.clone().into());
    props.insert("kind".into(), z.kind.key().into());
    props.insert("alert_on_enter".into(), z.rules.alert_on_enter.into());
    props.insert("alert_on_exit".into(), z.rules.alert_on_exit.into());
    if let Some(s) = z.rules.dwell_s {
        props.insert("dwell_s".into(), number(s));
    }
    props.insert("critical".into(), z.rules.critical.into());
    geojson::Feature {
        bbox: None,
        geometry: Some(geojson::Geometry::new(value)),
        id: Some(geojson::feature::Id::String(z.id.clone())),
        properties: Some(props),
        foreign_members: None,
    }
}

/// Zones back to a GeoJSON FeatureCollection (degrees WGS84, 7 decimals), with the
/// properties this module reads: `id`, `name`, `kind`, `alert_on_enter`, `alert_on_exit`,
/// `dwell_s` (when set) and `critical`, in that order. [`parse_zones`] reads it back to the
/// same zones (up to the 7-decimal rounding). The text ends with `]}` and a line feed.
pub fn zones_to_geojson(zones: &[Zone]) -> String {
    let fc = geojson::FeatureCollection::new(zones.iter().map(zone_feature_out));
    // Serialising these values cannot fail (string keys, finite numbers); "" if it ever did.
    let mut out = serde_json::to_string(&fc).unwrap_or_default();
    out.push('\n');
    out
}
