// Issue 14 item 2, where am I: the `locate-me` button asks the browser for the position only when
// tapped (Playwright's geolocation emulation), shows it with its accuracy circle on the map and
// lists the open incidents, cameras and zones within the chosen radius, nearest first with
// distance and bearing; a row opens its thing. A refused permission is explained and not asked
// again by itself; a position outside the region is said. Screenshots in
// target/e2e-screenshots/14-locate-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  sharedEnv, openApp, project, sampleColours, screenshot, tid, waitForSettled, TEST_TIMEOUT,
} from './harness.mjs';

const env = sharedEnv();

/** Counts the page's calls of getCurrentPosition and watchPosition (run before the app). */
const COUNT_CALLS = `
  window.__geoCalls = { current: 0, watch: 0 };
  const g = navigator.geolocation;
  if (g) {
    const cur = g.getCurrentPosition.bind(g);
    const watch = g.watchPosition.bind(g);
    g.getCurrentPosition = (...a) => { window.__geoCalls.current++; return cur(...a); };
    g.watchPosition = (...a) => { window.__geoCalls.watch++; return watch(...a); };
  }
`;
const calls = (page) => page.evaluate(() => window.__geoCalls);

/** Ground metres between two WGS84 positions (Vincenty's inverse on the ellipsoid). */
function vincenty([lon1, lat1], [lon2, lat2]) {
  const a = 6378137, f = 1 / 298.257223563, b = a * (1 - f);
  const rad = Math.PI / 180;
  const L = (lon2 - lon1) * rad;
  const U1 = Math.atan((1 - f) * Math.tan(lat1 * rad)), U2 = Math.atan((1 - f) * Math.tan(lat2 * rad));
  const [sU1, cU1, sU2, cU2] = [Math.sin(U1), Math.cos(U1), Math.sin(U2), Math.cos(U2)];
  let lam = L, prev, sS, cS, sig, ca2, c2sm;
  do {
    const sl = Math.sin(lam), cl = Math.cos(lam);
    sS = Math.hypot(cU2 * sl, cU1 * sU2 - sU1 * cU2 * cl);
    if (sS === 0) return 0;
    cS = sU1 * sU2 + cU1 * cU2 * cl;
    sig = Math.atan2(sS, cS);
    const sa = (cU1 * cU2 * sl) / sS;
    ca2 = 1 - sa * sa;
    c2sm = ca2 ? cS - (2 * sU1 * sU2) / ca2 : 0;
    const C = (f / 16) * ca2 * (4 + f * (4 - 3 * ca2));
    prev = lam;
    lam = L + (1 - C) * f * sa * (sig + C * sS * (c2sm + C * cS * (-1 + 2 * c2sm * c2sm)));
  } while (Math.abs(lam - prev) > 1e-12);
  const u2 = (ca2 * (a * a - b * b)) / (b * b);
  const A = 1 + (u2 / 16384) * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)));
  const B = (u2 / 1024) * (256 + u2 * (-128 + u2 * (74 - 47 * u2)));
  const dS = B * sS * (c2sm + (B / 4) * (cS * (-1 + 2 * c2sm * c2sm) - (B / 6) * c2sm * (-3 + 4 * sS * sS) * (-3 + 4 * c2sm * c2sm)));
  return b * A * (sig - dS);
}

const rowsOf = (page) => page.locator(tid('locate-row')).evaluateAll((els) =>
  els.map((e) => ({ kind: e.dataset.kind, id: e.dataset.id, m: Number(e.dataset.distanceM), text: e.textContent })));

test('granted: the position, its accuracy circle and what is near, nearest first; a row opens its camera', { timeout: TEST_TIMEOUT }, async () => {
  // Inside the Eurotunnel terminal at Coquelles (a demo zone), 40 m accuracy.
  const here = { longitude: 1.8150, latitude: 50.9250, accuracy: 40 };
  const ctx = await env.newContext({ geolocation: here, permissions: ['geolocation'] });
  try {
    const app = await openApp(env, ctx, { initScripts: [COUNT_CALLS] });
    const { page } = app;
    // Nothing asked before the tap.
    assert.deepEqual(await calls(page), { current: 0, watch: 0 });
    assert.equal(await page.evaluate(() => window.calaisMap.device()), null);
    const button = page.locator(tid('locate-me'));
    const box = await button.boundingBox();
    assert.ok(box.width >= 44 && box.height >= 44, `touch target ${box.width}x${box.height}`);

    await button.click();
    const status = page.locator(tid('locate-status'));
    await page.waitForSelector(`${tid('locate-status')}[data-state="found"]`);
    assert.match(await status.textContent(), /50\.92500° N, 1\.81500° E ± 40 m/);
    assert.deepEqual(await calls(page), { current: 1, watch: 0 });
    const device = await page.evaluate(() => window.calaisMap.device());
    assert.deepEqual(device, { lon: 1.815, lat: 50.925, accuracy_m: 40 });

    // The list at the default 500 m: the terminal zone first (inside, 0 m), then cameras.
    await page.waitForSelector(tid('locate-row'));
    let rows = await rowsOf(page);
    assert.equal(rows[0].kind, 'zone');
    assert.equal(rows[0].id, 'eurotunnel-coquelles');
    assert.equal(rows[0].m, 0);
    assert.match(rows[0].text, /you are inside/);
    for (let i = 1; i < rows.length; i++) assert.ok(rows[i - 1].m <= rows[i].m, `nearest first: ${JSON.stringify(rows)}`);
    assert.ok(rows.every((r) => r.m <= 500), 'all within 500 m');
    // Camera distances are the ellipsoid's (to 0.1 m, as listed) and bearings have a compass point.
    const cams = await page.evaluate(() => fetch('public/data/cameras.geojson').then((r) => r.json()));
    const camAt = new Map(cams.features.map((f) => [f.id, f.geometry.coordinates]));
    const camRows = rows.filter((r) => r.kind === 'camera');
    assert.ok(camRows.length >= 1, `cameras within 500 m: ${JSON.stringify(rows)}`);
    for (const r of camRows) {
      const d = vincenty([here.longitude, here.latitude], camAt.get(r.id));
      assert.ok(Math.abs(d - r.m) < 0.11, `${r.id}: listed ${r.m} m, ellipsoid ${d.toFixed(2)} m`);
      assert.match(r.text, /· (N|NNE|NE|ENE|E|ESE|SE|SSE|S|SSW|SW|WSW|W|WNW|NW|NNW) \d{1,3}°/);
    }
    // Every demo camera within 500 m is listed.
    const expected = [...camAt].filter(([, p]) => vincenty([here.longitude, here.latitude], p) <= 500).map(([id]) => id).sort();
    assert.deepEqual(camRows.map((r) => r.id).sort(), expected);

    // The position and its accuracy circle on the map: the blue dot at the position.
    await waitForSettled(page);
    const at = await project(page, here.longitude, here.latitude);
    const [dot] = await sampleColours(page, [at], 2);
    assert.ok(dot[2] > 200 && dot[0] < 90, `the position's dot is blue: ${dot}`);
    await screenshot(page, '14-locate-found');

    // A smaller radius lists fewer, all within it; a larger one more.
    await page.locator(tid('locate-radius')).selectOption('250');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="locate-row"]')]
      .every((e) => Number(e.dataset.distanceM) <= 250));
    const small = await rowsOf(page);
    assert.ok(small.length <= rows.length);
    await page.locator(tid('locate-radius')).selectOption('2000');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="locate-row"]').length > n, small.length);
    rows = await rowsOf(page);
    assert.ok(rows.some((r) => r.m > 500), 'the 2 km radius lists farther things');

    // Tapping a camera row opens its card.
    const cam = (await rowsOf(page)).find((r) => r.kind === 'camera');
    await page.locator(`${tid('locate-row')}[data-id="${cam.id}"]`).click();
    await page.waitForSelector(tid('info-card'));
    assert.match(await page.locator(tid('info-card')).textContent(), new RegExp(cam.id.replace('cam-', '')));

    // Closing the panel hides the position.
    await page.locator(tid('locate-close')).click();
    assert.equal(await page.locator(tid('locate-panel')).count(), 0);
    assert.equal(await page.evaluate(() => window.calaisMap.device()), null);
    assert.deepEqual(await calls(page), { current: 1, watch: 0 }, 'asked once, for the one tap');
    await app.assertHealthy('locate granted');
  } finally {
    await ctx.close();
  }
});

test('denied: explained, not asked again by itself; asked again only on the next tap (and in French)', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await env.newContext({ geolocation: { longitude: 1.85, latitude: 50.95 } });
  try {
    await ctx.clearPermissions();
    const app = await openApp(env, ctx, { initScripts: [COUNT_CALLS] });
    const { page } = app;
    await page.locator(tid('locate-me')).click();
    await page.waitForSelector(`${tid('locate-status')}[data-state="denied"]`);
    const text = await page.locator(tid('locate-status')).textContent();
    assert.match(text, /permission refused/i);
    assert.match(text, /allow location for this site/i);
    assert.equal(await page.locator(tid('locate-row')).count(), 0);
    assert.equal(await page.evaluate(() => window.calaisMap.device()), null);
    await page.waitForTimeout(3000);
    assert.deepEqual(await calls(page), { current: 1, watch: 0 }, 'no retry loop');
    await screenshot(page, '14-locate-denied');
    await page.locator(tid('locate-me')).click();
    await page.waitForFunction(() => window.__geoCalls.current === 2);
    await page.waitForSelector(`${tid('locate-status')}[data-state="denied"]`);
    await app.assertHealthy('locate denied');

    const fr = await openApp(env, ctx, { query: 'lang=fr', initScripts: [COUNT_CALLS] });
    await fr.page.locator(tid('locate-me')).click();
    await fr.page.waitForSelector(`${tid('locate-status')}[data-state="denied"]`);
    assert.match(await fr.page.locator(tid('locate-status')).textContent(), /Autorisation de localisation refusée/);
    await fr.assertHealthy('locate denied, French');
  } finally {
    await ctx.close();
  }
});

test('a position outside the region is said, and nothing listed', { timeout: TEST_TIMEOUT }, async () => {
  // Paris: south of the Channel region.
  const ctx = await env.newContext({ geolocation: { longitude: 2.3522, latitude: 48.8566, accuracy: 20 }, permissions: ['geolocation'] });
  try {
    const app = await openApp(env, ctx);
    const { page } = app;
    const before = await page.evaluate(() => window.calaisMap.view());
    await page.locator(tid('locate-me')).click();
    await page.waitForSelector(`${tid('locate-status')}[data-state="outside"]`);
    assert.match(await page.locator(tid('locate-status')).textContent(), /outside the map’s region/);
    assert.equal(await page.locator(tid('locate-row')).count(), 0);
    const after = await page.evaluate(() => window.calaisMap.view());
    assert.equal(after.zoom, before.zoom, 'the map is not flown away');
    await screenshot(page, '14-locate-outside');
    await app.assertHealthy('locate outside');
  } finally {
    await ctx.close();
  }
});
