// No HTML from data anywhere (issue 15 item 2): script-like strings — `<img src=x onerror=…>`,
// `"><script>…</script>`, `javascript:…` and `<svg onload=…>` — fed through every text field of
// every input the app reads, then every place that shows them opened: they must show as text
// (the element's textContent contains the literal string), `window.__pwned` stays undefined,
// and no element of a payload ever enters the page (a MutationObserver, installed before the
// page's own scripts, records every inserted element or attribute that could run code).
//
// Inputs: the layers (camera, fence and port names and properties, a property name too), the
// config's zones (names, properties), the config's strings (basemap attribution, tile
// attribution, the wall's tour captions), the incidents' snapshot and live events (id, kind, description, source, an
// extra property), the history pages (id, kind, description), and an imported zone file (a
// zone kept, one refused). Shown in: the layer panel and the info card (hover/click), the zone
// list and the alert ticker, the incident list and the incident card, the attribution line,
// the import report, the export dialog and the incidents' GeoJSON export (texts kept exactly).
// A config URL that is not http(s) or relative (`javascript:` tile template)
// is refused by the config reader with the field named (tests/core_config.rs
// `urls_must_be_http_or_relative`; here: the page shows the error and runs nothing).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  startServer, startDemoServer, launchBrowser, openApp, prepareDist, waitForSettled, setView, projectToPage, screenshot, tid,
  TEST_TIMEOUT, READY_TIMEOUT,
} from './harness.mjs';

const FORMS = [
  (tag) => `<img src=x onerror=window.__pwned='${tag}'>`,
  (tag) => `"><script>window.__pwned='${tag}'</script>`,
  (tag) => `javascript:window.__pwned='${tag}'`,
  (tag) => `<svg onload=window.__pwned='${tag}'>`,
];
let n = 0;
/** A payload for one field: the four forms in turn, each naming its field. */
const P = (field) => FORMS[n++ % FORMS.length](field);

const WATCH = `
  window.__bad = [];
  const risky = (el) => {
    if (!el || el.nodeType !== 1) return null;
    for (const a of el.attributes) {
      if (a.name.startsWith('on')) return 'attribute ' + a.name;
      if (['href', 'src', 'action', 'formaction', 'xlink:href'].includes(a.name) && /^\\s*javascript:/i.test(a.value)) return a.name + '=javascript:';
    }
    if (el.tagName === 'SCRIPT' && el.textContent.includes('__pwned')) return 'script';
    if (el.tagName === 'IMG' && el.getAttribute('src') === 'x') return 'img src=x';
    return null;
  };
  new MutationObserver((ms) => {
    for (const m of ms) {
      const els = m.type === 'attributes' ? [m.target] : [...m.addedNodes].flatMap((n) => n.nodeType === 1 ? [n, ...n.querySelectorAll('*')] : []);
      for (const el of els) {
        const why = risky(el);
        if (why) window.__bad.push(why + ': ' + el.outerHTML.slice(0, 160));
      }
    }
  }).observe(document, { childList: true, subtree: true, attributes: true });
`;

// The map's place: the demo data's area, zoomed in; every feature sits apart.
const AT = {
  camera: [1.80, 50.95], fence: [[1.81, 50.955], [1.82, 50.955]], port: [1.83, 50.95],
  zone: [[1.835, 50.945], [1.845, 50.945], [1.845, 50.955], [1.835, 50.955], [1.835, 50.945]],
  snapshot: [1.79, 50.945], live: [1.84, 50.95], import: [[1.75, 50.94], [1.76, 50.94], [1.76, 50.95], [1.75, 50.95], [1.75, 50.94]],
};
const feature = (id, geometry, properties) => ({ type: 'Feature', id, geometry, properties });
const point = (c) => ({ type: 'Point', coordinates: c });

const F = {
  cameraName: P('camera.name'), cameraOperator: P('camera.operator'), cameraKey: P('camera.key'),
  fenceName: P('fence.name'), fenceSector: P('fence.sector'),
  portName: P('port.name'), portSource: P('port.source'),
  zoneName: P('zone.name'), zoneNote: P('zone.note'),
  attribution: P('config.basemap_attribution'), tileAttribution: P('config.tiles.attribution'),
  snapId: P('incident.id'), snapKind: P('incident.kind'), snapDescription: P('incident.description'), snapSource: P('incident.source'),
  liveId: P('live.id'), liveDescription: P('live.description'), liveKind: P('live.kind'), liveNote: P('live.note'),
  historyId: P('history.id'), historyKind: P('history.kind'), historyDescription: P('history.description'),
  importName: P('import.name'), importRejected: P('import.rejected'),
};

let api, server, browser, dir;
before(async () => {
  const now = Date.now();
  const iso = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
  dir = prepareDist({
    layers: { cameras: 'public/xss/cameras.geojson', fences: 'public/xss/fences.geojson', ports: 'public/xss/ports.geojson' },
    zones: { url: 'public/xss/zones.geojson' },
    basemap_attribution: F.attribution,
    tiles: { url_template: '/fixtures/tiles/red.png?z={z}&x={x}&y={y}', attribution: F.tileAttribution, max_zoom: 18 },
    initial_view: { lon: 1.815, lat: 50.95, zoom: 14 },
  });
  const xss = path.join(dir, 'public', 'xss');
  fs.mkdirSync(xss, { recursive: true });
  const fc = (features) => JSON.stringify({ type: 'FeatureCollection', features });
  fs.writeFileSync(path.join(xss, 'cameras.geojson'), fc([feature('cam-x', point(AT.camera),
    { name: F.cameraName, bearing: 90, fov: 60, range_m: 150, operator: F.cameraOperator, [F.cameraKey]: 'value' })]));
  fs.writeFileSync(path.join(xss, 'fences.geojson'), fc([feature('fence-x', { type: 'LineString', coordinates: AT.fence },
    { name: F.fenceName, kind: 'fence', sector: F.fenceSector })]));
  fs.writeFileSync(path.join(xss, 'ports.geojson'), fc([feature('port-x', point(AT.port),
    { name: F.portName, kind: 'ferry_port', source: F.portSource })]));
  fs.writeFileSync(path.join(xss, 'zones.geojson'), fc([feature('zone-x', { type: 'Polygon', coordinates: [AT.zone] },
    { id: 'zone-x', name: F.zoneName, kind: 'restricted', critical: true, note: F.zoneNote })]));
  const incident = (id, c, kind, description, extra, at) => feature(id, point(c), {
    id, kind, severity: 4, status: 'open', reported_at: iso(at), updated_at: iso(at), description, accuracy_m: 10, ...extra,
  });
  const scenario = {
    then: 'idle',
    events: [
      { at_ms: 0, feature: incident(F.snapId, AT.snapshot, F.snapKind, F.snapDescription, { source: F.snapSource }, now - 60_000) },
      // Live, once the page is up: inside the critical zone (an alert naming the zone).
      { at_ms: 15_000, feature: incident(F.liveId, AT.live, F.liveKind, F.liveDescription, { note: F.liveNote }, now + 15_000) },
    ],
  };
  api = await startDemoServer({ scenario, heartbeatMs: 1000 });
  server = await startServer({ distDir: dir, apiOrigin: api.origin });
  server.respond('/api/incidents/history', 200, JSON.stringify({
    type: 'FeatureCollection', from: iso(now - 86_400_000), to: iso(now), next_cursor: null,
    features: [incident(F.historyId, AT.snapshot, F.historyKind, F.historyDescription, {}, now - 3_600_000)],
  }), { 'Content-Type': 'application/geo+json' });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
  await api?.kill();
});

async function assertClean(page, what) {
  await page.waitForTimeout(400); // an onerror/onload would have fired by now
  assert.equal(await page.evaluate(() => window.__pwned), undefined, `${what}: no payload ran (window.__pwned)`);
  assert.deepEqual(await page.evaluate(() => window.__bad), [], `${what}: no element or attribute of a payload entered the page`);
  assert.equal(await page.evaluate(() => document.querySelectorAll('img[src="x"], svg[onload], [onerror], [onload], a[href^="javascript"]').length), 0, what);
}

async function assertShows(locator, literal, what) {
  const text = await locator.textContent();
  assert.ok(text.includes(literal), `${what}: shows ${JSON.stringify(literal)} literally, got ${JSON.stringify(text.slice(0, 300))}`);
}

async function cardAt(page, lonLat, what) {
  await setView(page, lonLat[0], lonLat[1], 16);
  const [x, y] = await projectToPage(page, lonLat[0], lonLat[1]);
  await page.mouse.move(x - 30, y - 30);
  await page.mouse.move(x, y, { steps: 3 });
  await page.mouse.click(x, y);
  const card = page.locator(tid('info-card'));
  await card.waitFor({ state: 'visible', timeout: 15_000 });
  await screenshot(page, `no-html-${what}`);
  return card;
}

for (const lang of ['en', 'fr']) {
  test(`every input's text shows as text and runs nothing (${lang})`, { timeout: TEST_TIMEOUT * 2 }, async () => {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
    try {
      const app = await openApp({ server }, ctx, { query: `mode=desk&lang=${lang}`, initScripts: [WATCH], allowResourceErrors: true });
      const { page } = app;
      await waitForSettled(page);
      await assertClean(page, 'loaded');

      // Config strings: the attribution line.
      await assertShows(page.locator(tid('attribution')), F.attribution, 'basemap attribution');
      await page.locator(tid('layer-toggle-tiles')).check().catch(() => {});
      await page.waitForTimeout(500);
      await assertShows(page.locator(tid('attribution')), F.tileAttribution, 'tile attribution');

      // Layers: the info card of the camera, the fence, the port.
      const cam = await cardAt(page, AT.camera, `camera-${lang}`);
      await assertShows(cam, F.cameraName, 'camera name');
      await assertShows(cam, F.cameraOperator, 'camera property');
      await assertShows(cam, F.cameraKey, 'camera property name');
      await page.keyboard.press('Escape');
      const mid = [(AT.fence[0][0] + AT.fence[1][0]) / 2, AT.fence[0][1]];
      const fence = await cardAt(page, mid, `fence-${lang}`);
      await assertShows(fence, F.fenceName, 'fence name');
      await assertShows(fence, F.fenceSector, 'fence property');
      await page.keyboard.press('Escape');
      const port = await cardAt(page, AT.port, `port-${lang}`);
      await assertShows(port, F.portName, 'port name');
      await assertShows(port, F.portSource, 'port property');
      await page.keyboard.press('Escape');
      await assertClean(page, 'layers');

      // Zones: the zone list.
      await assertShows(page.locator(tid('zone-row')).first(), F.zoneName, 'zone name in the zone list');

      // Incidents: the snapshot's row and card.
      const snapRow = page.locator(tid('incident-row')).filter({ hasText: F.snapDescription });
      await snapRow.waitFor({ timeout: 30_000 });
      await assertShows(snapRow, F.snapDescription, 'snapshot description in the list');
      await snapRow.click();
      const card = page.locator(tid('info-card'));
      await card.waitFor({ state: 'visible', timeout: 15_000 });
      for (const [k, v] of [['id', F.snapId], ['kind', F.snapKind], ['description', F.snapDescription], ['source', F.snapSource]]) {
        await assertShows(card, v, `snapshot incident ${k} in the card`);
      }
      await screenshot(page, `no-html-incident-${lang}`);
      await page.keyboard.press('Escape');

      // Live: the event arrives (15 s after the server's start), inside the critical zone.
      const liveRow = page.locator(tid('incident-row')).filter({ hasText: F.liveDescription });
      await liveRow.waitFor({ timeout: 60_000 });
      await liveRow.click();
      await card.waitFor({ state: 'visible', timeout: 15_000 });
      for (const [k, v] of [['id', F.liveId], ['kind', F.liveKind], ['description', F.liveDescription], ['note', F.liveNote]]) {
        await assertShows(card, v, `live incident ${k} in the card`);
      }
      await page.keyboard.press('Escape');
      if (lang === 'en') {
        // The first page saw the live event arrive: its zone alert (a later page gets the
        // incident in its snapshot, which raises no alert).
        const alert = page.locator(tid('alert-row')).filter({ hasText: F.zoneName });
        await alert.first().waitFor({ timeout: 30_000 });
        await assertShows(alert.first(), F.zoneName, 'zone name in the alert ticker');
        await screenshot(page, `no-html-alert-${lang}`);
      }
      await assertClean(page, 'incidents and alerts');

      // History: the heatmap asks for it (and gets the payloads); nothing of it runs.
      const asked = server.requests.length;
      await page.locator(tid('heatmap-toggle')).check();
      await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.includes('/api/incidents/history')), null, { timeout: 30_000 });
      assert.ok(server.requests.slice(asked).some((r) => r.path === '/api/incidents/history'), 'the history was asked for');
      await waitForSettled(page);
      await assertClean(page, 'history');

      // An imported zone file: one kept (its name in the list), one refused (named in the report).
      await page.locator(tid('zone-import-input')).setInputFiles({
        name: 'zones.geojson',
        mimeType: 'application/geo+json',
        buffer: Buffer.from(JSON.stringify({
          type: 'FeatureCollection',
          features: [
            feature('import-ok', { type: 'Polygon', coordinates: [AT.import] }, { name: F.importName, kind: 'restricted' }),
            feature('import-bad', { type: 'Polygon', coordinates: [[[1.7, 50.9], [1.71, 50.91], [1.71, 50.9], [1.7, 50.91], [1.7, 50.9]]] },
              { name: F.importRejected, kind: 'restricted' }),
          ],
        })),
      });
      const report = page.locator(tid('zone-import-report'));
      await report.waitFor({ timeout: 15_000 });
      await screenshot(page, `no-html-import-${lang}`);
      await assertShows(page.locator(tid('zone-panel')), F.importName, 'imported zone name in the zone list');
      await assertShows(report, F.importRejected, 'refused imported zone named in the report');
      await assertClean(page, 'import');

      // The export dialog, and the incidents' GeoJSON export: the texts kept exactly.
      await page.locator(tid('export-open')).click();
      await page.locator(tid('export-dialog')).waitFor({ timeout: 15_000 });
      const download = page.waitForEvent('download', { timeout: 60_000 });
      await page.locator(tid('export-geojson')).click();
      const exported = JSON.parse(fs.readFileSync(await (await download).path(), 'utf8'));
      const byId = new Map(exported.features.map((f) => [f.properties?.id ?? f.id, f]));
      assert.equal(byId.get(F.snapId)?.properties.description, F.snapDescription, 'the export keeps the description exactly');
      assert.ok(byId.has(F.liveId), `the live incident is exported under its literal id: ${[...byId.keys()]}`);
      await screenshot(page, `no-html-export-${lang}`);
      await page.keyboard.press('Escape');
      await assertClean(page, 'export');
      await app.assertHealthy('no-html');
    } finally {
      await ctx.close();
    }
  });
}

test('a javascript: tile template is refused with the field named; nothing runs', { timeout: TEST_TIMEOUT }, async () => {
  const bad = prepareDist({ tiles: { url_template: "javascript:window.__pwned='tiles'//{z}/{x}/{y}", attribution: 'x' } });
  const s = await startServer({ distDir: bad, apiOrigin: api.origin });
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const app = await openApp({ server: s }, ctx, { query: 'mode=desk', initScripts: [WATCH], waitReady: false, allowConsoleErrors: true });
    const { page } = app;
    const text = await page.waitForFunction(() => {
      const t = document.body.textContent;
      return t.includes('tiles.url_template') && t;
    }, null, { timeout: READY_TIMEOUT });
    assert.match(await text.jsonValue(), /tiles\.url_template[^]*http\(s\)/, 'the error names the field and says what is allowed');
    await screenshot(page, 'no-html-javascript-tiles');
    await assertClean(page, 'javascript: tile template');
  } finally {
    await ctx.close();
    await s.close();
  }
});

test('the wall: tour captions and the same data, in wall mode; the captions are carried as text and nothing runs', { timeout: TEST_TIMEOUT }, async () => {
  const caption = P('wall.tours.name');
  const badCaption = P('wall.tours.bad');
  const wallDir = prepareDist({
    layers: { cameras: 'public/xss/cameras.geojson', fences: 'public/xss/fences.geojson', ports: 'public/xss/ports.geojson' },
    zones: { url: 'public/xss/zones.geojson' },
    basemap_attribution: F.attribution,
    wall: {
      flight_s: 1,
      tours: [
        { name: caption, center: AT.camera, zoom: 15, dwell_s: 30 },
        { name: badCaption, center: AT.port, zoom: 40, dwell_s: 2 },
      ],
    },
  });
  fs.cpSync(path.join(dir, 'public', 'xss'), path.join(wallDir, 'public', 'xss'), { recursive: true });
  const s = await startServer({ distDir: wallDir, apiOrigin: api.origin });
  const ctx = await browser.newContext({ viewport: { width: 1920, height: 1080 }, deviceScaleFactor: 1 });
  try {
    const app = await openApp({ server: s }, ctx, { query: 'mode=wall', initScripts: [WATCH], allowResourceErrors: true });
    const { page } = app;
    await page.waitForFunction(() => window.calaisMap.tour()?.kind === 'tour', null, { timeout: 30_000 });
    assert.equal(await page.evaluate(() => window.calaisMap.tour().name), caption, 'the tour caption is the literal text');
    // The bad view is reported with its field named; its caption never becomes markup.
    await page.locator(tid('wall-problem')).first().waitFor({ timeout: 15_000 });
    assert.match(await page.locator(tid('wall-problems')).textContent(), /wall\.tours\[1\]\.zoom/);
    await waitForSettled(page);
    await screenshot(page, 'no-html-wall');
    await assertClean(page, 'wall');
    await app.assertHealthy('no-html wall');
  } finally {
    await ctx.close();
    await s.close();
  }
});
