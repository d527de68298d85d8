// Fault injection, the connection half (issue 15 item 4): the real demo server with `--faults`
// (docs/api.md "Fault injection") refuses connections, delays its answers by 10 s, answers
// HTTP 500 and 503 with Retry-After, cuts the snapshot mid-JSON (with its Content-Length kept,
// and without one) and restarts into a new event-id space. For each: what the feed strip says
// (English and French), the page's requests backing off at most ~10 s apart (Retry-After
// honoured within that cap), and once the fault is cleared the page live with exactly the
// server's incidents (nothing lost, nothing doubled: compared with the snapshot endpoint),
// with the recovery time and the longest main-thread block written to target/e2e-faults.json.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TIMEOUT } from './harness.mjs';
import { faultBench, runFault, writeFigures, gaps, STALE_AFTER_S } from './faults-support.mjs';

/** The back-off's cap (core::feed::BACKOFF_MAX_MS) and the slack a timer gets. */
const CAP_MS = 10_000;
const SLACK_MS = 1_000;
const SNAPSHOT = /^\/api\/incidents$/;
const STREAM = /^\/api\/incidents\/stream/;
/** A new event-id space for each restart: a cursor of an earlier space is never valid in it. */
let spaces = 0;
const newSpace = () => ({ fault: 'restart', first_seq: 1 + 1_000_000 * ++spaces });

describe('faults: connections and answers', () => {
  let bench;
  const rows = [];
  before(async () => {
    bench = await faultBench();
  });
  after(async () => {
    writeFigures(rows);
    await bench?.close();
  });

  test('connection refused: reconnecting, attempts at most ~10 s apart, then live with the same incidents', { timeout: TEST_TIMEOUT }, async (t) => {
    rows.push(await runFault(t, bench, {
      name: 'connection refused',
      what: 'a lost stream shown while not live',
      inject: async () => {
        await bench.inject({ fault: 'refuse' });
        await bench.traffic(10, 1000);
      },
      expect: (s) => s.status !== 'live' && /Lost the connection to the incident stream|Could not reach the server/.test(s.problem ?? ''),
      holdMs: 22_000,
      during: async ({ fr, report }) => {
        assert.match(fr.problem, /Connexion au flux d’incidents perdue|Serveur injoignable/);
        const g = gaps(report, STREAM);
        t.diagnostic(`stream attempts ${g.length + 1}, gaps ${g.join(', ')} ms`);
        assert.ok(g.length >= 4, `the page kept trying (${g.length + 1} attempts)`);
        assert.ok(g.every((x) => x <= CAP_MS + SLACK_MS), `no gap beyond the ~10 s cap: ${g}`);
      },
    }));
  });

  test('answers delayed by 10 s: stale while each stream waits longer than stale_after_s, live at once when cleared', { timeout: TEST_TIMEOUT }, async (t) => {
    rows.push(await runFault(t, bench, {
      name: 'answers delayed 10 s',
      what: `stale, with the silence named (stale_after_s ${STALE_AFTER_S} < the delay)`,
      inject: async () => {
        await bench.inject({ fault: 'delay', ms: 10_000 });
        await bench.traffic(10, 1000);
      },
      expect: (s) => s.status === 'stale' && /No event or heartbeat for 5 s/.test(s.problem ?? ''),
      during: async ({ fr }) => {
        assert.match(fr.text, /^Périmé depuis/);
        assert.match(fr.problem, /Aucun événement ni signal de vie depuis 5 s/);
      },
    }));
  });

  test('HTTP 500 on every API route: the lost stream named, live with the same incidents once cleared', { timeout: TEST_TIMEOUT }, async (t) => {
    rows.push(await runFault(t, bench, {
      name: 'HTTP 500',
      what: 'the failing stream named',
      inject: async () => {
        await bench.inject({ fault: 'status', code: 500 });
        await bench.traffic(10, 1000);
      },
      expect: (s) => s.status !== 'live' && /Lost the connection to the incident stream/.test(s.problem ?? ''),
      during: async ({ fr, report }) => {
        assert.match(fr.problem, /Connexion au flux d’incidents perdue/);
        assert.ok(gaps(report, STREAM).every((x) => x <= CAP_MS + SLACK_MS));
      },
    }));
  });

  test('HTTP 503 with Retry-After: 30 on the resync snapshot: named, retried every ~10 s (Retry-After honoured up to the cap)', { timeout: TEST_TIMEOUT }, async (t) => {
    rows.push(await runFault(t, bench, {
      name: 'HTTP 503, Retry-After 30 s (resync snapshot)',
      what: 'the 503 to the snapshot named',
      inject: async () => {
        await bench.inject({ fault: 'status', code: 503, retry_after_s: 30, on: 'snapshot' });
        // A restart into a new id space: the stream answers `reset`, the page resyncs.
        await bench.inject(newSpace());
      },
      expect: (s) => /The server answered HTTP 503 to the incident snapshot; it asked to wait 30 s: retrying in 10 s/.test(s.problem ?? ''),
      holdMs: 24_000,
      during: async ({ fr, report }) => {
        assert.match(fr.problem, /Le serveur a répondu HTTP 503 à l’instantané des incidents ; il a demandé d’attendre 30 s : nouvel essai dans 10 s/);
        const g = gaps(report, SNAPSHOT);
        t.diagnostic(`snapshot attempts ${g.length + 1}, gaps ${g.join(', ')} ms`);
        assert.ok(g.length >= 1, 'retried');
        assert.ok(g.every((x) => x >= CAP_MS - SLACK_MS && x <= CAP_MS + SLACK_MS),
          `Retry-After 30 s waited as the 10 s cap allows, never sooner, never later: ${g}`);
      },
    }));
    assert.ok((await bench.shown()).notice, 'the resync is announced');
  });

  for (const [contentLength, name, problem, fr] of [
    [true, 'snapshot cut mid-JSON, Content-Length kept', /The answer to the incident snapshot was cut off/, /La réponse à l’instantané des incidents a été coupée/],
    [false, 'snapshot cut mid-JSON, no Content-Length', /The answer to the incident snapshot could not be read/, /La réponse à l’instantané des incidents est illisible/],
  ]) {
    test(`${name}: named, then the whole snapshot once cleared`, { timeout: TEST_TIMEOUT }, async (t) => {
      rows.push(await runFault(t, bench, {
        name,
        what: 'the cut snapshot named',
        inject: async () => {
          await bench.inject({ fault: 'truncate', content_length: contentLength });
          await bench.inject(newSpace());
          await bench.traffic(10, 1000);
        },
        expect: (s) => problem.test(s.problem ?? ''),
        during: async ({ fr: shownFr, en }) => {
          assert.match(shownFr.problem, fr);
          assert.notEqual(en.status, 'live');
        },
      }));
    });
  }

  test('restart with a new event-id space: reset, one resync notice, the same incidents', { timeout: TEST_TIMEOUT }, async (t) => {
    await bench.page.locator('[data-testid="feed-resync-dismiss"]').click().catch(() => {});
    rows.push(await runFault(t, bench, {
      name: 'restart, new event-id space',
      what: 'the resync notice',
      inject: async () => {
        await bench.traffic(10, 1000);
        await bench.inject(newSpace());
        await bench.traffic(10, 1000);
      },
      expect: (s) => /every incident was reloaded from the server \(the server could not replay the missed events\)/.test(s.notice ?? ''),
      during: async ({ fr }) => {
        assert.match(fr.notice, /tous les incidents ont été rechargés depuis le serveur/);
      },
    }));
  });
});
