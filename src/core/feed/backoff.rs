//! Exponential back-off with full jitter, capped: the delays between reconnect attempts.
//!
//! Units: milliseconds. Jitter comes in as a number in [0, 1) so tests are deterministic.

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
