// A big snapshot taken in slices (issue 15 item 4), end to end: a node server serves the build
// with a feed of its own (a 30,000-incident snapshot, then on cue a `reset` and a resync
// snapshot of 15,000 of them plus 5,000 new, then live events). The page's every animation
// frame records how many incidents the app holds.
//
//   (a) the first load: no frame ever sees a part of the snapshot (0, then 30,000); the
//       snapshot was read in several slices and frames ran between its arrival and the swap;
//   (b) the resync: no frame sees anything but the old picture (30,000) or the new one
//       (20,000: the incidents the server no longer has are gone, the new ones are there);
//   (c) the live events sent right after the resync (two updates of one incident, then a new
//       incident) are all applied, in their order, over the new picture.
//
// Behaviour only: the time of each slice is the benchmark's business (bench/blocks.mjs).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { prepareDist, startServer, launchBrowser, openApp, TEST_TIMEOUT } from './harness.mjs';

const FIRST = 30_000;
const KEPT = FIRST / 2;
const ADDED = 5_000;

const iso = (ms) => new Date(ms).toISOString();
const feature = (id, i, updated, props = {}) => ({
  type: 'Feature',
  id,
  geometry: { type: 'Point', coordinates: [1.6 + (i % 200) * 0.004, 50.85 + Math.floor(i / 200) * 0.001] },
  properties: {
    kind: ['small_boat', 'fence_breach', 'lorry_intrusion', 'vehicle_sighting'][i % 4],
    severity: 1 + (i % 5),
    status: 'open',
    reported_at: iso(updated - 60_000),
    updated_at: iso(updated),
    description: `incident ${i}`,
    ...props,
  },
});
const pad = (i) => String(i).padStart(6, '0');

/** Records [performance.now(), incidents held, snapshots applied] at every animation frame. */
const SAMPLER = `
window.__held = [];
(function sample() {
  const m = window.calaisMap;
  if (m && m.incidents) {
    const n = m.incidents().count;
    const s = m.feedStats().snapshots;
    window.__held.push([performance.now(), n, s]);
    if (window.__held.length > 20000) window.__held.splice(0, 10000);
  }
  requestAnimationFrame(sample);
})();
`;

describe('a big snapshot taken in slices', () => {
  const now = Date.now();
  const first = {
    type: 'FeatureCollection',
    cursor: '100',
    features: Array.from({ length: FIRST }, (_, i) => feature(`s-${pad(i)}`, i, now - 120_000)),
  };
  const resync = {
    type: 'FeatureCollection',
    cursor: '900',
    features: [
      ...Array.from({ length: FIRST }, (_, i) => i).filter((i) => i % 2 === 0).map((i) => feature(`s-${pad(i)}`, i, now - 60_000)),
      ...Array.from({ length: ADDED }, (_, i) => feature(`t-${pad(i)}`, i, now - 60_000)),
    ],
  };
  const bodies = { first: Buffer.from(JSON.stringify(first)), resync: Buffer.from(JSON.stringify(resync)) };
  let serving = 'first';
  const sent = [];
  const streams = new Set();
  let onStream = null;

  let server, browser, ctx, app, page;

  before(async () => {
    const dir = prepareDist({
      incidents: { snapshot_url: '/api/sliced/snapshot', stream_url: '/api/sliced/stream', retention_s: 86_400, stale_after_s: 30 },
    });
    server = await startServer({ distDir: dir });
    server.respondWith('/api/sliced/snapshot', (req, res) => {
      const body = bodies[serving];
      res.writeHead(200, { 'Content-Type': 'application/geo+json', 'Content-Length': body.length, 'Cache-Control': 'no-store' });
      res.end(body, () => sent.push({ which: serving, at: Date.now() }));
    });
    server.respondWith('/api/sliced/stream', (req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
      res.write('event: heartbeat\ndata: {}\n\n');
      const hb = setInterval(() => res.write('event: heartbeat\ndata: {}\n\n'), 1000);
      const s = { res, query: new URL(req.url, 'http://x').searchParams };
      streams.add(s);
      res.on('close', () => {
        clearInterval(hb);
        streams.delete(s);
      });
      onStream?.(s);
    });
    browser = await launchBrowser();
    ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    app = await openApp({ server }, ctx, { initScripts: [SAMPLER] });
    page = app.page;
  });
  after(async () => {
    for (const s of streams) s.res.destroy();
    await ctx?.close();
    await browser?.close();
    await server?.close();
  });

  const held = () => page.evaluate(() => window.__held);
  const toPageMs = (wallMs) => page.evaluate((w) => w - performance.timeOrigin, wallMs);

  test('(a) the first load: no frame sees a part of the snapshot; it is taken in slices with frames between', { timeout: TEST_TIMEOUT }, async (t) => {
    await page.waitForFunction((n) => window.calaisMap.incidents().count === n, FIRST, { timeout: 90_000, polling: 100 });
    const samples = await held();
    const counts = [...new Set(samples.map((s) => s[1]))];
    t.diagnostic(`${samples.length} frames sampled; counts seen: ${counts.join(', ')}`);
    assert.deepEqual(counts.filter((n) => n !== 0 && n !== FIRST), [], 'a frame saw a part of the snapshot');
    const stats = await page.evaluate(() => window.calaisMap.feedStats());
    t.diagnostic(`snapshotMs ${stats.snapshotMs.toFixed(1)}, ${stats.snapshotSlices} slices, longest ${stats.snapshotLongestSliceMs.toFixed(1)} ms`);
    assert.ok(stats.snapshotSlices > 1, `read in slices (${stats.snapshotSlices})`);
    assert.equal(stats.snapshotFeatures, FIRST);
    const arrived = await toPageMs(sent.find((s) => s.which === 'first').at);
    const full = samples.find((s) => s[1] === FIRST)[0];
    const between = samples.filter((s) => s[0] > arrived && s[0] < full).length;
    t.diagnostic(`${between} frames between the body sent (${arrived.toFixed(0)} ms) and the full picture (${full.toFixed(0)} ms)`);
    assert.ok(between >= 2, `the page drew frames while the snapshot was taken (${between})`);
    await app.assertHealthy('after the first load');
  });

  test('(b) the resync: no frame sees anything but the old or the new picture; (c) the live events after it apply in order', { timeout: TEST_TIMEOUT }, async (t) => {
    await page.waitForFunction(() => window.calaisMap.feedStats().status === 'live', null, { timeout: 30_000, polling: 100 });
    await page.evaluate(() => {
      window.__held.length = 0;
    });
    // After the reset the page takes the resync snapshot, then opens a stream from its cursor:
    // that stream sends two updates of one kept incident, then a new incident.
    serving = 'resync';
    const later = Date.now();
    const after = new Promise((resolve) => {
      onStream = (s) => {
        const events = [
          ['901', feature('s-000002', 2, later, { status: 'closed', description: 'closed first' })],
          ['902', feature('s-000002', 2, later + 1, { status: 'open', description: 'reopened last' })],
          ['903', feature('live-1', 7, later + 2, { description: 'new live' })],
        ];
        for (const [id, f] of events) s.res.write(`event: incident\nid: ${id}\ndata: ${JSON.stringify(f)}\n\n`);
        resolve(s.query.get('last_event_id'));
      };
    });
    for (const s of [...streams]) {
      s.res.write('event: reset\ndata: {}\n\n');
      s.res.end();
    }
    const cursor = await after;
    assert.equal(cursor, '900', 'the stream resumes from the resync snapshot cursor');
    const want = KEPT + ADDED + 1;
    await page.waitForFunction((n) => window.calaisMap.incidents().count === n && window.calaisMap.feedStats().snapshots === 2, want, { timeout: 90_000, polling: 100 });
    const samples = await held();
    const counts = [...new Set(samples.map((s) => s[1]))];
    t.diagnostic(`${samples.length} frames sampled after the reset; counts seen: ${counts.join(', ')}`);
    assert.deepEqual(counts.filter((n) => ![FIRST, KEPT + ADDED, want].includes(n)), [], 'a frame saw a part of the resync');
    const stats = await page.evaluate(() => window.calaisMap.feedStats());
    t.diagnostic(`resync: snapshotMs ${stats.snapshotMs.toFixed(1)}, ${stats.snapshotSlices} slices, longest ${stats.snapshotLongestSliceMs.toFixed(1)} ms`);
    assert.ok(stats.snapshotSlices > 1, 'the resync is read in slices');
    const [gone, kept, added, live] = await page.evaluate(() => ['s-000001', 's-000002', 't-000004', 'live-1'].map((id) => window.calaisMap.incident(id)));
    assert.equal(gone, null, 'an incident the server no longer has is gone');
    assert.ok(added, 'an incident new in the resync is there');
    assert.equal(kept?.description, 'reopened last', 'the last of the live updates wins');
    assert.equal(kept?.status, 'open');
    assert.equal(kept?.track, 0, 'same position: no track');
    assert.equal(live?.description, 'new live', 'the new live incident is there');
    assert.equal(stats.lastSeq, '903');
    await app.assertHealthy('after the resync');
  });
});
