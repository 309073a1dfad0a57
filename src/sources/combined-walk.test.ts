// The kernel's walk (combined-kernel.ts) is an accelerator of the reference walk (combined-walk.ts):
// on blocks of generated, damaged and real-shaped lines (CR endings, empty and over-long lines, a day
// change), cut at every kind of edge and walked with small and large caps, both write the same records.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CombinedLineCheck, OTHER_DAY } from './combined-check.ts';
import { CombinedKernel } from './combined-kernel.ts';
import { CombinedWalkReference, RECORD, RUN, Stop, type CombinedWalk, type WalkOptions } from './combined-walk.ts';
import { combinedLine, lines, prng } from './kernel-lines.ts';
import { NewlineKernel } from './newline-kernel.ts';

const REAL = [
  '195.107.103.3 - - [20/Nov/2026:00:00:00 +0000] "POST /api/orders/981 HTTP/1.1" 200 15704 "https://shop.example.com/products" "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0"',
  '66.182.96.88 - - [20/Nov/2026:00:00:00 +0000] "GET /login HTTP/1.1" 502 157 "-" "curl/7.88.1"',
  '86.154.157.198 - - [20/Nov/2026:00:00:01 +0000] "GET /static/app.3f9c1a.js?v=2 HTTP/1.1" 503 157 "https://shop.example.com/" "Mozilla/5.0"',
  '10.0.0.9 - - [21/Nov/2026:00:00:02 +0000] "GET /next-day HTTP/1.1" 504 0 "-" "curl/8.0"\r',
  '10.0.0.2 - - [20/Nov/2026:00:00:04 +0000] "GET http://x.test/ HTTP/1.1" 502 157 "-" "curl/8.0"',
  '10.0.0.3 - - [20/Nov/2026:00:00:04 +0000] "GET /api HTTP/1.1" 502 157 "-" "curl/8.0" rt=0.5 us="502"',
  '10.0.0.4 - - [20/Nov/2026:00:00:05 +0000] "GET /gone HTTP/1.1" 499 0 "-" "curl/8.0"',
  '',
  `10.0.0.1 - - [20/Nov/2026:00:00:03 +0000] "GET /${'x'.repeat(70_000)} HTTP/1.1" 500 1 "-" "long"`,
];

/** A block: real and generated lines, in random order, joined by newlines. */
function block(seed: number): string {
  const rnd = prng(seed);
  const generated = lines(seed, 300, combinedLine);
  const out: string[] = [];
  for (let k = 0; k < 400; k++) out.push(rnd() < 0.4 ? (REAL[Math.floor(rnd() * REAL.length)] ?? '') : (generated[k % generated.length] ?? ''));
  return out.join('\n');
}

/** Every record of walking b[from, end) to its last newline, walk after walk (`cap` records a call), and each walk's status counts. */
function walkAll(w: CombinedWalk, check: CombinedLineCheck | CombinedKernel, b: Uint8Array, from: number, end: number, cap: number, opts: WalkOptions): string[] {
  const out: string[] = [];
  let a = from;
  // Left over from before (as the newline kernel's `find` leaves its area): a walk with absorb starts its counts at 0.
  w.statuses.fill(7);
  for (;;) {
    const n = w.walk(b, a, end, cap, opts);
    for (let k = 0; k < n; k++) out.push(Array.from(w.records.subarray(k * RECORD, (k + 1) * RECORD)).join(' '));
    const statuses: string[] = [];
    if (opts.absorb) w.statuses.forEach((x, code) => x > 0 && statuses.push(`${code}: ${x}`));
    out.push(`stopped ${w.stopped} at ${w.next}; ${statuses.join(', ')}`);
    a = w.next;
    // What the scanner does at a day change: this line's day becomes the key.
    if (w.stopped === Stop.OtherDay) check.setDay(new TextEncoder().encode('21/Nov/2026 +0000'));
    if (w.stopped === Stop.End) break;
  }
  return out;
}

test('the kernel walk writes the records of the reference walk, on every cut of a block, every cap and every option', (t) => {
  const nk = NewlineKernel.create(1 << 18);
  const kernel = nk && CombinedKernel.create(nk);
  if (!nk || !kernel) return t.skip('no WebAssembly here (or FIVEXX_WASM=off)');
  const check = new CombinedLineCheck();
  const reference = new CombinedWalkReference(check, kernel.records.length / RECORD);
  const rnd = prng(5);
  let records = 0;
  const kinds = new Set<string>();
  for (let seed = 1; seed <= 8; seed++) {
    const text = block(seed);
    const b: Buffer = nk.bytes;
    const n: number = b.write(text.slice(0, 200_000), 3, 'latin1');
    // A block's edges fall anywhere: inside a line, on a newline, right after one.
    for (let cut = 0; cut < 4; cut++) {
      const from = 3 + Math.floor(rnd() * 200);
      const end: number = cut === 0 ? 3 + n : from + Math.floor(rnd() * (n - 200));
      for (const cap of [3, 8, 4000]) {
        for (const [failedToo, absorb, countFailed, maxLine] of OPTIONS) {
          for (const c of [check, kernel]) {
            c.acceptFailed(failedToo);
            c.setDay(new TextEncoder().encode('20/Nov/2026 +0000'));
          }
          const opts = { absorb, countFailed, maxLine };
          const want = walkAll(reference, check, b, from, end, cap, opts);
          const got = walkAll(kernel, kernel, b, from, end, cap, opts);
          assert.deepEqual(got, want, `seed ${seed}, from ${from}, end ${end}, cap ${cap}, ${JSON.stringify(opts)}`);
          records += want.length;
          for (const r of want) if (/^-?\d+ /.test(r)) kinds.add(kindOf(r.split(' ').map(Number)));
        }
      }
    }
  }
  assert.ok(records > 10_000, `records: ${records}`);
  assert.deepEqual([...kinds].sort(), ['5xx cheap', '5xx not cheap', 'counted', 'not plain', 'other day', 'run', 'run after counted lines']);
});

/** acceptFailed, absorb, countFailed, maxLine (the last: exactly one real line's length). */
const OPTIONS: [boolean, boolean, boolean, number][] = [
  [true, false, false, 1 << 20], [false, false, false, 1 << 20], [true, true, true, 1 << 20], [true, true, false, 1 << 20], [false, true, false, 1 << 20], [true, true, true, REAL[1]?.length ?? 0],
];

function kindOf([, , r = 0, path = 0, , , counted = 0]: number[]): string {
  if (r === RUN) return counted > 0 ? 'run after counted lines' : 'run';
  if (r === OTHER_DAY) return 'other day';
  if (r < 0) return 'not plain';
  if (r >>> 17 < 500) return 'counted';
  return path >= 0 ? '5xx cheap' : '5xx not cheap';
}
