// The unattended wall survives fatal errors and sleep (issue 13 item 5, `?mode=wall`), end to end
// against the demo server with `wall.reload_backoff_s: 1` (the config the tests serve):
// - a real Rust panic (calaisMap.fault('panic'), from a timer as a real one would come) shows the
//   watchdog's screen at wall scale (reason, streak, countdown), the page reloads by itself after
//   the back-off, and the next load says why (`wall-reload-notice`, reason panic, streak 1);
//   a second fault, a real trap (`WebAssembly.RuntimeError: unreachable` reaching the window's
//   'error' event), is streak 2 with the delay doubled (2 s, as armed by the core);
// - the heartbeat stopping (calaisMap.fault('silence')) reloads after the silence limit
//   (reason heartbeat); a wasm that cannot start (the wasm file served broken) reloads too
//   (reason start);
// - the desk does not reload itself: the panic message stays;
// - the daily reload at `wall.daily_reload` (Playwright's clock set just before the quiet hour,
//   the browser in Paris time) reloads the page and the next load says so (reason daily, streak 0);
// - the screen wake lock (navigator.wakeLock stubbed by an init script counting requests) is
//   asked for on load, again when the page is visible again and when the browser releases it;
//   a refused lock is said in the status bar.
// The waits are bounded by the delays the page shows (data-delay-ms); nothing here asserts a
// duration.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startDemoServer, prepareDist, launchBrowser, openApp, waitForReady, screenshot, QUIET_SCENARIO, TEST_TIMEOUT, tid,
} from './harness.mjs';

const PLAN = 'calais-map.wall.watchdog.v1';
const NOTE = 'calais-map.wall.reload.v1';
/** `core::wall::watchdog::LOST_AFTER_MS`. */
const LOST_AFTER_MS = 30_000;
/** A trap or a panic reaches the page as this uncaught error. */
const TRAP = /RuntimeError: unreachable/;

/** Waits until the page's wasm has armed the watchdog with `streak` for a death now. */
async function armed(page, streak) {
  await page.waitForFunction(
    ([key, n]) => JSON.parse(localStorage.getItem(key) || 'null')?.armed?.plan?.streak === n,
    [PLAN, streak],
    { timeout: 30_000 },
  );
}

/** The watchdog's screen's facts. */
async function fatal(page) {
  const el = await page.waitForSelector(tid('wall-fatal'), { timeout: LOST_AFTER_MS + 20_000 });
  return el.evaluate((e) => ({
    reason: e.dataset.reason,
    streak: Number(e.dataset.streak),
    delayMs: Number(e.dataset.delayMs),
    title: e.querySelector('.wall-fatal-reason').textContent,
    titlePx: parseFloat(getComputedStyle(e.querySelector('.wall-fatal-reason')).fontSize),
    countdown: e.querySelector('.wall-fatal-countdown').textContent,
    countdownPx: parseFloat(getComputedStyle(e.querySelector('.wall-fatal-countdown')).fontSize),
    streakText: e.querySelector('.wall-fatal-streak').textContent,
  }));
}

/** After the page reloaded itself: the map ready again and the notice's facts. */
async function notice(app, delayMs) {
  const { page } = app;
  // The watchdog's screen goes with the page it covered.
  await page.waitForSelector(tid('wall-fatal'), { state: 'detached', timeout: delayMs + 60_000 });
  const el = await page.waitForSelector(tid('wall-reload-notice'), { timeout: 60_000 });
  const facts = await el.evaluate((e) => ({ reason: e.dataset.reason, streak: Number(e.dataset.streak), text: e.textContent }));
  await waitForReady(app);
  return facts;
}

describe('wall reloads after fatal errors (?mode=wall, reload_backoff_s 1)', () => {
  let server, browser;

  before(async () => {
    const dir = prepareDist({ wall: { reload_backoff_s: 1 } });
    server = await startDemoServer({ scenario: QUIET_SCENARIO, heartbeatMs: 1000, staticDir: dir });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.kill();
  });

  /** A fresh context (empty storage) and a wall page; uncaught traps are expected here. */
  async function wall(size = [1920, 1080], query = 'mode=wall', initScripts = [], ctxOpts = {}) {
    const ctx = await browser.newContext({ viewport: { width: size[0], height: size[1] }, ...ctxOpts });
    const app = await openApp({ server }, ctx, { query, initScripts, allowedConsoleErrors: [TRAP, /panicked at/] });
    return { ctx, app, page: app.page };
  }

  test('a panic, then a trap: the countdown at wall scale, reloads by themselves, streak 1 then 2 with the delay doubled', { timeout: TEST_TIMEOUT }, async () => {
    const { ctx, app, page } = await wall([3840, 2160]);
    try {
      await armed(page, 1);
      assert.equal(await page.evaluate(() => window.calaisMap.fault('panic')), true);
      const f1 = await fatal(page);
      assert.deepEqual([f1.reason, f1.streak, f1.delayMs], ['panic', 1, 1000]);
      assert.match(f1.title, /THE MAP STOPPED · internal error/);
      assert.match(f1.countdown, /^Reloading in [01] s$/);
      assert.equal(f1.streakText, 'Fatal error 1 in a row');
      assert.ok(f1.titlePx >= 64 && f1.countdownPx >= 64, `read from 4 m: ${f1.titlePx} / ${f1.countdownPx} CSS px`);
      // The countdown lasts 1 s: a 4K screenshot under load can outlast it, and one taken while
      // the page reloads never ends (a CI run waited its 60 s). Evidence for people, not asserted.
      await screenshot(page, 'wall-reload-fatal', { timeout: 5_000 })
        .catch((e) => console.log(`# the fatal screen's screenshot missed its second: ${e.message.split('\n')[0]}`));
      const n1 = await notice(app, f1.delayMs);
      assert.deepEqual([n1.reason, n1.streak], ['panic', 1]);
      assert.match(n1.text, /RELOADED after an internal error at \d\d:\d\d:\d\d [A-Z][A-Za-z]+ · 1 in a row/);
      assert.match(n1.text, /calaisMap\.fault\('panic'\)/, 'the panic text as the detail');
      await screenshot(page, 'wall-reload-notice');

      // The reloaded page arms for a second fatal error in a row; a real trap this time.
      await armed(page, 2);
      assert.equal(await page.evaluate(() => window.calaisMap.fault('trap')), true);
      const f2 = await fatal(page);
      assert.deepEqual([f2.reason, f2.streak, f2.delayMs], ['trap', 2, 2000]);
      assert.match(f2.title, /WebAssembly instance was lost/);
      const n2 = await notice(app, f2.delayMs);
      assert.deepEqual([n2.reason, n2.streak], ['trap', 2]);
      const stored = await page.evaluate((k) => JSON.parse(localStorage.getItem(k)), NOTE);
      assert.equal(stored.shown, true, 'the note is shown once');
      assert.match(stored.detail, TRAP);
      // The notice is shown by one load only.
      await page.reload();
      await waitForReady(app);
      assert.equal(await page.locator(tid('wall-reload-notice')).count(), 0);
      assert.ok(app.pageErrors.every((e) => TRAP.test(e)), `only the traps asked for: ${app.pageErrors}`);
    } finally {
      await ctx.close();
    }
  });

  test('the heartbeat going silent reloads with reason heartbeat', { timeout: TEST_TIMEOUT }, async () => {
    const { ctx, app, page } = await wall();
    try {
      await armed(page, 1);
      assert.equal(await page.evaluate(() => window.calaisMap.fault('silence')), true);
      const f = await fatal(page);
      assert.deepEqual([f.reason, f.streak], ['heartbeat', 1]);
      assert.match(f.title, /STOPPED RESPONDING/);
      const n = await notice(app, f.delayMs);
      assert.deepEqual([n.reason, n.streak], ['heartbeat', 1]);
      await app.assertHealthy('after the heartbeat reload');
    } finally {
      await ctx.close();
    }
  });

  test('a wasm that cannot start reloads with reason start, in French', { timeout: TEST_TIMEOUT }, async () => {
    // Service workers blocked: the worker (issue 14) answers the hashed wasm from its cache, which
    // page.route cannot see; this test is about a broken download reaching the page.
    const { ctx, app, page } = await wall([1920, 1080], 'mode=wall&lang=fr', [], { serviceWorkers: 'block' });
    try {
      await armed(page, 1);
      // The next load gets a broken wasm file (a deploy gone wrong, a cut download).
      await page.route('**/*.wasm', (r) => r.fulfill({ status: 200, contentType: 'application/wasm', body: Buffer.from('not wasm') }));
      await page.reload({ waitUntil: 'load' });
      const f = await fatal(page);
      assert.deepEqual([f.reason, f.streak, f.delayMs], ['start', 1, 1000]);
      assert.match(f.title, /LA CARTE N’A PAS PU DÉMARRER/);
      assert.match(f.countdown, /^Rechargement dans [01] s$/);
      await page.unroute('**/*.wasm');
      await screenshot(page, 'wall-reload-start-fr');
      const n = await notice(app, f.delayMs);
      assert.deepEqual([n.reason, n.streak], ['start', 1]);
      assert.match(n.text, /RECHARGÉE après un échec du démarrage à \d\d:\d\d:\d\d [A-Z][A-Za-z]+ · 1 d’affilée/);
    } finally {
      await ctx.close();
    }
  });

  test('the desk shows the panic message and does not reload itself', { timeout: TEST_TIMEOUT }, async () => {
    const { ctx, page } = await wall([1280, 800], '');
    try {
      await page.evaluate(() => {
        window.__sameDocument = true;
      });
      assert.equal(await page.evaluate(() => window.calaisMap.fault('panic')), true);
      await page.waitForSelector(tid('panic-message'));
      // Three times the wall's back-off: a wall would have reloaded by now.
      await page.waitForTimeout(3_000);
      assert.equal(await page.evaluate(() => window.__sameDocument), true, 'the page was not reloaded');
      assert.equal(await page.locator(tid('wall-fatal')).count(), 0);
      assert.equal(await page.evaluate((k) => localStorage.getItem(k), NOTE), null);
    } finally {
      await ctx.close();
    }
  });
});

describe('daily reload at the quiet hour (wall.daily_reload 04:30, Paris time)', () => {
  let server, browser;

  before(async () => {
    const dir = prepareDist({ wall: { daily_reload: '04:30' } });
    server = await startDemoServer({ scenario: QUIET_SCENARIO, heartbeatMs: 1000, staticDir: dir });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.kill();
  });

  test('the wall reloads itself at 04:30 local time, not as a fatal error, and says so', { timeout: TEST_TIMEOUT }, async () => {
    const ctx = await browser.newContext({ viewport: { width: 1920, height: 1080 }, timezoneId: 'Europe/Paris' });
    try {
      // 04:29:45 in Paris (UTC+1 in December); the clock then runs at its natural pace.
      await ctx.clock.install({ time: Date.parse('2026-12-05T03:29:45Z') });
      const app = await openApp({ server }, ctx, { query: 'mode=wall' });
      const { page } = app;
      await page.evaluate(() => {
        window.__beforeDaily = true;
      });
      assert.equal(await page.locator(tid('wall-reload-notice')).count(), 0);
      const el = await page.waitForSelector(tid('wall-reload-notice'), { timeout: 90_000 });
      assert.equal(await page.evaluate(() => window.__beforeDaily ?? null), null, 'a new page');
      const facts = await el.evaluate((e) => ({ reason: e.dataset.reason, streak: Number(e.dataset.streak), text: e.textContent }));
      assert.deepEqual([facts.reason, facts.streak], ['daily', 0], 'not counted as a fatal error');
      assert.match(facts.text, /^Daily reload at 04:30:0\d Paris$/);
      await waitForReady(app);
      await app.assertHealthy('after the daily reload');
    } finally {
      await ctx.close();
    }
  });
});

/** navigator.wakeLock replaced by a stub that counts requests and hands out releasable sentinels. */
const WAKE_STUB = `
  window.__wake = { requests: 0, sentinels: [] };
  Object.defineProperty(navigator, 'wakeLock', { configurable: true, value: {
    request(type) {
      window.__wake.requests += 1;
      if (window.__wakeRefuse) return Promise.reject(new DOMException('refused by the test', 'NotAllowedError'));
      const s = new EventTarget();
      s.type = type;
      s.released = false;
      s.release = () => { s.released = true; s.dispatchEvent(new Event('release')); return Promise.resolve(); };
      window.__wake.sentinels.push(s);
      return Promise.resolve(s);
    },
  } });
`;

/** Makes the page hidden or visible as the browser would report it. */
const setVisible = (page, visible) =>
  page.evaluate((v) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (v ? 'visible' : 'hidden') });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => !v });
    document.dispatchEvent(new Event('visibilitychange'));
  }, visible);

describe('screen wake lock on the wall', () => {
  let server, browser;

  before(async () => {
    server = await startDemoServer({ scenario: QUIET_SCENARIO, heartbeatMs: 1000 });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.kill();
  });

  test('asked for on load, again when visible again and when the browser releases it', { timeout: TEST_TIMEOUT }, async () => {
    const ctx = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    try {
      const app = await openApp({ server }, ctx, { query: 'mode=wall', initScripts: [WAKE_STUB] });
      const { page } = app;
      const lock = () => page.$eval('.app', (e) => e.dataset.wakeLock);
      const requests = () => page.evaluate(() => window.__wake.requests);
      await page.waitForSelector('.app[data-wake-lock="held"]');
      assert.equal(await requests(), 1, 'asked for on load');
      // Hidden: the browser releases the lock; nothing is asked while hidden.
      await setVisible(page, false);
      await page.evaluate(() => window.__wake.sentinels.at(-1).release());
      await page.waitForSelector('.app[data-wake-lock="released"]');
      assert.equal(await requests(), 1, 'not asked while hidden');
      // Visible again: asked again.
      await setVisible(page, true);
      await page.waitForSelector('.app[data-wake-lock="held"]');
      assert.equal(await requests(), 2, 'asked again when visible');
      // Released by the browser while visible (power saving): asked again.
      await page.evaluate(() => window.__wake.sentinels.at(-1).release());
      await page.waitForFunction(() => window.__wake.requests === 3);
      await page.waitForSelector('.app[data-wake-lock="held"]');
      assert.equal(await lock(), 'held');
      assert.equal(await page.locator(tid('wall-wake-note')).count(), 0, 'no note while held');
      await app.assertHealthy('wake lock');
    } finally {
      await ctx.close();
    }
  });

  test('a refused lock is said in the status bar; the desk asks for none', { timeout: TEST_TIMEOUT }, async () => {
    const ctx = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    try {
      const refuse = 'window.__wakeRefuse = true;';
      const app = await openApp({ server }, ctx, { query: 'mode=wall', initScripts: [WAKE_STUB, refuse] });
      await app.page.waitForSelector('.app[data-wake-lock="refused"]');
      const note = app.page.locator(tid('wall-wake-note'));
      assert.equal(await note.getAttribute('data-state'), 'refused');
      assert.equal(await note.textContent(), 'Screen may sleep: wake lock refused');
      assert.ok(await note.isVisible());
      await screenshot(app.page, 'wall-wake-refused');
      await app.assertHealthy('refused');
      const desk = await openApp({ server }, ctx, { initScripts: [WAKE_STUB] });
      assert.equal(await desk.page.evaluate(() => window.__wake.requests), 0);
      assert.equal(await desk.page.$eval('.app', (e) => e.dataset.wakeLock ?? null), null);
    } finally {
      await ctx.close();
    }
  });
});
