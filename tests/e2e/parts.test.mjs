// Code loaded on first use (issue 14, the bundle's budget; src/web/split.rs): the page's wasm
// leaves out the export dialog, the zone editor's form, the heatmap engine with its legend,
// playback and comparison, the locate panel and tap chooser, the go-to reader and the wall's
// tour and status; each is a part fetched the first time it is used. A desk at start fetches
// none of the parts a desk has not used; a slow part says it is loading; a part that cannot be
// fetched is said in the UI's language, nothing panics, the rest of the app works, and the
// retry button fetches it, or with nobody to tap it, the wall every 10 s and any mode when the
// browser is back online (screenshot: target/e2e-screenshots/14-part-unavailable-fr.png). The
// service worker is blocked in the first tests: it keeps every file of the build, parts
// included, fetched after the start, off the page's first load; the last test uses it offline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedEnv, openApp, screenshot, tid, waitForSettled, TEST_TIMEOUT } from './harness.mjs';

const env = sharedEnv();

/** The parts (and shared chunks) a context fetched: `split_exports`, `chunk_3`, … */
function partLog(ctx) {
  const fetched = [];
  ctx.on('request', (r) => {
    const m = /\/((?:split|chunk)_[a-z0-9]+)-[0-9a-f]+\.wasm$/.exec(new URL(r.url()).pathname);
    if (m) fetched.push(m[1]);
  });
  return fetched;
}

/** The app in a context whose requests for the parts matching `re` fail (as with no network)
 * until `allow()`; `fetched` logs the parts asked for. */
async function refusing(re, query = '') {
  const ctx = await env.newContext({ serviceWorkers: 'block' });
  const fetched = partLog(ctx);
  let refuse = true;
  await ctx.route(re, (route) => (refuse ? route.abort('internetdisconnected') : route.continue()));
  const app = await openApp(env, ctx, {
    query,
    allowResourceErrors: true,
    allowedConsoleErrors: [/Failed to fetch|NetworkError|ERR_INTERNET_DISCONNECTED/i],
  });
  return { ctx, app, fetched, allow: () => { refuse = false; } };
}

test('desk: no part is fetched at start; the export dialog and the zone form come on first use', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await env.newContext({ serviceWorkers: 'block' });
  try {
    const fetched = partLog(ctx);
    const app = await openApp(env, ctx);
    const { page } = app;
    await waitForSettled(page);
    for (const part of ['split_exports', 'split_zones', 'split_field', 'split_wall']) {
      assert.ok(!fetched.includes(part), `${part} fetched at start: ${fetched}`);
    }
    // The page itself names the parts' loader, not the parts (fetched by the loader on use).
    const html = await page.evaluate(() => document.documentElement.outerHTML);
    assert.doesNotMatch(html, /split_[a-z]+-[0-9a-f]+\.wasm/);

    await page.locator(tid('export-open')).click();
    await page.waitForSelector(tid('export-dialog'));
    assert.ok(fetched.includes('split_exports'), `the exports part on first use: ${fetched}`);
    await page.locator(tid('export-geojson')).click();
    await page.waitForSelector(`${tid('export-status')}[data-state="done"]`);
    await page.locator(tid('export-close')).click();

    await page.locator(tid('zone-draw')).click();
    await page.waitForSelector(tid('zone-draw-banner'));
    assert.ok(fetched.includes('split_zones'), `the zones part on first use: ${fetched}`);
    await page.keyboard.press('Escape');
    await page.waitForSelector(tid('zone-editor'), { state: 'detached' });
    // Opened again: built at once from the part already there (no second fetch).
    const before = fetched.filter((p) => p === 'split_exports').length;
    await page.locator(tid('export-open')).click();
    await page.waitForSelector(tid('export-dialog'));
    assert.equal(fetched.filter((p) => p === 'split_exports').length, before);
    await app.assertHealthy('desk with its parts');
  } finally {
    await ctx.close();
  }
});

test('a part that cannot be fetched is said in French, nothing panics, and the retry brings it', { timeout: TEST_TIMEOUT }, async () => {
  const { ctx, app, fetched, allow } = await refusing(/\/split_zones-[0-9a-f]+\.wasm$/, 'lang=fr');
  try {
    const { page } = app;
    await page.locator(tid('zone-draw')).click();
    const alert = page.locator(tid('part-unavailable'));
    await alert.waitFor();
    assert.match(await alert.textContent(), /Cette partie de la carte n’a pas pu être chargée/);
    assert.equal(await page.locator(tid('zone-editor')).count(), 0);
    await screenshot(page, '14-part-unavailable-fr');
    // The rest of the app still answers: the export dialog (another part) opens.
    await page.locator(tid('export-open')).click();
    await page.waitForSelector(tid('export-dialog'));
    await page.locator(tid('export-close')).click();

    allow();
    await page.locator(tid('part-retry')).click();
    await page.waitForSelector(tid('zone-draw-banner'));
    assert.match(await page.locator(tid('zone-draw-banner')).textContent(), /carte/);
    assert.equal(await page.locator(tid('part-unavailable')).count(), 0);
    assert.ok(fetched.filter((p) => p === 'split_zones').length >= 2, `fetched again: ${fetched}`);
    await app.assertHealthy('after a refused part');
  } finally {
    await ctx.close();
  }
});

test('the heatmap engine refused: said in its panel, not asked again frame by frame, drawn after the retry', { timeout: TEST_TIMEOUT }, async () => {
  const { ctx, app, fetched, allow } = await refusing(/\/split_heatmap-[0-9a-f]+\.wasm$/);
  try {
    const { page } = app;
    await page.locator(tid('heatmap-toggle')).check();
    const alert = page.locator(`${tid('heatmap-panel')} .heat-refused${tid('part-unavailable')}`);
    await alert.waitFor();
    assert.match(await alert.textContent(), /could not be loaded/);
    // Said once (the legend, of the same part, waits for it).
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="part-unavailable"]').length === 1);
    // The map keeps drawing without the heatmap, and does not ask for the part again by itself.
    const asked = fetched.filter((p) => p === 'split_heatmap').length;
    await page.waitForTimeout(2_000);
    assert.equal(fetched.filter((p) => p === 'split_heatmap').length, asked, 'asked again without a retry');

    allow();
    await alert.locator(tid('part-retry')).click();
    await page.waitForSelector(`${tid('heatmap-legend')}[data-peak-per-km2]`, { timeout: 30_000 });
    assert.equal(await page.locator(tid('part-unavailable')).count(), 0);
    await app.assertHealthy('after a refused heatmap engine');
  } finally {
    await ctx.close();
  }
});

test('nobody taps on a wall: a refused part is asked for again by itself; a desk asks again when back online', { timeout: TEST_TIMEOUT }, async () => {
  {
    const { ctx, app, fetched, allow } = await refusing(/\/split_wall-[0-9a-f]+\.wasm$/, 'mode=wall');
    try {
      const { page } = app;
      await page.locator(tid('part-unavailable')).waitFor();
      assert.equal(await page.locator(tid('wall-clock-london')).count(), 0);
      allow();
      // No click: the wall asks again every 10 s (split::WALL_RETRY_MS).
      await page.waitForSelector(tid('wall-clock-london'), { timeout: 25_000 });
      assert.equal(await page.locator(tid('part-unavailable')).count(), 0);
      assert.ok(fetched.filter((p) => p === 'split_wall').length >= 2, `fetched again: ${fetched}`);
      await app.assertHealthy('a wall after a refused part');
    } finally {
      await ctx.close();
    }
  }
  const { ctx, app, allow } = await refusing(/\/split_zones-[0-9a-f]+\.wasm$/);
  try {
    const { page } = app;
    await page.locator(tid('zone-draw')).click();
    await page.locator(tid('part-unavailable')).waitFor();
    // A desk does not ask by itself while offline…
    await page.waitForTimeout(1_000);
    assert.equal(await page.locator(tid('part-unavailable')).count(), 1);
    // …but when the browser says the network is back.
    allow();
    await ctx.setOffline(true);
    await ctx.setOffline(false);
    await page.waitForSelector(tid('zone-draw-banner'), { timeout: 15_000 });
    assert.equal(await page.locator(tid('part-unavailable')).count(), 0);
  } finally {
    await ctx.close();
  }
});

test('a part slower than a moment (a patchy network) says it is loading, then shows', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await env.newContext({ serviceWorkers: 'block' });
  try {
    await ctx.route(/\/split_exports-[0-9a-f]+\.wasm$/, async (route) => {
      await new Promise((r) => setTimeout(r, 1_500));
      await route.continue();
    });
    const app = await openApp(env, ctx);
    const { page } = app;
    await page.locator(tid('export-open')).click();
    const loading = page.locator(tid('part-loading'));
    await loading.waitFor();
    assert.equal((await loading.textContent()).trim(), 'Loading…');
    await page.waitForSelector(tid('export-dialog'));
    assert.equal(await loading.count(), 0);
    await app.assertHealthy('a slow part');
  } finally {
    await ctx.close();
  }
});

test('offline: a part never used before comes from the service worker, which kept it with the build', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await env.newContext();
  try {
    const app = await openApp(env, ctx, { allowConsoleErrors: true });
    const { page } = app;
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
    // The worker installs the build's files all or nothing: the parts are in its cache.
    const kept = await page.evaluate(async () => {
      const name = (await caches.keys()).find((k) => k.startsWith('calais-shell-'));
      return name ? (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname) : [];
    });
    for (const part of ['split_exports', 'split_zones', 'split_field', 'split_heatmap', 'split_goto', 'split_wall']) {
      assert.ok(kept.some((u) => new RegExp(`/${part}-[0-9a-f]+\\.wasm$`).test(u)), `${part} is kept`);
    }
    await ctx.setOffline(true);
    await page.locator(tid('export-open')).click();
    await page.waitForSelector(tid('export-dialog'));
    await page.locator(tid('export-close')).click();
    await page.locator(tid('zone-draw')).click();
    await page.waitForSelector(tid('zone-draw-banner'));
    assert.equal(await page.locator(tid('part-unavailable')).count(), 0);
    await app.assertHealthy('parts offline');
  } finally {
    await ctx.setOffline(false).catch(() => {});
    await ctx.close();
  }
});
