//! The live incident feed in the page: snapshot, Server-Sent Events resumed by event id,
//! polling fallback, reconnect with exponential back-off and jitter, stale detection and
//! retention (see docs/api.md for the contract).
//!
//! Units: wall-clock times are ms since the Unix epoch (`Date.now()`); durations are ms; the
//! incidents are as in `core::incident` (degrees WGS84, EPSG:3857 metres). Parsing, merge
//! rules, health and back-off are the core's (`core::incident`, `core::feed`); this module
//! only moves text and timers.
//!
//! The store is not a signal (100k incidents must not be cloned): it lives in [`FeedCore`]
//! and readers borrow it through [`Incidents::with_store`]. Signals (`version`, `counts`,
//! `status`, `diagnostics`) are flushed at most every [`FLUSH_MS`], so a burst of events
//! costs one UI update and one map frame.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_net::http::Request;
use gloo_timers::callback::{Interval, Timeout};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use web_sys::{EventSource, MessageEvent, RequestCache};

use crate::core::config::IncidentFeedConfig;
use crate::core::feed::{Backoff, FeedHealth, FeedStatus, with_query};
use crate::core::incident::{
    Diagnostics, IncidentFilter, IncidentKind, IncidentStore, Timestamp, parse_incident, parse_seq,
    parse_snapshot,
};

/// Signals are updated at most this often (ms).
pub const FLUSH_MS: f64 = 250.0;
/// Health, retention and fade are re-checked this often (ms).
const TICK_MS: u32 = 1_000;
/// Fading markers and time windows are re-drawn in steps of this many ms.
pub const CLOCK_STEP_MS: i64 = 5_000;
/// Reconnect delays: first about `BACKOFF_BASE_MS`, doubling up to `BACKOFF_MAX_MS`.
const BACKOFF_BASE_MS: f64 = 500.0;
const BACKOFF_MAX_MS: f64 = 30_000.0;

/// How live updates arrive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transport {
    /// Server-Sent Events (the default).
    Sse,
    /// `GET <snapshot>?since=<cursor>` every `poll_interval_s` (no EventSource, or
    /// `stream_url` is empty in the config).
    Poll,
}

impl Transport {
    pub fn key(self) -> &'static str {
        match self {
            Transport::Sse => "sse",
            Transport::Poll => "poll",
        }
    }
}

/// Cumulative measurements, for the diagnostics panel, `window.calaisMap.feedStats()` and
/// the benchmarks.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FeedStats {
    /// Live events (SSE) or changed incidents (polling) received.
    pub events: u64,
    /// Time spent parsing and applying live events, ms.
    pub ingest_ms: f64,
    /// Time the last snapshot took to parse and apply, ms.
    pub snapshot_ms: f64,
    /// Features in the last snapshot (valid and rejected).
    pub snapshot_features: usize,
    /// Snapshots applied since start (1 + resyncs).
    pub snapshots: u64,
    /// The id of the last SSE event (or the last cursor when polling).
    pub last_seq: Option<String>,
}

/// What the status pill shows.
#[derive(Clone, Debug, PartialEq)]
pub struct FeedView {
    pub status: FeedStatus,
    pub transport: Transport,
    /// The last connection problem, until a connection works again.
    pub problem: Option<String>,
}

/// An incident shown in the info card.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IncidentSelection {
    pub id: String,
    /// Stays open when the pointer leaves (tap, click, list selection).
    pub pinned: bool,
}

/// Which incidents changed since the geofencing last looked (see [`Incidents::take_changes`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Changes {
    /// The store was replaced (snapshot, resync): look at every incident.
    pub resync: bool,
    /// Ids upserted with an effect, in arrival order (may repeat).
    pub ids: Vec<String>,
}

/// More changed ids than this since the last look count as a resync.
const MAX_CHANGED_IDS: usize = 50_000;

impl Changes {
    fn note(&mut self, id: String) {
        if self.resync {
            return;
        }
        if self.ids.len() >= MAX_CHANGED_IDS {
            self.ids = Vec::new();
            self.resync = true;
        } else {
            self.ids.push(id);
        }
    }

    fn replaced(&mut self) {
        self.ids = Vec::new();
        self.resync = true;
    }
}

/// The feed's mutable state, shared by its callbacks.
pub struct FeedCore {
    pub store: IncidentStore,
    /// Changes not yet seen by the geofencing.
    pub changes: Changes,
    pub stats: FeedStats,
    cfg: IncidentFeedConfig,
    transport: Transport,
    started: bool,
    cursor: Option<String>,
    health: FeedHealth,
    backoff: Backoff,
    problem: Option<String>,
    /// Bumped on every (re)connection plan; callbacks of older ones are ignored.
    generation: u64,
    source: Option<Source>,
    /// The pending retry or poll.
    timer: Option<Timeout>,
    flush_timer: Option<Timeout>,
    last_flush: f64,
    tick: Option<Interval>,
}

pub type Shared = Rc<RefCell<FeedCore>>;

/// An open EventSource and its listeners (kept alive while it is open).
struct Source {
    es: EventSource,
    _listeners: Vec<Closure<dyn FnMut(web_sys::Event)>>,
}

/// Closes an EventSource; its listeners are dropped after the current callback returns
/// (a closure must not be freed while it runs).
fn retire(source: Option<Source>) {
    if let Some(s) = source {
        s.es.close();
        wasm_bindgen_futures::spawn_local(async move { drop(s) });
    }
}

/// The feed as the UI sees it: signals plus access to the store. `Copy`.
#[derive(Clone, Copy)]
pub struct Incidents {
    core: StoredValue<Shared, LocalStorage>,
    /// The store's version (changes on every effective change), flushed.
    pub version: RwSignal<u64>,
    pub status: RwSignal<FeedView>,
    /// Open incidents per kind, indexed by `IncidentKind::index`.
    pub counts: RwSignal<[usize; IncidentKind::ALL.len()]>,
    pub diagnostics: RwSignal<Diagnostics>,
    pub filter: RwSignal<IncidentFilter>,
    pub selected: RwSignal<Option<IncidentSelection>>,
    /// Wall-clock ms in steps of [`CLOCK_STEP_MS`] (fading, time windows).
    pub clock: RwSignal<i64>,
}

pub fn wall_ms() -> f64 {
    js_sys::Date::now()
}

fn perf_ms() -> f64 {
    crate::map::now_ms()
}

fn clock_step(now: f64) -> i64 {
    let ms = now as i64;
    ms - ms.rem_euclid(CLOCK_STEP_MS)
}

impl Incidents {
    /// A feed that is not started yet (call [`Incidents::start`] once the config is known).
    pub fn new() -> Incidents {
        let now = wall_ms();
        let cfg = IncidentFeedConfig::default();
        let core = FeedCore {
            store: IncidentStore::new(),
            changes: Changes::default(),
            stats: FeedStats::default(),
            health: FeedHealth::new(now, cfg.stale_after_s * 1_000.0),
            cfg,
            transport: Transport::Sse,
            started: false,
            cursor: None,
            backoff: Backoff::new(BACKOFF_BASE_MS, BACKOFF_MAX_MS),
            problem: None,
            generation: 0,
            source: None,
            timer: None,
            flush_timer: None,
            last_flush: f64::NEG_INFINITY,
            tick: None,
        };
        Incidents {
            core: StoredValue::new_local(Rc::new(RefCell::new(core))),
            version: RwSignal::new(0),
            status: RwSignal::new(FeedView {
                status: FeedStatus::Connecting,
                transport: Transport::Sse,
                problem: None,
            }),
            counts: RwSignal::new([0; IncidentKind::ALL.len()]),
            diagnostics: RwSignal::new(Diagnostics::default()),
            filter: RwSignal::new(IncidentFilter::default()),
            selected: RwSignal::new(None),
            clock: RwSignal::new(clock_step(now)),
        }
    }

    pub fn shared(&self) -> Option<Shared> {
        self.core.try_get_value()
    }

    /// Reads the store (`None` once the app is gone or while the feed is mid-update).
    pub fn with_store<R>(&self, f: impl FnOnce(&IncidentStore) -> R) -> Option<R> {
        let sh = self.shared()?;
        let core = sh.try_borrow().ok()?;
        Some(f(&core.store))
    }

    /// The incidents changed since the last call (and forgets them).
    pub fn take_changes(&self) -> Option<Changes> {
        let sh = self.shared()?;
        let mut core = sh.try_borrow_mut().ok()?;
        Some(std::mem::take(&mut core.changes))
    }

    /// A copy of the measurements.
    pub fn stats(&self) -> Option<(FeedStats, Transport)> {
        let sh = self.shared()?;
        let core = sh.try_borrow().ok()?;
        Some((core.stats.clone(), core.transport))
    }

    /// Applies one live event as the stream would (`data` is the SSE data, `last_event_id`
    /// its id, may be empty): upsert or rejection, cursor, health; then flushes the signals.
    pub fn receive(&self, data: &str, last_event_id: &str) {
        if let Some(sh) = self.shared() {
            on_event(&sh, data, last_event_id);
            flush(&sh, *self);
        }
    }

    /// Starts the feed with this config (once; later calls do nothing).
    pub fn start(self, cfg: IncidentFeedConfig) {
        let Some(sh) = self.shared() else {
            return;
        };
        {
            let Ok(mut c) = sh.try_borrow_mut() else {
                return;
            };
            if c.started {
                return;
            }
            c.started = true;
            let has_event_source = web_sys::window().is_some_and(|w| {
                js_sys::Reflect::get(&w, &"EventSource".into()).is_ok_and(|v| v.is_function())
            });
            c.transport = if has_event_source && !cfg.stream_url.is_empty() {
                Transport::Sse
            } else {
                Transport::Poll
            };
            c.health = FeedHealth::new(wall_ms(), cfg.stale_after_s * 1_000.0);
            c.cfg = cfg;
            let sh2 = sh.clone();
            c.tick = Some(Interval::new(TICK_MS, move || tick(&sh2, self)));
        }
        resync(&sh, self);
    }
}

impl Default for Incidents {
    fn default() -> Self {
        Incidents::new()
    }
}

/// GET without caching; the status and body, or a connection error.
async fn get(url: &str) -> Result<(u16, String), String> {
    let response = Request::get(url)
        .cache(RequestCache::NoStore)
        .send()
        .await
        .map_err(|e| format!("could not reach {url}: {e}"))?;
    let status = response.status();
    let body = response
        .text()
        .await
        .map_err(|e| format!("could not read {url}: {e}"))?;
    Ok((status, body))
}

/// What to try again after a failure.
#[derive(Clone, Copy)]
enum Retry {
    Snapshot,
    Stream,
    Poll,
}

/// Full resync: fetch the snapshot, replace the state, then go live from its cursor.
fn resync(sh: &Shared, inc: Incidents) {
    let (generation, url) = {
        let Ok(mut c) = sh.try_borrow_mut() else {
            return;
        };
        c.generation += 1;
        retire(c.source.take());
        c.timer = None;
        (c.generation, c.cfg.snapshot_url.clone())
    };
    let sh = sh.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let result = get(&url).await;
        on_snapshot(&sh, inc, generation, &url, result);
    });
}

fn on_snapshot(
    sh: &Shared,
    inc: Incidents,
    generation: u64,
    url: &str,
    result: Result<(u16, String), String>,
) {
    let failure = {
        let Ok(mut c) = sh.try_borrow_mut() else {
            return;
        };
        if c.generation != generation {
            return;
        }
        match result {
            Err(e) => Some(e),
            Ok((status, _)) if !(200..300).contains(&status) => {
                Some(format!("could not load {url}: HTTP {status}"))
            }
            Ok((_, text)) => {
                let t0 = perf_ms();
                let names = c.cfg.properties.clone();
                match parse_snapshot(&text, &names) {
                    Ok(snapshot) => {
                        let n = snapshot.incidents.len() + snapshot.rejected.len();
                        c.cursor = snapshot.cursor.clone();
                        c.store.apply_snapshot(snapshot);
                        c.changes.replaced();
                        c.stats.snapshot_ms = perf_ms() - t0;
                        c.stats.snapshot_features = n;
                        c.stats.snapshots += 1;
                        c.stats.last_seq = c.cursor.clone();
                        c.health.message(wall_ms());
                        c.backoff.reset();
                        c.problem = None;
                        None
                    }
                    Err(e) => {
                        c.store.record_error(&e);
                        Some(format!("{url}: {e}"))
                    }
                }
            }
        }
    };
    match failure {
        Some(problem) => fail(sh, inc, problem, Retry::Snapshot),
        None => {
            go_live(sh, inc);
            flush(sh, inc);
        }
    }
}

fn go_live(sh: &Shared, inc: Incidents) {
    let transport = match sh.try_borrow() {
        Ok(c) => c.transport,
        Err(_) => return,
    };
    match transport {
        Transport::Sse => open_stream(sh, inc),
        Transport::Poll => schedule_poll(sh, inc, None),
    }
}

/// Notes a failure, shows it, and schedules `retry` after the next back-off delay.
fn fail(sh: &Shared, inc: Incidents, problem: String, retry: Retry) {
    {
        let Ok(mut c) = sh.try_borrow_mut() else {
            return;
        };
        retire(c.source.take());
        let delay = c.backoff.next_delay(js_sys::Math::random());
        let attempt = c.backoff.attempt();
        c.health.dropped(attempt);
        c.problem = Some(problem);
        let generation = c.generation;
        let sh2 = sh.clone();
        c.timer = Some(Timeout::new(delay.round() as u32, move || {
            let current = sh2.try_borrow().is_ok_and(|c| c.generation == generation);
            if !current {
                return;
            }
            match retry {
                Retry::Snapshot => resync(&sh2, inc),
                Retry::Stream => open_stream(&sh2, inc),
                Retry::Poll => poll(&sh2, inc),
            }
        }));
    }
    flush(sh, inc);
}

/// Opens the event stream from the current cursor (`?last_event_id=`; the browser sends
/// `Last-Event-ID` itself on its own reconnects, but this client closes and reopens with
/// its own back-off instead).
fn open_stream(sh: &Shared, inc: Incidents) {
    let (generation, url) = {
        let Ok(mut c) = sh.try_borrow_mut() else {
            return;
        };
        retire(c.source.take());
        c.timer = None;
        let url = match &c.cursor {
            Some(cursor) => with_query(&c.cfg.stream_url, "last_event_id", cursor),
            None => c.cfg.stream_url.clone(),
        };
        (c.generation, url)
    };
    let es = match EventSource::new(&url) {
        Ok(es) => es,
        Err(_) => {
            fail(
                sh,
                inc,
                format!("the browser refused the event stream {url}"),
                Retry::Stream,
            );
            return;
        }
    };
    let current = move |sh: &Shared| sh.try_borrow().is_ok_and(|c| c.generation == generation);
    let mut listeners = Vec::new();
    let mut listen = |name: &str, f: Box<dyn FnMut(web_sys::Event)>| {
        let cl = Closure::<dyn FnMut(web_sys::Event)>::wrap(f);
        let _ = es.add_event_listener_with_callback(name, cl.as_ref().unchecked_ref());
        listeners.push(cl);
    };

    let s = sh.clone();
    listen(
        "open",
        Box::new(move |_| {
            if !current(&s) {
                return;
            }
            if let Ok(mut c) = s.try_borrow_mut() {
                c.health.opened();
                c.backoff.reset();
                c.problem = None;
            }
            flush(&s, inc);
        }),
    );
    for name in ["incident", "message"] {
        let s = sh.clone();
        listen(
            name,
            Box::new(move |ev| {
                if !current(&s) {
                    return;
                }
                if let Some(ev) = ev.dyn_ref::<MessageEvent>() {
                    let data = ev.data().as_string().unwrap_or_default();
                    inc.receive(&data, &ev.last_event_id());
                }
            }),
        );
    }
    let s = sh.clone();
    listen(
        "heartbeat",
        Box::new(move |_| {
            if !current(&s) {
                return;
            }
            if let Ok(mut c) = s.try_borrow_mut() {
                c.health.message(wall_ms());
            }
            flush(&s, inc);
        }),
    );
    let s = sh.clone();
    listen(
        "reset",
        Box::new(move |_| {
            if !current(&s) {
                return;
            }
            if let Ok(mut c) = s.try_borrow_mut() {
                c.health.message(wall_ms());
                c.problem = Some(
                    "the server could not replay the missed events: reloading every incident"
                        .to_string(),
                );
            }
            resync(&s, inc);
        }),
    );
    let s = sh.clone();
    listen(
        "error",
        Box::new(move |_| {
            if !current(&s) {
                return;
            }
            fail(
                &s,
                inc,
                "Lost the connection to the incident stream: retrying, then resuming from the last event"
                    .to_string(),
                Retry::Stream,
            );
        }),
    );
    if let Ok(mut c) = sh.try_borrow_mut() {
        c.source = Some(Source {
            es,
            _listeners: listeners,
        });
    }
}

/// One SSE event: an incident upsert, or a rejection counted in the diagnostics.
fn on_event(sh: &Shared, data: &str, last_event_id: &str) {
    let Ok(mut c) = sh.try_borrow_mut() else {
        return;
    };
    let t0 = perf_ms();
    let names = c.cfg.properties.clone();
    match parse_incident(data, &names) {
        Ok(incident) => {
            let incident = match parse_seq(last_event_id) {
                Some(seq) => incident.with_seq(seq),
                None => incident,
            };
            let id = incident.id.clone();
            if c.store.upsert(incident).changed() {
                c.changes.note(id);
            }
        }
        Err(e) => c.store.record_error(&e),
    }
    if !last_event_id.is_empty() {
        c.cursor = Some(last_event_id.to_string());
        c.stats.last_seq = c.cursor.clone();
    }
    c.stats.events += 1;
    c.stats.ingest_ms += perf_ms() - t0;
    c.health.message(wall_ms());
}

fn schedule_poll(sh: &Shared, inc: Incidents, delay_ms: Option<f64>) {
    let Ok(mut c) = sh.try_borrow_mut() else {
        return;
    };
    let delay = delay_ms.unwrap_or(c.cfg.poll_interval_s * 1_000.0);
    let generation = c.generation;
    let sh2 = sh.clone();
    c.timer = Some(Timeout::new(delay.round().max(0.0) as u32, move || {
        if sh2.try_borrow().is_ok_and(|c| c.generation == generation) {
            poll(&sh2, inc);
        }
    }));
}

/// One polling round: the changes since the cursor; `410` means resync.
fn poll(sh: &Shared, inc: Incidents) {
    let (generation, base, cursor) = {
        let Ok(c) = sh.try_borrow() else {
            return;
        };
        (c.generation, c.cfg.snapshot_url.clone(), c.cursor.clone())
    };
    let Some(cursor) = cursor else {
        resync(sh, inc);
        return;
    };
    let url = with_query(&base, "since", &cursor);
    let sh = sh.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let result = get(&url).await;
        if !sh.try_borrow().is_ok_and(|c| c.generation == generation) {
            return;
        }
        match result {
            Ok((410, _)) => {
                if let Ok(mut c) = sh.try_borrow_mut() {
                    c.problem = Some(
                        "the server could not serve the changes since the last poll: reloading every incident"
                            .to_string(),
                    );
                }
                resync(&sh, inc);
            }
            Ok((status, text)) if (200..300).contains(&status) => {
                let applied = {
                    let Ok(mut c) = sh.try_borrow_mut() else {
                        return;
                    };
                    let t0 = perf_ms();
                    let names = c.cfg.properties.clone();
                    match parse_snapshot(&text, &names) {
                        Ok(changes) => {
                            for r in &changes.rejected {
                                c.store.record_error(&r.error);
                            }
                            let n = changes.incidents.len() + changes.rejected.len();
                            for incident in changes.incidents {
                                let id = incident.id.clone();
                                if c.store.upsert(incident).changed() {
                                    c.changes.note(id);
                                }
                            }
                            if changes.cursor.is_some() {
                                c.cursor = changes.cursor;
                                c.stats.last_seq = c.cursor.clone();
                            }
                            c.stats.events += n as u64;
                            c.stats.ingest_ms += perf_ms() - t0;
                            c.health.message(wall_ms());
                            c.backoff.reset();
                            c.problem = None;
                            Ok(())
                        }
                        Err(e) => {
                            c.store.record_error(&e);
                            Err(format!("{url}: {e}"))
                        }
                    }
                };
                match applied {
                    Ok(()) => {
                        schedule_poll(&sh, inc, None);
                        flush(&sh, inc);
                    }
                    Err(problem) => fail(&sh, inc, problem, Retry::Poll),
                }
            }
            Ok((status, _)) => fail(
                &sh,
                inc,
                format!("could not load {url}: HTTP {status}"),
                Retry::Poll,
            ),
            Err(e) => fail(&sh, inc, e, Retry::Poll),
        }
    });
}

/// Every second: stale detection (a silent stream is dropped and reopened), retention,
/// the status text and the fade clock.
fn tick(sh: &Shared, inc: Incidents) {
    let now = wall_ms();
    let silent_stream = {
        let Ok(mut c) = sh.try_borrow_mut() else {
            return;
        };
        let retention_ms = (c.cfg.retention_s * 1_000.0) as i64;
        if let Some(t) = Timestamp::from_millis(now as i64) {
            c.store.purge(t, retention_ms);
        }
        matches!(c.health.status(now), FeedStatus::Stale { .. }) && c.source.is_some()
    };
    if silent_stream {
        let secs = sh.try_borrow().map_or(0.0, |c| c.cfg.stale_after_s);
        fail(
            sh,
            inc,
            format!("no event or heartbeat for {secs:.0} s: reconnecting"),
            Retry::Stream,
        );
    }
    let step = clock_step(now);
    if inc.clock.try_get_untracked() != Some(step) {
        inc.clock.try_set(step);
    }
    flush(sh, inc);
}

/// Pushes the store's state into the signals, at most every [`FLUSH_MS`].
fn flush(sh: &Shared, inc: Incidents) {
    let now = perf_ms();
    let Ok(mut c) = sh.try_borrow_mut() else {
        return;
    };
    if c.flush_timer.is_some() {
        return;
    }
    let wait = c.last_flush + FLUSH_MS - now;
    if wait > 0.0 {
        let sh2 = sh.clone();
        c.flush_timer = Some(Timeout::new(wait.ceil() as u32, move || {
            if let Ok(mut c) = sh2.try_borrow_mut() {
                c.flush_timer = None;
            }
            flush(&sh2, inc);
        }));
        return;
    }
    c.last_flush = now;
    let version = c.store.version();
    let mut counts = [0; IncidentKind::ALL.len()];
    for (kind, n) in c.store.open_counts_by_kind() {
        if let Some(slot) = counts.get_mut(kind.index()) {
            *slot = n;
        }
    }
    let diagnostics = c.store.diagnostics().clone();
    let view = FeedView {
        status: c.health.status(wall_ms()),
        transport: c.transport,
        problem: c.problem.clone(),
    };
    drop(c);
    if inc.version.try_get_untracked() != Some(version) {
        inc.version.try_set(version);
    }
    if inc.counts.try_get_untracked() != Some(counts) {
        inc.counts.try_set(counts);
    }
    if inc.diagnostics.try_with_untracked(|d| *d != diagnostics) == Some(true) {
        inc.diagnostics.try_set(diagnostics);
    }
    if inc.status.try_with_untracked(|v| *v != view) == Some(true) {
        inc.status.try_set(view);
    }
}
