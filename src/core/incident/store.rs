//! In-memory store of live incidents, keyed by id.
//!
//! Positions are as in [`Incident`] (degrees WGS84 and EPSG:3857 metres; the
//! track is EPSG:3857 metres); times and retention are milliseconds
//! ([`Timestamp`]).
//!
//! # Which version is newer
//!
//! The server's order, not its clock, decides (a clock that jumps back must not lose
//! updates; issue 15 item 4, clock skew):
//!
//! * A **snapshot** is the server's whole state at its cursor (docs/api.md: the client
//!   "replaces its state with it"): its version of an incident replaces the held one unless
//!   they are the same state, and a held incident it lacks is removed. (No live event can be
//!   newer than a snapshot being applied: the feed has one connection at a time, and the
//!   events that arrive while a snapshot is taken are applied after it.)
//! * A **live** version (an SSE event, or a `since=` answer's feature) after the snapshot:
//!   with a `seq` held too, the higher `seq` is newer (equal: a replay, [`Upsert::Duplicate`];
//!   lower: out of order, [`Upsert::Stale`]); over a version held without a `seq` (the
//!   snapshot's: the stream resumes after its cursor) it is newer; without a `seq` of its own
//!   (an event without a numeric id) `updated_at` decides, equal being a duplicate.
//! * A snapshot forgets the `seq`s held before it, since the stream resumes after its
//!   cursor, possibly in a new id space after a server restart.
//!
//! Incidents sit in slots (a removed one's slot
//! is reused), found through an ordered map from id to slot, so iteration is
//! in id order; upsert, get, remove and purge cost O(log n) per incident
//! touched. A snapshot into an empty store (the first load) becomes the slots
//! as it is, with the id map built from it without searching; a resync into a
//! non-empty store upserts each incident and walks the store once for the ids
//! the server no longer has.

use super::parse::Snapshot;
use super::{Incident, IncidentError, IncidentKind, Status, Timestamp};
use crate::units::Mercator;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

mod merge;
pub use merge::SnapshotMerge;

/// Most previous positions kept in [`Incident::track`].
pub const TRACK_LEN: usize = 16;

/// Most closed incidents the page keeps whatever the retention and the event rate
/// ([`IncidentStore::cap_closed`]): past it the oldest closed go (open ones are never dropped).
pub const MAX_CLOSED: usize = 50_000;

/// What [`IncidentStore::upsert`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Upsert {
    /// A new id.
    Inserted,
    /// A newer version replaced the stored one.
    Updated,
    /// Older than the stored version (a lower `seq`; without one, an earlier `updated_at`):
    /// ignored. Never from a snapshot.
    Stale,
    /// The stored version again (the same `seq`; without one, the same `updated_at`; from a
    /// snapshot, the same state): ignored.
    Duplicate,
}

impl Upsert {
    /// `true` for `Inserted` and `Updated` (the store's version changed).
    pub fn changed(self) -> bool {
        matches!(self, Upsert::Inserted | Upsert::Updated)
    }
}

/// Counts from [`IncidentStore::apply_snapshot`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SnapshotOutcome {
    pub inserted: usize,
    /// Held versions replaced by the snapshot's (another state).
    pub updated: usize,
    /// Held versions the snapshot has in the same state.
    pub duplicate: usize,
    /// Stored incidents the server no longer has.
    pub removed: usize,
    /// Snapshot features that were not valid (also recorded in the diagnostics).
    pub rejected: usize,
}

impl SnapshotOutcome {
    fn count(&mut self, upsert: Upsert) {
        match upsert {
            Upsert::Inserted => self.inserted += 1,
            Upsert::Updated => self.updated += 1,
            // A snapshot's version is never stale (it replaces the held one): not reached.
            Upsert::Stale | Upsert::Duplicate => self.duplicate += 1,
        }
    }
}

/// Running count of rejected events/features and the last reason.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Diagnostics {
    pub rejected: u64,
    /// The last error recorded (the shell words it).
    pub last_error: Option<IncidentError>,
}

impl Diagnostics {
    /// Count one rejection and remember its reason.
    pub fn record(&mut self, error: &IncidentError) {
        self.rejected = self.rejected.saturating_add(1);
        self.last_error = Some(error.clone());
    }
}

/// Secondary indexes, kept in step with the slots by `add`/`remove`.
#[derive(Clone, Debug, Default)]
struct Index {
    /// How many incidents have each `updated_at` (for the newest one).
    updates: BTreeMap<Timestamp, usize>,
    /// Slots of the closed incidents by `updated_at`, oldest first (for purging).
    closed: BTreeSet<(Timestamp, usize)>,
    /// Open incidents per kind, indexed by [`IncidentKind::index`].
    open: [usize; IncidentKind::ALL.len()],
}

impl Index {
    /// The index of `incidents` held in slots `0..`, built from one sort rather than by
    /// searching the trees for each incident: the slots in (`updated_at`, slot) order through
    /// the shared key sort ([`crate::compact_sort::order_by_i64`], no sort instance of its own),
    /// then both trees filled in that order (each insert lands at the right end).
    fn build(incidents: &[Incident]) -> Index {
        let mut index = Index::default();
        let times: Vec<i64> = incidents.iter().map(|i| i.updated_at.millis()).collect();
        let order = crate::compact_sort::order_by_i64(&times);
        drop(times);
        let mut run: Option<(Timestamp, usize)> = None;
        for slot in order {
            let slot = slot as usize;
            let Some(inc) = incidents.get(slot) else {
                continue;
            };
            match &mut run {
                Some((t, n)) if *t == inc.updated_at => *n += 1,
                _ => {
                    if let Some((t, n)) = run {
                        index.updates.insert(t, n);
                    }
                    run = Some((inc.updated_at, 1));
                }
            }
            match inc.status {
                Status::Open => {
                    if let Some(n) = index.open.get_mut(inc.kind.index()) {
                        *n += 1;
                    }
                }
                Status::Closed => {
                    index.closed.insert((inc.updated_at, slot));
                }
            }
        }
        if let Some((t, n)) = run {
            index.updates.insert(t, n);
        }
        index
    }

    fn add(&mut self, inc: &Incident, slot: usize) {
        *self.updates.entry(inc.updated_at).or_insert(0) += 1;
        match inc.status {
            Status::Open => {
                if let Some(n) = self.open.get_mut(inc.kind.index()) {
                    *n += 1;
                }
            }
            Status::Closed => {
                self.closed.insert((inc.updated_at, slot));
            }
        }
    }

    fn remove(&mut self, inc: &Incident, slot: usize) {
        if let Some(n) = self.updates.get_mut(&inc.updated_at) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                self.updates.remove(&inc.updated_at);
            }
        }
        match inc.status {
            Status::Open => {
                if let Some(n) = self.open.get_mut(inc.kind.index()) {
                    *n = n.saturating_sub(1);
                }
            }
            Status::Closed => {
                self.closed.remove(&(inc.updated_at, slot));
            }
        }
    }
}

/// Keep the last [`TRACK_LEN`] entries.
fn bound_track(track: &mut Vec<(Mercator, Timestamp)>) {
    let excess = track.len().saturating_sub(TRACK_LEN);
    track.drain(..excess);
}

/// Where a version comes from, which decides how it is ordered against the held one (the
/// module doc's rules).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Source {
    /// An SSE event or a `since=` answer's feature.
    Live,
    /// A snapshot (the server's whole state).
    Snapshot,
}

/// Whether a live version `inc` is newer than `held` (`Greater`), the same version (`Equal`)
/// or older (`Less`): by `seq` when both have one; a `seq` over none; else by `updated_at`.
fn live_order(held: &Incident, inc: &Incident) -> Ordering {
    match (held.seq, inc.seq) {
        (Some(h), Some(i)) => i.cmp(&h),
        (None, Some(_)) => Ordering::Greater,
        (_, None) => inc.updated_at.cmp(&held.updated_at),
    }
}

/// `true` if `a` and `b` are the same state of an incident (everything but the `seq` that
/// carried it and the track the store keeps).
fn same_state(a: &Incident, b: &Incident) -> bool {
    // Destructured in full: a new field is compared, or said here not to be.
    let Incident {
        id,
        kind,
        kind_text,
        severity,
        status,
        position,
        at,
        reported_at,
        updated_at,
        description,
        source,
        accuracy_m,
        seq: _,
        track: _,
        properties,
    } = a;
    *id == b.id
        && *kind == b.kind
        && *kind_text == b.kind_text
        && *severity == b.severity
        && *status == b.status
        && *position == b.position
        && *at == b.at
        && *reported_at == b.reported_at
        && *updated_at == b.updated_at
        && *description == b.description
        && *source == b.source
        && *accuracy_m == b.accuracy_m
        && *properties == b.properties
}

/// `inc` (from `source`) as the new version of `held` (`Ok`, carrying `held`'s track, plus
/// `held`'s position if it moved), or why it is ignored (`Err`: [`Upsert::Stale`] or
/// [`Upsert::Duplicate`]).
fn supersedes(held: &mut Incident, mut inc: Incident, source: Source) -> Result<Incident, Upsert> {
    let order = match source {
        Source::Live => live_order(held, &inc),
        Source::Snapshot if same_state(held, &inc) => Ordering::Equal,
        Source::Snapshot => Ordering::Greater,
    };
    match order {
        Ordering::Less => return Err(Upsert::Stale),
        Ordering::Equal => return Err(Upsert::Duplicate),
        Ordering::Greater => {}
    }
    inc.track = std::mem::take(&mut held.track);
    if inc.position != held.position {
        inc.track.push((held.at, held.updated_at));
        bound_track(&mut inc.track);
    }
    Ok(inc)
}

/// Whether a snapshot of these incidents and rejections removes the held ids it lacks: not
/// when every feature was rejected (bad input never removes good data).
fn removes_absent(incidents: &[Incident], rejected: &[super::parse::Rejected]) -> bool {
    !incidents.is_empty() || rejected.is_empty()
}

/// All live incidents by id, with a version that changes on every effective change.
///
/// The incidents live in slots (a removed one leaves a free slot for the next
/// insert); an ordered map from id to slot gives lookup and id order.
#[derive(Clone, Debug, Default)]
pub struct IncidentStore {
    slots: Vec<Option<Incident>>,
    /// Free slots (`None` in `slots`).
    free: Vec<usize>,
    /// The slot of each held id, in id order.
    by_id: BTreeMap<String, usize>,
    index: Index,
    version: u64,
    diagnostics: Diagnostics,
}

impl IncidentStore {
    /// An empty store.
    pub fn new() -> IncidentStore {
        IncidentStore::default()
    }

    /// Changes (increments) on every insert, update and removal; never on a
    /// stale or duplicate upsert, nor on recording diagnostics.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// Number of incidents held (open and closed).
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// `true` if no incident is held.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// The incident with this id.
    pub fn get(&self, id: &str) -> Option<&Incident> {
        self.by_id.get(id).and_then(|&slot| self.held(slot))
    }

    /// All incidents in id order (byte-wise string order).
    pub fn iter(&self) -> impl Iterator<Item = &Incident> + '_ {
        self.by_id.values().filter_map(|&slot| self.held(slot))
    }

    /// Latest `updated_at` of any held incident.
    pub fn newest_update(&self) -> Option<Timestamp> {
        self.index.updates.last_key_value().map(|(t, _)| *t)
    }

    /// Open incidents per kind, every kind in [`IncidentKind::ALL`] order (zeros included).
    pub fn open_counts_by_kind(&self) -> Vec<(IncidentKind, usize)> {
        IncidentKind::ALL.into_iter().zip(self.index.open).collect()
    }

    /// Rejections recorded so far.
    pub fn diagnostics(&self) -> &Diagnostics {
        &self.diagnostics
    }

    /// Record a rejected live event (snapshot rejections are recorded by
    /// [`IncidentStore::apply_snapshot`]).
    pub fn record_error(&mut self, error: &IncidentError) {
        self.diagnostics.record(error);
    }

    fn held(&self, slot: usize) -> Option<&Incident> {
        self.slots.get(slot).and_then(Option::as_ref)
    }

    /// Insert or update by id, `inc` being a live version (an event, or a `since=` answer's
    /// feature carrying the answer's cursor as its `seq`).
    ///
    /// A stored version is replaced only by a newer one (the module doc's rules): a higher
    /// `seq`; any `seq` over none; without a `seq`, a later `updated_at`. Older is
    /// [`Upsert::Stale`], the same is [`Upsert::Duplicate`]. The store owns the track: on
    /// update the incoming `track` is replaced by the stored one, plus the stored position
    /// (and its `updated_at`) if the position changed, bounded to [`TRACK_LEN`].
    pub fn upsert(&mut self, inc: Incident) -> Upsert {
        self.upsert_from(inc, Source::Live)
    }

    fn upsert_from(&mut self, inc: Incident, source: Source) -> Upsert {
        let held = self.by_id.get(inc.id.as_str()).copied().and_then(|slot| {
            let held = self.slots.get_mut(slot)?.as_mut()?;
            Some((slot, held))
        });
        let Some((slot, held)) = held else {
            self.insert(inc);
            return Upsert::Inserted;
        };
        let inc = match supersedes(held, inc, source) {
            Ok(inc) => inc,
            Err(ignored) => return ignored,
        };
        self.index.remove(held, slot);
        self.index.add(&inc, slot);
        *held = inc;
        self.version = self.version.wrapping_add(1);
        Upsert::Updated
    }

    /// Hold an incident whose id is not held yet.
    fn insert(&mut self, mut inc: Incident) {
        bound_track(&mut inc.track);
        let slot = match self.free.pop() {
            Some(slot) => slot,
            None => {
                self.slots.push(None);
                self.slots.len() - 1
            }
        };
        self.index.add(&inc, slot);
        self.by_id.insert(inc.id.clone(), slot);
        if let Some(s) = self.slots.get_mut(slot) {
            *s = Some(inc);
        }
        self.version = self.version.wrapping_add(1);
    }

    /// Remove one incident.
    pub fn remove(&mut self, id: &str) -> Option<Incident> {
        let slot = *self.by_id.get(id)?;
        self.remove_slot(slot)
    }

    /// Remove the incident held in `slot`.
    fn remove_slot(&mut self, slot: usize) -> Option<Incident> {
        let inc = self.slots.get_mut(slot)?.take()?;
        self.by_id.remove(inc.id.as_str());
        self.free.push(slot);
        self.index.remove(&inc, slot);
        self.version = self.version.wrapping_add(1);
        Some(inc)
    }

    /// Full resync from a snapshot: the server's state replaces the held one.
    ///
    /// Every snapshot incident replaces the held version of its id unless it is the same
    /// state ([`Upsert::Duplicate`]; never [`Upsert::Stale`]: the server's clock does not
    /// decide); of several versions of one id in the snapshot the last counts. Then a held
    /// incident that is not in the snapshot is removed (the server no longer has it). Ids of
    /// rejected features count as present (bad input never removes good data). A snapshot
    /// with no features at all empties the store; one whose features were all rejected
    /// removes nothing.
    ///
    /// Into an empty store (the first load) a snapshot of distinct ids becomes
    /// the slots as it is, and the id map is built from it without searching
    /// (after sorting it by id unless it already is, as the server sends it).
    /// Otherwise every incident is upserted: O(n log (n + m)) for m held.
    pub fn apply_snapshot(&mut self, snapshot: Snapshot) -> SnapshotOutcome {
        let out = self.merge_snapshot(snapshot);
        self.forget_seqs();
        out
    }

    /// After a snapshot every held version is the snapshot's state: the sequence ids of the
    /// events applied before it are forgotten, so that the events of the stream resumed after
    /// its cursor — possibly in a new id space after a server restart, with lower ids — are
    /// newer than any held version of the same `updated_at` (`None` is the lowest `seq`).
    fn forget_seqs(&mut self) {
        for inc in self.slots.iter_mut().flatten() {
            inc.seq = None;
        }
    }

    fn merge_snapshot(&mut self, snapshot: Snapshot) -> SnapshotOutcome {
        let Snapshot {
            incidents,
            rejected,
            ..
        } = snapshot;
        let mut out = SnapshotOutcome {
            rejected: rejected.len(),
            ..SnapshotOutcome::default()
        };
        for r in &rejected {
            self.diagnostics.record(&r.error);
        }
        if self.by_id.is_empty() {
            // The first load: nothing can have vanished.
            self.load(incidents, &mut out);
            return out;
        }
        // Upserts touch (and free) no slot of an id outside the snapshot, so what
        // vanished is known before them.
        let gone = if removes_absent(&incidents, &rejected) {
            let mut present: Vec<&str> = incidents
                .iter()
                .map(|i| i.id.as_str())
                .chain(rejected.iter().filter_map(|r| r.id.as_deref()))
                .collect();
            if !present.is_sorted() {
                // The shared sort (equal ids are alike: stable or not, the same order).
                crate::compact_sort::sort_by(&mut present, |a, b| a.cmp(b));
            }
            self.vanished(&present)
        } else {
            Vec::new()
        };
        for inc in incidents {
            out.count(self.upsert_from(inc, Source::Snapshot));
        }
        for slot in gone {
            if self.remove_slot(slot).is_some() {
                out.removed += 1;
            }
        }
        out
    }

    /// Slots of the held ids not in `present` (sorted).
    fn vanished(&self, present: &[&str]) -> Vec<usize> {
        let mut present = present.iter().peekable();
        let mut gone = Vec::new();
        // Both in id order: one merge walk.
        for (id, &slot) in &self.by_id {
            while present.next_if(|p| **p < id.as_str()).is_some() {}
            let here = present.peek().is_some_and(|p| **p == id);
            if !here {
                gone.push(slot);
            }
        }
        gone
    }

    /// Upsert a snapshot's incidents into an empty store. Sorted by id (stable:
    /// versions of one id keep their order, so upserting them in this order ends
    /// the same as in the snapshot's); without duplicate ids every one is an
    /// insert, and the incidents become the slots as they are.
    fn load(&mut self, mut incidents: Vec<Incident>, out: &mut SnapshotOutcome) {
        // Strictly ascending is sorted and distinct; else sort and look for repeats.
        let distinct = incidents.is_sorted_by(|a, b| a.id < b.id) || {
            // Not the server's order (rare): the shared sort, not one more instance of it.
            crate::compact_sort::sort_by(&mut incidents, |a, b| a.id.cmp(&b.id));
            incidents
                .iter()
                .zip(incidents.iter().skip(1))
                .all(|(a, b)| a.id != b.id)
        };
        if !distinct {
            for inc in incidents {
                out.count(self.upsert_from(inc, Source::Snapshot));
            }
            return;
        }
        let n = incidents.len();
        for inc in &mut incidents {
            bound_track(&mut inc.track);
        }
        self.index = Index::build(&incidents);
        // Sorted and distinct: the map is built without searching.
        self.by_id = incidents
            .iter()
            .enumerate()
            .map(|(slot, inc)| (inc.id.clone(), slot))
            .collect();
        self.slots = incidents.into_iter().map(Some).collect();
        self.free.clear();
        self.version = self.version.wrapping_add(n as u64);
        out.inserted += n;
    }

    /// Drop the closed incidents with the oldest `updated_at` beyond the newest `max`; returns
    /// how many were dropped. Open incidents are never dropped.
    pub fn cap_closed(&mut self, max: usize) -> usize {
        let excess = self.index.closed.len().saturating_sub(max);
        let gone: Vec<usize> = self
            .index
            .closed
            .iter()
            .take(excess)
            .map(|&(_, slot)| slot)
            .collect();
        gone.into_iter()
            .filter(|&slot| self.remove_slot(slot).is_some())
            .count()
    }

    /// Drop closed incidents whose `updated_at` is earlier than
    /// `now - retention_ms` (a negative retention counts as 0). Open incidents
    /// are never purged. Returns how many were dropped.
    pub fn purge(&mut self, now: Timestamp, retention_ms: i64) -> usize {
        let cutoff = now.millis().saturating_sub(retention_ms.max(0));
        let gone: Vec<usize> = self
            .index
            .closed
            .iter()
            .take_while(|(t, _)| t.millis() < cutoff)
            .map(|&(_, slot)| slot)
            .collect();
        gone.into_iter()
            .filter(|&slot| self.remove_slot(slot).is_some())
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::projection::to_mercator;
    use crate::units::LonLat;

    fn inc(id: &str, status: Status, ms: i64) -> Incident {
        let position = LonLat {
            lon: 1.81,
            lat: 50.93,
        };
        let t = Timestamp::from_millis(ms).unwrap_or(Timestamp::EPOCH);
        Incident {
            id: id.to_string(),
            kind: IncidentKind::FenceBreach,
            kind_text: None,
            severity: super::super::Severity::new(2).expect("2 is a severity"),
            status,
            position,
            at: to_mercator(position),
            reported_at: t,
            updated_at: t,
            description: String::new(),
            source: None,
            accuracy_m: None,
            seq: None,
            track: Vec::new(),
            properties: Vec::new(),
        }
    }

    /// The indexes agree with the map.
    fn check(s: &IncidentStore) {
        assert!(
            s.by_id
                .iter()
                .all(|(id, &slot)| s.held(slot).map(|i| &i.id) == Some(id))
        );
        let held = s.slots.iter().flatten().count();
        assert_eq!(held, s.by_id.len());
        assert_eq!(held + s.free.len(), s.slots.len());
        assert_eq!(s.index.updates.values().sum::<usize>(), s.by_id.len());
        let closed = s.iter().filter(|i| !i.is_open()).count();
        assert_eq!(s.index.closed.len(), closed);
        let open: usize = s.index.open.iter().sum();
        assert_eq!(open + closed, s.by_id.len());
    }

    #[test]
    fn indexes_follow_every_change() {
        let mut s = IncidentStore::new();
        s.upsert(inc("a", Status::Open, 1_000));
        s.upsert(inc("b", Status::Closed, 1_000));
        s.upsert(inc("c", Status::Closed, 2_000));
        check(&s);
        s.upsert(inc("b", Status::Open, 3_000));
        s.upsert(inc("a", Status::Closed, 3_000));
        check(&s);
        assert_eq!(s.newest_update().map(Timestamp::millis), Some(3_000));
        assert!(s.remove("a").is_some());
        assert!(s.remove("a").is_none());
        check(&s);
        assert_eq!(s.purge(Timestamp::EPOCH, -1), 0);
        assert_eq!(
            s.purge(Timestamp::from_millis(2_001).unwrap_or(Timestamp::MAX), 0),
            1
        );
        check(&s);
        assert_eq!(s.newest_update().map(Timestamp::millis), Some(3_000));
    }

    #[test]
    fn closed_incidents_are_capped_oldest_first() {
        let mut s = IncidentStore::new();
        s.upsert(inc("open-old", Status::Open, 0));
        for k in 0..10 {
            s.upsert(inc(&format!("c{k}"), Status::Closed, 1_000 + k));
        }
        assert_eq!(s.cap_closed(20), 0);
        assert_eq!(s.cap_closed(4), 6);
        check(&s);
        // The four newest closed stay, and the open one, however old.
        let held: Vec<&str> = s.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(held, ["c6", "c7", "c8", "c9", "open-old"]);
        assert_eq!(s.cap_closed(0), 4);
        assert_eq!(s.len(), 1);
    }

    #[test]
    fn inserted_track_is_bounded() {
        let mut s = IncidentStore::new();
        let mut i = inc("a", Status::Open, 0);
        i.track = vec![(i.at, i.updated_at); TRACK_LEN + 9];
        s.upsert(i);
        assert_eq!(s.get("a").map(|i| i.track.len()), Some(TRACK_LEN));
    }

    #[test]
    fn freed_slots_are_reused() {
        let mut s = IncidentStore::new();
        s.upsert(inc("a", Status::Open, 1));
        s.upsert(inc("b", Status::Closed, 2));
        assert!(s.remove("a").is_some());
        s.upsert(inc("c", Status::Closed, 3));
        assert_eq!(s.slots.len(), 2);
        check(&s);
        assert_eq!(s.purge(Timestamp::MAX, 0), 2);
        assert!(s.is_empty());
        check(&s);
        s.upsert(inc("d", Status::Open, 4));
        assert_eq!(s.slots.len(), 2);
        check(&s);
        assert!(s.remove("d").is_some());
        // A first load into a store emptied by removals.
        let snapshot = Snapshot {
            incidents: vec![inc("e", Status::Open, 5), inc("f", Status::Closed, 6)],
            ..Snapshot::default()
        };
        assert_eq!(s.apply_snapshot(snapshot).inserted, 2);
        check(&s);
        assert_eq!(s.free.len(), 0);
        s.upsert(inc("g", Status::Open, 7));
        assert_eq!(s.len(), 3);
        check(&s);
    }

    /// xorshift64: small deterministic pseudo-random numbers.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % n
        }
    }

    /// Random incidents over few ids (so ids repeat), times and positions.
    fn random_incidents(rng: &mut Rng, n: usize, ids: u64) -> Vec<Incident> {
        (0..n)
            .map(|_| {
                let id = format!("i{:03}", rng.below(ids));
                let status = if rng.below(3) == 0 {
                    Status::Closed
                } else {
                    Status::Open
                };
                let mut i = inc(&id, status, rng.below(20) as i64 * 1_000);
                i.kind = IncidentKind::ALL[rng.below(6) as usize];
                i.seq = rng.below(2).checked_sub(1).map(|_| rng.below(5));
                if rng.below(2) == 0 {
                    i.position.lon += 0.01;
                    i.at = to_mercator(i.position);
                }
                i
            })
            .collect()
    }

    /// Everything observable about a store: incidents in order, version,
    /// newest update, open counts.
    type State = (
        Vec<Incident>,
        u64,
        Option<Timestamp>,
        Vec<(IncidentKind, usize)>,
    );

    fn state(s: &IncidentStore) -> State {
        (
            s.iter().cloned().collect(),
            s.version(),
            s.newest_update(),
            s.open_counts_by_kind(),
        )
    }

    /// The resync rules applied one by one, as first written: upsert each
    /// incident, then remove what the snapshot lacks.
    fn reference_apply(s: &mut IncidentStore, snapshot: Snapshot) -> SnapshotOutcome {
        let mut out = SnapshotOutcome {
            rejected: snapshot.rejected.len(),
            ..SnapshotOutcome::default()
        };
        for r in &snapshot.rejected {
            s.record_error(&r.error);
        }
        let removes = !snapshot.incidents.is_empty() || snapshot.rejected.is_empty();
        let mut present: Vec<String> = snapshot.rejected.into_iter().filter_map(|r| r.id).collect();
        for i in snapshot.incidents {
            present.push(i.id.clone());
            out.count(s.upsert_from(i, Source::Snapshot));
        }
        if removes {
            let gone: Vec<String> = s
                .iter()
                .filter(|i| !present.contains(&i.id))
                .map(|i| i.id.clone())
                .collect();
            for id in gone {
                if s.remove(&id).is_some() {
                    out.removed += 1;
                }
            }
        }
        // The sequence ids of the events before the snapshot are forgotten.
        for inc in s.slots.iter_mut().flatten() {
            inc.seq = None;
        }
        out
    }

    /// A snapshot of up to 49 random incidents over 60 ids (sorted and distinct if `sorted`)
    /// with up to two rejected features carrying `error`.
    fn random_snapshot(rng: &mut Rng, sorted: bool, error: IncidentError) -> Snapshot {
        let n = rng.below(50) as usize;
        let mut incidents = random_incidents(rng, n, 60);
        if sorted {
            incidents.sort_by(|a, b| a.id.cmp(&b.id));
            incidents.dedup_by(|a, b| a.id == b.id);
        }
        let rejected = (0..rng.below(3))
            .map(|k| crate::incident::Rejected {
                index: k as usize,
                id: rng
                    .below(2)
                    .checked_sub(1)
                    .map(|_| format!("i{:03}", rng.below(60))),
                error: error.clone(),
            })
            .collect();
        Snapshot {
            incidents,
            rejected,
            cursor: None,
            next_cursor: None,
        }
    }

    #[test]
    fn a_snapshot_forgets_event_ids_so_a_new_id_space_is_newer() {
        // An event of the old id space (seq 500) is held; the server restarts into a new id
        // space, the page resyncs: the snapshot holds the same version. The new space's first
        // event (seq 3) of the same second must not be taken for a replay.
        let mut store = IncidentStore::new();
        store.upsert(inc("a", Status::Open, 1_000).with_seq(500));
        let snapshot = Snapshot {
            incidents: vec![inc("a", Status::Open, 1_000)],
            rejected: Vec::new(),
            cursor: Some("2".to_string()),
            next_cursor: None,
        };
        store.apply_snapshot(snapshot);
        assert_eq!(store.get("a").map(|i| i.seq), Some(None));
        assert_eq!(
            store.upsert(inc("a", Status::Closed, 1_000).with_seq(3)),
            Upsert::Updated
        );
        assert_eq!(
            store.upsert(inc("a", Status::Closed, 1_000).with_seq(3)),
            Upsert::Duplicate
        );
    }

    #[test]
    fn snapshots_apply_as_the_rules_say() {
        let mut rng = Rng(0x5eed_1234_abcd_0001);
        for round in 0..300 {
            // Every other round loads into an empty store (unsorted, repeated ids).
            let held = if round % 2 == 0 {
                0
            } else {
                1 + rng.below(40) as usize
            };
            let mut store = IncidentStore::new();
            for i in random_incidents(&mut rng, held, 60) {
                store.upsert(i);
            }
            let snapshot = random_snapshot(&mut rng, round % 4 == 0, IncidentError::NoId);
            let mut want = store.clone();
            let want_out = reference_apply(&mut want, snapshot.clone());
            let got_out = store.apply_snapshot(snapshot);
            assert_eq!(got_out, want_out, "round {round}");
            assert_eq!(state(&store), state(&want), "round {round}");
            assert_eq!(store.diagnostics(), want.diagnostics());
            check(&store);
            let now = Timestamp::from_millis(10_000).unwrap_or(Timestamp::MAX);
            assert_eq!(store.purge(now, 0), want.purge(now, 0), "round {round}");
            assert_eq!(state(&store), state(&want), "round {round}");
            check(&store);
        }
    }

    /// The merge in steps leaves what `apply_snapshot` leaves, for every step size: the same
    /// incidents, version, indexes, outcome and diagnostics; the held store is not touched.
    #[test]
    fn merges_in_steps_as_apply_snapshot_does() {
        let mut rng = Rng(0x5eed_1234_abcd_0002);
        for round in 0..200 {
            let held = if round % 3 == 0 {
                0
            } else {
                1 + rng.below(40) as usize
            };
            let mut store = IncidentStore::new();
            for i in random_incidents(&mut rng, held, 60) {
                store.upsert(i);
            }
            store.record_error(&IncidentError::NoId);
            let snapshot = random_snapshot(&mut rng, round % 4 == 0, IncidentError::KindMissing);
            let mut want = store.clone();
            let want_out = want.apply_snapshot(snapshot.clone());
            let before = state(&store);
            for ids in [1, 2, 7, 1000] {
                let mut merge = SnapshotMerge::new(&store, snapshot.clone());
                let mut steps = 0;
                while !merge.step(&store, ids) {
                    steps += 1;
                    assert!(steps < 10_000, "the merge moves on");
                }
                let (got, got_out) = merge.finish(&store);
                assert_eq!(got_out, want_out, "round {round}, {ids} a step");
                assert_eq!(state(&got), state(&want), "round {round}, {ids} a step");
                assert_eq!(got.diagnostics(), want.diagnostics());
                check(&got);
                assert_eq!(state(&store), before, "the held store is only read");
            }
        }
    }
}
