// Offline start (issue 14, performance): time from navigation to the first map drawn
// (`data-ready` on the map canvas) and to the offline banner, for a page opened with no network
// and served by the service worker, against the same page opened online in the same run (with
// the worker, and in a context where service workers are blocked: the start without offline).
//
//   flock /tmp/calais-heavy.lock node bench/offline.mjs [--runs 7]
//
// Release build in dist/, the debug demo server (cargo build -p calais-demo-server), basic
// scenario. Times are ms of the page's own clock (performance.now() from navigation start),
// read by polling every 20 ms; medians and ranges are printed and written to
// target/bench/offline.json. Headless Chromium renders canvas in software: compare the rows,
// not the absolute figures.
import fs from 'node:fs';
import path from 'node:path';
import {
  startDemoServer, prepareDist, launchBrowser, readScenario, shiftScenario, shiftToNow, BASIC_SCENARIO, ROOT,
} from '../tests/e2e/harness.mjs';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 7;
const base = readScenario(BASIC_SCENARIO);
const scenario = shiftScenario(base, { shiftMs: shiftToNow([base], { agoMs: 60_000 }) });
const server = await startDemoServer({ scenario, heartbeatMs: 1000, staticDir: prepareDist() });
const browser = await launchBrowser();

const drawn = (page, banner) =>
  page.evaluate((banner) => new Promise((resolve) => {
    const poll = () => {
      const ready = document.querySelector('[data-testid="map-canvas"]')?.getAttribute('data-ready') === 'true';
      const shown = !banner || document.querySelector('[data-testid="offline-banner"]');
      if (ready && shown) resolve(performance.now());
      else setTimeout(poll, 20);
    };
    poll();
  }), banner);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = {};
let blocked = null;
async function measure(name, ctx, { offline = false, banner = false } = {}) {
  const page = await ctx.newPage();
  await page.goto(server.url('/'), { waitUntil: 'load' });
  await drawn(page, false);
  if (ctx !== blocked) await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60_000 });
  if (offline) {
    // The picture is kept once live; then no network at all.
    await page.waitForFunction(() => document.querySelector('[data-testid="offline-store"]')?.hasAttribute('data-saved-as-of'),
      null, { timeout: 60_000 });
    await ctx.setOffline(true);
  }
  const times = [];
  for (let i = 0; i < runs; i++) {
    await page.reload({ waitUntil: 'commit' });
    times.push(await drawn(page, banner));
  }
  rows[name] = { median: median(times), min: Math.min(...times), max: Math.max(...times), runs: times.length };
  console.log(`${name}: median ${rows[name].median.toFixed(0)} ms (${rows[name].min.toFixed(0)}–${rows[name].max.toFixed(0)}), ${runs} reloads`);
  await page.close();
}

blocked = await browser.newContext({ serviceWorkers: 'block' });
await measure('online, no service worker', blocked);
const withSw = await browser.newContext();
await measure('online, service worker', withSw);
await measure('offline, service worker: map drawn and offline banner', withSw, { offline: true, banner: true });
await browser.close();
await server.kill();
fs.mkdirSync(path.join(ROOT, 'target', 'bench'), { recursive: true });
fs.writeFileSync(path.join(ROOT, 'target', 'bench', 'offline.json'), JSON.stringify(rows, null, 2) + '\n');
process.exit(0);
