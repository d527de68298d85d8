//! Live feed health: is the incident picture live, reconnecting or stale, and when to retry.
//!
//! Units: times are milliseconds on the caller's monotonic clock (`performance.now()` in the
//! page), durations are milliseconds. Pure logic: the web shell feeds it connection events and
//! reads the status to show; jitter comes in as a number in [0, 1) so tests are deterministic.

/// What the operator is told about the feed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FeedStatus {
    /// Nothing received yet and no failure either (start-up).
    Connecting,
    /// Connected and events or heartbeats arrive; `last` is when the last one did.
    Live { last: f64 },
    /// The connection dropped; attempt `attempt` is scheduled. `last` is the last event, if any.
    Reconnecting { attempt: u32, last: Option<f64> },
    /// Nothing for longer than the stale limit (connected or not), since `since`.
    Stale { since: f64, last: Option<f64> },
}

impl FeedStatus {
    /// Machine-readable name: "connecting", "live", "reconnecting", "stale".
    pub fn key(&self) -> &'static str {
        match self {
            FeedStatus::Connecting => "connecting",
            FeedStatus::Live { .. } => "live",
            FeedStatus::Reconnecting { .. } => "reconnecting",
            FeedStatus::Stale { .. } => "stale",
        }
    }
}

/// Exponential back-off with full jitter, capped.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Backoff {
    pub base_ms: f64,
    pub max_ms: f64,
    attempt: u32,
}

impl Backoff {
    pub fn new(base_ms: f64, max_ms: f64) -> Backoff {
        let base = if base_ms.is_finite() && base_ms > 0.0 {
            base_ms
        } else {
            500.0
        };
        let max = if max_ms.is_finite() && max_ms >= base {
            max_ms
        } else {
            base
        };
        Backoff {
            base_ms: base,
            max_ms: max,
            attempt: 0,
        }
    }

    /// Attempts made since the last success.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The delay before the next attempt: uniform in [cap/2, cap] where
    /// cap = min(max, base · 2^attempt); `jitter` is in [0, 1) (clamped).
    pub fn next_delay(&mut self, jitter: f64) -> f64 {
        let cap = (self.base_ms * 2f64.powi(self.attempt.min(30) as i32)).min(self.max_ms);
        self.attempt = self.attempt.saturating_add(1);
        let j = if jitter.is_finite() {
            jitter.clamp(0.0, 1.0)
        } else {
            0.5
        };
        cap / 2.0 + j * cap / 2.0
    }

    /// A connection worked: start again from the base delay.
    pub fn reset(&mut self) {
        self.attempt = 0;
    }
}

/// Tracks what the feed did and answers what to show.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FeedHealth {
    stale_after_ms: f64,
    started: f64,
    connected: bool,
    last_message: Option<f64>,
    reconnect_attempt: Option<u32>,
}

impl FeedHealth {
    /// `stale_after_ms`: how long without an event or heartbeat before the picture is stale.
    pub fn new(now: f64, stale_after_ms: f64) -> FeedHealth {
        FeedHealth {
            stale_after_ms: if stale_after_ms.is_finite() && stale_after_ms > 0.0 {
                stale_after_ms
            } else {
                15_000.0
            },
            started: now,
            connected: false,
            last_message: None,
            reconnect_attempt: None,
        }
    }

    /// The connection opened.
    pub fn opened(&mut self) {
        self.connected = true;
        self.reconnect_attempt = None;
    }

    /// An event or a heartbeat arrived (anything that proves the server is there).
    pub fn message(&mut self, now: f64) {
        self.connected = true;
        self.reconnect_attempt = None;
        self.last_message = Some(self.last_message.map_or(now, |l| l.max(now)));
    }

    /// The connection dropped; reconnect attempt `attempt` is scheduled.
    pub fn dropped(&mut self, attempt: u32) {
        self.connected = false;
        self.reconnect_attempt = Some(attempt);
    }

    /// When the last event or heartbeat arrived.
    pub fn last_message(&self) -> Option<f64> {
        self.last_message
    }

    pub fn status(&self, now: f64) -> FeedStatus {
        let reference = self.last_message.unwrap_or(self.started);
        let silent = now - reference;
        if silent > self.stale_after_ms {
            return FeedStatus::Stale {
                since: reference + self.stale_after_ms,
                last: self.last_message,
            };
        }
        match (self.reconnect_attempt, self.last_message) {
            (Some(attempt), last) => FeedStatus::Reconnecting { attempt, last },
            (None, Some(last)) if self.connected => FeedStatus::Live { last },
            _ => FeedStatus::Connecting,
        }
    }

    /// Milliseconds until the status would turn stale if nothing arrives (0 when it is).
    pub fn ms_until_stale(&self, now: f64) -> f64 {
        let reference = self.last_message.unwrap_or(self.started);
        (reference + self.stale_after_ms - now).max(0.0)
    }
}

/// `base` with one query parameter added (`?` or `&` as needed), the value percent-encoded
/// (everything but unreserved characters), e.g. the stream URL with `last_event_id=<cursor>`
/// or the snapshot URL with `since=<cursor>`. Cursors are opaque: sent back exactly.
pub fn with_query(base: &str, name: &str, value: &str) -> String {
    let (path, fragment) = match base.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (base, None),
    };
    let sep = if !path.contains('?') {
        "?"
    } else if path.ends_with('?') || path.ends_with('&') {
        ""
    } else {
        "&"
    };
    let mut out = format!("{path}{sep}{}={}", encode(name), encode(value));
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_parameters_are_added_and_encoded() {
        assert_eq!(
            with_query("api/incidents/stream", "last_event_id", "1781174400000123"),
            "api/incidents/stream?last_event_id=1781174400000123"
        );
        assert_eq!(
            with_query("api/incidents?tenant=calais", "since", "a b&c/é"),
            "api/incidents?tenant=calais&since=a%20b%26c%2F%C3%A9"
        );
        assert_eq!(with_query("x?", "since", "1"), "x?since=1");
        assert_eq!(with_query("x#top", "since", "1"), "x?since=1#top");
    }

    #[test]
    fn backoff_doubles_with_jitter_and_caps() {
        let mut b = Backoff::new(500.0, 8_000.0);
        // jitter 1 gives the cap itself: 500, 1000, 2000, 4000, 8000, 8000.
        let caps: Vec<f64> = (0..6).map(|_| b.next_delay(1.0)).collect();
        assert_eq!(caps, vec![500.0, 1000.0, 2000.0, 4000.0, 8000.0, 8000.0]);
        assert_eq!(b.attempt(), 6);
        b.reset();
        // jitter 0 gives half the cap; NaN jitter gives three quarters.
        assert_eq!(b.next_delay(0.0), 250.0);
        assert_eq!(b.next_delay(f64::NAN), 750.0);
        // Every delay stays within [cap/2, cap].
        let mut b = Backoff::new(500.0, 8_000.0);
        for i in 0..40 {
            let d = b.next_delay((i as f64 * 0.37) % 1.0);
            assert!((250.0..=8_000.0).contains(&d), "{d}");
        }
        // Nonsense settings fall back to sane ones.
        let mut b = Backoff::new(f64::NAN, -1.0);
        assert_eq!(b.next_delay(1.0), 500.0);
    }

    #[test]
    fn live_then_reconnecting_then_stale_then_live_again() {
        let mut h = FeedHealth::new(0.0, 10_000.0);
        assert_eq!(h.status(100.0), FeedStatus::Connecting);
        h.opened();
        h.message(1_000.0);
        assert_eq!(h.status(2_000.0), FeedStatus::Live { last: 1_000.0 });
        // A heartbeat keeps it live.
        h.message(9_000.0);
        assert_eq!(h.status(18_000.0), FeedStatus::Live { last: 9_000.0 });
        // The server goes away.
        h.dropped(1);
        assert_eq!(
            h.status(18_500.0),
            FeedStatus::Reconnecting {
                attempt: 1,
                last: Some(9_000.0)
            }
        );
        assert_eq!(h.ms_until_stale(18_500.0), 500.0);
        // Past the limit it is stale, since last + limit, whatever the connection state.
        assert_eq!(
            h.status(19_001.0),
            FeedStatus::Stale {
                since: 19_000.0,
                last: Some(9_000.0)
            }
        );
        // It comes back: the next event makes it live again.
        h.opened();
        h.message(30_000.0);
        assert_eq!(h.status(30_001.0), FeedStatus::Live { last: 30_000.0 });
    }

    #[test]
    fn silence_from_the_start_is_stale_too() {
        let h = FeedHealth::new(1_000.0, 5_000.0);
        assert_eq!(h.status(5_999.0), FeedStatus::Connecting);
        assert_eq!(
            h.status(6_001.0),
            FeedStatus::Stale {
                since: 6_000.0,
                last: None
            }
        );
        // A connection that opens but never says anything is still stale.
        let mut h = FeedHealth::new(0.0, 5_000.0);
        h.opened();
        assert!(matches!(h.status(5_001.0), FeedStatus::Stale { .. }));
    }

    #[test]
    fn out_of_order_clock_readings_do_not_move_last_back() {
        let mut h = FeedHealth::new(0.0, 5_000.0);
        h.message(2_000.0);
        h.message(1_500.0);
        assert_eq!(h.last_message(), Some(2_000.0));
    }
}
