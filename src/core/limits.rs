//! Size caps on what the page downloads (issue 15, item 6), and the reader that enforces them.
//!
//! Units: bytes (caps in the config are decimal megabytes, 1 MB = 1,000,000 bytes). A body is
//! refused before it is read when its `Content-Length` says it is over the cap
//! ([`check_declared`]), and while it is read when it grows past the cap without one
//! ([`CappedBody::push`]): the page stops reading, keeps what it had, and says what was
//! refused, instead of holding a 500 MB layer or a 2 GB snapshot in memory and freezing in its
//! parser. The parsers' own memory is bounded by their input (README "Fuzzing": at most 256
//! bytes per byte read, in the worst case of empty features), so a cap here bounds them too.
//!
//! The config itself is read before its caps are known: [`CONFIG_MAX_BYTES`] is fixed.

use crate::config::{ConfigError, ConfigProblem, invalid, take};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Largest `config.json`, bytes (fixed: read before the config's own caps).
pub const CONFIG_MAX_BYTES: u64 = 1_000_000;

/// Smallest and largest accepted cap, MB: a tenth of a megabyte, and 1 GB (a wasm32 page has
/// 4 GB of memory in all; the text and its parse must both fit).
pub const MIN_MB: f64 = 0.1;
pub const MAX_MB: f64 = 1_000.0;

/// The config's `limits` section: the largest body accepted for each download, MB.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Limits {
    /// Each map layer's GeoJSON (the basemap is 0.76 MB).
    pub layer_mb: f64,
    /// The zones file, and an imported zones file.
    pub zones_mb: f64,
    /// The incident snapshot and each `?since=` answer (100,000 incidents are about 36 MB).
    pub snapshot_mb: f64,
    /// Each page of the incident history.
    pub history_page_mb: f64,
    /// One live event's data (an incident is under 1 KB; the browser's `EventSource` has
    /// already received it, so an event over the cap is not parsed and counts as rejected).
    pub event_mb: f64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            layer_mb: 50.0,
            zones_mb: 10.0,
            snapshot_mb: 200.0,
            history_page_mb: 50.0,
            event_mb: 1.0,
        }
    }
}

/// Which download a cap is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cap {
    /// `config.json` ([`CONFIG_MAX_BYTES`], fixed).
    Config,
    Layer,
    Zones,
    Snapshot,
    HistoryPage,
    /// One live event's data.
    Event,
}

impl Cap {
    /// The config key that sets this cap (`None`: fixed).
    pub fn key(self) -> Option<&'static str> {
        match self {
            Cap::Config => None,
            Cap::Layer => Some("limits.layer_mb"),
            Cap::Zones => Some("limits.zones_mb"),
            Cap::Snapshot => Some("limits.snapshot_mb"),
            Cap::HistoryPage => Some("limits.history_page_mb"),
            Cap::Event => Some("limits.event_mb"),
        }
    }
}

/// MB to bytes (whole bytes, rounded down).
pub fn mb_to_bytes(mb: f64) -> u64 {
    (mb * 1e6) as u64
}

impl Limits {
    /// The cap of `cap`, bytes.
    pub fn bytes(&self, cap: Cap) -> u64 {
        match cap {
            Cap::Config => CONFIG_MAX_BYTES,
            Cap::Layer => self.layer_bytes(),
            Cap::Zones => self.zones_bytes(),
            Cap::Snapshot => self.snapshot_bytes(),
            Cap::HistoryPage => self.history_page_bytes(),
            Cap::Event => self.event_bytes(),
        }
    }
    pub fn layer_bytes(&self) -> u64 {
        mb_to_bytes(self.layer_mb)
    }
    pub fn zones_bytes(&self) -> u64 {
        mb_to_bytes(self.zones_mb)
    }
    pub fn snapshot_bytes(&self) -> u64 {
        mb_to_bytes(self.snapshot_mb)
    }
    pub fn history_page_bytes(&self) -> u64 {
        mb_to_bytes(self.history_page_mb)
    }
    pub fn event_bytes(&self) -> u64 {
        mb_to_bytes(self.event_mb)
    }
}

/// Reads the `limits` section: each cap a number of MB in [`MIN_MB`]..=[`MAX_MB`], else the
/// field is named (`limits.layer_mb`).
pub fn parse_limits(m: &Map<String, Value>) -> Result<Limits, ConfigError> {
    let mut l = Limits::default();
    take(m, "limits", "layer_mb", &mut l.layer_mb)?;
    take(m, "limits", "zones_mb", &mut l.zones_mb)?;
    take(m, "limits", "snapshot_mb", &mut l.snapshot_mb)?;
    take(m, "limits", "history_page_mb", &mut l.history_page_mb)?;
    take(m, "limits", "event_mb", &mut l.event_mb)?;
    for (name, v) in [
        ("layer_mb", l.layer_mb),
        ("zones_mb", l.zones_mb),
        ("snapshot_mb", l.snapshot_mb),
        ("history_page_mb", l.history_page_mb),
        ("event_mb", l.event_mb),
    ] {
        if !(MIN_MB..=MAX_MB).contains(&v) {
            return Err(invalid(
                format!("limits.{name}"),
                ConfigProblem::OutOfRange {
                    min: MIN_MB,
                    max: MAX_MB,
                },
            ));
        }
    }
    Ok(l)
}

/// A body refused for its size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TooLarge {
    /// The cap, bytes.
    pub limit: u64,
    /// The size the server declared (`Content-Length`), if it declared one over the cap;
    /// `None` when the body was cut while read, past the cap.
    pub declared: Option<u64>,
}

/// A `Content-Length` header's value against `limit`: over it is refused before reading; an
/// absent or unreadable header is left to [`CappedBody`].
pub fn check_declared(content_length: Option<&str>, limit: u64) -> Result<(), TooLarge> {
    match content_length.and_then(|v| v.trim().parse::<u64>().ok()) {
        Some(n) if n > limit => Err(TooLarge {
            limit,
            declared: Some(n),
        }),
        _ => Ok(()),
    }
}

/// A body read chunk by chunk, refused as soon as it passes its cap.
#[derive(Debug)]
pub struct CappedBody {
    limit: u64,
    bytes: Vec<u8>,
}

impl CappedBody {
    /// An empty body capped at `limit` bytes; `expected` (a declared length within the cap)
    /// sizes the buffer once.
    pub fn new(limit: u64, expected: Option<u64>) -> CappedBody {
        let reserve = expected.filter(|&n| n <= limit).unwrap_or(0);
        CappedBody {
            limit,
            bytes: Vec::with_capacity(usize::try_from(reserve).unwrap_or(0)),
        }
    }

    /// Appends a chunk; past the cap the body is refused (and its bytes freed).
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), TooLarge> {
        let len = self.bytes.len() as u64 + chunk.len() as u64;
        if len > self.limit {
            self.bytes = Vec::new();
            return Err(TooLarge {
                limit: self.limit,
                declared: None,
            });
        }
        self.bytes.extend_from_slice(chunk);
        Ok(())
    }

    /// Bytes read so far.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The body as text, decoded as the browser's `Response.text()` does: UTF-8, a leading
    /// byte order mark dropped, invalid sequences as U+FFFD.
    pub fn into_text(self) -> String {
        let mut bytes = self.bytes;
        if bytes.starts_with(b"\xEF\xBB\xBF") {
            bytes.drain(..3);
        }
        match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_declared_length_over_the_cap_is_refused_before_reading() {
        assert_eq!(
            check_declared(Some("500000000"), 50_000_000),
            Err(TooLarge {
                limit: 50_000_000,
                declared: Some(500_000_000)
            })
        );
        assert_eq!(check_declared(Some("50000000"), 50_000_000), Ok(()));
        assert_eq!(check_declared(None, 10), Ok(()));
        assert_eq!(check_declared(Some("lots"), 10), Ok(()));
        assert_eq!(
            check_declared(Some(" 2147483648 "), 200_000_000).map_err(|e| e.declared),
            Err(Some(2_147_483_648))
        );
    }

    #[test]
    fn a_body_without_a_length_is_cut_past_the_cap() {
        let mut b = CappedBody::new(10, None);
        assert_eq!(b.push(b"{\"a\":"), Ok(()));
        assert_eq!(b.push(b"12"), Ok(()));
        assert_eq!(b.len(), 7);
        assert_eq!(
            b.push(b"3456}"),
            Err(TooLarge {
                limit: 10,
                declared: None
            })
        );
        assert!(b.is_empty(), "a refused body's bytes are freed");
        let mut exact = CappedBody::new(3, Some(3));
        assert_eq!(exact.push(b"abc"), Ok(()));
        assert_eq!(exact.into_text(), "abc");
    }

    #[test]
    fn text_is_decoded_as_the_browser_does() {
        let mut b = CappedBody::new(100, None);
        b.push(b"\xEF\xBB\xBF{\"name\":\"Calais \xC3\xA9\xFF\"}")
            .unwrap();
        assert_eq!(b.into_text(), "{\"name\":\"Calais é\u{FFFD}\"}");
    }

    #[test]
    fn caps_are_read_and_checked_with_the_field_named() {
        let m = |t: &str| -> Map<String, Value> { serde_json::from_str(t).unwrap() };
        assert_eq!(parse_limits(&m("{}")), Ok(Limits::default()));
        let l = parse_limits(&m(r#"{"layer_mb": 0.5, "snapshot_mb": 1000}"#)).unwrap();
        assert_eq!(
            (l.layer_bytes(), l.snapshot_bytes()),
            (500_000, 1_000_000_000)
        );
        assert_eq!(l.bytes(Cap::Zones), 10_000_000);
        assert_eq!(l.bytes(Cap::Config), CONFIG_MAX_BYTES);
        assert_eq!(Cap::HistoryPage.key(), Some("limits.history_page_mb"));
        for (text, field) in [
            (r#"{"layer_mb": 0}"#, "limits.layer_mb"),
            (r#"{"zones_mb": 1e9}"#, "limits.zones_mb"),
            (r#"{"snapshot_mb": 2000}"#, "limits.snapshot_mb"),
            (r#"{"history_page_mb": -1}"#, "limits.history_page_mb"),
        ] {
            match parse_limits(&m(text)) {
                Err(ConfigError::Invalid { field: f, problem }) => {
                    assert_eq!(f, field);
                    assert!(matches!(problem, ConfigProblem::OutOfRange { .. }));
                }
                other => panic!("{text}: {other:?}"),
            }
        }
        assert!(matches!(
            parse_limits(&m(r#"{"layer_mb": "big"}"#)),
            Err(ConfigError::Invalid {
                problem: ConfigProblem::WrongType(_),
                ..
            })
        ));
    }
}
