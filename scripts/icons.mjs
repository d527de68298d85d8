#!/usr/bin/env node
// The web manifest's PNG icons (issue 14 follow-up): assets/icon.svg rendered by Debian's
// chromium (/usr/bin/chromium, CHROMIUM_PATH overrides) through playwright-core at 192 × 192
// and 512 × 512 CSS px (device scale 1, transparent outside the icon's rounded square), written
// as assets/icon-192.png and assets/icon-512.png. The PNGs are committed; run this again after
// changing the SVG: `node scripts/icons.mjs`. Units: px.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SVG = path.join(ROOT, 'assets', 'icon.svg');
const SIZES = [192, 512];

const svg = fs.readFileSync(SVG, 'utf8');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  headless: true,
  // No network of its own (DEVELOPERS.md, "Pitfalls").
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  for (const size of SIZES) {
    const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
    const html = `<!doctype html><html><head><style>html,body{margin:0;background:transparent}
      img{display:block;width:${size}px;height:${size}px}</style></head><body>
      <img src="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}"></body></html>`;
    await page.setContent(html);
    await page.locator('img').evaluate((img) => img.decode());
    const out = path.join(ROOT, 'assets', `icon-${size}.png`);
    await page.screenshot({ path: out, omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
    const png = fs.readFileSync(out);
    // PNG header: width and height are the IHDR's first two 32-bit fields.
    const [w, h] = [png.readUInt32BE(16), png.readUInt32BE(20)];
    if (w !== size || h !== size) throw new Error(`icons: ${out} is ${w} × ${h}, not ${size} × ${size}`);
    console.log(`icons: ${path.relative(ROOT, out)} ${w} × ${h}, ${png.length} B`);
    await page.close();
  }
} finally {
  await browser.close();
}
