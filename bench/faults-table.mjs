// Prints README "Faults"'s table from target/e2e-faults.json (written by
// tests/e2e/faults-connection.test.mjs and tests/e2e/faults-stream.test.mjs).
// Usage: node bench/faults-table.mjs [--lang en|fr|both]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const file = path.join(root, 'target', 'e2e-faults.json');
const { written, faults } = JSON.parse(fs.readFileSync(file, 'utf8'));
const lang = process.argv.includes('--lang') ? process.argv[process.argv.indexOf('--lang') + 1] : 'both';
// Clock times and counts in the shown texts change from run to run: shown as placeholders.
const tidy = (s) => (s ?? '').replace(/\d\d:\d\d:\d\d [A-Z][a-z]+/g, 'hh:mm:ss').replace(/\|/g, '/').replace(/×$/, '');
const ms = (v) => (v >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${v} ms`);
const head = ['fault', ...(lang !== 'fr' ? ['shown (English)'] : []), ...(lang !== 'en' ? ['shown (French)'] : []),
  'lost', 'doubled', 'longest task / frame', 'recovery'];
console.log(`| ${head.join(' | ')} |`);
console.log(`| ${head.map(() => '---').join(' | ')} |`);
for (const r of faults) {
  const cells = [r.fault, ...(lang !== 'fr' ? [tidy(r.shown_en)] : []), ...(lang !== 'en' ? [tidy(r.shown_fr)] : []),
    String(r.lost) + (r.extra_open ? ` (+${r.extra_open} closures)` : ''), String(r.doubled),
    `${r.longest_task_ms} / ${r.longest_frame_ms} ms`, ms(r.recovery_ms)];
  console.log(`| ${cells.join(' | ')} |`);
}
console.log(`\n(${file.replace(root + '/', '')}, written ${written})`);
