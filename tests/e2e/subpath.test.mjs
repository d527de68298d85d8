// Hosting behind the centre's API at any path (issue 11, item 11): the release build served
// under /map/ (static files at /map/…, the API at /map/api/…) draws the map, loads every layer
// and goes live, with no failed request and no request outside /map/.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, startDemoServer, launchBrowser, openApp, assertDistBuilt, waitForSettled, screenshot, tid,
  QUIET_SCENARIO, TEST_TIMEOUT,
} from './harness.mjs';

let api, server, browser;
after(async () => {
  await browser?.close();
  await server?.close();
  await api?.kill();
});

test('served under /map/: the map draws, every layer loads, the feed is live, no failed request', { timeout: TEST_TIMEOUT }, async (t) => {
  assertDistBuilt();
  api = await startDemoServer({ scenario: QUIET_SCENARIO, heartbeatMs: 1000 });
  server = await startServer({ apiOrigin: api.origin, prefix: '/map' });
  browser = await launchBrowser();
  const ctx = await browser.newContext();
  const failed = [];
  const outside = [];
  ctx.on('requestfailed', (r) => {
    // The page's own EventSource is cancelled when the context closes; nothing else may fail.
    failed.push(`${r.url()} (${r.failure()?.errorText})`);
  });
  ctx.on('response', (r) => {
    if (r.status() >= 400) failed.push(`${r.url()} → HTTP ${r.status()}`);
  });
  ctx.on('request', (r) => {
    const u = new URL(r.url());
    if (u.origin === server.origin && !u.pathname.startsWith('/map/')) outside.push(u.pathname);
  });
  const app = await openApp({ server }, ctx);
  const { page } = app;
  assert.equal(new URL(page.url()).pathname, '/map/');
  await waitForSettled(page);
  // Every layer loaded something, and no banner.
  const counts = await page.evaluate(() =>
    [...document.querySelectorAll('[data-testid^="layer-count-"]')].map((e) => [e.getAttribute('data-testid'), e.textContent.trim()]));
  t.diagnostic(`layer counts: ${JSON.stringify(counts)}`);
  assert.ok(counts.length >= 4 && counts.every(([, c]) => Number(c) > 0), `every layer loaded features: ${JSON.stringify(counts)}`);
  assert.equal(await page.locator(tid('error-banner')).count(), 0, 'no error banner');
  await page.waitForFunction(() => document.querySelector('[data-testid="feed-status"]')?.getAttribute('data-status') === 'live', null, { timeout: 20_000 });
  await screenshot(page, '50-served-under-map');
  assert.deepEqual(failed, [], 'no failed request');
  assert.deepEqual(outside, [], 'no request outside /map/');
  const asked = server.requests.map((r) => r.path);
  for (const want of ['/index.html', '/public/config.json', '/api/incidents', '/api/incidents/stream']) {
    assert.ok(asked.some((p) => p === want || (want === '/index.html' && p === '/')), `${want} was requested under /map/: ${asked.join(', ')}`);
  }
  await app.assertHealthy('under /map/');
  await ctx.close();
});
