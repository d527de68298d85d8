// Live incidents end to end: the real demo server (scenario mode, server/scenarios/basic.json)
// serves the built app and the API on one origin (as in production); the app runs in headless
// Chromium. Expected counts come from the scenario file, never hard-coded.
//
//   (a) scripted incidents appear: counters per kind, list total, hook, and the map's pixels
//   (d) the two malformed events are counted in the diagnostics; the good ones are shown
//   (e) an XSS description is shown as text; no <img> is created, no dialog fires
//   a boat with 3 fixes ends at its last position; filters; sort; a row click flies the map
//   and opens the info card; polling fallback without EventSource.
//
// The scenario is delayed (CALAIS_SCENARIO_DELAY_MS, default 12 s) so that the page is live
// before the first event: the malformed events are only ever sent live (the snapshot's cursor
// is past them). Timestamps are moved to "a minute ago" so that the closed incident is kept
// (retention 600 s) and time windows apply.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startDemoServer, prepareDist, launchBrowser, openApp, readScenario, shiftScenario, shiftToNow, scenarioFinalState,
  scenarioRawCount, expectedView, assertIncidentUi, waitForIncidentFacts, showsExpected, project,
  snapshotRegion, diffRegions, waitForSettled, screenshot, tid, KINDS, BASIC_SCENARIO, TEST_TIMEOUT, READY_TIMEOUT,
} from './harness.mjs';

const DELAY_MS = Number(process.env.CALAIS_SCENARIO_DELAY_MS || 12_000);
const TZ = 'Europe/Paris';
const XSS = '<img src=x onerror=alert(1)>';

/**
 * Installed before the app: records dialogs (alert/confirm/prompt are replaced, so an injected
 * handler could not block the page either) and every <img> element added to the document.
 */
const XSS_PROBE = `
window.__dialogs = [];
for (const k of ['alert', 'confirm', 'prompt']) window[k] = (...a) => { window.__dialogs.push(k + ':' + a.join(',')); };
window.__imgsAdded = 0;
new MutationObserver((muts) => {
  for (const m of muts) for (const n of m.addedNodes) {
    if (n.nodeType === 1 && (n.tagName === 'IMG' || (n.querySelector && n.querySelector('img')))) window.__imgsAdded++;
  }
}).observe(document, { childList: true, subtree: true });`;

/** "small_boat" → /small[ _-]?boat/i: the kind's label in any reasonable spelling. */
const kindLabel = (kind) => new RegExp(kind.split('_').join('[ _-]?'), 'i');
const hms = (ms) => new Date(ms).toLocaleTimeString('en-GB', { timeZone: TZ, hour12: false });
const lonLat = (f) => f.geometry.coordinates;

/** A rectangle of 2r CSS px around a point. */
const around = ([x, y], r = 10) => ({ x: x - r, y: y - r, width: 2 * r, height: 2 * r });

/** Waits until the incident list shows `n` (incident-total) and returns the facts. */
const waitTotal = (page, n, what) =>
  waitForIncidentFacts(page, (f) => f.total === n && f.rows.length === Math.min(200, n), { what: `${what}: incident-total ${n}`, timeout: 15_000 });

describe('live incidents from the scripted demo server (basic.json)', () => {
  const basic = readScenario(BASIC_SCENARIO);
  const shiftMs = shiftToNow(basic, { agoMs: 60_000 });
  const scenario = shiftScenario(basic, { shiftMs, delayMs: DELAY_MS });
  const finalState = scenarioFinalState(scenario);
  const expected = expectedView(finalState);
  // The map check's incident: scn-other-1 at Marck, kilometres from every other incident.
  const target = finalState.get('scn-other-1');

  let server, browser, ctx, app, page;
  let preEvent = null; // {imgs, region: true} taken before the first event
  const dialogs = [];

  before(async () => {
    const dir = prepareDist({ initial_view: { lon: lonLat(target)[0], lat: lonLat(target)[1], zoom: 13 } });
    server = await startDemoServer({ scenario, firstSeq: 1, heartbeatMs: 1000, staticDir: dir });
    browser = await launchBrowser();
    ctx = await browser.newContext({ timezoneId: TZ });
    ctx.on('dialog', (d) => {
      dialogs.push(d.message());
      d.dismiss().catch(() => {});
    });
    app = await openApp({ server }, ctx, { initScripts: [XSS_PROBE] });
    page = app.page;
    await assertIncidentUi(page);
    await waitForIncidentFacts(page, (f) => f.status?.status === 'live', { what: 'feed-status live', timeout: 30_000 });
    const health = await (await fetch(server.url('/api/health'))).json();
    assert.equal(health.seq, 0,
      `the page must be live before the scenario's first event; it was live only at seq ${health.seq}: raise CALAIS_SCENARIO_DELAY_MS (now ${DELAY_MS})`);
    await waitForSettled(page);
    await snapshotRegion(page, 'pre-event', around(await project(page, ...lonLat(target))));
    const imgs = await page.evaluate(() => document.querySelectorAll('img').length);
    const still = await (await fetch(server.url('/api/health'))).json();
    if (still.seq === 0) preEvent = { imgs };
    await screenshot(page, '20-incidents-before-events');
  });
  after(async () => {
    await ctx?.close();
    await browser?.close();
    await server?.kill();
  });

  /** Waits (once) until the page shows the scenario's final state. */
  let shown;
  const scenarioShown = () =>
    (shown ||= waitForIncidentFacts(page, (f) => showsExpected(f, expected), {
      what: `the final state of basic.json (${expected.total} incidents, open ${JSON.stringify(expected.open)})`,
      timeout: DELAY_MS + 40_000,
      expect: expected,
    }));

  test('(a) scripted incidents appear: counters per kind, list total and hook match the scenario; the map draws them', { timeout: TEST_TIMEOUT }, async (t) => {
    const facts = await scenarioShown();
    if (!preEvent) t.diagnostic('the first event arrived before the pre-event pixels were read: only the kind-filter pixel check ran');
    for (const k of KINDS) {
      assert.equal(facts.counters[k], expected.open[k], `incident-count-${k} data-count`);
      assert.equal(facts.hook.incidents.open[k] ?? 0, expected.open[k], `calaisMap.incidents().open.${k}`);
    }
    assert.equal(facts.total, expected.total, 'incident-total (default filters: everything held)');
    assert.equal(facts.hook.incidents.count, expected.total);
    assert.deepEqual([...facts.hook.ids].sort(), expected.ids, 'calaisMap.incidentIds()');
    assert.deepEqual(facts.rows.map((r) => r.id).sort(), expected.ids, 'one list row per incident');
    for (const row of facts.rows) {
      const p = expected.byId.get(row.id).properties;
      assert.equal(row.kind, p.kind, `${row.id} data-kind`);
      assert.equal(row.severity, p.severity, `${row.id} data-severity`);
      assert.equal(row.status, p.status, `${row.id} data-status`);
      assert.ok(row.text.includes(p.description), `${row.id} row text has the description: ${row.text}`);
      assert.match(row.text, kindLabel(p.kind), `${row.id} row text has the kind label`);
      assert.ok(row.text.includes(String(p.severity)), `${row.id} row text has the severity`);
    }
    for (const [id, f] of expected.byId) {
      const got = await page.evaluate((id) => window.calaisMap.incident(id), id);
      const p = f.properties;
      assert.ok(got, `calaisMap.incident(${id})`);
      assert.deepEqual(
        { id: got.id, kind: got.kind, severity: got.severity, status: got.status, description: got.description },
        { id, kind: p.kind, severity: p.severity, status: p.status, description: p.description },
      );
      assert.ok(Math.abs(got.lon - lonLat(f)[0]) < 1e-6 && Math.abs(got.lat - lonLat(f)[1]) < 1e-6, `${id} position ${got.lon},${got.lat}`);
    }
    assert.equal(await page.evaluate(() => window.calaisMap.incident('no-such-incident')), null);

    // Feed status: live, with the last update in the browser's time zone.
    const st = facts.status;
    assert.equal(st.status, 'live');
    const ms = Number(st.lastUpdateMs);
    assert.ok(st.lastUpdateMs && Math.abs(Date.now() - ms) < 30_000, `data-last-update-ms is recent: ${st.lastUpdateMs}`);
    assert.match(st.text, /^Live · last update \d\d:\d\d:\d\d [A-Za-z][A-Za-z _-]*$/, `feed-status text: ${st.text}`);
    assert.ok(st.text.endsWith(`${hms(ms)} Paris`), `the time is data-last-update-ms in ${TZ}, its zone named: ${st.text} vs ${hms(ms)} Paris`);
    const stats = facts.hook.feedStats;
    assert.equal(stats.transport, 'sse');
    assert.equal(stats.status, 'live');
    assert.equal(stats.lastSeq, String(scenario.events.length), 'feedStats().lastSeq is the last event id');

    // The map: at scn-other-1 the pixels changed from before the first event, and filtering
    // its kind out brings them back.
    const pos = await project(page, ...lonLat(target));
    await waitForSettled(page);
    await snapshotRegion(page, 'with-incidents', around(pos));
    await screenshot(page, '20-incidents-basic');
    if (preEvent) {
      const changed = await diffRegions(page, 'pre-event', 'with-incidents');
      assert.ok(changed > 0, 'the canvas changed where scn-other-1 was drawn');
    }
    const other = page.locator(tid(`incident-filter-kind-${target.properties.kind}`));
    await other.uncheck();
    try {
      let back = -1;
      const t0 = Date.now();
      for (;;) {
        await waitForSettled(page);
        await snapshotRegion(page, 'kind-hidden', around(pos));
        back = preEvent ? await diffRegions(page, 'pre-event', 'kind-hidden') : -1;
        const vsShown = await diffRegions(page, 'with-incidents', 'kind-hidden');
        if (preEvent ? back <= 8 : vsShown > 0) break;
        if (Date.now() - t0 > 10_000) {
          assert.fail(`with kind ${target.properties.kind} filtered out, the map at scn-other-1 should look as before the events: ${back} of 400 px differ, ${vsShown} differ from the shown state`);
        }
        await page.waitForTimeout(200);
      }
    } finally {
      await other.check();
    }
    await app.assertHealthy('incidents (a)');
  });

  test('(d) the malformed events are counted in the diagnostics; the good ones are still shown', { timeout: TEST_TIMEOUT }, async () => {
    await scenarioShown();
    const raws = scenarioRawCount(basic);
    const facts = await waitForIncidentFacts(page, (f) => f.diagnostics?.rejected >= raws, { what: `feed-diagnostics data-rejected ≥ ${raws}` });
    assert.equal(facts.diagnostics.rejected, raws, `exactly the ${raws} malformed events of basic.json are rejected`);
    assert.equal(facts.hook.feedStats.rejected, raws, 'feedStats().rejected');
    assert.ok(facts.diagnostics.lastError.length > 0, 'feed-last-error names the last problem');
    assert.ok(facts.hook.feedStats.events >= scenario.events.length - raws, `feedStats().events counts the good events: ${facts.hook.feedStats.events}`);
    assert.ok(showsExpected(facts, expected), 'all good incidents still shown');
    await app.assertHealthy('incidents (d)');
  });

  test('(e) an XSS description is shown as text in the list and the info card; no <img>, no dialog', { timeout: TEST_TIMEOUT }, async () => {
    await scenarioShown();
    const row = page.locator(`${tid('incident-row')}[data-incident-id="scn-xss-1"]`);
    assert.equal(await row.count(), 1);
    assert.ok((await row.textContent()).includes(XSS), 'the row shows the description literally');
    // Other descriptions with <, >, & and quotes are literal too.
    for (const [id, f] of expected.byId) {
      if (!/[<>&"]/.test(f.properties.description)) continue;
      const text = await page.locator(`${tid('incident-row')}[data-incident-id="${id}"]`).textContent();
      assert.ok(text.includes(f.properties.description), `${id}: ${text}`);
    }
    await row.click();
    const card = page.locator(tid('info-card'));
    await card.waitFor({ state: 'visible', timeout: 15_000 });
    await page.waitForFunction(() => document.querySelector('[data-testid="info-card"]')?.getAttribute('data-incident-id') === 'scn-xss-1', null, { timeout: 15_000 });
    await page.waitForTimeout(500); // give an injected onerror a chance to fire
    await screenshot(page, '20-incidents-xss-card');
    assert.ok((await card.textContent()).includes(XSS), 'the info card shows the description literally');
    assert.equal(await card.evaluate((el) => el.querySelectorAll('img, script, iframe').length), 0);
    if (preEvent) assert.equal(await page.evaluate(() => document.querySelectorAll('img').length), preEvent.imgs, 'no <img> added to the page');
    assert.equal(await page.evaluate(() => document.querySelectorAll('img[src="x"]').length), 0);
    assert.equal(await page.evaluate(() => window.__imgsAdded), 0, 'no <img> element was ever inserted');
    assert.deepEqual(await page.evaluate(() => window.__dialogs), [], 'alert/confirm/prompt never called');
    assert.deepEqual(dialogs, [], 'no dialog event');
    await page.locator(tid('info-card-close')).click();
    await card.waitFor({ state: 'hidden', timeout: 10_000 });
    await app.assertHealthy('incidents (e)');
  });

  test('a boat with 3 fixes (scn-boat-1) ends at its last position, listed once', { timeout: TEST_TIMEOUT }, async () => {
    await scenarioShown();
    const fixes = scenario.events.filter((e) => e.feature?.id === 'scn-boat-1').map((e) => e.feature);
    assert.equal(fixes.length, 3);
    const last = fixes[fixes.length - 1];
    const got = await page.evaluate(() => window.calaisMap.incident('scn-boat-1'));
    assert.ok(Math.abs(got.lon - lonLat(last)[0]) < 1e-6 && Math.abs(got.lat - lonLat(last)[1]) < 1e-6,
      `at the last fix ${lonLat(last)}: ${got.lon},${got.lat}`);
    assert.equal(got.description, last.properties.description);
    assert.equal(await page.locator(`${tid('incident-row')}[data-incident-id="scn-boat-1"]`).count(), 1);
  });

  test('filters: kind, minimum severity, status and time window narrow the list; counters stay unfiltered', { timeout: TEST_TIMEOUT }, async () => {
    const base = await scenarioShown();
    const all = [...expected.byId.values()].map((f) => f.properties);
    const check = async (what, pred) => {
      const n = all.filter(pred).length;
      const f = await waitTotal(page, n, what);
      for (const r of f.rows) assert.ok(pred(expected.byId.get(r.id).properties), `${what}: row ${r.id} should be filtered out`);
      assert.deepEqual(f.counters, base.counters, `${what}: the counters are unfiltered`);
      return f;
    };
    // Kind.
    const boats = page.locator(tid('incident-filter-kind-small_boat'));
    assert.equal(await boats.isChecked(), true, 'kind filters are checked by default');
    await boats.uncheck();
    const noBoats = await check('small_boat unchecked', (p) => p.kind !== 'small_boat');
    assert.ok(noBoats.total < expected.total);
    assert.ok(!noBoats.rows.some((r) => r.kind === 'small_boat'));
    await screenshot(page, '20-incidents-filter-no-boats');
    await boats.check();
    await waitTotal(page, expected.total, 'small_boat checked again');
    // Minimum severity.
    const sev = page.locator(tid('incident-filter-severity'));
    assert.equal(await sev.inputValue(), '1');
    await sev.selectOption('4');
    await check('severity ≥ 4', (p) => p.severity >= 4);
    await sev.selectOption('1');
    await waitTotal(page, expected.total, 'severity ≥ 1');
    // Status.
    const status = page.locator(tid('incident-filter-status'));
    assert.equal(await status.inputValue(), 'all');
    await status.selectOption('closed');
    const closed = await check('status closed', (p) => p.status === 'closed');
    assert.ok(closed.total >= 1 && closed.rows.every((r) => r.status === 'closed'), 'the closed incident scn-fence-1 is listed');
    await status.selectOption('open');
    await check('status open', (p) => p.status === 'open');
    await status.selectOption('all');
    await waitTotal(page, expected.total, 'status all');
    // Time window (by updated_at; the scenario's times end a minute before the test started).
    const win = page.locator(tid('incident-filter-window'));
    assert.equal(await win.inputValue(), 'all');
    await win.selectOption('15m');
    const now = Date.now();
    await check('updated in the last 15 min', (p) => Date.parse(p.updated_at) >= now - 15 * 60_000);
    await win.selectOption('all');
    await waitTotal(page, expected.total, 'window all');
    await app.assertHealthy('filters');
  });

  test('sort: newest first by default; by severity puts the most severe first', { timeout: TEST_TIMEOUT }, async () => {
    const facts = await scenarioShown();
    const sort = page.locator(tid('incident-sort'));
    assert.equal(await sort.inputValue(), 'newest');
    const t = (id) => Date.parse(expected.byId.get(id).properties.updated_at);
    const times = facts.rows.map((r) => t(r.id));
    for (let i = 1; i < times.length; i++) assert.ok(times[i - 1] >= times[i], `newest first: ${facts.rows.map((r) => r.id).join(', ')}`);
    await sort.selectOption('severity');
    const bySev = await waitForIncidentFacts(page, (f) => f.rows.length === expected.total && f.rows.every((r, i) => i === 0 || f.rows[i - 1].severity >= r.severity),
      { what: 'rows in non-increasing severity', timeout: 15_000 });
    const maxSev = Math.max(...[...expected.byId.values()].map((f) => f.properties.severity));
    assert.equal(bySev.rows[0].severity, maxSev, 'the most severe incident is first');
    await screenshot(page, '20-incidents-sort-severity');
    await sort.selectOption('newest');
  });

  test('clicking a list row flies the map to the incident (zoom ≥ 14) and opens its info card', { timeout: TEST_TIMEOUT }, async () => {
    await scenarioShown();
    const f = expected.byId.get('scn-tunnel-2');
    const [lon, lat] = lonLat(f);
    await page.locator(`${tid('incident-row')}[data-incident-id="scn-tunnel-2"]`).click();
    const v = await page.waitForFunction(
      ([lon, lat]) => {
        const v = window.calaisMap.view();
        const [x, y] = window.calaisMap.project(lon, lat);
        return v.zoom >= 14 && Math.hypot(x - v.width / 2, y - v.height / 2) <= 4 && v;
      },
      [lon, lat],
      { timeout: 15_000, polling: 100 },
    ).then((h) => h.jsonValue()).catch(async (e) => {
      throw new Error(`the map did not fly to scn-tunnel-2 (${lon},${lat}): view ${JSON.stringify(await page.evaluate(() => window.calaisMap.view()))}\n${e.message}`);
    });
    assert.ok(v.zoom >= 14);
    const card = page.locator(tid('info-card'));
    await card.waitFor({ state: 'visible', timeout: 15_000 });
    assert.equal(await card.getAttribute('data-incident-id'), 'scn-tunnel-2');
    assert.ok((await card.textContent()).includes(f.properties.description), 'the card shows the description');
    // The selection is part of a row's key (static rows, keyed_rows.rs): exactly the clicked row
    // is highlighted, and closing the card clears it.
    const selectedRows = () => page.$$eval(`${tid('incident-row')}.selected`, (es) => es.map((e) => e.dataset.incidentId));
    await page.waitForFunction((sel) => document.querySelectorAll(sel).length === 1, `${tid('incident-row')}.selected`, { timeout: 10_000 });
    assert.deepEqual(await selectedRows(), ['scn-tunnel-2'], 'the clicked row alone is highlighted');
    await waitForSettled(page);
    await screenshot(page, '20-incidents-row-click-fly');
    // Esc closes the card even though the focus is in the list, not on the map.
    await page.keyboard.press('Escape');
    await card.waitFor({ state: 'hidden', timeout: 10_000 });
    await page.waitForFunction((sel) => document.querySelectorAll(sel).length === 0, `${tid('incident-row')}.selected`, { timeout: 10_000 });
    await page.locator(`${tid('incident-row')}[data-incident-id="scn-tunnel-2"]`).click();
    await card.waitFor({ state: 'visible', timeout: 15_000 });
    await page.locator(tid('info-card-close')).click();
    await card.waitFor({ state: 'hidden', timeout: 10_000 });
    await app.assertHealthy('row click');
  });
});

describe('polling fallback when EventSource is missing', () => {
  const basic = readScenario(BASIC_SCENARIO);
  const scenario = shiftScenario(basic, { shiftMs: shiftToNow(basic, { agoMs: 60_000 }), delayMs: 6_000 });
  const expected = expectedView(scenarioFinalState(scenario));
  let server, browser, ctx;

  before(async () => {
    const dir = prepareDist({ incidents: { poll_interval_s: 1 } });
    server = await startDemoServer({ scenario, firstSeq: 1, heartbeatMs: 1000, staticDir: dir });
    browser = await launchBrowser();
    ctx = await browser.newContext({ timezoneId: TZ });
  });
  after(async () => {
    await ctx?.close();
    await browser?.close();
    await server?.kill();
  });

  test('without window.EventSource the app polls ?since= and shows the same incidents', { timeout: TEST_TIMEOUT }, async () => {
    const requests = [];
    ctx.on('request', (r) => requests.push(r.url()));
    const app = await openApp({ server }, ctx, { initScripts: ['delete window.EventSource;'] });
    const { page } = app;
    assert.equal(await page.evaluate(() => typeof window.EventSource), 'undefined');
    await assertIncidentUi(page);
    const facts = await waitForIncidentFacts(page, (f) => showsExpected(f, expected) && f.status?.status === 'live', {
      what: `basic.json's final state by polling (${expected.total} incidents), feed-status live`,
      timeout: READY_TIMEOUT,
      expect: expected,
    });
    assert.equal(facts.hook.feedStats.transport, 'poll');
    for (const k of KINDS) assert.equal(facts.counters[k], expected.open[k], `incident-count-${k}`);
    assert.ok(requests.some((u) => /\/api\/incidents\?since=/.test(u)), 'polled GET api/incidents?since=<cursor>');
    assert.ok(!requests.some((u) => u.includes('/api/incidents/stream')), 'never opened the stream');
    await screenshot(page, '20-incidents-polling');
    await app.assertHealthy('polling');
    await app.close();
  });
});
