//! Offline in the page (issue 14 item 3, floor 1): the service worker's registration, the
//! device's storage (persistence asked, size shown, a full or refused quota said) and the last
//! good picture: the feed's incidents kept in Cache Storage and shown, marked offline with its
//! age, when the page opens with no network.
//!
//! Units: times are wall-clock ms since the Unix epoch (`env::wall_ms`) or `Timestamp`s;
//! sizes are bytes. The decisions are the core's (`core::incident::picture`: the picture's
//! text, [`SavePolicy`] for when to write it, [`shown`] for which picture the page shows); this
//! module performs them. The service worker itself is `assets/sw.js` (static JS, its build's
//! version stamped by `scripts/sw-build.mjs`); it never answers `/api/` requests, so the live
//! feed is never served from a cache: the picture reaches the store only through
//! [`Incidents::show_stored`], before any live snapshot, and its banner says so.
//!
//! The picture lives in its own cache ([`PICTURE_CACHE`], key [`PICTURE_KEY`], a non-API URL
//! relative to the page), which the service worker's version changes never delete. Its cap and
//! rate are the core's (`MAX_PICTURE_INCIDENTS`, `SAVE_GAP_MS`, `SAVE_REFRESH_MS`; ARCHITECTURE
//! "What grows, and its cap").

use js_sys::{Promise, Reflect};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::core::feed::FeedStatus;
use crate::core::incident::picture::{
    PictureText, SavePolicy, Shown, StoredPicture, chosen, read_picture, shown,
};
use crate::core::incident::{IncidentNames, Timestamp};
use crate::env::{js_error_text, wall_ms};
use crate::feed::Incidents;

/// The cache holding the last good picture (never a `calais-shell-*` cache of the worker).
pub const PICTURE_CACHE: &str = "calais-picture";
/// The picture's key in it, relative to the page (not under `api/`).
pub const PICTURE_KEY: &str = "calais-last-picture.json";
/// Incidents written into the picture's text per slice (about 5 ms each in the page).
const PICTURE_SLICE: usize = 1_000;
/// The entry's header holding the picture's time (RFC 3339), written with its text as one.
pub const AS_OF_HEADER: &str = "x-calais-as-of";
/// The service worker's file, relative to the page (its scope is the app's folder).
pub const WORKER_URL: &str = "sw.js";

/// Whether the page's requests can be answered with no network.
#[derive(Clone, Debug, PartialEq)]
pub enum Worker {
    /// Not asked yet.
    Pending,
    /// Registered (it installs in the background; the next load is served by it).
    Registered,
    /// Not a secure context (http other than localhost) or no service workers in this browser.
    Unsupported,
    /// The registration was refused (the browser's text).
    Failed(String),
}

impl Worker {
    /// `data-worker`: "pending", "registered", "unsupported", "failed".
    pub fn key(&self) -> &'static str {
        match self {
            Worker::Pending => "pending",
            Worker::Registered => "registered",
            Worker::Unsupported => "unsupported",
            Worker::Failed(_) => "failed",
        }
    }
}

/// Whether the browser keeps the device's store under storage pressure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Persistence {
    Pending,
    Granted,
    /// `navigator.storage.persist()` answered no: the browser may clear the store.
    Refused,
    /// No `navigator.storage` (or no `persist`).
    Unsupported,
}

impl Persistence {
    /// `data-persist`: "pending", "granted", "refused", "unsupported".
    pub fn key(self) -> &'static str {
        match self {
            Persistence::Pending => "pending",
            Persistence::Granted => "granted",
            Persistence::Refused => "refused",
            Persistence::Unsupported => "unsupported",
        }
    }
}

/// Why the picture could not be kept or read.
#[derive(Clone, Debug, PartialEq)]
pub enum StoreProblem {
    /// `QuotaExceededError` on writing: the device's quota for the app is full.
    Full,
    /// Cache Storage refused the write or the opening (the browser's text).
    Refused(String),
    /// The stored picture could not be read back (damaged, another format): not shown.
    Unreadable,
}

impl StoreProblem {
    /// `data-problem`: "full", "refused", "unreadable".
    pub fn key(&self) -> &'static str {
        match self {
            StoreProblem::Full => "full",
            StoreProblem::Refused(_) => "refused",
            StoreProblem::Unreadable => "unreadable",
        }
    }
}

/// The device's store as the status line shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct StoreState {
    pub worker: Worker,
    pub persistence: Persistence,
    /// `navigator.storage.estimate()`: bytes used by this origin and its quota.
    pub usage: Option<f64>,
    pub quota: Option<f64>,
    /// The last write or read problem, until a write succeeds.
    pub problem: Option<StoreProblem>,
    /// When the last picture was written (wall-clock ms of its `as_of`).
    pub saved_as_of: Option<f64>,
}

/// The offline handles the panels read. `Copy`.
#[derive(Clone, Copy)]
pub struct Offline {
    /// The stored picture's time while it is what the map shows (no live snapshot yet).
    pub picture: RwSignal<Option<Timestamp>>,
    pub store: RwSignal<StoreState>,
    /// A newer version of the app took over the page's files while it runs (the service
    /// worker of a new build installed and activated): a reload shows it.
    pub update_ready: RwSignal<bool>,
}

impl Default for Offline {
    fn default() -> Self {
        Offline::new()
    }
}

impl Offline {
    pub fn new() -> Offline {
        Offline {
            picture: RwSignal::new(None),
            store: RwSignal::new(StoreState {
                worker: Worker::Pending,
                persistence: Persistence::Pending,
                usage: None,
                quota: None,
                problem: None,
                saved_as_of: None,
            }),
            update_ready: RwSignal::new(false),
        }
    }

    /// Starts it all once the feed is started with `names` (the config's property names):
    /// registers the worker, asks for persistence, reads the stored picture (shown only if the
    /// feed fails before a live snapshot) and keeps the picture as the feed delivers.
    pub fn start(self, feed: Incidents, names: IncidentNames) {
        let secure = web_sys::window().is_some_and(|w| w.is_secure_context());
        register(self, secure);
        wasm_bindgen_futures::spawn_local(async move {
            let persistence = persist().await;
            self.store.update(|s| s.persistence = persistence);
            self.estimate().await;
        });
        // The stored picture, read once; shown when the decision says so.
        let stored = RwSignal::new(None::<StoredPicture>);
        let n = names.clone();
        wasm_bindgen_futures::spawn_local(async move {
            match read_entry().await {
                Ok(Some((text, as_of))) => match read_picture(&text, &as_of, &n) {
                    Ok(p) => {
                        stored.try_set(Some(p));
                    }
                    Err(_) => self.problem(Some(StoreProblem::Unreadable)),
                },
                Ok(None) => {}
                Err(p) => self.problem(Some(p)),
            }
        });
        // One effect (each costs ~5 KB of wasm): on the feed's status, version and 5 s clock,
        // which picture the map shows, and whether to keep the live one (the core's rate).
        let mut policy = SavePolicy::default();
        Effect::new(move |_| {
            feed.clock.track();
            let status = feed.status.with(|v| v.status);
            let version = feed.version.get();
            let _m = crate::env::Measured::start("offline");
            let live = feed.stats().map_or(0, |(s, _)| s.snapshots);
            let failed = !matches!(status, FeedStatus::Connecting | FeedStatus::Live { .. });
            let as_of = stored.with(|p| p.as_ref().map(|p| p.as_of));
            match shown(live, failed, as_of) {
                Shown::Stored { as_of } if self.picture.get_untracked().is_none() => {
                    if let Some(p) = stored.try_update(Option::take).flatten()
                        && feed.show_stored(p.snapshot)
                    {
                        self.picture.set(Some(as_of));
                    }
                }
                Shown::Live if self.picture.get_untracked().is_some() => self.picture.set(None),
                _ => {}
            }
            let last = status.last();
            let is_live = matches!(status, FeedStatus::Live { .. });
            if !policy.due(wall_ms(), version, is_live, last) {
                return;
            }
            let Some(as_of) = Timestamp::from_millis(last.unwrap_or_else(wall_ms) as i64) else {
                return;
            };
            // The incidents it keeps (up to 20,000, copied: the store may change meanwhile),
            // then their text a slice at a time (issue 15 item 4: written at once, the
            // picture of a 100k snapshot blocked the page for 150–190 ms).
            let names = names.clone();
            wasm_bindgen_futures::spawn_local(async move {
                crate::env::yield_now().await;
                let Some(incidents) = feed.with_store(|s| {
                    let _m = crate::env::Measured::start("picture-choose");
                    chosen(s).into_iter().cloned().collect::<Vec<_>>()
                }) else {
                    return;
                };
                let mut text = PictureText::new();
                for slice in incidents.chunks(PICTURE_SLICE) {
                    crate::env::yield_now().await;
                    let _m = crate::env::Measured::start("picture");
                    for i in slice {
                        text.push(i, &names);
                    }
                }
                let text = text.finish();
                match write_entry(&text, &as_of.to_rfc3339()).await {
                    Ok(()) => {
                        self.store.update(|s| {
                            s.problem = None;
                            s.saved_as_of = Some(as_of.millis() as f64);
                        });
                        self.estimate().await;
                    }
                    Err(p) => self.problem(Some(p)),
                }
            });
        });
    }

    fn problem(self, problem: Option<StoreProblem>) {
        self.store.try_update(|s| s.problem = problem);
    }

    /// Reads `navigator.storage.estimate()` into the state (nothing without it).
    async fn estimate(self) {
        let Some(p) = storage().and_then(|s| s.estimate().ok()) else {
            return;
        };
        if let Ok(e) = JsFuture::from(p).await {
            let num = |k: &str| Reflect::get(&e, &k.into()).ok().and_then(|v| v.as_f64());
            self.store.try_update(|s| {
                s.usage = num("usage");
                s.quota = num("quota");
            });
        }
    }
}

fn storage() -> Option<web_sys::StorageManager> {
    let nav = web_sys::window()?.navigator();
    // Absent in insecure contexts: `navigator.storage` is then undefined.
    Reflect::get(&nav, &"storage".into())
        .ok()
        .filter(|v| !v.is_undefined())?;
    Some(nav.storage())
}

/// `navigator.storage.persist()`: granted, refused, or not offered.
async fn persist() -> Persistence {
    let Some(p) = storage().and_then(|s| s.persist().ok()) else {
        return Persistence::Unsupported;
    };
    match JsFuture::from(p).await.map(|v| v.as_bool()) {
        Ok(Some(true)) => Persistence::Granted,
        Ok(Some(false)) => Persistence::Refused,
        _ => Persistence::Unsupported,
    }
}

/// Registers [`WORKER_URL`] in a secure context (localhost counts) that has service workers.
fn register(off: Offline, secure: bool) {
    let container = web_sys::window()
        .map(|w| w.navigator())
        .filter(|n| secure && Reflect::has(n, &"serviceWorker".into()).unwrap_or(false))
        .map(|n| n.service_worker());
    let Some(container) = container else {
        off.store.update(|s| s.worker = Worker::Unsupported);
        return;
    };
    watch_updates(off, &container);
    let promise = container.register(WORKER_URL);
    wasm_bindgen_futures::spawn_local(async move {
        let worker = match JsFuture::from(promise).await {
            Ok(reg) => {
                if let Ok(reg) = reg.dyn_into::<web_sys::ServiceWorkerRegistration>() {
                    check_for_updates(reg);
                }
                Worker::Registered
            }
            Err(e) => Worker::Failed(js_error_text(&e)),
        };
        off.store.try_update(|s| s.worker = worker);
    });
}

/// How often a running page asks whether a new version of the app was published, ms (also
/// when the network comes back and when the page is shown again).
pub const UPDATE_CHECK_MS: u32 = 30 * 60 * 1000;

/// A new build's worker takes over at once (`skipWaiting`, `clients.claim` in assets/sw.js):
/// the container's controller changes. The first change of a page that had no controller is the
/// first install, not an update; any later change is a new version ([`Offline::update_ready`]).
/// The listener lives as long as the page.
fn watch_updates(off: Offline, container: &web_sys::ServiceWorkerContainer) {
    let controlled = std::cell::Cell::new(container.controller().is_some());
    gloo_events::EventListener::new(container, "controllerchange", move |_| {
        if controlled.replace(true) {
            off.update_ready.try_set(true);
        }
    })
    .forget();
}

/// Asks the browser to fetch the worker's file again (`registration.update()`, which installs
/// a new version if it changed) every [`UPDATE_CHECK_MS`], when the network comes back and
/// when the page is shown again; each listener lives as long as the page. A failed check (no
/// network) is the browser's to retry at the next one.
fn check_for_updates(reg: web_sys::ServiceWorkerRegistration) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let check = move || {
        if let Ok(p) = reg.update() {
            wasm_bindgen_futures::spawn_local(async move {
                let _ = JsFuture::from(p).await;
            });
        }
    };
    let (online, shown, timer) = (check.clone(), check.clone(), check);
    gloo_events::EventListener::new(&window, "online", move |_| online()).forget();
    if let Some(doc) = window.document() {
        let d = doc.clone();
        gloo_events::EventListener::new(&doc, "visibilitychange", move |_| {
            if !d.hidden() {
                shown();
            }
        })
        .forget();
    }
    gloo_timers::callback::Interval::new(UPDATE_CHECK_MS, timer).forget();
}

async fn await_promise(p: Result<Promise, JsValue>) -> Result<JsValue, JsValue> {
    JsFuture::from(p?).await
}

/// The picture cache, or why it cannot be opened.
async fn picture_cache() -> Result<web_sys::Cache, StoreProblem> {
    let refused = |e: JsValue| StoreProblem::Refused(js_error_text(&e));
    let caches = web_sys::window()
        .ok_or_else(|| StoreProblem::Refused(String::new()))?
        .caches()
        .map_err(refused)?;
    let cache = await_promise(Ok(caches.open(PICTURE_CACHE)))
        .await
        .map_err(refused)?;
    cache.dyn_into().map_err(refused)
}

/// The stored picture's text and time (`None`: nothing stored yet).
async fn read_entry() -> Result<Option<(String, String)>, StoreProblem> {
    let cache = picture_cache().await?;
    let hit = await_promise(Ok(cache.match_with_str(PICTURE_KEY)))
        .await
        .map_err(|e| StoreProblem::Refused(js_error_text(&e)))?;
    let Ok(response) = hit.dyn_into::<web_sys::Response>() else {
        return Ok(None);
    };
    let as_of = response.headers().get(AS_OF_HEADER).ok().flatten();
    let text = await_promise(response.text()).await.ok();
    match (text.and_then(|t| t.as_string()), as_of) {
        (Some(text), Some(as_of)) => Ok(Some((text, as_of))),
        _ => Err(StoreProblem::Unreadable),
    }
}

/// Writes the picture's text with its time (one `put`: the old picture stays until the new one
/// is whole).
async fn write_entry(text: &str, as_of: &str) -> Result<(), StoreProblem> {
    let cache = picture_cache().await?;
    let refused = |e: JsValue| StoreProblem::Refused(js_error_text(&e));
    let headers = web_sys::Headers::new().map_err(refused)?;
    headers.set(AS_OF_HEADER, as_of).map_err(refused)?;
    let init = web_sys::ResponseInit::new();
    init.set_headers(&headers);
    // As bytes: one copy of the UTF-8 into the response, where a `&str` was decoded into a
    // JS string and encoded again (for a 100k snapshot's picture, 61 ms in one task).
    let _m = crate::env::Measured::start("picture-write");
    let body = js_sys::Uint8Array::from(text.as_bytes());
    let response = web_sys::Response::new_with_opt_buffer_source_and_init(Some(&body), &init)
        .map_err(refused)?;
    drop(_m);
    match await_promise(Ok(cache.put_with_str(PICTURE_KEY, &response))).await {
        Ok(_) => Ok(()),
        Err(e) => {
            let name = Reflect::get(&e, &"name".into())
                .ok()
                .and_then(|n| n.as_string());
            Err(match name.as_deref() {
                Some("QuotaExceededError") => StoreProblem::Full,
                _ => refused(e),
            })
        }
    }
}
