//! The `feed-machine` target: `core::feed::FeedMachine` driven by a script of what the browser
//! and the server did, read from JSON, with the machine's promises checked after every step.
//!
//! Units: the script's times are milliseconds on the page's clock (`Date.now()`, which may go
//! back: a clock corrected under the page); delays are milliseconds.
//!
//! The script: `{"transport": "sse"|"poll", "stale_after_ms": n, "poll_interval_ms": n,
//! "seed": n, "steps": [...]}`, each step an array: `["+", ms]` moves the clock;
//! `["start"]`, `["tick"]`, `["online"]`, `["offline"]`, `["visible"]`, `["hidden"]`,
//! `["retry"]`; answers `["snapshot", cursor]`, `["changes", cursor]` (a cursor is a string or
//! null), `["gone"]`, `["opened"]`, `["event", id]`, `["heartbeat"]`, `["reset"]`,
//! `["timer"]`, and failures `["snapshot-failed", problem]`, `["changes-failed", problem]`,
//! `["stream-failed", problem]`, where a problem is `"unreachable"`, `"truncated"`,
//! `"timeout"`, `"lost"`, `"refused"`, `"silent"`, `"offline"`, `"too-large"`,
//! `"unreadable"` or `[status, retry_after_s]`. An answer carries the ticket of the latest
//! request unless its last element is a number k ≥ 1: then the k-th earlier ticket (a late
//! answer to a request given up). A step the script cannot read is skipped (the input is then
//! not "accepted as a whole").
//!
//! Checked after every step (the module doc of `core::feed::machine`): at most one stream is
//! open (every `OpenStream` follows the `CloseStream` of the one before); at most one
//! connection is current (a stream or a request); every timer's delay is finite, not negative
//! and at most the longest wait the machine has (the back-off cap or the poll interval); the
//! tickets of new requests, streams and timers never go back; what it publishes is its view.

use calais_core::feed::{
    BACKOFF_MAX_MS, Effect, FeedMachine, Input, Problem, Request, Ticket, Transport,
};
use calais_core::incident::IncidentError;
use serde_json::Value;

/// Longest script read (steps beyond it are ignored): a mutation that repeats a step a
/// million times tests nothing more.
const MAX_STEPS: usize = 4_096;

/// What the shell holds between steps: the stream it opened, the request out, the tickets seen.
#[derive(Default)]
struct Shell {
    stream: Option<Ticket>,
    request: Option<Ticket>,
    tickets: Vec<Ticket>,
}

impl Shell {
    /// The ticket `back` requests before the latest (0: the latest).
    fn ticket(&self, back: usize) -> Option<Ticket> {
        let n = self.tickets.len();
        back.checked_add(1)
            .and_then(|b| n.checked_sub(b))
            .and_then(|i| self.tickets.get(i).copied())
    }

    /// Performs the effects as the page does, checking each against the rules.
    fn perform(&mut self, machine: &FeedMachine, now: f64, poll_ms: f64, effects: &[Effect]) {
        let longest_wait = BACKOFF_MAX_MS.max(poll_ms);
        for effect in effects {
            let new = match effect {
                Effect::FetchSnapshot { ticket } | Effect::FetchChanges { ticket, .. } => {
                    self.request = Some(*ticket);
                    Some(*ticket)
                }
                Effect::OpenStream { ticket, .. } => {
                    assert!(
                        self.stream.is_none(),
                        "a second stream opened before the first was closed"
                    );
                    self.stream = Some(*ticket);
                    Some(*ticket)
                }
                Effect::CloseStream => {
                    self.stream = None;
                    None
                }
                Effect::ArmTimer { ticket, delay_ms } => {
                    assert!(
                        delay_ms.is_finite() && *delay_ms >= 0.0 && *delay_ms <= longest_wait,
                        "a timer of {delay_ms} ms"
                    );
                    Some(*ticket)
                }
                Effect::Publish(view) => {
                    assert_eq!(*view, machine.view(now), "what is published is the view");
                    None
                }
                Effect::CancelTimer | Effect::Announce(_) => None,
            };
            if let Some(ticket) = new {
                assert!(
                    self.tickets.last().is_none_or(|last| ticket >= *last),
                    "a ticket went back"
                );
                if self.tickets.last() != Some(&ticket) {
                    self.tickets.push(ticket);
                }
            }
        }
        let current = [self.stream, self.request]
            .into_iter()
            .flatten()
            .filter(|t| machine.is_current(*t))
            .count();
        assert!(current <= 1, "a stream and a request current at once");
    }
}

/// Runs the script `text`; `true` if every step was read.
pub fn feed_machine(text: &str) -> bool {
    let Ok(script) = serde_json::from_str::<Value>(text) else {
        return false;
    };
    let number = |key: &str| script.get(key).and_then(Value::as_f64);
    let transport = match script.get("transport").and_then(Value::as_str) {
        Some("poll") => Transport::Poll,
        _ => Transport::Sse,
    };
    let poll_ms = number("poll_interval_ms").unwrap_or(5_000.0);
    let seed = script.get("seed").and_then(Value::as_u64).unwrap_or(1);
    let mut machine = FeedMachine::new(
        transport,
        number("stale_after_ms").unwrap_or(15_000.0),
        poll_ms,
        seed,
    );
    // The machine falls back to 5 s for a poll interval that is not positive and finite.
    let poll_ms = if poll_ms.is_finite() && poll_ms > 0.0 {
        poll_ms
    } else {
        5_000.0
    };
    let Some(steps) = script.get("steps").and_then(Value::as_array) else {
        return false;
    };
    let mut shell = Shell::default();
    let mut now = 1_781_174_400_000.0_f64;
    let mut whole = true;
    for step in steps.iter().take(MAX_STEPS) {
        let Some(step) = step.as_array() else {
            whole = false;
            continue;
        };
        if step.first().and_then(Value::as_str) == Some("+") {
            match step.get(1).and_then(Value::as_f64) {
                Some(ms) => now += ms.clamp(-1e9, 1e9),
                None => whole = false,
            }
            continue;
        }
        let Some(input) = input(step, &shell) else {
            whole = false;
            continue;
        };
        if matches!(
            input,
            Input::SnapshotLoaded { .. } | Input::ChangesLoaded { .. }
        ) || matches!(
            input,
            Input::SnapshotFailed { .. } | Input::ChangesFailed { .. } | Input::ChangesGone { .. }
        ) {
            shell.request = None;
        }
        let effects = machine.step(now, input);
        shell.perform(&machine, now, poll_ms, &effects);
    }
    whole
}

/// One step as the machine's input (`None`: not a step this script knows).
fn input(step: &[Value], shell: &Shell) -> Option<Input> {
    let name = step.first()?.as_str()?;
    // A trailing number k ≥ 1 answers the k-th earlier request.
    let back = step
        .last()
        .filter(|_| step.len() > 1)
        .and_then(Value::as_u64)
        .map_or(0, |k| k as usize);
    let ticket = || shell.ticket(back);
    let text = |i: usize| step.get(i).and_then(Value::as_str).map(str::to_string);
    let failure = |request| problem(step.get(1)?, request);
    Some(match name {
        "start" => Input::Start,
        "tick" => Input::Tick,
        "online" => Input::Online,
        "offline" => Input::Offline,
        "visible" => Input::Visible,
        "hidden" => Input::Hidden,
        "retry" => Input::RetryNow,
        "snapshot" => Input::SnapshotLoaded {
            ticket: ticket()?,
            cursor: text(1),
        },
        "changes" => Input::ChangesLoaded {
            ticket: ticket()?,
            cursor: text(1),
        },
        "gone" => Input::ChangesGone { ticket: ticket()? },
        "opened" => Input::StreamOpened { ticket: ticket()? },
        "event" => Input::Event {
            ticket: ticket()?,
            id: text(1),
        },
        "heartbeat" => Input::Heartbeat { ticket: ticket()? },
        "reset" => Input::Reset { ticket: ticket()? },
        "timer" => Input::TimerFired { ticket: ticket()? },
        "snapshot-failed" => Input::SnapshotFailed {
            ticket: ticket()?,
            problem: failure(Request::Snapshot)?,
        },
        "changes-failed" => Input::ChangesFailed {
            ticket: ticket()?,
            problem: failure(Request::Changes)?,
        },
        "stream-failed" => Input::StreamFailed {
            ticket: ticket()?,
            problem: failure(Request::Snapshot)?,
        },
        _ => return None,
    })
}

/// A problem as the script writes it (see the module doc).
fn problem(value: &Value, request: Request) -> Option<Problem> {
    if let Some([status, retry]) = value.as_array().map(Vec::as_slice) {
        return Some(Problem::Http {
            request,
            status: u16::try_from(status.as_u64()?).ok()?,
            retry_after_s: retry.as_u64().and_then(|s| u32::try_from(s).ok()),
        });
    }
    Some(match value.as_str()? {
        "unreachable" => Problem::Unreachable { request },
        "truncated" => Problem::Truncated { request },
        "timeout" => Problem::TimedOut { request },
        "lost" => Problem::StreamLost,
        "refused" => Problem::StreamRefused,
        "silent" => Problem::Silent { after_ms: 15_000.0 },
        "offline" => Problem::Offline,
        "too-large" => Problem::TooLarge {
            request,
            limit: 50 << 20,
        },
        "unreadable" => Problem::Unreadable {
            request,
            error: IncidentError::NotFeatureCollection("array".to_string()),
        },
        _ => return None,
    })
}
