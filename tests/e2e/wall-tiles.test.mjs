// Several screens as one map (issue 13 item 4, `?mode=wall&wall=COLSxROWS&tile=C,R&bezel=PX`)
// end to end against the demo server with the quiet scenario (no incident moves) and a fixed
// view of the whole wall (a tour of one view held for an hour, `wall.tours`), the map scale pinned for every page (`wall.scale` = 1.25,
// so that a single big page draws the whole wall's view with the screens' k):
//
// * a 2×1 wall without bezel: the screenshots of two 1920 × 1080 pages (tile 0,0 and 1,0) side
//   by side equal one 3840 × 1080 page of the same view, in the map area (the status panels of
//   either side masked out), labels included (placed once for the whole wall, so a label over
//   the seam is drawn in part on each screen, never cut off or doubled); the map canvases' and
//   the labels canvases' own bitmaps too (on the wall the labels are drawn on their own canvas,
//   over the incidents);
// * with a bezel of 40 px: the wall's view is 3880 px wide, tile 0,0 shows its first 1920 px
//   and tile 1,0 starts 40 px after tile 0,0 ends (the bezel hides those 40 px);
// * only the status screen shows the status (tile 1,0: no clocks, feed strip hidden);
// * a tile outside the grid is reported with the option named, and the screen shows the
//   whole view on its own;
// * a critical zone alert on a 2×1 wall whose status shows only on tile 0,0
//   (`wall.status_tiles`): the red frame on both screens, the banner on tile 0,0 only;
// * what depends on the whole picture is the whole wall's on every screen: with the heatmap on
//   its relative scale (a scripted history round a place 2 km west of the seam: the eastern
//   screen alone sees only the cluster's tail, so its own peak is about half the whole's) the
//   two screens equal the single page and the legend's peak and top are the same on all three;
//   with 6,000 incidents (4,700 on the western screen, 1,300 on the eastern: each screen alone
//   would draw density cells on one and sprites on the other) both screens draw the whole
//   view's density cells, opacities and top sprites.
//
// Tolerance (measured: see the figures the test prints): the pages are separate renders in
// canvases of different sizes, and Chromium rasterises a few anti-aliased and dashed edges a
// little differently in each, and not always the same way from one run to the next (the
// tiles' views agree with the whole one to ~1e-9 px): a dash's end pixel may be orange in one
// and black in the other. Counted in pixels whose largest channel difference is over 0 and
// over 64: the map canvases' bitmaps may differ on at most 0.4 % of the compared pixels, 0.03 %
// by more than 64 (measured over runs: 0.10–0.17 %, 0–0.009 %); the screenshots, where the
// compositor also scales the map stage by k, on at most 0.6 %, 0.04 % by more than 64
// (measured: 0.17–0.32 %, 0–0.015 %). A seam, a shift of one pixel, a cut or doubled label
// differs on thousands of pixels by 100 and more (the bezel test's last check shows it: 3.4 %
// of the pixels, 1 % by more than 64, when the bezel's 40 px are not hidden), and a label cut
// off or doubled is some thousands of pixels of text and halo.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startDemoServer, prepareDist, launchBrowser, openApp, screenshot, waitForSettled, TEST_TIMEOUT, tid,
  QUIET_SCENARIO,
} from './harness.mjs';

const K = 1.25;
// Calais and its port at the seam of the two screens (zoom ≥ 12: cameras are not clustered).
const START = { lon: 1.872, lat: 50.962, zoom: 13.2 };
const TOUR_VIEW = { name: 'Calais', center: [START.lon, START.lat], zoom: START.zoom, dwell_s: 3600 };
const MAX_DIFF_SHARE = 0.006;
const STRONG = 64;
const MAX_STRONG_SHARE = 0.0004;
const MAX_BITMAP_DIFF_SHARE = 0.004;
const MAX_BITMAP_STRONG_SHARE = 0.0003;
// What is drawn over the map: masked out of the comparison where either page shows it.
const OVERLAYS = ['.left-column', '.wall-status', '.alert-ticker', '.wall-problems', '.critical-banner'];

/** Opens the wall at `width` × 1080 with `query` against `server`; returns its screenshot
 * (PNG), the boxes of the overlays shown, the wall-tile facts, the view, the heatmap legend's
 * figures and the incident draw (mode, marks counted), and closes the page. */
async function shot({ browser, server, ready }, name, width, query) {
  const ctx = await browser.newContext({ viewport: { width, height: 1080 }, deviceScaleFactor: 1 });
  try {
    const app = await openApp({ server }, ctx, { query: `mode=wall${query ? '&' + query : ''}` });
    const { page } = app;
    await page.waitForSelector(`${tid('feed-status')}[data-status="live"]`, { state: 'attached', timeout: 30_000 });
    if (ready) await ready(page);
    await waitForSettled(page, { quietMs: 600 });
    const overlays = await page.evaluate((sels) => {
      const out = [];
      for (const sel of sels) {
        for (const e of document.querySelectorAll(sel)) {
          const s = getComputedStyle(e);
          const r = e.getBoundingClientRect();
          if (s.display !== 'none' && s.visibility !== 'hidden' && r.width > 0 && r.height > 0) {
            out.push({ x: r.x, y: r.y, w: r.width, h: r.height });
          }
        }
      }
      return out;
    }, OVERLAYS);
    const tile = await page.$eval(tid('wall-tile'), (e) => ({ ...e.dataset }));
    const view = await page.evaluate(() => window.calaisMap.view());
    const file = await screenshot(page, `wall-tiles-${name}`);
    const png = await page.screenshot({ type: 'png' });
    const png64 = (id) => page.$eval(`[data-testid="${id}"]`, (c) => c.toDataURL('image/png')).then((u) => Buffer.from(u.split(',')[1], 'base64'));
    const canvasPng = await png64('map-canvas');
    // On the wall the labels have a canvas of their own over the incidents (label_layer.rs).
    const labelsPng = await png64('map-labels');
    const banners = await page.$$eval(`${tid('wall-problem')}[data-field="?tile"]`, (es) => es.map((e) => e.textContent));
    const legend = await page.$$eval(tid('heatmap-legend'), (es) => es.map((e) => ({ ...e.dataset })));
    const draw = await page.evaluate(() => window.calaisMap.incidentDraw?.() ?? null);
    await app.assertHealthy(name);
    return { png, canvasPng, labelsPng, overlays, tile, view, file, width, banners, legend, draw };
  } finally {
    await ctx.close();
  }
}

/** Compares `tile` with the columns of `whole` starting at `x0` (same height), masking the
 * overlays of both (in the whole page's px). Runs in a blank page: PNGs decoded by the
 * browser. */
async function compare(browser, tile, whole, x0) {
  const masks = [
    ...tile.overlays.map((r) => ({ ...r, x: r.x + x0 })),
    ...whole.overlays,
  ];
  const ctx = await browser.newContext();
  try {
    const page = await ctx.newPage();
    return await page.evaluate(
      async ({ a, b, x0, w, h, masks, STRONG }) => {
        const decode = async (b64) => {
          const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
          const bmp = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
          const c = new OffscreenCanvas(bmp.width, bmp.height);
          const g = c.getContext('2d');
          g.drawImage(bmp, 0, 0);
          return { d: g.getImageData(0, 0, bmp.width, bmp.height).data, w: bmp.width };
        };
        const A = await decode(a);
        const B = await decode(b);
        const masked = (x, y) => masks.some((r) => x >= r.x - 1 && x < r.x + r.w + 1 && y >= r.y - 1 && y < r.y + r.h + 1);
        let compared = 0;
        let differing = 0;
        let strong = 0;
        let max = 0;
        let firstAt = null;
        const box = [Infinity, Infinity, -Infinity, -Infinity];
        for (let y = 0; y < h; y++) {
          for (let x = 0; x < w; x++) {
            if (masked(x + x0, y)) continue;
            compared++;
            const i = 4 * (y * A.w + x);
            const j = 4 * (y * B.w + x + x0);
            const m = Math.max(
              Math.abs(A.d[i] - B.d[j]), Math.abs(A.d[i + 1] - B.d[j + 1]), Math.abs(A.d[i + 2] - B.d[j + 2]),
            );
            if (m > STRONG) strong++;
            if (m > 0) {
              differing++;
              if (!firstAt) firstAt = [x, y];
              box[0] = Math.min(box[0], x);
              box[1] = Math.min(box[1], y);
              box[2] = Math.max(box[2], x);
              box[3] = Math.max(box[3], y);
            }
            max = Math.max(max, m);
          }
        }
        return { compared, differing, strong, max, firstAt, box };
      },
      { a: tile.png.toString('base64'), b: whole.png.toString('base64'), x0, w: tile.width, h: 1080, masks, STRONG },
    );
  } finally {
    await ctx.close();
  }
}

// The map canvas's bitmap (device px = CSS px here: dpr 1) in place of the screenshot.
const bitmap = (s) => ({ ...s, png: s.canvasPng });
// The labels canvas's bitmap (no overlays to mask: the labels keep off the panels).
const labelBitmap = (s) => ({ ...s, png: s.labelsPng, overlays: [] });

function assertSameBitmap(what, r) {
  const share = r.differing / r.compared;
  console.log(`# ${what}: ${r.differing} of ${r.compared} pixels differ (${(100 * share).toFixed(4)} %), ${r.strong} by more than ${STRONG}, max channel difference ${r.max}`);
  assert.ok(share <= MAX_BITMAP_DIFF_SHARE, `${what}: ${r.differing} pixels differ (first at ${r.firstAt})`);
  assert.ok(r.strong <= MAX_BITMAP_STRONG_SHARE * r.compared, `${what}: ${r.strong} pixels differ by more than ${STRONG}`);
}

function assertSame(what, r) {
  const share = r.differing / r.compared;
  console.log(`# ${what}: ${r.differing} of ${r.compared} pixels differ (${(100 * share).toFixed(4)} %), ${r.strong} by more than ${STRONG}, max channel difference ${r.max}, in [${r.box}]`);
  assert.ok(r.compared > 0.5 * 1920 * 1080, `${what}: most of the screen compared (${r.compared})`);
  assert.ok(share <= MAX_DIFF_SHARE, `${what}: ${r.differing} pixels differ (first at ${r.firstAt})`);
  assert.ok(r.strong <= MAX_STRONG_SHARE * r.compared, `${what}: ${r.strong} pixels differ by more than ${STRONG}`);
}

describe('several screens as one map (?wall=2x1&tile=C,R&bezel=PX)', () => {
  let server, browser;

  before(async () => {
    const dir = prepareDist({
      initial_view: START,
      // The tour (wall_tour.rs) frames the whole wall: one view, held, reached at once.
      wall: { scale: K, status_tiles: [[0, 0]], flight_s: 0, tours: [TOUR_VIEW] },
    });
    server = await startDemoServer({ scenario: QUIET_SCENARIO, staticDir: dir, heartbeatMs: 1000 });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.kill();
  });

  test('a 2×1 wall without bezel: the two screens side by side are the single 3840 px render', { timeout: TEST_TIMEOUT * 2 }, async () => {
    const env = { browser, server };
    const whole = await shot(env, 'whole-3840', 3840, '');
    const left = await shot(env, '2x1-tile-0-0', 1920, 'wall=2x1&tile=0,0');
    const right = await shot(env, '2x1-tile-1-0', 1920, 'wall=2x1&tile=1,0');
    // The app's view is the whole wall's on every screen, at the same k.
    for (const s of [left, right]) {
      assert.equal(s.tile.grid, '2x1');
      assert.ok(Math.abs(s.view.width - 3840 / K) < 1e-6, `wall view width ${s.view.width}`);
      assert.ok(Math.abs(s.view.dpr - K) < 1e-9, `dpr × k ${s.view.dpr}`);
    }
    assert.ok(Math.abs(whole.view.width - 3840 / K) < 1e-6);
    assert.equal(whole.view.zoom, left.view.zoom);
    // Only the status screen shows the status.
    assert.equal(left.tile.status, 'on');
    assert.equal(right.tile.status, 'off');
    assert.ok(left.overlays.length >= 2, 'tile 0,0 shows the feed strip and the clocks');
    assert.deepEqual(right.overlays, [], 'tile 1,0 shows no status');
    assertSame('tile 0,0 vs the whole [0, 1920)', await compare(browser, left, whole, 0));
    assertSame('tile 1,0 vs the whole [1920, 3840)', await compare(browser, right, whole, 1920));
    // The map canvases' own bitmaps (before the page is composited): closer still.
    assertSameBitmap('tile 0,0 bitmap vs the whole bitmap [0, 1920)', await compare(browser, bitmap(left), bitmap(whole), 0));
    assertSameBitmap('tile 1,0 bitmap vs the whole bitmap [1920, 3840)', await compare(browser, bitmap(right), bitmap(whole), 1920));
    // The labels, placed once for the whole wall: each tile's labels canvas is its part of the
    // whole one's (a label over the seam drawn in part on each, none cut off or doubled).
    assertSameBitmap('tile 0,0 labels vs the whole labels [0, 1920)', await compare(browser, labelBitmap(left), labelBitmap(whole), 0));
    assertSameBitmap('tile 1,0 labels vs the whole labels [1920, 3840)', await compare(browser, labelBitmap(right), labelBitmap(whole), 1920));
  });

  test('with a 40 px bezel tile 1,0 starts 40 px after tile 0,0 ends', { timeout: TEST_TIMEOUT * 2 }, async () => {
    const env = { browser, server };
    const whole = await shot(env, 'whole-3880', 3880, '');
    const left = await shot(env, '2x1-bezel40-tile-0-0', 1920, 'wall=2x1&tile=0,0&bezel=40');
    const right = await shot(env, '2x1-bezel40-tile-1-0', 1920, 'wall=2x1&tile=1,0&bezel=40');
    assert.ok(Math.abs(right.view.width - 3880 / K) < 1e-6, `wall view width ${right.view.width}`);
    assertSame('bezel 40: tile 0,0 vs the whole [0, 1920)', await compare(browser, left, whole, 0));
    assertSame('bezel 40: tile 1,0 vs the whole [1960, 3880)', await compare(browser, right, whole, 1960));
    assertSameBitmap('bezel 40: tile 1,0 bitmap vs the whole bitmap [1960, 3880)', await compare(browser, bitmap(right), bitmap(whole), 1960));
    // The bezel's 40 px are what the screens do not show: next to the seam they differ.
    const hidden = await compare(browser, right, whole, 1920);
    console.log(`# bezel 40: tile 1,0 vs the whole [1920, 3840) (the bezel not hidden): ${hidden.differing} pixels differ, ${hidden.strong} by more than ${STRONG}`);
    assert.ok(hidden.differing > 0.01 * hidden.compared, `without the 40 px shift ${hidden.differing} pixels differ`);
  });

  test('a tile outside the grid is reported with the option named; the screen shows the whole view', { timeout: TEST_TIMEOUT }, async () => {
    const s = await shot({ browser, server }, '2x1-tile-2-0-refused', 1920, 'wall=2x1&tile=2,0');
    assert.equal(s.banners.length, 1, `one problem named ?tile: ${s.banners}`);
    assert.match(s.banners[0], /\?tile=2,0: must be in 0\.\.1/);
    assert.equal(s.tile.grid, '1x1');
    assert.equal(s.tile.status, 'on');
    assert.ok(Math.abs(s.view.width - 1920 / K) < 1e-6, `a single screen's view ${s.view.width}`);
  });
});

// ---------------------------------------------------------------------------------------------
// What depends on the whole picture: the whole wall's on every screen.

/** Deterministic uniform numbers in [0, 1) (an LCG), and normal deviates from them. */
function rng(seed) {
  let state = BigInt(seed);
  const uniform = () => {
    state = (state * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
    return (Number(state >> 11n) + 0.5) / 2 ** 53;
  };
  const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  return { uniform, normal };
}

// West of the seam (lon 1.872) by 2 km on the ground: the eastern screen sees a cluster's tail.
const WEST = [1.845, 50.962];
const M_PER_DEG_LAT = 111_320;
const DENSE = 6000;

/** `DENSE` open incidents round `WEST` (2.5 km east-west, 1.2 km north-south, ground), of
 * every kind and severities 1 to 4 (no critical alert moves the tour), updated a few seconds
 * ago (fully opaque for two minutes): a snapshot for the scripted server. */
function denseScenario() {
  const r = rng(13);
  const kinds = ['small_boat', 'fence_breach', 'lorry_intrusion', 'tunnel_intrusion', 'vehicle_sighting', 'other'];
  const at = new Date(Date.now() - 5_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const mPerDegLon = M_PER_DEG_LAT * Math.cos((WEST[1] * Math.PI) / 180);
  const events = [];
  for (let i = 0; i < DENSE; i++) {
    const lon = WEST[0] + (r.normal() * 2500) / mPerDegLon;
    const lat = WEST[1] + (r.normal() * 1200) / M_PER_DEG_LAT;
    const id = `dense-${i}`;
    events.push({
      at_ms: 0,
      feature: {
        type: 'Feature', id, geometry: { type: 'Point', coordinates: [lon, lat] },
        properties: { id, kind: kinds[i % kinds.length], severity: 1 + (i % 4), status: 'open', reported_at: at, updated_at: at, description: `dense ${i}` },
      },
    });
  }
  return { events, then: 'idle' };
}

/** The single 3840 px page and the two tiles of a 2×1 wall against `env`. */
async function threePages(env, name) {
  const whole = await shot(env, `${name}-whole-3840`, 3840, '');
  const left = await shot(env, `${name}-2x1-tile-0-0`, 1920, 'wall=2x1&tile=0,0');
  const right = await shot(env, `${name}-2x1-tile-1-0`, 1920, 'wall=2x1&tile=1,0');
  return { whole, left, right };
}

describe("what depends on the whole picture is the whole wall's on every screen", () => {
  let browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  /** A demo server running `scenario` with the wall's config, the tour view showing `layers`. */
  async function serverWith(scenario, layers, config = {}) {
    const dir = prepareDist({
      ...config,
      initial_view: START,
      wall: { scale: K, status_tiles: [[0, 0]], flight_s: 0, tours: [{ ...TOUR_VIEW, layers }] },
    });
    return startDemoServer({ scenario, staticDir: dir, heartbeatMs: 1000 });
  }

  test('the heatmap on its relative scale: the same colours for the same place, the same legend', { timeout: TEST_TIMEOUT * 2 }, async () => {
    const scenario = {
      events: [],
      then: 'idle',
      history: { days: 2, per_hour: 60, seed: 3, shift: { a: WEST, b: WEST, spread_m: 1500 } },
    };
    // A fixed window holding the whole history (a sliding one could let a report in or out
    // between the pages' loads).
    const iso = (ms) => new Date(ms).toISOString();
    const window = { from: iso(Date.now() - 3 * 86_400_000), to: iso(Date.now() + 3_600_000) };
    const server = await serverWith(scenario, ['basemap', 'fences', 'ports', 'heatmap'], {
      heatmap: { scale: 'relative', window },
    });
    try {
      // The heatmap drawn from the loaded history.
      const ready = (page) => page.waitForFunction(() => {
        const l = document.querySelector('[data-testid="heatmap-legend"]');
        return l && Number(l.dataset.reports) > 0 && Number(l.dataset.peakPerKm2) > 0;
      }, null, { timeout: 60_000 });
      const { whole, left, right } = await threePages({ browser, server, ready }, 'heatmap-relative');
      const pixels = [await compare(browser, left, whole, 0), await compare(browser, right, whole, 1920)];
      const figures = (s) => ({ peak: Number(s.legend[0]?.peakPerKm2), top: Number(s.legend[0]?.topPerKm2), reports: Number(s.legend[0]?.reports) });
      const [w, l, r] = [whole, left, right].map(figures);
      console.log(`# heatmap legend: whole ${JSON.stringify(w)}, tile 0,0 ${JSON.stringify(l)}, tile 1,0 ${JSON.stringify(r)}`);
      assert.ok(w.peak > 0 && w.reports > 2000, `the whole page's heatmap (${JSON.stringify(w)})`);
      assertSame('heatmap: tile 0,0 vs the whole [0, 1920)', pixels[0]);
      assertSame('heatmap: tile 1,0 vs the whole [1920, 3840)', pixels[1]);
      for (const [what, f] of [['tile 0,0', l], ['tile 1,0', r]]) {
        assert.ok(Math.abs(f.peak - w.peak) <= 1e-6 * w.peak, `${what}: peak in view ${f.peak} is the whole wall's ${w.peak}`);
        assert.ok(Math.abs(f.top - w.top) <= 1e-6 * w.top, `${what}: the ramp's top ${f.top} is the whole wall's ${w.top}`);
        assert.equal(f.reports, w.reports, `${what}: the reports counted`);
      }
    } finally {
      await server.kill();
    }
  });

  test("dense incidents: both screens draw the whole view's density cells and top sprites", { timeout: TEST_TIMEOUT * 2 }, async () => {
    const server = await serverWith(denseScenario(), ['basemap', 'fences', 'ports', 'incidents']);
    try {
      const ready = (page) => page.waitForFunction((n) => window.calaisMap.incidents().count === n, DENSE, { timeout: 60_000 });
      const { whole, left, right } = await threePages({ browser, server, ready }, 'dense-incidents');
      console.log(`# incident draw: whole ${JSON.stringify(whole.draw)}, tile 0,0 ${JSON.stringify(left.draw)}, tile 1,0 ${JSON.stringify(right.draw)}`);
      assertSame('dense incidents: tile 0,0 vs the whole [0, 1920)', await compare(browser, left, whole, 0));
      assertSame('dense incidents: tile 1,0 vs the whole [1920, 3840)', await compare(browser, right, whole, 1920));
      assert.equal(whole.draw.mode, 'density', 'the whole wall holds more than the density threshold');
      for (const [what, s] of [['tile 0,0', left], ['tile 1,0', right]]) {
        assert.equal(s.draw.mode, 'density', `${what}: the whole wall's mode`);
        assert.equal(s.draw.visible, whole.draw.visible, `${what}: the marks counted over the whole wall`);
      }
    } finally {
      await server.kill();
    }
  });
});

describe('a critical alert on a 2×1 wall with the status on tile 0,0 only', () => {
  // A fence breach outside every zone at start (seeded silently), inside the Eurotunnel terminal
  // (a critical zone) after DELAY_MS, stamped with the time the server sends it.
  const DELAY_MS = 20_000;
  const iso = (ms) => new Date(Math.round(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  const breach = (start, [lon, lat], ms) => ({
    type: 'Feature', id: 'tiles-breach', geometry: { type: 'Point', coordinates: [lon, lat] },
    properties: {
      id: 'tiles-breach', kind: 'fence_breach', severity: 4, status: 'open', reported_at: iso(start - 60_000),
      updated_at: iso(ms), description: 'Persons at the terminal fence', accuracy_m: 10, source: 'cam-T-07',
    },
  });
  let server, browser;

  before(async () => {
    const start = Date.now();
    const dir = prepareDist({
      initial_view: START,
      wall: { scale: K, status_tiles: [[0, 0]], flight_s: 1, alert_hold_s: 60, tours: [TOUR_VIEW] },
    });
    const scenario = {
      then: 'idle',
      events: [
        { at_ms: 0, feature: breach(start, [1.70, 50.90], start - 60_000) },
        { at_ms: DELAY_MS, feature: breach(start, [1.812, 50.928], start + DELAY_MS) },
      ],
    };
    server = await startDemoServer({ scenario, firstSeq: 1, staticDir: dir, heartbeatMs: 1000 });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.kill();
  });

  test('the red frame shows on both screens, the banner on the status screen', { timeout: TEST_TIMEOUT * 2 }, async () => {
    const pages = [];
    try {
      for (const tile of ['0,0', '1,0']) {
        const ctx = await browser.newContext({ viewport: { width: 1920, height: 1080 }, deviceScaleFactor: 1 });
        const app = await openApp({ server }, ctx, { query: `mode=wall&wall=2x1&tile=${tile}` });
        pages.push({ tile, ctx, app, page: app.page });
      }
      const facts = [];
      for (const { tile, page } of pages) {
        await page.waitForSelector(tid('critical-flash'), { timeout: DELAY_MS + 40_000 });
        // The wall holds on the incident (the tour's alert leg), so both screens have settled there.
        await page.waitForFunction(() => window.calaisMap.tour()?.leg === 'hold', null, { timeout: 30_000 });
        await waitForSettled(page, { quietMs: 600 });
        const f = await page.evaluate(() => {
          const flash = document.querySelector('[data-testid="critical-flash"]');
          const banner = flash.querySelector('.critical-banner');
          const fs = getComputedStyle(flash);
          const bs = getComputedStyle(banner);
          const r = flash.getBoundingClientRect();
          return {
            status: document.querySelector('[data-testid="wall-tile"]').dataset.status,
            frame: { visible: fs.visibility === 'visible' && fs.display !== 'none', shadow: fs.boxShadow, w: r.width, h: r.height },
            banner: { visible: bs.visibility === 'visible' && bs.display !== 'none', text: banner.textContent, font: parseFloat(bs.fontSize) },
          };
        });
        facts.push({ tile, ...f });
        await screenshot(page, `wall-tiles-critical-${tile.replace(',', '-')}`);
      }
      console.log(`# critical alert: ${JSON.stringify(facts)}`);
      for (const f of facts) {
        assert.ok(f.frame.visible, `tile ${f.tile}: the red frame is shown`);
        assert.match(f.frame.shadow, /rgba?\(255, 45, 85\b/, `tile ${f.tile}: the frame is red (${f.frame.shadow})`);
        assert.deepEqual([f.frame.w, f.frame.h], [1920, 1080], `tile ${f.tile}: the frame goes round the whole screen`);
      }
      const [left, right] = facts;
      assert.equal(left.status, 'on');
      assert.equal(right.status, 'off');
      assert.ok(left.banner.visible, 'the banner on the status screen');
      assert.match(left.banner.text, /critical/i);
      assert.ok(left.banner.font >= 1.6 * 15, `banner type ${left.banner.font} CSS px`);
      assert.equal(right.banner.visible, false, 'no banner on a screen without the status');
      for (const { tile, app } of pages) await app.assertHealthy(`critical on tile ${tile}`);
    } finally {
      for (const { ctx } of pages) await ctx.close();
    }
  });
});
