// Zoomed out, the demo cameras read as cluster badges with counts (not a blob of icons);
// clicking a badge zooms in on it, and past zoom 12 the individual cameras and sectors show.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  sharedEnv, openApp, setView, view, waitForSettled, screenshot, fetchJson, CANVAS, TEST_TIMEOUT,
} from './harness.mjs';

const env = sharedEnv();

test('cameras cluster into counted badges when zoomed out; a click on a badge zooms in', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await env.newContext();
  try {
    const cameras = await fetchJson(env.server, '/public/data/cameras.geojson');
    const total = cameras.features.length;
    const app = await openApp(env, ctx);
    const { page } = app;
    await setView(page, 1.83, 50.94, 10);
    await waitForSettled(page);
    const clusters = await page.evaluate(() => window.calaisMap.cameraClusters());
    const counted = clusters.reduce((n, c) => n + c.count, 0);
    assert.equal(counted, total, `every camera is in a cluster: ${JSON.stringify(clusters)}`);
    assert.ok(clusters.length < total / 3, `${clusters.length} badges for ${total} cameras`);
    const biggest = clusters.reduce((a, b) => (b.count > a.count ? b : a));
    assert.ok(biggest.count >= 5, `a site's cameras merge: ${biggest.count}`);
    await screenshot(page, '10-camera-clusters-zoom10');

    const box = await page.locator(CANVAS).boundingBox();
    const zoomBefore = (await view(page)).zoom;
    await page.mouse.click(box.x + biggest.x, box.y + biggest.y);
    await page.waitForFunction((z) => window.calaisMap.view().zoom > z + 1.5, zoomBefore, { timeout: 10_000 });
    const after = await view(page);
    assert.ok(Math.abs(after.zoom - (zoomBefore + 2)) < 0.01, `zoomed in by 2: ${zoomBefore} -> ${after.zoom}`);
    assert.equal(await page.locator('[data-testid=info-card]').count(), 0, 'a badge click opens no card');

    // Past zoom 12 there are no clusters: cameras draw one by one with their sectors.
    await setView(page, 1.83, 50.94, 13);
    await waitForSettled(page);
    assert.deepEqual(await page.evaluate(() => window.calaisMap.cameraClusters()), []);
    await screenshot(page, '10-cameras-unclustered-zoom13');
    await app.assertHealthy('clusters');
  } finally {
    await ctx.close();
  }
});
