// Exports fit to hand on (issue 14 item 7) against the scripted demo server
// (server/scenarios/basic.json, shifted to now) with the incident filter at severity ≥ 3:
// the picture (PNG) is downloaded with its record (JSON) and the incidents it hashes (GeoJSON);
// its map region equals a screenshot of the same map, the band below it carries text; its
// text chunks read with good CRCs (checked here with an independent CRC-32) and the embedded
// record is byte-equal to the sidecar; the SHA-256 of the exported GeoJSON, recomputed with
// Node's crypto, is the record's; the GeoJSON and CSV downloads hold the filtered incidents
// only; the zones' downloads parse; a French export is worded in French. The pictures are
// saved in target/e2e-screenshots/ to be looked at.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  startDemoServer, prepareDist, launchBrowser, openApp, readScenario, shiftScenario, shiftToNow,
  scenarioFinalState, expectedView, waitForIncidentFacts, waitForSettled, tid, SCREENSHOTS, BASIC_SCENARIO,
  TEST_TIMEOUT,
} from './harness.mjs';

const MIN_SEVERITY = 3;

// CRC-32 (ISO-HDLC), written here from the PNG specification, independent of the app's.
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

/** Every chunk of a PNG: type, data, whether its CRC is right. */
function pngChunks(buf) {
  assert.deepEqual([...buf.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  const out = [];
  let at = 8;
  while (at < buf.length) {
    const len = buf.readUInt32BE(at);
    const type = buf.subarray(at + 4, at + 8).toString('latin1');
    const data = buf.subarray(at + 8, at + 8 + len);
    const crc = buf.readUInt32BE(at + 8 + len);
    out.push({ type, data, crcOk: crc === crc32(buf.subarray(at + 4, at + 8 + len)) });
    at += 12 + len;
    if (type === 'IEND') break;
  }
  assert.equal(at, buf.length, 'IEND ends the file');
  return out;
}

/** tEXt and iTXt chunks as keyword → text. */
function pngTexts(chunks) {
  const texts = {};
  for (const c of chunks) {
    const nul = c.data.indexOf(0);
    const keyword = c.data.subarray(0, nul).toString('latin1');
    if (c.type === 'tEXt') texts[keyword] = c.data.subarray(nul + 1).toString('latin1');
    if (c.type === 'iTXt') {
      assert.equal(c.data[nul + 1], 0, 'iTXt not compressed');
      let p = nul + 3;
      p = c.data.indexOf(0, p) + 1; // language tag
      p = c.data.indexOf(0, p) + 1; // translated keyword
      texts[keyword] = c.data.subarray(p).toString('utf8');
    }
  }
  return texts;
}

/** Clicks `button` and collects the `n` downloads it starts: name → Buffer. */
async function downloads(page, button, n) {
  const got = [];
  const listener = (d) => got.push(d);
  page.on('download', listener);
  try {
    await page.click(tid(button));
    const t0 = Date.now();
    while (got.length < n && Date.now() - t0 < 60_000) await page.waitForTimeout(100);
  } finally {
    page.off('download', listener);
  }
  assert.equal(got.length, n, `${button}: ${n} downloads (status: ${await page.locator(tid('export-status')).textContent()})`);
  const files = {};
  for (const d of got) files[d.suggestedFilename()] = fs.readFileSync(await d.path());
  return files;
}

const byExt = (files, ext) => Object.entries(files).find(([name]) => name.endsWith(ext)) ?? [null, null];

/** RGBA pixels of a rectangle of a PNG, decoded by the browser. */
const pngPixels = (page, png, rect) =>
  page.evaluate(async ({ b64, rect }) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const bmp = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const c = new OffscreenCanvas(rect.w, rect.h);
    const ctx = c.getContext('2d');
    ctx.drawImage(bmp, rect.x, rect.y, rect.w, rect.h, 0, 0, rect.w, rect.h);
    return { size: [bmp.width, bmp.height], data: Array.from(ctx.getImageData(0, 0, rect.w, rect.h).data) };
  }, { b64: png.toString('base64'), rect });

describe('exports: the picture with its record, the filtered incidents, the zones', () => {
  const raw = readScenario(BASIC_SCENARIO);
  const scenario = shiftScenario(raw, { shiftMs: shiftToNow(raw, { agoMs: 20_000 }) });
  const expected = expectedView(scenarioFinalState(scenario));
  const shownIds = [...expected.byId].filter(([, f]) => f.properties.severity >= MIN_SEVERITY).map(([id]) => id).sort();
  let server, browser, ctx, app;
  // The text band's height of a single wall screen's picture (the kiosk test), for the tiled one.
  let singleWallBand = null;

  before(async () => {
    const dir = prepareDist({ initial_view: { lon: 1.8, lat: 50.95, zoom: 11 } });
    server = await startDemoServer({ scenario, firstSeq: 1, heartbeatMs: 1000, staticDir: dir });
    browser = await launchBrowser();
    ctx = await browser.newContext({ viewport: { width: 1600, height: 1000 }, acceptDownloads: true });
  });

  after(async () => {
    await ctx?.close();
    await browser?.close();
    await server?.kill();
  });

  async function open(query = '') {
    app = await openApp({ server }, ctx, { query, allowConsoleErrors: true });
    const page = app.page;
    await waitForIncidentFacts(page, (f) => f.total === expected.total && f.status?.status === 'live', { what: 'the scenario shown', timeout: 60_000 });
    await page.selectOption(tid('incident-filter-severity'), String(MIN_SEVERITY));
    await waitForIncidentFacts(page, (f) => f.total === shownIds.length, { what: 'the severity filter', timeout: 10_000 });
    await waitForSettled(page);
    return page;
  }

  test('the PNG: map as on screen, band of texts, record inside equal to the sidecar, hash checks', { timeout: TEST_TIMEOUT }, async () => {
    const page = await open();
    await page.click(tid('export-open'));
    const note = 'Relief at 14:00 — two boats seen off Sangatte; écluse Carnot closed.';
    await page.fill(tid('export-note'), note);
    const files = await downloads(page, 'export-png', 3);
    assert.equal(await page.locator(tid('export-status')).getAttribute('data-state'), 'done');
    const [pngName, png] = byExt(files, '.png');
    const [jsonName, json] = byExt(files, '.json');
    const [geoName, geo] = byExt(files, '.incidents.geojson');
    assert.match(pngName, /^calais-map-\d{8}-\d{6}Z\.png$/);
    assert.equal(jsonName, pngName.replace('.png', '.json'));
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    fs.writeFileSync(path.join(SCREENSHOTS, 'export-desk-en.png'), png);

    // Chunks: every CRC right (our own CRC-32 here); the record embedded is the sidecar, byte for byte.
    const chunks = pngChunks(png);
    assert.ok(chunks.every((c) => c.crcOk), `bad CRC in ${chunks.filter((c) => !c.crcOk).map((c) => c.type)}`);
    const texts = pngTexts(chunks);
    assert.equal(texts['Calais-Map-Sidecar'], json.toString('utf8'), 'embedded record = sidecar');
    assert.match(texts.Software, /^calais-map \d+\.\d+\.\d+/);
    const record = JSON.parse(json.toString('utf8'));

    // The record's fields.
    assert.equal(record.format, 'calais-map-export/1');
    assert.match(record.app.version, /^\d+\.\d+\.\d+$/);
    assert.equal(record.note, note);
    assert.equal(texts['Creation Time'], record.exported.utc);
    assert.match(record.exported.london, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[01]:00$/);
    assert.match(record.exported.paris, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[12]:00$/);
    assert.equal(Math.abs(Date.parse(record.exported.london) - Date.parse(record.exported.paris)) < 1000, true, 'one instant');
    const v = await page.evaluate(() => window.calaisMap.view());
    assert.ok(Math.abs(record.view.zoom - v.zoom) < 1e-3, `zoom ${record.view.zoom} vs ${v.zoom}`);
    assert.equal(record.view.width_css, 1600);
    const [w, s, e, n] = record.view.bbox;
    assert.ok(w < record.view.centre[0] && record.view.centre[0] < e && s < record.view.centre[1] && record.view.centre[1] < n);
    assert.equal(record.parameters.min_severity, MIN_SEVERITY);
    assert.ok(record.parameters.layers.includes('basemap') && record.parameters.layers.includes('incidents'));
    assert.equal(record.feed.status, 'live');
    assert.ok(Date.parse(record.feed.last_update) > 0);
    assert.equal(record.image.file, pngName);
    assert.equal(record.incidents.file, geoName);
    assert.equal(record.incidents.count, shownIds.length);

    // The hash: SHA-256 of the exported GeoJSON's bytes, recomputed here.
    assert.equal(crypto.createHash('sha256').update(geo).digest('hex'), record.incidents.sha256);
    const fc = JSON.parse(geo.toString('utf8'));
    assert.deepEqual(fc.features.map((f) => f.id), shownIds, 'the filtered incidents, sorted by id');

    // Pixels: the picture's size, its map part against a screenshot of the same map.
    await page.click(tid('export-close'));
    await waitForSettled(page);
    const rect = { x: 640, y: 360, w: 320, h: 220 };
    const shot = await page.screenshot({ clip: { x: rect.x, y: rect.y, width: rect.w, height: rect.h } });
    fs.writeFileSync(path.join(SCREENSHOTS, 'export-desk-en-screen-region.png'), shot);
    const a = await pngPixels(page, png, rect);
    const b = await pngPixels(page, shot, { x: 0, y: 0, w: rect.w, h: rect.h });
    assert.deepEqual(a.size, [record.image.width_px, record.image.height_px]);
    assert.equal(record.image.width_px, 1600);
    assert.equal(record.image.map_height_px, 1000);
    let sum = 0, close = 0;
    const px = a.data.length / 4;
    for (let i = 0; i < a.data.length; i += 4) {
      const d = Math.max(Math.abs(a.data[i] - b.data[i]), Math.abs(a.data[i + 1] - b.data[i + 1]), Math.abs(a.data[i + 2] - b.data[i + 2]));
      sum += d;
      if (d <= 16) close++;
    }
    assert.ok(sum / px < 6 && close / px > 0.97, `map region differs from the screen: mean ${(sum / px).toFixed(2)}, close ${(close / px * 100).toFixed(1)} %`);
    // Not a blank region either: the map has land and sea in it.
    const lum = new Set(); for (let i = 0; i < a.data.length; i += 4 * 97) lum.add(a.data[i] + a.data[i + 1] + a.data[i + 2]);
    assert.ok(lum.size > 3, 'the region shows the map');

    // The band below the map: its background and light text pixels.
    const bandH = record.image.height_px - record.image.map_height_px;
    assert.ok(bandH > 120, `band height ${bandH}`);
    const band = await pngPixels(page, png, { x: 0, y: record.image.map_height_px, w: 1600, h: bandH });
    let light = 0;
    for (let i = 0; i < band.data.length; i += 4) if (band.data[i] > 200 && band.data[i + 1] > 200 && band.data[i + 2] > 200) light++;
    assert.ok(light > 3000, `text in the band: ${light} light pixels`);
    await app.assertHealthy('export png');
    await app.close();
  });

  test('GeoJSON and CSV of the filtered incidents and of the zones', { timeout: TEST_TIMEOUT }, async () => {
    const page = await open();
    await page.click(tid('export-open'));
    const [geoName, geo] = Object.entries(await downloads(page, 'export-geojson', 1))[0];
    assert.match(geoName, /\.incidents\.geojson$/);
    const fc = JSON.parse(geo.toString('utf8'));
    assert.deepEqual(fc.features.map((f) => f.id), shownIds);
    for (const f of fc.features) {
      const want = expected.byId.get(f.id);
      assert.ok(f.properties.severity >= MIN_SEVERITY);
      assert.deepEqual(f.geometry.coordinates, want.geometry.coordinates.map((c) => Math.round(c * 1e7) / 1e7));
    }
    const [csvName, csv] = Object.entries(await downloads(page, 'export-csv', 1))[0];
    assert.match(csvName, /\.incidents\.csv$/);
    const rows = csv.toString('utf8').trim().split('\r\n');
    assert.equal(rows[0], 'id,kind,severity,status,reported at (UTC),updated at (UTC),longitude (WGS84),latitude (WGS84),accuracy (m),source,description');
    assert.deepEqual(rows.slice(1).map((r) => r.split(',')[0]), shownIds);
    assert.ok(rows.slice(1).every((r) => Number(r.split(',')[2]) >= MIN_SEVERITY));

    const [zName, zGeo] = Object.entries(await downloads(page, 'export-zones-geojson', 1))[0];
    assert.match(zName, /\.zones\.geojson$/);
    const zones = JSON.parse(zGeo.toString('utf8'));
    assert.ok(zones.features.length >= 8, `${zones.features.length} zones`);
    const [, zCsv] = Object.entries(await downloads(page, 'export-zones-csv', 1))[0];
    const zRows = zCsv.toString('utf8').trim().split('\r\n');
    assert.match(zRows[0], /^id,name,kind,origin,open incidents inside,/);
    assert.equal(zRows.length - 1, zones.features.length);
    assert.ok(zRows.slice(1).every((r) => /"(MULTI)?POLYGON \(/.test(r)), 'every zone has its WKT shape');
    await app.assertHealthy('data exports');
    await app.close();
  });

  test('on the wall (kiosk): the key E opens the dialog; the picture is this screen at wall scale', { timeout: TEST_TIMEOUT }, async () => {
    const wallCtx = await browser.newContext({ viewport: { width: 1920, height: 1080 }, acceptDownloads: true });
    try {
      const wall = await openApp({ server }, wallCtx, { query: 'mode=wall', allowConsoleErrors: true });
      const page = wall.page;
      await waitForIncidentFacts(page, (f) => f.status?.status === 'live', { what: 'live on the wall', timeout: 60_000 });
      assert.equal(await page.locator(tid('export-open')).isVisible(), false, 'no button on the kiosk');
      await page.keyboard.press('e');
      await page.waitForSelector(tid('export-dialog'));
      const files = await downloads(page, 'export-png', 3);
      const [, png] = byExt(files, '.png');
      const [, json] = byExt(files, '.json');
      fs.writeFileSync(path.join(SCREENSHOTS, 'export-wall.png'), png);
      const record = JSON.parse(json.toString('utf8'));
      assert.equal(record.image.mode, 'wall');
      assert.equal(record.note, '', 'the key that opened the dialog is not typed into the note');
      assert.equal(record.image.wall_tile, null, 'a single screen');
      assert.equal(record.image.width_px, 1920, 'this screen, one device px a screen px');
      assert.equal(record.image.map_height_px, 1080);
      singleWallBand = record.image.height_px - record.image.map_height_px;
      // The wall's map scale k makes the band's type larger than on the desk (rem-like).
      assert.ok(record.view.dpr > 1, `map scale in the view's dpr: ${record.view.dpr}`);
      assert.equal(pngTexts(pngChunks(png))['Calais-Map-Sidecar'], json.toString('utf8'));
      await wall.assertHealthy('export on the wall');
    } finally {
      await wallCtx.close();
    }
  });

  test('a wall of two screens: each screen exports its part, both records name the one wall view', { timeout: TEST_TIMEOUT }, async () => {
    const exported = {};
    for (const tile of ['0,0', '1,0']) {
      const wallCtx = await browser.newContext({ viewport: { width: 1920, height: 1080 }, acceptDownloads: true });
      try {
        const wall = await openApp({ server }, wallCtx, { query: `mode=wall&wall=2x1&tile=${tile}`, allowConsoleErrors: true });
        const page = wall.page;
        await waitForIncidentFacts(page, (f) => f.status?.status === 'live', { what: `live on tile ${tile}`, timeout: 60_000 });
        await waitForSettled(page);
        await page.keyboard.press('e');
        await page.waitForSelector(tid('export-dialog'));
        const files = await downloads(page, 'export-png', 3);
        const [, png] = byExt(files, '.png');
        const [, json] = byExt(files, '.json');
        fs.writeFileSync(path.join(SCREENSHOTS, `export-wall-2x1-tile-${tile.replace(',', '-')}.png`), png);
        const record = JSON.parse(json.toString('utf8'));
        assert.equal(record.image.mode, 'wall');
        assert.equal(record.image.wall_tile, tile, 'the record names its screen');
        assert.equal(record.image.wall_grid, '2x1', 'and the wall it is part of');
        assert.equal(record.image.width_px, 1920, 'the picture is this screen, not the whole wall');
        assert.equal(record.image.map_height_px, 1080);
        assert.equal(pngTexts(pngChunks(png))['Calais-Map-Sidecar'], json.toString('utf8'));
        const map = await pngPixels(page, png, { x: 0, y: 0, w: 1920, h: 1080 });
        assert.deepEqual(map.size, [1920, record.image.height_px]);
        if (singleWallBand !== null) {
          // One more line in the band: which screen of the wall this picture is.
          assert.ok(record.image.height_px - record.image.map_height_px > singleWallBand,
            `the band names the screen: ${record.image.height_px - record.image.map_height_px} px against ${singleWallBand} on a single screen`);
        }
        exported[tile] = { record, map: map.data };
        await wall.assertHealthy(`export on tile ${tile}`);
      } finally {
        await wallCtx.close();
      }
    }
    const [a, b] = [exported['0,0'], exported['1,0']];
    // The record's view is the whole wall's (ImageRecord's doc), on either screen (the two are
    // opened one after the other, so the tour may have moved between them: only the extent is
    // compared).
    for (const { record } of [a, b]) {
      const screenCss = 1920 / record.view.dpr;
      assert.ok(Math.abs(record.view.width_css - 2 * screenCss) < 2,
        `tile ${record.image.wall_tile}: the view spans both screens (${record.view.width_css} CSS px, one screen ${screenCss})`);
    }
    // Each picture is its own half: the map parts differ.
    let differ = 0;
    for (let k = 0; k < a.map.length; k += 4) if (a.map[k] !== b.map[k] || a.map[k + 1] !== b.map[k + 1]) differ++;
    assert.ok(differ > a.map.length / 4 / 10, `the two screens' pictures differ in ${differ} px`);
  });

  test('in French: the band, the CSV header and the status are French', { timeout: TEST_TIMEOUT }, async () => {
    const page = await open('lang=fr');
    await page.keyboard.press('e'); // the key opens the dialog (focus is on the map)
    await page.waitForSelector(tid('export-dialog'));
    await page.fill(tid('export-note'), 'Relève de 14 h — deux embarcations au large de Sangatte.');
    const files = await downloads(page, 'export-png', 3);
    assert.match(await page.locator(tid('export-status')).textContent(), /^Enregistré : /);
    const [, png] = byExt(files, '.png');
    const [, json] = byExt(files, '.json');
    fs.writeFileSync(path.join(SCREENSHOTS, 'export-desk-fr.png'), png);
    const record = JSON.parse(json.toString('utf8'));
    assert.equal(record.lang, 'fr');
    assert.equal(pngTexts(pngChunks(png))['Calais-Map-Sidecar'], json.toString('utf8'));
    const [, csv] = Object.entries(await downloads(page, 'export-csv', 1))[0];
    assert.match(csv.toString('utf8'), /^identifiant,type,gravité,statut,/);
    await app.assertHealthy('export in French');
    await app.close();
  });
});
