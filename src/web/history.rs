//! The incident history in the page (issue 12, floor 1): the reports of the heatmap's span
//! loaded page by page from `GET incidents.history_url?from=&to=[&cursor=]` (docs/api.md) into
//! the core's columns ([`History`]), plus every live incident as the feed's store receives it.
//!
//! Units: times are ms since the Unix epoch (UTC; RFC 3339 on the wire), positions EPSG:3857
//! metres once read (`core::incident`'s reader, the one the snapshot uses), memory in bytes.
//!
//! The history is not a signal (tens of thousands of reports must not be cloned): it lives in
//! an `Rc<RefCell<History>>` the heatmap layer borrows; [`IncidentHistory::revision`] changes
//! whenever reports are added. Nothing here breaks the map: an API without history (404) leaves
//! the live incidents alone ([`HistoryStatus::Absent`], said once in the panel); a page that
//! cannot be used (no answer, an HTTP error such as a 400 with its `{"error"}` text, not JSON)
//! stops the loading with a [`HistoryProblem`] and keeps what was loaded; a bad feature is
//! skipped and counted.
//!
//! Bounded for a page left running for weeks: as live incidents come in, the reports earlier
//! than `history::keep_from` (the last 30 days, or the start of a compared or custom window the
//! span was widened for) are dropped and the span's start follows; the columns hold at most
//! `history::MAX_REPORTS` (the oldest go).

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;

use crate::core::config::IncidentFeedConfig;
use crate::core::feed::with_query;
use crate::core::heatmap::displacement::Window;
use crate::core::heatmap::history::{History, Report, keep_from};
use crate::core::incident::{IncidentError, IncidentNames, Snapshot, Timestamp, parse_snapshot};
use crate::core::json::error_member;
use crate::env::wall_ms;
use crate::feed::{Fetched, Incidents, get};

/// Where loading the history stands.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum HistoryStatus {
    /// Not asked for yet (the heatmap has not been shown).
    #[default]
    Idle,
    /// Pages are coming in.
    Loading,
    /// Every page of the span is in.
    Loaded,
    /// The API has no history (404): the heatmap shows the live incidents alone.
    Absent,
    /// A page could not be used: loading stopped, what came before is kept.
    Failed(HistoryProblem),
}

/// Why a history page could not be used.
#[derive(Clone, Debug, PartialEq)]
pub enum HistoryProblem {
    /// No answer at all.
    Unreachable,
    /// The body was cut off.
    Truncated,
    /// An HTTP error status, with the body's `{"error": …}` text when it has one (a 400).
    Http { status: u16, error: Option<String> },
    /// Not JSON, or not a FeatureCollection with a `features` array.
    Unreadable(IncidentError),
    /// The server gave back the cursor it was asked with (it would never end).
    CursorRepeated,
    /// The page is larger than `limits.history_page_mb` (bytes): refused, not read.
    TooLarge { limit: u64 },
}

/// What the diagnostics panel shows of the history.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HistoryCounts {
    /// Reports held (history pages and live incidents, each id once).
    pub reports: usize,
    /// Memory held by the columns, bytes ([`History::bytes`]).
    pub bytes: usize,
    /// History pages read.
    pub pages: usize,
    /// Features of the pages that were skipped, and the last reason.
    pub skipped: usize,
    pub last_skip: Option<IncidentError>,
}

/// The history as the UI sees it: signals plus the shared columns. `Copy`.
#[derive(Clone, Copy)]
pub struct IncidentHistory {
    history: StoredValue<Rc<RefCell<History>>, LocalStorage>,
    /// Whether loading has been asked for (once).
    started: StoredValue<bool>,
    /// The start of the loaded span when it was widened past the last 30 days (a compared or
    /// custom window): kept while the page runs.
    pinned_from: StoredValue<Option<i64>>,
    /// Bumped whenever reports are added.
    pub revision: RwSignal<u64>,
    pub status: RwSignal<HistoryStatus>,
    pub counts: RwSignal<HistoryCounts>,
    /// The interval asked of the history endpoint (`None` until [`IncidentHistory::load`]):
    /// playback runs over it, comparison windows are checked against it.
    pub span: RwSignal<Option<Window>>,
}

impl Default for IncidentHistory {
    fn default() -> Self {
        IncidentHistory::new()
    }
}

/// A page's answer: its reports (`Ok(Some)`), no history at all (`Ok(None)`: 404), or why it
/// cannot be used.
pub fn read_page(
    fetched: Fetched,
    names: &IncidentNames,
) -> Result<Option<Snapshot>, HistoryProblem> {
    match fetched {
        Fetched::Unreachable => Err(HistoryProblem::Unreachable),
        Fetched::Truncated => Err(HistoryProblem::Truncated),
        Fetched::TooLarge(refused) => Err(HistoryProblem::TooLarge {
            limit: refused.limit,
        }),
        Fetched::Body(404, _) => Ok(None),
        Fetched::RetryAfter(status, _) => Err(HistoryProblem::Http {
            status,
            error: None,
        }),
        Fetched::Body(status, body) if !(200..300).contains(&status) => {
            let error = error_member(&body);
            Err(HistoryProblem::Http { status, error })
        }
        Fetched::Body(_, text) => parse_snapshot(&text, names)
            .map(Some)
            .map_err(HistoryProblem::Unreadable),
    }
}

/// The URL of one page of `span` (after `cursor`).
pub fn page_url(base: &str, span: Window, cursor: Option<&str>) -> String {
    let rfc = |ms| {
        Timestamp::from_millis(ms)
            .map(Timestamp::to_rfc3339)
            .unwrap_or_default()
    };
    let url = with_query(base, "from", &rfc(span.from_ms));
    let url = with_query(&url, "to", &rfc(span.to_ms));
    match cursor {
        Some(c) => with_query(&url, "cursor", c),
        None => url,
    }
}

impl IncidentHistory {
    pub fn new() -> IncidentHistory {
        IncidentHistory {
            history: StoredValue::new_local(Rc::new(RefCell::new(History::new()))),
            started: StoredValue::new(false),
            pinned_from: StoredValue::new(None),
            revision: RwSignal::new(0),
            status: RwSignal::new(HistoryStatus::Idle),
            counts: RwSignal::new(HistoryCounts::default()),
            span: RwSignal::new(None),
        }
    }

    /// The columns, shared (the heatmap layer borrows them while it computes).
    pub fn shared(&self) -> Option<Rc<RefCell<History>>> {
        self.history.try_get_value()
    }

    /// Adds reports with `add`; bumps the revision and the counts if any was new.
    fn add(
        self,
        add: impl FnOnce(&mut History) -> usize,
        page: Option<(usize, Option<IncidentError>)>,
    ) {
        let Some(sh) = self.shared() else {
            return;
        };
        let Ok(mut h) = sh.try_borrow_mut() else {
            return;
        };
        let added = add(&mut h);
        let (reports, bytes) = (h.len(), h.bytes());
        drop(h);
        if added > 0 {
            self.revision.try_update(|r| *r += 1);
        }
        self.counts.try_update(|c| {
            c.reports = reports;
            c.bytes = bytes;
            if let Some((skipped, last)) = page {
                c.pages += 1;
                c.skipped += skipped;
                c.last_skip = last.or(c.last_skip.take());
            }
        });
    }

    /// Adds the live incidents as the feed's store receives them (every one on a resync; the
    /// history keeps an id once), and drops the reports older than the kept span.
    pub fn connect(self, feed: Incidents) {
        Effect::new(move |_| {
            feed.version.track();
            if feed.replaced().1 {
                // A snapshot: 100k incidents to look at, in a task of its own.
                wasm_bindgen_futures::spawn_local(async move {
                    crate::env::yield_now().await;
                    self.catch_up(feed);
                });
            } else {
                self.catch_up(feed);
            }
        });
    }

    /// Adds what the feed's store received since the last look.
    fn catch_up(self, feed: Incidents) {
        let _m = crate::env::Measured::start("history");
        let Some(changes) = feed.take_history_changes() else {
            return;
        };
        if !changes.resync && changes.ids.is_empty() {
            return;
        }
        let cutoff = keep_from(wall_ms() as i64, self.pinned_from.try_get_value().flatten());
        let mut dropped = 0;
        self.add(
            |h| {
                dropped = h.drop_before(cutoff);
                dropped
                    + feed
                        .with_store(|s| {
                            if changes.resync {
                                // A snapshot's 100k in one sort, not one shift each.
                                h.insert_many(s.iter().map(|i| (i.id.as_str(), Report::of(i))))
                            } else {
                                changes
                                    .ids
                                    .iter()
                                    .filter_map(|id| s.get(id))
                                    .filter(|i| h.insert_incident(i))
                                    .count()
                            }
                        })
                        .unwrap_or(0)
            },
            None,
        );
        if dropped > 0 {
            self.span.try_update(|s| {
                if let Some(w) = s.as_mut() {
                    w.from_ms = w.from_ms.max(cutoff).min(w.to_ms);
                }
            });
        }
    }

    /// Loads the history of `span` from the config's `history_url`, page by page (once; later
    /// calls do nothing).
    pub fn load(self, cfg: &IncidentFeedConfig, span: Window) {
        if self.started.try_get_value() != Some(false) {
            return;
        }
        self.started.set_value(true);
        let recent = keep_from(wall_ms() as i64, None);
        self.pinned_from
            .set_value((span.from_ms < recent).then_some(span.from_ms));
        self.span.set(Some(span));
        self.status.set(HistoryStatus::Loading);
        let base = cfg.history_url.clone();
        let names = cfg.properties.clone();
        let limit = cfg.limits.history_page_bytes();
        wasm_bindgen_futures::spawn_local(async move {
            let mut cursor: Option<String> = None;
            let end = loop {
                let fetched = get(&page_url(&base, span, cursor.as_deref()), limit).await;
                let page = match read_page(fetched, &names) {
                    Ok(Some(page)) => page,
                    Ok(None) => break HistoryStatus::Absent,
                    Err(problem) => break HistoryStatus::Failed(problem),
                };
                let skipped = (
                    page.rejected.len(),
                    page.rejected.last().map(|r| r.error.clone()),
                );
                self.add(
                    |h| {
                        page.incidents
                            .iter()
                            .filter(|i| h.insert_incident(i))
                            .count()
                    },
                    Some(skipped),
                );
                match page.next_cursor {
                    None => break HistoryStatus::Loaded,
                    Some(next) if cursor.as_ref() == Some(&next) => {
                        break HistoryStatus::Failed(HistoryProblem::CursorRepeated);
                    }
                    next => cursor = next,
                }
            };
            self.status.try_set(end);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> IncidentNames {
        IncidentNames::default()
    }

    const PAGE: &str = r#"{"type": "FeatureCollection", "next_cursor": "491627.12",
      "features": [
        {"type": "Feature", "id": "h1-0", "geometry": {"type": "Point", "coordinates": [1.85, 50.96]},
         "properties": {"kind": "small_boat", "severity": 4, "status": "closed",
           "reported_at": "2026-11-05T11:02:13Z", "updated_at": "2026-11-05T12:30:40Z"}},
        {"type": "Feature", "id": "h1-1", "geometry": {"type": "Point", "coordinates": [1.85, 95.0]},
         "properties": {"kind": "small_boat", "severity": 4, "status": "closed",
           "reported_at": "2026-11-05T11:02:13Z", "updated_at": "2026-11-05T12:30:40Z"}}]}"#;

    #[test]
    fn a_page_gives_its_reports_its_skips_and_the_next_cursor() {
        let page = read_page(Fetched::Body(200, PAGE.into()), &names())
            .expect("usable")
            .expect("a page");
        assert_eq!(page.incidents.len(), 1);
        assert_eq!(
            page.rejected.len(),
            1,
            "the latitude out of range is skipped"
        );
        assert_eq!(page.next_cursor.as_deref(), Some("491627.12"));
        let last = PAGE.replace(r#""491627.12""#, "null");
        let page = read_page(Fetched::Body(200, last), &names())
            .unwrap()
            .unwrap();
        assert_eq!(page.next_cursor, None, "null ends the list");
    }

    #[test]
    fn no_history_bad_pages_and_errors() {
        assert_eq!(
            read_page(Fetched::Body(404, "nope".into()), &names()),
            Ok(None)
        );
        assert_eq!(
            read_page(
                Fetched::Body(400, r#"{"error": "bad cursor"}"#.into()),
                &names()
            ),
            Err(HistoryProblem::Http {
                status: 400,
                error: Some("bad cursor".into())
            })
        );
        assert_eq!(
            read_page(Fetched::Body(502, "<html>".into()), &names()),
            Err(HistoryProblem::Http {
                status: 502,
                error: None
            })
        );
        assert!(matches!(
            read_page(Fetched::Body(200, "<html>oops".into()), &names()),
            Err(HistoryProblem::Unreadable(_))
        ));
        assert_eq!(
            read_page(Fetched::Unreachable, &names()),
            Err(HistoryProblem::Unreachable)
        );
    }

    #[test]
    fn page_urls_carry_the_span_and_the_cursor() {
        let span = Window {
            from_ms: 1_700_000_000_000,
            to_ms: 1_700_086_400_000,
        };
        let u = page_url("api/incidents/history", span, None);
        assert!(
            u.starts_with("api/incidents/history?from=2023-11-14T22"),
            "{u}"
        );
        assert!(u.contains("&to=2023-11-15T22"), "{u}");
        let u = page_url("api/incidents/history", span, Some("12.3"));
        assert!(u.ends_with("&cursor=12.3"), "{u}");
    }
}
