//! Native timing of the sorts on the 100k snapshot path (BENCHMARKS.md "Bundle: where the
//! bytes go and what was cut": the key sort against the typed sorts), on the benchmark
//! snapshot (`node bench/make-snapshot.mjs` writes target/bench/snapshot-100k.geojson):
//! `IncidentStore::apply_snapshot` into an empty store (the server's id order, then shuffled),
//! into a store holding it, `SnapshotMerge` to the end, `History::insert_many` of the
//! incidents' reports (the snapshot's order, not time order) and `Engine::seed_all` of their
//! fixes over 200 synthetic zones (`core::geofence::synthetic`).
//!
//! `cargo run --release --example snapshot_sorts [snapshot] [runs]` (median ms of the runs,
//! native, not wasm; the release profile is opt-level "z").

use calais_map::core::geofence::{Engine, EngineConfig, Fix, synthetic};
use calais_map::core::heatmap::history::{History, Report};
use calais_map::core::incident::{IncidentNames, IncidentStore, SnapshotMerge, parse_snapshot};
use std::time::Instant;

mod common;
use common::{arg, median, ms};

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "target/bench/snapshot-100k.geojson".to_string());
    let runs = arg(2, 9).max(1);
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("cannot read {path} (run `node bench/make-snapshot.mjs` first)");
        std::process::exit(1);
    };
    let Ok(snap) = parse_snapshot(&text, &IncidentNames::default()) else {
        eprintln!("{path}: not a snapshot");
        std::process::exit(1);
    };
    // The same incidents out of id order (a fixed stride through them).
    let mut shuffled = snap.clone();
    let n = shuffled.incidents.len();
    let stride = 7919 % n.max(1);
    shuffled.incidents = (0..n)
        .map(|i| snap.incidents[(i * stride.max(1)) % n].clone())
        .collect();
    if stride == 0 || n % 7919 == 0 {
        shuffled.incidents.reverse();
    }
    let held = {
        let mut s = IncidentStore::new();
        s.apply_snapshot(snap.clone());
        s
    };
    let zones = synthetic::zones(42, 200, 50);
    let fixes: Vec<Fix> = held.iter().map(Fix::from_incident).collect();

    let mut times: [Vec<f64>; 6] = Default::default();
    for _ in 0..runs {
        let s = snap.clone();
        let t = Instant::now();
        let mut store = IncidentStore::new();
        store.apply_snapshot(s);
        times[0].push(ms(t));
        std::hint::black_box(store);

        let s = shuffled.clone();
        let t = Instant::now();
        let mut store = IncidentStore::new();
        store.apply_snapshot(s);
        times[1].push(ms(t));
        std::hint::black_box(store);

        let mut store = held.clone();
        let s = shuffled.clone();
        let t = Instant::now();
        store.apply_snapshot(s);
        times[2].push(ms(t));
        std::hint::black_box(store);

        let s = snap.clone();
        let t = Instant::now();
        let (built, _) = SnapshotMerge::new(&held, s).finish(&held);
        times[3].push(ms(t));
        std::hint::black_box(built);

        let t = Instant::now();
        let mut history = History::new();
        history.insert_many(
            shuffled
                .incidents
                .iter()
                .map(|i| (i.id.as_str(), Report::of(i))),
        );
        times[4].push(ms(t));
        std::hint::black_box(history);

        let f = fixes.clone();
        let mut engine = Engine::new(zones.clone(), EngineConfig::default());
        let t = Instant::now();
        engine.seed_all(f);
        times[5].push(ms(t));
        std::hint::black_box(engine);
    }
    let labels = [
        "apply_snapshot, empty store, id order",
        "apply_snapshot, empty store, shuffled",
        "apply_snapshot, held store, shuffled",
        "SnapshotMerge new..finish, held store",
        "History::insert_many, snapshot order",
        "Engine::seed_all, 200 zones",
    ];
    println!("{n} incidents, median of {runs} runs (ms, native)");
    for (label, t) in labels.iter().zip(times) {
        println!("{label:40} {:8.2}", median(t));
    }
}
