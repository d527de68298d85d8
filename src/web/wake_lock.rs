//! The screen wake lock of the video wall (floor 0; issue 13 item 5): asks
//! `navigator.wakeLock.request('screen')` where the browser offers it, and asks again whenever
//! the page becomes visible (`visibilitychange`: the browser drops the lock of a hidden page) and
//! whenever the browser releases the lock (its `release` event) while the page is visible.
//!
//! No units. Through `Reflect`: web-sys's `WakeLock` needs its unstable APIs (a `--cfg` for the
//! whole build). The state goes to the caller as a [`WakeLock`] (the wall root's
//! `data-wake-lock`; `strings::wall` words the status bar's note when it is not held).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_events::EventListener;
use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The wake lock's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WakeLock {
    /// Held: the screen stays on.
    Held,
    /// Released by the browser (a hidden page); asked again when the page is visible.
    Released,
    /// The browser has no `navigator.wakeLock`.
    Unsupported,
    /// The browser refused the request (asked again at the next visibility change).
    Refused,
}

impl WakeLock {
    /// `held`, `released`, `unsupported`, `refused` (`data-wake-lock`).
    pub fn key(self) -> &'static str {
        match self {
            WakeLock::Held => "held",
            WakeLock::Released => "released",
            WakeLock::Unsupported => "unsupported",
            WakeLock::Refused => "refused",
        }
    }
}

/// The keeper: whether a lock is held or asked for, and the listener of the held lock.
struct Keeper {
    busy: Cell<bool>,
    on_release: RefCell<Option<EventListener>>,
    report: Box<dyn Fn(WakeLock)>,
}

/// Holds the screen wake lock for as long as the page lives; `report` gets every change.
pub fn hold(report: impl Fn(WakeLock) + 'static) {
    let keeper = Rc::new(Keeper {
        busy: Cell::new(false),
        on_release: RefCell::new(None),
        report: Box::new(report),
    });
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        let k = keeper.clone();
        EventListener::new(&doc, "visibilitychange", move |_| request(&k)).forget();
    }
    request(&keeper);
}

/// Asks for the lock unless one is held or asked for, or the page is hidden.
fn request(keeper: &Rc<Keeper>) {
    let Some(w) = web_sys::window() else { return };
    if keeper.busy.get() || w.document().is_none_or(|d| d.hidden()) {
        return;
    }
    let lock = Reflect::get(&w.navigator(), &JsValue::from_str("wakeLock")).unwrap_or_default();
    let ask = Reflect::get(&lock, &JsValue::from_str("request"))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok());
    let Some(ask) = ask.filter(|_| lock.is_object()) else {
        (keeper.report)(WakeLock::Unsupported);
        return;
    };
    let Some(promise) = ask
        .call1(&lock, &JsValue::from_str("screen"))
        .ok()
        .and_then(|p| p.dyn_into::<Promise>().ok())
    else {
        (keeper.report)(WakeLock::Refused);
        return;
    };
    keeper.busy.set(true);
    let keeper = keeper.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(sentinel) = JsFuture::from(promise).await else {
            keeper.busy.set(false);
            (keeper.report)(WakeLock::Refused);
            return;
        };
        let Ok(target) = sentinel.dyn_into::<web_sys::EventTarget>() else {
            keeper.busy.set(false);
            (keeper.report)(WakeLock::Refused);
            return;
        };
        let k = keeper.clone();
        let listener = EventListener::once(&target, "release", move |_| {
            k.busy.set(false);
            (k.report)(WakeLock::Released);
            request(&k);
        });
        *keeper.on_release.borrow_mut() = Some(listener);
        (keeper.report)(WakeLock::Held);
    });
}
