// The language in the app state (issue 11, item 8's seam for issue 14's switch): `?lang=fr`
// shows the texts of the string table's French column, English is the default; a banner worded
// from a core error (the unknown display mode) follows the language too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedEnv, openApp, tid, TEST_TIMEOUT } from './harness.mjs';

const env = sharedEnv();

test('?lang=fr shows the French texts; English is the default', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await env.newContext();
  try {
    let app = await openApp(env, ctx, {});
    assert.equal(await app.page.locator('main.app').getAttribute('lang'), 'en');
    assert.equal((await app.page.locator(`${tid('layer-panel')} h2`).first().textContent()).trim(), 'Layers');
    await app.assertHealthy('default language');
    await app.close();

    app = await openApp(env, ctx, { query: 'lang=fr&mode=kiosk' });
    const page = app.page;
    assert.equal(await page.locator('main.app').getAttribute('lang'), 'fr');
    assert.equal((await page.locator(`${tid('layer-panel')} h2`).first().textContent()).trim(), 'Couches');
    assert.equal(await page.locator(tid('zoom-in')).getAttribute('title'), 'Zoom avant (+)');
    assert.match(await page.locator(tid('layer-row-ports')).textContent(), /Ports et terminaux/);
    const banner = page.locator(`${tid('error-banner')}[data-layer="mode"]`);
    assert.match(await banner.textContent(), /Mode d’affichage « kiosk » inconnu/);
    await app.assertHealthy('?lang=fr');
  } finally {
    await ctx.close();
  }
});
