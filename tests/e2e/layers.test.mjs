// 2. Layer toggle: unticking a layer changes the pixels around Coquelles, ticking it again
//    restores exactly the same pixels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  sharedEnv, openApp, setView, frameCount, waitForNewFrame, hashRegion, snapshotRegion, diffRegions, screenshot, tid, reloadLayers, TEST_TIMEOUT,
} from './harness.mjs';

const env = sharedEnv();

/** Clicks a layer checkbox (the way a user would) and waits for the resulting frame. */
async function toggle(page, key, checked) {
  const box = page.locator(`input${tid(`layer-toggle-${key}`)}`);
  const before = await frameCount(page);
  if (checked) await box.check();
  else await box.uncheck();
  assert.equal(await box.isChecked(), checked, `layer-toggle-${key} checked=${checked}`);
  await waitForNewFrame(page, before);
}

for (const key of ['cameras', 'fences']) {
  test(`toggling ${key} off changes the pixels around Coquelles and on again restores them`, { timeout: TEST_TIMEOUT }, async () => {
    const ctx = await env.newContext();
    try {
      const app = await openApp(env, ctx);
      const { page } = app;
      await setView(page, 1.82, 50.945, 13.5);
      const v = await page.evaluate(() => window.calaisMap.view());
      // The middle of the screen (Coquelles and the approach to Calais), clear of the panels.
      const rect = { x: v.width * 0.2, y: v.height * 0.15, width: v.width * 0.6, height: v.height * 0.7 };

      const on1 = await hashRegion(page, rect);
      await snapshotRegion(page, 'on1', rect);
      await screenshot(page, `02-toggle-${key}-on`);

      await toggle(page, key, false);
      const off = await hashRegion(page, rect);
      await snapshotRegion(page, 'off', rect);
      await screenshot(page, `02-toggle-${key}-off`);
      const changed = await diffRegions(page, 'on1', 'off');
      assert.notEqual(off.hash, on1.hash, `unticking ${key} must change the pixels around Coquelles`);
      assert.ok(changed > 20, `unticking ${key}: only ${changed} pixels changed`);
      const kinds = await page.evaluate(() => window.calaisMap.frames().slice(-3).map((f) => f.kind));
      console.log(`${key} off: ${changed} px changed; last frame kinds ${kinds.join(',')}`);

      await toggle(page, key, true);
      const on2 = await hashRegion(page, rect);
      await snapshotRegion(page, 'on2', rect);
      const diff = await diffRegions(page, 'on1', 'on2');
      assert.equal(on2.hash, on1.hash, `ticking ${key} again must restore the pixels (${diff} px differ)`);

      // Still identical after a new full frame (a data reload re-renders every layer).
      await reloadLayers(page);
      const on3 = await hashRegion(page, rect);
      await snapshotRegion(page, 'on3', rect);
      assert.equal(on3.hash, on1.hash, `after a full re-render the pixels equal the first frame (${await diffRegions(page, 'on1', 'on3')} px differ)`);
      await app.assertHealthy(`toggle ${key}`);
    } finally {
      await ctx.close();
    }
  });
}

test('toggling the basemap off removes the land colour', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await env.newContext();
  try {
    const app = await openApp(env, ctx);
    const { page } = app;
    await setView(page, 1.82, 50.945, 11);
    const before = await hashRegion(page);
    await toggle(page, 'basemap', false);
    const after = await hashRegion(page);
    await screenshot(page, '02-toggle-basemap-off');
    assert.notEqual(after.hash, before.hash, 'unticking basemap changes the canvas');
    await toggle(page, 'basemap', true);
    assert.equal((await hashRegion(page)).hash, before.hash, 'ticking basemap again restores the canvas');
    await app.assertHealthy('toggle basemap');
  } finally {
    await ctx.close();
  }
});
