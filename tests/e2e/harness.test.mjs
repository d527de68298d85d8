// Self-test of the harness on a trivial page (needs no app build): the static server's
// routes, content types, 404 and forced 500, browser launch, canvas pixel reads, screenshot.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startServer, launchBrowser, hashRegion, sampleColours, screenshot, TEST_TIMEOUT } from './harness.mjs';

let dir;
let server;
before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'calais-harness-'));
  fs.mkdirSync(path.join(dir, 'dist', 'sub'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'fixtures', 'layers'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'dist', 'index.html'),
    `<!doctype html><html><body style="margin:0">
<canvas data-testid="map-canvas" width="200" height="100"></canvas>
<script type="module" src="/app.js"></script></body></html>`,
  );
  fs.writeFileSync(
    path.join(dir, 'dist', 'app.js'),
    `const c = document.querySelector('canvas'); const x = c.getContext('2d');
x.fillStyle = 'rgb(20,60,120)'; x.fillRect(0, 0, 100, 100);
x.fillStyle = 'rgb(200,190,150)'; x.fillRect(100, 0, 100, 100);
const r = await fetch('/fixtures/layers/a.geojson'); window.fixture = await r.json();
c.setAttribute('data-ready', 'true');`,
  );
  fs.writeFileSync(path.join(dir, 'dist', 'x.wasm'), Buffer.from([0, 97, 115, 109, 1, 0, 0, 0]));
  fs.writeFileSync(path.join(dir, 'dist', 's.css'), 'body{}');
  fs.writeFileSync(path.join(dir, 'dist', 'i.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  fs.writeFileSync(path.join(dir, 'dist', 'sub', 'c.json'), '{}');
  fs.writeFileSync(path.join(dir, 'fixtures', 'layers', 'a.geojson'), '{"type":"FeatureCollection","features":[]}');
  fs.writeFileSync(path.join(dir, 'secret.txt'), 'outside');
  server = await startServer({ distDir: path.join(dir, 'dist'), fixturesDir: path.join(dir, 'fixtures') });
});
after(async () => {
  await server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('static server: routes, content types, 404, forced 500, no escape from the roots', async () => {
  assert.match(server.origin, /^http:\/\/127\.0\.0\.1:\d+$/);
  const expect = {
    '/': 'text/html; charset=utf-8',
    '/app.js': 'text/javascript; charset=utf-8',
    '/x.wasm': 'application/wasm',
    '/s.css': 'text/css; charset=utf-8',
    '/i.svg': 'image/svg+xml',
    '/sub/c.json': 'application/json',
    '/fixtures/layers/a.geojson': 'application/geo+json',
  };
  for (const [p, type] of Object.entries(expect)) {
    const r = await fetch(server.url(p));
    assert.equal(r.status, 200, p);
    assert.equal(r.headers.get('content-type'), type, p);
    await r.arrayBuffer();
  }
  assert.equal((await fetch(server.url('/nope.geojson'))).status, 404);
  assert.equal((await fetch(server.url('/fixtures/missing.geojson'))).status, 404);
  assert.equal((await fetch(server.url('/fixtures/../secret.txt'))).status, 404); // URL normalises
  // A raw request (fetch would normalise the path): an encoded ../ must not leave the root.
  const raw = await new Promise((resolve, reject) =>
    http.get({ host: '127.0.0.1', port: server.port, path: '/..%2fsecret.txt' }, (res) => {
      res.resume();
      resolve(res.statusCode);
    }).on('error', reject));
  assert.equal(raw, 403);
  server.respond('/fixtures/layers/a.geojson', 500, 'boom');
  const r = await fetch(server.url('/fixtures/layers/a.geojson'));
  assert.equal(r.status, 500);
  assert.equal(await r.text(), 'boom');
  server.respond('/gone.json', 404);
  assert.equal((await fetch(server.url('/gone.json'))).status, 404);
  server.clearResponses();
  assert.equal((await fetch(server.url('/fixtures/layers/a.geojson'))).status, 200);
  assert.ok(server.requests.some((q) => q.status === 500));
});

test('browser: launch Debian chromium, load a page, read canvas pixels, screenshot', { timeout: TEST_TIMEOUT }, async () => {
  const b = await launchBrowser();
  try {
    const ctx = await b.newContext({ viewport: { width: 400, height: 300 } });
    const page = await ctx.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(server.url('/'));
    await page.waitForSelector('[data-testid="map-canvas"][data-ready="true"]', { timeout: 30_000 });
    assert.deepEqual(await page.evaluate(() => window.fixture), { type: 'FeatureCollection', features: [] });
    const [left, right] = await sampleColours(page, [[50, 50], [150, 50]]);
    assert.deepEqual(left, [20, 60, 120, 255]);
    assert.deepEqual(right, [200, 190, 150, 255]);
    const h1 = await hashRegion(page, { x: 0, y: 0, width: 200, height: 100 });
    assert.equal(h1.colours, 2);
    await page.evaluate(() => {
      const x = document.querySelector('canvas').getContext('2d');
      x.fillStyle = 'red';
      x.fillRect(10, 10, 5, 5);
    });
    const h2 = await hashRegion(page, { x: 0, y: 0, width: 200, height: 100 });
    assert.notEqual(h1.hash, h2.hash);
    const file = await screenshot(page, '00-harness-self-test');
    assert.ok(fs.statSync(file).size > 100);
    assert.deepEqual(errors, []);
    await ctx.close();
  } finally {
    await b.close();
  }
});
