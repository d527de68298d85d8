// Operators' zones end to end: the demo server plays tests/fixtures/zones/incidents.json (two
// open incidents near Coquelles and Calais-Fréthun) to the built app in headless Chromium. An
// operator draws a zone around one incident by clicking the map, names it and saves it: its
// row appears with the count of incidents inside, without an alert (a new zone seeds
// silently). The zone survives a reload (localStorage), an outline that crosses itself is
// refused with a clear error and kept for correction, dragging a vertex moves the incident out,
// Export downloads the drawn zones as GeoJSON, Import adds the good zone of a mixed file and
// reports the bad one by name, Delete asks first and is permanent. Damaged or unwritable
// storage is shown and never stops the loaded zones.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  startDemoServer, prepareDist, launchBrowser, openApp, waitForReady, readScenario, shiftScenario, shiftToNow,
  waitForIncidentFacts, setView, projectToPage, screenshot, hashRegion, project, waitForSettled, FIXTURES, TEST_TIMEOUT,
} from './harness.mjs';

const STORAGE_KEY = 'calais-map.zones.v1';
const CORRUPT_KEY = 'calais-map.zones.v1.corrupt';
const SCENARIO = path.join(FIXTURES, 'zones', 'incidents.json');
const IMPORT_FILE = path.join(FIXTURES, 'zones', 'import-mixed.geojson');
/** The incident inside the drawn zone, and the view the test draws in. */
const IN = [1.84, 50.945];
const ZOOM = 15;
/** The drawn outline, degrees from IN: south-west, south-east, north-east, north-west. */
const OUTLINE = [[-0.006, -0.004], [0.002, -0.004], [0.002, 0.0012], [-0.006, 0.0012]].map(([dx, dy]) => [IN[0] + dx, IN[1] + dy]);
/** Where the north-east corner is dragged so that the incident falls out. */
const NE_MOVED = [IN[0] - 0.002, IN[1] - 0.0015];
const ZONE_NAME = 'Coquelles A16 lay-by';
const ZONE_ID = 'drawn-coquelles-a16-lay-by';

const tid = (id) => `[data-testid="${id}"]`;
const row = (id) => `${tid('zone-row')}[data-zone-id="${id}"]`;
const item = (id) => `${tid('zone-item')}:has(${row(id)})`;

/** data-zone-id → {count, source} of every zone row. */
const zoneRows = (page) =>
  page.$$eval('[data-testid="zone-row"]', (rows) =>
    Object.fromEntries(rows.map((r) => [r.dataset.zoneId, { count: Number(r.dataset.count), source: r.dataset.source }])));

async function waitCount(page, id, count, what) {
  await page
    .waitForFunction(([sel, n]) => document.querySelector(sel)?.dataset.count === String(n), [row(id), count], { timeout: 20_000 })
    .catch(async (e) => {
      throw new Error(`${what}: ${id} count ${count}: ${e.message}; rows ${JSON.stringify(await zoneRows(page))}`);
    });
}

async function clickMap(page, lonlat) {
  const [x, y] = await projectToPage(page, lonlat[0], lonlat[1]);
  await page.mouse.click(x, y);
}

async function points(page) {
  return Number(await page.locator(tid('zone-editor')).getAttribute('data-points'));
}

describe('operators draw, edit, keep, export, import and delete zones', () => {
  const raw = readScenario(SCENARIO);
  const scenario = shiftScenario(raw, { shiftMs: shiftToNow(raw, { agoMs: 20_000 }) });
  let server, browser, ctx, app, page;

  before(async () => {
    const dir = prepareDist({ initial_view: { lon: IN[0], lat: IN[1], zoom: ZOOM } });
    // A second config whose zones file has 13 bad zones of 15 (?config=public/config-badzones.json).
    const base = JSON.parse(fs.readFileSync(path.join(dir, 'public', 'config.json'), 'utf8'));
    fs.copyFileSync(path.join(FIXTURES, 'geofence', 'zones_invalid.geojson'), path.join(dir, 'public', 'zones-invalid.geojson'));
    fs.writeFileSync(
      path.join(dir, 'public', 'config-badzones.json'),
      JSON.stringify({ ...base, zones: { url: 'public/zones-invalid.geojson' } }, null, 2),
    );
    server = await startDemoServer({ scenario, firstSeq: 1, heartbeatMs: 1000, staticDir: dir });
    browser = await launchBrowser();
    ctx = await browser.newContext({ viewport: { width: 1600, height: 1000 }, acceptDownloads: true });
    app = await openApp({ server }, ctx);
    page = app.page;
    await waitForIncidentFacts(page, (f) => f.status?.status === 'live', { what: 'feed-status live', timeout: 30_000 });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="zone-row"]').length >= 8, null, { timeout: 30_000 });
    await page.locator(`${tid('incident-row')}[data-incident-id="zd-in"]`).waitFor({ timeout: 30_000 });
  });

  after(async () => {
    await ctx?.close();
    await browser?.close();
    await server?.kill();
  });

  test('draw a zone by clicking the map, name it, save: its row counts the incident inside, silently', { timeout: TEST_TIMEOUT }, async () => {
    await setView(page, IN[0], IN[1], ZOOM);
    const before = await zoneRows(page);
    assert.ok(Object.values(before).every((r) => r.source === 'file'), 'no drawn zone at start');
    assert.equal(await page.locator(tid('zone-readonly')).count(), Object.keys(before).length, 'loaded zones are read-only');

    await page.locator(tid('zone-draw')).click();
    const editor = page.locator(tid('zone-editor'));
    await editor.waitFor();
    assert.equal(await editor.getAttribute('data-mode'), 'drawing');
    assert.match(await page.locator(tid('zone-draw-banner')).textContent(), /Click or tap the map to add points/);
    assert.equal(await page.locator(tid('zone-finish')).isDisabled(), true, 'nothing to finish yet');

    for (const p of OUTLINE.slice(0, 3)) await clickMap(page, p);
    assert.equal(await points(page), 3);
    // A wrong point, taken back with Backspace.
    await clickMap(page, [IN[0] + 0.004, IN[1] + 0.004]);
    assert.equal(await points(page), 4);
    await page.keyboard.press('Backspace');
    assert.equal(await points(page), 3, 'Backspace removes the last point');
    await clickMap(page, OUTLINE[3]);
    assert.equal(await points(page), 4);
    // A drag pans the map and adds no point.
    const v0 = await page.evaluate(() => window.calaisMap.view());
    const [cx, cy] = await projectToPage(page, IN[0] + 0.004, IN[1] - 0.006);
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    await page.mouse.move(cx + 60, cy + 20, { steps: 6 });
    await page.mouse.move(cx, cy, { steps: 6 });
    await page.mouse.up();
    const v1 = await page.evaluate(() => window.calaisMap.view());
    assert.equal(await points(page), 4, 'a drag is not a point');
    assert.ok(Math.abs(v1.lon - v0.lon) < 1e-6 && Math.abs(v1.lat - v0.lat) < 1e-6, 'dragged back to the same view');
    // The rubber band follows the pointer.
    const [rx, ry] = await projectToPage(page, IN[0] + 0.001, IN[1] + 0.003);
    await page.mouse.move(rx, ry, { steps: 3 });
    await waitForSettled(page);
    await screenshot(page, '32-zone-draft');

    // Clicking the first point closes the outline and shows the form.
    await clickMap(page, OUTLINE[0]);
    await page.locator(tid('zone-form')).waitFor();
    assert.equal(await editor.getAttribute('data-mode'), 'shaping');
    await page.locator(tid('zone-name')).fill(`  ${ZONE_NAME}  `);
    await page.locator(tid('zone-kind')).selectOption('restricted');
    assert.equal(await page.locator(tid('zone-critical')).isChecked(), true, 'restricted zones default to critical');
    await page.locator(tid('zone-dwell')).fill('120');
    await waitForSettled(page);
    await screenshot(page, '32-zone-form');
    await page.locator(tid('zone-save')).click();

    await page.locator(row(ZONE_ID)).waitFor({ timeout: 10_000 });
    await waitCount(page, ZONE_ID, 1, 'after save');
    assert.equal(await page.locator(tid('zone-editor')).count(), 0, 'the editor closes');
    assert.equal(await page.locator(`${row(ZONE_ID)} .zone-name`).textContent(), ZONE_NAME, 'name trimmed, as text');
    assert.equal(await page.locator(row(ZONE_ID)).getAttribute('data-source'), 'drawn');
    // Seeded silently: the incident was already there, so no enter alert.
    await page.waitForTimeout(1500);
    assert.equal(await page.locator(`${tid('alert-row')}[data-zone-id="${ZONE_ID}"]`).count(), 0, 'no alert burst for a new zone');
    const saved = await page.evaluate((k) => localStorage.getItem(k), STORAGE_KEY);
    const fc = JSON.parse(saved);
    assert.equal(fc.type, 'FeatureCollection');
    assert.deepEqual(fc.features.map((f) => f.id), [ZONE_ID]);
    assert.equal(fc.features[0].properties.name, ZONE_NAME);
    assert.equal(fc.features[0].properties.dwell_s, 120);
    await waitForSettled(page);
    await screenshot(page, '32-zone-saved');
  });

  test('an outline that crosses itself or a zone without a name is refused and kept for correction', { timeout: TEST_TIMEOUT }, async () => {
    await page.locator(tid('zone-draw')).click();
    // A bow tie north of the drawn zone: its 1st and 3rd edges cross.
    const y0 = IN[1] + 0.004;
    const bow = [[IN[0] - 0.004, y0], [IN[0] + 0.002, y0 + 0.003], [IN[0] + 0.002, y0], [IN[0] - 0.004, y0 + 0.003]];
    for (const p of bow) await clickMap(page, p);
    await page.locator(tid('zone-finish')).click();
    await page.locator(tid('zone-form')).waitFor();
    assert.match(await page.locator(tid('zone-form-error')).textContent(), /^Edges cross near /, 'said at once');
    await page.locator(tid('zone-save')).click();
    assert.match(await page.locator(tid('zone-form-error')).textContent(), /needs a name/);
    await page.locator(tid('zone-name')).fill('Bow tie');
    await page.locator(tid('zone-save')).click();
    assert.match(await page.locator(tid('zone-form-error')).textContent(), /^Edges cross near 1\.8390, 50\.9505: move a point/);
    assert.equal(await page.locator(tid('zone-editor')).getAttribute('data-mode'), 'shaping', 'the draft stays');
    assert.equal(await points(page), 4);
    await waitForSettled(page);
    await screenshot(page, '32-zone-crossing');
    // Dragging the 2nd corner below the first edge mends it: the error goes.
    const [ax, ay] = await projectToPage(page, ...bow[1]);
    const [bx, by] = await projectToPage(page, IN[0] - 0.001, y0 - 0.002);
    await page.mouse.move(ax, ay);
    await page.mouse.down();
    await page.mouse.move(bx, by, { steps: 8 });
    await page.mouse.up();
    assert.equal(await page.locator(tid('zone-form-error')).count(), 0, 'no error once the edges no longer cross');
    await page.locator(tid('zone-cancel')).click();
    assert.equal(await page.locator(tid('zone-editor')).count(), 0);
    assert.equal(await page.locator(`${tid('zone-row')}[data-source="drawn"]`).count(), 1, 'cancel saves nothing');
  });

  test('the drawn zone is still there after a reload (localStorage)', { timeout: TEST_TIMEOUT }, async () => {
    await page.reload({ waitUntil: 'load' });
    await waitForReady(app);
    await page.locator(row(ZONE_ID)).waitFor({ timeout: 30_000 });
    await waitCount(page, ZONE_ID, 1, 'after reload');
    assert.equal(await page.locator(tid('zone-storage-error')).getAttribute('data-count'), '0');
  });

  test('edit: drag a vertex so the incident falls out, and the count follows', { timeout: TEST_TIMEOUT }, async () => {
    await setView(page, IN[0], IN[1], ZOOM);
    await page.locator(`${item(ZONE_ID)} ${tid('zone-edit')}`).click();
    await page.locator(tid('zone-form')).waitFor();
    assert.equal(await page.locator(tid('zone-name')).inputValue(), ZONE_NAME);
    assert.equal(await page.locator(tid('zone-kind')).inputValue(), 'restricted');
    assert.equal(await page.locator(tid('zone-dwell')).inputValue(), '120');
    assert.equal(await page.locator(tid('zone-add-points')).count(), 0, 'an existing zone is reshaped, not redrawn');
    const [ax, ay] = await projectToPage(page, ...OUTLINE[2]);
    const [bx, by] = await projectToPage(page, ...NE_MOVED);
    await page.mouse.move(ax, ay);
    await page.mouse.down();
    await page.mouse.move(bx, by, { steps: 10 });
    await page.mouse.up();
    const view = await page.evaluate(() => window.calaisMap.view());
    assert.ok(Math.abs(view.lon - IN[0]) < 1e-9 && Math.abs(view.lat - IN[1]) < 1e-9, 'dragging a vertex does not pan');
    await page.locator(tid('zone-name')).fill('Coquelles lay-by (reduced)');
    await waitForSettled(page);
    await screenshot(page, '32-zone-edit');
    await page.locator(tid('zone-save')).click();
    await waitCount(page, ZONE_ID, 0, 'after the edit');
    assert.equal(await page.locator(`${row(ZONE_ID)} .zone-name`).textContent(), 'Coquelles lay-by (reduced)');
    assert.equal(await page.locator(`${tid('zone-row')}[data-source="drawn"]`).count(), 1, 'edited in place, same id');
  });

  test('export downloads the drawn zones as GeoJSON', { timeout: TEST_TIMEOUT }, async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator(tid('zone-export')).click()]);
    assert.equal(download.suggestedFilename(), 'calais-drawn-zones.geojson');
    const fc = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
    assert.equal(fc.type, 'FeatureCollection');
    assert.equal(fc.features.length, 1);
    const f = fc.features[0];
    assert.equal(f.id, ZONE_ID);
    assert.equal(f.properties.name, 'Coquelles lay-by (reduced)');
    assert.equal(f.properties.kind, 'restricted');
    assert.equal(f.properties.dwell_s, 120);
    assert.equal(f.geometry.type, 'Polygon');
    const ring = f.geometry.coordinates[0];
    assert.equal(ring.length, 5, 'four corners and the closing one');
    assert.deepEqual(ring[0], ring[4]);
    assert.ok(ring.some(([lon, lat]) => Math.abs(lon - NE_MOVED[0]) < 2e-4 && Math.abs(lat - NE_MOVED[1]) < 2e-4), `moved corner in ${JSON.stringify(ring)}`);
    assert.equal(await page.locator(tid('zone-export-error')).count(), 0);
  });

  test('import adds the good zone of a mixed file and reports the bad one by name', { timeout: TEST_TIMEOUT }, async () => {
    await page.locator(tid('zone-import-input')).setInputFiles(IMPORT_FILE);
    const report = page.locator(tid('zone-import-report'));
    await report.waitFor({ timeout: 10_000 });
    assert.equal(await report.getAttribute('data-added'), '1');
    assert.equal(await report.getAttribute('data-rejected'), '1');
    const bad = page.locator(`${tid('zone-import-rejected')}[data-zone-id="import-bowtie"]`);
    assert.match(await bad.textContent(), /“Crossed fence line” \(import-bowtie\): ring 0 intersects itself near 1\.8550, 50\.9375/);
    await page.locator(row('import-good')).waitFor();
    await waitCount(page, 'import-good', 1, 'imported square holds zd-out');
    assert.equal(await page.locator(row('import-bowtie')).count(), 0, 'the bad zone is not added');
    assert.equal(await page.locator(row(ZONE_ID)).count(), 1, 'nothing good is removed');
    await screenshot(page, '32-zone-import');
    // The same file again: its id is taken, so the zone comes in renamed, and says so.
    await page.locator(tid('zone-import-input')).setInputFiles(IMPORT_FILE);
    await page.locator(`${tid('zone-import-renamed')}[data-zone-id="import-good-2"]`).waitFor({ timeout: 10_000 });
    await page.locator(row('import-good-2')).waitFor();
    await page.locator(`${item('import-good-2')} ${tid('zone-delete')}`).click();
    await page.locator(`${item('import-good-2')} ${tid('zone-delete-yes')}`).click();
    await page.locator(row('import-good-2')).waitFor({ state: 'detached' });
    await page.locator(tid('zone-import-dismiss')).click();
    assert.equal(await report.count(), 0);
  });

  test('the zones layer toggle hides and shows the zones on the map; counts go on', { timeout: TEST_TIMEOUT }, async () => {
    await setView(page, 1.87, 50.945, ZOOM);
    const [x, y] = await project(page, 1.8685, 50.9435);
    const rect = { x: x - 20, y: y - 20, width: 40, height: 40 };
    const on = await hashRegion(page, rect);
    await page.locator(tid('layer-toggle-zones')).uncheck();
    await waitForSettled(page);
    const off = await hashRegion(page, rect);
    assert.notEqual(on.hash, off.hash, 'the imported square is drawn, then not');
    assert.equal(await page.locator(row('import-good')).getAttribute('data-count'), '1');
    await page.locator(tid('layer-toggle-zones')).check();
    await waitForSettled(page);
    assert.equal((await hashRegion(page, rect)).hash, on.hash);
  });

  test('delete asks first, then the zone is gone, also after a reload', { timeout: TEST_TIMEOUT }, async () => {
    await page.locator(`${item(ZONE_ID)} ${tid('zone-delete')}`).click();
    assert.match(await page.locator(`${item(ZONE_ID)} ${tid('zone-delete-confirm')}`).textContent(), /Delete “Coquelles lay-by \(reduced\)”\?/);
    await page.locator(`${item(ZONE_ID)} ${tid('zone-delete-no')}`).click();
    assert.equal(await page.locator(row(ZONE_ID)).count(), 1, 'No keeps it');
    await page.locator(`${item(ZONE_ID)} ${tid('zone-delete')}`).click();
    await page.locator(`${item(ZONE_ID)} ${tid('zone-delete-yes')}`).click();
    await page.locator(row(ZONE_ID)).waitFor({ state: 'detached' });
    await page.reload({ waitUntil: 'load' });
    await waitForReady(app);
    await page.locator(row('import-good')).waitFor({ timeout: 30_000 });
    assert.equal(await page.locator(row(ZONE_ID)).count(), 0, 'still gone after a reload');
    const fc = JSON.parse(await page.evaluate((k) => localStorage.getItem(k), STORAGE_KEY));
    assert.deepEqual(fc.features.map((f) => f.id), ['import-good']);
  });

  test('damaged storage is reported and the loaded zones keep working', { timeout: TEST_TIMEOUT }, async () => {
    const damaged = '{"type":"FeatureCollection","features":[{"type":"Feature"';
    await page.evaluate(([k, v]) => localStorage.setItem(k, v), [STORAGE_KEY, damaged]);
    await page.reload({ waitUntil: 'load' });
    await waitForReady(app);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="zone-row"]').length >= 8, null, { timeout: 30_000 });
    const problems = page.locator(tid('zone-storage-error'));
    assert.equal(await problems.getAttribute('data-count'), '1');
    assert.match(await problems.textContent(), /Saved drawn zones are damaged and were not loaded \(the saved zones cannot be read: zones file is not valid JSON/);
    assert.match(await problems.textContent(), /kept under calais-map\.zones\.v1\.corrupt/);
    assert.equal(await page.evaluate((k) => localStorage.getItem(k), CORRUPT_KEY), damaged, 'the text is set aside');
    // Also in the diagnostics panel, under the feed's row.
    const diag = page.locator(tid('zone-diagnostics'));
    assert.equal(await diag.getAttribute('data-count'), '1');
    assert.match(await diag.textContent(), /Zone problems: 1.*damaged/);
    assert.equal(await page.locator(tid('feed-diagnostics')).getAttribute('data-rejected'), '0', 'the feed row is untouched');
    const rows = await zoneRows(page);
    assert.ok(Object.values(rows).every((r) => r.source === 'file') && Object.keys(rows).length >= 8, JSON.stringify(rows));
    await screenshot(page, '32-zone-corrupt');
    await app.assertHealthy('after damaged storage');
  });

  test('storage that refuses to write is reported; the zone still works for the session', { timeout: TEST_TIMEOUT }, async () => {
    const ctx2 = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    try {
      const app2 = await openApp({ server }, ctx2, {
        initScripts: [
          `Storage.prototype.setItem = function () { throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); };`,
        ],
      });
      const p = app2.page;
      await p.waitForFunction(() => document.querySelectorAll('[data-testid="zone-row"]').length >= 8, null, { timeout: 30_000 });
      await setView(p, IN[0], IN[1], ZOOM);
      await p.locator(tid('zone-draw')).click();
      // South-east, north-east, north-west: a triangle that holds the incident.
      for (const q of OUTLINE.slice(1)) await clickMap(p, q);
      await p.locator(tid('zone-finish')).click();
      await p.locator(tid('zone-name')).fill('Session only');
      await p.keyboard.press('Enter');
      await p.locator(row('drawn-session-only')).waitFor({ timeout: 10_000 });
      await waitCount(p, 'drawn-session-only', 1, 'unsaved zone');
      assert.match(await p.locator(tid('zone-storage-error')).textContent(), /could not be saved in this browser: the browser refused to store them \(QuotaExceededError/);
      await app2.assertHealthy('storage full');
    } finally {
      await ctx2.close();
    }
  });

  test('per-zone load errors of the zones file are listed in the diagnostics panel', { timeout: TEST_TIMEOUT }, async () => {
    const ctx3 = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    try {
      const app3 = await openApp({ server }, ctx3, { config: 'public/config-badzones.json' });
      const p = app3.page;
      await p.waitForFunction(() => document.querySelectorAll('[data-testid="zone-row"]').length === 2, null, { timeout: 30_000 });
      const diag = p.locator(tid('zone-diagnostics'));
      await p.waitForFunction(() => document.querySelector('[data-testid="zone-diagnostics"]')?.dataset.count === '13', null, { timeout: 10_000 });
      const lines = await diag.locator(tid('zone-diagnostic')).allTextContents();
      assert.equal(lines.length, 13);
      assert.ok(lines.includes('zone "bowtie": ring 0 intersects itself near 1.8601, 50.9702'), JSON.stringify(lines));
      assert.ok(lines.some((l) => l.startsWith('zone "nan":')), JSON.stringify(lines));
      assert.equal(await p.locator(tid('feed-diagnostics')).count(), 1, 'the feed row is still there');
      // The good zones still work, and zones can still be drawn next to them.
      assert.deepEqual(Object.keys(await zoneRows(p)).sort(), ['17', 'ok-a']);
      await p.evaluate(() => document.querySelector('[data-testid="zone-diagnostics"]').scrollIntoView());
      await screenshot(p, '32-zone-diagnostics');
      await app3.assertHealthy('bad zones file');
    } finally {
      await ctx3.close();
    }
  });

  test('on a tablet: taps add points, a tap near the first point closes, one finger drags a vertex', { timeout: TEST_TIMEOUT }, async () => {
    const ctx4 = await browser.newContext({ viewport: { width: 1180, height: 820 }, hasTouch: true });
    try {
      // A touch screen 1180 px wide gets the tablet layout by itself since issue 14 (its panels
      // are bottom sheets, tests/e2e/tablet.test.mjs); this test is about the finger on the
      // map, so it keeps the desk's panels where it finds them: `?mode=desk`.
      const app4 = await openApp({ server }, ctx4, { query: 'mode=desk' });
      const p = app4.page;
      const cdp = await ctx4.newCDPSession(p);
      await p.locator(`${tid('incident-row')}[data-incident-id="zd-in"]`).waitFor({ timeout: 30_000 });
      await setView(p, IN[0], IN[1], ZOOM);
      await p.locator(tid('zone-draw')).tap();
      for (const q of OUTLINE) {
        const [x, y] = await projectToPage(p, ...q);
        await p.touchscreen.tap(x, y);
      }
      assert.equal(await points(p), 4);
      // 15 px from the first point: beyond a mouse's reach, within a finger's.
      const [fx, fy] = await projectToPage(p, ...OUTLINE[0]);
      await p.touchscreen.tap(fx + 12, fy - 9);
      await p.locator(tid('zone-form')).waitFor({ timeout: 5_000 });
      assert.equal(await points(p), 4, 'the closing tap adds no point');
      await p.locator(tid('zone-name')).fill('Tablet zone');
      await p.locator(tid('zone-save')).tap();
      await p.locator(row('drawn-tablet-zone')).waitFor({ timeout: 10_000 });
      await waitCount(p, 'drawn-tablet-zone', 1, 'tablet zone');

      await p.locator(`${item('drawn-tablet-zone')} ${tid('zone-edit')}`).tap();
      await p.locator(tid('zone-form')).waitFor();
      const [ax, ay] = await projectToPage(p, ...OUTLINE[2]);
      const [bx, by] = await projectToPage(p, ...NE_MOVED);
      // The finger lands 10 px off the handle: still a drag of the vertex, not a pan.
      const pt = (x, y) => ({ x, y, id: 0, radiusX: 6, radiusY: 6, force: 1 });
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [pt(ax + 8, ay + 6)] });
      for (let i = 1; i <= 10; i++) {
        const t = i / 10;
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [pt(ax + 8 + (bx - ax) * t, ay + 6 + (by - ay) * t)] });
      }
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
      const v = await p.evaluate(() => window.calaisMap.view());
      assert.ok(Math.abs(v.lon - IN[0]) < 1e-9 && Math.abs(v.lat - IN[1]) < 1e-9, 'the map did not pan');
      await waitForSettled(p);
      await screenshot(p, '32-zone-tablet-edit');
      await p.locator(tid('zone-save')).tap();
      await waitCount(p, 'drawn-tablet-zone', 0, 'after the finger drag');
      await app4.assertHealthy('tablet');
    } finally {
      await ctx4.close();
    }
  });
});
