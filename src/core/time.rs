//! Instants in time: [`Timestamp`], milliseconds since the Unix epoch (UTC), with the
//! calendar, offset and formatting work done by [`jiff`].
//!
//! No space coordinates here. Text is RFC 3339 (`2024-06-01T13:34:56.789+01:00`):
//! parsing accepts any UTC offset and fractional seconds (truncated to whole
//! milliseconds); formatting always writes UTC with milliseconds
//! (`2024-06-01T12:34:56.789Z`). Years are 0000..=9999, as RFC 3339 allows.
//! Nothing here panics on any input.
//!
//! Parsing reads the RFC 3339 grammar's fields off the bytes (a fixed layout: 19 bytes, an
//! optional fraction, `Z` or `±HH:MM`) and hands them to jiff, which checks the calendar
//! date and time (`jiff::civil::DateTime::new`) and counts the time since the epoch
//! (`DateTime::duration_until`); the offset is then whole minutes to subtract.
//! Why not jiff's own text parser (`"…".parse::<jiff::Timestamp>()`): it reads the wider
//! Temporal / RFC 9557 grammar (a space for `T`, a comma for the point, `+01` and `+0100`,
//! missing seconds, `[…]` annotations), which the API contract and the strictness tests
//! reject, and on the 100k-incident snapshot (200,000 timestamps, native, release) it took
//! 12.5–16.8 ms against 5.5 ms for this field reader (3.5–4.1 ms for the hand-written
//! calendar code it replaced); the whole snapshot parse is about 100 ms, so jiff's parser
//! would have cost 9–13 % of the ingest and this reader costs about 2 % (BENCHMARKS.md, "Time
//! through jiff").
//!
//! jiff's `Timestamp` stops at 9999-12-30T22:00Z (it keeps room for a ±26 h offset), short of
//! this type's last day: instants are read into calendar parts within their 400-year
//! Gregorian cycle (`civil_parts`), and parsing counts from a civil epoch.
//!
//! Local wall-clock time takes a UTC offset in minutes east of UTC that the
//! caller looks up for the instant (summer time differs), so there is no
//! time-zone database here: [`Timestamp::local`] gives the calendar parts and
//! [`Timestamp::recency`] says how an instant stands against the reader's
//! clock (today, another local date, or more than [`CLOCK_SKEW_TOLERANCE_MS`]
//! ahead: clock skew). Named zones (the video wall's London and Paris clocks) are the shell's
//! (`env::wall_clocks`, the browser's `Intl.DateTimeFormat`): measured in a wasm build, jiff's
//! POSIX rules for the two zones cost 12 KB gzip, its bundled database
//! (`tzdb-bundle-always`) 128 KB, `Intl` 2 KB; jiff's `js` feature only finds the browser's own
//! zone and would put a web crate under the core. Words and formats for people are the shell's.

use std::fmt;

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
        let b = s.as_bytes();
        let [
            y0,
            y1,
            y2,
            y3,
            b'-',
            mo0,
            mo1,
            b'-',
            d0,
            d1,
            b'T' | b't',
            h0,
            h1,
            b':',
            mi0,
            mi1,
            b':',
            s0,
            s1,
            rest @ ..,
        ] = b
        else {
            return None;
        };
        let year = digits(&[*y0, *y1, *y2, *y3])?;
        let month = digits(&[*mo0, *mo1])?;
        let day = digits(&[*d0, *d1])?;
        let hour = digits(&[*h0, *h1])?;
        let minute = digits(&[*mi0, *mi1])?;
        let second = digits(&[*s0, *s1])?;
        let (nanos, rest) = match rest {
            [b'.', frac @ ..] => fraction(frac)?,
            _ => (0, rest),
        };
        let offset_min = match rest {
            [b'Z' | b'z'] => 0,
            [sign @ (b'+' | b'-'), oh0, oh1, b':', om0, om1] => {
                let (oh, om) = (digits(&[*oh0, *oh1])?, digits(&[*om0, *om1])?);
                if oh > 23 || om > 59 {
                    return None;
                }
                let m = oh * 60 + om;
                if *sign == b'-' { -m } else { m }
            }
            _ => return None,
        };
        // A leap second (`:60`) is read as the next minute's first second (jiff would clamp it
        // to `:59`).
        let leap = second == 60;
        let dt = jiff::civil::DateTime::new(
            i16::try_from(year).ok()?,
            i8::try_from(month).ok()?,
            i8::try_from(day).ok()?,
            i8::try_from(hour).ok()?,
            i8::try_from(minute).ok()?,
            i8::try_from(if leap { 59 } else { second }).ok()?,
            nanos,
        )
        .ok()?;
        // Floor to whole ms (a fraction after the text's second, also before 1970).
        let ms = EPOCH.duration_until(dt).as_nanos().div_euclid(1_000_000);
        let ms = i64::try_from(ms).ok()? - i64::from(offset_min) * 60_000;
        Timestamp::from_millis(ms.checked_add(if leap { 1_000 } else { 0 })?)
    }

    /// RFC 3339 text in UTC with milliseconds: `2024-06-01T12:34:56.789Z`.
    ///
    /// `Timestamp::parse_rfc3339(&t.to_rfc3339()) == Some(t)` for every `t`.
    pub fn to_rfc3339(self) -> String {
        let ((y, m, d), h, min, s) = civil_parts(self.0);
        let ms = self.0.rem_euclid(1_000);
        format!("{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:{s:02}.{ms:03}Z")
    }
}

/// 1970-01-01T00:00:00 as a civil date-time (the Unix epoch in UTC).
const EPOCH: jiff::civil::DateTime = jiff::civil::DateTime::constant(1970, 1, 1, 0, 0, 0, 0);

/// (year, month, day), hour, minute, second of the instant `ms` after the epoch, any `i64`.
///
/// 400 Gregorian years are exactly 146,097 days: the instant is read within its 400-year cycle
/// from 1970 (always inside jiff's `Timestamp` range, which stops short of 9999-12-31) and the
/// cycles are added to the year. (jiff's own `checked_add` and `Display` would do the same
/// work but link in every message of its error type: 45 KB gzip of wasm, measured.)
fn civil_parts(ms: i64) -> ((i64, i64, i64), i64, i64, i64) {
    const CYCLE_MS: i64 = 146_097 * 86_400_000;
    let in_cycle = jiff::Timestamp::from_millisecond(ms.rem_euclid(CYCLE_MS))
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let dt = jiff::tz::Offset::UTC.to_datetime(in_cycle);
    (
        (
            i64::from(dt.year()) + 400 * ms.div_euclid(CYCLE_MS),
            i64::from(dt.month()),
            i64::from(dt.day()),
        ),
        i64::from(dt.hour()),
        i64::from(dt.minute()),
        i64::from(dt.second()),
    )
}

/// Up to nine fraction digits as nanoseconds, more digits truncated, and the bytes after them;
/// `None` without a digit.
fn fraction(b: &[u8]) -> Option<(i32, &[u8])> {
    let n = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if n == 0 {
        return None;
    }
    let (frac, rest) = b.split_at(n);
    let nanos = frac
        .iter()
        .chain(std::iter::repeat(&b'0'))
        .take(9)
        .fold(0i32, |v, c| v * 10 + i32::from(c - b'0'));
    Some((nanos, rest))
}

/// ASCII digits as a number; `None` on any other byte.
#[inline]
fn digits(b: &[u8]) -> Option<i32> {
    b.iter().try_fold(0i32, |v, c| {
        c.is_ascii_digit().then(|| v * 10 + i32::from(c - b'0'))
    })
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
        civil_parts(
            self.0
                .saturating_add(i64::from(utc_offset_min).saturating_mul(60_000)),
        )
    }
}

impl fmt::Display for Timestamp {
    /// Same text as [`Timestamp::to_rfc3339`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(s: &str) -> Option<i64> {
        Timestamp::parse_rfc3339(s).map(Timestamp::millis)
    }

    #[test]
    fn extreme_offsets_never_panic() {
        for t in [Timestamp::MIN, Timestamp::EPOCH, Timestamp::MAX] {
            for off in [i32::MIN, -1_560, -1_559, 0, 1_559, 1_560, i32::MAX] {
                let _ = t.local(off);
            }
        }
        assert_eq!(Timestamp::MIN.local(-60).year, -1);
        assert_eq!(Timestamp::MAX.local(60).date(), (10_000, 1, 1));
        assert_eq!(Timestamp::MAX.local(i32::MAX).year, 10_000 + 4_083);
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
        assert_eq!(ms("1970-01-01T00:00:00.1239999999999Z"), Some(123));
        assert_eq!(ms("1970-01-01T00:00:00.Z"), None);
    }

    #[test]
    fn leap_second_is_next_second() {
        assert_eq!(ms("2016-12-31T23:59:60Z"), ms("2017-01-01T00:00:00Z"));
        assert_eq!(ms("2016-12-31T23:59:60.5Z"), ms("2017-01-01T00:00:00.5Z"));
        assert_eq!(ms("9999-12-31T23:59:60Z"), None);
    }
}
