// Issue 14 item 1 at the desk: "the critical banner never covers buttons or cards". The banner of
// unacknowledged critical alerts has a lane of its own across the top (as on a tablet), which
// pushes the top panels down; checked at 1280 × 800 (a laptop at the desk) in English and at
// 1920 × 1080 in French, with an incident card open: the banner's box meets no button, select,
// input, card or panel, the card's rows and the go-to box (field and button) stay uncovered,
// and the banner is one line that names the alert count; the right-hand map buttons cover no
// part of the layer panel, and on a wide desk the card opens left of it. On the wall the
// banner stays a large box at the bottom.
//
// The demo server plays a scenario (alerts are raised only for live changes): an incident that
// enters the Eurotunnel terminal at Coquelles, a critical zone, every few seconds.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startDemoServer, launchBrowser, openApp, waitForIncidentFacts, screenshot, tid, TEST_TIMEOUT,
} from './harness.mjs';
import { buttonAndCardBoxes, overlaps } from './tablet-measure.mjs';

const CYCLE_MS = 3_000;
const iso = (ms) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** One incident that leaves and enters the Eurotunnel terminal at Coquelles (a critical zone)
 * every cycle, so the page sees a live entry (an alert) however long it took to start. */
function scenario() {
  const now = iso(Date.now() - 20_000);
  const at = (at_ms, coordinates) => ({
    at_ms,
    feature: {
      type: 'Feature', id: 'desk-crit', geometry: { type: 'Point', coordinates },
      properties: {
        id: 'desk-crit', kind: 'fence_breach', severity: 5, status: 'open', reported_at: now, updated_at: now,
        description: 'Fence breach in the terminal', source: 'patrol',
      },
    },
  });
  return { then: 'loop', loop_gap_ms: CYCLE_MS, events: [at(0, [1.70, 50.99]), at(CYCLE_MS, [1.812, 50.928])] };
}

/** Every box the banner must leave: controls, cards and panels shown (not the banner itself). */
async function boxesToLeave(page) {
  const panels = await page.evaluate(() => [...document.querySelectorAll('.panel, [data-map-reserved]')]
    .filter((el) => !el.closest('.critical-flash') && el.checkVisibility({ visibilityProperty: true }))
    .map((el) => {
      const r = el.getBoundingClientRect();
      return { what: el.dataset.testid || el.className || el.tagName, x: r.x, y: r.y, w: r.width, h: r.height };
    })
    .filter((b) => b.w > 0 && b.h > 0));
  return [...(await buttonAndCardBoxes(page)), ...panels];
}

/** Checks the banner and what it must leave on the page as it is now; saves a screenshot. */
async function checkLane(page, lang, viewport) {
  const banner = await page.locator('.critical-banner').boundingBox();
  assert.ok(banner && banner.height > 0, 'the critical banner shows');
  assert.ok(banner.y <= 1 && banner.width >= viewport.width - 1, `a lane across the top: ${JSON.stringify(banner)}`);
  assert.ok(banner.height >= 40 && banner.height <= 64, `one line high: ${banner.height}`);
  const text = await page.locator('.critical-banner strong').textContent();
  assert.match(text, lang === 'fr' ? /^\d+ alertes? critiques?$/i : /^\d+ critical alerts?$/i, `the banner names the count: ${text}`);

  const b = { x: banner.x, y: banner.y, w: banner.width, h: banner.height };
  const hit = (await boxesToLeave(page)).filter((box) => overlaps(box, b));
  assert.deepEqual(hit, [], `${lang}: the critical banner covers nothing`);
  // What a pointer at the centre of the card's last row and of the go-to box reaches is the
  // card and the box (nothing over them).
  const reach = await page.evaluate(() => {
    const at = (el) => {
      const r = el.getBoundingClientRect();
      const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
      return !!top && (el === top || el.contains(top));
    };
    const rows = [...document.querySelectorAll('[data-testid="info-card"] tr')];
    return {
      lastRow: rows.length > 0 && at(rows[rows.length - 1]),
      goto: at(document.querySelector('[data-testid="goto-input"]')),
      go: at(document.querySelector('[data-testid="goto-submit"]')),
    };
  });
  // (The go-to button was under a pinned card at 1280 px: the dock now ends left of the card.)
  assert.deepEqual(reach, { lastRow: true, goto: true, go: true }, `${lang}: the card's rows and the go-to field and button are reachable`);
  // The right-hand map buttons (zoom, fit, export, where am I) cover no part of the layer
  // panel: its zone rows and their buttons were under them at 1280 × 800.
  const under = await page.evaluate(() => {
    const panel = document.querySelector('[data-testid="layer-panel"]').getBoundingClientRect();
    return [...document.querySelectorAll('.controls button, .export-open, .locate-me')]
      .map((b) => ({ what: b.dataset.testid || b.className, r: b.getBoundingClientRect() }))
      .filter(({ r }) => r.width > 0 && r.left < panel.right && panel.left < r.right && r.top < panel.bottom && panel.top < r.bottom)
      .map(({ what }) => what);
  });
  assert.deepEqual(under, [], `${lang}: no map button over the layer panel`);
  // On a wide desk the card opens left of the layer panel (it covered the zone counts).
  if (viewport.width >= 1500) {
    const [card, panel] = await Promise.all([tid('info-card'), tid('layer-panel')].map((s) => page.locator(s).first().boundingBox()));
    assert.ok(card.x + card.width <= panel.x, `${lang}: the card (right ${card.x + card.width}) ends left of the layer panel (${panel.x})`);
  }
  await screenshot(page, `14-desk-banner-${lang}-${viewport.width}x${viewport.height}`);
}

describe('the critical banner at the desk', () => {
  let server, browser;

  before(async () => {
    server = await startDemoServer({ scenario: scenario(), firstSeq: 1, heartbeatMs: 1000 });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.kill();
  });

  test('1280×800 in English, then 1920×1080 in French: the banner has its own lane and covers no button, card or panel', { timeout: TEST_TIMEOUT }, async () => {
    const small = { width: 1280, height: 800 };
    const large = { width: 1920, height: 1080 };
    const ctx = await browser.newContext({ viewport: small, deviceScaleFactor: 1 });
    try {
      const app = await openApp({ server }, ctx, { query: 'lang=en' });
      const { page } = app;
      await waitForIncidentFacts(page, (f) => f.status?.status === 'live', { what: 'feed live', timeout: 30_000 });
      await page.locator(tid('critical-flash')).waitFor({ state: 'attached', timeout: 3 * CYCLE_MS + 30_000 });
      assert.equal(await page.locator('main.app').getAttribute('data-mode'), 'desk');

      // The incident's card, opened from its row (the map flies there).
      await page.locator(`${tid('incident-row')}[data-incident-id="desk-crit"]`).click();
      await page.locator(`${tid('info-card')}[data-incident-id="desk-crit"]`).waitFor({ state: 'visible', timeout: 10_000 });
      await page.waitForTimeout(900); // the 700 ms flight lands
      await checkLane(page, 'en', small);

      // Larger screen, French (switched without a reload: the alert and the card stay).
      await page.setViewportSize(large);
      await page.locator(tid('lang-fr')).click();
      await page.waitForFunction(() => document.querySelector('[data-testid="lang-switch"]')?.dataset.lang === 'fr');
      await page.locator(`${tid('info-card')}[data-incident-id="desk-crit"]`).waitFor({ state: 'visible', timeout: 10_000 });
      await page.waitForTimeout(300);
      await checkLane(page, 'fr', large);
      await app.assertHealthy('desk banner');
    } finally {
      await ctx.close();
    }
  });
});
