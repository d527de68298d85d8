//! Pure geometry core of the Calais map viewer.
//!
//! Nothing in here touches the browser: no web crate is imported and no I/O is
//! done. Modules receive text or values and return values. Every module states
//! its units and coordinate space in its own doc comment:
//!
//! * degrees WGS84 ([`units::LonLat`]),
//! * EPSG:3857 metres ([`units::Mercator`]),
//! * CSS px and device px (screen space, origin top-left, y down),
//! * ground metres (true distances on the Earth: the WGS84 ellipsoid, [`earth`]).

pub mod announce;
pub mod basemap;
pub mod camera;
pub mod cluster;
pub mod colour_vision;
pub mod compact_sort;
pub mod config;
pub mod decimal;
pub mod display;
pub mod earth;
pub mod export;
pub mod feed;
pub mod geofence;
pub mod geojson_read;
pub mod geometry;
pub mod grids;
pub mod heatmap;
pub mod hit;
pub mod incident;
pub mod incident_layer;
pub mod ingest;
pub mod json;
pub mod labels;
pub mod layout;
pub mod limits;
pub mod model;
pub mod nearby;
pub mod projection;
pub mod scale_bar;
pub mod scene;
pub mod tiles;
pub mod time;
pub mod units;
pub mod viewport;
pub mod wall;
