//! When an unattended wall reloads its page: after a fatal error (a panic, a lost wasm
//! instance), with a back-off, and once a day at a quiet hour.
//!
//! Units: instants in milliseconds since the Unix epoch (UTC, the browser's `Date.now()`),
//! delays in milliseconds, local times of day in minutes after local midnight at a UTC offset
//! in minutes (east positive) that the shell looks up for the instant (`env::local_offset_min`).
//! Pure: the shell keeps a [`CrashRecord`] across reloads (local storage; it derives serde) and
//! asks these functions what to do.
//!
//! The back-off: the `n`-th fatal error in a row waits `reload_backoff_s × 2^(n − 1)`, at most
//! [`MAX_RELOAD_DELAY_MS`] (10 min); a page that ran [`HEALTHY_MS`] (30 min) without one starts
//! again from the initial delay. So a screen whose error comes back at once does not reload in a
//! loop, and one that failed once last week reloads quickly.

use serde::{Deserialize, Serialize};

/// The longest wait before a reload after a fatal error, ms (10 min).
pub const MAX_RELOAD_DELAY_MS: i64 = 10 * 60_000;
/// A page that ran this long since its last fatal error counts as healthy: the back-off starts
/// again from the initial delay, ms (30 min).
pub const HEALTHY_MS: i64 = 30 * 60_000;
/// How long after the quiet hour a missed daily reload is still made, ms (1 h): a screen that
/// was asleep or busy at the hour reloads when it wakes within the hour, not at noon.
pub const QUIET_WINDOW_MS: i64 = 60 * 60_000;

const DAY_MIN: i64 = 24 * 60;
const MINUTE_MS: i64 = 60_000;

/// A local time of day for the daily reload: minutes after local midnight, `0..1440`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct QuietHour(u16);

impl QuietHour {
    /// `Some` for `hour` 0..=23 and `minute` 0..=59.
    pub fn new(hour: u8, minute: u8) -> Option<QuietHour> {
        (hour < 24 && minute < 60).then(|| QuietHour(u16::from(hour) * 60 + u16::from(minute)))
    }

    /// Strict `HH:MM` (two digits each, 24-hour clock), as in `config.json`.
    pub fn parse(text: &str) -> Option<QuietHour> {
        let (h, m) = text.split_once(':')?;
        let two_digits = |s: &str| -> Option<u8> {
            (s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse().ok())
                .flatten()
        };
        QuietHour::new(two_digits(h)?, two_digits(m)?)
    }

    /// Minutes after local midnight.
    pub fn minutes(self) -> u16 {
        self.0
    }
}

/// The fatal errors of this screen so far: how many in a row and when the last was. The shell
/// stores it (with the error's kind, to show why on the next load) before reloading.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrashRecord {
    /// Fatal errors without a healthy period between them (0: none yet).
    pub streak: u32,
    /// When the last one happened, ms since the epoch.
    pub last_ms: Option<i64>,
}

impl CrashRecord {
    /// The record after a fatal error at `now_ms`: one more in the streak, or a new streak of
    /// one if the page had been healthy for [`HEALTHY_MS`] since the last (or a clock that went
    /// back: the last is in the future).
    pub fn after_crash(self, now_ms: i64) -> CrashRecord {
        CrashRecord {
            streak: if self.healthy_at(now_ms) {
                1
            } else {
                self.streak.saturating_add(1)
            },
            last_ms: Some(now_ms),
        }
    }

    /// Has the page been healthy at `now_ms`: no fatal error yet, the last one [`HEALTHY_MS`]
    /// ago or more, or one in the future (a clock that went back)? A new streak starts then.
    pub fn healthy_at(&self, now_ms: i64) -> bool {
        self.last_ms
            .is_none_or(|last| now_ms < last || now_ms.saturating_sub(last) >= HEALTHY_MS)
    }

    /// How long to wait before reloading after the last fatal error, ms: `initial_ms ×
    /// 2^(streak − 1)`, at most [`MAX_RELOAD_DELAY_MS`] (`initial_ms` below 1 counts as 1).
    pub fn delay_ms(&self, initial_ms: i64) -> i64 {
        let doublings = self.streak.saturating_sub(1).min(40);
        initial_ms
            .max(1)
            .saturating_mul(1_i64 << doublings)
            .min(MAX_RELOAD_DELAY_MS)
    }
}

/// The latest instant at or before `now_ms` when the local clock (at `utc_offset_min`) read the
/// quiet hour, ms since the epoch.
pub fn last_quiet_instant(quiet: QuietHour, now_ms: i64, utc_offset_min: i32) -> i64 {
    let local_ms = now_ms.saturating_add(i64::from(utc_offset_min) * MINUTE_MS);
    let into_day_ms = local_ms.rem_euclid(DAY_MIN * MINUTE_MS);
    let since_ms = (into_day_ms - i64::from(quiet.0) * MINUTE_MS).rem_euclid(DAY_MIN * MINUTE_MS);
    now_ms - since_ms
}

/// Is the daily reload due now? Yes when the quiet hour has passed since the page was loaded
/// (`loaded_ms`) and at most [`QUIET_WINDOW_MS`] ago. After the reload, `loaded_ms` is later than
/// the quiet hour, so it is not due again until the next day. (The offset is the one at
/// `now_ms`; on the night the clocks change, a quiet hour inside the skipped or repeated hour
/// comes an hour early or late.)
pub fn daily_reload_due(
    quiet: QuietHour,
    now_ms: i64,
    utc_offset_min: i32,
    loaded_ms: i64,
) -> bool {
    let q = last_quiet_instant(quiet, now_ms, utc_offset_min);
    loaded_ms < q && now_ms - q < QUIET_WINDOW_MS
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-12-05T00:00:00Z.
    const DEC_5: i64 = 1_796_428_800_000;
    const H: i64 = 3_600_000;

    #[test]
    fn quiet_hours_parse_strictly() {
        assert_eq!(QuietHour::parse("04:30").map(QuietHour::minutes), Some(270));
        assert_eq!(QuietHour::parse("00:00").map(QuietHour::minutes), Some(0));
        assert_eq!(
            QuietHour::parse("23:59").map(QuietHour::minutes),
            Some(1439)
        );
        for bad in [
            "4:30", "24:00", "12:60", "12-30", "", "ab:cd", "+1:30", "04:30:00", " 04:30",
        ] {
            assert_eq!(QuietHour::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn back_off_doubles_caps_and_resets() {
        let mut r = CrashRecord::default();
        let mut delays = Vec::new();
        let mut now = DEC_5;
        for _ in 0..12 {
            r = r.after_crash(now);
            let d = r.delay_ms(5_000);
            delays.push(d);
            now += d + 1_000; // crashes again a second after each reload
        }
        assert_eq!(
            &delays[..9],
            &[
                5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 600_000, 600_000
            ]
        );
        assert!(delays.iter().all(|d| *d <= MAX_RELOAD_DELAY_MS));
        // Half an hour healthy: back to the initial delay.
        let r = r.after_crash(now + HEALTHY_MS);
        assert_eq!((r.streak, r.delay_ms(5_000)), (1, 5_000));
        // A clock that went back starts afresh too.
        assert_eq!(r.after_crash(DEC_5).streak, 1);
        // Stored and read back by the shell.
        let text = serde_json::to_string(&r).unwrap();
        assert_eq!(serde_json::from_str::<CrashRecord>(&text).unwrap(), r);
    }

    #[test]
    fn daily_reload_at_the_quiet_hour_in_paris() {
        // Paris in December is UTC+1: 04:30 local is 03:30Z.
        let quiet = QuietHour::parse("04:30").unwrap();
        let q = DEC_5 + 3 * H + 30 * 60_000;
        assert_eq!(last_quiet_instant(quiet, q, 60), q);
        assert_eq!(last_quiet_instant(quiet, q - 1, 60), q - 24 * H);
        let loaded = DEC_5 - 10 * H; // the evening before
        assert!(!daily_reload_due(quiet, q - 60_000, 60, loaded), "04:29");
        assert!(daily_reload_due(quiet, q, 60, loaded), "04:30");
        assert!(
            daily_reload_due(quiet, q + 59 * 60_000, 60, loaded),
            "05:29, missed"
        );
        assert!(
            !daily_reload_due(quiet, q + H, 60, loaded),
            "05:30: too late"
        );
        // Reloaded at 04:30:02: not due again until tomorrow.
        let reloaded = q + 2_000;
        assert!(!daily_reload_due(quiet, q + 60_000, 60, reloaded));
        assert!(daily_reload_due(quiet, q + 24 * H, 60, reloaded));
        // London (UTC+0) reads 04:30 an hour later.
        assert!(!daily_reload_due(quiet, q, 0, loaded));
        assert!(daily_reload_due(quiet, q + H, 0, loaded));
    }
}
