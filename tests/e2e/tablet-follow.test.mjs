// Issue 14 follow-ups, the tablet layout (touch emulation: hasTouch, isMobile):
//
//   the layout follows the device: a touch window resized from 1024 × 768 (tablet band) to
//     1600 × 1000 (beyond it) and back switches between the desk's panels and the bottom sheets
//     without a reload, the view, the layers, the incident filter and the open card kept; a
//     `?mode=` in the address forces its layout, which never switches;
//   drawing a zone in the tablet layout at 1024 × 768 with taps (the zone tools inside the
//     layers sheet): a triangle, named and saved, is listed and drawn on the map;
//   the sheet handle (`sheet-handle`): a drag up makes the sheet full, a tap halves it, a drag
//     down hides it (its `data-state`); the zone editor's controls and a full sheet's handle are
//     never under the left column (the feed strip and the store line), landscape and portrait.
//
// A quiet demo API (sharedEnv): no incidents, the map and its layers only.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  sharedEnv, openApp, setView, view, projectToPage, isolatedCamera, sampleColours, colourDist, waitForSettled,
  screenshot, tid, TEST_TIMEOUT,
} from './harness.mjs';

const TABLET = { width: 1024, height: 768 };
const DESK = { width: 1600, height: 1000 };
const TOUCH = { hasTouch: true, isMobile: true, deviceScaleFactor: 1 };
const OPEN = '.sheet:not([data-state="closed"])';

const modeOf = (page) => page.locator('main.app').getAttribute('data-mode');
const sheetState = (page, key) => page.locator(`.sheet[data-sheet="${key}"]`).getAttribute('data-state');

/** Resizes the window and waits for the layout `mode` (data-mode on the app root). */
async function resizeTo(page, size, mode) {
  await page.setViewportSize(size);
  await page.waitForFunction((m) => document.querySelector('main.app')?.dataset.mode === m, mode, { timeout: 10_000 });
  await waitForSettled(page);
}

/** What must survive a layout switch: the view, a layer, the filter, the card. */
async function kept(page) {
  const v = await view(page);
  return {
    lon: v.lon.toFixed(9),
    lat: v.lat.toFixed(9),
    zoom: v.zoom.toFixed(6),
    ports: await page.locator(tid('layer-toggle-ports')).isChecked(),
    severity: await page.locator(tid('incident-filter-severity')).inputValue(),
    card: (await page.locator(tid('info-card-title')).textContent())?.trim(),
  };
}

/** Opens the sheet `key` by its tab (half height). */
async function openSheet(page, key) {
  if ((await sheetState(page, key)) === 'closed') await page.locator(tid(`sheet-tab-${key}`)).tap();
  await page.locator(`.sheet[data-sheet="${key}"]${OPEN.slice(6)}`).waitFor({ state: 'visible', timeout: 5_000 });
}

async function closeSheets(page) {
  if (await page.locator(OPEN).count()) await page.locator(`${OPEN} ${tid('sheet-hide')}`).tap();
  await page.waitForFunction((sel) => !document.querySelector(sel), OPEN, { timeout: 5_000 });
}

/** Test ids of `ids` whose centre is covered by another element (what a finger there would hit). */
const covered = (page, ids) =>
  page.evaluate((ids) => ids.filter((id) => {
    const e = document.querySelector(`[data-testid="${id}"]`);
    const r = e.getBoundingClientRect();
    const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
    return !(top && (e === top || e.contains(top) || top.contains(e)));
  }), ids);

/** A one-finger drag from (x, y) by dy CSS px, in steps (CDP touch events: pointer events in the page). */
async function drag(cdp, x, y, dy) {
  const pt = (py) => [{ x, y: py, id: 0, radiusX: 6, radiusY: 6, force: 1 }];
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: pt(y) });
  for (let i = 1; i <= 12; i++) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: pt(y + (dy * i) / 12) });
  // The finger rests before it lifts: no fling (Chromium drops the next tap that stops a fling).
  await new Promise((r) => setTimeout(r, 150));
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: pt(y + dy) });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}

describe('the tablet layout follows the device; zones and the sheet handle by touch', () => {
  const env = sharedEnv();

  test('a touch window crossing the tablet band switches desk ↔ tablet, keeping view, layers, filter and card', { timeout: TEST_TIMEOUT }, async () => {
    const ctx = await env.newContext({ viewport: TABLET, ...TOUCH });
    try {
      const app = await openApp(env, ctx);
      const { page } = app;
      assert.equal(await modeOf(page), 'tablet', '1024 × 768 with a finger: the tablet layout');
      // The operator's state: a layer off, a filter, a camera's card open, a view.
      await openSheet(page, 'layers');
      await page.locator(`label:has(${tid('layer-toggle-ports')})`).tap();
      assert.equal(await page.locator(tid('layer-toggle-ports')).isChecked(), false);
      await openSheet(page, 'incidents');
      await page.locator(tid('incident-filter-severity')).selectOption('3');
      await closeSheets(page);
      const cam = await isolatedCamera(env.server);
      const [lon, lat] = cam.geometry.coordinates;
      await setView(page, lon, lat, 15);
      const [x, y] = await projectToPage(page, lon, lat);
      await page.touchscreen.tap(x, y);
      await page.locator(tid('info-card-title')).waitFor({ state: 'visible', timeout: 10_000 });
      await waitForSettled(page);
      const before = await kept(page);
      assert.equal(before.card, cam.properties.name);
      assert.equal(await sheetState(page, 'card'), 'half', 'the card is a sheet');
      await screenshot(page, '14f-follow-1-tablet');

      await resizeTo(page, DESK, 'desk');
      assert.equal(await page.locator(tid('tab-bar')).count(), 0, 'no tab bar at the desk');
      assert.ok(await page.locator(tid('layer-panel')).isVisible(), 'the desk shows the layer panel');
      assert.ok(await page.locator(tid('incident-panel')).isVisible(), 'and the incident panel');
      assert.ok(await page.locator(tid('info-card-title')).isVisible(), 'and the card');
      assert.equal(await page.locator(tid('sheet-handle')).count(), 0, 'no sheet handles at the desk');
      assert.deepEqual(await kept(page), before, 'view, layers, filter and card kept (desk)');
      const desk = await view(page);
      assert.deepEqual([desk.width, desk.height], [DESK.width, DESK.height], 'the map fills the larger window');
      await screenshot(page, '14f-follow-2-desk');

      await resizeTo(page, TABLET, 'tablet');
      assert.ok(await page.locator(tid('tab-bar')).isVisible(), 'the tab bar is back');
      assert.equal(await page.locator(tid('layer-panel')).isVisible(), false, 'the layer panel is a collapsed sheet again');
      assert.equal(await sheetState(page, 'card'), 'half', 'the card is a sheet again');
      assert.deepEqual(await kept(page), before, 'view, layers, filter and card kept (tablet)');
      await screenshot(page, '14f-follow-3-tablet-again');
      assert.equal(await page.evaluate(() => performance.getEntriesByType('navigation').length), 1, 'never reloaded');
      await app.assertHealthy('layout follows the device');
    } finally {
      await ctx.close();
    }
  });

  test('?mode= forces the layout: it never switches', { timeout: TEST_TIMEOUT }, async () => {
    const ctx = await env.newContext({ viewport: TABLET, ...TOUCH });
    try {
      const desk = await openApp(env, ctx, { query: 'mode=desk' });
      assert.equal(await modeOf(desk.page), 'desk');
      await desk.page.setViewportSize({ width: 900, height: 1100 });
      await desk.page.waitForTimeout(500);
      assert.equal(await modeOf(desk.page), 'desk', '?mode=desk stays the desk in the tablet band');
      await desk.close();
      const tablet = await openApp(env, ctx, { query: 'mode=tablet' });
      await tablet.page.setViewportSize(DESK);
      await tablet.page.waitForTimeout(500);
      assert.equal(await modeOf(tablet.page), 'tablet', '?mode=tablet stays a tablet beyond the band');
      await tablet.assertHealthy('forced modes');
    } finally {
      await ctx.close();
    }
  });

  test('a zone drawn with taps in the layers sheet (1024 × 768) is listed and drawn; the sheet handle', { timeout: TEST_TIMEOUT }, async () => {
    const ctx = await env.newContext({ viewport: TABLET, ...TOUCH });
    try {
      const app = await openApp(env, ctx);
      const { page } = app;
      const cdp = await ctx.newCDPSession(page);
      assert.equal(await modeOf(page), 'tablet');
      // Open land south-east of Calais, away from the demo layers' features.
      await setView(page, 1.93, 50.925, 15);
      const triangle = [[400, 560], [640, 560], [520, 380]];
      const centroid = [520, 500];
      const canvas = await page.locator(tid('map-canvas')).boundingBox();
      const rel = ([x, y]) => [x - canvas.x, y - canvas.y];
      const [bare] = await sampleColours(page, [rel(centroid)]);

      await openSheet(page, 'layers');
      await page.locator(`${OPEN} ${tid('zone-draw')}`).tap();
      const editor = page.locator(tid('zone-editor'));
      await editor.waitFor({ timeout: 5_000 });
      assert.equal(await page.locator(OPEN).isVisible(), false, 'the sheet steps aside while drawing');
      for (const [x, y] of triangle) await page.touchscreen.tap(x, y);
      assert.equal(await editor.getAttribute('data-points'), '3');
      assert.deepEqual(await covered(page, ['zone-finish', 'zone-cancel', 'zone-draw-banner']), [], 'the editor is not under the feed strip');
      await screenshot(page, '14f-zone-1-drawing');
      // A tap near the first point closes the outline.
      await page.touchscreen.tap(triangle[0][0] + 8, triangle[0][1] - 6);
      await page.locator(tid('zone-form')).waitFor({ timeout: 5_000 });
      assert.equal(await editor.getAttribute('data-points'), '3', 'the closing tap adds no point');
      assert.deepEqual(await covered(page, ['zone-name', 'zone-kind', 'zone-save', 'zone-cancel']), [], 'the form is not under the feed strip');
      await page.locator(tid('zone-name')).tap();
      await page.locator(tid('zone-name')).fill('Tablet triangle');
      await screenshot(page, '14f-zone-2-form');
      await page.locator(tid('zone-save')).tap();
      await editor.waitFor({ state: 'detached', timeout: 10_000 });

      const row = page.locator(`${tid('zone-row')}[data-zone-id="drawn-tablet-triangle"]`);
      await row.waitFor({ state: 'attached', timeout: 10_000 });
      assert.equal(await row.getAttribute('data-source'), 'drawn');
      await openSheet(page, 'layers');
      await row.scrollIntoViewIfNeeded();
      assert.ok(await row.isVisible(), 'listed in the layers sheet');
      assert.equal((await row.locator('.zone-name').textContent()).trim(), 'Tablet triangle');
      await screenshot(page, '14f-zone-3-listed');
      await closeSheets(page);
      await waitForSettled(page);
      const [drawn] = await sampleColours(page, [rel(centroid)]);
      assert.ok(colourDist(bare, drawn) > 12, `the zone's fill is drawn: ${bare} → ${drawn}`);
      await screenshot(page, '14f-zone-4-drawn');

      // The sheet handle: drag up → full, tap → half, drag down → hidden.
      await openSheet(page, 'layers');
      assert.equal(await sheetState(page, 'layers'), 'half');
      const handle = await page.locator(`${OPEN} ${tid('sheet-handle')}`).boundingBox();
      const [hx, hy] = [handle.x + handle.width / 2, handle.y + handle.height / 2];
      await drag(cdp, hx, hy, -250);
      await page.waitForFunction(() => document.querySelector('.sheet[data-sheet="layers"]')?.dataset.state === 'full', null, { timeout: 5_000 });
      await screenshot(page, '14f-sheet-full');
      assert.deepEqual(await covered(page, ['feed-status']), [], 'the feed status stays on screen');
      const top = await page.locator(`${OPEN} ${tid('sheet-handle')}`).boundingBox();
      const hit = await page.evaluate(([x, y]) => document.elementFromPoint(x, y)?.closest('[data-testid="sheet-handle"]') !== null,
        [top.x + top.width / 2, top.y + top.height / 2]);
      assert.ok(hit, 'the full sheet\'s handle is not under the left column');
      await page.touchscreen.tap(top.x + top.width / 2, top.y + top.height / 2);
      await page.waitForFunction(() => document.querySelector('.sheet[data-sheet="layers"]')?.dataset.state === 'half', null, { timeout: 5_000 });
      const half = await page.locator(`${OPEN} ${tid('sheet-handle')}`).boundingBox();
      await drag(cdp, half.x + half.width / 2, half.y + half.height / 2, TABLET.height - 56 - half.y - 10);
      await page.waitForFunction(() => document.querySelector('.sheet[data-sheet="layers"]')?.dataset.state === 'closed', null, { timeout: 5_000 });

      // Portrait (768 × 1024): the editor beside the left column too, its controls uncovered.
      await resizeTo(page, { width: 768, height: 1024 }, 'tablet');
      await openSheet(page, 'layers');
      await page.locator(`${OPEN} ${tid('zone-draw')}`).tap();
      await editor.waitFor({ timeout: 5_000 });
      assert.deepEqual(await covered(page, ['zone-finish', 'zone-cancel', 'zone-draw-banner']), [], 'portrait: the editor is uncovered');
      await screenshot(page, '14f-zone-5-portrait-drawing');
      await page.locator(tid('zone-cancel')).tap();
      await editor.waitFor({ state: 'detached', timeout: 5_000 });
      await app.assertHealthy('tablet zone and handle');
    } finally {
      await ctx.close();
    }
  });
});
