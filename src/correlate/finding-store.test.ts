// The store's join index (candidatesFor: slots by second and request path) finds exactly what the full
// scan of the time window (slotsIn) finds: randomised, seeded, with claims, pooling and pruning.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../classify/classify.ts';
import { FindingStore } from './finding-store.ts';
import { joinAccess, type Join, type JoinIndex } from './join.ts';
import { prng } from '../sources/kernel-lines.ts';
import { access, catalog, finding, T0 } from './test-events.ts';

/** A seeded generator, so a failure replays. */
const rng = prng;

const REQUESTS = ['', 'GET /a HTTP/1.1', 'POST /a HTTP/1.1', 'GET /b HTTP/1.1', '? /a', '/a', 'GET /c?x=1 HTTP/1.1', 'GET /a'];
const PATHS = ['/a', '/b', '/c?x=1', '/d'];
const CLIENTS = ['', '10.0.0.1', '10.0.0.2'];
const UPSTREAMS = ['', 'http://10.0.0.5:80/a', 'http://10.0.0.6:80/a'];

/** A finding of a random cause (some with a mid-body pattern) at a random time near T0 (times often equal). */
function randomFinding(r: () => number, ties: boolean): Finding {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const f = finding(ties ? 'upstream.refused' : pick(['upstream.refused', 'upstream.timeout', 'upstream.reset', 'app.crash']), {
    time: T0 + Math.floor(r() * 40) * 250, timed: r() < 0.8, request: pick(REQUESTS), client: pick(CLIENTS),
    upstream: pick(UPSTREAMS), producer: r() < 0.7 ? 'nginx' : 'apache',
  });
  const mid = f.cause.patterns.find((p) => p.midBody);
  return mid && r() < 0.3 ? { ...f, pattern: mid } : f;
}

/** What a join found, as plain values (a pooled slot's finding is a copy, so compare fields, not objects). */
function shape(j: Join | undefined): string {
  if (!j) return '-';
  return `${j.confidence} ${j.findings.map((f) => `${f.cause.id}@${f.record.time}:${f.record.request}:${f.record.client}:${f.pattern.midBody}`).join(',')}`;
}

test('candidatesFor finds exactly what the full scan finds (seeded, with claims, pooling, pruning)', () => {
  let matched = 0;
  const seen = new Set<boolean>();
  for (let seed = 1; seed <= 40; seed++) {
    const r = rng(seed);
    // Every other seed one cause only: equal scores, where the order of the candidates decides.
    const ties = seed % 2 === 0;
    const w = rng(seed + 1000);
    const limits = { slotsPerSecond: 4 + Math.floor(r() * 12), slots: 30 + Math.floor(r() * 60), listed: 100 };
    const indexed = new FindingStore(new Set(), limits);
    const scanned = new FindingStore(new Set(), limits);
    // The full scan: the same store without candidatesFor, so the join scores every slot of the window.
    const full: JoinIndex = { slotsIn: (a, b) => scanned.slotsIn(a, b), claim: (s) => scanned.claim(s) };
    for (let step = 0; step < 400; step++) {
      const x = r();
      if (x < 0.45) {
        const f = randomFinding(r, ties);
        indexed.add(f);
        scanned.add(f);
      } else if (x < 0.99) {
        const e = access({
          time: T0 + Math.floor(r() * 44) * 250 - 500, status: r() < 0.85 ? 502 : 200, method: ['GET', 'POST', ''][Math.floor(r() * 3)],
          path: PATHS[Math.floor(r() * PATHS.length)], client: CLIENTS[Math.floor(r() * CLIENTS.length)],
          requestTime: r() < 0.5 ? NaN : Math.floor(r() * 12) / 2, upstreamAddr: ['', '10.0.0.5:80', '10.0.0.5:80, 10.0.0.6:80', '10.0.0.6:80 : 10.0.0.5:80'][Math.floor(r() * 4)],
        });
        const a = shape(joinAccess(e, indexed));
        assert.equal(a, shape(joinAccess(e, full)), `seed ${seed} step ${step}`);
        if (a !== '-') matched++;
        // hasSlotsIn answers whether the full scan finds any slot (claimed ones not), short windows and long.
        const from = T0 + Math.floor(w() * 44) * 250 - 2500;
        const to = from + [0, 4000, 60_000, -1][Math.floor(w() * 4)];
        const any = [...scanned.slotsIn(from, to)].length > 0;
        assert.equal(indexed.hasSlotsIn(from, to), any, `seed ${seed} step ${step}: hasSlotsIn(${from - T0}, ${to - T0})`);
        seen.add(any);
      } else {
        const t = T0 + Math.floor(r() * 10_000);
        indexed.pruneBefore(t, t);
        scanned.pruneBefore(t, t);
      }
    }
    assert.equal(indexed.size, scanned.size);
  }
  // Not vacuous: many joins found something (and so claimed, changing later ones).
  assert.ok(matched > 1000, `only ${matched} joins matched`);
  assert.equal(seen.size, 2, 'windows with slots and without');
});

test('candidatesFor skips slots naming another path and keeps those naming none', () => {
  const s = new FindingStore(new Set());
  s.add(finding('upstream.refused', { request: 'GET /other HTTP/1.1' }));
  s.add(finding('upstream.refused', { request: '' }));
  s.add(finding('upstream.refused', { request: 'GET /api/orders HTTP/1.1', time: T0 + 1 }));
  const got = [...s.candidatesFor('/api/orders', T0 - 2000, T0 + 2000)].map((x) => x.finding.record.request);
  assert.deepEqual(got, ['', 'GET /api/orders HTTP/1.1']);
  assert.equal(catalog.byId.has('upstream.refused'), true);
});

test('candidatesFor keeps the full scan\'s order where scores tie (a named finding 2 s farther than a bare one, an earlier second)', () => {
  const e = access({ requestTime: 5, upstreamAddr: '10.0.0.5:80' });
  const named = finding('upstream.refused', { time: T0 - 3000, client: '', message: 'named' });
  const bare = finding('upstream.refused', { time: T0 - 1000, request: '', upstream: 'http://10.0.0.5:80/', message: 'bare' });
  const order = (index: JoinIndex): string[] | undefined => joinAccess(e, index)?.findings.map((f) => f.record.message);
  const store = (): FindingStore => {
    const s = new FindingStore(new Set());
    s.add(named);
    s.add(bare);
    return s;
  };
  const scanned = store();
  const full = order({ slotsIn: (a, b) => scanned.slotsIn(a, b), claim: (s) => scanned.claim(s) });
  assert.deepEqual(full, ['named', 'bare']);
  assert.deepEqual(order(store()), full);
});
