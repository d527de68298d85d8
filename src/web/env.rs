//! The browser environment the shell reads and the few things it asks of the browser:
//! clocks, the time zone, the wall clocks of named zones, the window's size, the page's query
//! parameters, local storage, animation frames, one-shot timers and file downloads.
//!
//! Floor 0 of the shell: imports only the core and the browser crates, so any module may use
//! it (ARCHITECTURE.md, "no import cycles among src/web modules").
//!
//! Units: [`now_ms`] is ms since the page started (`performance.now()`, monotonic: use it for
//! durations); [`wall_ms`] is ms since the Unix epoch (`Date.now()`, the wall clock, which may
//! jump); [`local_offset_min`] is minutes east of UTC in the browser's time zone at an instant;
//! [`window_size`] is CSS px and the device pixel ratio. Without a window (natively, in unit
//! tests) each helper returns its documented fallback instead of failing.

use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::Closure;

/// Monotonic ms since the page started (`performance.now()`); 0 without a window.
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Longest time (ms) sliced work goes on without a frame having run: past it [`yield_now`]
/// waits for the next frame. One frame at 60 Hz and a slice of slack.
pub const FRAME_GAP_MS: f64 = 24.0;

/// How long (ms) [`yield_now`] waits for a frame at most (one `setTimeout` of this length
/// stands in for a frame that does not come). A hidden page runs no frames and throttles its
/// timers to one a second or less, so there it does not wait for frames at all.
const FRAME_WAIT_MAX_MS: i32 = 50;

thread_local! {
    /// When a frame last ran that [`yield_now`] waited for (`now_ms`).
    static FRAME_SEEN: std::cell::Cell<f64> = const { std::cell::Cell::new(f64::NEG_INFINITY) };
}

/// Gives the browser the main thread until it has run what is due (input, a frame), then
/// resumes. Long work is cut into slices with this between them (issue 15 item 4: no task over
/// 50 ms).
///
/// Two waits: the browser's task yield, `scheduler.yield()` where it has it (its continuation
/// goes before other tasks) else a zero-delay timer; and, when no frame has run for
/// [`FRAME_GAP_MS`] and the page is visible, first the next animation frame (or
/// [`FRAME_WAIT_MAX_MS`]). The frame wait is needed: Chromium runs `scheduler.yield()` continuations ahead of
/// rendering, so slices that only yield to tasks drew about one frame in 100 ms while a
/// snapshot was taken (tests/e2e/sliced-snapshot.test.mjs counts the frames).
pub async fn yield_now() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let hidden = window.document().is_some_and(|d| d.hidden());
    if !hidden && now_ms() - FRAME_SEEN.get() >= FRAME_GAP_MS {
        let frame = js_sys::Promise::new(&mut |resolve, _| {
            let _ = window.request_animation_frame(&resolve);
            let _ = window
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, FRAME_WAIT_MAX_MS);
        });
        let _ = wasm_bindgen_futures::JsFuture::from(frame).await;
        FRAME_SEEN.set(now_ms());
    }
    // After a frame's callbacks this lets its paint go first.
    let scheduler = js_sys::Reflect::get(&window, &JsValue::from_str("scheduler"))
        .ok()
        .filter(|s| s.is_object());
    let promise = scheduler.and_then(|s| {
        let f = js_sys::Reflect::get(&s, &JsValue::from_str("yield")).ok()?;
        let f: &js_sys::Function = f.dyn_ref()?;
        f.call0(&s).ok()?.dyn_into::<js_sys::Promise>().ok()
    });
    match promise {
        Some(p) => {
            let _ = wasm_bindgen_futures::JsFuture::from(p).await;
        }
        None => gloo_timers::future::TimeoutFuture::new(0).await,
    }
}

/// A `calais:NAME` performance measure from `start_ms` (`now_ms`) to now, in benchmark builds
/// only (`bench/blocks.mjs` names the long tasks by them; user timing entries are kept by the
/// browser until cleared, so a normal build records none).
pub fn measure(name: &str, start_ms: f64) {
    #[cfg(feature = "bench")]
    {
        let Some(perf) = web_sys::window().and_then(|w| w.performance()) else {
            return;
        };
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"start".into(), &start_ms.into());
        let _ = js_sys::Reflect::set(&options, &"end".into(), &perf.now().into());
        if let Ok(f) = js_sys::Reflect::get(&perf, &"measure".into())
            && let Some(f) = f.dyn_ref::<js_sys::Function>()
        {
            let _ = f.call2(&perf, &format!("calais:{name}").into(), &options);
        }
    }
    #[cfg(not(feature = "bench"))]
    let _ = (name, start_ms);
}

/// A [`measure`] from its making to its drop: `let _m = Measured::start("list");`. The clock
/// is read only in benchmark builds, where the measure is recorded: a normal build's frame
/// (which makes one per layer) pays nothing for it.
pub struct Measured(&'static str, f64);

impl Measured {
    pub fn start(name: &'static str) -> Measured {
        #[cfg(feature = "bench")]
        let start = now_ms();
        #[cfg(not(feature = "bench"))]
        let start = 0.0;
        Measured(name, start)
    }
}

impl Drop for Measured {
    fn drop(&mut self) {
        measure(self.0, self.1);
    }
}

/// Wall-clock ms since the Unix epoch (`Date.now()`).
pub fn wall_ms() -> f64 {
    js_sys::Date::now()
}

/// Minutes east of UTC in the browser's time zone at `ms` (ms since the Unix epoch), looked up
/// per instant so summer time is right.
pub fn local_offset_min(ms: i64) -> i32 {
    let d = js_sys::Date::new(&JsValue::from_f64(ms as f64));
    -(d.get_timezone_offset().round() as i32)
}

/// The window's CSS size and device pixel ratio (800 × 600 at 1 without a window).
pub fn window_size() -> (f64, f64, f64) {
    let Some(w) = web_sys::window() else {
        return (800.0, 600.0, 1.0);
    };
    let num = |v: Result<JsValue, _>| v.ok().and_then(|v| v.as_f64());
    (
        num(w.inner_width()).unwrap_or(800.0),
        num(w.inner_height()).unwrap_or(600.0),
        w.device_pixel_ratio(),
    )
}

/// The media query of a tablet in the field (issue 14 item 1): a coarse pointer (a finger)
/// on a screen 768 to 1366 CSS px wide, in either orientation.
pub const TABLET_MEDIA: &str = "(pointer: coarse) and (min-width: 768px) and (max-width: 1366px)";

/// Has the user asked the system for reduced motion (`prefers-reduced-motion: reduce`)?
/// Flights then jump; CSS animations stop by the same media query in style.css.
pub fn reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| {
            w.match_media("(prefers-reduced-motion: reduce)")
                .ok()
                .flatten()
        })
        .is_some_and(|m| m.matches())
}

/// Does the browser say this is a touch tablet ([`TABLET_MEDIA`])? False without a window.
pub fn is_touch_tablet() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media(TABLET_MEDIA).ok().flatten())
        .is_some_and(|m| m.matches())
}

/// Calls `f` with whether the media query `query` matches each time that changes (a rotation,
/// a resize, a pointer plugged in); the listener is removed when the returned value is
/// dropped. `None` without a window or when the browser refuses the query.
pub fn media_listener(
    query: &str,
    mut f: impl FnMut(bool) + 'static,
) -> Option<gloo_events::EventListener> {
    let list = web_sys::window()?.match_media(query).ok().flatten()?;
    let target = list.clone();
    Some(gloo_events::EventListener::new(
        &target,
        "change",
        move |_| f(list.matches()),
    ))
}

/// The boxes over the map (`[data-map-reserved]` elements with a size), as `[x, y, w, h]`
/// CSS px of the viewport divided by the map's scale `k` (into the view's CSS px): labels
/// keep off them, and on a tablet a fly-to centres in what they leave.
pub fn reserved_areas(k: f64) -> Vec<[f64; 4]> {
    let Some(list) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector_all("[data-map-reserved]").ok())
    else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
        .map(|e| {
            let r = e.get_bounding_client_rect();
            [r.x() / k, r.y() / k, r.width() / k, r.height() / k]
        })
        .filter(|r| r[2] > 0.0 && r[3] > 0.0)
        .collect()
}

/// Runs `f` before the browser's next repaint (`requestAnimationFrame`); never without a window.
pub fn on_animation_frame(f: impl FnOnce() + 'static) {
    let cb = Closure::once_into_js(f);
    if let Some(w) = web_sys::window() {
        let _ = w.request_animation_frame(cb.unchecked_ref());
    }
}

/// Runs `f` once after `ms` milliseconds (`setTimeout`); never without a window. The closure
/// frees itself when it has run (`Closure::once_into_js`): a timer re-armed every 100 ms for
/// weeks leaks nothing, where gloo's `Timeout::forget` would leak one closure per timer.
pub fn after_ms(ms: u32, f: impl FnOnce() + 'static) {
    let cb = Closure::once_into_js(f);
    if let Some(w) = web_sys::window() {
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(
            cb.unchecked_ref(),
            i32::try_from(ms).unwrap_or(i32::MAX),
        );
    }
}

/// The value of `name` in the page's query string (`?a=b&c`), decoded by the browser's
/// `URLSearchParams` (`%XX` and `+`); the first one when repeated; a name without `=` reads as
/// empty. `None` without a window or without the parameter.
pub fn query_param(name: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search)
        .ok()?
        .get(name)
}

/// A city of the video wall's clocks (`strings::labels::city` names it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum City {
    London,
    Paris,
}

/// The video wall's two clocks, in its order: (city, IANA time zone).
pub const WALL_CLOCKS: [(City, &str); 2] = [
    (City::London, "Europe/London"),
    (City::Paris, "Europe/Paris"),
];

/// `ms` (ms since the Unix epoch) formatted by the browser's `Intl.DateTimeFormat` for
/// `locale` with the options `fields` (e.g. `("timeZone", "Europe/Paris")`); `None` if the
/// browser refuses them (an unknown zone throws a RangeError, which js-sys's constructor does
/// not catch, so the constructor is called through `Reflect`).
fn intl_format(ms: f64, locale: &str, fields: &[(&str, &str)]) -> Option<String> {
    let opts = js_sys::Object::new();
    for (k, v) in fields {
        js_sys::Reflect::set(&opts, &(*k).into(), &(*v).into()).ok()?;
    }
    let locales = js_sys::Array::of1(&locale.into());
    let intl = js_sys::Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
    let ctor = js_sys::Reflect::get(&intl, &"DateTimeFormat".into()).ok()?;
    let ctor: js_sys::Function = ctor.dyn_into().ok()?;
    let args = js_sys::Array::of2(&locales, &opts);
    let fmt = js_sys::Reflect::construct(&ctor, &args).ok()?;
    let fmt: js_sys::Intl::DateTimeFormat = fmt.dyn_into().ok()?;
    let date = js_sys::Date::new(&JsValue::from_f64(ms));
    fmt.format().call1(&JsValue::NULL, &date).ok()?.as_string()
}

/// Wall-clock `HH:MM` (24 h) in the IANA time zone `zone` at `ms` (ms since the Unix epoch),
/// by the browser's `Intl.DateTimeFormat` and its time-zone data; `None` if the browser does
/// not know the zone. (Chosen on bundle cost over jiff's POSIX rules, 12 KB gzip, or its
/// bundled tz database, 128 KB: `core::time`'s module doc.)
pub fn zone_clock(ms: f64, zone: &str) -> Option<String> {
    intl_format(
        ms,
        "en-GB",
        &[
            ("timeZone", zone),
            ("hour", "2-digit"),
            ("minute", "2-digit"),
            ("hourCycle", "h23"),
        ],
    )
}

/// `ms` in the IANA time zone `zone`, 24 h, as day and time (weekday, day, month, hour,
/// minute) plus the `extra` fields, in the language `locale`.
fn zone_format(ms: f64, zone: &str, locale: &str, extra: &[(&str, &str)]) -> Option<String> {
    let mut fields = vec![
        ("timeZone", zone),
        ("weekday", "short"),
        ("day", "numeric"),
        ("month", "short"),
        ("hour", "2-digit"),
        ("minute", "2-digit"),
        ("hourCycle", "h23"),
    ];
    fields.extend_from_slice(extra);
    intl_format(ms, locale, &fields)
}

/// Day and time in the IANA time zone `zone` at `ms` in the language `locale` ("en-GB":
/// `Sat 28 Nov, 14:00`; "fr-FR": `sam. 28 nov., 15:00`); `None` if the browser does not know
/// the zone.
pub fn zone_day_time(ms: f64, zone: &str, locale: &str) -> Option<String> {
    zone_format(ms, zone, locale, &[])
}

/// Date and time to the second in the IANA time zone `zone` at `ms`, with the zone's short
/// name, in the language `locale` ("en-GB": `Sat 5 Dec 2026, 20:17:43 GMT`; "fr-FR":
/// `sam. 5 déc. 2026, 21:17:43 UTC+1`); `None` if the browser does not know the zone.
pub fn zone_date_time(ms: f64, zone: &str, locale: &str) -> Option<String> {
    zone_format(
        ms,
        zone,
        locale,
        &[
            ("year", "numeric"),
            ("second", "2-digit"),
            ("timeZoneName", "short"),
        ],
    )
}

/// Wall-clock `HH:MM:SS` (24 h) in the IANA time zone `zone` at `ms`; `None` if the browser
/// does not know the zone.
pub fn zone_clock_s(ms: f64, zone: &str) -> Option<String> {
    intl_format(
        ms,
        "en-GB",
        &[
            ("timeZone", zone),
            ("hour", "2-digit"),
            ("minute", "2-digit"),
            ("second", "2-digit"),
            ("hourCycle", "h23"),
        ],
    )
}

/// The offset of the IANA time zone `zone` at `ms`, as the browser names it (`GMT`,
/// `GMT+01:00`: `Intl`'s `longOffset`, read by `core::export::parse_gmt_offset`); `None` if the
/// browser does not know the zone.
pub fn zone_offset_name(ms: f64, zone: &str) -> Option<String> {
    let text = intl_format(
        ms,
        "en-GB",
        &[("timeZone", zone), ("timeZoneName", "longOffset")],
    )?;
    // "05/12/2026, GMT+01:00": the name is the last word.
    text.rsplit(' ').next().map(str::to_string)
}

/// The text of a `datetime-local` input (`YYYY-MM-DDTHH:MM`, the browser's time zone) for
/// `ms` since the Unix epoch.
pub fn local_input_text(ms: i64) -> String {
    let d = js_sys::Date::new(&JsValue::from_f64(ms as f64));
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    )
}

/// Ms since the Unix epoch of a `datetime-local` input's text (the browser's time zone, the
/// browser's own parser: a date-time without an offset is local time); `None` for an empty or
/// unreadable text.
pub fn parse_local_input(text: &str) -> Option<i64> {
    let t = text.trim();
    if t.len() < 16 || !t.contains('T') {
        return None;
    }
    let ms = js_sys::Date::new(&JsValue::from_str(t)).get_time();
    ms.is_finite().then_some(ms as i64)
}

/// This device's IANA time zone ("Europe/Paris"), as the browser's `Intl` resolves it; `None`
/// without one. Local clock texts (`widgets::clock`) are in this zone.
pub fn device_zone() -> Option<String> {
    thread_local! {
        static ZONE: std::cell::OnceCell<Option<String>> = const { std::cell::OnceCell::new() };
    }
    ZONE.with(|z| z.get_or_init(resolve_device_zone).clone())
}

fn resolve_device_zone() -> Option<String> {
    let opts = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new())
        .resolved_options();
    js_sys::Reflect::get(&opts, &"timeZone".into())
        .ok()?
        .as_string()
}

/// The video wall's clocks at `ms`: each city and its `HH:MM` (`--:--` where the browser lacks
/// the zone).
pub fn wall_clocks(ms: f64) -> [(City, String); 2] {
    WALL_CLOCKS.map(|(city, zone)| {
        let hm = zone_clock(ms, zone).unwrap_or_else(|| "--:--".to_string());
        (city, hm)
    })
}

/// A thrown JS value as text: `Name: message` for an `Error`, the string itself, or
/// "unknown error" (a browser detail, shown inside a worded sentence).
pub fn js_error_text(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| {
            let name = String::from(e.name());
            let msg = String::from(e.message());
            if msg.is_empty() {
                name
            } else {
                format!("{name}: {msg}")
            }
        })
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".to_string())
}

/// Why the map's canvas cannot be drawn on (`strings::problems::canvas_error` words it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CanvasError {
    /// `getContext("2d")` threw.
    Refused,
    /// The browser has no 2D canvas context.
    NoContext,
    /// `getContext("2d")` returned something else.
    WrongType,
    /// No canvas element could be created for an offscreen bitmap.
    NoOffscreen,
}

/// Why the browser's local storage could not be used (`strings::messages::storage_error`
/// words it); `String`s are the browser's description ([`js_error_text`]).
#[derive(Clone, Debug, PartialEq)]
pub enum StorageError {
    NoWindow,
    /// The browser has no `localStorage`.
    NoStorage,
    /// `localStorage` threw (private mode, disabled).
    Unavailable(String),
    /// Reading a key threw.
    Unreadable(String),
    /// Writing was refused (storage full, private mode).
    Refused(String),
}

/// The browser's `localStorage`, or why there is none (private mode, disabled, no window).
///
/// web-sys's `Storage` rather than gloo-storage: `gloo_storage::LocalStorage` throws (a panic
/// in wasm) when the browser has no storage or refuses it, where the zone editor must say so
/// and go on, and it stores serde-JSON values, so it could neither keep the zones file text as
/// docs/zones.md defines it nor hand back damaged text to be kept under `.corrupt`.
pub fn local_storage() -> Result<web_sys::Storage, StorageError> {
    let w = web_sys::window().ok_or(StorageError::NoWindow)?;
    match w.local_storage() {
        Ok(Some(s)) => Ok(s),
        Ok(None) => Err(StorageError::NoStorage),
        Err(e) => Err(StorageError::Unavailable(js_error_text(&e))),
    }
}

/// The step of a download the browser refused (`strings::messages::download_error` words it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DownloadStep {
    Blob,
    ObjectUrl,
    Document,
    Link,
}

/// A download the browser refused: the file's name and the step.
#[derive(Clone, Debug, PartialEq)]
pub struct DownloadError {
    pub file: String,
    pub step: DownloadStep,
}

/// Offers `text` as a file download named `name` (a Blob URL on a temporary link), or the
/// step the browser refused.
pub fn download(name: &str, mime: &str, text: &str) -> Result<(), DownloadError> {
    download_part(name, mime, &JsValue::from_str(text))
}

/// Offers `bytes` as a file download named `name` (an exported picture), as [`download`].
pub fn download_bytes(name: &str, mime: &str, bytes: &[u8]) -> Result<(), DownloadError> {
    download_part(name, mime, &js_sys::Uint8Array::from(bytes))
}

fn download_part(name: &str, mime: &str, part: &JsValue) -> Result<(), DownloadError> {
    let fail = |step: DownloadStep| DownloadError {
        file: name.to_string(),
        step,
    };
    let parts = js_sys::Array::of1(part);
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_buffer_source_sequence_and_options(&parts, &opts)
        .map_err(|_| fail(DownloadStep::Blob))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| fail(DownloadStep::ObjectUrl))?;
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| fail(DownloadStep::Document))?;
    let a: web_sys::HtmlAnchorElement = doc
        .create_element("a")
        .map_err(|_| fail(DownloadStep::Link))?
        .dyn_into()
        .map_err(|_| fail(DownloadStep::Link))?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}
