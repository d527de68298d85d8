//! The geofence engine seeded after a snapshot (first load, resync, the picture kept on the
//! device, a new engine), in slices: 100k incidents classified in one task took 29–55 ms
//! (BENCHMARKS.md, "Main-thread blocks"), past the 50 ms of a long task (issue 15 item 4).
//!
//! A [`Seeding`] holds the fixes of the whole store taken at once (the snapshot as the engine
//! must know it, in the store's id order); `geofence.rs` seeds them a slice at a time
//! ([`Seeding::step`], an [`Engine::seed_all`] of each slice: the same engine as one
//! `seed_all` of all, since incidents are independent and the slices keep the id order),
//! `slices::Slicer` sizing each slice and `env::yield_now` between them. Meanwhile:
//! - incidents that change are held (by id) and given to the engine as live updates once the
//!   seeding is done, against the snapshot it was seeded with: an incident that entered a
//!   zone while the engine was seeded raises its alert, late by the seeding's time;
//! - new zones are taken at once (`Engine::set_zones`); what is left to seed is classified
//!   against them;
//! - a newer snapshot or a new engine starts the seeding over from the store (the held ids
//!   go: the store's state is the new silent picture, as for any snapshot);
//! - the zone counts, alerts and `version` keep their last values; the engine read by the
//!   info cards holds the incidents seeded so far.
//!
//! Seeding raises no alert: its events (and, for a new engine or the kept picture, the dwell
//! events its first tick raises) are below `GeoCore::gen_seed` (set by `geofence.rs` before [`Seeding::apply_held`]), not
//! live.
//!
//! Units: as `geofence.rs` (EPSG:3857 metres in the engine; times ms since the Unix epoch);
//! slices in incidents.

use crate::core::geofence::{Engine, Event, Fix};
use crate::core::incident::IncidentStore;

/// The seeding under way.
pub struct Seeding {
    /// Which seeding this is (a newer one replaces it).
    generation: u64,
    /// Fixes not seeded yet, in id order.
    fixes: std::vec::IntoIter<Fix>,
    /// Ids of incidents changed since the seeding began, in arrival order (may repeat).
    held: Vec<String>,
    /// Whether the first tick after it is part of the seeding (a new engine, the kept
    /// picture): stays that began before raise no dwell alert.
    first_tick: bool,
}

impl Seeding {
    /// A seeding of `fixes` (in id order) numbered `generation`.
    pub fn new(generation: u64, fixes: Vec<Fix>, first_tick: bool) -> Seeding {
        Seeding {
            generation,
            fixes: fixes.into_iter(),
            held: Vec::new(),
            first_tick,
        }
    }

    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Whether the engine's first tick after the seeding belongs to it (raises no alert).
    pub fn first_tick(&self) -> bool {
        self.first_tick
    }

    /// Notes incidents changed meanwhile (given to the engine at the end).
    pub fn hold(&mut self, ids: Vec<String>) {
        self.held.extend(ids);
    }

    /// Seeds the next `n` fixes (at least one); returns whether all are seeded.
    pub fn step(&mut self, engine: &mut Engine, n: usize) -> bool {
        engine.seed_all(self.fixes.by_ref().take(n.max(1)));
        self.fixes.len() == 0
    }

    /// Gives the engine each held incident as `store` has it now (a live update, or its
    /// removal), in the order they changed; returns the events raised. An incident held twice
    /// is given twice: the second time changes nothing.
    pub fn apply_held(self, engine: &mut Engine, store: &IncidentStore, now: i64) -> Vec<Event> {
        let mut raised = Vec::new();
        for id in &self.held {
            match store.get(id) {
                Some(inc) => raised.extend(engine.update(&Fix::from_incident(inc))),
                None => raised.extend(engine.remove(id, now)),
            }
        }
        raised
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::geofence::{EngineConfig, EventKind, synthetic};
    use crate::core::incident::{IncidentNames, parse_incident};
    use crate::core::projection::to_lonlat;

    const T0: i64 = 1_780_000_000_000;

    fn setup() -> (Vec<crate::core::geofence::Zone>, Vec<Fix>) {
        let zones = synthetic::zones(11, 24, 24);
        let points = synthetic::points(11, 6_000, &zones);
        let fixes = points
            .into_iter()
            .enumerate()
            .map(|(i, at)| Fix::new(format!("p-{i:05}"), at, T0))
            .collect();
        (zones, fixes)
    }

    /// Seeding in slices of any size leaves the engine as one `seed_all` of every fix does.
    #[test]
    fn slices_seed_as_one_pass() {
        let (zones, fixes) = setup();
        let mut whole = Engine::new(zones.clone(), EngineConfig::default());
        whole.seed_all(fixes.clone());
        assert!(
            whole.counts().iter().any(|&c| c > 0),
            "the fixture has members"
        );
        for sizes in [&[1usize, 7, 100][..], &[4096], &[0, 3, 50_000], &[613]] {
            let mut engine = Engine::new(zones.clone(), EngineConfig::default());
            let mut seeding = Seeding::new(1, fixes.clone(), false);
            let mut steps = 0;
            while !seeding.step(&mut engine, sizes[steps % sizes.len()]) {
                steps += 1;
            }
            assert_eq!(engine.counts(), whole.counts(), "slices {sizes:?}");
            assert_eq!(engine.tracked(), whole.tracked(), "slices {sizes:?}");
            let ids: Vec<&str> = engine.tracked_ids().collect();
            let want: Vec<&str> = whole.tracked_ids().collect();
            assert_eq!(ids, want, "slices {sizes:?}");
        }
    }

    /// An incident that moved into a zone while the engine was seeded raises its Enter once the
    /// seeding is done, once however often it changed; one removed meanwhile ends its
    /// memberships; unchanged ones raise nothing.
    #[test]
    fn held_changes_are_live_updates_against_the_snapshot() {
        let (zones, _) = setup();
        let inside = synthetic::points(5, 40, &zones)
            .into_iter()
            .find(|p| zones.iter().any(|z| z.contains(*p)))
            .expect("a point in a zone");
        let outside = Fix::new(
            "mover",
            crate::core::units::Mercator::new(0.0, 0.0).unwrap(),
            T0,
        );
        let member = Fix::new("member", inside, T0);
        let mut engine = Engine::new(zones.clone(), EngineConfig::default());
        let mut seeding = Seeding::new(1, vec![member, outside], false);
        seeding.hold(vec!["mover".into(), "member".into(), "mover".into()]);
        assert!(seeding.step(&mut engine, 1) || seeding.step(&mut engine, 1));
        let ll = to_lonlat(inside);
        let names = IncidentNames::default();
        let text = format!(
            r#"{{"type":"Feature","id":"mover","geometry":{{"type":"Point","coordinates":[{},{}]}},"properties":{{"kind":"small_boat","severity":3,"status":"open","reported_at":"2026-06-01T10:00:00Z","updated_at":"2026-06-01T10:05:00Z"}}}}"#,
            ll.lon, ll.lat
        );
        let mut store = IncidentStore::new();
        store.upsert(parse_incident(&text, &names).expect("an incident"));
        let events = seeding.apply_held(&mut engine, &store, T0 + 300_000);
        let kinds: Vec<(&str, EventKind)> = events
            .iter()
            .map(|e| (e.incident_id.as_str(), e.kind))
            .collect();
        assert!(kinds.contains(&("mover", EventKind::Enter)), "{kinds:?}");
        assert_eq!(
            kinds
                .iter()
                .filter(|(id, k)| *id == "mover" && *k == EventKind::Enter)
                .count(),
            1,
            "held once: {kinds:?}"
        );
        assert!(
            kinds
                .iter()
                .any(|(id, k)| *id == "member" && *k != EventKind::Enter),
            "{kinds:?}"
        );
    }
}
