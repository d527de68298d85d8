#!/usr/bin/env node
// Geofencing benchmark (issue 4; run by `make bench` after bench/incidents.mjs).
//
// In headless Debian chromium (1280x800, dpr 1; the map is idle), with the release build
// (dist/), all in one page on the same data:
//   data   200 zones of about 50 vertices (core::geofence::synthetic::zones, seed 42) and
//          100,000 points (synthetic::points, seed 7: 60 % clustered around the zones, 40 %
//          uniform over the Calais–Dunkirk coast), generated in wasm by
//          calaisMap.benchGeofenceSetup and handed to JS as the zones GeoJSON (degrees WGS84)
//          and the points as a Float64Array of lon/lat degrees.
//   wasm   calaisMap.benchGeofence(reps): ZoneIndex::classify_into over all points (output
//          reused), timed inside wasm with performance.now(), median of reps after 2 warm-ups;
//          calaisMap.benchGeofenceBuild(reps): ZoneIndex::new.
//   (a)    flatbush over the polygons' boxes + point-in-polygon-hao on each candidate
//          (bench/peers/geofence-peers.mjs), same output (counts and each point's zones),
//          median of reps after 2 warm-ups; the flatbush build timed separately.
//          Target: (a) / wasm ≥ 3.
//   (b)    a plain loop of @turf/boolean-point-in-polygon over every point × every zone (no
//          index), --turf-runs runs after a warm-up on 500 points; if one full run would take
//          longer than --turf-budget s (estimated on the first 1,000 points), a documented
//          prefix of the points is measured and the time scaled to all of them.
//          Target: (b) / wasm ≥ 100.
//   incr.  calaisMap.benchGeofenceUpdate(updates): an Engine with every point as an open
//          incident, 1,000 warm-up fixes, then 1,000 timed single-incident fixes (one incident
//          moved 50 m in a seeded direction; Engine::update), timed as a whole (µs per update =
//          total / 1,000) and in 10 batches. Target: one update < 1 % of a full pass. Also the
//          first load of all the incidents, one Engine::update each, and (info) the same fixes
//          seeded silently in bulk by Engine::seed_all (what a snapshot or resync does).
//   Agreement: per zone counts and per point zone sets of (a) and (b) against wasm; any
//   difference is reported (points exactly on a boundary may legitimately differ: JS tests
//   in degrees rounded to 7 decimals, wasm in EPSG:3857).
// Target for wasm itself: median < 5 ms. Times are performance.now() in the page, which
// Chromium coarsens to 0.1 ms without cross-origin isolation.
// The JS peers are the npm packages of package-lock.json served unbundled from a temp copy
// of the build, resolved by an import map written into its index.html.
// Prints a markdown table and writes target/bench/geofence.json.
//
// Usage: node bench/geofence.mjs [--reps N] [--turf-runs N] [--turf-budget S] [--points N]
//   [--zones N] [--vertices N] [--updates N] [--strict]
//   --strict exits 1 when a target is missed. CALAIS_DIST serves another build.

import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { ROOT, CHROMIUM, prepareDist, startServer, launchBrowser, openApp, waitForSettled } from '../tests/e2e/harness.mjs';
import { median, pct, stats, fmt, finish, targetTable, tailLines } from './stats.mjs';

const args = process.argv.slice(2);
const argVal = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const REPS = Math.max(5, argVal('--reps', 21));
const TURF_RUNS = Math.max(1, argVal('--turf-runs', 3));
const TURF_BUDGET_S = Math.max(1, argVal('--turf-budget', 60));
const POINTS = Math.max(1000, argVal('--points', 100_000));
const ZONES = Math.max(1, argVal('--zones', 200));
const VERTICES = Math.max(8, argVal('--vertices', 50));
const UPDATES = Math.max(10, argVal('--updates', 1000));
const ZONES_SEED = 42;
const POINTS_SEED = 7;
const STEP_M = 50;
const STRICT = args.includes('--strict');
const W = 1280;
const H = 800;
const OUT = path.join(ROOT, 'target', 'bench', 'geofence.json');
const PEERS = path.join(ROOT, 'bench', 'peers');
const NODE_MODULES = path.join(ROOT, 'node_modules');
/** The packages the peers import, and what they import in turn. */
const PACKAGES = [
  'flatbush', 'flatqueue', 'point-in-polygon-hao', 'robust-predicates',
  '@turf/boolean-point-in-polygon', '@turf/invariant', '@turf/helpers',
];

const log = (...a) => console.error('[bench:geofence]', ...a);

/** The browser (ESM) entry of an installed package, from its package.json. */
function esmEntry(name) {
  const dir = path.join(NODE_MODULES, ...name.split('/'));
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const pick = (e) => {
    if (typeof e === 'string') return e;
    if (!e || typeof e !== 'object') return null;
    for (const k of ['browser', 'import', 'module', 'default']) {
      const v = pick(e[k]);
      if (v) return v;
    }
    return null;
  };
  const exp = pkg.exports && typeof pkg.exports === 'object' && '.' in pkg.exports ? pkg.exports['.'] : pkg.exports;
  const entry = pick(exp) || pkg.module || pkg.main || 'index.js';
  if (!fs.existsSync(path.join(dir, entry))) throw new Error(`${name}: entry ${entry} not found (npm ci?)`);
  return { dir, entry, version: pkg.version };
}

/**
 * Copies the peers and their npm packages into the temp build under /bench/ and writes an
 * import map for the packages' bare names into its index.html (before any module script).
 */
function installPeers(distDir) {
  const imports = {};
  const versions = {};
  for (const name of PACKAGES) {
    const { dir, entry, version } = esmEntry(name);
    const to = path.join(distDir, 'bench', 'node_modules', ...name.split('/'));
    fs.cpSync(dir, to, { recursive: true });
    imports[name] = `/bench/node_modules/${name}/${entry.replace(/^\.\//, '')}`;
    versions[name] = version;
  }
  fs.cpSync(PEERS, path.join(distDir, 'bench', 'peers'), { recursive: true });
  const html = path.join(distDir, 'index.html');
  const text = fs.readFileSync(html, 'utf8');
  const map = `<script type="importmap">${JSON.stringify({ imports })}</script>`;
  if (!/<head[^>]*>/i.test(text)) throw new Error('dist/index.html has no <head>');
  fs.writeFileSync(html, text.replace(/<head[^>]*>/i, (h) => `${h}\n    ${map}`));
  return versions;
}

async function requireHook(page, names) {
  const missing = await page.evaluate((names) => names.filter((n) => typeof window.calaisMap?.[n] !== 'function'), names);
  if (missing.length) throw new Error(`the app build lacks ${missing.map((n) => `calaisMap.${n}()`).join(', ')}: run it on a benchmark build (make bench, or trunk build --release --features bench,split --dist target/dist-bench and CALAIS_DIST=target/dist-bench)`);
}

async function main() {
  const results = {
    date: new Date().toISOString(),
    viewport: { width: W, height: H, dpr: 1 },
    chromium: (() => {
      try {
        return execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).trim();
      } catch {
        return null;
      }
    })(),
    params: { zones: ZONES, vertices: VERTICES, points: POINTS, zonesSeed: ZONES_SEED, pointsSeed: POINTS_SEED, reps: REPS, turfRuns: TURF_RUNS, turfBudgetS: TURF_BUDGET_S, updates: UPDATES, stepM: STEP_M },
    errors: {},
  };
  // No live feed: an empty snapshot, polled once an hour, so that nothing else runs in the page.
  const dir = prepareDist({
    incidents: { snapshot_url: 'public/bench/empty.geojson', stream_url: '', poll_interval_s: 3600, retention_s: 86_400, stale_after_s: 86_400 },
  });
  fs.mkdirSync(path.join(dir, 'public', 'bench'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'public', 'bench', 'empty.geojson'), '{"type":"FeatureCollection","features":[]}\n');
  results.packages = installPeers(dir);
  const server = await startServer({ distDir: dir });
  const b = await launchBrowser();
  try {
    const ctx = await b.newContext({ viewport: { width: W, height: H }, deviceScaleFactor: 1 });
    const app = await openApp({ server }, ctx, { allowConsoleErrors: true });
    const { page } = app;
    await requireHook(page, ['benchGeofenceSetup', 'benchGeofence', 'benchGeofenceBuild', 'benchGeofenceUpdate']);
    await waitForSettled(page, { quietMs: 500, timeout: 60_000 }).catch(() => {});
    await page.evaluate(async () => {
      window.__gf = await import('/bench/peers/geofence-peers.mjs');
    });

    // ---- data, generated in wasm ----
    log(`data: ${ZONES} zones × ~${VERTICES} vertices, ${POINTS} points…`);
    results.data = await page.evaluate(({ ZONES_SEED, POINTS_SEED, ZONES, VERTICES, POINTS }) => {
      const d = window.calaisMap.benchGeofenceSetup(ZONES_SEED, POINTS_SEED, ZONES, VERTICES, POINTS);
      const fc = JSON.parse(d.zonesGeoJson);
      const polys = window.__gf.polygonsOf(fc);
      window.__gfData = { fc, polys, lonlat: d.lonlat, n: d.points };
      const types = {};
      for (const f of fc.features) types[f.geometry.type] = (types[f.geometry.type] || 0) + 1;
      let holes = 0;
      for (const p of polys.rings) holes += p.length - 1;
      return {
        zones: d.zones, points: d.points, edges: d.edges, polygons: polys.rings.length, holes, geometryTypes: types,
        generateMs: d.generateMs, geojsonBytes: d.zonesGeoJson.length, gridCellM: d.cellM, gridNx: d.gridNx, gridNy: d.gridNy,
      };
    }, { ZONES_SEED, POINTS_SEED, ZONES, VERTICES, POINTS });
    log(`  ${results.data.zones} zones, ${results.data.edges} edges (${results.data.polygons} polygons, ${results.data.holes} holes), ${results.data.points} points, generated in ${fmt(results.data.generateMs)} ms`);

    // ---- wasm ----
    log('wasm: ZoneIndex::new…');
    const wBuild = await page.evaluate((reps) => window.calaisMap.benchGeofenceBuild(reps), Math.min(REPS, 11));
    log(`wasm: classify_into × ${REPS}…`);
    const wasm = await page.evaluate((reps) => {
      const r = window.calaisMap.benchGeofence(reps);
      window.__gfWasm = r;
      return { samples: r.samples, countAllSamples: r.countAllSamples, countAllAgrees: r.countAllAgrees, pairs: r.pairs, inAny: r.inAny };
    }, REPS);
    results.wasm = {
      build: stats(wBuild.samples),
      classify: stats(wasm.samples),
      countAll: stats(wasm.countAllSamples),
      countAllAgrees: wasm.countAllAgrees,
      pairs: wasm.pairs,
      inAny: wasm.inAny,
    };
    log(`  build ${fmt(results.wasm.build.median)} ms; classify ${fmt(results.wasm.classify.median)} ms (${wasm.pairs} point-zone pairs, ${wasm.inAny} points in a zone); count_all ${fmt(results.wasm.countAll.median)} ms`);

    // ---- (a) flatbush + hao ----
    log(`(a) flatbush + point-in-polygon-hao × ${REPS}…`);
    results.hao = await page.evaluate((reps) => {
      const { polys, lonlat, n } = window.__gfData;
      const gf = window.__gf;
      const build = [];
      let index;
      for (let k = 0; k < Math.min(reps, 11) + 1; k++) {
        const t0 = performance.now();
        index = gf.buildFlatbush(polys);
        const t = performance.now() - t0;
        if (k >= 1) build.push(t);
      }
      const out = gf.newOutput(n, polys.zoneCount);
      const times = [];
      for (let k = 0; k < reps + 2; k++) {
        const t0 = performance.now();
        gf.classifyFlatbushHao(index, polys, lonlat, out);
        const t = performance.now() - t0;
        if (k >= 2) times.push(t);
      }
      const w = window.__gfWasm;
      const cmp = gf.compare(w, out, n);
      return { build, times, pairs: out.pairs, countDiff: gf.countDiff(w.counts, out.counts), mismatchedPoints: cmp.points, examples: cmp.examples };
    }, REPS);
    results.hao.build = stats(results.hao.build);
    results.hao.classify = stats(results.hao.times);
    delete results.hao.times;
    results.hao.ratio = results.hao.classify.median / results.wasm.classify.median;
    log(`  build ${fmt(results.hao.build.median)} ms; classify ${fmt(results.hao.classify.median)} ms = ${fmt(results.hao.ratio, 1)}× wasm; mismatched points ${results.hao.mismatchedPoints}, count diff ${results.hao.countDiff}`);

    // ---- (b) turf, plain loop ----
    log('(b) @turf/boolean-point-in-polygon: pilot on 1,000 points…');
    const pilot = await page.evaluate(() => {
      const { fc, lonlat } = window.__gfData;
      const gf = window.__gf;
      const warm = gf.turfPoints(lonlat, 0, 500);
      gf.classifyTurf(fc.features, warm, gf.newOutput(warm.length, fc.features.length));
      const pts = gf.turfPoints(lonlat, 0, 1000);
      const t0 = performance.now();
      gf.classifyTurf(fc.features, pts, gf.newOutput(pts.length, fc.features.length));
      return performance.now() - t0;
    });
    const estimateMs = (pilot * POINTS) / 1000;
    const turfN = estimateMs <= TURF_BUDGET_S * 1000 ? POINTS : Math.max(1000, Math.floor((POINTS * TURF_BUDGET_S * 1000) / estimateMs / 1000) * 1000);
    log(`  pilot ${fmt(pilot)} ms / 1,000 points → estimated ${fmt(estimateMs / 1000, 1)} s for all; measuring ${turfN} points × ${TURF_RUNS} run(s)…`);
    await page.evaluate((n) => {
      const { fc, lonlat } = window.__gfData;
      window.__gfTurf = { pts: window.__gf.turfPoints(lonlat, 0, n), out: window.__gf.newOutput(n, fc.features.length) };
    }, turfN);
    const turfTimes = [];
    for (let r = 0; r < TURF_RUNS; r++) {
      const t = await page.evaluate(() => {
        const { fc } = window.__gfData;
        const { pts, out } = window.__gfTurf;
        const t0 = performance.now();
        window.__gf.classifyTurf(fc.features, pts, out);
        return performance.now() - t0;
      });
      turfTimes.push(t);
      log(`  run ${r + 1}/${TURF_RUNS}: ${fmt(t / 1000, 2)} s for ${turfN} points`);
    }
    const turfCheck = await page.evaluate((n) => {
      const gf = window.__gf;
      const w = window.__gfWasm;
      const { out } = window.__gfTurf;
      const cmp = gf.compare(w, out, n);
      // Per zone counts of wasm over the same points.
      const wc = new Uint32Array(w.counts.length);
      for (let i = 0; i < w.offsets[n]; i++) wc[w.zones[i]]++;
      return { pairs: out.pairs, countDiff: gf.countDiff(wc, out.counts), mismatchedPoints: cmp.points, examples: cmp.examples };
    }, turfN);
    const scale = POINTS / turfN;
    results.turf = {
      pilotMsPer1000: pilot,
      estimateMs,
      measuredPoints: turfN,
      scale,
      measured: stats(turfTimes),
      classify: stats(turfTimes.map((t) => t * scale)),
      ...turfCheck,
    };
    results.turf.ratio = results.turf.classify.median / results.wasm.classify.median;
    log(`  ${fmt(results.turf.classify.median)} ms for ${POINTS} points${scale !== 1 ? ` (scaled ×${fmt(scale, 2)})` : ''} = ${fmt(results.turf.ratio, 0)}× wasm; mismatched points ${turfCheck.mismatchedPoints}, count diff ${turfCheck.countDiff}`);

    // ---- incremental ----
    log(`incremental: Engine with ${POINTS} incidents, ${UPDATES} single-incident updates…`);
    const upd = await page.evaluate(({ n, step }) => {
      const r = window.calaisMap.benchGeofenceUpdate(n, step, 10);
      return { ...r, counts: undefined };
    }, { n: UPDATES, step: STEP_M });
    results.incremental = upd;
    results.incremental.fullPassShare = upd.usPerUpdate / 1000 / results.wasm.classify.median;
    log(`  ${fmt(upd.usPerUpdate)} µs per update (batch median ${fmt(upd.batchUsPerUpdate)} µs), ${upd.events} events; engine load of ${upd.tracked} incidents ${fmt(upd.loadMs)} ms; missing memberships ${upd.missing}`);

    results.health = { pageErrors: app.pageErrors, consoleErrors: app.consoleErrors.slice(0, 10) };
    await ctx.close();
  } catch (e) {
    results.errors.run = String(e.stack || e.message || e);
    log('failed:', results.errors.run);
  } finally {
    await b.close();
    await server.close();
  }

  // ---- table ----
  const rows = [];
  const row = (name, value, unit, vs, ratio, target, pass) => rows.push({ name, value, unit, vs, ratio, target, pass });
  const w = results.wasm;
  if (w) {
    row(`wasm: classify ${POINTS.toLocaleString('en')} points × ${ZONES} zones (ZoneIndex::classify_into)`, w.classify.median, 'ms', '', NaN, '< 5 ms', w.classify.median < 5);
  }
  if (results.hao) {
    const a = results.hao;
    row('(a) flatbush + point-in-polygon-hao, same output', a.classify.median, 'ms', `wasm ${fmt(w.classify.median)} ms`, a.ratio, '≥ 3× wasm', a.ratio >= 3);
  }
  if (results.turf) {
    const t = results.turf;
    const how = t.scale !== 1 ? `, ${t.measuredPoints.toLocaleString('en')} points measured, scaled ×${fmt(t.scale, 2)}` : '';
    row(`(b) plain loop of @turf/boolean-point-in-polygon (${t.measured.n} run(s)${how})`, t.classify.median, 'ms', `wasm ${fmt(w.classify.median)} ms`, t.ratio, '≥ 100× wasm', t.ratio >= 100);
  }
  if (results.incremental) {
    const u = results.incremental;
    row(`incremental: one incident update (Engine::update, ${u.updates} updates, ${u.tracked.toLocaleString('en')} incidents tracked)`, u.usPerUpdate, 'µs', `full pass ${fmt(w.classify.median)} ms`, u.fullPassShare, '< 1 % of a full pass', u.fullPassShare < 0.01);
  }
  if (w) {
    row('index build: wasm ZoneIndex::new', w.build.median, 'ms', '', NaN, '(info)', null);
    if (results.hao) row('index build: flatbush over polygon boxes', results.hao.build.median, 'ms', '', NaN, '(info)', null);
    row('wasm: count_all (per-zone counts only)', w.countAll.median, 'ms', '', NaN, '(info)', null);
  }
  if (results.incremental) {
    const u = results.incremental;
    row(`bulk seed of ${POINTS.toLocaleString('en')} incidents (Engine::seed_all)`, u.seedAllMs, 'ms', `first load, one update each ${fmt(u.loadMs)} ms`, NaN, '(info)', null);
  }
  results.targets = rows;
  const out = [];
  out.push(`Geofencing benchmark, ${W}x${H} dpr 1, ${results.chromium}; ${REPS} reps (turf ${TURF_RUNS} run(s))`);
  if (results.data) {
    const d = results.data;
    out.push(`Data: ${d.zones} zones (${Object.entries(d.geometryTypes).map(([k, v]) => `${v} ${k}`).join(', ')}; ${d.polygons} polygons, ${d.holes} holes, ${d.edges.toLocaleString('en')} edges), ${d.points.toLocaleString('en')} points; grid ${d.gridNx}×${d.gridNy} cells of ${fmt(d.gridCellM, 0)} m`);
  }
  out.push('');
  out.push(...targetTable(rows, (r) => (r.unit === 'µs' ? `${fmt(r.ratio * 100, 3)} %` : `${fmt(r.ratio, 1)}×`)));
  out.push('');
  if (w) out.push(`wasm classify: min ${fmt(w.classify.min)} p95 ${fmt(w.classify.p95)} ms; ${w.pairs.toLocaleString('en')} point-zone pairs, ${w.inAny.toLocaleString('en')} points in at least one zone; count_all agrees: ${w.countAllAgrees}`);
  if (results.hao) out.push(`(a) min ${fmt(results.hao.classify.min)} p95 ${fmt(results.hao.classify.p95)} ms; agreement with wasm: ${results.hao.mismatchedPoints} points differ, per-zone count difference ${results.hao.countDiff}${results.hao.examples.length ? ' ' + JSON.stringify(results.hao.examples) : ''}`);
  if (results.turf) out.push(`(b) runs ${results.turf.measured.samples.map((t) => fmt(t / 1000, 2) + ' s').join(', ')} for ${results.turf.measuredPoints.toLocaleString('en')} points; agreement with wasm on those: ${results.turf.mismatchedPoints} points differ, per-zone count difference ${results.turf.countDiff}${results.turf.examples.length ? ' ' + JSON.stringify(results.turf.examples) : ''}`);
  if (results.incremental) {
    const u = results.incremental;
    out.push(`incremental: batch median ${fmt(u.batchUsPerUpdate)} µs/update (batches ${u.batchSamplesUs.map((x) => fmt(x, 1)).join(', ')}), ${u.events} events, ${u.moved} incidents moved ${u.stepM} m; memberships missing after the moves: ${u.missing}; Engine::new ${fmt(u.engineNewMs)} ms, first load of ${u.tracked.toLocaleString('en')} incidents ${fmt(u.loadMs)} ms, bulk seed (Engine::seed_all) ${fmt(u.seedAllMs)} ms (same counts: ${u.seedAllAgrees})`);
  }
  out.push(...tailLines(results));
  finish(out, results, rows, OUT, STRICT);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
