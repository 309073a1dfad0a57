import assert from 'node:assert/strict';
import { test } from 'node:test';
import { certificateExpiry } from './certificates.ts';

test('a CA bundle expires with its last certificate; an unreadable file is a string', () => {
  const bundle = certificateExpiry('/etc/ssl/certs/ca-certificates.crt', 'bundle');
  if (typeof bundle === 'string') return;
  const leaf = certificateExpiry('/etc/ssl/certs/ca-certificates.crt', 'leaf');
  assert.ok(typeof leaf !== 'string' && leaf.validTo <= bundle.validTo);
  assert.equal(typeof certificateExpiry('/nonexistent.pem', 'leaf'), 'string');
});
