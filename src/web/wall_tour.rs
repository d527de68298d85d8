//! The video wall's tour in the page (issue 13 item 3, floor 3; only in `?mode=wall`): drives
//! the core's [`TourPlayer`] from the wall clock, sets the view it returns, applies each view's
//! layers, feeds it the critical zone alerts and their acknowledgements, and keeps the home view
//! framed on the open incidents.
//!
//! Units: clocks are ms since the Unix epoch (`env::wall_ms`, the same on every screen whose
//! clock agrees: the tour is a function of it, `core::wall::tour`); the view is a [`Viewport`]
//! (EPSG:3857 centre, zoom, CSS px of the map, device pixel ratio).
//!
//! One loop per page ([`start`]): while something moves (a flight, an alert's fly-in or fly
//! back, the home view gliding to a new fit) it runs every animation frame; while the wall
//! dwells it wakes every [`DWELL_POLL_MS`] on a timer and sets nothing, so a dwelling wall
//! costs no frame (a flight starts at most that late, a few hundredths of its way). Each step:
//! 1. the player is built once the config is known (`wall` section; a config that failed gives
//!    the defaults: no tour, the home view);
//! 2. new unacknowledged alerts of critical zones in the ticker (`geofence::Geofence::alerts`)
//!    become [`WallEvent::Alert`] (the alert's sequence number as id, the incident's position,
//!    the feed's time), an acknowledgement (the ticker's button, or any other caller of
//!    `Geofence::acknowledge`) a [`WallEvent::Ack`] at the wall clock;
//! 3. the home view: [`fit_incidents`] over the open incidents (the region with none),
//!    recomputed at most every [`HOME_REFIT_MS`] when the store changed, adopted only when it
//!    differs notably ([`notably_different`]), and glided to over a flight's time;
//! 4. the view: the player's viewport's centre and zoom on the map's current size (the view
//!    keeps its width, height and dpr), set only when it changed; `AppState::flying` says
//!    whether it moves, so the map stays on the gesture path (cached bitmaps moved) through a
//!    whole flight and renders sharp once it lands;
//! 5. the layers, only when the tour has views (a config without tour leaves the operator's
//!    choice): the map layers' visibility, the zones, the heatmap, and the heatmap comparison
//!    (`heatmap.compare`, else [`Comparison::default_at`]) for a view with `heatmap_compare`,
//!    closed when the wall moves on. The incidents layer has no switch in the app: a tour view
//!    without `incidents` still shows them.
//!
//! Reduced motion (`prefers-reduced-motion: reduce`): flights, alert legs and the home view's
//! glide cut to where they go (`Show::landed`), on the same clock; the loop then never runs
//! on animation frames.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;

use crate::core::display::DisplayMode;
use crate::core::heatmap::displacement::Window;
use crate::core::model::LayerId;
use crate::core::units::Zoom;
use crate::core::viewport::Viewport;
use crate::core::wall::TourLayer;
use crate::core::wall::fit::{FitLimits, fit_incidents};
use crate::core::wall::tour::{ALERT_ZOOM, AlertLeg, Phase, Show, TourPlayer, WallEvent};
use crate::displacement::Comparison;
use crate::env::{after_ms, on_animation_frame, wall_ms};
use crate::state::AppState;

/// How often a dwelling wall looks at the clock and the alerts, ms.
pub const DWELL_POLL_MS: u32 = 100;
/// The home view is refitted at most this often, ms (and only when the store changed).
pub const HOME_REFIT_MS: i64 = 5_000;
/// A new fit is adopted when its zoom differs by this much (levels) …
const REFIT_ZOOM: f64 = 0.25;
/// … or its centre by this fraction of the view's smaller side.
const REFIT_SHIFT: f64 = 0.1;
/// The home view glides to a new fit over this long when the tour has no flight time, ms.
const HOME_GLIDE_MS: i64 = 1_000;

/// The home view: where it was, where it goes and when the glide started.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Home {
    from: Viewport,
    to: Viewport,
    start_ms: i64,
    glide_ms: i64,
}

impl Home {
    fn at(&self, clock_ms: i64) -> Viewport {
        let t = if self.glide_ms > 0 {
            ((clock_ms - self.start_ms) as f64 / self.glide_ms as f64).clamp(0.0, 1.0)
        } else {
            1.0
        };
        if t >= 1.0 {
            self.to
        } else {
            self.from.fly_step(&self.to, t)
        }
    }

    fn gliding(&self, clock_ms: i64) -> bool {
        clock_ms < self.start_ms + self.glide_ms
    }
}

/// The tour's state in the page (one per app; shared by the loop and the test hook).
#[derive(Default)]
pub struct Driver {
    player: Option<TourPlayer>,
    /// The comparison of `heatmap.compare`, for views with `heatmap_compare`.
    compare: Option<(Window, Window)>,
    home: Option<Home>,
    /// The store version and clock of the last fit.
    fitted: Option<(u64, i64)>,
    /// Alerts of critical zones seen in the ticker: sequence number, acknowledged.
    seen: Vec<(u64, bool)>,
    /// What the wall shows, as of the last step, and that step's clock.
    show: Option<(Show, i64)>,
    /// The viewer asked for reduced motion (the system's setting, read again at every step
    /// while nothing moves, so not on every frame of a flight): flights and glides cut.
    reduced: bool,
    /// The last step moved (a flight's frames).
    moving: bool,
}

/// The shared driver (the test hook reads [`Driver::current`]).
pub type TourHandle = Rc<RefCell<Driver>>;

impl Driver {
    /// What the wall showed at the last step, the tour view's name (if any) and that step's
    /// clock; `None` before the config is known or outside the wall mode.
    pub fn current(&self) -> Option<(Show, Option<String>, i64)> {
        let (show, clock) = self.show.clone()?;
        let name = match &show {
            Show::Tour(s) => self
                .player
                .as_ref()
                .and_then(|p| p.tour().views().get(s.shown_view()))
                .map(|v| v.name.clone()),
            _ => None,
        };
        Some((show, name, clock))
    }
}

/// One step of the driver at a clock (ms): true while something moves ([`Driver::step`]).
type Step = fn(&mut Driver, AppState, i64) -> bool;

crate::split::split_point! {
    /// The tour's steps (`core::wall::tour`'s player, alerts, fits): in the part `wall`
    /// (`split.rs`), loaded only in the wall mode.
    wall: fn step_part() -> Step {
        Driver::step
    }
}

/// Starts the tour loop if the app is in the wall mode (once its part is there); the handle is
/// empty otherwise.
pub fn start(state: AppState) -> TourHandle {
    let handle = TourHandle::default();
    if state.mode.get_untracked() == DisplayMode::Wall {
        load_then_tick(handle.clone(), state);
    }
    handle
}

/// The tour's part, then its loop. An unattended wall that could not fetch it (the network
/// down before the service worker kept the app) asks again every
/// [`WALL_RETRY_MS`](crate::split::WALL_RETRY_MS); the wall's banners say the network is down
/// meanwhile.
fn load_then_tick(handle: TourHandle, state: AppState) {
    wasm_bindgen_futures::spawn_local(async move {
        match step_part().await {
            Ok(step) => tick(handle, state, step),
            Err(_) => {
                web_sys::console::warn_1(&"the wall tour's part could not be fetched".into());
                after_ms(crate::split::WALL_RETRY_MS, move || {
                    load_then_tick(handle, state)
                });
            }
        }
    });
}

fn tick(handle: TourHandle, state: AppState, step: Step) {
    // The app is gone (unmounted): stop.
    if state.view.try_get_untracked().is_none() {
        return;
    }
    let moving = match handle.try_borrow_mut() {
        Ok(mut d) => step(&mut d, state, wall_ms() as i64),
        Err(_) => false,
    };
    if moving {
        on_animation_frame(move || tick(handle, state, step));
    } else {
        after_ms(DWELL_POLL_MS, move || tick(handle, state, step));
    }
}

/// Is `next` a home view worth flying to from `current` (zoom or centre moved notably)?
pub fn notably_different(current: &Viewport, next: &Viewport) -> bool {
    if (current.width_css(), current.height_css(), current.dpr())
        != (next.width_css(), next.height_css(), next.dpr())
    {
        return true;
    }
    if (current.zoom().get() - next.zoom().get()).abs() >= REFIT_ZOOM {
        return true;
    }
    let (x, y) = current.world_to_screen(next.center());
    let (cx, cy) = (current.width_css() / 2.0, current.height_css() / 2.0);
    let side = current.width_css().min(current.height_css());
    (x - cx).hypot(y - cy) >= REFIT_SHIFT * side
}

/// Is the wall moving at `show` (a flight, or an alert's fly-in or fly back)?
pub fn moves(show: &Show) -> bool {
    match show {
        Show::Home => false,
        Show::Tour(s) => matches!(s.phase, Phase::Flight { .. }),
        Show::Alert { leg, .. } => !matches!(leg, AlertLeg::Hold),
    }
}

impl Driver {
    /// One step at `clock_ms`; true while something moves.
    fn step(&mut self, state: AppState, clock_ms: i64) -> bool {
        if self.player.is_none() {
            let Some(cfg) = state.config.get_untracked() else {
                return false;
            };
            let cfg = cfg.unwrap_or_default();
            self.player = Some(TourPlayer::from_config(&cfg.wall));
            self.compare = cfg.heatmap.compare;
        }
        if !self.moving {
            self.reduced = crate::env::reduced_motion();
        }
        self.take_alerts(state, clock_ms);
        let view = state.view.get_untracked();
        let home = self.home_at(state, &view, clock_ms);
        let Some(player) = self.player.as_ref() else {
            return false;
        };
        let show = player.at(clock_ms);
        // Reduced motion: each flight shows where it goes from its first instant (a cut).
        let show = if self.reduced { show.landed() } else { show };
        let vp = player.viewport(&show, &home, Zoom::clamped(ALERT_ZOOM));
        let next = view.with_center(vp.center()).with_zoom(vp.zoom());
        if next != view {
            state.view.set(next);
        }
        if !player.tour().views().is_empty() {
            let compare = match &show {
                Show::Tour(s) => player
                    .tour()
                    .views()
                    .get(s.shown_view())
                    .is_some_and(|v| v.heatmap_compare),
                _ => false,
            };
            apply_layers(state, player.layers(&show), compare, self.compare, clock_ms);
        }
        let moving =
            (!self.reduced && moves(&show)) || self.home.is_some_and(|h| h.gliding(clock_ms));
        self.moving = moving;
        // The frames this view asks for (next animation frame) stay on the gesture path while
        // the wall moves; the sharp one comes after it lands.
        state.set_flying(moving);
        self.show = Some((show, clock_ms));
        moving
    }

    /// Feeds the player the ticker's new critical alerts and acknowledgements.
    fn take_alerts(&mut self, state: AppState, clock_ms: i64) {
        let Some(player) = self.player.as_mut() else {
            return;
        };
        let feed = state.incidents;
        let seen = &mut self.seen;
        let mut kept: Vec<(u64, bool)> = Vec::new();
        state.geofence.alerts.with_untracked(|alerts| {
            // Oldest first, so that a newer alert replaces an older one in the player.
            for a in alerts.iter().rev().filter(|a| a.critical) {
                let before = seen
                    .iter()
                    .find(|(s, _)| *s == a.seq)
                    .map(|(_, acked)| *acked);
                match before {
                    None if !a.acked => {
                        let at = feed.with_store(|s| s.get(&a.incident_id).map(|i| i.at));
                        if let Some(Some(at)) = at {
                            player.handle(
                                clock_ms,
                                WallEvent::Alert {
                                    id: a.seq.to_string(),
                                    at,
                                    time_ms: a.time_ms,
                                },
                            );
                        }
                    }
                    Some(false) if a.acked => player.handle(
                        clock_ms,
                        WallEvent::Ack {
                            id: a.seq.to_string(),
                            time_ms: clock_ms,
                        },
                    ),
                    _ => {}
                }
                kept.push((a.seq, a.acked));
            }
        });
        // Only the ticker's alerts are kept: one that left it never comes back.
        *seen = kept;
    }

    /// The home view at `clock_ms` on the map's current size: the open incidents fitted (the
    /// region with none), refitted when the store changed and at most every [`HOME_REFIT_MS`].
    fn home_at(&mut self, state: AppState, view: &Viewport, clock_ms: i64) -> Viewport {
        let (w, h, dpr) = (view.width_css(), view.height_css(), view.dpr());
        let resized = self.home.is_none_or(|home| {
            (home.to.width_css(), home.to.height_css(), home.to.dpr()) != (w, h, dpr)
        });
        let version = state.incidents.version.get_untracked();
        let due = match self.fitted {
            None => true,
            Some((v, at)) => v != version && clock_ms - at >= HOME_REFIT_MS,
        };
        if resized || due {
            let points = state
                .incidents
                .with_store(|s| {
                    s.iter()
                        .filter(|i| i.is_open())
                        .map(|i| i.at)
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default();
            let fit = fit_incidents(points, w, h, dpr, &FitLimits::default());
            self.fitted = Some((version, clock_ms));
            match self.home {
                Some(home) if !resized => {
                    if notably_different(&home.to, &fit) {
                        let glide_ms = self
                            .player
                            .as_ref()
                            .map_or(0, |p| p.tour().flight_ms())
                            .max(HOME_GLIDE_MS);
                        // Reduced motion: the home view cuts to the new fit.
                        let glide_ms = if self.reduced { 0 } else { glide_ms };
                        self.home = Some(Home {
                            from: home.at(clock_ms),
                            to: fit,
                            start_ms: clock_ms,
                            glide_ms,
                        });
                    }
                }
                _ => {
                    self.home = Some(Home {
                        from: fit,
                        to: fit,
                        start_ms: clock_ms,
                        glide_ms: 0,
                    });
                }
            }
        }
        self.home.map_or(*view, |home| home.at(clock_ms))
    }
}

/// Makes the app show `layers` (and the comparison when `compare`), changing only what differs.
fn apply_layers(
    state: AppState,
    layers: &[TourLayer],
    compare: bool,
    configured: Option<(Window, Window)>,
    clock_ms: i64,
) {
    let mut vis = state.visibility.get_untracked();
    for id in LayerId::ALL {
        vis.set(id, layers.contains(&TourLayer::Map(id)));
    }
    if vis != state.visibility.get_untracked() {
        state.visibility.set(vis);
    }
    let zones = layers.contains(&TourLayer::Zones);
    if zones != state.zones_on.get_untracked() {
        state.zones_on.set(zones);
    }
    let open = state.compare.with_untracked(Option::is_some);
    if compare && !open {
        let c = configured.map_or_else(
            || Comparison::default_at(clock_ms),
            |(a, b)| Comparison { a, b },
        );
        state.open_compare(c);
    } else if !compare && open {
        state.compare.set(None);
    }
    let heat = compare || layers.contains(&TourLayer::Heatmap);
    if heat != state.heatmap.with_untracked(|h| h.enabled) {
        state.show_heatmap(heat);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::viewport::region_bounds;
    use crate::core::wall::TourState;

    fn region() -> Viewport {
        Viewport::fit(&region_bounds(), 1786.0, 1004.0, 2.15, 24.0)
    }

    #[test]
    fn a_fit_is_adopted_only_when_it_moves_notably() {
        let v = region();
        assert!(!notably_different(&v, &v));
        assert!(!notably_different(
            &v,
            &v.with_zoom(Zoom::clamped(v.zoom().get() + 0.2))
        ));
        assert!(notably_different(
            &v,
            &v.with_zoom(Zoom::clamped(v.zoom().get() + 0.3))
        ));
        // A tenth of the smaller side (100 CSS px here) moves it; a few px do not.
        assert!(!notably_different(&v, &v.panned_by(20.0, 0.0)));
        assert!(notably_different(&v, &v.panned_by(0.0, 120.0)));
        assert!(notably_different(&v, &v.with_size(1920.0, 1080.0, 1.0)));
    }

    #[test]
    fn the_home_view_glides_then_stays() {
        let from = region();
        let to = from.panned_by(400.0, 0.0);
        let home = Home {
            from,
            to,
            start_ms: 1_000,
            glide_ms: 1_000,
        };
        assert_eq!(home.at(1_000), from);
        assert!(home.gliding(1_500) && !home.gliding(2_000));
        assert_eq!(home.at(2_000), to);
        assert_eq!(home.at(9_000), to);
        let mid = home.at(1_500);
        assert!(mid != from && mid != to);
    }

    #[test]
    fn only_flights_move() {
        assert!(!moves(&Show::Home));
        assert!(!moves(&Show::Tour(TourState {
            view: 1,
            phase: Phase::Dwell
        })));
        assert!(moves(&Show::Tour(TourState {
            view: 1,
            phase: Phase::Flight {
                from: 1,
                to: 2,
                t: 0.5
            }
        })));
        let alert = |leg| Show::Alert {
            id: "7".into(),
            at: from_origin(),
            since_ms: 0,
            leg,
        };
        assert!(!moves(&alert(AlertLeg::Hold)));
        assert!(moves(&alert(AlertLeg::In {
            from: crate::core::wall::tour::Waypoint::Home,
            t: 0.2
        })));
    }

    fn from_origin() -> crate::core::units::Mercator {
        crate::core::units::Mercator { x: 0.0, y: 0.0 }
    }
}
