//! Code loaded on first use (issue 14, the bundle's budget): a *split point* is a function whose
//! body, and everything only it reaches, leaves the page's wasm module for a module of its own,
//! fetched the first time the function is called (and kept by the service worker for offline
//! use, like every file of the build).
//!
//! [`split_point!`] declares one. In the shipped build (cargo feature `split`, set in
//! Trunk.toml's `[build] features`) it is `wasm_split_helpers`'
//! `#[wasm_split(module, fallible)]`: the build's `scripts/split-build.mjs` cuts the module with
//! `wasm-split-cli` at these points, and a call first awaits the part's module. Elsewhere
//! (native tests, the wasm component tests, a build without the feature) the same `async fn`
//! runs the body at once. Either way the function
//! is `async` and returns `Result<_, Unavailable>`: a part that cannot be fetched (offline before
//! the worker kept it, a server error) is an error the caller shows in words
//! (`problems::part_unavailable`), never a panic, and the next call fetches again.
//!
//! Which functions are split points is a size decision made with a measurement: BENCHMARKS.md
//! "Bundle: code loaded on first use". A split point is called only from events (a tap, a key,
//! a mode's start), never from a path that must have its answer at once (a `window.calaisMap`
//! hook, the pointer's readout): its first call waits for a fetch. A frame may ask for a part
//! and draw without it until it comes (the heatmap engine, `render::heatmap::engine`).
//!
//! Units: none (control flow only).

use std::cell::Cell;
use std::thread::LocalKey;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::core::display::DisplayMode;
use crate::state::{AppState, use_app};
use crate::strings::{Lang, T, problems};

/// A part of the app that could not be fetched (its module failed to load).
pub use wasm_split_helpers::SplitLoaderError as Unavailable;

/// Declares `async fn $name(args) -> Result<$ret, Unavailable>` whose body lives in the part
/// `$part` (one module per part name) in the shipped build; see the module doc.
macro_rules! split_point {
    (
        $(#[$meta:meta])*
        $part:ident: $vis:vis fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty $body:block
    ) => {
        $(#[$meta])*
        #[cfg(feature = "split")]
        #[wasm_split_helpers::wasm_split($part, fallible)]
        #[allow(improper_ctypes_definitions)]
        $vis fn $name($($arg: $ty),*) -> ::core::result::Result<$ret, $crate::split::Unavailable> {
            ::core::result::Result::Ok($body)
        }
        $(#[$meta])*
        #[cfg(not(feature = "split"))]
        $vis async fn $name($($arg: $ty),*) -> ::core::result::Result<$ret, $crate::split::Unavailable> {
            ::core::result::Result::Ok($body)
        }
    };
}

/// Declares `fn $name(arg) -> AnyView`, a view whose code is the part `$part`, loaded on first
/// use: the first call (of any view of the part) shows nothing until the part is there (or,
/// after [`SLOW_MS`], `part-loading`), then the view; later calls build it at once. A part
/// that cannot be fetched shows `problems::part_unavailable` with a button that tries again
/// (`part-unavailable`, `part-retry`). Without the feature `split` the view is built at once.
macro_rules! split_view {
    (
        $(#[$meta:meta])*
        $part:ident: $vis:vis fn $name:ident($arg:ident: $ty:ty) $body:block
    ) => {
        $(#[$meta])*
        #[cfg(feature = "split")]
        $vis fn $name($arg: $ty) -> ::leptos::prelude::AnyView {
            ::std::thread_local! {
                static BUILD: ::std::cell::Cell<::core::option::Option<fn($ty) -> ::leptos::prelude::AnyView>> =
                    const { ::std::cell::Cell::new(::core::option::Option::None) };
            }
            // The split point, an item of this body (named as the view, so unique in the part).
            $crate::split::split_point! {
                $part: fn $name() -> fn($ty) -> ::leptos::prelude::AnyView {
                    fn build($arg: $ty) -> ::leptos::prelude::AnyView $body
                    build
                }
            }
            $crate::split::later(&BUILD, || ::std::boxed::Box::pin($name()), $arg)
        }
        $(#[$meta])*
        #[cfg(not(feature = "split"))]
        $vis fn $name($arg: $ty) -> ::leptos::prelude::AnyView {
            fn build($arg: $ty) -> ::leptos::prelude::AnyView $body
            build($arg)
        }
    };
}

/// How long a part may take before its view says it is loading, ms.
const SLOW_MS: u32 = 300;

/// Where a [`split_view!`] keeps its builder once its part is there.
pub type Built<A> = LocalKey<Cell<Option<fn(A) -> AnyView>>>;

/// How a [`split_view!`] loads its part: the split point, boxed.
pub type Loader<A> = fn() -> Task<Result<fn(A) -> AnyView, Unavailable>>;

/// The view of a part loaded on first use ([`split_view!`]): built at once when the part is
/// there (`built` holds its builder), else nothing until it is, or the part's error.
pub fn later<A: Clone + Send + Sync + 'static>(
    built: &'static Built<A>,
    load: Loader<A>,
    arg: A,
) -> AnyView {
    // Built untracked, as a component's body is: a signal its body reads at once must not
    // rebuild the whole view.
    if let Some(build) = built.get() {
        return untrack(|| build(arg));
    }
    let lang = use_app().lang.get_untracked();
    // None: loading; Some(true): there; Some(false): could not be fetched.
    let state = RwSignal::new(None::<bool>);
    let fetch = move || {
        let _ = state.try_set(None);
        spawn_local(async move {
            let got = load().await;
            if let Ok(build) = got {
                built.set(Some(build));
            }
            let _ = state.try_set(Some(got.is_ok()));
        });
    };
    fetch();
    // A retry anywhere (this banner's, another part's, the heatmap panel's) asks again for
    // every part that could not be fetched.
    let retry = RETRY.with(ArcTrigger::clone);
    Effect::new(move |_| {
        retry.track();
        if state.get_untracked() == Some(false) {
            fetch();
        }
    });
    // Said only when the part is slower than a moment (a patchy network), so a quick fetch
    // shows no flash.
    let slow = RwSignal::new(false);
    crate::env::after_ms(SLOW_MS, move || {
        let _ = slow.try_set(true);
    });
    (move || match state.get() {
        None if slow.get() => view! {
            <p class="part-loading" role="status" data-testid="part-loading">{T::LoadingPart.get(lang)}</p>
        }
        .into_any(),
        None => ().into_any(),
        Some(true) => built
            .get()
            .map(|build| untrack(|| build(arg.clone())))
            .into_any(),
        Some(false) => refused(lang, "error-banner part-unavailable"),
    })
    .into_any()
}

/// What a part that could not be fetched shows: `problems::part_unavailable` and a button that
/// asks again for every refused part (`part-unavailable`, `part-retry`, [`retry_all`]); `class`
/// places it (`error-banner` over the map, `heat-refused` in the heatmap panel).
pub fn refused(lang: Lang, class: &'static str) -> AnyView {
    view! {
        <p class=class role="alert" data-testid="part-unavailable">
            {problems::part_unavailable(lang)}
            " "
            <button data-testid="part-retry" on:click=move |_| retry_all()>{T::RetryNow.get(lang)}</button>
        </p>
    }
    .into_any()
}

thread_local! {
    /// Told when the parts that could not be fetched are to be asked for again.
    static RETRY: ArcTrigger = ArcTrigger::new();
}

/// Asks again for every part that could not be fetched (each failed view fetches its part;
/// the heatmap engine's refusal is forgotten, so its next frame asks: [`keep_trying`]).
pub fn retry_all() {
    RETRY.with(ArcTrigger::notify);
}

/// How often an unattended wall asks again for the parts that could not be fetched, ms.
pub const WALL_RETRY_MS: u32 = 10_000;

/// Asks again for the parts that could not be fetched when nobody taps a retry: when the
/// browser says it is back online (every mode), and every [`WALL_RETRY_MS`] in the wall mode,
/// which nobody stands at. A retry also forgets the heatmap engine's refusal
/// (`state.heat_engine`), which its panel shows. Called once, at the app's start.
pub fn keep_trying(state: AppState) {
    if let Some(window) = web_sys::window() {
        gloo_events::EventListener::new(&window, "online", |_| retry_all()).forget();
    }
    let engine = state.heat_engine;
    let retry = RETRY.with(ArcTrigger::clone);
    Effect::new(move |_| {
        retry.track();
        if engine.get_untracked() == Some(false) {
            engine.set(None);
        }
    });
    wall_tick(state);
}

fn wall_tick(state: AppState) {
    // The app is gone (unmounted): stop.
    let Some(mode) = state.mode.try_get_untracked() else {
        return;
    };
    if mode == DisplayMode::Wall {
        retry_all();
    }
    crate::env::after_ms(WALL_RETRY_MS, move || wall_tick(state));
}

/// A boxed future, the form a split point returns async work in (a split point itself is a
/// plain function across the modules' boundary).
pub type Task<T> = std::pin::Pin<Box<dyn std::future::Future<Output = T>>>;

// The macros by path (`crate::split::split_view!`), as the module graph reads imports.
pub(crate) use {split_point, split_view};
