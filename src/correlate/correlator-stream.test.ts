// The correlator as watch drives it: a wall clock that never stops, incidents taken out once quiet for the
// gap (refined to root causes), and stored findings forgotten so memory follows the recent past.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Correlator } from './correlator.ts';
import { access, catalog, finding, T0 } from './test-events.ts';

const GAP = 60_000;
const make = (): Correlator => new Correlator({ catalog, gapMs: GAP, hasAccessLog: true, latenessMs: 2000 });

test('an incident is live while failures come, and taken out once the clock is past its end by the gap and the settle time', () => {
  const c = make();
  for (let k = 0; k < 10; k++) {
    c.pushFinding(finding('upstream.refused', { time: T0 + k * 1000, timeMax: T0 + k * 1000, client: '10.0.0.1' }));
    c.pushAccess(access({ time: T0 + k * 1000, line: k }));
  }
  c.advance(T0 + 20_000);
  assert.equal(c.live().length, 1);
  assert.equal(c.live()[0]?.requests, 10);
  assert.deepEqual(c.takeClosed(T0), []);
  // end = T0 + 9 s; closed once the clock passes end + 5 s join + 30 s neighbours + 2 s lateness + gap.
  c.advance(T0 + 9000 + 5000 + 30_000 + 2000 + GAP - 1);
  assert.deepEqual(c.takeClosed(T0), []);
  c.advance(T0 + 9000 + 5000 + 30_000 + 2000 + GAP + 1);
  const closed = c.takeClosed(T0);
  assert.equal(closed.length, 1);
  assert.equal(closed[0]?.cause.id, 'upstream.refused');
  assert.equal(c.live().length, 0);
  // A new failure later opens a new incident, not the closed one.
  c.pushAccess(access({ time: T0 + 600_000 }));
  c.advance(T0 + 700_000);
  assert.equal(c.live().length, 1);
  assert.equal(c.live()[0]?.start, T0 + 600_000);
});

test('a closed incident is refined to its root cause, as close() refines', () => {
  const c = make();
  c.pushFinding(finding('app.crash', { time: T0 - 500, timeMax: T0 - 500, request: '', client: '' }));
  c.pushFinding(finding('upstream.premature_close', { time: T0, timeMax: T0 }));
  c.pushAccess(access({ time: T0 }));
  c.advance(T0 + 300_000);
  const [inc] = c.takeClosed(T0 + 200_000);
  assert.equal(inc?.cause.id, 'app.crash');
  assert.equal(inc.requests, 1);
});

test('memory stays bounded over a long run: slots and lists are pruned by time', () => {
  const c = make();
  // Three simulated hours of one distinct finding and one failure a second, each its own request.
  for (let s = 0; s < 3 * 3600; s++) {
    const t = T0 + s * 1000;
    c.pushFinding(finding('upstream.refused', { time: t, timeMax: t, client: `10.0.${s % 250}.${s % 7}`, request: `GET /p${s} HTTP/1.1` }));
    if (s % 60 === 0) c.pushFinding(finding('app.crash', { time: t, timeMax: t, request: '', client: '' }));
    c.pushAccess(access({ time: t, path: `/p${s}`, client: `10.0.${s % 250}.${s % 7}`, line: s }));
    if (s % 10 === 0) {
      c.advance(t);
      c.takeClosed(t - 600_000);
    }
  }
  // Slots only from the last 10 minutes (and the seconds since the last prune).
  assert.ok(c.store.size <= 620, `${c.store.size} slots`);
  // The one live incident started at T0 and is still open: its roots are kept (60 a hour), not more.
  assert.ok(c.live().length <= 2);
  assert.ok(c.store.roots.length <= 3 * 60 + 1, `${c.store.roots.length} roots`);
});

test('without the pruning, slots grow with the run (the test above guards the prune)', () => {
  const c = make();
  for (let s = 0; s < 1200; s++) c.pushFinding(finding('upstream.refused', { time: T0 + s * 1000, timeMax: T0 + s * 1000, request: `GET /p${s} HTTP/1.1` }));
  assert.equal(c.store.size, 1200);
  c.advance(T0 + 1_200_000);
  c.takeClosed(T0 + 600_000);
  assert.equal(c.store.size, 600);
});
