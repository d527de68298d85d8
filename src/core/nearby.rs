//! Where am I (issue 14 item 2): the incidents, cameras and zones within a chosen radius of the
//! device's position, nearest first, each with its ground distance and bearing.
//!
//! Units: positions are WGS84 degrees ([`LonLat`]); zone shapes EPSG:3857 metres (as
//! [`Zone::polygons`]); distances are ground metres and bearings degrees clockwise from true
//! north, both along the geodesic on the WGS84 ellipsoid ([`crate::earth`]). A zone's distance
//! is to its nearest boundary point (found in the EPSG:3857 plane over the zone's edges by
//! `geometry::closest_on_segment`, then measured on the ellipsoid: within a radius of 2 km the plane's scale varies by less than
//! 0.05 %, so the point found is the nearest on the ground to well under a metre); a position
//! inside a zone is 0 m from it, with no bearing.

use crate::earth::{distance_m, initial_bearing};
use crate::geofence::Zone;
use crate::geometry::{closest_on_segment, polygon_edges};
use crate::projection::{to_lonlat, to_mercator};
use crate::units::{Bearing, LonLat, Mercator};
use crate::viewport::region_bounds;

/// The radii an officer chooses from (ground metres).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Radius {
    M250,
    #[default]
    M500,
    Km1,
    Km2,
}

impl Radius {
    pub const ALL: [Radius; 4] = [Radius::M250, Radius::M500, Radius::Km1, Radius::Km2];

    /// Ground metres.
    pub fn metres(self) -> f64 {
        match self {
            Radius::M250 => 250.0,
            Radius::M500 => 500.0,
            Radius::Km1 => 1_000.0,
            Radius::Km2 => 2_000.0,
        }
    }

    /// The radius of `metres` ground metres, if it is one of [`Radius::ALL`] (a form's value).
    pub fn from_metres(metres: &str) -> Option<Radius> {
        let m = crate::decimal::parse_f64(metres.trim())?;
        Radius::ALL.into_iter().find(|r| r.metres() == m)
    }
}

/// At most this many things are listed (the nearest); the caller says how many more there are.
pub const MAX_LISTED: usize = 50;

/// What a listed thing is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NearKind {
    Incident,
    Camera,
    Zone,
}

/// Where a candidate is: a point, or a zone's area.
#[derive(Clone, Copy, Debug)]
pub enum Place<'a> {
    Point(LonLat),
    Zone(&'a Zone),
}

/// A thing that may be near: its kind, the caller's index for it (to open it) and its place.
#[derive(Clone, Copy, Debug)]
pub struct Candidate<'a> {
    pub kind: NearKind,
    pub index: usize,
    pub place: Place<'a>,
}

/// A thing within the radius.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Near {
    pub kind: NearKind,
    /// The candidate's index, as the caller gave it.
    pub index: usize,
    /// Ground metres from the position (0 inside a zone).
    pub distance_m: f64,
    /// Initial bearing of the geodesic from the position to the thing (to a zone's nearest
    /// boundary point); `None` at the position itself or inside a zone.
    pub bearing: Option<Bearing>,
}

/// What is within a radius: the nearest [`MAX_LISTED`], and how many there are in all.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Nearby {
    pub listed: Vec<Near>,
    pub total: usize,
}

/// True if `at` lies in the Channel region the app covers (`viewport::region_bounds`, lon
/// -1.5..5.5, lat 49.4..52.5): outside it, the map and its data say nothing of the place.
pub fn in_region(at: LonLat) -> bool {
    region_bounds().contains(to_mercator(at))
}

/// The ground distance and bearing from `from` to a zone: 0 and no bearing inside (or on its
/// edge), else to its nearest boundary point. `None` if the zone has no usable shape.
fn to_zone(from: LonLat, zone: &Zone) -> Option<(f64, Option<Bearing>)> {
    let m = to_mercator(from);
    if zone.contains(m) {
        return Some((0.0, None));
    }
    let nearest = zone
        .polygons
        .iter()
        .flat_map(polygon_edges)
        .map(|(a, b)| closest_on_segment(m, a, b))
        .min_by(|p, q| {
            let d2 = |c: &Mercator| (c.x - m.x).powi(2) + (c.y - m.y).powi(2);
            d2(p).total_cmp(&d2(q))
        })?;
    let to = to_lonlat(nearest);
    Some((distance_m(from, to), initial_bearing(from, to)))
}

/// The candidates within `radius` of `from`, nearest first (ties: incidents, cameras, zones,
/// then the caller's order), at most [`MAX_LISTED`] of them, and how many there are in all.
/// Candidates whose distance cannot be computed (non-finite positions) are left out.
pub fn nearest_first<'a>(
    from: LonLat,
    radius: Radius,
    candidates: impl IntoIterator<Item = Candidate<'a>>,
) -> Nearby {
    let limit = radius.metres();
    let mut found: Vec<Near> = candidates
        .into_iter()
        .filter_map(|c| {
            let (distance_m, bearing) = match c.place {
                Place::Point(p) => (distance_m(from, p), initial_bearing(from, p)),
                Place::Zone(z) => to_zone(from, z)?,
            };
            (distance_m.is_finite() && distance_m <= limit).then_some(Near {
                kind: c.kind,
                index: c.index,
                distance_m,
                bearing,
            })
        })
        .collect();
    crate::compact_sort::sort_by(&mut found, |a, b| {
        a.distance_m
            .total_cmp(&b.distance_m)
            .then(a.kind.cmp(&b.kind))
            .then(a.index.cmp(&b.index))
    });
    let total = found.len();
    found.truncate(MAX_LISTED);
    Nearby {
        listed: found,
        total,
    }
}
