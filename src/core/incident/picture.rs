//! The last good picture (issue 14 item 3): the incidents the page last had from a live feed,
//! kept by the shell in the browser's own store so that a page opened with no network shows
//! them, marked as offline with their age, and never as live.
//!
//! Units: times are [`Timestamp`]s (ms since the Unix epoch, UTC) or wall-clock ms
//! (`Date.now()`, as the feed machine's clock); ages are whole seconds; positions are degrees
//! WGS84 as in the API's GeoJSON (`Incident::position`). No I/O: the shell reads and writes the
//! text ([`write_picture`], [`read_picture`]) and asks [`SavePolicy::due`] when to write and
//! [`shown`] which picture the page shows.
//!
//! The text is the API's snapshot form (docs/api.md: a FeatureCollection of incident Features
//! under the configured property names, read back by [`parse_snapshot`], the one incident
//! reader) without a `cursor`: a stored picture can never resume the stream. Its time, when it
//! was last known current (the feed's last delivery), is kept beside it as RFC 3339 text (the
//! shell stores it as a header of the same cache entry, so text and time are written as one).
//! Kept per incident: what the card and the map show (kind, severity, status, times, position,
//! description, source, accuracy, the other properties as their display text); not kept:
//! tracks and SSE sequence ids (a live snapshot replaces the picture whole).
//!
//! Built as `serde_json::Value`s by hand (not `json!`, whose `to_value(..).unwrap()` links a
//! panic path and serde_json's `Debug`), and the cap chosen by the incident list's own
//! selection (`filter::listing`, newest first; no sort of its own): measured on the release
//! bundle, issue 14's offline part in BENCHMARKS.md.

use super::{
    Incident, IncidentError, IncidentFilter, IncidentNames, IncidentStore, Snapshot, StatusFilter,
    Timestamp, listing, parse_snapshot,
};
use serde_json::{Map, Value};

/// At most this many incidents are written (open ones first, then the most recently updated
/// closed ones): about 400 bytes each, so a picture stays under ~8 MB of storage.
pub const MAX_PICTURE_INCIDENTS: usize = 20_000;
/// While the picture changes, at most one write this often (wall-clock ms).
pub const SAVE_GAP_MS: f64 = 30_000.0;
/// While the feed is live and nothing changes, the picture is written again this often, so
/// that its `as_of` (and so the age an offline start shows) stays close to the truth.
pub const SAVE_REFRESH_MS: f64 = 300_000.0;

/// A picture read back from the store.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredPicture {
    /// When it was last known to be current.
    pub as_of: Timestamp,
    /// Its incidents (cursor always `None`), to apply to the store as a snapshot.
    pub snapshot: Snapshot,
}

/// Why a stored text is not a picture (the page then starts without one and says so).
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum PictureError {
    #[error("not an incident snapshot: {0}")]
    Snapshot(IncidentError),
    #[error("no valid `as_of` time")]
    NoTime,
}

/// Which picture the page shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shown {
    /// A snapshot from the live feed arrived in this page: its picture is the feed's.
    Live,
    /// No live snapshot yet and the feed failed, a stored picture exists: show it, marked
    /// offline, with its time.
    Stored { as_of: Timestamp },
    /// Nothing to show yet: the first answer is awaited (a page online gets its live snapshot
    /// without a flash of the old picture), or nothing is stored.
    Nothing,
}

/// The decision, from the live snapshots applied in this page, whether the feed has failed
/// since the page opened (status neither connecting nor live: offline, reconnecting, stale)
/// and the stored picture's time. A live snapshot always wins: the stored picture is never
/// shown once the feed has delivered one, even if the feed is lost again later (the store then
/// holds the newer, live picture and the feed's own "stale since" says its age).
pub fn shown(live_snapshots: u64, feed_failed: bool, stored: Option<Timestamp>) -> Shown {
    match (live_snapshots, feed_failed, stored) {
        (0, true, Some(as_of)) => Shown::Stored { as_of },
        (0, _, _) => Shown::Nothing,
        _ => Shown::Live,
    }
}

/// The picture's age at `now_ms` (wall-clock ms) in whole seconds; a picture from the future
/// (the clock went back) is 0 s old.
pub fn age_s(as_of: Timestamp, now_ms: f64) -> u64 {
    let age = (now_ms - as_of.millis() as f64) / 1_000.0;
    if age.is_finite() && age > 0.0 {
        age.floor() as u64
    } else {
        0
    }
}

/// When the shell writes the picture: asked on the feed's status changes and on its clock.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SavePolicy {
    /// Wall-clock ms of the last write and the store version written.
    saved: Option<(f64, u64)>,
    /// The feed's last delivery time (ms) at the last write.
    saved_last: Option<f64>,
    was_live: bool,
}

impl SavePolicy {
    /// Whether to write the store's picture now (and, if so, it counts as written):
    /// * while the feed is live: the first time; when the store changed and [`SAVE_GAP_MS`]
    ///   passed since the last write; or [`SAVE_REFRESH_MS`] after it in any case;
    /// * when the feed has just stopped being live (lost, offline, stale): once more if the
    ///   last delivery (`last`, ms) is newer than the written one, so the picture's time is the
    ///   last moment it was known current;
    /// * otherwise never: only a live feed's picture is good.
    pub fn due(&mut self, now_ms: f64, version: u64, live: bool, last: Option<f64>) -> bool {
        let was_live = std::mem::replace(&mut self.was_live, live);
        let due = match (live, self.saved) {
            (true, None) => true,
            (true, Some((at, v))) => {
                let since = now_ms - at;
                (v != version && since >= SAVE_GAP_MS) || since >= SAVE_REFRESH_MS
            }
            (false, saved) => {
                was_live
                    && saved.is_some()
                    && (saved.is_some_and(|(_, v)| v != version)
                        || last.is_some_and(|l| self.saved_last.is_none_or(|s| l > s)))
            }
        };
        if due {
            self.saved = Some((now_ms, version));
            self.saved_last = last;
        }
        due
    }
}

/// The picture's text: at most [`MAX_PICTURE_INCIDENTS`] of the store's incidents (the open
/// ones newest first, then the closed ones newest first), under `names`. Its time is kept
/// beside it (`as_of.to_rfc3339()`).
pub fn write_picture(store: &IncidentStore, names: &IncidentNames) -> String {
    let mut text = PictureText::new();
    for i in chosen(store) {
        text.push(i, names);
    }
    text.finish()
}

/// The incidents a picture holds, in its order: at most [`MAX_PICTURE_INCIDENTS`], the open
/// ones newest first, then the closed ones newest first.
pub fn chosen(store: &IncidentStore) -> Vec<&Incident> {
    let of = |status| IncidentFilter {
        status,
        ..IncidentFilter::default()
    };
    // The filters have no time window: `now` is not read.
    let open = listing(
        store,
        &of(StatusFilter::Open),
        Timestamp::MIN,
        MAX_PICTURE_INCIDENTS,
    );
    let room = MAX_PICTURE_INCIDENTS - open.rows.len();
    let closed = listing(store, &of(StatusFilter::Closed), Timestamp::MIN, room);
    open.rows.into_iter().chain(closed.rows).collect()
}

/// A picture's text written a feature at a time ([`write_picture`]'s text, which the page
/// writes in slices: issue 15 item 4): `{"type":"FeatureCollection","features":[…]}`.
pub struct PictureText {
    text: String,
    features: usize,
}

impl Default for PictureText {
    fn default() -> Self {
        PictureText::new()
    }
}

impl PictureText {
    pub fn new() -> PictureText {
        PictureText {
            text: r#"{"type":"FeatureCollection","features":["#.to_string(),
            features: 0,
        }
    }

    /// Adds one incident as a Feature under `names`.
    pub fn push(&mut self, i: &Incident, names: &IncidentNames) {
        if self.features > 0 {
            self.text.push(',');
        }
        self.text.push_str(&feature(i, names).to_string());
        self.features += 1;
    }

    pub fn finish(mut self) -> String {
        self.text.push_str("]}");
        self.text
    }
}

fn text(s: &str) -> Value {
    Value::String(s.to_string())
}

fn object<const N: usize>(members: [(&str, Value); N]) -> Value {
    Value::Object(
        members
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

fn feature(i: &Incident, names: &IncidentNames) -> Value {
    let mut p = Map::new();
    for (k, v) in &i.properties {
        p.insert(k.clone(), text(v));
    }
    let kind = i.kind_text.as_deref().unwrap_or(i.kind.key());
    let named = [
        (&names.id, text(&i.id)),
        (&names.kind, text(kind)),
        (&names.severity, Value::from(i.severity.get())),
        (&names.status, text(i.status.key())),
        (
            &names.reported_at,
            Value::String(i.reported_at.to_rfc3339()),
        ),
        (&names.updated_at, Value::String(i.updated_at.to_rfc3339())),
        (&names.description, text(&i.description)),
    ];
    for (k, v) in named {
        p.insert(k.clone(), v);
    }
    if let Some(s) = &i.source {
        p.insert(names.source.clone(), text(s));
    }
    if let Some(a) = i.accuracy_m {
        p.insert(names.accuracy.clone(), Value::from(a));
    }
    let coordinates = vec![Value::from(i.position.lon), Value::from(i.position.lat)];
    object([
        ("type", text("Feature")),
        ("id", text(&i.id)),
        (
            "geometry",
            object([
                ("type", text("Point")),
                ("coordinates", Value::Array(coordinates)),
            ]),
        ),
        ("properties", Value::Object(p)),
    ])
}

/// A stored text and its time (RFC 3339) back as a picture: its incidents through the
/// snapshot reader (a bad feature is rejected on its own, as in a live snapshot; a cursor in
/// the text is dropped).
pub fn read_picture(
    text: &str,
    as_of: &str,
    names: &IncidentNames,
) -> Result<StoredPicture, PictureError> {
    let as_of = Timestamp::parse_rfc3339(as_of).ok_or(PictureError::NoTime)?;
    let mut snapshot = parse_snapshot(text, names).map_err(PictureError::Snapshot)?;
    snapshot.cursor = None;
    snapshot.next_cursor = None;
    Ok(StoredPicture { as_of, snapshot })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incident::parse_incident;

    fn incident(id: &str, status: &str, updated: &str) -> Incident {
        let text = format!(
            r#"{{"type":"Feature","id":"{id}","geometry":{{"type":"Point","coordinates":[1.85,50.96]}},
            "properties":{{"kind":"drone_sighting","severity":4,"status":"{status}",
            "reported_at":"2026-06-11T09:00:00Z","updated_at":"{updated}",
            "description":"<b>40 persons</b> & \"quotes\"","source":"cam-T-16","accuracy_m":150,
            "vessel":"dinghy","count":40}}}}"#
        );
        parse_incident(&text, &IncidentNames::default()).expect("valid incident")
    }

    fn store_of(incidents: Vec<Incident>) -> IncidentStore {
        let mut store = IncidentStore::new();
        for i in incidents {
            store.upsert(i);
        }
        store
    }

    fn t(s: &str) -> Timestamp {
        Timestamp::parse_rfc3339(s).expect("time")
    }

    #[test]
    fn a_picture_reads_back_as_written() {
        let names = IncidentNames::default();
        let a = incident("inc-1", "open", "2026-06-11T09:03:10Z");
        let b = incident("inc-2", "closed", "2026-06-11T09:05:00Z");
        let text = write_picture(&store_of(vec![b.clone(), a.clone()]), &names);
        let back = read_picture(&text, "2026-06-11T14:02:00.000Z", &names).expect("a picture");
        assert_eq!(back.as_of, t("2026-06-11T14:02:00Z"));
        assert!(back.snapshot.rejected.is_empty());
        assert_eq!(back.snapshot.cursor, None);
        // Every field the card and the map show survives (the unknown kind's text, markup in
        // the description as text, the other properties as their display text).
        assert_eq!(back.snapshot.incidents, vec![a, b]);
    }

    #[test]
    fn configured_property_names_are_used_both_ways() {
        let names = IncidentNames {
            severity: "prio".into(),
            kind: "type".into(),
            ..IncidentNames::default()
        };
        let text = r#"{"type":"Feature","id":"x","geometry":{"type":"Point","coordinates":[1.8,50.9]},
            "properties":{"type":"small_boat","prio":2,"status":"open",
            "reported_at":"2026-06-11T09:00:00Z","updated_at":"2026-06-11T09:00:00Z"}}"#;
        let inc = parse_incident(text, &names).expect("valid");
        let pic = write_picture(&store_of(vec![inc.clone()]), &names);
        assert!(pic.contains("\"prio\":2"), "{pic}");
        let back = read_picture(&pic, "2026-06-11T10:00:00Z", &names).expect("picture");
        assert_eq!(back.snapshot.incidents, vec![inc]);
    }

    #[test]
    fn the_cap_keeps_open_then_the_newest() {
        let names = IncidentNames::default();
        let mut all = Vec::new();
        for n in 0..(MAX_PICTURE_INCIDENTS + 5) {
            let updated = format!(
                "2026-06-11T{:02}:{:02}:{:02}Z",
                10 + n / 3600 % 10,
                n / 60 % 60,
                n % 60
            );
            all.push(incident(&format!("c-{n}"), "closed", &updated));
        }
        all.push(incident("old-open", "open", "2026-06-01T00:00:00Z"));
        let text = write_picture(&store_of(all), &names);
        let back = read_picture(&text, "2026-06-11T23:00:00Z", &names)
            .expect("picture")
            .snapshot
            .incidents;
        assert_eq!(back.len(), MAX_PICTURE_INCIDENTS);
        assert_eq!(back.first().map(|i| i.id.as_str()), Some("old-open"));
        // The six oldest closed ones went (20,006 held; the old open one is kept, first).
        let gone = ["c-0", "c-1", "c-2", "c-3", "c-4", "c-5"];
        assert!(back.iter().all(|i| !gone.contains(&i.id.as_str())));
        assert!(back.iter().any(|i| i.id == "c-6"));
    }

    #[test]
    fn texts_that_are_not_pictures_are_refused() {
        let names = IncidentNames::default();
        let at = "2026-06-11T14:02:00Z";
        assert!(matches!(
            read_picture("", at, &names),
            Err(PictureError::Snapshot(_))
        ));
        assert!(matches!(
            read_picture("[1]", at, &names),
            Err(PictureError::Snapshot(_))
        ));
        // A picture needs its time.
        let empty = r#"{"type":"FeatureCollection","features":[]}"#;
        assert_eq!(read_picture(empty, "", &names), Err(PictureError::NoTime));
        assert_eq!(
            read_picture(empty, "14:02", &names),
            Err(PictureError::NoTime)
        );
        // A cursor in the text is never handed on.
        let with_cursor = r#"{"type":"FeatureCollection","cursor":"17","features":[]}"#;
        assert_eq!(
            read_picture(with_cursor, at, &names).map(|p| p.snapshot.cursor),
            Ok(None)
        );
    }

    #[test]
    fn a_live_snapshot_always_wins_over_the_stored_picture() {
        let as_of = t("2026-06-11T14:02:00Z");
        assert_eq!(shown(0, true, Some(as_of)), Shown::Stored { as_of });
        // Still waiting for the first answer: no flash of the old picture.
        assert_eq!(shown(0, false, Some(as_of)), Shown::Nothing);
        assert_eq!(shown(0, true, None), Shown::Nothing);
        assert_eq!(shown(1, true, Some(as_of)), Shown::Live);
        assert_eq!(shown(3, false, None), Shown::Live);
    }

    #[test]
    fn ages_are_whole_seconds_never_negative() {
        let as_of = t("2026-06-11T14:02:00Z");
        let ms = as_of.millis() as f64;
        assert_eq!(age_s(as_of, ms + 37.0 * 60_000.0 + 999.0), 37 * 60);
        assert_eq!(age_s(as_of, ms - 5_000.0), 0);
        assert_eq!(age_s(as_of, f64::NAN), 0);
    }

    #[test]
    fn writes_follow_the_live_feed_at_a_bounded_rate() {
        let mut p = SavePolicy::default();
        // Not live yet: nothing is good enough to keep.
        assert!(!p.due(0.0, 1, false, None));
        // First live moment: written.
        assert!(p.due(1_000.0, 1, true, Some(1_000.0)));
        // Changes within the gap wait; after it, one write.
        assert!(!p.due(2_000.0, 2, true, Some(2_000.0)));
        assert!(!p.due(30_999.0, 5, true, Some(30_999.0)));
        assert!(p.due(31_000.0, 5, true, Some(31_000.0)));
        // Unchanged: only the refresh.
        assert!(!p.due(200_000.0, 5, true, Some(200_000.0)));
        assert!(p.due(331_000.0, 5, true, Some(331_000.0)));
        // Leaving live with a newer delivery than written: one last write, then nothing.
        assert!(!p.due(340_000.0, 5, true, Some(339_000.0)));
        assert!(p.due(350_000.0, 5, false, Some(339_000.0)));
        assert!(!p.due(351_000.0, 5, false, Some(339_000.0)));
        assert!(!p.due(900_000.0, 6, false, Some(339_000.0)));
        // Live again: the gap counts from the last write.
        assert!(p.due(900_001.0, 7, true, Some(900_001.0)));
    }

    #[test]
    fn leaving_live_with_nothing_new_writes_nothing() {
        let mut p = SavePolicy::default();
        assert!(p.due(0.0, 1, true, Some(0.0)));
        assert!(!p.due(1_000.0, 1, false, Some(0.0)));
    }
}
