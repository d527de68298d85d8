#!/usr/bin/env node
// Writes a realistic incident snapshot (docs/api.md: a FeatureCollection with `cursor`) for
// the incident benchmark: by default 100,000 incidents, deterministic for a seed (timestamps
// are relative to `--now`, default the current second, like the demo server's generator).
//
// Clustered like calais-demo-server's generator (server/src/generator.rs):
//   small_boat        25 %  beaches Wimereux–Bray-Dunes, then out to sea to the north-west
//   fence_breach      20 %  within 2 km of the Eurotunnel terminal at Coquelles (1.81, 50.93)
//   lorry_intrusion   25 %  around the port of Calais (1.86, 50.965), the rocade and the A16
//   tunnel_intrusion   3 %  around the French tunnel portal (1.780, 50.921)
//   vehicle_sighting  17 %  around towns, half scattered over the area
//   other             10 %  scattered over lon 1.4..2.6, lat 50.7..51.2
// About 10 % closed (updated within the last 9 min: servers drop closed incidents after about
// 10 min), the open ones updated within the last 2 h; one description in seven has <, >, & or
// quotes.
//
// Usage: node bench/make-snapshot.mjs [--count N] [--seed S] [--now ISO] [--out FILE]
//   (default out: target/bench/snapshot-100k.geojson). Importable: makeSnapshot(), writeSnapshot().

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_OUT = path.join(ROOT, 'target', 'bench', 'snapshot-100k.geojson');

/** splitmix64-seeded xorshift128+ in 32-bit halves is overkill; mulberry32 is enough here. */
function rng(seed) {
  let a = Number(BigInt.asUintN(32, BigInt(seed) ^ (BigInt(seed) >> 32n))) || 0x9e3779b9;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    unit: next,
    range: (lo, hi) => lo + (hi - lo) * next(),
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (xs) => xs[Math.floor(next() * xs.length)],
    chance: (p) => next() < p,
    weighted(ws) {
      let r = next() * ws.reduce((s, w) => s + w, 0);
      for (let i = 0; i < ws.length; i++) if ((r -= ws[i]) < 0) return i;
      return ws.length - 1;
    },
  };
}

const KINDS = ['small_boat', 'fence_breach', 'lorry_intrusion', 'tunnel_intrusion', 'vehicle_sighting', 'other'];
const WEIGHTS = [25, 20, 25, 3, 17, 10];
const SEVERITY = { small_boat: [3, 5], fence_breach: [2, 4], lorry_intrusion: [2, 3], tunnel_intrusion: [5, 5], vehicle_sighting: [1, 2], other: [1, 3] };
const BEACHES = [
  ['Wimereux', 1.605, 50.77], ['Ambleteuse', 1.603, 50.806], ['Wissant', 1.662, 50.888], ['Sangatte', 1.74, 50.95],
  ['Blériot-Plage', 1.805, 50.964], ['Oye-Plage', 2.04, 50.997], ['Gravelines', 2.13, 51.01],
  ['Dunkirk, Malo-les-Bains', 2.405, 51.058], ['Bray-Dunes', 2.52, 51.087],
];
const COQUELLES = [1.81, 50.93];
const PORT = [1.86, 50.965];
const PORTAL = [1.78, 50.921];
const LORRY_SPOTS = [
  ['Port of Calais, ferry check-in', 1.865, 50.966], ['Rocade portuaire (A216)', 1.885, 50.958],
  ['A16 junction 47, Marck', 1.935, 50.947], ['A16 junction 42, Coquelles', 1.82, 50.937],
  ['lorry park, zone Marcel Doret', 1.895, 50.952],
];
// The A16 from Boulogne to Dunkirk, roughly.
const A16 = [[1.63, 50.73], [1.69, 50.83], [1.77, 50.905], [1.82, 50.937], [1.9, 50.948], [2.02, 50.97], [2.12, 50.985], [2.25, 51.0], [2.36, 51.02]];
const TOWNS = [
  ['Coquelles, Cité Europe car park', 1.803, 50.933], ['Sangatte, D940 coast road', 1.742, 50.944], ['Calais, quai de la Loire', 1.852, 50.962],
  ['Marck, RD940', 1.948, 50.958], ['Gravelines, A16 services', 2.118, 50.985], ['Wimereux, D940', 1.612, 50.776],
  ['Dunkirk, port ouest', 2.21, 51.03], ['Boulogne-sur-Mer, Liane quay', 1.6, 50.725],
];
const M_PER_DEG = 111_320;

const offset = ([lon, lat], east, north) => [lon + east / (M_PER_DEG * Math.cos((lat * Math.PI) / 180)), lat + north / M_PER_DEG];
const round6 = (x) => Math.round(x * 1e6) / 1e6;
const iso = (ms) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** Returns the snapshot object: {type, cursor: "1", features}. */
export function makeSnapshot({ count = 100_000, seed = 20240611, now = Date.now() } = {}) {
  const r = rng(seed);
  const scatter = (c, radius) => {
    const d = radius * Math.sqrt(r.unit());
    const a = r.range(0, 2 * Math.PI);
    return offset(c, d * Math.sin(a), d * Math.cos(a));
  };
  const spicy = () => r.chance(1 / 7);
  const features = new Array(count);
  for (let i = 0; i < count; i++) {
    const kind = KINDS[r.weighted(WEIGHTS)];
    const [lo, hi] = SEVERITY[kind];
    const id = `bench-${String(i + 1).padStart(6, '0')}`;
    let pos;
    let description;
    let source;
    let accuracy = null;
    switch (kind) {
      case 'small_boat': {
        const [beach, lon, lat] = r.pick(BEACHES);
        // Off the beach, then 0..25 km out on a course between 290° and 335°.
        const start = offset([lon, lat], -r.range(20, 150), r.range(20, 150));
        const dist = r.chance(0.3) ? r.range(0, 500) : r.range(500, 25_000);
        const brg = (r.range(290, 335) * Math.PI) / 180;
        pos = offset(start, dist * Math.sin(brg), dist * Math.cos(brg));
        const persons = r.int(12, 65);
        source = r.pick(['cam-B-02', 'cam-B-05', 'cam-B-11', 'drone-2', 'drone-4', 'patrol', 'radar-GN']);
        accuracy = r.int(50, 400);
        description = spicy()
          ? `Launch at ${beach}: "${persons} persons" on board <estimate> & engine running`
          : `Small boat launched from ${beach}, approx. ${persons} persons on board, heading NW`;
        break;
      }
      case 'fence_breach': {
        pos = scatter(COQUELLES, 2000);
        source = `cam-T-${String(r.int(1, 24)).padStart(2, '0')}`;
        accuracy = r.int(8, 30);
        const sector = `${r.pick(['A', 'B', 'C', 'D', 'E', 'F'])}-${r.int(1, 40)}`;
        const persons = r.int(1, 12);
        description = spicy()
          ? `Fence sector ${sector}: cut <1 m> wide & ${persons} persons seen; guard says "they ran east"`
          : `Perimeter fence breach at sector ${sector}, Coquelles terminal; ${persons} persons detected by camera`;
        break;
      }
      case 'lorry_intrusion': {
        let place;
        const u = r.unit();
        if (u < 0.4) {
          pos = scatter(PORT, 900);
          place = 'Port of Calais';
        } else if (u < 0.75) {
          const [p, lon, lat] = r.pick(LORRY_SPOTS);
          pos = scatter([lon, lat], 500);
          place = p;
        } else {
          const k = r.int(0, A16.length - 2);
          const t = r.unit();
          const [a, b] = [A16[k], A16[k + 1]];
          pos = scatter([a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t], 250);
          place = 'A16';
        }
        source = r.chance(0.5) ? `cam-P-${String(r.int(1, 30)).padStart(2, '0')}` : r.pick(['driver-report', 'patrol', `anpr-A16-${r.int(1, 9)}`]);
        accuracy = r.int(15, 120);
        description = spicy()
          ? `Driver's note: 'noises in trailer' near ${place} <unverified> & seal broken`
          : `Persons seen climbing into a trailer near ${place}`;
        break;
      }
      case 'tunnel_intrusion': {
        pos = scatter(PORTAL, 300);
        source = `sensor-TP-${r.int(1, 6)}`;
        accuracy = r.int(5, 20);
        description = spicy() ? 'Alarm at the portal: "persons on the track" & traffic on hold' : 'Intrusion alarm at the French tunnel portal; traffic on hold';
        break;
      }
      case 'vehicle_sighting': {
        if (r.chance(0.5)) {
          const [, lon, lat] = r.pick(TOWNS);
          pos = scatter([lon, lat], 1500);
        } else {
          pos = [r.range(1.4, 2.6), r.range(50.7, 51.2)];
        }
        source = r.chance(0.5) ? `anpr-A16-${r.int(1, 9)}` : 'patrol';
        accuracy = r.int(20, 150);
        const v = r.pick(['white van', 'grey minibus', 'dark estate car', 'black SUV', 'flatbed truck']);
        description = spicy() ? `Vehicle of interest: ${v} <plates "AB-123-CD"?> & 3 occupants` : `Vehicle of interest: ${v}`;
        break;
      }
      default: {
        pos = [r.range(1.4, 2.6), r.range(50.7, 51.2)];
        source = r.pick(['patrol', 'public-call', 'driver-report']);
        if (r.chance(0.5)) accuracy = r.int(20, 500);
        description = spicy() ? 'Report: "suspicious" package <unattended> & nobody around' : 'Unattended bag reported by a member of the public';
      }
    }
    // Servers keep closed incidents about 10 minutes (docs/api.md), so closed ones are recent.
    const closed = r.chance(0.1);
    const updated = now - Math.floor(r.range(0, closed ? 9 * 60 * 1000 : 2 * 3600 * 1000));
    const reported = updated - Math.floor(r.range(0, 30 * 60 * 1000));
    const properties = {
      id,
      kind,
      severity: r.int(lo, hi),
      status: closed ? 'closed' : 'open',
      reported_at: iso(reported),
      updated_at: iso(updated),
      description,
      source,
    };
    if (accuracy !== null) properties.accuracy_m = accuracy;
    features[i] = { type: 'Feature', id, geometry: { type: 'Point', coordinates: [round6(pos[0]), round6(pos[1])] }, properties };
  }
  return { type: 'FeatureCollection', cursor: '1', features };
}

/** Writes the snapshot (one feature per line) to `out`; returns {out, bytes, count}. */
export function writeSnapshot({ out = DEFAULT_OUT, ...opts } = {}) {
  const snap = makeSnapshot(opts);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const body =
    `{"type":"FeatureCollection","cursor":${JSON.stringify(snap.cursor)},"features":[\n` +
    snap.features.map((f) => JSON.stringify(f)).join(',\n') +
    '\n]}\n';
  fs.writeFileSync(out, body);
  return { out, bytes: Buffer.byteLength(body), count: snap.features.length };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const val = (name) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const opts = {};
  if (val('--count')) opts.count = Number(val('--count'));
  if (val('--seed')) opts.seed = Number(val('--seed'));
  if (val('--now')) opts.now = Date.parse(val('--now'));
  if (val('--out')) opts.out = path.resolve(val('--out'));
  const r = writeSnapshot(opts);
  console.log(`wrote ${path.relative(process.cwd(), r.out)}: ${r.count} incidents, ${(r.bytes / 1048576).toFixed(1)} MB`);
}
