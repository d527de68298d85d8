//! Helpers shared by the native timing examples: elapsed milliseconds, the median of runs,
//! positional arguments with defaults.

use std::time::Instant;

/// Milliseconds since `t`.
#[allow(dead_code)]
pub fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

/// Median of the samples (NaN when there are none).
pub fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

/// The `i`-th command-line argument as a number, or `default`.
pub fn arg(i: usize, default: usize) -> usize {
    std::env::args()
        .nth(i)
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}
