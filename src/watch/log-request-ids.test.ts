// The request-ID join: a log line naming a probe's X-Request-ID finds that probe's check; bounded memory.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RequestIds } from './log-request-ids.ts';

const ID = '3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b';

test('a line holding a remembered request ID joins its check; other lines and forgotten IDs do not', () => {
  const ids = new RequestIds(60_000);
  ids.remember({ requestId: ID, target: 'shop', checkId: 7, at: 1000 });
  assert.deepEqual(ids.match('a.log', 3, '127.0.0.1 - - "GET / HTTP/1.1" 502 rid="-"', 2000), []);
  const [j] = ids.match('a.log', 4, `127.0.0.1 - - "GET / HTTP/1.1" 502 rid="${ID.toUpperCase()}"`, 2000);
  assert.deepEqual([j?.target, j?.checkId, j?.source, j?.line], ['shop', 7, 'a.log', 4]);
  assert.equal(ids.joinsBetween(0, 5000).length, 1);
  assert.equal(ids.joinsBetween(5000, 9000).length, 0);
  ids.prune(1000 + 60_001);
  assert.equal(ids.size, 0);
  assert.deepEqual(ids.match('a.log', 5, `rid="${ID}"`, 70_000), []);
});

test('memory is bounded: the oldest IDs go first', () => {
  const ids = new RequestIds(60_000, 100, 10);
  for (let k = 0; k < 1000; k++) ids.remember({ requestId: `00000000-0000-4000-8000-${String(k).padStart(12, '0')}`, target: 't', checkId: k, at: k });
  assert.equal(ids.size, 100);
  assert.equal(ids.match('x', 1, 'id 00000000-0000-4000-8000-000000000001', 0).length, 0);
  for (let k = 900; k < 1000; k++) ids.match('x', k, `id 00000000-0000-4000-8000-${String(k).padStart(12, '0')}`, 0);
  assert.equal(ids.joinsBetween(0, Infinity).length, 10);
});
