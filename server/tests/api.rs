//! End-to-end tests: the real `calais-demo-server` binary on a free loopback port, spoken to
//! over real TCP with hand-written HTTP/1.1 (no client crate, no mocks). Every wait is bounded,
//! and each server process is killed when its `Server` guard drops (also on panic).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const START_TIMEOUT: Duration = Duration::from_secs(30);
const IO_TIMEOUT: Duration = Duration::from_secs(10);

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_calais-demo-server")
}

struct Server {
    child: Child,
    port: u16,
}

impl Server {
    /// Starts the server on port 0 with seqs from 1, plus `args`; waits for its `listening` line.
    fn start(args: &[&str]) -> Server {
        let mut child = Command::new(bin())
            .args(["--port", "0", "--first-seq", "1"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn server");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = match rx.recv_timeout(START_TIMEOUT) {
            Ok(l) => l,
            Err(_) => {
                let _ = child.kill();
                panic!("server did not print its listening line in {START_TIMEOUT:?}");
            }
        };
        let port = line
            .trim()
            .strip_prefix("listening on http://127.0.0.1:")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .parse()
            .unwrap();
        Server { child, port }
    }

    fn get(&self, path: &str) -> Resp {
        request(self.port, path, &[])
    }

    fn json(&self, path: &str) -> Value {
        let r = self.get(path);
        assert_eq!(r.status, 200, "{path}: {}", r.body);
        serde_json::from_str(&r.body).unwrap_or_else(|e| panic!("{path}: {e}: {}", r.body))
    }

    fn seq(&self) -> u64 {
        self.json("/api/health")["seq"].as_u64().unwrap()
    }

    /// Polls /api/health until seq >= `n`.
    fn wait_seq(&self, n: u64, within: Duration) {
        let end = Instant::now() + within;
        loop {
            let s = self.seq();
            if s >= n {
                return;
            }
            assert!(Instant::now() < end, "seq stuck at {s}, wanted {n}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn sse(&self, path: &str, headers: &[(&str, &str)]) -> Sse {
        Sse::open(self.port, path, headers)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Resp {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

fn connect(port: u16) -> TcpStream {
    let s =
        TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), IO_TIMEOUT).expect("connect");
    s.set_read_timeout(Some(IO_TIMEOUT)).unwrap();
    s.set_write_timeout(Some(IO_TIMEOUT)).unwrap();
    s
}

fn write_request(s: &mut TcpStream, target: &str, headers: &[(&str, &str)], close: bool) {
    let mut req = format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    if close {
        req.push_str("Connection: close\r\n");
    }
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
}

/// Reads the status line and headers (names lower-cased).
fn read_head(r: &mut impl BufRead) -> (u16, Vec<(String, String)>) {
    let mut line = String::new();
    r.read_line(&mut line).unwrap();
    let status = line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("status line {line:?}"));
    let mut headers = Vec::new();
    loop {
        line.clear();
        r.read_line(&mut line).unwrap();
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        let (k, v) = l.split_once(':').unwrap();
        headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
    }
    (status, headers)
}

/// Reads one chunk of a chunked body; `None` at the terminating chunk.
fn read_chunk(r: &mut impl BufRead) -> Option<Vec<u8>> {
    let mut line = String::new();
    r.read_line(&mut line).unwrap();
    let size = usize::from_str_radix(line.trim().split(';').next().unwrap(), 16)
        .unwrap_or_else(|_| panic!("bad chunk size line {line:?}"));
    let mut buf = vec![0; size];
    r.read_exact(&mut buf).unwrap();
    let mut crlf = [0; 2];
    r.read_exact(&mut crlf).unwrap();
    (size > 0).then_some(buf)
}

fn request(port: u16, target: &str, headers: &[(&str, &str)]) -> Resp {
    let mut s = connect(port);
    write_request(&mut s, target, headers, true);
    let mut r = BufReader::new(s);
    let (status, headers) = read_head(&mut r);
    let mut body = Vec::new();
    let chunked = headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"));
    if chunked {
        while let Some(c) = read_chunk(&mut r) {
            body.extend(c);
        }
    } else {
        r.read_to_end(&mut body).unwrap();
    }
    Resp {
        status,
        headers,
        body: String::from_utf8(body).unwrap(),
    }
}

#[derive(Debug, Default, Clone)]
struct SseEvent {
    id: Option<String>,
    event: String,
    data: Option<String>,
    retry: Option<u64>,
}

impl SseEvent {
    fn id(&self) -> u64 {
        self.id.as_deref().unwrap().parse().unwrap()
    }
    fn json(&self) -> Value {
        serde_json::from_str(self.data.as_deref().unwrap()).unwrap()
    }
}

/// A minimal EventSource: chunked transfer decoding plus the SSE line format.
struct Sse {
    r: BufReader<TcpStream>,
    text: String,
    ended: bool,
}

impl Sse {
    fn open(port: u16, target: &str, headers: &[(&str, &str)]) -> Sse {
        let mut s = connect(port);
        write_request(
            &mut s,
            target,
            &[&[("Accept", "text/event-stream")], headers].concat(),
            false,
        );
        let mut r = BufReader::new(s);
        let (status, headers) = read_head(&mut r);
        assert_eq!(status, 200);
        let h = |n: &str| headers.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
        assert_eq!(h("content-type").as_deref(), Some("text/event-stream"));
        assert!(h("cache-control").unwrap().contains("no-cache"));
        assert_eq!(h("transfer-encoding").as_deref(), Some("chunked"));
        Sse {
            r,
            text: String::new(),
            ended: false,
        }
    }

    /// The next block (event, or a retry-only block); `None` once the server ended the stream.
    fn next_block(&mut self, within: Duration) -> Option<SseEvent> {
        let end = Instant::now() + within;
        loop {
            if let Some(i) = self.text.find("\n\n") {
                let block: String = self.text.drain(..i + 2).collect();
                let mut ev = SseEvent {
                    event: "message".into(),
                    ..Default::default()
                };
                for line in block.lines() {
                    if line.starts_with(':') || line.is_empty() {
                        continue;
                    }
                    let (field, value) = line.split_once(':').unwrap_or((line, ""));
                    let value = value.strip_prefix(' ').unwrap_or(value);
                    match field {
                        "id" => ev.id = Some(value.into()),
                        "event" => ev.event = value.into(),
                        "retry" => ev.retry = value.parse().ok(),
                        "data" => {
                            ev.data = Some(match ev.data.take() {
                                Some(d) => format!("{d}\n{value}"),
                                None => value.into(),
                            })
                        }
                        other => panic!("unexpected SSE field {other:?}"),
                    }
                }
                return Some(ev);
            }
            if self.ended {
                assert!(
                    self.text.trim().is_empty(),
                    "stream ended mid-event: {:?}",
                    self.text
                );
                return None;
            }
            let left = end.saturating_duration_since(Instant::now());
            assert!(!left.is_zero(), "no SSE event within {within:?}");
            self.r.get_ref().set_read_timeout(Some(left)).unwrap();
            match read_chunk(&mut self.r) {
                Some(c) => self.text.push_str(std::str::from_utf8(&c).unwrap()),
                None => self.ended = true,
            }
        }
    }

    /// The next block with data that is not a heartbeat.
    fn next_event(&mut self, within: Duration) -> Option<SseEvent> {
        let end = Instant::now() + within;
        loop {
            let ev = self.next_block(end.saturating_duration_since(Instant::now()))?;
            if ev.data.is_some() && ev.event != "heartbeat" {
                return Some(ev);
            }
        }
    }

    fn incidents(&mut self, n: usize, within: Duration) -> Vec<SseEvent> {
        let end = Instant::now() + within;
        (0..n)
            .map(|_| {
                let ev = self
                    .next_event(end.saturating_duration_since(Instant::now()))
                    .expect("stream ended early");
                assert_eq!(ev.event, "incident", "{ev:?}");
                ev
            })
            .collect()
    }
}

/// A scratch directory for one test, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let p =
            std::env::temp_dir().join(format!("calais-demo-server-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
    fn write(&self, name: &str, text: &str) -> String {
        let p = self.0.join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_string()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn feature(id: &str, kind: &str, description: &str) -> Value {
    json!({
        "type": "Feature", "id": id,
        "geometry": {"type": "Point", "coordinates": [1.81, 50.93]},
        "properties": {"id": id, "kind": kind, "severity": 3, "status": "open",
            "reported_at": "2025-06-11T09:00:00Z", "updated_at": "2025-06-11T09:00:00Z",
            "description": description, "source": "cam-T-07"}
    })
}

fn ids(fc: &Value) -> Vec<String> {
    fc["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect()
}

fn is_rfc3339_utc(s: &str) -> bool {
    let b = s.as_bytes();
    s.len() >= 20
        && s.ends_with('Z')
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && s[..4].parse::<u32>().is_ok()
}

fn basic_scenario() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios/basic.json")
        .to_str()
        .unwrap()
        .to_string()
}

#[test]
fn snapshot_of_basic_scenario_has_the_contract_shape() {
    let srv = Server::start(&["--scenario", &basic_scenario()]);
    srv.wait_seq(17, Duration::from_secs(15));
    let r = srv.get("/api/incidents");
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/geo+json"));
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let fc: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(fc["type"], "FeatureCollection");
    assert_eq!(fc["cursor"], "17");
    let features = fc["features"].as_array().unwrap();
    assert_eq!(features.len(), 12, "raw events are not incidents");
    let kinds = [
        "small_boat",
        "fence_breach",
        "lorry_intrusion",
        "tunnel_intrusion",
        "vehicle_sighting",
        "other",
    ];
    for f in features {
        let p = &f["properties"];
        assert_eq!(f["type"], "Feature");
        assert_eq!(f["id"], p["id"]);
        assert_eq!(f["geometry"]["type"], "Point");
        assert!(kinds.contains(&p["kind"].as_str().unwrap()));
        assert!((1..=5).contains(&p["severity"].as_u64().unwrap()));
        assert!(["open", "closed"].contains(&p["status"].as_str().unwrap()));
        assert!(is_rfc3339_utc(p["reported_at"].as_str().unwrap()));
        assert!(is_rfc3339_utc(p["updated_at"].as_str().unwrap()));
        assert!(p["description"].is_string() && p["source"].is_string());
    }
    let by_id = |id: &str| features.iter().find(|f| f["id"] == id).unwrap().clone();
    assert_eq!(
        by_id("scn-boat-1")["geometry"]["coordinates"],
        json!([1.7219, 50.9628])
    );
    assert_eq!(by_id("scn-fence-1")["properties"]["status"], "closed");
    assert_eq!(
        by_id("scn-xss-1")["properties"]["description"],
        "<img src=x onerror=alert(1)>"
    );
    assert_eq!(
        srv.json("/api/health"),
        json!({"ok": true, "seq": 17, "mode": "scenario"})
    );
}

#[test]
fn since_cursor_returns_only_later_changes() {
    let dir = TempDir::new("since");
    let mut a2 = feature("a", "fence_breach", "a, updated");
    a2["properties"]["status"] = json!("closed");
    let script = json!({"events": [
        {"at_ms": 0, "feature": feature("a", "fence_breach", "a")},
        {"at_ms": 0, "feature": feature("b", "other", "b")},
        {"at_ms": 400, "feature": feature("c", "small_boat", "c")},
        {"at_ms": 400, "feature": a2},
        {"at_ms": 400, "raw": "junk"},
    ]});
    let srv = Server::start(&["--scenario", &dir.write("s.json", &script.to_string())]);
    // Whatever the snapshot caught, since=<its cursor> must bring exactly the rest.
    let snap = srv.json("/api/incidents");
    let c: usize = snap["cursor"].as_str().unwrap().parse().unwrap();
    assert!(c <= 5);
    srv.wait_seq(5, Duration::from_secs(10));
    let order = ["a", "b", "c", "a", ""]; // seq 1..=5
    let mut expect: Vec<&str> = Vec::new();
    for id in order[c..].iter().filter(|s| !s.is_empty()) {
        expect.retain(|x| x != id);
        expect.push(id);
    }
    let later = srv.json(&format!("/api/incidents?since={c}"));
    assert_eq!(later["cursor"], "5");
    assert_eq!(ids(&later), expect);

    let later = srv.json("/api/incidents?since=2");
    assert_eq!(ids(&later), ["c", "a"]);
    assert_eq!(
        later["features"][1]["properties"]["description"],
        "a, updated"
    );
    let none = srv.json("/api/incidents?since=5");
    assert_eq!((none["cursor"].as_str(), ids(&none).len()), (Some("5"), 0));
    assert_eq!(ids(&srv.json("/api/incidents")), ["a", "b", "c"]);
}

#[test]
fn old_or_unknown_cursor_is_410_and_old_event_id_is_reset() {
    let dir = TempDir::new("gone");
    let events: Vec<Value> = (0..10)
        .map(|i| json!({"at_ms": 0, "feature": feature(&format!("i{i}"), "other", "x")}))
        .collect();
    let script = json!({"events": events}).to_string();
    let srv = Server::start(&[
        "--scenario",
        &dir.write("s.json", &script),
        "--replay-window",
        "3",
        "--heartbeat-ms",
        "0",
    ]);
    srv.wait_seq(10, Duration::from_secs(10));
    // The log keeps seqs 8..=10, so cursors 7..=10 are servable.
    assert_eq!(ids(&srv.json("/api/incidents?since=7")), ["i7", "i8", "i9"]);
    assert_eq!(ids(&srv.json("/api/incidents?since=10")).len(), 0);
    for (cursor, word) in [
        ("6", "older"),
        ("0", "older"),
        ("11", "unknown"),
        ("abc", "not issued"),
        ("", "not issued"),
    ] {
        let r = srv.get(&format!("/api/incidents?since={cursor}"));
        assert_eq!(r.status, 410, "since={cursor}");
        assert_eq!(r.header("content-type"), Some("application/json"));
        let v: Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(v["resync"], true);
        assert!(v["error"].as_str().unwrap().contains(word), "{v}");
    }

    // SSE: an id older than the window gets one `reset`, then the stream ends.
    for last in ["3", "11", "bogus"] {
        let mut s = srv.sse("/api/incidents/stream", &[("Last-Event-ID", last)]);
        assert_eq!(s.next_block(IO_TIMEOUT).unwrap().retry, Some(1000));
        let ev = s.next_event(IO_TIMEOUT).unwrap();
        assert_eq!(ev.event, "reset", "{ev:?}");
        assert!(ev.id.is_none());
        assert!(ev.json()["reason"].is_string());
        assert_eq!(ev.json()["seq"], 10);
        assert!(
            s.next_block(IO_TIMEOUT).is_none(),
            "stream must end after reset"
        );
    }
    // Within the window: exactly the later events.
    let mut s = srv.sse("/api/incidents/stream?last_event_id=7", &[]);
    let got: Vec<u64> = s
        .incidents(3, IO_TIMEOUT)
        .iter()
        .map(SseEvent::id)
        .collect();
    assert_eq!(got, [8, 9, 10]);
}

#[test]
fn sse_live_then_reconnect_gets_each_later_event_exactly_once() {
    let srv = Server::start(&["--rate", "40", "--heartbeat-ms", "100"]);
    let mut s = srv.sse("/api/incidents/stream", &[]);
    assert_eq!(s.next_block(IO_TIMEOUT).unwrap().retry, Some(1000));
    let first = s.incidents(10, Duration::from_secs(20));
    let seqs: Vec<u64> = first.iter().map(SseEvent::id).collect();
    for w in seqs.windows(2) {
        assert_eq!(w[1], w[0] + 1, "live events must be contiguous: {seqs:?}");
    }
    for ev in &first {
        let f = ev.json();
        assert_eq!(f["type"], "Feature");
        assert_eq!(f["id"], f["properties"]["id"]);
    }
    drop(s);
    let k = seqs[4];
    std::thread::sleep(Duration::from_millis(300)); // the feed moves on while we are away

    let check = |mut s: Sse| {
        let got: Vec<u64> = s
            .incidents(40, Duration::from_secs(20))
            .iter()
            .map(SseEvent::id)
            .collect();
        let want: Vec<u64> = (k + 1..=k + 40).collect();
        assert_eq!(got, want, "replay then live, no loss, no duplicates");
    };
    let k_text = k.to_string();
    check(srv.sse("/api/incidents/stream", &[("Last-Event-ID", &k_text)]));
    check(srv.sse(&format!("/api/incidents/stream?last_event_id={k}"), &[]));
    // The header wins over the query (a browser reconnect sends the newer id in the header).
    check(srv.sse(
        "/api/incidents/stream?last_event_id=1",
        &[("Last-Event-ID", &k_text)],
    ));
}

#[test]
fn scenario_raw_events_are_streamed_verbatim_and_replayed() {
    let dir = TempDir::new("raw");
    let xss = feature("x", "other", "<img src=x onerror=alert(1)> & \"quotes\"");
    let script = json!({"events": [
        {"at_ms": 0, "feature": xss},
        {"at_ms": 0, "raw": "not json at all"},
        {"at_ms": 0, "raw": "{\"type\": \"Feature\", \"id\": "},
        {"at_ms": 0, "raw": "line one\nline two"},
        {"at_ms": 300, "feature": feature("y", "small_boat", "y")},
    ], "then": "idle"});
    let srv = Server::start(&["--scenario", &dir.write("s.json", &script.to_string())]);
    let mut s = srv.sse("/api/incidents/stream?last_event_id=0", &[]);
    let evs = s.incidents(5, IO_TIMEOUT);
    let seqs: Vec<u64> = evs.iter().map(SseEvent::id).collect();
    assert_eq!(seqs, [1, 2, 3, 4, 5]);
    assert_eq!(evs[0].json(), xss);
    assert_eq!(evs[1].data.as_deref(), Some("not json at all"));
    assert_eq!(
        evs[2].data.as_deref(),
        Some("{\"type\": \"Feature\", \"id\": ")
    );
    assert_eq!(evs[3].data.as_deref(), Some("line one\nline two"));
    assert_eq!(evs[4].json()["id"], "y");
    assert_eq!(ids(&srv.json("/api/incidents")), ["x", "y"]);
    assert_eq!(ids(&srv.json("/api/incidents?since=0")), ["x", "y"]);
}

#[test]
fn heartbeats_arrive_on_a_quiet_feed() {
    let dir = TempDir::new("hb");
    let srv = Server::start(&[
        "--scenario",
        &dir.write("s.json", r#"{"events": []}"#),
        "--heartbeat-ms",
        "200",
    ]);
    let mut s = srv.sse("/api/incidents/stream", &[]);
    assert_eq!(s.next_block(IO_TIMEOUT).unwrap().retry, Some(1000));
    let start = Instant::now();
    for _ in 0..2 {
        let hb = s.next_block(Duration::from_secs(5)).unwrap();
        assert_eq!(hb.event, "heartbeat");
        assert!(hb.id.is_none(), "heartbeats must not move Last-Event-ID");
        assert!(is_rfc3339_utc(hb.json()["time"].as_str().unwrap()));
    }
    assert!(start.elapsed() >= Duration::from_millis(300));
}

#[test]
fn non_loopback_bind_is_refused() {
    for addr in ["0.0.0.0", "192.0.2.1", "::"] {
        let mut child = Command::new(bin())
            .args(["--bind", addr, "--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let end = Instant::now() + IO_TIMEOUT;
        let status = loop {
            if let Some(s) = child.try_wait().unwrap() {
                break s;
            }
            if Instant::now() > end {
                let _ = child.kill();
                panic!("--bind {addr} did not exit");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let (mut out, mut err) = (String::new(), String::new());
        child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut out)
            .unwrap();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        assert_eq!(status.code(), Some(2), "--bind {addr}");
        assert!(out.is_empty(), "{out}");
        assert!(err.contains("non-loopback"), "{err}");
    }
}

#[test]
fn static_files_are_served_next_to_the_api() {
    let dir = TempDir::new("static");
    let www = dir.0.join("www");
    std::fs::create_dir_all(www.join("assets")).unwrap();
    std::fs::write(
        www.join("index.html"),
        "<!doctype html><title>calais</title>",
    )
    .unwrap();
    std::fs::write(www.join("assets/app.js"), "console.log(1)").unwrap();
    dir.write("secret.txt", "top secret");
    let srv = Server::start(&["--static", www.to_str().unwrap(), "--rate", "0"]);
    let r = srv.get("/");
    assert_eq!(
        (r.status, r.body.as_str()),
        (200, "<!doctype html><title>calais</title>")
    );
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    let r = srv.get("/assets/app.js");
    assert_eq!((r.status, r.body.as_str()), (200, "console.log(1)"));
    assert!(r.header("content-type").unwrap().contains("javascript"));
    assert_eq!(srv.get("/missing.js").status, 404);
    for evil in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/assets/..%2f..%2fsecret.txt",
    ] {
        let r = srv.get(evil);
        assert_ne!(r.status, 200, "{evil}");
        assert!(!r.body.contains("top secret"), "{evil}");
    }
    let r = srv.get("/api/nope");
    assert_eq!(r.status, 404);
    assert!(r.body.contains("no such endpoint"));
    assert_eq!(
        srv.json("/api/health")["seq"],
        8,
        "generator starts with 8 incidents"
    );
}

#[test]
fn sigterm_stops_the_server_cleanly_even_with_a_stream_open() {
    let mut srv = Server::start(&["--rate", "5", "--heartbeat-ms", "100"]);
    let mut s = srv.sse("/api/incidents/stream?last_event_id=0", &[]);
    s.incidents(3, IO_TIMEOUT);
    let status = Command::new("kill")
        .args(["-TERM", &srv.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let end = Instant::now() + IO_TIMEOUT;
    let exit = loop {
        if let Some(st) = srv.child.try_wait().unwrap() {
            break st;
        }
        assert!(Instant::now() < end, "server still running after SIGTERM");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(exit.success(), "{exit:?}");
    // The open stream was ended by the server, not left hanging.
    let end = Instant::now() + IO_TIMEOUT;
    while s
        .next_block(end.saturating_duration_since(Instant::now()))
        .is_some()
    {}
}

#[test]
fn generator_is_deterministic_for_a_seed() {
    let content = |srv: &Server| -> Vec<Value> {
        let mut s = srv.sse("/api/incidents/stream?last_event_id=0", &[]);
        s.incidents(12, Duration::from_secs(20))
            .iter()
            .map(|e| {
                let mut f = e.json();
                let p = f["properties"].as_object_mut().unwrap();
                p.remove("reported_at");
                p.remove("updated_at");
                f
            })
            .collect()
    };
    let a = content(&Server::start(&["--seed", "99", "--rate", "20"]));
    let b = content(&Server::start(&["--seed", "99", "--rate", "20"]));
    let c = content(&Server::start(&["--seed", "100", "--rate", "20"]));
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[test]
fn a_stalled_client_does_not_hold_up_others() {
    let srv = Server::start(&[
        "--rate",
        "400",
        "--replay-window",
        "2000",
        "--heartbeat-ms",
        "0",
    ]);
    let mut slow = srv.sse("/api/incidents/stream?last_event_id=0", &[]);
    let mut fast = srv.sse("/api/incidents/stream?last_event_id=0", &[]);
    // While `slow` reads nothing for 3 s, `fast` keeps receiving.
    let end = Instant::now() + Duration::from_secs(3);
    let mut last = 0;
    let mut got = 0;
    while Instant::now() < end {
        let ev = fast.next_event(IO_TIMEOUT).unwrap();
        assert_eq!(
            ev.event, "incident",
            "a reading client is never reset: {ev:?}"
        );
        assert_eq!(ev.id(), last + 1);
        last = ev.id();
        got += 1;
    }
    assert!(got > 300, "fast client only got {got} events in 3 s");
    // The stalled client then sees contiguous ids, possibly ending in one `reset` if it fell out
    // of the replay window (depends on the kernel's socket buffers), never a gap or a duplicate.
    let mut prev = 0;
    let end = Instant::now() + Duration::from_secs(20);
    while let Some(ev) = slow.next_event(end.saturating_duration_since(Instant::now())) {
        if ev.event == "reset" {
            assert!(
                slow.next_block(IO_TIMEOUT).is_none(),
                "stream ends after reset"
            );
            break;
        }
        assert_eq!(ev.id(), prev + 1);
        prev = ev.id();
        if prev > last + 200 {
            break;
        }
    }
}

/// Follows `next_cursor` from `from` to `to`; returns every feature and the number of pages.
fn history_all(srv: &Server, from: &str, to: &str) -> (Vec<Value>, usize) {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    for pages in 1..1000 {
        let path = match &cursor {
            None => format!("/api/incidents/history?from={from}&to={to}"),
            Some(c) => format!("/api/incidents/history?from={from}&to={to}&cursor={c}"),
        };
        let page = srv.json(&path);
        assert_eq!(page["type"], "FeatureCollection");
        out.extend(page["features"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => return (out, pages),
        }
    }
    panic!("history paging did not end");
}

#[test]
fn history_pages_cover_the_interval_once_and_move_east() {
    let srv = Server::start(&[
        "--history-days",
        "30",
        "--history-per-hour",
        "20",
        "--rate",
        "0",
    ]);
    let first =
        srv.json("/api/incidents/history?from=2001-01-01T00:00:00Z&to=2001-01-02T00:00:00Z");
    let (start, end) = (
        first["history_start"].as_str().unwrap().to_string(),
        first["history_end"].as_str().unwrap().to_string(),
    );
    let (all, pages) = history_all(&srv, &start, &end);
    // 30 days × 24 h × 20 a hour on average: ~14,400 reports, several pages of 5,000.
    assert!((12_000..17_000).contains(&all.len()), "{}", all.len());
    assert!(pages >= 3, "{pages}");
    let mut ids = std::collections::HashSet::new();
    let mut last = String::new();
    let (mut east_early, mut east_late, mut early, mut late) = (0, 0, 0, 0);
    for (k, f) in all.iter().enumerate() {
        assert!(
            ids.insert(f["id"].as_str().unwrap().to_string()),
            "duplicate {}",
            f["id"]
        );
        let p = &f["properties"];
        let at = p["reported_at"].as_str().unwrap().to_string();
        assert!(at >= last, "not in time order at {k}");
        assert!(at >= start && at < end);
        last = at;
        assert_eq!(f["geometry"]["type"], "Point");
        assert!(["open", "closed"].contains(&p["status"].as_str().unwrap()));
        assert!((1..=5).contains(&p["severity"].as_u64().unwrap()));
        let lon = f["geometry"]["coordinates"][0].as_f64().unwrap();
        let is_east = lon > 2.0;
        if k < all.len() / 5 {
            early += 1;
            east_early += usize::from(is_east);
        } else if k >= all.len() * 4 / 5 {
            late += 1;
            east_late += usize::from(is_east);
        }
    }
    // Activity moves east: about 20-30 % east of 2° E in the first fifth, 70-80 % in the last.
    let (e, l) = (
        east_early as f64 / early as f64,
        east_late as f64 / late as f64,
    );
    assert!(e < 0.4 && l > 0.6, "east share {e:.2} → {l:.2}");
    // The same interval again: the same reports (generated from the seed, not stored).
    let again = srv.json(&format!("/api/incidents/history?from={start}&to={end}"));
    assert_eq!(again["features"][0], all[0]);
    // A sub-interval holds exactly the reports of the whole that fall in it.
    let day = &all[all.len() / 2]["properties"]["reported_at"]
        .as_str()
        .unwrap()[..10];
    let (from, to) = (
        format!("{day}T00:00:00Z"),
        format!("{day}T12:00:00%2B01:00"),
    );
    let (part, _) = history_all(&srv, &from, &to);
    let want = all
        .iter()
        .filter(|f| {
            let at = f["properties"]["reported_at"].as_str().unwrap();
            at >= from.as_str() && at < format!("{day}T11:00:00Z").as_str()
        })
        .count();
    assert_eq!(part.len(), want);
}

#[test]
fn history_refuses_bad_requests_and_is_absent_from_a_scenario_without_one() {
    let srv = Server::start(&["--history-days", "2", "--rate", "0"]);
    for (q, says) in [
        ("", "from is missing"),
        ("?from=2026-01-01T00:00:00Z", "to is missing"),
        ("?from=yesterday&to=2026-01-01T00:00:00Z", "not an RFC 3339"),
        (
            "?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z",
            "later than",
        ),
        (
            "?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z",
            "400 days",
        ),
        (
            "?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&cursor=zzz",
            "cursor",
        ),
    ] {
        let r = srv.get(&format!("/api/incidents/history{q}"));
        assert_eq!(r.status, 400, "{q}: {}", r.body);
        assert!(r.body.contains(says), "{q}: {}", r.body);
    }
    let dir = TempDir::new("nohistory");
    let none = Server::start(&["--scenario", &dir.write("s.json", r#"{"events": []}"#)]);
    let r = none.get("/api/incidents/history?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z");
    assert_eq!(r.status, 404);
    let off = Server::start(&["--history-days", "0"]);
    assert_eq!(
        off.get("/api/incidents/history?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z")
            .status,
        404
    );
}

#[test]
fn a_scripted_history_has_its_known_shift() {
    let dir = TempDir::new("shift");
    let script = json!({"events": [], "history": {"days": 10, "per_hour": 12, "seed": 3,
        "shift": {"a": [1.80, 50.95], "b": [2.40, 51.05], "spread_m": 1500}}});
    let srv = Server::start(&["--scenario", &dir.write("s.json", &script.to_string())]);
    let first =
        srv.json("/api/incidents/history?from=2001-01-01T00:00:00Z&to=2001-01-02T00:00:00Z");
    let (start, end) = (
        first["history_start"].as_str().unwrap(),
        first["history_end"].as_str().unwrap(),
    );
    let (all, _) = history_all(&srv, start, end);
    let half = all.len() / 2;
    let mean = |fs: &[Value]| {
        let n = fs.len() as f64;
        let s = fs.iter().fold((0.0, 0.0), |(x, y), f| {
            let c = &f["geometry"]["coordinates"];
            (x + c[0].as_f64().unwrap(), y + c[1].as_f64().unwrap())
        });
        (s.0 / n, s.1 / n)
    };
    // Centres within ~1 km of the scripted ones (margin for the report at the half-way hour).
    let (a, b) = (mean(&all[..half - 50]), mean(&all[half + 50..]));
    assert!(
        (a.0 - 1.80).abs() < 0.01 && (a.1 - 50.95).abs() < 0.01,
        "{a:?}"
    );
    assert!(
        (b.0 - 2.40).abs() < 0.01 && (b.1 - 51.05).abs() < 0.01,
        "{b:?}"
    );
}

/// One raw HTTP/1.1 request with a method and body (connection closed after it): the status
/// and body, or `None` when the server dropped the connection without an answer.
fn raw(port: u16, method: &str, target: &str, body: &str) -> Option<(u16, String)> {
    let mut s = connect(port);
    let req = format!(
        "{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).unwrap();
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text.split(' ').nth(1)?.parse().ok()?;
    let body = text
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_string();
    Some((status, body))
}

/// `--faults` (issue 15 item 4) over real TCP: without the flag `/__faults` is a 404 for every
/// method; with it a refused connection gets no answer at all while health stays up, a 503
/// carries its Retry-After, a restart refuses the old cursor with 410, and DELETE clears all.
#[test]
fn fault_injection_only_with_the_flag() {
    let plain = Server::start(&["--rate", "0"]);
    for method in ["GET", "POST", "DELETE"] {
        let (status, body) = raw(plain.port, method, "/__faults", r#"{"fault":"refuse"}"#).unwrap();
        assert_eq!(status, 404, "{method} without --faults: {body}");
    }
    assert_eq!(plain.get("/api/incidents").status, 200);

    let srv = Server::start(&["--rate", "0", "--faults"]);
    let cursor = srv.json("/api/incidents")["cursor"]
        .as_str()
        .unwrap()
        .to_string();
    let post = |body: &str| raw(srv.port, "POST", "/__faults", body).unwrap();
    assert_eq!(post(r#"{"fault":"refuse"}"#).0, 200);
    assert_eq!(
        raw(srv.port, "GET", "/api/incidents", ""),
        None,
        "no answer at all"
    );
    assert_eq!(srv.get("/api/health").status, 200, "health stays up");
    assert_eq!(raw(srv.port, "DELETE", "/__faults", "").unwrap().0, 200);
    assert_eq!(srv.get("/api/incidents").status, 200);

    assert_eq!(
        post(r#"{"fault":"status","code":503,"retry_after_s":30}"#).0,
        200
    );
    let r = srv.get("/api/incidents");
    assert_eq!((r.status, r.header("retry-after")), (503, Some("30")));
    assert_eq!(raw(srv.port, "DELETE", "/__faults", "").unwrap().0, 200);

    assert_eq!(post(r#"{"fault":"restart","first_seq":5}"#).0, 200);
    assert_eq!(
        srv.get(&format!("/api/incidents?since={cursor}")).status,
        410
    );
    assert_eq!(srv.json("/api/incidents")["cursor"], "4");

    let (status, body) = post(r#"{"fault":"meteor"}"#);
    assert_eq!(status, 400);
    assert!(body.contains("unknown fault"), "{body}");
}
