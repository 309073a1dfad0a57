import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { countLines, type LineCount, simdAvailable } from './count-lines.ts';

const dir = mkdtempSync(join(tmpdir(), 'fivexx-count-'));

/** The reference: split on '\n' as the line readers do. */
function reference(b: Buffer, start: number, end: number, maxLine: number): LineCount {
  const out: LineCount = { lines: 0, oversize: 0 };
  let a = start;
  while (a < end) {
    let nl = b.indexOf(10, a);
    if (nl < 0 || nl >= end) nl = end;
    out.lines++;
    if (nl - a > maxLine) out.oversize++;
    a = nl + 1;
  }
  return out;
}

/** Seeded bytes: mostly short lines, some long ones, some binary. */
function sample(seed: number, size: number, longLine: number): Buffer {
  let s = seed >>> 0;
  const rnd = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const b = Buffer.alloc(size, 0x61);
  let i = 0;
  while (i < size) {
    const r = rnd();
    const len = r < 0.02 ? Math.floor(rnd() * longLine * 2) : r < 0.05 ? 0 : Math.floor(rnd() * 300);
    for (let j = 0; j < len && i + j < size; j++) if (rnd() < 0.01) b[i + j] = Math.floor(rnd() * 256) === 10 ? 11 : Math.floor(rnd() * 256) || 1;
    i += len;
    if (i < size) b[i++] = 10;
  }
  return b;
}

test('the SIMD kernel, the JS count and a plain split agree on lines and over-long lines', () => {
  assert.ok(simdAvailable(), 'Node 24 runs WebAssembly SIMD');
  const cases: [number, number, number][] = [
    // seed, size, line limit
    [1, 0, 1 << 20],
    [2, 1, 1 << 20],
    [3, 63, 100],
    [4, 3 << 20, 1 << 20],
    [5, 3 << 20, 4096],
    [6, 200_000, 1000],
    [7, 50_000, 40],
    [8, 2_500_000, 65_535],
  ];
  for (const [seed, size, maxLine] of cases) {
    const b = sample(seed, size, maxLine);
    const p = join(dir, `s${seed}.log`);
    writeFileSync(p, b);
    for (const [start, end] of [[0, size], [0, Math.floor(size / 2)], [b.indexOf(10, size >> 2) + 1, size]] as [number, number][]) {
      if (start <= 0 && end === 0 && size > 0) continue;
      const want = reference(b, start, end, maxLine);
      assert.deepEqual(countLines(p, start, end, maxLine), want, `kernel, seed ${seed} [${start}, ${end})`);
      assert.deepEqual(countLines(p, start, end, maxLine, undefined, false), want, `js, seed ${seed} [${start}, ${end})`);
    }
  }
});

test('a line crossing a block edge is over the limit only when it is', () => {
  const maxLine = 1 << 20;
  // One line of exactly the limit, one just over, one far over, each crossing 1 MiB block edges.
  const b = Buffer.concat([Buffer.from('a\n'), Buffer.alloc(maxLine, 0x62), Buffer.from('\n'), Buffer.alloc(maxLine + 1, 0x63), Buffer.from('\n'), Buffer.alloc(3 * maxLine, 0x64), Buffer.from('\nend')]);
  const p = join(dir, 'edges.log');
  writeFileSync(p, b);
  assert.deepEqual(countLines(p, 0, b.length, maxLine), { lines: 5, oversize: 2 });
  assert.deepEqual(countLines(p, 0, b.length, maxLine, undefined, false), { lines: 5, oversize: 2 });
  assert.deepEqual(reference(b, 0, b.length, maxLine), { lines: 5, oversize: 2 });
});

test('a block of nothing but newlines: no byte counter of the kernel overflows', () => {
  const b = Buffer.alloc(3 << 20, 10);
  const p = join(dir, 'newlines.log');
  writeFileSync(p, b);
  assert.deepEqual(countLines(p, 0, b.length, 1 << 20), { lines: 3 << 20, oversize: 0 });
  assert.deepEqual(countLines(p, 5, b.length - 7, 1 << 20), { lines: (3 << 20) - 12, oversize: 0 });
});
