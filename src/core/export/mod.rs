//! Exports fit to hand on as a record (issue 14 item 7): the parts the shell cannot get wrong
//! by being a browser. No I/O: bytes and text in, bytes and text out.
//!
//! * [`png_text`]: PNG text chunks (`tEXt`, `iTXt`) written into a PNG the browser encoded,
//!   before its `IEND`, each with its CRC-32; and read back, every chunk's CRC checked.
//! * [`records`]: the filtered incidents as canonical GeoJSON (the bytes the record's hash is
//!   taken over) and CSV; the zones as CSV (their GeoJSON is `geofence::zones_to_geojson`).
//! * [`sidecar`]: the JSON record beside the PNG (view, parameters, app version, times in
//!   UTC, London and Paris, feed, note, SHA-256 of the incident data shown).
//!
//! Units: coordinates are degrees WGS84 (lon, lat), 7 decimals (about 1 cm); times are ms since
//! the Unix epoch, written as RFC 3339; the view's size is CSS px with its device pixel ratio;
//! images are device px.

pub mod png_text;
pub mod records;
pub mod sidecar;

pub use png_text::{PngError, TextChunk, insert_text_chunks, read_text_chunks};
pub use records::{
    INCIDENT_COLUMNS, ZONE_COLUMNS, ZoneRow, incidents_csv, incidents_geojson, zones_csv,
};
pub use sidecar::{
    AppVersion, DataHash, ExportTimes, FeedRecord, HeatmapRecord, ImageRecord, Parameters, Sidecar,
    ViewRecord, parse_gmt_offset, rfc3339_at, sha256_hex,
};
