//! The live incident feed in the page: the I/O around the core's feed state machine
//! (`core::feed::FeedMachine`): snapshot and `?since=` requests, the EventSource, the one
//! timer, the browser's online/offline and visibility events, retention, and the signals the
//! panels read (see docs/api.md for the contract with the server).
//!
//! Units: wall-clock times are ms since the Unix epoch (`Date.now()`, `env::wall_ms`), the
//! machine's clock too; durations are ms (ingest statistics and the flush throttle use the
//! monotonic page clock, `env::now_ms`); the incidents are as in `core::incident` (degrees
//! WGS84, EPSG:3857 metres). *When* to connect, retry, resync or call the picture stale is
//! decided by the machine alone (tested natively in tests/core_feed.rs); this module turns
//! browser callbacks into `Input`s and performs the `Effect`s, nothing more. Parsing and merge
//! rules are `core::incident`'s.
//!
//! Transport failures (no answer, HTTP errors, cut or unreadable bodies, a lost stream) are
//! the machine's `Problem`s, shown in the status strip and cleared when the feed delivers
//! again; only bad *events* and bad snapshot *features* count as rejected in the diagnostics.
//!
//! The store is not a signal (100k incidents must not be cloned): it lives in [`FeedCore`]
//! and readers borrow it through [`Incidents::with_store`]. Signals (`version`, `counts`,
//! `status`, `diagnostics`) are flushed at most every [`FLUSH_MS`], so a burst of events
//! costs one UI update and one map frame.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_events::EventListener;
use gloo_net::http::Request as HttpRequest;
use gloo_timers::callback::{Interval, Timeout};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{EventSource, MessageEvent, RequestCache};

use crate::core::config::IncidentFeedConfig;
pub use crate::core::feed::Transport;
use crate::core::feed::{
    Effect, FeedMachine, FeedView, Input, Notice, Problem, Request, ResyncCause, Ticket, with_query,
};
use crate::core::incident::{
    Diagnostics, IncidentFilter, IncidentKind, IncidentNames, IncidentStore, MAX_CLOSED, Snapshot,
    Timestamp, parse_event, parse_seq, parse_snapshot,
};
use crate::core::incident::{SnapshotMerge, SnapshotReader};
use crate::core::limits::TooLarge;
use crate::env::{measure, now_ms, wall_ms, yield_now};
use crate::load::{Cut, read_capped, read_capped_sliced};
use crate::slices::Slicer;

mod ingest;

/// Signals are updated at most this often (ms).
pub const FLUSH_MS: f64 = 250.0;
/// Health, retention and fade are re-checked this often (ms).
const TICK_MS: u32 = 1_000;
/// Fading markers and time windows are re-drawn in steps of this many ms.
pub const CLOCK_STEP_MS: i64 = 5_000;
/// The resync notice stays this long (ms) unless dismissed.
pub const NOTICE_MS: f64 = 120_000.0;

/// Cumulative measurements, for the diagnostics panel, `window.calaisMap.feedStats()` and
/// the benchmarks.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FeedStats {
    /// Live events (SSE) or changed incidents (polling) received.
    pub events: u64,
    /// Time spent parsing and applying live events, ms.
    pub ingest_ms: f64,
    /// Time the last snapshot took from its body's arrival to the full picture (read and
    /// merged in slices, then swapped in), ms.
    pub snapshot_ms: f64,
    /// Slices the last snapshot was taken in, and the longest one (ms).
    pub snapshot_slices: u32,
    pub snapshot_longest_slice_ms: f64,
    /// Features in the last snapshot (valid and rejected).
    pub snapshot_features: usize,
    /// Snapshots applied since start (1 + resyncs).
    pub snapshots: u64,
    /// The id of the last SSE event (or the last cursor when polling).
    pub last_seq: Option<String>,
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
    /// ... by the picture kept on the device (`Incidents::show_stored`), not by the live feed:
    /// seed it without any alert, dwell included (nothing in it is live).
    pub stored: bool,
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
        self.stored = false;
    }
}

/// A snapshot replaced the whole picture (not the first load): said once in the strip.
#[derive(Clone, Debug, PartialEq)]
pub struct ResyncNotice {
    pub cause: ResyncCause,
    /// Incidents held before and after.
    pub before: usize,
    pub after: usize,
    /// When (wall-clock ms).
    pub at: f64,
}

/// The feed's mutable state, shared by its callbacks.
pub struct FeedCore {
    pub store: IncidentStore,
    /// Changes not yet seen by the geofencing.
    pub changes: Changes,
    /// Changes not yet added to the incident history (`history.rs`).
    pub history_changes: Changes,
    pub stats: FeedStats,
    cfg: IncidentFeedConfig,
    machine: FeedMachine,
    started: bool,
    /// What the machine last published.
    view: FeedView,
    /// Incidents held before and after the last snapshot was applied.
    replaced: (usize, usize),
    /// A snapshot being taken in slices, and the live events queued meanwhile.
    taking: Option<ingest::Taking>,
    notice: Option<ResyncNotice>,
    source: Option<Source>,
    /// The one timer the machine arms (retry or poll).
    timer: Option<Timeout>,
    flush_timer: Option<Timeout>,
    last_flush: f64,
    tick: Option<Interval>,
    /// online/offline on the window, visibilitychange on the document.
    _browser: Vec<EventListener>,
}

pub type Shared = Rc<RefCell<FeedCore>>;

impl FeedCore {
    /// An incident changed: the geofencing and the history will look at it.
    fn noted(&mut self, id: String) {
        self.history_changes.note(id.clone());
        self.changes.note(id);
    }
}

/// An open EventSource and its listeners (kept alive while it is open; gloo-events removes
/// them when dropped).
struct Source {
    es: EventSource,
    _listeners: Vec<EventListener>,
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
    /// The last resync, until dismissed or [`NOTICE_MS`] old.
    pub notice: RwSignal<Option<ResyncNotice>>,
    pub filter: RwSignal<IncidentFilter>,
    pub selected: RwSignal<Option<IncidentSelection>>,
    /// Wall-clock ms in steps of [`CLOCK_STEP_MS`] (fading, time windows).
    pub clock: RwSignal<i64>,
}

fn clock_step(now: f64) -> i64 {
    let ms = now as i64;
    ms - ms.rem_euclid(CLOCK_STEP_MS)
}

fn machine_for(cfg: &IncidentFeedConfig, transport: Transport) -> FeedMachine {
    // The jitter only spreads reconnects of many pages; any seed will do.
    let seed = (js_sys::Math::random() * 9.0e15) as u64;
    FeedMachine::new(
        transport,
        cfg.stale_after_s * 1_000.0,
        cfg.poll_interval_s * 1_000.0,
        seed,
    )
}

impl Incidents {
    /// A feed that is not started yet (call [`Incidents::start`] once the config is known).
    pub fn new() -> Incidents {
        let now = wall_ms();
        let cfg = IncidentFeedConfig::default();
        let machine = machine_for(&cfg, Transport::Sse);
        let view = machine.view(now);
        let core = FeedCore {
            store: IncidentStore::new(),
            changes: Changes::default(),
            history_changes: Changes::default(),
            stats: FeedStats::default(),
            machine,
            view: view.clone(),
            cfg,
            started: false,
            replaced: (0, 0),
            taking: None,
            notice: None,
            source: None,
            timer: None,
            flush_timer: None,
            last_flush: f64::NEG_INFINITY,
            tick: None,
            _browser: Vec::new(),
        };
        Incidents {
            core: StoredValue::new_local(Rc::new(RefCell::new(core))),
            version: RwSignal::new(0),
            status: RwSignal::new(view),
            counts: RwSignal::new([0; IncidentKind::ALL.len()]),
            diagnostics: RwSignal::new(Diagnostics::default()),
            notice: RwSignal::new(None),
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

    /// Whether the store was replaced (a snapshot) since the geofencing, and since the history,
    /// last looked: their catch-up then re-reads the whole store, each in a task of its own
    /// (issue 15 item 4: together they passed 50 ms).
    pub fn replaced(&self) -> (bool, bool) {
        self.shared()
            .and_then(|sh| {
                let c = sh.try_borrow().ok()?;
                Some((c.changes.resync, c.history_changes.resync))
            })
            .unwrap_or((false, false))
    }

    /// Changed ids waiting for the geofencing and for the history (each capped at
    /// `MAX_CHANGED_IDS`, past which the reader resyncs).
    pub fn pending_changes(&self) -> Option<(usize, usize)> {
        let sh = self.shared()?;
        let core = sh.try_borrow().ok()?;
        Some((core.changes.ids.len(), core.history_changes.ids.len()))
    }

    /// The incidents changed since the last call (and forgets them).
    pub fn take_changes(&self) -> Option<Changes> {
        let sh = self.shared()?;
        let mut core = sh.try_borrow_mut().ok()?;
        Some(std::mem::take(&mut core.changes))
    }

    /// The incidents changed since the history last looked (and forgets them): the history's
    /// own list, so that it and the geofencing each see every change.
    pub fn take_history_changes(&self) -> Option<Changes> {
        let sh = self.shared()?;
        let mut core = sh.try_borrow_mut().ok()?;
        Some(std::mem::take(&mut core.history_changes))
    }

    /// A copy of the measurements.
    pub fn stats(&self) -> Option<(FeedStats, Transport)> {
        let sh = self.shared()?;
        let core = sh.try_borrow().ok()?;
        Some((core.stats.clone(), core.machine.transport()))
    }

    /// Applies one live event to the store as the stream does (`data` is the SSE data,
    /// `last_event_id` its id, may be empty): upsert or rejection; then flushes the signals.
    /// (The connection's health is the machine's business: the stream listener tells it.)
    pub fn receive(&self, data: &str, last_event_id: &str) {
        if let Some(sh) = self.shared() {
            on_event(&sh, data, last_event_id);
            flush(&sh, *self);
        }
    }

    /// Shows a picture that is not the live feed's (the last good picture kept on the device,
    /// `offline.rs`) until the first live snapshot: applied to the store as a snapshot (the
    /// geofencing and the history take it as a resync, so zones seed silently), the machine is
    /// not told, so the feed's status never says live for it; the first live snapshot replaces
    /// it whole. Returns `false`, and changes nothing, once a live snapshot was applied.
    pub fn show_stored(&self, snapshot: Snapshot) -> bool {
        let Some(sh) = self.shared() else {
            return false;
        };
        {
            let Ok(mut c) = sh.try_borrow_mut() else {
                return false;
            };
            // A live snapshot applied or being taken wins.
            if c.stats.snapshots > 0 || c.taking.is_some() {
                return false;
            }
            c.store.apply_snapshot(snapshot);
            c.changes.replaced();
            c.changes.stored = true;
            c.history_changes.replaced();
        }
        flush(&sh, *self);
        true
    }

    /// "Retry now": reconnect at once, skipping the back-off.
    pub fn retry_now(&self) {
        if let Some(sh) = self.shared() {
            run(&sh, *self, Input::RetryNow);
        }
    }

    /// Hides the resync notice.
    pub fn dismiss_notice(&self) {
        if let Some(sh) = self.shared()
            && let Ok(mut c) = sh.try_borrow_mut()
        {
            c.notice = None;
        }
        self.notice.set(None);
    }

    /// Starts the feed with this config (once; later calls do nothing).
    pub fn start(self, cfg: IncidentFeedConfig) {
        let Some(sh) = self.shared() else {
            return;
        };
        let online = {
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
            let transport = if has_event_source && !cfg.stream_url.is_empty() {
                Transport::Sse
            } else {
                Transport::Poll
            };
            c.machine = machine_for(&cfg, transport);
            c.cfg = cfg;
            let sh2 = sh.clone();
            c.tick = Some(Interval::new(TICK_MS, move || tick(&sh2, self)));
            c._browser = browser_listeners(&sh, self);
            web_sys::window().is_none_or(|w| w.navigator().on_line())
        };
        if !online {
            run(&sh, self, Input::Offline);
        }
        run(&sh, self, Input::Start);
    }
}

impl Default for Incidents {
    fn default() -> Self {
        Incidents::new()
    }
}

/// The browser's network and visibility reports, as machine inputs.
fn browser_listeners(sh: &Shared, inc: Incidents) -> Vec<EventListener> {
    let mut out = Vec::new();
    let Some(window) = web_sys::window() else {
        return out;
    };
    for (name, input) in [("online", Input::Online), ("offline", Input::Offline)] {
        let sh = sh.clone();
        out.push(EventListener::new(&window, name, move |_| {
            run(&sh, inc, input.clone());
        }));
    }
    if let Some(document) = window.document() {
        let sh = sh.clone();
        let doc = document.clone();
        out.push(EventListener::new(
            &document,
            "visibilitychange",
            move |_| {
                let input = if doc.hidden() {
                    Input::Hidden
                } else {
                    Input::Visible
                };
                run(&sh, inc, input);
            },
        ));
    }
    out
}

/// Steps the machine with one input and performs the effects it asks for.
fn run(sh: &Shared, inc: Incidents, input: Input) {
    let effects = {
        let Ok(mut c) = sh.try_borrow_mut() else {
            return;
        };
        c.machine.step(wall_ms(), input)
    };
    for effect in effects {
        perform(sh, inc, effect);
    }
}

fn perform(sh: &Shared, inc: Incidents, effect: Effect) {
    match effect {
        Effect::FetchSnapshot { ticket } => {
            let Ok((url, limit)) = sh
                .try_borrow()
                .map(|c| (c.cfg.snapshot_url.clone(), c.cfg.limits.snapshot_bytes()))
            else {
                return;
            };
            let sh = sh.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let result = get_sliced(&url, limit).await;
                on_snapshot(&sh, inc, ticket, result);
            });
        }
        Effect::FetchChanges { ticket, cursor } => {
            let Ok((base, limit)) = sh
                .try_borrow()
                .map(|c| (c.cfg.snapshot_url.clone(), c.cfg.limits.snapshot_bytes()))
            else {
                return;
            };
            let url = with_query(&base, "since", &cursor);
            let sh = sh.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let result = get(&url, limit).await;
                on_changes(&sh, inc, ticket, result);
            });
        }
        Effect::OpenStream { ticket, cursor } => open_stream(sh, inc, ticket, cursor),
        Effect::CloseStream => {
            if let Ok(mut c) = sh.try_borrow_mut() {
                retire(c.source.take());
            }
        }
        Effect::ArmTimer { ticket, delay_ms } => {
            let sh2 = sh.clone();
            let timeout = Timeout::new(delay_ms.round().max(0.0) as u32, move || {
                run(&sh2, inc, Input::TimerFired { ticket });
            });
            if let Ok(mut c) = sh.try_borrow_mut() {
                c.timer = Some(timeout);
            }
        }
        Effect::CancelTimer => {
            if let Ok(mut c) = sh.try_borrow_mut() {
                c.timer = None;
            }
        }
        Effect::Announce(Notice::Resynced { cause }) => {
            if let Ok(mut c) = sh.try_borrow_mut() {
                let (before, after) = c.replaced;
                c.notice = Some(ResyncNotice {
                    cause,
                    before,
                    after,
                    at: wall_ms(),
                });
            }
            flush(sh, inc);
        }
        Effect::Publish(view) => {
            if let Ok(mut c) = sh.try_borrow_mut() {
                c.view = view;
            }
            flush(sh, inc);
        }
    }
}

/// Why a GET did not give a body: no answer at all, a body cut off while read, or a body
/// over its cap (`limits` in the config; not read).
pub enum Fetched {
    Body(u16, String),
    /// 503 or 429 with a `Retry-After` in seconds (the body is not needed).
    RetryAfter(u16, u32),
    Unreachable,
    Truncated,
    TooLarge(TooLarge),
}

/// GET without caching (the history's pages too), the body at most `limit` bytes.
pub async fn get(url: &str, limit: u64) -> Fetched {
    let response = match send(url).await {
        Ok(response) => response,
        Err(early) => return early,
    };
    let status = response.status();
    match read_capped(&response, limit).await {
        Ok(body) => Fetched::Body(status, body),
        Err(Cut::TooLarge(refused)) => Fetched::TooLarge(refused),
        Err(Cut::Unreadable(_)) => Fetched::Truncated,
    }
}

/// [`get`] for the snapshot: its body copied into wasm memory in slices (`read_capped_sliced`).
async fn get_sliced(url: &str, limit: u64) -> Fetched {
    let response = match send(url).await {
        Ok(response) => response,
        Err(early) => return early,
    };
    let status = response.status();
    match read_capped_sliced(response, limit).await {
        Ok(body) => Fetched::Body(status, body),
        Err(Cut::TooLarge(refused)) => Fetched::TooLarge(refused),
        Err(Cut::Unreadable(_)) => Fetched::Truncated,
    }
}

/// The request without caching, up to the answer's headers; no answer, or a 503/429 with a
/// `Retry-After`, is the outcome already (the body is not read).
async fn send(url: &str) -> Result<gloo_net::http::Response, Fetched> {
    let Ok(response) = HttpRequest::get(url)
        .cache(RequestCache::NoStore)
        .send()
        .await
    else {
        return Err(Fetched::Unreachable);
    };
    let status = response.status();
    // Only the delay-seconds form of Retry-After (an HTTP date is rare from an API): the feed
    // machine waits at least that long before it asks again, up to its back-off's cap.
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.trim().parse::<u32>().ok());
    match retry_after.filter(|_| status == 503 || status == 429) {
        Some(s) => Err(Fetched::RetryAfter(status, s)),
        None => Ok(response),
    }
}

/// A 2xx answer's body read as a FeatureCollection of incidents, or the transport problem:
/// no answer, an HTTP error, a body cut off, or a body that is unreadable as a whole (a
/// transport problem too, never counted as rejected events).
fn read_answer(
    names: &IncidentNames,
    request: Request,
    fetched: Fetched,
) -> Result<Snapshot, Problem> {
    let text = answer_text(request, fetched)?;
    parse_snapshot(&text, names).map_err(|error| Problem::Unreadable { request, error })
}

/// A 2xx answer's body, or the transport problem: no answer, an HTTP error, a body cut off.
fn answer_text(request: Request, fetched: Fetched) -> Result<String, Problem> {
    match fetched {
        Fetched::Unreachable => Err(Problem::Unreachable { request }),
        Fetched::Truncated => Err(Problem::Truncated { request }),
        Fetched::TooLarge(refused) => Err(Problem::TooLarge {
            request,
            limit: refused.limit,
        }),
        Fetched::RetryAfter(status, s) => Err(Problem::Http {
            request,
            status,
            retry_after_s: Some(s),
        }),
        Fetched::Body(status, _) if !(200..300).contains(&status) => Err(Problem::Http {
            request,
            status,
            retry_after_s: None,
        }),
        Fetched::Body(_, text) => Ok(text),
    }
}

/// A snapshot's answer: a transport problem is told to the machine at once; a body is taken in
/// slices (`ingest`), which tells the machine when the picture is whole.
fn on_snapshot(sh: &Shared, inc: Incidents, ticket: Ticket, fetched: Fetched) {
    let t0 = now_ms();
    let (text, names) = {
        let Ok(mut c) = sh.try_borrow_mut() else {
            return;
        };
        if !c.machine.is_current(ticket) {
            return;
        }
        match answer_text(Request::Snapshot, fetched) {
            Ok(text) => {
                c.taking = Some(ingest::Taking { queued: Vec::new() });
                (text, c.cfg.properties.clone())
            }
            Err(problem) => {
                drop(c);
                run(sh, inc, Input::SnapshotFailed { ticket, problem });
                return flush(sh, inc);
            }
        }
    };
    let sh = sh.clone();
    wasm_bindgen_futures::spawn_local(take(sh, inc, ticket, text, names, t0));
}

/// Whether `ticket` is still the machine's request (`false` once the app is gone).
fn current(sh: &Shared, ticket: Ticket) -> bool {
    sh.try_borrow().is_ok_and(|c| c.machine.is_current(ticket))
}

/// Gives up a snapshot whose ticket lapsed: the queued events go to the held store.
fn drop_taking(sh: &Shared, inc: Incidents) {
    if let Ok(mut c) = sh.try_borrow_mut()
        && let Some(taking) = c.taking.take()
    {
        for (data, id) in taking.queued {
            apply_event(&mut c, &data, &id);
        }
    }
    flush(sh, inc);
}

/// Reads and merges the snapshot `text` in slices, then swaps it in (see the module doc).
/// `t0` is when its body arrived (`feedStats().snapshotMs` is from then to the swap).
async fn take(
    sh: Shared,
    inc: Incidents,
    ticket: Ticket,
    text: String,
    names: IncidentNames,
    t0: f64,
) {
    let mut reading = Slicer::new(256);
    let mut reader = SnapshotReader::new(text, &names);
    while !reading.run("read", |n| reader.step(n)) {
        yield_now().await;
        if !current(&sh, ticket) {
            return drop_taking(&sh, inc);
        }
    }
    let snapshot = match reader.finish() {
        Ok(snapshot) => snapshot,
        Err(error) => {
            drop_taking(&sh, inc);
            let problem = Problem::Unreadable {
                request: Request::Snapshot,
                error,
            };
            run(&sh, inc, Input::SnapshotFailed { ticket, problem });
            return flush(&sh, inc);
        }
    };
    let n = snapshot.incidents.len() + snapshot.rejected.len();
    let cursor = snapshot.cursor.clone();
    let mut merging = Slicer::new(512);
    let Some(mut merge) = sh
        .try_borrow()
        .ok()
        .map(|c| SnapshotMerge::new(&c.store, snapshot))
    else {
        return;
    };
    loop {
        let done = match sh.try_borrow() {
            Ok(c) => merging.run("merge", |n| merge.step(&c.store, n)),
            Err(_) => return,
        };
        if done {
            break;
        }
        yield_now().await;
        if !current(&sh, ticket) {
            return drop_taking(&sh, inc);
        }
    }
    let t_swap = now_ms();
    let old = {
        let Ok(mut c) = sh.try_borrow_mut() else {
            return;
        };
        if !c.machine.is_current(ticket) {
            drop(c);
            return drop_taking(&sh, inc);
        }
        let (store, _) = merge.finish(&c.store);
        let before = c.store.len();
        let old = std::mem::replace(&mut c.store, store);
        c.replaced = (before, c.store.len());
        c.changes.replaced();
        c.history_changes.replaced();
        if let Some(taking) = c.taking.take() {
            for (data, id) in taking.queued {
                apply_event(&mut c, &data, &id);
            }
        }
        c.stats.snapshot_ms = now_ms() - t0;
        c.stats.snapshot_features = n;
        c.stats.snapshots += 1;
        c.stats.snapshot_slices = reading.slices + merging.slices;
        c.stats.snapshot_longest_slice_ms = reading.longest_ms.max(merging.longest_ms);
        c.stats.last_seq = cursor.clone();
        old
    };
    measure("swap", t_swap);
    run(&sh, inc, Input::SnapshotLoaded { ticket, cursor });
    flush(&sh, inc);
    // The replaced store (100k incidents) is freed in a task of its own.
    yield_now().await;
    let t_free = now_ms();
    drop(old);
    measure("free", t_free);
}

fn on_changes(sh: &Shared, inc: Incidents, ticket: Ticket, fetched: Fetched) {
    let input = {
        let Ok(mut c) = sh.try_borrow_mut() else {
            return;
        };
        if !c.machine.is_current(ticket) {
            return;
        }
        let t0 = now_ms();
        if matches!(fetched, Fetched::Body(410, _)) {
            Input::ChangesGone { ticket }
        } else {
            match read_answer(&c.cfg.properties, Request::Changes, fetched) {
                Ok(changes) => {
                    for r in &changes.rejected {
                        c.store.record_error(&r.error);
                    }
                    let n = changes.incidents.len() + changes.rejected.len();
                    // Each feature once, in its state at the answer's cursor: that is its seq
                    // (the store orders live versions by seq, not by the server's clock).
                    let seq = changes.cursor.as_deref().and_then(parse_seq);
                    for incident in changes.incidents {
                        let incident = match seq {
                            Some(seq) => incident.with_seq(seq),
                            None => incident,
                        };
                        let id = incident.id.clone();
                        if c.store.upsert(incident).changed() {
                            c.noted(id);
                        }
                    }
                    if changes.cursor.is_some() {
                        c.stats.last_seq = changes.cursor.clone();
                    }
                    c.stats.events += n as u64;
                    c.stats.ingest_ms += now_ms() - t0;
                    Input::ChangesLoaded {
                        ticket,
                        cursor: changes.cursor,
                    }
                }
                Err(problem) => Input::ChangesFailed { ticket, problem },
            }
        }
    };
    run(sh, inc, input);
    flush(sh, inc);
}

/// Opens the event stream resuming after `cursor` (`?last_event_id=`). The browser would
/// reconnect by itself after an error, sending `Last-Event-ID`; the machine closes it on
/// errors instead and reconnects with its own back-off and silence rules. (web-sys's
/// EventSource, listened to with gloo-events, rather than gloo-net's: gloo-net's
/// `subscribe` is typed for message events, so it cannot report `open`, which starts the
/// machine's per-connection silence clock; it drops the `error` events fired while the browser
/// is reconnecting by itself (`readyState` CONNECTING), which are exactly the ones the machine
/// must see to close the stream and apply its own back-off; and it delivers through an async
/// stream, a task after the event, where the ticket check needs the event's own callback.)
fn open_stream(sh: &Shared, inc: Incidents, ticket: Ticket, cursor: Option<String>) {
    let url = {
        let Ok(mut c) = sh.try_borrow_mut() else {
            return;
        };
        retire(c.source.take());
        match &cursor {
            Some(cursor) => with_query(&c.cfg.stream_url, "last_event_id", cursor),
            None => c.cfg.stream_url.clone(),
        }
    };
    let Ok(es) = EventSource::new(&url) else {
        run(
            sh,
            inc,
            Input::StreamFailed {
                ticket,
                problem: Problem::StreamRefused,
            },
        );
        return;
    };
    let current = move |sh: &Shared| sh.try_borrow().is_ok_and(|c| c.machine.is_current(ticket));
    let mut listeners = Vec::new();
    let mut listen = |name: &'static str, f: Box<dyn FnMut(&web_sys::Event)>| {
        listeners.push(EventListener::new(&es, name, f));
    };
    let simple: [(&str, Input); 3] = [
        ("open", Input::StreamOpened { ticket }),
        ("heartbeat", Input::Heartbeat { ticket }),
        ("reset", Input::Reset { ticket }),
    ];
    for (name, input) in simple {
        let s = sh.clone();
        listen(
            name,
            Box::new(move |_| {
                if current(&s) {
                    run(&s, inc, input.clone());
                }
            }),
        );
    }
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
                    let id = ev.last_event_id();
                    inc.receive(&data, &id);
                    run(
                        &s,
                        inc,
                        Input::Event {
                            ticket,
                            id: Some(id),
                        },
                    );
                }
            }),
        );
    }
    let s = sh.clone();
    listen(
        "error",
        Box::new(move |_| {
            if current(&s) {
                let problem = Problem::StreamLost;
                run(&s, inc, Input::StreamFailed { ticket, problem });
            }
        }),
    );
    if let Ok(mut c) = sh.try_borrow_mut() {
        c.source = Some(Source {
            es,
            _listeners: listeners,
        });
    }
}

/// One SSE event: an incident upsert, or a rejection counted in the diagnostics; queued while a
/// snapshot is taken (applied after it, in order).
fn on_event(sh: &Shared, data: &str, last_event_id: &str) {
    let Ok(mut c) = sh.try_borrow_mut() else {
        return;
    };
    if let Some(taking) = c.taking.as_mut() {
        taking
            .queued
            .push((data.to_string(), last_event_id.to_string()));
        return;
    }
    apply_event(&mut c, data, last_event_id);
}

/// Applies one SSE event to the store.
fn apply_event(c: &mut FeedCore, data: &str, last_event_id: &str) {
    let t0 = now_ms();
    let names = c.cfg.properties.clone();
    match parse_event(data, &names, c.cfg.limits.event_bytes()) {
        Ok(incident) => {
            let incident = match parse_seq(last_event_id) {
                Some(seq) => incident.with_seq(seq),
                None => incident,
            };
            let id = incident.id.clone();
            if c.store.upsert(incident).changed() {
                c.noted(id);
            }
        }
        Err(e) => c.store.record_error(&e),
    }
    if !last_event_id.is_empty() {
        c.stats.last_seq = Some(last_event_id.to_string());
    }
    c.stats.events += 1;
    c.stats.ingest_ms += now_ms() - t0;
}

/// Every second: the machine's check (silent streams, hung requests, the stale flip),
/// retention, the resync notice's age and the fade clock.
fn tick(sh: &Shared, inc: Incidents) {
    let now = wall_ms();
    {
        let Ok(mut c) = sh.try_borrow_mut() else {
            return;
        };
        let retention_ms = (c.cfg.retention_s * 1_000.0) as i64;
        // While a snapshot is merged with the held store, the held store stays as it is.
        if c.taking.is_none() {
            if let Some(t) = Timestamp::from_millis(now as i64) {
                c.store.purge(t, retention_ms);
            }
            if c.store.len() > MAX_CLOSED {
                c.store.cap_closed(MAX_CLOSED);
            }
        }
        if c.notice.as_ref().is_some_and(|n| now - n.at > NOTICE_MS) {
            c.notice = None;
        }
    }
    run(sh, inc, Input::Tick);
    let step = clock_step(now);
    if inc.clock.try_get_untracked() != Some(step) {
        inc.clock.try_set(step);
    }
    flush(sh, inc);
}

/// Pushes the store's state into the signals, at most every [`FLUSH_MS`].
fn flush(sh: &Shared, inc: Incidents) {
    let now = now_ms();
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
    let view = c.view.clone();
    let notice = c.notice.clone();
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
    if inc.notice.try_with_untracked(|n| *n != notice) == Some(true) {
        inc.notice.try_set(notice);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The changed-ids list is capped (issue 15, item 6): past [`MAX_CHANGED_IDS`] ids since
    /// the geofencing last looked, it is dropped and counts as a resync (look at everything).
    #[test]
    fn changed_ids_are_capped_by_a_resync() {
        let mut c = Changes::default();
        for i in 0..MAX_CHANGED_IDS {
            c.note(format!("inc-{i}"));
        }
        assert_eq!(c.ids.len(), MAX_CHANGED_IDS);
        assert!(!c.resync);
        c.note("one-more".to_string());
        assert!(c.resync);
        assert!(c.ids.is_empty(), "the ids are freed");
        c.note("after".to_string());
        assert!(c.ids.is_empty(), "a pending resync takes no ids");
    }
}
