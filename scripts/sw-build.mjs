#!/usr/bin/env node
// Stamps the service worker of a build with its version and the files it keeps (issue 14
// item 3). Run by Trunk as a post_build hook (Trunk.toml) on the staging directory, after every
// asset is in place and before it becomes dist/; by hand: `node scripts/sw-build.mjs <dir>`.
//
// The version is the SHA-256 of every file's path and contents (sw.js excepted), so any change
// to the shell, the config or a data file makes a new service worker, and so new caches; the
// same files give the same version (a rebuild changes nothing). The file list is every file of
// the build but sw.js, relative to the app's root (the worker resolves it against its scope).
// Its comment lines are dropped (they count in the shipped bundle). The security headers that
// scripts/csp-build.mjs (run just before, in the same hook) wrote to security-headers.json go
// into the worker too (`headers`): it sets them on every answer from its cache (issue 15 item 1);
// that file itself is hashed but not kept (it is for servers). Plain Node (>= 18, already needed
// for wasm-opt), no dependencies; fails loudly (and so the build) when the worker, its
// placeholder or the headers file is missing. Idempotent: a second run restamps the worker.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import path from 'node:path';

const dir = process.argv[2] || process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('sw-build: no directory (argument or TRUNK_STAGING_DIR)');
const SW = 'sw.js';
const HEADERS = 'security-headers.json';
// The placeholder in assets/sw.js, or a previous run's stamp (one line).
const PLACEHOLDER = /^const BUILD = .*;$/m;

function walk(d, rel = '') {
  return readdirSync(d).sort().flatMap((name) => {
    const p = path.join(d, name);
    const r = rel ? `${rel}/${name}` : name;
    return statSync(p).isDirectory() ? walk(p, r) : [r];
  });
}

const hashed = walk(dir).filter((f) => f !== SW);
const files = hashed.filter((f) => f !== HEADERS);
const headers = JSON.parse(readFileSync(path.join(dir, HEADERS), 'utf8'));
const hash = createHash('sha256');
for (const f of hashed) {
  hash.update(f + '\0');
  hash.update(readFileSync(path.join(dir, f)));
}
const version = hash.digest('hex').slice(0, 16);
const swPath = path.join(dir, SW);
const sw = readFileSync(swPath, 'utf8');
if (!PLACEHOLDER.test(sw)) throw new Error(`sw-build: ${swPath} has no "const BUILD = null;" line`);
const build = JSON.stringify({ version, files, headers });
// The comment lines are for readers of assets/sw.js; the shipped worker goes without them.
const code = sw.split('\n').filter((l) => !l.trimStart().startsWith('//')).join('\n');
writeFileSync(swPath, code.replace(PLACEHOLDER, () => `const BUILD = ${build};`));
console.log(`sw-build: version ${version}, ${files.length} files`);
