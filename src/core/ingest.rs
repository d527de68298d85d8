//! GeoJSON (RFC 7946) text to [`LayerData`], validated feature by feature.
//!
//! Input coordinates are degrees WGS84; output geometry is geo-types in EPSG:3857 metres
//! ([`Shape`]); camera ranges are ground metres. The text, its root and each feature's envelope
//! and geometry (a [`geojson::Geometry`]) are read by [`geojson_read`](crate::geojson_read);
//! here the layer's rules apply (which geometry types it takes, cameras' properties). A
//! malformed feature is skipped with a [`FeatureProblem`] and the rest of the layer still
//! loads. Nothing here panics on any input and no I/O is done.

use super::camera::fov_sector;
use super::config::PropertyNames;
pub use super::geojson_read::{FeatureProblem, RootProblem, replace_non_finite_tokens};
use super::geojson_read::{
    feature_geometry, feature_id, feature_properties, lonlat, number_lossy, parse_text,
    property_texts, root_features, type_name,
};
use super::model::{
    Camera, Feature, FeatureKind, FenceKind, LayerData, LayerId, PortKind, Shape, SkippedFeature,
};
use super::projection::to_mercator;
use super::units::{Bearing, LonLat};
use super::viewport::MercatorBounds;
use geo::{Coord, LineString, Polygon};
use geojson::{Geometry, GeometryValue, Position};
use serde_json::{Map, Value as J};

/// Why a whole layer could not be read.
#[derive(thiserror::Error, Debug, Clone, PartialEq)]
pub enum IngestError {
    #[error("not valid JSON: {0}")]
    Json(String),
    /// Not a FeatureCollection, a Feature or a geometry (RFC 7946 §2).
    #[error("not GeoJSON: {0}")]
    NotGeoJson(RootProblem),
}

// ---------------------------------------------------------------------------
// Geometry.

/// Geometry in degrees, before projection.
enum Geo {
    Point(LonLat),
    Line(Vec<LonLat>),
    Polygon(Vec<Vec<LonLat>>),
}

fn allowed(layer: LayerId) -> &'static [&'static str] {
    match layer {
        LayerId::Basemap => &["Polygon", "MultiPolygon"],
        LayerId::Fences => &["LineString", "MultiLineString", "Polygon", "MultiPolygon"],
        LayerId::Cameras => &["Point"],
        LayerId::Ports => &["Point", "Polygon", "MultiPolygon"],
    }
}

fn non_empty<T>(members: &[T]) -> Result<&[T], FeatureProblem> {
    if members.is_empty() {
        Err(FeatureProblem::Empty)
    } else {
        Ok(members)
    }
}

fn line(positions: &[Position]) -> Result<Vec<LonLat>, FeatureProblem> {
    match non_empty(positions)? {
        [_] => Err(FeatureProblem::LineTooShort),
        all => all.iter().map(lonlat).collect(),
    }
}

/// A ring: at least 4 positions, closed (either winding).
fn ring(positions: &[Position]) -> Result<Vec<LonLat>, FeatureProblem> {
    if positions.len() < 4 {
        return Err(FeatureProblem::RingTooShort(positions.len()));
    }
    let pts: Vec<LonLat> = positions.iter().map(lonlat).collect::<Result<_, _>>()?;
    if pts.first() != pts.last() {
        return Err(FeatureProblem::RingNotClosed);
    }
    Ok(pts)
}

fn polygon(rings: &[Vec<Position>]) -> Result<Vec<Vec<LonLat>>, FeatureProblem> {
    non_empty(rings)?.iter().map(|r| ring(r)).collect()
}

/// One geometry into flattened shapes (collections and multi-geometries into their members),
/// enforcing the layer's allowed geometry types.
fn geometry(g: &Geometry, layer: LayerId, out: &mut Vec<Geo>) -> Result<(), FeatureProblem> {
    if let GeometryValue::GeometryCollection { geometries } = &g.value {
        for m in non_empty(geometries)? {
            geometry(m, layer, out)?;
        }
        return Ok(());
    }
    let t = type_name(&g.value);
    if !allowed(layer).contains(&t) {
        return Err(FeatureProblem::NotAllowed {
            geometry: t,
            layer: layer.key(),
            expects: allowed(layer),
        });
    }
    match &g.value {
        GeometryValue::Point { coordinates } => out.push(Geo::Point(lonlat(coordinates)?)),
        GeometryValue::MultiPoint { coordinates } => {
            for p in non_empty(coordinates)? {
                out.push(Geo::Point(lonlat(p)?));
            }
        }
        GeometryValue::LineString { coordinates } => out.push(Geo::Line(line(coordinates)?)),
        GeometryValue::MultiLineString { coordinates } => {
            for l in non_empty(coordinates)? {
                out.push(Geo::Line(line(l)?));
            }
        }
        GeometryValue::Polygon { coordinates } => out.push(Geo::Polygon(polygon(coordinates)?)),
        GeometryValue::MultiPolygon { coordinates } => {
            for p in non_empty(coordinates)? {
                out.push(Geo::Polygon(polygon(p)?));
            }
        }
        GeometryValue::GeometryCollection { .. } => {}
    }
    Ok(())
}

/// Degrees to an EPSG:3857 geo-types coordinate, growing `bounds`.
fn project_coord(p: LonLat, bounds: &mut MercatorBounds) -> Coord<f64> {
    let m = to_mercator(p);
    bounds.extend(m);
    m.into()
}

fn project(g: &Geo, bounds: &mut MercatorBounds) -> Shape {
    let mut line = |pts: &[LonLat]| -> LineString<f64> {
        pts.iter().map(|p| project_coord(*p, bounds)).collect()
    };
    match g {
        Geo::Point(p) => Shape::Point(project_coord(*p, bounds).into()),
        Geo::Line(l) => Shape::Line(line(l)),
        Geo::Polygon(rings) => {
            let mut rings = rings.iter().map(|r| line(r));
            let exterior = rings.next().unwrap_or_else(|| LineString::new(Vec::new()));
            Shape::Polygon(Polygon::new(exterior, rings.collect()))
        }
    }
}

// ---------------------------------------------------------------------------
// Features.

fn camera(
    props: Option<&Map<String, J>>,
    names: &PropertyNames,
    geos: &[Geo],
    bounds: &mut MercatorBounds,
) -> Result<Camera, FeatureProblem> {
    let position = match geos {
        [Geo::Point(p)] => *p,
        _ => return Err(FeatureProblem::CameraNotOnePoint),
    };
    let num = |name: &str| props.and_then(|p| p.get(name)).and_then(number_lossy);
    let bearing = num(&names.bearing)
        .and_then(Bearing::new)
        .ok_or(FeatureProblem::CameraBearing)?;
    let fov_deg = num(&names.fov).ok_or(FeatureProblem::CameraFovMissing)?;
    if !(fov_deg > 0.0 && fov_deg <= 360.0) {
        return Err(FeatureProblem::CameraFovOutOfRange);
    }
    let range_m = num(&names.range).ok_or(FeatureProblem::CameraRangeMissing)?;
    if range_m <= 0.0 {
        return Err(FeatureProblem::CameraRangeNotPositive);
    }
    let ring: LineString<f64> = fov_sector(position, bearing, fov_deg, range_m)
        .into_iter()
        .map(|p| project_coord(p, bounds))
        .collect();
    Ok(Camera {
        position,
        bearing,
        fov_deg,
        range_m,
        sector: Polygon::new(ring, Vec::new()),
    })
}

fn feature(
    layer: LayerId,
    index: usize,
    f: &J,
    names: &PropertyNames,
    id: Option<String>,
) -> Result<Feature, FeatureProblem> {
    let props = feature_properties(f)?;
    let mut geos = Vec::new();
    let g = feature_geometry(f).map_err(|l| l.problem)?;
    geometry(&g, layer, &mut geos)?;
    if geos.is_empty() {
        return Err(FeatureProblem::Empty);
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
    if bounds.is_empty() {
        return Err(FeatureProblem::Empty);
    }
    Ok(Feature {
        id: id.unwrap_or_else(|| format!("{}#{}", layer.key(), index)),
        name: text_prop(&names.name),
        kind,
        shapes,
        bounds,
        properties: property_texts(props),
    })
}

/// Parse a layer's GeoJSON text.
///
/// Any RFC 7946 GeoJSON text: a FeatureCollection, a single Feature or a bare geometry (one
/// feature with no properties); `bbox` and foreign members are ignored, rings may wind
/// either way (the right-hand rule binds writers). The whole layer fails only if the text is
/// not JSON (even after replacing bare `NaN`/`Infinity` tokens with `null`) or is none of these; otherwise each feature is
/// validated on its own and bad ones land in `skipped` with their index in the features array
/// (0 for a lone Feature or geometry) and a [`FeatureProblem`] (logged as
/// `"feature 3: geometry is null"`).
pub fn ingest_layer(
    layer: LayerId,
    text: &str,
    names: &PropertyNames,
) -> Result<LayerData, IngestError> {
    let root = parse_text(text).map_err(IngestError::Json)?;
    let features = root_features(&root).map_err(IngestError::NotGeoJson)?;

    let mut data = LayerData::empty(layer);
    for (index, f) in features.iter().enumerate() {
        let id = feature_id(f, false);
        match feature(layer, index, f, names, id.clone()) {
            Ok(feat) => {
                data.bounds = data.bounds.union(&feat.bounds);
                data.features.push(feat);
            }
            Err(problem) => data.skipped.push(SkippedFeature { index, id, problem }),
        }
    }
    Ok(data)
}
