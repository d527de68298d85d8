// 1. The map is drawn: land and sea pixels where the basemap says, screenshots of the
//    region and of Calais/Coquelles; attribution, legend, layer panel; 9. ?perf overlay.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  sharedEnv, openApp, setView, project, sampleColours, screenshot, view, tid, CANVAS, PUBLIC,
  polygonsOf, inAnyPolygon, distanceToEdges, colourKey, colourDist, TEST_TIMEOUT,
} from './harness.mjs';

const env = sharedEnv();
const land = polygonsOf(JSON.parse(fs.readFileSync(path.join(PUBLIC, 'data', 'basemap.geojson'), 'utf8')));

/** A lon/lat grid covering the canvas, projected; each point classified land/sea by the basemap. */
async function classifiedGrid(page, cols = 24, rows = 16) {
  const v = await view(page);
  const [cx, cy] = await project(page, v.lon, v.lat);
  const [ex] = await project(page, v.lon + 0.01, v.lat);
  const [, ny] = await project(page, v.lon, v.lat + 0.01);
  const pxPerDegLon = (ex - cx) / 0.01;
  const pxPerDegLat = (cy - ny) / 0.01;
  assert.ok(pxPerDegLon > 0 && pxPerDegLat > 0, `project() must grow east/north: ${ex - cx}, ${cy - ny}`);
  const pts = [];
  for (let i = 0; i < cols; i++)
    for (let j = 0; j < rows; j++) {
      const x = ((i + 0.5) / cols) * v.width;
      const y = ((j + 0.5) / rows) * v.height;
      pts.push([v.lon + (x - cx) / pxPerDegLon, v.lat - (y - cy) / pxPerDegLat]);
    }
  const projected = await page.evaluate((pts) => pts.map(([lo, la]) => window.calaisMap.project(lo, la)), pts);
  const marginDeg = 8 / pxPerDegLat; // keep 8 CSS px away from every coastline
  const out = [];
  pts.forEach((ll, k) => {
    const [x, y] = projected[k];
    if (x < 4 || y < 4 || x > v.width - 4 || y > v.height - 4) return;
    if (distanceToEdges(ll, land) < marginDeg) return;
    out.push({ ll, xy: [x, y], land: inAnyPolygon(ll, land) });
  });
  return out;
}

function mode(colours) {
  const counts = new Map();
  for (const c of colours) counts.set(colourKey(c), [(counts.get(colourKey(c))?.[0] || 0) + 1, c]);
  return [...counts.values()].sort((a, b) => b[0] - a[0])[0] || [0, null];
}

test('map is drawn: land and sea colours where the basemap says, Calais land, Channel sea', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await env.newContext();
  try {
    const app = await openApp(env, ctx);
    const { page } = app;
    const canvas = page.locator(CANVAS);
    assert.equal(await canvas.getAttribute('data-ready'), 'true');
    assert.ok(Number(await canvas.getAttribute('data-frames')) >= 1, 'data-frames ≥ 1');

    // The canvas fills the window.
    const box = await canvas.boundingBox();
    const vp = page.viewportSize();
    assert.ok(Math.abs(box.width - vp.width) <= 1 && Math.abs(box.height - vp.height) <= 1,
      `canvas ${box.width}x${box.height} should fill the ${vp.width}x${vp.height} window`);

    // The loading notice is gone once the map is drawn.
    assert.equal(await page.locator(tid('loading')).count(), 0, 'loading notice hidden when ready');

    // Whole region: the Calais area and the Channel must both be in view.
    await screenshot(page, '01-map-initial-view');
    await setView(page, 1.68, 50.95, 10);
    await screenshot(page, '01-map-region-zoom10');

    const grid = await classifiedGrid(page);
    const landPts = grid.filter((p) => p.land);
    const seaPts = grid.filter((p) => !p.land);
    assert.ok(landPts.length >= 10 && seaPts.length >= 10, `grid needs land and sea: ${landPts.length}/${seaPts.length}`);
    const landCols = await sampleColours(page, landPts.map((p) => p.xy));
    const seaCols = await sampleColours(page, seaPts.map((p) => p.xy));

    // At least two dominant colours across the grid.
    const all = [...landCols, ...seaCols];
    const hist = new Map();
    for (const c of all) hist.set(colourKey(c), (hist.get(colourKey(c)) || 0) + 1);
    const top = [...hist.entries()].sort((a, b) => b[1] - a[1]);
    assert.ok(top.length >= 2 && top[1][1] >= 0.1 * all.length,
      `expected two dominant colours (each ≥10% of ${all.length} samples), got ${JSON.stringify(top.slice(0, 5))}`);

    const [landN, landColour] = mode(landCols);
    const [seaN, seaColour] = mode(seaCols);
    assert.ok(colourDist(landColour, seaColour) > 12,
      `land ${colourKey(landColour)} and sea ${colourKey(seaColour)} must differ`);
    assert.ok(landN >= 0.6 * landCols.length,
      `land points mostly one colour: ${landN}/${landCols.length} are ${colourKey(landColour)}`);
    assert.ok(seaN >= 0.6 * seaCols.length,
      `sea points mostly one colour: ${seaN}/${seaCols.length} are ${colourKey(seaColour)}`);
    // Land samples must not look like sea and vice versa.
    const landAsSea = landCols.filter((c) => colourDist(c, seaColour) < colourDist(c, landColour)).length;
    const seaAsLand = seaCols.filter((c) => colourDist(c, landColour) < colourDist(c, seaColour)).length;
    assert.ok(landAsSea <= 0.1 * landCols.length, `${landAsSea}/${landCols.length} land points are sea-coloured`);
    assert.ok(seaAsLand <= 0.1 * seaCols.length, `${seaAsLand}/${seaCols.length} sea points are land-coloured`);

    // Calais (1.85, 50.95) is land-coloured, the Channel (1.5, 50.95) sea-coloured.
    const calais = await project(page, 1.85, 50.95);
    const channel = await project(page, 1.5, 50.95);
    const [cCal, cCh] = await sampleColours(page, [calais, channel], 3);
    assert.ok(cCal && colourDist(cCal, landColour) < colourDist(cCal, seaColour),
      `Calais ${JSON.stringify(calais)} is ${colourKey(cCal)}; land ${colourKey(landColour)}, sea ${colourKey(seaColour)}`);
    assert.ok(cCh && colourDist(cCh, seaColour) <= colourDist(cCh, landColour) && colourDist(cCh, seaColour) < 10,
      `Channel ${JSON.stringify(channel)} is ${colourKey(cCh)}; sea ${colourKey(seaColour)}`);
    console.log(`land ${colourKey(landColour)} (${landN}/${landCols.length}), sea ${colourKey(seaColour)} (${seaN}/${seaCols.length})`);

    // Calais / Coquelles close up.
    await setView(page, 1.82, 50.945, 13.5);
    await screenshot(page, '01-map-calais-coquelles-zoom13.5');
    const v = await view(page);
    assert.ok(Math.abs(v.zoom - 13.5) < 0.01 && Math.abs(v.lon - 1.82) < 1e-4 && Math.abs(v.lat - 50.945) < 1e-4,
      `setView → view() ${JSON.stringify(v)}`);
    const [ccx, ccy] = await project(page, 1.82, 50.945);
    assert.ok(Math.abs(ccx - v.width / 2) < 2 && Math.abs(ccy - v.height / 2) < 2,
      `view centre projects to the canvas centre: ${ccx},${ccy} vs ${v.width / 2},${v.height / 2}`);

    await app.assertHealthy('map-drawn');
  } finally {
    await ctx.close();
  }
});

test('chrome: layer panel with four checked toggles and counts, legend, attribution, buttons, scale bar', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await env.newContext();
  try {
    const app = await openApp(env, ctx);
    const { page } = app;
    await page.locator(tid('layer-panel')).waitFor({ state: 'visible' });
    for (const key of ['basemap', 'fences', 'cameras', 'ports']) {
      const toggle = page.locator(`input${tid(`layer-toggle-${key}`)}`);
      assert.equal(await toggle.count(), 1, `layer-toggle-${key}`);
      assert.equal(await toggle.isChecked(), true, `layer ${key} visible at start`);
      const count = (await page.locator(tid(`layer-count-${key}`)).textContent()).trim();
      assert.match(count, /^\d+$/, `layer-count-${key} is a number: ${JSON.stringify(count)}`);
      assert.ok(Number(count) > 0, `layer ${key} has features: ${count}`);
      assert.equal(await page.locator(tid(`layer-row-${key}`)).count(), 1, `layer-row-${key}`);
    }
    const cams = JSON.parse(fs.readFileSync(path.join(PUBLIC, 'data', 'cameras.geojson'), 'utf8'));
    assert.equal(Number(await page.locator(tid('layer-count-cameras')).textContent()), cams.features.length,
      'layer-count-cameras equals the demo cameras');
    assert.ok(await page.locator(tid('legend')).isVisible(), 'legend visible');
    assert.match(await page.locator(tid('attribution')).textContent(), /OpenStreetMap contributors/);
    for (const b of ['zoom-in', 'zoom-out', 'fit-region']) assert.ok(await page.locator(tid(b)).isVisible(), `${b} visible`);
    assert.match(await page.locator(tid('scale-bar-label')).textContent(), /\d\s*(k?m)\b/);
    // The bar's length is set through the CSSOM (`style:width`, allowed by a strict CSP).
    const bar = await page.evaluate(() => {
      const el = document.querySelector('.scale-bar-line');
      return { width: el.getBoundingClientRect().width };
    });
    assert.ok(bar.width > 20 && bar.width <= 145, `scale bar line is ${bar.width}px wide`);
    assert.equal(await page.locator(tid('error-banner')).count(), 0, 'no error banner with the demo data');
    assert.equal(await page.locator(tid('perf-overlay')).count(), 0, 'no perf overlay without ?perf');
    // The canvas is focused at start (keyboard works without a click).
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'map-canvas');
    const mark = await page.evaluate(() => performance.getEntriesByName('map-first-draw').length);
    assert.equal(mark, 1, "performance mark 'map-first-draw'");
    await app.assertHealthy('chrome');
  } finally {
    await ctx.close();
  }
});

test('?perf shows the perf overlay with a render time in ms and feature counts', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await env.newContext();
  try {
    const app = await openApp(env, ctx, { perf: true });
    const { page } = app;
    const overlay = page.locator(tid('perf-overlay'));
    await overlay.waitFor({ state: 'visible', timeout: 30_000 });
    const text = await overlay.textContent();
    assert.match(text, /\d+(\.\d+)?\s*ms/, `perf overlay shows ms: ${JSON.stringify(text)}`);
    const cams = (await page.locator(tid('layer-count-cameras')).textContent()).trim();
    assert.ok(text.includes(cams), `perf overlay shows the feature counts (cameras ${cams}): ${JSON.stringify(text)}`);
    await screenshot(page, '09-perf-overlay');
    await app.assertHealthy('perf');
  } finally {
    await ctx.close();
  }
});
