//! The screen reader's live regions (issue 15, item 5): a polite one for the feed's status
//! changes and resyncs, an assertive one for new critical zone alerts, both paced by
//! `core::announce` so a live feed never floods the listener.
//!
//! No units of its own: times are `env::now_ms()` (monotonic ms), counts are alerts. The
//! regions are in the page from the start (a region added with its text is not read) and
//! visually hidden; each announcement replaces the region's text once (`data-count` counts
//! them, for tests). The feed strip's status line, the alert ticker and the critical banner are
//! not live regions: their text changes on every event (the last update's time, the rows), so
//! a reader would be told everything again each time. Built once for the page's life (not
//! rebuilt on a language switch): the sentences are worded, in the language of the moment,
//! from `strings::announce` when they are said.

use std::time::Duration;

use leptos::prelude::*;

use crate::core::announce::{CriticalAnnouncer, StatusAnnouncer, StatusClass};
use crate::env::now_ms;
use crate::state::use_app;
use crate::strings::Lang;
use crate::strings::announce as words;

/// One live region's content: how many announcements were made, and the last one.
type Said = RwSignal<(u64, String)>;

/// The announcers, their regions and the one timer that says pending news when due.
#[derive(Clone, Copy)]
struct Regions {
    status: StoredValue<StatusAnnouncer>,
    critical: StoredValue<CriticalAnnouncer>,
    /// The last resync notice's incident counts (before, after), for its sentence.
    resync: StoredValue<Option<(usize, usize)>>,
    polite: Said,
    assertive: Said,
    timer: StoredValue<Option<TimeoutHandle>>,
    lang: RwSignal<Lang>,
}

impl Regions {
    /// Says what is due now and sets the timer for what is due later.
    fn pump(self) {
        let now = now_ms();
        let lang = self.lang.get_untracked();
        if let Some(news) = self.status.try_update_value(|a| a.poll(now)).flatten() {
            let mut text: Vec<String> = Vec::new();
            if let Some(class) = news.status {
                text.push(words::status(lang, class).to_string());
            }
            if news.resync
                && let Some((before, after)) = self.resync.get_value()
            {
                text.push(words::resync(lang, before, after));
            }
            if !text.is_empty() {
                say(self.polite, text.join(" "));
            }
        }
        if let Some(news) = self.critical.try_update_value(|a| a.poll(now)).flatten() {
            say(self.assertive, words::critical(lang, news.count));
        }
        if let Some(t) = self.timer.try_update_value(Option::take).flatten() {
            t.clear();
        }
        let due = [
            self.status.with_value(StatusAnnouncer::due),
            self.critical.with_value(CriticalAnnouncer::due),
        ]
        .into_iter()
        .flatten()
        .reduce(f64::min);
        if let Some(due) = due {
            let wait = Duration::from_millis((due - now).clamp(0.0, 60_000.0).ceil() as u64);
            let handle = set_timeout_with_handle(move || self.pump(), wait).ok();
            self.timer.set_value(handle);
        }
    }
}

/// Replaces a region's text (a new text node: read even when the sentence repeats).
fn say(region: Said, text: String) {
    region.update(|(n, t)| {
        *n += 1;
        *t = text;
    });
}

/// The two visually hidden live regions, fed by the feed's status, its resync notices and
/// the zone alerts.
#[component]
pub fn Announcer() -> impl IntoView {
    let state = use_app();
    let feed = state.incidents;
    let geo = state.geofence;
    let regions = Regions {
        status: StoredValue::new(StatusAnnouncer::default()),
        critical: StoredValue::new(CriticalAnnouncer::default()),
        resync: StoredValue::new(None),
        polite: RwSignal::new((0, String::new())),
        assertive: RwSignal::new((0, String::new())),
        timer: StoredValue::new(None),
        lang: state.lang,
    };
    on_cleanup(move || {
        if let Some(t) = regions.timer.try_update_value(Option::take).flatten() {
            t.clear();
        }
    });

    // The status's class only: a memo, so a new "last update" time is no change.
    let class = Memo::new(move |_| feed.status.with(|v| StatusClass::of(&v.status)));
    Effect::new(move |_| {
        let c = class.get();
        regions.status.update_value(|a| a.status(c, now_ms()));
        regions.pump();
    });
    // A new resync notice (its time tells it apart from the one shown before).
    Effect::new(move |seen: Option<Option<f64>>| {
        let notice = feed.notice.get();
        let at = notice.as_ref().map(|n| n.at);
        if let Some(n) = notice
            && seen.flatten() != Some(n.at)
        {
            regions.resync.set_value(Some((n.before, n.after)));
            regions.status.update_value(|a| a.resync(now_ms()));
            regions.pump();
        }
        at.or(seen.flatten())
    });
    // New critical alerts: those with a sequence number past the newest seen (acknowledging
    // changes no number). The alerts there when the page's regions start are not news.
    Effect::new(move |newest: Option<Option<u64>>| {
        geo.alerts.with(|alerts| {
            let top = alerts.iter().map(|a| a.seq).max();
            if let Some(seen) = newest {
                let fresh = alerts
                    .iter()
                    .filter(|a| a.critical && seen.is_none_or(|s| a.seq > s))
                    .count();
                if fresh > 0 {
                    regions.critical.update_value(|a| a.alerts(fresh, now_ms()));
                    regions.pump();
                }
            }
            top.max(newest.flatten())
        })
    });

    view! {
        {region("announce-status", "status", "polite", regions.polite)}
        {region("announce-alert", "alert", "assertive", regions.assertive)}
    }
}

/// One visually hidden live region showing the last announcement of `said`.
fn region(
    testid: &'static str,
    role: &'static str,
    live: &'static str,
    said: Said,
) -> impl IntoView {
    view! {
        <div
            class="visually-hidden"
            data-testid=testid
            role=role
            aria-live=live
            aria-atomic="true"
            data-count=move || said.with(|(n, _)| n.to_string())
        >
            {move || said.with(|(_, t)| view! { <span>{t.clone()}</span> })}
        </div>
    }
}
