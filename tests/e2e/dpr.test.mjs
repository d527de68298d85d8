// 8. devicePixelRatio 2: the canvas backing store is 2× its CSS size, and follows resizes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  sharedEnv, openApp, view, project, sampleColours, setView, screenshot, colourKey, colourDist, CANVAS, TEST_TIMEOUT,
} from './harness.mjs';

const env = sharedEnv();

async function canvasSize(page) {
  return page.$eval(CANVAS, (c) => {
    const r = c.getBoundingClientRect();
    return { w: c.width, h: c.height, cssW: r.width, cssH: r.height, dpr: window.devicePixelRatio };
  });
}

test('devicePixelRatio 2: canvas is 2× its CSS size, sharp, and follows a viewport resize', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await env.newContext({ viewport: { width: 900, height: 600 }, deviceScaleFactor: 2 });
  try {
    const app = await openApp(env, ctx);
    const { page } = app;
    const s0 = await canvasSize(page);
    assert.equal(s0.dpr, 2);
    assert.equal(s0.w, Math.round(2 * s0.cssW), `width attribute ${s0.w} == 2 × CSS width ${s0.cssW}`);
    assert.equal(s0.h, Math.round(2 * s0.cssH), `height attribute ${s0.h} == 2 × CSS height ${s0.cssH}`);
    assert.equal(s0.cssW, 900);
    const v0 = await view(page);
    assert.equal(v0.dpr, 2, `view().dpr: ${JSON.stringify(v0)}`);
    assert.equal(v0.width, 900, 'view().width is in CSS px');

    // Land and sea both drawn at device resolution.
    await setView(page, 1.68, 50.95, 10);
    const [cal, ch] = await sampleColours(page, [await project(page, 1.85, 50.95), await project(page, 1.5, 50.95)], 3);
    assert.ok(colourDist(cal, ch) > 12, `Calais ${colourKey(cal)} vs Channel ${colourKey(ch)} at dpr 2`);
    await screenshot(page, '08-dpr2-900x600');

    await page.setViewportSize({ width: 1200, height: 700 });
    await page.waitForFunction(
      (sel) => {
        const c = document.querySelector(sel);
        return c.width === 2400 && c.height === 1400;
      },
      CANVAS, { timeout: 30_000 },
    ).catch(async () => {
      throw new Error(`canvas not resized to 2400x1400: ${JSON.stringify(await canvasSize(page))}`);
    });
    const s1 = await canvasSize(page);
    assert.equal(s1.cssW, 1200);
    assert.equal(s1.cssH, 700);
    const v1 = await view(page);
    assert.equal(v1.width, 1200);
    assert.equal(v1.height, 700);
    // The map is redrawn for the new size (no stretched or blank area).
    await page.waitForTimeout(500);
    const [cal2, ch2] = await sampleColours(page, [await project(page, 1.85, 50.95), await project(page, 1.5, 50.95)], 3);
    assert.ok(colourDist(cal2, ch2) > 12, `after resize: Calais ${colourKey(cal2)} vs Channel ${colourKey(ch2)}`);
    const [corner] = await sampleColours(page, [[1195, 695]], 2);
    assert.ok(corner && corner[3] > 0, `the new bottom-right corner is drawn: ${colourKey(corner)} alpha ${corner?.[3]}`);
    await screenshot(page, '08-dpr2-resized-1200x700');
    await app.assertHealthy('dpr');
  } finally {
    await ctx.close();
  }
});
