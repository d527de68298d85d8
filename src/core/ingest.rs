//! GeoJSON (RFC 7946) text to [`LayerData`], validated feature by feature.
//!
//! Input coordinates are degrees WGS84; output geometry is EPSG:3857 metres
//! ([`Mercator`]); camera ranges are ground metres. A malformed feature is
//! skipped with a human-readable reason and the rest of the layer still loads.
//! Nothing here panics on any input and no I/O is done.

use super::camera::fov_sector;
use super::config::PropertyNames;
pub use super::json::replace_non_finite_tokens;
use super::json::{display, kind, number_lossy, parse_value};
use super::model::{
    Camera, Feature, FeatureKind, FenceKind, LayerData, LayerId, PortKind, Properties, Shape,
    SkippedFeature,
};
use super::projection::to_mercator;
use super::units::{Bearing, LonLat, Mercator};
use super::viewport::MercatorBounds;
use serde_json::Value as J;
use std::borrow::Cow;

/// Why a whole layer could not be read.
#[derive(thiserror::Error, Debug, Clone, PartialEq)]
pub enum IngestError {
    #[error("not valid JSON: {0}")]
    Json(String),
    /// Not a FeatureCollection, a Feature or a geometry (RFC 7946 §2).
    #[error("not GeoJSON: {0}")]
    NotGeoJson(String),
}

// ---------------------------------------------------------------------------
// Text level.

fn parse_json(text: &str) -> Result<J, IngestError> {
    parse_value(text).map_err(IngestError::Json)
}

// ---------------------------------------------------------------------------
// Geometry.

/// Geometry in degrees, before projection.
enum Geo {
    Point(LonLat),
    Line(Vec<LonLat>),
    Polygon(Vec<Vec<LonLat>>),
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

fn allowed(layer: LayerId) -> &'static [&'static str] {
    match layer {
        LayerId::Basemap => &["Polygon", "MultiPolygon"],
        LayerId::Fences => &["LineString", "MultiLineString", "Polygon", "MultiPolygon"],
        LayerId::Cameras => &["Point"],
        LayerId::Ports => &["Point", "Polygon", "MultiPolygon"],
    }
}

fn allowed_text(layer: LayerId) -> String {
    let a = allowed(layer);
    match a {
        [] => String::from("nothing"),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} or {}", init.join(", "), last),
    }
}

/// Short text for a coordinate in a message: plain for ordinary values
/// (`1.8`, `95`), scientific for huge or tiny ones (`1e308`).
fn fmt_coord(v: f64) -> String {
    let a = v.abs();
    if a != 0.0 && !(1e-6..1e7).contains(&a) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

pub(crate) fn position(v: &J) -> Result<LonLat, String> {
    let J::Array(a) = v else {
        return Err(format!("position is {} (expected an array)", kind(v)));
    };
    let (Some(x), Some(y)) = (a.first(), a.get(1)) else {
        return Err(format!(
            "position has {} number(s) (needs at least 2)",
            a.len()
        ));
    };
    let num = |c: &J| -> Result<f64, String> {
        match c {
            J::Null => Err("coordinate is NaN or infinite".to_string()),
            J::Number(n) => n
                .as_f64()
                .filter(|f| f.is_finite())
                .ok_or_else(|| "coordinate is NaN or infinite".to_string()),
            other => Err(format!("coordinate is {} (expected a number)", kind(other))),
        }
    };
    let lon = num(x)?;
    let lat = num(y)?;
    if !(-180.0..=180.0).contains(&lon) {
        return Err(format!(
            "coordinate [{}, {}] out of range (lon must be in -180..180)",
            fmt_coord(lon),
            fmt_coord(lat)
        ));
    }
    if !(-90.0..=90.0).contains(&lat) {
        return Err(format!(
            "coordinate [{}, {}] out of range (lat must be in -90..90)",
            fmt_coord(lon),
            fmt_coord(lat)
        ));
    }
    LonLat::new(lon, lat).ok_or_else(|| "coordinate is NaN or infinite".to_string())
}

/// The `properties` of a GeoJSON Feature (`None` when absent or null), or why `f` is not a
/// Feature (the text the layer and zones readers both show).
pub(crate) fn feature_properties(f: &J) -> Result<Option<&J>, String> {
    let J::Object(_) = f else {
        return Err(format!("feature is {} (expected an object)", kind(f)));
    };
    match f.get("type") {
        Some(J::String(t)) if t == "Feature" => {}
        Some(J::String(t)) => return Err(format!("type is {t:?} (expected \"Feature\")")),
        Some(other) => return Err(format!("type is {} (expected \"Feature\")", kind(other))),
        None => return Err("feature has no type".to_string()),
    }
    match f.get("properties") {
        None | Some(J::Null) => Ok(None),
        Some(p @ J::Object(_)) => Ok(Some(p)),
        Some(other) => Err(format!(
            "properties is {} (expected an object or null)",
            kind(other)
        )),
    }
}

/// The features of a GeoJSON text's root, or why the root is not GeoJSON (the text the layer
/// and zones readers both show).
///
/// RFC 7946 §2: a GeoJSON text is a FeatureCollection, a Feature or a geometry. A
/// FeatureCollection gives its `features` (each validated later on its own); a Feature gives
/// itself (it must have the `geometry` member RFC 7946 §3.2 requires, else nothing says it is
/// a Feature); a geometry gives one Feature with that geometry and no properties. `bbox` and
/// foreign members are accepted and ignored.
pub(crate) fn root_features<'a>(root: &'a J) -> Result<Vec<Cow<'a, J>>, String> {
    if !matches!(root, J::Object(_)) {
        return Err(format!("top level is {}", kind(root)));
    }
    let t = match root.get("type") {
        Some(J::String(t)) => t.as_ref(),
        Some(other) => return Err(format!("type is {}", kind(other))),
        None => return Err("no \"type\" member".to_string()),
    };
    match t {
        "FeatureCollection" => match root.get("features") {
            Some(J::Array(a)) => Ok(a.iter().map(Cow::Borrowed).collect()),
            Some(other) => Err(format!("no features array (features is {})", kind(other))),
            None => Err("no features array".to_string()),
        },
        "Feature" if root.get("geometry").is_none() => {
            Err("a Feature with no \"geometry\" member".to_string())
        }
        "Feature" => Ok(vec![Cow::Borrowed(root)]),
        g if GEOMETRY_TYPES.contains(&g) => {
            let mut f = serde_json::Map::new();
            f.insert("type".into(), "Feature".into());
            f.insert("geometry".into(), root.clone());
            f.insert("properties".into(), J::Null);
            Ok(vec![Cow::Owned(J::Object(f))])
        }
        other => Err(format!(
            "type is {other:?} (expected \"FeatureCollection\", \"Feature\" or a geometry type)"
        )),
    }
}

pub(crate) fn array<'a>(v: &'a J, what: &str) -> Result<&'a [J], String> {
    match v {
        J::Array(a) => Ok(a),
        other => Err(format!("{what} is {} (expected an array)", kind(other))),
    }
}

fn line(v: &J) -> Result<Vec<LonLat>, String> {
    let a = array(v, "line coordinates")?;
    if a.is_empty() {
        return Err("empty geometry".to_string());
    }
    if a.len() < 2 {
        return Err("line has fewer than 2 positions".to_string());
    }
    a.iter().map(position).collect()
}

fn ring(v: &J) -> Result<Vec<LonLat>, String> {
    let a = array(v, "polygon ring")?;
    if a.len() < 4 {
        return Err(format!(
            "polygon ring has {} positions (needs at least 4)",
            a.len()
        ));
    }
    let pts: Vec<LonLat> = a.iter().map(position).collect::<Result<_, _>>()?;
    if pts.first() != pts.last() {
        return Err("polygon ring not closed".to_string());
    }
    Ok(pts)
}

fn polygon(v: &J) -> Result<Vec<Vec<LonLat>>, String> {
    let a = array(v, "polygon coordinates")?;
    if a.is_empty() {
        return Err("empty geometry".to_string());
    }
    a.iter().map(ring).collect()
}

fn non_empty_members<'a>(v: &'a J, what: &str) -> Result<&'a [J], String> {
    let a = array(v, what)?;
    if a.is_empty() {
        Err("empty geometry".to_string())
    } else {
        Ok(a)
    }
}

/// Parse one GeoJSON geometry object (not null) into flattened shapes, enforcing
/// the layer's allowed geometry types.
fn geometry(g: &J, layer: LayerId, out: &mut Vec<Geo>) -> Result<(), String> {
    if !matches!(g, J::Object(_)) {
        return Err(format!("geometry is {} (expected an object)", kind(g)));
    }
    let t = match g.get("type") {
        Some(J::String(t)) => t.as_ref(),
        Some(other) => return Err(format!("geometry type is {}", kind(other))),
        None => return Err("geometry has no type".to_string()),
    };
    if !GEOMETRY_TYPES.contains(&t) {
        return Err(format!("unknown geometry type {t:?}"));
    }
    if t == "GeometryCollection" {
        let members = match g.get("geometries") {
            Some(v) => non_empty_members(v, "geometries")?,
            None => return Err("GeometryCollection has no geometries array".to_string()),
        };
        for (i, m) in members.iter().enumerate() {
            if matches!(m, J::Null) {
                return Err(format!("GeometryCollection member {i} is null"));
            }
            geometry(m, layer, out)?;
        }
        return Ok(());
    }
    if !allowed(layer).contains(&t) {
        return Err(format!(
            "{t} geometry not allowed in layer {} (expects {})",
            layer.key(),
            allowed_text(layer)
        ));
    }
    let coords = match g.get("coordinates") {
        None | Some(J::Null) => return Err("geometry has no coordinates".to_string()),
        Some(c) => c,
    };
    match t {
        "Point" => {
            if matches!(coords, J::Array(a) if a.is_empty()) {
                return Err("empty geometry".to_string());
            }
            out.push(Geo::Point(position(coords)?));
        }
        "MultiPoint" => {
            for p in non_empty_members(coords, "MultiPoint coordinates")? {
                out.push(Geo::Point(position(p)?));
            }
        }
        "LineString" => out.push(Geo::Line(line(coords)?)),
        "MultiLineString" => {
            for l in non_empty_members(coords, "MultiLineString coordinates")? {
                out.push(Geo::Line(line(l)?));
            }
        }
        "Polygon" => out.push(Geo::Polygon(polygon(coords)?)),
        "MultiPolygon" => {
            for p in non_empty_members(coords, "MultiPolygon coordinates")? {
                out.push(Geo::Polygon(polygon(p)?));
            }
        }
        _ => return Err(format!("unknown geometry type {t:?}")),
    }
    Ok(())
}

fn project(g: &Geo, bounds: &mut MercatorBounds) -> Shape {
    let mut proj = |pts: &[LonLat]| -> Vec<Mercator> {
        pts.iter()
            .map(|p| {
                let m = to_mercator(*p);
                bounds.extend(m);
                m
            })
            .collect()
    };
    match g {
        Geo::Point(p) => {
            let m = to_mercator(*p);
            bounds.extend(m);
            Shape::Point(m)
        }
        Geo::Line(l) => Shape::Line(proj(l)),
        Geo::Polygon(rings) => Shape::Polygon(rings.iter().map(|r| proj(r)).collect()),
    }
}

// ---------------------------------------------------------------------------
// Features.

fn id_text(v: &J) -> Option<String> {
    match v {
        J::String(s) => Some(s.to_string()),
        J::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn feature_id(f: &J) -> Option<String> {
    f.get("id").and_then(id_text).or_else(|| {
        f.get("properties")
            .and_then(|p| p.get("id"))
            .and_then(id_text)
    })
}

fn camera(
    props: Option<&J>,
    names: &PropertyNames,
    geos: &[Geo],
    bounds: &mut MercatorBounds,
) -> Result<Camera, String> {
    let position = match geos {
        [Geo::Point(p)] => *p,
        _ => return Err("camera needs exactly one Point".to_string()),
    };
    let num = |name: &str| props.and_then(|p| p.get(name)).and_then(number_lossy);
    let bearing = num(&names.bearing)
        .and_then(Bearing::new)
        .ok_or_else(|| "camera bearing missing or not a number".to_string())?;
    let fov_deg =
        num(&names.fov).ok_or_else(|| "camera fov missing or not a number".to_string())?;
    if !(fov_deg > 0.0 && fov_deg <= 360.0) {
        return Err("camera fov must be in (0, 360]".to_string());
    }
    let range_m =
        num(&names.range).ok_or_else(|| "camera range missing or not a number".to_string())?;
    if range_m <= 0.0 {
        return Err("camera range must be > 0 m".to_string());
    }
    let sector: Vec<Mercator> = fov_sector(position, bearing, fov_deg, range_m)
        .into_iter()
        .map(|p| {
            let m = to_mercator(p);
            bounds.extend(m);
            m
        })
        .collect();
    Ok(Camera {
        position,
        bearing,
        fov_deg,
        range_m,
        sector,
    })
}

fn feature(
    layer: LayerId,
    index: usize,
    f: &J,
    names: &PropertyNames,
    id: Option<String>,
) -> Result<Feature, String> {
    let props = feature_properties(f)?;
    let mut geos = Vec::new();
    match f.get("geometry") {
        None => return Err("geometry is missing".to_string()),
        Some(J::Null) => return Err("geometry is null".to_string()),
        Some(g) => geometry(g, layer, &mut geos)?,
    }
    if geos.is_empty() {
        return Err("empty geometry".to_string());
    }

    let mut bounds = MercatorBounds::empty();
    let shapes: Vec<Shape> = geos.iter().map(|g| project(g, &mut bounds)).collect();
    let text_prop = |name: &str| match props.and_then(|p| p.get(name)) {
        Some(J::String(s)) if !s.trim().is_empty() => Some(s.clone()),
        _ => None,
    };
    let kind = match layer {
        LayerId::Basemap => FeatureKind::Land,
        LayerId::Fences => FeatureKind::Fence(
            text_prop(&names.kind).map_or(FenceKind::Other, |k| FenceKind::from_str_lossy(&k)),
        ),
        LayerId::Ports => FeatureKind::Port(
            text_prop(&names.kind).map_or(PortKind::Other, |k| PortKind::from_str_lossy(&k)),
        ),
        LayerId::Cameras => FeatureKind::Camera(camera(props, names, &geos, &mut bounds)?),
    };
    let properties: Properties = match props {
        Some(J::Object(m)) => m.iter().map(|(k, v)| (k.clone(), display(v))).collect(),
        _ => Vec::new(),
    };
    if bounds.is_empty() {
        return Err("empty geometry".to_string());
    }
    Ok(Feature {
        id: id.unwrap_or_else(|| format!("{}#{}", layer.key(), index)),
        name: text_prop(&names.name).map(|n| n.to_string()),
        kind,
        shapes,
        bounds,
        properties,
    })
}

/// Parse a layer's GeoJSON text.
///
/// Any RFC 7946 GeoJSON text: a FeatureCollection, a single Feature or a bare geometry (one
/// feature with no properties); `bbox` and foreign members are ignored, ring winding is not
/// checked. The whole layer fails only if the text is not JSON (even after replacing bare
/// `NaN`/`Infinity` tokens with `null`) or is none of these; otherwise each feature is
/// validated on its own and bad ones land in `skipped` with a reason such as
/// `"feature 3: geometry is null"` (N = index in the features array, 0 for a lone Feature or
/// geometry).
pub fn ingest_layer(
    layer: LayerId,
    text: &str,
    names: &PropertyNames,
) -> Result<LayerData, IngestError> {
    let root = parse_json(text)?;
    let features = root_features(&root).map_err(IngestError::NotGeoJson)?;

    let mut data = LayerData::empty(layer);
    for (index, f) in features.iter().enumerate() {
        let id = feature_id(f);
        match feature(layer, index, f, names, id.clone()) {
            Ok(feat) => {
                data.bounds = data.bounds.union(&feat.bounds);
                data.features.push(feat);
            }
            Err(detail) => data.skipped.push(SkippedFeature {
                index,
                id,
                reason: format!("feature {index}: {detail}"),
            }),
        }
    }
    Ok(data)
}
