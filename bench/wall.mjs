#!/usr/bin/env node
// Frame time of each screen of a 2×1 video wall against the single-screen frame (issue 13,
// "frame time of each tile of a 2×1 wall against the single-screen frame").
//
// In headless Debian chromium, dpr 1, against the release demo server with the quiet scenario
// (no incident moves) and a fixed view over Calais (a tour of one view held, zoom 13.2),
// the map scale pinned for every page (`wall.scale` 1.25, so that the pages draw the same
// view at the same k):
//   single   one 3840 × 1080 page: the whole wall's view on one canvas (`?mode=wall`)
//   tile 0,0 a 1920 × 1080 page, `?mode=wall&wall=2x1&tile=0,0`
//   tile 1,0 a 1920 × 1080 page, `?mode=wall&wall=2x1&tile=1,0`
// and for each, in its own page (one after the other: each screen of a wall has its own
// machine):
//   (a) full frames: `calaisMap.reloadLayers()`, the layers re-prepared and re-drawn (the
//       frame after a tour's flight ends is one);
//   (b) flight frames: the view moved by `calaisMap.setView` once per animation frame, 60
//       steps (a tour's flight between two views: the cached composite moved).
// A frame's time is the app's whole animation-frame callback plus the 1-px read-back that makes
// Chromium rasterise it (bench/stats.mjs's RAF_PROBE, as bench/render.mjs measures), median and
// 95th percentile. Prints a table and writes target/bench/wall.json.
//
// Usage: node bench/wall.mjs [--reps N]   (after `trunk build --release` and
//        `cargo build --release -p calais-demo-server`)

import path from 'node:path';
import {
  ROOT, startDemoServer, prepareDist, launchBrowser, openApp, reloadLayers,
  waitForSettled, QUIET_SCENARIO, demoServerBinary, tid,
} from '../tests/e2e/harness.mjs';
import { stats, fmt, finish, RAF_PROBE, probeCount, probeSince, argVal } from './stats.mjs';

const REPS = argVal('--reps', 15);
const K = 1.25;
const START = { lon: 1.872, lat: 50.962, zoom: 13.2 };
const log = (...a) => console.error('[wall bench]', ...a);

const PAGES = [
  { name: 'single 3840 × 1080', width: 3840, query: 'mode=wall' },
  { name: 'tile 0,0 of 2×1 (1920 × 1080)', width: 1920, query: 'mode=wall&wall=2x1&tile=0,0' },
  { name: 'tile 1,0 of 2×1 (1920 × 1080)', width: 1920, query: 'mode=wall&wall=2x1&tile=1,0' },
];

async function measureFull(page, reps) {
  const ms = [];
  for (let r = 0; r < reps; r++) {
    const p0 = await probeCount(page);
    await reloadLayers(page);
    ms.push(...(await probeSince(page, p0)).filter((f) => f.kind === 'full').map((f) => f.totalMs));
  }
  return ms;
}

async function measureFlight(page, reps) {
  const ms = [];
  for (let r = 0; r < reps; r++) {
    const p0 = await probeCount(page);
    await page.evaluate(async ({ lon, lat, zoom }) => {
      for (let i = 1; i <= 60; i++) {
        window.calaisMap.setView(lon + 0.0004 * i, lat + 0.0001 * i, zoom + 0.005 * i);
        await new Promise((r) => requestAnimationFrame(r));
      }
    }, START);
    await waitForSettled(page, { quietMs: 500 });
    ms.push(...(await probeSince(page, p0)).filter((f) => f.kind === 'gesture').map((f) => f.totalMs));
    await page.evaluate(({ lon, lat, zoom }) => window.calaisMap.setView(lon, lat, zoom), START);
    await waitForSettled(page, { quietMs: 500 });
  }
  return ms;
}

// The tour (wall_tour.rs) frames the whole wall: one view, held, reached at once.
const TOUR_VIEW = { name: 'Calais', center: [START.lon, START.lat], zoom: START.zoom, dwell_s: 3600 };
const dir = prepareDist({ initial_view: START, wall: { scale: K, flight_s: 0, tours: [TOUR_VIEW] } });
const server = await startDemoServer({
  scenario: QUIET_SCENARIO, staticDir: dir, heartbeatMs: 1000, bin: demoServerBinary({ preferRelease: true }),
});
const browser = await launchBrowser();
const results = { reps: REPS, k: K, start: START, pages: {}, errors: {} };
try {
  for (const p of PAGES) {
    log(p.name);
    const ctx = await browser.newContext({ viewport: { width: p.width, height: 1080 }, deviceScaleFactor: 1 });
    try {
      const app = await openApp({ server }, ctx, { query: p.query, initScripts: [RAF_PROBE] });
      await app.page.waitForSelector(`${tid('feed-status')}[data-status="live"]`, { state: 'attached', timeout: 30_000 });
      await waitForSettled(app.page, { quietMs: 600 });
      const full = stats(await measureFull(app.page, REPS));
      const flight = stats(await measureFlight(app.page, REPS));
      delete full.samples;
      delete flight.samples;
      results.pages[p.name] = { full, flight };
    } catch (e) {
      results.errors[p.name] = String(e.stack || e);
    } finally {
      await ctx.close();
    }
  }
} finally {
  await browser.close();
  await server.kill();
}

const single = results.pages[PAGES[0].name];
const lines = [
  `wall tiles: ${REPS} reps, k = ${K}, Calais at zoom ${START.zoom}, dpr 1`,
  '',
  '| page | full frame median / p95 (ms) | vs single | flight frame median / p95 (ms) | vs single |',
  '| --- | --- | --- | --- | --- |',
];
for (const p of PAGES) {
  const r = results.pages[p.name];
  if (!r) continue;
  const ratio = (a, b) => (b ? fmt(a / b) + '×' : 'n/a');
  lines.push(
    `| ${p.name} | ${fmt(r.full.median)} / ${fmt(r.full.p95)} (n=${r.full.n}) | ${ratio(r.full.median, single?.full.median)} | ` +
      `${fmt(r.flight.median)} / ${fmt(r.flight.p95)} (n=${r.flight.n}) | ${ratio(r.flight.median, single?.flight.median)} |`,
  );
}
finish(lines, results, [], path.join(ROOT, 'target', 'bench', 'wall.json'), false);
