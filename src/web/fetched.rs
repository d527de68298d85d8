//! `Fetched<T>`: a value an async function fetches, fetched again whenever a signal the
//! function reads (before its first `.await`) changes — the config, the layers and the zones
//! file. It replaces Leptos's `LocalResource` there, for the bundle: a resource brings
//! reactive_graph's async-derived machinery (its transitions register over std's channels,
//! which link std's thread handles) into the wasm, about 11 KB gzip that this module does
//! without (BENCHMARKS.md "Bundle: where the bytes go and what was cut").
//!
//! Units: none (any value). Semantics kept from `LocalResource` as the app used it: `None`
//! until the first fetch ends; while a later fetch runs, the previous value stays readable;
//! when fetches overlap, only the newest one's value is kept.

use std::future::Future;

use leptos::prelude::*;

/// A fetched value: a signal (`Copy`, read tracked or untracked) that an effect keeps filled.
pub struct Fetched<T: 'static> {
    value: RwSignal<Option<T>, LocalStorage>,
}

impl<T: 'static> Clone for Fetched<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: 'static> Copy for Fetched<T> {}

impl<T: Clone + 'static> Fetched<T> {
    /// Starts fetching with `fetch` (in the current reactive owner): the signals it reads
    /// synchronously are tracked, and each change starts a new fetch.
    pub fn new<Fut>(fetch: impl Fn() -> Fut + 'static) -> Self
    where
        Fut: Future<Output = T> + 'static,
    {
        let value = RwSignal::new_local(None);
        // The number of the newest fetch started: an older one that ends later is dropped.
        let newest = StoredValue::new(0u64);
        Effect::new(move |_| {
            let fut = fetch();
            let run = newest.get_value().wrapping_add(1);
            newest.set_value(run);
            wasm_bindgen_futures::spawn_local(async move {
                let fetched = fut.await;
                if newest.try_get_value() == Some(run) {
                    value.try_set(Some(fetched));
                }
            });
        });
        Fetched { value }
    }

    /// The value, tracked (`None` until the first fetch ends).
    pub fn get(&self) -> Option<T> {
        self.value.get()
    }

    /// The value, untracked.
    pub fn get_untracked(&self) -> Option<T> {
        self.value.get_untracked()
    }

    /// Sets the value as a fetch ending would (the browser tests give a layer its data so).
    pub fn set(&self, value: Option<T>) {
        self.value.set(value);
    }

    /// Reads the value in place, untracked.
    pub fn with_untracked<U>(&self, f: impl FnOnce(&Option<T>) -> U) -> U {
        self.value.with_untracked(f)
    }
}
