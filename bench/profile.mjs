// What the long blocks of bench/blocks.mjs spend their time in (`--profile`): a CPU profile
// of each page load (Chrome DevTools Protocol, sampled every 200 µs) on a copy of the
// benchmark build whose wasm keeps its function names, and for each block the functions on
// the most samples inside it (inclusive: a function counts if it is anywhere on the stack).
//
//   node bench/profile.mjs [DIST]   (after `trunk build --release --features bench,split --dist
//                          target/dist-bench`; DIST defaults to that) builds target/dist-prof;
//                          then CALAIS_DIST=target/dist-prof node bench/blocks.mjs --profile
//                          adds each block's hot functions to target/bench/blocks.json (`hot`).
//   namedDist(dist)        target/dist-prof: `dist` with its wasm rebuilt with names (the same
//                          wasm-bindgen and wasm-opt flags as Trunk, plus -g) from the last
//                          cargo release build of the app: build the benchmark dist just before.
//   startProfile(ctx, page) → stop() gives { profile, offsetMs } (page ms = profile ms + offset).
//   hotIn(p, start, duration, top)  the `top` functions by samples in [start, start+duration].
//
// Units: page ms (performance.now()) for blocks, µs in the raw profile.

import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { ROOT } from '../tests/e2e/harness.mjs';

/** `dist` copied to target/dist-prof with a named wasm (integrity in index.html rewritten). */
export function namedDist(dist) {
  const out = path.join(ROOT, 'target', 'dist-prof');
  const work = path.join(ROOT, 'target', 'profile-build');
  fs.rmSync(out, { recursive: true, force: true });
  fs.cpSync(dist, out, { recursive: true });
  fs.mkdirSync(work, { recursive: true });
  const html = fs.readFileSync(path.join(ROOT, 'index.html'), 'utf8');
  const params = (html.match(/data-wasm-opt-params="([^"]*)"/) || [, ''])[1].split(/\s+/).filter(Boolean);
  const wasmName = fs.readdirSync(out).find((f) => /^calais-map-[0-9a-f]+_bg\.wasm$/.test(f));
  // Trunk's out-name: the wasm's imports name its glue module by it.
  const outName = 'calais-map';
  // A build cut at split points (scripts/split-build.mjs): its page module, as the build bound it.
  const cut = path.join(ROOT, 'target', 'split-build', 'cut', wasmName.replace(/_bg\.wasm$/, '.wasm'));
  const input = fs.existsSync(cut) ? cut : path.join(ROOT, 'target/wasm32-unknown-unknown/release/calais-map.wasm');
  execFileSync('wasm-bindgen', ['--target', 'web', '--keep-lld-exports', '--out-dir', work, '--out-name', outName,
    input], { stdio: 'inherit' });
  const target = path.join(out, wasmName);
  const digest = (file) => 'sha384-' + crypto.createHash('sha384').update(fs.readFileSync(file)).digest('base64');
  const was = digest(path.join(dist, wasmName));
  execFileSync('wasm-opt', ['-Oz', ...params, '-g', path.join(work, `${outName}_bg.wasm`), '-o', target], { stdio: 'inherit' });
  const sri = digest(target);
  // The wasm's integrity wherever it is written (index.html's preload, the loader's fetch).
  let found = 0;
  for (const f of fs.readdirSync(out).filter((f) => /\.(html|js)$/.test(f))) {
    const text = fs.readFileSync(path.join(out, f), 'utf8');
    if (!text.includes(was)) continue;
    found++;
    fs.writeFileSync(path.join(out, f), text.split(was).join(sri));
  }
  if (!found) throw new Error(`no integrity for ${wasmName} in ${out}`);
  // An inline script that changed: its hash in the page's CSP follows.
  const scripts = (text) => [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).filter(Boolean);
  const sha = (t) => 'sha256-' + crypto.createHash('sha256').update(t).digest('base64');
  const index = path.join(out, 'index.html');
  let page = fs.readFileSync(index, 'utf8');
  const before = scripts(fs.readFileSync(path.join(dist, 'index.html'), 'utf8'));
  scripts(page).forEach((t, k) => {
    if (before[k] !== undefined && before[k] !== t) page = page.split(sha(before[k])).join(sha(t));
  });
  fs.writeFileSync(index, page);
  return out;
}

/** Starts sampling `page`; `stop()` gives the profile and the page-ms offset of its clock. */
export async function startProfile(ctx, page) {
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  return {
    async stop() {
      const { profile } = await cdp.send('Profiler.stop');
      // The profile's clock is the browser's monotonic one, in which the page's time origin is
      // the navigation's start (an evaluate of performance.now() would wait for a busy page).
      await cdp.send('Performance.enable');
      const { metrics } = await cdp.send('Performance.getMetrics');
      await cdp.detach();
      const nav = metrics.find((m) => m.name === 'NavigationStart').value;
      return { profile, offsetMs: -nav * 1000 };
    },
  };
}

/** What the page-ms window [start, start+duration] spent its samples in: the `top` functions
 *  by self time (ms), then the app's own (Rust paths of the shell and the core, Leptos) by
 *  inclusive time, wrappers of wasm-bindgen left out. */
export function hotIn({ profile, offsetMs }, start, duration, top = 8) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);
  const name = (id) => {
    const f = byId.get(id).callFrame;
    return (f.functionName || `(${f.url.split('/').pop() || 'anonymous'})`).replace(/::h[0-9a-f]{16}$/, '');
  };
  const own = /^(<)?(calais_|leptos|tachys|reactive_graph|calais_core)/;
  const self = new Map();
  const incl = new Map();
  const add = (m, k, v) => m.set(k, (m.get(k) || 0) + v);
  let t = profile.startTime;
  for (let k = 0; k < profile.samples.length; k++) {
    t += profile.timeDeltas[k];
    const at = t / 1000 + offsetMs;
    const dt = (profile.timeDeltas[k + 1] ?? 0) / 1000;
    if (at < start || at > start + duration) continue;
    const leaf = name(profile.samples[k]);
    if (!/^\((root|idle)\)$/.test(leaf)) add(self, leaf, dt);
    const seen = new Set();
    for (let id = profile.samples[k]; id !== undefined; id = parent.get(id)) {
      const n = name(id);
      if (seen.has(n) || !own.test(n)) continue;
      seen.add(n);
      add(incl, n, dt);
    }
  }
  const list = (m, n) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, n)
    .map(([k, v]) => `${k.length > 100 ? k.slice(0, 100) + '…' : k} ${v.toFixed(1)}`);
  return { self: list(self, top), app: list(incl, top * 2) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = namedDist(path.resolve(process.argv[2] || path.join(ROOT, 'target', 'dist-bench')));
  console.error(`[bench:profile] ${path.relative(ROOT, out)}: the build with a named wasm`);
}
