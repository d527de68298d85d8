// Where the release bundle's bytes go (BENCHMARKS.md "Bundle: where the bytes go and what was
// cut"). Run after `trunk build --release` (it reads the release cargo output, not dist/):
//
//   node bench/bundle-breakdown.mjs [--top 25] [--named FILE]
//
// It runs wasm-bindgen and wasm-opt as Trunk does (the flags of index.html's data-wasm-opt-params)
// but keeps the function names (-g), then prints, for each group of functions, its raw bytes and
// its marginal gzip bytes: gzip -9 of the code and data with the group's function bodies minus
// gzip -9 without them (what the group adds to the compressed module, shared context included).
// The named module compresses within ~1 % of the shipped one. Output: target/bundle-breakdown/.
// `--named FILE` analyses a module built so before (no wasm-bindgen, no wasm-opt). It also
// reports the locale strings' share (issue 14 asks for them apart from the bundle's budget).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const arg = (flag) => { const k = process.argv.indexOf(flag); return k > 0 ? process.argv[k + 1] : undefined; };
const top = Number(arg('--top')) || 25;
const out = 'target/bundle-breakdown';
let named = arg('--named');
if (!named) {
  mkdirSync(out, { recursive: true });
  const html = readFileSync('index.html', 'utf8');
  const params = (html.match(/data-wasm-opt-params="([^"]*)"/) || [, ''])[1].split(/\s+/).filter(Boolean);
  // The page's module as the build cut it (scripts/split-build.mjs leaves it in
  // target/split-build/cut/): the parts loaded on first use are not in the page's bundle.
  const cut = 'target/split-build/cut';
  const page = existsSync(cut) && readdirSync(cut).find((f) => /^calais-map-[0-9a-f]+\.wasm$/.test(f));
  const input = page ? `${cut}/${page}` : 'target/wasm32-unknown-unknown/release/calais-map.wasm';
  execFileSync('wasm-bindgen', ['--target', 'web', '--keep-lld-exports', '--out-dir', out, '--out-name', 'app',
    input], { stdio: 'inherit' });
  named = `${out}/named.wasm`;
  execFileSync('wasm-opt', ['-Oz', ...params, '-g', `${out}/app_bg.wasm`, '-o', named], { stdio: 'inherit' });
}

// The module's function bodies (in order), their names and the data section.
const d = readFileSync(named);
let i = 8;
const leb = () => {
  let r = 0, s = 0, b;
  do { b = d[i++]; r += (b & 0x7f) * 2 ** s; s += 7; } while (b & 0x80);
  return r;
};
const skipLimits = () => { const f = d[i++]; leb(); if (f & 1) leb(); };
let importedFns = 0, data = Buffer.alloc(0);
const bodies = [], names = new Map();
while (i < d.length) {
  const id = d[i++], len = leb(), end = i + len;
  if (id === 2) {
    for (let n = leb(); n > 0; n--) {
      for (let part = 0; part < 2; part++) { const l = leb(); i += l; } // module and field names
      const kind = d[i++];
      if (kind === 0) { leb(); importedFns++; } else if (kind === 1) { i++; skipLimits(); }
      else if (kind === 2) skipLimits(); else if (kind === 3) i += 2; else { i++; leb(); }
    }
  } else if (id === 10) {
    for (let n = leb(); n > 0; n--) { const l = leb(); bodies.push(d.subarray(i, i + l)); i += l; }
  } else if (id === 11) {
    data = d.subarray(i, end);
  } else if (id === 0) {
    const l = leb(), name = d.subarray(i, i + l).toString(); i += l;
    if (name === 'name') {
      while (i < end) {
        const sub = d[i++], sl = leb(), se = i + sl;
        if (sub === 1) {
          for (let n = leb(); n > 0; n--) {
            const idx = leb(), nl = leb();
            names.set(idx, d.subarray(i, i + nl).toString().replace(/\[[0-9a-f]+\]/g, ''));
            i += nl;
          }
        }
        i = se;
      }
    }
  }
  i = end;
}
const nameOf = (k) => names.get(k + importedFns) || '?';
const gz = (parts) => gzipSync(Buffer.concat(parts), { level: 9 }).length;
const all = gz([...bodies, data]);
const marginal = (pick) => {
  let raw = 0, count = 0;
  const rest = bodies.filter((b, k) => {
    const inGroup = pick(nameOf(k));
    if (inGroup) { raw += b.length; count++; }
    return !inGroup;
  });
  return { raw, count, gzip: all - gz([...rest, data]) };
};

const groups = [
  ['app shell (calais_web)', /calais_web::/],
  ['app core (calais_core)', /calais_core::/],
  ['Leptos (tachys, reactive_graph, leptos: with the view closures inlined into its generics)', /tachys|reactive_graph|leptos/],
  ['std sorts (driftsort, ipnsort, select)', /core::slice::sort/],
  ['closure shims (FnOnce vtable)', /^core::ops::function/],
  ['iterator adapters', /^<?core::iter/],
  ['BTreeMap / BTreeSet', /alloc::collections::btree/],
  ['float formatting (flt2dec, fmt::float)', /flt2dec|core::fmt::float/],
  ['libm (compiler_builtins math)', /compiler_builtins::math/],
  ['serde_json', /serde_json/],
  ['wasm-bindgen, js-sys, web-sys', /wasm_bindgen|js_sys|web_sys/],
  ['async-derived machinery, std channels and threads', /async_derived|transition|mpmc|thread::|ScopedFuture/],
];
console.log(`gzip -9 of the code and data: ${all} B (data alone ${gz([data])} B of ${data.length} raw)`);
console.log('| group | functions | raw bytes | marginal gzip bytes |\n| --- | --- | --- | --- |');
for (const [label, re] of groups) {
  const m = marginal((n) => re.test(n));
  console.log(`| ${label} | ${m.count} | ${m.raw} | ${m.gzip} |`);
}
const withoutData = gz(bodies);
console.log(`| data segments (texts, tables) | — | ${data.length} | ${all - withoutData} |`);
// By feature: the functions named for it (its view closures inside Leptos generics are not).
const features = [
  ['incidents (core::incident*, the list and card, the incident layer, the feed)', /calais_core::incident|incident_ui|render::incidents|calais_web::feed/],
  ['geofencing and zones', /calais_core::geofence|calais_web::geofence|zone_editor/],
  ['heatmap, playback, comparison', /heatmap|playback|compare_ui|displacement/],
  ['exports', /export|sha2|png_text|crc/],
  ['the wall', /calais_core::wall|wall_/],
  ['the config', /calais_core::config/],
  ['coordinates', /calais_core::grids|grids_ui|calais_web::grids/],
];
console.log('\n| feature | functions | raw bytes | marginal gzip bytes |\n| --- | --- | --- | --- |');
for (const [label, re] of features) {
  const m = marginal((n) => re.test(n));
  console.log(`| ${label} | ${m.count} | ${m.raw} | ${m.gzip} |`);
}
// The locale strings (issue 14: "the locale strings reported separately"): every text of the
// string table (src/web/strings/*.rs, English and French), found in the data segment and cut
// out of it: their marginal gzip bytes in the module. A literal's pieces around `{…}`
// placeholders count; pieces under 4 bytes are skipped (they would match other data).
const pieces = new Set();
for (const f of readdirSync('src/web/strings')) {
  if (!f.endsWith('.rs')) continue;
  const src = readFileSync(`src/web/strings/${f}`, 'utf8').replace(/#\[cfg\(test\)\][\s\S]*$/, '');
  for (const m of src.matchAll(/"((?:[^"\\]|\\.)*)"/g)) {
    const text = m[1].replace(/\\"/g, '"').replace(/\\n/g, '\n').replace(/\\u\{([0-9a-f]+)\}/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)));
    for (const piece of text.split(/\{[^}]*\}/)) if (Buffer.byteLength(piece) >= 4) pieces.add(piece);
  }
}
const cut = Buffer.from(data);
const keep = new Uint8Array(cut.length).fill(1);
let textBytes = 0;
for (const piece of [...pieces].sort((a, b) => b.length - a.length)) {
  const needle = Buffer.from(piece);
  for (let at = cut.indexOf(needle); at >= 0; at = cut.indexOf(needle, at + needle.length)) {
    for (let k = at; k < at + needle.length; k++) if (keep[k]) { keep[k] = 0; textBytes++; }
  }
}
const dataWithout = Buffer.from(cut.filter((_, k) => keep[k]));
const stringsGzip = all - gz([...bodies, dataWithout]);
console.log(`\nlocale strings (the string table's English and French texts found in the data): ${textBytes} B raw, ${stringsGzip} B marginal gzip`);
console.log(`\nlargest functions (raw bytes):`);
bodies.map((b, k) => [b.length, nameOf(k)]).sort((a, b) => b[0] - a[0]).slice(0, top)
  .forEach(([n, name]) => console.log(String(n).padStart(7), name.slice(0, 150)));
