// The video wall's tour end to end (issue 13 item 3, `?mode=wall`) against the demo server:
// a config with four tour views, the second one bad (zoom 40), dwell 2 s, flights of 1 s.
// - Order and dwell with a fast clock (Playwright's clock emulation: Date.now, timers and
//   requestAnimationFrame faked): from a cycle start (the tour is anchored to the Unix epoch),
//   Calais port for 2 s, the flight, Coquelles for 2 s, the flight, Dunkirk for 2 s, the flight
//   back; the view (calaisMap.view()) is each tour view's centre and zoom while it dwells, with
//   the view's layers shown.
// - Two pages whose clocks differ by 30 ms show the same tour view (and the same flight).
// - The bad view is reported on screen with `wall.tours[1].zoom` named; the others run.
// - A critical alert (a scripted incident entering the Eurotunnel terminal, a critical zone)
//   interrupts the tour: the wall flies to the incident (zoom 15), holds `alert_hold_s`, and the
//   tour resumes; a second one, acknowledged, ends its hold early. Real time here: the alert's
//   time is the feed's.
// - Without tour, the wall is framed on the open incidents (the home view), margins kept.
// - A tour view with the heatmap comparison (`heatmap_compare`, the windows of
//   `heatmap.compare` over the scripted Calais → Dunkirk history) at 3840 × 2160, real time:
//   while it dwells the displacement summary, the arrow and the difference legend show at wall
//   scale; the next view closes the comparison.
// - With reduced motion (`reducedMotion: 'reduce'`), over a whole cycle in real time every view
//   shown is a tour view (cuts, no step of a flight), on the same schedule.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  startDemoServer, prepareDist, launchBrowser, openApp, screenshot, waitForSettled, whitePixelsAt, QUIET_SCENARIO,
  SCENARIOS, TEST_TIMEOUT, tid,
} from './harness.mjs';

const VIEWS = [
  { name: 'Calais port', center: [1.865, 50.966], zoom: 13, dwell_s: 2 },
  { name: 'Bad zoom', center: [1.5, 50.9], zoom: 40, dwell_s: 2 },
  { name: 'Coquelles terminal', center: [1.81, 50.929], zoom: 14, dwell_s: 2 },
  { name: 'Dunkirk', center: [2.3768, 51.0343], zoom: 12, dwell_s: 2, layers: ['basemap', 'ports', 'incidents'] },
];
/** The views that run (the bad one left out). */
const RUNS = [VIEWS[0], VIEWS[2], VIEWS[3]];
const FLIGHT_MS = 1000;
const DWELL_MS = 2000;
const ALERT_HOLD_S = 10;
/** One round: three dwells and three flights. */
const CYCLE_MS = RUNS.length * (DWELL_MS + FLIGHT_MS);
const WALL = { flight_s: FLIGHT_MS / 1000, alert_hold_s: ALERT_HOLD_S, tours: VIEWS };

const tour = (page) => page.evaluate(() => window.calaisMap.tour());
const view = (page) => page.evaluate(() => window.calaisMap.view());

/** The view is `v`'s centre and zoom (to a micro-degree). */
function assertOn(actual, v, what) {
  assert.ok(Math.abs(actual.lon - v.center[0]) < 1e-6 && Math.abs(actual.lat - v.center[1]) < 1e-6,
    `${what}: centre ${actual.lon},${actual.lat} is ${v.name}'s ${v.center}`);
  assert.ok(Math.abs(actual.zoom - v.zoom) < 1e-9, `${what}: zoom ${actual.zoom} is ${v.name}'s ${v.zoom}`);
}

/** A demo server playing `scenario` with the config patched, and one wall page of `size`. */
async function wallPage(scenario, configPatch, [width, height]) {
  const dir = prepareDist(configPatch);
  const env = { server: await startDemoServer({ scenario, firstSeq: 1, heartbeatMs: 1000, staticDir: dir }) };
  env.browser = await launchBrowser();
  env.ctx = await env.browser.newContext({ viewport: { width, height } });
  env.app = await openApp({ server: env.server }, env.ctx, { query: 'mode=wall' });
  return env;
}

async function closeAll(env) {
  await env?.ctx?.close();
  await env?.browser?.close();
  await env?.server?.kill();
}

/** The first cycle start at least `aheadMs` after the page's clock. */
async function nextCycleStart(page, aheadMs = 3000) {
  const now = await page.evaluate(() => Date.now());
  return Math.ceil((now + aheadMs) / CYCLE_MS) * CYCLE_MS;
}

describe('wall tour: order and dwell with a fast clock, two clocks 30 ms apart, a bad view', () => {
  let server, browser, ctxA, ctxB, a, b;

  before(async () => {
    const dir = prepareDist({ wall: WALL });
    // No incident: no alert interrupts the tour here.
    server = await startDemoServer({ scenario: QUIET_SCENARIO, heartbeatMs: 1000, staticDir: dir });
    browser = await launchBrowser();
    ctxA = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    ctxB = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    await ctxA.clock.install();
    await ctxB.clock.install();
    a = await openApp({ server }, ctxA, { query: 'mode=wall' });
    b = await openApp({ server }, ctxB, { query: 'mode=wall' });
    await a.page.waitForFunction(() => window.calaisMap.tour()?.kind === 'tour', null, { timeout: 30_000 });
  });

  after(async () => {
    await ctxA?.close();
    await ctxB?.close();
    await browser?.close();
    await server?.kill();
  });

  test('the views come in order, each for its dwell, flights between them', { timeout: TEST_TIMEOUT }, async () => {
    const { page } = a;
    const t0 = await nextCycleStart(page);
    await page.clock.pauseAt(t0);
    // [ms after the cycle start, what the wall shows]
    const plan = [
      [150, { phase: 'dwell', view: 0 }],
      [1900, { phase: 'dwell', view: 0 }],
      [2500, { phase: 'flight', view: 0, to: 1 }],
      [3150, { phase: 'dwell', view: 1 }],
      [4900, { phase: 'dwell', view: 1 }],
      [5500, { phase: 'flight', view: 1, to: 2 }],
      [6150, { phase: 'dwell', view: 2 }],
      [7900, { phase: 'dwell', view: 2 }],
      [8500, { phase: 'flight', view: 2, to: 0 }],
      [CYCLE_MS + 150, { phase: 'dwell', view: 0 }],
    ];
    let at = 0;
    const size = await view(page);
    for (const [ms, want] of plan) {
      await page.clock.runFor(ms - at);
      at = ms;
      const t = await tour(page);
      assert.equal(t.kind, 'tour', `${ms} ms: ${JSON.stringify(t)}`);
      assert.equal(t.phase, want.phase, `${ms} ms: ${JSON.stringify(t)}`);
      assert.equal(t.view, want.view, `${ms} ms: ${JSON.stringify(t)}`);
      const v = await view(page);
      if (want.phase === 'dwell') {
        assert.equal(t.name, RUNS[want.view].name);
        assertOn(v, RUNS[want.view], `${ms} ms`);
        // The view's layers (incidents have no switch); all but the heatmap by default.
        const layers = RUNS[want.view].layers?.filter((l) => l !== 'incidents') ?? ['basemap', 'fences', 'cameras', 'ports', 'zones'];
        assert.deepEqual(t.layers, layers, `${ms} ms: layers`);
      } else {
        assert.equal(t.to, want.to);
        assert.ok(t.t > 0.3 && t.t < 0.7, `${ms} ms: half-way, t = ${t.t}`);
        // Between the two views, neither of them.
        const [from, to] = [RUNS[want.view], RUNS[want.to]];
        const within = (x, p, q) => x > Math.min(p, q) - 1e-9 && x < Math.max(p, q) + 1e-9;
        assert.ok(within(v.lon, from.center[0], to.center[0]), `${ms} ms: lon ${v.lon} between the views`);
      }
      assert.deepEqual([v.width, v.height, v.dpr], [size.width, size.height, size.dpr], 'the view keeps the map size');
    }
    await page.clock.resume();
    await screenshot(page, 'wall-tour-dwell');
    await a.assertHealthy('tour order');
  });

  test('two screens whose clocks differ by 30 ms show the same view', { timeout: TEST_TIMEOUT }, async () => {
    const t0 = Math.max(await nextCycleStart(a.page), await nextCycleStart(b.page));
    await a.page.clock.pauseAt(t0 + 1000);
    await b.page.clock.pauseAt(t0 + 1030);
    for (const step of [200, 2000, 3000, 1200]) {
      await a.page.clock.runFor(step);
      await b.page.clock.runFor(step);
      const [ta, tb] = [await tour(a.page), await tour(b.page)];
      assert.equal(tb.clockMs - ta.clockMs >= 0 && tb.clockMs - ta.clockMs <= 130, true, `clocks ${ta.clockMs} ${tb.clockMs}`);
      assert.equal(ta.view, tb.view, `${JSON.stringify(ta)} / ${JSON.stringify(tb)}`);
      assert.equal(ta.phase, tb.phase);
      if (ta.phase === 'dwell') {
        const [va, vb] = [await view(a.page), await view(b.page)];
        assert.deepEqual([va.lon, va.lat, va.zoom], [vb.lon, vb.lat, vb.zoom], 'the same view on both screens');
      }
    }
    await a.page.clock.resume();
    await b.page.clock.resume();
  });

  test('a bad tour view is reported with its option named; the others run', { timeout: TEST_TIMEOUT }, async () => {
    const { page } = a;
    const banner = page.locator(tid('wall-problems'));
    await banner.waitFor({ timeout: 10_000 });
    const fields = await page.$$eval(tid('wall-problem'), (rows) => rows.map((r) => r.dataset.field));
    assert.deepEqual(fields, ['wall.tours[1].zoom']);
    assert.match(await banner.textContent(), /wall\.tours\[1\]\.zoom/);
    const names = new Set();
    const t0 = await nextCycleStart(page);
    await page.clock.pauseAt(t0 + 500);
    for (let i = 0; i < RUNS.length; i++) {
      names.add((await tour(page)).name);
      await page.clock.runFor(DWELL_MS + FLIGHT_MS);
    }
    await page.clock.resume();
    assert.deepEqual([...names], RUNS.map((v) => v.name));
    await a.assertHealthy('bad view');
  });
});

describe('wall tour: a critical alert interrupts and the tour resumes (3840 × 2160)', () => {
  const DELAY_MS = 12_000;
  const iso = (ms) => new Date(Math.round(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  const ACK_DELAY_MS = DELAY_MS + 22_000;
  const feature = (id, start, lon, lat, ms) => ({
    type: 'Feature', id, geometry: { type: 'Point', coordinates: [lon, lat] },
    properties: {
      id, kind: 'fence_breach', severity: 4, status: 'open', reported_at: iso(start - 60_000),
      updated_at: iso(ms), description: 'Persons at the terminal fence', accuracy_m: 10, source: 'cam-T-07',
    },
  });
  // Outside every zone at start (seeded silently), inside the Eurotunnel terminal (critical) live,
  // stamped with the time the server sends it (the alert's time is the feed's); a second one
  // later, acknowledged.
  const INSIDE = [1.812, 50.928];
  const INSIDE_2 = [1.816, 50.930];
  const scenarioFrom = (start) => ({
    then: 'idle',
    events: [
      { at_ms: 0, feature: feature('wt-breach-1', start, 1.70, 50.90, start - 60_000) },
      { at_ms: 0, feature: feature('wt-breach-2', start, 1.70, 50.89, start - 60_000) },
      { at_ms: DELAY_MS, feature: feature('wt-breach-1', start, ...INSIDE, start + DELAY_MS) },
      { at_ms: ACK_DELAY_MS, feature: feature('wt-breach-2', start, ...INSIDE_2, start + ACK_DELAY_MS) },
    ],
  });
  let env, app, firstAlertId;

  before(async () => {
    env = await wallPage(scenarioFrom(Date.now()), { wall: WALL }, [3840, 2160]);
    ({ app } = env);
  });

  after(() => closeAll(env));

  test('the wall flies to the incident, holds, then the tour resumes', { timeout: TEST_TIMEOUT }, async () => {
    const { page } = app;
    await page.waitForFunction(() => window.calaisMap.tour()?.kind === 'tour', null, { timeout: 30_000 });
    await page.waitForFunction(() => window.calaisMap.tour()?.leg === 'hold', null, { timeout: DELAY_MS + 30_000 });
    const alert = await tour(page);
    firstAlertId = alert.id;
    const v = await view(page);
    assert.ok(Math.abs(v.lon - INSIDE[0]) < 1e-6 && Math.abs(v.lat - INSIDE[1]) < 1e-6, `on the incident: ${JSON.stringify(v)}`);
    assert.equal(v.zoom, 15);
    assert.equal(await page.locator(tid('critical-flash')).count(), 1, 'the critical flash is on');
    await screenshot(page, 'wall-tour-alert');
    // Back on the tour after the hold (not acknowledged: the ticker's button is hidden on the wall).
    await page.waitForFunction(() => window.calaisMap.tour()?.kind === 'tour', null, { timeout: 30_000 });
    const back = await tour(page);
    assert.ok(back.clockMs - alert.sinceMs >= FLIGHT_MS + ALERT_HOLD_S * 1000,
      `resumed ${back.clockMs - alert.sinceMs} ms after the alert began`);
    await page.waitForFunction(() => window.calaisMap.tour()?.phase === 'dwell', null, { timeout: 10_000 });
    const t = await tour(page);
    assertOn(await view(page), RUNS[t.view], 'the tour resumed');
    await screenshot(page, 'wall-tour-resumed');
    await app.assertHealthy('alert');
  });

  test('an acknowledged alert ends its hold early', { timeout: TEST_TIMEOUT }, async () => {
    const { page } = app;
    await page.waitForFunction((first) => {
      const t = window.calaisMap.tour();
      return t?.leg === 'hold' && t.id !== first;
    }, firstAlertId, { timeout: ACK_DELAY_MS + 30_000 });
    const alert = await tour(page);
    const v = await view(page);
    assert.ok(Math.abs(v.lon - INSIDE_2[0]) < 1e-6 && Math.abs(v.lat - INSIDE_2[1]) < 1e-6, `on the second incident: ${JSON.stringify(v)}`);
    // The ticker's acknowledge (hidden on the wall: acks come from elsewhere, the wiring is the same).
    const clicked = await page.evaluate(() => {
      document.querySelector('[data-testid="alert-row"][data-incident-id="wt-breach-2"].critical [data-testid="alert-ack"]').click();
      return window.calaisMap.tour();
    });
    await page.waitForFunction(() => window.calaisMap.tour()?.kind === 'tour', null, { timeout: 30_000 });
    const back = await tour(page);
    const rows = await page.$$eval('[data-testid="alert-row"]', (rs) => rs.map((r) => [r.dataset.incidentId, r.dataset.kind, r.dataset.zoneId, r.className, r.dataset.acked]));
    assert.ok(back.clockMs - alert.sinceMs < FLIGHT_MS + ALERT_HOLD_S * 1000,
      `resumed ${back.clockMs - alert.sinceMs} ms after the alert began, before the hold's end: ${JSON.stringify({ alert, back, rows, clicked })}`);
    await app.assertHealthy('ack');
  });
});

describe('wall without tour: framed on the open incidents', () => {
  const iso = (ms) => new Date(Math.round(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  // Calais port, the Coquelles terminal, Sangatte beach; and a closed one far off (not fitted).
  const PLACES = [['wt-port', 1.865, 50.966, 'open'], ['wt-terminal', 1.81, 50.929, 'open'],
    ['wt-beach', 1.753, 50.947, 'open'], ['wt-closed', 1.60, 50.73, 'closed']];
  const MARGIN = 160; // core::wall::fit::FitLimits::default, map CSS px
  let env, app;

  before(async () => {
    const now = Date.now();
    const scenario = {
      then: 'idle',
      events: PLACES.map(([id, lon, lat, status]) => ({
        at_ms: 0,
        feature: {
          type: 'Feature', id, geometry: { type: 'Point', coordinates: [lon, lat] },
          properties: { id, kind: 'small_boat', severity: 3, status, reported_at: iso(now - 60_000), updated_at: iso(now - 30_000), description: id },
        },
      })),
    };
    env = await wallPage(scenario, {}, [1920, 1080]);
    ({ app } = env);
  });

  after(() => closeAll(env));

  test('the home view fits the open incidents, the margins kept', { timeout: TEST_TIMEOUT }, async () => {
    const { page } = app;
    const open = PLACES.filter((p) => p.at(3) === 'open').map(([, lon, lat]) => [lon, lat]);
    await page.waitForFunction(({ open, MARGIN }) => {
      const t = window.calaisMap.tour();
      if (t?.kind !== 'home') return false;
      const v = window.calaisMap.view();
      const xy = open.map(([lon, lat]) => window.calaisMap.project(lon, lat));
      const inside = xy.every(([x, y]) => x >= MARGIN - 1 && x <= v.width - MARGIN + 1 && y >= MARGIN - 1 && y <= v.height - MARGIN + 1);
      const xs = xy.map((p) => p[0]), ys = xy.map((p) => p[1]);
      const touches = Math.abs(Math.min(...xs) - MARGIN) < 1 || Math.abs(Math.min(...ys) - MARGIN) < 1;
      return inside && touches;
    }, { open, MARGIN }, { timeout: 30_000, polling: 200 }).catch(async (e) => {
      throw new Error(`${e.message}: ${JSON.stringify(await page.evaluate(() => [window.calaisMap.tour(), window.calaisMap.view()]))}`);
    });
    assert.equal(await page.locator(tid('wall-problems')).count(), 0, 'no problem to report');
    await screenshot(page, 'wall-home-fitted');
    await app.assertHealthy('home');
  });
});

describe('wall tour: a view with the heatmap comparison (3840 × 2160)', () => {
  const HOUR = 3_600_000;
  const DAY = 24 * HOUR;
  const CALAIS = [1.85, 50.96];
  const DUNKIRK = [2.37, 51.04];
  // Real time: the comparison's history loads the first time it opens, well within a dwell.
  const COMPARE_VIEWS = [
    { name: 'Calais port', center: [1.865, 50.966], zoom: 13, dwell_s: 12 },
    { name: 'Channel overview', center: [2.11, 51.0], zoom: 10, dwell_s: 12, heatmap_compare: true },
  ];
  let env;

  before(async () => {
    // The history ends at the server's start rounded down to the hour: the first week (Calais)
    // against the second (Dunkirk), a day's margin at each end.
    const end = Math.floor(Date.now() / HOUR) * HOUR;
    const iso = (ms) => new Date(ms).toISOString();
    const compare = { a: { from: iso(end - 13 * DAY), to: iso(end - 8 * DAY) }, b: { from: iso(end - 6 * DAY), to: iso(end - DAY) } };
    env = await wallPage(path.join(SCENARIOS, 'heatmap-history.json'), {
      heatmap: { bandwidth_m: 1000, compare },
      wall: { flight_s: 1, tours: COMPARE_VIEWS },
    }, [3840, 2160]);
  });

  after(() => closeAll(env));

  const dwellingOn = (page, name, timeout) => page.waitForFunction(
    (name) => { const t = window.calaisMap.tour(); return t?.kind === 'tour' && t.phase === 'dwell' && t.name === name; },
    name, { timeout },
  );

  test('while it dwells: the displacement summary, the arrow and the difference legend; the next view closes it', { timeout: TEST_TIMEOUT }, async () => {
    const { page } = env.app;
    const cycleMs = COMPARE_VIEWS.reduce((s, v) => s + v.dwell_s * 1000 + 1000, 0);
    await dwellingOn(page, 'Channel overview', 2 * cycleMs);
    // The history loaded and summarised (on the first round it may take part of the dwell).
    await page.waitForFunction(() => {
      const s = document.querySelector('[data-testid="displacement-summary"]');
      const l = document.querySelector('[data-testid="heatmap-legend"]');
      return s?.dataset.shiftKm !== undefined && l?.dataset.difference === 'true' && Number(l.dataset.peakPerKm2) > 0;
    }, null, { timeout: 10_000 });
    assert.equal((await tour(page)).name, 'Channel overview', 'still on the comparison view');
    assert.equal((await tour(page)).layers.includes('compare'), true, `the comparison is on: ${JSON.stringify(await tour(page))}`);
    await waitForSettled(page, { quietMs: 600 });
    const shown = await page.evaluate(() => {
      const box = (sel) => {
        const e = document.querySelector(sel);
        if (!e) return null;
        const st = getComputedStyle(e);
        const r = e.getBoundingClientRect();
        return { visible: st.visibility === 'visible' && st.display !== 'none' && r.width > 0 && r.height > 0, font: parseFloat(st.fontSize), text: e.textContent, x: r.x, y: r.y, w: r.width, h: r.height };
      };
      return {
        summary: box('[data-testid="displacement-summary"] .displacement-shift'),
        ports: box('[data-testid="displacement-ports"]'),
        legend: box('[data-testid="heatmap-legend"]'),
        ticks: box('[data-testid="heatmap-legend"] .heat-ticks'),
        inputs: box('[data-testid="compare-a-from"]'),
        playback: box('[data-testid="heatmap-playback"]'),
      };
    });
    console.log(`# comparison on the wall: ${JSON.stringify(shown)}`);
    assert.ok(shown.summary?.visible, 'the displacement summary is shown');
    assert.match(shown.summary.text, /moved \d+\.\d km [NESW]+/);
    assert.ok(shown.summary.font >= 32, `summary type ${shown.summary.font} CSS px`);
    assert.ok(shown.ports?.visible && shown.ports.font >= 32, `the port table at wall scale (${shown.ports?.font} CSS px)`);
    assert.ok(shown.legend?.visible, 'the difference legend is shown');
    assert.ok(shown.ticks.font >= 32, `legend figures ${shown.ticks.font} CSS px`);
    assert.equal(shown.inputs?.visible ?? false, false, 'nothing to type on the wall');
    assert.equal(shown.playback?.visible ?? false, false, 'no playback bar on the wall');
    // The legend and the summary do not overlap each other.
    const { legend, summary } = shown;
    assert.ok(legend.y + legend.h <= summary.y || summary.y + summary.h <= legend.y, 'legend and summary apart');
    // The arrow from A to B on the map canvas: white pixels along its shaft.
    const mid = [(CALAIS[0] + DUNKIRK[0]) / 2, (CALAIS[1] + DUNKIRK[1]) / 2];
    const white = await whitePixelsAt(page, mid, 4);
    assert.ok(white > 0, 'the arrow crosses the middle of the shift');
    await screenshot(page, 'wall-tour-compare');

    // Moving on closes it.
    await dwellingOn(page, 'Calais port', cycleMs);
    await waitForSettled(page, { quietMs: 600 });
    assert.equal((await tour(page)).layers.includes('compare'), false);
    assert.equal(await page.locator(tid('compare-panel')).isHidden(), true, 'the comparison panel is closed');
    assert.equal(await page.locator(tid('displacement-summary')).isVisible(), false);
    assert.equal(await page.locator(tid('heatmap-legend')).isVisible(), false, 'no legend on the live picture');
    await screenshot(page, 'wall-tour-compare-closed');
    await env.app.assertHealthy('compare tour');
  });
});

describe('wall tour with reduced motion: cuts instead of flights, on the same schedule', () => {
  let server, browser, ctx, app;

  before(async () => {
    const dir = prepareDist({ wall: WALL });
    server = await startDemoServer({ scenario: QUIET_SCENARIO, heartbeatMs: 1000, staticDir: dir });
    browser = await launchBrowser();
    ctx = await browser.newContext({ viewport: { width: 1920, height: 1080 }, reducedMotion: 'reduce' });
    app = await openApp({ server }, ctx, { query: 'mode=wall' });
  });

  after(async () => {
    await ctx?.close();
    await browser?.close();
    await server?.kill();
  });

  test('over a whole cycle every view shown is a tour view; flights still take their time', { timeout: TEST_TIMEOUT }, async () => {
    const { page } = app;
    await page.waitForFunction(() => window.calaisMap.tour()?.kind === 'tour', null, { timeout: 30_000 });
    // Every view and tour phase the page shows, each animation frame, for a cycle and a bit.
    const seen = await page.evaluate((ms) => new Promise((resolve) => {
      const views = [];
      const phases = new Set();
      const t0 = performance.now();
      const tick = () => {
        const v = window.calaisMap.view();
        const k = `${v.lon.toFixed(6)},${v.lat.toFixed(6)},${v.zoom}`;
        if (views[views.length - 1] !== k) views.push(k);
        phases.add(window.calaisMap.tour()?.phase);
        if (performance.now() - t0 < ms) requestAnimationFrame(tick);
        else resolve({ views, phases: [...phases] });
      };
      requestAnimationFrame(tick);
    }), CYCLE_MS + 1500);
    console.log(`# reduced motion on the wall: ${seen.views.length} views in ${CYCLE_MS + 1500} ms (${seen.views.join(' | ')}); phases ${seen.phases}`);
    assert.ok(seen.phases.includes('flight'), 'the schedule still has its flights (a cut at their start)');
    const isTourView = (k) => {
      const [lon, lat, zoom] = k.split(',').map(Number);
      return RUNS.some((v) => Math.abs(lon - v.center[0]) < 2e-6 && Math.abs(lat - v.center[1]) < 2e-6 && Math.abs(zoom - v.zoom) < 1e-9);
    };
    for (const k of seen.views) assert.ok(isTourView(k), `${k} is a tour view, not a step of a flight`);
    // One view per cut: the first, then at most one cut per dwell + flight in the window (a
    // window of a cycle and 1.5 s can hold RUNS.length + 1 cuts when it starts just before one).
    const maxViews = 1 + Math.ceil((CYCLE_MS + 1500) / (DWELL_MS + FLIGHT_MS));
    assert.ok(seen.views.length <= maxViews, `one view per cut: ${seen.views.length} (at most ${maxViews})`);
    await app.assertHealthy('wall reduced motion');
  });
});
