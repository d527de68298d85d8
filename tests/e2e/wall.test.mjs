// The video wall's kiosk layout end to end (issue 13, `?mode=wall`) against the demo server at
// 3840 × 2160: no side panels, no controls, the cursor hidden; the main status text at least
// 32 CSS px; the time in London and in Paris, labelled, an hour apart; and when the feed is
// lost (the server frozen with SIGSTOP), a banner at wall scale with the age, the frame in the
// stale colour, the counters dimmed.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startDemoServer, prepareDist, launchBrowser, openApp, screenshot, waitForSettled, TEST_TIMEOUT, tid,
} from './harness.mjs';

const STALE_AFTER_S = 4;

describe('video wall kiosk (?mode=wall, 3840 × 2160)', () => {
  let server, browser, ctx, app;

  before(async () => {
    const dir = prepareDist({ incidents: { stale_after_s: STALE_AFTER_S } });
    server = await startDemoServer({ rate: 3, heartbeatMs: 1000, staticDir: dir });
    browser = await launchBrowser();
    ctx = await browser.newContext({ viewport: { width: 3840, height: 2160 } });
    app = await openApp({ server }, ctx, { query: 'mode=wall' });
  });

  after(async () => {
    server?.signal('SIGCONT');
    await ctx?.close();
    await browser?.close();
    await server?.kill();
  });

  test('no panels, no cursor, type read from four metres, London and Paris time', { timeout: TEST_TIMEOUT }, async () => {
    const { page } = app;
    await page.waitForSelector(`${tid('feed-status')}[data-status="live"]`, { timeout: 30_000 });
    await waitForSettled(page);
    for (const id of ['layer-panel', 'zoom-in', 'heatmap-playback', 'incident-list']) {
      const visible = await page.locator(tid(id)).first().isVisible().catch(() => false);
      assert.equal(visible, false, `${id} is hidden on the wall`);
    }
    const cursor = await page.$eval(tid('map-canvas'), (e) => getComputedStyle(e).cursor);
    assert.equal(cursor, 'none');
    const px = (sel) => page.$eval(sel, (e) => parseFloat(getComputedStyle(e).fontSize));
    const status = await px(tid('feed-status'));
    assert.ok(status >= 32, `main status text ${status} CSS px`);
    const clock = await px(`${tid('wall-clock-london')} .wall-time`);
    assert.ok(clock >= 32, `clock ${clock} CSS px`);
    const time = async (id) => {
      const t = await page.$eval(`${tid(id)} .wall-time`, (e) => e.textContent);
      const [h, m] = t.split(':').map(Number);
      return h * 60 + m;
    };
    const [london, paris] = [await time('wall-clock-london'), await time('wall-clock-paris')];
    assert.equal((paris - london + 1440) % 1440, 60, 'Paris is an hour ahead of London');
    assert.match(await page.locator(tid('wall-status')).textContent(), /London.*Paris/);
    await screenshot(page, 'wall-kiosk');
    await app.assertHealthy('wall');
  });

  test('a lost feed is impossible to miss: banner with its age, stale frame, dimmed counters', { timeout: TEST_TIMEOUT }, async () => {
    const { page } = app;
    server.signal('SIGSTOP');
    await page.waitForSelector(tid('wall-stale-banner'), { timeout: (STALE_AFTER_S + 10) * 1000 });
    const banner = await page.locator(tid('wall-stale-banner'));
    assert.match(await banner.textContent(), /FEED LOST · no update for \d+ s/);
    const size = await banner.evaluate((e) => ({ font: parseFloat(getComputedStyle(e).fontSize), w: e.getBoundingClientRect().width, h: e.getBoundingClientRect().height }));
    assert.ok(size.font >= 64, `banner type ${size.font} CSS px`);
    assert.ok(size.w * size.h > 0.03 * 3840 * 2160, `banner covers ${((100 * size.w * size.h) / (3840 * 2160)).toFixed(1)} % of the wall`);
    const frame = await page.$eval('.app', (e) => getComputedStyle(e, '::after').boxShadow);
    assert.match(frame, /rgb\(193, 18, 31\)/, 'the frame is in the stale colour');
    assert.equal(await page.$eval(tid('incident-counters'), (e) => e.dataset.stale), 'true');
    await screenshot(page, 'wall-stale');
    server.signal('SIGCONT');
    await page.waitForSelector(tid('wall-stale-banner'), { state: 'detached', timeout: 30_000 });
    await app.assertHealthy('wall stale');
  });
});
