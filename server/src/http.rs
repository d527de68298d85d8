//! HTTP routes: snapshot / since, SSE stream, health, and the built app's static files; with
//! `--faults`, the fault-control endpoint `/__faults` and the faults' layer on the snapshot,
//! `since=` and stream routes (`faults.rs`).

use std::convert::Infallible;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::json;
use tokio::sync::{broadcast, mpsc, watch};
use tower_http::services::ServeDir;

use crate::clock::now_rfc3339;
use crate::clock::{parse_rfc3339_ms, rfc3339_ms};
use crate::faults::{self, FaultSet, Faults, REORDER_HOLD_MS, StreamFault};
use crate::history::{Cursor, History};
use crate::hub::{Event, Hub, SharedEvent};

#[derive(Clone)]
pub struct App {
    pub hub: Arc<Hub>,
    pub heartbeat: Option<Duration>,
    pub stop: watch::Receiver<bool>,
    pub mode: &'static str,
    /// The history endpoint's generator; `None`: the endpoint answers 404.
    pub history: Option<Arc<History>>,
    /// The faults in force (`--faults`); `None`: `/__faults` answers 404.
    pub faults: Option<Arc<Faults>>,
}

/// The API's routes and the static files, every answer with `headers` (`security.rs`).
pub fn router(app: App, static_dir: &Path, headers: crate::security::Headers) -> Router {
    let mut live = Router::new()
        .route("/api/incidents", get(incidents))
        .route("/api/incidents/stream", get(stream));
    if let Some(f) = &app.faults {
        live = live.route_layer(axum::middleware::from_fn_with_state(f.clone(), faults::api));
    }
    let control = Router::new()
        .route(
            "/__faults",
            get(faults::control)
                .post(faults::control)
                .delete(faults::control),
        )
        .with_state(app.faults.clone());
    Router::new()
        .route("/api/health", get(health))
        .merge(live)
        .route("/api/incidents/history", get(history))
        .route("/api/{*rest}", get(no_such_endpoint))
        .fallback_service(ServeDir::new(static_dir))
        .with_state(app)
        .merge(control)
        .layer(axum::middleware::map_response(move |r: Response| {
            let headers = headers.clone();
            async move { headers.apply(r) }
        }))
}

fn json_response(status: StatusCode, content_type: &'static str, body: String) -> Response {
    let mut r = (status, body).into_response();
    let h = r.headers_mut();
    h.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

async fn health(State(app): State<App>) -> Response {
    let body = json!({"ok": true, "seq": app.hub.head(), "mode": app.mode}).to_string();
    json_response(StatusCode::OK, "application/json", body)
}

async fn no_such_endpoint(uri: Uri) -> Response {
    let body = json!({"error": format!("no such endpoint: {}", uri.path())}).to_string();
    json_response(StatusCode::NOT_FOUND, "application/json", body)
}

fn gone(reason: String) -> Response {
    json_response(
        StatusCode::GONE,
        "application/json",
        json!({"error": reason, "resync": true}).to_string(),
    )
}

/// `{"type":"FeatureCollection","cursor":"N","features":[...]}` from pre-serialised Features.
fn collection(cursor: u64, features: &[SharedEvent]) -> Response {
    let len: usize = features.iter().map(|e| e.data.len() + 1).sum();
    let mut body = String::with_capacity(len + 64);
    body.push_str("{\"type\":\"FeatureCollection\",\"cursor\":\"");
    body.push_str(&cursor.to_string());
    body.push_str("\",\"features\":[");
    for (i, e) in features.iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        body.push_str(&e.data);
    }
    body.push_str("]}");
    json_response(StatusCode::OK, "application/geo+json", body)
}

fn bad_request(reason: String) -> Response {
    json_response(
        StatusCode::BAD_REQUEST,
        "application/json",
        json!({"error": reason}).to_string(),
    )
}

/// Longest interval one history request may ask for.
const HISTORY_MAX_SPAN_MS: i64 = 400 * 86_400_000;

/// `GET /api/incidents/history?from=<RFC 3339>&to=<RFC 3339>[&cursor=<c>]`: the reports with
/// `from <= reported_at < to` as a FeatureCollection, `next_cursor` for the next page (docs/api.md).
async fn history(State(app): State<App>, uri: Uri) -> Response {
    let Some(hist) = app.history.clone() else {
        return no_such_endpoint(uri).await;
    };
    let q = uri.query();
    let time = |key: &str| -> Result<i64, String> {
        let v = query_param(q, key)
            .ok_or_else(|| format!("{key} is missing (an RFC 3339 date-time)"))?;
        parse_rfc3339_ms(&v).ok_or_else(|| format!("{key} {v:?} is not an RFC 3339 date-time"))
    };
    let (from, to) = match (time("from"), time("to")) {
        (Ok(f), Ok(t)) => (f, t),
        (Err(e), _) | (_, Err(e)) => return bad_request(e),
    };
    if to <= from {
        return bad_request("to must be later than from".into());
    }
    if to - from > HISTORY_MAX_SPAN_MS {
        return bad_request("the interval is longer than 400 days".into());
    }
    let cursor = match query_param(q, "cursor") {
        None => None,
        Some(c) => match Cursor::decode(&c) {
            Some(c) => Some(c),
            None => return bad_request(format!("cursor {c:?} is not a cursor of this history")),
        },
    };
    let (reports, next) = hist.page(from, to, cursor);
    let features: Vec<serde_json::Value> = reports.iter().map(|r| r.feature()).collect();
    let body = json!({
        "type": "FeatureCollection",
        "from": rfc3339_ms(from),
        "to": rfc3339_ms(to),
        "history_start": rfc3339_ms(hist.start_ms),
        "history_end": rfc3339_ms(hist.end_ms),
        "next_cursor": next.map(Cursor::encode),
        "features": features,
    });
    json_response(StatusCode::OK, "application/geo+json", body.to_string())
}

async fn incidents(State(app): State<App>, uri: Uri) -> Response {
    let Some(since) = query_param(uri.query(), "since") else {
        let (cursor, features) = app.hub.snapshot();
        return collection(cursor, &features);
    };
    match since.parse::<u64>() {
        Ok(c) => match app.hub.changes_since(c) {
            Ok((cursor, features)) if app.faults.as_ref().is_some_and(|f| f.now().duplicate) => {
                let twice: Vec<SharedEvent> = features
                    .iter()
                    .flat_map(|e| [e.clone(), e.clone()])
                    .collect();
                collection(cursor, &twice)
            }
            Ok((cursor, features)) => collection(cursor, &features),
            Err(gap) => gone(gap.reason(&format!("cursor {c}"))),
        },
        Err(_) => gone(format!(
            "cursor {since:?} was not issued by this server; refetch the snapshot"
        )),
    }
}

/// First value of `key` in a query string, percent-decoded.
pub fn query_param(query: Option<&str>, key: &str) -> Option<String> {
    query?.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (percent_decode(k) == key).then(|| percent_decode(v))
    })
}

fn percent_decode(s: &str) -> String {
    fn hex(c: u8) -> Option<u8> {
        (c as char).to_digit(16).map(|d| d as u8)
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => match (hex(b[i + 1]), hex(b[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

// ---------------------------------------------------------------------------------------------
// Server-Sent Events

/// One `incident` event. Data lines are split on CR, LF and CRLF so that a browser's
/// EventSource rejoins them with "\n" (raw scenario strings are otherwise sent verbatim).
pub fn incident_frame(e: &Event) -> Bytes {
    let mut s = String::with_capacity(e.data.len() + 48);
    s.push_str("id: ");
    s.push_str(&e.seq.to_string());
    s.push_str("\nevent: incident\n");
    push_data(&mut s, &e.data);
    s.push('\n');
    Bytes::from(s)
}

fn push_data(s: &mut String, data: &str) {
    for line in data.split("\r\n").flat_map(|l| l.split(['\r', '\n'])) {
        s.push_str("data: ");
        s.push_str(line);
        s.push('\n');
    }
}

fn control_frame(event: &str, data: &serde_json::Value) -> Bytes {
    let mut s = format!("event: {event}\n");
    push_data(&mut s, &data.to_string());
    s.push('\n');
    Bytes::from(s)
}

async fn stream(State(app): State<App>, headers: HeaderMap, uri: Uri) -> Response {
    let last = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .or_else(|| query_param(uri.query(), "last_event_id").filter(|s| !s.is_empty()));
    let (tx, rx) = mpsc::channel::<Bytes>(32);
    tokio::spawn(sse_session(app, last, tx));
    let body = Body::from_stream(futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|b| (Ok::<_, Infallible>(b), rx))
    }));
    let mut r = Response::new(body);
    let h = r.headers_mut();
    h.insert(CONTENT_TYPE, HeaderValue::from_static("text/event-stream"));
    h.insert(
        CACHE_CONTROL,
        HeaderValue::from_static("no-cache, no-store"),
    );
    h.insert("x-accel-buffering", HeaderValue::from_static("no"));
    r
}

/// Sends everything in `events` after `last_sent`; `None` if the client went away.
async fn send_all(
    out: &mpsc::Sender<Bytes>,
    events: &[SharedEvent],
    last_sent: &mut u64,
) -> Option<()> {
    for e in events {
        if e.seq > *last_sent {
            out.send(incident_frame(e)).await.ok()?;
            *last_sent = e.seq;
        }
    }
    Some(())
}

async fn reset(out: &mpsc::Sender<Bytes>, hub: &Hub, reason: String) {
    let _ = out
        .send(control_frame(
            "reset",
            &json!({"reason": reason, "seq": hub.head()}),
        ))
        .await;
}

/// Sends one event (twice under the `duplicate` fault).
async fn send_event(out: &mpsc::Sender<Bytes>, e: &Event, set: &FaultSet) -> Option<()> {
    let frame = incident_frame(e);
    if set.duplicate {
        out.send(frame.clone()).await.ok()?;
    }
    out.send(frame).await.ok()
}

/// Sends a live event as the faults in force say: in order, or under `reorder` held until the
/// next one and sent after it (`held`); `last_sent` is the latest seq sent or held.
async fn deliver(
    out: &mpsc::Sender<Bytes>,
    e: &SharedEvent,
    set: &FaultSet,
    held: &mut Option<SharedEvent>,
    last_sent: &mut u64,
) -> Option<()> {
    if e.seq <= *last_sent {
        return Some(());
    }
    *last_sent = e.seq;
    if set.reorder {
        match held.take() {
            Some(h) => {
                send_event(out, e, set).await?;
                send_event(out, &h, set).await
            }
            None => {
                *held = Some(e.clone());
                Some(())
            }
        }
    } else {
        if let Some(h) = held.take() {
            send_event(out, &h, set).await?;
        }
        send_event(out, e, set).await
    }
}

/// While `fault` lasts: nothing (stall) or `: ping` comments. Returns when the faults change
/// (`true`), or `false` when the stream must end (client gone, restart, shutdown).
async fn follow_stream_fault(
    out: &mpsc::Sender<Bytes>,
    fault: StreamFault,
    faults: &mut watch::Receiver<FaultSet>,
    restarts: &mut watch::Receiver<u64>,
    stop: &mut watch::Receiver<bool>,
) -> bool {
    let ping = async {
        match fault {
            StreamFault::Pings { every_ms } => {
                tokio::time::sleep(Duration::from_millis(every_ms)).await;
            }
            StreamFault::Stall => std::future::pending().await,
        }
    };
    let stopped = async {
        let _ = stop.wait_for(|s| *s).await;
    };
    tokio::select! {
        _ = ping => out.send(Bytes::from_static(b": ping\n\n")).await.is_ok(),
        _ = faults.changed() => true,
        _ = restarts.changed() => false,
        _ = stopped => false,
        _ = out.closed() => false,
    }
}

/// One client's stream: replay after its Last-Event-ID, then live events and heartbeats.
/// Runs in its own task writing into a small channel, so a slow client only ever delays itself;
/// if it falls behind the broadcast it catches up from the log, or gets `reset` when the log
/// no longer reaches back that far. After a `reset` the stream ends, and at a restart into a
/// new id space (`Hub::restart`) too. Under `--faults` it follows the stream faults in force
/// (`faults.rs`): a stalled stream sends nothing and reads nothing (the broadcast's backlog is
/// caught up from the log when the stall ends), a pinging one only `: ping` comments.
async fn sse_session(app: App, last: Option<String>, out: mpsc::Sender<Bytes>) {
    let hub = &app.hub;
    let mut restarts = hub.restarts();
    restarts.borrow_and_update();
    let mut fault_watch = app.faults.as_ref().map(|f| f.watch());
    // A stream opened during a stream fault says nothing (or only pings), not even its replay.
    if let Some(w) = fault_watch.as_mut() {
        let mut stop = app.stop.clone();
        loop {
            let fault = w.borrow_and_update().stream;
            let Some(f) = fault else { break };
            if !follow_stream_fault(&out, f, w, &mut restarts, &mut stop).await {
                return;
            }
        }
    }
    if out
        .send(Bytes::from_static(b"retry: 1000\n\n"))
        .await
        .is_err()
    {
        return;
    }
    let (mut last_sent, mut rx) = match last {
        None => hub.subscribe_live(),
        Some(s) => {
            let Ok(id) = s.parse::<u64>() else {
                return reset(
                    &out,
                    hub,
                    format!(
                        "Last-Event-ID {s:?} was not issued by this server; refetch the snapshot"
                    ),
                )
                .await;
            };
            let (replay, rx) = hub.replay_and_subscribe(id);
            match replay {
                Err(gap) => return reset(&out, hub, gap.reason(&format!("event id {id}"))).await,
                Ok(events) => {
                    let mut last_sent = id;
                    if send_all(&out, &events, &mut last_sent).await.is_none() {
                        return;
                    }
                    (last_sent, rx)
                }
            }
        }
    };
    let mut heartbeat = app
        .heartbeat
        .map(|p| tokio::time::interval_at(tokio::time::Instant::now() + p, p));
    let mut stop = app.stop.clone();
    let mut held: Option<SharedEvent> = None;
    let cut_at_start = fault_watch.as_ref().map(|w| w.borrow().cut_streams);
    loop {
        let set = fault_watch
            .as_mut()
            .map(|w| w.borrow_and_update().clone())
            .unwrap_or_default();
        if cut_at_start.is_some_and(|n| n != set.cut_streams) {
            // A request fault came on after this stream opened: the server drops it.
            return;
        }
        if let (Some(stream_fault), Some(w)) = (set.stream, fault_watch.as_mut()) {
            if !follow_stream_fault(&out, stream_fault, w, &mut restarts, &mut stop).await {
                return;
            }
            continue;
        }
        let fault_changed = async {
            match fault_watch.as_mut() {
                Some(w) => {
                    let _ = w.changed().await;
                }
                None => std::future::pending().await,
            }
        };
        let ended = async {
            tokio::select! {
                _ = restarts.changed() => {}
                _ = stop.wait_for(|s| *s) => {}
                _ = out.closed() => {}
            }
        };
        let beat = async {
            match heartbeat.as_mut() {
                Some(i) => {
                    i.tick().await;
                }
                None => std::future::pending().await,
            }
        };
        let release = async {
            if held.is_some() {
                tokio::time::sleep(Duration::from_millis(REORDER_HOLD_MS)).await;
            } else {
                std::future::pending::<()>().await;
            }
        };
        tokio::select! {
            r = rx.recv() => match r {
                Ok(e) => {
                    if deliver(&out, &e, &set, &mut held, &mut last_sent).await.is_none() {
                        return;
                    }
                }
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    let (replay, new_rx) = hub.replay_and_subscribe(last_sent);
                    rx = new_rx;
                    match replay {
                        Ok(events) => {
                            for e in &events {
                                if deliver(&out, e, &set, &mut held, &mut last_sent).await.is_none() {
                                    return;
                                }
                            }
                        }
                        Err(gap) => {
                            let why = format!("this client fell behind: {}", gap.reason(&format!("event id {last_sent}")));
                            return reset(&out, hub, why).await;
                        }
                    }
                }
                Err(broadcast::error::RecvError::Closed) => return,
            },
            _ = beat => {
                if out.send(control_frame("heartbeat", &json!({"time": now_rfc3339()}))).await.is_err() {
                    return;
                }
            }
            _ = release => {
                if let Some(h) = held.take()
                    && send_event(&out, &h, &set).await.is_none()
                {
                    return;
                }
            }
            _ = fault_changed => {}
            _ = ended => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_params() {
        assert_eq!(
            query_param(Some("since=12&x=1"), "since").as_deref(),
            Some("12")
        );
        assert_eq!(
            query_param(Some("a=1&last_event_id=%34%32"), "last_event_id").as_deref(),
            Some("42")
        );
        assert_eq!(query_param(Some("since"), "since").as_deref(), Some(""));
        assert_eq!(query_param(Some("x=%zz%"), "x").as_deref(), Some("%zz%"));
        assert_eq!(query_param(None, "since"), None);
    }

    #[test]
    fn frames() {
        let e = Event {
            seq: 7,
            incident: None,
            data: "a\r\nb\rc\nd".into(),
        };
        assert_eq!(
            &incident_frame(&e)[..],
            b"id: 7\nevent: incident\ndata: a\ndata: b\ndata: c\ndata: d\n\n"
        );
        assert_eq!(
            &control_frame("heartbeat", &json!({"time": "t"}))[..],
            b"event: heartbeat\ndata: {\"time\":\"t\"}\n\n"
        );
    }
}
