//! What the screen reader is told, and when (issue 15, item 5): the feed's status changes and
//! new critical zone alerts, paced so a live feed never floods the listener.
//!
//! Units: times are milliseconds on one monotonic clock the caller chooses (the shell uses
//! `performance.now()`); counts are alerts. No text: the shell words each [`StatusNews`] and
//! [`CriticalNews`] from the string table.
//!
//! The rules, both as a [`Pacer`]: news waits [`SETTLE_MS`] after it first arrives (a status
//! that flickers back within it is never said; alerts arriving in a burst over a few flushes
//! are said once, counted), and two announcements of one region are at least their gap apart
//! ([`STATUS_GAP_MS`], [`CRITICAL_GAP_MS`]). Only a change of the status's class counts (live,
//! reconnecting, offline, stale: not a new "last update" time); a resync is news of its own.

/// How long news waits before it is said, ms: a status flicker or a burst gathers within it.
pub const SETTLE_MS: f64 = 1_000.0;
/// Least time between two status announcements, ms (polite region).
pub const STATUS_GAP_MS: f64 = 5_000.0;
/// Least time between two critical-alert announcements, ms (assertive region).
pub const CRITICAL_GAP_MS: f64 = 3_000.0;

/// The feed's status as a listener hears it: its class, without times or attempt counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusClass {
    Live,
    Reconnecting,
    Offline,
    Stale,
}

impl StatusClass {
    /// The class of a feed status; `None` for connecting at start-up, which is never said.
    pub fn of(status: &crate::feed::FeedStatus) -> Option<StatusClass> {
        use crate::feed::FeedStatus as S;
        match status {
            S::Connecting => None,
            S::Live { .. } => Some(StatusClass::Live),
            S::Reconnecting { .. } => Some(StatusClass::Reconnecting),
            S::Offline { .. } => Some(StatusClass::Offline),
            S::Stale { .. } => Some(StatusClass::Stale),
        }
    }

    /// Machine-readable name ("live", "reconnecting", "offline", "stale").
    pub fn key(self) -> &'static str {
        match self {
            StatusClass::Live => "live",
            StatusClass::Reconnecting => "reconnecting",
            StatusClass::Offline => "offline",
            StatusClass::Stale => "stale",
        }
    }
}

/// When news may be said: [`SETTLE_MS`] after the first pending news, and at least `gap_ms`
/// after the last announcement.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pacer {
    gap_ms: f64,
    pending_since: Option<f64>,
    last_said: Option<f64>,
}

impl Pacer {
    /// A pacer whose announcements are at least `gap_ms` apart.
    pub fn new(gap_ms: f64) -> Pacer {
        Pacer {
            gap_ms,
            pending_since: None,
            last_said: None,
        }
    }

    /// News arrived at `now` (the first one since the last announcement starts the wait).
    fn arrived(&mut self, now: f64) {
        self.pending_since.get_or_insert(now);
    }

    /// Nothing is pending any more.
    fn dropped(&mut self) {
        self.pending_since = None;
    }

    /// When the pending news may be said, if any is pending.
    pub fn due(&self) -> Option<f64> {
        let since = self.pending_since?;
        let after_gap = self.last_said.map_or(f64::MIN, |t| t + self.gap_ms);
        Some((since + SETTLE_MS).max(after_gap))
    }

    /// Whether pending news may be said at `now`; if so it counts as said.
    fn take(&mut self, now: f64) -> bool {
        match self.due() {
            Some(t) if now >= t => {
                self.pending_since = None;
                self.last_said = Some(now);
                true
            }
            _ => false,
        }
    }
}

/// A status announcement: the new class (if it changed from the last one said) and whether
/// the picture was resynchronised meanwhile.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StatusNews {
    pub status: Option<StatusClass>,
    pub resync: bool,
}

/// The polite region's news: the feed's status class and resync notices.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StatusAnnouncer {
    pacer: Pacer,
    /// The class the listener last heard (live at start: only a departure from it is news).
    said: StatusClass,
    /// The class now, if it differs from `said`.
    now: Option<StatusClass>,
    resync: bool,
}

impl Default for StatusAnnouncer {
    fn default() -> Self {
        StatusAnnouncer {
            pacer: Pacer::new(STATUS_GAP_MS),
            said: StatusClass::Live,
            now: None,
            resync: false,
        }
    }
}

impl StatusAnnouncer {
    /// The feed's status at `now` (`None`: connecting, ignored).
    pub fn status(&mut self, class: Option<StatusClass>, now: f64) {
        let Some(class) = class else { return };
        if class == self.said {
            // Back to what was said before it was said otherwise: nothing to tell.
            self.now = None;
            if !self.resync {
                self.pacer.dropped();
            }
        } else if self.now != Some(class) {
            self.now = Some(class);
            self.pacer.arrived(now);
        }
    }

    /// The picture was resynchronised at `now` (a new resync notice).
    pub fn resync(&mut self, now: f64) {
        self.resync = true;
        self.pacer.arrived(now);
    }

    /// When [`StatusAnnouncer::poll`] may have news.
    pub fn due(&self) -> Option<f64> {
        self.pacer.due()
    }

    /// The news to say at `now`, if it is due.
    pub fn poll(&mut self, now: f64) -> Option<StatusNews> {
        if !self.pacer.take(now) {
            return None;
        }
        let news = StatusNews {
            status: self.now.take(),
            resync: std::mem::take(&mut self.resync),
        };
        if let Some(c) = news.status {
            self.said = c;
        }
        Some(news)
    }
}

/// An assertive announcement: how many critical alerts arrived since the last one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CriticalNews {
    pub count: usize,
}

/// The assertive region's news: new critical zone alerts, counted.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CriticalAnnouncer {
    pacer: Pacer,
    pending: usize,
}

impl Default for CriticalAnnouncer {
    fn default() -> Self {
        CriticalAnnouncer {
            pacer: Pacer::new(CRITICAL_GAP_MS),
            pending: 0,
        }
    }
}

impl CriticalAnnouncer {
    /// `n` new critical alerts at `now`.
    pub fn alerts(&mut self, n: usize, now: f64) {
        if n == 0 {
            return;
        }
        self.pending = self.pending.saturating_add(n);
        self.pacer.arrived(now);
    }

    /// When [`CriticalAnnouncer::poll`] may have news.
    pub fn due(&self) -> Option<f64> {
        self.pacer.due()
    }

    /// The news to say at `now`, if it is due.
    pub fn poll(&mut self, now: f64) -> Option<CriticalNews> {
        if !self.pacer.take(now) {
            return None;
        }
        Some(CriticalNews {
            count: std::mem::take(&mut self.pending),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIVE: Option<StatusClass> = Some(StatusClass::Live);
    const RECONNECTING: Option<StatusClass> = Some(StatusClass::Reconnecting);
    const OFFLINE: Option<StatusClass> = Some(StatusClass::Offline);

    #[test]
    fn live_at_start_and_new_times_are_not_news() {
        let mut a = StatusAnnouncer::default();
        a.status(None, 0.0);
        for t in 1..100 {
            a.status(LIVE, f64::from(t) * 250.0);
        }
        assert_eq!(a.due(), None);
        assert_eq!(a.poll(100_000.0), None);
    }

    #[test]
    fn a_change_of_class_is_said_once_after_it_settles() {
        let mut a = StatusAnnouncer::default();
        a.status(RECONNECTING, 10_000.0);
        a.status(RECONNECTING, 10_200.0);
        assert_eq!(a.poll(10_500.0), None);
        assert_eq!(a.due(), Some(10_000.0 + SETTLE_MS));
        let said = a.poll(11_000.0);
        assert_eq!(
            said,
            Some(StatusNews {
                status: RECONNECTING,
                resync: false
            })
        );
        a.status(RECONNECTING, 12_000.0);
        assert_eq!(a.due(), None);
    }

    #[test]
    fn a_flicker_back_within_the_settle_time_is_never_said() {
        let mut a = StatusAnnouncer::default();
        a.status(RECONNECTING, 0.0);
        a.status(LIVE, 400.0);
        assert_eq!(a.due(), None);
        assert_eq!(a.poll(5_000.0), None);
    }

    #[test]
    fn changes_within_the_gap_are_coalesced_into_the_latest() {
        let mut a = StatusAnnouncer::default();
        a.status(RECONNECTING, 0.0);
        assert!(a.poll(SETTLE_MS).is_some());
        a.status(OFFLINE, 1_500.0);
        a.status(LIVE, 2_000.0);
        a.status(RECONNECTING, 2_500.0);
        a.status(OFFLINE, 3_000.0);
        // Not before the gap since the last announcement.
        assert_eq!(a.due(), Some(SETTLE_MS + STATUS_GAP_MS));
        assert_eq!(a.poll(5_000.0), None);
        let said = a.poll(SETTLE_MS + STATUS_GAP_MS);
        assert_eq!(said.and_then(|n| n.status), OFFLINE);
        a.status(LIVE, 10_000.0);
        assert_eq!(a.poll(20_000.0).and_then(|n| n.status), LIVE);
    }

    #[test]
    fn a_resync_is_news_even_without_a_status_change() {
        let mut a = StatusAnnouncer::default();
        a.resync(0.0);
        a.status(LIVE, 100.0);
        let said = a.poll(SETTLE_MS);
        assert_eq!(
            said,
            Some(StatusNews {
                status: None,
                resync: true
            })
        );
        assert_eq!(a.due(), None);
    }

    #[test]
    fn a_burst_of_critical_alerts_is_one_counted_announcement() {
        let mut a = CriticalAnnouncer::default();
        a.alerts(0, 0.0);
        assert_eq!(a.due(), None);
        a.alerts(1, 0.0);
        a.alerts(1, 250.0);
        a.alerts(1, 500.0);
        assert_eq!(a.poll(900.0), None);
        assert_eq!(a.poll(SETTLE_MS), Some(CriticalNews { count: 3 }));
        assert_eq!(a.poll(SETTLE_MS + 10.0), None);
        // The next one waits for the gap.
        a.alerts(2, 1_500.0);
        assert_eq!(a.due(), Some(SETTLE_MS + CRITICAL_GAP_MS));
        assert_eq!(
            a.poll(SETTLE_MS + CRITICAL_GAP_MS),
            Some(CriticalNews { count: 2 })
        );
    }
}
