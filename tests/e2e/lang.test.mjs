// Languages (issue 11 item 8's seam, issue 14 item 4): `?lang=fr` shows the string table's French
// column in every mode, and no English text of the table is left visible (text, title,
// aria-label, placeholder), checked against the table itself (target/strings.json, written by
// `cargo test --test strings_export`); the EN/FR switch changes the language without a reload,
// keeps what the operator set, and the choice survives a reload; English stays the default.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { sharedEnv, openApp, tid, screenshot, ROOT, TEST_TIMEOUT } from './harness.mjs';

// Incidents in the list (the demo server's own generator, English descriptions: data, not UI).
const env = sharedEnv({ api: { heartbeatMs: 1000, rate: 2, seed: 14 } });

const STRINGS = path.join(ROOT, 'target', 'strings.json');

/** English texts of the table that are not also French ("Zones", "Zoom", "Port" are both). */
function englishTexts() {
  assert.ok(fs.existsSync(STRINGS), `${STRINGS} is missing: run cargo test -p calais-map --test strings_export`);
  const { texts } = JSON.parse(fs.readFileSync(STRINGS, 'utf8'));
  const french = new Set(texts.map((t) => t.fr));
  return texts.filter((t) => t.en !== t.fr && !french.has(t.en)).map((t) => t.en);
}

// Elements whose text is data (names, descriptions, sources, ids from the files and the API, the
// data's attribution), not UI: their text is not checked (their attributes are).
const DATA = [
  '.row-desc', '.row-source', '[data-testid=info-card-title]', '.info-card td', '.attribution',
  '.zone-name', '.alert-text', '[data-testid=feed-last-error]', '.layer-count', 'th.data-key',
].join(',');

/** Visible UI texts and the title/aria-label/placeholder attributes under main.app. */
async function uiTexts(page) {
  return page.evaluate((DATA) => {
    const out = [];
    const visible = (el) => {
      const r = el.getBoundingClientRect();
      const s = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
    };
    const root = document.querySelector('main.app');
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT);
    for (let el = walker.currentNode; el; el = walker.nextNode()) {
      // Each language's own name on the switch is written in that language.
      if (el.closest('[lang]') !== root) continue;
      for (const a of ['title', 'aria-label', 'placeholder']) {
        const v = el.getAttribute(a);
        if (v) out.push({ where: `${el.tagName.toLowerCase()}[${a}]`, text: v.trim() });
      }
      if (!visible(el) || el.closest(DATA)) continue;
      for (const n of el.childNodes) {
        if (n.nodeType === 3 && n.textContent.trim()) {
          out.push({ where: el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : ''), text: n.textContent.trim() });
        }
      }
    }
    return out;
  }, DATA);
}

/** The UI texts that are English texts of the table: equal, or containing a sentence of it. */
function englishLeft(found, english) {
  const sentences = english.filter((e) => e.split(/\s+/).length >= 3);
  return found.filter(({ text }) => english.includes(text) || sentences.some((s) => text.includes(s)));
}

test('?lang=fr in each mode leaves no English text of the table visible', { timeout: TEST_TIMEOUT }, async () => {
  const english = englishTexts();
  assert.ok(english.length > 150, `${english.length} English texts to look for`);
  // The check finds English where there is some: the same page in English.
  {
    const ctx = await env.newContext();
    try {
      const app = await openApp(env, ctx, { query: 'lang=en' });
      const left = englishLeft(await uiTexts(app.page), english);
      assert.ok(left.length > 20, `the check sees the English UI: ${left.length} texts`);
      await app.close();
    } finally {
      await ctx.close();
    }
  }
  for (const [mode, viewport] of [
    ['desk', { width: 1280, height: 800 }],
    ['tablet', { width: 1024, height: 768 }],
    ['tablet', { width: 768, height: 1024 }],
    ['wall', { width: 1920, height: 1080 }],
  ]) {
    const ctx = await env.newContext({ viewport, hasTouch: mode === 'tablet' });
    try {
      const app = await openApp(env, ctx, { query: `lang=fr&mode=${mode}` });
      const { page } = app;
      assert.equal(await page.locator('main.app').getAttribute('lang'), 'fr');
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'fr');
      // Rows, the status line and the clocks have had a tick.
      await page.waitForTimeout(2500);
      if (mode !== 'wall') {
        const row = page.locator(tid('incident-row')).first();
        if (await row.isVisible().catch(() => false)) {
          await row.click();
          await page.locator(tid('info-card')).waitFor({ timeout: 10_000 });
        }
      }
      const found = await uiTexts(page);
      assert.ok(found.length > 20, `${mode}: ${found.length} texts read`);
      const left = englishLeft(found, english);
      assert.deepEqual(left, [], `${mode} ${viewport.width}×${viewport.height}: English left in French mode`);
      if (mode !== 'wall') {
        assert.match(await page.locator(tid('status-clocks')).textContent(), /Londres \d\d:\d\d · Paris \d\d:\d\d/);
      }
      await screenshot(page, `lang-fr-${mode}-${viewport.width}x${viewport.height}`);
      await app.assertHealthy(`?lang=fr&mode=${mode}`);
      await app.close();
    } finally {
      await ctx.close();
    }
  }
});

test('?lang=fr shows the French texts; the switch goes back to English and is remembered', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await env.newContext();
  try {
    let app = await openApp(env, ctx, {});
    assert.equal(await app.page.locator('main.app').getAttribute('lang'), 'en');
    assert.equal((await app.page.locator(`${tid('layer-panel')} h2`).first().textContent()).trim(), 'Layers');
    assert.equal(await app.page.locator(tid('lang-switch')).getAttribute('data-lang'), 'en');
    await app.assertHealthy('default language');
    await app.close();

    app = await openApp(env, ctx, { query: 'lang=fr&mode=kiosk' });
    const page = app.page;
    assert.equal(await page.locator('main.app').getAttribute('lang'), 'fr');
    assert.equal((await page.locator(`${tid('layer-panel')} h2`).first().textContent()).trim(), 'Couches');
    assert.equal(await page.locator(tid('zoom-in')).getAttribute('title'), 'Zoom avant (+)');
    assert.match(await page.locator(tid('layer-row-ports')).textContent(), /Ports et terminaux/);
    const banner = page.locator(`${tid('error-banner')}[data-layer="mode"]`);
    assert.match(await banner.textContent(), /Mode d’affichage « kiosk » inconnu/);

    // The operator's settings before the switch: a layer hidden, a view moved.
    await page.locator(tid('layer-toggle-cameras')).uncheck();
    await page.evaluate(() => window.calaisMap.setView(1.85, 50.95, 12.5));
    await page.waitForTimeout(300);
    const view = await page.evaluate(() => window.calaisMap.view());
    await page.evaluate(() => { window.__sameDocument = true; });

    await page.locator(tid('lang-en')).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="layer-panel"] h2')?.textContent.trim() === 'Layers');
    assert.equal(await page.locator(tid('lang-switch')).getAttribute('data-lang'), 'en');
    assert.equal(await page.locator('main.app').getAttribute('lang'), 'en');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    assert.equal(await page.locator(tid('zoom-in')).getAttribute('title'), 'Zoom in (+)');
    assert.match(await page.locator(`${tid('error-banner')}[data-layer="mode"]`).textContent(), /kiosk/);
    assert.doesNotMatch(await page.locator(`${tid('error-banner')}[data-layer="mode"]`).textContent(), /inconnu/);
    assert.equal(await page.evaluate(() => window.__sameDocument), true, 'no reload');
    assert.equal(await page.locator(tid('layer-toggle-cameras')).isChecked(), false, 'the hidden layer stays hidden');
    assert.deepEqual(await page.evaluate(() => window.calaisMap.view()), view, 'the view is kept');
    assert.match(page.url(), /lang=en/, 'the address follows the switch');

    // A reload keeps English; a page without ?lang= opens in the remembered language.
    await page.reload();
    await page.waitForFunction(() => document.querySelector('[data-testid="lang-switch"]')?.getAttribute('data-lang') === 'en');
    await page.locator(tid('lang-fr')).click();
    await page.waitForFunction(() => document.querySelector('main.app')?.getAttribute('lang') === 'fr');
    await app.close();
    app = await openApp(env, ctx, {});
    assert.equal(await app.page.locator(tid('lang-switch')).getAttribute('data-lang'), 'fr', 'remembered on this device');
    assert.equal((await app.page.locator(`${tid('layer-panel')} h2`).first().textContent()).trim(), 'Couches');
    await app.close();
    // An explicit ?lang= wins over the remembered language.
    app = await openApp(env, ctx, { query: 'lang=en' });
    assert.equal(await app.page.locator(tid('lang-switch')).getAttribute('data-lang'), 'en');
    await app.assertHealthy('?lang=en over a remembered fr');
    await app.close();
  } finally {
    await ctx.close();
  }
});

test('a typed go-to text and export note survive a switch (and back)', { timeout: TEST_TIMEOUT }, async () => {
  const ctx = await env.newContext({ viewport: { width: 1440, height: 900 } });
  try {
    const app = await openApp(env, ctx, { query: 'lang=en' });
    const { page } = app;
    const GOTO = 'not a place';
    const NOTE = 'Handover to the night shift: vehicle seen at gate 3, lorry park quiet.';
    await page.locator(tid('goto-input')).fill(GOTO);
    await page.locator(tid('goto-submit')).click();
    const error = page.locator(tid('goto-error'));
    await error.waitFor();
    const errorKind = await error.getAttribute('data-error');
    const errorEn = (await error.textContent()).trim();
    await page.locator(tid('export-open')).click();
    await page.locator(tid('export-note')).fill(NOTE);
    await screenshot(page, 'lang-typed-en');
    await page.evaluate(() => { window.__sameDocument = true; });

    await page.locator(tid('lang-fr')).click();
    await page.waitForFunction(() => document.querySelector('main.app')?.getAttribute('lang') === 'fr');
    assert.equal(await page.locator(tid('goto-input')).inputValue(), GOTO, 'the go-to text is kept');
    assert.equal(await error.getAttribute('data-error'), errorKind, 'its error too');
    const errorFr = (await error.textContent()).trim();
    assert.notEqual(errorFr, errorEn, `the error is worded in French: ${errorFr}`);
    if (!(await page.locator(tid('export-dialog')).isVisible())) await page.locator(tid('export-open')).click();
    assert.equal(await page.locator(tid('export-note')).inputValue(), NOTE, 'the export note is kept');
    assert.equal((await page.locator(`${tid('export-dialog')} h2`).textContent()).trim(), 'Exporter', 'the dialog is French');
    await screenshot(page, 'lang-typed-fr');

    await page.locator(tid('lang-en')).click();
    await page.waitForFunction(() => document.querySelector('main.app')?.getAttribute('lang') === 'en');
    assert.equal(await page.locator(tid('goto-input')).inputValue(), GOTO, 'kept back in English');
    if (!(await page.locator(tid('export-dialog')).isVisible())) await page.locator(tid('export-open')).click();
    assert.equal(await page.locator(tid('export-note')).inputValue(), NOTE, 'the note too');
    assert.equal(await page.evaluate(() => window.__sameDocument), true, 'no reload');
    await app.assertHealthy('typed texts across switches');
  } finally {
    await ctx.close();
  }
});
