#!/usr/bin/env node
// Quick look at the incident layer's draw breakdown with the 100k bench snapshot loaded:
// calaisMap.incidentDraw() after single forced re-draws at the bench's two views.
// Usage: node bench/debug-draw.mjs [reps]   (uses dist/ as built)
import path from 'node:path';
import { prepareDist, startServer, launchBrowser, openApp, setView, waitForSettled } from '../tests/e2e/harness.mjs';
import { writeSnapshot } from './make-snapshot.mjs';

const REPS = Number(process.argv[2] || 5);
const SNAPSHOT_URL = 'public/bench/snapshot-100k.geojson';
const dir = prepareDist({
  incidents: { snapshot_url: SNAPSHOT_URL, stream_url: '', poll_interval_s: 3600, retention_s: 86_400, stale_after_s: 86_400 },
});
writeSnapshot({ out: path.join(dir, ...SNAPSHOT_URL.split('/')), count: 100_000 });
const server = await startServer({ distDir: dir });
const b = await launchBrowser();
try {
  const ctx = await b.browser.newContext({ viewport: { width: 3840, height: 2160 }, deviceScaleFactor: 1 });
  const { page } = await openApp({ server }, ctx, { allowConsoleErrors: true });
  let warned = 0;
  page.on('console', (m) => { if (m.type() === 'warning' && warned++ < 3) console.log('console:', m.text()); });
  await page.waitForFunction(() => window.calaisMap.incidents().count >= 100_000, null, { timeout: 120_000, polling: 50 });
  for (const [name, go] of [
    ['region', () => page.locator('[data-testid="fit-region"]').click()],
    ['calais z14', () => setView(page, 1.85, 50.96, 14)],
  ]) {
    await go();
    await waitForSettled(page, { quietMs: 500, timeout: 120_000 });
    for (const repaint of [false, true]) {
      for (let i = 0; i < REPS; i++) {
        const ms = await page.evaluate((r) => window.calaisMap.benchIncidentDraw(1, r), repaint);
        const info = await page.evaluate(() => window.calaisMap.incidentDraw());
        console.log(name, repaint ? 'repaint' : 'redraw', ms.toFixed(1), JSON.stringify(info));
      }
    }
  }
} finally {
  await b.close();
  await server.close();
}
