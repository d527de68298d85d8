// 7. Touch: pinch-out zooms in about the fingers' midpoint, a two-finger drag pans, a tap
//    on a camera opens its info card. Real touch input through CDP Input.dispatchTouchEvent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  sharedEnv, openApp, setView, view, projectToPage, frameCount, waitForNewFrame, isolatedCamera, screenshot, canvasBox, tid, TEST_TIMEOUT,
} from './harness.mjs';
import { twoFingers as twoFingerGesture } from './tablet-measure.mjs';

const env = sharedEnv();

test('pinch-out zooms in about the midpoint; two-finger drag pans', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await env.newContext({ hasTouch: true });
  try {
    const app = await openApp(env, ctx);
    const { page } = app;
    const cdp = await page.context().newCDPSession(page);
    await setView(page, 1.82, 50.945, 12);
    const v0 = await view(page);
    const box = await canvasBox(page);
    const cx = box.x + v0.width / 2;
    const cy = box.y + v0.height / 2;

    let f = await frameCount(page);
    await twoFingerGesture(cdp, [cx - 50, cy], [cx + 50, cy], [cx - 200, cy], [cx + 200, cy]);
    await waitForNewFrame(page, f, { quietMs: 700 });
    const v1 = await view(page);
    assert.ok(v1.zoom > v0.zoom + 0.5, `pinch-out (fingers 100 → 400 px apart) zooms in: ${v0.zoom} → ${v1.zoom}`);
    const [px, py] = await projectToPage(page, v0.lon, v0.lat);
    assert.ok(Math.hypot(px - cx, py - cy) < 6, `the point between the fingers stays put: (${cx},${cy}) → (${px},${py})`);
    await screenshot(page, '07-touch-after-pinch');

    // Two-finger drag by (+150, +80): the point under the fingers' midpoint follows them.
    f = await frameCount(page);
    await twoFingerGesture(cdp, [cx - 60, cy], [cx + 60, cy], [cx + 90, cy + 80], [cx + 210, cy + 80]);
    await waitForNewFrame(page, f, { quietMs: 700 });
    const v2 = await view(page);
    assert.ok(Math.abs(v2.zoom - v1.zoom) < 0.05, `two-finger drag keeps the zoom: ${v1.zoom} → ${v2.zoom}`);
    assert.ok(v2.lon < v1.lon && v2.lat > v1.lat, `dragging right-down moves the view west and north: ${[v1.lon, v1.lat]} → ${[v2.lon, v2.lat]}`);
    const [qx, qy] = await projectToPage(page, v1.lon, v1.lat);
    assert.ok(Math.hypot(qx - (cx + 150), qy - (cy + 80)) < 6, `the grabbed point follows the fingers to (${cx + 150},${cy + 80}), is at (${qx},${qy})`);
    await screenshot(page, '07-touch-after-two-finger-pan');
    await app.assertHealthy('touch');
  } finally {
    await ctx.close();
  }
});

test('a tap on a camera opens its info card', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await env.newContext({ hasTouch: true });
  try {
    const cam = await isolatedCamera(env.server);
    const [lon, lat] = cam.geometry.coordinates;
    const app = await openApp(env, ctx);
    const { page } = app;
    await setView(page, lon, lat, 15);
    const [x, y] = await projectToPage(page, lon, lat);
    await page.touchscreen.tap(x, y);
    await page.locator(tid('info-card')).waitFor({ state: 'visible', timeout: 15_000 });
    assert.equal((await page.locator(tid('info-card-title')).textContent()).trim(), cam.properties.name);
    await screenshot(page, '07-touch-tap-info-card');
    await app.assertHealthy('tap');
  } finally {
    await ctx.close();
  }
});
