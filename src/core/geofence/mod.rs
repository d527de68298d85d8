//! Geofencing: zones, point-in-zone classification, zone events, distances to fences and
//! ports, camera coverage of the fences.
//!
//! Units and spaces:
//!
//! * zone geometry is read in degrees WGS84 and kept in **EPSG:3857 metres** as geo-types
//!   (each zone a [`geo::MultiPolygon`], points [`Mercator`](super::units::Mercator)); zone
//!   edges are straight lines in EPSG:3857, i.e. straight on the map as drawn, and every
//!   inside/outside test is done there, by the core's one point-position test
//!   ([`geometry::polygon_position`](crate::geometry::polygon_position)): a point within 1 mm
//!   (EPSG:3857 metres, about 0.63 mm on the ground at Calais) of an edge or vertex, holes'
//!   included, is inside the zone;
//! * margins, distances, accuracies, camera ranges and coverage lengths are **ground metres**
//!   (true distances on the Earth; each module says how it gets them);
//! * times are **milliseconds since the Unix epoch** (UTC), as [`Timestamp`](super::time::Timestamp).
//!
//! Modules:
//!
//! * [`zone`]: the zone model and the zones GeoJSON reader (per-zone validation, bad zones
//!   reported and skipped);
//! * [`index`]: [`ZoneIndex`], an R-tree over the zones plus a uniform grid for bulk
//!   classification of many points;
//! * [`events`]: [`Engine`], per-incident zone memberships and the enter / exit / dwell /
//!   cross events with hysteresis, the bounded [`EventLog`] and its exports; silent bulk
//!   seeding from a snapshot and zone changes that keep the stays going;
//! * [`distance`]: [`Proximity`], ground distance from a point to the nearest fence and port;
//! * [`coverage`]: [`CameraCoverage`], cameras whose field of view contains a point and the
//!   stretches of fence no camera sees;
//! * [`synthetic`]: seeded, deterministic zones and points for benchmarks and tests;
//! * [`draft`]: [`Draft`], a zone being drawn or reshaped on the map (degrees WGS84, screen
//!   hits in CSS px through the viewport), and [`ZoneForm`], its name, kind and rules;
//! * [`drawn`]: the operator's zones next to the loaded ones: ids, saved text, imports and
//!   the combined list the engine classifies against.
//!
//! Nothing here does I/O or panics on any input.

pub mod coverage;
pub mod distance;
pub mod draft;
pub mod drawn;
pub mod events;
pub mod index;
pub mod synthetic;
pub mod zone;

pub use coverage::{CameraCoverage, CoverageGaps, Gap, sector_contains};
pub use distance::{Nearest, Proximity, ground_distance_m};
pub use draft::{Draft, DraftError, Handle, TapOutcome, ZoneForm, parse_dwell};
pub use drawn::{Combined, Import, Origin, Restored, combine, import, new_zone_id, restore};
pub use events::{Engine, EngineConfig, Event, EventKind, EventLog, Fix, Input, Stay};
pub use index::{Classification, ZoneIndex};
pub use zone::{
    Near, RingProblem, ShapeError, Zone, ZoneError, ZoneFileError, ZoneKind, ZoneProblem,
    ZoneRules, ZoneSet, parse_zones, quote, zones_to_geojson,
};
