// Bounded memory, end to end: closed incidents leave the client once older than
// incidents.retention_s (docs/api.md), open ones never do.
//
// The demo server plays server/scenarios/basic.json moved so that its newest update is 1 s ago:
// scn-fence-1 is closed with updated_at 26 s before that. With retention_s = 40 (patched
// config) it is shown at first and must disappear about 14 s later (the client re-checks
// retention every second), while the 11 other incidents (all open) stay, with the same
// counters. Expected states come from the scenario file (harness: scenarioFinalState,
// expectedView with the same retention), nothing is hard-coded but the id of the one
// closed incident, which the test also checks is closed in the file.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startDemoServer, prepareDist, launchBrowser, openApp, readScenario, shiftScenario, shiftToNow, scenarioFinalState,
  expectedView, assertIncidentUi, waitForIncidentFacts, showsExpected, screenshot, KINDS, BASIC_SCENARIO, TEST_TIMEOUT,
} from './harness.mjs';

const RETENTION_S = 40;

describe('retention of closed incidents', () => {
  const run = shiftScenario(readScenario(BASIC_SCENARIO), { shiftMs: shiftToNow([readScenario(BASIC_SCENARIO)], { agoMs: 1000 }) });
  const state = scenarioFinalState(run);
  const closed = [...state].filter(([, f]) => f.properties.status === 'closed');

  let server, browser, ctx, app, page;
  before(async () => {
    const dir = prepareDist({ incidents: { retention_s: RETENTION_S } });
    server = await startDemoServer({ scenario: run, heartbeatMs: 500, staticDir: dir });
    browser = await launchBrowser();
    ctx = await browser.newContext();
    app = await openApp({ server }, ctx);
    page = app.page;
    await assertIncidentUi(page);
  });
  after(async () => {
    await ctx?.close();
    await browser?.close();
    await server?.kill();
  });

  test(`a closed incident is kept until retention_s (${RETENTION_S} s) after its last update, then dropped; open ones stay`, { timeout: TEST_TIMEOUT }, async (t) => {
    assert.equal(closed.length, 1, 'basic.json ends with exactly one closed incident');
    const [closedId, closedFeature] = closed[0];
    const dropAt = Date.parse(closedFeature.properties.updated_at) + RETENTION_S * 1000;
    assert.ok(dropAt - Date.now() > 8_000, `the closed incident has more than 8 s left to live (${dropAt - Date.now()} ms)`);

    // First: everything, the closed incident included.
    const withClosed = expectedView(state, { retentionS: RETENTION_S });
    assert.ok(withClosed.ids.includes(closedId));
    const first = await waitForIncidentFacts(page, (f) => showsExpected(f, withClosed), {
      what: `all ${withClosed.total} incidents of basic.json shown, ${closedId} (closed) included`,
      timeout: 30_000,
      expect: withClosed,
    });
    assert.ok(Date.now() < dropAt, 'seen before its retention ran out');
    await screenshot(page, '22-retention-before');

    // Then: the closed one leaves at dropAt (± the 1 s check), nothing else changes.
    const withoutClosed = expectedView(state, { retentionS: RETENTION_S, now: dropAt + 1 });
    assert.ok(!withoutClosed.ids.includes(closedId) && withoutClosed.total === withClosed.total - 1);
    const after = await waitForIncidentFacts(page, (f) => showsExpected(f, withoutClosed), {
      what: `${closedId} dropped ${RETENTION_S} s after its last update, the ${withoutClosed.total} open incidents kept`,
      timeout: dropAt - Date.now() + 5_000,
      interval: 250,
      expect: withoutClosed,
    });
    const late = Date.now() - dropAt;
    t.diagnostic(`${closedId} gone ${late} ms after updated_at + retention_s`);
    assert.ok(late >= -1_500, `not dropped before its retention ran out (${late} ms)`);
    for (const k of KINDS) assert.equal(after.counters[k], first.counters[k], `open ${k} counter unchanged`);
    assert.equal(await page.locator(`[data-testid="incident-row"][data-incident-id="${closedId}"]`).count(), 0, 'no list row left');
    await screenshot(page, '22-retention-after');
    await app.assertHealthy('after retention');
  });
});
