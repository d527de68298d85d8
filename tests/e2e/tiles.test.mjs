// The optional raster tile layer: offered only when the config names a tile server, off by
// default, and when switched on its tiles cover the map (a test server answers one red tile).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  sharedEnv, openApp, setView, project, sampleColours, waitForSettled, screenshot, tid, TEST_TIMEOUT,
} from './harness.mjs';

const env = sharedEnv();

const isTileRed = ([r, g, b]) => r > 150 && g < 90 && b < 90;

test('the tile layer is absent without a tile server in the config', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await env.newContext();
  try {
    const app = await openApp(env, ctx);
    assert.equal(await app.page.locator(tid('layer-toggle-tiles')).count(), 0);
    await app.assertHealthy('no tiles');
  } finally {
    await ctx.close();
  }
});

test('tiles from the configured server draw when switched on and go when switched off', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await env.newContext();
  try {
    const app = await openApp(env, ctx, { config: '/fixtures/configs/tiles.json' });
    const { page } = app;
    await setView(page, 1.7, 50.9, 11);
    await waitForSettled(page);
    const toggle = page.locator(tid('layer-toggle-tiles'));
    await toggle.waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(await toggle.isChecked(), false, 'off by default');
    // Inland and at sea, away from fences and labels.
    const spots = [await project(page, 2.0, 50.75), await project(page, 1.5, 51.0)];
    const before = await sampleColours(page, spots);
    assert.ok(before.every((c) => !isTileRed(c)), `no tile colour before: ${JSON.stringify(before)}`);

    await toggle.check();
    await page.waitForFunction(
      ([x, y]) => {
        const c = document.querySelector('[data-testid="map-canvas"]');
        const d = c.getContext('2d').getImageData(Math.round(x), Math.round(y), 1, 1).data;
        return d[0] > 150 && d[1] < 90;
      },
      spots[0],
      { timeout: 15_000 },
    );
    await waitForSettled(page);
    const on = await sampleColours(page, spots);
    assert.ok(on.every(isTileRed), `tiles cover land and sea: ${JSON.stringify(on)}`);
    const attribution = await page.locator(tid('attribution')).textContent();
    assert.match(attribution, /test tile server/);
    await screenshot(page, '11-tiles-on');

    await toggle.uncheck();
    await waitForSettled(page);
    const off = await sampleColours(page, spots);
    assert.deepEqual(off, before, 'switching off restores the vector basemap');
    await app.assertHealthy('tiles');
  } finally {
    await ctx.close();
  }
});
