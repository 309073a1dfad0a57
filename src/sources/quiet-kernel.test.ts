// The quiet kernel is an accelerator of the JS reference (QuietReference in quiet-records.ts): on
// generated and damaged nginx error lines it answers exactly as a plain JS model of its pre-screen
// (plainStart, then the screen's keys at every stride-th byte of the message), and never against
// the reference: NOT_PLAIN exactly when the reference says so, QUIET only when the reference does.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadCauses } from '../catalog/causes.ts';
import { loadMarkers, markerLiteralsFor } from '../changes/log-markers.ts';
import { buildClassifier } from '../classify/classify.ts';
import { ByteScreen } from '../classify/literals.ts';
import { plainStart } from '../parse/nginx-error.ts';
import { lines, nginxErrorLine } from './kernel-lines.ts';
import { NewlineKernel } from './newline-kernel.ts';
import { QuietKernel } from './quiet-kernel.ts';
import { MAYBE, NOT_PLAIN, QUIET, QuietReference } from './quiet-records.ts';

const LINES = lines(23, 4000, nginxErrorLine);
const classifier = buildClassifier(loadCauses());
const screen = new ByteScreen([...(classifier.literalsFor('nginx') ?? []), ...(markerLiteralsFor(loadMarkers(), 'nginx') ?? [])])
  .tunedTo(Buffer.from(LINES.slice(0, 500).join('\n')));

/** The kernel's pre-screen written plainly: what it must answer. */
function model(bits: Uint32Array, stride: number, b: Uint8Array, a: number, nl: number): number {
  const span = new Int32Array(2);
  if (!plainStart(b, a, nl, span)) return NOT_PLAIN;
  for (let i = span[0] ?? 0; i + 3 <= (span[1] ?? 0); i += stride) {
    const k = ((b[i] ?? 0) * 1089 + (b[i + 1] ?? 0) * 33 + (b[i + 2] ?? 0)) & 0x7fff;
    if (((bits[k >>> 5] ?? 0) & (1 << (k & 31))) !== 0) return MAYBE;
  }
  return QUIET;
}

test('the quiet kernel answers as its model and never against the reference, on generated and damaged lines', (t) => {
  const bitmap = screen.strideBitmap();
  assert.ok(bitmap, 'the nginx literals are all long enough for the stride screen');
  const nk = NewlineKernel.create(1 << 16);
  const kernel = nk && QuietKernel.create(nk, bitmap);
  if (!nk || !kernel) return t.skip('no WebAssembly here (or FIVEXX_WASM=off)');
  const reference = new QuietReference(plainStart, screen);
  const counts = new Map<number, number>();
  for (const line of LINES) {
    const a = 3;
    const n: number = nk.bytes.write(line, a, 'utf8');
    const b: Buffer = nk.bytes;
    const got: number = kernel.check(b, a, a + n);
    assert.equal(got, model(bitmap.bits, bitmap.stride, b, a, a + n), line);
    const want = reference.check(b, a, a + n);
    assert.equal(got === NOT_PLAIN, want === NOT_PLAIN, `plain start: ${line}`);
    if (got === QUIET) assert.equal(want, QUIET, `quiet: ${line}`);
    counts.set(got, (counts.get(got) ?? 0) + 1);
  }
  for (const r of [NOT_PLAIN, QUIET, MAYBE]) assert.ok((counts.get(r) ?? 0) > 100, `few lines answered ${r}: ${JSON.stringify([...counts])}`);
});
