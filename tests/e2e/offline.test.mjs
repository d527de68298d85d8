// Offline (issue 14 item 3): the release build served by the real demo server (app and API on one
// origin, as in production), in headless Chromium.
//
//   load: the service worker (dist/sw.js) installs and controls the page, its versioned cache
//     holds every file of the build, the page keeps the live picture in its own cache
//     (calais-picture), the offline store line shows its size;
//   offline (the browser offline AND the server stopped), reload: the shell comes from the worker,
//     the map draws every layer, the incidents are the kept picture's, the banner says OFFLINE with
//     the picture's time in London and Paris and its age (data-age-s), the feed is not "live";
//     no request to /api/ was answered by the worker (each failed on the network), no zone alert is
//     raised from the kept picture, in English and in French;
//   back online: the feed is live again, the banner goes, the picture is the server's;
//   a new version (issue 14 follow-up): the server serves another build's sw.js while the page
//     runs; when the network comes back the page asks for it, the new worker takes over, the desk
//     shows the note (update-ready, EN and FR) and Reload loads the new version's cache; a wall
//     page beside it sees the same change and shows no note;
//   a refused quota (Cache.put stubbed to throw QuotaExceededError, as a full device does): said in
//     the offline store line (in French), and the feed stays live;
//   refused persistence (navigator.storage.persist stubbed to answer false): amber at the desk,
//     on the wall the store's size only (nobody at a kiosk can act on it).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  startDemoServer, prepareDist, launchBrowser, openApp, waitForReady, readScenario, shiftScenario, shiftToNow,
  scenarioFinalState, expectedView, waitForIncidentFacts, showsExpected, screenshot, tid, BASIC_SCENARIO,
  OUTAGE_ERRORS, TEST_TIMEOUT,
} from './harness.mjs';

const OFFLINE_ERRORS = [...OUTAGE_ERRORS, /ERR_INTERNET_DISCONNECTED|ERR_NETWORK_CHANGED|ERR_FAILED/i];
const hm = (ms, timeZone) =>
  new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms);
const statusOf = (page) => page.locator(tid('feed-status')).getAttribute('data-status');

/** The picture the page kept: its time and incident ids, read from its own cache. */
const keptPicture = (page) =>
  page.evaluate(async () => {
    const r = await (await caches.open('calais-picture')).match('calais-last-picture.json');
    if (!r) return null;
    const p = await r.json();
    return {
      asOf: Date.parse(r.headers.get('x-calais-as-of')),
      ids: p.features.map((f) => f.id).sort(),
      open: p.features.filter((f) => f.properties.status === 'open').length,
      cursor: p.cursor ?? null,
    };
  });

describe('offline: the shell, the map and the last picture with no network', () => {
  const base = readScenario(BASIC_SCENARIO);
  const scenario = shiftScenario(base, { shiftMs: shiftToNow([base], { agoMs: 60_000 }) });
  let server, browser, ctx, app, page, kept, dir;
  const api = []; // every /api/ request's outcome: { url, fromSW, status } or { url, failed }

  before(async () => {
    dir = prepareDist({ incidents: { stale_after_s: 4 } });
    server = await startDemoServer({ scenario, heartbeatMs: 1000, staticDir: dir });
    browser = await launchBrowser();
    ctx = await browser.newContext({ timezoneId: 'Europe/Paris', viewport: { width: 1280, height: 800 } });
    ctx.on('response', (r) => {
      if (new URL(r.url()).pathname.includes('/api/')) api.push({ url: r.url(), fromSW: r.fromServiceWorker(), status: r.status() });
    });
    ctx.on('requestfailed', (r) => {
      if (new URL(r.url()).pathname.includes('/api/')) api.push({ url: r.url(), failed: r.failure()?.errorText });
    });
    app = await openApp({ server }, ctx, { allowedConsoleErrors: OFFLINE_ERRORS });
    page = app.page;
  });
  after(async () => {
    await browser?.close();
    await server?.kill();
  });

  test('load: the worker controls the page, caches the build, and the live picture is kept', { timeout: TEST_TIMEOUT }, async (t) => {
    const expected = expectedView(scenarioFinalState(scenario));
    await waitForIncidentFacts(page, (f) => f.status?.status === 'live' && showsExpected(f, expected), { what: 'the live scenario' });
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
    const shell = await page.evaluate(async () => {
      const keys = await caches.keys();
      const name = keys.find((k) => k.startsWith('calais-shell-'));
      const urls = name ? (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname) : [];
      return { keys, urls };
    });
    t.diagnostic(`caches: ${shell.keys.join(', ')}; ${shell.urls.length} files in the shell cache`);
    assert.equal(shell.keys.filter((k) => k.startsWith('calais-shell-')).length, 1, 'one versioned shell cache');
    for (const want of [/\/index\.html$/, /_bg\.wasm$/, /\.css$/, /\/public\/config\.json$/, /\/public\/data\/basemap\.geojson$/,
      /\/public\/data\/zones\.geojson$/, /\/manifest\.webmanifest$/, /\/icon\.svg$/, /\/icon-192\.png$/, /\/icon-512\.png$/]) {
      assert.ok(shell.urls.some((u) => want.test(u)), `${want} is in the shell cache`);
    }
    assert.ok(!shell.urls.some((u) => u.includes('/api/') || u.endsWith('/sw.js')), 'no API URL and not the worker itself');
    // The manifest is linked and served.
    const manifest = await page.evaluate(async () => (await fetch(document.querySelector('link[rel=manifest]').href)).json());
    assert.equal(manifest.display, 'standalone');
    assert.equal(manifest.start_url, './');
    // Its PNG icons (192 and 512, "any"), served as PNGs of their size.
    for (const size of [192, 512]) {
      const icon = manifest.icons.find((i) => i.sizes === `${size}x${size}`);
      assert.ok(icon && icon.type === 'image/png' && icon.purpose === 'any', `a ${size} PNG icon: ${JSON.stringify(manifest.icons)}`);
      const dims = await page.evaluate(async (src) => {
        const b = await createImageBitmap(await (await fetch(new URL(src, document.querySelector('link[rel=manifest]').href))).blob());
        return [b.width, b.height];
      }, icon.src);
      assert.deepEqual(dims, [size, size]);
    }
    // The picture is kept once the feed is live, then again as it changes (at most every 30 s),
    // with the time of the last delivery.
    await page.waitForFunction(() => document.querySelector('[data-testid="offline-store"]')?.hasAttribute('data-saved-as-of'), null, { timeout: 30_000 });
    const t0 = Date.now();
    for (;;) {
      kept = await keptPicture(page);
      if (kept && kept.ids.join() === expected.ids.join()) break;
      assert.ok(Date.now() - t0 < 60_000, `the kept picture reaches the incidents shown: ${JSON.stringify(kept?.ids)}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
    t.diagnostic(`kept in full ${((Date.now() - t0) / 1000).toFixed(0)} s after the first write`);
    assert.equal(kept.cursor, null, 'no cursor is kept');
    assert.ok(Date.now() - kept.asOf < 30_000 && kept.asOf <= Date.now(), `kept as of the last delivery (${Date.now() - kept.asOf} ms ago)`);
    const store = page.locator(tid('offline-store'));
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="offline-store"]')?.getAttribute('data-usage-b')) > 0);
    assert.equal(await store.getAttribute('data-worker'), 'registered');
    assert.match(await store.textContent(), /^Offline store · \d+\.\d (MB|GB) used of \d+\.\d (MB|GB)/);
    t.diagnostic(`offline store: ${await store.textContent()} (persist: ${await store.getAttribute('data-persist')})`);
    assert.equal(await page.locator(tid('offline-banner')).count(), 0, 'no offline banner while live');
    assert.ok(api.length > 0 && api.every((r) => !r.fromSW), 'online, every /api/ answer came from the network');
  });

  test('offline reload: the map and the kept incidents, marked offline with their age, never live', { timeout: TEST_TIMEOUT }, async (t) => {
    assert.ok(kept, 'the load test kept a picture');
    api.length = 0;
    await ctx.setOffline(true);
    await server.kill();
    await page.reload({ waitUntil: 'load' });
    await waitForReady(app);
    const banner = page.locator(tid('offline-banner'));
    await banner.waitFor({ timeout: 30_000 });
    // Every layer drawn from the worker's cache.
    const counts = await page.evaluate(() =>
      [...document.querySelectorAll('[data-testid^="layer-count-"]')].map((e) => Number(e.textContent.trim())));
    assert.ok(counts.length >= 4 && counts.every((c) => c > 0), `every layer loaded offline: ${counts}`);
    // The kept incidents, and the picture's time and age.
    const ids = await page.evaluate(() => window.calaisMap.incidentIds().slice().sort());
    assert.deepEqual(ids, kept.ids, 'the incidents are the kept picture');
    // The list and the counters show them (the feed's signals are flushed within 250 ms).
    await page.waitForFunction((n) => document.querySelector('[data-testid="incident-total"]')?.textContent.startsWith(`${n} `),
      kept.ids.length, { timeout: 10_000 });
    const open = await page.evaluate(() => [...document.querySelectorAll('[data-testid^="incident-count-"]')]
      .reduce((n, e) => n + Number(e.getAttribute('data-count')), 0));
    assert.equal(open, kept.open, 'the counters count the kept open incidents');
    // Nothing in the kept picture is live: zones count it, but no zone alert is raised from it
    // (the page's clock keeps ticking: dwell included).
    await page.waitForTimeout(2500);
    assert.equal(await page.locator(tid('alert-row')).count(), 0, 'no zone alert from the kept picture');
    assert.equal(await page.locator(tid('critical-flash')).count(), 0, 'no critical flash from the kept picture');
    assert.equal(Number(await banner.getAttribute('data-as-of')), kept.asOf);
    const age = Number(await banner.getAttribute('data-age-s'));
    const wantAge = (Date.now() - kept.asOf) / 1000;
    assert.ok(age >= 0 && Math.abs(age - wantAge) <= 7, `data-age-s ${age} ≈ ${wantAge.toFixed(0)} s`);
    const text = await banner.textContent();
    t.diagnostic(text);
    const london = hm(kept.asOf, 'Europe/London');
    const paris = hm(kept.asOf, 'Europe/Paris');
    assert.ok(text.startsWith(`OFFLINE — picture from London ${london} · Paris ${paris}, `), text);
    assert.match(text, /, (\d+ s|\d+ min) old/);
    assert.match(text, /Not live/);
    assert.notEqual(await statusOf(page), 'live', 'the feed is not live');
    const box = await banner.boundingBox();
    assert.ok(box && box.width >= 400 && box.height >= 40, `the banner is big: ${JSON.stringify(box)}`);
    await screenshot(page, 'offline-picture');
    // Live data never came from the worker: every /api/ request failed on the network.
    t.diagnostic(`/api/ while offline: ${JSON.stringify(api.slice(0, 6))}`);
    assert.ok(api.some((r) => r.url.endsWith('/api/incidents') && r.failed), 'the snapshot request failed on the network');
    assert.deepEqual(api.filter((r) => !r.failed), [], 'no /api/ request was answered (by the worker or anything)');
    // The same in French (the worker serves the page for any query).
    await page.goto(app.url + (app.url.includes('?') ? '&' : '?') + 'lang=fr', { waitUntil: 'load' });
    await waitForReady(app);
    await page.locator(tid('offline-banner')).waitFor({ timeout: 30_000 });
    const fr = await page.locator(tid('offline-banner')).textContent();
    t.diagnostic(fr);
    assert.ok(fr.startsWith(`HORS LIGNE — image de Londres ${london} · Paris ${paris}, il y a `), fr);
    assert.match(fr, /Pas en direct/);
    await screenshot(page, 'offline-picture-fr');
  });

  test('back online: the feed is live again and the banner goes', { timeout: TEST_TIMEOUT }, async () => {
    await server.restart();
    await ctx.setOffline(false);
    const expected = expectedView(scenarioFinalState(scenario));
    await waitForIncidentFacts(page, (f) => f.status?.status === 'live' && showsExpected(f, expected), {
      timeout: 60_000, what: 'live again after the network came back',
    });
    await page.locator(tid('offline-banner')).waitFor({ state: 'detached', timeout: 10_000 });
    await app.assertHealthy('offline and back');
  });

  test('a new version published while the page runs: the note and Reload at the desk, not on the wall', { timeout: TEST_TIMEOUT }, async (t) => {
    // A wall page beside the desk's, counting its controller changes (the worker taking over).
    const countChanges = `navigator.serviceWorker?.addEventListener('controllerchange', () => { window.__controllerChanges = (window.__controllerChanges || 0) + 1; });`;
    const wall = await openApp({ server }, ctx, { query: 'mode=wall', initScripts: [countChanges], allowedConsoleErrors: OFFLINE_ERRORS });
    await wall.page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
    if ((await page.locator('main.app').getAttribute('lang')) !== 'en') await page.locator(tid('lang-en')).click();
    assert.equal(await page.locator(tid('update-ready')).count(), 0, 'no note before an update');
    const oldCache = (await page.evaluate(() => caches.keys())).find((k) => k.startsWith('calais-shell-'));
    // The server now serves a newer build's worker (its version stamp changed, as a new build's does).
    const swPath = path.join(dir, 'sw.js');
    const sw = fs.readFileSync(swPath, 'utf8');
    const stamp = sw.match(/"version":"([0-9a-f]+)"/);
    assert.ok(stamp, 'the served sw.js carries its build version');
    fs.writeFileSync(swPath, sw.replace(stamp[0], '"version":"e2e0newer0build"'));
    // The page asks for a new version when the network comes back (also when shown, and every 30 min).
    await ctx.setOffline(true);
    await page.waitForTimeout(300);
    await ctx.setOffline(false);
    const note = page.locator(tid('update-ready'));
    await note.waitFor({ timeout: 30_000 });
    t.diagnostic(await note.textContent());
    assert.match(await note.textContent(), /A new version of the map is ready\./);
    assert.equal((await page.locator(tid('update-reload')).textContent()).trim(), 'Reload');
    await screenshot(page, 'offline-update-ready');
    // The wall saw the same change and shows nothing (its daily reload picks the version up).
    await wall.page.waitForFunction(() => window.__controllerChanges >= 1, null, { timeout: 10_000 });
    assert.equal(await wall.page.locator(tid('update-ready')).count(), 0, 'no note on the wall');
    await wall.close();
    // In French (the note follows the switch).
    await page.locator(tid('lang-fr')).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="update-ready"]')?.textContent.includes('Une nouvelle version'));
    assert.equal((await page.locator(tid('update-reload')).textContent()).trim(), 'Recharger');
    await screenshot(page, 'offline-update-ready-fr');
    await page.locator(tid('lang-en')).click();
    // Reload: the new version's cache serves the page, and the note is gone.
    await Promise.all([page.waitForEvent('load'), page.locator(tid('update-reload')).click()]);
    await waitForReady(app);
    const names = await page.evaluate(() => caches.keys());
    assert.ok(names.includes('calais-shell-e2e0newer0build') && !names.includes(oldCache), `the new version's cache only: ${names}`);
    assert.equal(await page.locator(tid('update-ready')).count(), 0, 'no note after the reload');
    // /api/ still never comes from a cache.
    assert.ok(api.every((r) => !r.fromSW), 'no /api/ answer from the worker');
    await app.assertHealthy('a new version');
  });
});

describe('offline store: a full quota', () => {
  let server, browser;
  after(async () => {
    await browser?.close();
    await server?.kill();
  });

  test('a refused write (QuotaExceededError) is shown and the app keeps working online', { timeout: TEST_TIMEOUT }, async (t) => {
    const base = readScenario(BASIC_SCENARIO);
    const scenario = shiftScenario(base, { shiftMs: shiftToNow([base], { agoMs: 60_000 }) });
    server = await startDemoServer({ scenario, heartbeatMs: 1000, staticDir: prepareDist() });
    browser = await launchBrowser();
    const ctx = await browser.newContext({ timezoneId: 'Europe/Paris' });
    // The device's quota is full: every Cache Storage write of the page fails as the browser's does.
    const full = `(() => {
      const put = Cache.prototype.put;
      Cache.prototype.put = function (req, res) {
        const url = typeof req === 'string' ? req : req.url;
        if (String(url).includes('calais-last-picture')) {
          return Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
        }
        return put.call(this, req, res);
      };
    })();`;
    const app = await openApp({ server }, ctx, { query: 'lang=fr', initScripts: [full] });
    const { page } = app;
    const expected = expectedView(scenarioFinalState(scenario));
    await waitForIncidentFacts(page, (f) => f.status?.status === 'live' && showsExpected(f, expected), { what: 'the live scenario' });
    const store = page.locator(tid('offline-store'));
    await page.waitForFunction(() => document.querySelector('[data-testid="offline-store"]')?.getAttribute('data-problem') === 'full',
      null, { timeout: 30_000 });
    const text = await store.textContent();
    t.diagnostic(text);
    assert.match(text, /plein : la dernière image n’a pas pu être gardée \(l’application fonctionne en ligne\)/);
    assert.ok(await store.isVisible(), 'the line is visible');
    assert.equal(await statusOf(page), 'live', 'the feed stays live');
    assert.equal(await store.getAttribute('data-saved-as-of'), null, 'nothing was kept');
    await screenshot(page, 'offline-store-full-fr');
    await app.assertHealthy('quota full');
    await ctx.close();
  });

  test('persistence refused: said in amber at the desk; on the wall only the size, no warning', { timeout: TEST_TIMEOUT }, async () => {
    const ctx = await browser.newContext({ timezoneId: 'Europe/Paris', viewport: { width: 1600, height: 900 } });
    // The browser refuses persistent storage (as it may for a site without engagement).
    const refuse = 'StorageManager.prototype.persist = function () { return Promise.resolve(false); };';
    try {
      const line = (p) => p.locator(tid('offline-store'));
      const settled = (p) => p.waitForFunction(() => {
        const e = document.querySelector('[data-testid="offline-store"]');
        return e?.dataset.persist === 'refused' && Number(e.dataset.usageB) > 0;
      }, null, { timeout: 30_000 });
      const desk = await openApp({ server }, ctx, { query: 'lang=en', initScripts: [refuse] });
      await settled(desk.page);
      assert.match(await line(desk.page).textContent(), /persistence refused: the browser may clear it/);
      assert.equal(await line(desk.page).evaluate((e) => e.classList.contains('warn')), true, 'amber at the desk');
      await desk.close();
      for (const lang of ['en', 'fr']) {
        const wall = await openApp({ server }, ctx, { query: `mode=wall&lang=${lang}`, initScripts: [refuse] });
        await settled(wall.page);
        const text = await line(wall.page).textContent();
        assert.match(text, lang === 'en' ? /^Offline store · \d+\.\d (MB|GB) used of / : /^Stockage hors ligne · /, `${lang}: the size stays: ${text}`);
        assert.doesNotMatch(text, /persist/i, `${lang}: no word about persistence on the wall: ${text}`);
        assert.equal(await line(wall.page).evaluate((e) => e.classList.contains('warn')), false, 'no amber on the wall');
        const colour = await line(wall.page).evaluate((e) => getComputedStyle(e).color);
        assert.notEqual(colour, 'rgb(255, 209, 102)', `not amber: ${colour}`);
        assert.ok(await line(wall.page).isVisible(), 'the line shows on the wall');
        await screenshot(wall.page, `offline-store-wall-${lang}`);
        await wall.assertHealthy(`wall store ${lang}`);
        await wall.close();
      }
    } finally {
      await ctx.close();
    }
  });
});
