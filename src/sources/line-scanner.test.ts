import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Feeder, LineScanner, lineText } from './line-scanner.ts';
import { NewlineKernel } from './newline-kernel.ts';

class Recorder extends LineScanner {
  readonly got: string[] = [];
  protected line(b: Buffer, a: number, nl: number): void {
    this.got.push(`${this.lines}:${lineText(b, a, nl)}`);
  }
  done(): { got: string[]; lines: number; oversize: number } {
    this.endLines();
    return { got: this.got, lines: this.lines, oversize: this.oversize };
  }
}

/** The reference: split on '\n', a last line without newline kept, over-long lines counted and left out. */
function reference(text: Buffer, maxLine: number): { got: string[]; lines: number; oversize: number } {
  const got: string[] = [];
  let lines = 0;
  let oversize = 0;
  let a = 0;
  while (a < text.length) {
    let nl = text.indexOf(10, a);
    if (nl < 0) nl = text.length;
    lines++;
    if (nl - a > maxLine) oversize++;
    else got.push(`${lines}:${lineText(text, a, nl)}`);
    a = nl + 1;
  }
  return { got, lines, oversize };
}

function sample(seed: number, size: number, longLine: number): Buffer {
  let s = seed >>> 0;
  const rnd = (n: number): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
  const parts: string[] = [];
  let len = 0;
  while (len < size) {
    const r = rnd(100);
    const piece = r < 2 ? 'L'.repeat(rnd(longLine * 2)) : r < 6 ? '' : r < 8 ? 'crlf\r' : `line ${rnd(1e6)} ${'x'.repeat(rnd(200))}`;
    parts.push(piece);
    len += piece.length + 1;
  }
  return Buffer.from(parts.join('\n') + (rnd(2) ? '\n' : ''), 'latin1');
}

test('the Feeder splits lines the same with the SIMD kernel, without it, and as a plain split', () => {
  assert.ok(NewlineKernel.create(1024), 'Node 24 runs WebAssembly SIMD');
  for (const [seed, size, maxLine, chunk] of [[1, 5_000_000, 1 << 20, 1 << 20], [2, 3_000_000, 3000, 70_001], [3, 200_000, 100, 17], [4, 2_000, 10, 1], [5, 0, 100, 10], [6, 4_500_000, 65_536, 1 << 20]] as const) {
    const text = sample(seed, size, maxLine);
    const want = reference(text, maxLine);
    for (const useKernel of [true, false]) {
      const sc = new Recorder(maxLine);
      const feeder = new Feeder(sc, maxLine, useKernel);
      for (let off = 0; off < text.length; off += chunk) feeder.push(text.subarray(off, off + chunk));
      feeder.end();
      const got = sc.done();
      const where = `seed ${seed}, ${useKernel ? 'kernel' : 'indexOf'}`;
      assert.equal(got.lines, want.lines, `${where}: lines`);
      assert.equal(got.oversize, want.oversize, `${where}: over-long lines`);
      assert.deepEqual(got.got, want.got, where);
    }
  }
});
