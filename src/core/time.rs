//! Instants in time: [`Timestamp`], milliseconds since the Unix epoch (UTC).
//!
//! No space coordinates here. Text is RFC 3339 (`2024-06-01T13:34:56.789+01:00`):
//! parsing accepts any UTC offset and fractional seconds (truncated to whole
//! milliseconds); formatting always writes UTC with milliseconds
//! (`2024-06-01T12:34:56.789Z`). Years are 0000..=9999, as RFC 3339 allows.
//! Nothing here panics on any input.
//!
//! Local wall-clock time takes a UTC offset in minutes east of UTC that the
//! caller looks up for the instant (summer time differs), so there is no
//! time-zone database here: [`Timestamp::local`] gives the calendar parts and
//! [`Timestamp::recency`] says how an instant stands against the reader's
//! clock (today, another local date, or more than [`CLOCK_SKEW_TOLERANCE_MS`]
//! ahead: clock skew). Words and formats for people are the shell's.

use std::fmt;

/// Milliseconds in a day.
const DAY_MS: i64 = 86_400_000;

/// How far (ms) an instant may be ahead of the reader's clock before it is flagged as clock
/// skew: 2 minutes. Clocks of servers, cameras and browsers drift by seconds, and the list's
/// clock ticks in 5 s steps; a report minutes "in the future" means one of the clocks is
/// wrong. Exactly this far ahead is still not skew ([`Recency::Future`] is strictly more).
pub const CLOCK_SKEW_TOLERANCE_MS: i64 = 2 * 60_000;

/// How an instant stands against the reader's clock `now` ([`Timestamp::recency`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Recency {
    /// On the reader's local calendar date, and at most [`CLOCK_SKEW_TOLERANCE_MS`] ahead.
    Today,
    /// On another local calendar date (earlier, or later within the tolerance just after
    /// midnight), at most [`CLOCK_SKEW_TOLERANCE_MS`] ahead.
    OtherDay,
    /// More than [`CLOCK_SKEW_TOLERANCE_MS`] after `now` (`ahead_ms` > the tolerance):
    /// the source's clock or the reader's is wrong. `today`: on the reader's local date.
    Future { ahead_ms: i64, today: bool },
}

impl Recency {
    /// `true` on the reader's local calendar date (`Today`, or `Future` on the same date).
    pub fn is_today(self) -> bool {
        match self {
            Recency::Today => true,
            Recency::OtherDay => false,
            Recency::Future { today, .. } => today,
        }
    }

    /// How far ahead of the reader's clock, when flagged as clock skew.
    pub fn skew_ms(self) -> Option<i64> {
        match self {
            Recency::Future { ahead_ms, .. } => Some(ahead_ms),
            Recency::Today | Recency::OtherDay => None,
        }
    }
}

/// Calendar date and wall-clock time at some UTC offset ([`Timestamp::local`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LocalTime {
    /// The year (may be -1 or 10000 when the offset moves a bound across a new year).
    pub year: i64,
    /// 1..=12.
    pub month: u8,
    /// 1..=31.
    pub day: u8,
    /// 0..=23.
    pub hour: u8,
    /// 0..=59.
    pub minute: u8,
    /// 0..=59.
    pub second: u8,
}

impl LocalTime {
    /// (year, month, day): the local calendar date.
    pub fn date(self) -> (i64, u8, u8) {
        (self.year, self.month, self.day)
    }
}

/// An instant, milliseconds since 1970-01-01T00:00:00Z (negative before).
///
/// Always within `[Timestamp::MIN, Timestamp::MAX]` (years 0000 to 9999), so it
/// always has an RFC 3339 form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Timestamp(i64);

impl Timestamp {
    /// 0000-01-01T00:00:00.000Z.
    pub const MIN: Timestamp = Timestamp(-62_167_219_200_000);
    /// 9999-12-31T23:59:59.999Z.
    pub const MAX: Timestamp = Timestamp(253_402_300_799_999);
    /// 1970-01-01T00:00:00.000Z.
    pub const EPOCH: Timestamp = Timestamp(0);

    /// `Some` if `ms` is within `[MIN, MAX]`.
    pub fn from_millis(ms: i64) -> Option<Timestamp> {
        (Self::MIN.0..=Self::MAX.0)
            .contains(&ms)
            .then_some(Timestamp(ms))
    }

    /// Milliseconds since the Unix epoch.
    pub fn millis(self) -> i64 {
        self.0
    }

    /// Parse an RFC 3339 date-time (`full-date "T" full-time`).
    ///
    /// Strict: four-digit year, two-digit month/day/hour/minute/second, real
    /// calendar dates (leap years included), a `Z` or `±HH:MM` offset
    /// (`-00:00` is read as UTC); `t`/`z` may be lower case. Fractional seconds
    /// take any number of digits and are truncated to milliseconds. A leap
    /// second (`:60`) is read as the first millisecond-aligned instant of the
    /// next minute plus its fraction. No surrounding white space, no space
    /// instead of `T`, no missing seconds or offset.
    pub fn parse_rfc3339(s: &str) -> Option<Timestamp> {
        let mut p = Cursor {
            b: s.as_bytes(),
            i: 0,
        };
        let year = p.digits(4)?;
        p.byte(b'-')?;
        let month = p.digits(2)?;
        p.byte(b'-')?;
        let day = p.digits(2)?;
        p.one_of(b"Tt")?;
        let hour = p.digits(2)?;
        p.byte(b':')?;
        let minute = p.digits(2)?;
        p.byte(b':')?;
        let second = p.digits(2)?;
        let mut frac_ms = 0;
        if p.peek() == Some(b'.') {
            p.i += 1;
            let start = p.i;
            while let Some(c) = p.peek().filter(u8::is_ascii_digit) {
                if p.i - start < 3 {
                    frac_ms = frac_ms * 10 + i64::from(c - b'0');
                }
                p.i += 1;
            }
            let n = p.i - start;
            if n == 0 {
                return None;
            }
            for _ in n..3 {
                frac_ms *= 10;
            }
        }
        let offset_min = match p.next()? {
            b'Z' | b'z' => 0,
            sign @ (b'+' | b'-') => {
                let oh = p.digits(2)?;
                p.byte(b':')?;
                let om = p.digits(2)?;
                if oh > 23 || om > 59 {
                    return None;
                }
                let m = oh * 60 + om;
                if sign == b'-' { -m } else { m }
            }
            _ => return None,
        };
        if p.i != p.b.len() {
            return None;
        }
        if !(1..=12).contains(&month)
            || day < 1
            || day > days_in_month(year, month)
            || hour > 23
            || minute > 59
            || second > 60
        {
            return None;
        }
        let days = days_from_civil(year, month, day);
        let secs = days * 86_400 + hour * 3_600 + minute * 60 + second - offset_min * 60;
        Timestamp::from_millis(secs * 1_000 + frac_ms)
    }

    /// RFC 3339 text in UTC with milliseconds: `2024-06-01T12:34:56.789Z`.
    ///
    /// `Timestamp::parse_rfc3339(&t.to_rfc3339()) == Some(t)` for every `t`.
    pub fn to_rfc3339(self) -> String {
        let days = self.0.div_euclid(DAY_MS);
        let ms_of_day = self.0.rem_euclid(DAY_MS);
        let (y, m, d) = civil_from_days(days);
        let ms = ms_of_day % 1_000;
        let s = ms_of_day / 1_000 % 60;
        let min = ms_of_day / 60_000 % 60;
        let h = ms_of_day / 3_600_000;
        format!("{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:{s:02}.{ms:03}Z")
    }
}

impl Timestamp {
    /// Wall-clock time `HH:MM:SS` at a UTC offset in minutes east of UTC (e.g. 60 for Paris
    /// in winter, 0 for London in winter). The caller looks the offset up for this instant
    /// (summer time differs), so the core needs no time-zone database.
    pub fn clock_text(self, utc_offset_min: i32) -> String {
        let (_, h, m, s) = self.local_parts(utc_offset_min);
        format!("{h:02}:{m:02}:{s:02}")
    }

    /// Date and wall-clock time `YYYY-MM-DD HH:MM:SS` at a UTC offset in minutes east of UTC.
    pub fn date_time_text(self, utc_offset_min: i32) -> String {
        let ((y, mo, d), h, m, s) = self.local_parts(utc_offset_min);
        format!("{y:04}-{mo:02}-{d:02} {h:02}:{m:02}:{s:02}")
    }

    /// Calendar date and wall-clock time at a UTC offset in minutes east of UTC.
    pub fn local(self, utc_offset_min: i32) -> LocalTime {
        let ((year, month, day), hour, minute, second) = self.local_parts(utc_offset_min);
        // Every part is within its range by construction (`civil_from_days`, `rem_euclid`).
        let small = |v: i64| u8::try_from(v).unwrap_or(0);
        LocalTime {
            year,
            month: small(month),
            day: small(day),
            hour: small(hour),
            minute: small(minute),
            second: small(second),
        }
    }

    /// How this instant stands against the reader's clock `now`: more than
    /// [`CLOCK_SKEW_TOLERANCE_MS`] ahead is [`Recency::Future`] (clock skew); otherwise
    /// [`Recency::Today`] when its local calendar date is `now`'s, else [`Recency::OtherDay`].
    ///
    /// Each instant's date is taken at its own UTC offset (minutes east of UTC, looked up by
    /// the caller for that instant): `offset_min` for this one, `now_offset_min` for `now`,
    /// so an instant before a summer-time change is dated as its own wall clock showed it.
    pub fn recency(self, now: Timestamp, offset_min: i32, now_offset_min: i32) -> Recency {
        let today = self.local(offset_min).date() == now.local(now_offset_min).date();
        let ahead_ms = self.0 - now.0;
        if ahead_ms > CLOCK_SKEW_TOLERANCE_MS {
            Recency::Future { ahead_ms, today }
        } else if today {
            Recency::Today
        } else {
            Recency::OtherDay
        }
    }

    fn local_parts(self, utc_offset_min: i32) -> ((i64, i64, i64), i64, i64, i64) {
        let local = self
            .0
            .saturating_add(i64::from(utc_offset_min).saturating_mul(60_000));
        let days = local.div_euclid(DAY_MS);
        let ms_of_day = local.rem_euclid(DAY_MS);
        (
            civil_from_days(days),
            ms_of_day / 3_600_000,
            ms_of_day / 60_000 % 60,
            ms_of_day / 1_000 % 60,
        )
    }
}

impl fmt::Display for Timestamp {
    /// Same text as [`Timestamp::to_rfc3339`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

/// Byte cursor over the input; every read is bounds-checked.
struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    #[inline]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    #[inline]
    fn next(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.i += 1;
        Some(c)
    }

    #[inline]
    fn byte(&mut self, want: u8) -> Option<()> {
        (self.next()? == want).then_some(())
    }

    #[inline]
    fn one_of(&mut self, set: &[u8]) -> Option<()> {
        set.contains(&self.next()?).then_some(())
    }

    /// Exactly `n` ASCII digits as a number.
    #[inline]
    fn digits(&mut self, n: usize) -> Option<i64> {
        let mut v = 0i64;
        for _ in 0..n {
            let c = self.next()?;
            if !c.is_ascii_digit() {
                return None;
            }
            v = v * 10 + i64::from(c - b'0');
        }
        Some(v)
    }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Inverse of [`days_from_civil`]: (year, month, day).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(s: &str) -> Option<i64> {
        Timestamp::parse_rfc3339(s).map(Timestamp::millis)
    }

    #[test]
    fn civil_round_trip_over_four_centuries() {
        for z in -800_000..800_000i64 {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
    }

    #[test]
    fn bounds_are_the_year_range() {
        assert_eq!(ms("0000-01-01T00:00:00Z"), Some(Timestamp::MIN.millis()));
        assert_eq!(
            ms("9999-12-31T23:59:59.999Z"),
            Some(Timestamp::MAX.millis())
        );
        assert_eq!(ms("0000-01-01T00:30:00+01:00"), None);
        assert_eq!(ms("9999-12-31T23:30:00-01:00"), None);
        assert_eq!(Timestamp::from_millis(Timestamp::MIN.millis() - 1), None);
        assert_eq!(Timestamp::from_millis(Timestamp::MAX.millis() + 1), None);
        assert_eq!(Timestamp::MIN.to_rfc3339(), "0000-01-01T00:00:00.000Z");
        assert_eq!(Timestamp::MAX.to_rfc3339(), "9999-12-31T23:59:59.999Z");
    }

    #[test]
    fn fraction_truncates_and_pads() {
        assert_eq!(ms("1970-01-01T00:00:00.5Z"), Some(500));
        assert_eq!(ms("1970-01-01T00:00:00.05Z"), Some(50));
        assert_eq!(ms("1970-01-01T00:00:00.123999999Z"), Some(123));
        assert_eq!(ms("1969-12-31T23:59:59.9999Z"), Some(-1));
    }

    #[test]
    fn leap_second_is_next_second() {
        assert_eq!(ms("2016-12-31T23:59:60Z"), ms("2017-01-01T00:00:00Z"));
    }
}
