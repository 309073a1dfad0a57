// Reused strings must be the text of the bytes asked for, whatever sat in the slot: clashing values, one
// byte apart, non-ASCII (never cached), long, empty, and values that differ only where the slot is not
// picked from (same length, ends and middle: all in one slot).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ByteStrings } from './byte-strings.ts';

test('reused strings are the UTF-8 text of the bytes', () => {
  const s = new ByteStrings();
  const values = ['/api/orders', '/api/orderz', '/api/orders', 'ü/path', '\u00ff', '', 'y'.repeat(600), ...Array.from({ length: 20_000 }, (_, k) => `/p/${k}`)];
  for (const v of [...values, ...values]) {
    const b = Buffer.from(`"${v}"`);
    assert.equal(s.get(b, 1, b.length - 1), v);
  }
  const bad = Buffer.from([0x2f, 0xe2, 0x82, 0x2f]);
  assert.equal(s.get(bad, 0, 4), bad.toString('utf8'));
});

test('values that share a slot are told apart by their bytes', () => {
  const s = new ByteStrings();
  // Length 11, the same first, middle and last three bytes: only the bytes in between differ.
  const values = Array.from({ length: 300 }, (_, k) => `a${String(k).padStart(4, '0')}M${String(k % 97).padStart(2, '0')}zzz`);
  for (let round = 0; round < 3; round++) {
    for (const v of values) {
      const b = Buffer.from(`[${v}]`);
      assert.equal(s.get(b, 1, b.length - 1), v);
    }
  }
});
