// The heatmap end to end (issue 12, phase 1) against the real demo server in scenario mode:
// tests/fixtures/scenarios/heatmap-history.json scripts 14 days of history, round Calais in the
// first week and round Dunkirk in the second (a 2-D normal of 1,500 ground metres, 20 reports an
// hour). The layer's own canvas (data-testid="heatmap-canvas", one pixel a grid cell, placed
// over the map) is read where Calais and Dunkirk are on screen; the legend's data attributes are
// checked against the kernel density the engine must give (a Gaussian of σ over a normal of
// spread s has its peak at N / (2π (s² + σ²)) reports per km²); the window, a kind filter and
// the bandwidth change the picture; a bandwidth out of range is refused with the field named;
// a scenario without history (heatmap-live.json) says "no history" once and shows the live
// incidents; an unusable history page (a 400, a page that is not JSON) is said in the panel.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  startDemoServer, prepareDist, launchBrowser, openApp, readScenario, shiftScenario, shiftToNow,
  screenshot, setView, waitForSettled, SCENARIOS, TEST_TIMEOUT, tid, heatRgba,
} from './harness.mjs';

const HISTORY = path.join(SCENARIOS, 'heatmap-history.json');
const LIVE = path.join(SCENARIOS, 'heatmap-live.json');
const CALAIS = [1.85, 50.96];
const DUNKIRK = [2.37, 51.04];
const SPREAD_KM = 1.5;

/** The legend's data attributes as numbers. */
const legend = (page) =>
  page.$eval(tid('heatmap-legend'), (e) => ({
    peak: e.dataset.peakPerKm2 === undefined ? null : Number(e.dataset.peakPerKm2),
    top: e.dataset.topPerKm2 === undefined ? null : Number(e.dataset.topPerKm2),
    bandwidth: Number(e.dataset.bandwidthM),
    reports: e.dataset.reports === undefined ? null : Number(e.dataset.reports),
  }));

/** The heatmap canvas' alpha (0–255) at WGS84 points. */
const heatAlpha = async (page, points) => (await heatRgba(page, points)).map((c) => c[3]);

/** Waits until the legend satisfies `check` (the layer recomputes on the next settled frame). */
async function waitLegend(page, check, what) {
  const t0 = Date.now();
  for (;;) {
    const l = await legend(page).catch(() => null);
    if (l && check(l)) return l;
    if (Date.now() - t0 > 30_000) throw new Error(`legend never ${what}: ${JSON.stringify(l)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

describe('heatmap of a scripted history (heatmap-history.json)', () => {
  let server, browser, ctx, page, app, dir;

  before(async () => {
    dir = prepareDist({ heatmap: { enabled: true, window: '24h', bandwidth_m: 1000, scale: 'fixed', fixed_max_per_km2: 10 } });
    // Configs for the bad-page cases: a cursor the server refuses (400), a page that is not JSON.
    const base = JSON.parse(fs.readFileSync(path.join(dir, 'public', 'config.json'), 'utf8'));
    const write = (name, historyUrl) =>
      fs.writeFileSync(path.join(dir, 'public', name), JSON.stringify({ ...base, incidents: { ...base.incidents, history_url: historyUrl } }));
    write('config-bad-cursor.json', 'api/incidents/history?cursor=not-a-cursor');
    write('config-not-json.json', 'index.html');
    server = await startDemoServer({ scenario: HISTORY, heartbeatMs: 1000, staticDir: dir });
    browser = await launchBrowser();
    ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    app = await openApp({ server }, ctx);
    page = app.page;
    await page.waitForSelector(`${tid('heatmap-history')}[data-state="loaded"]`, { timeout: 60_000 });
    await setView(page, 2.1, 51.0, 10);
    await waitForSettled(page);
  });

  after(async () => {
    await ctx?.close();
    await browser?.close();
    await server?.kill();
  });

  test('the last 24 h draw round Dunkirk only, with the density the engine must give', { timeout: TEST_TIMEOUT }, async () => {
    const l = await waitLegend(page, (l) => l.peak > 0 && l.reports > 0, 'drawn');
    assert.equal(l.bandwidth, 1000, 'data-bandwidth-m is the configured σ');
    assert.equal(l.top, 10, 'fixed scale: the config top is the top colour');
    // ~20 reports an hour over 24 h (with the daily rhythm), all round Dunkirk.
    assert.ok(l.reports > 250 && l.reports < 800, `reports in 24 h: ${l.reports}`);
    const expected = l.reports / (2 * Math.PI * (SPREAD_KM ** 2 + 1.0 ** 2));
    assert.ok(l.peak > 0.75 * expected && l.peak < 1.35 * expected, `peak ${l.peak} per km² against ${expected.toFixed(2)}`);
    const [calais, dunkirk] = await heatAlpha(page, [CALAIS, DUNKIRK]);
    assert.ok(dunkirk > 150, `Dunkirk is coloured (alpha ${dunkirk})`);
    assert.equal(calais, 0, 'Calais is clear in the last 24 h');
    const diag = await page.$eval(tid('history-diagnostics'), (e) => ({ reports: Number(e.dataset.reports), bytes: Number(e.dataset.bytes) }));
    assert.ok(diag.reports > 6000 && diag.bytes > diag.reports * 19, `diagnostics: ${JSON.stringify(diag)}`);
    await screenshot(page, 'heatmap-24h');
    await app.assertHealthy('heatmap 24 h');
  });

  test('the 30-day window adds Calais; a kind filter and the bandwidth change the picture', { timeout: TEST_TIMEOUT }, async () => {
    const before24 = await legend(page);
    await page.selectOption(tid('heatmap-window'), '30d');
    const l30 = await waitLegend(page, (l) => l.reports > 2 * before24.reports, 'took the 30 days');
    const [calais, dunkirk] = await heatAlpha(page, [CALAIS, DUNKIRK]);
    assert.ok(calais > 150 && dunkirk > 150, `both places coloured (Calais ${calais}, Dunkirk ${dunkirk})`);
    await screenshot(page, 'heatmap-30d');

    // Without small boats (3 reports in 4), fewer reports and a lower peak.
    await page.uncheck(tid('incident-filter-kind-small_boat'));
    const lf = await waitLegend(page, (l) => l.reports < l30.reports, 'followed the filter');
    assert.ok(lf.reports < 0.4 * l30.reports && lf.reports > 0.1 * l30.reports, `vehicle sightings only: ${lf.reports} of ${l30.reports}`);
    assert.ok(lf.peak < 0.5 * l30.peak, `peak ${lf.peak} against ${l30.peak}`);
    await page.check(tid('incident-filter-kind-small_boat'));
    await waitLegend(page, (l) => l.reports === l30.reports, 'came back');

    // Relative scale: the peak in view is the top colour.
    await page.selectOption(tid('heatmap-scale'), 'relative');
    const lr = await waitLegend(page, (l) => l.top !== 10, 'went relative');
    assert.equal(lr.top, lr.peak);

    // A wider bandwidth spreads the same reports: a lower peak.
    await page.fill(tid('heatmap-bandwidth'), '3000');
    await page.press(tid('heatmap-bandwidth'), 'Enter');
    await page.locator(tid('heatmap-bandwidth')).blur();
    const lb = await waitLegend(page, (l) => l.bandwidth === 3000, 'took σ = 3000 m');
    assert.ok(lb.peak < 0.8 * lr.peak, `σ 3 km peak ${lb.peak} < σ 1 km peak ${lr.peak}`);
    await app.assertHealthy('heatmap controls');
  });

  test('a bandwidth out of range is refused with the field named, nothing changed', { timeout: TEST_TIMEOUT }, async () => {
    const was = await legend(page);
    await page.fill(tid('heatmap-bandwidth'), '20');
    await page.locator(tid('heatmap-bandwidth')).blur();
    const msg = await page.locator(tid('heatmap-bandwidth-error')).textContent({ timeout: 10_000 });
    assert.match(msg, /Bandwidth σ \(m\)/);
    assert.match(msg, /50 to 50000/);
    await new Promise((r) => setTimeout(r, 500));
    const now = await legend(page);
    assert.equal(now.bandwidth, was.bandwidth, 'the heatmap kept its bandwidth');
    assert.equal(now.peak, was.peak, 'and its picture');
    await app.assertHealthy('bandwidth refused');
  });

  test('an unusable history page is said in the panel, the map keeps drawing', { timeout: TEST_TIMEOUT }, async () => {
    for (const [config, pattern] of [
      ['public/config-bad-cursor.json', /History page unusable \(HTTP 400: .*cursor/],
      ['public/config-not-json.json', /History page unusable \(.*(JSON|expected)/i],
    ]) {
      const bad = await openApp({ server }, ctx, { config, allowResourceErrors: true });
      const line = bad.page.locator(`${tid('heatmap-history')}[data-state="failed"]`);
      const text = await line.textContent({ timeout: 30_000 });
      assert.match(text, pattern, config);
      assert.equal(await bad.page.locator(tid('heatmap-legend')).count(), 1, 'the heatmap panel stays');
      await bad.assertHealthy(config);
      await bad.close();
    }
  });
});

describe('heatmap without history (heatmap-live.json)', () => {
  let server, browser, ctx;

  before(async () => {
    const raw = readScenario(LIVE);
    const scenario = shiftScenario(raw, { shiftMs: shiftToNow(raw, { agoMs: 20_000 }) });
    const dir = prepareDist({ heatmap: { enabled: true, window: '1h', bandwidth_m: 500 }, initial_view: { lon: 1.6, lat: 50.73, zoom: 12 } });
    server = await startDemoServer({ scenario, heartbeatMs: 1000, staticDir: dir });
    browser = await launchBrowser();
    ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  });

  after(async () => {
    await ctx?.close();
    await browser?.close();
    await server?.kill();
  });

  test('"no history" is said once and the live incidents make the heatmap', { timeout: TEST_TIMEOUT }, async () => {
    const app = await openApp({ server }, ctx, { allowResourceErrors: true });
    const { page } = app;
    await page.waitForSelector(`${tid('heatmap-history')}[data-state="absent"]`, { timeout: 30_000 });
    const l = await waitLegend(page, (l) => l.reports === 3, 'counted the 3 live incidents');
    assert.ok(l.peak > 0);
    await waitForSettled(page);
    const said = await page.getByText('No incident history from the API', { exact: false }).count();
    assert.equal(said, 1, 'said once');
    const [boulogne, calais] = await heatAlpha(page, [[1.6, 50.728], CALAIS]);
    assert.ok(boulogne > 150, `the live incidents are coloured (alpha ${boulogne})`);
    assert.equal(calais, 0);
    await screenshot(page, 'heatmap-live-only');
    await app.assertHealthy('no history');
  });
});
