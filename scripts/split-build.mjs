// Code loaded on first use (issue 14, the bundle's budget; src/web/split.rs): the first of the
// build's post_build hooks (Trunk.toml). Trunk has built the app with the cargo feature `split`
// (Trunk.toml's `[build] features`) and run wasm-bindgen on it whole; this cuts the module at its split
// points and puts the parts in the staging directory in place of Trunk's:
//
//   1. `wasm-split-cli` (crate wasm_split_cli_support, scripts/ensure-tools.sh) reads cargo's
//      output (linked with `--emit-relocs`, scripts/app-build.rs) and writes the page's module,
//      one module per part (`split_<part>.wasm`), one per piece of code parts share
//      (`chunk_<n>.wasm`) and the small JS that fetches them;
//   2. wasm-bindgen runs on the page's module as Trunk runs it, keeping the linker's exports the
//      parts import (`--keep-lld-exports`);
//   3. in a release build, wasm-opt (-Oz and index.html's data-wasm-opt-params: Trunk's own pass
//      is off, `data-wasm-opt="0"`) optimises each module;
//   4. every new file is named by its content (`split_exports-<hash>.wasm`,
//      `__wasm_split-<hash>.js`, so a browser never mixes two builds' parts), the glue and the
//      wasm keep Trunk's names, and index.html's integrity for both is rewritten (sha384).
//
// The service worker keeps the parts like every file of the build (scripts/sw-build.mjs runs
// after), so a part first used offline is there. A build without split points (the feature
// off) gets steps 2–3 alone. Fails loudly, and so the build, on anything unexpected.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const dir = process.argv[2] || process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('split-build: no directory (argument or TRUNK_STAGING_DIR)');
const profile = process.env.TRUNK_PROFILE || 'release';
const release = profile === 'release';
const targetDir = process.env.CARGO_TARGET_DIR || 'target';
const fail = (why) => { throw new Error(`split-build: ${why}`); };

const htmlFile = path.join(dir, 'index.html');
let html = readFileSync(htmlFile, 'utf8');
const glueLink = /<link rel="modulepreload" href="\.\/([^"]+)\.js"[^>]*integrity="([^"]+)"/.exec(html);
if (!glueLink) fail('no modulepreload link with integrity for the JS glue in index.html');
const stem = glueLink[1];
const wasmName = `${stem}_bg.wasm`;
if (!new RegExp(`<link rel="preload" href="\\./${stem}_bg\\.wasm"[^>]*integrity="`).test(html)) {
  fail(`no preload link with integrity for ${wasmName}`);
}
const source = readFileSync('index.html', 'utf8');
const params = (source.match(/data-wasm-opt-params="([^"]*)"/) || fail('no data-wasm-opt-params in index.html'))[1]
  .split(/\s+/).filter(Boolean);
const raw = path.join(targetDir, 'wasm32-unknown-unknown', profile, 'calais-map.wasm');
if (!existsSync(raw)) fail(`no cargo output at ${raw}`);

const work = path.join(targetDir, 'split-build');
rmSync(work, { recursive: true, force: true });
const cut = path.join(work, 'cut');
const bound = path.join(work, 'bound');
mkdirSync(cut, { recursive: true });
mkdirSync(bound, { recursive: true });

const run = (cmd, args) => execFileSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
run('wasm-split-cli', [raw, cut, '--out-name', stem]);
// The parts (`split_<part>.wasm`) and the code two parts share (`chunk_<n>.wasm`, fetched with
// either): every module but the page's.
const parts = readdirSync(cut).filter((f) => f.endsWith('.wasm') && f !== `${stem}.wasm`).sort();
run('wasm-bindgen', ['--target', 'web', '--no-typescript', '--keep-lld-exports', '--no-demangle',
  '--out-dir', bound, '--out-name', stem, path.join(cut, `${stem}.wasm`)]);

const optimise = (from, to) => {
  if (release) run('wasm-opt', ['-Oz', ...params, from, '-o', to]);
  else writeFileSync(to, readFileSync(from));
};
const digest = (bytes, algo = 'sha384') => createHash(algo).update(bytes).digest();
const named = (base, ext, bytes) => `${base}-${digest(bytes, 'sha256').toString('hex').slice(0, 16)}${ext}`;

let glue = readFileSync(path.join(bound, `${stem}.js`), 'utf8');
const linkImport = './__wasm_split.js';
if (parts.length > 0) {
  let link = readFileSync(path.join(cut, '__wasm_split.js'), 'utf8');
  for (const part of parts) {
    const out = path.join(work, part);
    optimise(path.join(cut, part), out);
    const bytes = readFileSync(out);
    const file = named(part.replace(/\.wasm$/, ''), '.wasm', bytes);
    writeFileSync(path.join(dir, file), bytes);
    if (!link.includes(`"./${part}"`)) fail(`the loader does not name ./${part}`);
    link = link.split(`"./${part}"`).join(`"./${file}"`);
  }
  const linkFile = named('__wasm_split', '.js', Buffer.from(link));
  writeFileSync(path.join(dir, linkFile), link);
  // The import statement only: the import object's key stays the module name the wasm asks for.
  const statement = `from "${linkImport}"`;
  if (!glue.includes(statement)) fail(`the glue does not import ${linkImport}`);
  glue = glue.split(statement).join(`from "./${linkFile}"`);
} else if (glue.includes(linkImport)) {
  fail('the glue imports the parts\' loader but the module has no split points');
}
optimise(path.join(bound, `${stem}_bg.wasm`), path.join(work, wasmName));
const wasm = readFileSync(path.join(work, wasmName));
writeFileSync(path.join(dir, wasmName), wasm);
writeFileSync(path.join(dir, `${stem}.js`), glue);

// index.html's integrity for the two files Trunk named.
const sri = (bytes) => `sha384-${digest(bytes).toString('base64')}`;
const reIntegrity = (href, bytes) => {
  const tag = new RegExp(`(<link rel="(?:modulepreload|preload)" href="\\./${href.replace(/[.]/g, '\\.')}"[^>]*integrity=")([^"]+)(")`);
  if (!tag.test(html)) fail(`no link with integrity for ${href}`);
  html = html.replace(tag, `$1${sri(bytes)}$3`);
};
reIntegrity(`${stem}.js`, Buffer.from(glue));
reIntegrity(wasmName, wasm);
writeFileSync(htmlFile, html);
console.log(`split-build: ${stem}: page module ${wasm.length} B, ${parts.length} part(s)${parts.length ? ` (${parts.join(', ')})` : ''}${release ? '' : ' (not optimised: not a release build)'}`);
