import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isLoopback, parseHostPort, parseUrl, showAddress } from './addresses.ts';

test('addresses in each server\'s spelling', () => {
  assert.deepEqual(parseHostPort('127.0.0.1:8000'), { type: 'tcp', host: '127.0.0.1', port: 8000 });
  assert.deepEqual(parseHostPort('unix:/run/a.sock'), { type: 'unix', path: '/run/a.sock' });
  assert.deepEqual(parseHostPort('/run/a.sock'), { type: 'unix', path: '/run/a.sock' });
  assert.deepEqual(parseHostPort('[::1]:81'), { type: 'tcp', host: '::1', port: 81 });
  assert.deepEqual(parseHostPort('app'), { type: 'group', name: 'app' });
  assert.deepEqual(parseHostPort('app', 80), { type: 'tcp', host: 'app', port: 80 });
  assert.equal(parseHostPort('a:99999'), undefined);
  assert.equal(parseHostPort('$backend:80')?.type, 'variable');
  assert.deepEqual(parseUrl('http://127.0.0.1:3000/api/'), { scheme: 'http', address: { type: 'tcp', host: '127.0.0.1', port: 3000 }, path: '/api/' });
  assert.deepEqual(parseUrl('https://backend')?.address, { type: 'group', name: 'backend' });
  assert.equal(isLoopback('127.0.0.2'), true);
  assert.equal(isLoopback('10.0.0.1'), false);
  assert.equal(showAddress({ type: 'tcp', host: '::1', port: 1 }), '[::1]:1');
});
