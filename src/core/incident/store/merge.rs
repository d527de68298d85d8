//! A snapshot applied in steps (issue 15 item 4): [`SnapshotMerge`] builds, a few hundred
//! incidents at a time, the store that [`IncidentStore::apply_snapshot`] would leave, as a new
//! store beside the held one, which it only reads. The page keeps showing the held store until
//! the new one is whole and swaps it in at once: the picture never shows half a snapshot.
//!
//! Units: as [`IncidentStore`] (incidents in degrees WGS84 and EPSG:3857 metres, times in
//! [`Timestamp`] ms); a step's size is a number of ids. The held store must not change between
//! the first step and [`SnapshotMerge::finish`] (the page queues live events meanwhile and
//! applies them after the swap, in their order; retention waits too).
//!
//! How: the snapshot is sorted by id (stable: the versions of one id keep their order; the
//! server sends it sorted, and then this is one pass), then walked together with the held ids
//! (both in id order; the held side resumes after the last id merged, by a range of the id
//! map): a snapshot id replaces the held version, a held id the snapshot lacks is kept or
//! removed, both by the rules of [`IncidentStore::apply_snapshot`]. The merged incidents, sorted and distinct, then become
//! the new store's slots, id map and indexes in three more steps. The outcome, the version
//! (the held one plus one per change) and the diagnostics are `apply_snapshot`'s: a test
//! checks every step size against it on random stores and snapshots.

use super::{
    Diagnostics, IncidentStore, Index, SnapshotOutcome, Source, Upsert, bound_track,
    removes_absent, supersedes,
};
use crate::incident::{Incident, Snapshot};
use std::collections::BTreeMap;
use std::iter::Peekable;
use std::ops::Bound;

/// The store a snapshot gives, built in steps beside the held store.
pub struct SnapshotMerge {
    incoming: Peekable<std::vec::IntoIter<Incident>>,
    /// Ids of rejected features, sorted: present, never removed.
    rejected_ids: Vec<String>,
    /// Whether held incidents absent from the snapshot are removed.
    removes_absent: bool,
    /// The last held id merged (the walk resumes after it).
    last_held: Option<String>,
    held_done: bool,
    merged: Vec<Incident>,
    out: SnapshotOutcome,
    diagnostics: Diagnostics,
    phase: Phase,
    index: Option<Index>,
    by_id: Option<BTreeMap<String, usize>>,
    built: Option<IncidentStore>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Merge,
    Index,
    Ids,
    Slots,
    Done,
}

impl SnapshotMerge {
    /// Starts the merge of `snapshot` into (a copy of) `held`: the rejections are recorded in
    /// the new store's diagnostics, the snapshot is sorted by id (one pass if it already is).
    pub fn new(held: &IncidentStore, snapshot: Snapshot) -> SnapshotMerge {
        let Snapshot {
            mut incidents,
            rejected,
            ..
        } = snapshot;
        let mut diagnostics = held.diagnostics.clone();
        for r in &rejected {
            diagnostics.record(&r.error);
        }
        let removes_absent = removes_absent(&incidents, &rejected);
        if !incidents.is_sorted_by(|a, b| a.id <= b.id) {
            // Not the server's order (rare): the shared sort, not one more instance of it.
            crate::compact_sort::sort_by(&mut incidents, |a, b| a.id.cmp(&b.id));
        }
        let mut rejected_ids: Vec<String> = rejected.iter().filter_map(|r| r.id.clone()).collect();
        crate::compact_sort::sort_by(&mut rejected_ids, |a, b| a.cmp(b));
        SnapshotMerge {
            merged: Vec::with_capacity(incidents.len().max(held.len())),
            incoming: incidents.into_iter().peekable(),
            rejected_ids,
            removes_absent,
            last_held: None,
            held_done: false,
            out: SnapshotOutcome {
                rejected: rejected.len(),
                ..SnapshotOutcome::default()
            },
            diagnostics,
            phase: Phase::Merge,
            index: None,
            by_id: None,
            built: None,
        }
    }

    /// Merges up to `ids` ids (at least one), or does one of the build steps after the merge;
    /// returns whether the new store is whole. `held` must be the store given to `new`,
    /// unchanged.
    pub fn step(&mut self, held: &IncidentStore, ids: usize) -> bool {
        match self.phase {
            Phase::Merge => {
                if self.merge(held, ids.max(1)) {
                    self.phase = Phase::Index;
                }
            }
            Phase::Index => {
                for inc in &mut self.merged {
                    bound_track(&mut inc.track);
                }
                self.index = Some(Index::build(&self.merged));
                self.phase = Phase::Ids;
            }
            Phase::Ids => {
                // Sorted and distinct: the map is built without searching.
                self.by_id = Some(
                    self.merged
                        .iter()
                        .enumerate()
                        .map(|(slot, inc)| (inc.id.clone(), slot))
                        .collect(),
                );
                self.phase = Phase::Slots;
            }
            Phase::Slots => {
                let out = &self.out;
                let changes = (out.inserted + out.updated + out.removed) as u64;
                self.built = Some(IncidentStore {
                    slots: std::mem::take(&mut self.merged)
                        .into_iter()
                        .map(Some)
                        .collect(),
                    free: Vec::new(),
                    by_id: self.by_id.take().unwrap_or_default(),
                    index: self.index.take().unwrap_or_default(),
                    version: held.version.wrapping_add(changes),
                    diagnostics: std::mem::take(&mut self.diagnostics),
                });
                self.phase = Phase::Done;
            }
            Phase::Done => {}
        }
        self.phase == Phase::Done
    }

    /// The new store and what the snapshot did (the steps left, if any, done now).
    pub fn finish(mut self, held: &IncidentStore) -> (IncidentStore, SnapshotOutcome) {
        while !self.step(held, usize::MAX) {}
        let mut built = self.built.unwrap_or_default();
        built.forget_seqs();
        (built, self.out)
    }

    /// `inc` applied over `held` (by [`IncidentStore::apply_snapshot`]'s rules): the version
    /// kept, counted in the outcome.
    fn upsert(&mut self, held: Option<Incident>, inc: Incident) -> Incident {
        let (kept, upsert) = match held {
            None => (inc, Upsert::Inserted),
            Some(mut held) => match supersedes(&mut held, inc, Source::Snapshot) {
                Ok(newer) => (newer, Upsert::Updated),
                Err(ignored) => (held, ignored),
            },
        };
        self.out.count(upsert);
        kept
    }

    /// Merges up to `budget` ids; returns whether both sides are walked.
    fn merge(&mut self, held: &IncidentStore, mut budget: usize) -> bool {
        let from = match &self.last_held {
            Some(id) => Bound::Excluded(id.as_str()),
            None => Bound::Unbounded,
        };
        let mut held_ids = held
            .by_id
            .range::<str, _>((from, Bound::Unbounded))
            .filter_map(|(id, &slot)| Some((id, held.held(slot)?)))
            .peekable();
        while budget > 0 {
            budget -= 1;
            let next_held = if self.held_done {
                None
            } else {
                held_ids.peek().map(|(id, _)| id.as_str())
            };
            let (take_in, take_held) = match (self.incoming.peek(), next_held) {
                (None, None) => return true,
                (Some(a), Some(b)) => (a.id.as_str() <= b, b <= a.id.as_str()),
                (Some(_), None) => (true, false),
                (None, Some(_)) => (false, true),
            };
            let held_version = if take_held {
                let (id, inc) = held_ids
                    .next()
                    .map(|(id, inc)| (id.clone(), inc.clone()))
                    .unzip();
                self.last_held = id;
                inc
            } else {
                None
            };
            let first = if take_in { self.incoming.next() } else { None };
            let Some(first) = first else {
                // Held, not in the snapshot: kept unless the server no longer has it.
                if let Some(inc) = held_version {
                    let present = self.rejected_ids.binary_search(&inc.id).is_ok();
                    if !present && self.removes_absent {
                        self.out.removed += 1;
                    } else {
                        self.merged.push(inc);
                    }
                }
                continue;
            };
            // Every version of this id in the snapshot, in order, against the held one.
            let mut current = self.upsert(held_version, first);
            while let Some(inc) = self.incoming.next_if(|i| i.id == current.id) {
                current = self.upsert(Some(current), inc);
            }
            self.merged.push(current);
        }
        self.held_done = held_ids.peek().is_none();
        self.incoming.peek().is_none() && self.held_done
    }
}
