//! Fault injection for end-to-end tests (`--faults`, off by default; docs/api.md "Fault
//! injection"): the faults that can be switched on at run time through `POST /__faults`,
//! cleared by `DELETE /__faults`, and the one-shot actions (a burst of events, a restart into
//! a new event-id space).
//!
//! Units: durations in ms (`Retry-After` in whole seconds, as HTTP has it), the clock skew in
//! ms added to the server's clock (`clock::set_skew_ms`).
//!
//! Where each fault acts: `refuse`, `delay`, `status` and `truncate` on the snapshot, `since=`
//! and stream routes ([`api`], a layer on those routes only: health, history and the static
//! files stay up, so the page is there and the test can clear the faults); `stall`, `pings`,
//! `duplicate` and `reorder` in each stream's session (`http::sse_session`, which watches
//! [`Faults::watch`]), `duplicate` in `since=` answers too; `skew` in the server's clock (every
//! timestamp the generator, the scenario and the heartbeats write); `burst` through the shared
//! generator; `restart` through `Hub::restart`.

pub mod refuse;

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use tokio::sync::watch;

use crate::clock;
use crate::generator::{self, SharedGenerator};
use crate::hub::Hub;

/// The longest delay, burst and skew a request may ask for.
const MAX_DELAY_MS: u64 = 120_000;
const MAX_BURST_EVENTS: u64 = 100_000;
const MAX_SKEW_MS: i64 = 400 * 86_400_000;

/// How a body is cut in the middle of its JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Truncate {
    /// `Content-Length` of the whole body, half of it sent, then the connection dropped.
    DeclaredLength,
    /// No `Content-Length`: half the body, ended cleanly (a proxy that lost the rest).
    NoLength,
}

/// What every stream does instead of its events and heartbeats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamFault {
    /// Nothing at all; the connection stays open.
    Stall,
    /// Only `: ping` comment lines, this often (ms).
    Pings { every_ms: u64 },
}

/// Which API requests a `status` fault answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Routes {
    /// The snapshot, `since=` and the stream.
    All,
    /// The snapshot and `since=` only (the stream still opens: a resync's snapshot fails).
    Snapshot,
    /// The stream only.
    Stream,
}

impl Routes {
    fn covers(self, is_stream: bool) -> bool {
        match self {
            Routes::All => true,
            Routes::Snapshot => !is_stream,
            Routes::Stream => is_stream,
        }
    }

    fn key(self) -> &'static str {
        match self {
            Routes::All => "all",
            Routes::Snapshot => "snapshot",
            Routes::Stream => "stream",
        }
    }
}

/// The faults in force (several may be at once).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FaultSet {
    /// API requests: the connection is dropped without an answer.
    pub refuse: bool,
    /// API requests wait this long (ms) before they are answered (0: none).
    pub delay_ms: u64,
    /// Snapshot and `since=` bodies cut mid-JSON.
    pub truncate: Option<Truncate>,
    /// API requests answered with this status (and `Retry-After`, seconds) instead.
    pub status: Option<(u16, Option<u32>, Routes)>,
    pub stream: Option<StreamFault>,
    /// Added to the server's clock (ms).
    pub skew_ms: i64,
    /// Every live event sent twice; every `since=` feature listed twice.
    pub duplicate: bool,
    /// Live events sent in swapped pairs (a lone one after [`REORDER_HOLD_MS`]).
    pub reorder: bool,
    /// Counts the request faults switched on (`refuse`, `delay`, `status`, `truncate`): each
    /// one ends the streams open before it, so the clients must come back through the fault.
    pub cut_streams: u64,
}

/// A body cut with its `Content-Length` declared is dropped this long (ms) after its half.
const CUT_AFTER_MS: u64 = 100;

/// The request log of `GET /__faults` keeps this many entries.
const MAX_LOGGED: usize = 1_000;

/// A lone held event of the `reorder` fault goes out after this long (ms).
pub const REORDER_HOLD_MS: u64 = 300;

/// One fault to switch on.
#[derive(Clone, Debug, PartialEq)]
pub enum Fault {
    Refuse,
    Delay {
        ms: u64,
    },
    Truncate(Truncate),
    Status {
        code: u16,
        retry_after_s: Option<u32>,
        on: Routes,
    },
    Stream(StreamFault),
    Skew {
        ms: i64,
    },
    Duplicate,
    Reorder,
}

/// What `POST /__faults` asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Switch a fault on (it stays on until `DELETE /__faults`).
    Set(Fault),
    /// Emit `events` generator events evenly over `within_ms`.
    Burst { events: u64, within_ms: u64 },
    /// Start a new event-id space at `first_seq` (`Hub::restart`).
    Restart { first_seq: u64 },
}

fn uint(v: &Value, key: &str, default: Option<u64>, max: u64) -> Result<u64, String> {
    match v.get(key) {
        None | Some(Value::Null) => default.ok_or_else(|| format!("{key} is missing")),
        Some(x) => x
            .as_u64()
            .filter(|n| *n <= max)
            .ok_or_else(|| format!("{key} must be a whole number from 0 to {max}")),
    }
}

/// Reads a `POST /__faults` body: `{"fault": "<name>", ...parameters}`.
pub fn parse(body: &str) -> Result<Command, String> {
    let v: Value = serde_json::from_str(body).map_err(|e| format!("not JSON: {e}"))?;
    let name = v
        .get("fault")
        .and_then(Value::as_str)
        .ok_or("\"fault\" (a string) is missing")?;
    let fault = match name {
        "refuse" => Fault::Refuse,
        "delay" => Fault::Delay {
            ms: uint(&v, "ms", Some(10_000), MAX_DELAY_MS)?,
        },
        "truncate" => Fault::Truncate(match v.get("content_length").and_then(Value::as_bool) {
            Some(false) => Truncate::NoLength,
            _ => Truncate::DeclaredLength,
        }),
        "status" => {
            let code = uint(&v, "code", Some(500), 599)?;
            if code < 400 {
                return Err("code must be an HTTP error status (400-599)".into());
            }
            let retry_after_s = match v.get("retry_after_s") {
                None | Some(Value::Null) => None,
                Some(_) => Some(uint(&v, "retry_after_s", None, 86_400)? as u32),
            };
            let on = match v.get("on").and_then(Value::as_str) {
                None | Some("all") => Routes::All,
                Some("snapshot") => Routes::Snapshot,
                Some("stream") => Routes::Stream,
                Some(other) => {
                    return Err(format!(
                        "on {other:?} is not one of \"all\", \"snapshot\", \"stream\""
                    ));
                }
            };
            Fault::Status {
                code: code as u16,
                retry_after_s,
                on,
            }
        }
        "stall" => Fault::Stream(StreamFault::Stall),
        "pings" => Fault::Stream(StreamFault::Pings {
            every_ms: uint(&v, "every_ms", Some(1_000), MAX_DELAY_MS)?.max(10),
        }),
        "skew" => {
            let ms = v
                .get("ms")
                .and_then(Value::as_i64)
                .filter(|ms| ms.abs() <= MAX_SKEW_MS)
                .ok_or("ms must be a whole number of ms within 400 days either way")?;
            Fault::Skew { ms }
        }
        "duplicate" => Fault::Duplicate,
        "reorder" => Fault::Reorder,
        "burst" => {
            return Ok(Command::Burst {
                events: uint(&v, "events", Some(10_000), MAX_BURST_EVENTS)?,
                within_ms: uint(&v, "within_ms", Some(1_000), MAX_DELAY_MS)?,
            });
        }
        "restart" => {
            let first_seq = uint(&v, "first_seq", Some(1), 1 << 52)?;
            if first_seq == 0 {
                return Err("first_seq must be at least 1".into());
            }
            return Ok(Command::Restart { first_seq });
        }
        other => {
            return Err(format!(
                "unknown fault {other:?} (refuse, delay, truncate, status, stall, pings, skew, \
                 duplicate, reorder, burst, restart)"
            ));
        }
    };
    Ok(Command::Set(fault))
}

impl FaultSet {
    /// This set with `fault` switched on too (a fault of the same kind replaces it).
    pub fn with(mut self, fault: Fault) -> FaultSet {
        if matches!(
            fault,
            Fault::Refuse | Fault::Delay { .. } | Fault::Truncate(_) | Fault::Status { .. }
        ) {
            self.cut_streams += 1;
        }
        match fault {
            Fault::Refuse => self.refuse = true,
            Fault::Delay { ms } => self.delay_ms = ms,
            Fault::Truncate(t) => self.truncate = Some(t),
            Fault::Status {
                code,
                retry_after_s,
                on,
            } => self.status = Some((code, retry_after_s, on)),
            Fault::Stream(s) => self.stream = Some(s),
            Fault::Skew { ms } => self.skew_ms = ms,
            Fault::Duplicate => self.duplicate = true,
            Fault::Reorder => self.reorder = true,
        }
        self
    }

    pub fn to_json(&self) -> Value {
        json!({
            "refuse": self.refuse,
            "delay_ms": self.delay_ms,
            "truncate": self.truncate.map(|t| match t {
                Truncate::DeclaredLength => "content_length",
                Truncate::NoLength => "no_length",
            }),
            "status": self.status.map(|(code, retry, on)| {
                json!({"code": code, "retry_after_s": retry, "on": on.key()})
            }),
            "stream": self.stream.map(|s| match s {
                StreamFault::Stall => json!({"stall": true}),
                StreamFault::Pings { every_ms } => json!({"pings_every_ms": every_ms}),
            }),
            "skew_ms": self.skew_ms,
            "duplicate": self.duplicate,
            "reorder": self.reorder,
            "cut_streams": self.cut_streams,
        })
    }
}

/// The faults of one server: the set in force (watched by the streams), and what the actions
/// need.
pub struct Faults {
    state: watch::Sender<FaultSet>,
    hub: Arc<Hub>,
    generator: SharedGenerator,
    bursting: Arc<AtomicBool>,
    /// The snapshot, `since=` and stream requests since the last clear: path and query, and
    /// when they came (ms since the epoch, real time), oldest first.
    requests: Mutex<VecDeque<(String, i64)>>,
}

impl Faults {
    pub fn new(hub: Arc<Hub>, generator: SharedGenerator) -> Faults {
        Faults {
            state: watch::Sender::new(FaultSet::default()),
            hub,
            generator,
            bursting: Arc::new(AtomicBool::new(false)),
            requests: Mutex::new(VecDeque::new()),
        }
    }

    fn log(&self) -> std::sync::MutexGuard<'_, VecDeque<(String, i64)>> {
        self.requests.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Notes an API request (the last [`MAX_LOGGED`] are kept).
    fn note(&self, what: String) {
        let mut log = self.log();
        if log.len() >= MAX_LOGGED {
            log.pop_front();
        }
        log.push_back((what, clock::real_ms()));
    }

    /// The faults in force now.
    pub fn now(&self) -> FaultSet {
        self.state.borrow().clone()
    }

    /// Changes whenever a fault is switched on or the set is cleared.
    pub fn watch(&self) -> watch::Receiver<FaultSet> {
        self.state.subscribe()
    }

    /// What `GET /__faults` answers: the set, the latest seq, whether a burst is running, the
    /// API requests since the last clear.
    pub fn report(&self) -> Value {
        let requests: Vec<Value> = self
            .log()
            .iter()
            .map(|(what, at)| json!({"request": what, "at_ms": at}))
            .collect();
        json!({
            "faults": self.now().to_json(),
            "seq": self.hub.head(),
            "bursting": self.bursting.load(Ordering::SeqCst),
            "requests": requests,
        })
    }

    /// Performs one command (a burst runs on in its own task).
    pub fn apply(&self, command: Command) {
        match command {
            Command::Set(fault) => {
                if let Fault::Skew { ms } = fault {
                    clock::set_skew_ms(ms);
                }
                self.state.send_modify(|s| *s = s.clone().with(fault));
            }
            Command::Burst { events, within_ms } => {
                self.bursting.store(true, Ordering::SeqCst);
                let (hub, generator, flag) = (
                    self.hub.clone(),
                    self.generator.clone(),
                    self.bursting.clone(),
                );
                tokio::spawn(async move {
                    burst(&hub, &generator, events, within_ms).await;
                    flag.store(false, Ordering::SeqCst);
                });
            }
            Command::Restart { first_seq } => self.hub.restart(first_seq),
        }
    }

    /// Switches every fault off (the skewed clock too) and empties the request log.
    pub fn clear(&self) {
        clock::set_skew_ms(0);
        self.log().clear();
        // The count stays: a stream opened during a fault is not ended by its clearing.
        self.state.send_modify(|s| {
            *s = FaultSet {
                cut_streams: s.cut_streams,
                ..FaultSet::default()
            }
        });
    }
}

/// `events` generator events spread evenly over `within_ms` (in steps of about 5 ms).
async fn burst(hub: &Hub, generator: &SharedGenerator, events: u64, within_ms: u64) {
    let start = tokio::time::Instant::now();
    let mut sent = 0u64;
    while sent < events {
        let elapsed = start.elapsed().as_millis() as u64;
        let due = if within_ms == 0 || elapsed >= within_ms {
            events
        } else {
            events * elapsed / within_ms
        };
        while sent < due {
            generator::emit(hub, generator);
            sent += 1;
        }
        if sent < events {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
}

fn json_answer(status: StatusCode, body: Value) -> Response {
    let mut r = (status, body.to_string()).into_response();
    r.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    r
}

/// `/__faults`: `GET` the state, `POST` a command, `DELETE` every fault; `404` without
/// `--faults`.
pub async fn control(
    State(faults): State<Option<Arc<Faults>>>,
    method: axum::http::Method,
    body: String,
) -> Response {
    let Some(faults) = faults else {
        return json_answer(
            StatusCode::NOT_FOUND,
            json!({"error": "no such endpoint: /__faults (the server runs without --faults)"}),
        );
    };
    match method.as_str() {
        "GET" => {}
        "DELETE" => faults.clear(),
        "POST" => match parse(&body) {
            Ok(command) => faults.apply(command),
            Err(e) => return json_answer(StatusCode::BAD_REQUEST, json!({"error": e})),
        },
        _ => {
            return json_answer(
                StatusCode::METHOD_NOT_ALLOWED,
                json!({"error": "GET, POST or DELETE"}),
            );
        }
    }
    json_answer(StatusCode::OK, faults.report())
}

/// The layer on the snapshot, `since=` and stream routes (only with `--faults`).
pub async fn api(State(faults): State<Arc<Faults>>, req: Request, next: Next) -> Response {
    let uri = req.uri();
    faults.note(
        uri.query()
            .map_or_else(|| uri.path().to_string(), |q| format!("{}?{q}", uri.path())),
    );
    let set = faults.now();
    if set.refuse {
        if let Some(conn) = req
            .extensions()
            .get::<axum::extract::ConnectInfo<refuse::Conn>>()
        {
            conn.0.cut();
        }
        // The answer is never written: the cut connection fails its next write.
        tokio::time::sleep(Duration::from_millis(50)).await;
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    if set.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(set.delay_ms)).await;
    }
    let is_stream = req.uri().path().ends_with("/stream");
    if let Some((code, retry_after_s, _)) = set.status.filter(|s| s.2.covers(is_stream)) {
        let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut r = json_answer(
            status,
            json!({"error": format!("fault injected: HTTP {code}")}),
        );
        if let Some(s) = retry_after_s {
            r.headers_mut().insert(RETRY_AFTER, HeaderValue::from(s));
        }
        return r;
    }
    let answer = next.run(req).await;
    match set.truncate {
        Some(how) if !is_stream && answer.status() == StatusCode::OK => cut(answer, how).await,
        _ => answer,
    }
}

/// Half of `answer`'s body, cut as `how` says.
async fn cut(answer: Response, how: Truncate) -> Response {
    let (mut parts, body) = answer.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let half = Bytes::copy_from_slice(&bytes[..bytes.len() / 2]);
    parts.headers.remove(CONTENT_LENGTH);
    let body = match how {
        Truncate::NoLength => {
            Body::from_stream(futures_util::stream::iter([Ok::<_, std::io::Error>(half)]))
        }
        Truncate::DeclaredLength => {
            parts
                .headers
                .insert(CONTENT_LENGTH, HeaderValue::from(bytes.len()));
            // The half goes out first (with the headers), then the connection is dropped: an
            // error at once would drop it before anything was written.
            let steps = (Some(half), true);
            Body::from_stream(futures_util::stream::unfold(steps, |step| async move {
                match step {
                    (Some(half), _) => Some((Ok(half), (None, true))),
                    (None, true) => {
                        tokio::time::sleep(Duration::from_millis(CUT_AFTER_MS)).await;
                        let cut = std::io::Error::new(
                            std::io::ErrorKind::ConnectionAborted,
                            "cut by the truncate fault",
                        );
                        Some((Err(cut), (None, false)))
                    }
                    (None, false) => None,
                }
            }))
        }
    };
    Response::from_parts(parts, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_fault_and_action() {
        let p = |s: &str| parse(s).unwrap();
        assert_eq!(p(r#"{"fault":"refuse"}"#), Command::Set(Fault::Refuse));
        assert_eq!(
            p(r#"{"fault":"delay"}"#),
            Command::Set(Fault::Delay { ms: 10_000 })
        );
        assert_eq!(
            p(r#"{"fault":"delay","ms":1500}"#),
            Command::Set(Fault::Delay { ms: 1500 })
        );
        assert_eq!(
            p(r#"{"fault":"truncate"}"#),
            Command::Set(Fault::Truncate(Truncate::DeclaredLength))
        );
        assert_eq!(
            p(r#"{"fault":"truncate","content_length":false}"#),
            Command::Set(Fault::Truncate(Truncate::NoLength))
        );
        assert_eq!(
            p(r#"{"fault":"status","code":503,"retry_after_s":5,"on":"snapshot"}"#),
            Command::Set(Fault::Status {
                code: 503,
                retry_after_s: Some(5),
                on: Routes::Snapshot,
            })
        );
        assert_eq!(
            p(r#"{"fault":"status"}"#),
            Command::Set(Fault::Status {
                code: 500,
                retry_after_s: None,
                on: Routes::All,
            })
        );
        assert_eq!(
            p(r#"{"fault":"stall"}"#),
            Command::Set(Fault::Stream(StreamFault::Stall))
        );
        assert_eq!(
            p(r#"{"fault":"pings","every_ms":250}"#),
            Command::Set(Fault::Stream(StreamFault::Pings { every_ms: 250 }))
        );
        assert_eq!(
            p(r#"{"fault":"skew","ms":-259200000}"#),
            Command::Set(Fault::Skew { ms: -259_200_000 })
        );
        assert_eq!(
            p(r#"{"fault":"duplicate"}"#),
            Command::Set(Fault::Duplicate)
        );
        assert_eq!(p(r#"{"fault":"reorder"}"#), Command::Set(Fault::Reorder));
        assert_eq!(
            p(r#"{"fault":"burst"}"#),
            Command::Burst {
                events: 10_000,
                within_ms: 1_000
            }
        );
        assert_eq!(
            p(r#"{"fault":"restart","first_seq":7}"#),
            Command::Restart { first_seq: 7 }
        );
    }

    #[test]
    fn refuses_bad_commands_with_a_reason() {
        for (body, why) in [
            ("nope", "not JSON"),
            ("{}", "\"fault\""),
            (r#"{"fault":"meteor"}"#, "unknown fault"),
            (r#"{"fault":"delay","ms":-1}"#, "ms must be"),
            (r#"{"fault":"delay","ms":999999999}"#, "ms must be"),
            (r#"{"fault":"status","code":200}"#, "error status"),
            (r#"{"fault":"status","on":"history"}"#, "is not one of"),
            (r#"{"fault":"skew","ms":"soon"}"#, "ms must be"),
            (r#"{"fault":"restart","first_seq":0}"#, "at least 1"),
        ] {
            let e = parse(body).unwrap_err();
            assert!(e.contains(why), "{body}: {e}");
        }
    }

    #[test]
    fn faults_combine_and_replace_their_kind() {
        let set = FaultSet::default()
            .with(Fault::Duplicate)
            .with(Fault::Delay { ms: 10 })
            .with(Fault::Stream(StreamFault::Stall))
            .with(Fault::Stream(StreamFault::Pings { every_ms: 100 }));
        assert!(set.duplicate);
        assert_eq!(set.delay_ms, 10);
        assert_eq!(set.stream, Some(StreamFault::Pings { every_ms: 100 }));
        assert!(!set.refuse && !set.reorder && set.status.is_none());
        assert_eq!(
            set.cut_streams, 1,
            "a delay ends the streams open before it"
        );
        assert_eq!(set.to_json()["stream"]["pings_every_ms"], 100);
    }

    #[tokio::test]
    async fn a_burst_emits_every_event_within_its_time() {
        let hub = Arc::new(Hub::new(1, 100_000));
        let generator = generator::shared(1, 0.0, 1.0);
        let faults = Faults::new(hub.clone(), generator);
        let t0 = std::time::Instant::now();
        faults.apply(Command::Burst {
            events: 2_000,
            within_ms: 200,
        });
        while faults.report()["bursting"] == true {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert_eq!(hub.head(), 2_000);
        assert!(
            t0.elapsed() >= Duration::from_millis(190),
            "spread over its time"
        );
    }

    #[tokio::test]
    async fn skew_moves_the_clock_and_clear_restores_it() {
        let hub = Arc::new(Hub::new(1, 10));
        let faults = Faults::new(hub, generator::shared(1, 0.0, 1.0));
        let hour = 3_600_000;
        faults.apply(Command::Set(Fault::Skew { ms: 3 * hour }));
        let ahead = clock::now_ms() - clock::real_ms();
        faults.clear();
        let after = clock::now_ms() - clock::real_ms();
        assert!((ahead - 3 * hour).abs() < 1_000, "{ahead}");
        assert!(after.abs() < 1_000, "{after}");
        assert_eq!(faults.now(), FaultSet::default());
    }
}
