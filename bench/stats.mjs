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
