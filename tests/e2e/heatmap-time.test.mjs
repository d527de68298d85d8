// Heatmap over time end to end (issue 12, phase 2) against the real demo server in scenario
// mode: tests/fixtures/scenarios/heatmap-history.json scripts 14 days of history ending at the
// server's start (rounded down to the hour), round Calais in the first week and round Dunkirk
// in the second (a 2-D normal of 1,500 ground metres, 20 reports an hour).
// - Playback: steps move the cursor by the speed (one day a step at 1 d/s) and the heatmap's
//   window with it (Calais coloured in the first week, Dunkirk clear), the time is shown in
//   London and Paris time, play advances the cursor, "back to live" returns to now.
// - Custom window: an interval typed in the panel is what the heatmap counts; an end before
//   the start is refused with the field named, nothing changed.
// - Comparison: config `heatmap.compare` (first week against second) opens it at start; the
//   displacement summary's data-shift-km / data-bearing-deg give the scripted shift (Calais to
//   Dunkirk) within 1 km and 2°; the difference map is blue at Calais (less) and red at Dunkirk
//   (more); the port table shows Dunkirk up; the arrow is drawn; closing it goes back to the
//   heatmap; from the playback bar, a window end before its start is refused with the field named.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  startDemoServer, prepareDist, launchBrowser, openApp, screenshot, setView, waitForSettled, heatRgba, whitePixelsAt,
  SCENARIOS, TEST_TIMEOUT, tid,
} from './harness.mjs';

const HISTORY = path.join(SCENARIOS, 'heatmap-history.json');
const CALAIS = [1.85, 50.96];
const DUNKIRK = [2.37, 51.04];
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Geodesic length (km) and initial bearing (°) on WGS84 over a short distance: the local
 * plane at the mid-latitude with the ellipsoid's radii of curvature (error ≪ 0.1 % at 40 km). */
function expectedShift([lon1, lat1], [lon2, lat2]) {
  const a = 6378137, f = 1 / 298.257223563, e2 = f * (2 - f);
  const phi = (((lat1 + lat2) / 2) * Math.PI) / 180;
  const w = Math.sqrt(1 - e2 * Math.sin(phi) ** 2);
  const m = (a * (1 - e2)) / w ** 3, n = a / w;
  const dy = (((lat2 - lat1) * Math.PI) / 180) * m;
  const dx = (((lon2 - lon1) * Math.PI) / 180) * n * Math.cos(phi);
  return { km: Math.hypot(dx, dy) / 1000, bearing: ((Math.atan2(dx, dy) * 180) / Math.PI + 360) % 360 };
}

/** The legend's data attributes as numbers. */
const legend = (page) =>
  page.$eval(tid('heatmap-legend'), (e) => ({
    peak: e.dataset.peakPerKm2 === undefined ? null : Number(e.dataset.peakPerKm2),
    reports: e.dataset.reports === undefined ? null : Number(e.dataset.reports),
    difference: e.dataset.difference === 'true',
  }));

/** Polls `read` until `check` holds (30 s). */
async function until(read, check, what) {
  const t0 = Date.now();
  for (;;) {
    const v = await read().catch(() => null);
    if (v !== null && check(v)) return v;
    if (Date.now() - t0 > 30_000) throw new Error(`never ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

const cursor = (page) => page.$eval(tid('heatmap-playback'), (e) => ({
  t: Number(e.dataset.tMs), playing: e.dataset.playing === 'true', live: e.dataset.live === 'true',
}));

/** The `datetime-local` text of `ms` in the page's time zone. */
const localInput = (page, ms) =>
  page.evaluate((ms) => {
    const d = new Date(ms);
    const p = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
  }, ms);

describe('heatmap playback, custom window and comparison (heatmap-history.json)', () => {
  let server, browser, ctx, dir, end;

  before(async () => {
    dir = prepareDist({ heatmap: { enabled: true, window: '24h', bandwidth_m: 1000, scale: 'fixed', fixed_max_per_km2: 10 } });
    server = await startDemoServer({ scenario: HISTORY, heartbeatMs: 1000, staticDir: dir });
    // The history ends at the server's start rounded down to the hour.
    end = Math.floor(Date.now() / HOUR) * HOUR;
    const base = JSON.parse(fs.readFileSync(path.join(dir, 'public', 'config.json'), 'utf8'));
    const iso = (ms) => new Date(ms).toISOString();
    // First week (Calais) against the second (Dunkirk), a day's margin at each end.
    const compare = {
      a: { from: iso(end - 13 * DAY), to: iso(end - 8 * DAY) },
      b: { from: iso(end - 6 * DAY), to: iso(end - DAY) },
    };
    fs.writeFileSync(path.join(dir, 'public', 'config-compare.json'),
      JSON.stringify({ ...base, heatmap: { ...base.heatmap, compare } }));
    browser = await launchBrowser();
    ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  });

  after(async () => {
    await ctx?.close();
    await browser?.close();
    await server?.kill();
  });

  test('playback steps, seeks and plays over the history; the time is shown in London and Paris', { timeout: TEST_TIMEOUT }, async () => {
    const app = await openApp({ server }, ctx);
    const { page } = app;
    await page.waitForSelector(`${tid('heatmap-history')}[data-state="loaded"]`, { timeout: 60_000 });
    await setView(page, 2.1, 51.0, 10);
    await waitForSettled(page);
    const live = await until(() => cursor(page), (c) => c.live, 'live');
    const l0 = await until(() => legend(page), (l) => l.reports > 0, 'drawn');

    // Ten steps back at 1 d/s: ten days back, in the first week (Calais only).
    for (let i = 0; i < 10; i++) await page.click(tid('playback-step-back'));
    const c10 = await cursor(page);
    assert.equal(c10.live, false, 'playback took over');
    assert.ok(Math.abs(live.t - c10.t - 10 * DAY) < 2 * 60_000, `ten days back: ${(live.t - c10.t) / DAY} d`);
    await until(() => legend(page), (l) => l.reports !== l0.reports, 'followed the cursor');
    await waitForSettled(page);
    const [calais, dunkirk] = await heatRgba(page, [CALAIS, DUNKIRK]);
    assert.ok(calais[3] > 150, `Calais coloured ten days back (alpha ${calais[3]})`);
    assert.equal(dunkirk[3], 0, 'Dunkirk clear ten days back');

    const time = await page.locator(tid('playback-time')).textContent();
    assert.match(time, /London .*\d\d:\d\d/, time);
    assert.match(time, /Paris .*\d\d:\d\d/, time);
    // London is an hour behind Paris all year.
    const [london, paris] = [...time.matchAll(/(\d\d):(\d\d)/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
    assert.equal((paris - london + 1440) % 1440, 60, time);
    await screenshot(page, 'heatmap-playback');

    // Play at one week a second: the cursor runs on, then pause.
    await page.selectOption(tid('playback-speed'), '1w');
    await page.click(tid('playback-play'));
    await until(() => cursor(page), (c) => c.playing, 'playing');
    const moved = await until(() => cursor(page), (c) => c.t > c10.t + DAY, 'advanced a day');
    assert.ok(moved.t <= c10.t + 12 * DAY);
    const after = await until(() => cursor(page), (c) => !c.playing || c.t >= moved.t, 'ran');
    if (after.playing) await page.click(tid('playback-play'));
    await until(() => cursor(page), (c) => !c.playing, 'paused');

    // Seek with the slider to three days after the start, cumulative: Calais only still.
    await page.selectOption(tid('playback-accumulation'), 'cumulative');
    await page.$eval(tid('playback-slider'), (el, v) => {
      el.value = String(v);
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }, end - 11 * DAY);
    const c3 = await until(() => cursor(page), (c) => Math.abs(c.t - (end - 11 * DAY)) <= 60_000, 'seeked');
    assert.ok(!c3.playing);
    await until(() => legend(page), (l) => l.reports > 3 * 24 * 10, 'cumulative from the start');

    await page.click(tid('playback-live'));
    await until(() => cursor(page), (c) => c.live, 'back to live');
    await until(() => legend(page), (l) => l.reports === l0.reports, 'the live window again');
    await app.assertHealthy('playback');
    await app.close();
  });

  test('a custom window is counted; an end before its start is refused with the field named', { timeout: TEST_TIMEOUT }, async () => {
    const app = await openApp({ server }, ctx);
    const { page } = app;
    await page.waitForSelector(`${tid('heatmap-history')}[data-state="loaded"]`, { timeout: 60_000 });
    await page.selectOption(tid('heatmap-window'), 'custom');
    await page.waitForSelector(tid('heatmap-custom-from'));
    // Two days in the first week: about 2 × 24 × 20 reports.
    await page.fill(tid('heatmap-custom-from'), await localInput(page, end - 12 * DAY));
    await page.locator(tid('heatmap-custom-from')).blur();
    await page.fill(tid('heatmap-custom-to'), await localInput(page, end - 10 * DAY));
    await page.locator(tid('heatmap-custom-to')).blur();
    const l = await until(() => legend(page), (l) => l.reports > 600 && l.reports < 1400, 'two days counted');
    // The ends are typed in this device's zone, and the panel says which (issue 14 item 5).
    assert.match(await page.locator(tid('heatmap-custom-zone')).textContent(), /^Times: .+ \(this device's zone\)$/);
    await page.fill(tid('heatmap-custom-to'), await localInput(page, end - 13 * DAY));
    await page.locator(tid('heatmap-custom-to')).blur();
    const msg = await page.locator(tid('heatmap-bandwidth-error')).textContent({ timeout: 10_000 });
    assert.match(msg, /Custom window, to: must be after the start/);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await legend(page)).reports, l.reports, 'nothing changed');
    await app.assertHealthy('custom window');
    await app.close();
  });

  test('heatmap.compare opens the comparison: the scripted shift, the difference map, the ports', { timeout: TEST_TIMEOUT }, async () => {
    const app = await openApp({ server }, ctx, { config: 'public/config-compare.json' });
    const { page } = app;
    await page.waitForSelector(`${tid('heatmap-history')}[data-state="loaded"]`, { timeout: 60_000 });
    await setView(page, 2.1, 51.0, 10);
    const summary = await until(
      () => page.$eval(tid('displacement-summary'), (e) => ({
        km: e.dataset.shiftKm === undefined ? null : Number(e.dataset.shiftKm),
        bearing: e.dataset.bearingDeg === undefined ? null : Number(e.dataset.bearingDeg),
        a: Number(e.dataset.countA), b: Number(e.dataset.countB),
      })),
      (s) => s.km !== null && s.a > 1500 && s.b > 1500,
      'summarised both windows',
    );
    const want = expectedShift(CALAIS, DUNKIRK);
    assert.ok(Math.abs(summary.km - want.km) < 1, `shift ${summary.km} km against ${want.km.toFixed(2)}`);
    assert.ok(Math.abs(summary.bearing - want.bearing) < 2, `bearing ${summary.bearing}° against ${want.bearing.toFixed(1)}`);
    const sentence = await page.locator(`${tid('displacement-summary')} .displacement-shift`).textContent();
    assert.match(sentence, /moved \d+\.\d km ENE/);

    const l = await until(() => legend(page), (l) => l.difference && l.peak > 0, 'the difference map');
    assert.ok(l.reports > 3000);
    await waitForSettled(page);
    const [calais, dunkirk] = await heatRgba(page, [CALAIS, DUNKIRK]);
    assert.ok(calais[3] > 100 && calais[2] > calais[0], `Calais blue, less in B (${calais})`);
    assert.ok(dunkirk[3] > 100 && dunkirk[0] > dunkirk[2], `Dunkirk red, more in B (${dunkirk})`);

    // The port table: ports near Dunkirk went up, near Calais down.
    const rows = await page.$$eval(`${tid('displacement-ports')} tbody tr`, (trs) => trs.map((tr) => ({
      port: tr.dataset.port, a: Number(tr.dataset.perDayA), b: Number(tr.dataset.perDayB),
      change: tr.querySelector('.change').className,
    })));
    const most = (re, key) => rows.filter((r) => re.test(r.port)).sort((x, y) => y[key] - x[key])[0];
    const dunkirkRow = most(/Dunkirk/, 'b');
    const calaisRow = most(/Calais/, 'a');
    assert.ok(dunkirkRow && dunkirkRow.b > 100 && /up/.test(dunkirkRow.change), JSON.stringify(dunkirkRow));
    assert.ok(calaisRow && calaisRow.a > 100 && /down/.test(calaisRow.change), JSON.stringify(calaisRow));

    // The arrow from A to B is drawn on the screen canvas: white pixels along its shaft.
    const mid = [(CALAIS[0] + DUNKIRK[0]) / 2, (CALAIS[1] + DUNKIRK[1]) / 2];
    const white = await whitePixelsAt(page, mid);
    assert.ok(white > 0, 'the arrow crosses the middle of the shift');
    await screenshot(page, 'heatmap-compare');

    // A window end before its start is refused with the field named.
    const aFrom = await page.inputValue(tid('compare-a-from'));
    await page.fill(tid('compare-a-to'), aFrom);
    await page.locator(tid('compare-a-to')).blur();
    const msg = await page.locator(tid('compare-error')).textContent({ timeout: 10_000 });
    assert.match(msg, /Window A, to: must be after the start/);
    const same = await page.$eval(tid('displacement-summary'), (e) => Number(e.dataset.shiftKm));
    assert.equal(same, summary.km, 'the comparison is unchanged');

    await page.click(tid('compare-close'));
    await until(() => legend(page), (l) => !l.difference, 'back to the heatmap');
    assert.equal(await page.locator(tid('compare-panel')).isHidden(), true);
    assert.equal(await page.locator(tid('heatmap-playback')).isVisible(), true);
    await app.assertHealthy('comparison');
    await app.close();
  });

  test('the comparison opens from the playback bar, in French too', { timeout: TEST_TIMEOUT }, async () => {
    const app = await openApp({ server }, ctx, { query: 'lang=fr' });
    const { page } = app;
    await page.waitForSelector(`${tid('heatmap-history')}[data-state="loaded"]`, { timeout: 60_000 });
    await page.click(tid('compare-open'));
    await page.waitForSelector(`${tid('compare-panel')}:not([hidden])`);
    // The default: the last 7 days against the 7 days three weeks before (only B has reports).
    const s = await until(
      () => page.$eval(tid('displacement-summary'), (e) => ({ a: Number(e.dataset.countA), b: Number(e.dataset.countB), km: e.dataset.shiftKm })),
      (s) => s.b > 0,
      'summarised',
    );
    assert.equal(s.a, 0, 'nothing three weeks back in a 14-day history');
    assert.equal(s.km, undefined, 'no shift without reports in A');
    const sentence = await page.locator(`${tid('displacement-summary')} .displacement-shift`).textContent();
    assert.match(sentence, /Aucun signalement dans la période A/);
    const time = await page.locator(tid('compare-panel')).textContent();
    assert.match(time, /Période A \(avant\)/);
    assert.match(await page.locator(tid('compare-zone')).textContent(), /^Heures : .+ \(fuseau de cet appareil\)$/, 'the ends name their zone');
    await screenshot(page, 'heatmap-compare-fr');
    await app.assertHealthy('comparison in French');
    await app.close();
  });
});
