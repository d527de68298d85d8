//! RFC 3339 UTC timestamps from `SystemTime`, without a date crate, and the server's clock
//! (milliseconds since the Unix epoch, UTC): real time, or real time sped up `--time-scale`
//! times from the server's start (an accelerated day: at 144, a day of timestamps in 10 minutes).

use std::sync::OnceLock;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How the server's clock runs: `scale` times real time from `origin_ms` (ms since the epoch).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TimeScale {
    pub origin_ms: i64,
    pub scale: f64,
}

impl TimeScale {
    /// Real time (scale 1).
    pub const REAL: TimeScale = TimeScale {
        origin_ms: 0,
        scale: 1.0,
    };

    /// The clock's time at real time `real_ms`: `origin + (real - origin) × scale`.
    pub fn at(self, real_ms: i64) -> i64 {
        self.origin_ms + ((real_ms - self.origin_ms) as f64 * self.scale).round() as i64
    }
}

static SCALE: OnceLock<TimeScale> = OnceLock::new();

/// Sets the process's clock once (at start); `false` if it was already set.
pub fn set_time_scale(t: TimeScale) -> bool {
    SCALE.set(t).is_ok()
}

/// Real ms since the epoch.
pub fn real_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// A deliberate error of the server's clock (ms, added to it): the `skew` fault of `--faults`
/// (`faults.rs`); 0 otherwise.
static SKEW_MS: AtomicI64 = AtomicI64::new(0);

/// Sets the clock's deliberate error (ms; 0 = none).
pub fn set_skew_ms(ms: i64) {
    SKEW_MS.store(ms, Ordering::Relaxed);
}

/// The server's clock, ms since the epoch (real time unless [`set_time_scale`] sped it up,
/// plus the skew of a `skew` fault).
pub fn now_ms() -> i64 {
    SCALE
        .get()
        .copied()
        .unwrap_or(TimeScale::REAL)
        .at(real_ms())
        + SKEW_MS.load(Ordering::Relaxed)
}

/// The server's clock as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn now_rfc3339() -> String {
    rfc3339(UNIX_EPOCH + Duration::from_millis(now_ms().max(0) as u64))
}

/// Formats `t` as an RFC 3339 UTC timestamp with whole seconds (`2026-03-21T14:05:09Z`).
pub fn rfc3339(t: SystemTime) -> String {
    let secs = t
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    let rem = secs % 86_400;
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Formats milliseconds since the epoch as an RFC 3339 UTC timestamp with whole seconds.
pub fn rfc3339_ms(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Reads an RFC 3339 date-time (`YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)`, `T` or space, `z`
/// accepted) to milliseconds since the epoch; `None` for anything else (calendar checked).
pub fn parse_rfc3339_ms(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let t = s.get(r)?;
        t.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| t.parse().ok())?
    };
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let dim = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1..=12).contains(&mo)
        || d < 1
        || d > dim[(mo - 1) as usize]
        || h > 23
        || mi > 59
        || sec > 60
    {
        return None;
    }
    let mut i = 19;
    let mut frac_ms = 0i64;
    if b.get(i) == Some(&b'.') {
        let start = i + 1;
        i = start;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return None;
        }
        let digits = &s[start..i.min(start + 3)];
        frac_ms = digits.parse::<i64>().ok()? * 10i64.pow(3 - digits.len() as u32);
    }
    let offset_min = match b.get(i..)? {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let oh = num(i + 1..i + 3)?;
            let om = num(i + 4..i + 6)?;
            if oh > 23 || om > 59 {
                return None;
            }
            let m = oh * 60 + om;
            if *sign == b'-' { -m } else { m }
        }
        _ => return None,
    };
    let days = days_from_civil(y, mo as u32, d as u32);
    Some(((days * 86_400 + h * 3600 + mi * 60 + sec.min(59)) - offset_min * 60) * 1000 + frac_ms)
}

/// Proleptic Gregorian (year, month, day) to days since 1970-01-01 (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Days since 1970-01-01 to a proleptic Gregorian (year, month, day) (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = (z - era * 146_097) as u64;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe as i64 + era * 400;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn at(secs: u64) -> String {
        rfc3339(UNIX_EPOCH + Duration::from_secs(secs))
    }

    #[test]
    fn known_instants() {
        assert_eq!(at(0), "1970-01-01T00:00:00Z");
        assert_eq!(at(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(at(1_709_164_799), "2024-02-28T23:59:59Z");
        assert_eq!(at(1_709_251_199), "2024-02-29T23:59:59Z");
        assert_eq!(at(1_735_689_600), "2025-01-01T00:00:00Z");
        assert_eq!(at(4_102_444_800), "2100-01-01T00:00:00Z");
    }

    #[test]
    fn parses_what_it_writes_and_offsets() {
        for ms in [0i64, 951_782_400_000, 1_709_251_199_000, 4_102_444_800_000] {
            assert_eq!(parse_rfc3339_ms(&rfc3339_ms(ms)), Some(ms));
        }
        assert_eq!(
            parse_rfc3339_ms("2026-12-05T12:00:00+01:00"),
            parse_rfc3339_ms("2026-12-05T11:00:00Z")
        );
        assert_eq!(
            parse_rfc3339_ms("2026-12-05T11:00:00.25Z"),
            Some(parse_rfc3339_ms("2026-12-05T11:00:00Z").unwrap() + 250)
        );
        for bad in [
            "",
            "2026-02-30T00:00:00Z",
            "2026-12-05T11:00:00",
            "2026-12-05T25:00:00Z",
            "yesterday",
            "2026-12-05T11:00:00+1:00",
        ] {
            assert_eq!(parse_rfc3339_ms(bad), None, "{bad}");
        }
    }

    #[test]
    fn time_scale_runs_from_its_origin() {
        let t = TimeScale {
            origin_ms: 1_000_000,
            scale: 144.0,
        };
        assert_eq!(t.at(1_000_000), 1_000_000);
        // 10 real minutes are a day.
        assert_eq!(t.at(1_000_000 + 600_000), 1_000_000 + 86_400_000);
        assert_eq!(TimeScale::REAL.at(123_456), 123_456);
    }

    #[test]
    fn now_has_rfc3339_shape() {
        let s = now_rfc3339();
        assert_eq!(s.len(), 20);
        assert!(s.ends_with('Z') && s.as_bytes()[10] == b'T');
    }
}
