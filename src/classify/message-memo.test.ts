// The message memo must give what its function gives for every message, whatever came before: the
// repeated message, a message of the same length differing in one byte, past the entry limit, long ones.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MessageMemo } from './message-memo.ts';

test('the memo answers as its function would, computing each distinct message once while it fits', () => {
  const memo = new MessageMemo((m: string) => `${m.length}:${m}`);
  const texts = ['connect() failed (111)', 'connect() failed (110)', 'connect() failed (111)', 'Connect() failed (111)', 'ü nicode ü', '', 'x'.repeat(5000), 'x'.repeat(5000)];
  for (const t of texts) {
    const b = Buffer.from(`pre ${t} post`);
    assert.equal(memo.get(b, 4, 4 + Buffer.byteLength(t)), `${t.length}:${t}`, t.slice(0, 30));
  }
  // Five short distinct messages computed once each; the long one (past the key limit) each time.
  assert.equal(memo.computed, 7);
  for (let k = 0; k < 10_000; k++) {
    const t = `m${k % 5000}`;
    const b = Buffer.from(t);
    assert.equal(memo.get(b, 0, b.length), `${t.length}:${t}`);
  }
});
