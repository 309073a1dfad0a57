// The combined kernel is an accelerator of the JS reference (combined-check.ts): on generated and
// damaged lines, with no day key, the line's own day and another day, both give the same answers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CLF_TIME as T } from '../parse/line-shapes.ts';
import { CombinedLineCheck, NOT_PLAIN, OTHER_DAY, STATUS_SHIFT, type CombinedCheck } from './combined-check.ts';
import { CombinedKernel } from './combined-kernel.ts';
import { combinedLine, lines } from './kernel-lines.ts';
import { NewlineKernel } from './newline-kernel.ts';

const LINES = lines(11, 4000, combinedLine);

/** The day key of the line whose time starts at b[t]. */
function keyAt(b: Uint8Array, t: number): Uint8Array {
  const key = new Uint8Array(T.dayKeyLength);
  let k = 0;
  for (const [from, n] of T.dayKey) for (let j = 0; j < n; j++) key[k++] = b[t + from + j] ?? 0;
  return key;
}

function answer(c: CombinedCheck, b: Uint8Array, a: number, nl: number): string {
  const r = c.check(b, a, nl);
  if (r === NOT_PLAIN) return 'not plain';
  if (r === OTHER_DAY) return `other day, time at ${c.timeStart - a}`;
  const failed = r >>> STATUS_SHIFT < 500 ? '' : c.failedPath < 0 ? ', not a cheap failure' : `, path ${c.failedPath - a}–${c.failedPathEnd - a} #${c.failedPathHash}`;
  return `${r}, client to ${c.clientEnd - a}, time at ${c.timeStart - a}, request ${c.requestStart - a}–${c.requestQuote - a}${failed}`;
}

for (const failedToo of [false, true]) test(`the kernel answers as the reference on generated and damaged lines, under every day key${failedToo ? ', 5xx lines accepted' : ''}`, (t) => {
  const nk = NewlineKernel.create(1 << 16);
  const kernel = nk && CombinedKernel.create(nk);
  if (!nk || !kernel) return t.skip('no WebAssembly here (or FIVEXX_WASM=off)');
  const reference = new CombinedLineCheck();
  for (const c of [reference, kernel]) c.acceptFailed(failedToo);
  const other = new TextEncoder().encode('01/Jan/1999 +0000'.slice(0, 11) + ' +0000');
  const seen = new Set<string>();
  for (const line of LINES) {
    const a = 7;
    const n: number = nk.bytes.write(line, a, 'utf8');
    const b: Buffer = nk.bytes;
    for (const c of [reference, kernel]) c.clearDay();
    const first = answer(reference, b, a, a + n);
    assert.equal(answer(kernel, b, a, a + n), first, `no key: ${line.slice(0, 200)}`);
    seen.add(first.split(',')[0] ?? '');
    // Another day, its own day, then no key again (the key set before must not linger).
    // The line's own key, and copies of it with one byte changed (each byte of the key is compared).
    const own = first.startsWith('other day') ? keyAt(b, reference.timeStart) : undefined;
    const nearly = own ? Array.from({ length: own.length }, (_, j) => own.map((x, i) => (i === j ? x ^ 1 : x))) : [];
    for (const key of [other, own, ...nearly, undefined]) {
      for (const c of [reference, kernel]) {
        if (key) c.setDay(key);
        else c.clearDay();
      }
      const want = answer(reference, b, a, a + n);
      assert.equal(answer(kernel, b, a, a + n), want, `key ${key ? Buffer.from(key).toString('latin1') : 'none'}: ${line.slice(0, 200)}`);
      seen.add(want.split(',')[0] ?? '');
      if (/, (path|not a cheap)/.test(want)) seen.add(want.includes(', path') ? 'cheap failure' : 'not a cheap failure');
    }
  }
  // The lines reach every kind of answer, counted lines included.
  assert.ok(seen.has('not plain') && seen.has('other day'), [...seen].join(' | '));
  assert.ok([...seen].filter((s) => /^\d+$/.test(s)).length > 50, 'few lines were counted');
  // 5xx lines are counted exactly when accepted.
  const failed = [...seen].filter((s) => /^\d+$/.test(s) && Number(s) >>> STATUS_SHIFT >= 500).length;
  assert.ok(failedToo ? failed > 10 : failed === 0, `5xx lines counted: ${failed}`);
  // Accepted 5xx lines are read as cheap failures and not (a query, an odd path or tail).
  assert.equal(seen.has('cheap failure') && seen.has('not a cheap failure'), failedToo);
});
