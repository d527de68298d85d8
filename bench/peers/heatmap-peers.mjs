// The JavaScript peers of the heatmap benchmark (bench/heatmap.mjs), loaded into the app's page
// as an ES module, drawing the same seeded points as the wasm engine at the same size.
//
// Input (made once, untimed, from what calaisMap.benchHeatmapSetup returns): the points in
// screen CSS px of the 1920 × 1080 view (Float32Array x, y) with their weights (Float32Array).
// Every frame ends like the wasm one: the picture on a 1920 × 1080 canvas, then a 1-px
// getImageData of it so that Chromium rasterises inside the frame.
//
// (a) plainFrame: the same algorithm written the best plain way: linear (cloud-in-cell)
//     binning onto a Float32Array grid at half the screen's resolution padded by 4 σ, a
//     Gaussian approximated by 3 box passes per axis (running sums, widths from σ as in
//     Kuckir's "fastest Gaussian blur"), one σ for the whole view (no per-latitude ground
//     correction, which the wasm engine makes), colour through the wasm ramp's 256-entry LUT
//     written as Uint32 into an ImageData, putImageData, drawImage scaled to 1920 × 1080.
// (b) simpleheat (npm, a classic script: window.simpleheat): one blurred circle per point
//     drawn with globalAlpha = weight / max, then its own colorize pass; the kernel is sized
//     in screen px: radius = blur = σ in px at the view's centre.

/** Widths of `n` box filters whose cascade has standard deviation `sigma` (cells). */
export function boxWidths(sigma, n) {
  const ideal = Math.sqrt((12 * sigma * sigma) / n + 1);
  let wl = Math.floor(ideal);
  if (wl % 2 === 0) wl--;
  const wu = wl + 2;
  const m = Math.round((12 * sigma * sigma - n * wl * wl - 4 * n * wl - 3 * n) / (-4 * wl - 4));
  return Array.from({ length: n }, (_, i) => (i < m ? wl : wu));
}

/** A screen canvas and a context on it. */
function screenCanvas(width, height) {
  const c = document.createElement('canvas');
  c.width = width;
  c.height = height;
  return { canvas: c, ctx: c.getContext('2d') };
}

/**
 * (a) State of the plain-JS peer for a `width × height` view, `cellsPerPx` grid cells per px,
 * σ of `sigmaPx` CSS px; `lut` the wasm ramp (Uint8Array, 256 RGBA).
 */
export function plainSetup({ width, height, cellsPerPx, sigmaPx, lut }) {
  const sigma = sigmaPx * cellsPerPx;
  const pad = Math.ceil(4 * sigma);
  const vw = Math.ceil(width * cellsPerPx);
  const vh = Math.ceil(height * cellsPerPx);
  const cols = vw + 2 * pad;
  const rows = vh + 2 * pad;
  const small = screenCanvas(vw, vh);
  const screen = screenCanvas(width, height);
  const image = small.ctx.createImageData(vw, vh);
  return {
    width, height, cellsPerPx, sigma, pad, vw, vh, cols, rows,
    radii: boxWidths(sigma, 3).map((w) => (w - 1) >> 1),
    grid: new Float32Array(cols * rows),
    tmp: new Float32Array(cols * rows),
    acc: new Float32Array(cols),
    lut: new Uint32Array(lut.buffer.slice(lut.byteOffset, lut.byteOffset + 1024)),
    image,
    pixels: new Uint32Array(image.data.buffer),
    small, screen,
  };
}

/** Box blur of radius `r` along rows, `src` → `dst`, zeros beyond the ends. */
function boxRows(src, dst, cols, rows, r) {
  const k = 1 / (2 * r + 1);
  for (let j = 0; j < rows; j++) {
    const o = j * cols;
    let s = 0;
    for (let i = 0; i < r && i < cols; i++) s += src[o + i];
    for (let i = 0; i < cols; i++) {
      const add = i + r;
      const sub = i - r - 1;
      if (add < cols) s += src[o + add];
      if (sub >= 0) s -= src[o + sub];
      dst[o + i] = s * k;
    }
  }
}

/** Box blur of radius `r` along columns, a row at a time (running sums per column in `acc`). */
function boxCols(src, dst, cols, rows, r, acc) {
  const k = 1 / (2 * r + 1);
  acc.fill(0);
  for (let j = 0; j < r && j < rows; j++) {
    const o = j * cols;
    for (let i = 0; i < cols; i++) acc[i] += src[o + i];
  }
  for (let j = 0; j < rows; j++) {
    const add = j + r;
    const sub = j - r - 1;
    if (add < rows) {
      const o = add * cols;
      for (let i = 0; i < cols; i++) acc[i] += src[o + i];
    }
    if (sub >= 0) {
      const o = sub * cols;
      for (let i = 0; i < cols; i++) acc[i] -= src[o + i];
    }
    const o = j * cols;
    for (let i = 0; i < cols; i++) dst[o + i] = acc[i] * k;
  }
}

/** (a) One frame of the plain-JS peer: returns its stage times (ms) and the peak. */
export function plainFrame(st, xy, w) {
  const { cols, rows, pad, grid, tmp, acc, radii, vw, vh, lut, pixels } = st;
  const t0 = performance.now();
  grid.fill(0);
  const f = st.cellsPerPx;
  const n = w.length;
  for (let p = 0; p < n; p++) {
    const gx = xy[2 * p] * f + pad - 0.5;
    const gy = xy[2 * p + 1] * f + pad - 0.5;
    const i0 = Math.floor(gx);
    const j0 = Math.floor(gy);
    if (i0 < 0 || j0 < 0 || i0 >= cols - 1 || j0 >= rows - 1) continue;
    const tx = gx - i0;
    const ty = gy - j0;
    const v = w[p];
    const k = j0 * cols + i0;
    grid[k] += v * (1 - tx) * (1 - ty);
    grid[k + 1] += v * tx * (1 - ty);
    grid[k + cols] += v * (1 - tx) * ty;
    grid[k + cols + 1] += v * tx * ty;
  }
  const t1 = performance.now();
  boxRows(grid, tmp, cols, rows, radii[0]);
  boxRows(tmp, grid, cols, rows, radii[1]);
  boxRows(grid, tmp, cols, rows, radii[2]);
  const t2 = performance.now();
  boxCols(tmp, grid, cols, rows, radii[0], acc);
  boxCols(grid, tmp, cols, rows, radii[1], acc);
  boxCols(tmp, grid, cols, rows, radii[2], acc);
  const t3 = performance.now();
  let peak = 0;
  for (let j = 0; j < vh; j++) {
    const o = (j + pad) * cols + pad;
    for (let i = 0; i < vw; i++) if (grid[o + i] > peak) peak = grid[o + i];
  }
  const s = peak > 0 ? 255 / peak : 0;
  let q = 0;
  for (let j = 0; j < vh; j++) {
    const o = (j + pad) * cols + pad;
    for (let i = 0; i < vw; i++) {
      const idx = Math.min(255, (grid[o + i] * s + 0.5) | 0);
      pixels[q++] = lut[idx < 0 ? 0 : idx];
    }
  }
  const t4 = performance.now();
  st.small.ctx.putImageData(st.image, 0, 0);
  st.screen.ctx.clearRect(0, 0, st.width, st.height);
  st.screen.ctx.drawImage(st.small.canvas, 0, 0, st.width, st.height);
  const t5 = performance.now();
  st.screen.ctx.getImageData(0, 0, 1, 1);
  const t6 = performance.now();
  return { total: t6 - t0, bin: t1 - t0, rows: t2 - t1, columns: t3 - t2, colour: t4 - t3, put: t5 - t4, flush: t6 - t5, peak };
}

/** Pixels of `pixels` (Uint32 RGBA) that are not fully transparent. */
export function painted(st) {
  let c = 0;
  for (let i = 0; i < st.pixels.length; i++) if (st.pixels[i] >>> 24) c++;
  return c;
}

/** (b) A simpleheat over a fresh `width × height` canvas with the points as [x, y, w]. */
export function simpleheatSetup({ width, height, sigmaPx }, xy, w, max) {
  const { canvas, ctx } = screenCanvas(width, height);
  const data = new Array(w.length);
  for (let p = 0; p < w.length; p++) data[p] = [xy[2 * p], xy[2 * p + 1], w[p]];
  const r = Math.max(1, Math.round(sigmaPx));
  const heat = globalThis.simpleheat(canvas).data(data).max(max).radius(r, r);
  return { heat, ctx, radius: r };
}

/** (b) One simpleheat frame (draw, then the 1-px read), ms. */
export function simpleheatFrame(st) {
  const t0 = performance.now();
  st.heat.draw();
  st.ctx.getImageData(0, 0, 1, 1);
  return performance.now() - t0;
}
