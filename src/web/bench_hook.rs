//! Geofencing benchmark functions on `window.calaisMap` (issue 4; driven by
//! `bench/geofence.mjs`, which runs the JavaScript peers in the same page on the same data).
//!
//! * `benchGeofenceSetup(zonesSeed, pointsSeed, zones, vertices, points)` generates the
//!   synthetic data in wasm (`core::geofence::synthetic`), indexes it, keeps it for the other
//!   calls and returns `{ zonesGeoJson, lonlat, mercator, zones, points, edges, generateMs,
//!   cellM, gridNx, gridNy }`: the zones as a GeoJSON FeatureCollection (degrees WGS84) and the
//!   points as interleaved `Float64Array`s (`lonlat`: degrees; `mercator`: EPSG:3857 metres).
//! * `benchGeofence(reps)`: `ZoneIndex::classify_into` of all points (output buffers reused)
//!   timed `reps` times after 2 warm-up runs, and `count_all` likewise: `{ medianMs, minMs,
//!   samples, countAllMedianMs, countAllSamples, countAllAgrees, counts (points per zone),
//!   offsets, zones (each point's zones in compressed rows, as `Classification`; Uint32Arrays),
//!   pairs, inAny }`.
//! * `benchGeofenceBuild(reps)`: `ZoneIndex::new` timed `reps` times: `{ medianMs, minMs,
//!   samples }`.
//! * `benchGeofenceUpdate(updates, stepM, batches)`: an `Engine` over the zones with every
//!   point as an open incident, then `updates` warm-up and `updates` timed single-incident
//!   fixes (an incident moved by `stepM` ground metres in a seeded direction), the timed ones
//!   in `batches` batches: `{ engineNewMs, loadMs, loadEvents, seedAllMs, seedAllAgrees,
//!   tracked, updates, warmUsPerUpdate, usPerUpdate, batchUsPerUpdate (median of the batches'
//!   means), batchSamplesUs, events, moved, missing, counts }`. `loadMs` is the first load of
//!   every point, one `Engine::update` each; `seedAllMs` the same fixes seeded silently in
//!   bulk by `Engine::seed_all` into another new engine, and `seedAllAgrees` whether that
//!   engine's zone counts and tracked incidents equal the first one's. `missing` counts moved
//!   incidents whose memberships lack a zone containing their last position (must be 0;
//!   hysteresis may only keep extra memberships).
//!
//! Times are `performance.now()` ms in the page (Chromium coarsens it to 0.1 ms without
//! cross-origin isolation, so single updates are timed in batches).

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Float64Array, Object, Reflect, Uint32Array};
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::Closure;

use crate::core::geofence::synthetic::{self, Rng};
use crate::core::geofence::{
    Classification, Engine, EngineConfig, Fix, Zone, ZoneIndex, zones_to_geojson,
};
use crate::core::projection::{ground_scale, to_lonlat};
use crate::core::units::Mercator;
use crate::env::now_ms;

struct Data {
    zones: Vec<Zone>,
    points: Vec<Mercator>,
    index: ZoneIndex,
    out: Classification,
}

type Shared = Rc<RefCell<Option<Data>>>;

fn set(obj: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}

fn count(x: f64, lo: usize, hi: usize, default: usize) -> usize {
    if x.is_finite() {
        x.clamp(lo as f64, hi as f64) as usize
    } else {
        default
    }
}

fn seed(x: f64, default: u64) -> u64 {
    if x.is_finite() && x >= 0.0 {
        x as u64
    } else {
        default
    }
}

fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    s.get(s.len() / 2).copied().unwrap_or(f64::NAN)
}

fn min(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::INFINITY, f64::min)
}

fn samples(v: &[f64]) -> JsValue {
    v.iter()
        .map(|&x| JsValue::from_f64(x))
        .collect::<Array>()
        .into()
}

fn timing(o: &Object, v: &[f64]) {
    set(o, "medianMs", &median(v).into());
    set(o, "minMs", &min(v).into());
    set(o, "samples", &samples(v));
}

fn setup(shared: &Shared, args: [f64; 5]) -> JsValue {
    let [zs, ps, nz, nv, np] = args;
    let t0 = now_ms();
    let zones = synthetic::zones(
        seed(zs, 42),
        count(nz, 1, 10_000, 200),
        count(nv, 8, 10_000, 50),
    );
    let points = synthetic::points(seed(ps, 7), count(np, 0, 10_000_000, 100_000), &zones);
    let generate_ms = now_ms() - t0;
    let index = ZoneIndex::new(&zones);
    let (cell, nx, ny) = index.grid_shape();
    let mut lonlat = Vec::with_capacity(points.len() * 2);
    let mut mercator = Vec::with_capacity(points.len() * 2);
    for p in &points {
        let ll = to_lonlat(*p);
        lonlat.extend([ll.lon, ll.lat]);
        mercator.extend([p.x, p.y]);
    }
    let o = Object::new();
    set(&o, "zonesGeoJson", &zones_to_geojson(&zones).into());
    set(&o, "lonlat", &Float64Array::from(lonlat.as_slice()).into());
    set(
        &o,
        "mercator",
        &Float64Array::from(mercator.as_slice()).into(),
    );
    set(&o, "zones", &(zones.len() as f64).into());
    set(&o, "points", &(points.len() as f64).into());
    let edges: usize = zones.iter().map(Zone::edge_count).sum();
    set(&o, "edges", &(edges as f64).into());
    set(&o, "generateMs", &generate_ms.into());
    set(&o, "cellM", &cell.into());
    set(&o, "gridNx", &(nx as f64).into());
    set(&o, "gridNy", &(ny as f64).into());
    *shared.borrow_mut() = Some(Data {
        zones,
        points,
        index,
        out: Classification::default(),
    });
    o.into()
}

fn classify(shared: &Shared, reps: f64) -> JsValue {
    let reps = count(reps, 1, 1000, 21);
    let Ok(mut guard) = shared.try_borrow_mut() else {
        return JsValue::NULL;
    };
    let Some(d) = guard.as_mut() else {
        return JsValue::NULL;
    };
    let mut times = Vec::with_capacity(reps);
    for i in 0..reps + 2 {
        let t0 = now_ms();
        d.index.classify_into(&d.points, &mut d.out);
        let t = now_ms() - t0;
        if i >= 2 {
            times.push(t);
        }
    }
    let mut count_times = Vec::with_capacity(reps);
    let mut counts = Vec::new();
    for i in 0..reps + 2 {
        let t0 = now_ms();
        counts = d.index.count_all(&d.points);
        let t = now_ms() - t0;
        if i >= 2 {
            count_times.push(t);
        }
    }
    let o = Object::new();
    timing(&o, &times);
    set(&o, "countAllMedianMs", &median(&count_times).into());
    set(&o, "countAllSamples", &samples(&count_times));
    set(
        &o,
        "counts",
        &Uint32Array::from(d.out.counts.as_slice()).into(),
    );
    set(
        &o,
        "offsets",
        &Uint32Array::from(d.out.offsets.as_slice()).into(),
    );
    set(
        &o,
        "zones",
        &Uint32Array::from(d.out.zones.as_slice()).into(),
    );
    set(&o, "countAllAgrees", &(counts == d.out.counts).into());
    set(&o, "pairs", &(d.out.zones.len() as f64).into());
    let in_any = d.out.offsets.windows(2).filter(|w| w[1] > w[0]).count();
    set(&o, "inAny", &(in_any as f64).into());
    o.into()
}

fn build(shared: &Shared, reps: f64) -> JsValue {
    let reps = count(reps, 1, 100, 9);
    let Ok(guard) = shared.try_borrow() else {
        return JsValue::NULL;
    };
    let Some(d) = guard.as_ref() else {
        return JsValue::NULL;
    };
    let mut times = Vec::with_capacity(reps);
    for i in 0..reps + 1 {
        let t0 = now_ms();
        let index = ZoneIndex::new(&d.zones);
        let t = now_ms() - t0;
        std::hint::black_box(&index);
        if i >= 1 {
            times.push(t);
        }
    }
    let o = Object::new();
    timing(&o, &times);
    o.into()
}

fn incident_id(i: usize) -> String {
    format!("inc-{i:06}")
}

fn update(shared: &Shared, args: [f64; 3]) -> JsValue {
    let [n, step, batches] = args;
    let n = count(n, 1, 1_000_000, 1000);
    let batches = count(batches, 1, n, 10);
    let step_m = if step.is_finite() && step > 0.0 {
        step
    } else {
        50.0
    };
    let Ok(guard) = shared.try_borrow() else {
        return JsValue::NULL;
    };
    let Some(d) = guard.as_ref() else {
        return JsValue::NULL;
    };
    if d.points.is_empty() {
        return JsValue::NULL;
    }
    let t0 = now_ms();
    let mut engine = Engine::new(d.zones.clone(), EngineConfig::default());
    let engine_new_ms = now_ms() - t0;

    // Every point is an open incident.
    let start: i64 = 1_767_225_600_000;
    let ids: Vec<String> = (0..d.points.len()).map(incident_id).collect();
    let mut events = 0usize;
    let t0 = now_ms();
    for (id, p) in ids.iter().zip(&d.points) {
        events += engine.update(&Fix::new(id.as_str(), *p, start)).len();
    }
    let load_ms = now_ms() - t0;
    let load_events = events;

    // The same first load, seeded in bulk (silently) into another new engine; the fixes are
    // made inside the timed call, as above.
    let mut bulk = Engine::new(d.zones.clone(), EngineConfig::default());
    let t0 = now_ms();
    bulk.seed_all(
        ids.iter()
            .zip(&d.points)
            .map(|(id, p)| Fix::new(id.as_str(), *p, start)),
    );
    let seed_all_ms = now_ms() - t0;
    let seed_all_agrees = bulk.counts() == engine.counts() && bulk.tracked() == engine.tracked();
    drop(bulk);

    // The moves, prepared outside the timed loop: incident, new position, time; the first
    // `n` warm up (the update path beyond a first fix: exits, crossings), the next `n` are
    // timed.
    let mut rng = Rng::new(0x6E0F_E4CE);
    let mut at = d.points.clone();
    let mut moves = Vec::with_capacity(2 * n);
    for k in 0..2 * n {
        let i = rng.below(at.len());
        let a = rng.range(0.0, std::f64::consts::TAU);
        let Some(p) = at.get_mut(i) else { continue };
        let scale = ground_scale(to_lonlat(*p).lat);
        let m = if scale > 0.0 { step_m / scale } else { step_m };
        *p = Mercator {
            x: p.x + m * a.sin(),
            y: p.y + m * a.cos(),
        };
        let time = start + 1000 * (k as i64 + 1);
        moves.push((
            i,
            Fix::new(ids.get(i).cloned().unwrap_or_default(), *p, time),
        ));
    }

    let (warm, timed) = moves.split_at(n.min(moves.len()));
    let t0 = now_ms();
    for (_, fix) in warm {
        engine.update(fix);
    }
    let warm_ms = now_ms() - t0;

    let mut batch_us = Vec::with_capacity(batches);
    events = 0;
    let per = timed.len().div_ceil(batches).max(1);
    let start_all = now_ms();
    for chunk in timed.chunks(per) {
        let t0 = now_ms();
        for (_, fix) in chunk {
            events += engine.update(fix).len();
        }
        batch_us.push((now_ms() - t0) * 1000.0 / chunk.len() as f64);
    }
    let total_ms = now_ms() - start_all;

    // Every moved incident is a member of every zone its last position is in.
    let mut moved: Vec<usize> = moves.iter().map(|(i, _)| *i).collect();
    moved.sort_unstable();
    moved.dedup();
    let missing = moved
        .iter()
        .filter(|&&i| {
            let (Some(id), Some(p)) = (ids.get(i), at.get(i)) else {
                return false;
            };
            let members = engine.memberships(id);
            d.index.zones_at(*p).iter().any(|z| !members.contains(z))
        })
        .count();

    let o = Object::new();
    set(&o, "engineNewMs", &engine_new_ms.into());
    set(&o, "loadMs", &load_ms.into());
    set(&o, "loadEvents", &(load_events as f64).into());
    set(&o, "seedAllMs", &seed_all_ms.into());
    set(&o, "seedAllAgrees", &seed_all_agrees.into());
    set(&o, "tracked", &(engine.tracked() as f64).into());
    set(&o, "updates", &(timed.len() as f64).into());
    set(
        &o,
        "warmUsPerUpdate",
        &(warm_ms * 1000.0 / warm.len().max(1) as f64).into(),
    );
    set(&o, "moved", &(moved.len() as f64).into());
    set(&o, "stepM", &step_m.into());
    set(&o, "totalMs", &total_ms.into());
    set(
        &o,
        "usPerUpdate",
        &(total_ms * 1000.0 / timed.len().max(1) as f64).into(),
    );
    set(&o, "batchUsPerUpdate", &median(&batch_us).into());
    set(&o, "batchSamplesUs", &samples(&batch_us));
    set(&o, "events", &(events as f64).into());
    set(&o, "missing", &(missing as f64).into());
    set(&o, "counts", &Uint32Array::from(engine.counts()).into());
    o.into()
}

/// Adds the geofencing benchmark functions to the `calaisMap` hook object.
pub fn install(hook: &Object) {
    crate::bench_heatmap::install(hook);
    let shared: Shared = Rc::new(RefCell::new(None));

    let s = shared.clone();
    let f = Closure::<dyn Fn(f64, f64, f64, f64, f64) -> JsValue>::new(
        move |zs: f64, ps: f64, nz: f64, nv: f64, np: f64| setup(&s, [zs, ps, nz, nv, np]),
    );
    set(hook, "benchGeofenceSetup", &f.into_js_value());

    let s = shared.clone();
    let f = Closure::<dyn Fn(f64) -> JsValue>::new(move |reps: f64| classify(&s, reps));
    set(hook, "benchGeofence", &f.into_js_value());

    let s = shared.clone();
    let f = Closure::<dyn Fn(f64) -> JsValue>::new(move |reps: f64| build(&s, reps));
    set(hook, "benchGeofenceBuild", &f.into_js_value());

    let s = shared;
    let f = Closure::<dyn Fn(f64, f64, f64) -> JsValue>::new(move |n: f64, step: f64, b: f64| {
        update(&s, [n, step, b])
    });
    set(hook, "benchGeofenceUpdate", &f.into_js_value());
}
