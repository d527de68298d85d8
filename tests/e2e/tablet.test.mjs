// Issue 14 item 1: the tablet layout at 768 × 1024 (portrait) and 1024 × 768 (landscape) with
// touch emulation (hasTouch, isMobile; the layout comes from the media query, `?mode=tablet`
// forces it): panels are bottom sheets (collapsed by default, one at a time, half or full),
// every visible control is at least 44 × 44 CSS px, the map fraction of each sheet state, a
// tap on a camera under an incident opens the chooser and both can be opened, a pinch on the
// map with a sheet open zooms the map (not the page), a fly-to puts the incident at the centre
// of the visible part, and the critical banner's box meets no button or card. Screenshots in
// English and French, portrait and landscape.
//
// The demo server plays a scenario a few seconds after the page is live (alerts are raised
// only for live changes): an incident on an isolated camera, and one entering the Coquelles
// terminal, a critical zone (the banner).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  startDemoServer, launchBrowser, openApp, setView, view, projectToPage, frameCount, waitForNewFrame,
  waitForIncidentFacts, screenshot, tid, PUBLIC, TEST_TIMEOUT,
} from './harness.mjs';
import { touchTargets, mapFraction, buttonAndCardBoxes, overlaps, freeRect, twoFingers } from './tablet-measure.mjs';

const DELAY_MS = 8_000;
const PORTRAIT = { width: 768, height: 1024 };
const LANDSCAPE = { width: 1024, height: 768 };
/** The sheet shown (its `data-state` is half or full). */
const OPEN = '.sheet:not([data-state="closed"])';

/** The demo camera farthest from every other camera and port (harness isolatedCamera, from disk). */
function isolatedCameraOnDisk() {
  const read = (f) => JSON.parse(fs.readFileSync(path.join(PUBLIC, 'data', f), 'utf8'));
  const pts = (fc) => fc.features.filter((f) => f?.geometry?.type === 'Point');
  const cams = pts(read('cameras.geojson'));
  const others = [...cams, ...pts(read('ports.geojson'))].map((f) => f.geometry.coordinates);
  const metres = (a, b) => Math.hypot((a[0] - b[0]) * Math.cos((a[1] * Math.PI) / 180), a[1] - b[1]) * 111_320;
  let best = null;
  for (const f of cams) {
    const c = f.geometry.coordinates;
    const d = Math.min(...others.filter((o) => o[0] !== c[0] || o[1] !== c[1]).map((o) => metres(c, o)));
    if (typeof f.properties?.name === 'string' && (!best || d > best.d)) best = { f, d };
  }
  return best.f;
}

const CAM = isolatedCameraOnDisk();
const iso = (ms) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
function scenario() {
  const now = iso(Date.now() - 20_000);
  const incident = (id, kind, sev, [lon, lat], description) => ({
    at_ms: DELAY_MS,
    feature: {
      type: 'Feature', id, geometry: { type: 'Point', coordinates: [lon, lat] },
      properties: { id, kind, severity: sev, status: 'open', reported_at: now, updated_at: now, description, source: 'patrol' },
    },
  });
  return {
    then: 'idle',
    events: [
      incident('tab-cam', 'vehicle_sighting', 3, CAM.geometry.coordinates, 'Vehicle next to the camera'),
      // Inside the Eurotunnel Coquelles terminal, a critical zone: its alert raises the banner.
      incident('tab-crit', 'fence_breach', 5, [1.812, 50.928], 'Fence breach in the terminal'),
    ],
  };
}

/** Opens the sheet `key` (`null`: all collapsed) at `height` (half or full) by its tab and size button. */
async function setSheet(page, key, height = 'half') {
  const open = await page.locator(OPEN).getAttribute('data-sheet').catch(() => null);
  if (key === null) {
    if (open) await page.locator(`${OPEN} ${tid('sheet-hide')}`).tap();
    await page.waitForFunction((sel) => !document.querySelector(sel), OPEN, { timeout: 5_000 });
    assert.equal(await page.locator(OPEN).count(), 0, 'every sheet collapsed');
    return;
  }
  if (open !== key) await page.locator(tid(`sheet-tab-${key}`)).tap();
  const sheet = page.locator(`.sheet[data-sheet="${key}"]${OPEN.slice(6)}`);
  await sheet.waitFor({ state: 'visible', timeout: 5_000 });
  if ((await sheet.getAttribute('data-state')) !== height) await sheet.locator(tid('sheet-size')).tap();
  assert.equal(await sheet.getAttribute('data-state'), height);
  await page.waitForTimeout(150);
}

/** Opens the card of incident `id` from the incident list (the sheet flies to it). */
async function openIncidentCard(page, id) {
  await setSheet(page, 'incidents');
  await page.locator(`${tid('incident-row')}[data-incident-id="${id}"]`).tap();
  await page.locator(`${tid('info-card')}[data-incident-id="${id}"]`).waitFor({ state: 'visible', timeout: 10_000 });
  await page.waitForTimeout(900); // the 700 ms flight lands
}

describe('tablet layout (768 × 1024 and 1024 × 768, touch)', () => {
  let server, browser, ctx, page, cdp;
  const figures = {};

  before(async () => {
    server = await startDemoServer({ scenario: scenario(), firstSeq: 1, heartbeatMs: 1000 });
    browser = await launchBrowser();
    ctx = await browser.newContext({ viewport: PORTRAIT, hasTouch: true, isMobile: true, deviceScaleFactor: 1 });
    ({ page } = await openApp({ server }, ctx));
    cdp = await page.context().newCDPSession(page);
    await waitForIncidentFacts(page, (f) => f.status?.status === 'live', { what: 'feed live', timeout: 30_000 });
    await page.locator(tid('critical-flash')).waitFor({ state: 'attached', timeout: DELAY_MS + 30_000 });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="alert-row"]').length > 0);
  });

  after(async () => {
    if (Object.keys(figures).length) console.log('tablet figures', JSON.stringify(figures, null, 1));
    await ctx?.close();
    await browser?.close();
    await server?.kill();
  });

  test('a touch tablet gets the tablet layout; sheets collapse to the tab bar by default', { timeout: TEST_TIMEOUT }, async () => {
    assert.equal(await page.locator('main.app').getAttribute('data-mode'), 'tablet', 'the media query picks the tablet layout');
    assert.equal(await page.locator(OPEN).count(), 0, 'no sheet open at start');
    assert.ok(await page.locator(tid('tab-bar')).isVisible());
    assert.deepEqual(
      await page.$$eval('[data-testid^="sheet-tab-"]', (t) => t.map((e) => e.dataset.testid)),
      ['sheet-tab-incidents', 'sheet-tab-layers'],
    );
    // The layer panel can be hidden now: collapsed, it is not shown.
    assert.equal(await page.locator(tid('layer-panel')).isVisible(), false);
    const vp = await page.evaluate(() => document.querySelector('meta[name="viewport"]').content);
    assert.ok(!/user-scalable|maximum-scale/.test(vp), `browser zoom allowed: ${vp}`);
  });

  for (const [name, size] of [['portrait', PORTRAIT], ['landscape', LANDSCAPE]]) {
    test(`${name}: every control ≥ 44 × 44, the map fraction per sheet state, the banner in its own place`, { timeout: TEST_TIMEOUT }, async () => {
      await page.setViewportSize(size);
      await page.waitForTimeout(300);
      const states = [
        ['collapsed', () => setSheet(page, null)],
        ['layers half', () => setSheet(page, 'layers', 'half')],
        ['layers full', () => setSheet(page, 'layers', 'full')],
        ['incidents half', () => setSheet(page, 'incidents', 'half')],
        ['incidents full', () => setSheet(page, 'incidents', 'full')],
        ['card half', async () => { await openIncidentCard(page, 'tab-cam'); await setSheet(page, 'card', 'half'); }],
      ];
      figures[name] = {};
      for (const [state, go] of states) {
        await go();
        const targets = await touchTargets(page);
        assert.ok(targets.all.length >= 5, `${name} ${state}: controls found: ${targets.all.length}`);
        assert.deepEqual(targets.small, [], `${name} ${state}: controls under 44 × 44 CSS px`);
        const fraction = await mapFraction(page);
        figures[name][state] = { map: Math.round(fraction * 1000) / 10, controls: targets.all.length };
        // The banner has a lane of its own: it meets no button and no card.
        const banner = await page.locator('.critical-banner').boundingBox();
        assert.ok(banner && banner.height > 0, `${name} ${state}: the critical banner shows`);
        const hit = (await buttonAndCardBoxes(page)).filter((b) => overlaps(b, { x: banner.x, y: banner.y, w: banner.width, h: banner.height }));
        assert.deepEqual(hit, [], `${name} ${state}: the critical banner covers nothing`);
        await screenshot(page, `14-tablet-${name}-${state.replace(' ', '-')}`);
      }
      const f = figures[name];
      // With the critical banner and three alerts in the ticker (bench/tablet.mjs measures without).
      assert.ok(f.collapsed.map >= 60, `${name}: collapsed, most of the screen is map: ${f.collapsed.map} %`);
      assert.ok(f['layers half'].map >= 30, `${name}: a half sheet leaves the map usable: ${f['layers half'].map} %`);
      await setSheet(page, null);
    });
  }

  test('a tap on a camera under an incident opens the chooser; both can be opened', { timeout: TEST_TIMEOUT }, async () => {
    await page.setViewportSize(PORTRAIT);
    await setSheet(page, null);
    const [lon, lat] = CAM.geometry.coordinates;
    await setView(page, lon, lat, 16);
    const [x, y] = await projectToPage(page, lon, lat);
    const chooser = page.locator(tid('tap-chooser'));
    await page.touchscreen.tap(x + 6, y + 4);
    await chooser.waitFor({ state: 'visible', timeout: 10_000 });
    const kinds = await page.$$eval('[data-testid="tap-choice"]', (r) => r.map((e) => e.dataset.kind));
    assert.ok(kinds.includes('incident') && kinds.includes('cameras'), `the incident and the camera: ${kinds}`);
    assert.equal(kinds[0], 'incident', 'the incident, drawn on top, first');
    await screenshot(page, '14-tablet-chooser');
    await page.locator(`${tid('tap-choice')}[data-kind="cameras"]`).tap();
    await page.locator(tid('info-card-title')).waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal((await page.locator(tid('info-card-title')).textContent()).trim(), CAM.properties.name);
    assert.equal(await chooser.count(), 0, 'the chooser closes once a choice is made');
    await setSheet(page, null);
    await setView(page, lon, lat, 16);
    await page.touchscreen.tap(x + 6, y + 4);
    await chooser.waitFor({ state: 'visible', timeout: 10_000 });
    await page.locator(`${tid('tap-choice')}[data-kind="incident"]`).tap();
    await page.locator(`${tid('info-card')}[data-incident-id="tab-cam"]`).waitFor({ state: 'visible', timeout: 10_000 });
    await setSheet(page, null);
  });

  test('a pinch on the map with a sheet open zooms the map, not the page', { timeout: TEST_TIMEOUT }, async () => {
    await page.setViewportSize(PORTRAIT);
    await setView(page, 1.82, 50.945, 12);
    await setSheet(page, 'layers', 'half');
    const free = await freeRect(page);
    const [cx, cy] = [free.x + free.w / 2, free.y + free.h / 2];
    const v0 = await view(page);
    const f = await frameCount(page);
    await twoFingers(cdp, [cx - 40, cy], [cx + 40, cy], [cx - 150, cy], [cx + 150, cy]);
    await waitForNewFrame(page, f, { quietMs: 700 });
    const v1 = await view(page);
    assert.ok(v1.zoom > v0.zoom + 0.5, `the map zooms in with the sheet open: ${v0.zoom} → ${v1.zoom}`);
    assert.equal(await page.evaluate(() => visualViewport.scale), 1, 'the page did not zoom');
    assert.equal(await page.locator(`.sheet[data-sheet="layers"]${OPEN.slice(6)}`).count(), 1, 'the sheet stays open');
    // A sheet leaves pinching to the browser (it zooms the page); the map ignores it.
    const touchAction = await page.$eval(`${OPEN} .sheet-body`, (e) => getComputedStyle(e).touchAction);
    assert.notEqual(touchAction, 'none');
    assert.equal(await page.$eval(tid('map-canvas'), (e) => getComputedStyle(e).touchAction), 'none');
    const box = await page.locator(`${OPEN} .sheet-body`).boundingBox();
    const [sx, sy] = [box.x + box.width / 2, box.y + box.height / 2];
    await twoFingers(cdp, [sx - 40, sy], [sx + 40, sy], [sx - 150, sy], [sx + 150, sy]);
    await page.waitForTimeout(600);
    const v2 = await view(page);
    assert.equal(v2.zoom, v1.zoom, 'a pinch on the sheet does not zoom the map');
    figures.pinchOnSheetPageScale = await page.evaluate(() => visualViewport.scale);
    assert.ok(figures.pinchOnSheetPageScale > 1, `the browser zoomed the page: ${figures.pinchOnSheetPageScale}`);
    // Back to the page's own scale for the next tests.
    await cdp.send('Emulation.setPageScaleFactor', { pageScaleFactor: 1 });
    await page.waitForFunction(() => visualViewport.scale === 1, null, { timeout: 5_000 });
    await setSheet(page, null);
  });

  for (const [name, size] of [['portrait', PORTRAIT], ['landscape', LANDSCAPE]]) {
    test(`${name}: a fly-to puts the incident at the centre of the visible part of the map`, { timeout: TEST_TIMEOUT }, async () => {
      await page.setViewportSize(size);
      await setView(page, 1.6, 50.8, 10);
      await openIncidentCard(page, 'tab-crit');
      const free = await freeRect(page);
      const [px, py] = await projectToPage(page, 1.812, 50.928);
      const [cx, cy] = [free.x + free.w / 2, free.y + free.h / 2];
      assert.ok(Math.hypot(px - cx, py - cy) < 4, `${name}: the incident at (${px}, ${py}), the visible part's centre (${cx}, ${cy})`);
      const covered = await page.$$eval('[data-map-reserved]', (els, [px, py]) => els.map((e) => e.getBoundingClientRect())
        .filter((r) => px >= r.left && px < r.right && py >= r.top && py < r.bottom).length, [px, py]);
      assert.equal(covered, 0, `${name}: no panel covers the incident`);
      // The card's actions are at its bottom edge, within a thumb's reach.
      const hide = await page.locator(`${OPEN} ${tid('sheet-hide')}`).boundingBox();
      assert.ok(hide.y + hide.height > size.height - 56 - 80, `${name}: the close button at the bottom: ${JSON.stringify(hide)}`);
      await screenshot(page, `14-tablet-${name}-fly-to`);
      await setSheet(page, null);
    });
  }

  test('French, ?mode=tablet forced: portrait and landscape screenshots, controls ≥ 44 × 44', { timeout: TEST_TIMEOUT }, async () => {
    const fr = await browser.newContext({ viewport: LANDSCAPE, hasTouch: true, isMobile: true, deviceScaleFactor: 1 });
    try {
      const app = await openApp({ server }, fr, { query: 'mode=tablet&lang=fr' });
      const p = app.page;
      assert.equal(await p.locator('main.app').getAttribute('data-mode'), 'tablet');
      assert.equal((await p.locator(tid('sheet-tab-layers')).textContent()).trim(), 'Couches');
      await screenshot(p, '14-tablet-fr-landscape');
      await setSheet(p, 'layers', 'half');
      assert.deepEqual((await touchTargets(p)).small, []);
      assert.equal((await p.locator(`${OPEN} ${tid('sheet-hide')}`).textContent()).trim(), 'Masquer');
      await screenshot(p, '14-tablet-fr-landscape-layers');
      await p.setViewportSize(PORTRAIT);
      await openIncidentCard(p, 'tab-cam');
      assert.deepEqual((await touchTargets(p)).small, []);
      await screenshot(p, '14-tablet-fr-portrait-card');
      await app.assertHealthy('tablet fr');
    } finally {
      await fr.close();
    }
  });
});
