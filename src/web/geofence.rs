//! Geofencing in the page: loads the zones (config `zones.url`), keeps a
//! [`core::geofence::Engine`](crate::core::geofence::Engine) in step with the incident store
//! and exposes the live zone counts and the alert ticker as signals.
//!
//! Units: zone geometry and incident positions are EPSG:3857 metres (in the core); margins,
//! accuracies and distances are ground metres; times are ms since the Unix epoch.
//!
//! Only incidents that changed are re-classified: the feed notes the ids of effective upserts
//! ([`Incidents::take_changes`]) and this module feeds them to the engine when the feed
//! flushes its signals (at most every 250 ms). A snapshot (first load, resync) re-seeds the
//! engine from the whole store without raising alerts, in slices of bulk passes
//! ([`Engine::seed_all`], `geofence/seeding.rs`: incidents that change meanwhile are given
//! to it as live updates after): they are what was already there, not something that just
//! happened. The clock (steps of `feed::CLOCK_STEP_MS`) ticks the engine so a still incident
//! still raises its dwell alert.
//!
//! The zones are the loaded ones (config `zones.url`, read-only) followed by the operator's
//! drawn or imported ones ([`Geofence::drawn`], kept in localStorage by `zone_editor`):
//! [`Geofence::active`]. When that list changes the engine takes the new zones and carries
//! the memberships over silently ([`Engine::set_zones`], no alert): a stay in a zone whose id
//! is still there and whose outline still holds the incident goes on (its dwell timer is not
//! restarted and a dwell alert already raised for it is not raised again), memberships of
//! deleted zones or of outlines moved away end without an exit alert, and an incident inside
//! a new or reshaped zone becomes a member as of the change. Only a new engine (first zones, other engine
//! settings) is seeded from the store with no dwell alert for a stay that began before.
//! Alert and log sequence numbers stay unique and the log keeps its live events across zone
//! changes, rebuilds and resyncs (seeding events are not live and are left out of the
//! exports).

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use leptos::prelude::*;

use crate::core::config::{Config, ZonesConfig};
use crate::core::geofence::{
    CameraCoverage, CoverageGaps, Engine, EngineConfig, Event, EventKind, EventLog, Fix, Origin,
    Proximity, Zone, ZoneSet, combine, parse_zones,
};
use crate::core::limits::Cap;
use crate::core::model::LayerData;
use crate::env::wall_ms;
use crate::feed::Incidents;
use crate::load::{LoadError, fetch_text};
use crate::slices::Slicer;

mod seeding;

use seeding::Seeding;

/// Alerts kept in the ticker (newest first).
pub const TICKER_LEN: usize = 50;

static NEXT_VERSION: AtomicU64 = AtomicU64::new(1);

/// The ticker with `fresh` alerts (newest first) put before the ones it had, at most
/// [`TICKER_LEN`] kept: the oldest go.
pub fn push_alerts(ticker: &mut Vec<Alert>, fresh: Vec<Alert>) {
    let mut next = fresh;
    next.append(ticker);
    next.truncate(TICKER_LEN);
    *ticker = next;
}

/// What is known about the zones.
#[derive(Clone, Debug, PartialEq)]
pub enum ZonesState {
    Loading,
    /// Loaded; `rejected` zones are listed in the zone panel and skipped.
    Loaded {
        set: Arc<ZoneSet>,
        config: ZonesConfig,
        version: u64,
    },
    /// The file could not be loaded or is not a FeatureCollection (the drawn zones still
    /// work, with this config).
    Failed {
        error: LoadError,
        config: ZonesConfig,
    },
}

/// Loads the zones once the config is known (defaults if the config failed).
pub async fn load_zones(config: Option<Result<Config, LoadError>>) -> ZonesState {
    let Some(config) = config else {
        return ZonesState::Loading;
    };
    let config = config.unwrap_or_default();
    let limits = config.limits;
    let config = config.zones;
    match fetch_text(&config.url, Cap::Zones, &limits).await {
        Err(error) => ZonesState::Failed { error, config },
        Ok(text) => match parse_zones(&text) {
            Ok(set) => ZonesState::Loaded {
                set: Arc::new(set),
                config,
                version: NEXT_VERSION.fetch_add(1, Ordering::Relaxed),
            },
            Err(error) => ZonesState::Failed {
                error: LoadError::Zones {
                    url: config.url.clone(),
                    error,
                },
                config,
            },
        },
    }
}

fn next_version() -> u64 {
    NEXT_VERSION.fetch_add(1, Ordering::Relaxed)
}

/// The operator's zones (drawn or imported), in list order; `version` changes with them.
#[derive(Clone, Debug, Default)]
pub struct DrawnZones {
    pub zones: Arc<Vec<Zone>>,
    pub version: u64,
}

impl DrawnZones {
    pub fn new(zones: Vec<Zone>) -> DrawnZones {
        DrawnZones {
            zones: Arc::new(zones),
            version: next_version(),
        }
    }
}

impl PartialEq for DrawnZones {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version
    }
}

/// The zones the engine classifies against and the panel lists: the loaded zones, then the
/// drawn ones (`core::geofence::combine`: ids unique, a drawn zone yields).
#[derive(Clone, Debug)]
pub struct ActiveZones {
    /// All zones; `rejected` are the loaded file's skipped zones.
    pub set: Arc<ZoneSet>,
    /// Where each zone of `set.zones` comes from.
    pub origins: Arc<Vec<Origin>>,
    /// `(drawn id, id used)` for drawn zones renamed because a loaded zone has their id.
    pub renamed: Arc<Vec<(String, String)>>,
    /// The loaded file could not be read (its zones are missing; drawn ones still work).
    pub failed: Option<LoadError>,
    pub config: ZonesConfig,
    /// Changes whenever any of the above does.
    pub version: u64,
}

impl PartialEq for ActiveZones {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version
    }
}

/// The zones drawn on the map (the active ones minus the one being reshaped, which the
/// editor draws itself) and their version.
#[derive(Clone, Debug)]
pub struct MapZones {
    pub set: Arc<ZoneSet>,
    pub version: u64,
}

impl PartialEq for MapZones {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version
    }
}

/// One line of the alert ticker.
#[derive(Clone, Debug, PartialEq)]
pub struct Alert {
    /// The engine's event sequence number (unique per engine).
    pub seq: u64,
    pub time_ms: i64,
    pub kind: EventKind,
    pub zone_id: String,
    pub zone_name: String,
    pub incident_id: String,
    /// The zone is critical: the alert flashes until acknowledged.
    pub critical: bool,
    pub acked: bool,
}

/// Where an incident stands against zones, cameras, fences and ports (for its info card).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Situation {
    /// Names of the zones it is inside.
    pub zones: Vec<String>,
    /// Ids of the cameras whose field of view holds it.
    pub cameras: Vec<String>,
    /// Ground metres to the nearest fence, and its name or id.
    pub fence: Option<(f64, String)>,
    /// Ground metres to the nearest port, and its name or id.
    pub port: Option<(f64, String)>,
}

/// The same engine settings (floats by their bits: a NaN equals itself, so never forces a
/// rebuild at every flush).
fn same_config(a: &EngineConfig, b: &EngineConfig) -> bool {
    a.exit_margin_m.to_bits() == b.exit_margin_m.to_bits()
        && a.max_accuracy_m.map(f64::to_bits) == b.max_accuracy_m.map(f64::to_bits)
        && a.log_capacity == b.log_capacity
}

/// Layer data versions the fence/camera/port helpers were built from.
type LayerKey = (u64, u64, u64);

struct GeoCore {
    engine: Option<Engine>,
    zones_version: u64,
    proximity: Option<(LayerKey, Proximity)>,
    coverage: Option<(u64, CameraCoverage)>,
    gaps: Option<((u64, u64, u64), Arc<CoverageGaps>)>,
    /// Live events of earlier engine generations (before a rebuild or a resync), renumbered.
    archive: EventLog,
    /// Live events before the current generation (the public number of its first one - 1).
    gen_base: u64,
    /// The engine's last sequence number once the current generation was seeded: events up
    /// to it are seeding, not live.
    gen_seed: u64,
    /// The engine being seeded in slices after a snapshot (`seeding.rs`), if it is.
    seeding: Option<Seeding>,
}

impl GeoCore {
    /// The engine's last event sequence number (0 if none).
    fn last_seq(&self) -> u64 {
        self.engine
            .as_ref()
            .and_then(|e| e.log().iter().next_back().map(|e| e.seq))
            .unwrap_or(0)
    }

    /// The public (unique over generations) number of an engine event.
    fn public_seq(&self, seq: u64) -> u64 {
        self.gen_base + seq.saturating_sub(self.gen_seed)
    }

    /// The current generation's live events, renumbered.
    fn live_events(&self) -> Vec<Event> {
        let Some(engine) = self.engine.as_ref() else {
            return Vec::new();
        };
        engine
            .log()
            .iter()
            .filter(|e| e.seq > self.gen_seed)
            .map(|e| Event {
                seq: self.public_seq(e.seq),
                ..e.clone()
            })
            .collect()
    }

    /// Ends the current generation (before a rebuild or a reset): its live events go to the
    /// archive.
    fn archive_live(&mut self) {
        let live = self.live_events();
        let last = self.last_seq().max(self.gen_seed);
        for e in live {
            self.archive.push(e);
        }
        self.gen_base += last - self.gen_seed;
        self.gen_seed = 0;
    }

    /// Archived and current live events, oldest first, bounded by the log capacity.
    fn merged_log(&self) -> Option<EventLog> {
        self.engine.as_ref()?;
        let mut log = self.archive.clone();
        for e in self.live_events() {
            log.push(e);
        }
        Some(log)
    }
}

/// The geofencing as the UI sees it: signals plus access to the engine. `Copy`.
#[derive(Clone, Copy)]
pub struct Geofence {
    /// The zones file of the config (read-only zones).
    pub zones: crate::fetched::Fetched<ZonesState>,
    /// The operator's zones (drawn or imported); `zone_editor` changes and saves them.
    pub drawn: RwSignal<DrawnZones>,
    /// Loaded + drawn zones (`None` while the zones file loads).
    pub active: Memo<Option<ActiveZones>>,
    /// The drawn zone (id) being reshaped: not drawn with the others.
    pub hidden: RwSignal<Option<String>>,
    /// What the map draws.
    pub map_zones: Memo<Option<MapZones>>,
    core: StoredValue<Rc<RefCell<GeoCore>>, LocalStorage>,
    /// Open incidents inside each zone (by zone index of [`Geofence::active`]).
    pub counts: RwSignal<Vec<u32>>,
    /// Newest first, at most [`TICKER_LEN`].
    pub alerts: RwSignal<Vec<Alert>>,
    /// Bumped whenever memberships may have changed (info cards re-read).
    pub version: RwSignal<u64>,
}

/// How much the geofencing holds (`calaisMap.memory()`): incidents tracked by the engine, its
/// event log and the archive of earlier generations (both capped at `zones.log_capacity`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GeofenceSizes {
    pub tracked: usize,
    pub log: usize,
    pub archive: usize,
}

impl Geofence {
    /// What the engine and the archive hold now.
    pub fn sizes(&self) -> GeofenceSizes {
        let Some(sh) = self.core.try_get_value() else {
            return GeofenceSizes::default();
        };
        let Ok(core) = sh.try_borrow() else {
            return GeofenceSizes::default();
        };
        GeofenceSizes {
            tracked: core.engine.as_ref().map_or(0, Engine::tracked),
            log: core.engine.as_ref().map_or(0, |e| e.log().len()),
            archive: core.archive.len(),
        }
    }

    /// Starts loading the zones once `config` is known.
    pub fn new(config: crate::fetched::Fetched<Result<Config, LoadError>>) -> Geofence {
        let zones = crate::fetched::Fetched::new(move || load_zones(config.get()));
        let drawn = RwSignal::new(DrawnZones::default());
        let active = Memo::new(move |_| {
            let state = zones.get()?;
            let drawn = drawn.get();
            let empty = ZoneSet::default();
            let (loaded, failed, config) = match &state {
                ZonesState::Loading => return None,
                ZonesState::Loaded { set, config, .. } => (set.as_ref(), None, config.clone()),
                ZonesState::Failed { error, config } => {
                    (&empty, Some(error.clone()), config.clone())
                }
            };
            let c = combine(&loaded.zones, &drawn.zones);
            Some(ActiveZones {
                set: Arc::new(ZoneSet {
                    zones: c.zones,
                    rejected: loaded.rejected.clone(),
                }),
                origins: Arc::new(c.origins),
                renamed: Arc::new(c.renamed),
                failed,
                config,
                version: next_version(),
            })
        });
        let hidden = RwSignal::new(None::<String>);
        let map_zones = Memo::new(move |_| {
            let a = active.get()?;
            let Some(id) = hidden.get() else {
                return Some(MapZones {
                    set: a.set.clone(),
                    version: a.version,
                });
            };
            let drawn = drawn.get_untracked();
            let zones = a
                .set
                .zones
                .iter()
                .zip(a.origins.iter())
                .filter(|(_, o)| match o {
                    Origin::Drawn(j) => drawn.zones.get(*j).is_none_or(|z| z.id != id),
                    Origin::Loaded(_) => true,
                })
                .map(|(z, _)| z.clone())
                .collect();
            Some(MapZones {
                set: Arc::new(ZoneSet {
                    zones,
                    rejected: Vec::new(),
                }),
                version: next_version(),
            })
        });
        Geofence {
            zones,
            drawn,
            active,
            hidden,
            map_zones,
            core: StoredValue::new_local(Rc::new(RefCell::new(GeoCore {
                engine: None,
                zones_version: 0,
                proximity: None,
                coverage: None,
                gaps: None,
                archive: EventLog::new(EngineConfig::default().log_capacity),
                gen_base: 0,
                gen_seed: 0,
                seeding: None,
            }))),
            counts: RwSignal::new(Vec::new()),
            alerts: RwSignal::new(Vec::new()),
            version: RwSignal::new(0),
        }
    }

    /// The zones state, tracked.
    pub fn state(&self) -> ZonesState {
        self.zones.get().unwrap_or(ZonesState::Loading)
    }

    /// The zones state, untracked (the renderer).
    pub fn state_untracked(&self) -> ZonesState {
        self.zones.get_untracked().unwrap_or(ZonesState::Loading)
    }

    /// Keeps the engine in step with the feed and the zones (call once, in the app component).
    pub fn connect(self, feed: Incidents) {
        Effect::new(move |_| {
            feed.version.track();
            feed.clock.track();
            let active = self.active.get();
            if feed.replaced().0 {
                // A snapshot: the engine is re-seeded from 100k incidents, in a task of its own.
                wasm_bindgen_futures::spawn_local(async move {
                    crate::env::yield_now().await;
                    let _m = crate::env::Measured::start("geofence");
                    self.sync(feed, active.as_ref());
                });
                return;
            }
            let _m = crate::env::Measured::start("geofence");
            self.sync(feed, active.as_ref());
        });
    }

    fn sync(self, feed: Incidents, active: Option<&ActiveZones>) {
        let Some(active) = active else {
            return;
        };
        let Some(sh) = self.core.try_get_value() else {
            return;
        };
        let Ok(mut core) = sh.try_borrow_mut() else {
            return;
        };
        let mut changes = feed.take_changes().unwrap_or_default();
        let now = wall_ms() as i64;
        let config = &active.config;
        let cfg = EngineConfig {
            exit_margin_m: config.exit_margin_m,
            max_accuracy_m: (config.max_accuracy_m > 0.0).then_some(config.max_accuracy_m),
            log_capacity: config.log_capacity,
        };
        // First time, or other engine settings: a new engine, seeded silently from the store.
        let fresh = core
            .engine
            .as_ref()
            .is_none_or(|e| !same_config(e.config(), &cfg));
        // The zones changed: the same engine takes them, memberships carried over.
        let rezoned = !fresh && core.zones_version != active.version;
        if core.seeding.is_some() && !fresh && !changes.resync {
            // Seeding in slices: the engine takes new zones now (what is left to seed is
            // classified against them); changed incidents wait for the end of it.
            if rezoned {
                core.zones_version = active.version;
                if let Some(engine) = core.engine.as_mut() {
                    engine.set_zones(active.set.zones.clone(), now);
                }
            }
            if let Some(seeding) = core.seeding.as_mut() {
                seeding.hold(changes.ids);
            }
            return;
        }
        if fresh {
            core.archive_live();
            if core.archive.capacity() != cfg.log_capacity.max(1) {
                let mut archive = EventLog::new(cfg.log_capacity);
                for e in core.archive.iter() {
                    archive.push(e.clone());
                }
                core.archive = archive;
            }
            core.engine = Some(Engine::new(active.set.zones.clone(), cfg));
            core.zones_version = active.version;
            changes.resync = true;
        } else if changes.resync {
            // A feed resync: the engine starts over from the snapshot.
            core.archive_live();
        }
        if rezoned {
            core.zones_version = active.version;
        }
        let Some(engine) = core.engine.as_mut() else {
            return;
        };
        if rezoned {
            if changes.resync {
                // The snapshot replaces every incident: nothing to carry over.
                engine.reset();
            }
            engine.set_zones(active.set.zones.clone(), now);
        }
        if changes.resync {
            // What was already there: memberships without alerts, seeded in slices
            // (`seeding.rs`); stays that began before the engine existed, or that the picture
            // kept on the device holds (not live, `offline.rs`), raise no dwell alert.
            engine.reset();
            let fixes = feed
                .with_store(|store| store.iter().map(Fix::from_incident).collect())
                .unwrap_or_default();
            let generation = next_version();
            core.seeding = Some(Seeding::new(generation, fixes, fresh || changes.stored));
            drop(core);
            wasm_bindgen_futures::spawn_local(self.seed_in_slices(feed, generation));
            return;
        }
        let mut raised: Vec<Event> = Vec::new();
        feed.with_store(|store| {
            for id in &changes.ids {
                match store.get(id) {
                    Some(inc) => raised.extend(engine.update(&Fix::from_incident(inc))),
                    None => raised.extend(engine.remove(id, now)),
                }
            }
        });
        let changed = rezoned || !changes.ids.is_empty();
        self.publish(core, raised, changed, now);
    }

    /// Seeds the engine slice after slice while `generation` is the seeding under way
    /// (`seeding.rs`), then marks what it raised as not live, gives the engine the incidents
    /// that changed meanwhile and shows the result.
    async fn seed_in_slices(self, feed: Incidents, generation: u64) {
        let mut slicer = Slicer::new(4096);
        loop {
            crate::env::yield_now().await;
            let Some(sh) = self.core.try_get_value() else {
                return;
            };
            let Ok(mut core) = sh.try_borrow_mut() else {
                return;
            };
            let GeoCore {
                engine, seeding, ..
            } = &mut *core;
            let (Some(engine), Some(seeding)) = (engine.as_mut(), seeding.as_mut()) else {
                return;
            };
            if seeding.generation() != generation {
                return;
            }
            if !slicer.run("geofence-seed", |n| seeding.step(engine, n)) {
                continue;
            }
            let Some(seeding) = core.seeding.take() else {
                return;
            };
            let now = wall_ms() as i64;
            if seeding.first_tick()
                && let Some(engine) = core.engine.as_mut()
            {
                engine.tick(now);
            }
            core.gen_seed = core.last_seq();
            let Some(engine) = core.engine.as_mut() else {
                return;
            };
            let raised = feed
                .with_store(|store| seeding.apply_held(engine, store, now))
                .unwrap_or_default();
            return self.publish(core, raised, true, now);
        }
    }

    /// Ticks the engine, then shows what changed: the zone counts, new alerts in the ticker,
    /// `version` bumped when memberships may have changed (`changed`, or events raised).
    fn publish(
        self,
        mut core: std::cell::RefMut<'_, GeoCore>,
        mut raised: Vec<Event>,
        changed: bool,
        now: i64,
    ) {
        let Some(engine) = core.engine.as_mut() else {
            return;
        };
        raised.extend(engine.tick(now));
        let counts = engine.counts().to_vec();
        let zones = engine.zones();
        let fresh: Vec<Alert> = raised
            .iter()
            .rev()
            .filter(|e| e.kind.is_alert())
            .map(|e| Alert {
                seq: e.seq,
                time_ms: e.time_ms,
                kind: e.kind,
                zone_id: e.zone_id.clone(),
                zone_name: zones
                    .get(e.zone)
                    .map_or_else(|| e.zone_id.clone(), |z| z.name.clone()),
                incident_id: e.incident_id.clone(),
                critical: e.critical,
                acked: false,
            })
            .collect();
        let fresh: Vec<Alert> = fresh
            .into_iter()
            .map(|a| Alert {
                seq: core.public_seq(a.seq),
                ..a
            })
            .collect();
        drop(core);
        if self.counts.try_with_untracked(|c| *c != counts) == Some(true) {
            self.counts.try_set(counts);
        }
        if !fresh.is_empty() {
            self.alerts.try_update(|a| push_alerts(a, fresh));
        }
        if changed || !raised.is_empty() {
            self.version.try_update(|v| *v += 1);
        }
    }

    /// Acknowledges one alert (by sequence number), or all of them with `None`.
    pub fn acknowledge(&self, seq: Option<u64>) {
        self.alerts.update(|a| {
            for alert in a.iter_mut() {
                if seq.is_none_or(|s| s == alert.seq) {
                    alert.acked = true;
                }
            }
        });
    }

    /// Reads the engine (`None` before the zones load or while it is being updated).
    pub fn with_engine<R>(&self, f: impl FnOnce(&Engine) -> R) -> Option<R> {
        let sh = self.core.try_get_value()?;
        let core = sh.try_borrow().ok()?;
        core.engine.as_ref().map(f)
    }

    /// The live events of this session (over zone changes and resyncs), if the engine
    /// exists.
    fn with_log<R>(&self, f: impl FnOnce(&EventLog) -> R) -> Option<R> {
        let sh = self.core.try_get_value()?;
        let core = sh.try_borrow().ok()?;
        core.merged_log().as_ref().map(f)
    }

    /// The event log as GeoJSON (for the export button), if the engine exists.
    pub fn log_geojson(&self) -> Option<String> {
        self.with_log(EventLog::to_geojson)
    }

    /// The event log as CSV (for the export button), if the engine exists, with the column
    /// names `header` (the string table's, in the operator's language).
    pub fn log_csv(&self, header: &str) -> Option<String> {
        self.with_log(|log| log.to_csv_with_header(header))
    }

    /// The zones, cameras, nearest fence and nearest port of an incident at `fix`.
    pub fn situation(
        &self,
        fix: &Fix,
        layers: (&LayerData, &LayerData, &LayerData),
        versions: LayerKey,
    ) -> Situation {
        let Some(sh) = self.core.try_get_value() else {
            return Situation::default();
        };
        let Ok(mut core) = sh.try_borrow_mut() else {
            return Situation::default();
        };
        let (fences, cameras, ports) = layers;
        if core.proximity.as_ref().is_none_or(|(k, _)| *k != versions) {
            core.proximity = Some((versions, Proximity::new(fences, ports)));
        }
        if core.coverage.as_ref().is_none_or(|(k, _)| *k != versions.1) {
            core.coverage = Some((versions.1, CameraCoverage::new(cameras)));
        }
        let mut s = Situation::default();
        if let Some(engine) = core.engine.as_ref() {
            s.zones = engine
                .memberships(&fix.id)
                .into_iter()
                .filter_map(|z| engine.zones().get(z).map(|z| z.name.clone()))
                .collect();
        }
        if let Some((_, cov)) = core.coverage.as_ref() {
            s.cameras = cov
                .covering(fix.at)
                .into_iter()
                .filter_map(|i| cov.camera_id(i).map(str::to_string))
                .collect();
        }
        let label = |layer: &LayerData, i: usize, id: &str| {
            layer
                .features
                .get(i)
                .and_then(|f| f.name.clone())
                .unwrap_or_else(|| id.to_string())
        };
        if let Some((_, prox)) = core.proximity.as_ref() {
            s.fence = prox
                .nearest_fence(fix.at)
                .map(|n| (n.distance_m, label(fences, n.feature, n.id)));
            s.port = prox
                .nearest_port(fix.at)
                .map(|n| (n.distance_m, label(ports, n.feature, n.id)));
        }
        s
    }

    /// The stretches of fence no camera sees (cached per fence/camera data and spacing).
    pub fn gaps(
        &self,
        fences: &LayerData,
        cameras: &LayerData,
        versions: (u64, u64),
        spacing_m: f64,
    ) -> Option<Arc<CoverageGaps>> {
        let sh = self.core.try_get_value()?;
        let mut core = sh.try_borrow_mut().ok()?;
        let key = (versions.0, versions.1, spacing_m.to_bits());
        if let Some((k, g)) = core.gaps.as_ref()
            && *k == key
        {
            return Some(g.clone());
        }
        let gaps = Arc::new(CameraCoverage::new(cameras).gaps(fences, spacing_m));
        core.gaps = Some((key, gaps.clone()));
        Some(gaps)
    }
}
