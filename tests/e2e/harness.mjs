// Shared end-to-end test harness: a dependency-free static HTTP server for dist/ and
// tests/fixtures/ (optionally proxying /api/ to the demo API server), the demo API server
// (`calais-demo-server`) as a child process, temp copies of the build with a patched config,
// a Chromium launcher (playwright-core + Debian chromium), an `openApp` helper that waits for
// the map to be ready and records console errors, page errors and panics, pixel helpers that
// read the map canvas with getImageData inside the page, and scenario helpers (expected
// incident state of a demo-server scenario).
//
// Used by tests/e2e/*.test.mjs (node --test), bench/render.mjs and bench/incidents.mjs.

import http from 'node:http';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { before, after } from 'node:test';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// CALAIS_DIST overrides the served build (e.g. to try the harness on a stand-in page).
export const DIST = process.env.CALAIS_DIST ? path.resolve(process.env.CALAIS_DIST) : path.join(ROOT, 'dist');
export const FIXTURES = path.join(ROOT, 'tests', 'fixtures');
export const PUBLIC = path.join(ROOT, 'public');
export const SCREENSHOTS = path.join(ROOT, 'target', 'e2e-screenshots');
export const SCENARIOS = path.join(FIXTURES, 'scenarios');
/** The demo server's own scripted scenario (docs/api.md). */
export const BASIC_SCENARIO = path.join(ROOT, 'server', 'scenarios', 'basic.json');
/** The demo API server binary: CALAIS_DEMO_SERVER, else the debug build. */
export const DEMO_SERVER = process.env.CALAIS_DEMO_SERVER
  ? path.resolve(process.env.CALAIS_DEMO_SERVER)
  : path.join(ROOT, 'target', 'debug', 'calais-demo-server');
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
 *   With `apiOrigin` (e.g. a demo server's origin), `/api` and `/api/...` are proxied there
 *   (method, path, query and headers such as Last-Event-ID forwarded; the answer is streamed
 *   back as it comes, so Server-Sent Events work; 502 text when the backend is down).
 *   `server.setApiOrigin(origin|null)` changes the backend later.
 * Any missing file answers 404. `server.respond(urlPath, status, body?, headers?)` makes a
 * URL path answer with a fixed status (e.g. 500) whether or not the file exists (before any
 * proxying); `server.respondWith(urlPath, handler)` hands that path's (req, res) to `handler`
 * instead (a body streamed or never ended, headers of its own: the limits test's huge layers);
 * `server.clearResponses()` removes both. `server.requests` logs every request
 * ({method, path, status}; proxied ones also have `proxied: true` and the query in `query`).
 * Every static answer has Cache-Control: no-store.
 * With `prefix` (e.g. '/map'), everything above is served under that path instead of `/` (the
 * app hosted behind an API at a sub-path): `/map/` → index.html, `/map/api/...` → the API's
 * `/api/...`; any path outside the prefix answers 404 (`url(p)` then names paths under it).
 */
export async function startServer({ distDir = DIST, fixturesDir = FIXTURES, apiOrigin = null, prefix = '' } = {}) {
  const overrides = new Map();
  const requests = [];
  let api = apiOrigin;

  const srv = http.createServer(async (req, res) => {
    let status = 500;
    let urlPath = '/';
    let logged = false;
    try {
      urlPath = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      if (prefix) {
        if (!urlPath.startsWith(prefix + '/')) {
          status = 404;
          res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
          res.end(`404 Not Found: ${urlPath} is outside ${prefix}/`);
          return;
        }
        urlPath = urlPath.slice(prefix.length);
        req.url = req.url.slice(prefix.length);
      }
      const ov = overrides.get(urlPath);
      if (ov && ov.handler) {
        status = 200;
        await ov.handler(req, res);
        return;
      }
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
      if (api && (urlPath === '/api' || urlPath.startsWith('/api/'))) {
        logged = true;
        const entry = { method: req.method, path: urlPath, query: new URL(req.url, 'http://x').search, status: 0, proxied: true };
        requests.push(entry);
        proxyTo(api, req, res, (st) => {
          entry.status = st;
        });
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
      if (!logged) requests.push({ method: req.method, path: urlPath, status });
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
    url: (p = '/') => origin + prefix + (p.startsWith('/') ? p : '/' + p),
    get apiOrigin() {
      return api;
    },
    setApiOrigin(o) {
      api = o || null;
    },
    respond(urlPath, status, body, headers) {
      overrides.set(urlPath, { status, body, headers });
    },
    respondWith(urlPath, handler) {
      overrides.set(urlPath, { handler });
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

const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer'];

/**
 * Forwards `req` to `origin` and streams the answer into `res` chunk by chunk (no buffering,
 * so an SSE stream reaches the browser event by event). A backend that cannot be reached gives
 * 502 text; a backend that dies mid-answer ends the answer. When the browser goes away the
 * backend request is aborted (no stream is left open on the backend).
 */
function proxyTo(origin, req, res, onStatus) {
  const target = new URL(req.url, origin);
  const headers = { ...req.headers, host: target.host };
  for (const h of HOP_BY_HOP) delete headers[h];
  const up = http.request(target, { method: req.method, headers, agent: false }, (ans) => {
    const out = { ...ans.headers };
    for (const h of HOP_BY_HOP) delete out[h];
    res.writeHead(ans.statusCode, out);
    res.flushHeaders();
    onStatus(ans.statusCode);
    ans.on('data', (chunk) => res.write(chunk));
    ans.on('end', () => res.end());
    ans.on('aborted', () => res.destroy());
    ans.on('error', () => res.destroy());
  });
  up.on('error', (e) => {
    if (!res.headersSent) {
      onStatus(502);
      res.writeHead(502, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(`502 Bad Gateway: the API backend ${origin} is not answering (${e.code || e.message})`);
    } else {
      res.destroy();
    }
  });
  res.on('close', () => up.destroy());
  req.pipe(up);
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
// Demo API server (calais-demo-server) and temp builds
// ---------------------------------------------------------------------------------------

/** Every demo server child still running, killed on exit (see killAllDemoServers). */
const liveChildren = new Set();
/** Temp dirs made by prepareDist / writeTempJson, removed on exit. */
const tempDirs = new Set();

function killChildrenNow() {
  for (const child of liveChildren) {
    try {
      child.kill('SIGKILL');
    } catch {}
  }
  liveChildren.clear();
}
process.on('exit', () => {
  killChildrenNow();
  if (!process.env.CALAIS_KEEP_TMP) for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
});
// On Ctrl-C / termination: kill the servers, then die of the same signal as usual.
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(sig, () => {
    killChildrenNow();
    process.kill(process.pid, sig);
  });
}
// If this node process is killed outright (SIGKILL), Linux's parent-death signal still ends
// the servers: they are started through `setpriv --pdeathsig KILL` when it is available.
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => fs.existsSync(p)) || null;

/** Fails with a clear message when the demo server binary is missing. */
export function assertDemoServerBuilt(bin = DEMO_SERVER) {
  if (!fs.existsSync(bin)) {
    throw new Error(
      `${bin} is missing: run \`cargo build -p calais-demo-server\` first` +
        (process.env.CALAIS_DEMO_SERVER ? ' (or fix CALAIS_DEMO_SERVER)' : ''),
    );
  }
}

/** The release demo server if built, else the debug one (for benchmarks). */
export function demoServerBinary({ preferRelease = false } = {}) {
  if (process.env.CALAIS_DEMO_SERVER) return DEMO_SERVER;
  const rel = path.join(ROOT, 'target', 'release', 'calais-demo-server');
  return preferRelease && fs.existsSync(rel) ? rel : DEMO_SERVER;
}

/** mkdtemp under the OS temp dir, removed when the process exits. */
export function makeTempDir(prefix = 'calais-e2e-') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

/** Writes `value` as JSON to a new temp file (removed on exit); returns its path. */
export function writeTempJson(value, name = 'data.json') {
  const file = path.join(makeTempDir('calais-json-'), name);
  fs.writeFileSync(file, JSON.stringify(value, null, 1) + '\n');
  return file;
}

/**
 * Starts `calais-demo-server` (docs/api.md) and waits for its `listening on
 * http://127.0.0.1:PORT` line. Options (all optional):
 *   scenario      path of a scenario file, or a scenario object (written to a temp file)
 *   rate, seed, firstSeq, heartbeatMs, replayWindow   the server's flags
 *   staticDir     built app to serve at / (default DIST)
 *   port          default 0 (any free port)
 *   bin           binary (default DEMO_SERVER: CALAIS_DEMO_SERVER or target/debug)
 *   extraArgs     more flags
 * Returns { origin, port, url(p), pid, args, stderr(), exited, signal(sig) (e.g. 'SIGSTOP' /
 * 'SIGCONT' to freeze and resume it), kill(signal='SIGTERM') → resolves with {code, signal}
 * once the process has exited (SIGKILL after 6 s),
 * restart(overrides?) → starts it again on the SAME port with the same flags (overrides,
 * e.g. {scenario}, replace some), retrying while the port is briefly busy; the same handle
 * then points at the new process }.
 * Every server is killed when the process exits; call kill() (or killAllDemoServers()) in
 * `after` hooks.
 */
export async function startDemoServer(opts = {}) {
  const bin = opts.bin || DEMO_SERVER;
  assertDemoServerBuilt(bin);
  let flags = { ...opts };
  const handle = {
    origin: null,
    port: null,
    pid: null,
    args: null,
    exited: null,
    url: (p = '/') => handle.origin + (p.startsWith('/') ? p : '/' + p),
    stderr: () => '',
    signal: () => {},
    kill: async () => null,
    restart: async (overrides = {}) => {
      if (handle.exited && !handle.exited.done) await handle.kill();
      flags = { ...flags, ...overrides, port: handle.port };
      let lastErr;
      for (let attempt = 0; attempt < 15; attempt++) {
        try {
          await launch(flags);
          return handle;
        } catch (e) {
          lastErr = e;
          if (!/cannot listen|address already in use|EADDRINUSE|Address in use/i.test(String(e.message))) throw e;
          await new Promise((r) => setTimeout(r, 200 + 100 * attempt));
        }
      }
      throw lastErr;
    },
  };

  async function launch(f) {
    const args = ['--port', String(f.port ?? 0), '--static', f.staticDir || DIST];
    if (f.scenario != null) {
      const file = typeof f.scenario === 'string' ? path.resolve(f.scenario) : writeTempJson(f.scenario, 'scenario.json');
      args.push('--scenario', file);
    }
    if (f.rate != null) args.push('--rate', String(f.rate));
    if (f.seed != null) args.push('--seed', String(f.seed));
    if (f.firstSeq != null) args.push('--first-seq', String(f.firstSeq));
    if (f.heartbeatMs != null) args.push('--heartbeat-ms', String(f.heartbeatMs));
    if (f.replayWindow != null) args.push('--replay-window', String(f.replayWindow));
    if (f.extraArgs) args.push(...f.extraArgs);

    const [cmd, argv] = SETPRIV ? [SETPRIV, ['--pdeathsig', 'KILL', '--', bin, ...args]] : [bin, args];
    const child = spawn(cmd, argv, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    liveChildren.add(child);
    let err = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d) => {
      err += d;
      if (err.length > 65536) err = err.slice(-32768);
    });
    let exitInfo = null;
    const exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        exitInfo = { code, signal };
        liveChildren.delete(child);
        exited.done = true;
        resolve(exitInfo);
      });
      child.once('error', (e) => {
        exitInfo = { code: null, signal: null, error: e };
        liveChildren.delete(child);
        exited.done = true;
        resolve(exitInfo);
      });
    });
    exited.done = false;

    const origin = await new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`calais-demo-server did not print its listening line within 30 s (${bin} ${args.join(' ')})\nstderr:\n${err}`));
      }, 30_000);
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (d) => {
        out += d;
        const m = out.match(/listening on (http:\/\/[^\s]+)/);
        if (m) {
          clearTimeout(timer);
          resolve(m[1].replace(/\/$/, ''));
        }
      });
      exited.then((info) => {
        clearTimeout(timer);
        reject(
          new Error(
            `calais-demo-server exited before listening (code ${info.code}, signal ${info.signal}${info.error ? ', ' + info.error.message : ''}): ` +
              `${bin} ${args.join(' ')}\nstderr:\n${err.trim()}`,
          ),
        );
      });
    });
    // A forgotten server must not keep node alive (it is killed on exit anyway).
    child.unref();
    child.stdout.unref?.();
    child.stderr.unref?.();

    handle.origin = origin;
    handle.port = Number(new URL(origin).port);
    handle.pid = child.pid;
    handle.args = args;
    handle.exited = exited;
    handle.stderr = () => err;
    handle.signal = (signal) => {
      if (!exited.done) child.kill(signal);
    };
    handle.kill = (signal = 'SIGTERM') => {
      if (exited.done) return exited;
      child.kill(signal);
      if (signal !== 'SIGKILL') child.kill('SIGCONT'); // a frozen (SIGSTOP) server must see it
      const force = setTimeout(() => child.kill('SIGKILL'), 6000);
      return exited.then((info) => {
        clearTimeout(force);
        return info;
      });
    };
    return handle;
  }

  await launch(flags);
  return handle;
}

/** Kills every demo server this process started; resolves when they have exited. */
export async function killAllDemoServers() {
  const all = [...liveChildren];
  await Promise.all(
    all.map(
      (c) =>
        new Promise((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          const force = setTimeout(() => c.kill('SIGKILL'), 6000);
          c.once('exit', () => {
            clearTimeout(force);
            resolve();
          });
          c.kill('SIGTERM');
        }),
    ),
  );
}

/** Is a plain object (for deepMerge). */
const isPlainObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** `base` with `patch` merged in: objects recursively, anything else (arrays too) replaced. */
export function deepMerge(base, patch) {
  if (!isPlainObject(base) || !isPlainObject(patch)) return structuredClone(patch);
  const out = structuredClone(base);
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    out[k] = isPlainObject(v) && isPlainObject(out[k]) ? deepMerge(out[k], v) : structuredClone(v);
  }
  return out;
}

/**
 * Copies DIST to a fresh temp dir (removed on exit) and writes its public/config.json as the
 * repository's public/config.json deep-merged with `configPatch`
 * (e.g. {incidents: {stale_after_s: 3}}). Returns the dir: serve it with
 * startDemoServer({staticDir}) (app and API on one origin, as in production) or
 * startServer({distDir}).
 */
export function prepareDist(configPatch = {}) {
  assertDistBuilt();
  const dir = makeTempDir('calais-dist-');
  fs.cpSync(DIST, dir, { recursive: true });
  const base = JSON.parse(fs.readFileSync(path.join(PUBLIC, 'config.json'), 'utf8'));
  fs.mkdirSync(path.join(dir, 'public'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'public', 'config.json'), JSON.stringify(deepMerge(base, configPatch), null, 2) + '\n');
  return dir;
}

/** The quiet scenario (no events, then idle) the shared env's API backend runs. */
export const QUIET_SCENARIO = path.join(SCENARIOS, 'quiet.json');

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
 * up and close it, and returns a handle that forwards to it once it exists. The static server
 * proxies /api/ to a quiet demo API server (`env.api`), so the app's live-incident feed has a
 * real, idle backend.
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
 * `api: true` (default) starts a quiet demo API server (tests/fixtures/scenarios/quiet.json,
 * heartbeat 1000 ms) and proxies the static server's /api/ to it; `api: {...}` passes
 * startDemoServer options instead; `api: false` serves no API (/api/ answers 404).
 */
export async function setup({ requireDist = true, api = true } = {}) {
  if (requireDist) assertDistBuilt();
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  let demo = null;
  if (api) {
    demo = await startDemoServer(api === true ? { scenario: QUIET_SCENARIO, heartbeatMs: 1000 } : api);
  }
  let server;
  let b;
  try {
    server = await startServer({ apiOrigin: demo ? demo.origin : null });
    b = await launchBrowser();
  } catch (e) {
    await server?.close();
    await demo?.kill();
    throw e;
  }
  return {
    server,
    api: demo,
    browser: b.browser,
    newContext: b.newContext,
    async close() {
      await b.close();
      await server.close();
      await demo?.kill();
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
 * Console messages that are expected while the API server is down (the restart test only):
 * refused connections of fetch and EventSource, and the app's own logs of them.
 */
export const OUTAGE_ERRORS = [
  /ERR_CONNECTION_REFUSED|ERR_CONNECTION_RESET|ERR_EMPTY_RESPONSE|ERR_INCOMPLETE_CHUNKED_ENCODING|ERR_CONNECTION_CLOSED/i,
  /connection refused/i,
  /EventSource/i,
  /Failed to fetch|NetworkError/i,
];

/**
 * Opens the app in a new page of `context` and waits until the map canvas has
 * data-ready="true" and window.calaisMap exists. Options:
 *   config: config URL (passed as ?config=…), perf: add ?perf, query: extra query string,
 *   allowResourceErrors: failed resource loads (404/500) are expected console errors;
 *   allowConsoleErrors: no console error fails assertHealthy (page errors and panics still do);
 *   allowedConsoleErrors: RegExps; console errors matching one of them are expected (e.g.
 *     OUTAGE_ERRORS while the API server is down);
 *   initScripts: extra scripts to run in the page before the app (page.addInitScript).
 * Returns an `app` object: { page, url, consoleErrors, pageErrors, assertHealthy(), close() }.
 */
export async function openApp(env, context, opts = {}) {
  const {
    config, perf = false, query = '', waitReady = true, allowResourceErrors = false, allowConsoleErrors = false,
    allowedConsoleErrors = [], initScripts = [],
  } = opts;
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
    // CALAIS_E2E_CONSOLE=<file>: every console message of every page appended there (debugging).
    if (process.env.CALAIS_E2E_CONSOLE) {
      fs.appendFileSync(process.env.CALAIS_E2E_CONSOLE, `${new Date().toISOString()} ${msg.type()}: ${msg.text()}\n`);
    }
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
      return consoleErrors.filter(
        (t) => !(allowResourceErrors && RESOURCE_ERROR.test(t)) && !allowedConsoleErrors.some((re) => re.test(t)),
      );
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
// What the user sees: the map canvas with the incident overlays (render/overlay.rs) on top,
// each placed where the page shows it (its box, scaled crisp). Used by sampleColours/hashRegion.
window.__readMapPixels = function (c, ctx, x, y, w, h) {
  const overlays = [...document.querySelectorAll('canvas.incident-overlay')].filter(
    (o) => getComputedStyle(o).display !== 'none',
  );
  if (!overlays.length) return ctx.getImageData(x, y, w, h);
  const t = document.createElement('canvas');
  t.width = w;
  t.height = h;
  const tc = t.getContext('2d');
  tc.imageSmoothingEnabled = false;
  tc.drawImage(c, x, y, w, h, 0, 0, w, h);
  const box = c.getBoundingClientRect();
  const sx = c.width / box.width;
  const sy = c.height / box.height;
  for (const o of overlays) {
    const r = o.getBoundingClientRect();
    tc.drawImage(o, (r.left - box.left) * sx - x, (r.top - box.top) * sy - y, r.width * sx, r.height * sy);
  }
  return tc.getImageData(0, 0, w, h);
};
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
      const readMapPixels = window.__readMapPixels || ((c, ctx, x, y, w, h) => ctx.getImageData(x, y, w, h));
      const c = document.querySelector(CANVAS);
      const ctx = c.getContext('2d');
      const sx = c.width / c.clientWidth;
      const sy = c.height / c.clientHeight;
      return points.map(([x, y]) => {
        const px = Math.round(x * sx);
        const py = Math.round(y * sy);
        if (px - r < 0 || py - r < 0 || px + r >= c.width || py + r >= c.height) return null;
        const d = readMapPixels(c, ctx, px - r, py - r, 2 * r + 1, 2 * r + 1).data;
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
      const readMapPixels = window.__readMapPixels || ((c, ctx, x, y, w, h) => ctx.getImageData(x, y, w, h));
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
      const d = readMapPixels(c, ctx, r.x, r.y, r.w, r.h).data;
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

/** White pixels (all channels over 230) of the map canvas's bitmap within `r` device px of
 * where (lon, lat) is drawn: what crosses there (the displacement arrow's shaft). */
export function whitePixelsAt(page, [lon, lat], r = 3) {
  return page.evaluate(([lon, lat, r]) => {
    const c = document.querySelector('[data-testid="map-canvas"]');
    const [x, y] = window.calaisMap.project(lon, lat);
    // Device px of the bitmap per CSS px of the map's view (dpr, times the wall's map scale).
    const k = c.width / window.calaisMap.view().width;
    const d = c.getContext('2d').getImageData(Math.round(x * k) - r, Math.round(y * k) - r, 2 * r + 1, 2 * r + 1).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] > 230 && d[i + 1] > 230 && d[i + 2] > 230) n++;
    return n;
  }, [lon, lat, r]);
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

// ---------------------------------------------------------------------------------------
// Live incidents: contract checks, scenario helpers, page helpers
// ---------------------------------------------------------------------------------------

/** The incident kinds of docs/api.md, in the UI's counter order. */
export const KINDS = ['small_boat', 'fence_breach', 'lorry_intrusion', 'tunnel_intrusion', 'vehicle_sighting', 'other'];
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Problems of one incident Feature against docs/api.md (empty array = valid). Strict: the
 * kind must be one of KINDS (the contract's "treat others as other" is for clients).
 */
export function incidentProblems(f) {
  const bad = [];
  if (!isPlainObject(f)) return ['not an object'];
  if (f.type !== 'Feature') bad.push('type is not "Feature"');
  const p = f.properties;
  if (!isPlainObject(p)) return [...bad, 'no properties'];
  if (typeof p.id !== 'string' || !p.id) bad.push('properties.id is not a non-empty string');
  if (f.id !== p.id) bad.push(`Feature id ${JSON.stringify(f.id)} != properties.id ${JSON.stringify(p.id)}`);
  const g = f.geometry;
  if (!g || g.type !== 'Point' || !Array.isArray(g.coordinates) || g.coordinates.length < 2) bad.push('geometry is not a Point');
  else {
    const [lon, lat] = g.coordinates;
    if (!(Number.isFinite(lon) && lon >= -180 && lon <= 180)) bad.push(`longitude ${lon}`);
    if (!(Number.isFinite(lat) && lat >= -90 && lat <= 90)) bad.push(`latitude ${lat}`);
  }
  if (!KINDS.includes(p.kind)) bad.push(`kind ${JSON.stringify(p.kind)}`);
  if (!(Number.isInteger(p.severity) && p.severity >= 1 && p.severity <= 5)) bad.push(`severity ${JSON.stringify(p.severity)}`);
  if (p.status !== 'open' && p.status !== 'closed') bad.push(`status ${JSON.stringify(p.status)}`);
  for (const k of ['reported_at', 'updated_at']) {
    if (typeof p[k] !== 'string' || !RFC3339.test(p[k]) || !Number.isFinite(Date.parse(p[k]))) bad.push(`${k} ${JSON.stringify(p[k])}`);
  }
  if (Date.parse(p.updated_at) < Date.parse(p.reported_at)) bad.push('updated_at before reported_at');
  if (typeof p.description !== 'string') bad.push('description is not a string');
  if (typeof p.source !== 'string') bad.push('source is not a string');
  if (p.accuracy_m !== undefined && !(typeof p.accuracy_m === 'number' && p.accuracy_m >= 0)) bad.push(`accuracy_m ${p.accuracy_m}`);
  return bad;
}

/** Reads a scenario file (docs/api.md, scenario mode). */
export function readScenario(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** The scenario's entries in emission order (at_ms, ties in file order), as the server sorts them. */
export function scenarioOrder(scenario) {
  return scenario.events.map((e, i) => ({ e, i })).sort((a, b) => a.e.at_ms - b.e.at_ms || a.i - b.i).map((x) => x.e);
}

/**
 * The incidents a client holds after applying `features` in the order the server emits them,
 * with the store's rule (docs/api.md "Sequence numbers and cursors"; src/core/incident/store.rs):
 * the server's order decides, so a later state replaces an earlier one of the same id whatever
 * its updated_at says (a server clock that went back loses nothing; the demo server's snapshot
 * keeps the last state published the same way). Returns Map id → Feature.
 */
export function applyFeatures(features, into = new Map()) {
  for (const f of features) {
    into.set(f.id ?? f.properties?.id, f);
  }
  return into;
}

/** Final state (Map id → Feature) of a scenario's `feature` entries (raw entries ignored). */
export function scenarioFinalState(scenario) {
  return applyFeatures(scenarioOrder(scenario).filter((e) => e.feature).map((e) => e.feature));
}

/** Number of `raw` (malformed on purpose) entries of a scenario. */
export const scenarioRawCount = (scenario) => scenario.events.filter((e) => typeof e.raw === 'string').length;

/**
 * What the client should show of a state Map: closed incidents whose updated_at is older
 * than now − retention_s are dropped (config incidents.retention_s, default 600).
 * Returns { ids (sorted), open: {kind: n} for every kind, byId: Map, total }.
 */
export function expectedView(state, { now = Date.now(), retentionS = 600 } = {}) {
  const byId = new Map();
  for (const [id, f] of state) {
    const p = f.properties;
    if (p.status === 'closed' && Date.parse(p.updated_at) < now - retentionS * 1000) continue;
    byId.set(id, f);
  }
  const open = Object.fromEntries(KINDS.map((k) => [k, 0]));
  for (const f of byId.values()) if (f.properties.status === 'open') open[KINDS.includes(f.properties.kind) ? f.properties.kind : 'other']++;
  return { ids: [...byId.keys()].sort(), open, byId, total: byId.size };
}

const isoSeconds = (ms) => new Date(Math.round(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** Latest updated_at (ms) among a scenario's features. */
export function scenarioLatestUpdate(scenario) {
  return Math.max(...scenario.events.filter((e) => e.feature).map((e) => Date.parse(e.feature.properties.updated_at)));
}

/**
 * A copy of the scenario with every reported_at/updated_at moved by `shiftMs` (whole seconds,
 * RFC 3339 UTC) and every at_ms delayed by `delayMs`. Used to make scripted incidents recent
 * (so closed ones are not dropped by retention and time windows apply) and to let a page
 * connect before the first event.
 */
export function shiftScenario(scenario, { shiftMs = 0, delayMs = 0 } = {}) {
  const out = structuredClone(scenario);
  for (const e of out.events) {
    e.at_ms += delayMs;
    const p = e.feature?.properties;
    if (!p) continue;
    for (const k of ['reported_at', 'updated_at']) if (typeof p[k] === 'string') p[k] = isoSeconds(Date.parse(p[k]) + shiftMs);
  }
  return out;
}

/** The shift that moves a scenario's (or several scenarios') latest updated_at to `now − agoMs`. */
export function shiftToNow(scenarios, { now = Date.now(), agoMs = 30_000 } = {}) {
  const latest = Math.max(...[].concat(scenarios).map(scenarioLatestUpdate));
  return Math.round((now - agoMs - latest) / 1000) * 1000;
}

/** The fields of an expected incident that calaisMap.incident(id) must show. */
const incidentSummary = (id, f) => ({
  id,
  kind: KINDS.includes(f.properties.kind) ? f.properties.kind : 'other',
  severity: f.properties.severity,
  status: f.properties.status,
  description: f.properties.description,
  lon: f.geometry.coordinates[0],
  lat: f.geometry.coordinates[1],
});

/**
 * Every incident-related fact of the page in one read (null members where the UI lacks them).
 * With `expect` (from expectedView), `mismatched` lists the expected ids whose
 * calaisMap.incident(id) is missing or differs (kind, severity, status, description, position).
 */
export async function incidentFacts(page, { expect = null } = {}) {
  const want = expect ? [...expect.byId].map(([id, f]) => incidentSummary(id, f)) : null;
  return page.evaluate(({ KINDS, want }) => {
    const q = (id) => document.querySelector(`[data-testid="${id}"]`);
    const m = window.calaisMap;
    const call = (name, ...a) => {
      try {
        return m && typeof m[name] === 'function' ? m[name](...a) : null;
      } catch (e) {
        return { error: String(e) };
      }
    };
    const mismatched = want
      ? want
          .filter((w) => {
            const g = call('incident', w.id);
            return !g || g.error || g.kind !== w.kind || g.severity !== w.severity || g.status !== w.status ||
              g.description !== w.description || Math.abs(g.lon - w.lon) > 1e-6 || Math.abs(g.lat - w.lat) > 1e-6;
          })
          .map((w) => w.id)
      : null;
    const counters = {};
    for (const k of KINDS) {
      const el = q(`incident-count-${k}`);
      counters[k] = el ? Number(el.getAttribute('data-count')) : null;
    }
    const rows = [...document.querySelectorAll('[data-testid="incident-row"]')].map((r) => ({
      id: r.getAttribute('data-incident-id'),
      kind: r.getAttribute('data-kind'),
      severity: Number(r.getAttribute('data-severity')),
      status: r.getAttribute('data-status'),
      text: r.textContent,
    }));
    const st = q('feed-status');
    const diag = q('feed-diagnostics');
    const total = q('incident-total');
    return {
      mismatched,
      hook: {
        incidents: call('incidents'),
        ids: call('incidentIds'),
        feedStats: call('feedStats'),
      },
      counters,
      total: total ? Number(total.getAttribute('data-count')) : null,
      rows,
      status: st ? { status: st.getAttribute('data-status'), text: st.textContent.trim(), lastUpdateMs: st.getAttribute('data-last-update-ms') } : null,
      diagnostics: diag ? { rejected: Number(diag.getAttribute('data-rejected')), lastError: (q('feed-last-error')?.textContent ?? '').trim() } : null,
    };
  }, { KINDS, want });
}

/** Fails with a clear message when the app has no live-incident UI / hook yet. */
export async function assertIncidentUi(page) {
  const missing = await page.evaluate(() => {
    const need = ['incident-counters', 'feed-status', 'incident-panel', 'incident-total', 'feed-diagnostics'];
    const m = window.calaisMap || {};
    return [
      ...need.filter((id) => !document.querySelector(`[data-testid="${id}"]`)).map((id) => `[data-testid=${id}]`),
      ...['incidents', 'incident', 'incidentIds', 'feedStats', 'incidentDraw'].filter((f) => typeof m[f] !== 'function').map((f) => `calaisMap.${f}()`),
    ];
  });
  assert.deepEqual(missing, [], `the app build in ${DIST} lacks the live-incident UI/hook (rebuild dist/ with the incident client)`);
}

/**
 * Waits until `check(facts)` (facts from incidentFacts, with `expect` passed on) returns true;
 * on timeout fails with the last facts and `what`.
 */
export async function waitForIncidentFacts(page, check, { timeout = 30_000, what = 'incident state', interval = 200, expect = null } = {}) {
  const t0 = Date.now();
  let facts;
  for (;;) {
    facts = await incidentFacts(page, { expect });
    let ok = false;
    try {
      ok = check(facts);
    } catch {
      ok = false;
    }
    if (ok) return facts;
    if (Date.now() - t0 > timeout) {
      const brief = { ...facts, rows: `${facts.rows.length} rows: ${facts.rows.slice(0, 30).map((r) => r.id).join(',')}` };
      throw new Error(`timed out after ${timeout} ms waiting for ${what}; last seen: ${JSON.stringify(brief)}`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

/**
 * True when the page's counters, hook counts and list (default filters) show `expected` (from
 * expectedView), and, when the facts were read with `expect`, every incident's latest state.
 */
export function showsExpected(facts, expected) {
  const ids = facts.hook.ids;
  return (
    (!facts.mismatched || facts.mismatched.length === 0) &&
    Array.isArray(ids) &&
    ids.length === expected.total &&
    [...ids].sort().join('|') === expected.ids.join('|') &&
    KINDS.every((k) => facts.counters[k] === expected.open[k] && (facts.hook.incidents?.open?.[k] ?? 0) === expected.open[k]) &&
    facts.hook.incidents?.count === expected.total &&
    facts.total === expected.total &&
    facts.rows.length === Math.min(200, expected.total)
  );
}

/**
 * Reads a `text/event-stream` answer with fetch (no EventSource in node) and returns
 * { status, headers, events: [{event, data, id, retry, at}], ended (the server ended the
 * stream), timedOut } once `until(events)` is true, the stream ends, or the timeout passes.
 */
export async function readSse(url, { headers = {}, until = () => false, timeout = 10_000 } = {}) {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), timeout);
  const events = [];
  let res;
  let satisfied = false;
  try {
    res = await fetch(url, { headers: { Accept: 'text/event-stream', ...headers }, signal: ctl.signal });
    const dec = new TextDecoder();
    let buf = '';
    for await (const chunk of res.body) {
      buf += dec.decode(chunk, { stream: true });
      let i;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const ev = { event: 'message', data: [], id: null, retry: null, at: Date.now() };
        for (const line of block.split('\n')) {
          const c = line.indexOf(':');
          const field = c < 0 ? line : line.slice(0, c);
          const value = c < 0 ? '' : line.slice(c + 1).replace(/^ /, '');
          if (field === 'event') ev.event = value;
          else if (field === 'data') ev.data.push(value);
          else if (field === 'id') ev.id = value;
          else if (field === 'retry') ev.retry = Number(value);
        }
        ev.data = ev.data.join('\n');
        events.push(ev);
        if (!satisfied && until(events)) {
          satisfied = true;
          ctl.abort();
        }
      }
      if (satisfied) break;
    }
    return { status: res.status, headers: res.headers, events, ended: !satisfied, timedOut: false };
  } catch (e) {
    if (e.name !== 'AbortError') throw e;
    return { status: res?.status ?? null, headers: res?.headers, events, ended: false, timedOut: !satisfied };
  } finally {
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------------------------------
// A proxy that can freeze the event stream
// ---------------------------------------------------------------------------------------

/**
 * Starts an HTTP proxy on 127.0.0.1 (random port) in front of `origin` (a demo server, which
 * serves the app too, so the page has one origin). Everything is forwarded as it comes. The
 * event stream (`/api/incidents/stream`) can be frozen as a stalled network would: while
 * frozen, nothing the server sends on any stream reaches the browser (not even the headers
 * of a new stream), and the connections stay open; `release()` delivers what was held and
 * lets it flow again. `refuse(true)` answers every new stream request 503 at once (a server that
 * is up but turns streams away) until `refuse(false)`. Returns { origin, url(p), freeze(),
 * release(), refuse(on), frozen, streams, close() }, `streams` logging every stream request
 * ({ at, query, lastEventId, closedAt, refused }).
 */
export async function startFreezeProxy(origin) {
  let frozen = false;
  let refusing = false;
  const streams = [];
  const held = new Set();
  const deliver = (conn) => {
    if (conn.res.destroyed) return;
    if (conn.head) {
      conn.res.writeHead(conn.head.status, conn.head.headers);
      conn.res.flushHeaders();
      conn.head = null;
    }
    for (const chunk of conn.chunks) conn.res.write(chunk);
    conn.chunks = [];
  };
  const srv = http.createServer((req, res) => {
    const target = new URL(req.url, origin);
    const isStream = target.pathname.endsWith('/api/incidents/stream');
    const headers = { ...req.headers, host: target.host };
    for (const h of HOP_BY_HOP) delete headers[h];
    const entry = isStream
      ? { at: Date.now(), query: target.search, lastEventId: req.headers['last-event-id'] ?? null, closedAt: null }
      : null;
    if (entry) streams.push(entry);
    if (entry && refusing) {
      entry.refused = true;
      entry.closedAt = Date.now();
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end('503 Service Unavailable (the test proxy refuses streams)');
      return;
    }
    const conn = { res, head: null, chunks: [] };
    const up = http.request(target, { method: req.method, headers, agent: false }, (ans) => {
      const out = { ...ans.headers };
      for (const h of HOP_BY_HOP) delete out[h];
      conn.head = { status: ans.statusCode, headers: out };
      if (isStream) held.add(conn);
      if (!(isStream && frozen)) deliver(conn);
      ans.on('data', (chunk) => {
        conn.chunks.push(chunk);
        if (!(isStream && frozen)) deliver(conn);
      });
      ans.on('end', () => {
        if (!(isStream && frozen)) res.end();
        else conn.ended = true;
      });
      ans.on('aborted', () => res.destroy());
      ans.on('error', () => res.destroy());
    });
    up.on('error', () => {
      if (!res.headersSent) {
        res.writeHead(502, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('502 Bad Gateway');
      } else res.destroy();
    });
    res.on('close', () => {
      up.destroy();
      held.delete(conn);
      if (entry) entry.closedAt = Date.now();
    });
    req.pipe(up);
  });
  await new Promise((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', resolve);
  });
  const proxyOrigin = `http://127.0.0.1:${srv.address().port}`;
  return {
    origin: proxyOrigin,
    url: (p = '/') => proxyOrigin + (p.startsWith('/') ? p : '/' + p),
    streams,
    get frozen() {
      return frozen;
    },
    freeze() {
      frozen = true;
    },
    refuse(on) {
      refusing = !!on;
    },
    release() {
      frozen = false;
      for (const conn of held) {
        deliver(conn);
        if (conn.ended) conn.res.end();
      }
    },
    close: () =>
      new Promise((resolve) => {
        srv.closeAllConnections?.();
        srv.close(() => resolve());
      }),
  };
}

/**
 * The colours of a page region as the user sees them (a real screenshot, overlays and CSS
 * opacity/filters included), decoded in the page: { width, height, data } (RGBA bytes).
 */
export async function screenPixels(page, clip) {
  const png = await page.screenshot({ clip });
  return page.evaluate(async (b64) => {
    // Decoded from bytes, not fetched from a `data:` URL: the page's CSP (connect-src) refuses that.
    const bin = atob(b64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    const blob = new Blob([bytes], { type: 'image/png' });
    const bmp = await createImageBitmap(blob);
    const c = new OffscreenCanvas(bmp.width, bmp.height);
    const g = c.getContext('2d');
    g.drawImage(bmp, 0, 0);
    const d = g.getImageData(0, 0, bmp.width, bmp.height);
    return { width: d.width, height: d.height, data: Array.from(d.data) };
  }, png.toString('base64'));
}

/** The highest saturation (max − min channel, 0..255) among a region's pixels. */
export function maxSaturation({ data }) {
  let best = 0;
  for (let i = 0; i < data.length; i += 4) {
    const s = Math.max(data[i], data[i + 1], data[i + 2]) - Math.min(data[i], data[i + 1], data[i + 2]);
    if (s > best) best = s;
  }
  return best;
}

/** The heatmap canvas' RGBA (`data-testid="heatmap-canvas"`, one pixel a grid cell, placed over
 * the map) at WGS84 points, read from its bitmap through its box (zeros where it does not reach). */
export const heatRgba = (page, points) =>
  page.evaluate((points) => {
    const c = document.querySelector('[data-testid="heatmap-canvas"]');
    if (!c || getComputedStyle(c).display === 'none') return points.map(() => [0, 0, 0, 0]);
    const r = c.getBoundingClientRect();
    const m = document.querySelector('[data-testid="map-canvas"]').getBoundingClientRect();
    const g = c.getContext('2d');
    return points.map(([lon, lat]) => {
      const [x, y] = window.calaisMap.project(lon, lat);
      const px = Math.floor(((m.left + x - r.left) / r.width) * c.width);
      const py = Math.floor(((m.top + y - r.top) / r.height) * c.height);
      if (px < 0 || py < 0 || px >= c.width || py >= c.height) return [0, 0, 0, 0];
      return Array.from(g.getImageData(px, py, 1, 1).data);
    });
  }, points);

// ---------------------------------------------------------------------------
// Accessibility (issue 15 item 5): axe-core (npm) run in the page
// ---------------------------------------------------------------------------

let axeSource = null;

/** axe-core's violations in the page, as { id, impact, nodes: [selector…] }. Evaluated through
 * the DevTools protocol: the page's content security policy does not apply. */
export async function axeViolations(page) {
  axeSource ??= fs.readFileSync(path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const res = await window.axe.run(document, { resultTypes: ['violations'] });
    return res.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
  });
}
