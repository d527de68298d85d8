// Issue 14, item 6: coordinates. `calaisMap.toGrids` against the committed reference points
// (tests/fixtures/grids-reference.csv: Lambert-93 from PROJ, the BNG from OSTN15 through
// convertbng; Lambert-93 within 1 cm, the BNG within 0.1 m, null where OSTN15 has no data);
// the status bar's readout at a known cursor position in the three WGS84 forms (the choice
// remembered on reload) with Lambert-93 and the BNG letters; the copy button; the go-to box for
// each form (the map's centre ends near the point, the marker is shown and removable); bad
// input in English and French (the map does not move); outside the region and outside OSTN15;
// the grid file missing (a banner, BNG unavailable, Lambert-93 and WGS84 still work).
// The cost of a conversion through the hook is printed (BENCHMARKS.md "Coordinates"), never
// asserted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  sharedEnv, openApp, setView, view, projectToPage, waitForSettled, screenshot, tid, FIXTURES, TEST_TIMEOUT,
} from './harness.mjs';

const env = sharedEnv();

/** The reference points: {name, lon, lat, l93: [x, y], bng: [e, n] | null}. */
function referencePoints() {
  const text = fs.readFileSync(path.join(FIXTURES, 'grids-reference.csv'), 'utf8').trim().split('\n').slice(1);
  return text.map((line) => {
    // The name may be quoted with a comma inside: the last seven fields are the values.
    const f = line.split(',');
    const v = f.slice(-7);
    const name = f.slice(0, -7).join(',').replace(/^"|"$/g, '');
    return {
      name,
      lon: Number(v[0]),
      lat: Number(v[1]),
      l93: [Number(v[2]), Number(v[3])],
      bng: v[4] === '' ? null : [Number(v[4]), Number(v[5])],
    };
  });
}

const DOVER = { lon: 1.3125, lat: 51.125 };

async function gotoText(page, text) {
  const input = page.locator(tid('goto-input'));
  await input.fill(text);
  await input.press('Enter');
}

/** Waits until the view's centre is within `tolDeg` of the point at zoom 14 or more (the
 * flight has landed). */
async function waitCentredOn(page, lon, lat, tolDeg = 2e-5) {
  await page.waitForFunction(([lon, lat, tol]) => {
    const v = window.calaisMap.view();
    return Math.abs(v.lon - lon) < tol && Math.abs(v.lat - lat) < tol && v.zoom >= 14 - 1e-9;
  }, [lon, lat, tolDeg], { timeout: 10_000 });
}

test('toGrids matches the reference points (L93 1 cm, BNG 0.1 m, null outside OSTN15)', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await env.newContext();
  try {
    const app = await openApp(env, ctx);
    const points = referencePoints();
    assert.ok(points.length >= 45);
    const got = await app.page.evaluate((pts) => pts.map((p) => window.calaisMap.toGrids(p.lon, p.lat)), points);
    points.forEach((p, i) => {
      const g = got[i];
      assert.deepEqual(Object.keys(g).sort(), ['bng', 'lambert93'], p.name);
      const dl = Math.hypot(g.lambert93[0] - p.l93[0], g.lambert93[1] - p.l93[1]);
      assert.ok(dl < 0.01, `${p.name}: Lambert-93 off by ${dl} m`);
      if (p.bng === null) {
        assert.equal(g.bng, null, `${p.name}: outside OSTN15, bng must be null`);
      } else {
        assert.ok(Array.isArray(g.bng), `${p.name}: bng expected`);
        const db = Math.hypot(g.bng[0] - p.bng[0], g.bng[1] - p.bng[1]);
        assert.ok(db < 0.1, `${p.name}: BNG off by ${db} m`);
      }
    });
    // The cost of one conversion (both grids) through the hook, for BENCHMARKS.md.
    const perCallUs = await app.page.evaluate(() => {
      const n = 20000;
      const t0 = performance.now();
      for (let i = 0; i < n; i++) window.calaisMap.toGrids(1.2 + (i % 100) * 0.008, 50.8 + (i % 37) * 0.015);
      return ((performance.now() - t0) / n) * 1000;
    });
    console.log(`# toGrids: ${perCallUs.toFixed(2)} µs per call (Lambert-93 + OSTN15 BNG, through the JS hook)`);
    await app.assertHealthy('toGrids');
  } finally {
    await ctx.close();
  }
});

test('the readout shows the cursor in the three WGS84 forms, Lambert-93 and BNG letters; the form is remembered; copy', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await env.newContext();
  try {
    let app = await openApp(env, ctx);
    let { page } = app;
    await setView(page, DOVER.lon, DOVER.lat, 15);
    await waitForSettled(page);
    const [mx, my] = await projectToPage(page, DOVER.lon, DOVER.lat);
    await page.mouse.move(mx - 10, my - 10);
    await page.mouse.move(mx, my);
    await page.waitForFunction((sel) => /BNG TR/.test(document.querySelector(sel)?.textContent || ''), tid('coord-bng'));
    const dd = (await page.locator(tid('coord-wgs84')).textContent()).trim();
    assert.match(dd, /^51\.12\d{4}° N, 1\.31\d{4}° E$/, dd);
    // At zoom 15 a CSS px is ~3 m: the readout is within 2 px of the reference.
    const l93 = (await page.locator(tid('coord-l93')).textContent()).trim();
    const m = l93.match(/^L93 (\d+) (\d+)$/);
    assert.ok(m, l93);
    assert.ok(Math.abs(Number(m[1]) - 581588) < 8 && Math.abs(Number(m[2]) - 7115668) < 8, l93);
    const bng = (await page.locator(tid('coord-bng')).textContent()).trim();
    const b = bng.match(/^BNG TR (\d{5}) (\d{5})$/);
    assert.ok(b, bng);
    assert.ok(Math.abs(Number(b[1]) - 31885) < 8 && Math.abs(Number(b[2]) - 41408) < 8, bng);

    await page.locator(tid('coord-format')).selectOption('dms');
    assert.match((await page.locator(tid('coord-wgs84')).textContent()).trim(), /^51°07'\d\d\.\d"N 1°18'\d\d\.\d"E$/);
    await page.locator(tid('coord-format')).selectOption('ddm');
    const ddm = (await page.locator(tid('coord-wgs84')).textContent()).trim();
    assert.match(ddm, /^51°07\.\d{3}'N 001°18\.\d{3}'E$/, ddm);
    await screenshot(page, 'grids-readout-ddm', { clip: { x: 0, y: 700, width: 1280, height: 100 } });

    // Copy: the three lines on the clipboard, and a visible confirmation.
    await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.server.origin });
    await page.bringToFront();
    await page.locator(tid('coord-copy')).click();
    await page.waitForSelector(`${tid('coord-copy-status')}[data-outcome]`);
    assert.equal((await page.locator(tid('coord-copy-status')).textContent()).trim(), 'Copied');
    const clip = await page.evaluate(() => navigator.clipboard.readText());
    const lines = clip.split('\n');
    assert.equal(lines.length, 3, clip);
    assert.match(lines[0], /^51°07\.\d{3}'N 001°18\.\d{3}'E$/);
    assert.match(lines[1], /^L93 \d+ \d+$/);
    assert.match(lines[2], /^BNG TR \d{5} \d{5}$/);
    await app.assertHealthy('readout');
    await app.close();

    // The form is remembered on this device.
    app = await openApp(env, ctx);
    page = app.page;
    assert.equal(await page.locator(tid('coord-readout')).getAttribute('data-form'), 'ddm');
    assert.equal(await page.locator(tid('coord-format')).inputValue(), 'ddm');
    // Dunkirk: Lambert-93 yes, the BNG out of range (no OSTN15 data east of E 700 km).
    await setView(page, 2.3768, 51.0343, 14);
    await waitForSettled(page);
    const [dx, dy] = await projectToPage(page, 2.3768, 51.0343);
    await page.mouse.move(dx - 5, dy);
    await page.mouse.move(dx, dy);
    await page.waitForSelector(`${tid('coord-bng')}[data-out="true"]`);
    assert.match(await page.locator(tid('coord-bng')).textContent(), /out of range/);
    assert.match(await page.locator(tid('coord-l93')).textContent(), /^L93 65\d{4} 710\d{4}$/);
    await app.assertHealthy('readout remembered');
  } finally {
    await ctx.close();
  }
});

test('the go-to box reads each form, flies there and shows the marker', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await env.newContext();
  try {
    const app = await openApp(env, ctx);
    const { page } = app;
    const calais = { lon: 1.8587, lat: 50.9513 };
    const cases = [
      ['51.125, 1.3125', DOVER, 2e-6],
      ['51°07\'30"N 1°18\'45"E', DOVER, 2e-6],
      ['51°07.500\'N 001°18.750\'E', DOVER, 2e-6],
      ['L93 619631.8745 7095615.9327', calais, 2e-6],
      ['619631.8745 7095615.9327', calais, 2e-6],
      ['BNG 671107.443 123964.330', calais, 4e-6],
      ['TR 31885 41408', DOVER, 2e-5],
      ['TR318414', DOVER, 2e-3],
    ];
    for (const [text, at, tol] of cases) {
      // Start elsewhere each time, so the flight is seen to land.
      await setView(page, 1.6, 50.8, 10);
      await gotoText(page, text);
      await waitCentredOn(page, at.lon, at.lat, Math.max(tol, 2e-5) + 1e-3 * (tol > 1e-4));
      const marker = page.locator(tid('goto-marker'));
      await marker.waitFor();
      const mlon = Number(await marker.getAttribute('data-lon'));
      const mlat = Number(await marker.getAttribute('data-lat'));
      assert.ok(Math.abs(mlon - at.lon) < tol && Math.abs(mlat - at.lat) < tol, `${text}: marker at ${mlon}, ${mlat}`);
      assert.equal(await page.locator(tid('goto-error')).count(), 0, text);
      assert.ok((await view(page)).zoom >= 14 - 1e-9, `${text}: zoomed in`);
    }
    // The marker sits over the point on the map.
    await waitForSettled(page);
    const [px, py] = await projectToPage(page, 1.3125, 51.1256);
    const box = await page.locator(tid('goto-marker')).boundingBox();
    assert.ok(Math.abs(box.x + box.width / 2 - px) < 40 && Math.abs(box.y + box.height / 2 - py) < 40, 'marker over its point');
    await screenshot(page, 'grids-goto-marker');
    // Removable (a touch-sized button in the box).
    await page.locator(tid('goto-marker-remove')).click();
    assert.equal(await page.locator(tid('goto-marker')).count(), 0);
    await app.assertHealthy('go-to forms');
  } finally {
    await ctx.close();
  }
});

test('bad go-to text says what was expected in English and French and moves nothing; outside region / OSTN15', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await env.newContext();
  try {
    for (const [lang, expected] of [['en', /expected/], ['fr', /attendu/]]) {
      const app = await openApp(env, ctx, { query: `lang=${lang}` });
      const { page } = app;
      await setView(page, 1.6, 50.8, 10);
      const before = await view(page);
      await gotoText(page, '51.1x, 1.3');
      const err = page.locator(tid('goto-error'));
      await err.waitFor();
      assert.match(await err.textContent(), expected);
      assert.equal(await err.getAttribute('data-error'), 'Wgs84(Character(4))');
      assert.equal(await page.locator(tid('goto-input')).getAttribute('aria-invalid'), 'true');
      if (lang === 'en') await screenshot(page, 'grids-goto-error-en');
      else await screenshot(page, 'grids-goto-error-fr');
      await gotoText(page, 'TI 318 413');
      await page.waitForSelector(`${tid('goto-error')}[data-error="GridRef(Letters)"]`);
      await gotoText(page, 'L93 600000');
      await page.waitForSelector(`${tid('goto-error')}[data-error="Metres(Lambert93)"]`);
      // Paris is outside the map's region; Dunkirk in National Grid metres has no OSTN15 data.
      await gotoText(page, '48.8566, 2.3522');
      await page.waitForSelector(`${tid('goto-error')}[data-error="OutsideRegion(Wgs84)"]`);
      assert.match(await err.textContent(), lang === 'en' ? /outside the map's region/ : /hors de la région/);
      await gotoText(page, '707000 135000');
      await page.waitForSelector(`${tid('goto-error')}[data-error="OutsideOstn15"]`);
      assert.match(await err.textContent(), lang === 'en' ? /OSTN15/ : /OSTN15/);
      const after = await view(page);
      assert.deepEqual([after.lon, after.lat, after.zoom], [before.lon, before.lat, before.zoom], 'nothing moved');
      assert.equal(await page.locator(tid('goto-marker')).count(), 0);
      await app.assertHealthy(`bad input ${lang}`);
      await app.close();
    }
  } finally {
    await ctx.close();
  }
});

test('without the grid file: a banner, BNG unavailable; Lambert-93, WGS84 and the go-to box still work', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await env.newContext();
  env.server.respond('/public/data/ostn15-kent.bin', 404, 'gone');
  try {
    const app = await openApp(env, ctx, { allowResourceErrors: true });
    const { page } = app;
    const banner = page.locator(`${tid('error-banner')}[data-layer="grids"]`);
    await banner.waitFor();
    assert.match(await banner.textContent(), /British National Grid unavailable .*404.*Lambert-93 and WGS84 still work/);
    const g = await page.evaluate(() => window.calaisMap.toGrids(1.3125, 51.125));
    assert.equal(g.bng, null);
    assert.ok(Math.abs(g.lambert93[0] - 581588.3092) < 0.01);
    await setView(page, DOVER.lon, DOVER.lat, 14);
    const [mx, my] = await projectToPage(page, DOVER.lon, DOVER.lat);
    await page.mouse.move(mx - 5, my);
    await page.mouse.move(mx, my);
    await page.waitForFunction((sel) => /unavailable/.test(document.querySelector(sel)?.textContent || ''), tid('coord-bng'));
    await gotoText(page, 'TR 318 413');
    await page.waitForSelector(`${tid('goto-error')}[data-error="GridUnavailable"]`);
    await gotoText(page, 'L93 619631.8745 7095615.9327');
    await waitCentredOn(page, 1.8587, 50.9513);
    await screenshot(page, 'grids-no-grid-file');
    await app.assertHealthy('no grid file');
  } finally {
    env.server.clearResponses();
    await ctx.close();
  }
});
