//! Native timing of bulk geofence classification on deterministic synthetic data
//! (`core::geofence::synthetic`): 200 zones of about 50 vertices over the Calais–Dunkirk
//! coast and 100,000 points, clustered near the zones.
//!
//! Also: the incremental engine (one update per incident, as fixes arrive), nearest fence
//! and port for every point (the demo fences and ports), and the demo fences' camera
//! coverage gaps.
//!
//! `cargo run --release --example geofence_bench [zones] [points] [runs]`
//! (times are ms, native, not wasm; the release profile is opt-level "z"). The environment
//! variable `GEOFENCE_CELL_M` overrides the grid cell size (EPSG:3857 metres).

use calais_map::core::config::PropertyNames;
use calais_map::core::geofence::synthetic;
use calais_map::core::geofence::{
    CameraCoverage, Classification, Engine, EngineConfig, Fix, Proximity, ZoneIndex,
};
use calais_map::core::ingest::ingest_layer;
use calais_map::core::model::LayerId;
use calais_map::core::units::Mercator;
use std::time::Instant;

mod common;
use common::{arg, median, ms};

fn main() {
    let n_zones = arg(1, 200);
    let n_points = arg(2, 100_000);
    let runs = arg(3, 31).max(1);

    let t = Instant::now();
    let zones = synthetic::zones(42, n_zones, 50);
    let points = synthetic::points(7, n_points, &zones);
    let gen_ms = ms(t);
    let edges: usize = zones.iter().map(|z| z.edge_count()).sum();

    let t = Instant::now();
    let cell_m = std::env::var("GEOFENCE_CELL_M")
        .ok()
        .and_then(|s| s.parse::<f64>().ok());
    let index = ZoneIndex::with_cell_size(&zones, cell_m);
    let build_ms = ms(t);
    let (cell, nx, ny) = index.grid_shape();

    let mut out = Classification::default();
    let mut full = Vec::with_capacity(runs);
    let mut counts_only = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        index.classify_into(&points, &mut out);
        full.push(ms(t));
        let t = Instant::now();
        let c = index.count_all(&points);
        counts_only.push(ms(t));
        std::hint::black_box(c);
    }
    let inside: u32 = out.counts.iter().sum();
    let with_zone = (0..out.len())
        .filter(|&i| !out.zones_of(i).is_empty())
        .count();

    // Single-point queries (the incremental path): grid and exact R-tree + PIP.
    let t = Instant::now();
    let mut n = 0usize;
    for p in &points {
        n += index.zones_at(*p).len();
    }
    let single_grid = ms(t);
    let t = Instant::now();
    let mut n2 = 0usize;
    for p in &points {
        n2 += index.zones_at_exact(*p).len();
    }
    let single_exact = ms(t);

    println!(
        "zones {} ({} edges), points {}; generate {:.1} ms, index build {:.1} ms (grid {}x{} cells of {:.0} m, {:.1} MB)",
        zones.len(),
        edges,
        points.len(),
        gen_ms,
        build_ms,
        nx,
        ny,
        cell,
        index.grid_bytes() as f64 / 1e6
    );
    println!(
        "classify_all (counts + membership): median {:.3} ms over {} runs (min {:.3})",
        median(full.clone()),
        runs,
        full.iter().copied().fold(f64::INFINITY, f64::min)
    );
    println!(
        "count_all (counts only):            median {:.3} ms",
        median(counts_only)
    );
    println!(
        "zones_at one by one: {:.1} ms; zones_at_exact (R-tree + PIP) one by one: {:.1} ms; same total: {}",
        single_grid,
        single_exact,
        n == n2
    );
    println!(
        "memberships {inside}, points in at least one zone {with_zone} ({:.1} %)",
        100.0 * with_zone as f64 / points.len().max(1) as f64
    );

    // The engine: every point is an incident; a first fix each, then each moves 30 m.
    let mut engine = Engine::new(zones.clone(), EngineConfig::default());
    let t = Instant::now();
    let mut events = 0usize;
    for (i, p) in points.iter().enumerate() {
        events += engine
            .update(&Fix::new(format!("inc-{i}"), *p, 1_000))
            .len();
    }
    let first_ms = ms(t);
    let t = Instant::now();
    for (i, p) in points.iter().enumerate() {
        let moved = Mercator {
            x: p.x + 30.0,
            y: p.y - 20.0,
        };
        events += engine
            .update(&Fix::new(format!("inc-{i}"), moved, 6_000))
            .len();
    }
    let move_ms = ms(t);
    let t = Instant::now();
    events += engine.tick(200_000).len();
    let tick_ms = ms(t);
    println!(
        "engine: {} first fixes {:.1} ms ({:.2} us each), {} moves {:.1} ms ({:.2} us each), tick {:.1} ms; {} events",
        points.len(),
        first_ms,
        first_ms * 1e3 / points.len().max(1) as f64,
        points.len(),
        move_ms,
        move_ms * 1e3 / points.len().max(1) as f64,
        tick_ms,
        events
    );

    // Distances to the demo fences and ports.
    let names = PropertyNames::default();
    let fences = ingest_layer(
        LayerId::Fences,
        include_str!("../public/data/fences.geojson"),
        &names,
    );
    let ports = ingest_layer(
        LayerId::Ports,
        include_str!("../public/data/ports.geojson"),
        &names,
    );
    let cameras = ingest_layer(
        LayerId::Cameras,
        include_str!("../public/data/cameras.geojson"),
        &names,
    );
    if let (Ok(fences), Ok(ports), Ok(cameras)) = (fences, ports, cameras) {
        let prox = Proximity::new(&fences, &ports);
        let t = Instant::now();
        let mut sum = 0.0;
        for p in &points {
            sum += prox.nearest_fence(*p).map_or(0.0, |n| n.distance_m);
        }
        let fence_ms = ms(t);
        let t = Instant::now();
        for p in &points {
            sum += prox.nearest_port(*p).map_or(0.0, |n| n.distance_m);
        }
        let port_ms = ms(t);
        std::hint::black_box(sum);
        println!(
            "nearest fence for {} points: {:.1} ms; nearest port: {:.1} ms",
            points.len(),
            fence_ms,
            port_ms
        );
        let cov = CameraCoverage::new(&cameras);
        let t = Instant::now();
        let gaps = cov.gaps(&fences, 5.0);
        println!(
            "coverage gaps of the demo fences (5 m spacing): {:.1} ms, {} gaps, {:.0} m of {:.0} m uncovered",
            ms(t),
            gaps.gaps.len(),
            gaps.uncovered_m,
            gaps.fence_m
        );
    }
}
