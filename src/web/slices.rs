//! Long work cut into slices (issue 15 item 4: no task over 50 ms): [`Slicer`] sizes each
//! slice from the time the last ones took, aiming at [`SLICE_MS`]; between slices the caller
//! gives the thread back with `env::yield_now` (input, frames and live events run). Used by
//! the snapshot's reading and merging (`feed.rs`) and the geofence's seeding after a snapshot
//! (`geofence/seeding.rs`).
//!
//! Units: ms of the page's monotonic clock (`env::now_ms`); a slice's size is in the caller's
//! units of work (features read, ids merged, incidents seeded).

use crate::env::{measure, now_ms};

/// Aimed time of one slice (ms): well under the 50 ms of a long task, with room for a frame.
pub const SLICE_MS: f64 = 8.0;

/// The size of the next slice, from the time the last ones took.
pub struct Slicer {
    /// Units (features or ids) in the next slice.
    size: usize,
    /// Slices run and the longest (ms), for `feedStats()`.
    pub slices: u32,
    pub longest_ms: f64,
}

impl Slicer {
    pub fn new(size: usize) -> Slicer {
        Slicer {
            size,
            slices: 0,
            longest_ms: 0.0,
        }
    }

    /// Runs one slice of `work` (given the slice's size; returns whether all is done) and
    /// resizes the next one toward [`SLICE_MS`] (at most doubling, at least 16 units).
    pub fn run(&mut self, name: &str, work: impl FnOnce(usize) -> bool) -> bool {
        let t0 = now_ms();
        let done = work(self.size);
        let ms = now_ms() - t0;
        measure(name, t0);
        self.slices += 1;
        self.longest_ms = self.longest_ms.max(ms);
        let per_unit = ms.max(0.05) / self.size as f64;
        let next = (SLICE_MS / per_unit).clamp(16.0, (self.size * 2) as f64);
        self.size = next as usize;
        done
    }
}
