// Issue 14 item 8, the basemap for officers on foot: land and sea told apart at a glance (the
// WCAG contrast ratio of the drawn land and sea pixels at least 3:1), the ids incident texts
// name labelled from zoom 15 (camera ids "cam-T-16", fence sectors "T-11") and not at zoom 13,
// the basemap's attribution and licence shown; screenshots at zoom 15 of Calais port, Dunkirk
// port and the Coquelles terminal (target/e2e-screenshots/14-field-*.png).
//
// The finer coastline the issue asks for is not tested here: the finest land data on the
// package registries (@geo-maps/countries-land-1m) has no more vertices round the harbours
// than the shipped basemap (public/data/README.md, "Known limits").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  sharedEnv, openApp, setView, project, sampleColours, screenshot, tid, PUBLIC, waitForSettled,
  polygonsOf, inAnyPolygon, distanceToEdges, colourKey, TEST_TIMEOUT,
} from './harness.mjs';

const env = sharedEnv();
const land = polygonsOf(JSON.parse(fs.readFileSync(path.join(PUBLIC, 'data', 'basemap.geojson'), 'utf8')));

/** WCAG 2 relative luminance of an [r, g, b] pixel. */
function luminance([r, g, b]) {
  const lin = (c) => {
    const v = c / 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}
const contrast = (a, b) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
};

/** The most frequent colour of `colours`. */
function mode(colours) {
  const counts = new Map();
  for (const c of colours.filter(Boolean)) counts.set(colourKey(c), [(counts.get(colourKey(c))?.[0] || 0) + 1, c]);
  return [...counts.values()].sort((a, b) => b[0] - a[0])[0]?.[1] ?? null;
}

test('land and sea drawn at a WCAG contrast of at least 3:1; attribution names OpenStreetMap and the ODbL', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await env.newContext();
  try {
    const app = await openApp(env, ctx);
    const { page } = app;
    await setView(page, 1.68, 50.95, 10);
    // Points a good way from any coast: inland France and Kent, the open Channel.
    const inland = [[2.2, 50.75], [1.95, 50.8], [1.05, 51.2], [2.4, 50.85]];
    const sea = [[1.45, 51.0], [1.6, 51.1], [1.3, 50.9], [2.0, 51.15]];
    for (const p of inland) assert.ok(inAnyPolygon(p, land) && distanceToEdges(p, land) > 0.02, `${p} is land`);
    for (const p of sea) assert.ok(!inAnyPolygon(p, land) && distanceToEdges(p, land) > 0.02, `${p} is sea`);
    const xy = async (pts) => Promise.all(pts.map(([lo, la]) => project(page, lo, la)));
    const landColour = mode(await sampleColours(page, await xy(inland), 3));
    const seaColour = mode(await sampleColours(page, await xy(sea), 3));
    assert.ok(landColour && seaColour, 'land and sea sampled');
    const ratio = contrast(landColour, seaColour);
    console.log(`land ${colourKey(landColour)}, sea ${colourKey(seaColour)}: contrast ${ratio.toFixed(2)}:1`);
    assert.ok(ratio >= 3, `land ${colourKey(landColour)} / sea ${colourKey(seaColour)}: ${ratio.toFixed(2)}:1 < 3:1`);
    // Still a dark map: the sea near black, the land below mid-grey.
    assert.ok(luminance(seaColour) < 0.01 && luminance(landColour) < 0.18, 'a dark map');
    await screenshot(page, '14-field-region-zoom10');

    const attribution = await page.locator(tid('attribution')).textContent();
    assert.match(attribution, /© OpenStreetMap contributors/);
    assert.match(attribution, /ODbL/);
    assert.ok(await page.locator(tid('attribution')).isVisible(), 'attribution visible');
    await app.assertHealthy('contrast');
  } finally {
    await ctx.close();
  }
});

test('camera ids and fence sectors labelled from zoom 15, not at zoom 13; screenshots at zoom 15', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await env.newContext();
  try {
    const app = await openApp(env, ctx);
    const { page } = app;
    const labels = async () => {
      await waitForSettled(page);
      return page.evaluate(() => window.calaisMap.labels().map((l) => l.text));
    };
    const camId = /^cam-[A-Z]-\d\d$/;
    const sector = /^[A-Z]-\d\d$/;

    // The Coquelles terminal, where the demo's fence breaches happen.
    await setView(page, 1.812, 50.928, 13);
    const z13 = await labels();
    assert.equal(z13.filter((t) => camId.test(t) || sector.test(t)).length, 0, `no ids at zoom 13: ${z13}`);

    await setView(page, 1.812, 50.928, 15);
    const z15 = await labels();
    const cams = z15.filter((t) => camId.test(t));
    const sectors = z15.filter((t) => sector.test(t));
    console.log(`zoom 15 at Coquelles: ${cams.length} camera ids, ${sectors.length} fence sectors (${z15.length} labels)`);
    assert.ok(cams.some((t) => t.startsWith('cam-T-')), `terminal camera ids at zoom 15: ${z15}`);
    assert.ok(sectors.some((t) => t.startsWith('T-')), `terminal fence sectors at zoom 15: ${z15}`);
    // Every labelled id is one of the data's.
    const fences = JSON.parse(fs.readFileSync(path.join(PUBLIC, 'data', 'fences.geojson'), 'utf8'));
    const cameras = JSON.parse(fs.readFileSync(path.join(PUBLIC, 'data', 'cameras.geojson'), 'utf8'));
    const known = new Set([...fences.features.map((f) => f.properties.sector), ...cameras.features.map((f) => f.id)]);
    for (const t of [...cams, ...sectors]) assert.ok(known.has(t), `${t} is an id of the data`);
    await screenshot(page, '14-field-coquelles-zoom15');

    // The two ports officers walk, at zoom 15.
    await setView(page, 1.865, 50.966, 15);
    await screenshot(page, '14-field-calais-port-zoom15');
    await setView(page, 2.36, 51.045, 15);
    await screenshot(page, '14-field-dunkirk-port-zoom15');
    await app.assertHealthy('id labels');
  } finally {
    await ctx.close();
  }
});
