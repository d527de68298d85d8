#!/usr/bin/env node
// The tablet layout's measured figures (issue 14 item 1): at 768 × 1024 (portrait) and
// 1024 × 768 (landscape), touch emulation (hasTouch, isMobile, dpr 1), `?mode=tablet`, the
// demo server with two open incidents: for each state of the panels, the fraction of the
// screen that shows the map (an 8-px grid of elementFromPoint hits on the map canvas, less the
// critical banner) and how many of the rendered controls (buttons, selects, inputs, links,
// checkbox and file labels) are smaller than 44 × 44 CSS px (tests/e2e/tablet-measure.mjs).
// The states: with the tablet layout's sheets (this branch) collapsed, layers half/full,
// incidents half/full and an incident's card; without them (a build before issue 14, given by
// CALAIS_DIST), the desk layout's equivalents: as opened, the incident list unfolded, an
// incident's card (the layer panel cannot be hidden there).
//
// Usage: node bench/tablet.mjs   (after `trunk build --release` and `cargo build -p calais-demo-server`;
//        CALAIS_DIST=/path/to/other/dist measures another build)

import { startDemoServer, launchBrowser, openApp, DIST, tid } from '../tests/e2e/harness.mjs';
import { touchTargets, mapFraction } from '../tests/e2e/tablet-measure.mjs';

const iso = (ms) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
const now = iso(Date.now() - 20_000);
const incident = (id, [lon, lat]) => ({
  at_ms: 0,
  feature: {
    type: 'Feature', id, geometry: { type: 'Point', coordinates: [lon, lat] },
    properties: { id, kind: 'small_boat', severity: 4, status: 'open', reported_at: now, updated_at: now, description: 'Boat off the beach', source: 'patrol' },
  },
});
const scenario = { then: 'idle', events: [incident('b-1', [1.75, 50.96]), incident('b-2', [1.86, 50.97])] };

const tap = async (page, id) => {
  // A sheet's own buttons: the open sheet's.
  const scope = id.startsWith('sheet-') && !id.startsWith('sheet-tab-') ? '.sheet:not([data-state="closed"]) ' : '';
  await page.locator(scope + tid(id)).first().tap();
  await page.waitForTimeout(400);
};
const TABLET_STATES = [
  ['collapsed', []],
  ['layers half', ['sheet-tab-layers']],
  ['layers full', ['sheet-tab-layers', 'sheet-size']],
  ['incidents half', ['sheet-tab-incidents']],
  ['incidents full', ['sheet-tab-incidents', 'sheet-size']],
  ['incident card', ['sheet-tab-incidents', 'incident-row']],
];
const DESK_STATES = [
  ['as opened', []],
  ['incident list unfolded', ['incident-panel-toggle']],
  ['incident card', ['incident-panel-toggle', 'incident-row']],
];

const server = await startDemoServer({ scenario, firstSeq: 1, heartbeatMs: 1000, staticDir: DIST });
const browser = await launchBrowser();
const rows = [];
try {
  for (const [name, viewport] of [['portrait 768 × 1024', { width: 768, height: 1024 }], ['landscape 1024 × 768', { width: 1024, height: 768 }]]) {
    let states = null;
    for (let i = 0; states === null || i < states.length; i++) {
      const ctx = await browser.newContext({ viewport, hasTouch: true, isMobile: true, deviceScaleFactor: 1 });
      try {
        const { page } = await openApp({ server }, ctx, { query: 'mode=tablet' });
        await page.waitForFunction(() => document.querySelectorAll('[data-testid="incident-total"][data-count="2"]').length === 1, null, { timeout: 30_000 });
        states ??= (await page.locator(tid('tab-bar')).count()) ? TABLET_STATES : DESK_STATES;
        const [state, taps] = states[i];
        // The incident list starts unfolded at 900 px and wider.
        for (const id of taps) {
          if (id === 'incident-panel-toggle' && (await page.locator(tid('incident-list')).count())) continue;
          await tap(page, id);
        }
        const t = await touchTargets(page);
        rows.push({ screen: name, state, map: `${(100 * (await mapFraction(page))).toFixed(1)} %`, controls: t.all.length, under44: t.small.length });
      } finally {
        await ctx.close();
      }
    }
  }
} finally {
  await browser.close();
  await server.kill();
}
console.log(`dist: ${DIST}`);
console.table(rows);
