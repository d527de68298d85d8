//! Incident reports over days, kept as columns for the heatmap and comparisons.
//!
//! Units: times are milliseconds since the Unix epoch (UTC, the report's `reported_at`),
//! positions EPSG:3857 metres stored as `f32` (0.5 m steps at these northings: finer than any
//! report's accuracy, half the memory of `f64`).
//!
//! One report costs 27 bytes of columns (time 8, id hash 8, x 4, y 4, kind, severity, status 1
//! each) plus its id hash in a set, instead of an `Incident` object of several hundred bytes
//! with its strings: 30 days at the demo rate (~43,000 reports) are about 1.6 MB.
//! [`History::bytes`] reports what is held (the diagnostics panel shows it).
//!
//! Bounded for a page that runs for weeks: the page drops the reports older than the span it
//! keeps ([`History::drop_before`], [`keep_from`]), and a history never holds more than its cap
//! ([`MAX_REPORTS`] by default): past it the oldest reports go, in batches of 1/64 of the cap.
//!
//! Reports are kept sorted by time (appending in order is the common case: history pages come
//! oldest first and live incidents are newer); a report whose id is already held is ignored, so
//! a live incident that is also in a history page counts once.

use super::displacement::Window;
use crate::incident::{Incident, IncidentFilter, IncidentKind, Severity, Status};
use crate::units::Mercator;
use rustc_hash::FxHashSet;
use std::ops::Range;

/// How far back the page loads history by default, days (the longest window preset).
pub const LOAD_DAYS: i64 = 30;

/// Most reports a [`History`] holds by default (the heatmap benchmark's largest history,
/// about 45 MB with the id set).
pub const MAX_REPORTS: usize = 1_000_000;

/// The earliest report time the page keeps at `now_ms`: the last [`LOAD_DAYS`] days, or from
/// `pinned_from_ms` (the start of a compared or custom window the loaded span was widened
/// for) if that is earlier; floored to the hour, so the cut moves once an hour.
pub fn keep_from(now_ms: i64, pinned_from_ms: Option<i64>) -> i64 {
    const HOUR_MS: i64 = 3_600_000;
    let recent = now_ms.saturating_sub(LOAD_DAYS * 86_400_000);
    let from = pinned_from_ms.map_or(recent, |p| p.min(recent));
    from - from.rem_euclid(HOUR_MS)
}

/// The interval of history the page loads: the last [`LOAD_DAYS`] days up to `now_ms`,
/// widened to cover the two windows to compare when there are some (ms since the epoch).
pub fn load_span(now_ms: i64, compare: Option<(Window, Window)>) -> Window {
    let recent = Window {
        from_ms: now_ms - LOAD_DAYS * 86_400_000,
        to_ms: now_ms,
    };
    compare.map_or(recent, |(a, b)| Window {
        from_ms: recent.from_ms.min(a.from_ms).min(b.from_ms),
        to_ms: recent.to_ms.max(a.to_ms).max(b.to_ms),
    })
}

/// How much a report weighs in a density.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Weighting {
    /// Every report counts 1 (the default).
    #[default]
    Count,
    /// A report counts its severity, 1 to 5.
    Severity,
}

/// One report as the history keeps it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Report {
    pub reported_ms: i64,
    pub at: Mercator,
    pub kind: IncidentKind,
    pub severity: Severity,
    pub status: Status,
}

impl Report {
    /// The report of an incident (its current position, kind, severity and status).
    pub fn of(inc: &Incident) -> Report {
        Report {
            reported_ms: inc.reported_at.millis(),
            at: inc.at,
            kind: inc.kind,
            severity: inc.severity,
            status: inc.status,
        }
    }
}

/// Reports in time order, as columns.
#[derive(Clone, Debug)]
pub struct History {
    t: Vec<i64>,
    /// [`id_hash`] of each report's id (to forget it when the report is dropped).
    id: Vec<u64>,
    x: Vec<f32>,
    y: Vec<f32>,
    kind: Vec<u8>,
    severity: Vec<u8>,
    status: Vec<u8>,
    ids: FxHashSet<u64>,
    /// Most reports held (at least 64).
    cap: usize,
}

impl Default for History {
    fn default() -> History {
        History::with_cap(MAX_REPORTS)
    }
}

/// FNV-1a of an id: the history keeps 8 bytes per id, not the string.
fn id_hash(id: &str) -> u64 {
    id.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

impl History {
    pub fn new() -> History {
        History::default()
    }

    /// An empty history holding at most `cap` reports (at least 64).
    pub fn with_cap(cap: usize) -> History {
        History {
            t: Vec::new(),
            id: Vec::new(),
            x: Vec::new(),
            y: Vec::new(),
            kind: Vec::new(),
            severity: Vec::new(),
            status: Vec::new(),
            ids: FxHashSet::default(),
            cap: cap.max(64),
        }
    }

    /// Most reports held.
    pub fn cap(&self) -> usize {
        self.cap
    }

    /// Drops the `n` oldest reports (and forgets their ids); returns how many went.
    fn drop_oldest(&mut self, n: usize) -> usize {
        let n = n.min(self.t.len());
        for h in self.id.drain(..n) {
            self.ids.remove(&h);
        }
        self.t.drain(..n);
        self.x.drain(..n);
        self.y.drain(..n);
        self.kind.drain(..n);
        self.severity.drain(..n);
        self.status.drain(..n);
        n
    }

    /// Drops the reports earlier than `cutoff_ms` (their ids are forgotten: the same id
    /// would count again); returns how many went.
    pub fn drop_before(&mut self, cutoff_ms: i64) -> usize {
        let n = self.t.partition_point(|t| *t < cutoff_ms);
        self.drop_oldest(n)
    }

    /// Number of reports held.
    pub fn len(&self) -> usize {
        self.t.len()
    }

    pub fn is_empty(&self) -> bool {
        self.t.is_empty()
    }

    /// Bytes held by the columns and the id set (capacity, not just length).
    pub fn bytes(&self) -> usize {
        self.t.capacity() * 8
            + (self.x.capacity() + self.y.capacity()) * 4
            + self.kind.capacity()
            + self.severity.capacity()
            + self.status.capacity()
            + self.id.capacity() * 8
            + self.ids.capacity() * 9
    }

    /// First and last report time, ms.
    pub fn span(&self) -> Option<(i64, i64)> {
        Some((*self.t.first()?, *self.t.last()?))
    }

    /// Add a report under `id`; `false` (nothing added) when the id is already held or the
    /// position is not finite.
    pub fn insert(&mut self, id: &str, r: Report) -> bool {
        let h = id_hash(id);
        if !(r.at.x.is_finite() && r.at.y.is_finite() && self.ids.insert(h)) {
            return false;
        }
        let at = if self.t.last().is_none_or(|last| *last <= r.reported_ms) {
            self.t.len()
        } else {
            self.t.partition_point(|t| *t <= r.reported_ms)
        };
        self.t.insert(at, r.reported_ms);
        self.id.insert(at, h);
        self.x.insert(at, r.at.x as f32);
        self.y.insert(at, r.at.y as f32);
        self.kind.insert(at, r.kind.index() as u8);
        self.severity.insert(at, r.severity.get());
        self.status.insert(at, u8::from(r.status == Status::Closed));
        if self.t.len() > self.cap {
            // At the cap the oldest go, a batch at a time (draining the columns' fronts
            // costs a pass over them).
            let excess = self.t.len() - self.cap;
            self.drop_oldest(excess + self.cap / 64);
        }
        true
    }

    /// Adds many reports at once (a snapshot's 100k): the reports [`History::insert`] of each
    /// in turn would add, in the same order (by time, a report after those of the same time
    /// held before it), in one sort of the columns instead of one shift of them per report
    /// (issue 15 item 4: 100k one by one took a second in the page). Past the cap the oldest
    /// go in one batch (one by one, each crossing of the cap drops a batch of its own). Returns
    /// how many were added.
    pub fn insert_many<'a>(
        &mut self,
        reports: impl IntoIterator<Item = (&'a str, Report)>,
    ) -> usize {
        let held = self.t.len();
        for (id, r) in reports {
            let h = id_hash(id);
            if !(r.at.x.is_finite() && r.at.y.is_finite() && self.ids.insert(h)) {
                continue;
            }
            self.t.push(r.reported_ms);
            self.id.push(h);
            self.x.push(r.at.x as f32);
            self.y.push(r.at.y as f32);
            self.kind.push(r.kind.index() as u8);
            self.severity.push(r.severity.get());
            self.status.push(u8::from(r.status == Status::Closed));
        }
        let added = self.t.len() - held;
        if !self.t.is_sorted() {
            // A stable sort of the positions by time: the held reports (first) keep their
            // place before the added ones of the same time, the added ones their order (the
            // shared key sort, `compact_sort::order_by_i64`: no sort instance of its own).
            let order = crate::compact_sort::order_by_i64(&self.t);
            fn permuted<T: Copy>(column: &[T], order: &[u32]) -> Vec<T> {
                order
                    .iter()
                    .filter_map(|&i| column.get(i as usize).copied())
                    .collect()
            }
            self.t = permuted(&self.t, &order);
            self.id = permuted(&self.id, &order);
            self.x = permuted(&self.x, &order);
            self.y = permuted(&self.y, &order);
            self.kind = permuted(&self.kind, &order);
            self.severity = permuted(&self.severity, &order);
            self.status = permuted(&self.status, &order);
        }
        if self.t.len() > self.cap {
            let excess = self.t.len() - self.cap;
            self.drop_oldest(excess + self.cap / 64);
        }
        added
    }

    /// Add an incident (see [`History::insert`]).
    pub fn insert_incident(&mut self, inc: &Incident) -> bool {
        self.insert(&inc.id, Report::of(inc))
    }

    /// Indices of the reports with `from_ms <= reported < to_ms`.
    pub fn range(&self, from_ms: i64, to_ms: i64) -> Range<usize> {
        let a = self.t.partition_point(|t| *t < from_ms);
        let b = self.t.partition_point(|t| *t < to_ms).max(a);
        a..b
    }

    /// The reports of `[from_ms, to_ms)` that pass `filter`'s kinds, minimum severity and
    /// status (its time window and sort are the list's; the heatmap has its own window), as
    /// (position, weight).
    ///
    /// One pass over the window's slice of each column (time-sorted, so the window is a range)
    /// with the filter worked out once as tables: no per-report bounds check or `Option`
    /// chain (the playback frame draws 100k reports 30 times a second).
    pub fn points<'a>(
        &'a self,
        from_ms: i64,
        to_ms: i64,
        filter: &'a IncidentFilter,
        weighting: Weighting,
    ) -> impl Iterator<Item = (Mercator, f32)> + 'a {
        let r = self.range(from_ms, to_ms);
        let col = |c: &'a [u8]| c.get(r.clone()).unwrap_or(&[]);
        let (x, y) = (
            self.x.get(r.clone()).unwrap_or(&[]),
            self.y.get(r.clone()).unwrap_or(&[]),
        );
        let kinds: [bool; 256] =
            std::array::from_fn(|k| filter.kinds.get(k).copied().unwrap_or(false));
        let status = [
            filter.status.admits(Status::Open),
            filter.status.admits(Status::Closed),
        ];
        let min_severity = filter.min_severity;
        let reports = x
            .iter()
            .zip(y)
            .zip(col(&self.kind))
            .zip(col(&self.severity));
        reports
            .zip(col(&self.status))
            .filter_map(move |((((x, y), k), sev), st)| {
                let pass = kinds.get(usize::from(*k)).copied().unwrap_or(false)
                    && *sev >= min_severity
                    && status.get(usize::from(*st != 0)).copied().unwrap_or(false);
                let w = match weighting {
                    Weighting::Count => 1.0,
                    Weighting::Severity => f32::from(*sev),
                };
                let at = Mercator {
                    x: f64::from(*x),
                    y: f64::from(*y),
                };
                pass.then_some((at, w))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Many at once: the reports one insert each would hold, in the same order.
    #[test]
    fn many_at_once_hold_what_one_by_one_holds() {
        let report = |k: u64| Report {
            reported_ms: ((k * 7_919) % 50) as i64 * 1_000,
            at: Mercator {
                x: k as f64,
                y: if k.is_multiple_of(13) { f64::NAN } else { 1.0 },
            },
            kind: IncidentKind::ALL[(k % 6) as usize],
            severity: Severity::new(1 + (k % 5) as u8).expect("1..=5"),
            status: if k.is_multiple_of(3) {
                Status::Closed
            } else {
                Status::Open
            },
        };
        let ids: Vec<String> = (0..300u64).map(|k| format!("i{}", k % 250)).collect();
        let mut one = History::with_cap(10_000);
        let mut many = History::with_cap(10_000);
        for (k, id) in ids.iter().enumerate().take(40) {
            one.insert(id, report(k as u64));
            many.insert(id, report(k as u64));
        }
        let rest = || {
            ids.iter()
                .enumerate()
                .skip(40)
                .map(|(k, id)| (id.as_str(), report(k as u64)))
        };
        let added = rest().filter(|(id, r)| one.insert(id, *r)).count();
        assert_eq!(many.insert_many(rest()), added);
        assert_eq!(
            (
                &many.t,
                &many.id,
                &many.x,
                &many.kind,
                &many.severity,
                &many.status
            ),
            (
                &one.t,
                &one.id,
                &one.x,
                &one.kind,
                &one.severity,
                &one.status
            )
        );
        assert_eq!(many.ids, one.ids);
    }

    #[test]
    fn the_load_span_is_thirty_days_widened_to_the_comparison() {
        let day = 86_400_000;
        let now = 1_800_000_000_000;
        let s = load_span(now, None);
        assert_eq!((s.from_ms, s.to_ms), (now - 30 * day, now));
        let a = Window::new(now - 60 * day, now - 53 * day).unwrap();
        let b = Window::new(now - 7 * day, now).unwrap();
        let s = load_span(now, Some((a, b)));
        assert_eq!((s.from_ms, s.to_ms), (now - 60 * day, now));
    }
}
