// The display mode in the app state (issue 11, item 7's seam for the wall and the tablets):
// `?mode=desk|wall|tablet` sets data-mode on the app root; without it the desk is used; an
// unknown value is named in a visible banner and the desk layout shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedEnv, openApp, tid, TEST_TIMEOUT } from './harness.mjs';

const env = sharedEnv();
const modeOf = (page) => page.locator('main.app').getAttribute('data-mode');

test('?mode= picks the display mode; an unknown one is reported and the desk is used', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await env.newContext();
  try {
    for (const [query, want] of [['', 'desk'], ['mode=wall', 'wall'], ['mode=tablet', 'tablet'], ['mode=desk', 'desk']]) {
      const app = await openApp(env, ctx, { query });
      assert.equal(await modeOf(app.page), want, `?${query}`);
      assert.equal(await app.page.locator(`${tid('error-banner')}[data-layer="mode"]`).count(), 0, `no mode banner for ?${query}`);
      await app.assertHealthy(`?${query}`);
      await app.close();
    }
    const app = await openApp(env, ctx, { query: 'mode=kiosk' });
    assert.equal(await modeOf(app.page), 'desk');
    const banner = app.page.locator(`${tid('error-banner')}[data-layer="mode"]`);
    assert.equal(await banner.count(), 1, 'the unknown mode is reported');
    assert.match(await banner.textContent(), /Unknown display mode "kiosk".*desk, wall or tablet/);
    await app.assertHealthy('?mode=kiosk');
  } finally {
    await ctx.close();
  }
});
