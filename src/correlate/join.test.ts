// The join rules: the time window, request claiming, the client-mismatch rule, the last upstream of a retry.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FindingStore } from './finding-store.ts';
import { FindingIndex, joinAccess } from './join.ts';
import { access, finding, T0 } from './test-events.ts';

test('join window: end + 2 s and start (end − request time) − 2 s, not beyond', () => {
  const e = access({ requestTime: 10 });
  const at = (dt: number): boolean => joinAccess(e, new FindingIndex([finding('upstream.refused', { time: T0 + dt, request: '' })])) !== undefined;
  assert.equal(at(1900), true);
  assert.equal(at(2100), false);
  // Without a request, only ±2 s around the end explains by time; with the request, back to the start.
  assert.equal(at(-2100), false);
  const named = (dt: number): boolean => joinAccess(e, new FindingIndex([finding('upstream.refused', { time: T0 + dt })])) !== undefined;
  assert.equal(named(-11_900), true);
  assert.equal(named(-12_100), false);
});

test('request claiming: a finding naming the request explains one access line only', () => {
  for (const index of [new FindingIndex([finding('upstream.refused')]), storeOf([finding('upstream.refused')])]) {
    assert.equal(joinAccess(access(), index)?.confidence, 0.95);
    assert.equal(joinAccess(access(), index), undefined);
  }
  // Two identical findings (one slot of two in the store) explain two lines.
  const two = storeOf([finding('upstream.refused'), finding('upstream.refused')]);
  assert.ok(joinAccess(access(), two));
  assert.ok(joinAccess(access(), two));
  assert.equal(joinAccess(access(), two), undefined);
  // A finding without a request is never claimed: it explains by time.
  const bare = new FindingIndex([finding('upstream.refused', { request: '' })]);
  assert.equal(joinAccess(access(), bare)?.confidence, 0.8);
  assert.equal(joinAccess(access(), bare)?.confidence, 0.8);
});

test('client mismatch: an nginx finding of another client cannot explain the line; another producer\'s can', () => {
  assert.equal(joinAccess(access(), new FindingIndex([finding('upstream.refused', { client: '10.9.9.9' })])), undefined);
  assert.ok(joinAccess(access(), new FindingIndex([finding('upstream.refused', { client: '10.9.9.9', producer: 'apache' })])));
});

test('retries: the upstream nginx tried last is the one a finding must name to score higher', () => {
  const e = access({ upstreamAddr: '10.0.0.5:80, 10.0.0.6:80' });
  const a = finding('upstream.refused', { upstream: 'http://10.0.0.5:80/api/orders', request: '', message: 'a' });
  const b = finding('upstream.refused', { upstream: 'http://10.0.0.6:80/api/orders', request: '', message: 'b' });
  assert.equal(joinAccess(e, new FindingIndex([a, b]))?.findings[0], b);
});

function storeOf(fs: ReturnType<typeof finding>[]): FindingStore {
  const s = new FindingStore(new Set());
  for (const f of fs) s.add(f);
  return s;
}
