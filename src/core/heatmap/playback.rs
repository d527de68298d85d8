//! Playback of the history: a time cursor moving over the loaded reports, and the window of
//! reports the heatmap shows at that time.
//!
//! Units: times in milliseconds since the epoch (data time), speeds in data milliseconds per
//! real second, real elapsed time in milliseconds. Pure: the shell feeds animation-frame
//! deltas ([`Playback::advance`]) and reads [`Playback::window`].

use super::displacement::Window;

const HOUR_MS: i64 = 3_600_000;

/// Data time per real second: the speed presets (1 h to 1 week a second).
pub const SPEEDS: [(&str, i64); 4] = [
    ("1h", HOUR_MS),
    ("6h", 6 * HOUR_MS),
    ("1d", 24 * HOUR_MS),
    ("1w", 7 * 24 * HOUR_MS),
];

/// Which reports are shown at the cursor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Accumulation {
    /// The `width_ms` before the cursor.
    Sliding { width_ms: i64 },
    /// Everything from the start of the span to the cursor.
    Cumulative,
}

/// The playback state.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Playback {
    /// Loaded span `[start, end]`.
    pub start_ms: i64,
    pub end_ms: i64,
    /// The cursor, within the span.
    pub t_ms: i64,
    /// Data milliseconds per real second.
    pub speed: i64,
    pub playing: bool,
    pub accumulation: Accumulation,
    /// Data time not yet applied (sub-millisecond remainders of frame deltas).
    carry: f64,
}

impl Playback {
    /// A paused playback over `[start_ms, end_ms]` with the cursor at the start, one day a
    /// second, a sliding 24-hour window. `None` for an empty or reversed span.
    pub fn new(start_ms: i64, end_ms: i64) -> Option<Playback> {
        (start_ms < end_ms).then_some(Playback {
            start_ms,
            end_ms,
            t_ms: start_ms,
            speed: 24 * HOUR_MS,
            playing: false,
            accumulation: Accumulation::Sliding {
                width_ms: 24 * HOUR_MS,
            },
            carry: 0.0,
        })
    }

    /// Start playing (from the start again if the cursor is at the end).
    pub fn play(&mut self) {
        if self.t_ms >= self.end_ms {
            self.t_ms = self.start_ms;
        }
        self.playing = true;
    }

    pub fn pause(&mut self) {
        self.playing = false;
    }

    /// Move the cursor (clamped into the span).
    pub fn seek(&mut self, t_ms: i64) {
        self.t_ms = t_ms.clamp(self.start_ms, self.end_ms);
        self.carry = 0.0;
    }

    /// One step forward (`+1`) or back (`-1`): one real second of playback at this speed.
    pub fn step(&mut self, direction: i32) {
        let d = self.speed.saturating_mul(i64::from(direction.signum()));
        self.seek(self.t_ms.saturating_add(d));
    }

    /// Advance by `real_ms` of real time if playing; stops at the end. Returns whether the
    /// cursor moved (the heatmap needs redrawing).
    pub fn advance(&mut self, real_ms: f64) -> bool {
        if !(self.playing && real_ms.is_finite() && real_ms > 0.0) {
            return false;
        }
        let data = self.carry + real_ms * self.speed as f64 / 1000.0;
        let whole = data.floor();
        self.carry = data - whole;
        let before = self.t_ms;
        self.t_ms = self.t_ms.saturating_add(whole as i64).min(self.end_ms);
        if self.t_ms >= self.end_ms {
            self.playing = false;
        }
        self.t_ms != before
    }

    /// The reports shown at the cursor.
    pub fn window(&self) -> Window {
        let from = match self.accumulation {
            Accumulation::Sliding { width_ms } => self.t_ms.saturating_sub(width_ms.max(1)),
            Accumulation::Cumulative => self.start_ms.min(self.t_ms - 1),
        };
        Window {
            from_ms: from,
            to_ms: self.t_ms.max(from + 1),
        }
    }

    /// Where the cursor is in the span, 0 to 1 (for the slider).
    pub fn fraction(&self) -> f64 {
        (self.t_ms - self.start_ms) as f64 / (self.end_ms - self.start_ms).max(1) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plays_to_the_end_and_stops() {
        let mut p = Playback::new(0, 10 * 24 * HOUR_MS).unwrap();
        p.play();
        // 60 frames of 16.67 ms at one day a second: one day.
        for _ in 0..60 {
            assert!(p.advance(1000.0 / 60.0));
        }
        assert!((p.t_ms - 24 * HOUR_MS).abs() <= 1, "{}", p.t_ms);
        assert_eq!(
            p.window(),
            Window {
                from_ms: p.t_ms - 24 * HOUR_MS,
                to_ms: p.t_ms
            }
        );
        p.speed = SPEEDS[3].1;
        assert!(p.advance(5000.0));
        assert_eq!(p.t_ms, p.end_ms);
        assert!(!p.playing);
        assert!(!p.advance(16.0));
        p.play();
        assert_eq!(p.t_ms, 0);
        p.accumulation = Accumulation::Cumulative;
        p.seek(3 * 24 * HOUR_MS);
        assert_eq!(
            p.window(),
            Window {
                from_ms: 0,
                to_ms: 3 * 24 * HOUR_MS
            }
        );
        p.step(-1);
        p.step(-1);
        p.seek(-5);
        assert_eq!(p.fraction(), 0.0);
        assert!(Playback::new(5, 5).is_none());
    }
}
