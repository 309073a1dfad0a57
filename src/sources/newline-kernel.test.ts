// The newline kernel is an accelerator of Buffer.indexOf: `find` and `count` give the newlines the
// plain search gives, on random bytes of every density, at odd starts and ends.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { prng } from './kernel-lines.ts';
import { FIND_CHUNK, NewlineKernel } from './newline-kernel.ts';

function newlines(b: Buffer, start: number, end: number): number[] {
  const out: number[] = [];
  for (let i = b.indexOf(0x0a, start); i >= 0 && i < end; i = b.indexOf(0x0a, i + 1)) out.push(i);
  return out;
}

test('find and count give the newlines indexOf gives', (t) => {
  const size = 3 * FIND_CHUNK;
  const k = NewlineKernel.create(size);
  if (!k) return t.skip('no WebAssembly SIMD here (or FIVEXX_WASM=off)');
  const rnd = prng(5);
  for (let round = 0; round < 60; round++) {
    const density = [0, 0.001, 0.05, 0.5, 1][round % 5] ?? 0;
    for (let i = 0; i < size; i++) k.bytes[i] = rnd() < density ? 0x0a : 0x20 + Math.floor(rnd() * 200);
    const start = Math.floor(rnd() * 100);
    const end = size - Math.floor(rnd() * 100) - (round % 3) * FIND_CHUNK;
    const want = newlines(k.bytes, start, end);
    const found: number[] = [];
    for (let from = start; from < end; from += FIND_CHUNK) {
      const n = k.find(from, end);
      for (let j = 0; j < n; j++) if ((k.found[j] ?? end) < end) found.push(k.found[j] ?? 0);
    }
    assert.deepEqual(found, want, `find, round ${round}`);
    // count pads the bytes after its end: fill them again before comparing.
    assert.equal(k.count(start, end), want.length, `count, round ${round}`);
  }
});
