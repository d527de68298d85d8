//! Live incidents: the validated model, GeoJSON parsing and the in-memory store.
//!
//! Units: an incident's `position` is degrees WGS84 ([`LonLat`]), `at` is the
//! same point in EPSG:3857 metres ([`Mercator`]) and so is every `track`
//! position; `accuracy_m` is ground metres; times are [`Timestamp`]s
//! (milliseconds since the Unix epoch, UTC). No I/O here: text in, values out.
//!
//! * [`parse`]: one live event ([`parse_incident`]) or a full snapshot
//!   ([`parse_snapshot`]) through serde; a bad feature in a snapshot is rejected on its own.
//! * [`store`]: [`IncidentStore`], upsert by id ordered by the server's SSE `seq` (not its
//!   clock), resync from a snapshot (the server's whole state), retention purge.
//! * [`filter`]: the operator's filter (kind, severity, status, time window) and list order.
//! * [`picture`]: the last good picture kept for offline starts (its text, when to write it,
//!   which picture the page shows).

pub mod filter;
pub mod parse;
pub mod picture;
pub mod store;

pub use super::time::Timestamp;
pub use filter::{IncidentFilter, Listing, SortOrder, StatusFilter, TimeWindow, listing};
pub use parse::{
    Rejected, Snapshot, SnapshotReader, parse_event, parse_incident, parse_seq, parse_snapshot,
};
pub use store::{
    Diagnostics, IncidentStore, MAX_CLOSED, SnapshotMerge, SnapshotOutcome, TRACK_LEN, Upsert,
};

use super::model::Properties;
use super::units::{LonLat, Mercator};
use serde::{Deserialize, Serialize};
use std::fmt;

/// What an incident is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IncidentKind {
    SmallBoat,
    FenceBreach,
    LorryIntrusion,
    TunnelIntrusion,
    VehicleSighting,
    Other,
}

impl IncidentKind {
    /// All kinds, in legend order.
    pub const ALL: [IncidentKind; 6] = [
        IncidentKind::SmallBoat,
        IncidentKind::FenceBreach,
        IncidentKind::LorryIntrusion,
        IncidentKind::TunnelIntrusion,
        IncidentKind::VehicleSighting,
        IncidentKind::Other,
    ];

    /// Wire key: "small_boat", "fence_breach", "lorry_intrusion",
    /// "tunnel_intrusion", "vehicle_sighting", "other".
    pub fn key(self) -> &'static str {
        match self {
            IncidentKind::SmallBoat => "small_boat",
            IncidentKind::FenceBreach => "fence_breach",
            IncidentKind::LorryIntrusion => "lorry_intrusion",
            IncidentKind::TunnelIntrusion => "tunnel_intrusion",
            IncidentKind::VehicleSighting => "vehicle_sighting",
            IncidentKind::Other => "other",
        }
    }

    /// Strict inverse of [`IncidentKind::key`]: exact, case-sensitive; unknown is `None`.
    pub fn from_key(s: &str) -> Option<IncidentKind> {
        IncidentKind::ALL.into_iter().find(|k| k.key() == s)
    }

    /// Position in [`IncidentKind::ALL`].
    pub fn index(self) -> usize {
        match self {
            IncidentKind::SmallBoat => 0,
            IncidentKind::FenceBreach => 1,
            IncidentKind::LorryIntrusion => 2,
            IncidentKind::TunnelIntrusion => 3,
            IncidentKind::VehicleSighting => 4,
            IncidentKind::Other => 5,
        }
    }
}

/// Whether an incident is still going on. A closed incident stays in the store
/// until purged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    Open,
    Closed,
}

impl Status {
    /// Wire key: "open", "closed".
    pub fn key(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Closed => "closed",
        }
    }

    /// Strict inverse of [`Status::key`] (exact match).
    pub fn from_key(s: &str) -> Option<Status> {
        [Status::Open, Status::Closed]
            .into_iter()
            .find(|st| st.key() == s)
    }
}

/// Severity from 1 (lowest) to 5 (highest).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Severity(u8);

impl Severity {
    /// `Some` for `1..=5`.
    pub fn new(v: u8) -> Option<Severity> {
        (1..=5).contains(&v).then_some(Severity(v))
    }

    /// The level, `1..=5`.
    pub fn get(self) -> u8 {
        self.0
    }
}

/// One validated incident.
#[derive(Clone, Debug, PartialEq)]
pub struct Incident {
    /// Feature id (string, or a number's text), else the id property.
    pub id: String,
    /// The kind; a kind string the client does not know is [`IncidentKind::Other`].
    pub kind: IncidentKind,
    /// The kind as sent when it is not one of the known keys (docs/api.md: "treat any other
    /// value as other"), cut to [`MAX_QUOTE_CHARS`] characters, for the card; `None` for a
    /// known key (`"other"` included).
    pub kind_text: Option<String>,
    pub severity: Severity,
    pub status: Status,
    /// Degrees WGS84.
    pub position: LonLat,
    /// `position` in EPSG:3857 metres.
    pub at: Mercator,
    pub reported_at: Timestamp,
    pub updated_at: Timestamp,
    /// Free text, verbatim (may contain markup: render it as text only). Empty if absent.
    pub description: String,
    /// Where the report came from (e.g. a camera id), if given.
    pub source: Option<String>,
    /// Position accuracy radius in ground metres (finite, `>= 0`), if given.
    pub accuracy_m: Option<f64>,
    /// SSE sequence id of the event that carried this version (or the cursor of the `since=`
    /// answer that did; `None` from a snapshot). Orders the live versions of an incident
    /// (`store`'s module doc): a `Some` is newer than a `None`.
    pub seq: Option<u64>,
    /// Previous positions (EPSG:3857 metres) with the `updated_at` at which the
    /// incident was there, oldest first, at most [`TRACK_LEN`]. Kept by the
    /// store; parsing leaves it empty.
    pub track: Vec<(Mercator, Timestamp)>,
    /// The feature's other properties (not the ones [`IncidentNames`] names, which are the
    /// fields above), in source order, as display text.
    pub properties: Properties,
}

impl Incident {
    /// This incident carrying the SSE sequence id of its event.
    pub fn with_seq(mut self, seq: u64) -> Incident {
        self.seq = Some(seq);
        self
    }

    /// `true` while the status is open.
    pub fn is_open(&self) -> bool {
        self.status == Status::Open
    }
}

/// Names of the GeoJSON properties an incident is read from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct IncidentNames {
    /// Id property, used when the Feature has no `id` member.
    pub id: String,
    pub kind: String,
    pub severity: String,
    pub status: String,
    pub reported_at: String,
    pub updated_at: String,
    pub description: String,
    pub source: String,
    /// Accuracy radius, ground metres.
    pub accuracy: String,
}

impl Default for IncidentNames {
    fn default() -> Self {
        IncidentNames {
            id: "id".to_string(),
            kind: "kind".to_string(),
            severity: "severity".to_string(),
            status: "status".to_string(),
            reported_at: "reported_at".to_string(),
            updated_at: "updated_at".to_string(),
            description: "description".to_string(),
            source: "source".to_string(),
            accuracy: "accuracy_m".to_string(),
        }
    }
}

impl IncidentNames {
    /// (field name, configured property name) pairs, for validating a config
    /// (e.g. that none is empty).
    pub fn fields(&self) -> [(&'static str, &str); 9] {
        [
            ("id", &self.id),
            ("kind", &self.kind),
            ("severity", &self.severity),
            ("status", &self.status),
            ("reported_at", &self.reported_at),
            ("updated_at", &self.updated_at),
            ("description", &self.description),
            ("source", &self.source),
            ("accuracy", &self.accuracy),
        ]
    }
}

/// Which of the two time properties an error is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeField {
    ReportedAt,
    UpdatedAt,
}

impl fmt::Display for TimeField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TimeField::ReportedAt => "reported_at",
            TimeField::UpdatedAt => "updated_at",
        })
    }
}

/// Why an event, a snapshot or one snapshot feature was not accepted.
///
/// Values quoted from the input are cut to [`MAX_QUOTE_CHARS`] characters.
#[derive(thiserror::Error, Debug, Clone, PartialEq)]
pub enum IncidentError {
    #[error("not valid JSON: {0}")]
    Json(String),
    #[error("not a GeoJSON FeatureCollection: {0}")]
    NotFeatureCollection(String),
    #[error("not a GeoJSON Feature: {0}")]
    NotFeature(String),
    #[error("no id (no Feature id and no id property)")]
    NoId,
    #[error("geometry is missing or null")]
    GeometryMissing,
    /// The geometry's type (or JSON kind) as found.
    #[error("geometry is {0} (expected a Point)")]
    NotPoint(String),
    #[error("Point coordinates malformed: {0}")]
    BadCoordinates(String),
    #[error("Point coordinates are NaN or infinite")]
    NonFiniteCoordinates,
    #[error(
        "Point coordinates [{lon:?}, {lat:?}] out of range (lon must be in -180..180, lat in -90..90)"
    )]
    CoordinatesOutOfRange { lon: f64, lat: f64 },
    /// Absent, `null`, or a string of white space only. (Any other string is a kind: an
    /// unknown one is read as [`IncidentKind::Other`] with its text kept.)
    #[error("kind is missing or empty")]
    KindMissing,
    /// The value as JSON text (`3`, `true`, `["boat"]`).
    #[error("kind {0} is not a string")]
    BadKind(String),
    #[error("severity is missing")]
    SeverityMissing,
    /// The value as JSON text (`7`, `"3"`, `2.5`).
    #[error("severity {0} is not an integer from 1 to 5")]
    BadSeverity(String),
    #[error("status is missing")]
    StatusMissing,
    #[error("status {0:?} is not \"open\" or \"closed\"")]
    BadStatus(String),
    #[error("{0} is missing")]
    TimeMissing(TimeField),
    #[error("{field} {found:?} is not an RFC 3339 date-time")]
    BadTime { field: TimeField, found: String },
    /// A live event's data over its cap (`limits.event_mb`), bytes: not parsed.
    #[error("event of {bytes} bytes is over the {limit}-byte cap (limits.event_mb): not read")]
    TooLarge { bytes: u64, limit: u64 },
}

/// Longest quote of an input value inside an [`IncidentError`], in characters.
pub const MAX_QUOTE_CHARS: usize = 80;
