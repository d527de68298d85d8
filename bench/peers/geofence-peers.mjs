// The JavaScript peers of the geofencing benchmark (bench/geofence.mjs), loaded into the app's
// page as an ES module. The npm packages are the ones of package-lock.json, served unbundled
// from a temp copy of the build and found through an import map (no bundler).
//
// Inputs are the peers' natural ones: the zones as GeoJSON Features in degrees WGS84 and the
// points as interleaved lon/lat degrees (Float64Array).
//
// Output of a classification, like the wasm side's `Classification`: per-zone counts
// (Uint32Array) and each point's zones in compressed rows (`offsets`, n + 1 entries, and
// `zones`). Boundary rule as in the app: a point on an edge is inside (hao answers 0 there).
//
// (a) flatbush over the polygons' bounding boxes (one box per polygon of a MultiPolygon) and
//     point-in-polygon-hao on each candidate: `search(x, y, x, y)` then hao on the rings.
// (b) a plain loop of @turf/boolean-point-in-polygon over every point and every zone (no
//     index, ignoreBoundary false).

import Flatbush from 'flatbush';
import pip from 'point-in-polygon-hao';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';

/** Zones GeoJSON → polygons (each an array of rings) with their zone index. Untimed. */
export function polygonsOf(fc) {
  const rings = [];
  const zone = [];
  fc.features.forEach((f, i) => {
    const g = f.geometry;
    const polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
    for (const p of polys) {
      rings.push(p);
      zone.push(i);
    }
  });
  return { rings, zone: Uint32Array.from(zone), zoneCount: fc.features.length };
}

/** (a) the index: one box per polygon, from its outer ring. */
export function buildFlatbush(polys) {
  const index = new Flatbush(polys.rings.length);
  for (const poly of polys.rings) {
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (const [x, y] of poly[0]) {
      if (x < minX) minX = x;
      if (y < minY) minY = y;
      if (x > maxX) maxX = x;
      if (y > maxY) maxY = y;
    }
    index.add(minX, minY, maxX, maxY);
  }
  index.finish();
  return index;
}

/** A reusable output for `n` points. */
export function newOutput(n, zoneCount) {
  return { counts: new Uint32Array(zoneCount), offsets: new Uint32Array(n + 1), zones: new Uint32Array(Math.max(16, n)), pairs: 0 };
}

function grow(out) {
  const z = new Uint32Array(out.zones.length * 2);
  z.set(out.zones);
  out.zones = z;
}

/** (a) classify every point: flatbush candidates, then hao. */
export function classifyFlatbushHao(index, polys, lonlat, out) {
  const n = lonlat.length >> 1;
  const { counts, offsets } = out;
  const ringsOf = polys.rings;
  const zoneOf = polys.zone;
  counts.fill(0);
  let zones = out.zones;
  let k = 0;
  const p = [0, 0];
  for (let i = 0; i < n; i++) {
    const x = lonlat[2 * i];
    const y = lonlat[2 * i + 1];
    offsets[i] = k;
    const start = k;
    const found = index.search(x, y, x, y);
    if (found.length === 0) continue;
    p[0] = x;
    p[1] = y;
    for (let j = 0; j < found.length; j++) {
      const c = found[j];
      if (pip(p, ringsOf[c]) === false) continue;
      const z = zoneOf[c];
      let dup = false;
      for (let q = start; q < k; q++) if (zones[q] === z) dup = true;
      if (dup) continue;
      if (k === zones.length) {
        out.zones = zones;
        grow(out);
        zones = out.zones;
      }
      zones[k++] = z;
      counts[z]++;
    }
  }
  offsets[n] = k;
  out.zones = zones;
  out.pairs = k;
  return out;
}

/** (b) the points as turf takes them: [lon, lat] arrays. Untimed. */
export function turfPoints(lonlat, from = 0, to = lonlat.length >> 1) {
  const pts = new Array(to - from);
  for (let i = from; i < to; i++) pts[i - from] = [lonlat[2 * i], lonlat[2 * i + 1]];
  return pts;
}

const TURF_OPTIONS = { ignoreBoundary: false };

/** (b) a plain loop: every point against every zone Feature. */
export function classifyTurf(features, points, out) {
  const n = points.length;
  const { counts, offsets } = out;
  counts.fill(0);
  let zones = out.zones;
  let k = 0;
  const nz = features.length;
  for (let i = 0; i < n; i++) {
    offsets[i] = k;
    const pt = points[i];
    for (let z = 0; z < nz; z++) {
      if (booleanPointInPolygon(pt, features[z], TURF_OPTIONS)) {
        if (k === zones.length) {
          out.zones = zones;
          grow(out);
          zones = out.zones;
        }
        zones[k++] = z;
        counts[z]++;
      }
    }
  }
  offsets[n] = k;
  out.zones = zones;
  out.pairs = k;
  return out;
}

/**
 * Agreement of two classifications over points `from..from+n` of `a` and `0..n` of `b`:
 * points whose zone sets differ, and the sum over zones of |count difference|.
 */
export function compare(a, b, n, from = 0) {
  let points = 0;
  const examples = [];
  for (let i = 0; i < n; i++) {
    const za = Array.from(a.zones.subarray(a.offsets[from + i], a.offsets[from + i + 1])).sort((x, y) => x - y);
    const zb = Array.from(b.zones.subarray(b.offsets[i], b.offsets[i + 1])).sort((x, y) => x - y);
    if (za.length !== zb.length || za.some((z, j) => z !== zb[j])) {
      points++;
      if (examples.length < 10) examples.push({ point: from + i, a: za, b: zb });
    }
  }
  return { points, examples };
}

/** Sum over zones of |a − b|. */
export function countDiff(a, b) {
  let d = 0;
  for (let z = 0; z < Math.max(a.length, b.length); z++) d += Math.abs((a[z] ?? 0) - (b[z] ?? 0));
  return d;
}
