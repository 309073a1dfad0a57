import assert from 'node:assert/strict';
import { test } from 'node:test';
import { leaseTiming } from '../fleet.ts';
import { planLeases, startOf } from './lease-plan.ts';

const T = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];

test('alone, an instance claims every free target', () => {
  assert.deepEqual(planLeases(T, [], new Set(), 1), { release: [], claim: T });
});

test('claims stop at the fair share and skip targets others hold', () => {
  const p = planLeases(T, ['a'], new Set(['b', 'c']), 3);
  assert.deepEqual(p.release, []);
  assert.deepEqual(p.claim, ['d', 'e'], 'share ceil(7/3) = 3, one held');
});

test('over its share (a newcomer joined), an instance gives the surplus back; targets gone from the config too', () => {
  const p = planLeases(T, [...T, 'old'], new Set(), 2);
  assert.deepEqual(p.claim, []);
  assert.deepEqual(p.release, ['old', 'e', 'f', 'g']);
});

test('different owners start looking at different targets', () => {
  const starts = new Set(['h1:1:aa', 'h2:2:bb', 'h3:3:cc', 'h4:4:dd'].map((o) => startOf(o, 1000)));
  assert.ok(starts.size >= 3);
  assert.deepEqual(planLeases(T, [], new Set(), 7, 5).claim, ['f']);
});

test('lease timing: takeover within two intervals of the shortest one', () => {
  for (const interval of [500, 1000, 2000, 30_000, 300_000]) {
    const { tickMs, leaseMs } = leaseTiming([interval, interval * 10]);
    assert.ok(leaseMs + tickMs <= interval, `interval ${interval}: lease ${leaseMs} + tick ${tickMs}`);
    assert.equal(leaseMs, 3 * tickMs);
  }
  assert.deepEqual(leaseTiming([]), { tickMs: 6000, leaseMs: 18_000 });
});
