// 4. Clicking a demo camera opens the info card with its name; Escape and the close button
//    close it. 6. Feature text is shown literally (no HTML injection).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  sharedEnv, openApp, setView, projectToPage, fetchJson, isolatedCamera, screenshot, tid, TEST_TIMEOUT,
} from './harness.mjs';

const env = sharedEnv();

test('clicking a demo camera opens the info card with its name; Escape closes it; close button works', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await env.newContext();
  try {
    const cam = await isolatedCamera(env.server);
    const [lon, lat] = cam.geometry.coordinates;
    const name = cam.properties.name;
    const app = await openApp(env, ctx);
    const { page } = app;
    await setView(page, lon, lat, 15);
    const card = page.locator(tid('info-card'));

    const [x, y] = await projectToPage(page, lon, lat);
    await page.mouse.move(x - 30, y - 30);
    await page.mouse.move(x, y, { steps: 3 });
    await page.mouse.click(x, y);
    await card.waitFor({ state: 'visible', timeout: 15_000 });
    const title = (await page.locator(tid('info-card-title')).textContent()).trim();
    assert.equal(title, name, `info card title for the camera at ${lon},${lat}`);
    const rows = await page.locator(tid('info-card-row')).allTextContents();
    assert.ok(rows.length >= 1, 'info card has property rows');
    const values = Object.entries(cam.properties).filter(([k]) => k !== 'name').map(([, v]) => String(v));
    assert.ok(values.some((v) => rows.some((r) => r.includes(v))),
      `some property value of ${JSON.stringify(cam.properties)} is in the rows ${JSON.stringify(rows)}`);
    await screenshot(page, '04-info-card-camera');

    // Clicking pinned it: moving the mouse away keeps it open.
    await page.mouse.move(x + 300, y + 200, { steps: 3 });
    await page.waitForTimeout(300);
    assert.ok(await card.isVisible(), 'a clicked (pinned) card stays open when the mouse leaves');
    assert.equal((await page.locator(tid('info-card-title')).textContent()).trim(), name);

    await page.keyboard.press('Escape');
    await card.waitFor({ state: 'hidden', timeout: 10_000 });

    // Open again, close with the close button.
    await page.mouse.move(x, y, { steps: 3 });
    await page.mouse.click(x, y);
    await card.waitFor({ state: 'visible', timeout: 15_000 });
    await page.locator(tid('info-card-close')).click();
    await card.waitFor({ state: 'hidden', timeout: 10_000 });
    await app.assertHealthy('info card');
  } finally {
    await ctx.close();
  }
});

test('hovering a port shows its info card', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await env.newContext();
  try {
    const app = await openApp(env, ctx);
    const { page } = app;
    await setView(page, 1.865, 50.966, 15);
    const [x, y] = await projectToPage(page, 1.865, 50.966);
    await page.mouse.move(x - 40, y - 40);
    await page.mouse.move(x, y, { steps: 4 });
    await page.locator(tid('info-card')).waitFor({ state: 'visible', timeout: 15_000 });
    const title = (await page.locator(tid('info-card-title')).textContent()).trim();
    assert.equal(title, 'Port of Calais (ferry berths)');
    await screenshot(page, '04-info-card-port-hover');
    await app.assertHealthy('hover');
  } finally {
    await ctx.close();
  }
});

test('text safety: HTML in feature properties is shown literally and never executed', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await env.newContext();
  try {
    const fc = await fetchJson(env.server, '/fixtures/configs/xss-cameras.geojson');
    const cam = fc.features[0];
    const [lon, lat] = cam.geometry.coordinates;
    const app = await openApp(env, ctx, { config: '/fixtures/configs/xss.json' });
    const { page } = app;
    assert.equal((await page.locator(tid('layer-count-cameras')).textContent()).trim(), String(fc.features.length));
    await setView(page, lon, lat, 15);
    const [x, y] = await projectToPage(page, lon, lat);
    await page.mouse.move(x - 30, y - 30);
    await page.mouse.move(x, y, { steps: 3 });
    await page.mouse.click(x, y);
    const card = page.locator(tid('info-card'));
    await card.waitFor({ state: 'visible', timeout: 15_000 });
    await page.waitForTimeout(500); // give an injected onerror a chance to fire
    await screenshot(page, '06-info-card-xss-literal');

    const title = await page.locator(tid('info-card-title')).textContent();
    assert.equal(title.trim(), cam.properties.name, 'the title shows the name characters literally');
    const rows = (await page.locator(tid('info-card-row')).allTextContents()).join('\n');
    assert.ok(rows.includes(cam.properties.kind), `the kind is shown literally in the rows: ${rows}`);
    const injected = await card.evaluate((el) => el.querySelectorAll('img, script, b, iframe, svg image').length);
    assert.equal(injected, 0, 'no element was created from feature text');
    assert.equal(await page.evaluate(() => typeof window.__xss), 'undefined', 'window.__xss must stay undefined');
    assert.equal(await page.evaluate(() => document.querySelectorAll('img[src="x"]').length), 0);
    await app.assertHealthy('xss');
  } finally {
    await ctx.close();
  }
});

