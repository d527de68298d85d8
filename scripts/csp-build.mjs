#!/usr/bin/env node
// The build's Content Security Policy (issue 15 item 1). Run by Trunk as a post_build hook
// (Trunk.toml, before scripts/sw-build.mjs) on the staging directory; by hand, after editing a
// deployed config: `node scripts/csp-build.mjs dist && node scripts/sw-build.mjs dist`.
//
// The policy depends on the deployment's public/config.json, so it is computed here, from the
// build's own copy of it, and written twice:
// - into index.html, as the first element of <head>: <meta http-equiv="Content-Security-Policy">
//   (everything but frame-ancestors, which a meta tag cannot carry);
// - into security-headers.json beside index.html: the same policy plus frame-ancestors, and
//   X-Content-Type-Options and Referrer-Policy. The demo server (server/src/http.rs) sends these
//   headers with every answer, the service worker (scripts/sw-build.mjs stamps them into it)
//   with every answer from its cache; another web server in front of the app sends them too
//   (copy them from that file).
//
// The policy: default-src 'self'; scripts only from the app's origin plus the sha256 of Trunk's
// one inline loader script, and 'wasm-unsafe-eval' for WebAssembly (no 'unsafe-inline', no
// 'unsafe-eval'); styles only from the origin (the app sets styles through the CSSOM, never
// style="..." attributes); connect-src the origin and the origins of every absolute data URL in
// the config (layers, zones, incidents' snapshot, stream and history); img-src the origin and the
// tile server's origin (tiles.url_template); object-src 'none'; base-uri 'none'; form-action
// 'none'; frame-ancestors 'none', or the origins listed in the config's
// `security.frame_ancestors` (the wall's host page, if it frames the app).
//
// The loader script: Trunk's inline <script type="module"> is rewritten so that the wasm is
// fetched with the integrity Trunk computed for its preload link (wasm-bindgen's init fetches a
// bare URL otherwise, unchecked), and Trunk's modulepreload of the JS glue (with its integrity)
// is moved before it, so the glue the loader imports is the checked one. A URL in the config
// that is not http(s) or relative fails the build (the app refuses it too: core::config).
// Plain Node, no dependencies; idempotent (a second run replaces the first's meta tag).
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const dir = process.argv[2] || process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('csp-build: no directory (argument or TRUNK_STAGING_DIR)');
const HEADERS_FILE = 'security-headers.json';
// core::config's default tile source, used when the config has a `tiles` section without a template.
const DEFAULT_TILES = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';

const fail = (msg) => {
  throw new Error(`csp-build: ${msg}`);
};

/** The origin of an absolute http(s) URL; null for a relative one; the build fails otherwise. */
function originOf(field, url) {
  if (typeof url !== 'string') return null;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url.trim());
  if (!scheme && !url.trim().startsWith('//')) return null;
  // Placeholders ({z}, {x}, {y}) are not valid in a host; they only ever sit in the path or query.
  let u;
  try {
    u = new URL(url.replace(/[{}]/g, ''), 'http://relative.invalid/');
  } catch {
    fail(`${field} is not a URL: ${url}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') fail(`${field} must be http(s) or relative: ${url}`);
  return u.origin;
}

function sources(field, list) {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) fail(`${field} must be a list of origins`);
  return list.map((o, i) => {
    const origin = originOf(`${field}[${i}]`, o);
    if (!origin || origin !== String(o).replace(/\/$/, '')) fail(`${field}[${i}] must be an origin like https://wall.example: ${o}`);
    return origin;
  });
}

const uniq = (xs) => [...new Set(xs.filter(Boolean))];

/** The policy's directives from a config document and the inline scripts' hashes. */
function directives(config, scriptHashes) {
  const c = config && typeof config === 'object' ? config : {};
  const layers = c.layers || {};
  const inc = c.incidents || {};
  const connect = uniq([
    ...Object.entries(layers).map(([k, v]) => originOf(`layers.${k}`, v)),
    originOf('zones.url', c.zones?.url),
    originOf('incidents.snapshot_url', inc.snapshot_url),
    originOf('incidents.stream_url', inc.stream_url),
    originOf('incidents.history_url', inc.history_url),
  ]);
  const tiles = c.tiles ? originOf('tiles.url_template', c.tiles.url_template ?? DEFAULT_TILES) : null;
  const frames = sources('security.frame_ancestors', c.security?.frame_ancestors);
  const list = (xs) => xs.join(' ');
  return {
    meta: [
      "default-src 'self'",
      `script-src 'self' 'wasm-unsafe-eval' ${list(scriptHashes.map((h) => `'sha256-${h}'`))}`.trim(),
      "style-src 'self'",
      `img-src ${list(["'self'", ...(tiles ? [tiles] : [])])}`,
      `connect-src ${list(["'self'", ...connect])}`,
      "font-src 'self'",
      "worker-src 'self'",
      "manifest-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'none'",
    ],
    frameAncestors: `frame-ancestors ${frames.length ? list(frames) : "'none'"}`,
  };
}

/** Rewrites Trunk's loader (integrity on the wasm fetch, the glue's modulepreload first). */
function harden(html) {
  const loader = /<script type="module">([\s\S]*?)<\/script>/;
  const m = loader.exec(html);
  if (!m) fail('index.html has no inline <script type="module"> (Trunk\'s loader)');
  let code = m[1];
  const wasmCall = /module_or_path: '(\.\/[^']+_bg\.wasm)'/;
  const w = wasmCall.exec(code);
  if (w) {
    const preload = new RegExp(`<link rel="preload" href="${w[1].replace(/[.]/g, '\\.')}"[^>]*integrity="([^"]+)"`).exec(html);
    if (!preload) fail(`no preload link with integrity for ${w[1]}`);
    code = code.replace(wasmCall, `module_or_path: fetch('${w[1]}', { integrity: '${preload[1]}' })`);
  } else if (!/module_or_path: fetch\('[^']+', \{ integrity: 'sha384-/.test(code)) {
    fail('the loader neither fetches the wasm by URL nor with integrity (has Trunk changed its loader?)');
  }
  html = html.replace(loader, () => `<script type="module">${code}</script>`);
  const glue = /\s*(<link rel="modulepreload" [^>]*integrity="[^"]+"[^>]*>)/.exec(html);
  if (!glue) fail('no modulepreload link with integrity for the JS glue');
  html = html.replace(glue[0], '');
  html = html.replace(/<script type="module">/, () => `${glue[1]}\n<script type="module">`);
  return html;
}

function main() {
  const indexPath = path.join(dir, 'index.html');
  let html = readFileSync(indexPath, 'utf8').replace(/\s*<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
  html = harden(html);
  const hashes = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)]
    .map((s) => createHash('sha256').update(s[1], 'utf8').digest('base64'));
  const config = JSON.parse(readFileSync(path.join(dir, 'public', 'config.json'), 'utf8'));
  const d = directives(config, hashes);
  const meta = d.meta.join('; ');
  const charset = /<meta charset="utf-8" \/>/i;
  if (!charset.test(html)) fail('index.html has no <meta charset="utf-8" />');
  html = html.replace(charset, (c) => `${c}\n    <meta http-equiv="Content-Security-Policy" content="${meta}" />`);
  writeFileSync(indexPath, html);
  const headers = {
    'Content-Security-Policy': `${meta}; ${d.frameAncestors}`,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  };
  writeFileSync(path.join(dir, HEADERS_FILE), JSON.stringify(headers, null, 2) + '\n');
  console.log(`csp-build: ${hashes.length} inline script hash(es); ${headers['Content-Security-Policy']}`);
}

main();
