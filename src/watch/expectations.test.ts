import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Check } from '../probe/types.ts';
import { checkExpectations } from './expectations.ts';

const http = (over: Partial<Check>): Check => ({ name: 'http', ok: true, ms: 20, status: 200, headers: { 'content-type': 'text/html' }, body: 'all ok', ...over });

test('failed conditions show the value seen', () => {
  assert.deepEqual(checkExpectations(http({ status: 502 }), {}).failed, ['[STATUS] (502) in 200–399']);
  assert.deepEqual(checkExpectations(http({ status: 301 }), { status: [200] }).failed, ['[STATUS] (301) in [200]']);
  assert.deepEqual(checkExpectations(http({}), { body: 'healthy' }).failed, ['[BODY] ("all ok") contains "healthy"']);
  assert.deepEqual(checkExpectations(http({}), { headers: { 'content-type': 'json', 'x-id': '' } }).failed, ['[HEADER content-type] ("text/html") contains "json"', '[HEADER x-id] (missing) present']);
  assert.deepEqual(checkExpectations(http({ status: undefined, detail: 'ECONNREFUSED' }), {}).failed, ['[CONNECTED] (ECONNREFUSED) == true']);
  assert.deepEqual(checkExpectations(http({}), { status: [200], body: 'ok' }), { failed: [], slow: false });
});

test('slower than maxLatency is slow, not failed', () => {
  assert.deepEqual(checkExpectations(http({ ms: 2500 }), { maxLatency: 2000 }), { failed: [], slow: true });
  assert.equal(checkExpectations(http({ ms: 1500 }), { maxLatency: 2000 }).slow, false);
});
