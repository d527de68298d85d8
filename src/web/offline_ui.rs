//! The offline panel pieces (issue 14 item 3, floor 4): the offline banner, big and always
//! visible while the map shows the last picture kept on the device (`data-testid=
//! "offline-banner"`, `data-age-s` its age in whole seconds, `data-as-of` its time in ms since
//! the Unix epoch), and the offline store's line (`data-testid="offline-store"`: size, whether
//! the browser keeps it (not on the wall), a full or refused store; `data-persist`, `data-usage-b`,
//! `data-problem`, `data-worker`, `data-saved-as-of`: the last picture kept, ms since the epoch).
//!
//! Units: times are wall-clock ms since the Unix epoch, shown as London and Paris `HH:MM`
//! (`widgets::wall_clocks`); ages whole seconds, re-read on the feed's 5 s clock; sizes bytes.
//! The "new version" note (`data-testid="update-ready"`, its button `update-reload`) at the
//! desk and on a tablet once a newer build's service worker took over.
//! The texts are the string table's (`T::Offline*`, `strings::offline`).

use leptos::prelude::*;

use crate::core::display::DisplayMode;
use crate::env::wall_ms;
use crate::offline::{Persistence, StoreProblem, Worker};
use crate::state::use_app;
use crate::strings::{T, offline};
use crate::widgets::wall_clocks;

/// The offline banner: "OFFLINE — picture from London 14:02 · Paris 15:02, 37 min old" and
/// why it is not live, while the stored picture is what the map shows.
#[component]
pub fn OfflineBanner() -> impl IntoView {
    let state = use_app();
    let picture = state.offline.picture;
    let age_s = move || {
        state.incidents.clock.track();
        picture
            .get()
            .map(|t| crate::core::incident::picture::age_s(t, wall_ms()))
    };
    move || {
        let as_of = picture.get()?;
        let lang = state.lang.get();
        let ms = as_of.millis() as f64;
        let age = move || age_s().unwrap_or(0);
        Some(view! {
            <div class="offline-banner" role="alert" data-testid="offline-banner"
                data-age-s=move || age().to_string() data-as-of=format!("{ms:.0}")>
                <strong>{move || offline::banner(lang, &wall_clocks(lang, ms), age())}</strong>
                <span>{T::OfflineNotLive.get(lang)}</span>
            </div>
        })
    }
}

/// The offline store's line: its size, whether the browser keeps it, and what went wrong. On
/// the wall (an unattended kiosk) whether the browser keeps the store is not said: nobody there
/// can act on a refusal, so it is neither worded nor warned about (`data-persist` still says it).
#[component]
pub fn OfflineStore() -> impl IntoView {
    let state = use_app();
    let store = state.offline.store;
    let kiosk = move || state.mode.get() == DisplayMode::Wall;
    let text = move || {
        let lang = state.lang.get();
        let s = store.get();
        let mut parts = vec![T::OfflineStore.get(lang).to_string()];
        if let Some(u) = s.usage {
            parts.push(offline::usage(lang, u, s.quota));
        }
        match s.persistence {
            _ if kiosk() => {}
            Persistence::Granted => parts.push(T::OfflineKept.get(lang).into()),
            Persistence::Refused => parts.push(T::OfflineNotKept.get(lang).into()),
            Persistence::Pending | Persistence::Unsupported => {}
        }
        match &s.worker {
            Worker::Unsupported => parts.push(T::OfflineUnavailable.get(lang).into()),
            Worker::Failed(e) => parts.push(offline::worker_failed(lang, e)),
            Worker::Pending | Worker::Registered => {}
        }
        match &s.problem {
            Some(StoreProblem::Full) => parts.push(T::OfflineStoreFull.get(lang).into()),
            Some(StoreProblem::Refused(e)) => parts.push(offline::refused(lang, e)),
            Some(StoreProblem::Unreadable) => parts.push(T::OfflineUnreadable.get(lang).into()),
            None => {}
        }
        parts.join(" · ")
    };
    view! {
        <div class="offline-store" data-testid="offline-store"
            class:warn=move || store.with(|s| s.problem.is_some() || (s.persistence == Persistence::Refused && !kiosk()))
            data-persist=move || store.with(|s| s.persistence.key())
            data-usage-b=move || store.with(|s| s.usage.map(|u| format!("{u:.0}")))
            data-worker=move || store.with(|s| s.worker.key())
            data-problem=move || store.with(|s| s.problem.as_ref().map(StoreProblem::key))
            data-saved-as-of=move || store.with(|s| s.saved_as_of.map(|t| format!("{t:.0}")))>
            {text}
        </div>
    }
}

/// The "new version" note (`update-ready`, with its `update-reload` button): a newer build's
/// service worker took over while the page runs (`Offline::update_ready`), so a reload shows
/// the new version. At the desk and on a tablet only: the wall is unattended, its daily reload
/// (`wall_reload.rs`, `wall.daily_reload`) loads the new version.
#[component]
pub fn UpdateNote() -> impl IntoView {
    let state = use_app();
    let shown = move || state.offline.update_ready.get() && state.mode.get() != DisplayMode::Wall;
    move || {
        let lang = state.lang.get();
        shown().then(|| {
            view! {
                <div class="update-ready" role="status" data-testid="update-ready">
                    <span>{T::UpdateReady.get(lang)}</span>
                    <button
                        data-testid="update-reload"
                        title=T::UpdateReloadHelp.get(lang)
                        on:click=|_| {
                            if let Some(w) = web_sys::window() {
                                let _ = w.location().reload();
                            }
                        }
                    >
                        {T::UpdateReload.get(lang)}
                    </button>
                </div>
            }
        })
    }
}
