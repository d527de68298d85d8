//! The feed strip (top left, always visible): whether the picture is live, the open incidents
//! per kind, "Retry now", the last transport problem and the resync notice.
//!
//! Units: times are shown as local wall-clock text (the browser's time zone); the feed's
//! times are wall-clock ms since the Unix epoch. The status, problems and notices come from
//! the core's feed machine as enums (`core::feed`); their sentences live here.
//!
//! While the feed is stale the strip marks the counters (`data-stale`, dimmed, "stale" tag)
//! and the app root carries `data-feed="stale"`, which dims the incident overlays and the
//! zone counts through CSS (assets/style.css), so a stale picture looks stale everywhere.

use leptos::prelude::*;

use crate::core::feed::{FeedStatus, Problem, Request, ResyncCause, Transport};
use crate::core::incident::IncidentKind;
use crate::feed::ResyncNotice;
use crate::state::use_app;
use crate::widgets::{KindIcon, clock_ms};

/// The status line: "Live · last update 07:59:08", "Stale since …", …
pub fn status_text(status: FeedStatus, transport: Transport) -> String {
    let last = |l: Option<f64>| match l {
        Some(ms) => format!("last update {}", clock_ms(ms)),
        None => "no update yet".to_string(),
    };
    let via = match transport {
        Transport::Sse => "",
        Transport::Poll => " (polling)",
    };
    match status {
        FeedStatus::Connecting => "Connecting to the live feed…".to_string(),
        FeedStatus::Live { last: l } => format!("Live{via} · {}", last(Some(l))),
        FeedStatus::Reconnecting { attempt, last: l } => {
            format!("Reconnecting (attempt {attempt}) · {}", last(l))
        }
        FeedStatus::Offline { last: l } => format!("Offline · {}", last(l)),
        FeedStatus::Stale { since, last: l } => {
            format!("Stale since {} · {}", clock_ms(since), last(l))
        }
    }
}

fn request_name(request: Request) -> &'static str {
    match request {
        Request::Snapshot => "the incident snapshot",
        Request::Changes => "the request for the latest changes",
    }
}

/// One sentence for a transport problem.
pub fn problem_text(problem: &Problem) -> String {
    match problem {
        Problem::Unreachable { request } => {
            format!("Could not reach the server for {}: retrying", request_name(*request))
        }
        Problem::Http { request, status } => format!(
            "The server answered HTTP {status} to {}: retrying",
            request_name(*request)
        ),
        Problem::Truncated { request } => format!(
            "The answer to {} was cut off: retrying",
            request_name(*request)
        ),
        Problem::Unreadable { request, error } => format!(
            "The answer to {} could not be read ({error}): retrying",
            request_name(*request)
        ),
        Problem::TimedOut { request } => {
            format!("No answer to {} in time: retrying", request_name(*request))
        }
        Problem::StreamLost => {
            "Lost the connection to the incident stream: retrying, then resuming from the last event"
                .to_string()
        }
        Problem::StreamRefused => {
            "The browser refused to open the incident stream (check stream_url in the config)"
                .to_string()
        }
        Problem::Silent { after_ms } => format!(
            "No event or heartbeat for {:.0} s: reconnecting",
            after_ms / 1_000.0
        ),
        Problem::Offline => {
            "This device is offline: the feed reconnects as soon as the network is back"
                .to_string()
        }
    }
}

/// The resync notice: what happened and how the picture changed.
pub fn notice_text(n: &ResyncNotice) -> String {
    let why = match n.cause {
        ResyncCause::Reset => "the server could not replay the missed events",
        ResyncCause::CursorGone => "the server could not serve the changes since the last poll",
        ResyncCause::NoCursor => "there was no position to resume the feed from",
        ResyncCause::Retry => "the feed was restarted",
    };
    let change = match n.after.cmp(&n.before) {
        std::cmp::Ordering::Less => format!("{} fewer", n.before - n.after),
        std::cmp::Ordering::Greater => format!("{} more", n.after - n.before),
        std::cmp::Ordering::Equal => "as many".to_string(),
    };
    format!(
        "At {} every incident was reloaded from the server ({why}): {} → {} incidents ({change}).",
        clock_ms(n.at),
        n.before,
        n.after
    )
}

/// Feed status (always visible), "Retry now", open incidents per kind, the problem and the
/// resync notice.
#[component]
pub fn IncidentStrip() -> impl IntoView {
    let feed = use_app().incidents;
    let status = move || feed.status.get();
    let key = move || status().status.key();
    let stale = move || matches!(status().status, FeedStatus::Stale { .. });
    let text = move || {
        let v = status();
        status_text(v.status, v.transport)
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
            .map(problem_text)
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
                    title=format!("Open {} incidents", kind.label().to_lowercase())
                >
                    <KindIcon kind=kind class="counter-icon" />
                    <span class="counter-label">{kind.label()}</span>
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
                    role="status"
                    aria-live="polite"
                    title=problem
                >
                    <span class="feed-dot" aria-hidden="true"></span>
                    <span class="feed-text">{text}</span>
                </div>
                <Show when=can_retry>
                    <button
                        class="feed-retry"
                        data-testid="feed-retry"
                        title="Reconnect to the live feed now"
                        on:click=move |_| feed.retry_now()
                    >
                        "Retry now"
                    </button>
                </Show>
            </div>
            <div
                class="counters"
                data-testid="incident-counters"
                data-stale=move || stale().then_some("true")
                aria-label="Open incidents by kind"
            >
                {counters}
                <Show when=stale>
                    <span class="stale-tag" data-testid="counters-stale">"stale"</span>
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
                    role="status"
                >
                    <span>{notice_text(&n)}</span>
                    <button
                        class="feed-notice-close"
                        data-testid="feed-resync-dismiss"
                        title="Dismiss"
                        on:click=move |_| feed.dismiss_notice()
                    >
                        "×"
                    </button>
                </div>
            })}
        </div>
    }
}
