// Statistics, formatting and reporting shared by the benchmark runners (render, incidents, geofence).

import fs from 'node:fs';
import path from 'node:path';

/** Median of the samples (NaN if none). */
export const median = (xs) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** The p-th percentile (nearest rank; NaN if none). */
export const pct = (xs, p) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

/** Count, median, p95, min, max and the samples themselves. */
export const stats = (xs) => ({ n: xs.length, median: median(xs), p95: pct(xs, 95), min: Math.min(...xs), max: Math.max(...xs), samples: xs });

/** A number with `d` decimals, or "n/a". */
export const fmt = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');

/** The target rows (`{name, value, unit, vs, ratio, target, pass}`) as a markdown table;
 * `ratioText(r)` words a row's finite ratio. */
export function targetTable(rows, ratioText) {
  return [
    '| figure | median | vs | ratio | target | met |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => {
      const ratio = Number.isFinite(r.ratio) ? ratioText(r) : '';
      const met = r.pass === null ? '(info)' : r.pass ? 'yes' : 'NO';
      return `| ${r.name} | ${fmt(r.value)} ${r.unit} | ${r.vs} | ${ratio} | ${r.target} | ${met} |`;
    }),
  ];
}

/** The closing lines of a report: the peers' versions and the run's errors. */
export function tailLines(results) {
  const out = [];
  if (results.packages) out.push(`Peers: ${Object.entries(results.packages).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  for (const [k, v] of Object.entries(results.errors)) out.push(`ERROR (${k}): ${v.split('\n')[0]}`);
  return out;
}

/**
 * Prints the report `lines`, writes `results` as JSON to `outPath`, and exits 1 when a part of
 * the run failed (`results.errors`) or, with `strict`, when a target row was missed.
 */
export function finish(lines, results, rows, outPath, strict) {
  console.log(lines.join('\n'));
  fs.mkdirSync(path.dirname(outPath), { recursive: true });
  fs.writeFileSync(outPath, JSON.stringify(results, null, 2) + '\n');
  console.log(`\nwrote ${path.relative(process.cwd(), outPath)}`);
  if (Object.keys(results.errors).length) process.exit(1);
  if (strict && rows.some((r) => r.pass === false)) process.exit(1);
}

/**
 * Wraps requestAnimationFrame (before the app starts) so that every animation-frame callback
 * in which the app drew a frame is timed as the app's whole callback (JS + wasm + 2D calls)
 * plus a 1-px getImageData on the map canvas, which rasterises what the frame recorded: the
 * same "op + flush" measure as the floors. calaisMap.frames() reports the submit time only.
 */
export const RAF_PROBE = `
(() => {
  const raf = window.requestAnimationFrame.bind(window);
  window.__benchFrames = [];
  window.requestAnimationFrame = (cb) => raf((t) => {
    const h = window.__e2eFrames;
    const before = h && window.calaisMap ? h.sig() : '';
    const t0 = performance.now();
    cb(t);
    const t1 = performance.now();
    if (!h || !window.calaisMap || h.sig() === before) return;
    const c = document.querySelector('[data-testid="map-canvas"]');
    const ctx = c && c.getContext('2d');
    const t2 = performance.now();
    if (ctx) ctx.getImageData(0, 0, 1, 1);
    const t3 = performance.now();
    const f = window.calaisMap.frames().at(-1) || {};
    window.__benchFrames.push({ kind: f.kind, ms: f.ms, cbMs: t1 - t0, flushMs: t3 - t2, totalMs: t1 - t0 + (t3 - t2) });
    if (window.__benchFrames.length > 20000) window.__benchFrames.splice(0, 10000);
  });
})();`;
export const probeCount = (page) => page.evaluate(() => window.__benchFrames.length);
export const probeSince = (page, n) => page.evaluate((n) => window.__benchFrames.slice(n), n);

/** The number after `name` on the command line (`--reps 15`), or `dflt`. */
export const argVal = (name, dflt) => {
  const args = process.argv.slice(2);
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
