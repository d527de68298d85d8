//! The loaded map data: layers of typed features.
//!
//! Geometry is geo-types ([`geo::Point`], [`geo::LineString`], [`geo::Polygon`]) stored
//! projected: every coordinate is **EPSG:3857 metres** (x east, y north, as [`Mercator`](super::units::Mercator), which
//! converts to and from [`geo::Coord`] by `into()`), never degrees. Camera positions are kept
//! in degrees WGS84 ([`LonLat`]) as well, and camera ranges are ground metres.

use super::geojson_read::FeatureProblem;
use super::units::{Bearing, LonLat};
use super::viewport::MercatorBounds;
use geo::{LineString, Point, Polygon};

/// Feature properties in source order, values as display text: strings as-is,
/// numbers and booleans via `to_string`, null as `"null"`, objects/arrays as compact JSON.
pub type Properties = Vec<(String, String)>;

/// The four data layers, in draw order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LayerId {
    Basemap,
    Fences,
    Cameras,
    Ports,
}

impl LayerId {
    /// All layers in draw order (bottom first).
    pub const ALL: [LayerId; 4] = [
        LayerId::Basemap,
        LayerId::Fences,
        LayerId::Cameras,
        LayerId::Ports,
    ];

    /// Stable machine key: "basemap", "fences", "cameras", "ports".
    pub fn key(self) -> &'static str {
        match self {
            LayerId::Basemap => "basemap",
            LayerId::Fences => "fences",
            LayerId::Cameras => "cameras",
            LayerId::Ports => "ports",
        }
    }

    /// Inverse of [`LayerId::key`] (exact match).
    pub fn from_key(s: &str) -> Option<LayerId> {
        LayerId::ALL.into_iter().find(|l| l.key() == s)
    }
}

/// A projected geometry: geo-types in EPSG:3857 metres.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    Point(Point<f64>),
    /// At least 2 positions.
    Line(LineString<f64>),
    /// Exterior ring and holes, each closed (first == last) with at least 4 positions; either
    /// winding (RFC 7946's right-hand rule is not required of the source).
    Polygon(Polygon<f64>),
}

impl Shape {
    /// The paths of the shape: a line itself, a polygon's exterior then its holes (each
    /// closed), nothing for a point.
    pub fn paths(&self) -> impl Iterator<Item = &LineString<f64>> {
        let (line, polygon) = match self {
            Shape::Point(_) => (None, None),
            Shape::Line(l) => (Some(l), None),
            Shape::Polygon(p) => (None, Some(p)),
        };
        line.into_iter().chain(
            polygon
                .into_iter()
                .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors())),
        )
    }

    /// Where a label of the shape goes (EPSG:3857 m): a point itself, the point halfway along
    /// a line or along a polygon's exterior (geo's `InterpolatableLine`, Euclidean in the
    /// projected plane); `None` for an empty or non-finite path.
    pub fn midpoint(&self) -> Option<Point<f64>> {
        use geo::{Euclidean, InterpolatableLine};
        match self {
            Shape::Point(p) => Some(*p),
            Shape::Line(l) => l.point_at_ratio_from_start(&Euclidean, 0.5),
            Shape::Polygon(p) => p.exterior().point_at_ratio_from_start(&Euclidean, 0.5),
        }
        .filter(|p| p.x().is_finite() && p.y().is_finite())
    }
}

/// The value of property `key` (exact name), if the feature has it.
pub fn property<'p>(properties: &'p Properties, key: &str) -> Option<&'p str> {
    properties
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// Lower-case, trimmed, spaces and dashes turned into underscores.
fn normalise_key(s: &str) -> String {
    s.trim()
        .chars()
        .map(|c| match c {
            ' ' | '-' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// Kind of a fence-layer feature.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FenceKind {
    Fence,
    Wall,
    Gate,
    Other,
}

impl FenceKind {
    pub const ALL: [FenceKind; 4] = [
        FenceKind::Fence,
        FenceKind::Wall,
        FenceKind::Gate,
        FenceKind::Other,
    ];

    /// "fence", "wall", "gate", "other".
    pub fn key(self) -> &'static str {
        match self {
            FenceKind::Fence => "fence",
            FenceKind::Wall => "wall",
            FenceKind::Gate => "gate",
            FenceKind::Other => "other",
        }
    }

    /// Case-insensitive match on the key; anything unknown is `Other`.
    pub fn from_str_lossy(s: &str) -> FenceKind {
        let k = normalise_key(s);
        FenceKind::ALL
            .into_iter()
            .find(|f| f.key() == k)
            .unwrap_or(FenceKind::Other)
    }
}

/// Kind of a port-layer feature.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PortKind {
    FerryPort,
    RailTerminal,
    TunnelPortal,
    Harbour,
    Other,
}

impl PortKind {
    pub const ALL: [PortKind; 5] = [
        PortKind::FerryPort,
        PortKind::RailTerminal,
        PortKind::TunnelPortal,
        PortKind::Harbour,
        PortKind::Other,
    ];

    /// "ferry_port", "rail_terminal", "tunnel_portal", "harbour", "other".
    pub fn key(self) -> &'static str {
        match self {
            PortKind::FerryPort => "ferry_port",
            PortKind::RailTerminal => "rail_terminal",
            PortKind::TunnelPortal => "tunnel_portal",
            PortKind::Harbour => "harbour",
            PortKind::Other => "other",
        }
    }

    /// Case-insensitive match on the key (spaces/dashes accepted for underscores,
    /// "harbor" accepted); anything unknown is `Other`.
    pub fn from_str_lossy(s: &str) -> PortKind {
        let k = normalise_key(s);
        if k == "harbor" {
            return PortKind::Harbour;
        }
        PortKind::ALL
            .into_iter()
            .find(|p| p.key() == k)
            .unwrap_or(PortKind::Other)
    }
}

/// A CCTV camera: position (degrees WGS84), bearing, field of view (degrees),
/// range (ground metres) and its projected field-of-view sector (geo-types, EPSG:3857 metres).
#[derive(Clone, Debug, PartialEq)]
pub struct Camera {
    pub position: LonLat,
    pub bearing: Bearing,
    pub fov_deg: f64,
    pub range_m: f64,
    /// The ground field of view from [`fov_sector`](super::camera::fov_sector), projected: a
    /// polygon whose exterior is that closed ring, no holes.
    pub sector: Polygon<f64>,
}

/// What a feature is.
#[derive(Clone, Debug, PartialEq)]
pub enum FeatureKind {
    Land,
    Fence(FenceKind),
    Camera(Camera),
    Port(PortKind),
}

/// One validated feature.
#[derive(Clone, Debug, PartialEq)]
pub struct Feature {
    /// GeoJSON id, or the "id" property, or "<layer key>#<index>".
    pub id: String,
    pub name: Option<String>,
    pub kind: FeatureKind,
    /// Multi-geometries and geometry collections are flattened.
    pub shapes: Vec<Shape>,
    /// Union of the projected shapes (and, for cameras, of the FOV sector).
    pub bounds: MercatorBounds,
    pub properties: Properties,
}

/// A feature that could not be loaded, with the reason (the shell words it; `Display`, for
/// logs, is `feature 3: geometry is null`).
#[derive(Clone, Debug, PartialEq)]
pub struct SkippedFeature {
    /// Index in the source "features" array.
    pub index: usize,
    pub id: Option<String>,
    pub problem: FeatureProblem,
}

impl std::fmt::Display for SkippedFeature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "feature {}: {}", self.index, self.problem)
    }
}

/// The outcome of loading one layer.
#[derive(Clone, Debug, PartialEq)]
pub struct LayerData {
    pub layer: LayerId,
    pub features: Vec<Feature>,
    pub skipped: Vec<SkippedFeature>,
    /// Union of the features' bounds (empty if none loaded).
    pub bounds: MercatorBounds,
}

impl LayerData {
    /// A layer with nothing in it.
    pub fn empty(layer: LayerId) -> LayerData {
        LayerData {
            layer,
            features: Vec::new(),
            skipped: Vec::new(),
            bounds: MercatorBounds::empty(),
        }
    }
}
