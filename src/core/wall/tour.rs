//! Tours in step across screens from the wall clock alone, and critical alerts that interrupt
//! them.
//!
//! Units: clocks and instants in milliseconds since the Unix epoch (the browser's `Date.now()`,
//! UTC), durations in milliseconds, flight progress `t` as a fraction 0..1 of the flight's
//! time; positions in EPSG:3857 metres; views as [`Viewport`]s (CSS px).
//!
//! **The schedule** ([`Tour::at`]) is a pure function of the clock: the cycle (view 0's dwell,
//! the flight 0 → 1, view 1's dwell, …, the flight back to view 0) repeats from the Unix epoch,
//! so screens whose clocks agree show the same state without talking to each other, and two
//! clocks 30 ms apart differ by 30 ms of progress (the same view, except within 30 ms of a
//! boundary). A single view dwells for ever; no view shows the home view ([`Show::Home`]: the
//! fit of the open incidents, or the region).
//!
//! **Interrupts** ([`TourPlayer`]): a critical alert pauses the tour, flies to the incident
//! (`flight_s`), holds until acknowledged or for `alert_hold_s` after arriving, flies back to
//! where the tour was (the view it was on, or the one it was flying to), stays there for what
//! was left of that view's dwell, then rejoins the epoch schedule at its next view start (flying
//! to it). A newer alert during the fly-in or the hold replaces the current one (after arriving
//! at it); one during the fly back waits for the tour view to be reached.
//!
//! Why rejoin rather than shift the epoch anchor by the pause: a screen that reloads (the daily
//! reload, a fatal error) or starts later never saw the alert; with a shifted anchor it would be
//! out of step with its neighbours for ever, while a rejoining wall is back in step within one
//! view.
//!
//! Assumptions for screens to agree during an interrupt: every screen receives the same alerts
//! and acknowledgements from the same feed, in the same order, each with the feed's time (the
//! zone alert's `time_ms`, i.e. the incident's `updated_at`), not the time it arrived: the
//! player starts the interrupt at that time, so a screen that hears of it 200 ms later jumps
//! 200 ms into the fly-in instead of running 200 ms late. An alert timed more than
//! [`CLOCK_SKEW_TOLERANCE_MS`] ahead of the screen's clock (a wrong clock) starts at the clock; one that would
//! already be over when it arrives is not toured to (the ticker and the flash still show it).
//! An acknowledgement known to only one screen ends the hold there alone; the screens are back
//! in step at the rejoin.

use super::settings::{TourLayer, TourView, WallConfig, seconds_to_ms};
use crate::time::CLOCK_SKEW_TOLERANCE_MS;
use crate::units::{Mercator, Zoom};
use crate::viewport::{Viewport, ease};

/// The zoom of the view on an alert's incident (a street-level view of the spot).
pub const ALERT_ZOOM: f64 = 15.0;

/// Interrupts kept for answering past clocks (older ones are dropped: memory stays bounded).
const KEPT_INTERRUPTS: usize = 4;

/// What the tour does at an instant.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Phase {
    /// On the view.
    Dwell,
    /// Flying between two views; `t` is the fraction of the flight's time gone, 0..1 (the view
    /// follows [`ease`]`(t)` of the way, [`Viewport::fly_step`]).
    Flight { from: usize, to: usize, t: f64 },
}

/// The tour's state: the view of the current step (during a flight, the view being left) and
/// the phase.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TourState {
    pub view: usize,
    pub phase: Phase,
}

impl TourState {
    fn dwell(view: usize) -> TourState {
        TourState {
            view,
            phase: Phase::Dwell,
        }
    }

    /// The view whose caption and layers apply: the one dwelt on, or the one flown to.
    pub fn shown_view(&self) -> usize {
        match self.phase {
            Phase::Dwell => self.view,
            Phase::Flight { to, .. } => to,
        }
    }

    /// During a flight, the eased fraction of the way covered ([`ease`]).
    pub fn eased(&self) -> Option<f64> {
        match self.phase {
            Phase::Dwell => None,
            Phase::Flight { t, .. } => Some(ease(t)),
        }
    }
}

/// The tour's views and the flight between them, on a cycle anchored to the Unix epoch.
#[derive(Clone, Debug, PartialEq)]
pub struct Tour {
    views: Vec<TourView>,
    flight_ms: i64,
    cycle_ms: i64,
}

/// Where a step is at an instant: the state, and the view to come back to with what is left of
/// its dwell (ms) if an alert interrupts here.
struct StepAt {
    state: TourState,
    resume: (usize, i64),
}

impl Tour {
    /// A tour of `views` with flights of `flight_s` seconds (non-finite or negative: 0, a jump).
    pub fn new(views: Vec<TourView>, flight_s: f64) -> Tour {
        let flight_ms = seconds_to_ms(flight_s);
        let dwell: i64 = views.iter().map(|v| v.dwell_ms().max(1)).sum();
        let flights = if views.len() > 1 {
            flight_ms.saturating_mul(views.len() as i64)
        } else {
            0
        };
        Tour {
            views,
            flight_ms,
            cycle_ms: dwell.saturating_add(flights),
        }
    }

    pub fn views(&self) -> &[TourView] {
        &self.views
    }

    /// A flight's duration, ms.
    pub fn flight_ms(&self) -> i64 {
        self.flight_ms
    }

    /// One round of the tour, ms (0 for no view).
    pub fn cycle_ms(&self) -> i64 {
        self.cycle_ms
    }

    /// Flights between views (none with fewer than two views or a zero flight time).
    fn flies(&self) -> bool {
        self.views.len() > 1 && self.flight_ms > 0
    }

    fn dwell_ms(&self, i: usize) -> i64 {
        self.views.get(i).map_or(1, |v| v.dwell_ms().max(1))
    }

    /// The state at `clock_ms`; `None` for a tour with no view (the home view).
    pub fn at(&self, clock_ms: i64) -> Option<TourState> {
        self.step_at(clock_ms).map(|s| s.state)
    }

    fn step_at(&self, clock_ms: i64) -> Option<StepAt> {
        if self.cycle_ms <= 0 {
            return None;
        }
        let n = self.views.len();
        let mut pos = clock_ms.rem_euclid(self.cycle_ms);
        for i in 0..n {
            let d = self.dwell_ms(i);
            if pos < d {
                return Some(StepAt {
                    state: TourState::dwell(i),
                    resume: (i, d - pos),
                });
            }
            pos -= d;
            if self.flies() {
                if pos < self.flight_ms {
                    let to = (i + 1) % n;
                    return Some(StepAt {
                        state: TourState {
                            view: i,
                            phase: Phase::Flight {
                                from: i,
                                to,
                                t: pos as f64 / self.flight_ms as f64,
                            },
                        },
                        resume: (to, self.dwell_ms(to)),
                    });
                }
                pos -= self.flight_ms;
            }
        }
        // Not reached: the positions of one cycle add up to `cycle_ms`.
        None
    }

    /// The first instant at or after `at_ms` when a view's dwell begins, and that view.
    fn next_dwell_start(&self, at_ms: i64) -> Option<(i64, usize)> {
        if self.cycle_ms <= 0 {
            return None;
        }
        let cycle_start = at_ms - at_ms.rem_euclid(self.cycle_ms);
        let flight = if self.flies() { self.flight_ms } else { 0 };
        let mut start = cycle_start;
        for i in 0..self.views.len() {
            if start >= at_ms {
                return Some((start, i));
            }
            start += self.dwell_ms(i) + flight;
        }
        Some((cycle_start + self.cycle_ms, 0))
    }

    /// The view of a tour view on a screen of `home`'s size and dpr.
    fn view_of(&self, i: usize, home: &Viewport) -> Viewport {
        self.views.get(i).map_or(*home, |v| {
            home.with_center(v.center_mercator()).with_zoom(v.zoom)
        })
    }

    /// The viewport of a tour state on a screen of `home`'s size and dpr (`home` itself for a
    /// view index out of range): the view, or the flight's [`Viewport::fly_step`].
    pub fn viewport(&self, state: &TourState, home: &Viewport) -> Viewport {
        match state.phase {
            Phase::Dwell => self.view_of(state.view, home),
            Phase::Flight { from, to, t } => self
                .view_of(from, home)
                .fly_step(&self.view_of(to, home), t),
        }
    }
}

/// Where a flight of an interrupt starts or ends.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Waypoint {
    /// The home view (no tour).
    Home,
    /// The tour as it was (a view, or a point of a flight).
    Tour(TourState),
    /// A previous alert's incident (a newer alert replaced it).
    Incident(Mercator),
}

/// Where an alert's interrupt is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum AlertLeg {
    /// Flying to the incident; `t` is the fraction of the flight's time gone, 0..1.
    In { from: Waypoint, t: f64 },
    /// On the incident.
    Hold,
    /// Flying back to the tour.
    Back { to: Waypoint, t: f64 },
}

/// What the wall shows at an instant.
#[derive(Clone, Debug, PartialEq)]
pub enum Show {
    /// The home view: the fit of the open incidents, or the region ([`super::fit`]).
    Home,
    /// The tour.
    Tour(TourState),
    /// A critical alert: its id, the incident's position, since when it interrupts, and where
    /// the interrupt is.
    Alert {
        id: String,
        at: Mercator,
        since_ms: i64,
        leg: AlertLeg,
    },
}

impl Show {
    /// The same instant without motion (reduced motion, the viewer's setting): a flight or an
    /// alert's leg shows where it goes (`t` = 1) from its first instant, so the wall cuts
    /// from view to view instead of flying; the timing (dwells, holds) is unchanged.
    pub fn landed(self) -> Show {
        match self {
            Show::Tour(TourState {
                view,
                phase: Phase::Flight { from, to, .. },
            }) => Show::Tour(TourState {
                view,
                phase: Phase::Flight { from, to, t: 1.0 },
            }),
            Show::Alert {
                id,
                at,
                since_ms,
                leg,
            } => Show::Alert {
                id,
                at,
                since_ms,
                leg: match leg {
                    AlertLeg::In { from, .. } => AlertLeg::In { from, t: 1.0 },
                    AlertLeg::Back { to, .. } => AlertLeg::Back { to, t: 1.0 },
                    AlertLeg::Hold => AlertLeg::Hold,
                },
            },
            other => other,
        }
    }
}

/// What the player is told by the feed.
#[derive(Clone, Debug, PartialEq)]
pub enum WallEvent {
    /// A new critical alert: its id, the incident's position and the feed's time of it.
    Alert {
        id: String,
        at: Mercator,
        time_ms: i64,
    },
    /// An alert was acknowledged at the feed's `time_ms`.
    Ack { id: String, time_ms: i64 },
}

/// One alert's interrupt.
#[derive(Clone, Debug, PartialEq)]
struct Interrupt {
    id: String,
    at: Mercator,
    /// The fly-in starts.
    start_ms: i64,
    /// The hold ends (the fly back starts).
    end_ms: i64,
    /// A newer alert took over at this instant (no fly back).
    cut_ms: Option<i64>,
    from: Waypoint,
    /// The tour view to come back to and what was left of its dwell; `None`: home.
    resume: Option<(usize, i64)>,
}

/// After an interrupt: back on view `view` from `start_ms`, leave it at `leave_ms` for the
/// epoch schedule's view `to`, whose dwell starts at `arrive_ms`.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Rejoin {
    view: usize,
    start_ms: i64,
    leave_ms: i64,
    to: usize,
    arrive_ms: i64,
}

/// The tour with its interrupts: a pure state machine fed the feed's alerts and
/// acknowledgements ([`TourPlayer::handle`]) and asked what to show at a clock
/// ([`TourPlayer::at`]).
#[derive(Clone, Debug, PartialEq)]
pub struct TourPlayer {
    tour: Tour,
    hold_ms: i64,
    /// The current chain of interrupts (each replacing the one before), oldest first.
    chain: Vec<Interrupt>,
    /// The way back into the schedule after the last finished chain.
    rejoin: Option<Rejoin>,
}

impl TourPlayer {
    /// A player of `tour` whose alerts hold `alert_hold_s` seconds unless acknowledged.
    pub fn new(tour: Tour, alert_hold_s: f64) -> TourPlayer {
        TourPlayer {
            tour,
            hold_ms: seconds_to_ms(alert_hold_s),
            chain: Vec::new(),
            rejoin: None,
        }
    }

    /// The player of the `wall` section's tour, flight and hold.
    pub fn from_config(c: &WallConfig) -> TourPlayer {
        TourPlayer::new(Tour::new(c.tours.clone(), c.flight_s), c.alert_hold_s)
    }

    pub fn tour(&self) -> &Tour {
        &self.tour
    }

    /// Take an event from the feed, received at the screen's `clock_ms`.
    pub fn handle(&mut self, clock_ms: i64, event: WallEvent) {
        match event {
            WallEvent::Alert { id, at, time_ms } => self.alert(clock_ms, id, at, time_ms),
            WallEvent::Ack { id, time_ms } => self.ack(&id, time_ms),
        }
    }

    fn alert(&mut self, clock_ms: i64, id: String, at: Mercator, time_ms: i64) {
        let f = self.tour.flight_ms;
        let t = if time_ms > clock_ms.saturating_add(CLOCK_SKEW_TOLERANCE_MS) {
            clock_ms
        } else {
            time_ms
        };
        if t.saturating_add(f).saturating_add(self.hold_ms) < clock_ms {
            return;
        }
        if let Some(last) = self.chain.last_mut()
            && t < last.end_ms
        {
            // The current alert is on: the new one takes over once the current is reached.
            let start_ms = t.max(last.start_ms + f);
            last.cut_ms = Some(start_ms);
            let next = Interrupt {
                id,
                at,
                start_ms,
                end_ms: start_ms + f + self.hold_ms,
                cut_ms: None,
                from: Waypoint::Incident(last.at),
                resume: last.resume,
            };
            self.chain.push(next);
            if self.chain.len() > KEPT_INTERRUPTS {
                self.chain.remove(0);
            }
            return;
        }
        let mut start_ms = t;
        if let Some(last) = self.chain.last() {
            // The previous chain is over (or flying back): rejoin after it, start after that.
            start_ms = start_ms.max(last.end_ms + f);
            self.rejoin = self.rejoin_after(last);
            self.chain.clear();
        }
        let (from, resume) = match self.base_at(start_ms) {
            Some(step) => (Waypoint::Tour(step.state), Some(step.resume)),
            None => (Waypoint::Home, None),
        };
        self.chain.push(Interrupt {
            id,
            at,
            start_ms,
            end_ms: start_ms + f + self.hold_ms,
            cut_ms: None,
            from,
            resume,
        });
    }

    fn ack(&mut self, id: &str, time_ms: i64) {
        let f = self.tour.flight_ms;
        if let Some(last) = self.chain.last_mut()
            && last.id == id
            && time_ms < last.end_ms
        {
            last.end_ms = time_ms.max(last.start_ms + f);
        }
    }

    /// The way back into the schedule after `last`'s fly back.
    fn rejoin_after(&self, last: &Interrupt) -> Option<Rejoin> {
        let (view, left_ms) = last.resume?;
        let back_ms = last.end_ms + self.tour.flight_ms;
        let leave_after = back_ms + left_ms.max(0);
        let (arrive_ms, to) = self
            .tour
            .next_dwell_start(leave_after + self.tour.flight_ms)?;
        Some(Rejoin {
            view,
            start_ms: back_ms,
            leave_ms: arrive_ms - self.tour.flight_ms,
            to,
            arrive_ms,
        })
    }

    /// The tour without the current chain: the rejoin, or the schedule.
    fn base_at(&self, clock_ms: i64) -> Option<StepAt> {
        if let Some(r) = self.rejoin
            && (r.start_ms..r.arrive_ms).contains(&clock_ms)
        {
            return Some(self.rejoin_step(&r, clock_ms));
        }
        self.tour.step_at(clock_ms)
    }

    fn rejoin_step(&self, r: &Rejoin, clock_ms: i64) -> StepAt {
        if clock_ms < r.leave_ms || r.view == r.to {
            let left = if r.view == r.to {
                r.arrive_ms - clock_ms
            } else {
                r.leave_ms - clock_ms
            };
            return StepAt {
                state: TourState::dwell(r.view),
                resume: (r.view, left),
            };
        }
        let f = self.tour.flight_ms.max(1);
        StepAt {
            state: TourState {
                view: r.view,
                phase: Phase::Flight {
                    from: r.view,
                    to: r.to,
                    t: (clock_ms - r.leave_ms) as f64 / f as f64,
                },
            },
            resume: (r.to, self.tour.dwell_ms(r.to)),
        }
    }

    fn base_show(&self, clock_ms: i64) -> Show {
        self.base_at(clock_ms)
            .map_or(Show::Home, |s| Show::Tour(s.state))
    }

    /// What to show at `clock_ms`.
    pub fn at(&self, clock_ms: i64) -> Show {
        let Some(i) = self.chain.iter().rev().find(|i| i.start_ms <= clock_ms) else {
            return self.base_show(clock_ms);
        };
        let f = self.tour.flight_ms;
        let fraction = |from: i64| {
            if f > 0 {
                (clock_ms - from) as f64 / f as f64
            } else {
                1.0
            }
        };
        let leg = if clock_ms < i.start_ms + f {
            AlertLeg::In {
                from: i.from,
                t: fraction(i.start_ms),
            }
        } else if i.cut_ms.is_some() || clock_ms < i.end_ms {
            AlertLeg::Hold
        } else if clock_ms < i.end_ms + f {
            let to = match i.resume {
                Some((view, _)) => Waypoint::Tour(TourState::dwell(view)),
                None => Waypoint::Home,
            };
            AlertLeg::Back {
                to,
                t: fraction(i.end_ms),
            }
        } else {
            return match self.rejoin_after(i) {
                Some(r) if clock_ms < r.arrive_ms => {
                    Show::Tour(self.rejoin_step(&r, clock_ms).state)
                }
                _ => self.tour.at(clock_ms).map_or(Show::Home, Show::Tour),
            };
        };
        Show::Alert {
            id: i.id.clone(),
            at: i.at,
            since_ms: i.start_ms,
            leg,
        }
    }

    /// The viewport to show for `show` on a screen of `home`'s size and dpr (`home` is the home
    /// view; an incident is shown at `alert_zoom`).
    pub fn viewport(&self, show: &Show, home: &Viewport, alert_zoom: Zoom) -> Viewport {
        let point = |w: &Waypoint| match w {
            Waypoint::Home => *home,
            Waypoint::Tour(s) => self.tour.viewport(s, home),
            Waypoint::Incident(m) => home.with_center(*m).with_zoom(alert_zoom),
        };
        match show {
            Show::Home => *home,
            Show::Tour(s) => self.tour.viewport(s, home),
            Show::Alert { at, leg, .. } => {
                let incident = home.with_center(*at).with_zoom(alert_zoom);
                match leg {
                    AlertLeg::In { from, t } => point(from).fly_step(&incident, *t),
                    AlertLeg::Hold => incident,
                    AlertLeg::Back { to, t } => incident.fly_step(&point(to), *t),
                }
            }
        }
    }

    /// The layers to show: the tour view's (during a flight, the destination's); everything but
    /// the heatmap at home and on an alert.
    pub fn layers(&self, show: &Show) -> &[TourLayer] {
        match show {
            Show::Tour(s) => self
                .tour
                .views
                .get(s.shown_view())
                .map_or(TourLayer::DEFAULT, |v| v.layers.as_slice()),
            Show::Home | Show::Alert { .. } => TourLayer::DEFAULT,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::LonLat;

    fn view(name: &str, lon: f64, lat: f64, zoom: f64, dwell_s: f64) -> TourView {
        TourView {
            name: name.into(),
            center: LonLat { lon, lat },
            zoom: Zoom::new(zoom).unwrap(),
            layers: TourLayer::DEFAULT.to_vec(),
            dwell_s,
            heatmap_compare: false,
        }
    }

    /// Calais port 10 s, Coquelles 20 s, Dunkirk 5 s; flights of 4 s: a 47 s cycle.
    fn tour() -> Tour {
        Tour::new(
            vec![
                view("Calais port", 1.865, 50.966, 13.0, 10.0),
                view("Coquelles", 1.81, 50.929, 14.0, 20.0),
                view("Dunkirk", 2.3768, 51.0343, 12.0, 5.0),
            ],
            4.0,
        )
    }

    #[test]
    fn the_cycle_is_anchored_to_the_epoch() {
        let t = tour();
        assert_eq!(t.cycle_ms(), 47_000);
        let c0 = 47_000 * 38_000_000; // a cycle start in 2026
        assert_eq!(t.at(c0), Some(TourState::dwell(0)));
        assert_eq!(t.at(c0 + 9_999), Some(TourState::dwell(0)));
        assert_eq!(
            t.at(c0 + 12_000),
            Some(TourState {
                view: 0,
                phase: Phase::Flight {
                    from: 0,
                    to: 1,
                    t: 0.5
                }
            })
        );
        assert_eq!(t.at(c0 + 14_000), Some(TourState::dwell(1)));
        assert_eq!(t.at(c0 + 38_000), Some(TourState::dwell(2)));
        // The flight from Dunkirk back to Calais port closes the cycle.
        let back = t.at(c0 + 44_000).unwrap();
        assert_eq!(back.shown_view(), 0);
        assert_eq!(back.eased(), Some(ease(1.0 / 4.0)));
        assert_eq!(t.at(c0 + 47_000), Some(TourState::dwell(0)));
        assert_eq!(t.at(-47_000), Some(TourState::dwell(0)), "before 1970 too");
        assert_eq!(t.next_dwell_start(c0 + 1), Some((c0 + 14_000, 1)));
        assert_eq!(t.next_dwell_start(c0 + 40_000), Some((c0 + 47_000, 0)));
    }

    #[test]
    fn landed_cuts_to_where_a_flight_or_an_alert_leg_goes() {
        let t = tour();
        let home = Viewport::new(
            Mercator {
                x: 200_000.0,
                y: 6_600_000.0,
            },
            Zoom::clamped(10.0),
            1920.0,
            1080.0,
            1.0,
        );
        let c0 = 47_000 * 38_000_000;
        let flying = Show::Tour(t.at(c0 + 10_001).unwrap());
        let arrived = Show::Tour(t.at(c0 + 14_000).unwrap());
        let player = TourPlayer::new(t.clone(), 30.0);
        let zoom = Zoom::clamped(15.0);
        let cut = player.viewport(&flying.clone().landed(), &home, zoom);
        assert_eq!(cut, player.viewport(&arrived, &home, zoom));
        assert_ne!(player.viewport(&flying, &home, zoom), cut);
        let at = Mercator {
            x: 210_000.0,
            y: 6_610_000.0,
        };
        let alert = Show::Alert {
            id: "a".into(),
            at,
            since_ms: 0,
            leg: AlertLeg::In {
                from: Waypoint::Home,
                t: 0.1,
            },
        };
        assert_eq!(
            player.viewport(&alert.landed(), &home, zoom),
            home.with_center(at).with_zoom(zoom)
        );
        assert_eq!(Show::Home.landed(), Show::Home);
        assert_eq!(arrived.clone().landed(), arrived);
    }

    #[test]
    fn one_view_dwells_and_none_is_home() {
        let one = Tour::new(vec![view("Channel", 1.5, 50.9, 9.0, 30.0)], 4.0);
        for c in [0, 29_999, 30_000, 1_796_428_800_123] {
            assert_eq!(one.at(c), Some(TourState::dwell(0)));
        }
        let none = TourPlayer::new(Tour::new(Vec::new(), 4.0), 120.0);
        assert_eq!(none.at(1_796_428_800_000), Show::Home);
    }

    /// The chain of interrupts is capped (issue 15, item 6): alert after alert while one is
    /// shown keeps at most [`KEPT_INTERRUPTS`] of them (the oldest go).
    #[test]
    fn the_interrupt_chain_never_passes_its_cap() {
        let mut p = TourPlayer::new(tour(), 60.0);
        let c = 47_000 * 38_000_000;
        for i in 0..20 {
            let t = c + i * 1_000;
            let at = Mercator {
                x: i as f64 * 100.0,
                y: 0.0,
            };
            let id = format!("alert-{i}");
            p.handle(t, WallEvent::Alert { id, at, time_ms: t });
            assert!(
                p.chain.len() <= KEPT_INTERRUPTS,
                "{} after {i}",
                p.chain.len()
            );
        }
        assert_eq!(p.chain.len(), KEPT_INTERRUPTS);
    }

    #[test]
    fn a_late_or_future_alert() {
        let mut p = TourPlayer::new(tour(), 60.0);
        let c = 47_000 * 38_000_000;
        let at = Mercator { x: 0.0, y: 0.0 };
        // Over before it arrived: not toured to.
        p.handle(
            c,
            WallEvent::Alert {
                id: "old".into(),
                at,
                time_ms: c - 70_000,
            },
        );
        assert_eq!(p.at(c), Show::Tour(TourState::dwell(0)));
        // Timed an hour ahead: starts at the clock.
        p.handle(
            c,
            WallEvent::Alert {
                id: "ahead".into(),
                at,
                time_ms: c + 3_600_000,
            },
        );
        assert!(matches!(p.at(c), Show::Alert { since_ms, .. } if since_ms == c));
    }
}
