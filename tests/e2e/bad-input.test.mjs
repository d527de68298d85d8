// 5. Bad input: one banner per failing layer naming the layer and the problem; valid
//    features of that layer and every other layer still render.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  sharedEnv, openApp, setView, project, sampleColours, hashRegion, screenshot, tid, colourKey, colourDist, PUBLIC, TEST_TIMEOUT,
} from './harness.mjs';

const env = sharedEnv();

const LAYER_NAME = { basemap: /basemap/i, fences: /fences?/i, cameras: /cameras?/i, ports: /ports?/i };

async function banners(page) {
  return page.$$eval('[data-testid="error-banner"]', (els) =>
    els.map((e) => ({ layer: e.getAttribute('data-layer'), text: e.textContent.trim(), visible: e.offsetParent !== null })));
}

function bannerFor(list, layer) {
  const mine = list.filter((b) => b.layer === layer);
  assert.equal(mine.length, 1, `exactly one banner for ${layer}: ${JSON.stringify(list)}`);
  assert.ok(mine[0].visible, `the ${layer} banner is visible`);
  assert.match(mine[0].text, LAYER_NAME[layer], `the ${layer} banner names the layer`);
  return mine[0].text;
}

const count = async (page, key) => Number((await page.locator(tid(`layer-count-${key}`)).textContent()).trim());
const fcLength = (file) => JSON.parse(fs.readFileSync(file, 'utf8')).features.length;

/** Land (Calais) and sea (Channel) pixels differ at the regional view: the basemap draws. */
async function assertBasemapDrawn(page) {
  await setView(page, 1.68, 50.95, 10);
  const [cal, ch] = await sampleColours(page, [await project(page, 1.85, 50.95), await project(page, 1.5, 50.95)], 3);
  assert.ok(cal && ch && colourDist(cal, ch) > 12, `basemap draws: Calais ${colourKey(cal)} vs Channel ${colourKey(ch)}`);
}

test('fences with NaN, mixed cameras, missing ports: three banners, valid features render', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await env.newContext();
  try {
    const app = await openApp(env, ctx, { config: '/fixtures/configs/bad-layers.json', allowConsoleErrors: true });
    const { page } = app;
    const list = await banners(page);
    await screenshot(page, '05-bad-layers-banners');
    const cams = bannerFor(list, 'cameras');
    assert.match(cams, /\b4 features? skipped/i, `cameras banner counts 4 skipped: ${cams}`);
    const fences = bannerFor(list, 'fences');
    assert.match(fences, /\b1 features? skipped/i, `fences banner counts 1 skipped: ${fences}`);
    const ports = bannerFor(list, 'ports');
    assert.match(ports, /404/, `ports banner says 404: ${ports}`);
    assert.ok(ports.includes('/fixtures/missing.geojson'), `ports banner names the URL: ${ports}`);
    assert.equal(list.length, 3, `no banner for the basemap: ${JSON.stringify(list)}`);

    assert.equal(await count(page, 'cameras'), 5, 'layer-count-cameras is the 5 valid cameras');
    assert.equal(await count(page, 'fences'), 3, 'layer-count-fences is the 3 valid fences (tests/fixtures/layers/README.md)');
    assert.equal(await count(page, 'ports'), 0, 'no ports loaded');
    assert.equal(await count(page, 'basemap'), fcLength(path.join(PUBLIC, 'data', 'basemap.geojson')));

    await assertBasemapDrawn(page);
    await screenshot(page, '05-bad-layers-region');
    await app.assertHealthy('bad layers');
  } finally {
    await ctx.close();
  }
});

test('basemap not JSON, ports a single Feature: one banner, the Feature and the other layers render', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await env.newContext();
  try {
    const app = await openApp(env, ctx, { config: '/fixtures/configs/bad-formats.json', allowConsoleErrors: true });
    const { page } = app;
    const list = await banners(page);
    await screenshot(page, '05-bad-formats-banners');
    const basemap = bannerFor(list, 'basemap');
    assert.match(basemap, /not (valid )?JSON/i, `basemap banner says not valid JSON: ${basemap}`);
    // Any RFC 7946 GeoJSON text is a layer: a single Feature is a layer of one feature.
    assert.equal(list.length, 1, `only the basemap fails: ${JSON.stringify(list)}`);
    assert.equal(await count(page, 'ports'), 1, 'the single Feature is one port');

    assert.ok((await count(page, 'cameras')) > 0, 'cameras load');
    assert.ok((await count(page, 'fences')) > 0, 'fences load');
    assert.equal(await count(page, 'basemap'), 0);
    // Fences and cameras are drawn around Coquelles even without a basemap.
    await setView(page, 1.82, 50.945, 13.5);
    const region = await hashRegion(page);
    assert.ok(region.colours >= 3, `fences and cameras drawn without a basemap: ${region.colours} colours on the canvas`);
    await screenshot(page, '05-bad-formats-coquelles');
    await app.assertHealthy('bad formats');
  } finally {
    await ctx.close();
  }
});

test('a layer answering HTTP 500 gets a banner naming the status; others render', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await env.newContext();
  env.server.respond('/fixtures/server-error.geojson', 500, 'Internal Server Error');
  try {
    const app = await openApp(env, ctx, { config: '/fixtures/configs/server-error.json', allowConsoleErrors: true });
    const { page } = app;
    const list = await banners(page);
    const cams = bannerFor(list, 'cameras');
    assert.match(cams, /500/, `cameras banner says 500: ${cams}`);
    assert.equal(list.length, 1, JSON.stringify(list));
    assert.equal(await count(page, 'cameras'), 0);
    assert.ok((await count(page, 'ports')) > 0, 'ports load');
    await assertBasemapDrawn(page);
    await screenshot(page, '05-server-error-500');
    await app.assertHealthy('http 500');
  } finally {
    env.server.clearResponses();
    await ctx.close();
  }
});

test('ports with unclosed rings: 2 skipped, 1 valid port kept', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await env.newContext();
  try {
    const app = await openApp(env, ctx, { config: '/fixtures/configs/ports-unclosed.json', allowConsoleErrors: true });
    const { page } = app;
    const list = await banners(page);
    const ports = bannerFor(list, 'ports');
    assert.match(ports, /\b2 features? skipped/i, `ports banner counts 2 skipped: ${ports}`);
    assert.equal(await count(page, 'ports'), 1);
    await screenshot(page, '05-ports-unclosed-ring');
    await app.assertHealthy('unclosed ring');
  } finally {
    await ctx.close();
  }
});

test('a missing config file is reported, not a blank page', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await env.newContext();
  try {
    const app = await openApp(env, ctx, { config: '/fixtures/configs/does-not-exist.json', waitReady: false, allowConsoleErrors: true });
    const { page } = app;
    // Either the app falls back to defaults with a banner, or it shows an error: never nothing.
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="error-banner"]') || document.querySelector('[data-testid="panic-message"]'),
    null, { timeout: 60_000 });
    const text = await page.locator('[data-testid="error-banner"], [data-testid="panic-message"]').first().textContent();
    assert.match(text, /404|config/i, `the problem is named: ${text}`);
    assert.equal(await page.locator(tid('panic-message')).count(), 0, `a missing config must not panic: ${text}`);
    await screenshot(page, '05-missing-config');
    assert.deepEqual(app.pageErrors, []);
  } finally {
    await ctx.close();
  }
});
