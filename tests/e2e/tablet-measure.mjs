// What a tablet user gets, measured in the page (tests/e2e/tablet.test.mjs and
// bench/tablet.mjs): the fraction of the screen that shows the map, the touch targets and
// their sizes, the boxes the critical banner must not cover, the visible part of the map.
// CSS px of the page.

/** The controls a finger aims at: buttons, selects, text-like inputs, links, and the labels
 * of checkboxes and file inputs (the label is the target, not the box). */
export const CONTROLS = [
  'button', 'select', 'a[href]', '[role="button"]',
  'input:not([type="checkbox"]):not([type="radio"]):not([type="file"]):not([type="hidden"])',
  'label:has(input[type="checkbox"])', 'label:has(input[type="file"])',
].join(', ');

/** Every rendered control: { what, w, h } (its test id, class or text), `small` those under 44 px. */
export async function touchTargets(page, min = 44) {
  const all = await page.evaluate((CONTROLS) => {
    const out = [];
    for (const el of document.querySelectorAll(CONTROLS)) {
      if (!el.checkVisibility({ visibilityProperty: true, opacityProperty: false })) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const what = el.dataset.testid || `${el.tagName.toLowerCase()}.${el.className || ''} "${(el.textContent || '').trim().slice(0, 24)}"`;
      out.push({ what, w: Math.round(r.width * 10) / 10, h: Math.round(r.height * 10) / 10 });
    }
    return out;
  }, CONTROLS);
  return { all, small: all.filter((c) => c.w < min - 0.5 || c.h < min - 0.5) };
}

/** The fraction of the window where the map shows: points of an 8-px grid whose top element
 * is the map canvas (the canvases over it take no pointer), less the critical banner (which
 * takes no pointer either). */
export async function mapFraction(page) {
  return page.evaluate(() => {
    const c = document.querySelector('[data-testid="map-canvas"]');
    const banners = [...document.querySelectorAll('.critical-banner')].map((b) => b.getBoundingClientRect());
    let n = 0;
    let m = 0;
    for (let y = 4; y < innerHeight; y += 8) {
      for (let x = 4; x < innerWidth; x += 8) {
        n++;
        if (document.elementFromPoint(x, y) !== c) continue;
        if (banners.some((b) => x >= b.left && x < b.right && y >= b.top && y < b.bottom)) continue;
        m++;
      }
    }
    return m / n;
  });
}

/** Boxes of the buttons, selects, inputs and cards shown (what the critical banner must leave). */
export async function buttonAndCardBoxes(page) {
  return page.evaluate(() => [...document.querySelectorAll('button, select, input, .info-card, [data-testid="tap-chooser"]')]
    .filter((el) => el.checkVisibility({ visibilityProperty: true }) && !el.closest('.critical-flash'))
    .map((el) => {
      const r = el.getBoundingClientRect();
      return { what: el.dataset.testid || el.className || el.tagName, x: r.x, y: r.y, w: r.width, h: r.height };
    })
    .filter((b) => b.w > 0 && b.h > 0));
}

/** Do two {x, y, w, h} boxes overlap with a positive area? */
export const overlaps = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** The largest rectangle of the window no `[data-map-reserved]` box overlaps (the same
 * definition as core::layout::free_rect, computed here independently). */
export async function freeRect(page) {
  const { W, H, boxes } = await page.evaluate(() => ({
    W: innerWidth,
    H: innerHeight,
    boxes: [...document.querySelectorAll('[data-map-reserved]')]
      .map((e) => e.getBoundingClientRect())
      .filter((r) => r.width > 0 && r.height > 0)
      .map((r) => ({ x: Math.max(0, r.x), y: Math.max(0, r.y), w: Math.min(r.right, innerWidth) - Math.max(0, r.x), h: Math.min(r.bottom, innerHeight) - Math.max(0, r.y) }))
      .filter((r) => r.w > 0 && r.h > 0),
  }));
  const xs = [...new Set([0, W, ...boxes.flatMap((b) => [b.x, b.x + b.w])])].sort((a, b) => a - b);
  const ys = [...new Set([0, H, ...boxes.flatMap((b) => [b.y, b.y + b.h])])].sort((a, b) => a - b);
  let best = { x: W / 2, y: H / 2, w: 0, h: 0 };
  for (let i = 0; i < xs.length; i++) for (let j = i + 1; j < xs.length; j++) {
    for (let k = 0; k < ys.length; k++) for (let l = k + 1; l < ys.length; l++) {
      const r = { x: xs[i], y: ys[k], w: xs[j] - xs[i], h: ys[l] - ys[k] };
      if (r.w * r.h > best.w * best.h && !boxes.some((b) => overlaps(b, r))) best = r;
    }
  }
  return best;
}

/** Two fingers from (a0, b0) to (a1, b1) in `steps` moves (CDP touch events; page CSS px). */
export async function twoFingers(cdp, a0, b0, a1, b1, steps = 12) {
  const pt = (p, id) => ({ x: p[0], y: p[1], id, radiusX: 4, radiusY: 4, force: 1 });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [pt(a0, 0), pt(b0, 1)] });
  for (let i = 1; i <= steps; i++) {
    const t = i / steps;
    const lerp = (p, q) => [p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t];
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [pt(lerp(a0, a1), 0), pt(lerp(b0, b1), 1)] });
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}
