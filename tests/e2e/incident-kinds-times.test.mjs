// Unknown incident kinds and times that are not "now", end to end (issue 10, items 5 and 7):
// the real demo server (scenario mode) serves the built app and the API; the app runs in headless
// Chromium in Europe/Paris.
//
//   - a kind the client does not know ("drone_sighting" in the snapshot, "jet_ski" live) is kept
//     as other: counter incident-count-other, row data-kind="other" with data-kind-text and
//     "Other (drone_sighting)", the card's title and data-kind-text, calaisMap.incident().kindText;
//   - a missing or non-string kind is still rejected (snapshot and live), counted in the footer,
//     and a rejected later version of a good incident leaves it as it was;
//   - an incident updated 3 days ago shows its date in the list ("2 Dec 09:40"), one updated
//     today plain HH:MM:SS;
//   - an incident stamped 10 minutes in the future is flagged as clock skew in its row
//     (data-clock-skew, "⚠ clock skew") and in its card (data-clock-skew and a line saying how
//     far ahead of this device's clock it is).
//
// The scenario is built here with times relative to Date.now() (not shifted by the harness: a
// shift would move the old and the future times to "now"); every incident is open, so the
// client's retention never drops one. Its second half is delayed (CALAIS_SCENARIO_DELAY_MS,
// default 12 s) so that it arrives live, through the per-event parser, while the first half
// comes through the snapshot reader.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startDemoServer, prepareDist, launchBrowser, openApp, assertIncidentUi, waitForIncidentFacts, waitForSettled,
  screenshot, tid, TEST_TIMEOUT,
} from './harness.mjs';

const DELAY_MS = Number(process.env.CALAIS_SCENARIO_DELAY_MS || 12_000);
const TZ = 'Europe/Paris';
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
/** The list clock ticks in 5 s steps: a row may be computed with a "now" up to 5 s old. */
const CLOCK_STEP_MS = 5_000;

const iso = (ms) => new Date(Math.round(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
const secondMs = (ms) => Math.round(ms / 1000) * 1000;

/** One open incident Feature (docs/api.md) with `kind` as given (any JSON value, or undefined). */
function feature(id, kind, [lon, lat], updatedMs, { severity = 3, description = '' } = {}) {
  const properties = {
    id, kind, severity, status: 'open',
    reported_at: iso(updatedMs), updated_at: iso(updatedMs),
    description, source: 'e2e-kinds-times',
  };
  if (kind === undefined) delete properties.kind;
  return { type: 'Feature', id, geometry: { type: 'Point', coordinates: [lon, lat] }, properties };
}

/** Local calendar parts in TZ (numbers). */
function local(ms) {
  const f = new Intl.DateTimeFormat('en-GB', {
    timeZone: TZ, year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  });
  const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return { year: Number(p.year), month: Number(p.month), day: Number(p.day), hh: p.hour, mm: p.minute, ss: p.second };
}
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The list's time text for `ms` seen at `now` (src/web/incident_ui.rs list_time). */
function listTime(ms, now) {
  const a = local(ms);
  const b = local(now);
  if (a.year === b.year && a.month === b.month && a.day === b.day) return `${a.hh}:${a.mm}:${a.ss}`;
  const year = a.year === b.year ? '' : ` ${a.year}`;
  return `${a.day} ${MONTHS[a.month - 1]}${year} ${a.hh}:${a.mm}`;
}

describe('unknown kinds kept as other; list dates and clock skew', () => {
  const t0 = Date.now();
  const at = {
    drone: secondMs(t0 - 2 * MIN),
    droneLive: secondMs(t0 - MIN),
    old: secondMs(t0 - 3 * DAY),
    future: secondMs(t0 + 10 * MIN),
    today: secondMs(t0 - 5 * MIN),
    jetski: secondMs(t0 - 30_000),
  };
  const POS = {
    drone: [1.865, 50.968],
    old: [1.812, 50.931],
    future: [1.84, 50.962],
    today: [1.79, 50.95],
    jetski: [1.75, 50.972],
    bad: [1.8, 50.94],
  };
  // First half (at_ms 0: in the snapshot the page loads), then the live half.
  const snapshotHalf = [
    feature('kt-drone', 'drone_sighting', POS.drone, at.drone, { severity: 2, description: 'Drone over the port fence' }),
    feature('kt-old', 'fence_breach', POS.old, at.old, { severity: 3, description: 'Fence cut, reported three days ago, still open' }),
    feature('kt-future', 'lorry_intrusion', POS.future, at.future, { severity: 4, description: 'Lorry intrusion stamped ten minutes ahead' }),
    feature('kt-today', 'vehicle_sighting', POS.today, at.today, { severity: 1, description: 'Van parked on the hard shoulder' }),
    feature('kt-nokind', undefined, POS.bad, at.today, { description: 'No kind: rejected' }),
  ];
  const liveHalf = [
    // The same unknown kind, a newer state (severity raised): the text stays.
    feature('kt-drone', 'drone_sighting', POS.drone, at.droneLive, { severity: 4, description: 'Drone over the port fence, now hovering' }),
    feature('kt-jetski', 'jet_ski', POS.jetski, at.jetski, { severity: 3, description: 'Jet ski heading north off Sangatte' }),
    // A later version of a good incident with a non-string kind: rejected, the good one stays.
    feature('kt-today', true, POS.today, at.today + MIN, { severity: 5, description: 'bad version' }),
    feature('kt-badkind', 7, POS.bad, at.jetski, { description: 'Kind 7: rejected' }),
  ];
  const scenario = {
    events: [
      ...snapshotHalf.map((f) => ({ at_ms: 0, feature: f })),
      ...liveHalf.map((f, i) => ({ at_ms: DELAY_MS + 200 * i, feature: f })),
    ],
    then: 'idle',
  };
  const SHOWN = ['kt-drone', 'kt-future', 'kt-jetski', 'kt-old', 'kt-today'];

  let server, browser, ctx, app, page;
  let liveBeforeDelay = false;
  before(async () => {
    const dir = prepareDist({ initial_view: { lon: 1.82, lat: 50.955, zoom: 12 } });
    server = await startDemoServer({ scenario, firstSeq: 1, heartbeatMs: 1000, staticDir: dir });
    browser = await launchBrowser();
    ctx = await browser.newContext({ timezoneId: TZ, viewport: { width: 1400, height: 900 } });
    app = await openApp({ server }, ctx);
    page = app.page;
    await assertIncidentUi(page);
    await waitForIncidentFacts(page, (f) => f.status?.status === 'live', { what: 'feed-status live', timeout: 30_000 });
    const health = await (await fetch(server.url('/api/health'))).json();
    liveBeforeDelay = health.seq === snapshotHalf.length;
  });
  after(async () => {
    await ctx?.close();
    await browser?.close();
    await server?.kill();
  });

  /** Waits (once) until the final state is shown: the 5 good incidents, the live drone state. */
  let shown;
  const finalShown = () =>
    (shown ||= waitForIncidentFacts(
      page,
      (f) =>
        f.total === SHOWN.length &&
        [...f.hook.ids].sort().join() === SHOWN.join() &&
        f.rows.find((r) => r.id === 'kt-drone')?.severity === 4 &&
        f.diagnostics.rejected >= 3,
      { what: `${SHOWN.join(', ')} shown, kt-drone at severity 4, 3 kinds rejected`, timeout: DELAY_MS + 40_000 },
    ));

  const row = (id) => page.locator(`${tid('incident-row')}[data-incident-id="${id}"]`);
  const card = () => page.locator(tid('info-card'));
  const openCard = async (id) => {
    await row(id).click();
    await card().waitFor({ state: 'visible', timeout: 15_000 });
    await page.waitForFunction((id) => document.querySelector('[data-testid="info-card"]')?.getAttribute('data-incident-id') === id, id, { timeout: 15_000 });
  };

  test('an unknown kind is kept as other with its text (snapshot and live); a missing or non-string kind is rejected', { timeout: TEST_TIMEOUT }, async (t) => {
    const facts = await finalShown();
    assert.ok(liveBeforeDelay, `the page must be live before the live half (seq ${snapshotHalf.length}): raise CALAIS_SCENARIO_DELAY_MS (now ${DELAY_MS})`);
    t.diagnostic(`rejected ${facts.diagnostics.rejected}, last: ${facts.diagnostics.lastError}`);

    // Counters: the two unknown kinds are open "other" incidents; the rejected ones count nowhere.
    assert.deepEqual(facts.counters, { small_boat: 0, fence_breach: 1, lorry_intrusion: 1, tunnel_intrusion: 0, vehicle_sighting: 1, other: 2 });
    assert.equal(facts.hook.incidents.open.other, 2, 'calaisMap.incidents().open.other');

    // Rows: data-kind other, data-kind-text the text as sent, and the label with it.
    const attrs = await page.evaluate(() =>
      Object.fromEntries([...document.querySelectorAll('[data-testid="incident-row"]')].map((r) => [
        r.getAttribute('data-incident-id'),
        { kind: r.getAttribute('data-kind'), kindText: r.getAttribute('data-kind-text'), label: r.querySelector('.row-kind')?.textContent },
      ])),
    );
    assert.deepEqual(attrs['kt-drone'], { kind: 'other', kindText: 'drone_sighting', label: 'Other (drone_sighting)' });
    assert.deepEqual(attrs['kt-jetski'], { kind: 'other', kindText: 'jet_ski', label: 'Other (jet_ski)' });
    assert.deepEqual(attrs['kt-today'], { kind: 'vehicle_sighting', kindText: null, label: 'Vehicle sighting' }, 'a known kind has no data-kind-text');

    // The hook.
    const hook = await page.evaluate(() => ['kt-drone', 'kt-jetski', 'kt-today'].map((id) => window.calaisMap.incident(id)));
    assert.deepEqual(hook.map((i) => [i.kind, i.kindText]), [['other', 'drone_sighting'], ['other', 'jet_ski'], ['vehicle_sighting', null]]);
    assert.equal(hook[0].severity, 4, 'kt-drone in its live (newer) state');

    // Rejected: kt-nokind (snapshot), kt-badkind (live), and the later bad version of kt-today,
    // which stays as it was.
    for (const id of ['kt-nokind', 'kt-badkind']) {
      assert.equal(await page.evaluate((id) => window.calaisMap.incident(id), id), null, `${id} is not held`);
      assert.equal(await row(id).count(), 0, `${id} has no row`);
    }
    assert.deepEqual(
      { kind: hook[2].kind, severity: hook[2].severity, description: hook[2].description, updatedAt: Date.parse(hook[2].updatedAt) },
      { kind: 'vehicle_sighting', severity: 1, description: 'Van parked on the hard shoulder', updatedAt: at.today },
    );
    assert.ok(facts.diagnostics.rejected >= 3, `footer counts the rejections: ${facts.diagnostics.rejected}`);
    assert.match(facts.diagnostics.lastError, /^kind (7 is not a string|true is not a string|is missing or empty)$/, 'the last reason names the kind');

    // The card: title and data-kind-text.
    await openCard('kt-drone');
    assert.equal(await card().getAttribute('data-kind-text'), 'drone_sighting');
    assert.equal(await card().getAttribute('data-kind'), 'other');
    assert.equal((await page.locator(tid('info-card-title')).textContent()).trim(), 'Other (drone_sighting) · kt-drone');
    assert.equal(await card().getAttribute('data-clock-skew'), null, 'a time 1 minute ago is not skew');
    await openCard('kt-today');
    assert.equal(await card().getAttribute('data-kind-text'), null);
    assert.equal((await page.locator(tid('info-card-title')).textContent()).trim(), 'Vehicle sighting · kt-today');
    await page.locator(tid('info-card-close')).click();
    await card().waitFor({ state: 'hidden', timeout: 10_000 });
    await app.assertHealthy('unknown kinds');
  });

  test('times not of today show their date; a time 10 minutes ahead is flagged as clock skew in the row and the card', { timeout: TEST_TIMEOUT }, async () => {
    await finalShown();
    const rows = await page.evaluate(() =>
      Object.fromEntries([...document.querySelectorAll('[data-testid="incident-row"]')].map((r) => [
        r.getAttribute('data-incident-id'),
        {
          time: r.querySelector('.row-time')?.textContent,
          title: r.querySelector('.row-time')?.getAttribute('title'),
          skew: r.getAttribute('data-clock-skew'),
          badge: r.querySelector('[data-testid="incident-row-clock-skew"]')?.textContent ?? null,
          badgeVisible: (() => {
            const b = r.querySelector('[data-testid="incident-row-clock-skew"]');
            const box = b?.getBoundingClientRect();
            return !!box && box.width > 0 && box.height > 0;
          })(),
        },
      ])),
    );
    const now = Date.now();
    const expectTime = (id, ms) => {
      const want = [listTime(ms, now), listTime(ms, now - CLOCK_STEP_MS)];
      assert.ok(want.includes(rows[id].time), `${id} row time ${JSON.stringify(rows[id].time)}, expected ${want[0]}`);
    };
    // 3 days ago: the date, never a bare clock time.
    expectTime('kt-old', at.old);
    assert.match(rows['kt-old'].time, /^\d{1,2} [A-Z][a-z]{2}( \d{4})? \d\d:\d\d$/, 'kt-old shows its date');
    const o = local(at.old);
    assert.equal(rows['kt-old'].title, `${o.year}-${String(o.month).padStart(2, '0')}-${String(o.day).padStart(2, '0')} ${o.hh}:${o.mm}:${o.ss} Paris`, 'the full date-time on hover, its zone named (the browser is in Europe/Paris)');
    // Today (unless the test runs just after local midnight): HH:MM:SS.
    expectTime('kt-today', at.today);
    expectTime('kt-drone', at.droneLive);
    // 10 minutes ahead: flagged.
    expectTime('kt-future', at.future);
    assert.deepEqual(
      { skew: rows['kt-future'].skew, badge: rows['kt-future'].badge, visible: rows['kt-future'].badgeVisible },
      { skew: 'true', badge: '⚠ clock skew', visible: true },
      'kt-future row flagged',
    );
    for (const id of ['kt-old', 'kt-today', 'kt-drone', 'kt-jetski']) {
      assert.deepEqual([rows[id].skew, rows[id].badge], [null, null], `${id} is not flagged`);
    }

    // The card of the future incident: data-clock-skew and the line.
    await openCard('kt-future');
    assert.equal(await card().getAttribute('data-clock-skew'), 'true');
    const line = (await page.locator(tid('info-card-clock-skew')).textContent()).trim();
    const aheadMin = Math.round((at.future - Date.now()) / MIN);
    assert.match(line, /^⚠ Clock skew: updated (\d+) minutes ahead of this device's clock$/, line);
    const n = Number(line.match(/(\d+) minutes/)[1]);
    assert.ok(Math.abs(n - aheadMin) <= 1, `${n} minutes ahead, expected about ${aheadMin}`);
    await waitForSettled(page);
    const file = await screenshot(page, '23-incident-kinds-times');
    assert.ok(file.endsWith('.png'));

    // The card of the old incident: no skew line.
    await openCard('kt-old');
    assert.equal(await card().getAttribute('data-clock-skew'), null);
    assert.equal(await page.locator(tid('info-card-clock-skew')).count(), 0);
    await page.locator(tid('info-card-close')).click();
    await card().waitFor({ state: 'hidden', timeout: 10_000 });
    await app.assertHealthy('dates and clock skew');
  });
});
