// Geofencing end to end: the real demo server plays tests/fixtures/scenarios/geofence.json
// (incidents entering the Coquelles terminal, the Port of Calais and the Sangatte beach, one in
// the port zone's hole, then the boat putting to sea and the lorry incident closing) to the
// built app in headless Chromium. The zone panel's rows carry data-zone-id / data-count; the
// alert ticker lists the enter/exit alerts, critical ones flash until acknowledged; the
// incident card lists the incident's zones, the cameras that see it and its distances.
//
// The scenario is delayed so that the page is live first: alerts are raised only for live
// changes (a snapshot seeds memberships silently).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  startDemoServer, prepareDist, launchBrowser, openApp, readScenario, shiftScenario, shiftToNow,
  waitForIncidentFacts, assertIncidentUi, screenshot, SCENARIOS, TEST_TIMEOUT,
} from './harness.mjs';

const DELAY_MS = Number(process.env.CALAIS_SCENARIO_DELAY_MS || 10_000);
const SCENARIO = path.join(SCENARIOS, 'geofence.json');

/** data-zone-id → data-count of every zone row. */
const zoneCounts = (page) =>
  page.$$eval('[data-testid="zone-row"]', (rows) => Object.fromEntries(rows.map((r) => [r.dataset.zoneId, Number(r.dataset.count)])));

/** The ticker's rows: kind, zone, incident, acked. */
const alerts = (page) =>
  page.$$eval('[data-testid="alert-row"]', (rows) =>
    rows.map((r) => ({ kind: r.dataset.kind, zone: r.dataset.zoneId, incident: r.dataset.incidentId, acked: r.dataset.acked === 'true', critical: r.classList.contains('critical') })));

describe('zones, counts and alerts from the scripted demo server (geofence.json)', () => {
  const raw = readScenario(SCENARIO);
  const scenario = shiftScenario(raw, { shiftMs: shiftToNow(raw, { agoMs: 20_000 }), delayMs: DELAY_MS });
  let server, browser, ctx, page;

  before(async () => {
    const dir = prepareDist({ initial_view: { lon: 1.82, lat: 50.95, zoom: 12 } });
    server = await startDemoServer({ scenario, firstSeq: 1, heartbeatMs: 1000, staticDir: dir });
    browser = await launchBrowser();
    ctx = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    ({ page } = await openApp({ server }, ctx));
    await assertIncidentUi(page);
    await waitForIncidentFacts(page, (f) => f.status?.status === 'live', { what: 'feed-status live', timeout: 30_000 });
  });

  after(async () => {
    await ctx?.close();
    await browser?.close();
    await server?.kill();
  });

  test('demo zones are listed with zero counts before any incident', { timeout: TEST_TIMEOUT }, async () => {
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="zone-row"]').length >= 8, null, { timeout: 30_000 });
    const counts = await zoneCounts(page);
    for (const id of ['eurotunnel-coquelles', 'port-calais', 'beussingue-approach', 'beach-sangatte-bleriot', 'port-dunkirk']) {
      assert.equal(counts[id], 0, `${id} starts empty: ${JSON.stringify(counts)}`);
    }
    assert.equal(await page.locator('[data-testid="zone-problems"]').getAttribute('data-count'), '0');
    // The fence stretches no camera sees are measured and shown.
    const gap = page.locator('[data-testid="coverage-gap"]');
    await gap.waitFor({ timeout: 30_000 });
    const uncovered = Number(await gap.getAttribute('data-uncovered-m'));
    const fence = Number(await gap.getAttribute('data-fence-m'));
    assert.ok(uncovered > 0 && uncovered < fence, `uncovered ${uncovered} m of ${fence} m`);
    assert.equal(await page.locator('[data-testid="alert-ticker"]').count(), 0, 'no ticker before alerts');
  });

  test('entering incidents raise counts and alerts; a hole does not count', { timeout: TEST_TIMEOUT }, async () => {
    await page.waitForFunction(
      () => document.querySelector('[data-testid="zone-row"][data-zone-id="eurotunnel-coquelles"]')?.dataset.count === '1',
      null, { timeout: DELAY_MS + 30_000 },
    ).catch(async (e) => {
      throw new Error(`${e.message}: zone counts ${JSON.stringify(await zoneCounts(page))}, alerts ${JSON.stringify(await alerts(page))}`);
    });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="alert-row"]').length >= 3, null, { timeout: 15_000 });
    await screenshot(page, '30-geofence-enter');
    // Then the boat puts to sea (exit) and the lorry incident closes (count drops, no alert).
    await page.waitForFunction(
      () => document.querySelector('[data-testid="zone-row"][data-zone-id="port-calais"]')?.dataset.count === '0'
        && document.querySelector('[data-testid="zone-row"][data-zone-id="beach-sangatte-bleriot"]')?.dataset.count === '0'
        && document.querySelectorAll('[data-testid="alert-row"]').length >= 4,
      null, { timeout: 30_000 },
    );
    const counts = await zoneCounts(page);
    assert.equal(counts['eurotunnel-coquelles'], 1);
    assert.equal(counts['port-calais'], 0);
    assert.equal(counts['beach-sangatte-bleriot'], 0);
    const list = await alerts(page);
    const key = (a) => `${a.kind}:${a.zone}:${a.incident}`;
    assert.deepEqual(list.map(key).sort(), [
      'enter:beach-sangatte-bleriot:gf-boat-1',
      'enter:eurotunnel-coquelles:gf-fence-1',
      'enter:port-calais:gf-lorry-1',
      'exit:beach-sangatte-bleriot:gf-boat-1',
    ].sort(), JSON.stringify(list));
    assert.ok(!list.some((a) => a.incident === 'gf-hole-1'), 'the port zone has a hole');
    assert.ok(list.find((a) => a.zone === 'eurotunnel-coquelles').critical, 'terminal alerts are critical');
    assert.ok(!list.find((a) => a.zone === 'beach-sangatte-bleriot').critical, 'beach alerts are not');
    assert.equal(await page.locator('[data-testid="alert-unacked"]').getAttribute('data-count'), '4');
    // The wall-visible flash: every unacknowledged critical alert, its zones named.
    const critical = list.filter((a) => a.critical && !a.acked);
    assert.ok(critical.length >= 1, JSON.stringify(list));
    const flash = page.locator('[data-testid="critical-flash"]');
    assert.equal(await flash.getAttribute('data-count'), String(critical.length));
    assert.deepEqual((await flash.getAttribute('data-zone-ids')).split(' ').sort(), [...new Set(critical.map((a) => a.zone))].sort());
    assert.match(await flash.textContent(), /critical alert.*Eurotunnel terminal/);
  });

  test('acknowledging stops the flashing; the card lists zones, cameras and distances', { timeout: TEST_TIMEOUT }, async () => {
    const critical = '[data-testid="alert-row"][data-zone-id="eurotunnel-coquelles"]';
    await page.locator(`${critical} [data-testid="alert-ack"]`).click();
    assert.equal(await page.locator(critical).getAttribute('data-acked'), 'true');
    assert.equal(await page.locator('[data-testid="alert-unacked"]').getAttribute('data-count'), '3');
    const flash = page.locator('[data-testid="critical-flash"]');
    const flashing = (await flash.count()) ? await flash.getAttribute('data-zone-ids') : '';
    assert.ok(!flashing.includes('eurotunnel-coquelles'), `the acknowledged zone leaves the flash (${flashing})`);
    await page.locator('[data-testid="alert-ack-all"]').click();
    assert.equal(await page.locator('[data-testid="alert-unacked"]').getAttribute('data-count'), '0');
    assert.equal(await flash.count(), 0, 'no flash once every alert is acknowledged');

    await page.locator('[data-testid="incident-row"][data-incident-id="gf-fence-1"]').click();
    const card = page.locator('[data-testid="info-card"][data-incident-id="gf-fence-1"]');
    await card.waitFor({ timeout: 10_000 });
    const rows = Object.fromEntries(await card.locator('[data-testid="info-card-row"]').evaluateAll((trs) =>
      trs.map((tr) => [tr.querySelector('th').textContent.trim(), tr.querySelector('td').textContent.trim()])));
    assert.match(rows.Zones ?? '', /Eurotunnel terminal/, JSON.stringify(rows));
    assert.ok(rows['Seen by cameras'] !== undefined, JSON.stringify(rows));
    assert.match(rows['Nearest fence'] ?? '', /^\d+(\.\d)? k?m \(/, JSON.stringify(rows));
    assert.match(rows['Nearest port'] ?? '', /^\d+(\.\d)? k?m \(/, JSON.stringify(rows));
    await screenshot(page, '31-geofence-card');
  });

  test('the zone event log exports as GeoJSON and CSV with the same events', { timeout: TEST_TIMEOUT }, async () => {
    const read = async (testid) => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-testid="${testid}"]`).click()]);
      return { name: download.suggestedFilename(), text: fs.readFileSync(await download.path(), 'utf8') };
    };
    const gj = await read('export-log-geojson');
    assert.equal(gj.name, 'zone-events.geojson');
    const fc = JSON.parse(gj.text);
    assert.equal(fc.type, 'FeatureCollection');
    const ev = fc.features.map((f) => `${f.properties.kind}:${f.properties.zone_id}:${f.properties.incident_id}`);
    for (const e of ['enter:eurotunnel-coquelles:gf-fence-1', 'enter:port-calais:gf-lorry-1', 'exit:beach-sangatte-bleriot:gf-boat-1', 'ended:port-calais:gf-lorry-1']) {
      assert.ok(ev.includes(e), `${e} in ${JSON.stringify(ev)}`);
    }
    assert.ok(!ev.some((e) => e.endsWith(':gf-hole-1')), 'nothing for the incident in the hole');
    const csv = await read('export-log-csv');
    assert.equal(csv.name, 'zone-events.csv');
    const lines = csv.text.trim().split(/\r\n/);
    assert.equal(lines[0], 'seq,time,time_ms,kind,incident_id,zone_id,lon,lat,critical');
    assert.equal(lines.length - 1, fc.features.length, 'one CSV row per event');
    assert.equal(await page.locator('[data-testid="export-error"]').count(), 0);
  });
});
