//! In-memory store of live incidents, keyed by id.
//!
//! Positions are as in [`Incident`] (degrees WGS84 and EPSG:3857 metres; the
//! track is EPSG:3857 metres); times and retention are milliseconds
//! ([`Timestamp`]). Versions of one incident are ordered by `updated_at`, then
//! by SSE `seq` (`None` lowest). Upsert, get and purge cost O(log n) per
//! incident touched; only a snapshot resync walks the whole store.

use super::parse::Snapshot;
use super::{Incident, IncidentError, IncidentKind, Status, Timestamp};
use crate::core::units::Mercator;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Most previous positions kept in [`Incident::track`].
pub const TRACK_LEN: usize = 16;

/// What [`IncidentStore::upsert`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Upsert {
    /// A new id.
    Inserted,
    /// A newer version replaced the stored one.
    Updated,
    /// Older `updated_at` than the stored version: ignored.
    Stale,
    /// Same `updated_at` and the same or a lower `seq` (a replay): ignored.
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
    pub updated: usize,
    pub stale: usize,
    pub duplicate: usize,
    /// Stored incidents the server no longer has.
    pub removed: usize,
    /// Snapshot features that were not valid (also recorded in the diagnostics).
    pub rejected: usize,
}

/// Running count of rejected events/features and the last reason.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostics {
    pub rejected: u64,
    /// Human-readable text of the last error recorded.
    pub last_error: Option<String>,
}

impl Diagnostics {
    /// Count one rejection and remember its reason.
    pub fn record(&mut self, error: &IncidentError) {
        self.rejected = self.rejected.saturating_add(1);
        self.last_error = Some(error.to_string());
    }
}

/// Secondary indexes, kept in step with the map by `add`/`remove`.
#[derive(Clone, Debug, Default)]
struct Index {
    /// Ids in order, for deterministic iteration.
    ids: BTreeSet<String>,
    /// How many incidents have each `updated_at` (for the newest one).
    updates: BTreeMap<Timestamp, usize>,
    /// Closed incidents by `updated_at`, oldest first (for purging).
    closed: BTreeSet<(Timestamp, String)>,
    /// Open incidents per kind, indexed by [`IncidentKind::index`].
    open: [usize; IncidentKind::ALL.len()],
}

impl Index {
    fn add(&mut self, inc: &Incident) {
        *self.updates.entry(inc.updated_at).or_insert(0) += 1;
        match inc.status {
            Status::Open => {
                if let Some(n) = self.open.get_mut(inc.kind.index()) {
                    *n += 1;
                }
            }
            Status::Closed => {
                self.closed.insert((inc.updated_at, inc.id.clone()));
            }
        }
    }

    fn remove(&mut self, inc: &Incident) {
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
                self.closed.remove(&(inc.updated_at, inc.id.clone()));
            }
        }
    }
}

/// Keep the last [`TRACK_LEN`] entries.
fn bound_track(track: &mut Vec<(Mercator, Timestamp)>) {
    let excess = track.len().saturating_sub(TRACK_LEN);
    track.drain(..excess);
}

/// All live incidents by id, with a version that changes on every effective change.
#[derive(Clone, Debug, Default)]
pub struct IncidentStore {
    by_id: HashMap<String, Incident>,
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
        self.by_id.get(id)
    }

    /// All incidents in id order (byte-wise string order).
    pub fn iter(&self) -> impl Iterator<Item = &Incident> + '_ {
        self.index.ids.iter().filter_map(|id| self.by_id.get(id))
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

    /// Insert or update by id.
    ///
    /// A stored version is replaced only by a newer one: later `updated_at`,
    /// or equal `updated_at` and higher `seq` (`None` lowest). Older is
    /// [`Upsert::Stale`]; equal `updated_at` with the same or a lower `seq` is
    /// [`Upsert::Duplicate`]. The store owns the track: on update the incoming
    /// `track` is replaced by the stored one, plus the stored position (and its
    /// `updated_at`) if the position changed, bounded to [`TRACK_LEN`].
    pub fn upsert(&mut self, mut inc: Incident) -> Upsert {
        let Some(slot) = self.by_id.get_mut(&inc.id) else {
            bound_track(&mut inc.track);
            self.index.ids.insert(inc.id.clone());
            self.index.add(&inc);
            self.by_id.insert(inc.id.clone(), inc);
            self.version = self.version.wrapping_add(1);
            return Upsert::Inserted;
        };
        if inc.updated_at < slot.updated_at {
            return Upsert::Stale;
        }
        if inc.updated_at == slot.updated_at && inc.seq <= slot.seq {
            return Upsert::Duplicate;
        }
        inc.track = std::mem::take(&mut slot.track);
        if inc.position != slot.position {
            inc.track.push((slot.at, slot.updated_at));
            bound_track(&mut inc.track);
        }
        self.index.remove(slot);
        self.index.add(&inc);
        *slot = inc;
        self.version = self.version.wrapping_add(1);
        Upsert::Updated
    }

    /// Remove one incident.
    pub fn remove(&mut self, id: &str) -> Option<Incident> {
        let inc = self.by_id.remove(id)?;
        self.index.ids.remove(id);
        self.index.remove(&inc);
        self.version = self.version.wrapping_add(1);
        Some(inc)
    }

    /// Full resync from a snapshot.
    ///
    /// Every snapshot incident is upserted by the rules of
    /// [`IncidentStore::upsert`]. Then a held incident that is not in the
    /// snapshot is removed if its `updated_at` is not later than the newest
    /// `updated_at` in the snapshot (the server no longer has it; a later one
    /// arrived live after the snapshot was taken and is kept). Ids of rejected
    /// features count as present (bad input never removes good data). A
    /// snapshot with no features at all empties the store; one whose features
    /// were all rejected removes nothing.
    pub fn apply_snapshot(&mut self, snapshot: Snapshot) -> SnapshotOutcome {
        let mut out = SnapshotOutcome {
            rejected: snapshot.rejected.len(),
            ..SnapshotOutcome::default()
        };
        for r in &snapshot.rejected {
            self.diagnostics.record(&r.error);
        }
        let cutoff = if snapshot.incidents.is_empty() && snapshot.rejected.is_empty() {
            Some(Timestamp::MAX)
        } else {
            snapshot.incidents.iter().map(|i| i.updated_at).max()
        };
        // Nothing can have vanished from an empty store (the first load): skip the id set.
        let held_before = self.by_id.len();
        self.by_id.reserve(snapshot.incidents.len());
        let mut present: HashSet<String> = HashSet::new();
        if held_before > 0 {
            present.extend(snapshot.rejected.into_iter().filter_map(|r| r.id));
        }
        for inc in snapshot.incidents {
            if held_before > 0 {
                present.insert(inc.id.clone());
            }
            match self.upsert(inc) {
                Upsert::Inserted => out.inserted += 1,
                Upsert::Updated => out.updated += 1,
                Upsert::Stale => out.stale += 1,
                Upsert::Duplicate => out.duplicate += 1,
            }
        }
        if held_before > 0
            && let Some(cutoff) = cutoff
        {
            let gone: Vec<String> = self
                .iter()
                .filter(|i| i.updated_at <= cutoff && !present.contains(&i.id))
                .map(|i| i.id.clone())
                .collect();
            for id in gone {
                if self.remove(&id).is_some() {
                    out.removed += 1;
                }
            }
        }
        out
    }

    /// Drop closed incidents whose `updated_at` is earlier than
    /// `now - retention_ms` (a negative retention counts as 0). Open incidents
    /// are never purged. Returns how many were dropped.
    pub fn purge(&mut self, now: Timestamp, retention_ms: i64) -> usize {
        let cutoff = now.millis().saturating_sub(retention_ms.max(0));
        let gone: Vec<String> = self
            .index
            .closed
            .iter()
            .take_while(|(t, _)| t.millis() < cutoff)
            .map(|(_, id)| id.clone())
            .collect();
        gone.iter().filter(|id| self.remove(id).is_some()).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::projection::to_mercator;
    use crate::core::units::LonLat;

    fn inc(id: &str, status: Status, ms: i64) -> Incident {
        let position = LonLat {
            lon: 1.81,
            lat: 50.93,
        };
        let t = Timestamp::from_millis(ms).unwrap_or(Timestamp::EPOCH);
        Incident {
            id: id.to_string(),
            kind: IncidentKind::FenceBreach,
            severity: super::super::Severity::new(2).unwrap_or_else(|| unreachable!()),
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
        assert_eq!(s.index.ids.len(), s.by_id.len());
        assert_eq!(s.index.updates.values().sum::<usize>(), s.by_id.len());
        let closed = s.by_id.values().filter(|i| !i.is_open()).count();
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
    fn inserted_track_is_bounded() {
        let mut s = IncidentStore::new();
        let mut i = inc("a", Status::Open, 0);
        i.track = vec![(i.at, i.updated_at); TRACK_LEN + 9];
        s.upsert(i);
        assert_eq!(s.get("a").map(|i| i.track.len()), Some(TRACK_LEN));
    }
}
