// Accessibility (issue 15, item 5): axe-core (npm, run in the page) finds no serious or critical
// violation in any mode (desk in English and French, tablet both ways, wall) nor with the
// incident card or the export dialog open; the keyboard reaches everything through skip links,
// the incident list is one tab stop with the arrow keys inside it, keeps the focus while the live
// feed renders its rows again, and shows a focus ring; reduced motion makes a fly-to jump.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedEnv, openApp, tid, screenshot, axeViolations, TEST_TIMEOUT } from './harness.mjs';

// A live feed (2 events a second), so the list renders its rows again every few seconds.
const env = sharedEnv({ api: { heartbeatMs: 1000, rate: 2, seed: 15 } });

const serious = (vs) => vs.filter((v) => v.impact === 'serious' || v.impact === 'critical');

test('axe-core: no serious or critical violation in any mode', { timeout: TEST_TIMEOUT * 2 }, async () => {
  const summary = [];
  for (const [name, viewport, query, touch] of [
    ['desk', { width: 1280, height: 800 }, 'mode=desk', false],
    ['desk-fr', { width: 1280, height: 800 }, 'mode=desk&lang=fr', false],
    ['tablet-landscape', { width: 1024, height: 768 }, 'mode=tablet', true],
    ['tablet-portrait', { width: 768, height: 1024 }, 'mode=tablet&lang=fr', true],
    ['wall', { width: 1920, height: 1080 }, 'mode=wall', false],
  ]) {
    const ctx = await env.newContext({ viewport, hasTouch: touch });
    try {
      const app = await openApp(env, ctx, { query });
      const { page } = app;
      await page.waitForTimeout(2000);
      const states = [['start', await axeViolations(page)]];
      if (name.startsWith('desk')) {
        const row = page.locator(tid('incident-row')).first();
        await row.waitFor({ timeout: 20_000 });
        await row.click();
        await page.locator(tid('info-card')).waitFor({ timeout: 10_000 });
        states.push(['incident card', await axeViolations(page)]);
        await page.click(tid('export-open'));
        await page.locator(tid('export-dialog')).waitFor({ timeout: 10_000 });
        states.push(['export dialog', await axeViolations(page)]);
      }
      for (const [state, vs] of states) {
        summary.push(`${name} (${state}): ${vs.length} violations, ${serious(vs).length} serious or critical` +
          (vs.length ? ` [${vs.map((v) => `${v.id}:${v.impact}`).join(', ')}]` : ''));
        assert.deepEqual(serious(vs), [], `${name} (${state}): serious or critical axe-core violations`);
      }
      await app.assertHealthy(name);
      await app.close();
    } finally {
      await ctx.close();
    }
  }
  for (const line of summary) console.log(`# axe ${line}`);
});

/** The focused element's test id and incident id (if a row). */
const focused = (page) => page.evaluate(() => {
  const a = document.activeElement;
  return { testid: a?.getAttribute('data-testid') ?? null, id: a?.getAttribute('data-incident-id') ?? null, tag: a?.tagName };
});

test('keyboard: skip links, one tab stop for the list, arrows inside, focus kept across renders, a visible ring', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await env.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const app = await openApp(env, ctx, { query: 'mode=desk' });
    const { page } = app;
    await page.locator(tid('incident-row')).nth(4).waitFor({ timeout: 30_000 });

    // The map has the focus at start (its arrow keys pan); the next tab stop is the first skip
    // link, shown on the screen when focused.
    assert.equal((await focused(page)).testid, 'map-canvas', 'the map has the focus at start');
    const mapRing = () => page.evaluate(() => getComputedStyle(document.querySelector('[data-testid=map-canvas]')).outlineStyle);
    assert.equal(await mapRing(), 'none', 'no ring around the map for the focus the page gave it');
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).testid, 'skip-map');
    const box = await page.locator(tid('skip-map')).boundingBox();
    assert.ok(box && box.y >= 0 && box.width > 40, `skip link on screen when focused: ${JSON.stringify(box)}`);
    await page.keyboard.press('Enter');
    assert.equal((await focused(page)).testid, 'map-canvas', 'skip to the map');
    assert.equal(await mapRing(), 'solid', 'the ring around the map reached by the keyboard');

    // Skip to the incidents: the list's one tab stop.
    await page.focus(tid('skip-incidents'));
    await page.keyboard.press('Enter');
    const first = await focused(page);
    assert.equal(first.testid, 'incident-row', `skip to the incidents: ${JSON.stringify(first)}`);
    const stops = await page.locator(`${tid('incident-list')} [tabindex="0"]`).count();
    assert.equal(stops, 1, 'the list is one tab stop');

    // A focus ring: a 3 px solid yellow outline, not only a background change.
    const ring = await page.evaluate(() => {
      const s = getComputedStyle(document.activeElement);
      return { style: s.outlineStyle, width: s.outlineWidth, colour: s.outlineColor };
    });
    assert.deepEqual(ring, { style: 'solid', width: '3px', colour: 'rgb(255, 210, 63)' });

    // Arrows move inside the list, the tab stop with them. New incidents keep arriving at the
    // top (2 a second), so each position is read in one step with the row it names.
    const at = () => page.evaluate(() => {
      const rows = [...document.querySelectorAll('[data-testid=incident-row]')];
      const a = document.activeElement;
      const stops = rows.filter((r) => r.getAttribute('tabindex') === '0');
      return { index: rows.indexOf(a), id: a?.getAttribute('data-incident-id'), stop: stops.map((r) => r.getAttribute('data-incident-id')) };
    });
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const third = await at();
    assert.ok(third.index >= 2, `two rows down (or more, if new incidents came in at the top): ${JSON.stringify(third)}`);
    assert.notEqual(third.id, first.id, 'ArrowDown moved the focus');
    assert.deepEqual(third.stop, [third.id], 'the tab stop moved with the focus');
    await page.keyboard.press('Home');
    const home = await at();
    assert.ok(home.index <= 1, `Home: the first row (${JSON.stringify(home)})`);
    await page.keyboard.press('ArrowDown');
    const kept = await focused(page);
    await screenshot(page, 'a11y-focus-row');

    // The live feed renders rows again (new events, the age of each row): the focus stays on
    // the same incident's row, or on the list's current row if that incident left the list.
    const rendersBefore = await page.locator(tid('incident-row')).evaluateAll((rs) => rs.map((r) => r));
    await page.evaluate(() => {
      window.__rowsReplaced = 0;
      new MutationObserver((ms) => { for (const m of ms) window.__rowsReplaced += m.removedNodes.length; })
        .observe(document.querySelector('[data-testid=incident-list]'), { childList: true, subtree: true });
    });
    await page.waitForFunction(() => window.__rowsReplaced >= 3, null, { timeout: 30_000 });
    await page.waitForTimeout(300);
    const after = await focused(page);
    assert.ok(rendersBefore.length > 0);
    assert.equal(after.testid, 'incident-row', `the focus stayed in the list after ${await page.evaluate(() => window.__rowsReplaced)} rows were replaced: ${JSON.stringify(after)}`);
    const stillThere = (await page.locator(`${tid('incident-row')}[data-incident-id="${kept.id}"]`).count()) > 0;
    if (stillThere) assert.equal(after.id, kept.id, 'on the same incident');

    // Enter opens the focused incident; Tab leaves the list (one stop, not one per row).
    await page.keyboard.press('Enter');
    await page.locator(tid('info-card')).waitFor({ timeout: 10_000 });
    await page.locator(`${tid('incident-row')}[data-incident-id="${after.id}"]`).focus().catch(() => {});
    await page.keyboard.press('Tab');
    const out = await focused(page);
    assert.notEqual(out.testid, 'incident-row', `Tab left the list: ${JSON.stringify(out)}`);
    await app.assertHealthy('keyboard');
    await app.close();
  } finally {
    await ctx.close();
  }
});

test('reduced motion: a fly-to jumps instead of flying', { timeout: TEST_TIMEOUT }, async () => {
  const run = async (reducedMotion) => {
    const ctx = await env.newContext({ viewport: { width: 1280, height: 800 }, reducedMotion });
    try {
      const app = await openApp(env, ctx, { query: 'mode=desk' });
      const { page } = app;
      await page.evaluate(() => window.calaisMap.setView(2.5, 51.2, 9));
      const row = page.locator(tid('incident-row')).first();
      await row.waitFor({ timeout: 30_000 });
      // Every view the map shows for 1.5 s after the click.
      await page.evaluate(() => {
        window.__views = [];
        const tick = () => {
          const v = window.calaisMap.view();
          const k = JSON.stringify(v);
          if (window.__views[window.__views.length - 1] !== k) window.__views.push(k);
          if (window.__views.length < 200) requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      });
      await row.click();
      await page.waitForTimeout(1500);
      const views = await page.evaluate(() => window.__views.length);
      await app.assertHealthy(`reducedMotion ${reducedMotion}`);
      await app.close();
      return views;
    } finally {
      await ctx.close();
    }
  };
  const flying = await run('no-preference');
  const reduced = await run('reduce');
  console.log(`# views shown during a fly-to: ${flying} by default, ${reduced} with reduced motion`);
  assert.ok(flying >= 5, `a flight shows intermediate views by default (${flying})`);
  assert.ok(reduced <= 2, `with reduced motion the view jumps: start and end only (${reduced})`);
});
