// The SIMD byte search of wasm-asm.ts (skipToVector) answers as the scalar one (skipTo) on random bytes,
// from every start up to and past the limit: the first byte sought, the limit, or the start past it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { prng } from './kernel-lines.ts';
import { compile, END, get, I32, moduleBytes, skipTo, skipToVector, type WasmMemory } from './wasm-asm.ts';

const QUOTE = 0x22;
const BYTES = moduleBytes([
  { name: 'scalar', params: 2, body: [0, ...skipTo(0, QUOTE, 1), ...get(0), END] },
  { name: 'vector', params: 2, body: [1, 1, I32, ...skipToVector(0, QUOTE, 1, 2), ...get(0), END] },
]);

test('skipToVector finds what skipTo finds, 16 bytes a step', (t) => {
  const c = compile(BYTES, 'combined');
  if (!c) return t.skip('no WebAssembly SIMD here (or FIVEXX_WASM=off)');
  const memory: WasmMemory = new c.wasm.Memory({ initial: 1 });
  const fns = new c.wasm.Instance(c.module, { env: { memory } }).exports as Record<'scalar' | 'vector', (from: number, limit: number) => number>;
  const b = new Uint8Array(memory.buffer, 0, 1024);
  const rnd = prng(7);
  let found = 0;
  for (let round = 0; round < 40; round++) {
    // Sparse to dense quotes: runs longer than a vector, and several in one.
    const density = [0.005, 0.03, 0.2][round % 3] ?? 0;
    for (let i = 0; i < b.length; i++) b[i] = rnd() < density ? QUOTE : 0x20 + Math.floor(rnd() * 90);
    for (let from = 0; from < 200; from++) {
      for (const limit of [from - 1, from, from + 1, from + 15, from + 16, from + 17, from + Math.floor(rnd() * 300)]) {
        const want = fns.scalar(from, limit);
        assert.equal(fns.vector(from, limit), want, `from ${from} to ${limit}, round ${round}`);
        if (want < limit) found++;
      }
    }
  }
  assert.ok(found > 1000, `few searches found a quote: ${found}`);
});
