#!/usr/bin/env node
// Render benchmark for the map viewer (run by `make bench` after a release build).
//
// In headless Debian chromium at 3840x2160, dpr 1, in the app's own page:
//   floors  measured on a separate canvas of the same size: full clearRect, full fillRect,
//           full-canvas drawImage blit, basemap land fill and stroke (the app's view), 100k
//           fillRect calls, full putImageData. Each op is followed by a 1-px getImageData,
//           which makes Chromium rasterise the recorded drawing (canvas 2D is deferred), so
//           the floor is the real cost; the "submit" column is the op without that flush.
//   app     (a) "gesture" frames while dragging and wheel-zooming with page.mouse
//           (b) "full" frames after calaisMap.reloadLayers()
//           (c) navigation start → performance mark 'map-first-draw' (fresh context each)
//           (d) gzip size of dist/*.wasm + dist/*.js, and of the basemap data
// Prints a table (figure, floor, ratio, target) and writes bench/results.json.
//
// Usage: node bench/render.mjs [--reps N] [--loads N] [--strict]
//   --strict exits 1 when a target is missed.

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import {
  ROOT, DIST, PUBLIC, CHROMIUM, assertDistBuilt, startServer, launchBrowser, openApp, frameCount,
  waitForSettled, waitForFrameKind, framesSince, setView,
} from '../tests/e2e/harness.mjs';
import { median, pct, stats, fmt, RAF_PROBE, probeCount, probeSince, argVal } from './stats.mjs';

const args = process.argv.slice(2);
const REPS = argVal('--reps', 15);
const LOADS = argVal('--loads', 10);
const STRICT = args.includes('--strict');
const W = 3840;
const H = 2160;

const log = (...a) => console.error('[bench]', ...a);

async function measureFloors(page, reps) {
  return page.evaluate(
    async ({ W, H, reps }) => {
      const fc = await (await fetch('public/data/basemap.geojson')).json();
      const m = window.calaisMap;
      // Project every vertex to the app's current view once (not timed).
      const rings = [];
      for (const f of fc.features) {
        const g = f.geometry;
        if (!g) continue;
        const polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
        for (const poly of polys)
          for (const ring of poly) {
            const a = new Float64Array(ring.length * 2);
            ring.forEach(([lon, lat], i) => {
              const [x, y] = m.project(lon, lat);
              a[2 * i] = x;
              a[2 * i + 1] = y;
            });
            rings.push(a);
          }
      }
      const vertices = rings.reduce((n, r) => n + r.length / 2, 0);

      const mk = () => {
        const c = document.createElement('canvas');
        c.width = W;
        c.height = H;
        return c;
      };
      const dst = mk();
      const ctx = dst.getContext('2d');
      const src = mk();
      const sctx = src.getContext('2d');
      const landPath = () => {
        ctx.beginPath();
        for (const r of rings) {
          ctx.moveTo(r[0], r[1]);
          for (let i = 2; i < r.length; i += 2) ctx.lineTo(r[i], r[i + 1]);
          ctx.closePath();
        }
      };
      // Source for the blit: sea + land, like a cached map bitmap.
      sctx.fillStyle = '#1b3a5c';
      sctx.fillRect(0, 0, W, H);
      sctx.fillStyle = '#d8d2bd';
      sctx.beginPath();
      for (const r of rings) {
        sctx.moveTo(r[0], r[1]);
        for (let i = 2; i < r.length; i += 2) sctx.lineTo(r[i], r[i + 1]);
        sctx.closePath();
      }
      sctx.fill();
      sctx.getImageData(0, 0, 1, 1);
      const img = ctx.createImageData(W, H);
      for (let i = 0; i < img.data.length; i += 4) {
        img.data[i] = (i >> 4) & 255;
        img.data[i + 1] = 90;
        img.data[i + 2] = 140;
        img.data[i + 3] = 255;
      }
      const flush = () => ctx.getImageData(0, 0, 1, 1);

      const ops = {
        'flush only (1-px getImageData)': () => {},
        'clearRect full canvas': () => ctx.clearRect(0, 0, W, H),
        'fillRect full canvas': () => {
          ctx.fillStyle = '#1b3a5c';
          ctx.fillRect(0, 0, W, H);
        },
        'drawImage blit full canvas': () => ctx.drawImage(src, 0, 0),
        'basemap land fill (one path)': () => {
          ctx.fillStyle = '#d8d2bd';
          landPath();
          ctx.fill();
        },
        'basemap land stroke (one path)': () => {
          ctx.strokeStyle = '#6b6450';
          ctx.lineWidth = 1;
          landPath();
          ctx.stroke();
        },
        '100k fillRect calls': () => {
          ctx.fillStyle = '#c03030';
          for (let i = 0; i < 100000; i++) ctx.fillRect((i * 37) % W, (i * 91) % H, 3, 3);
        },
        'putImageData full canvas': () => ctx.putImageData(img, 0, 0),
      };
      const out = {};
      for (const [name, op] of Object.entries(ops)) {
        const flushed = [];
        const submit = [];
        for (let k = 0; k < reps + 2; k++) {
          ctx.clearRect(0, 0, W, H);
          flush();
          await new Promise((r) => setTimeout(r, 0));
          const t0 = performance.now();
          op();
          const t1 = performance.now();
          flush();
          const t2 = performance.now();
          if (k >= 2) {
            submit.push(t1 - t0);
            flushed.push(t2 - t0);
          }
        }
        out[name] = { flushed, submit };
      }
      return { floors: out, vertices, rings: rings.length, features: fc.features.length };
    },
    { W, H, reps },
  );
}

async function measureGestures(page, reps) {
  const v = await page.evaluate(() => window.calaisMap.view());
  const box = await page.locator('[data-testid="map-canvas"]').boundingBox();
  const cx = box.x + v.width / 2;
  const cy = box.y + v.height / 2;
  const all = [];
  const probed = [];
  const kinds = {};
  for (let r = 0; r < reps; r++) {
    await setView(page, v.lon, v.lat, v.zoom);
    const since = await frameCount(page);
    const p0 = await probeCount(page);
    // drag
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    for (let i = 1; i <= 20; i++) await page.mouse.move(cx - 15 * i, cy - 8 * i);
    await page.mouse.up();
    // wheel zoom in, then out, at an off-centre cursor
    await page.mouse.move(cx + 400, cy + 200);
    for (let i = 0; i < 5; i++) {
      await page.mouse.wheel(0, -120);
      await page.waitForTimeout(30);
    }
    for (let i = 0; i < 5; i++) {
      await page.mouse.wheel(0, 120);
      await page.waitForTimeout(30);
    }
    await waitForSettled(page, { quietMs: 500 });
    const fr = await framesSince(page, since);
    for (const f of fr) kinds[f.kind] = (kinds[f.kind] || 0) + 1;
    all.push(...fr.filter((f) => f.kind === 'gesture').map((f) => f.ms));
    probed.push(...(await probeSince(page, p0)).filter((f) => f.kind === 'gesture').map((f) => f.totalMs));
  }
  await setView(page, v.lon, v.lat, v.zoom);
  return { ms: all, total: probed, kinds };
}

async function measureReloads(page, reps) {
  const fulls = [];
  const firstFull = [];
  const probed = [];
  for (let r = 0; r < reps; r++) {
    const since = await frameCount(page);
    const p0 = await probeCount(page);
    await page.evaluate(async () => {
      await window.calaisMap.reloadLayers();
    });
    await waitForFrameKind(page, since, 'full');
    await waitForSettled(page, { quietMs: 400 });
    const fr = (await framesSince(page, since)).filter((f) => f.kind === 'full');
    fulls.push(...fr.map((f) => f.ms));
    if (fr.length) firstFull.push(fr[0].ms);
    probed.push(...(await probeSince(page, p0)).filter((f) => f.kind === 'full').map((f) => f.totalMs));
  }
  return { ms: fulls, total: probed, first: firstFull };
}

async function measureFirstDraw(browser, server, loads) {
  const out = [];
  for (let i = 0; i < loads; i++) {
    const ctx = await browser.newContext({ viewport: { width: W, height: H }, deviceScaleFactor: 1 });
    try {
      const page = await ctx.newPage();
      await page.goto(server.url('/'), { waitUntil: 'load' });
      const t = await page.waitForFunction(
        () => performance.getEntriesByName('map-first-draw')[0]?.startTime,
        null,
        { timeout: 120_000, polling: 50 },
      );
      out.push(await t.jsonValue());
    } finally {
      await ctx.close();
    }
  }
  return out;
}

/** The shipped build (dist/, without the benchmark hook), whatever build the page runs. */
const SHIPPED = process.env.CALAIS_SIZE_DIST ? path.resolve(process.env.CALAIS_SIZE_DIST) : path.join(ROOT, 'dist');

function gzipSizes() {
  const files = fs.readdirSync(SHIPPED).filter((f) => f.endsWith('.wasm') || f.endsWith('.js'));
  const gz = (buf) => zlib.gzipSync(buf, { level: 9 }).length;
  const perFile = files.map((f) => {
    const b = fs.readFileSync(path.join(SHIPPED, f));
    return { file: f, raw: b.length, gzip: gz(b) };
  });
  const basemap = fs.readFileSync(path.join(PUBLIC, 'data', 'basemap.geojson'));
  const data = ['basemap', 'fences', 'cameras', 'ports'].map((k) => {
    const p = path.join(PUBLIC, 'data', `${k}.geojson`);
    const b = fs.existsSync(p) ? fs.readFileSync(p) : Buffer.alloc(0);
    return { file: `public/data/${k}.geojson`, raw: b.length, gzip: gz(b) };
  });
  return {
    app: { files: perFile, raw: perFile.reduce((n, f) => n + f.raw, 0), gzip: perFile.reduce((n, f) => n + f.gzip, 0) },
    basemap: { raw: basemap.length, gzip: gz(basemap) },
    data,
  };
}

// The frame probe (RAF_PROBE) is bench/stats.mjs's.


async function main() {
  assertDistBuilt();
  const server = await startServer();
  const b = await launchBrowser();
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
    reps: REPS,
    loads: LOADS,
    note: 'gesture/reloadFull median/p95 are the app frame\'s whole animation-frame callback + a 1-px getImageData flush of the map canvas (same measure as the floors); "reported" is the ms calaisMap.frames() gives (submit only, compare with the submit-only floors). floors are measured on a separate 3840x2160 canvas in the app page; each op is followed by a 1-px getImageData so that the deferred 2D canvas rasterises (floor = op + flush); "submit" is the op alone. App figures are the ms calaisMap.frames() reports.',
  };
  try {
    const ctx = await b.newContext({ viewport: { width: W, height: H }, deviceScaleFactor: 1 });
    const app = await openApp({ server }, ctx, { initScripts: [RAF_PROBE] });
    const { page } = app;
    results.view = await page.evaluate(() => window.calaisMap.view());
    log('view', JSON.stringify(results.view));

    log('floors…');
    const fl = await measureFloors(page, REPS);
    results.basemapGeometry = { features: fl.features, rings: fl.rings, vertices: fl.vertices };
    results.floors = Object.fromEntries(
      Object.entries(fl.floors).map(([k, v]) => [k, { flushed: stats(v.flushed), submit: stats(v.submit) }]),
    );

    log('gesture frames…');
    const g = await measureGestures(page, REPS);
    results.gesture = { ...stats(g.total), reported: stats(g.ms), frameKinds: g.kinds };
    log('reload frames…');
    const rl = await measureReloads(page, REPS);
    results.reloadFull = { ...stats(rl.total), reported: stats(rl.ms), firstFullPerReload: stats(rl.first) };
    results.appHealth = { pageErrors: app.pageErrors, consoleErrors: app.consoleErrors };
    await ctx.close();

    log('first draw…');
    results.firstDraw = stats(await measureFirstDraw(b.browser, server, LOADS));
    results.sizes = gzipSizes();
  } finally {
    await b.close();
    await server.close();
  }

  // ---- table ----
  const F = results.floors;
  const blit = F['drawImage blit full canvas'].flushed.median;
  const fill = F['basemap land fill (one path)'].flushed.median;
  const target = (name, value, p95, floorName, floor, limit, unit = 'ms') => {
    const ratio = floor ? value / floor : NaN;
    const pass = floor ? ratio <= limit : value < limit;
    return { name, value, p95, floorName, floor, ratio, limit, unit, pass: Number.isFinite(value) ? pass : false };
  };
  const KB = 1024;
  const blitSubmit = F['drawImage blit full canvas'].submit.median;
  const fillSubmit = F['basemap land fill (one path)'].submit.median;
  const info = (name, st, floorName, floor) => ({
    name, value: st.median, p95: st.p95, floorName, floor, ratio: floor ? st.median / floor : NaN, limit: NaN, unit: 'ms', pass: null,
  });
  const checks = [
    target('(a) gesture frame (pan/zoom)', results.gesture.median, results.gesture.p95, 'blit', blit, 2),
    info('    as reported by frames()', results.gesture.reported, 'blit submit', blitSubmit),
    target('(b) full frame after reloadLayers', results.reloadFull.median, results.reloadFull.p95, 'basemap fill', fill, 1.5),
    info('    as reported by frames()', results.reloadFull.reported, 'fill submit', fillSubmit),
    { name: '(c) navigation → map-first-draw', value: results.firstDraw.median, p95: results.firstDraw.p95, floorName: '', floor: NaN, ratio: NaN, limit: 1500, unit: 'ms', pass: results.firstDraw.median < 1500 },
    { name: '(d) gzip dist/*.wasm + *.js', value: results.sizes.app.gzip / KB, p95: NaN, floorName: '', floor: NaN, ratio: NaN, limit: 600, unit: 'KB', pass: results.sizes.app.gzip / KB < 600 },
  ];
  results.targets = checks;

  const out = [];
  out.push(`Render benchmark, ${W}x${H} dpr 1, ${results.chromium}, ${REPS} reps, ${LOADS} loads`);
  out.push('');
  const widths = [34, 10, 10, 22];
  const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i] || 12)).join(' ').trimEnd();
  out.push(line(['floor (op + flush)', 'median ms', 'p95 ms', 'submit-only median ms']));
  for (const [k, v] of Object.entries(F)) out.push(line([k, fmt(v.flushed.median), fmt(v.flushed.p95), fmt(v.submit.median)]));
  out.push('');
  const w2 = [36, 11, 10, 22, 8, 12, 5];
  const line2 = (cells) => cells.map((c, i) => String(c).padEnd(w2[i] || 12)).join(' ').trimEnd();
  out.push(line2(['app figure', 'median', 'p95', 'floor', 'ratio', 'target', 'ok']));
  for (const c of checks) {
    out.push(
      line2([
        c.name,
        `${fmt(c.value)} ${c.unit}`,
        Number.isFinite(c.p95) ? `${fmt(c.p95)} ${c.unit}` : '',
        c.floorName ? `${c.floorName} ${fmt(c.floor)} ms` : '',
        Number.isFinite(c.ratio) ? `${fmt(c.ratio)}×` : '',
        c.pass === null ? '(info)' : c.floorName ? `≤ ${c.limit}× floor` : `< ${c.limit} ${c.unit}`,
        c.pass === null ? '' : Number.isFinite(c.value) ? (c.pass ? 'yes' : 'NO') : 'n/a',
      ]),
    );
  }
  out.push('');
  out.push('app frames (a, b) = the whole animation-frame callback that drew the frame + 1-px getImageData flush (same measure as the floors)');
  out.push(`gesture frames: n=${results.gesture.n} probed, ${results.gesture.reported.n} reported; frame kinds seen during gestures: ${JSON.stringify(results.gesture.frameKinds)}`);
  out.push(`full frames after reload: n=${results.reloadFull.n} probed, ${results.reloadFull.reported.n} reported; first full frame per reload median ${fmt(results.reloadFull.firstFullPerReload.median)} ms`);
  out.push(`first draw (ms since navigation start, cold context each load): ${fmt(results.firstDraw.min, 0)}..${fmt(results.firstDraw.max, 0)}`);
  for (const f of results.sizes.app.files) out.push(`  ${f.file}: ${fmt(f.raw / KB, 1)} KB raw, ${fmt(f.gzip / KB, 1)} KB gzip`);
  out.push(`basemap data: ${fmt(results.sizes.basemap.raw / KB, 1)} KB raw, ${fmt(results.sizes.basemap.gzip / KB, 1)} KB gzip (${results.basemapGeometry.vertices} vertices in ${results.basemapGeometry.rings} rings)`);
  if (results.appHealth.pageErrors.length) out.push(`PAGE ERRORS: ${results.appHealth.pageErrors.join(' | ')}`);
  console.log(out.join('\n'));

  fs.writeFileSync(path.join(ROOT, 'bench', 'results.json'), JSON.stringify(results, null, 2) + '\n');
  console.log(`\nwrote ${path.relative(process.cwd(), path.join(ROOT, 'bench', 'results.json'))}`);
  if (STRICT && checks.some((c) => c.pass === false)) process.exit(1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
