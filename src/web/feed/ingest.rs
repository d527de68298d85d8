//! A snapshot taken in slices (issue 15 item 4), the queue of live events held
//! meanwhile; the feed's `take` runs it with `slices::Slicer` sizing each slice. The first load's or a resync's 100k
//! incidents are read ([`SnapshotReader`]) and merged with the held store
//! ([`SnapshotMerge`]) a slice at a time, each slice sized to about `slices::SLICE_MS`, with the
//! browser given the thread between slices (`env::yield_now`: input, frames and live events run),
//! so that no task of the ingest blocks the page for more than 50 ms. The held store stays
//! what the page shows until the new one is whole; it is then swapped in at once (the picture
//! never shows half a snapshot), the live events that arrived meanwhile (queued by
//! `on_event`, in arrival order) are applied to it, the machine is told `SnapshotLoaded` and
//! the signals are flushed. If the snapshot's ticket lapses meanwhile (a newer request, the
//! network gone), the work is dropped and the queued events are applied to the held store.
//!
//! Units: ms of the page's monotonic clock (`env::now_ms`); slices are counted in features
//! (reading) and ids (merging), resized after each slice from its measured time.
//!
//! Why slices and not a Web Worker (BENCHMARKS.md, "Main-thread blocks"): a worker must run a
//! second instance of the app's wasm (the core's reader lives there; the same `.wasm` file: no
//! extra download, but a second module instance, its own copy of the 36 MB text and of the
//! parsed incidents, and a hand-over of 100k incidents in compact columns that the page must
//! then turn back into `Incident`s, itself a block to slice) or a worker bin of its own (a second
//! download, against a bundle already over its 600 KB target). Slices keep one module and one
//! copy; they cost the time between slices (the total grows by a few tens of ms) and the reader
//! in steps, which the core tests against the one-shot reader.

/// Live events that arrive while a snapshot is taken: applied after it, in this order.
pub struct Taking {
    /// SSE data and id of each event, in arrival order.
    pub queued: Vec<(String, String)>,
}
