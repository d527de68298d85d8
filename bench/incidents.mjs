#!/usr/bin/env node
// Live-incident benchmark (run by `make bench` after bench/render.mjs).
//
// In headless Debian chromium at 3840x2160, dpr 1, with the release build (dist/):
//   (i)   snapshot ingest: a 100,000-incident snapshot (bench/make-snapshot.mjs) served as a
//         static file; calaisMap.feedStats().snapshotMs (parse + apply in the app) once
//         incidents().count reaches 100,000; one fresh context per load.  Target < 300 ms.
//   (ii)  1,000 events/s: calais-demo-server --rate 1000 (release build if present); after
//         3 s warm-up, per 10 s window the feedStats().ingestMs delta over the elapsed page
//         time, as % of one core, and the events delta (≈ 10,000).  Target < 10 %.
//   (iii) draw: with the 100k snapshot loaded, calaisMap.benchIncidentDraw(9, repaint) (median
//         ms of forced draws of the incident layer) at the whole region (fit-region button) and
//         at a Calais close-up (zoom 14 on 1.85, 50.96): "repaint" re-plans all 100k and paints
//         and uploads every tile with incidents (as after a pan/zoom); "redraw" re-plans all 100k
//         and diffs tiles (nothing changed: nothing painted but the density cells bitmap). The
//         app draws incidents on two canvases over the map (render/overlay.rs): the density
//         cells bitmap (one pixel a cell, scaled by CSS) and the sprites bitmap; each draw ends
//         with a 1-px getImageData of the sprites canvas. The same figures for incidents drawn
//         into the map's own bitmap (`?incidents=inline`, the fallback) follow as information.
//         Against a floor measured in the same page: full-canvas 3840x2160 putImageData of a
//         fresh ImageData, each followed by a 1-px getImageData flush.  Target ≤ 1.5 × floor.
// Prints a markdown table and writes target/bench/incidents.json.
//
// Usage: node bench/incidents.mjs [--loads N] [--windows N] [--reps N] [--only ingest,draw,rate] [--strict]
//   --strict exits 1 when a target is missed. CALAIS_DIST serves another build;
//   CALAIS_DEMO_SERVER names the demo server binary.

import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import {
  ROOT, CHROMIUM, prepareDist, startServer, startDemoServer, demoServerBinary, launchBrowser, openApp, setView,
  waitForSettled, frameCount, waitForNewFrame,
} from '../tests/e2e/harness.mjs';
import { writeSnapshot } from './make-snapshot.mjs';
import { median, pct, stats, fmt, finish } from './stats.mjs';

const args = process.argv.slice(2);
const argVal = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const LOADS = Math.max(5, argVal('--loads', 5));
const WINDOWS = Math.max(5, argVal('--windows', 5));
const REPS = Math.max(5, argVal('--reps', 9));
const STRICT = args.includes('--strict');
const onlyIdx = args.indexOf('--only');
const ONLY = new Set(onlyIdx >= 0 ? args[onlyIdx + 1].split(',') : ['ingest', 'draw', 'rate']);
const W = 3840;
const H = 2160;
const COUNT = 100_000;
const SNAPSHOT_URL = 'public/bench/snapshot-100k.geojson';
const OUT = path.join(ROOT, 'target', 'bench', 'incidents.json');

const log = (...a) => console.error('[bench:incidents]', ...a);

/** Fails clearly when the build has no incident hook yet. */
async function requireHook(page, names) {
  const missing = await page.evaluate((names) => names.filter((n) => typeof window.calaisMap?.[n] !== 'function'), names);
  if (missing.length) throw new Error(`the app build lacks ${missing.map((n) => `calaisMap.${n}()`).join(', ')}: rebuild dist/ with the incident client`);
}

async function waitForCount(page, n, timeout = 120_000) {
  try {
    await page.waitForFunction((n) => window.calaisMap.incidents().count >= n, n, { timeout, polling: 50 });
  } catch (e) {
    const got = await page.evaluate(() => ({ incidents: window.calaisMap.incidents(), feed: window.calaisMap.feedStats() })).catch(() => null);
    throw new Error(`incidents().count never reached ${n}: ${JSON.stringify(got)}\n${e.message}`);
  }
}

/** (i) snapshot ingest over fresh page loads. Returns samples and the last page (kept open for iii). */
async function measureIngest(browser, server, loads, query = '') {
  const samples = [];
  const toCount = [];
  const features = [];
  let keep = null;
  for (let i = 0; i < loads; i++) {
    const ctx = await browser.newContext({ viewport: { width: W, height: H }, deviceScaleFactor: 1 });
    const app = await openApp({ server }, ctx, { allowConsoleErrors: true, query });
    const { page } = app;
    await requireHook(page, ['incidents', 'feedStats']);
    await waitForCount(page, COUNT);
    const st = await page.evaluate(() => window.calaisMap.feedStats());
    const nav = await page.evaluate(() => performance.now());
    samples.push(st.snapshotMs);
    features.push(st.snapshotFeatures);
    toCount.push(nav);
    log(`load ${i + 1}/${loads}: snapshotMs ${fmt(st.snapshotMs)} (${st.snapshotFeatures} features, count reached ≤ ${fmt(nav, 0)} ms after navigation)`);
    if (i === loads - 1) keep = { ctx, app };
    else await ctx.close();
  }
  return { samples, toCount, features, keep };
}

/** Full-canvas putImageData floor in the page: fresh canvas + ImageData, median of reps. */
async function putImageDataFloor(page, reps) {
  return page.evaluate(
    async ({ W, H, reps }) => {
      const c = document.createElement('canvas');
      c.width = W;
      c.height = H;
      const ctx = c.getContext('2d');
      const img = new ImageData(W, H);
      for (let i = 0; i < img.data.length; i += 4) {
        img.data[i] = (i >> 6) & 255;
        img.data[i + 1] = 40;
        img.data[i + 2] = 90;
        img.data[i + 3] = 255;
      }
      const out = [];
      for (let k = 0; k < reps + 2; k++) {
        await new Promise((r) => setTimeout(r, 0));
        const t0 = performance.now();
        ctx.putImageData(img, 0, 0);
        ctx.getImageData(0, 0, 1, 1);
        const t1 = performance.now();
        if (k >= 2) out.push(t1 - t0);
      }
      return out;
    },
    { W, H, reps },
  );
}

/**
 * (iii) the incident layer at one view, against the putImageData floor, two ways:
 *  - repaint: re-plan all 100k, then paint and upload every tile that holds incidents (what a
 *    new composite after a pan or zoom costs the layer, without reading the composite back);
 *  - redraw: re-plan all 100k, then diff the tiles and paint/upload only those whose incidents
 *    changed (none here: what a store change that moves nothing on screen costs).
 */
async function measureDraw(page, name, reps) {
  await waitForSettled(page, { quietMs: 500, timeout: 120_000 });
  const view = await page.evaluate(() => window.calaisMap.view());
  const out = { view };
  for (const mode of ['repaint', 'redraw']) {
    const repaint = mode === 'repaint';
    const headline = await page.evaluate(({ n, repaint }) => window.calaisMap.benchIncidentDraw(n, repaint), { n: reps, repaint });
    const singles = [];
    for (let i = 0; i < reps; i++) singles.push(await page.evaluate((r) => window.calaisMap.benchIncidentDraw(1, r), repaint));
    const info = await page.evaluate(() => window.calaisMap.incidentDraw());
    out[mode] = { median: headline, singles: stats(singles), info };
  }
  const floor = await putImageDataFloor(page, reps);
  out.floor = stats(floor);
  for (const mode of ['repaint', 'redraw']) out[mode].ratio = out[mode].median / median(floor);
  log(`draw at ${name}: repaint ${fmt(out.repaint.median)} ms, redraw ${fmt(out.redraw.median)} ms; floor ${fmt(median(floor))} ms; ${JSON.stringify(out.repaint.info)}`);
  return out;
}

/** (ii) live events at --rate 1000, per 10 s window. */
async function measureRate(browser, windows) {
  const dir = prepareDist({});
  const bin = demoServerBinary({ preferRelease: true });
  const demo = await startDemoServer({ rate: 1000, staticDir: dir, bin });
  log(`demo server ${path.relative(ROOT, bin)} --rate 1000 on ${demo.origin}`);
  const ctx = await browser.newContext({ viewport: { width: W, height: H }, deviceScaleFactor: 1 });
  try {
    const app = await openApp({ server: demo }, ctx, { allowConsoleErrors: true });
    const { page } = app;
    await requireHook(page, ['incidents', 'feedStats']);
    await page.waitForFunction(() => window.calaisMap.feedStats().status === 'live', null, { timeout: 60_000, polling: 100 });
    await page.waitForTimeout(3000);
    const read = async () => {
      const [p, health] = await Promise.all([
        page.evaluate(() => ({ t: performance.now(), fs: window.calaisMap.feedStats(), n: window.calaisMap.incidents().count })),
        fetch(demo.url('/api/health')).then((r) => r.json()),
      ]);
      return { ...p, seq: health.seq };
    };
    const out = [];
    let a = await read();
    for (let w = 0; w < windows; w++) {
      await page.waitForTimeout(10_000);
      const b = await read();
      const elapsed = b.t - a.t;
      const win = {
        elapsedMs: elapsed,
        ingestMs: b.fs.ingestMs - a.fs.ingestMs,
        cpuPct: ((b.fs.ingestMs - a.fs.ingestMs) / elapsed) * 100,
        events: b.fs.events - a.fs.events,
        serverEvents: b.seq - a.seq,
        rejected: b.fs.rejected - a.fs.rejected,
        status: b.fs.status,
        transport: b.fs.transport,
        incidents: b.n,
      };
      log(`window ${w + 1}/${windows}: ${fmt(win.cpuPct)} % of a core, ${win.events} events (server sent ${win.serverEvents}), status ${win.status}`);
      out.push(win);
      a = b;
    }
    return { windows: out, health: { pageErrors: app.pageErrors, consoleErrors: app.consoleErrors.slice(0, 10) } };
  } finally {
    await ctx.close();
    await demo.kill();
  }
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
    loads: LOADS,
    windows: WINDOWS,
    reps: REPS,
    errors: {},
  };
  // The 100k snapshot, written into a temp copy of the build whose config points at it.
  // Polling once an hour (stream_url ""): the snapshot is the only load. Retention and the stale
  // delay are raised so that neither the closed incidents' ageing (the run takes minutes) nor a
  // stale-feed resync changes what is measured.
  const dir = prepareDist({
    incidents: { snapshot_url: SNAPSHOT_URL, stream_url: '', poll_interval_s: 3600, retention_s: 86_400, stale_after_s: 86_400 },
  });
  const snap = writeSnapshot({ out: path.join(dir, ...SNAPSHOT_URL.split('/')), count: COUNT });
  results.snapshot = { count: snap.count, bytes: snap.bytes };
  log(`snapshot: ${snap.count} incidents, ${fmt(snap.bytes / 1048576, 1)} MB`);
  const server = await startServer({ distDir: dir });
  const b = await launchBrowser();
  try {
    let keep = null;
    if (ONLY.has('ingest') || ONLY.has('draw')) try {
      log('(i) snapshot ingest…');
      const ing = await measureIngest(b.browser, server, ONLY.has('ingest') ? LOADS : 1);
      keep = ing.keep;
      if (ONLY.has('ingest')) results.ingest = { snapshotMs: stats(ing.samples), countReachedMs: stats(ing.toCount), snapshotFeatures: ing.features };
    } catch (e) {
      results.errors.ingest = String(e.message || e);
      log('ingest failed:', results.errors.ingest);
    }
    if (ONLY.has('draw')) try {
      if (!keep) throw new Error('no page with the 100k snapshot loaded (ingest failed)');
      const { page } = keep.app;
      await requireHook(page, ['benchIncidentDraw', 'incidentDraw']);
      log('(iii) draw at the whole region…');
      const before = await frameCount(page);
      await page.locator('[data-testid="fit-region"]').click();
      await waitForNewFrame(page, before, { timeout: 120_000 }).catch(() => {});
      results.drawRegion = await measureDraw(page, 'region (fit-region)', REPS);
      log('(iii) draw at a Calais close-up…');
      await setView(page, 1.85, 50.96, 14);
      results.drawCalais = await measureDraw(page, 'Calais zoom 14', REPS);
      results.drawHealth = { pageErrors: keep.app.pageErrors, consoleErrors: keep.app.consoleErrors.slice(0, 10) };
      results.drawPath = results.drawCalais?.repaint?.info?.overlay ? 'overlay' : 'inline';
      if (results.drawPath === 'overlay') {
        // Incidents drawn into the map's own bitmap (the fallback without overlay canvases),
        // same data, same views.
        log('(iii) incidents drawn into the map (?incidents=inline) for comparison…');
        const cpu = await measureIngest(b.browser, server, 1, 'incidents=inline');
        const p = cpu.keep.app.page;
        const before2 = await frameCount(p);
        await p.locator('[data-testid="fit-region"]').click();
        await waitForNewFrame(p, before2, { timeout: 120_000 }).catch(() => {});
        results.drawRegionCpu = await measureDraw(p, 'region (fit-region), inline', REPS);
        await setView(p, 1.85, 50.96, 14);
        results.drawCalaisCpu = await measureDraw(p, 'Calais zoom 14, inline', REPS);
        await cpu.keep.ctx.close();
      }
    } catch (e) {
      results.errors.draw = String(e.message || e);
      log('draw failed:', results.errors.draw);
    }
    await keep?.ctx.close();
    if (ONLY.has('rate')) try {
      log('(ii) 1,000 events/s…');
      const r = await measureRate(b.browser, WINDOWS);
      results.rate = {
        cpuPct: stats(r.windows.map((w) => w.cpuPct)),
        events: stats(r.windows.map((w) => w.events)),
        serverEvents: stats(r.windows.map((w) => w.serverEvents)),
        windows: r.windows,
        health: r.health,
      };
    } catch (e) {
      results.errors.rate = String(e.message || e);
      log('rate failed:', results.errors.rate);
    }
  } finally {
    await b.close();
    await server.close();
  }

  // ---- table ----
  const rows = [];
  const row = (name, value, p95, unit, floor, ratio, target, pass) => rows.push({ name, value, p95, unit, floor, ratio, target, pass });
  if (results.ingest) {
    const s = results.ingest.snapshotMs;
    row('(i) snapshot ingest, 100k (snapshotMs)', s.median, s.p95, 'ms', '', NaN, '< 300 ms', s.median < 300);
  } else if (ONLY.has('ingest')) row('(i) snapshot ingest, 100k', NaN, NaN, 'ms', '', NaN, '< 300 ms', false);
  if (results.rate) {
    const c = results.rate.cpuPct;
    row('(ii) ingest at 1,000 events/s, % of a core', c.median, c.p95, '%', '', NaN, '< 10 %', c.median < 10);
    const e = results.rate.events;
    row('     events received per 10 s window', e.median, e.p95, '', `server sent ${fmt(results.rate.serverEvents.median, 0)}`, NaN, '≈ 10,000', null);
  } else if (ONLY.has('rate')) row('(ii) ingest at 1,000 events/s', NaN, NaN, '%', '', NaN, '< 10 %', false);
  for (const [key, label, info] of [
    ['drawRegion', 'whole region', false], ['drawCalais', 'Calais zoom 14', false],
    ['drawRegionCpu', 'whole region, drawn into the map', true], ['drawCalaisCpu', 'Calais zoom 14, drawn into the map', true],
  ]) {
    const d = results[key];
    if (!d && info) continue;
    const path = (m) => `${fmt((m.info?.uploadedPx ?? 0) / 1e6, 2)} Mpx uploaded${m.info?.overlay ? ', overlays' : ''}`;
    for (const [mode, what] of [['repaint', 'full repaint'], ['redraw', 're-plan, nothing changed']]) {
      const m = d?.[mode];
      if (m) row(`(iii) draw 100k, ${label}, ${what} (${m.info?.mode}, ${m.info?.drawn} drawn, ${path(m)})`, m.median, m.singles.p95, 'ms', `putImageData ${fmt(d.floor.median)} ms`, m.ratio, info ? '(fallback)' : '≤ 1.5× floor', info ? null : m.ratio <= 1.5);
      else if (ONLY.has('draw')) row(`(iii) draw 100k, ${label}, ${what}`, NaN, NaN, 'ms', '', NaN, '≤ 1.5× floor', false);
    }
  }
  results.targets = rows;
  const out = [];
  out.push(`Incident benchmark, ${W}x${H} dpr 1, ${results.chromium}; ${LOADS} loads, ${WINDOWS} × 10 s windows, ${REPS} reps`);
  out.push('');
  out.push('| figure | median | p95 | floor | ratio | target | met |');
  out.push('| --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    const u = r.unit ? ` ${r.unit}` : '';
    out.push(`| ${r.name.trim()} | ${fmt(r.value)}${u} | ${fmt(r.p95)}${u} | ${r.floor} | ${Number.isFinite(r.ratio) ? fmt(r.ratio) + '×' : ''} | ${r.target} | ${r.pass === null ? '(info)' : r.pass ? 'yes' : 'NO'} |`);
  }
  out.push('');
  if (results.ingest) out.push(`(i) per load snapshotMs: ${results.ingest.snapshotMs.samples.map((x) => fmt(x)).join(', ')}; count reached ≤ ${fmt(results.ingest.countReachedMs.median, 0)} ms after navigation (median)`);
  if (results.rate) out.push(`(ii) per window: ${results.rate.windows.map((w) => `${fmt(w.cpuPct)} % / ${w.events} ev (server ${w.serverEvents})`).join('; ')}; final status ${results.rate.windows.at(-1)?.status}, transport ${results.rate.windows.at(-1)?.transport}`);
  for (const key of ['drawRegion', 'drawCalais', 'drawRegionCpu', 'drawCalaisCpu']) {
    const d = results[key];
    for (const mode of ['repaint', 'redraw']) {
      if (d?.[mode]) out.push(`(iii) ${key} ${mode}: view ${JSON.stringify(d.view)}; single draws median ${fmt(d[mode].singles.median)} p95 ${fmt(d[mode].singles.p95)} ms; floor p95 ${fmt(d.floor.p95)} ms; incidentDraw() ${JSON.stringify(d[mode].info)}`);
    }
  }
  for (const [k, v] of Object.entries(results.errors)) out.push(`ERROR (${k}): ${v.split('\n')[0]}`);
  finish(out, results, rows, OUT, STRICT);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
