// The incident tests' server side, without a browser: scenario files are valid per
// docs/api.md and give the expected state through the real demo server; the harness starts,
// kills and restarts the demo server on the same port; the static server proxies /api/
// (including a Server-Sent Events stream, event by event) and answers 502 when the backend is
// down; prepareDist writes a patched config the demo server serves with the app.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import {
  startDemoServer, startServer, killAllDemoServers, prepareDist, readSse, readScenario, scenarioFinalState,
  scenarioOrder, scenarioRawCount, expectedView, incidentProblems, shiftScenario, shiftToNow, KINDS, SCENARIOS,
  BASIC_SCENARIO, QUIET_SCENARIO, PUBLIC, DIST,
} from './harness.mjs';

after(killAllDemoServers);

const getJson = async (url) => {
  const r = await fetch(url);
  assert.equal(r.status, 200, `GET ${url}`);
  return r.json();
};
const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
async function waitSeq(server, n, timeout = 15_000) {
  const t0 = Date.now();
  for (;;) {
    const h = await getJson(server.url('/api/health'));
    if (h.seq >= n) return h;
    if (Date.now() - t0 > timeout) throw new Error(`seq stayed ${h.seq} < ${n}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
/** Polls the snapshot until it holds exactly `want` (Map id → Feature); returns the last health. */
async function waitSnapshot(server, want, timeout = 20_000) {
  const t0 = Date.now();
  for (;;) {
    const snap = await getJson(server.url('/api/incidents'));
    const got = byId(snap);
    if (got.size === want.size && [...want].every(([id, f]) => isDeepStrictEqual(got.get(id), f))) return snap;
    if (Date.now() - t0 > timeout) {
      sameState(got, want);
      throw new Error('snapshot never matched');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
/** Map id → feature of a FeatureCollection. */
const byId = (fc) => new Map(fc.features.map((f) => [f.id, f]));
const sameState = (got, want) => {
  assert.deepEqual([...got.keys()].sort(), [...want.keys()].sort(), 'same incident ids');
  for (const [id, f] of want) assert.deepEqual(got.get(id), f, `incident ${id} in its latest state`);
};

test('scenario files are valid per docs/api.md', () => {
  const files = [BASIC_SCENARIO, ...fs.readdirSync(SCENARIOS).filter((f) => f.endsWith('.json')).map((f) => path.join(SCENARIOS, f))];
  assert.ok(files.some((f) => f.endsWith('restart-b.json')) && files.some((f) => f.endsWith('quiet.json')));
  for (const file of files) {
    const s = readScenario(file);
    assert.ok(Array.isArray(s.events), `${file}: events`);
    assert.ok(['idle', 'loop', undefined].includes(s.then), `${file}: then`);
    for (const [i, e] of s.events.entries()) {
      assert.ok(Number.isInteger(e.at_ms) && e.at_ms >= 0, `${file}[${i}]: at_ms`);
      assert.ok((e.feature === undefined) !== (e.raw === undefined), `${file}[${i}]: exactly one of feature/raw`);
      if (e.feature) assert.deepEqual(incidentProblems(e.feature), [], `${file}[${i}] ${e.feature.id}`);
    }
    // Per id, updated_at never goes back (the client keeps the later state).
    const last = new Map();
    for (const e of scenarioOrder(s).filter((e) => e.feature)) {
      const t = Date.parse(e.feature.properties.updated_at);
      assert.ok(!(t < (last.get(e.feature.id) ?? -Infinity)), `${file}: ${e.feature.id} updated_at goes back`);
      last.set(e.feature.id, t);
    }
  }
  const basic = readScenario(BASIC_SCENARIO);
  assert.equal(scenarioRawCount(basic), 2, 'basic.json has two malformed raw events');
  assert.equal(scenarioFinalState(basic).size, 12);
  // restart-b holds every incident of the first run (basic.json), with newer or equal updated_at.
  const a = scenarioFinalState(basic);
  const b = readScenario(path.join(SCENARIOS, 'restart-b.json'));
  const b0 = new Map(b.events.filter((e) => e.at_ms === 0 && e.feature).map((e) => [e.feature.id, e.feature]));
  for (const [id, f] of a) {
    assert.ok(b0.has(id), `restart-b has ${id} at at_ms 0`);
    assert.ok(Date.parse(b0.get(id).properties.updated_at) >= Date.parse(f.properties.updated_at), `${id} not older in restart-b`);
  }
  const bFinal = expectedView(scenarioFinalState(b), { now: Date.parse('2025-06-11T09:05:00Z') });
  assert.equal(bFinal.total, 17);
  assert.deepEqual(bFinal.open, { small_boat: 2, fence_breach: 1, lorry_intrusion: 3, tunnel_intrusion: 3, vehicle_sighting: 3, other: 2 });
});

test('basic.json through the real demo server: snapshot, since=, SSE replay with the malformed events', { timeout: 60_000 }, async () => {
  const basic = readScenario(BASIC_SCENARIO);
  const server = await startDemoServer({ scenario: BASIC_SCENARIO, firstSeq: 1, heartbeatMs: 300 });
  try {
    assert.match(server.origin, /^http:\/\/127\.0\.0\.1:\d+$/);
    const n = basic.events.length;
    const h = await waitSeq(server, n);
    assert.equal(h.seq, n);
    assert.equal(h.mode, 'scenario');
    const snap = await getJson(server.url('/api/incidents'));
    assert.equal(snap.type, 'FeatureCollection');
    assert.equal(snap.cursor, String(n));
    for (const f of snap.features) assert.deepEqual(incidentProblems(f), [], f.id);
    sameState(byId(snap), scenarioFinalState(basic));
    const v = expectedView(byId(snap), { now: Date.parse('2025-06-11T09:05:00Z') });
    assert.deepEqual(v.open, { small_boat: 2, fence_breach: 1, lorry_intrusion: 2, tunnel_intrusion: 2, vehicle_sighting: 2, other: 2 });

    const since = await getJson(server.url('/api/incidents?since=10'));
    assert.deepEqual(since.features.map((f) => f.id), ['scn-vehicle-2', 'scn-other-1', 'scn-fence-1', 'scn-boat-1', 'scn-tunnel-2']);
    assert.equal((await fetch(server.url('/api/incidents?since=999'))).status, 410);

    const sse = await readSse(server.url('/api/incidents/stream?last_event_id=0'), {
      until: (ev) => ev.some((e) => e.event === 'heartbeat'),
    });
    assert.equal(sse.status, 200);
    assert.match(sse.headers.get('content-type'), /^text\/event-stream/);
    const incidents = sse.events.filter((e) => e.event === 'incident');
    assert.equal(incidents.length, n, 'every event replayed after id 0');
    const bad = incidents.filter((e) => {
      try {
        return JSON.parse(e.data).type !== 'Feature';
      } catch {
        return true;
      }
    });
    assert.deepEqual(bad.map((e) => e.id), ['7', '12'], 'the malformed events are seqs 7 and 12');
    assert.equal(sse.events[0].retry, 1000);
  } finally {
    await server.kill();
  }
});

test('demo server: kill ends the process; restart comes back on the same port with a new scenario; old ids get reset', { timeout: 90_000 }, async () => {
  const server = await startDemoServer({ scenario: BASIC_SCENARIO, heartbeatMs: 500 });
  const port = server.port;
  const pid = server.pid;
  await waitSnapshot(server, scenarioFinalState(readScenario(BASIC_SCENARIO)));
  await new Promise((r) => setTimeout(r, 300)); // the last (raw-free) entry is at 2.2 s
  const lastA = (await getJson(server.url('/api/health'))).seq;
  // An SSE client connected through the kill sees its stream end.
  const streamDuringKill = readSse(server.url('/api/incidents/stream'), { timeout: 15_000 });
  await new Promise((r) => setTimeout(r, 300));
  const t0 = Date.now();
  const info = await server.kill();
  assert.equal(info.code, 0, `exit status 0 on SIGTERM (stderr: ${server.stderr()})`);
  assert.ok(Date.now() - t0 < 5000, 'exits within the 3 s grace');
  assert.equal(alive(pid), false, 'the process is gone');
  const s = await streamDuringKill;
  assert.equal(s.ended, true, 'the open stream ended when the server stopped');
  await assert.rejects(fetch(`http://127.0.0.1:${port}/api/health`), 'nothing listens after kill');

  const b = readScenario(path.join(SCENARIOS, 'restart-b.json'));
  await new Promise((r) => setTimeout(r, 500));
  await server.restart({ scenario: path.join(SCENARIOS, 'restart-b.json') });
  assert.equal(server.port, port, 'same port after restart');
  assert.notEqual(server.pid, pid);
  // Incidents "emitted while down" are in the new server's snapshot at once.
  const at0 = scenarioFinalState({ events: b.events.filter((e) => e.at_ms === 0) });
  const snap0 = await getJson(server.url('/api/incidents'));
  sameState(byId(snap0), at0);
  // A Last-Event-ID of the first run is refused with reset (ids are start time × 1000).
  const reset = await readSse(server.url('/api/incidents/stream'), {
    headers: { 'Last-Event-ID': String(lastA) },
    until: (ev) => ev.some((e) => e.event === 'reset'),
  });
  const ev = reset.events.find((e) => e.event === 'reset');
  assert.ok(ev, `reset for an id of the first run: ${JSON.stringify(reset.events)}`);
  assert.ok(JSON.parse(ev.data).seq > lastA);
  // Then the live entries; the final snapshot is the scenario's final state.
  await waitSnapshot(server, scenarioFinalState(b));
  const pid2 = server.pid;
  await server.kill('SIGKILL');
  assert.equal(alive(pid2), false);
});

test('static server proxies /api/ to the demo server: JSON, SSE event by event, Last-Event-ID, 502 when down', { timeout: 60_000 }, async () => {
  const api = await startDemoServer({ scenario: QUIET_SCENARIO, heartbeatMs: 300 });
  const web = await startServer({ apiOrigin: api.origin });
  try {
    const snap = await getJson(web.url('/api/incidents'));
    assert.deepEqual(snap.features, []);
    assert.equal((await fetch(web.url('/api/nope'))).status, 404);
    const idx = await fetch(web.url('/'));
    assert.equal(idx.status, 200, 'the app is still served statically');
    await idx.arrayBuffer();
    // Heartbeats arrive one by one through the proxy (no buffering until the stream ends).
    const sse = await readSse(web.url('/api/incidents/stream'), { until: (ev) => ev.filter((e) => e.event === 'heartbeat').length >= 3, timeout: 5000 });
    assert.equal(sse.timedOut, false, `3 heartbeats within 5 s: ${JSON.stringify(sse.events)}`);
    const beats = sse.events.filter((e) => e.event === 'heartbeat');
    assert.ok(beats[2].at - beats[0].at >= 400, 'heartbeats arrive spread out, as sent');
    assert.equal(sse.headers.get('content-type'), 'text/event-stream');
    // Last-Event-ID travels through the proxy: a foreign id gets reset.
    const reset = await readSse(web.url('/api/incidents/stream'), { headers: { 'Last-Event-ID': 'nope' }, until: (ev) => ev.some((e) => e.event === 'reset') });
    assert.ok(reset.events.some((e) => e.event === 'reset'));
    const logged = web.requests.filter((r) => r.proxied);
    assert.ok(logged.some((r) => r.path === '/api/incidents/stream' && r.status === 200));

    await api.kill();
    const r = await fetch(web.url('/api/incidents'));
    assert.equal(r.status, 502);
    assert.match(await r.text(), /not answering/);
    // Back on the same port: the proxy works again.
    await api.restart();
    assert.deepEqual((await getJson(web.url('/api/incidents'))).features, []);
  } finally {
    await web.close();
    await api.kill();
  }
});

test('prepareDist: a temp copy of dist/ with the config patched, served with the API by the demo server', { timeout: 60_000 }, async (t) => {
  if (!fs.existsSync(path.join(DIST, 'index.html'))) return t.skip('no dist/ build');
  const dir = prepareDist({ incidents: { stale_after_s: 3 }, initial_view: { lon: 1.8, lat: 50.9, zoom: 11 } });
  const base = JSON.parse(fs.readFileSync(path.join(PUBLIC, 'config.json'), 'utf8'));
  const cfg = JSON.parse(fs.readFileSync(path.join(dir, 'public', 'config.json'), 'utf8'));
  assert.equal(cfg.incidents.stale_after_s, 3);
  assert.deepEqual(cfg.layers, base.layers, 'the rest of the config is kept');
  assert.deepEqual(cfg.initial_view, { lon: 1.8, lat: 50.9, zoom: 11 });
  assert.ok(fs.readdirSync(dir).some((f) => f.endsWith('.wasm')));
  assert.notEqual(JSON.stringify(cfg), fs.readFileSync(path.join(DIST, 'public', 'config.json'), 'utf8'), 'dist/ itself is untouched');
  const server = await startDemoServer({ scenario: shiftScenario(readScenario(BASIC_SCENARIO), { shiftMs: shiftToNow(readScenario(BASIC_SCENARIO)) }), staticDir: dir, firstSeq: 1 });
  try {
    assert.deepEqual(await getJson(server.url('/public/config.json')), cfg);
    const html = await fetch(server.url('/'));
    assert.equal(html.status, 200);
    assert.match(await html.text(), /<html/i);
    await waitSeq(server, 17, 15_000);
    const snap = await getJson(server.url('/api/incidents'));
    // Shifted to now: the closed incident is recent, so a client keeps it (retention 600 s).
    const v = expectedView(byId(snap));
    assert.equal(v.total, 12);
    assert.equal(v.byId.get('scn-fence-1').properties.status, 'closed');
    for (const k of KINDS) assert.ok(v.open[k] >= 1, `an open ${k}`);
  } finally {
    await server.kill();
  }
});

test('startDemoServer: a missing binary fails with the build command; bad flags show stderr', async () => {
  await assert.rejects(startDemoServer({ bin: '/nonexistent/calais-demo-server' }), /cargo build -p calais-demo-server/);
  await assert.rejects(startDemoServer({ extraArgs: ['--frobnicate'] }), /exited before listening[\s\S]*unknown argument/);
  await assert.rejects(startDemoServer({ scenario: { events: [{ at_ms: 0 }] } }), /at_ms|feature/);
});
