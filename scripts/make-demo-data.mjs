#!/usr/bin/env node
// Writes the demo layers of the map viewer:
//   public/data/ports.geojson    ports, terminals and tunnel portals from data-src/ports.csv
//                                (approximate positions) + the Coquelles terminal outline
//   public/data/fences.geojson   SYNTHETIC fences, walls and gates (Coquelles terminal,
//                                its rail/road approaches, Sangatte shaft, port of Calais)
//   public/data/cameras.geojson  SYNTHETIC CCTV cameras along those fences
//
// Usage (from the repository root):  node scripts/make-demo-data.mjs
// Plain Node (>= 18), no dependencies. Deterministic: a seeded PRNG (mulberry32), no
// Math.random, no clock; running it twice gives byte-identical files.
//
// Nothing in fences.geojson or cameras.geojson is real security infrastructure: every
// feature has `synthetic: true` and a name starting "Demo", and both collections carry a
// top-level "note" saying so. Shapes are invented around approximate public landmarks
// (the terminal platform, the ferry berths, the rocade portuaire) only so that the demo
// looks plausible.
//
// If public/data/basemap.geojson exists, every fence vertex and camera is checked to lie
// on land (a warning, not a failure, for the approximate port points from the CSV).

import { readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..');
const OUT = join(repo, 'public/data');
const CSV = join(repo, 'data-src/ports.csv');
const NOTE = 'Synthetic demo data: not real security infrastructure.';

// ---------------------------------------------------------------- helpers

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(0xca1a15);
const pick = (arr) => arr[Math.floor(rand() * arr.length)];
const between = (lo, hi, step = 1) => lo + step * Math.floor(rand() * (Math.floor((hi - lo) / step) + 1));

const r6 = (v) => Math.round(v * 1e6) / 1e6 + 0;
const pt = (p) => [r6(p[0]), r6(p[1])];

// Local equirectangular metres around the Calais area: fine for distances of a few km.
const LAT0 = 50.94;
const MX = 111320 * Math.cos((LAT0 * Math.PI) / 180); // metres per degree of longitude
const MY = 110574; // metres per degree of latitude
const dist = (a, b) => Math.hypot((b[0] - a[0]) * MX, (b[1] - a[1]) * MY);
const lerp = (a, b, t) => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
function bearing(a, b) {
  const d = (Math.atan2((b[0] - a[0]) * MX, (b[1] - a[1]) * MY) * 180) / Math.PI;
  return (d + 360) % 360;
}
// move p by metres along a bearing
function offset(p, bearingDeg, metres) {
  const t = (bearingDeg * Math.PI) / 180;
  return [p[0] + (Math.sin(t) * metres) / MX, p[1] + (Math.cos(t) * metres) / MY];
}
const normBearing = (b) => Math.round(((b % 360) + 360) % 360) % 360;

function pathLength(path) {
  let s = 0;
  for (let i = 1; i < path.length; i++) s += dist(path[i - 1], path[i]);
  return s;
}

// The sub-path between distances d0 and d1 along the path (keeps inner vertices).
function subPath(path, d0, d1) {
  const out = [];
  let acc = 0;
  for (let i = 1; i < path.length; i++) {
    const a = path[i - 1], b = path[i];
    const L = dist(a, b);
    const s = acc, e = acc + L;
    if (e >= d0 && s <= d1 && L > 0) {
      const t0 = Math.max(0, (d0 - s) / L), t1 = Math.min(1, (d1 - s) / L);
      const p0 = lerp(a, b, t0), p1 = lerp(a, b, t1);
      if (!out.length) out.push(p0);
      else if (dist(out[out.length - 1], p0) > 0.01) out.push(p0);
      out.push(p1);
    }
    acc = e;
  }
  // drop repeated points
  return out.filter((p, i) => i === 0 || dist(out[i - 1], p) > 0.01);
}

// Point and direction at distance d along a path.
function along(path, d) {
  let acc = 0;
  for (let i = 1; i < path.length; i++) {
    const a = path[i - 1], b = path[i];
    const L = dist(a, b);
    if (acc + L >= d || i === path.length - 1) {
      const t = L ? Math.min(1, Math.max(0, (d - acc) / L)) : 0;
      return { p: lerp(a, b, t), dir: bearing(a, b) };
    }
    acc += L;
  }
  throw new Error('empty path');
}

// Split [0, len] into pieces of about `target` metres (each between ~200 and ~500 m).
function cuts(len, target = 350) {
  const n = Math.max(1, Math.round(len / target));
  return Array.from({ length: n + 1 }, (_, i) => (len * i) / n);
}

// Parallel path at `metres` to the right (negative = left) of the direction of travel.
function parallel(path, metres) {
  return path.map((p, i) => {
    const a = path[Math.max(0, i - 1)], b = path[Math.min(path.length - 1, i + 1)];
    return offset(p, bearing(a, b) + 90, metres);
  });
}

function signedAreaDeg(ring) {
  let a = 0;
  for (let i = 0; i < ring.length - 1; i++) a += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return a / 2;
}
const ccw = (ring) => (signedAreaDeg(ring) > 0 ? ring : ring.slice().reverse());
const closed = (ring) => {
  const f = ring[0], l = ring[ring.length - 1];
  return f[0] === l[0] && f[1] === l[1] ? ring : [...ring, f];
};

// ---------------------------------------------------------------- ports from CSV

function parseCsv(text) {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() && !l.startsWith('#'));
  const header = lines.shift().split(',');
  return lines.map((l) => {
    const cells = l.split(',');
    if (cells.length !== header.length) throw new Error(`bad CSV line: ${l}`);
    return Object.fromEntries(header.map((h, i) => [h.trim(), cells[i].trim()]));
  });
}

const slug = (s) =>
  s.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

const KINDS = new Set(['ferry_port', 'rail_terminal', 'tunnel_portal', 'harbour']);
const COUNTRIES = new Set(['FR', 'GB', 'BE', 'NL']);
const rows = parseCsv(readFileSync(CSV, 'utf8'));
const portFeatures = rows.map((r) => {
  if (!KINDS.has(r.kind)) throw new Error(`unknown kind ${r.kind}`);
  if (!COUNTRIES.has(r.country)) throw new Error(`unknown country ${r.country}`);
  const lon = Number(r.lon), lat = Number(r.lat);
  if (!Number.isFinite(lon) || !Number.isFinite(lat)) throw new Error(`bad position in ${r.name}`);
  return {
    type: 'Feature',
    id: `port-${slug(r.name)}`,
    properties: {
      id: `port-${slug(r.name)}`,
      name: r.name,
      kind: r.kind,
      country: r.country,
      source: 'approximate position (±500 m), demo data',
    },
    geometry: { type: 'Point', coordinates: pt([lon, lat]) },
  };
});

// Approximate outline of the Coquelles terminal platform: about 3 km east-west by 1.5 km
// north-south around 50.928N 1.812E, between the A16 (north) and Coquelles/Fréthun (south),
// narrowing at the west end towards the tunnel approach. Counter-clockwise.
const TERMINAL = ccw(closed([
  [1.7890, 50.9268], // west tip (rail approach from the tunnel portal)
  [1.7912, 50.9241],
  [1.7962, 50.9219],
  [1.8050, 50.9212],
  [1.8160, 50.9215],
  [1.8268, 50.9228], // south-east (rail line towards Fréthun)
  [1.8332, 50.9256],
  [1.8346, 50.9294], // east (road entry from the A16 interchange)
  [1.8322, 50.9330],
  [1.8250, 50.9350],
  [1.8150, 50.9358],
  [1.8050, 50.9352],
  [1.7960, 50.9336],
  [1.7906, 50.9302],
]));

portFeatures.push({
  type: 'Feature',
  id: 'site-eurotunnel-coquelles',
  properties: {
    id: 'site-eurotunnel-coquelles',
    name: 'Eurotunnel terminal Coquelles (site outline, approximate)',
    kind: 'rail_terminal',
    country: 'FR',
    source: 'approximate outline (±300 m), demo data',
  },
  geometry: { type: 'Polygon', coordinates: [TERMINAL.map(pt)] },
});

// ---------------------------------------------------------------- synthetic fences

const fences = [];
const cameras = [];
const counters = {};
function nextNo(prefix) {
  counters[prefix] = (counters[prefix] ?? 0) + 1;
  return String(counters[prefix]).padStart(2, '0');
}
const camCounters = {};
function nextCam(prefix) {
  camCounters[prefix] = (camCounters[prefix] ?? 0) + 1;
  return String(camCounters[prefix]).padStart(2, '0');
}

function addFence(prefix, kind, where, coords, heightM, geomType = 'LineString') {
  const no = nextNo(prefix);
  const label = kind === 'gate' ? 'gate' : kind;
  const geometry = geomType === 'Polygon'
    ? { type: 'Polygon', coordinates: [ccw(closed(coords)).map(pt)] }
    : { type: 'LineString', coordinates: coords.map(pt) };
  const f = {
    type: 'Feature',
    id: `fence-${prefix}-${no}`,
    properties: {
      id: `fence-${prefix}-${no}`,
      name: `Demo ${label} ${prefix}-${no} (${where})`,
      // The sector id incident texts name ("sector T-11"), labelled on the map from zoom 15.
      sector: `${prefix}-${no}`,
      kind,
      height_m: heightM,
      synthetic: true,
    },
    geometry,
  };
  fences.push(f);
  return f;
}

function addCamera(prefix, p, bearingDeg, opts) {
  const no = nextCam(prefix);
  const model = opts.model ?? pick(['fixed', 'fixed', 'PTZ', 'thermal']);
  let fov = opts.fov;
  if (fov === undefined) {
    fov = model === 'PTZ' ? between(40, 90, 5) : model === 'thermal' ? between(30, 50, 5) : between(50, 100, 5);
  }
  const range = opts.range ?? (model === 'thermal' ? between(250, 400, 10) : model === 'PTZ' ? between(150, 300, 10) : between(80, 200, 10));
  cameras.push({
    type: 'Feature',
    id: `cam-${prefix}-${no}`,
    properties: {
      id: `cam-${prefix}-${no}`,
      name: `Demo CCTV ${prefix}-${no}`,
      bearing: normBearing(bearingDeg),
      fov,
      range_m: range,
      model,
      operator: opts.operator,
      watches: opts.watches,
      synthetic: true,
    },
    geometry: { type: 'Point', coordinates: pt(p) },
  });
}

// Which side of a site a point is on; `half` = the site's half extents in metres
// [east-west, north-south], so an elongated site is judged by its shape.
const sideOf = (p, centre, half) => {
  const x = ((p[0] - centre[0]) * MX) / half[0], y = ((p[1] - centre[1]) * MY) / half[1];
  const b = ((Math.atan2(x, y) * 180) / Math.PI + 360) % 360;
  return ['north', 'east', 'south', 'west'][Math.round(b / 90) % 4];
};

// Lay fences (with gates at given distances) along a closed perimeter ring.
// gates: [{ at: metres along ring, len: metres, where }]; walls: [[d0, d1]] ranges built as walls.
function perimeter({ prefix, ring, centre, half, siteName, gates = [], walls = [], fenceHeights, wallHeight, camOperator, camEvery = 1, insideLeft = true }) {
  const len = pathLength(ring);
  const stops = [];
  for (const g of gates) stops.push([g.at - g.len / 2, 'gate', g], [g.at + g.len / 2, 'end']);
  for (const [a, b] of walls) stops.push([a, 'wall'], [b, 'end']);
  // runs between gates/walls
  const marks = [0, ...gates.flatMap((g) => [g.at - g.len / 2, g.at + g.len / 2]), ...walls.flat(), len].sort((a, b) => a - b);
  let segIndex = 0;
  for (let i = 0; i + 1 < marks.length; i++) {
    const a = marks[i], b = marks[i + 1];
    if (b - a < 1) continue;
    const mid = (a + b) / 2;
    const gate = gates.find((g) => Math.abs(g.at - mid) < g.len / 2 + 0.5);
    const inWall = walls.some(([w0, w1]) => mid > w0 && mid < w1);
    if (gate) {
      const path = subPath(ring, a, b);
      addFence(prefix, 'gate', gate.where, path, pick([2.4, 3.0]));
      const { p, dir } = along(ring, gate.at);
      // a 360° dome just inside each gate, and a fixed camera looking at the gate from inside
      const inward = dir + (insideLeft ? -90 : 90);
      addCamera(prefix, offset(p, inward, 15), 0, { model: 'PTZ', fov: 360, range: between(150, 250, 10), operator: gate.operator ?? camOperator, watches: `gate ${prefix}` });
      addCamera(prefix, offset(offset(p, inward, 40), dir, 25), inward + 180 - 20, { model: 'fixed', operator: gate.operator ?? camOperator, watches: `gate ${prefix}` });
      continue;
    }
    const ds = cuts(b - a);
    for (let k = 0; k + 1 < ds.length; k++) {
      const d0 = a + ds[k], d1 = a + ds[k + 1];
      const path = subPath(ring, d0, d1);
      const { p: m } = along(ring, (d0 + d1) / 2);
      const kind = inWall ? 'wall' : 'fence';
      addFence(prefix, kind, `${siteName} ${sideOf(m, centre, half)} perimeter`, path, inWall ? wallHeight : pick(fenceHeights));
      if (segIndex++ % camEvery === 0) {
        // camera on a mast 8 m inside the fence at the segment start, looking along it
        // (alternately across it, into the site)
        const { p, dir } = along(ring, d0 + 5);
        const inward = dir + (insideLeft ? -90 : 90);
        const across = segIndex % 3 === 0;
        addCamera(prefix, offset(p, inward, 8), across ? inward : dir + (insideLeft ? -8 : 8), {
          operator: camOperator,
          watches: `${siteName} ${sideOf(m, centre, half)} perimeter`,
        });
      }
    }
  }
  return len;
}

// Fences on both sides of a corridor (rail line, road) along `axis`.
function corridor({ prefix, axis, halfWidth, where, fenceHeights, camOperator, camSpacing }) {
  const len = pathLength(axis);
  for (const side of [-1, 1]) {
    const line = parallel(axis, side * halfWidth);
    const ds = cuts(pathLength(line));
    for (let k = 0; k + 1 < ds.length; k++) {
      addFence(prefix, 'fence', `${where}, ${side < 0 ? 'left' : 'right'} side`, subPath(line, ds[k], ds[k + 1]), pick(fenceHeights));
    }
  }
  // cameras alternately on each side, on the corridor side of the fence, looking along it
  let side = 1;
  for (let d = camSpacing / 2; d < len; d += camSpacing) {
    const { p, dir } = along(axis, d);
    const q = offset(p, dir + 90 * side, halfWidth - 6);
    addCamera(prefix, q, dir + (side > 0 ? -10 : 10) + (Math.floor(d / camSpacing) % 2 ? 180 : 0), {
      model: pick(['fixed', 'thermal', 'PTZ']),
      operator: camOperator,
      watches: where,
    });
    side = -side;
  }
  return len;
}

// --- Coquelles terminal perimeter (ring runs counter-clockwise: inside is on the left)
const TERM_CENTRE = [1.8120, 50.9280];
// walk the perimeter from the middle of the south side so no gate straddles the start
const startAt = TERMINAL.findIndex((c) => c[0] === 1.8160 && c[1] === 50.9215);
const termRing = [...TERMINAL.slice(startAt, -1), ...TERMINAL.slice(0, startAt + 1)];
const termLen = pathLength(termRing);
const dAt = (target) => {
  // distance along the ring of the vertex nearest to target
  let best = 0, bestD = Infinity, acc = 0;
  for (let i = 0; i < termRing.length; i++) {
    if (i) acc += dist(termRing[i - 1], termRing[i]);
    const d = dist(termRing[i], target);
    if (d < bestD) { bestD = d; best = acc; }
  }
  return best;
};
const eastEntry = dAt([1.8346, 50.9294]);
const westTip = dAt([1.7890, 50.9268]);
const southEast = dAt([1.8268, 50.9228]);
perimeter({
  prefix: 'T',
  ring: termRing,
  centre: TERM_CENTRE,
  half: [1500, 700],
  siteName: 'terminal',
  gates: [
    { at: eastEntry, len: 60, where: 'terminal road entry from the A16 interchange', operator: 'Eurotunnel' },
    { at: westTip, len: 40, where: 'terminal rail entry, tunnel approach', operator: 'Eurotunnel' },
    { at: southEast, len: 40, where: 'terminal rail entry, Fréthun line', operator: 'Eurotunnel' },
    { at: dAt([1.8050, 50.9212]), len: 20, where: 'terminal south service gate', operator: 'Eurotunnel' },
  ],
  // a concrete wall along the north side facing the A16 near the passenger area
  walls: [[dAt([1.8322, 50.9330]) + 60, dAt([1.8150, 50.9358])]],
  fenceHeights: [2.8, 3.0, 4.0, 4.0],
  wallHeight: 4.5,
  camOperator: 'Eurotunnel',
});

// --- approaches to the terminal
corridor({
  prefix: 'A',
  axis: [[1.7800, 50.9210], [1.7840, 50.9235], [1.7890, 50.9268]],
  halfWidth: 30,
  where: 'rail approach from the Beussingue tunnel portal',
  fenceHeights: [3.0, 4.0],
  camOperator: 'Eurotunnel',
  camSpacing: 200,
});
corridor({
  prefix: 'A',
  axis: [[1.8268, 50.9228], [1.8330, 50.9195], [1.8400, 50.9160], [1.8460, 50.9135]],
  halfWidth: 25,
  where: 'rail line towards Fréthun',
  fenceHeights: [2.4, 3.0],
  camOperator: 'Eurotunnel',
  camSpacing: 350,
});
corridor({
  prefix: 'A',
  axis: [[1.8346, 50.9294], [1.8400, 50.9310], [1.8460, 50.9340], [1.8500, 50.9372]],
  halfWidth: 20,
  where: 'terminal access road from the A16',
  fenceHeights: [2.4, 2.8],
  camOperator: 'Police aux frontières',
  camSpacing: 300,
});

// --- compounds (polygons): tunnel portal and Sangatte shaft
const compound = (prefix, centre, wM, hM, rot, where, height, operator) => {
  const corners = [[-1, -1], [1, -1], [1, 1], [-1, 1]].map(([sx, sy]) => {
    const x = (sx * wM) / 2, y = (sy * hM) / 2;
    const c = Math.cos((rot * Math.PI) / 180), s = Math.sin((rot * Math.PI) / 180);
    return [centre[0] + (x * c - y * s) / MX, centre[1] + (x * s + y * c) / MY];
  });
  addFence(prefix, 'fence', where, corners, height, 'Polygon');
  // two cameras in opposite corners looking at the diagonal, and a dome in the middle
  const inner = (i, f) => lerp(corners[i], centre, f);
  addCamera(prefix, inner(0, 0.1), bearing(corners[0], corners[2]), { operator, watches: where, model: 'fixed' });
  addCamera(prefix, inner(2, 0.1), bearing(corners[2], corners[0]), { operator, watches: where, model: 'thermal' });
  addCamera(prefix, centre, 0, { operator, watches: where, model: 'PTZ', fov: 360, range: between(120, 200, 10) });
};
compound('P', [1.7795, 50.9205], 260, 180, 30, 'Beussingue tunnel portal compound', 3.0, 'Eurotunnel');
compound('S', [1.7440, 50.9380], 140, 110, 10, 'Sangatte shaft compound', 2.8, 'Eurotunnel');

// --- Port of Calais: the landward perimeter of the ferry berths (the quay side is water),
// counter-clockwise from the quay at the west end.
const PORT_CENTRE = [1.8680, 50.9630];
const portPerimeter = [
  [1.8498, 50.9672], // west end at the quay
  [1.8496, 50.9640],
  [1.8510, 50.9618],
  [1.8600, 50.9601],
  [1.8680, 50.9592],
  [1.8730, 50.9590], // main entry from the rocade portuaire
  [1.8800, 50.9598],
  [1.8850, 50.9620],
  [1.8872, 50.9660],
  [1.8870, 50.9705], // east end at the quay
];
const pLen = pathLength(portPerimeter);
const pAt = (target) => {
  let best = 0, bestD = Infinity, acc = 0;
  for (let i = 0; i < portPerimeter.length; i++) {
    if (i) acc += dist(portPerimeter[i - 1], portPerimeter[i]);
    const d = dist(portPerimeter[i], target);
    if (d < bestD) { bestD = d; best = acc; }
  }
  return best;
};
perimeter({
  prefix: 'C',
  ring: portPerimeter,
  centre: PORT_CENTRE,
  half: [1200, 350],
  siteName: 'port',
  gates: [
    { at: pAt([1.8730, 50.9590]), len: 60, where: 'port main entry from the rocade portuaire', operator: 'Port Boulogne Calais' },
    { at: pAt([1.8496, 50.9640]), len: 20, where: 'port west service gate, town side', operator: 'Port Boulogne Calais' },
  ],
  walls: [[pAt([1.8800, 50.9598]) - 20, pAt([1.8850, 50.9620]) + 30]],
  fenceHeights: [2.8, 4.0, 4.0],
  wallHeight: 4.0,
  camOperator: 'Port Boulogne Calais',
});

// lorry marshalling areas south of the berths (fenced enclosures inside the port)
const lorryPark = (name, ring, operator) => {
  const r = ccw(closed(ring));
  addFence('C', 'fence', name, r, 2.8, 'Polygon');
  const len = pathLength(r);
  for (const f of [0.02, 0.52]) {
    const { p, dir } = along(r, len * f);
    addCamera('C', offset(p, dir - 90, 6), dir - 10, { operator, watches: name });
  }
};
lorryPark('lorry marshalling area A', [[1.8560, 50.9628], [1.8660, 50.9618], [1.8665, 50.9648], [1.8565, 50.9655]], 'Port Boulogne Calais');
lorryPark('lorry marshalling area B', [[1.8700, 50.9608], [1.8800, 50.9612], [1.8805, 50.9645], [1.8705, 50.9650]], 'Police aux frontières');
// border control zone (juxtaposed controls) between the marshalling areas and the berths
lorryPark('border control zone', [[1.8600, 50.9660], [1.8760, 50.9658], [1.8762, 50.9676], [1.8602, 50.9678]], 'UK Border Force');

// rocade portuaire: fenced dual carriageway from the port entry south-east towards the A16
corridor({
  prefix: 'R',
  axis: [[1.8730, 50.9583], [1.8780, 50.9550], [1.8850, 50.9510], [1.8930, 50.9470]],
  halfWidth: 22,
  where: 'rocade portuaire',
  fenceHeights: [2.4, 2.8, 4.0],
  camOperator: 'Police aux frontières',
  camSpacing: 250,
});

// ---------------------------------------------------------------- checks and output

function forEachPos(f, fn) {
  const g = f.geometry;
  const walk = (c) => (typeof c[0] === 'number' ? fn(c) : c.forEach(walk));
  walk(g.coordinates);
}

const basemapPath = join(OUT, 'basemap.geojson');
let land = null;
if (existsSync(basemapPath)) {
  const bm = JSON.parse(readFileSync(basemapPath, 'utf8'));
  land = bm.features.flatMap((f) => (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates));
}
function onLand(c) {
  if (!land) return true;
  const inRing = (r) => {
    let ins = false;
    for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
      const [xi, yi] = r[i], [xj, yj] = r[j];
      if ((yi > c[1]) !== (yj > c[1]) && c[0] < ((xj - xi) * (c[1] - yi)) / (yj - yi) + xi) ins = !ins;
    }
    return ins;
  };
  return land.some((p) => inRing(p[0]) && !p.slice(1).some(inRing));
}

let problems = 0;
for (const [layer, feats, strict] of [['fences', fences, true], ['cameras', cameras, true], ['ports', portFeatures, false]]) {
  const ids = new Set();
  for (const f of feats) {
    if (ids.has(f.id)) throw new Error(`duplicate id ${f.id}`);
    ids.add(f.id);
    forEachPos(f, (c) => {
      if (!Number.isFinite(c[0]) || !Number.isFinite(c[1])) throw new Error(`${f.id}: non-finite`);
      if (!onLand(c)) {
        console.error(`${strict ? 'ERROR' : 'note'}: ${layer} ${f.id} has ${c} off the basemap land`);
        if (strict) problems++;
      }
    });
    if (f.geometry.type === 'LineString' && f.geometry.coordinates.length < 2) throw new Error(`${f.id}: short line`);
  }
}
for (const c of cameras) {
  const { fov, range_m: r, bearing: b } = c.properties;
  if (!(fov === 360 || (fov >= 30 && fov <= 120))) throw new Error(`${c.id}: fov ${fov}`);
  if (!(r >= 80 && r <= 400)) throw new Error(`${c.id}: range ${r}`);
  if (!(b >= 0 && b < 360)) throw new Error(`${c.id}: bearing ${b}`);
}
if (problems) throw new Error(`${problems} synthetic positions off land`);

function write(name, head, feats) {
  const text =
    '{' + Object.entries(head).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',') +
    ',"features":[\n' + feats.map((f) => JSON.stringify(f)).join(',\n') + '\n]}\n';
  JSON.parse(text);
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, name), text);
  console.error(`wrote public/data/${name}: ${feats.length} features, ${text.length} bytes`);
}

write('ports.geojson', {
  type: 'FeatureCollection',
  note: 'Approximate positions (±500 m) for demo and tests, not surveyed; town centres from GeoNames (CC-BY).',
  source: 'data-src/ports.csv',
}, portFeatures);
write('fences.geojson', { type: 'FeatureCollection', note: NOTE }, fences);
write('cameras.geojson', { type: 'FeatureCollection', note: NOTE }, cameras);

const count = (arr, key) => arr.reduce((m, f) => ((m[f.properties[key]] = (m[f.properties[key]] ?? 0) + 1), m), {});
console.error('fences by kind:', JSON.stringify(count(fences, 'kind')), 'geometry:', JSON.stringify(fences.reduce((m, f) => ((m[f.geometry.type] = (m[f.geometry.type] ?? 0) + 1), m), {})));
console.error('cameras by model:', JSON.stringify(count(cameras, 'model')), 'operator:', JSON.stringify(count(cameras, 'operator')));
console.error(`terminal perimeter ${Math.round(termLen)} m, port landward perimeter ${Math.round(pLen)} m`);
