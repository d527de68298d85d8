//! What the page's watchdog is armed with, and the note a reload leaves for the next load
//! (issue 13 item 5): the policy half of "the wall survives fatal errors and sleep".
//!
//! Units: instants in milliseconds since the Unix epoch (UTC, the browser's `Date.now()`),
//! delays and durations in milliseconds. Pure: the shell serialises an [`Arming`] to the static
//! watchdog script (`assets/watchdog.js`), which only stores, shows and waits, and reads a
//! [`ReloadNote`] back from local storage on the next load.
//!
//! Once the wasm instance is dead no Rust runs, so the live page arms the watchdog ahead of
//! time with everything the policy of [`super::reload`] would decide if the page died now:
//! * [`Arming::streak`]: the streak a fatal error now makes (`CrashRecord::after_crash`);
//! * [`Arming::delays_ms`]: the delay before the reload for each streak, 1, 2, … up to the cap
//!   (`CrashRecord::delay_ms`; a streak past the end takes the last, the cap);
//! * [`LOST_AFTER_MS`]: how long the page may go without arming (while visible) before the
//!   watchdog calls the wasm instance lost, and [`START_TIMEOUT_MS`]: how long a load may take
//!   to start the wasm before it counts as a failed start.
//!
//! A failed start has no live wasm to arm: the watchdog keeps the last arming of this page's
//! address and counts the start one more than the stored note's streak. That is the same rule
//! as `after_crash` because the live page removes the note once it has been healthy for
//! [`super::reload::HEALTHY_MS`] ([`ReloadNote::keep`]).

use serde::{Deserialize, Serialize};

use super::reload::{CrashRecord, MAX_RELOAD_DELAY_MS};

/// A live page that has not armed the watchdog for this long while visible is lost, ms.
pub const LOST_AFTER_MS: i64 = 30_000;
/// A load whose wasm has not started after this long has failed to start, ms.
pub const START_TIMEOUT_MS: i64 = 60_000;
/// How long the next load shows why it was reloaded, ms (from the load).
pub const NOTICE_MS: i64 = 60_000;

/// Why the wall reloaded itself (stored as its [`ReloadReason::key`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReloadReason {
    /// A Rust panic (the panic hook reported it).
    Panic,
    /// A `WebAssembly.RuntimeError` reached the window: the instance trapped.
    Trap,
    /// The wasm did not start: an error before it started, or [`START_TIMEOUT_MS`] without.
    Start,
    /// The live page stopped arming the watchdog for [`LOST_AFTER_MS`] while visible.
    Heartbeat,
    /// The daily reload at the quiet hour (not a fatal error: the streak is unchanged).
    Daily,
}

impl ReloadReason {
    /// The four fatal reasons, in the order the watchdog's texts list them.
    pub const FATAL: [ReloadReason; 4] = [
        ReloadReason::Panic,
        ReloadReason::Trap,
        ReloadReason::Start,
        ReloadReason::Heartbeat,
    ];

    /// `panic`, `trap`, `start`, `heartbeat`, `daily` (the stored value, `data-reason`).
    pub fn key(self) -> &'static str {
        match self {
            ReloadReason::Panic => "panic",
            ReloadReason::Trap => "trap",
            ReloadReason::Start => "start",
            ReloadReason::Heartbeat => "heartbeat",
            ReloadReason::Daily => "daily",
        }
    }

    /// Everything but the daily reload.
    pub fn is_fatal(self) -> bool {
        self != ReloadReason::Daily
    }

    /// Inverse of [`ReloadReason::key`] (exact match).
    pub fn from_key(key: &str) -> Option<ReloadReason> {
        ReloadReason::FATAL
            .into_iter()
            .chain([ReloadReason::Daily])
            .find(|r| r.key() == key)
    }
}

// By hand rather than derived: the key as a string both ways, a fraction of the derive's code in
// the shipped wasm.
impl Serialize for ReloadReason {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.key())
    }
}

impl<'de> Deserialize<'de> for ReloadReason {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let key = String::deserialize(d)?;
        ReloadReason::from_key(&key).ok_or_else(|| serde::de::Error::custom("unknown reason"))
    }
}

/// What a reload leaves in local storage for the next load: the crash record (its streak and
/// last fatal error), why and when the reload was decided, how long it waited, and whether a
/// load has shown it yet. The watchdog writes it after a fatal error, the page after a daily
/// reload.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReloadNote {
    /// Fatal errors in a row (0 after only daily reloads).
    pub streak: u32,
    /// The last fatal error, ms since the epoch.
    pub last_ms: Option<i64>,
    pub reason: ReloadReason,
    /// The browser's or the panic's own text (a detail shown inside a worded sentence).
    #[serde(default)]
    pub detail: String,
    /// When the reload was decided, ms since the epoch.
    pub at_ms: i64,
    /// How long the page waited before reloading, ms.
    #[serde(default)]
    pub delay_ms: i64,
    /// A load has shown it already.
    #[serde(default)]
    pub shown: bool,
}

impl ReloadNote {
    /// The stored text read back; `None` for a damaged or foreign text (ignored: the wall runs).
    pub fn parse(text: &str) -> Option<ReloadNote> {
        serde_json::from_str(text).ok()
    }

    /// The stored text.
    pub fn to_text(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The crash record it carries.
    pub fn record(&self) -> CrashRecord {
        CrashRecord {
            streak: self.streak,
            last_ms: self.last_ms,
        }
    }

    /// The note a daily reload at `now_ms` leaves: the crash record kept as it is.
    pub fn daily(record: CrashRecord, now_ms: i64) -> ReloadNote {
        ReloadNote {
            streak: record.streak,
            last_ms: record.last_ms,
            reason: ReloadReason::Daily,
            detail: String::new(),
            at_ms: now_ms,
            delay_ms: 0,
            shown: false,
        }
    }

    /// Is the note still worth keeping at `now_ms`? While its streak can still grow (fatal
    /// errors in a row, not yet healthy for `HEALTHY_MS`). A note not kept is removed, so that
    /// a failed start (counted from the stored streak) starts a new streak as `after_crash`
    /// would.
    pub fn keep(&self, now_ms: i64) -> bool {
        self.streak > 0 && !self.record().healthy_at(now_ms)
    }

    /// Does a load at `loaded_ms` still show the note at `now_ms`? Not yet shown by an earlier
    /// load, and for [`NOTICE_MS`] after this one.
    pub fn notice_shows(&self, loaded_ms: i64, now_ms: i64) -> bool {
        !self.shown && now_ms.saturating_sub(loaded_ms) < NOTICE_MS
    }
}

/// What the live page arms the watchdog with (serialised for `assets/watchdog.js`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Arming {
    /// The streak a fatal error at the arming instant makes.
    pub streak: u32,
    /// The delay before the reload for streaks 1, 2, …, ms; the last is the cap, and a streak
    /// past the end waits as long.
    pub delays_ms: Vec<i64>,
    /// [`LOST_AFTER_MS`].
    pub lost_after_ms: i64,
    /// [`START_TIMEOUT_MS`].
    pub start_timeout_ms: i64,
}

impl Arming {
    /// The arming at `now_ms` for a page whose stored record is `record` (default: none) and
    /// whose first delay is `backoff_s` seconds (`wall.reload_backoff_s`).
    pub fn at(record: CrashRecord, now_ms: i64, backoff_s: f64) -> Arming {
        let initial_ms = initial_delay_ms(backoff_s);
        Arming {
            streak: record.after_crash(now_ms).streak,
            delays_ms: backoff_table(initial_ms),
            lost_after_ms: LOST_AFTER_MS,
            start_timeout_ms: START_TIMEOUT_MS,
        }
    }

    /// The delay of streak `streak` from the table (the same rule as the watchdog's lookup).
    pub fn delay_for(&self, streak: u32) -> Option<i64> {
        let i = usize::try_from(streak.max(1) - 1).ok()?;
        self.delays_ms.get(i).or(self.delays_ms.last()).copied()
    }
}

/// `wall.reload_backoff_s` in ms (a non-finite value counts as the smallest delay).
pub fn initial_delay_ms(backoff_s: f64) -> i64 {
    if backoff_s.is_finite() {
        (backoff_s * 1000.0)
            .round()
            .clamp(1.0, MAX_RELOAD_DELAY_MS as f64) as i64
    } else {
        1
    }
}

/// `CrashRecord::delay_ms` for streaks 1, 2, … until the first capped delay (at most 41).
pub fn backoff_table(initial_ms: i64) -> Vec<i64> {
    let mut out = Vec::new();
    for streak in 1..=41_u32 {
        let d = CrashRecord {
            streak,
            last_ms: None,
        }
        .delay_ms(initial_ms);
        out.push(d);
        if d >= MAX_RELOAD_DELAY_MS {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::reload::HEALTHY_MS;
    use super::*;

    const T0: i64 = 1_796_428_800_000;

    #[test]
    fn the_table_is_the_back_off_until_the_cap() {
        assert_eq!(
            backoff_table(10_000),
            vec![10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 600_000]
        );
        assert_eq!(backoff_table(1_000).len(), 11);
        assert_eq!(backoff_table(600_000), vec![600_000]);
        assert_eq!(initial_delay_ms(2.5), 2_500);
        assert_eq!(initial_delay_ms(f64::NAN), 1);
        // Every streak's delay from the table is the record's own.
        let a = Arming::at(CrashRecord::default(), T0, 1.0);
        for streak in 1..60 {
            let r = CrashRecord {
                streak,
                last_ms: None,
            };
            assert_eq!(a.delay_for(streak), Some(r.delay_ms(1_000)), "{streak}");
        }
    }

    #[test]
    fn arming_counts_the_streak_a_crash_now_would_make() {
        let fresh = Arming::at(CrashRecord::default(), T0, 10.0);
        assert_eq!(
            (fresh.streak, fresh.delay_for(fresh.streak)),
            (1, Some(10_000))
        );
        let after_one = CrashRecord::default().after_crash(T0);
        let a = Arming::at(after_one, T0 + 60_000, 10.0);
        assert_eq!((a.streak, a.delay_for(a.streak)), (2, Some(20_000)));
        // Healthy for half an hour: a new streak.
        let a = Arming::at(after_one, T0 + HEALTHY_MS, 10.0);
        assert_eq!(a.streak, 1);
    }

    #[test]
    fn notes_round_trip_keep_and_show_once() {
        let text = r#"{"streak":2,"last_ms":1796428800000,"reason":"trap","detail":"RuntimeError: unreachable","at_ms":1796428800000,"delay_ms":2000,"shown":false}"#;
        let note = ReloadNote::parse(text).unwrap();
        assert_eq!(note.reason, ReloadReason::Trap);
        assert_eq!(note.record().streak, 2);
        assert_eq!(ReloadNote::parse(&note.to_text()), Some(note.clone()));
        assert!(note.keep(T0 + 60_000));
        assert!(!note.keep(T0 + HEALTHY_MS), "healthy: removed");
        let loaded = T0 + 3_000;
        assert!(note.notice_shows(loaded, loaded + 59_000));
        assert!(!note.notice_shows(loaded, loaded + NOTICE_MS));
        let shown = ReloadNote {
            shown: true,
            ..note
        };
        assert!(!shown.notice_shows(loaded, loaded));
        // Damaged or foreign texts are ignored.
        for bad in ["", "{", "null", r#"{"streak":1,"reason":"boom","at_ms":0}"#] {
            assert_eq!(ReloadNote::parse(bad), None, "{bad}");
        }
        // A daily reload keeps the record and is not fatal.
        let daily = ReloadNote::daily(CrashRecord::default(), T0);
        assert!(!daily.reason.is_fatal() && !daily.keep(T0));
        assert_eq!(daily.reason.key(), "daily");
        let keys: Vec<_> = ReloadReason::FATAL.iter().map(|r| r.key()).collect();
        assert_eq!(keys, ["panic", "trap", "start", "heartbeat"]);
    }
}
