#!/usr/bin/env node
// The video wall's accelerated-day soak (issue 13, item 5: "memory bounded … measured over an
// accelerated day"; the benchmark "the soak's heap slope after warm-up").
//
// A day of incident traffic in `--minutes` (default 10) of real time: the release demo server
// runs its clock `--scale` times real time (default 144 = 24 h in 10 min; `--time-scale`) and
// generates `--events-per-day` events of that clock's day (default 172,800: the demo server's
// default 2 events/s, high for the real centre) at `events-per-day / 86,400 × scale` real
// events/s. The page's clock (`Date`) runs at the same rate from the same origin (an init
// script, so both agree to the millisecond): retention, the geofence's dwell, the zone alert
// ticker's times, the heatmap's kept 30 days and the tour all run on the accelerated day, while
// frames, timers and the feed's staleness checks run in real time (`performance.now`).
//
// The page: `?mode=wall` at 3840 × 2160 (dpr 1; `--hd` for 1920 × 1080 with `wall.scale` 2),
// a tour of four views (Coquelles terminal, Calais port, Dunkirk, the Channel with the heatmap
// on), dwell `--dwell-s` s and 60 s flights on the accelerated clock (900 s = 6.25 s real), the
// default zones (the Eurotunnel terminal is critical: its alerts interrupt the tour, held
// `--hold-s` s of the accelerated clock).
//
// `--mode desk`: the operator's desk instead, the plain page (no `?mode=`) at 1920 × 1080 with
// its panels and the incident list open (up to `incident_ui::LIST_LIMIT` rows, newest first),
// on the same accelerated day; no tour (the tour columns stay empty).
//
// Every `--sample-s` s (default 5): the JS heap used after a forced garbage collection (CDP
// `HeapProfiler.collectGarbage`, then `Runtime.getHeapUsage`) and before it, the wasm linear
// memory, the allocator's bytes in use and the capped structures' counts (`calaisMap.memory()`), the DOM node and event
// listener counts (CDP `Performance.getMetrics`), the feed's event count and the tour's state.
// After the warm-up (`--warmup-min`, default 2), a least-squares slope (bytes or nodes per real
// minute) of each series, with min / median / max. Writes target/bench/soak.json and
// target/bench/soak.csv, a screenshot target/e2e-screenshots/soak-end.png (soak-desk.json,
// soak-desk.csv and soak-desk-end.png with `--mode desk`), and prints a table.
//
// Usage: node bench/soak.mjs [--minutes 10] [--scale 144] [--events-per-day 172800]
//        [--warmup-min 2] [--sample-s 5] [--dwell-s 900] [--hold-s 300] [--hd] [--stop-events A,B]
//        [--mode wall|desk]
//        (after `trunk build --release` and `cargo build --release -p calais-demo-server`;
//        CALAIS_DIST=target/dist-bench as `make bench` runs it works the same)

import fs from 'node:fs';
import path from 'node:path';
import {
  ROOT, SCREENSHOTS, startDemoServer, prepareDist, launchBrowser, openApp, demoServerBinary, tid,
} from '../tests/e2e/harness.mjs';
import { median, fmt, finish, argVal } from './stats.mjs';

const MINUTES = argVal('--minutes', 10);
const SCALE = argVal('--scale', 144);
const EVENTS_PER_DAY = argVal('--events-per-day', 172_800);
const WARMUP_MIN = argVal('--warmup-min', Math.min(2, MINUTES / 4));
const SAMPLE_S = argVal('--sample-s', 5);
const DWELL_S = argVal('--dwell-s', 900);
const HOLD_S = argVal('--hold-s', 300);
const HD = process.argv.includes('--hd');
const MODE = (() => {
  const i = process.argv.indexOf('--mode');
  const m = i >= 0 ? process.argv[i + 1] : 'wall';
  if (m !== 'wall' && m !== 'desk') throw new Error(`--mode wall or desk, not ${m}`);
  return m;
})();
const DESK = MODE === 'desk';
// `--stop-events A,B`: the demo server frozen (SIGSTOP) from minute A to minute B, the page and
// its tour running on: is the growth the events' or the frames'? (slopes reported per phase)
const STOP = (() => {
  const i = process.argv.indexOf('--stop-events');
  const v = i >= 0 ? process.argv[i + 1].split(',').map(Number) : null;
  return v && v.length === 2 && v.every(Number.isFinite) && v[0] < v[1] ? v : null;
})();
const [WIDTH, HEIGHT] = HD || DESK ? [1920, 1080] : [3840, 2160];
const RATE = (EVENTS_PER_DAY / 86_400) * SCALE;
const log = (...a) => console.error('[soak]', ...a);

// The tour: three sites and the Channel with the heatmap (accelerated seconds).
const TOURS = [
  { name: 'Coquelles terminal', center: [1.812, 50.928], zoom: 14, dwell_s: DWELL_S,
    layers: ['basemap', 'fences', 'cameras', 'zones', 'incidents'] },
  { name: 'Calais port', center: [1.865, 50.965], zoom: 13.5, dwell_s: DWELL_S,
    layers: ['basemap', 'fences', 'ports', 'zones', 'incidents'] },
  { name: 'Dunkirk', center: [2.37, 51.04], zoom: 12, dwell_s: DWELL_S, layers: ['basemap', 'ports', 'incidents'] },
  { name: 'Channel overview', center: [1.75, 50.97], zoom: 10, dwell_s: DWELL_S,
    layers: ['basemap', 'ports', 'incidents', 'heatmap'] },
];
const WALL = { flight_s: 60, alert_hold_s: HOLD_S, tours: TOURS, ...(HD && !DESK ? { scale: 2 } : {}) };

/** Replaces `Date` so that the page's clock runs `scale` times real time from `originMs`,
 * as the demo server's `--time-scale` clock does. */
const acceleratedClock = (originMs, scale) => `
(() => {
  const RealDate = Date;
  const realNow = RealDate.now.bind(RealDate);
  const now = () => ${originMs} + Math.round((realNow() - ${originMs}) * ${scale});
  class AcceleratedDate extends RealDate {
    constructor(...a) { if (a.length === 0) super(now()); else super(...a); }
    static now() { return now(); }
  }
  globalThis.Date = AcceleratedDate;
})();`;

/** Watches `calaisMap.tour()` every 100 ms in the page: alert interrupts (distinct ids) and the
 * share of polls in each kind (tour, alert, home). Holds counters only. */
const TOUR_WATCH = `
(() => {
  const w = (window.__soakTour = { alerts: 0, polls: { tour: 0, alert: 0, home: 0 }, lastAlert: null });
  setInterval(() => {
    const t = window.calaisMap && window.calaisMap.tour && window.calaisMap.tour();
    if (!t) return;
    w.polls[t.kind] = (w.polls[t.kind] || 0) + 1;
    if (t.kind === 'alert' && t.id !== w.lastAlert) { w.alerts++; w.lastAlert = t.id; }
  }, 100);
})();`;

/** Least-squares slope of y over x, and the intercept. */
function fit(xs, ys) {
  const n = xs.length;
  if (n < 2) return { slope: NaN };
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  return { slope: sxx ? sxy / sxx : NaN, intercept: my - (sxx ? sxy / sxx : 0) * mx };
}

const dir = prepareDist({ wall: WALL });
const server = await startDemoServer({
  staticDir: dir, rate: RATE, bin: demoServerBinary({ preferRelease: true }),
  extraArgs: ['--time-scale', String(SCALE)],
});
// The server's clock origin (real ms), which the page's clock shares.
const originMs = await (async () => {
  for (let i = 0; i < 50; i++) {
    const m = server.stderr().match(/clock: [\d.]+x real time from \S+ \((\d+) ms\)/);
    if (m) return Number(m[1]);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the demo server did not say its clock:\n${server.stderr()}`);
})();
log(`${EVENTS_PER_DAY} events a day at ${SCALE}x: ${fmt(RATE, 1)} events/s real for ${MINUTES} min, ${MODE} ${WIDTH} × ${HEIGHT}`);

const browser = await launchBrowser();
const results = {
  mode: MODE, minutes: MINUTES, scale: SCALE, eventsPerDay: EVENTS_PER_DAY, rateRealPerS: RATE, warmupMin: WARMUP_MIN,
  sampleS: SAMPLE_S, size: [WIDTH, HEIGHT], wall: WALL, samples: [], fits: {}, errors: {},
};
const samples = results.samples;
try {
  const ctx = await browser.newContext({ viewport: { width: WIDTH, height: HEIGHT }, deviceScaleFactor: 1 });
  const app = await openApp({ server }, ctx, {
    query: DESK ? '' : 'mode=wall', initScripts: [acceleratedClock(originMs, SCALE), TOUR_WATCH], allowResourceErrors: true,
  });
  const { page } = app;
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.waitForSelector(`${tid('feed-status')}[data-status="live"]`, { state: 'attached', timeout: 60_000 });
  if (DESK) await page.waitForSelector(tid('incident-list'), { timeout: 60_000 });
  const t0 = Date.now();
  const end = t0 + MINUTES * 60_000;
  const views = new Set();
  let frozen = false;
  while (Date.now() < end) {
    const due = t0 + (samples.length + 1) * SAMPLE_S * 1000;
    await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
    const minute = (Date.now() - t0) / 60_000;
    const freeze = !!STOP && minute >= STOP[0] && minute < STOP[1];
    if (freeze !== frozen) server.signal(freeze ? 'SIGSTOP' : 'SIGCONT');
    frozen = freeze;
    const before = await cdp.send('Runtime.getHeapUsage');
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = await cdp.send('Runtime.getHeapUsage');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const metric = (name) => metrics.find((m) => m.name === name)?.value ?? NaN;
    const page_ = await page.evaluate(() => ({
      memory: window.calaisMap.memory(),
      feed: window.calaisMap.feedStats(),
      tour: window.calaisMap.tour(),
      watch: window.__soakTour,
      clockMs: Date.now(),
      status: document.querySelector('[data-testid="feed-status"]')?.getAttribute('data-status'),
      listRows: document.querySelectorAll('[data-testid="incident-row"]').length,
    }));
    const tour = page_.tour || {};
    if (tour.kind === 'tour') views.add(tour.name);
    const s = {
      tMin: (Date.now() - t0) / 60_000,
      eventsStopped: frozen,
      clockH: (page_.clockMs - originMs) / 3_600_000,
      jsHeapUsed: heap.usedSize,
      jsHeapUsedBeforeGc: before.usedSize,
      jsHeapTotal: heap.totalSize,
      domNodes: metric('Nodes'),
      listeners: metric('JSEventListeners'),
      events: page_.feed.events,
      snapshots: page_.feed.snapshots,
      feed: page_.status,
      tour: tour.kind === 'tour' ? `${tour.name}:${tour.phase}` : tour.kind ?? null,
      tourAlerts: page_.watch?.alerts,
      listRows: page_.listRows,
      ...page_.memory,
    };
    samples.push(s);
    log(`${fmt(s.tMin, 1)} min (${fmt(s.clockH, 1)} h): heap ${fmt(s.jsHeapUsed / 1e6)} MB, wasm ${fmt(s.wasmBytes / 1e6)} MB (in use ${fmt(s.heapBytes / 1e6)}), ` +
      `nodes ${s.domNodes}, incidents ${s.incidents}, history ${s.historyReports}, events ${s.events}, ${s.tour}`);
    if (app.pageErrors.length) throw new Error(`page errors: ${app.pageErrors.join('\n')}`);
  }
  results.toursSeen = [...views];
  results.tourWatch = await page.evaluate(() => window.__soakTour);
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, DESK ? 'soak-desk-end.png' : 'soak-end.png') });
  results.consoleErrors = app.unexpectedConsoleErrors();
  await ctx.close();
} catch (e) {
  results.errors.soak = String(e.stack || e);
} finally {
  await browser.close();
  await server.kill();
}

// After the warm-up: slope per real minute, min / median / max.
const SERIES = [
  ['JS heap used after GC', 'jsHeapUsed', 'B'],
  ['JS heap used before GC', 'jsHeapUsedBeforeGc', 'B'],
  ['wasm memory (linear, never shrinks)', 'wasmBytes', 'B'],
  ['wasm heap in use (allocator count)', 'heapBytes', 'B'],
  ['DOM nodes', 'domNodes', ''],
  ['incident list rows', 'listRows', ''],
  ['event listeners', 'listeners', ''],
  ['incidents held', 'incidents', ''],
  ['history reports', 'historyReports', ''],
  ['history bytes', 'historyBytes', 'B'],
];
const after = samples.filter((s) => s.tMin >= WARMUP_MIN);
const num = (x, unit) => (unit === 'B' ? `${fmt(x / 1e6, 2)} MB` : fmt(x, 0));
const lines = [
  `accelerated-day soak (${MODE}): ${MINUTES} min real at ${SCALE}x (${fmt((MINUTES * SCALE) / 60, 1)} h of the page's and server's clock), ` +
    `${EVENTS_PER_DAY} events/day = ${fmt(RATE, 1)} events/s real, ${WIDTH} × ${HEIGHT} ${MODE}, samples every ${SAMPLE_S} s, ` +
    `warm-up ${WARMUP_MIN} min (${after.length} samples after it)`,
  '',
  '| series | slope after warm-up (per real min) | per accelerated hour | min | median | max | end |',
  '| --- | --- | --- | --- | --- | --- | --- |',
];
for (const [name, key, unit] of SERIES) {
  const ys = after.map((s) => s[key]);
  if (!ys.length || ys.some((y) => !Number.isFinite(y))) continue;
  const { slope } = fit(after.map((s) => s.tMin), ys);
  const perHour = slope * (60 / SCALE);
  results.fits[key] = { slopePerMin: slope, slopePerAcceleratedHour: perHour, min: Math.min(...ys), median: median(ys), max: Math.max(...ys), end: ys.at(-1) };
  const per = (x) => (unit === 'B' ? `${fmt(x / 1e3, 1)} kB` : fmt(x, 1));
  lines.push(`| ${name} | ${per(slope)} | ${per(perHour)} | ${num(Math.min(...ys), unit)} | ${num(median(ys), unit)} | ${num(Math.max(...ys), unit)} | ${num(ys.at(-1), unit)} |`);
}
if (STOP) {
  // The heap in use per phase: events, the server frozen, events again.
  const phase = (lo, hi) => samples.filter((s) => s.tMin >= lo && s.tMin < hi && Number.isFinite(s.heapBytes));
  results.stopEvents = {};
  for (const [name, lo, hi] of [['events before', WARMUP_MIN, STOP[0]], ['events stopped', STOP[0], STOP[1]], ['events after', STOP[1], Infinity]]) {
    const xs = phase(lo, hi);
    const { slope } = fit(xs.map((s) => s.tMin), xs.map((s) => s.heapBytes));
    results.stopEvents[name] = { samples: xs.length, heapSlopePerMin: slope };
    lines.push(`| heap in use, ${name} (${xs.length} samples) | ${fmt(slope / 1e3, 1)} kB | | | | | |`);
  }
}
const last = samples.at(-1);
if (last) {
  lines.push('', `at the end: ${last.events} events received, ${last.snapshots} snapshot(s), incidents ${last.incidents} (closed ${last.closed}), ` +
    `history ${last.historyReports} reports, ticker ${last.alerts} alerts, zone engine ${last.zoneTracked} tracked / log ${last.zoneLog} / archive ${last.zoneArchive}, ` +
    `pending changes ${last.pendingChanges} / ${last.pendingHistoryChanges}, frame log ${last.frameLog}, DOM nodes ${last.domNodes}, listeners ${last.listeners}`);
  const w = results.tourWatch;
  const polls = w ? Object.values(w.polls).reduce((a, b) => a + b, 0) : 0;
  const share = (k) => (polls ? `${fmt((100 * (w.polls[k] || 0)) / polls, 0)} %` : 'n/a');
  lines.push(`tour views seen: ${(results.toursSeen || []).join(', ')}; critical alerts that interrupted the tour: ${w?.alerts ?? 'n/a'}; ` +
    `time on the tour ${share('tour')}, on alerts ${share('alert')}, home ${share('home')} (polled every 100 ms)`);
}
for (const [k, v] of Object.entries(results.errors)) lines.push(`ERROR (${k}): ${v.split('\n')[0]}`);
const csvKeys = samples.length ? Object.keys(samples[0]) : [];
fs.mkdirSync(path.join(ROOT, 'target', 'bench'), { recursive: true });
const OUT = DESK ? 'soak-desk' : 'soak';
fs.writeFileSync(path.join(ROOT, 'target', 'bench', `${OUT}.csv`),
  [csvKeys.join(','), ...samples.map((s) => csvKeys.map((k) => JSON.stringify(s[k] ?? '')).join(','))].join('\n') + '\n');
finish(lines, results, [], path.join(ROOT, 'target', 'bench', `${OUT}.json`), false);
