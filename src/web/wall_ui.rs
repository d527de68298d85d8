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
//! The wall's bad settings (the config's `wall` problems and the refused `?wall=&tile=&bezel=`
//! values, each with its option named) are listed in a small banner in a corner: they never
//! stop the tour (`wall_tour.rs` runs what is left); a refused wall option makes this screen
//! show the whole view on its own.
//!
//! On a wall of several screens (`?wall=COLSxROWS&tile=C,R&bezel=PX`, `AppState::wall_screen`)
//! only the screens of `wall.status_tiles` show the status: the others hide the clocks, the
//! feed strip, the alert ticker and the banners (CSS keyed on `wall-tile`'s `data-status`); the
//! red critical frame and the stale frame show on every screen.
//!
//! Test ids: `wall-status`, `wall-clock-london` / `wall-clock-paris` (with `data-zone`),
//! `wall-stale-banner` (with `data-age-ms`), `wall-problems` (with `data-count`), each line a
//! `wall-problem` (with `data-field`: the dotted config field, or `?tile` for the address),
//! `wall-tile` (`data-tile` `C,R`, `data-grid` `COLSxROWS`, `data-status` `on`/`off`).

use leptos::prelude::*;

use crate::core::config::ConfigError;
use crate::core::display::{DESK_ROOT_FONT_PX, DisplayMode};
use crate::core::feed::FeedStatus;
use crate::core::wall::WallQuery;
use crate::env::{City, WALL_CLOCKS, query_param, zone_clock};
use crate::state::use_app;
use crate::strings::{Lang, T, labels, messages, wall as words};
use wasm_bindgen::JsCast;

/// The wall's bad settings as (field, sentence): the config's `wall` problems, then the
/// address's refused values (`?wall=`, `?tile=`, `?bezel=`).
pub fn wall_problems(lang: Lang, cfg: &crate::core::config::Config) -> Vec<(String, String)> {
    let (wall, tile, bezel) = (
        query_param("wall"),
        query_param("tile"),
        query_param("bezel"),
    );
    let query = WallQuery {
        wall: wall.as_deref(),
        tile: tile.as_deref(),
        bezel: bezel.as_deref(),
    };
    let (_, refused) = cfg.wall.placement(&query);
    let config = cfg.wall.problems.iter().map(|e| {
        let field = match e {
            ConfigError::Invalid { field, .. } => field.clone(),
            ConfigError::Json(_) => "wall".to_string(),
        };
        (field, messages::config_error(lang, e))
    });
    let address = refused.iter().map(|e| {
        (
            format!("?{}", e.param.key()),
            messages::wall_query_error(lang, e),
        )
    });
    config.chain(address).collect()
}

/// The wall's clocks and lost-feed banner (nothing outside the wall mode).
#[component]
pub fn WallStatus() -> impl IntoView {
    let state = use_app();
    let on_wall = move || state.mode.get() == DisplayMode::Wall;
    view! {
        <Show when=on_wall>{move || wall_status(())}</Show>
    }
}

crate::split::split_view! {
    /// The clocks, the problems, the tile and the lost-feed banner themselves: the part `wall`
    /// (with the tour's steps, `wall_tour.rs`), loaded only in the wall mode.
    wall: fn wall_status(_none: ()) {
        let state = use_app();
        let lang = state.lang.get_untracked();
        let on_wall = move || state.mode.get() == DisplayMode::Wall;
        let feed = state.incidents;
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
        // While stale: how long since the last update (or since the start, before any). The feed's
        // clock steps every `CLOCK_STEP_MS` and may lag the moment the feed went stale: the age is
        // never told shorter than the silence that made it stale.
        let stale_age = move || match feed.status.get().status {
            FeedStatus::Stale { since, last } => {
                let now = (feed.clock.get() as f64).max(since);
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
        let problems = move || {
            state
                .config
                .get()
                .map(|c| wall_problems(lang, &c.unwrap_or_default()))
                .unwrap_or_default()
        };
        let screen = state.wall_screen;
        let shows_status = move || screen.with(|s| s.shows_status);
        // A pinned map scale `k` (`wall.scale`) pins the type with it: the root font is the desk's
        // times `k`, as the screen's width would make it for that `k` (`DisplayMode::scale`).
        Effect::new(move |_| {
            let pinned = screen.with(|s| s.scale).filter(|_| on_wall());
            let root = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element())
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            if let (Some(root), Some(k)) = (root, pinned) {
                let px = format!("{}px", DESK_ROOT_FONT_PX * k);
                let _ = root.style().set_property("font-size", &px);
            }
        });
        view! {
            {move || {
                let list = problems();
                let count = list.len().to_string();
                (!list.is_empty()).then(|| view! {
                    <div class="wall-problems" role="status" data-testid="wall-problems" data-count=count>
                        <div class="wall-problems-title">{T::WallProblems.get(lang)}</div>
                        {list.into_iter().map(|(field, text)| view! {
                            <div class="wall-problem" data-testid="wall-problem" data-field=field>{text}</div>
                        }).collect::<Vec<_>>()}
                    </div>
                })
            }}
            <div
                class="wall-tile"
                hidden
                data-testid="wall-tile"
                data-tile=move || screen.with(|s| format!("{},{}", s.tile.col, s.tile.row))
                data-grid=move || screen.with(|s| format!("{}x{}", s.layout.grid().cols(), s.layout.grid().rows()))
                data-status=move || if shows_status() { "on" } else { "off" }
            ></div>
            <Show when=shows_status>
            <div class="wall-status" data-testid="wall-status" aria-label=T::WallStatus.get(lang)>
                <div class="wall-clocks">{clocks}</div>
            </div>
            </Show>
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
        }
        .into_any()
    }
}
