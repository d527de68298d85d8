// Shared end-to-end test harness: a dependency-free static HTTP server for dist/ and
// tests/fixtures/, a Chromium launcher (playwright-core + Debian chromium), an `openApp`
// helper that waits for the map to be ready and records console errors, page errors and
// panics, and pixel helpers that read the map canvas with getImageData inside the page.
//
// Used by tests/e2e/*.test.mjs (node --test) and by bench/render.mjs.

import http from 'node:http';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { before, after } from 'node:test';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// CALAIS_DIST overrides the served build (e.g. to try the harness on a stand-in page).
export const DIST = process.env.CALAIS_DIST ? path.resolve(process.env.CALAIS_DIST) : path.join(ROOT, 'dist');
export const FIXTURES = path.join(ROOT, 'tests', 'fixtures');
export const PUBLIC = path.join(ROOT, 'public');
export const SCREENSHOTS = path.join(ROOT, 'target', 'e2e-screenshots');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Generous timeouts: software rendering on 2 cores. */
export const READY_TIMEOUT = 90_000;
export const TEST_TIMEOUT = 240_000;

export const CONTENT_TYPES = {
  '.wasm': 'application/wasm',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.geojson': 'application/geo+json',
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json',
};

// ---------------------------------------------------------------------------------------
// Static server
// ---------------------------------------------------------------------------------------

/**
 * Starts a static server on 127.0.0.1 with a random free port.
 *   `/fixtures/<p>` → fixturesDir/<p>, everything else → distDir (`/` → index.html).
 * Any missing file answers 404. `server.respond(urlPath, status, body?, headers?)` makes a
 * URL path answer with a fixed status (e.g. 500) whether or not the file exists;
 * `server.clearResponses()` removes those. `server.requests` logs every request
 * ({method, path, status}). Every answer has Cache-Control: no-store.
 */
export async function startServer({ distDir = DIST, fixturesDir = FIXTURES } = {}) {
  const overrides = new Map();
  const requests = [];

  const srv = http.createServer(async (req, res) => {
    let status = 500;
    let urlPath = '/';
    try {
      urlPath = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      const ov = overrides.get(urlPath);
      if (ov) {
        status = ov.status;
        if (ov.delayMs) await new Promise((r) => setTimeout(r, ov.delayMs));
        res.writeHead(ov.status, {
          'Content-Type': 'text/plain; charset=utf-8',
          'Cache-Control': 'no-store',
          ...(ov.headers || {}),
        });
        res.end(ov.body ?? `HTTP ${ov.status}`);
        return;
      }
      let base = distDir;
      let rel = urlPath;
      if (urlPath === '/fixtures' || urlPath.startsWith('/fixtures/')) {
        base = fixturesDir;
        rel = urlPath.slice('/fixtures'.length);
      }
      let file = path.resolve(base, '.' + (rel.startsWith('/') ? rel : '/' + rel));
      if (file !== base && !file.startsWith(base + path.sep)) {
        status = 403;
        res.writeHead(403, { 'Content-Type': 'text/plain' });
        res.end('forbidden');
        return;
      }
      let st = await fsp.stat(file).catch(() => null);
      if (st && st.isDirectory()) {
        file = path.join(file, 'index.html');
        st = await fsp.stat(file).catch(() => null);
      }
      if (!st || !st.isFile()) {
        status = 404;
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
        res.end(`404 Not Found: ${urlPath}`);
        return;
      }
      const type = CONTENT_TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
      const body = await fsp.readFile(file);
      status = 200;
      res.writeHead(200, {
        'Content-Type': type,
        'Content-Length': body.length,
        'Cache-Control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (e) {
      status = 500;
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(String(e));
    } finally {
      requests.push({ method: req.method, path: urlPath, status });
    }
  });
  await new Promise((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', resolve);
  });
  const { port } = srv.address();
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    port,
    requests,
    url: (p = '/') => origin + (p.startsWith('/') ? p : '/' + p),
    respond(urlPath, status, body, headers) {
      overrides.set(urlPath, { status, body, headers });
    },
    clearResponses() {
      overrides.clear();
    },
    close: () =>
      new Promise((resolve) => {
        srv.closeAllConnections?.();
        srv.close(() => resolve());
      }),
  };
}

/** Fails early with a clear message when the release build is missing. */
export function assertDistBuilt() {
  const index = path.join(DIST, 'index.html');
  if (!fs.existsSync(index)) {
    throw new Error(`${index} is missing: build the app first (trunk build --release, or make build)`);
  }
  const files = fs.readdirSync(DIST);
  if (!files.some((f) => f.endsWith('.wasm'))) {
    throw new Error(`no .wasm in ${DIST}: the release build is incomplete`);
  }
}

// ---------------------------------------------------------------------------------------
// Browser
// ---------------------------------------------------------------------------------------

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

async function waitForChromium(timeoutMs = 15 * 60_000) {
  const t0 = Date.now();
  let warned = false;
  while (!fs.existsSync(CHROMIUM)) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`${CHROMIUM} not found (scripts/ensure-tools.sh test installs it)`);
    if (!warned) {
      console.error(`[harness] waiting for ${CHROMIUM} to be installed…`);
      warned = true;
    }
    await new Promise((r) => setTimeout(r, 5000));
  }
}

/**
 * Launches Debian chromium. playwright-core's `launch` always starts Chromium with a fresh
 * user data dir of its own (an mkdtemp dir, removed on close; passing --user-data-dir to
 * launch() is refused), so every launch starts from a clean profile, and contexts made with
 * newContext are isolated from each other (own cache, storage, viewport, deviceScaleFactor).
 * Returns { browser, newContext(opts), close() }.
 */
export async function launchBrowser() {
  await waitForChromium();
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 120_000,
  });
  return {
    browser,
    newContext: (opts = {}) =>
      browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, ...opts }),
    async close() {
      await browser.close().catch(() => {});
    },
  };
}

/**
 * The shared server + browser of one test file: registers `before`/`after` hooks that set it
 * up and close it, and returns a handle that forwards to it once it exists.
 */
export function sharedEnv(opts) {
  let env;
  before(async () => {
    env = await setup(opts);
  });
  after(async () => {
    await env?.close();
  });
  return new Proxy({}, {
    get(_, key) {
      if (!env) throw new Error(`test env used before setup (${String(key)})`);
      const v = env[key];
      return typeof v === 'function' ? v.bind(env) : v;
    },
  });
}

/**
 * One server + one browser for a test file. Call in `before`, close in `after`.
 */
export async function setup({ requireDist = true } = {}) {
  if (requireDist) assertDistBuilt();
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const server = await startServer();
  const b = await launchBrowser();
  return {
    server,
    browser: b.browser,
    newContext: b.newContext,
    async close() {
      await b.close();
      await server.close();
    },
  };
}

// ---------------------------------------------------------------------------------------
// App
// ---------------------------------------------------------------------------------------

export const CANVAS = '[data-testid="map-canvas"]';
export const tid = (id) => `[data-testid="${id}"]`;

/** Console messages that are expected when a test deliberately serves a failing URL. */
export const RESOURCE_ERROR = /Failed to load resource|status of (404|500|502)/i;

/**
 * Opens the app in a new page of `context` and waits until the map canvas has
 * data-ready="true" and window.calaisMap exists. Options:
 *   config: config URL (passed as ?config=…), perf: add ?perf, query: extra query string,
 *   allowResourceErrors: failed resource loads (404/500) are expected console errors;
 *   allowConsoleErrors: no console error fails assertHealthy (page errors and panics still do);
 *   initScripts: extra scripts to run in the page before the app (page.addInitScript).
 * Returns an `app` object: { page, url, consoleErrors, pageErrors, assertHealthy(), close() }.
 */
export async function openApp(env, context, opts = {}) {
  const { config, perf = false, query = '', waitReady = true, allowResourceErrors = false, allowConsoleErrors = false, initScripts = [] } = opts;
  const params = [];
  if (config) params.push('config=' + encodeURIComponent(config));
  if (perf) params.push('perf');
  if (query) params.push(query.replace(/^[?&]/, ''));
  const url = env.server.url('/' + (params.length ? '?' + params.join('&') : ''));

  const page = await context.newPage();
  await page.addInitScript(FRAME_HELPERS);
  for (const script of initScripts) await page.addInitScript(script);
  const consoleErrors = [];
  const pageErrors = [];
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const loc = msg.location();
    consoleErrors.push(msg.text() + (loc && loc.url && RESOURCE_ERROR.test(msg.text()) ? ` [${loc.url}]` : ''));
  });
  page.on('pageerror', (err) => pageErrors.push(String(err && (err.stack || err.message || err))));
  page.on('crash', () => pageErrors.push('page crashed'));

  const app = {
    page,
    url,
    consoleErrors,
    pageErrors,
    /** Console errors that are not expected resource-load failures. */
    unexpectedConsoleErrors() {
      if (allowConsoleErrors) return [];
      return consoleErrors.filter((t) => !(allowResourceErrors && RESOURCE_ERROR.test(t)));
    },
    /** Fails on page errors, panics (panic-message), and unexpected console errors. */
    async assertHealthy(what = 'app') {
      const panic = await page
        .locator(tid('panic-message'))
        .first()
        .textContent({ timeout: 500 })
        .catch(() => null);
      assert.equal(panic, null, `${what}: panic-message shown: ${panic}`);
      assert.deepEqual(pageErrors, [], `${what}: page errors`);
      assert.deepEqual(app.unexpectedConsoleErrors(), [], `${what}: console errors`);
    },
    async close() {
      await page.close().catch(() => {});
    },
  };

  await page.goto(url, { waitUntil: 'load', timeout: READY_TIMEOUT });
  if (waitReady) await waitForReady(app);
  return app;
}

/** Waits for data-ready="true" on the canvas and window.calaisMap; fails fast on a panic. */
export async function waitForReady(app, timeout = READY_TIMEOUT) {
  const { page } = app;
  try {
    await page.waitForFunction(
      ({ CANVAS }) => {
        if (document.querySelector('[data-testid="panic-message"]')) return 'panic';
        const c = document.querySelector(CANVAS);
        return !!(c && c.getAttribute('data-ready') === 'true' && window.calaisMap) && 'ready';
      },
      { CANVAS },
      { timeout, polling: 100 },
    );
  } catch (e) {
    throw new Error(`map never became ready: ${await describePage(app)}\n${e.message}`);
  }
  const panic = await page.locator(tid('panic-message')).count();
  if (panic) {
    const text = await page.locator(tid('panic-message')).first().textContent();
    throw new Error(`app panicked: ${text}\npage errors: ${app.pageErrors.join('\n')}`);
  }
}

/** A short description of the page state for failure messages. */
export async function describePage(app) {
  const { page } = app;
  const facts = await page
    .evaluate((CANVAS) => {
      const c = document.querySelector(CANVAS);
      const ids = [...document.querySelectorAll('[data-testid]')].map((e) => e.getAttribute('data-testid'));
      return {
        canvas: c
          ? {
              ready: c.getAttribute('data-ready'),
              frames: c.getAttribute('data-frames'),
              width: c.width,
              height: c.height,
            }
          : null,
        calaisMap: typeof window.calaisMap,
        testids: [...new Set(ids)],
        panic: document.querySelector('[data-testid="panic-message"]')?.textContent ?? null,
        banners: [...document.querySelectorAll('[data-testid="error-banner"]')].map((b) => b.textContent),
        body: document.body ? document.body.innerText.slice(0, 400) : null,
      };
    }, CANVAS)
    .catch((e) => ({ evaluateFailed: String(e) }));
  return JSON.stringify({
    url: app.url,
    ...facts,
    pageErrors: app.pageErrors,
    consoleErrors: app.consoleErrors.slice(0, 10),
  });
}

/**
 * In-page helpers (installed before the app starts) to tell which frames are new. They use
 * data-frames (the count of frames drawn) and, should that count stop growing (e.g. if it were
 * capped at the 500 entries that calaisMap.frames() keeps), the tail of calaisMap.frames().
 */
export const FRAME_HELPERS = `
window.__e2eFrames = {
  key(f) { return f.kind + ':' + f.ms; },
  list() { try { return (window.calaisMap && window.calaisMap.frames()) || []; } catch (e) { return []; } },
  mark() {
    const c = document.querySelector('[data-testid="map-canvas"]');
    const fr = this.list();
    return { n: Number((c && c.getAttribute('data-frames')) || 0), tail: fr.slice(-6).map(this.key), len: fr.length };
  },
  since(mark) {
    const now = this.mark();
    const fr = this.list();
    if (now.n > mark.n && now.n - mark.n <= fr.length) return fr.slice(fr.length - (now.n - mark.n));
    if (!mark.tail.length) return fr;
    const t = mark.tail.join(',');
    for (let i = fr.length; i >= mark.tail.length; i--) {
      if (fr.slice(i - mark.tail.length, i).map(this.key).join(',') === t) return fr.slice(i);
    }
    return now.n > mark.n ? fr : [];
  },
  sig() { const m = this.mark(); return m.n + '|' + m.len + '|' + m.tail.join(','); },
};`;

/** An opaque mark of the frames drawn so far; pass it to waitForNewFrame / framesSince. */
export async function frameCount(page) {
  return page.evaluate(() => window.__e2eFrames.mark());
}

/** Frames ({kind, ms}) drawn after `mark` (from frameCount). */
export async function framesSince(page, mark) {
  return page.evaluate((mark) => window.__e2eFrames.since(mark), mark);
}

/**
 * Waits until at least one new frame was drawn after `mark` (from frameCount) and then no
 * new frame for `quietMs` (the map has settled).
 */
export async function waitForNewFrame(page, mark, { quietMs = 400, timeout = 30_000 } = {}) {
  await page.waitForFunction((mark) => window.__e2eFrames.since(mark).length > 0, mark, { timeout, polling: 50 });
  return waitForSettled(page, { quietMs, timeout });
}

/** Waits until no frame has been drawn for quietMs. */
export async function waitForSettled(page, { quietMs = 400, timeout = 30_000 } = {}) {
  return page.evaluate(
    async ({ quietMs, timeout }) => {
      const t0 = performance.now();
      let last = window.__e2eFrames.sig();
      let since = performance.now();
      while (performance.now() - t0 < timeout) {
        await new Promise((r) => setTimeout(r, 50));
        const now = window.__e2eFrames.sig();
        if (now !== last) {
          last = now;
          since = performance.now();
        } else if (performance.now() - since >= quietMs) {
          // one more animation frame so that the last draw is on the canvas
          await new Promise((r) => requestAnimationFrame(() => r()));
          return true;
        }
      }
      throw new Error('map did not settle: frames kept changing');
    },
    { quietMs, timeout },
  );
}

/** Sets the view through the test hook and waits for the resulting frame(s). */
export async function setView(page, lon, lat, zoom) {
  const before = await frameCount(page);
  await page.evaluate(([lon, lat, zoom]) => window.calaisMap.setView(lon, lat, zoom), [lon, lat, zoom]);
  await waitForNewFrame(page, before);
}

export async function view(page) {
  return page.evaluate(() => window.calaisMap.view());
}

/** project(lon, lat) → [x, y] CSS px relative to the canvas. */
export async function project(page, lon, lat) {
  return page.evaluate(([lon, lat]) => window.calaisMap.project(lon, lat), [lon, lat]);
}

/** project(lon, lat) → page (viewport) CSS px, for page.mouse. */
export async function projectToPage(page, lon, lat) {
  const [x, y] = await project(page, lon, lat);
  const box = await page.locator(CANVAS).boundingBox();
  return [box.x + x, box.y + y];
}

export async function canvasBox(page) {
  return page.locator(CANVAS).boundingBox();
}

// ---------------------------------------------------------------------------------------
// Pixels (read in the page with getImageData; the canvas is same-origin)
// ---------------------------------------------------------------------------------------

/**
 * Reads the RGBA at CSS points [[x, y], …] (relative to the canvas). For each point returns
 * the most frequent colour in a (2r+1)² device-pixel square around it (robust against
 * anti-aliasing and thin overlays) as [r, g, b, a], or null when outside the canvas.
 */
export async function sampleColours(page, points, r = 2) {
  return page.evaluate(
    ({ CANVAS, points, r }) => {
      const c = document.querySelector(CANVAS);
      const ctx = c.getContext('2d');
      const sx = c.width / c.clientWidth;
      const sy = c.height / c.clientHeight;
      return points.map(([x, y]) => {
        const px = Math.round(x * sx);
        const py = Math.round(y * sy);
        if (px - r < 0 || py - r < 0 || px + r >= c.width || py + r >= c.height) return null;
        const d = ctx.getImageData(px - r, py - r, 2 * r + 1, 2 * r + 1).data;
        const counts = new Map();
        for (let i = 0; i < d.length; i += 4) {
          const k = (d[i] << 24) | (d[i + 1] << 16) | (d[i + 2] << 8) | d[i + 3];
          counts.set(k, (counts.get(k) || 0) + 1);
        }
        let best = 0;
        let bestN = -1;
        for (const [k, n] of counts) if (n > bestN) [best, bestN] = [k, n];
        return [(best >>> 24) & 255, (best >>> 16) & 255, (best >>> 8) & 255, best & 255];
      });
    },
    { CANVAS, points, r },
  );
}

/**
 * FNV-1a hash of the canvas pixels in the CSS rect {x, y, width, height} (whole canvas
 * when omitted). Also returns the raw bytes' length and the number of distinct colours.
 */
export async function hashRegion(page, rect) {
  return page.evaluate(
    ({ CANVAS, rect }) => {
      const c = document.querySelector(CANVAS);
      const ctx = c.getContext('2d');
      const sx = c.width / c.clientWidth;
      const sy = c.height / c.clientHeight;
      const r = rect
        ? {
            x: Math.max(0, Math.round(rect.x * sx)),
            y: Math.max(0, Math.round(rect.y * sy)),
            w: Math.round(rect.width * sx),
            h: Math.round(rect.height * sy),
          }
        : { x: 0, y: 0, w: c.width, h: c.height };
      r.w = Math.min(r.w, c.width - r.x);
      r.h = Math.min(r.h, c.height - r.y);
      const d = ctx.getImageData(r.x, r.y, r.w, r.h).data;
      let h = 0x811c9dc5;
      const colours = new Set();
      for (let i = 0; i < d.length; i++) {
        h ^= d[i];
        h = Math.imul(h, 0x01000193) >>> 0;
      }
      for (let i = 0; i < d.length; i += 64) colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
      window.__lastRegion = d; // kept for pixelDiff
      return { hash: h.toString(16), bytes: d.length, colours: colours.size, rect: r };
    },
    { CANVAS, rect },
  );
}

/** Number of pixels that differ between two region reads (same rect) taken in the page. */
export async function snapshotRegion(page, name, rect) {
  await hashRegion(page, rect);
  await page.evaluate((name) => {
    (window.__regions ||= {})[name] = window.__lastRegion;
  }, name);
}
export async function diffRegions(page, a, b) {
  return page.evaluate(
    ([a, b]) => {
      const A = window.__regions[a];
      const B = window.__regions[b];
      if (!A || !B || A.length !== B.length) return -1;
      let n = 0;
      for (let i = 0; i < A.length; i += 4) {
        if (A[i] !== B[i] || A[i + 1] !== B[i + 1] || A[i + 2] !== B[i + 2] || A[i + 3] !== B[i + 3]) n++;
      }
      return n;
    },
    [a, b],
  );
}

export const colourKey = (c) => (c ? `rgb(${c[0]},${c[1]},${c[2]})` : 'none');
export const colourDist = (a, b) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

/** Saves a screenshot under target/e2e-screenshots/<name>.png; returns the path. */
export async function screenshot(page, name, opts = {}) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, timeout: 60_000, ...opts });
  return file;
}

// ---------------------------------------------------------------------------------------
// Data helpers (node side)
// ---------------------------------------------------------------------------------------

export async function fetchJson(server, urlPath) {
  const res = await fetch(server.url(urlPath));
  assert.equal(res.status, 200, `GET ${urlPath}`);
  return res.json();
}

/** Parses a scale-bar label like "2 km", "500 m", "1.5 km" into metres. */
export function parseDistance(label) {
  const m = String(label).trim().match(/([\d.,]+)\s*(km|m)\b/i);
  if (!m) throw new Error(`cannot parse scale-bar label ${JSON.stringify(label)}`);
  const v = Number(m[1].replace(',', '.'));
  return m[2].toLowerCase() === 'km' ? v * 1000 : v;
}

/** Parses "50.96600° N, 1.86500° E" into {lat, lon}. */
export function parseCoords(text) {
  const m = String(text).match(/(-?[\d.]+)\s*°\s*([NS])\s*,\s*(-?[\d.]+)\s*°\s*([EW])/);
  if (!m) throw new Error(`cannot parse coordinate readout ${JSON.stringify(text)}`);
  const lat = Number(m[1]) * (m[2] === 'S' ? -1 : 1);
  const lon = Number(m[3]) * (m[4] === 'W' ? -1 : 1);
  return { lat, lon };
}

/** Ray-casting point-in-ring test ([lon, lat] coordinates). */
function inRing(pt, ring) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > pt[1] !== yj > pt[1] && pt[0] < ((xj - xi) * (pt[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
function inPolygon(pt, rings) {
  if (!rings.length || !inRing(pt, rings[0])) return false;
  for (let k = 1; k < rings.length; k++) if (inRing(pt, rings[k])) return false;
  return true;
}
/** Polygons (arrays of rings) of every Polygon/MultiPolygon feature in a FeatureCollection. */
export function polygonsOf(fc, filter = () => true) {
  const out = [];
  for (const f of fc.features || []) {
    const g = f && f.geometry;
    if (!g || !filter(f)) continue;
    if (g.type === 'Polygon') out.push(g.coordinates);
    else if (g.type === 'MultiPolygon') out.push(...g.coordinates);
  }
  return out;
}
export function inAnyPolygon(pt, polys) {
  return polys.some((p) => inPolygon(pt, p));
}
/** Distance in degrees (lon scaled by cos(lat)) from pt to the nearest polygon edge. */
export function distanceToEdges(pt, polys) {
  const k = Math.cos((pt[1] * Math.PI) / 180);
  let best = Infinity;
  for (const rings of polys)
    for (const ring of rings)
      for (let i = 1; i < ring.length; i++) {
        const ax = ring[i - 1][0] * k, ay = ring[i - 1][1];
        const bx = ring[i][0] * k, by = ring[i][1];
        const px = pt[0] * k, py = pt[1];
        const dx = bx - ax, dy = by - ay;
        const l2 = dx * dx + dy * dy;
        const t = l2 ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / l2)) : 0;
        best = Math.min(best, Math.hypot(px - (ax + t * dx), py - (ay + t * dy)));
      }
  return best;
}

/**
 * Waits until a frame of `kind` ("full", "gesture", "compose") was drawn after `mark`
 * (from frameCount). Returns the new frames ({kind, ms}) drawn since then.
 */
export async function waitForFrameKind(page, mark, kind, { timeout = 60_000 } = {}) {
  const handle = await page.waitForFunction(
    ({ mark, kind }) => {
      const fresh = window.__e2eFrames.since(mark);
      return fresh.some((f) => f.kind === kind) && fresh;
    },
    { mark, kind },
    { timeout, polling: 50 },
  );
  return handle.jsonValue();
}

/** Calls calaisMap.reloadLayers() (awaiting it if it returns a promise) and waits for a full frame. */
export async function reloadLayers(page) {
  const since = await frameCount(page);
  await page.evaluate(async () => {
    await window.calaisMap.reloadLayers();
  });
  const fresh = await waitForFrameKind(page, since, 'full');
  await waitForSettled(page);
  return fresh;
}

const metres = (a, b) => {
  const k = Math.cos((a[1] * Math.PI) / 180);
  return Math.hypot((a[0] - b[0]) * k, a[1] - b[1]) * 111_320;
};

/**
 * The demo camera (public/data/cameras.geojson, fetched from the server) farthest from every
 * other camera and port, so that a click on it cannot hit another feature.
 */
export async function isolatedCamera(server) {
  const cams = await fetchJson(server, '/public/data/cameras.geojson');
  const ports = await fetchJson(server, '/public/data/ports.geojson').catch(() => ({ features: [] }));
  const points = (fc) => fc.features.filter((f) => f?.geometry?.type === 'Point').map((f) => f.geometry.coordinates);
  const others = [...points(cams), ...points(ports)];
  let best = null;
  for (const f of cams.features) {
    if (f?.geometry?.type !== 'Point' || typeof f.properties?.name !== 'string') continue;
    const c = f.geometry.coordinates;
    const d = Math.min(...others.filter((o) => o[0] !== c[0] || o[1] !== c[1]).map((o) => metres(c, o)));
    if (!best || d > best.d) best = { f, d };
  }
  assert.ok(best, 'demo cameras.geojson has a named Point camera');
  return best.f;
}
