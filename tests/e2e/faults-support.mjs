// The fault-injection tests' shared part (issue 15 item 4): a demo server started with
// `--faults` (docs/api.md "Fault injection"), its control endpoint, the page's main-thread
// blocks (PerformanceObserver 'longtask' and 'long-animation-frame' entries collected from
// before the app starts), what the page shows about the feed in English and French, the
// comparison of the page's incidents with the server's snapshot, and the figures file
// (target/e2e-faults.json) that README "Faults" is made from.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  startDemoServer, prepareDist, launchBrowser, openApp, tid, ROOT, OUTAGE_ERRORS, RESOURCE_ERROR,
} from './harness.mjs';

export const STALE_AFTER_S = 5;
export const RETENTION_S = 600;
export const HEARTBEAT_MS = 1000;
/** Recovery after a fault is cleared must happen within this (ms): generous, not a figure. */
export const RECOVERY_LIMIT_MS = 30_000;
export const FIGURES = path.join(ROOT, 'target', 'e2e-faults.json');

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Waits until `pred()` (async) is truthy; returns its value. */
export async function until(pred, { timeout, interval = 100, what }) {
  const t0 = Date.now();
  for (;;) {
    const v = await pred();
    if (v) return v;
    if (Date.now() - t0 > timeout) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await sleep(interval);
  }
}

/** Console errors a faulty server makes the browser log (refused, cut, 5xx answers). */
export const FAULT_ERRORS = [
  ...OUTAGE_ERRORS,
  RESOURCE_ERROR,
  /status of 50[03]|ERR_CONTENT_LENGTH_MISMATCH|ERR_INCOMPLETE_CHUNKED_ENCODING|ERR_EMPTY_RESPONSE|ERR_INVALID_CHUNKED_ENCODING/i,
];

/** Collects the page's main-thread blocks from before the app's first script. */
const BLOCKS_SCRIPT = `
  window.__blocks = [];
  for (const type of ['longtask', 'long-animation-frame']) {
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          if (window.__blocks.length < 20000) window.__blocks.push({ type: e.entryType, start: e.startTime, dur: e.duration });
        }
      }).observe({ type, buffered: true });
    } catch (_) { /* not supported: that kind stays empty */ }
  }
`;

/**
 * A demo server with `--faults` (rate 0: the events come from the `burst` command only, so the
 * server's state is still when the page is compared with it), a page on it, and helpers.
 */
export async function faultBench({ viewport = { width: 1600, height: 1000 } } = {}) {
  const dir = prepareDist({ incidents: { stale_after_s: STALE_AFTER_S, retention_s: RETENTION_S } });
  const server = await startDemoServer({ rate: 0, heartbeatMs: HEARTBEAT_MS, staticDir: dir, extraArgs: ['--faults'] });
  const browser = await launchBrowser();
  const ctx = await browser.newContext({ timezoneId: 'Europe/Paris', viewport });
  const app = await openApp({ server }, ctx, { allowedConsoleErrors: FAULT_ERRORS, initScripts: [BLOCKS_SCRIPT] });
  const page = app.page;

  const control = async (method, body) => {
    const r = await fetch(server.url('/__faults'), { method, body: body ? JSON.stringify(body) : undefined });
    const text = await r.text();
    assert.equal(r.status, 200, `${method} /__faults ${JSON.stringify(body ?? '')}: ${text}`);
    return JSON.parse(text);
  };
  const bench = {
    server, browser, ctx, app, page,
    inject: (body) => control('POST', body),
    clear: () => control('DELETE'),
    report: () => control('GET'),
    /** `events` generator events over `withinMs`; resolves once the server has sent them all. */
    async traffic(events, withinMs) {
      await control('POST', { fault: 'burst', events, within_ms: withinMs });
      await until(async () => !(await control('GET')).bursting, { timeout: withinMs + 30_000, what: 'the burst to end' });
    },
    /** The page's clock (performance.now()). */
    mark: () => page.evaluate(() => performance.now()),
    /** The longest 'longtask' and 'long-animation-frame' since `from` (page ms). */
    blocks: (from) =>
      page.evaluate((from) => {
        const after = window.__blocks.filter((b) => b.start + b.dur >= from);
        const max = (type) => Math.max(0, ...after.filter((b) => b.type === type).map((b) => b.dur));
        return { longtaskMs: Math.round(max('longtask')), frameMs: Math.round(max('long-animation-frame')), longtasks: after.filter((b) => b.type === 'longtask').length };
      }, from),
    shown: () => shown(page),
    /** What the strip shows in French (switched there and back). */
    async shownFr() {
      await page.locator(tid('lang-fr')).click();
      await until(async () => (await page.locator(tid('lang-switch')).getAttribute('data-lang')) === 'fr', { timeout: 3000, what: 'French' });
      await sleep(300);
      const fr = await shown(page);
      await page.locator(tid('lang-en')).click();
      await until(async () => (await page.locator(tid('lang-switch')).getAttribute('data-lang')) === 'en', { timeout: 3000, what: 'English' });
      return fr;
    },
    compare: () => compareWithServer(server, page),
    async close() {
      await ctx?.close();
      await browser?.close();
      await server?.kill();
    },
  };
  return bench;
}

/** The feed strip as the operator sees it. */
export function shown(page) {
  return page.evaluate(() => {
    const q = (id) => document.querySelector(`[data-testid="${id}"]`);
    const text = (id) => q(id)?.textContent.trim() ?? null;
    return {
      status: q('feed-status')?.getAttribute('data-status') ?? null,
      text: text('feed-status'),
      problem: text('feed-problem'),
      notice: text('feed-resync-notice'),
      skewRows: document.querySelectorAll('[data-testid="incident-row"][data-clock-skew="true"]').length,
      skewTag: text('incident-row-clock-skew'),
    };
  });
}

/**
 * The page's incidents against the server's snapshot (every field an event changes:
 * updated_at, status, severity, description). Closed incidents older than the page's retention
 * are left out (the client drops them by the contract). Returns counts: `lost` (missing),
 * `outdated` (held in an older version), `doubled` (an id twice), `extraOpen` (open on the page
 * but not on the server), and the ids of each.
 */
export async function compareWithServer(server, page) {
  const snap = await (await fetch(server.url('/api/incidents'))).json();
  const now = Date.now();
  const want = snap.features
    .filter((f) => !(f.properties.status === 'closed' && now - Date.parse(f.properties.updated_at) > RETENTION_S * 1000))
    .map((f) => ({ id: String(f.id), updatedAt: Date.parse(f.properties.updated_at), status: f.properties.status, severity: f.properties.severity, description: f.properties.description }));
  return page.evaluate((want) => {
    const m = window.calaisMap;
    const ids = m.incidentIds();
    const seen = new Set(ids);
    const wanted = new Set(want.map((w) => w.id));
    const lost = [];
    const outdated = [];
    for (const w of want) {
      const g = m.incident(w.id);
      if (!g) lost.push(w.id);
      else if (Date.parse(g.updatedAt) !== w.updatedAt || g.status !== w.status || g.severity !== w.severity || g.description !== w.description) outdated.push(w.id);
    }
    const extraOpen = ids.filter((id) => !wanted.has(id) && m.incident(id)?.status === 'open');
    return {
      server: want.length,
      page: ids.length,
      lost: lost.length,
      outdated: outdated.length,
      doubled: ids.length - seen.size,
      extraOpen: extraOpen.length,
      ids: { lost: lost.slice(0, 10), outdated: outdated.slice(0, 10), extraOpen: extraOpen.slice(0, 10) },
    };
  }, want);
}

export const same = (c) => c.lost === 0 && c.outdated === 0 && c.doubled === 0 && c.extraOpen === 0;

/**
 * One fault, start to end: `inject()` (commands and traffic), wait until the page shows
 * `expect(shown)` (English), read it in French, `during()` more checks, clear, then wait until
 * the page is live with the server's set (`recovered(comparison)`, by default the same ids in the
 * same versions). Returns the figures row.
 */
export async function runFault(t, bench, { name, inject, expect, what, during = async () => {}, holdMs = 0, french = true, recovered = same }) {
  await until(async () => (await bench.shown()).status === 'live', { timeout: 20_000, what: `live before ${name}` });
  try {
    return await faultRun(t, bench, { name, inject, expect, what, during, holdMs, french, recovered });
  } finally {
    // A failed case leaves no fault behind for the next one.
    await bench.clear();
  }
}

async function faultRun(t, bench, { name, inject, expect, what, during, holdMs, french, recovered }) {
  const from = await bench.mark();
  const t0 = Date.now();
  await inject();
  let seen;
  const en = await until(async () => {
    seen = await bench.shown();
    return expect(seen) && seen;
  }, { timeout: 40_000, interval: 100, what: `${name}: ${what}` }).catch((e) => {
    throw new Error(`${e.message}; last shown ${JSON.stringify(seen)}`);
  });
  const shownAfterMs = Date.now() - t0;
  const fr = french ? await bench.shownFr() : null;
  if (holdMs > Date.now() - t0) await sleep(holdMs - (Date.now() - t0));
  const duringReport = await bench.report();
  await during({ en, fr, report: duringReport });
  const clearedAt = Date.now();
  await bench.clear();
  let last;
  try {
    await until(async () => {
      const s = await bench.shown();
      if (s.status !== 'live') return false;
      last = await bench.compare();
      return recovered(last);
    }, { timeout: RECOVERY_LIMIT_MS, interval: 100, what: `${name}: live with the server's incidents after clearing` });
  } catch (e) {
    throw new Error(`${e.message}; last comparison ${JSON.stringify(last)}; shown ${JSON.stringify(await bench.shown())}`);
  }
  const recoveryMs = Date.now() - clearedAt;
  const blocks = await bench.blocks(from);
  const row = {
    fault: name,
    shown_en: [en.text, en.problem, en.notice].filter(Boolean).join(' | '),
    shown_fr: fr ? [fr.text, fr.problem, fr.notice].filter(Boolean).join(' | ') : null,
    shown_after_ms: shownAfterMs,
    incidents: last.server,
    lost: last.lost + last.outdated,
    doubled: last.doubled,
    extra_open: last.extraOpen,
    longest_task_ms: blocks.longtaskMs,
    longest_frame_ms: blocks.frameMs,
    recovery_ms: recoveryMs,
  };
  t.diagnostic(JSON.stringify(row));
  await bench.app.assertHealthy(`after ${name}`);
  return row;
}

/** Adds rows to target/e2e-faults.json (by fault name; other files' rows kept). */
export function writeFigures(rows) {
  let all = [];
  try {
    all = JSON.parse(fs.readFileSync(FIGURES, 'utf8')).faults ?? [];
  } catch { /* first file */ }
  const byName = new Map(all.map((r) => [r.fault, r]));
  for (const r of rows) byName.set(r.fault, r);
  fs.mkdirSync(path.dirname(FIGURES), { recursive: true });
  fs.writeFileSync(FIGURES, JSON.stringify({ written: new Date().toISOString(), faults: [...byName.values()] }, null, 1) + '\n');
}

/** The gaps (ms) between the logged requests whose path matches `re`. */
export function gaps(report, re) {
  const at = report.requests.filter((r) => re.test(r.request)).map((r) => r.at_ms);
  return at.slice(1).map((a, i) => a - at[i]);
}
