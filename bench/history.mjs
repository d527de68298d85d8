#!/usr/bin/env node
// History load benchmark (issue 12: "30 days at the demo rate load in under 2 s on localhost;
// memory is reported in the diagnostics panel"; run by `make bench` after bench/heatmap.mjs).
//
// The release demo server in generator mode serves its seeded history (`--history-days 30
// --history-per-hour 60`, the demo rate: ~43,000 reports, paged by `next_cursor`) and the
// shipped build (dist/) with `heatmap.enabled: true`, so the page asks for the last 30 days at
// start. For each of --loads fresh pages (1280 × 800, headless Debian chromium):
//   load    from the start of the first history request (its PerformanceResourceTiming
//           `startTime`) to the moment the panel says the history is loaded
//           (`data-testid="heatmap-history"` with `data-state="loaded"`, seen by a
//           requestAnimationFrame poll in the page, so within a frame);
//   pages   history requests made (resource timings of `api/incidents/history`), their bytes
//           on the wire and the server's time to the first byte of each;
//   memory  what the diagnostics panel reports (`history-diagnostics`: `data-reports`,
//           `data-bytes`, the bytes the history's columns hold).
// Target: load median < 2,000 ms. Prints a markdown table, writes target/bench/history.json.
//
// Usage: node bench/history.mjs [--loads N] [--days N] [--per-hour X] [--strict]

import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { ROOT, prepareDist, startDemoServer, launchBrowser, openApp, demoServerBinary, tid } from '../tests/e2e/harness.mjs';
import { stats, fmt, finish } from './stats.mjs';

const args = process.argv.slice(2);
const argVal = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const LOADS = Math.max(3, argVal('--loads', 7));
const DAYS = Math.max(1, argVal('--days', 30));
const PER_HOUR = Math.max(1, argVal('--per-hour', 60));
const STRICT = args.includes('--strict');
const OUT = path.join(ROOT, 'target', 'bench', 'history.json');
const TARGET_MS = 2000;

const log = (...a) => console.error('[bench:history]', ...a);

/** One fresh page: the timings of its history load and what its diagnostics say. */
async function oneLoad(server, ctx) {
  const app = await openApp({ server }, ctx, { waitReady: false });
  const { page } = app;
  // Poll once a frame in the page for the panel's "loaded" state and stamp it.
  const loadedAt = await page.evaluate(
    (sel) =>
      new Promise((resolve, reject) => {
        const t0 = performance.now();
        const poll = () => {
          if (document.querySelector(sel)) return resolve(performance.now());
          if (performance.now() - t0 > 60_000) return reject(new Error('history never loaded'));
          requestAnimationFrame(poll);
        };
        poll();
      }),
    `${tid('heatmap-history')}[data-state="loaded"]`,
  );
  const timing = await page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .filter((e) => e.name.includes('api/incidents/history'))
      .map((e) => ({ start: e.startTime, end: e.responseEnd, ttfb: e.responseStart - e.requestStart, bytes: e.encodedBodySize })),
  );
  const diag = await page.$eval(tid('history-diagnostics'), (e) => ({
    reports: Number(e.dataset.reports),
    bytes: Number(e.dataset.bytes),
    skipped: Number(e.dataset.skipped),
  }));
  await app.assertHealthy('history load');
  await app.close();
  const first = Math.min(...timing.map((t) => t.start));
  return {
    ms: loadedAt - first,
    pages: timing.length,
    wireBytes: timing.reduce((s, t) => s + t.bytes, 0),
    ttfbMs: timing.map((t) => t.ttfb),
    lastResponseMs: Math.max(...timing.map((t) => t.end)) - first,
    ...diag,
  };
}

async function main() {
  const bin = demoServerBinary({ preferRelease: true });
  if (!bin.includes('release')) {
    log('building the release demo server');
    execFileSync('cargo', ['build', '-p', 'calais-demo-server', '--release'], { cwd: ROOT, stdio: 'inherit' });
  }
  const dir = prepareDist({ heatmap: { enabled: true, window: '24h' } });
  const server = await startDemoServer({
    bin: demoServerBinary({ preferRelease: true }),
    staticDir: dir,
    extraArgs: ['--history-days', String(DAYS), '--history-per-hour', String(PER_HOUR)],
  });
  const browser = await launchBrowser();
  const results = { date: new Date().toISOString(), days: DAYS, perHour: PER_HOUR, loads: [], errors: {} };
  try {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    for (let i = 0; i < LOADS; i++) {
      try {
        const r = await oneLoad(server, ctx);
        log(`load ${i + 1}: ${fmt(r.ms, 0)} ms, ${r.pages} pages, ${r.reports} reports, ${r.bytes} B`);
        results.loads.push(r);
      } catch (e) {
        results.errors[`load ${i + 1}`] = String(e.message || e);
      }
    }
    await ctx.close();
  } finally {
    await browser.close();
    await server.kill();
  }
  const load = stats(results.loads.map((r) => r.ms));
  const last = results.loads.at(-1) || {};
  const ttfb = stats(results.loads.flatMap((r) => r.ttfbMs));
  results.summary = { load, ttfb, reports: last.reports, bytes: last.bytes, pages: last.pages, wireBytes: last.wireBytes };
  const rows = [{ pass: load.median < TARGET_MS }];
  const lines = [
    `History load, ${DAYS} days at ${PER_HOUR} reports/h (release demo server, localhost), ${results.loads.length} fresh pages:`,
    '',
    '| figure | median | p95 | min | target | met |',
    '| --- | --- | --- | --- | --- | --- |',
    `| first history request → panel says loaded | ${fmt(load.median, 0)} ms | ${fmt(load.p95, 0)} ms | ${fmt(load.min, 0)} ms | < ${TARGET_MS} ms | ${rows[0].pass ? 'yes' : '**no**'} |`,
    `| server time to first byte, per page | ${fmt(ttfb.median, 1)} ms | ${fmt(ttfb.p95, 1)} ms | ${fmt(ttfb.min, 1)} ms | (info) | — |`,
    '',
    `Reports held ${last.reports}, columns ${last.bytes} B (${fmt(last.bytes / Math.max(1, last.reports), 1)} B a report), ` +
      `${last.pages} pages, ${last.wireBytes} B on the wire.`,
  ];
  finish(lines, results, rows, OUT, STRICT);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
