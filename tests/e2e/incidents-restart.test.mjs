// Live incidents across an API outage, end to end: the real demo server serves the app and the
// API on one origin; the test kills it and restarts it on the same port with another scenario.
//
//   (b) after the server is killed, feed-status turns stale or reconnecting within
//       stale_after_s (3, patched config) + 2 s; the incidents held stay on the list/counters
//   (c) after the restart (tests/fixtures/scenarios/restart-b.json: the first run's incidents,
//       some updated and one closed, plus incidents "emitted while down" in the new server's
//       snapshot and live ones later) every expected incident is present exactly once, the
//       counts per kind match, and the feed is live again.
//
// The demo server numbers events from its start time (ms × 1000), so the browser's
// Last-Event-ID from the first run gets `reset` from the second, and the client resyncs from
// the snapshot. Only here are the console errors of refused connections expected.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  startDemoServer, prepareDist, launchBrowser, openApp, readScenario, shiftScenario, shiftToNow, scenarioFinalState,
  expectedView, assertIncidentUi, waitForIncidentFacts, incidentFacts, showsExpected, screenshot, tid, KINDS,
  BASIC_SCENARIO, SCENARIOS, OUTAGE_ERRORS, TEST_TIMEOUT,
} from './harness.mjs';

const STALE_AFTER_S = 3;
const HEARTBEAT_MS = 500;
const TZ = 'Europe/Paris';

describe('feed outage and server restart', () => {
  const a0 = readScenario(BASIC_SCENARIO);
  const b0 = readScenario(path.join(SCENARIOS, 'restart-b.json'));
  // One shift for both runs: restart-b's updates stay later than the first run's states.
  const shiftMs = shiftToNow([a0, b0], { agoMs: 30_000 });
  const runA = shiftScenario(a0, { shiftMs });
  const runB = shiftScenario(b0, { shiftMs });
  const expectedA = expectedView(scenarioFinalState(runA));
  const expectedB = expectedView(scenarioFinalState(runB));

  let server, browser, ctx, app, page;
  let beforeOutage = null;

  before(async () => {
    const dir = prepareDist({ incidents: { stale_after_s: STALE_AFTER_S } });
    server = await startDemoServer({ scenario: runA, heartbeatMs: HEARTBEAT_MS, staticDir: dir });
    browser = await launchBrowser();
    ctx = await browser.newContext({ timezoneId: TZ });
    app = await openApp({ server }, ctx, { allowedConsoleErrors: OUTAGE_ERRORS });
    page = app.page;
    await assertIncidentUi(page);
    beforeOutage = await waitForIncidentFacts(page, (f) => showsExpected(f, expectedA) && f.status?.status === 'live', {
      what: `the first run (basic.json: ${expectedA.total} incidents) shown and live`,
      timeout: 60_000,
      expect: expectedA,
    });
    await app.assertHealthy('before the outage');
  });
  after(async () => {
    await ctx?.close();
    await browser?.close();
    await server?.kill();
  });

  test(`(b) a frozen server (SIGSTOP: connection open, no heartbeats) turns the feed stale within stale_after_s + 2 s; SIGCONT brings it back`, { timeout: TEST_TIMEOUT }, async (t) => {
    assert.ok(beforeOutage, 'set up by before()');
    const t0 = Date.now();
    server.signal('SIGSTOP');
    let flipped;
    try {
      const budget = (STALE_AFTER_S + 2) * 1000;
      flipped = await waitForIncidentFacts(page, (f) => ['stale', 'reconnecting'].includes(f.status?.status), {
        what: `feed-status stale (no heartbeat for ${STALE_AFTER_S} s) within ${budget} ms of the freeze`,
        timeout: budget,
        interval: 100,
      });
      const elapsed = Date.now() - t0;
      t.diagnostic(`feed-status ${flipped.status.status} ${elapsed} ms after the freeze: "${flipped.status.text}"`);
      assert.ok(elapsed >= STALE_AFTER_S * 1000 - 2 * HEARTBEAT_MS, `not before stale_after_s without heartbeats (${elapsed} ms)`);
      assert.deepEqual(flipped.counters, beforeOutage.counters, 'counters unchanged');
      assert.deepEqual([...flipped.hook.ids].sort(), expectedA.ids, 'incidents unchanged');
      await screenshot(page, '21-incidents-frozen-server');
    } finally {
      server.signal('SIGCONT');
    }
    await waitForIncidentFacts(page, (f) => f.status?.status === 'live' && showsExpected(f, expectedA), {
      what: 'feed-status live again after SIGCONT, same incidents',
      timeout: 30_000,
      expect: expectedA,
    });
    await app.assertHealthy('after the freeze');
  });

  test(`(b) killing the server turns the feed stale or reconnecting within stale_after_s + 2 s; the data stays`, { timeout: TEST_TIMEOUT }, async (t) => {
    assert.ok(beforeOutage, 'set up by before()');
    const t0 = Date.now();
    const info = await server.kill();
    assert.equal(info.code, 0, `the demo server exits cleanly on SIGTERM: ${server.stderr()}`);
    const budget = (STALE_AFTER_S + 2) * 1000;
    const flipped = await waitForIncidentFacts(page, (f) => ['stale', 'reconnecting'].includes(f.status?.status), {
      what: `feed-status stale or reconnecting within ${budget} ms of the kill`,
      timeout: Math.max(0, budget - (Date.now() - t0)),
      interval: 100,
    });
    const elapsed = Date.now() - t0;
    assert.ok(elapsed <= budget + 300, `flipped after ${elapsed} ms`);
    const st = flipped.status;
    t.diagnostic(`feed-status ${st.status} ${elapsed} ms after the kill: "${st.text}"`);
    assert.match(st.text, st.status === 'stale' ? /^Stale since \d\d:\d\d:\d\d [A-Za-z][A-Za-z _-]* · last update \d\d:\d\d:\d\d [A-Za-z][A-Za-z _-]*$/ : /^Reconnecting \(attempt \d+\) · last update \d\d:\d\d:\d\d [A-Za-z][A-Za-z _-]*$/,
      `feed-status text: ${st.text}`);
    // The incidents held stay: counters, total, ids, rows.
    assert.deepEqual(flipped.counters, beforeOutage.counters, 'counters unchanged');
    assert.equal(flipped.total, beforeOutage.total, 'incident-total unchanged');
    assert.deepEqual([...flipped.hook.ids].sort(), expectedA.ids, 'incidentIds() unchanged');
    assert.deepEqual(flipped.rows.map((r) => r.id).sort(), expectedA.ids, 'list rows unchanged');
    assert.ok(Number(st.lastUpdateMs) <= Date.now() && Number(st.lastUpdateMs) >= t0 - 2 * HEARTBEAT_MS - 1000,
      `data-last-update-ms is the last heartbeat before the kill: ${st.lastUpdateMs} (kill at ${t0})`);
    await screenshot(page, '21-incidents-outage');
    // Still down a little longer (the "while down" incidents are in restart-b's snapshot):
    // the status must not claim live and the data stays.
    await page.waitForTimeout(STALE_AFTER_S * 1000);
    const later = await incidentFacts(page);
    assert.notEqual(later.status.status, 'live', 'not live while the server is down');
    assert.deepEqual(later.counters, beforeOutage.counters);
    await app.assertHealthy('during the outage');
  });

  test('(c) after a restart on the same port every incident is present exactly once, counts match, feed live', { timeout: TEST_TIMEOUT }, async (t) => {
    assert.ok(beforeOutage, 'set up by before()');
    const port = server.port;
    const t0 = Date.now();
    await server.restart({ scenario: runB });
    assert.equal(server.port, port, 'restarted on the same port (the page\'s origin)');
    const lastLive = Math.max(...runB.events.map((e) => e.at_ms));
    const facts = await waitForIncidentFacts(page, (f) => showsExpected(f, expectedB) && f.status?.status === 'live', {
      what: `restart-b.json's final state (${expectedB.total} incidents, open ${JSON.stringify(expectedB.open)}) and feed-status live`,
      timeout: lastLive + 60_000,
      expect: expectedB,
    });
    assert.deepEqual(facts.mismatched, [], 'every incident in its latest state (calaisMap.incident)');
    t.diagnostic(`restart-b's final state shown and live ${Date.now() - t0} ms after the restart; feedStats ${JSON.stringify(facts.hook.feedStats)}`);
    const ids = facts.hook.ids;
    assert.equal(new Set(ids).size, ids.length, `incidentIds() has no duplicates: ${ids}`);
    assert.deepEqual([...ids].sort(), expectedB.ids, 'every expected id, nothing else');
    const rowIds = facts.rows.map((r) => r.id);
    assert.equal(new Set(rowIds).size, rowIds.length, `list rows unique by data-incident-id: ${rowIds}`);
    assert.deepEqual([...rowIds].sort(), expectedB.ids);
    for (const k of KINDS) {
      assert.equal(facts.counters[k], expectedB.open[k], `incident-count-${k}`);
      assert.equal(facts.hook.incidents.open[k] ?? 0, expectedB.open[k], `incidents().open.${k}`);
    }
    assert.equal(facts.total, expectedB.total);
    // The first run's incidents are in their restart-b state; "while down" and live ones are there.
    for (const id of ['scn-boat-1', 'scn-lorry-1', 'scn-boat-2', 'scn-down-1', 'scn-down-2', 'scn-down-3', 'scn-live-1', 'scn-live-2']) {
      const want = expectedB.byId.get(id).properties;
      const [lon, lat] = expectedB.byId.get(id).geometry.coordinates;
      const got = await page.evaluate((id) => window.calaisMap.incident(id), id);
      assert.ok(got, `incident ${id}`);
      assert.deepEqual([got.status, got.severity, got.description], [want.status, want.severity, want.description], id);
      assert.ok(Math.abs(got.lon - lon) < 1e-6 && Math.abs(got.lat - lat) < 1e-6, `${id} at ${lon},${lat}: ${got.lon},${got.lat}`);
      const row = facts.rows.find((r) => r.id === id);
      assert.equal(row.status, want.status, `${id} row status`);
    }
    assert.match(facts.status.text, /^Live · last update \d\d:\d\d:\d\d [A-Za-z][A-Za-z _-]*$/);
    // The resync that replaced the picture says so, once, with the counts before and after.
    const notice = page.locator(tid('feed-resync-notice'));
    assert.equal(await notice.count(), 1, 'one resync notice');
    assert.equal(await notice.getAttribute('data-cause'), 'reset');
    assert.equal(Number(await notice.getAttribute('data-before')), expectedA.total, 'incidents held before the resync');
    const after = Number(await notice.getAttribute('data-after'));
    assert.ok(after > 0 && after <= expectedB.total, `incidents in the new snapshot: ${after}`);
    assert.match(await notice.textContent(), new RegExp(`every incident was reloaded from the server .*: ${expectedA.total} → ${after} incidents`));
    t.diagnostic(`resync notice: ${await notice.textContent()}`);
    assert.equal(facts.hook.feedStats.status, 'live');
    await screenshot(page, '21-incidents-after-restart');
    await page.locator(tid('feed-resync-dismiss')).click();
    assert.equal(await notice.count(), 0, 'dismissed');
    // The page's list is still the one list: no second copy of the panel or rows.
    assert.equal(await page.locator(tid('incident-panel')).count(), 1);
    await app.assertHealthy('after the restart');
  });
});
