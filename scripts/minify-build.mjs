#!/usr/bin/env node
// Minifies the build's JavaScript (the wasm-bindgen glue, 91.7 KB of readable JS, and the
// watchdog) with terser (npm, package.json), then rewrites the integrity Trunk computed for each
// file in index.html, so Subresource Integrity still checks them. Run by Trunk as the first
// post_build hook (Trunk.toml, before scripts/csp-build.mjs, which moves the checked glue
// preload before the loader, and scripts/sw-build.mjs, which hashes every file) on the staging
// directory; by hand: `node scripts/minify-build.mjs dist`.
//
// Why not Trunk's own `minify = "on_release"`: its JS minifier fails on the glue's
// `export default` and leaves it as it is, and its HTML minifier rewrites the inline loader the
// CSP step hashes (BENCHMARKS "Bundle: tables in the data"). terser keeps every exported name
// (the loader imports `default` and the bindings by name) and the watchdog's globals (it is a
// classic script: its top level is not mangled).
//
// Only files index.html loads with an integrity attribute are touched; a file terser cannot
// parse fails the build (a half-minified bundle never ships). Idempotent.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { minify } from 'terser';

const dir = process.argv[2] || process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('minify-build: no directory (argument or TRUNK_STAGING_DIR)');
const indexPath = path.join(dir, 'index.html');
let html = readFileSync(indexPath, 'utf8');

// <script src="x.js" integrity="…"> (classic) and <link rel="modulepreload" href="x.js" … integrity="…">.
const tags = [...html.matchAll(/<(script|link)\b[^>]*>/g)].map((m) => m[0]);
let count = 0;
for (const tag of tags) {
  const url = (tag.match(/\b(?:src|href)="([^"]+\.js)"/) || [])[1];
  const integrity = (tag.match(/\bintegrity="([^"]+)"/) || [])[1];
  if (!url || !integrity || /^[a-z]+:/i.test(url)) continue;
  const isModule = /rel="modulepreload"/.test(tag);
  const file = path.join(dir, url);
  const source = readFileSync(file, 'utf8');
  const out = await minify(source, {
    module: isModule,
    compress: { passes: 2 },
    mangle: true,
    format: { comments: false },
  });
  if (typeof out.code !== 'string' || out.code.length === 0) {
    throw new Error(`minify-build: terser gave nothing for ${url}`);
  }
  writeFileSync(file, out.code);
  const sri = `sha384-${createHash('sha384').update(out.code).digest('base64')}`;
  const algo = integrity.split('-')[0];
  if (algo !== 'sha384') throw new Error(`minify-build: ${url} has a ${algo} integrity, expected sha384`);
  html = html.split(`integrity="${integrity}"`).join(`integrity="${sri}"`);
  console.log(`minify-build: ${url} ${source.length} -> ${out.code.length} B`);
  count++;
}
if (count === 0) throw new Error('minify-build: index.html loads no script with an integrity attribute');
writeFileSync(indexPath, html);
