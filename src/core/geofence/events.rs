//! Zone events per incident: [`Engine`] keeps each incident's zone memberships as fixes
//! arrive and raises enter / exit / dwell / cross events into a bounded [`EventLog`].
//!
//! Units: positions are EPSG:3857 metres ([`Mercator`]; exports write degrees WGS84), the
//! exit margin and accuracies are ground metres (EPSG:3857 metres times
//! [`ground_scale`] at the fix's latitude), times are milliseconds since the Unix epoch.
//!
//! Rules:
//!
//! * **Enter**: an incident becomes a member of a zone when a fix is inside it (boundary
//!   inclusive, see [`Zone::contains`](super::Zone::contains)). Event if the zone's `alert_on_enter`.
//! * **Exit** (hysteresis): a member stops being one only when a fix is outside the zone
//!   *and* more than [`EngineConfig::exit_margin_m`] ground metres from its boundary, so a
//!   track jittering along an edge does not flap. Event if the zone's `alert_on_exit`.
//! * **Dwell**: once per stay, when the incident has been a member for the zone's `dwell_s`
//!   or more, checked on each of its fixes and on [`Engine::tick`] (so a still incident
//!   still raises it). The event's time is that of the fix or tick that noticed it.
//! * **Cross**: when the straight path (EPSG:3857) between two consecutive accepted fixes of
//!   an incident meets a zone of which it is not a member, though neither fix is inside it.
//!   Position: where the path first meets the zone. Raised if the zone's `alert_on_enter`.
//! * **Accuracy**: an open fix whose `accuracy_m` is worse than
//!   [`EngineConfig::max_accuracy_m`] (or NaN) is ignored: no event, no membership change,
//!   and it is not the start of the next crossing path. A fix older than the incident's last
//!   accepted one is ignored too.
//! * **Closing or removing** an incident ends all its memberships (the zone counts drop)
//!   and raises one [`EventKind::Ended`] per membership, **not** an exit: the incident did
//!   not leave, it stopped being tracked. `Ended` is not an alert ([`EventKind::is_alert`]);
//!   it lets a playback know the membership is over. A later open fix starts afresh.
//!
//! Events of one update come in this order: exits, crossings (along the path), enters,
//! dwells; zones ascending within a kind. Everything is deterministic: the same inputs give
//! the same log, which [`Engine::reset`] plus a replay of recorded [`Input`]s reproduces.
//!
//! Silent changes (they raise no event, log nothing and use no sequence number):
//!
//! * **Seeding** ([`Engine::seed`], one fix; [`Engine::seed_all`], many): the state change
//!   of [`Engine::update`] without its events, for what was already there (a snapshot).
//!   `seed_all` classifies the first fixes of untracked incidents in one bulk pass
//!   ([`ZoneIndex::classify_into`]) and leaves the engine exactly as `seed` of each fix in
//!   order would.
//! * **Zone changes** ([`Engine::set_zones`]): the zones are replaced and re-indexed, and
//!   every incident is judged again at its last accepted position, with the rules of an
//!   update: a membership goes on (same stay: entered time, dwell due or already raised)
//!   when a zone with the same `id` is still there and contains that position or its
//!   boundary is within the exit margin of it (hysteresis, as for a fix there); otherwise
//!   it ends (zone removed, or reshaped away from the incident), without an exit or ended
//!   event. An incident inside a zone it was not a member of (a new or reshaped zone)
//!   becomes a member as of the change's time, `now_ms`: its stay, and so its dwell, counts
//!   from the change, not from when it got there (unknown). A continuing stay whose zone's
//!   dwell threshold changed is due at its entered time plus the new threshold (raised by
//!   the next fix or [`Engine::tick`] if already past), unless its dwell event was already
//!   raised: once per stay, whatever the rules become. Zones are renumbered by their
//!   position in the new list; an [`Event::zone`] keeps the number it had when raised
//!   ([`Event::zone_id`] is the stable key).

use super::index::{Classification, ZoneIndex};
use super::zone::{Zone, coord7};
use crate::incident::Incident;
use crate::projection::{ground_scale, to_lonlat, to_mercator};
use crate::time::Timestamp;
use crate::units::{LonLat, Mercator};
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

/// One position report of an incident.
#[derive(Clone, Debug, PartialEq)]
pub struct Fix {
    pub id: String,
    /// EPSG:3857 metres.
    pub at: Mercator,
    /// Milliseconds since the Unix epoch.
    pub time_ms: i64,
    /// Accuracy radius in ground metres, if known.
    pub accuracy_m: Option<f64>,
    /// `false`: the incident is closed (ends its memberships).
    pub open: bool,
}

impl Fix {
    /// An open fix without accuracy.
    pub fn new(id: impl Into<String>, at: Mercator, time_ms: i64) -> Fix {
        Fix {
            id: id.into(),
            at,
            time_ms,
            accuracy_m: None,
            open: true,
        }
    }

    /// An open fix at a position in degrees WGS84.
    pub fn at_lonlat(id: impl Into<String>, p: LonLat, time_ms: i64) -> Fix {
        Fix::new(id, to_mercator(p), time_ms)
    }

    /// This fix with an accuracy radius (ground metres).
    pub fn with_accuracy(mut self, accuracy_m: f64) -> Fix {
        self.accuracy_m = Some(accuracy_m);
        self
    }

    /// This fix, closed.
    pub fn closed(mut self) -> Fix {
        self.open = false;
        self
    }

    /// The fix an incident's current version gives (time: `updated_at`).
    pub fn from_incident(inc: &Incident) -> Fix {
        Fix {
            id: inc.id.clone(),
            at: inc.at,
            time_ms: inc.updated_at.millis(),
            accuracy_m: inc.accuracy_m,
            open: inc.is_open(),
        }
    }
}

/// Something the engine reacts to; a recorded list of these replays to the same log.
#[derive(Clone, Debug, PartialEq)]
pub enum Input {
    Fix(Fix),
    /// The clock: raise the dwell events due at or before this time (ms since the epoch).
    Tick(i64),
    /// The incident left the store (ends its memberships like a close).
    Remove {
        id: String,
        time_ms: i64,
    },
}

/// Engine settings.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EngineConfig {
    /// Ground metres a member must be outside a zone's boundary to exit (default 10).
    pub exit_margin_m: f64,
    /// Fixes with a worse (larger) accuracy radius, ground metres, are ignored
    /// (default 100; `None`: accept all).
    pub max_accuracy_m: Option<f64>,
    /// Events kept in the log; older ones are dropped and counted (default 10,000).
    pub log_capacity: usize,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            exit_margin_m: 10.0,
            max_accuracy_m: Some(100.0),
            log_capacity: 10_000,
        }
    }
}

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventKind {
    Enter,
    Exit,
    Dwell,
    Cross,
    /// The incident was closed or removed while a member (not an alert).
    Ended,
}

impl EventKind {
    pub const ALL: [EventKind; 5] = [
        EventKind::Enter,
        EventKind::Exit,
        EventKind::Dwell,
        EventKind::Cross,
        EventKind::Ended,
    ];

    /// "enter", "exit", "dwell", "cross", "ended".
    pub fn key(self) -> &'static str {
        match self {
            EventKind::Enter => "enter",
            EventKind::Exit => "exit",
            EventKind::Dwell => "dwell",
            EventKind::Cross => "cross",
            EventKind::Ended => "ended",
        }
    }

    /// Exact inverse of [`EventKind::key`].
    pub fn from_key(s: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.key() == s)
    }

    /// Everything but `Ended` is an alert.
    pub fn is_alert(self) -> bool {
        self != EventKind::Ended
    }
}

/// One zone event.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// 1, 2, 3, … per engine (never reused, even when the log drops old events).
    pub seq: u64,
    /// Milliseconds since the Unix epoch (of the fix, tick or removal that raised it).
    pub time_ms: i64,
    pub incident_id: String,
    /// Index of the zone in [`Engine::zones`] when the event was raised (a later
    /// [`Engine::set_zones`] renumbers the zones; `zone_id` stays).
    pub zone: usize,
    pub zone_id: String,
    pub kind: EventKind,
    /// EPSG:3857 metres: the fix's position (crossings: where the path meets the zone;
    /// dwell from a tick and ended: the last accepted position).
    pub at: Mercator,
    /// The zone is critical (its alerts flash on the video wall).
    pub critical: bool,
}

impl Event {
    /// The position in degrees WGS84.
    pub fn lonlat(&self) -> LonLat {
        to_lonlat(self.at)
    }
}

/// A bounded log of events, oldest first.
#[derive(Clone, Debug, PartialEq)]
pub struct EventLog {
    events: VecDeque<Event>,
    capacity: usize,
    dropped: u64,
}

impl EventLog {
    /// An empty log keeping at most `capacity` events (at least 1).
    pub fn new(capacity: usize) -> EventLog {
        EventLog {
            events: VecDeque::new(),
            capacity: capacity.max(1),
            dropped: 0,
        }
    }

    /// Append, dropping the oldest event if full.
    pub fn push(&mut self, e: Event) {
        while self.events.len() >= self.capacity {
            self.events.pop_front();
            self.dropped += 1;
        }
        self.events.push_back(e);
    }

    pub fn len(&self) -> usize {
        self.events.len()
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Events dropped because the log was full.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    /// Oldest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &Event> + '_ {
        self.events.iter()
    }

    /// Events with `t0_ms <= time_ms < t1_ms`, in log order (for time playback).
    pub fn between(&self, t0_ms: i64, t1_ms: i64) -> Vec<&Event> {
        self.events
            .iter()
            .filter(|e| e.time_ms >= t0_ms && e.time_ms < t1_ms)
            .collect()
    }

    /// Forget every event and the dropped count.
    pub fn clear(&mut self) {
        self.events.clear();
        self.dropped = 0;
    }

    /// GeoJSON FeatureCollection (RFC 7946) of event points in degrees WGS84 (7 decimals),
    /// oldest first, feature id = seq, properties `seq`, `time` (RFC 3339 UTC), `time_ms`,
    /// `kind`, `incident_id`, `zone_id`, `critical`; top-level `dropped` says how many older
    /// events the log no longer holds.
    pub fn to_geojson(&self) -> String {
        let features = self.events.iter().map(|e| {
            let ll = e.lonlat();
            let mut props = geojson::JsonObject::new();
            props.insert("seq".into(), e.seq.into());
            props.insert(
                "time".into(),
                time_text(e.time_ms).map_or(serde_json::Value::Null, Into::into),
            );
            props.insert("time_ms".into(), e.time_ms.into());
            props.insert("kind".into(), e.kind.key().into());
            props.insert("incident_id".into(), e.incident_id.clone().into());
            props.insert("zone_id".into(), e.zone_id.clone().into());
            props.insert("critical".into(), e.critical.into());
            geojson::Feature {
                bbox: None,
                geometry: Some(geojson::Geometry::new(geojson::GeometryValue::new_point([
                    coord7(ll.lon),
                    coord7(ll.lat),
                ]))),
                id: Some(geojson::feature::Id::Number(e.seq.into())),
                properties: Some(props),
                foreign_members: None,
            }
        });
        let mut fc = geojson::FeatureCollection::new(features);
        let mut dropped = geojson::JsonObject::new();
        dropped.insert("dropped".into(), self.dropped.into());
        fc.foreign_members = Some(dropped);
        // Serialising these values cannot fail (string keys, finite numbers); "" if it ever did.
        let mut out = serde_json::to_string(&fc).unwrap_or_default();
        out.push('\n');
        out
    }

    /// CSV (RFC 4180, `\r\n` line ends), header [`CSV_COLUMNS`], oldest first. Text
    /// fields are quoted when needed; one starting with `=`, `+`, `-`, `@`, tab or CR gets a
    /// leading `'` so a spreadsheet does not run it as a formula.
    pub fn to_csv(&self) -> String {
        self.to_csv_with_header(CSV_COLUMNS)
    }

    /// [`EventLog::to_csv`] with the operator's column names (`header`: the
    /// [`CSV_COLUMNS`] in another language, the shell's string table; the columns' order and
    /// the values are the same).
    pub fn to_csv_with_header(&self, header: &str) -> String {
        let mut out = format!("{header}\r\n");
        for e in &self.events {
            let ll = e.lonlat();
            out.push_str(&format!(
                "{},{},{},{},{},{},{:.7},{:.7},{}\r\n",
                e.seq,
                time_text(e.time_ms).unwrap_or_default(),
                e.time_ms,
                e.kind.key(),
                csv_field(&e.incident_id),
                csv_field(&e.zone_id),
                ll.lon,
                ll.lat,
                e.critical
            ));
        }
        out
    }
}

/// The zone log CSV's column names (the wire form; the shell may pass its operator's words).
pub const CSV_COLUMNS: &str = "seq,time,time_ms,kind,incident_id,zone_id,lon,lat,critical";

fn time_text(ms: i64) -> Option<String> {
    Timestamp::from_millis(ms).map(|t| t.to_rfc3339())
}

/// A CSV field (RFC 4180 quoting), with a leading `'` before a text a spreadsheet would run as
/// a formula; shared by the zone log and the exports (`export::records`).
pub(crate) fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// One zone membership of an incident.
#[derive(Clone, Debug, PartialEq)]
struct Membership {
    zone: u32,
    since_ms: i64,
    /// When the dwell event is due, until it is raised.
    dwell_due: Option<i64>,
    /// The dwell event of this stay was raised (never again in this stay).
    dwell_raised: bool,
}

/// One zone membership of an incident, as [`Engine::stays`] reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stay {
    /// Index of the zone in [`Engine::zones`].
    pub zone: usize,
    /// When the stay began (ms since the Unix epoch): the fix that entered, or the zone
    /// change that made the incident a member.
    pub since_ms: i64,
    /// When the dwell event is due (ms since the Unix epoch), until it is raised; `None` if
    /// the zone has no dwell threshold or it was raised.
    pub dwell_due_ms: Option<i64>,
    /// The dwell event of this stay was raised.
    pub dwell_raised: bool,
}

/// What the engine remembers of an incident.
#[derive(Clone, Debug, PartialEq)]
struct Track {
    at: Mercator,
    time_ms: i64,
    /// Ascending by zone.
    members: Vec<Membership>,
}

/// The geofencing engine: zones, their index, per-incident memberships, live counts and
/// the event log.
#[derive(Clone, Debug)]
pub struct Engine {
    zones: Vec<Zone>,
    index: ZoneIndex,
    config: EngineConfig,
    tracks: BTreeMap<String, Track>,
    counts: Vec<u32>,
    /// (due ms, incident id, zone).
    dwell_queue: BTreeSet<(i64, String, u32)>,
    log: EventLog,
    next_seq: u64,
}

impl Engine {
    /// An engine over `zones` (indexed once here).
    pub fn new(zones: Vec<Zone>, config: EngineConfig) -> Engine {
        let index = ZoneIndex::new(&zones);
        Engine {
            counts: vec![0; zones.len()],
            zones,
            index,
            config,
            tracks: BTreeMap::new(),
            dwell_queue: BTreeSet::new(),
            log: EventLog::new(config.log_capacity),
            next_seq: 1,
        }
    }

    pub fn zones(&self) -> &[Zone] {
        &self.zones
    }

    pub fn index(&self) -> &ZoneIndex {
        &self.index
    }

    pub fn config(&self) -> &EngineConfig {
        &self.config
    }

    pub fn log(&self) -> &EventLog {
        &self.log
    }

    /// Open incidents currently members of each zone (by zone index), kept up to date by
    /// every update.
    pub fn counts(&self) -> &[u32] {
        &self.counts
    }

    /// Zones (indices, ascending) the incident is currently a member of.
    pub fn memberships(&self, id: &str) -> Vec<usize> {
        self.tracks.get(id).map_or_else(Vec::new, |t| {
            t.members.iter().map(|m| m.zone as usize).collect()
        })
    }

    /// The incident's memberships with their stays (ascending by zone).
    pub fn stays(&self, id: &str) -> Vec<Stay> {
        self.tracks.get(id).map_or_else(Vec::new, |t| {
            t.members
                .iter()
                .map(|m| Stay {
                    zone: m.zone as usize,
                    since_ms: m.since_ms,
                    dwell_due_ms: m.dwell_due,
                    dwell_raised: m.dwell_raised,
                })
                .collect()
        })
    }

    /// The incident's last accepted fix: position (EPSG:3857 metres) and time (ms since the
    /// Unix epoch), if the engine tracks it.
    pub fn last_fix(&self, id: &str) -> Option<(Mercator, i64)> {
        self.tracks.get(id).map(|t| (t.at, t.time_ms))
    }

    /// Ids of the tracked incidents, ascending.
    pub fn tracked_ids(&self) -> impl Iterator<Item = &str> + '_ {
        self.tracks.keys().map(String::as_str)
    }

    /// Number of incidents the engine tracks (open, with at least one accepted fix).
    pub fn tracked(&self) -> usize {
        self.tracks.len()
    }

    /// Forget all incidents, counts and events (the zones stay): a fresh engine for a replay.
    pub fn reset(&mut self) {
        self.tracks.clear();
        self.dwell_queue.clear();
        self.counts.iter_mut().for_each(|c| *c = 0);
        self.log.clear();
        self.next_seq = 1;
    }

    /// React to one input.
    pub fn apply(&mut self, input: &Input) -> Vec<Event> {
        match input {
            Input::Fix(f) => self.update(f),
            Input::Tick(now) => self.tick(*now),
            Input::Remove { id, time_ms } => self.remove(id, *time_ms),
        }
    }

    fn emit(
        &mut self,
        out: &mut Vec<Event>,
        kind: EventKind,
        id: &str,
        zone: u32,
        time_ms: i64,
        at: Mercator,
    ) {
        let Some(z) = self.zones.get(zone as usize) else {
            return;
        };
        let e = Event {
            seq: self.next_seq,
            time_ms,
            incident_id: id.to_string(),
            zone: zone as usize,
            zone_id: z.id.clone(),
            kind,
            at,
            critical: z.rules.critical,
        };
        self.next_seq += 1;
        self.log.push(e.clone());
        out.push(e);
    }

    fn rules_of(&self, zone: u32) -> Option<&super::zone::ZoneRules> {
        self.zones.get(zone as usize).map(|z| &z.rules)
    }

    /// `true` if an open fix counts: a finite position and an accuracy within the limit.
    fn accepts(&self, fix: &Fix) -> bool {
        if !(fix.at.x.is_finite() && fix.at.y.is_finite()) {
            return false;
        }
        match (self.config.max_accuracy_m, fix.accuracy_m) {
            (Some(limit), Some(acc)) => acc
                .partial_cmp(&limit)
                .is_some_and(|o| o != std::cmp::Ordering::Greater),
            _ => true,
        }
    }

    /// A new membership of `zone` for incident `id` from `since_ms`: counted, its dwell
    /// queued.
    fn join(&mut self, id: &str, zone: u32, since_ms: i64) -> Membership {
        let dwell_due = self
            .rules_of(zone)
            .and_then(|r| r.dwell_ms())
            .map(|d| since_ms.saturating_add(d));
        if let Some(due) = dwell_due {
            self.dwell_queue.insert((due, id.to_string(), zone));
        }
        if let Some(c) = self.counts.get_mut(zone as usize) {
            *c += 1;
        }
        Membership {
            zone,
            since_ms,
            dwell_due,
            dwell_raised: false,
        }
    }

    /// Marks the dwells of `members` due by `time_ms` raised and takes them off the queue;
    /// returns their zones, ascending.
    fn dwells_due(&mut self, id: &str, members: &mut [Membership], time_ms: i64) -> Vec<u32> {
        let mut due_now = Vec::new();
        for mem in members {
            if let Some(due) = mem.dwell_due
                && due <= time_ms
            {
                mem.dwell_due = None;
                mem.dwell_raised = true;
                self.dwell_queue.remove(&(due, id.to_string(), mem.zone));
                due_now.push(mem.zone);
            }
        }
        due_now
    }

    /// A fix arrives: update the incident's memberships (incrementally: one grid lookup,
    /// boundary distances for the zones it leaves, an R-tree query along its path) and
    /// return the events raised (also appended to the log).
    pub fn update(&mut self, fix: &Fix) -> Vec<Event> {
        self.step(fix, true)
    }

    /// Seeding, one fix: the state change of [`Engine::update`] (memberships, counts, dwell
    /// due times, the incident's last fix) without any event: nothing is returned or logged
    /// and no sequence number is used. A dwell due by this fix is marked raised.
    pub fn seed(&mut self, fix: &Fix) {
        self.step(fix, false);
    }

    /// Seeding, many fixes (a snapshot): leaves the engine exactly as [`Engine::seed`] of
    /// each fix in order would, faster. The fixes are put in id order (stable: each
    /// incident's own fixes keep their order, which is all that matters, as incidents are
    /// independent; a snapshot read from the store is in id order already). The first
    /// accepted fix of each incident the engine does not track yet is classified in one bulk
    /// pass ([`ZoneIndex::classify_into`]) and the new tracks and dwell due times are built
    /// in bulk; the other fixes (of tracked incidents, or later fixes of the same incident)
    /// are then seeded one by one. Closed, inaccurate or non-finite fixes of an untracked
    /// incident change nothing, as in `seed`.
    pub fn seed_all(&mut self, fixes: impl IntoIterator<Item = Fix>) {
        #[derive(Clone, Copy, PartialEq)]
        enum Route {
            Skip,
            Fresh,
            Later,
        }
        let mut fixes: Vec<Fix> = fixes.into_iter().collect();
        if !fixes.is_sorted_by(|a, b| a.id <= b.id) {
            // Not the store's order (rare): the shared sort, not one more instance of it.
            crate::compact_sort::sort_by(&mut fixes, |a, b| a.id.cmp(&b.id));
        }
        let any_tracked = !self.tracks.is_empty();
        // Each fix's route, and the positions of the fresh ones.
        let mut routes: Vec<Route> = Vec::with_capacity(fixes.len());
        let mut points: Vec<Mercator> = Vec::with_capacity(fixes.len());
        for group in fixes.chunk_by(|a, b| a.id == b.id) {
            if any_tracked
                && group
                    .first()
                    .is_some_and(|f| self.tracks.contains_key(&f.id))
            {
                routes.extend(std::iter::repeat_n(Route::Later, group.len()));
                continue;
            }
            let mut started = false;
            for f in group {
                routes.push(if started {
                    Route::Later
                } else if f.open && self.accepts(f) {
                    started = true;
                    points.push(f.at);
                    Route::Fresh
                } else {
                    Route::Skip
                });
            }
        }
        let mut class = Classification::default();
        self.index.classify_into(&points, &mut class);
        drop(points);

        let dwell: Vec<Option<i64>> = self.zones.iter().map(|z| z.rules.dwell_ms()).collect();
        let mut queue: Vec<(i64, String, u32)> = Vec::new();
        let mut added: Vec<(String, Track)> = Vec::with_capacity(class.len());
        let mut later = Vec::new();
        let mut row = 0usize;
        for (f, r) in fixes.into_iter().zip(routes) {
            match r {
                Route::Skip => continue,
                Route::Later => {
                    later.push(f);
                    continue;
                }
                Route::Fresh => {}
            }
            let members: Vec<Membership> = class
                .zones_of(row)
                .iter()
                .map(|&z| {
                    let due = dwell
                        .get(z as usize)
                        .copied()
                        .flatten()
                        .map(|d| f.time_ms.saturating_add(d));
                    // Due by this very fix (a threshold saturating at the end of time):
                    // raised at once, as an update would.
                    let raised = due.is_some_and(|d| d <= f.time_ms);
                    let due = due.filter(|_| !raised);
                    if let Some(d) = due {
                        queue.push((d, f.id.clone(), z));
                    }
                    Membership {
                        zone: z,
                        since_ms: f.time_ms,
                        dwell_due: due,
                        dwell_raised: raised,
                    }
                })
                .collect();
            row += 1;
            added.push((
                f.id,
                Track {
                    at: f.at,
                    time_ms: f.time_ms,
                    members,
                },
            ));
        }
        for (c, n) in self.counts.iter_mut().zip(&class.counts) {
            *c = c.saturating_add(*n);
        }
        // The tracks built in bulk from sorted input (the ids are distinct and not tracked
        // yet): one by one, 100k string keys took 2.4 times as long (BENCHMARKS.md "Bundle:
        // where the bytes go and what was cut"). The dwell queue (a few entries per zone with
        // a dwell rule) is inserted one by one: a `collect` sorts first, through a sort
        // instance of its own.
        let mut added: BTreeMap<String, Track> = added.into_iter().collect();
        self.tracks.append(&mut added);
        self.dwell_queue.extend(queue);
        for f in &later {
            self.step(f, false);
        }
    }

    /// Replaces the zones (re-indexed) and carries the memberships over, silently: see
    /// "Zone changes" in the module doc. `now_ms` (ms since the Unix epoch) is when the
    /// change happens: the start of the stays it creates. Raises no event.
    pub fn set_zones(&mut self, zones: Vec<Zone>, now_ms: i64) {
        let index = ZoneIndex::new(&zones);
        // Old zone number -> new zone number, by id (the first zone with an id takes it).
        let renumber: Vec<Option<u32>> = {
            let mut by_id: HashMap<&str, u32> = HashMap::with_capacity(zones.len());
            for (i, z) in zones.iter().enumerate() {
                let Ok(i) = u32::try_from(i) else { break };
                by_id.entry(z.id.as_str()).or_insert(i);
            }
            self.zones
                .iter()
                .map(|z| by_id.get(z.id.as_str()).copied())
                .collect()
        };
        let dwell: Vec<Option<i64>> = zones.iter().map(|z| z.rules.dwell_ms()).collect();
        let dwell_of = |z: u32| dwell.get(z as usize).copied().flatten();
        let points: Vec<Mercator> = self.tracks.values().map(|t| t.at).collect();
        let mut class = Classification::default();
        index.classify_into(&points, &mut class);
        drop(points);
        let mut counts = vec![0u32; zones.len()];
        let mut queue = BTreeSet::new();
        for (i, (id, track)) in self.tracks.iter_mut().enumerate() {
            let inside = class.zones_of(i);
            let at = track.at;
            let margin = margin_3857(self.config.exit_margin_m, at);
            let mut members: Vec<Membership> =
                Vec::with_capacity(track.members.len() + inside.len());
            for mut mem in std::mem::take(&mut track.members) {
                let Some(z) = renumber.get(mem.zone as usize).copied().flatten() else {
                    continue;
                };
                if inside.binary_search(&z).is_err()
                    && !index.boundary_within(z as usize, at, margin)
                {
                    continue;
                }
                mem.zone = z;
                if !mem.dwell_raised {
                    mem.dwell_due = dwell_of(z).map(|d| mem.since_ms.saturating_add(d));
                }
                members.push(mem);
            }
            // Two old zones with one id (ids ought to be unique) make one stay: the longer.
            crate::compact_sort::sort_by(&mut members, |a, b| {
                a.zone.cmp(&b.zone).then(a.since_ms.cmp(&b.since_ms))
            });
            members.dedup_by(|next, kept| {
                if next.zone != kept.zone {
                    return false;
                }
                if next.dwell_raised {
                    kept.dwell_raised = true;
                    kept.dwell_due = None;
                }
                true
            });
            for &z in inside {
                let pos = members.partition_point(|m| m.zone < z);
                if members.get(pos).is_some_and(|m| m.zone == z) {
                    continue;
                }
                members.insert(
                    pos,
                    Membership {
                        zone: z,
                        since_ms: now_ms,
                        dwell_due: dwell_of(z).map(|d| now_ms.saturating_add(d)),
                        dwell_raised: false,
                    },
                );
            }
            for m in &members {
                if let Some(c) = counts.get_mut(m.zone as usize) {
                    *c += 1;
                }
                if let Some(due) = m.dwell_due {
                    queue.insert((due, id.clone(), m.zone));
                }
            }
            track.members = members;
        }
        self.zones = zones;
        self.index = index;
        self.counts = counts;
        self.dwell_queue = queue;
    }

    /// [`Engine::update`] (`live`) or [`Engine::seed`] (not `live`: no event, nothing logged,
    /// no crossing search).
    fn step(&mut self, fix: &Fix, live: bool) -> Vec<Event> {
        if !fix.open {
            return self.end(&fix.id, fix.time_ms, live);
        }
        if !self.accepts(fix) {
            return Vec::new();
        }
        let at = fix.at;
        let (mut track, prev) = match self.tracks.remove(&fix.id) {
            Some(t) if t.time_ms > fix.time_ms => {
                self.tracks.insert(fix.id.clone(), t);
                return Vec::new();
            }
            Some(t) => {
                let prev = t.at;
                (t, Some(prev))
            }
            None => (
                Track {
                    at,
                    time_ms: fix.time_ms,
                    members: Vec::new(),
                },
                None,
            ),
        };
        let inside: Vec<u32> = self
            .index
            .zones_at(at)
            .into_iter()
            .filter_map(|z| u32::try_from(z).ok())
            .collect();
        let margin = margin_3857(self.config.exit_margin_m, at);
        let mut out = Vec::new();
        let was: Vec<u32> = track.members.iter().map(|m| m.zone).collect();

        // Exits.
        let mut kept = Vec::with_capacity(track.members.len());
        for mem in std::mem::take(&mut track.members) {
            let z = mem.zone;
            if inside.binary_search(&z).is_ok()
                || self.index.boundary_within(z as usize, at, margin)
            {
                kept.push(mem);
                continue;
            }
            if let Some(c) = self.counts.get_mut(z as usize) {
                *c = c.saturating_sub(1);
            }
            if let Some(due) = mem.dwell_due {
                self.dwell_queue.remove(&(due, fix.id.clone(), z));
            }
            if live && self.rules_of(z).is_some_and(|r| r.alert_on_exit) {
                self.emit(&mut out, EventKind::Exit, &fix.id, z, fix.time_ms, at);
            }
        }
        track.members = kept;

        // Crossings of zones neither fix is in (events only: no state).
        if live && let Some(p0) = prev.filter(|p0| *p0 != at) {
            let mut hits: Vec<(f64, u32, Mercator)> = Vec::new();
            for z in self.index.candidates_along(p0, at) {
                let Ok(z32) = u32::try_from(z) else { continue };
                if was.contains(&z32) || inside.binary_search(&z32).is_ok() {
                    continue;
                }
                if !self.rules_of(z32).is_some_and(|r| r.alert_on_enter) {
                    continue;
                }
                if let Some((t, pt)) = self.index.first_crossing(z, p0, at) {
                    hits.push((t, z32, pt));
                }
            }
            crate::compact_sort::sort_by(&mut hits, |a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            for (_, z, pt) in hits {
                self.emit(&mut out, EventKind::Cross, &fix.id, z, fix.time_ms, pt);
            }
        }

        // Enters.
        for &z in &inside {
            let pos = track.members.partition_point(|m| m.zone < z);
            if track.members.get(pos).is_some_and(|m| m.zone == z) {
                continue;
            }
            let mem = self.join(&fix.id, z, fix.time_ms);
            track.members.insert(pos, mem);
            if live && self.rules_of(z).is_some_and(|r| r.alert_on_enter) {
                self.emit(&mut out, EventKind::Enter, &fix.id, z, fix.time_ms, at);
            }
        }

        // Dwells due by this fix.
        let due_now = self.dwells_due(&fix.id, &mut track.members, fix.time_ms);
        if live {
            for z in due_now {
                self.emit(&mut out, EventKind::Dwell, &fix.id, z, fix.time_ms, at);
            }
        }

        track.at = at;
        track.time_ms = fix.time_ms;
        self.tracks.insert(fix.id.clone(), track);
        out
    }

    /// The clock moved to `now_ms`: raise the dwell events due by then (oldest due first).
    pub fn tick(&mut self, now_ms: i64) -> Vec<Event> {
        let mut out = Vec::new();
        while let Some(first) = self.dwell_queue.first() {
            if first.0 > now_ms {
                break;
            }
            let Some((due, id, z)) = self.dwell_queue.pop_first() else {
                break;
            };
            let Some(track) = self.tracks.get_mut(&id) else {
                continue;
            };
            let Some(mem) = track
                .members
                .iter_mut()
                .find(|m| m.zone == z && m.dwell_due == Some(due))
            else {
                continue;
            };
            mem.dwell_due = None;
            mem.dwell_raised = true;
            let at = track.at;
            self.emit(&mut out, EventKind::Dwell, &id, z, now_ms, at);
        }
        out
    }

    /// The incident left the store: end its memberships (see the module doc).
    pub fn remove(&mut self, id: &str, time_ms: i64) -> Vec<Event> {
        self.end(id, time_ms, true)
    }

    fn end(&mut self, id: &str, time_ms: i64, live: bool) -> Vec<Event> {
        let mut out = Vec::new();
        let Some(track) = self.tracks.remove(id) else {
            return out;
        };
        for mem in track.members {
            if let Some(c) = self.counts.get_mut(mem.zone as usize) {
                *c = c.saturating_sub(1);
            }
            if let Some(due) = mem.dwell_due {
                self.dwell_queue.remove(&(due, id.to_string(), mem.zone));
            }
            if live {
                self.emit(&mut out, EventKind::Ended, id, mem.zone, time_ms, track.at);
            }
        }
        out
    }

    /// How long (ms) the incident has been a member of `zone` at `now_ms`, if it is one.
    pub fn stay_ms(&self, id: &str, zone: usize, now_ms: i64) -> Option<i64> {
        self.tracks
            .get(id)?
            .members
            .iter()
            .find(|m| m.zone as usize == zone)
            .map(|m| now_ms.saturating_sub(m.since_ms))
    }
}

/// The exit margin (ground metres) as EPSG:3857 metres at `at` (0 where the scale is
/// not positive).
fn margin_3857(exit_margin_m: f64, at: Mercator) -> f64 {
    let scale = ground_scale(to_lonlat(at).lat);
    if scale > 0.0 {
        exit_margin_m.max(0.0) / scale
    } else {
        0.0
    }
}
