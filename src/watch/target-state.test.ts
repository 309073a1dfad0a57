import assert from 'node:assert/strict';
import { test } from 'node:test';
import { initialTracker, step, type CheckOutcome, type StateRules, type TargetEvent, type TargetTracker } from './target-state.ts';

const rules: StateRules = { failuresToOpen: 2, resolveAfter: 60_000, inMaintenance: false };
const fail = (at: number, cause = 'upstream.refused'): CheckOutcome => ({ at, ok: false, slow: false, status: 502, cause });
const pass = (at: number, slow = false): CheckOutcome => ({ at, ok: true, slow, status: 200, cause: null });

function run(checks: CheckOutcome[], r = rules): { t: TargetTracker; events: TargetEvent[]; states: string[] } {
  let t = initialTracker;
  const events: TargetEvent[] = [];
  const states: string[] = [];
  for (const c of checks) {
    const s = step(t, c, r);
    t = s.next;
    events.push(...s.events);
    states.push(t.state);
  }
  return { t, events, states };
}

test('an incident opens after the configured failures in a row, not before', () => {
  assert.deepEqual(run([fail(0)]).events, []);
  assert.deepEqual(run([fail(0), pass(10), fail(20)]).events, []);
  assert.deepEqual(run([fail(0), fail(10)]).events, [{ kind: 'open', cause: 'upstream.refused', at: 10 }]);
  assert.deepEqual(run([fail(0), fail(10)]).states, ['degraded', 'down']);
  assert.deepEqual(run([fail(0)], { ...rules, failuresToOpen: 1 }).events.map((e) => e.kind), ['open']);
});

test('recovery waits resolveAfter of passing checks (flap damping)', () => {
  const flapping = run([fail(0), fail(10), pass(20), fail(30), pass(40), pass(50_000), pass(70_000), pass(90_000)]);
  assert.deepEqual(flapping.events.map((e) => e.kind), ['open', 'resolve']);
  assert.equal(flapping.events[1]?.at, 70_000);
  assert.equal(flapping.t.state, 'up');
});

test('a cause change needs two failed checks with the new cause', () => {
  const r = run([fail(0), fail(10), fail(20, 'upstream.timeout'), fail(30), fail(40, 'upstream.timeout'), fail(50, 'upstream.timeout')]);
  assert.deepEqual(r.events.map((e) => [e.kind, 'cause' in e ? e.cause : '']), [['open', 'upstream.refused'], ['change', 'upstream.timeout']]);
});

test('slow or intermittent passing checks are degraded; maintenance opens nothing', () => {
  assert.equal(run([pass(0, true)]).t.state, 'degraded');
  assert.equal(run([pass(0), fail(10), pass(20)]).t.state, 'degraded');
  assert.equal(run([pass(0), pass(10)]).t.state, 'up');
  const m = run([fail(0), fail(10), fail(20)], { ...rules, inMaintenance: true });
  assert.deepEqual(m.events, []);
  assert.equal(m.t.state, 'maintenance');
});
