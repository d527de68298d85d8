//! The JSON record beside an exported picture (and inside it, as a PNG text chunk): what was
//! shown, how, by which build, when, and a SHA-256 of the incident data so the record can be
//! checked later.
//!
//! Units: `view.centre` and `view.bbox` degrees WGS84 (lon, lat; bbox west, south, east,
//! north), `view.zoom` the Web-Mercator zoom, `view.width_css`/`height_css` CSS px of the map
//! and `dpr` device px per CSS px; `image` device px; times RFC 3339 (UTC with `Z`, London and
//! Paris with their offsets at that instant) and ms since the Unix epoch; bandwidth ground m.
//!
//! **The hash** ([`DataHash`]): SHA-256 of the UTF-8 bytes of the incident file exported with
//! the picture (`incidents.file`), which is `records::incidents_geojson` of the incidents
//! passing the operator's filter at the moment of the export (all of them, not only those in
//! the view), canonical as that module defines it. Checking a record: hash that file
//! (`sha256sum`, Node's `crypto`) and compare with `incidents.sha256`.
//!
//! SHA-256 is the `sha2` crate's (in the core, tested natively against the FIPS 180-2
//! vectors), not the browser's SubtleCrypto, which exists only in secure contexts (HTTPS or
//! localhost): the centre's API may serve the app over plain HTTP on its LAN.

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::time::Timestamp;
use crate::viewport::Viewport;

/// The record's format name and version.
pub const FORMAT: &str = "calais-map-export/1";

/// The PNG keyword of the record's `iTXt` chunk.
pub const PNG_KEYWORD: &str = "Calais-Map-Sidecar";

/// SHA-256 of `bytes`, 64 lowercase hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Minutes east of UTC in an `Intl` `longOffset` time-zone name: `GMT` (0), `GMT+01:00`,
/// `GMT-03:30`, `UTC+1`; `None` for anything else.
pub fn parse_gmt_offset(s: &str) -> Option<i32> {
    let s = s.trim();
    let rest = s.strip_prefix("GMT").or_else(|| s.strip_prefix("UTC"))?;
    if rest.is_empty() {
        return Some(0);
    }
    let (sign, rest) = match rest.as_bytes().first()? {
        b'+' => (1, rest.get(1..)?),
        b'-' | 0xe2 => (-1, rest.trim_start_matches(['-', '−'])),
        _ => return None,
    };
    let (h, m) = rest.split_once(':').unwrap_or((rest, "0"));
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    ((0..=18).contains(&h) && (0..60).contains(&m)).then_some(sign * (h * 60 + m))
}

/// RFC 3339 text of `t` at `offset_min` minutes east of UTC, to the second:
/// `2026-12-05T21:17:43+01:00` (`Z` at offset 0 is written `+00:00`: a named zone's time).
pub fn rfc3339_at(t: Timestamp, offset_min: i32) -> String {
    let l = t.local(offset_min);
    let sign = if offset_min < 0 { '-' } else { '+' };
    let off = offset_min.unsigned_abs();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
        l.year,
        l.month,
        l.day,
        l.hour,
        l.minute,
        l.second,
        off / 60,
        off % 60
    )
}

/// Which build made the record.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AppVersion {
    pub name: String,
    /// The Cargo package version.
    pub version: String,
    /// The git commit the build was made from, when known at build time.
    pub commit: Option<String>,
}

/// An instant in UTC and in the joint command's two zones.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExportTimes {
    pub ms: i64,
    pub utc: String,
    /// `None` where the browser does not know the zone.
    pub london: Option<String>,
    pub paris: Option<String>,
}

impl ExportTimes {
    /// `ms` with the London and Paris offsets at that instant (minutes east of UTC).
    pub fn new(ms: i64, london_min: Option<i32>, paris_min: Option<i32>) -> Option<ExportTimes> {
        let t = Timestamp::from_millis(ms)?;
        Some(ExportTimes {
            ms,
            utc: t.to_rfc3339(),
            london: london_min.map(|o| rfc3339_at(t, o)),
            paris: paris_min.map(|o| rfc3339_at(t, o)),
        })
    }
}

/// The view: centre, zoom, size, device pixel ratio and what it covers.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ViewRecord {
    pub centre: [f64; 2],
    pub zoom: f64,
    pub width_css: f64,
    pub height_css: f64,
    pub dpr: f64,
    /// West, south, east, north (`None` for a view with no area).
    pub bbox: Option<[f64; 4]>,
}

fn r7(v: f64) -> f64 {
    crate::geofence::zone::coord7(v)
}

impl ViewRecord {
    /// The record of `view` (coordinates rounded to 7 decimals, zoom to 4).
    pub fn of(view: &Viewport) -> ViewRecord {
        let c = crate::projection::to_lonlat(view.center());
        let sw = view.lonlat_at(0.0, view.height_css());
        let ne = view.lonlat_at(view.width_css(), 0.0);
        ViewRecord {
            centre: [r7(c.lon), r7(c.lat)],
            zoom: (view.zoom().get() * 1e4).round() / 1e4,
            width_css: view.width_css(),
            height_css: view.height_css(),
            dpr: view.dpr(),
            bbox: sw
                .zip(ne)
                .map(|(sw, ne)| [r7(sw.lon), r7(sw.lat), r7(ne.lon), r7(ne.lat)]),
        }
    }
}

/// The picture itself.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ImageRecord {
    pub file: String,
    pub width_px: u32,
    pub height_px: u32,
    /// The map's part (from the top); the text band is below it.
    pub map_height_px: u32,
    /// `desk`, `tablet` or `wall`.
    pub mode: String,
    /// On a wall of several screens: this screen's tile (`col,row`) of the grid (`COLSxROWS`);
    /// the picture is this screen's part, `view` the whole wall's.
    pub wall_tile: Option<String>,
    pub wall_grid: Option<String>,
}

/// The heatmap as shown (only when it is).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HeatmapRecord {
    /// The window's preset key (`1h`, `24h`, `7d`, `30d`, `custom`) and its interval.
    pub window: String,
    pub from: Option<String>,
    pub to: Option<String>,
    pub bandwidth_m: f64,
    /// `fixed` or `relative`.
    pub scale: String,
    /// `count` or `severity`.
    pub weighting: String,
    /// A difference of two windows per day.
    pub difference: bool,
    pub playback: bool,
}

/// What was drawn and filtered.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Parameters {
    /// The visible layers' keys, in the layer panel's order.
    pub layers: Vec<String>,
    /// Incident kinds shown (wire keys).
    pub kinds: Vec<String>,
    pub min_severity: u8,
    /// `all`, `open`, `closed`.
    pub status: String,
    /// The incident filter's time window key.
    pub time_window: String,
    pub heatmap: Option<HeatmapRecord>,
}

/// The feed when the picture was taken.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FeedRecord {
    /// `connecting`, `live`, `reconnecting`, `offline`, `stale`.
    pub status: String,
    /// When the data last changed (RFC 3339 UTC), if ever.
    pub last_update: Option<String>,
}

/// The incident data shown, and its hash (module doc: which bytes).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DataHash {
    pub file: String,
    pub count: usize,
    pub sha256: String,
    pub hashed: &'static str,
}

/// What `DataHash::hashed` says.
pub const HASHED: &str = "SHA-256 of the UTF-8 bytes of `file`: the canonical GeoJSON of the incidents passing the filter at export time (sorted by id; calais-core export::records)";

impl DataHash {
    /// The hash of `geojson`, the canonical text of `count` incidents, saved as `file`.
    pub fn of(file: String, count: usize, geojson: &str) -> DataHash {
        DataHash {
            file,
            count,
            sha256: sha256_hex(geojson.as_bytes()),
            hashed: HASHED,
        }
    }
}

/// The whole record.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Sidecar {
    pub format: &'static str,
    pub app: AppVersion,
    pub exported: ExportTimes,
    pub lang: String,
    pub image: ImageRecord,
    pub view: ViewRecord,
    pub parameters: Parameters,
    pub feed: FeedRecord,
    pub note: String,
    pub incidents: DataHash,
}

impl Sidecar {
    /// Pretty JSON (two-space indents, fields in declaration order) ending with a line feed:
    /// the sidecar file's bytes and the PNG chunk's text.
    pub fn to_json(&self) -> String {
        // Serialising these values cannot fail (string keys, finite numbers); "" if it ever did.
        let mut out = serde_json::to_string_pretty(self).unwrap_or_default();
        out.push('\n');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_known_vectors() {
        // FIPS 180-2, appendix B.
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            sha256_hex(b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
    }

    #[test]
    fn offsets_and_zone_times() {
        assert_eq!(parse_gmt_offset("GMT"), Some(0));
        assert_eq!(parse_gmt_offset("GMT+01:00"), Some(60));
        assert_eq!(parse_gmt_offset("GMT-03:30"), Some(-210));
        assert_eq!(parse_gmt_offset("GMT−05:00"), Some(-300));
        assert_eq!(parse_gmt_offset("UTC+1"), Some(60));
        assert_eq!(parse_gmt_offset("CET"), None);
        assert_eq!(parse_gmt_offset("GMT+25:00"), None);
        // 2026-07-01T12:00:00Z: London BST (+1), Paris CEST (+2).
        let ms = 1_782_907_200_000;
        let t = ExportTimes::new(ms, Some(60), Some(120)).unwrap();
        assert_eq!(t.utc, "2026-07-01T12:00:00.000Z");
        assert_eq!(t.london.as_deref(), Some("2026-07-01T13:00:00+01:00"));
        assert_eq!(t.paris.as_deref(), Some("2026-07-01T14:00:00+02:00"));
        let t = Timestamp::from_millis(ms).unwrap();
        assert_eq!(rfc3339_at(t, -210), "2026-07-01T08:30:00-03:30");
    }
}
