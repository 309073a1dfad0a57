// Scope: top endpoints (query strings stripped), upstreams, hosts, and the failed share of the window's traffic.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SecondCounts } from '../events/second-counts.ts';
import { fromAccess } from './failed-request.ts';
import { measureScope } from './scope.ts';
import { TopSketch } from './sketch.ts';
import { access, catalog, T0 } from './test-events.ts';

test('scope counts endpoints without their query, and the share of traffic in the window', () => {
  const cause = catalog.byId.get('upstream.refused');
  if (!cause) throw new Error('catalog');
  const f = (path: string, upstreamAddr = '10.0.0.2:80'): ReturnType<typeof fromAccess> => fromAccess(access({ path, upstreamAddr }), cause, 0.9, []);
  const traffic = new SecondCounts();
  traffic.add(T0 / 1000, 8);
  const s = measureScope([f('/a?x=1'), f('/a?x=2'), f('/b')], traffic, T0, T0);
  assert.deepEqual(s.paths, [['/a', 2], ['/b', 1]]);
  assert.deepEqual(s.upstreams, [['10.0.0.2:80', 3]]);
  assert.equal(s.share, 3 / 8);
  assert.equal(measureScope([f('/a')], new SecondCounts(), T0, T0).share, null);
});

test('the top sketch is exact while small and keeps heavy hitters past its capacity', () => {
  const s = new TopSketch(4);
  for (let k = 0; k < 100; k++) s.add('/hot');
  for (let k = 0; k < 50; k++) s.add(`/cold${k}`);
  assert.equal(s.top(1)[0]?.[0], '/hot');
  assert.equal(s.approximate, true);
  const exact = new TopSketch(4);
  exact.add('/b', 2);
  exact.add('/a', 2);
  assert.deepEqual(exact.top(2), [['/a', 2], ['/b', 2]]);
});
