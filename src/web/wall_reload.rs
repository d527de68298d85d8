//! The unattended wall's reloads in the page (issue 13 item 5, floor 4; only in `?mode=wall`):
//! arms the watchdog (`watchdog.rs`, the script `assets/watchdog.js`) every [`ARM_EVERY_MS`]
//! with what `core::wall::watchdog::Arming` decides for a death now and the string table's
//! texts for its screen; makes the daily reload at `wall.daily_reload`; shows why the page was
//! reloaded on the next load; and the status bar's note when the screen wake lock is not held.
//!
//! Units: instants are ms since the Unix epoch (`env::wall_ms`), local times of day at the
//! browser's UTC offset for the instant (`env::local_offset_min`); sizes are CSS rem of the
//! wall's root font (assets/style.css).
//!
//! * Arming is the heartbeat: a page whose loop stops arming for `LOST_AFTER_MS` while visible
//!   is reloaded by the script (reason `heartbeat`).
//! * The reload note (`watchdog::NOTE_KEY`) is read once at start: a note not yet shown gives the
//!   notice (`wall-reload-notice`, `data-reason` panic|trap|start|heartbeat|daily, `data-streak`)
//!   for `NOTICE_MS`; it is then stored as shown, and removed once the page has been healthy for
//!   `HEALTHY_MS` (`ReloadNote::keep`), so the next streak starts again from one.
//! * The daily reload is checked at every arming (`daily_reload_due` with the page's load
//!   instant): it writes a `daily` note (the crash record kept, not counted as a fatal error) and
//!   reloads; the next load says "Daily reload at …".
//! * The wake lock's note (`wall-wake-note`, `data-state`) shows only when it is `unsupported`
//!   or `refused`; its state is on the app root as `data-wake-lock` (`lib.rs`).

use leptos::prelude::*;
use serde::Serialize;

use crate::core::display::DisplayMode;
use crate::core::wall::WallConfig;
use crate::core::wall::reload::{CrashRecord, daily_reload_due};
use crate::core::wall::watchdog::{Arming, NOTICE_MS, ReloadNote, ReloadReason};
use crate::env::{local_offset_min, wall_ms};
use crate::state::{AppState, use_app};
use crate::strings::{Lang, T, wall as words};
use crate::wake_lock::WakeLock;
use crate::watchdog;
use crate::widgets::clock_ms;

/// How often the page arms the watchdog (its heartbeat) and checks the daily reload, ms.
pub const ARM_EVERY_MS: u32 = 2_000;

/// The watchdog screen's texts, keyed as the script reads them.
#[derive(Serialize)]
struct Texts {
    panic: &'static str,
    trap: &'static str,
    start: &'static str,
    heartbeat: &'static str,
    countdown: &'static str,
    streak: &'static str,
}

/// The arming as the script reads it.
#[derive(Serialize)]
struct Armed<'a> {
    plan: &'a Arming,
    text: Texts,
}

/// The arming as the script reads it: `{plan, text}` (assets/watchdog.js's header).
fn arming_json(lang: Lang, arming: &Arming) -> String {
    let title = |r| words::fatal_title(lang, r);
    let text = Texts {
        panic: title(ReloadReason::Panic),
        trap: title(ReloadReason::Trap),
        start: title(ReloadReason::Start),
        heartbeat: title(ReloadReason::Heartbeat),
        countdown: T::WallReloadCountdown.get(lang),
        streak: T::WallFatalStreak.get(lang),
    };
    serde_json::to_string(&Armed { plan: arming, text }).unwrap_or_default()
}

/// One beat: the stored record (a note no longer kept removed), the watchdog armed, the daily
/// reload made when due. Nothing before the config is known.
fn beat(state: AppState, loaded_ms: i64) {
    let defaults = WallConfig::default();
    let Some((backoff_s, quiet)) = state.config.with_untracked(|c| {
        let wall = |w: &WallConfig| (w.reload_backoff_s, w.daily_reload);
        c.as_ref()
            .map(|c| c.as_ref().map_or(wall(&defaults), |c| wall(&c.wall)))
    }) else {
        return;
    };
    let now = wall_ms() as i64;
    let note = watchdog::read_note();
    if note.as_ref().is_some_and(|n| !n.keep(now)) {
        watchdog::write_note(None);
    }
    let record = note
        .filter(|n| n.keep(now))
        .map_or(CrashRecord::default(), |n| n.record());
    let lang = state.lang.get_untracked();
    watchdog::arm(&arming_json(lang, &Arming::at(record, now, backoff_s)));
    if let Some(q) = quiet
        && daily_reload_due(q, now, local_offset_min(now), loaded_ms)
    {
        watchdog::write_note(Some(&ReloadNote::daily(record, now)));
        if let Some(w) = web_sys::window() {
            let _ = w.location().reload();
        }
    }
}

/// The note of the last reload, if a load has not shown it yet: stored back as shown (or
/// removed when no longer kept).
fn take_notice(loaded_ms: i64) -> Option<ReloadNote> {
    let note = watchdog::read_note()?;
    let show = note.notice_shows(loaded_ms, loaded_ms);
    let seen = ReloadNote {
        shown: true,
        ..note.clone()
    };
    watchdog::write_note(seen.keep(loaded_ms).then_some(&seen));
    show.then_some(note)
}

/// The wall's reload notice and wake-lock note; starts the arming loop (wall mode only).
#[component]
pub fn WallReload(wake: ReadSignal<Option<WakeLock>>) -> impl IntoView {
    let state = use_app();
    let on_wall = state.mode.get_untracked() == DisplayMode::Wall;
    let notice = RwSignal::new(None::<ReloadNote>);
    if on_wall {
        let loaded_ms = wall_ms() as i64;
        notice.set(take_notice(loaded_ms));
        if notice.get_untracked().is_some() {
            let hide = NOTICE_MS.clamp(0, i64::from(u32::MAX)) as u32;
            gloo_timers::callback::Timeout::new(hide, move || {
                let _ = notice.try_set(None);
            })
            .forget();
        }
        // Every ARM_EVERY_MS once the config is known (until then the script keeps the last
        // arming of this address).
        gloo_timers::callback::Interval::new(ARM_EVERY_MS, move || {
            if state.view.try_get_untracked().is_some() {
                beat(state, loaded_ms);
            }
        })
        .forget();
    }
    let wake_note = move || match wake.get() {
        Some(s @ WakeLock::Unsupported) => Some((s, T::WallWakeUnsupported)),
        Some(s @ WakeLock::Refused) => Some((s, T::WallWakeRefused)),
        _ => None,
    };
    on_wall.then(|| view! {
        {move || notice.get().map(|n| view! {
            <div
                class="wall-reload-notice"
                role="status"
                data-testid="wall-reload-notice"
                data-reason=n.reason.key()
                data-streak=n.streak
            >
                <div>{words::reload_notice(state.lang.get(), n.reason, &clock_ms(state.lang.get(), n.at_ms as f64), n.streak)}</div>
                <div class="wall-reload-detail">{n.detail.chars().take(160).collect::<String>()}</div>
            </div>
        })}
        {move || wake_note().map(|(s, t)| view! {
            <div class="wall-wake-note" data-testid="wall-wake-note" data-state=s.key()>{t.get(state.lang.get())}</div>
        })}
    })
}
