// Accessibility of the live parts (issue 15 item 5) against a scripted demo server: routine
// incidents outside every zone each second, then a burst of three incidents entering the
// Eurotunnel terminal (a critical zone) within 400 ms.
// - The screen reader's regions (`announce-status`, polite; `announce-alert`, assertive): the
//   polite one says nothing while the feed is live, however often the strip's "last update"
//   time and the list's rows change; the burst is one assertive announcement ("3 new critical
//   zone alerts."); the server stopped is one polite announcement, the reconnect attempts that
//   follow none, and the server back another.
// - The zone list and the alert list are one tab stop each (skip links land on it), the arrow
//   keys move inside them, and the focus stays on the same zone while the burst changes the
//   zone counts (the rows are rendered again).
// - axe-core finds no serious or critical violation with the alerts shown.
// - Reduced motion: with `reducedMotion: 'reduce'` the critical alert's flashing row and the
//   red frame run no animation at all (`document.getAnimations()`), where the default page
//   runs them.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startDemoServer, prepareDist, launchBrowser, openApp, screenshot, axeViolations, OUTAGE_ERRORS, TEST_TIMEOUT, tid,
} from './harness.mjs';

const BURST_AT_MS = 25_000;
const iso = (ms) => new Date(Math.round(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
const feature = (id, start, [lon, lat], ms, severity = 2) => ({
  type: 'Feature', id, geometry: { type: 'Point', coordinates: [lon, lat] },
  properties: {
    id, kind: 'fence_breach', severity, status: 'open', reported_at: iso(start - 60_000),
    updated_at: iso(ms), description: 'a11y live test', accuracy_m: 10, source: 'cam-T-07',
  },
});
// Inside the Eurotunnel terminal (critical), as in the wall tour's test.
const INSIDE = [[1.812, 50.928], [1.816, 50.930], [1.814, 50.929]];

function scenarioFrom(start) {
  const events = [];
  // The three, outside every zone at start (seeded silently by the snapshot).
  INSIDE.forEach((_, i) => events.push({ at_ms: 0, feature: feature(`a11y-crit-${i}`, start, [1.70, 50.89 - i * 0.01], start - 60_000, 4) }));
  // Routine incidents out at sea, one a second, until well after the burst.
  for (let t = 1000; t <= BURST_AT_MS + 20_000; t += 1000) {
    events.push({ at_ms: t, feature: feature(`a11y-routine-${t}`, start, [1.55 + (t % 7) * 0.01, 51.05], start + t) });
  }
  INSIDE.forEach((at, i) => events.push({ at_ms: BURST_AT_MS + i * 200, feature: feature(`a11y-crit-${i}`, start, at, start + BURST_AT_MS + i * 200, 4) }));
  events.sort((a, b) => a.at_ms - b.at_ms);
  return { then: 'idle', events };
}

/** Both live regions: how many announcements and the last one. */
const regions = (page) => page.evaluate(() => {
  const r = (id) => {
    const e = document.querySelector(`[data-testid=${id}]`);
    return { count: Number(e.dataset.count), text: e.textContent, role: e.getAttribute('role'), live: e.getAttribute('aria-live') };
  };
  return { status: r('announce-status'), alert: r('announce-alert') };
});

const focused = (page) => page.evaluate(() => {
  const a = document.activeElement;
  return { testid: a?.getAttribute('data-testid') ?? null, zone: a?.getAttribute('data-zone-id') ?? null, seq: a?.getAttribute('data-alert-seq') ?? null };
});

describe('live regions, list keyboard access and reduced motion under a live feed', () => {
  let server, browser, ctx, ctxReduced, app, reduced;
  before(async () => {
    const dir = prepareDist({ initial_view: { lon: 1.75, lat: 50.95, zoom: 11 } });
    // Event ids from the start time (no --first-seq): the restarted server is a new id space.
    server = await startDemoServer({ scenario: scenarioFrom(Date.now()), heartbeatMs: 1000, staticDir: dir });
    browser = await launchBrowser();
    ctx = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    ctxReduced = await browser.newContext({ viewport: { width: 1600, height: 1000 }, reducedMotion: 'reduce' });
    app = await openApp({ server }, ctx, { query: 'mode=desk', allowedConsoleErrors: OUTAGE_ERRORS });
    reduced = await openApp({ server }, ctxReduced, { query: 'mode=desk', allowedConsoleErrors: OUTAGE_ERRORS });
    for (const a of [app, reduced]) {
      await a.page.waitForSelector(`${tid('feed-status')}[data-status="live"]`, { timeout: 30_000 });
    }
  });

  after(async () => {
    await ctx?.close();
    await ctxReduced?.close();
    await browser?.close();
    await server?.kill();
  });

  test('routine updates say nothing; the zone list is one tab stop and keeps its focus', { timeout: TEST_TIMEOUT }, async () => {
    const { page } = app;
    const start = await regions(page);
    assert.deepEqual([start.status.role, start.status.live, start.alert.role, start.alert.live], ['status', 'polite', 'alert', 'assertive']);
    // No other live region repeats the feed's text: the strip's status line is not one.
    assert.equal(await page.locator(`${tid('feed-status')}[aria-live]`).count(), 0);

    // The zone list: one tab stop, reached by its skip link, arrows inside.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=zone-row]').length >= 5, null, { timeout: 30_000 });
    assert.equal(await page.locator(`${tid('zone-list')} [tabindex="0"]`).count(), 1, 'the zone list is one tab stop');
    await page.focus(tid('skip-zones'));
    await page.keyboard.press('Enter');
    const first = await focused(page);
    assert.equal(first.testid, 'zone-row', `skip to the zones: ${JSON.stringify(first)}`);
    await page.keyboard.press('End');
    const last = await focused(page);
    const ids = await page.$$eval(tid('zone-row'), (rs) => rs.map((r) => r.dataset.zoneId));
    assert.equal(last.zone, ids[ids.length - 1], 'End: the last zone');
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    const second = await focused(page);
    assert.equal(second.zone, ids[1], 'Home then ArrowDown: the second zone');
    assert.deepEqual(await page.$$eval(`${tid('zone-list')} [tabindex="0"]`, (rs) => rs.map((r) => r.dataset.zoneId)), [second.zone], 'the tab stop moved with the focus');
    // Put the focus on the terminal's row: the burst changes its count (the rows are replaced).
    const terminal = ids.indexOf('eurotunnel-coquelles');
    assert.ok(terminal >= 0, `the terminal zone is listed: ${ids}`);
    await page.keyboard.press('Home');
    for (let i = 0; i < terminal; i++) await page.keyboard.press('ArrowDown');
    assert.equal((await focused(page)).zone, 'eurotunnel-coquelles');

    // Routine incidents and new "last update" times: the polite region says nothing.
    const statusText = await page.locator(tid('feed-status')).textContent();
    const count0 = await page.evaluate(() => window.calaisMap.incidents().count);
    await page.waitForFunction((n) => window.calaisMap.incidents().count >= n + 4, count0, { timeout: 30_000 });
    assert.notEqual(await page.locator(tid('feed-status')).textContent(), statusText, 'the strip\'s text changed');
    const routine = await regions(page);
    assert.equal(routine.status.count, 0, `nothing said while live: ${JSON.stringify(routine)}`);
    assert.equal(routine.alert.count, 0);

    // The burst: the terminal's count changes, the focus stays on its row.
    await page.waitForFunction(() => Number(document.querySelector('[data-zone-id="eurotunnel-coquelles"][data-testid=zone-row]')?.dataset.count) >= 3, null, { timeout: BURST_AT_MS + 30_000 });
    await page.waitForTimeout(300);
    const kept = await focused(page);
    assert.deepEqual([kept.testid, kept.zone], ['zone-row', 'eurotunnel-coquelles'], 'the focus stayed on the zone while the counts changed');
  });

  test('a burst of critical alerts is one counted announcement', { timeout: TEST_TIMEOUT }, async () => {
    const { page } = app;
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=alert-row].critical').length >= 3, null, { timeout: 30_000 });
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=announce-alert]').dataset.count) >= 1, null, { timeout: 10_000 });
    // Well past the pacing: still one announcement, counting the three.
    await page.waitForTimeout(4000);
    const r = await regions(page);
    console.log(`# announcements after the burst: ${JSON.stringify(r)}`);
    assert.equal(r.alert.count, 1, 'one announcement for the burst');
    assert.equal(r.alert.text, '3 new critical zone alerts.');
    assert.equal(r.status.count, 0, 'no status news: the feed stayed live');
    // The ticker and the red banner are no live regions (their text changes on every alert).
    assert.equal(await page.locator(`${tid('alert-ticker')}[aria-live]`).count(), 0);
    assert.equal(await page.locator(`${tid('critical-flash')}[role]`).count(), 0);
  });

  test('the alert list is one tab stop with the arrows inside; acknowledging keeps the focus', { timeout: TEST_TIMEOUT }, async () => {
    const { page } = app;
    assert.equal(await page.locator(`${tid('alert-list')} [tabindex="0"]`).count(), 1, 'the alert list is one tab stop');
    await page.focus(tid('skip-alerts'));
    await page.keyboard.press('Enter');
    const first = await focused(page);
    assert.ok(first.seq, `skip to the alerts lands on an alert: ${JSON.stringify(first)}`);
    await page.keyboard.press('ArrowDown');
    const second = await focused(page);
    assert.ok(second.seq && second.seq !== first.seq, `ArrowDown: the next alert (${first.seq} → ${second.seq})`);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`${tid('alert-ack')}[data-alert-seq="${second.seq}"][aria-disabled="true"]`, { timeout: 5000 });
    await page.waitForTimeout(300);
    const after = await focused(page);
    assert.equal(after.seq, second.seq, 'the focus stays on the acknowledged alert');
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).seq, null, 'Tab leaves the list');
    await screenshot(page, 'a11y-alert-list');
    // axe-core with the ticker, its acknowledged alert, the red banner and the live regions.
    const vs = await axeViolations(page);
    console.log(`# axe desk with critical alerts: ${vs.length} violations [${vs.map((v) => `${v.id}:${v.impact}`).join(', ')}]`);
    assert.deepEqual(vs.filter((v) => v.impact === 'serious' || v.impact === 'critical'), [], 'no serious or critical axe-core violation');
  });

  test('reduced motion: no animation runs where the default page flashes', { timeout: TEST_TIMEOUT }, async () => {
    await reduced.page.waitForFunction(() => document.querySelectorAll('[data-testid=alert-row].critical').length >= 1, null, { timeout: 30_000 });
    const running = (page) => page.evaluate(() => document.getAnimations()
      .filter((a) => a.playState === 'running')
      .map((a) => `${a.animationName ?? 'animation'} on ${a.effect?.target?.className ?? '?'}`));
    // The default page: acknowledge nothing more, its critical rows and frame still animate.
    const moving = await app.page.evaluate(() => document.querySelectorAll('[data-testid=critical-flash]').length);
    const normal = await running(app.page);
    const calm = await running(reduced.page);
    console.log(`# animations running: ${normal.length} by default, ${calm.length} with reduced motion`);
    assert.ok(moving === 0 || normal.length > 0, `the default page animates its alerts: ${normal}`);
    assert.deepEqual(calm, [], 'nothing animates with reduced motion');
    const style = await reduced.page.$eval(tid('critical-flash'), (e) => getComputedStyle(e).animationName);
    assert.equal(style, 'none');
    await reduced.assertHealthy('reduced motion');
  });

  test('the server stopped is said once, politely; its return once more', { timeout: TEST_TIMEOUT }, async () => {
    const { page } = app;
    const before = (await regions(page)).status.count;
    await server.kill();
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid=announce-status]').dataset.count) > n, before, { timeout: 30_000 });
    const lost = await regions(page);
    assert.match(lost.status.text, /reconnecting|offline|stale/i, `the loss said: ${lost.status.text}`);
    // Reconnect attempts change the strip's text (attempt numbers) but not the class.
    const strip = await page.locator(tid('feed-status')).textContent();
    await page.waitForTimeout(4000);
    const still = await regions(page);
    assert.ok(still.status.count - lost.status.count <= 1, `at most one more (reconnecting → stale) in 4 s: ${JSON.stringify(still)} (strip ${strip})`);
    await server.restart({ scenario: { then: 'idle', events: [] } });
    await page.waitForSelector(`${tid('feed-status')}[data-status="live"]`, { timeout: 60_000 });
    await page.waitForFunction(() => /back/.test(document.querySelector('[data-testid=announce-status]').textContent), null, { timeout: 20_000 });
    const back = await regions(page);
    console.log(`# status announcements: ${JSON.stringify([lost.status.text, still.status.text, back.status.text])}`);
    assert.match(back.status.text, /^Live feed back: the picture is live\./);
    await app.assertHealthy('live regions');
  });
});
