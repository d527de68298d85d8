// On the video wall markers never hide the place labels (issue 13 item 1: "labels drawn above
// markers with a halo"), end to end at 3840 × 2160 against the demo server:
//
// 1. a wall page with no incident (quiet scenario), a tour of one view held over the port of
//    Calais: where the app placed the port's label (`calaisMap.labels()`, CSS px of the map
//    canvas) and how many pixels of the label text colour the screen shows in its box;
// 2. a second server whose scenario puts five open incidents along that label (their positions
//    computed from step 1 through `calaisMap.project`), the same wall view: the incident sprites
//    canvas really has markers in the label's box, and the screen still shows at least 90 % of
//    the label-colour pixels of step 1 (the labels' canvas is over the incident canvases, the
//    map canvas no longer carries them);
// 3. the control: the labels' canvas moved under the incident canvases (where the desk draws
//    its labels) in the same page, the markers hide a good part of the label (under 80 %), so
//    the check of step 2 could fail.
//
// Screenshots: target/e2e-screenshots/wall-labels-*.png (the whole 3840 × 2160 wall with the
// markers under the label, and the label's box).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startDemoServer, prepareDist, launchBrowser, openApp, screenshot, screenPixels, waitForSettled, waitForIncidentFacts,
  TEST_TIMEOUT, tid, QUIET_SCENARIO,
} from './harness.mjs';

const PORT = { name: 'Port of Calais (ferry berths)', lon: 1.865, lat: 50.966 };
const VIEW = { name: 'Calais port', center: [PORT.lon, PORT.lat], zoom: 13, dwell_s: 3600 };
const CONFIG = { initial_view: { lon: PORT.lon, lat: PORT.lat, zoom: VIEW.zoom }, wall: { flight_s: 0, tours: [VIEW] } };
// The label's text colour (render/style.rs LABEL, #f4f7fb), with room for anti-aliasing.
const LABEL_RGB = [0xf4, 0xf7, 0xfb];
const NEAR = 24;
const ALONG = [0.1, 0.3, 0.5, 0.7, 0.9];

describe('the wall draws the place labels over the incident markers', () => {
  let browser, dir;
  const servers = [];

  before(async () => {
    dir = prepareDist(CONFIG);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    for (const s of servers) await s.kill();
  });

  async function wallPage(server) {
    const ctx = await browser.newContext({ viewport: { width: 3840, height: 2160 }, deviceScaleFactor: 1 });
    const app = await openApp({ server }, ctx, { query: 'mode=wall' });
    await app.page.waitForSelector(`${tid('feed-status')}[data-status="live"]`, { state: 'attached', timeout: 30_000 });
    await waitForSettled(app.page, { quietMs: 600 });
    return { ctx, app, page: app.page };
  }

  /** The port's label box in screen px (the map stage is scaled by k = the view's dpr here). */
  async function labelBox(page) {
    const { labels, k } = await page.evaluate(() => ({ labels: window.calaisMap.labels(), k: window.calaisMap.view().dpr }));
    const l = labels.find((x) => x.text === PORT.name);
    assert.ok(l, `the port's label is placed: ${labels.map((x) => x.text).join(' | ')}`);
    return { css: l, k, clip: { x: Math.floor(l.x * k), y: Math.floor(l.y * k), width: Math.ceil(l.width * k), height: Math.ceil(l.height * k) } };
  }

  /** Pixels of the label text colour on the screen within `clip`. */
  async function labelPixels(page, clip) {
    const { data } = await screenPixels(page, clip);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (LABEL_RGB.every((c, j) => Math.abs(data[i + j] - c) <= NEAR)) n++;
    }
    return n;
  }

  /** Of a canvas' bitmap (by test id) within `clip` (screen px = bitmap px here): pixels with
   * some alpha, and pixels of the label colour. */
  const canvasPixels = (page, testid, clip) =>
    page.evaluate(({ testid, clip, LABEL_RGB, NEAR }) => {
      const c = document.querySelector(`[data-testid="${testid}"]`);
      if (!c || getComputedStyle(c).display === 'none') return { opaque: 0, label: 0 };
      const d = c.getContext('2d').getImageData(clip.x, clip.y, clip.width, clip.height).data;
      let opaque = 0;
      let label = 0;
      for (let i = 0; i < d.length; i += 4) {
        if (d[i + 3] > 0) opaque++;
        if (d[i + 3] > 200 && LABEL_RGB.every((v, j) => Math.abs(d[i + j] - v) <= NEAR)) label++;
      }
      return { opaque, label };
    }, { testid, clip, LABEL_RGB, NEAR });

  test('an incident on a port label does not hide the label', { timeout: TEST_TIMEOUT * 2 }, async () => {
    // 1. No incident: where the label is and what the screen shows there.
    const quiet = await startDemoServer({ scenario: QUIET_SCENARIO, staticDir: dir, heartbeatMs: 1000 });
    servers.push(quiet);
    const a = await wallPage(quiet);
    const box = await labelBox(a.page);
    const reference = await labelPixels(a.page, box.clip);
    console.log(`# label box ${JSON.stringify(box.clip)} (k ${box.k}); ${reference} label-colour pixels without incidents`);
    assert.ok(reference > 300, `the label is drawn (${reference} label-colour pixels)`);
    // WGS84 positions along the label's middle line, from the view's projection (linear over a
    // few hundred px).
    const points = await a.page.evaluate(({ PORT, css, ALONG }) => {
      const d = 0.01;
      const [x0, y0] = window.calaisMap.project(PORT.lon, PORT.lat);
      const [x1] = window.calaisMap.project(PORT.lon + d, PORT.lat);
      const [, y1] = window.calaisMap.project(PORT.lon, PORT.lat + d);
      const y = css.y + css.height / 2;
      return ALONG.map((f) => {
        const x = css.x + f * css.width;
        return [PORT.lon + (d * (x - x0)) / (x1 - x0), PORT.lat + (d * (y - y0)) / (y1 - y0)];
      });
    }, { PORT, css: box.css, ALONG });
    await a.app.assertHealthy('wall without incidents');
    await a.ctx.close();

    // 2. Five open incidents along the label.
    const now = new Date(Date.now() - 30_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const events = points.map(([lon, lat], i) => {
      const id = `label-${i}`;
      return {
        at_ms: 0,
        feature: {
          type: 'Feature', id, geometry: { type: 'Point', coordinates: [lon, lat] },
          properties: { id, kind: 'small_boat', severity: 3, status: 'open', reported_at: now, updated_at: now, description: 'on the port label' },
        },
      };
    });
    const busy = await startDemoServer({ scenario: { events, then: 'idle' }, staticDir: dir, heartbeatMs: 1000 });
    servers.push(busy);
    const b = await wallPage(busy);
    await waitForIncidentFacts(b.page, (f) => f.hook.incidents?.count === ALONG.length, { what: 'the five incidents' });
    await waitForSettled(b.page, { quietMs: 600 });
    const again = await labelBox(b.page);
    assert.deepEqual(again.clip, box.clip, 'the label is placed where it was (incidents do not move labels)');
    const sprites = await canvasPixels(b.page, 'incident-sprites', box.clip);
    const area = box.clip.width * box.clip.height;
    console.log(`# incident sprites cover ${sprites.opaque} of the label box's ${area} px`);
    assert.ok(sprites.opaque > 0.15 * area, `markers lie on the label (${sprites.opaque} of ${area} px)`);
    const mapCanvas = await canvasPixels(b.page, 'map-canvas', box.clip);
    const labelCanvas = await canvasPixels(b.page, 'map-labels', box.clip);
    assert.ok(labelCanvas.label > 300, `the labels' canvas has the text (${labelCanvas.label} px)`);
    assert.ok(mapCanvas.label < 0.05 * labelCanvas.label, `the map canvas does not (${mapCanvas.label} px)`);
    const shown = await labelPixels(b.page, box.clip);
    await screenshot(b.page, 'wall-labels-over-markers');
    await screenshot(b.page, 'wall-labels-over-markers-box', { clip: { x: box.clip.x - 60, y: box.clip.y - 60, width: box.clip.width + 120, height: box.clip.height + 120 } });
    console.log(`# with markers on it: ${shown} label-colour pixels (${((100 * shown) / reference).toFixed(1)} %)`);
    assert.ok(shown >= 0.9 * reference, `the label stays readable over the markers: ${shown} of ${reference} label-colour pixels`);

    // 3. Control: the labels' canvas under the incident canvases hides part of the label.
    await b.page.evaluate(() => {
      const labels = document.querySelector('[data-testid="map-labels"]');
      const cells = document.querySelector('[data-testid="incident-cells"]');
      cells.parentNode.insertBefore(labels, cells);
    });
    await b.page.waitForTimeout(300);
    const under = await labelPixels(b.page, box.clip);
    await screenshot(b.page, 'wall-labels-under-markers-box', { clip: { x: box.clip.x - 60, y: box.clip.y - 60, width: box.clip.width + 120, height: box.clip.height + 120 } });
    console.log(`# control, labels under the markers: ${under} label-colour pixels (${((100 * under) / reference).toFixed(1)} %)`);
    assert.ok(under < 0.8 * reference, `under the markers the label would be hidden in part (${under} of ${reference})`);
    await b.app.assertHealthy('wall with incidents on the label');
    await b.ctx.close();
  });
});
