//! What the operator asked to see: the incident filter (kind, severity, status, time window)
//! and the list order, applied to the store.
//!
//! Units: times are [`Timestamp`]s (ms since the Unix epoch, UTC); windows are milliseconds.
//! The filter applies to the list panel and to the map drawing alike; the sort order only to
//! the list.

use super::{Incident, IncidentKind, IncidentStore, Status, Timestamp};
use std::cmp::Ordering;

/// Which statuses to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StatusFilter {
    All,
    Open,
    Closed,
}

impl StatusFilter {
    pub const ALL: [StatusFilter; 3] =
        [StatusFilter::All, StatusFilter::Open, StatusFilter::Closed];

    /// Form value: "all", "open", "closed".
    pub fn key(self) -> &'static str {
        match self {
            StatusFilter::All => "all",
            StatusFilter::Open => "open",
            StatusFilter::Closed => "closed",
        }
    }

    pub fn from_key(s: &str) -> Option<StatusFilter> {
        StatusFilter::ALL.into_iter().find(|f| f.key() == s)
    }

    pub fn admits(self, status: Status) -> bool {
        match self {
            StatusFilter::All => true,
            StatusFilter::Open => status == Status::Open,
            StatusFilter::Closed => status == Status::Closed,
        }
    }
}

/// How far back (by `updated_at`) to show incidents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TimeWindow {
    All,
    Min15,
    Hour1,
    Hour6,
    Hour24,
}

impl TimeWindow {
    pub const ALL: [TimeWindow; 5] = [
        TimeWindow::All,
        TimeWindow::Min15,
        TimeWindow::Hour1,
        TimeWindow::Hour6,
        TimeWindow::Hour24,
    ];

    /// Form value: "all", "15m", "1h", "6h", "24h".
    pub fn key(self) -> &'static str {
        match self {
            TimeWindow::All => "all",
            TimeWindow::Min15 => "15m",
            TimeWindow::Hour1 => "1h",
            TimeWindow::Hour6 => "6h",
            TimeWindow::Hour24 => "24h",
        }
    }

    pub fn from_key(s: &str) -> Option<TimeWindow> {
        TimeWindow::ALL.into_iter().find(|w| w.key() == s)
    }

    /// The window's length in ms (`None` = no limit).
    pub fn millis(self) -> Option<i64> {
        match self {
            TimeWindow::All => None,
            TimeWindow::Min15 => Some(15 * 60_000),
            TimeWindow::Hour1 => Some(3_600_000),
            TimeWindow::Hour6 => Some(6 * 3_600_000),
            TimeWindow::Hour24 => Some(24 * 3_600_000),
        }
    }
}

/// List order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SortOrder {
    /// Latest `updated_at` first (then id).
    Newest,
    /// Highest severity first, then latest `updated_at`, then id.
    Severity,
}

impl SortOrder {
    pub const ALL: [SortOrder; 2] = [SortOrder::Newest, SortOrder::Severity];

    /// Form value: "newest", "severity".
    pub fn key(self) -> &'static str {
        match self {
            SortOrder::Newest => "newest",
            SortOrder::Severity => "severity",
        }
    }

    pub fn from_key(s: &str) -> Option<SortOrder> {
        SortOrder::ALL.into_iter().find(|o| o.key() == s)
    }

    fn compare(self, a: &Incident, b: &Incident) -> Ordering {
        let newest = b
            .updated_at
            .cmp(&a.updated_at)
            .then_with(|| a.id.cmp(&b.id));
        match self {
            SortOrder::Newest => newest,
            SortOrder::Severity => b.severity.cmp(&a.severity).then(newest),
        }
    }
}

/// The operator's incident filter and list order. The default shows everything, newest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct IncidentFilter {
    /// Shown kinds, indexed by [`IncidentKind::index`].
    pub kinds: [bool; IncidentKind::ALL.len()],
    /// Lowest severity shown, 1..=5.
    pub min_severity: u8,
    pub status: StatusFilter,
    pub window: TimeWindow,
    pub sort: SortOrder,
}

impl Default for IncidentFilter {
    fn default() -> Self {
        IncidentFilter {
            kinds: [true; IncidentKind::ALL.len()],
            min_severity: 1,
            status: StatusFilter::All,
            window: TimeWindow::All,
            sort: SortOrder::Newest,
        }
    }
}

impl IncidentFilter {
    /// Whether `inc` passes the filter at time `now` (the window counts back from `now`;
    /// an update stamped in the future passes).
    pub fn matches(&self, inc: &Incident, now: Timestamp) -> bool {
        self.kinds.get(inc.kind.index()).copied().unwrap_or(true)
            && inc.severity.get() >= self.min_severity
            && self.status.admits(inc.status)
            && self
                .window
                .millis()
                .is_none_or(|w| inc.updated_at.millis() >= now.millis().saturating_sub(w))
    }

    /// `true` when the filter lets everything through (the map can skip filtering).
    pub fn is_everything(&self) -> bool {
        let all = IncidentFilter::default();
        self.kinds == all.kinds
            && self.min_severity <= 1
            && self.status == StatusFilter::All
            && self.window == TimeWindow::All
    }

    /// The same filter with the default sort (what the map depends on: order is list-only).
    pub fn for_map(&self) -> IncidentFilter {
        IncidentFilter {
            sort: SortOrder::Newest,
            ..*self
        }
    }
}

/// The list panel's content: how many incidents match, and the first `limit` in order.
#[derive(Debug)]
pub struct Listing<'a> {
    pub total: usize,
    pub rows: Vec<&'a Incident>,
}

/// Filters the store and returns the first `limit` matches in the filter's order.
/// O(n) plus O(limit · log limit): a selection, not a full sort.
pub fn listing<'a>(
    store: &'a IncidentStore,
    filter: &IncidentFilter,
    now: Timestamp,
    limit: usize,
) -> Listing<'a> {
    let mut rows: Vec<&Incident> = store.iter().filter(|i| filter.matches(i, now)).collect();
    let total = rows.len();
    let order = |a: &&Incident, b: &&Incident| filter.sort.compare(a, b);
    if limit == 0 {
        rows.clear();
    } else if rows.len() > limit {
        rows.select_nth_unstable_by(limit - 1, order);
        rows.truncate(limit);
    }
    // At most `limit` rows (the list's 200): the shared sort, not one more instance of it
    // (ids are distinct, so the order is total: stable or not, the same rows).
    crate::compact_sort::sort_by(&mut rows, order);
    Listing { total, rows }
}
