//! The video wall's own status (issue 13, floor 4; shown only in `?mode=wall`): the time in
//! London and in Paris (labelled, an hour apart), and, while the feed is stale, a banner at wall
//! scale with how long the picture has not been updated. The rest of the wall's layout is CSS
//! on the app root's `data-mode="wall"` (assets/style.css): side panels, controls and cursor
//! hidden, the feed strip (status, open incidents by kind) and the alert ticker at wall scale,
//! the frame in the stale colour while the feed is stale.
//!
//! Units: times are ms since the Unix epoch (the feed's clock, in steps of
//! `feed::CLOCK_STEP_MS`), shown as `HH:MM` in each city's zone; sizes are CSS rem of the
//! wall's root font size (assets/style.css scales it with the screen width: 32 CSS px at 3840).
//!
//! Test ids: `wall-status`, `wall-clock-london` / `wall-clock-paris` (with `data-zone`),
//! `wall-stale-banner` (with `data-age-ms`).

use leptos::prelude::*;

use crate::core::display::DisplayMode;
use crate::core::feed::FeedStatus;
use crate::env::{City, WALL_CLOCKS, zone_clock};
use crate::state::use_app;
use crate::strings::{T, labels, wall as words};

/// The wall's clocks and lost-feed banner (nothing outside the wall mode).
#[component]
pub fn WallStatus() -> impl IntoView {
    let state = use_app();
    let lang = state.lang.get_untracked();
    let feed = state.incidents;
    let on_wall = move || state.mode.get() == DisplayMode::Wall;
    let clocks = move || {
        let now = feed.clock.get() as f64;
        WALL_CLOCKS
            .iter()
            .map(|(city, zone)| {
                let hm = zone_clock(now, zone).unwrap_or_else(|| "--:--".to_string());
                let key = match city {
                    City::London => "wall-clock-london",
                    City::Paris => "wall-clock-paris",
                };
                view! {
                    <div class="wall-clock" data-testid=key data-zone=*zone>
                        <span class="wall-city">{labels::city(lang, *city)}</span>
                        <span class="wall-time">{hm}</span>
                    </div>
                }
            })
            .collect::<Vec<_>>()
    };
    // While stale: how long since the last update (or since the start, before any).
    let stale_age = move || match feed.status.get().status {
        FeedStatus::Stale { since, last } => {
            let now = feed.clock.get() as f64;
            Some(last.map(|l| now - l).unwrap_or(now - since))
        }
        _ => None,
    };
    let has_last = move || {
        matches!(
            feed.status.get().status,
            FeedStatus::Stale { last: Some(_), .. }
        )
    };
    view! {
        <Show when=on_wall>
            <div class="wall-status" data-testid="wall-status" aria-label=T::WallStatus.get(lang)>
                <div class="wall-clocks">{clocks}</div>
            </div>
            {move || stale_age().map(|age| view! {
                <div
                    class="wall-stale-banner"
                    data-testid="wall-stale-banner"
                    data-age-ms=format!("{age:.0}")
                    role="alert"
                >
                    {words::feed_lost(lang, has_last().then_some(age))}
                </div>
            })}
        </Show>
    }
}
