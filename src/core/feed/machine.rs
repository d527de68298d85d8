//! The live feed's control logic as a state machine: a closed set of [`Input`]s, one
//! [`FeedMachine::step`] that returns the [`Effect`]s to perform, and the status to show.
//!
//! Units: `now` is milliseconds on the caller's clock (the page passes `Date.now()`: ms since
//! the Unix epoch, UTC); every duration is milliseconds.
//!
//! # The rules (docs/api.md is the contract with the server)
//!
//! * **One connection at a time.** The machine is in one [`Phase`]: loading the snapshot,
//!   streaming, polling (a request out, or the poll timer armed), backing off before a retry,
//!   or offline. Every request and stream carries a [`Ticket`]; an answer with an older ticket
//!   is ignored (the shell asks [`FeedMachine::is_current`] before it applies data). Leaving
//!   the streaming phase always emits [`Effect::CloseStream`]; leaving a phase with a timer
//!   always emits [`Effect::CancelTimer`]: at most one stream and one timer exist.
//! * **Stale is about the picture.** The status is [`FeedStatus::Stale`] once nothing (an
//!   event, a heartbeat, a snapshot or a poll answer) has arrived for `stale_after`, counted
//!   from the last arrival or, before any, from the start; it stays stale until something
//!   arrives, whatever the connection does meanwhile. It is live again on the first arrival.
//! * **Silence is judged per connection.** A stream is dropped as silent only when *it* has
//!   said nothing for `stale_after` since it was opened (a fresh connection gets the whole
//!   `stale_after` to prove itself, even when the picture is already stale) or since its last
//!   word. It is replaced at once (no back-off: the silence itself paces these reconnects to
//!   one per `stale_after`), so that a connection is always out and hears the server as soon
//!   as a stalled network lets it through. A poll or snapshot request that hangs is given up
//!   after [`POLL_TIMEOUT_FACTOR`] × the poll interval (at least `stale_after`) or
//!   [`SNAPSHOT_TIMEOUT_MS`].
//! * **Back-off.** Failed attempts wait [`BACKOFF_BASE_MS`] doubling to [`BACKOFF_MAX_MS`]
//!   (full jitter, [`Backoff`]); an HTTP error with `Retry-After` waits at least that long, but
//!   never more than [`BACKOFF_MAX_MS`] (the cap is the operator's promise: a server asking
//!   for 30 s is asked again after 10). The back-off starts over only when a connection has
//!   *delivered* something (an event, a heartbeat, a poll answer); a stream that opens and
//!   says nothing does not reset it. The browser coming back online, the page becoming
//!   visible again (when the feed was not live) and "Retry now" reconnect at once.
//! * **No loss, no duplicates.** Reconnects resume from the cursor (the last event id, else
//!   the snapshot's cursor). Without a cursor, or when the server cannot replay (`reset`,
//!   `410`), the machine refetches the snapshot; every snapshot after the first is announced
//!   once ([`Notice::Resynced`]). The first resync after a `reset` or `410` is immediate, a
//!   repeated one backs off (a server that resets every stream is not hammered).

use super::backoff::Backoff;
use crate::incident::IncidentError;

/// First reconnect delay (ms; the actual delay is jittered in [half, all] of it).
pub const BACKOFF_BASE_MS: f64 = 500.0;
/// Longest reconnect delay (ms).
pub const BACKOFF_MAX_MS: f64 = 10_000.0;
/// A snapshot request still unanswered after this long (ms) is given up and retried.
pub const SNAPSHOT_TIMEOUT_MS: f64 = 60_000.0;
/// A `?since=` poll request is given up after this many poll intervals (and `stale_after`).
pub const POLL_TIMEOUT_FACTOR: f64 = 3.0;

/// How live updates arrive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transport {
    /// Server-Sent Events (the default).
    Sse,
    /// `GET <snapshot>?since=<cursor>` every poll interval (no EventSource, or no stream URL).
    Poll,
}

impl Transport {
    /// Machine-readable name: "sse", "poll".
    pub fn key(self) -> &'static str {
        match self {
            Transport::Sse => "sse",
            Transport::Poll => "poll",
        }
    }
}

/// Names one request or stream; answers carrying an older ticket are ignored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ticket(u64);

impl Ticket {
    pub fn get(self) -> u64 {
        self.0
    }
}

/// Which HTTP request a problem is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Request {
    /// `GET <snapshot_url>`: every current incident.
    Snapshot,
    /// `GET <snapshot_url>?since=<cursor>`: the changes (polling).
    Changes,
}

/// Why the feed is not healthy: transport failures, never a rejected event (those are
/// counted by the store's diagnostics). Cleared once a connection delivers again.
#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    /// The request got no answer at all (network down, server gone, connection refused).
    Unreachable { request: Request },
    /// The server answered with an HTTP error status; `retry_after_s`: its `Retry-After` in
    /// seconds, if it sent one (the next attempt waits at least that long, up to
    /// [`BACKOFF_MAX_MS`]).
    Http {
        request: Request,
        status: u16,
        retry_after_s: Option<u32>,
    },
    /// The answer's body was cut off while it was being read.
    Truncated { request: Request },
    /// The answer's body is larger than its cap (`limits.snapshot_mb`, bytes): not read.
    TooLarge { request: Request, limit: u64 },
    /// The answer's body was read but is not a FeatureCollection of incidents as a whole (e.g.
    /// truncated JSON, an HTML error page).
    Unreadable {
        request: Request,
        error: IncidentError,
    },
    /// The request was still unanswered after its time limit.
    TimedOut { request: Request },
    /// The event stream failed or was cut.
    StreamLost,
    /// The browser would not open the event stream (e.g. a malformed URL).
    StreamRefused,
    /// The stream said nothing (no event, no heartbeat) for this long (ms) and was dropped.
    Silent { after_ms: f64 },
    /// The browser reports no network.
    Offline,
}

/// Why the whole picture was reloaded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResyncCause {
    /// The stream answered `reset`: the server could not replay the missed events.
    Reset,
    /// A `?since=` poll answered `410 Gone`.
    CursorGone,
    /// There was no cursor to resume from (the last snapshot carried none).
    NoCursor,
    /// The snapshot itself had failed and was fetched again.
    Retry,
}

impl ResyncCause {
    /// Machine-readable name: "reset", "cursor_gone", "no_cursor", "retry".
    pub fn key(self) -> &'static str {
        match self {
            ResyncCause::Reset => "reset",
            ResyncCause::CursorGone => "cursor_gone",
            ResyncCause::NoCursor => "no_cursor",
            ResyncCause::Retry => "retry",
        }
    }
}

/// Something to tell the operator once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notice {
    /// A snapshot replaced the whole picture (not the first load).
    Resynced { cause: ResyncCause },
}

/// What the operator is told about the feed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FeedStatus {
    /// Nothing received yet and no failure either (start-up).
    Connecting,
    /// Connected and the picture is fresh; `last` is when something last arrived.
    Live { last: f64 },
    /// The connection failed and a new attempt is under way or scheduled (`attempt` ≥ 1 counts
    /// the failures since the last delivery); the picture is not stale yet.
    Reconnecting { attempt: u32, last: Option<f64> },
    /// The browser reports no network; the picture is not stale yet.
    Offline { last: Option<f64> },
    /// Nothing has arrived for longer than the stale limit, since `since` (whatever the
    /// connection is doing).
    Stale { since: f64, last: Option<f64> },
}

impl FeedStatus {
    /// Machine-readable name: "connecting", "live", "reconnecting", "offline", "stale".
    pub fn key(&self) -> &'static str {
        match self {
            FeedStatus::Connecting => "connecting",
            FeedStatus::Live { .. } => "live",
            FeedStatus::Reconnecting { .. } => "reconnecting",
            FeedStatus::Offline { .. } => "offline",
            FeedStatus::Stale { .. } => "stale",
        }
    }

    /// When something last arrived, if ever.
    pub fn last(&self) -> Option<f64> {
        match *self {
            FeedStatus::Connecting => None,
            FeedStatus::Live { last } => Some(last),
            FeedStatus::Reconnecting { last, .. }
            | FeedStatus::Offline { last }
            | FeedStatus::Stale { last, .. } => last,
        }
    }
}

/// Everything the status strip shows.
#[derive(Clone, Debug, PartialEq)]
pub struct FeedView {
    pub status: FeedStatus,
    pub transport: Transport,
    /// The last transport problem, until a connection delivers again.
    pub problem: Option<Problem>,
}

/// What happened, as the shell reports it. Answers carry the [`Ticket`] of the
/// [`Effect`] that asked for them.
#[derive(Clone, Debug, PartialEq)]
pub enum Input {
    /// Begin: fetch the snapshot (once; later starts do nothing).
    Start,
    /// The snapshot was read and applied; `cursor` is its `cursor` member.
    SnapshotLoaded {
        ticket: Ticket,
        cursor: Option<String>,
    },
    /// The snapshot request failed.
    SnapshotFailed { ticket: Ticket, problem: Problem },
    /// A `?since=` answer was read and applied; `cursor` is its new cursor.
    ChangesLoaded {
        ticket: Ticket,
        cursor: Option<String>,
    },
    /// A `?since=` request answered `410 Gone`.
    ChangesGone { ticket: Ticket },
    /// A `?since=` request failed.
    ChangesFailed { ticket: Ticket, problem: Problem },
    /// The event stream opened (the server answered 200 with an event stream).
    StreamOpened { ticket: Ticket },
    /// An `incident` event arrived (valid or not: the server spoke); `id` is its event id.
    Event { ticket: Ticket, id: Option<String> },
    /// A `heartbeat` event arrived.
    Heartbeat { ticket: Ticket },
    /// A `reset` event arrived: the server cannot replay from our cursor.
    Reset { ticket: Ticket },
    /// The stream failed (error event) or could not be opened.
    StreamFailed { ticket: Ticket, problem: Problem },
    /// The timer armed by [`Effect::ArmTimer`] with this ticket fired.
    TimerFired { ticket: Ticket },
    /// The periodic check (the shell sends one about every second).
    Tick,
    /// The browser reports the network back.
    Online,
    /// The browser reports no network.
    Offline,
    /// The page became visible again.
    Visible,
    /// The page was hidden (another tab, screen off).
    Hidden,
    /// The operator pressed "Retry now".
    RetryNow,
}

/// What the shell must do, in order.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// `GET` the snapshot; answer with `SnapshotLoaded` / `SnapshotFailed`.
    FetchSnapshot { ticket: Ticket },
    /// `GET` the changes since `cursor`; answer with `ChangesLoaded` / `ChangesGone` /
    /// `ChangesFailed`.
    FetchChanges { ticket: Ticket, cursor: String },
    /// Open the event stream, resuming after `cursor` when there is one.
    OpenStream {
        ticket: Ticket,
        cursor: Option<String>,
    },
    /// Close the event stream (if one is open).
    CloseStream,
    /// Arm the one timer (replacing any): answer with `TimerFired` after `delay_ms`.
    ArmTimer { ticket: Ticket, delay_ms: f64 },
    /// Disarm the timer.
    CancelTimer,
    /// Tell the operator once.
    Announce(Notice),
    /// The status strip changed: show this.
    Publish(FeedView),
}

/// What to try when the current attempt is over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Next {
    Snapshot,
    Stream,
    Poll,
}

/// Where the machine is. Every phase but `Idle` and `Offline` has a ticket.
#[derive(Clone, Debug, PartialEq)]
enum Phase {
    /// Not started.
    Idle,
    /// The snapshot request is out since `since`.
    Loading { ticket: Ticket, since: f64 },
    /// The stream is out; `since` is when it was opened or last said something.
    Streaming {
        ticket: Ticket,
        since: f64,
        opened: bool,
    },
    /// Polling: the timer before the next `?since=` request is armed.
    PollWait { ticket: Ticket },
    /// Polling: a `?since=` request is out since `since`.
    Polling { ticket: Ticket, since: f64 },
    /// Waiting out the back-off before trying `next`.
    Backoff { ticket: Ticket, next: Next },
    /// No network: try `next` when it comes back.
    Offline { next: Next },
}

impl Phase {
    fn ticket(&self) -> Option<Ticket> {
        match *self {
            Phase::Loading { ticket, .. }
            | Phase::Streaming { ticket, .. }
            | Phase::PollWait { ticket }
            | Phase::Polling { ticket, .. }
            | Phase::Backoff { ticket, .. } => Some(ticket),
            Phase::Idle | Phase::Offline { .. } => None,
        }
    }

    fn has_timer(&self) -> bool {
        matches!(self, Phase::PollWait { .. } | Phase::Backoff { .. })
    }
}

/// The feed's control state. See the module doc for the rules.
#[derive(Clone, Debug)]
pub struct FeedMachine {
    transport: Transport,
    stale_after_ms: f64,
    poll_interval_ms: f64,
    backoff: Backoff,
    rng: u64,
    phase: Phase,
    last_ticket: u64,
    cursor: Option<String>,
    snapshots: u64,
    resync_cause: Option<ResyncCause>,
    /// A resync was asked for and no connection has delivered since (a repeated one waits).
    resyncing: bool,
    started_at: Option<f64>,
    last_arrival: Option<f64>,
    /// The current connection works (opened, or an answer came); false after a failure.
    up: bool,
    problem: Option<Problem>,
    online: bool,
    visible: bool,
    published: Option<FeedView>,
}

impl FeedMachine {
    /// A machine that is not started. `stale_after_ms` and `poll_interval_ms` fall back to
    /// 15 s and 5 s when not positive and finite; `seed` drives the back-off jitter.
    pub fn new(
        transport: Transport,
        stale_after_ms: f64,
        poll_interval_ms: f64,
        seed: u64,
    ) -> FeedMachine {
        let positive = |v: f64, default: f64| {
            if v.is_finite() && v > 0.0 { v } else { default }
        };
        FeedMachine {
            transport,
            stale_after_ms: positive(stale_after_ms, 15_000.0),
            poll_interval_ms: positive(poll_interval_ms, 5_000.0),
            backoff: Backoff::new(BACKOFF_BASE_MS, BACKOFF_MAX_MS),
            // xorshift needs a non-zero state.
            rng: seed | 1,
            phase: Phase::Idle,
            last_ticket: 0,
            cursor: None,
            snapshots: 0,
            resync_cause: None,
            resyncing: false,
            started_at: None,
            last_arrival: None,
            up: false,
            problem: None,
            online: true,
            visible: true,
            published: None,
        }
    }

    pub fn transport(&self) -> Transport {
        self.transport
    }

    pub fn stale_after_ms(&self) -> f64 {
        self.stale_after_ms
    }

    /// The cursor reconnects resume from: the last event id, else the last snapshot's or
    /// poll answer's cursor.
    pub fn cursor(&self) -> Option<&str> {
        self.cursor.as_deref()
    }

    /// Snapshots applied so far (the first load and every resync).
    pub fn snapshots(&self) -> u64 {
        self.snapshots
    }

    /// Whether an answer or stream event with this ticket is still wanted.
    pub fn is_current(&self, ticket: Ticket) -> bool {
        self.phase.ticket() == Some(ticket)
    }

    /// Whether the browser last reported a network.
    pub fn online(&self) -> bool {
        self.online
    }

    /// Whether the page was last reported visible.
    pub fn visible(&self) -> bool {
        self.visible
    }

    /// What the status strip shows at `now`.
    pub fn view(&self, now: f64) -> FeedView {
        FeedView {
            status: self.status(now),
            transport: self.transport,
            problem: self.problem.clone(),
        }
    }

    /// The status at `now` (see the module doc).
    pub fn status(&self, now: f64) -> FeedStatus {
        let Some(started) = self.started_at else {
            return FeedStatus::Connecting;
        };
        let reference = self.last_arrival.unwrap_or(started);
        let last = self.last_arrival;
        if now - reference > self.stale_after_ms {
            return FeedStatus::Stale {
                since: reference + self.stale_after_ms,
                last,
            };
        }
        if matches!(self.phase, Phase::Offline { .. }) {
            return FeedStatus::Offline { last };
        }
        match (self.up, last) {
            (true, Some(last)) => FeedStatus::Live { last },
            _ if self.problem.is_some() => FeedStatus::Reconnecting {
                attempt: self.backoff.attempt().max(1),
                last,
            },
            _ => FeedStatus::Connecting,
        }
    }

    /// Whether the picture is stale at `now`.
    pub fn is_stale(&self, now: f64) -> bool {
        matches!(self.status(now), FeedStatus::Stale { .. })
    }

    /// One input at `now`: the effects to perform, in order. The last effect is
    /// [`Effect::Publish`] whenever what the strip shows changed.
    pub fn step(&mut self, now: f64, input: Input) -> Vec<Effect> {
        let mut fx = Vec::new();
        match input {
            Input::Start => {
                if self.started_at.is_none() {
                    self.started_at = Some(now);
                    self.attempt(now, Next::Snapshot, &mut fx);
                }
            }
            Input::SnapshotLoaded { ticket, cursor } => {
                if self.is_loading(ticket) {
                    self.cursor = cursor;
                    self.snapshots += 1;
                    self.arrived(now);
                    if self.snapshots > 1 {
                        let cause = self.resync_cause.take().unwrap_or(ResyncCause::Retry);
                        fx.push(Effect::Announce(Notice::Resynced { cause }));
                    }
                    self.resync_cause = None;
                    match self.transport {
                        Transport::Sse => self.attempt(now, Next::Stream, &mut fx),
                        Transport::Poll => self.wait_poll(&mut fx),
                    }
                }
            }
            Input::SnapshotFailed { ticket, problem } => {
                if self.is_loading(ticket) {
                    self.fail(problem, Next::Snapshot, &mut fx);
                }
            }
            Input::ChangesLoaded { ticket, cursor } => {
                if matches!(self.phase, Phase::Polling { ticket: t, .. } if t == ticket) {
                    if cursor.is_some() {
                        self.cursor = cursor;
                    }
                    self.arrived(now);
                    self.backoff.reset();
                    self.resyncing = false;
                    self.wait_poll(&mut fx);
                }
            }
            Input::ChangesGone { ticket } => {
                if matches!(self.phase, Phase::Polling { ticket: t, .. } if t == ticket) {
                    self.resync(now, ResyncCause::CursorGone, &mut fx);
                }
            }
            Input::ChangesFailed { ticket, problem } => {
                if matches!(self.phase, Phase::Polling { ticket: t, .. } if t == ticket) {
                    self.fail(problem, Next::Poll, &mut fx);
                }
            }
            Input::StreamOpened { ticket } => {
                if let Phase::Streaming {
                    ticket: t,
                    since,
                    opened,
                } = &mut self.phase
                    && *t == ticket
                {
                    *since = now;
                    *opened = true;
                    self.up = true;
                    // An open connection disproves a connection problem, not a silence: a
                    // stalled server accepts streams and says nothing on them (the `stall` and
                    // `pings` faults, issue 15 item 4); only a word clears that (`arrived`).
                    if !matches!(
                        self.problem,
                        Some(Problem::Offline | Problem::Silent { .. })
                    ) {
                        self.problem = None;
                    }
                }
            }
            Input::Event { ticket, id } => {
                if self.heard(now, ticket)
                    && let Some(id) = id.filter(|id| !id.is_empty())
                {
                    self.cursor = Some(id);
                }
            }
            Input::Heartbeat { ticket } => {
                self.heard(now, ticket);
            }
            Input::Reset { ticket } => {
                if self.is_streaming(ticket) {
                    // The server spoke; its answer is "reload everything".
                    self.last_arrival = Some(now);
                    self.resync(now, ResyncCause::Reset, &mut fx);
                }
            }
            Input::StreamFailed { ticket, problem } => {
                if self.is_streaming(ticket) {
                    let next = self.stream_next();
                    self.fail(problem, next, &mut fx);
                }
            }
            Input::TimerFired { ticket } => match self.phase {
                Phase::Backoff { ticket: t, next } if t == ticket => {
                    self.attempt(now, next, &mut fx);
                }
                Phase::PollWait { ticket: t } if t == ticket => {
                    self.attempt(now, Next::Poll, &mut fx);
                }
                _ => {}
            },
            Input::Tick => self.check_silence(now, &mut fx),
            Input::Online => {
                self.online = true;
                if self.problem == Some(Problem::Offline) {
                    self.problem = None;
                }
                if !self.up || matches!(self.phase, Phase::Offline { .. } | Phase::Backoff { .. }) {
                    self.reconnect_now(now, &mut fx);
                }
            }
            Input::Offline => {
                self.online = false;
                if let Some(next) = self.pending_next() {
                    self.enter(Phase::Offline { next }, &mut fx);
                    self.up = false;
                    self.problem = Some(Problem::Offline);
                }
            }
            Input::Visible => {
                self.visible = true;
                if !self.up || self.is_stale(now) {
                    self.reconnect_now(now, &mut fx);
                }
            }
            Input::Hidden => self.visible = false,
            Input::RetryNow => self.reconnect_now(now, &mut fx),
        }
        self.publish(now, &mut fx);
        fx
    }

    fn new_ticket(&mut self) -> Ticket {
        self.last_ticket += 1;
        Ticket(self.last_ticket)
    }

    fn jitter(&mut self) -> f64 {
        // xorshift64*: deterministic per seed, plenty for spreading reconnects.
        let mut x = self.rng;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.rng = x;
        (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }

    fn is_loading(&self, ticket: Ticket) -> bool {
        matches!(self.phase, Phase::Loading { ticket: t, .. } if t == ticket)
    }

    fn is_streaming(&self, ticket: Ticket) -> bool {
        matches!(self.phase, Phase::Streaming { ticket: t, .. } if t == ticket)
    }

    /// Moves to `phase`, closing the stream and disarming the timer of the phase it leaves.
    fn enter(&mut self, phase: Phase, fx: &mut Vec<Effect>) {
        if matches!(self.phase, Phase::Streaming { .. }) {
            fx.push(Effect::CloseStream);
        }
        if self.phase.has_timer() && !phase.has_timer() {
            fx.push(Effect::CancelTimer);
        }
        self.phase = phase;
    }

    /// Something arrived: the picture is fresh and the connection works.
    fn arrived(&mut self, now: f64) {
        self.last_arrival = Some(self.last_arrival.map_or(now, |l| l.max(now)));
        self.up = true;
        if self.problem != Some(Problem::Offline) {
            self.problem = None;
        }
    }

    /// An event or heartbeat on the stream `ticket`: it has proved itself. Returns whether
    /// it was the current stream.
    fn heard(&mut self, now: f64, ticket: Ticket) -> bool {
        let Phase::Streaming {
            ticket: t,
            since,
            opened,
        } = &mut self.phase
        else {
            return false;
        };
        if *t != ticket {
            return false;
        }
        *since = now;
        *opened = true;
        self.arrived(now);
        self.backoff.reset();
        self.resyncing = false;
        true
    }

    /// What a stream that ended should be followed by: resume from the cursor, or reload.
    fn stream_next(&self) -> Next {
        if self.cursor.is_some() {
            Next::Stream
        } else {
            Next::Snapshot
        }
    }

    /// What the current phase would try next if it were cut now (`None` before the start).
    fn pending_next(&self) -> Option<Next> {
        match self.phase {
            Phase::Idle => None,
            Phase::Loading { .. } => Some(Next::Snapshot),
            Phase::Streaming { .. } => Some(self.stream_next()),
            Phase::PollWait { .. } | Phase::Polling { .. } => Some(Next::Poll),
            Phase::Backoff { next, .. } | Phase::Offline { next } => Some(next),
        }
    }

    /// Starts `next` now.
    fn attempt(&mut self, now: f64, next: Next, fx: &mut Vec<Effect>) {
        // Polling needs a cursor; a stream without one only hears live events (after the
        // first snapshot that is all there is; reconnects go through `stream_next`).
        let next = match (next, &self.cursor) {
            (Next::Poll, None) => Next::Snapshot,
            _ => next,
        };
        if next == Next::Snapshot && self.snapshots > 0 && self.resync_cause.is_none() {
            self.resync_cause = Some(if self.cursor.is_none() {
                ResyncCause::NoCursor
            } else {
                ResyncCause::Retry
            });
        }
        let ticket = self.new_ticket();
        match next {
            Next::Snapshot => {
                self.enter(Phase::Loading { ticket, since: now }, fx);
                fx.push(Effect::FetchSnapshot { ticket });
            }
            Next::Stream => {
                self.enter(
                    Phase::Streaming {
                        ticket,
                        since: now,
                        opened: false,
                    },
                    fx,
                );
                fx.push(Effect::OpenStream {
                    ticket,
                    cursor: self.cursor.clone(),
                });
            }
            Next::Poll => {
                self.enter(Phase::Polling { ticket, since: now }, fx);
                let cursor = self.cursor.clone().unwrap_or_default();
                fx.push(Effect::FetchChanges { ticket, cursor });
            }
        }
    }

    /// Arms the poll timer.
    fn wait_poll(&mut self, fx: &mut Vec<Effect>) {
        let ticket = self.new_ticket();
        self.enter(Phase::PollWait { ticket }, fx);
        fx.push(Effect::ArmTimer {
            ticket,
            delay_ms: self.poll_interval_ms,
        });
    }

    /// A failure: note it and retry `next` after the back-off (or when the network is back).
    fn fail(&mut self, problem: Problem, next: Next, fx: &mut Vec<Effect>) {
        self.up = false;
        if !self.online {
            self.problem = Some(Problem::Offline);
            self.enter(Phase::Offline { next }, fx);
            return;
        }
        let asked_ms = match problem {
            Problem::Http {
                retry_after_s: Some(s),
                ..
            } => (f64::from(s) * 1_000.0).min(BACKOFF_MAX_MS),
            _ => 0.0,
        };
        self.problem = Some(problem);
        let jitter = self.jitter();
        let delay_ms = self.backoff.next_delay(jitter).max(asked_ms);
        let ticket = self.new_ticket();
        self.enter(Phase::Backoff { ticket, next }, fx);
        fx.push(Effect::ArmTimer { ticket, delay_ms });
    }

    /// Reload the whole picture: at once, unless the last resync has not yet led to a
    /// connection that delivered (then after the back-off).
    fn resync(&mut self, now: f64, cause: ResyncCause, fx: &mut Vec<Effect>) {
        self.resync_cause = Some(cause);
        let repeated = std::mem::replace(&mut self.resyncing, true);
        if !repeated {
            self.attempt(now, Next::Snapshot, fx);
        } else {
            let jitter = self.jitter();
            let delay_ms = self.backoff.next_delay(jitter);
            let ticket = self.new_ticket();
            self.enter(
                Phase::Backoff {
                    ticket,
                    next: Next::Snapshot,
                },
                fx,
            );
            fx.push(Effect::ArmTimer { ticket, delay_ms });
        }
    }

    /// Drop whatever is pending and try again now, with a fresh back-off.
    fn reconnect_now(&mut self, now: f64, fx: &mut Vec<Effect>) {
        let Some(next) = self.pending_next() else {
            return;
        };
        self.backoff.reset();
        self.attempt(now, next, fx);
    }

    /// The periodic check: silent streams and hung requests are given up.
    fn check_silence(&mut self, now: f64, fx: &mut Vec<Effect>) {
        match self.phase {
            Phase::Streaming { since, .. } if now - since > self.stale_after_ms => {
                // Replaced at once: the silence itself paces these reconnects (one per
                // stale_after), and a stream is always out when the network comes back.
                let next = self.stream_next();
                self.up = false;
                self.problem = Some(Problem::Silent {
                    after_ms: self.stale_after_ms,
                });
                self.attempt(now, next, fx);
            }
            Phase::Polling { since, .. }
                if now - since
                    > (self.poll_interval_ms * POLL_TIMEOUT_FACTOR).max(self.stale_after_ms) =>
            {
                let request = Request::Changes;
                self.fail(Problem::TimedOut { request }, Next::Poll, fx);
            }
            Phase::Loading { since, .. } if now - since > SNAPSHOT_TIMEOUT_MS => {
                let request = Request::Snapshot;
                self.fail(Problem::TimedOut { request }, Next::Snapshot, fx);
            }
            _ => {}
        }
    }

    fn publish(&mut self, now: f64, fx: &mut Vec<Effect>) {
        let view = self.view(now);
        if self.published.as_ref() != Some(&view) {
            self.published = Some(view.clone());
            fx.push(Effect::Publish(view));
        }
    }
}
