// Issue 15, item 6: an over-large layer is refused with a clear message (English and French)
// instead of freezing the page, and the other layers stay. Two ways a body is too large:
// a `Content-Length` over the cap (refused before reading), and a body streamed without a
// length that grows past the cap (the page stops reading it). Config: limits.json
// (`limits.layer_mb` 2). And the feed's snapshot: an answer declaring 300 MB against
// `limits.snapshot_mb` 1 (limits-feed.json) is refused unread, said in the feed strip with the
// cap and its key, and asked again (the feed's back-off), the map working meanwhile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedEnv, openApp, screenshot, tid, TEST_TIMEOUT } from './harness.mjs';

const env = sharedEnv();

const CONFIG = '/fixtures/configs/limits.json';
const MB = 1_000_000;

/** A camera feature near Coquelles, as the real layer has them (about 250 bytes). */
function camera(i) {
  return JSON.stringify({
    type: 'Feature',
    id: `cam-stream-${i}`,
    geometry: { type: 'Point', coordinates: [1.8 + (i % 100) * 0.001, 50.93 + Math.floor(i / 100) * 0.0001] },
    properties: { name: `Streamed camera ${i}`, bearing: 90, fov: 60, range_m: 200 },
  });
}

/**
 * Serves the two huge layers; returns what the server saw of the streamed one: how many bytes
 * it sent before the page hung up, and whether the page hung up before the end (20 MB).
 */
function serveHugeLayers() {
  const streamed = { sent: 0, closedEarly: false, done: false };
  env.server.respondWith('/huge/fences-declared.geojson', (req, res) => {
    // Says 500 MB, sends the first bytes, never ends: only the header can be judged.
    res.writeHead(200, { 'Content-Type': 'application/geo+json', 'Content-Length': String(500 * MB), 'Cache-Control': 'no-store' });
    res.write('{"type":"FeatureCollection","features":[');
    req.on('close', () => res.destroy());
  });
  env.server.respondWith('/huge/cameras-streamed.geojson', (req, res) => {
    // No length (chunked): 20 MB of valid cameras in 64 KB writes, as fast as the page reads.
    res.writeHead(200, { 'Content-Type': 'application/geo+json', 'Cache-Control': 'no-store' });
    let i = 0;
    res.on('close', () => {
      if (!streamed.done) streamed.closedEarly = true;
    });
    const pump = () => {
      while (streamed.sent < 20 * MB) {
        let chunk = i === 0 ? '{"type":"FeatureCollection","features":[' : ',';
        while (chunk.length < 64 * 1024) chunk += (chunk.length > 1 ? ',' : '') + camera(i++);
        streamed.sent += chunk.length;
        if (!res.write(chunk)) return res.once('drain', pump);
      }
      streamed.done = true;
      res.end(']}');
    };
    pump();
  });
  return streamed;
}

async function banner(page, layer) {
  const b = page.locator(`${tid('error-banner')}[data-layer="${layer}"]`);
  await b.waitFor({ state: 'visible', timeout: 30_000 });
  return (await b.textContent()).trim();
}

const count = async (page, key) => Number((await page.locator(tid(`layer-count-${key}`)).textContent()).trim());

for (const lang of ['en', 'fr']) {
  test(`over-large layers are refused with a message (${lang}), the other layers stay`, { timeout: TEST_TIMEOUT }, async () => {
    const streamed = serveHugeLayers();
    const ctx = await env.newContext();
    try {
      const t0 = Date.now();
      const app = await openApp(env, ctx, { config: CONFIG, query: `lang=${lang}`, allowConsoleErrors: true });
      const { page } = app;
      const fences = await banner(page, 'fences');
      const cameras = await banner(page, 'cameras');
      await screenshot(page, `15-limits-${lang}`);
      const took = Date.now() - t0;
      if (lang === 'en') {
        assert.match(fences, /500 MB, more than the 2 MB allowed \(limits\.layer_mb\)/, fences);
        assert.match(cameras, /passed the 2 MB allowed \(limits\.layer_mb\) and was stopped/, cameras);
        assert.match(cameras, /other data stays/, cameras);
      } else {
        assert.match(fences, /500 Mo, plus que les 2 Mo permis \(limits\.layer_mb\)/, fences);
        assert.match(cameras, /a dépassé les 2 Mo permis \(limits\.layer_mb\) et a été arrêté/, cameras);
      }
      assert.ok(fences.includes('/huge/fences-declared.geojson'), `names the URL: ${fences}`);
      // The page hung up on the stream soon after 2 MB, long before its 20 MB.
      await page.waitForTimeout(500);
      assert.ok(streamed.closedEarly, `the page stopped reading the stream (sent ${streamed.sent} B)`);
      assert.ok(streamed.sent < 12 * MB, `stopped early: ${streamed.sent} B sent of 20 MB`);
      // Nothing of the refused layers is kept; the other layers are there.
      assert.equal(await count(page, 'fences'), 0);
      assert.equal(await count(page, 'cameras'), 0);
      assert.ok((await count(page, 'ports')) > 0, 'ports load');
      assert.ok((await count(page, 'basemap')) > 0, 'basemap loads');
      // The page answers: a frame is drawn after the refusals.
      const alive = await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(true))));
      assert.ok(alive, 'the page still renders');
      console.log(`limits (${lang}): refused in ${took} ms; stream cut after ${(streamed.sent / MB).toFixed(1)} MB`);
      await app.assertHealthy('limits');
    } finally {
      await ctx.close();
      env.server.clearResponses();
    }
  });
}

for (const lang of ['en', 'fr']) {
  test(`an over-large snapshot is refused with the cap named (${lang}) and retried`, { timeout: TEST_TIMEOUT }, async () => {
    const asked = { n: 0 };
    env.server.respondWith('/huge/snapshot.json', (req, res) => {
      asked.n += 1;
      res.writeHead(200, { 'Content-Type': 'application/geo+json', 'Content-Length': String(300 * MB), 'Cache-Control': 'no-store' });
      res.write('{"type":"FeatureCollection","features":[');
      req.on('close', () => res.destroy());
    });
    const ctx = await env.newContext();
    try {
      const app = await openApp(env, ctx, { config: '/fixtures/configs/limits-feed.json', query: `lang=${lang}`, allowConsoleErrors: true });
      const { page } = app;
      const problem = page.locator(tid('feed-problem'));
      await problem.waitFor({ state: 'visible', timeout: 30_000 });
      const text = (await problem.textContent()).trim();
      if (lang === 'en') assert.match(text, /larger than 1 MB \(limits\.snapshot_mb\) and was not read: retrying/, text);
      else assert.match(text, /dépasse 1 Mo \(limits\.snapshot_mb\) et n’a pas été lue : nouvel essai/, text);
      assert.notEqual(await page.locator(tid('feed-status')).getAttribute('data-status'), 'live');
      const deadline = Date.now() + 20_000;
      while (asked.n < 2 && Date.now() < deadline) await page.waitForTimeout(250);
      assert.ok(asked.n >= 2, `the snapshot is asked again (${asked.n} requests)`);
      assert.ok((await count(page, 'basemap')) > 0, 'the map is there');
      console.log(`limits (${lang}): snapshot refused, ${asked.n} requests: ${text}`);
      await app.assertHealthy('snapshot limit');
    } finally {
      await ctx.close();
      env.server.clearResponses();
    }
  });
}
