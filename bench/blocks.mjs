#!/usr/bin/env node
// Main-thread blocks (issue 15, item 4): every long task the page runs while it takes a
// 100,000-incident snapshot, a forced resync and a burst of 10,000 live events in one second.
//
// In headless Debian chromium at 1920x1080, dpr 1, with the benchmark build (CALAIS_DIST,
// default dist/): a node server (tests/e2e/harness.mjs startServer) serves the build with a
// config whose feed points at two routes of this script: /api/blocks/snapshot (the 100k
// snapshot of bench/make-snapshot.mjs; the resync's is the same incidents, each updated a minute
// later) and /api/blocks/stream (SSE: heartbeats, then on cue a `reset`, then on cue 10,000
// `incident` events in one second: half updates of held incidents, half new ones).
// The page observes, buffered from its first script on, every 'longtask' (> 50 ms) and every
// 'long-animation-frame' (a frame whose work took > 50 ms, with its scripts' attribution), and
// the app's own `calais:*` performance measures (benchmark builds: parse, apply, swap, seed,
// …) name what each block was. Phases:
//   load    navigation → 100k held, then 2 s more (the first frames with the incidents);
//   resync  the `reset` event → the second snapshot applied, then 2 s more;
//   burst   the first event of the burst → all 10,000 counted, then 2 s more.
// Prints the longest block per phase, what it was, and writes target/bench/blocks.json.
//
// Usage: node bench/blocks.mjs [--loads N] [--only load,resync,burst] [--profile]
//   --profile: a CPU profile of each load; every block listed gets `hot`, the functions it spent
//   its samples in (bench/profile.mjs; serve its named build: CALAIS_DIST=target/dist-prof).
//   The target (issue 15): no block over 50 ms in load and resync; the burst's longest frame
//   is reported. CALAIS_DIST serves another build.

import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { ROOT, CHROMIUM, prepareDist, startServer, launchBrowser, openApp } from '../tests/e2e/harness.mjs';
import { makeSnapshot } from './make-snapshot.mjs';
import { fmt, median } from './stats.mjs';
import { startProfile, hotIn } from './profile.mjs';

const args = process.argv.slice(2);
const argVal = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const LOADS = Math.max(1, argVal('--loads', 3));
const onlyIdx = args.indexOf('--only');
const PROFILE = args.includes('--profile');
const ONLY = new Set(onlyIdx >= 0 ? args[onlyIdx + 1].split(',') : ['load', 'resync', 'burst']);
const W = 1920;
const H = 1080;
const COUNT = 100_000;
const BURST = 10_000;
const SETTLE_MS = 2_000;
const OUT = path.join(ROOT, 'target', 'bench', 'blocks.json');
const log = (...a) => console.error('[bench:blocks]', ...a);

/** Observers installed before the app's first script: every block and the app's measures. */
const OBSERVE = `
window.__blocks = [];
window.__measures = [];
const keep = (list) => (entries) => { for (const e of entries.getEntries()) list.push(e); };
try {
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) window.__blocks.push({ type: 'longtask', start: e.startTime, duration: e.duration,
      attribution: (e.attribution || []).map((a) => a.name + ':' + (a.containerType || '')) });
  }).observe({ type: 'longtask', buffered: true });
} catch (e) { window.__blocksError = String(e); }
try {
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) window.__blocks.push({ type: 'frame', start: e.startTime, duration: e.duration,
      blocking: e.blockingDuration, render: e.renderStart ? e.startTime + e.duration - e.renderStart : 0,
      scripts: (e.scripts || []).map((s) => ({ invoker: s.invoker, type: s.invokerType, duration: s.duration,
        fn: s.sourceFunctionName, url: (s.sourceURL || '').split('/').pop() })) });
  }).observe({ type: 'long-animation-frame', buffered: true });
} catch (e) { window.__framesError = String(e); }
try {
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) if (e.name.startsWith('calais:')) window.__measures.push({ name: e.name, start: e.startTime, duration: e.duration });
  }).observe({ type: 'measure', buffered: true });
} catch (e) { window.__measuresError = String(e); }
`;

/** One SSE client: heartbeats every second; `send(text)` writes to every open stream. */
function sseRoute() {
  const clients = new Set();
  let seq = 1;
  const handler = (req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    res.write(': hello\n\n');
    const hb = setInterval(() => res.write(`event: heartbeat\ndata: {"at":"${new Date().toISOString()}"}\n\n`), 1000);
    const c = { res, hb };
    clients.add(c);
    res.on('close', () => {
      clearInterval(hb);
      clients.delete(c);
    });
  };
  return {
    handler,
    get open() {
      return clients.size;
    },
    nextSeq: () => ++seq,
    setSeq(s) {
      seq = s;
    },
    send(text) {
      for (const c of clients) c.res.write(text);
    },
    reset() {
      for (const c of [...clients]) {
        c.res.write('event: reset\ndata: {}\n\n');
        c.res.end();
      }
    },
    closeAll() {
      for (const c of [...clients]) c.res.destroy();
    },
  };
}

const snapshotText = (snap) => JSON.stringify(snap);

/** Blocks and measures since `from` (page ms), grouped as the phase's summary. */
async function collect(page, from, to) {
  const { blocks, measures, errors } = await page.evaluate(() => ({
    blocks: window.__blocks,
    measures: window.__measures,
    errors: [window.__blocksError, window.__framesError, window.__measuresError].filter(Boolean),
  }));
  const inPhase = (b) => b.start >= from && b.start <= to;
  const tasks = blocks.filter((b) => b.type === 'longtask' && inPhase(b)).sort((a, b) => b.duration - a.duration);
  const frames = blocks.filter((b) => b.type === 'frame' && inPhase(b)).sort((a, b) => b.duration - a.duration);
  const ms = measures.filter((m) => m.start + m.duration >= from && m.start <= to);
  // What a block was: the app's measures inside it, longest first.
  const what = (b) =>
    ms
      .filter((m) => m.start >= b.start - 1 && m.start + m.duration <= b.start + b.duration + 1)
      .sort((x, y) => y.duration - x.duration)
      .slice(0, 6)
      .map((m) => `${m.name.slice(7)} ${fmt(m.duration)}`);
  const describe = (b) => ({
    start: b.start,
    duration: b.duration,
    what: what(b),
    scripts: (b.scripts || []).slice(0, 4).map((s) => `${s.invoker} ${fmt(s.duration)}`),
  });
  const byName = {};
  for (const m of ms) {
    const k = m.name.slice(7);
    (byName[k] ||= []).push(m.duration);
  }
  const summary = Object.fromEntries(
    Object.entries(byName).map(([k, v]) => [k, { n: v.length, max: Math.max(...v), total: v.reduce((s, x) => s + x, 0) }]),
  );
  // From the snapshot's body on (its first copy slice, or the first read slice): the blocks
  // the snapshot itself causes, apart from the page's own start (layers, first map frames).
  const firstIngest = ms.filter((m) => /^calais:(copy|read|parse)$/.test(m.name)).reduce((a, m) => Math.min(a, m.start), Infinity);
  const ingestTasks = tasks.filter((b) => b.start + b.duration >= firstIngest);
  return {
    window: { from, to },
    ingestFrom: Number.isFinite(firstIngest) ? firstIngest : null,
    longestIngestTask: ingestTasks[0] ? describe(ingestTasks[0]) : null,
    ingestTasksOver50: ingestTasks.length,
    longestTask: tasks[0] ? describe(tasks[0]) : null,
    longestFrame: frames[0] ? describe(frames[0]) : null,
    tasksOver50: tasks.length,
    framesOver50: frames.length,
    top: tasks.slice(0, 5).map(describe),
    topFrames: frames.slice(0, 5).map(describe),
    measures: summary,
    errors,
  };
}

const now = (page) => page.evaluate(() => performance.now());

async function waitFor(page, fn, arg, timeout = 120_000) {
  await page.waitForFunction(fn, arg, { timeout, polling: 50 });
}

async function run(browser, dir, sse, server, snaps, results) {
  const ctx = await browser.newContext({ viewport: { width: W, height: H }, deviceScaleFactor: 1 });
  try {
    const app = await openApp({ server }, ctx, { allowConsoleErrors: true, initScripts: [OBSERVE], waitReady: false });
    const { page } = app;
    const profiling = PROFILE ? await startProfile(ctx, page) : null;
    const out = {};
    await waitFor(page, (n) => window.calaisMap?.incidents?.().count >= n, COUNT);
    const loadedAt = await now(page);
    await page.waitForTimeout(SETTLE_MS);
    const stats1 = await page.evaluate(() => window.calaisMap.feedStats());
    out.load = { ...(await collect(page, 0, loadedAt + SETTLE_MS)), heldAt: loadedAt, snapshotMs: stats1.snapshotMs };
    log(`load: 100k held at ${fmt(loadedAt, 0)} ms; snapshotMs ${fmt(stats1.snapshotMs)}; longest task ${fmt(out.load.longestTask?.duration)} ms ${JSON.stringify(out.load.longestTask?.what)}; longest frame ${fmt(out.load.longestFrame?.duration)} ms`);

    if (ONLY.has('resync') || ONLY.has('burst')) {
      await waitFor(page, () => window.calaisMap.feedStats().status === 'live', null, 30_000);
    }
    if (ONLY.has('resync')) {
      snaps.current = snaps.resync;
      const v0 = await page.evaluate(() => window.calaisMap.incidents().version);
      const t0 = await now(page);
      sse.reset();
      await waitFor(page, () => window.calaisMap.feedStats().snapshots >= 2, null);
      await waitFor(page, (v) => window.calaisMap.incidents().version > v, v0);
      const appliedAt = await now(page);
      await page.waitForTimeout(SETTLE_MS);
      const stats2 = await page.evaluate(() => window.calaisMap.feedStats());
      out.resync = { ...(await collect(page, t0, appliedAt + SETTLE_MS)), appliedAfter: appliedAt - t0, snapshotMs: stats2.snapshotMs };
      log(`resync: applied ${fmt(appliedAt - t0, 0)} ms after the reset; snapshotMs ${fmt(stats2.snapshotMs)}; longest task ${fmt(out.resync.longestTask?.duration)} ms ${JSON.stringify(out.resync.longestTask?.what)}; longest frame ${fmt(out.resync.longestFrame?.duration)} ms`);
      await waitFor(page, () => window.calaisMap.feedStats().status === 'live', null, 30_000);
    }
    if (ONLY.has('burst')) {
      await waitFor(page, () => window.calaisMap.feedStats().status === 'live', null, 30_000);
      const e0 = await page.evaluate(() => window.calaisMap.feedStats().events);
      const t0 = await now(page);
      const base = Date.now();
      // 10,000 events in one second: 20 writes of 500, every 50 ms.
      for (let w = 0; w < 20; w++) {
        let text = '';
        for (let k = 0; k < BURST / 20; k++) {
          const i = w * (BURST / 20) + k;
          const f = i % 2 === 0 ? snaps.resync.features[(i * 7) % COUNT] : null;
          const at = new Date(base + 120_000 + i).toISOString();
          const feature = f
            ? { ...f, properties: { ...f.properties, updated_at: at, status: 'open' } }
            : {
                type: 'Feature',
                id: `burst-${i}`,
                geometry: { type: 'Point', coordinates: [1.7 + (i % 100) * 0.004, 50.9 + Math.floor(i / 100) * 0.002] },
                properties: { kind: 'small_boat', severity: 3, status: 'open', reported_at: at, updated_at: at, description: 'burst' },
              };
          text += `event: incident\nid: ${sse.nextSeq()}\ndata: ${JSON.stringify(feature)}\n\n`;
        }
        sse.send(text);
        await new Promise((r) => setTimeout(r, 50));
      }
      const sentAt = await now(page);
      await waitFor(page, (n) => window.calaisMap.feedStats().events >= n, e0 + BURST, 60_000);
      const doneAt = await now(page);
      await page.waitForTimeout(SETTLE_MS);
      out.burst = { ...(await collect(page, t0, doneAt + SETTLE_MS)), sentIn: sentAt - t0, countedAfter: doneAt - t0 };
      log(`burst: sent in ${fmt(sentAt - t0, 0)} ms, all counted ${fmt(doneAt - t0, 0)} ms after the first; longest task ${fmt(out.burst.longestTask?.duration)} ms; longest frame ${fmt(out.burst.longestFrame?.duration)} ms ${JSON.stringify(out.burst.longestFrame?.what)}`);
    }
    if (profiling) {
      const prof = await profiling.stop();
      fs.mkdirSync(path.dirname(OUT), { recursive: true });
      fs.writeFileSync(path.join(path.dirname(OUT), `blocks-${results.runs.length + 1}.cpuprofile`), JSON.stringify({ ...prof.profile, offsetMs: prof.offsetMs }));
      out.measuresAll = await page.evaluate(() => window.__measures);
      for (const phase of Object.values(out)) {
        for (const b of [...(phase.top || []), ...(phase.topFrames || [])]) b.hot = hotIn(prof, b.start, b.duration);
      }
    }
    out.health = { pageErrors: app.pageErrors, consoleErrors: app.consoleErrors.slice(0, 5) };
    results.runs.push(out);
  } finally {
    sse.closeAll();
    await ctx.close();
  }
}

async function main() {
  const results = {
    date: new Date().toISOString(),
    viewport: { width: W, height: H, dpr: 1 },
    chromium: (() => {
      try {
        return execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).trim();
      } catch {
        return null;
      }
    })(),
    dist: process.env.CALAIS_DIST || 'dist',
    runs: [],
  };
  const dir = prepareDist({
    incidents: { snapshot_url: '/api/blocks/snapshot', stream_url: '/api/blocks/stream', retention_s: 86_400, stale_after_s: 30 },
  });
  const t = Date.now();
  const first = makeSnapshot({ count: COUNT, now: t });
  const resync = makeSnapshot({ count: COUNT, now: t + 60_000 });
  resync.cursor = '500000';
  const snaps = { first, resync, current: first, text: new Map() };
  const textOf = (s) => {
    if (!snaps.text.has(s)) snaps.text.set(s, Buffer.from(snapshotText(s)));
    return snaps.text.get(s);
  };
  log(`snapshots: ${COUNT} incidents, ${fmt(textOf(first).length / 1048576, 1)} MB`);
  const server = await startServer({ distDir: dir });
  const sse = sseRoute();
  server.respondWith('/api/blocks/stream', sse.handler);
  server.respondWith('/api/blocks/snapshot', (req, res) => {
    const body = textOf(snaps.current);
    if (snaps.current === snaps.resync) sse.setSeq(500000);
    res.writeHead(200, { 'Content-Type': 'application/geo+json', 'Content-Length': body.length, 'Cache-Control': 'no-store' });
    res.end(body);
  });
  const b = await launchBrowser();
  try {
    for (let i = 0; i < LOADS; i++) {
      snaps.current = first;
      sse.setSeq(1);
      log(`run ${i + 1}/${LOADS}`);
      await run(b.browser, dir, sse, server, snaps, results);
    }
  } finally {
    await b.close();
    await server.close();
  }
  const phases = ['load', 'resync', 'burst'].filter((p) => ONLY.has(p));
  const lines = [`Main-thread blocks, ${W}x${H} dpr 1, ${results.chromium}; ${LOADS} page loads (${results.dist})`, ''];
  lines.push('| phase | longest task (median of runs) | runs | from the snapshot body on (runs) | longest frame (median) | tasks > 50 ms (median) | what the longest task was (last run) |');
  lines.push('| --- | --- | --- | --- | --- | --- | --- |');
  results.summary = {};
  for (const p of phases) {
    const rs = results.runs.map((r) => r[p]).filter(Boolean);
    const task = rs.map((r) => r.longestTask?.duration ?? 0);
    const frame = rs.map((r) => r.longestFrame?.duration ?? 0);
    const n = rs.map((r) => r.tasksOver50);
    const ingest = rs.map((r) => (r.ingestFrom === null ? NaN : r.longestIngestTask?.duration ?? 0));
    results.summary[p] = { longestTask: median(task), longestTaskRuns: task, longestIngestTaskRuns: ingest, longestFrame: median(frame), longestFrameRuns: frame, tasksOver50: median(n) };
    const last = rs.at(-1)?.longestTask;
    const lastIngest = rs.at(-1)?.longestIngestTask;
    const said = (b) => (b ? b.what.join('; ') || b.scripts.join('; ') || '—' : '—');
    lines.push(`| ${p} | ${fmt(median(task))} ms | ${task.map((x) => fmt(x)).join(', ')} | ${ingest.map((x) => fmt(x)).join(', ')}${lastIngest ? ` (${said(lastIngest)})` : ''} | ${fmt(median(frame))} ms | ${median(n)} | ${said(last)} |`);
  }
  const sm = results.runs.map((r) => r.load?.snapshotMs).filter(Number.isFinite);
  if (sm.length) lines.push('', `snapshotMs (time to the full picture's store, load): ${sm.map((x) => fmt(x)).join(', ')} ms; held after navigation: ${results.runs.map((r) => fmt(r.load?.heldAt, 0)).join(', ')} ms`);
  const rm = results.runs.map((r) => r.resync?.appliedAfter).filter(Number.isFinite);
  if (rm.length) lines.push(`resync applied after the reset: ${rm.map((x) => fmt(x, 0)).join(', ')} ms`);
  const bm = results.runs.map((r) => r.burst?.countedAfter).filter(Number.isFinite);
  if (bm.length) lines.push(`burst: all 10,000 counted after ${bm.map((x) => fmt(x, 0)).join(', ')} ms`);
  console.log(lines.join('\n'));
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, JSON.stringify(results, null, 2) + '\n');
  log(`wrote ${path.relative(ROOT, OUT)}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
