//! The feed strip (top left, always visible): whether the picture is live, the open incidents
//! per kind, "Retry now", the last transport problem and the resync notice.
//!
//! Units: times are shown as local wall-clock text (the browser's time zone); the feed's
//! times are wall-clock ms since the Unix epoch. The status, problems and notices come from
//! the core's feed machine as enums (`core::feed`); their sentences are `strings::messages`'.
//!
//! While the feed is stale the strip marks the counters (`data-stale`, dimmed, "stale" tag)
//! and the app root carries `data-feed="stale"`, which dims the incident overlays and the
//! zone counts through CSS (assets/style.css), so a stale picture looks stale everywhere.
//!
//! No live region here: the status line's text changes with every event (its last update
//! time); `announce.rs` tells a screen reader of a change of status class and of a resync.

use leptos::prelude::*;

use crate::core::feed::FeedStatus;
use crate::core::incident::IncidentKind;
use crate::state::use_app;
use crate::strings::{T, labels, messages};
use crate::widgets::{KindIcon, clock_ms};

/// Feed status (always visible), "Retry now", open incidents per kind, the problem and the
/// resync notice.
#[component]
pub fn IncidentStrip() -> impl IntoView {
    let state = use_app();
    let feed = state.incidents;
    let lang = state.lang.get_untracked();
    let status = move || feed.status.get();
    let key = move || status().status.key();
    let stale = move || matches!(status().status, FeedStatus::Stale { .. });
    let text = move || {
        let v = status();
        let lang = state.lang.get();
        messages::feed_status(lang, v.status, v.transport, &|ms| clock_ms(lang, ms))
    };
    let last_ms = move || {
        status()
            .status
            .last()
            .map(|l| format!("{l:.0}"))
            .unwrap_or_default()
    };
    let problem = move || {
        status()
            .problem
            .as_ref()
            .map(|p| messages::feed_problem(state.lang.get(), p))
            .unwrap_or_default()
    };
    let can_retry = move || !matches!(status().status, FeedStatus::Live { .. });
    let counters = IncidentKind::ALL
        .into_iter()
        .map(|kind| {
            let n = move || feed.counts.get().get(kind.index()).copied().unwrap_or(0);
            view! {
                <span
                    class="counter"
                    class:zero=move || n() == 0
                    data-testid=format!("incident-count-{}", kind.key())
                    data-count=move || n().to_string()
                    data-stale=move || stale().then_some("true")
                    title=messages::open_kind_title(lang, kind)
                >
                    <KindIcon kind=kind class="counter-icon" />
                    <span class="counter-label">{labels::incident_kind(lang, kind)}</span>
                    <b class="counter-value">{move || n().to_string()}</b>
                </span>
            }
        })
        .collect_view();
    let notice = move || feed.notice.get();
    view! {
        <div class="panel incident-strip" class:stale=stale data-map-reserved="">
            <div class="feed-status-row">
                <div
                    class="feed-status"
                    data-testid="feed-status"
                    data-status=key
                    data-last-update-ms=last_ms
                    title=problem
                >
                    <span class="feed-dot" aria-hidden="true"></span>
                    <span class="feed-text">{text}</span>
                </div>
                <Show when=can_retry>
                    <button
                        class="feed-retry"
                        data-testid="feed-retry"
                        title=T::RetryNowTitle.get(lang)
                        on:click=move |_| feed.retry_now()
                    >
                        {T::RetryNow.get(lang)}
                    </button>
                </Show>
            </div>
            <div
                class="counters"
                data-testid="incident-counters"
                data-stale=move || stale().then_some("true")
                aria-label=T::OpenByKind.get(lang)
            >
                {counters}
                <Show when=stale>
                    <span class="stale-tag" data-testid="counters-stale">{T::StaleTag.get(lang)}</span>
                </Show>
            </div>
            <Show when=move || !problem().is_empty()>
                <div class="feed-problem" data-testid="feed-problem">{problem}</div>
            </Show>
            {move || notice().map(|n| view! {
                <div
                    class="feed-notice"
                    data-testid="feed-resync-notice"
                    data-before=n.before.to_string()
                    data-after=n.after.to_string()
                    data-cause=n.cause.key()
                >
                    <span>{messages::resync_notice(state.lang.get(), &clock_ms(state.lang.get(), n.at), n.cause, n.before, n.after)}</span>
                    <button
                        class="feed-notice-close"
                        data-testid="feed-resync-dismiss"
                        title=T::Dismiss.get(lang)
                        on:click=move |_| feed.dismiss_notice()
                    >
                        "×"
                    </button>
                </div>
            })}
        </div>
    }
}
