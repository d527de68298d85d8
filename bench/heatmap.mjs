#!/usr/bin/env node
// Heatmap engine benchmark (issue 12; run by `make bench` after bench/geofence.mjs).
//
// In headless Debian chromium (software raster, dpr 1; the map is idle), with the benchmark
// build (target/dist-bench), all in one page on the same points:
//   data   N reports (core::heatmap::synthetic, seed 42: six hot spots between Boulogne and
//          Dunkirk, weights 1 to 5) generated in wasm by calaisMap.benchHeatmapSetup, handed to
//          JS as EPSG:3857 metres and weights, and turned once (untimed) into screen px of the
//          view: 1920 × 1080 CSS px at zoom 11 centred on 1.95° E 50.95° N; σ 500 ground m.
//   wasm   calaisMap.benchHeatmap(reps): per frame Workspace::density (grid at half the
//          screen's resolution, padded by 4 σ; binning, Deriche rows and columns, per-row
//          ground area) + ramp::paint + putImageData + drawImage scaled to 1920 × 1080 + a
//          1-px getImageData (so the raster happens inside the frame); median of reps after 2
//          warm-ups, timed in wasm with performance.now(). benchHeatmapStages: the stages alone.
//          Targets (engine + colour, i.e. density + paint medians): 100k < 10 ms, 1M < 40 ms;
//          the whole frame (with the canvas work and the raster) is reported beside them.
//   (a)    plain JS, same algorithm (bench/peers/heatmap-peers.mjs: binning, 3 box passes per
//          axis with Float32Array, LUT, putImageData, drawImage, 1-px read); median of reps.
//          An honest ratio to the best a user could write (no target).
//   (b)    simpleheat (npm) drawing the same points on a 1920 × 1080 canvas, radius = blur =
//          σ in px (draw() + 1-px read), --sh-runs runs after one warm-up. Target: ≥ 100× the
//          app's main-thread frame (engine + colour + putImageData of the small bitmap, which
//          the app lets the compositor scale up); the ratio to the whole frame with the upscale
//          drawn in the page (drawImage + raster) is reported beside it.
//   play.  calaisMap.benchHeatmapPlayback: the 1M points as a History over 30 days, a sliding
//          window of 100k reports moved by a twentieth per frame, filtered by
//          History::points and drawn as above. Target (issue 12): ≥ 30 frames a second.
//   check  calaisMap.benchHeatmapCheck: the wasm SIMD smoothing (core::heatmap::lanes) against
//          the f64 line filter and the colour mapping against its table, in the page.
// Prints a markdown table and writes target/bench/heatmap.json.
//
// Usage: node bench/heatmap.mjs [--reps N] [--sh-runs N] [--sizes 100000,1000000] [--strict]
//   --strict exits 1 when a target is missed. CALAIS_DIST serves another build.

import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { ROOT, CHROMIUM, prepareDist, startServer, launchBrowser, openApp, waitForSettled } from '../tests/e2e/harness.mjs';
import { stats, fmt, finish, targetTable, tailLines } from './stats.mjs';

const args = process.argv.slice(2);
const argVal = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const REPS = Math.max(5, Number(argVal('--reps', 21)));
const SH_RUNS = Math.max(1, Number(argVal('--sh-runs', 3)));
const SIZES = String(argVal('--sizes', '100000,1000000')).split(',').map(Number).filter((n) => n > 0);
const SEED = 42;
const STRICT = args.includes('--strict');
const W = 1280;
const H = 800;
const OUT = path.join(ROOT, 'target', 'bench', 'heatmap.json');
const PEERS = path.join(ROOT, 'bench', 'peers');
const SIMPLEHEAT = path.join(ROOT, 'node_modules', 'simpleheat');
const TARGET_MS = { 100000: 10, 1000000: 40 };

const log = (...a) => console.error('[bench:heatmap]', ...a);
const k = (n) => (n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`);

async function main() {
  const results = {
    date: new Date().toISOString(),
    chromium: (() => {
      try {
        return execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).trim();
      } catch {
        return null;
      }
    })(),
    params: { sizes: SIZES, seed: SEED, reps: REPS, shRuns: SH_RUNS },
    sizes: {},
    errors: {},
  };
  const dir = prepareDist({
    incidents: { snapshot_url: 'public/bench/empty.geojson', stream_url: '', poll_interval_s: 3600, retention_s: 86_400, stale_after_s: 86_400 },
  });
  fs.mkdirSync(path.join(dir, 'public', 'bench'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'public', 'bench', 'empty.geojson'), '{"type":"FeatureCollection","features":[]}\n');
  fs.cpSync(PEERS, path.join(dir, 'bench', 'peers'), { recursive: true });
  fs.cpSync(path.join(SIMPLEHEAT, 'simpleheat.js'), path.join(dir, 'bench', 'simpleheat.js'));
  results.packages = { simpleheat: JSON.parse(fs.readFileSync(path.join(SIMPLEHEAT, 'package.json'), 'utf8')).version };
  const server = await startServer({ distDir: dir });
  const b = await launchBrowser();
  try {
    const ctx = await b.newContext({ viewport: { width: W, height: H }, deviceScaleFactor: 1 });
    const app = await openApp({ server }, ctx, { allowConsoleErrors: true });
    const { page } = app;
    const names = ['benchHeatmapSetup', 'benchHeatmap', 'benchHeatmapStages', 'benchHeatmapPlayback'];
    const missing = await page.evaluate((names) => names.filter((n) => typeof window.calaisMap?.[n] !== 'function'), names);
    if (missing.length) throw new Error(`the app build lacks ${missing.map((n) => `calaisMap.${n}()`).join(', ')}: run it on a benchmark build (make bench, or trunk build --release --features bench,split --dist target/dist-bench and CALAIS_DIST=target/dist-bench)`);
    await waitForSettled(page, { quietMs: 500, timeout: 60_000 }).catch(() => {});
    await page.addScriptTag({ url: '/bench/simpleheat.js' });
    await page.evaluate(async () => {
      window.__hm = await import('/bench/peers/heatmap-peers.mjs');
    });

    // Builds before the SIMD lanes (issue 12 follow-up) have no check: compared as they are.
    results.check = await page.evaluate(() => window.calaisMap.benchHeatmapCheck?.() ?? null);
    if (results.check) log(`wasm SIMD against the scalar references: rows ${results.check.rows.toExponential(2)}, columns ${results.check.columns.toExponential(2)} of the peak, ${results.check.paint} pixel(s) off their table entry`);

    for (const n of SIZES) {
      const r = { n };
      results.sizes[n] = r;
      log(`${k(n)} points: setup…`);
      r.data = await page.evaluate(({ seed, n }) => {
        const d = window.calaisMap.benchHeatmapSetup(seed, n);
        const xy = new Float32Array(2 * d.points);
        for (let p = 0; p < d.points; p++) {
          xy[2 * p] = (d.mercator[2 * p] - d.leftM) / d.mercPerPx;
          xy[2 * p + 1] = (d.topM - d.mercator[2 * p + 1]) / d.mercPerPx;
        }
        window.__hmData = { d, xy, w: d.weights };
        const { mercator, weights, lut, ...meta } = d;
        return meta;
      }, { seed: SEED, n });
      log(`  grid ${r.data.cols}×${r.data.rows} cells of ${fmt(r.data.cellM, 1)} m (view ${r.data.viewCols.join('..')} × ${r.data.viewRows.join('..')}), σ ${fmt(r.data.sigmaXCells)} × ${fmt(r.data.sigmaYCells)} cells, ${fmt(r.data.sigmaPx, 1)} px; generated in ${fmt(r.data.generateMs)} ms`);

      log(`  wasm × ${REPS}…`);
      const wasm = await page.evaluate((reps) => {
        const x = window.calaisMap.benchHeatmap(reps);
        const s = window.calaisMap.benchHeatmapStages(reps);
        return { x, s };
      }, REPS);
      r.wasm = {
        frame: stats(wasm.x.samples),
        density: stats(wasm.x.densityMs),
        paint: stats(wasm.x.paintMs),
        put: stats(wasm.x.putMs),
        flush: stats(wasm.x.flushMs),
        painted: wasm.x.painted,
        peakPerKm2: wasm.x.peak,
        stages: Object.fromEntries(Object.entries(wasm.s).map(([key, v]) => [key.replace(/Ms$/, ''), stats(v)])),
      };
      log(`  wasm frame ${fmt(r.wasm.frame.median)} ms (density ${fmt(r.wasm.density.median)}, paint ${fmt(r.wasm.paint.median)}, put ${fmt(r.wasm.put.median)}, flush ${fmt(r.wasm.flush.median)}); stages ${Object.entries(r.wasm.stages).map(([key, v]) => `${key} ${fmt(v.median)}`).join(', ')}`);

      log(`  (a) plain JS × ${REPS}…`);
      const plain = await page.evaluate((reps) => {
        const { d, xy, w } = window.__hmData;
        const st = window.__hm.plainSetup(d);
        const parts = {};
        for (let i = 0; i < reps + 2; i++) {
          const t = window.__hm.plainFrame(st, xy, w);
          if (i < 2) continue;
          for (const [key, v] of Object.entries(t)) (parts[key] ||= []).push(v);
        }
        return { parts, painted: window.__hm.painted(st), boxRadii: st.radii, cols: st.cols, rows: st.rows };
      }, REPS);
      r.plain = {
        frame: stats(plain.parts.total),
        stages: Object.fromEntries(['bin', 'rows', 'columns', 'colour', 'put', 'flush'].map((key) => [key, stats(plain.parts[key])])),
        painted: plain.painted,
        boxRadii: plain.boxRadii,
        grid: [plain.cols, plain.rows],
      };
      r.plain.ratio = r.plain.frame.median / r.wasm.frame.median;
      log(`  (a) frame ${fmt(r.plain.frame.median)} ms = ${fmt(r.plain.ratio, 2)}× wasm (${Object.entries(r.plain.stages).map(([key, v]) => `${key} ${fmt(v.median)}`).join(', ')}); box radii ${plain.boxRadii.join(', ')}`);

      log(`  (b) simpleheat: warm-up + ${SH_RUNS} run(s)…`);
      const shSetup = await page.evaluate((n) => {
        const { d, xy, w } = window.__hmData;
        const t0 = performance.now();
        window.__hmSh = window.__hm.simpleheatSetup(d, xy, w, n / 10);
        const setupMs = performance.now() - t0;
        const warm = window.__hm.simpleheatFrame(window.__hmSh);
        return { setupMs, warm, radius: window.__hmSh.radius };
      }, n);
      const shTimes = [];
      for (let i = 0; i < SH_RUNS; i++) {
        shTimes.push(await page.evaluate(() => window.__hm.simpleheatFrame(window.__hmSh)));
        log(`    run ${i + 1}: ${fmt(shTimes[i])} ms`);
      }
      await page.evaluate(() => {
        delete window.__hmSh;
      });
      r.simpleheat = { frame: stats(shTimes), setupMs: shSetup.setupMs, warmMs: shSetup.warm, radius: shSetup.radius, max: n / 10 };
      r.simpleheat.ratio = r.simpleheat.frame.median / r.wasm.frame.median;
      log(`  (b) frame ${fmt(r.simpleheat.frame.median)} ms = ${fmt(r.simpleheat.ratio, 0)}× wasm`);
    }

    const biggest = Math.max(...SIZES);
    if (biggest >= 200_000) {
      log(`playback: History of ${k(biggest)} reports over 30 days, sliding window of 100k × ${REPS}…`);
      const p = await page.evaluate((reps) => window.calaisMap.benchHeatmapPlayback(Infinity, 30, 100_000, reps), REPS);
      results.playback = { frame: stats(p.samples), inWindow: p.inWindow, loadMs: p.loadMs, bytes: p.bytes, reports: p.reports };
      log(`  frame ${fmt(results.playback.frame.median)} ms with ${p.inWindow} reports in the window; history of ${p.reports} built in ${fmt(p.loadMs)} ms, ${fmt(p.bytes / 1e6, 1)} MB`);
    }
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
  for (const n of SIZES) {
    const r = results.sizes[n];
    if (!r?.wasm) continue;
    const wm = r.wasm.frame.median;
    const t = TARGET_MS[n];
    // The issue's target is the heatmap "including colour mapping": the engine and the paint;
    // the whole frame adds the canvas put/draw and Chromium's raster of the upscale (info).
    const ec = r.wasm.density.median + r.wasm.paint.median;
    row(`wasm: ${k(n)} points, engine + colour (density + paint)`, ec, 'ms', '', NaN, t ? `< ${t} ms` : '(info)', t ? ec < t : null);
    row(`wasm: ${k(n)} points, whole frame (+ put/draw + raster)`, wm, 'ms', '', NaN, '(info)', null);
    if (r.plain) row(`(a) plain JS, same algorithm (3 box passes), ${k(n)}`, r.plain.frame.median, 'ms', `wasm ${fmt(wm)} ms`, r.plain.ratio, '(info)', null);
    if (r.simpleheat) {
      // The app draws the heatmap as its own small bitmap that the compositor scales up (the
      // issue's engine spec), so its main-thread frame is engine + colour + putImageData;
      // simpleheat draws and colours every screen pixel on the main thread. Both ratios shown.
      const app = ec + r.wasm.put.median;
      const sh = r.simpleheat.frame.median;
      row(`(b) simpleheat, ${k(n)} (${r.simpleheat.frame.n} run(s)) vs the app's main-thread frame (engine + colour + put; upscale by the compositor)`, sh, 'ms', `wasm ${fmt(app)} ms`, sh / app, '≥ 100× wasm', sh / app >= 100);
      row(`(b) simpleheat, ${k(n)} vs the whole frame with the upscale drawn in the page`, sh, 'ms', `wasm ${fmt(wm)} ms`, r.simpleheat.ratio, '(info)', null);
    }
  }
  if (results.check) {
    const c = results.check;
    const e = Math.max(c.rows, c.columns);
    row('wasm SIMD smoothing vs the f64 line filter (largest difference); colour vs its table', e * 1e6, 'ppm of the peak', `${c.paint} px off`, NaN, '≤ 10 ppm, 0 px', e <= 1e-5 && c.paint === 0);
  }
  if (results.playback) {
    const p = results.playback;
    row(`playback frame, ${p.inWindow.toLocaleString('en')} reports in a sliding window of ${p.reports.toLocaleString('en')}`, p.frame.median, 'ms', '', NaN, '< 33.3 ms (30 fps)', p.frame.median < 1000 / 30);
  }
  results.targets = rows;
  const out = [];
  out.push(`Heatmap benchmark, 1920x1080 view at zoom 11, σ 500 m, grid at half resolution, ${results.chromium}; ${REPS} reps (simpleheat ${SH_RUNS} run(s))`);
  out.push('');
  out.push(...targetTable(rows, (r) => `${fmt(r.ratio, r.ratio >= 100 ? 0 : 2)}×`));
  out.push('');
  for (const n of SIZES) {
    const r = results.sizes[n];
    if (!r?.wasm) continue;
    const st = (o) => Object.entries(o).map(([key, v]) => `${key} ${fmt(v.median)}`).join(', ');
    out.push(`${k(n)}: grid ${r.data.cols}×${r.data.rows} cells (σ ${fmt(r.data.sigmaXCells)} cells, ${fmt(r.data.sigmaPx, 1)} px); wasm frame min ${fmt(r.wasm.frame.min)} p95 ${fmt(r.wasm.frame.p95)} ms = density ${fmt(r.wasm.density.median)} + paint ${fmt(r.wasm.paint.median)} + put/draw ${fmt(r.wasm.put.median)} + flush ${fmt(r.wasm.flush.median)}; stages alone: ${st(r.wasm.stages)} ms; ${r.wasm.painted.toLocaleString('en')} pixels painted`);
    if (r.plain) out.push(`  (a) plain JS: ${st(r.plain.stages)} ms; box radii ${r.plain.boxRadii.join(', ')}; ${r.plain.painted.toLocaleString('en')} pixels painted`);
    if (r.simpleheat) out.push(`  (b) simpleheat: runs ${r.simpleheat.frame.samples.map((x) => fmt(x, 0)).join(', ')} ms (warm-up ${fmt(r.simpleheat.warmMs, 0)} ms), radius = blur = ${r.simpleheat.radius} px, max ${r.simpleheat.max}`);
  }
  if (results.playback) out.push(`playback: frame min ${fmt(results.playback.frame.min)} p95 ${fmt(results.playback.frame.p95)} ms; History::insert of ${results.playback.reports.toLocaleString('en')} reports ${fmt(results.playback.loadMs)} ms, ${fmt(results.playback.bytes / 1e6, 1)} MB held`);
  out.push(...tailLines(results));
  finish(out, results, rows, OUT, STRICT);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
