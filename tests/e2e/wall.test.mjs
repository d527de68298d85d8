// The video wall's kiosk layout end to end (issue 13, `?mode=wall`) against the demo server at
// 3840 × 2160: no side panels, no controls, the cursor hidden; the main status text at least
// 32 CSS px; the time in London and in Paris, labelled, an hour apart; and when the feed is
// lost (the server frozen with SIGSTOP), a banner at wall scale with the age, the frame in the
// stale colour, the counters dimmed. Then the server stopped (killed: connections refused) and
// restarted with a new event-id space: while it is down the banner, the stale frame and the
// dimmed markers and counters; after the restart the resync notice at wall scale (at least
// 32 CSS px, as the main status text) and the stale state gone.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startDemoServer, prepareDist, launchBrowser, openApp, screenshot, waitForSettled, TEST_TIMEOUT, tid,
  BASIC_SCENARIO, OUTAGE_ERRORS, readScenario, shiftScenario, shiftToNow,
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

describe('video wall: the server stopped, then restarted with a new event-id space (3840 × 2160)', () => {
  let server, browser, ctx, app;
  const scenario = (() => {
    const a = readScenario(BASIC_SCENARIO);
    return shiftScenario(a, { shiftMs: shiftToNow([a], { agoMs: 30_000 }) });
  })();

  before(async () => {
    const dir = prepareDist({ incidents: { stale_after_s: STALE_AFTER_S } });
    // Event ids from the start time (no --first-seq): a restarted server cannot replay the ids
    // the page holds, so it says `reset` and the page resyncs from its snapshot.
    server = await startDemoServer({ scenario, heartbeatMs: 1000, staticDir: dir });
    browser = await launchBrowser();
    ctx = await browser.newContext({ viewport: { width: 3840, height: 2160 } });
    app = await openApp({ server }, ctx, { query: 'mode=wall', allowedConsoleErrors: OUTAGE_ERRORS });
    await app.page.waitForSelector(`${tid('feed-status')}[data-status="live"]`, { timeout: 30_000 });
    await app.page.waitForFunction(() => window.calaisMap.incidents().count > 0, null, { timeout: 30_000 });
  });

  after(async () => {
    await ctx?.close();
    await browser?.close();
    await server?.kill();
  });

  test('server stopped: banner with its age, stale frame, dimmed markers and counters', { timeout: TEST_TIMEOUT }, async () => {
    const { page } = app;
    await waitForSettled(page);
    const info = await server.kill();
    assert.equal(info.code, 0, 'the demo server stops cleanly');
    await page.waitForSelector(tid('wall-stale-banner'), { timeout: (STALE_AFTER_S + 15) * 1000 });
    const banner = page.locator(tid('wall-stale-banner'));
    const age = Number((await banner.textContent()).match(/FEED LOST · no update for (\d+) s/)?.[1]);
    // Never shorter than the silence that made the feed stale.
    assert.ok(age >= STALE_AFTER_S, `the banner's age ${age} s`);
    const size = await banner.evaluate((e) => ({ font: parseFloat(getComputedStyle(e).fontSize), w: e.getBoundingClientRect().width, h: e.getBoundingClientRect().height }));
    assert.ok(size.font >= 64, `banner type ${size.font} CSS px`);
    assert.ok(size.w * size.h > 0.03 * 3840 * 2160, `banner covers ${((100 * size.w * size.h) / (3840 * 2160)).toFixed(1)} % of the wall`);
    assert.equal(await page.$eval('.app', (e) => e.dataset.feed), 'stale');
    const frame = await page.$eval('.app', (e) => getComputedStyle(e, '::after').boxShadow);
    assert.match(frame, /rgb\(193, 18, 31\)/, 'the frame is in the stale colour');
    // The markers: both incident canvases dimmed and greyed (drawn, not removed).
    const markers = await page.$$eval('.incident-overlay', (cs) => cs.map((c) => {
      const st = getComputedStyle(c);
      return { opacity: Number(st.opacity), filter: st.filter, testid: c.dataset.testid };
    }));
    assert.equal(markers.length, 2, `the incident canvases: ${JSON.stringify(markers)}`);
    for (const m of markers) {
      assert.ok(m.opacity < 0.7, `${m.testid} dimmed: opacity ${m.opacity}`);
      assert.match(m.filter, /grayscale/, `${m.testid} greyed: ${m.filter}`);
    }
    assert.ok(await page.evaluate(() => window.calaisMap.incidents().count > 0), 'the incidents held stay');
    assert.equal(await page.$eval(tid('incident-counters'), (e) => e.dataset.stale), 'true');
    await screenshot(page, 'wall-server-stopped');
  });

  test('restarted with a new event-id space: the resync notice at wall scale, the stale state gone', { timeout: TEST_TIMEOUT }, async () => {
    const { page } = app;
    await server.restart({ scenario });
    const notice = page.locator(tid('feed-resync-notice'));
    await notice.waitFor({ timeout: 60_000 });
    assert.equal(await notice.getAttribute('data-cause'), 'reset');
    await page.waitForSelector(tid('wall-stale-banner'), { state: 'detached', timeout: 30_000 });
    assert.notEqual(await page.$eval('.app', (e) => e.dataset.feed), 'stale');
    const text = await notice.evaluate((e) => {
      const st = getComputedStyle(e);
      const r = e.getBoundingClientRect();
      return { font: parseFloat(st.fontSize), visible: st.visibility === 'visible' && r.width > 0, text: e.textContent, w: r.width, h: r.height };
    });
    console.log(`# resync notice on the wall: ${JSON.stringify(text)}`);
    assert.ok(text.visible, 'the notice is shown');
    assert.match(text.text, /every incident was reloaded from the server/);
    assert.ok(text.font >= 32, `resync notice type ${text.font} CSS px (the main status text's floor)`);
    // Nothing to click on the wall: the notice's dismiss button is hidden (it expires by itself).
    assert.equal(await page.locator(tid('feed-resync-dismiss')).isVisible(), false);
    // The replayed scenario may raise an alert the wall flies to: the screenshot once it holds.
    await waitForSettled(page, { quietMs: 1500 });
    await screenshot(page, 'wall-resync-notice');
    await app.assertHealthy('wall restart');
  });
});
