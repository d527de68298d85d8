// 3. Keyboard and button zoom change the scale bar; wheel and double-click zoom at the
//    cursor; drag and arrow keys pan; the coordinate readout follows the mouse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  sharedEnv, openApp, setView, view, project, projectToPage, frameCount, waitForNewFrame, waitForSettled, parseDistance, parseCoords, screenshot, tid, CANVAS, TEST_TIMEOUT,
} from './harness.mjs';

const env = sharedEnv();

const label = async (page) => (await page.locator(tid('scale-bar-label')).textContent()).trim();

async function press(page, key) {
  const before = await frameCount(page);
  await page.keyboard.press(key);
  await waitForNewFrame(page, before);
}

test('keyboard "+"/"="/"-" on the focused canvas change zoom and the scale bar', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await env.newContext();
  try {
    const app = await openApp(env, ctx);
    const { page } = app;
    await setView(page, 1.82, 50.945, 11);
    // setView does not move focus: the canvas is still the focused element from the start.
    await page.locator(CANVAS).focus();
    const l0 = await label(page);
    const z0 = (await view(page)).zoom;
    await press(page, '+');
    await press(page, '+');
    const l1 = await label(page);
    const z1 = (await view(page)).zoom;
    await screenshot(page, '03-keyboard-zoomed-in');
    assert.ok(z1 > z0, `"+" twice: zoom ${z0} → ${z1}`);
    assert.ok(parseDistance(l1) < parseDistance(l0), `"+" twice: scale bar ${l0} → ${l1} must be a smaller distance`);

    await press(page, '-');
    await press(page, '-');
    const l2 = await label(page);
    const z2 = (await view(page)).zoom;
    assert.ok(z2 < z1, `"-" twice: zoom ${z1} → ${z2}`);
    assert.ok(parseDistance(l2) > parseDistance(l1), `"-" twice: scale bar ${l1} → ${l2} must be a larger distance`);

    await press(page, '=');
    const z3 = (await view(page)).zoom;
    assert.ok(z3 > z2, `"=" zooms in: ${z2} → ${z3}`);
    await app.assertHealthy('keyboard zoom');
  } finally {
    await ctx.close();
  }
});

test('zoom-in / zoom-out / fit-region buttons', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await env.newContext();
  try {
    const app = await openApp(env, ctx);
    const { page } = app;
    await setView(page, 1.82, 50.945, 11);
    const l0 = await label(page);
    const z0 = (await view(page)).zoom;
    let f = await frameCount(page);
    await page.locator(tid('zoom-in')).click();
    await waitForNewFrame(page, f);
    f = await frameCount(page);
    await page.locator(tid('zoom-in')).click();
    await waitForNewFrame(page, f);
    const l1 = await label(page);
    const z1 = (await view(page)).zoom;
    assert.ok(z1 > z0, `zoom-in: ${z0} → ${z1}`);
    assert.ok(parseDistance(l1) < parseDistance(l0), `zoom-in: scale bar ${l0} → ${l1}`);

    f = await frameCount(page);
    await page.locator(tid('zoom-out')).click();
    await waitForNewFrame(page, f);
    f = await frameCount(page);
    await page.locator(tid('zoom-out')).click();
    await waitForNewFrame(page, f);
    f = await frameCount(page);
    await page.locator(tid('zoom-out')).click();
    await waitForNewFrame(page, f);
    const l2 = await label(page);
    const z2 = (await view(page)).zoom;
    assert.ok(z2 < z1 && z2 < z0, `zoom-out: ${z1} → ${z2}`);
    assert.ok(parseDistance(l2) > parseDistance(l1), `zoom-out: scale bar ${l1} → ${l2}`);

    // Somewhere far away, then fit-region brings Calais back into view.
    await setView(page, 4.5, 52.3, 14);
    f = await frameCount(page);
    await page.locator(tid('fit-region')).click();
    await waitForNewFrame(page, f);
    const v = await view(page);
    const [x, y] = await project(page, 1.85, 50.95);
    assert.ok(x > 0 && y > 0 && x < v.width && y < v.height, `fit-region shows Calais: project → ${x},${y} in ${v.width}x${v.height}`);
    const [qx, qy] = await project(page, 1.78, 50.93); // Coquelles
    assert.ok(qx > 0 && qy > 0 && qx < v.width && qy < v.height, `fit-region shows Coquelles: ${qx},${qy}`);
    await screenshot(page, '03-fit-region');
    await app.assertHealthy('buttons');
  } finally {
    await ctx.close();
  }
});

test('wheel and double-click zoom at the cursor; drag pans with the mouse', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await env.newContext();
  try {
    const app = await openApp(env, ctx);
    const { page } = app;
    await setView(page, 1.82, 50.945, 12);
    // A point off-centre: zooming must keep it under the cursor.
    const P = [1.87, 50.96];
    let [mx, my] = await projectToPage(page, ...P);
    await page.mouse.move(mx, my);
    const z0 = (await view(page)).zoom;
    let f = await frameCount(page);
    await page.mouse.wheel(0, -300);
    await waitForNewFrame(page, f, { quietMs: 600 });
    const z1 = (await view(page)).zoom;
    assert.ok(z1 > z0, `wheel up zooms in: ${z0} → ${z1}`);
    let [px, py] = await projectToPage(page, ...P);
    assert.ok(Math.hypot(px - mx, py - my) < 3, `wheel zoom keeps the point under the cursor: (${mx},${my}) → (${px},${py})`);

    f = await frameCount(page);
    await page.mouse.wheel(0, 300);
    await waitForNewFrame(page, f, { quietMs: 600 });
    assert.ok((await view(page)).zoom < z1, 'wheel down zooms out');

    // Double-click zooms in at the cursor.
    [mx, my] = await projectToPage(page, ...P);
    const z2 = (await view(page)).zoom;
    f = await frameCount(page);
    await page.mouse.dblclick(mx, my);
    await waitForNewFrame(page, f, { quietMs: 600 });
    const z3 = (await view(page)).zoom;
    assert.ok(z3 > z2, `double-click zooms in: ${z2} → ${z3}`);
    [px, py] = await projectToPage(page, ...P);
    assert.ok(Math.hypot(px - mx, py - my) < 3, `double-click keeps the point under the cursor: (${mx},${my}) → (${px},${py})`);
    await page.keyboard.press('Escape'); // a click may have pinned an info card

    // Drag: the point under the mouse follows it.
    const v = await view(page);
    const box = await page.locator(CANVAS).boundingBox();
    const sx = box.x + v.width / 2;
    const sy = box.y + v.height / 2;
    const before = [v.lon, v.lat]; // the view centre is under the mouse at the start
    f = await frameCount(page);
    await page.mouse.move(sx, sy);
    await page.mouse.down();
    await page.mouse.move(sx - 100, sy - 50, { steps: 5 });
    await page.mouse.move(sx - 200, sy - 100, { steps: 5 });
    await page.mouse.up();
    await waitForNewFrame(page, f, { quietMs: 600 });
    const [dx, dy] = await projectToPage(page, ...before);
    assert.ok(Math.hypot(dx - (sx - 200), dy - (sy - 100)) < 4,
      `drag by (-200,-100): the grabbed point should be at (${sx - 200},${sy - 100}), is at (${dx},${dy})`);
    const va = await view(page);
    assert.ok(va.lon > v.lon && va.lat < v.lat, `dragging up-left moves the view east and south: ${JSON.stringify([v.lon, v.lat])} → ${JSON.stringify([va.lon, va.lat])}`);
    await screenshot(page, '03-after-wheel-dblclick-drag');
    await app.assertHealthy('mouse');
  } finally {
    await ctx.close();
  }
});

test('arrow keys pan the map', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await env.newContext();
  try {
    const app = await openApp(env, ctx);
    const { page } = app;
    await setView(page, 1.82, 50.945, 12);
    await page.locator(CANVAS).focus();
    const moves = { ArrowRight: ['lon', +1], ArrowLeft: ['lon', -1], ArrowUp: ['lat', +1], ArrowDown: ['lat', -1] };
    for (const [key, [axis, sign]] of Object.entries(moves)) {
      const a = await view(page);
      await press(page, key);
      await waitForSettled(page);
      const b = await view(page);
      assert.ok(sign * (b[axis] - a[axis]) > 0, `${key} moves the view ${axis} ${sign > 0 ? '+' : '-'}: ${a[axis]} → ${b[axis]}`);
      assert.ok(Math.abs(b.zoom - a.zoom) < 1e-9, `${key} keeps the zoom`);
    }
    await app.assertHealthy('arrows');
  } finally {
    await ctx.close();
  }
});

test('coordinate readout shows the WGS84 position under the mouse', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await env.newContext();
  try {
    const app = await openApp(env, ctx);
    const { page } = app;
    await setView(page, 1.86, 50.96, 14);
    const P = { lon: 1.865, lat: 50.966 };
    const [mx, my] = await projectToPage(page, P.lon, P.lat);
    await page.mouse.move(mx - 10, my - 10);
    await page.mouse.move(mx, my);
    // The readout's WGS84 line (issue 14: decimal degrees by default; Lambert-93 and the BNG
    // beside it, tests/e2e/grids.test.mjs).
    const readout = page.locator(tid('coord-wgs84'));
    await page.waitForFunction(
      (sel) => /° N/.test(document.querySelector(sel)?.textContent || ''),
      tid('coord-wgs84'), { timeout: 10_000 });
    const text = (await readout.textContent()).trim();
    assert.match(text, /^\d{1,2}\.\d{6}° N, \d{1,3}\.\d{6}° E$/, `readout format: ${JSON.stringify(text)}`);
    const got = parseCoords(text);
    // At zoom 14 a CSS px is ~1e-4°; allow two px.
    assert.ok(Math.abs(got.lat - P.lat) < 2e-4 && Math.abs(got.lon - P.lon) < 2e-4,
      `readout ${text} for the mouse at ${P.lat}, ${P.lon}`);
    await app.assertHealthy('readout');
  } finally {
    await ctx.close();
  }
});
