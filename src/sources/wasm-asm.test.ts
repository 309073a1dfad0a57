// The SIMD byte searches of wasm-asm.ts answer as scalar ones on random bytes: skipToVector as skipTo, from every
// start up to and past the limit; skipBackVector (the last pair of bytes at or below a start) as a plain loop;
// sameRun (the error head kernel's comparison of two runs of bytes) as byte-by-byte equality.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { prng } from './kernel-lines.ts';
import { compile, END, get, I32, moduleBytes, sameRun, skipBackVector, skipTo, skipToVector, splatBytes, V128, type WasmMemory } from './wasm-asm.ts';

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

/** The reference of skipBackVector: the last p in [floor, from] with b[p] = c and b[p + off2] = c2, else floor - 1 (or from when from < floor). */
function lastPair(b: Uint8Array, from: number, floor: number, c: number, off2: number, c2: number): number {
  if (from < floor) return from;
  for (let p = from; p >= floor; p--) if (b[p] === c && b[p + off2] === c2) return p;
  return floor - 1;
}

const COMMA = 0x2c;
const C = 0x63;
const BACK = moduleBytes([
  { name: 'back', params: 2, body: [2, 1, I32, 2, V128, ...splatBytes(COMMA, 3), ...splatBytes(C, 4), ...skipBackVector(0, COMMA, 2, C, 1, 2, 3, 4), ...get(0), END] },
]);

test('skipBackVector finds the last pair of bytes a scalar search finds, 16 positions a step', (t) => {
  const c = compile(BACK, 'combined');
  if (!c) return t.skip('no WebAssembly SIMD here (or FIVEXX_WASM=off)');
  const memory: WasmMemory = new c.wasm.Memory({ initial: 1 });
  const back = (new c.wasm.Instance(c.module, { env: { memory } }).exports as { back: (from: number, floor: number) => number }).back;
  const b = new Uint8Array(memory.buffer, 0, 1024);
  const rnd = prng(9);
  let found = 0;
  for (let round = 0; round < 30; round++) {
    const density = [0.01, 0.05, 0.3][round % 3] ?? 0;
    // Commas, "c"s and ", c" pairs, sparse to dense.
    for (let i = 0; i < b.length; i++) b[i] = rnd() < density ? COMMA : rnd() < density ? C : rnd() < 0.3 ? 0x20 : 0x61 + Math.floor(rnd() * 26);
    for (let from = 0; from < 300; from++) {
      for (const floor of [0, 1, from - 16, from - 15, from - 14, from, from + 1, from - Math.floor(rnd() * 200)].filter((f) => f >= 0)) {
        const want = lastPair(b, from, floor, COMMA, 2, C);
        assert.equal(back(from, floor), want, `from ${from} down to ${floor}, round ${round}`);
        if (want >= floor) found++;
      }
    }
  }
  assert.ok(found > 1000, `few searches found a pair: ${found}`);
});

const SAME = moduleBytes([{ name: 'same', params: 3, body: [1, 2, I32, ...sameRun(0, 1, 2, 3, 4), ...get(4), END] }]);

test('sameRun says two runs of bytes are equal exactly when they are, for every length and place of a difference', (t) => {
  const c = compile(SAME, 'combined');
  if (!c) return t.skip('no WebAssembly SIMD here (or FIVEXX_WASM=off)');
  const memory: WasmMemory = new c.wasm.Memory({ initial: 1 });
  const same = (new c.wasm.Instance(c.module, { env: { memory } }).exports as { same: (x: number, y: number, n: number) => number }).same;
  const b = new Uint8Array(memory.buffer, 0, 4096);
  const rnd = prng(5);
  for (let n = 0; n <= 80; n++) {
    for (const [x, y] of [[0, 1000], [3, 2000], [17, 3001]] as const) {
      for (let i = 0; i < n; i++) b[x + i] = b[y + i] = Math.floor(rnd() * 256);
      assert.equal(same(x, y, n), 1, `equal, n ${n}`);
      for (let d = 0; d < n; d++) {
        b[y + d] = (b[y + d] ?? 0) ^ 1;
        assert.equal(same(x, y, n), 0, `differ at ${d}, n ${n}`);
        b[y + d] = (b[y + d] ?? 0) ^ 1;
      }
    }
  }
});
