//! Native profile of the incident layer on the 100k benchmark snapshot
//! (`node bench/make-snapshot.mjs` writes target/bench/snapshot-100k.geojson):
//! parse + apply, `Marks`, `Plan::new` and a full-frame render at the bench's
//! two views (whole region, Calais zoom 14) at 3840x2160, dpr 1, and the overlay
//! path (transparent frame without cells, density image).
//!
//! `cargo run --release --example incident_draw [snapshot]` (times are ms, native, not wasm).

use calais_map::core::incident::{IncidentNames, IncidentStore, parse_snapshot};
use calais_map::core::incident_layer::{DrawOptions, Frame, Marks, Plan};
use calais_map::core::projection::to_mercator;
use calais_map::core::units::{LonLat, Zoom};
use calais_map::core::viewport::Viewport;
use std::time::Instant;

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "target/bench/snapshot-100k.geojson".to_string());
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("cannot read {path}: {e} (run `node bench/make-snapshot.mjs` first)");
            std::process::exit(1);
        }
    };
    let names = IncidentNames::default();
    if let Some(n) = std::env::var("PARSE_ONLY")
        .ok()
        .and_then(|n| n.parse::<usize>().ok())
    {
        // Profile the snapshot reader alone: parse `n` times.
        for _ in 0..n {
            let t = Instant::now();
            let count = parse_snapshot(&text, &names).map_or(0, |s| s.incidents.len());
            println!("parse {:.1} ms, {count} incidents", ms(t));
        }
        return;
    }
    let t = Instant::now();
    let snap = match parse_snapshot(&text, &names) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    let parse = ms(t);
    let t = Instant::now();
    let mut store = IncidentStore::new();
    store.apply_snapshot(snap);
    println!(
        "parse {parse:.1} ms, apply {:.1} ms, {} incidents",
        ms(t),
        store.len()
    );
    let t = Instant::now();
    let marks = if std::env::var_os("SORTED").is_some() {
        let mut v: Vec<_> = store.iter().collect();
        v.sort_by_key(|i| {
            let q = |m: f64| ((m + 2.0e7) / 50.0) as u64;
            let (x, y) = (q(i.at.x), q(i.at.y));
            let mut k = 0u64;
            for b in 0..24 {
                k |= ((x >> b) & 1) << (2 * b) | ((y >> b) & 1) << (2 * b + 1);
            }
            k
        });
        Marks::from_incidents(v)
    } else {
        Marks::from_incidents(store.iter())
    };
    println!("marks {:.1} ms", ms(t));
    let now = store.newest_update().map_or(0, |t| t.millis());
    for (name, lon, lat, zoom) in [
        ("region", 2.0, 50.97585949712052, 9.236687680799031),
        ("calais z14", 1.85, 50.96, 14.0),
    ] {
        let (Some(c), Some(z)) = (LonLat::new(lon, lat), Zoom::new(zoom)) else {
            continue;
        };
        let view = Viewport::new(to_mercator(c), z, 3840.0, 2160.0, 1.0);
        let bg = vec![40u8; 3840 * 2160 * 4];
        let mut out = Vec::new();
        let reps = std::env::var("REPS")
            .ok()
            .and_then(|r| r.parse().ok())
            .unwrap_or(20);
        let plan_only = std::env::var_os("PLAN_ONLY").is_some();
        let (mut plan_ms, mut render_ms) = (Vec::new(), Vec::new());
        for _ in 0..reps {
            let t = Instant::now();
            let plan = Plan::new(&marks, &view, now, &DrawOptions::default());
            plan_ms.push(ms(t));
            let t = Instant::now();
            if !plan_only {
                plan.render_frame(&bg, &mut out);
            }
            render_ms.push(ms(t));
        }
        let mut frame = Frame::new(bg.clone(), 3840, 2160);
        let mut frame_ms = Vec::new();
        let mut rects = 0;
        let plan = Plan::new(&marks, &view, now, &DrawOptions::default());
        for _ in 0..reps {
            let t = Instant::now();
            if std::env::var_os("REPAINT").is_some() {
                frame.forget();
            }
            rects = frame.draw(&plan).len();
            frame_ms.push(ms(t));
        }
        // The overlay path (transparent frame without cells, density image).
        let mut over = Frame::new(vec![0; 3840 * 2160 * 4], 3840, 2160);
        let (mut over_ms, mut image_ms) = (Vec::new(), Vec::new());
        for _ in 0..reps {
            over.forget();
            let t = Instant::now();
            over.draw_without_cells(&plan);
            over_ms.push(ms(t));
            let t = Instant::now();
            let _ = plan.density_image();
            image_ms.push(ms(t));
        }
        over_ms.sort_by(f64::total_cmp);
        image_ms.sort_by(f64::total_cmp);
        println!(
            "{name}: overlay repaint {:.2} ms ({} tiles), density image {:.2} ms",
            over_ms[reps / 2],
            over.repainted(),
            image_ms[reps / 2]
        );
        frame_ms.sort_by(f64::total_cmp);
        println!(
            "{name}: frame draw {:.2} ms, {rects} rects to upload, {} tiles repainted",
            frame_ms[reps / 2],
            frame.repainted()
        );
        plan_ms.sort_by(f64::total_cmp);
        render_ms.sort_by(f64::total_cmp);
        println!(
            "{name}: plan {:.2} ms, render frame {:.2} ms (medians of {reps})",
            plan_ms[reps / 2],
            render_ms[reps / 2]
        );
    }
}
