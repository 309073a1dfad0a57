import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bindMatches, servesAny } from './binds.ts';

test('binds match the gateway\'s target by port and host (any-address and loopback names), or socket path', () => {
  const t = { type: 'tcp' as const, host: '127.0.0.1', port: 8000 };
  assert.ok(bindMatches('127.0.0.1:8000', t));
  assert.ok(bindMatches('0.0.0.0:8000', t));
  assert.ok(bindMatches(':8000', t));
  assert.ok(bindMatches('localhost:8000', t));
  assert.ok(!bindMatches('127.0.0.1:8001', t));
  assert.ok(!bindMatches('10.0.0.5:8000', t));
  assert.ok(bindMatches('unix:/run/a.sock', { type: 'unix', path: '/run/a.sock' }));
  assert.ok(servesAny([], [t]));
  assert.ok(!servesAny(['unix:/run/a.sock'], [t]));
});
