// The WebAssembly head reader of nginx error records must say what the JavaScript reader says
// (readPlainHead, serverAfter, plainTime), and its "seen before" flags must be true exactly when the
// bytes are: on real sample lines and on copies spoilt at random with the separators both look for.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NOT_PLAIN, plainTime, readPlainHead, serverAfter, SPAN, stampTimeOf } from '../parse/nginx-error-bytes.ts';
import { ErrorHeadKernel, HEAD_FLAG, HEAD_NOT_PLAIN, HEAD_WORD } from './error-head-kernel.ts';
import { NGINX_ERROR_LINES, nginxErrorSampleLines, prng, spoilt } from './kernel-lines.ts';
import { NewlineKernel } from './newline-kernel.ts';

const BITS = ['", ', ', client: ', ', server: ', ', request: "', ', upstream: "', '"', ' ', ': ', ']', '[', '*', '0', 'é', ',', '\u00ff'];

const spoil = (line: string, rnd: () => number): string => spoilt(line, rnd, BITS);

/** The lines of the samples' nginx error logs and NGINX_ERROR_LINES, with spoilt copies and repeats (the flags' cases). */
function lines(): string[] {
  const base = [...NGINX_ERROR_LINES, ...nginxErrorSampleLines()];
  const rnd = prng(11);
  const out: string[] = [];
  for (let round = 0; round < 30; round++) {
    for (const line of base) {
      const l = round === 0 ? line : spoil(line, rnd);
      out.push(l);
      if (rnd() < 0.3) out.push(l);
    }
  }
  return out;
}

test('the head kernel reads what readPlainHead and serverAfter read, and its flags say when bytes repeat', (t) => {
  const kernel = NewlineKernel.create(1 << 16);
  const head = kernel ? ErrorHeadKernel.create(kernel) : null;
  if (!kernel || !head) return t.skip('WebAssembly (SIMD, bulk memory) not available');
  const b = kernel.bytes;
  const spans = new Int32Array(SPAN.size);
  const time = new Float64Array(1);
  let lastStamp = '';
  let lastMessage: string | undefined;
  const slots = new Map<number, string>();
  let compared = 0;
  let hits = 0;
  let same = 0;
  for (const line of lines()) {
    const end = b.write(line, 0);
    b.fill(0x78, end, end + 64);
    const f = head.head(0, end);
    const at = readPlainHead(b, 0, end, spans, time);
    if (at === NOT_PLAIN) {
      assert.equal(f, HEAD_NOT_PLAIN, line);
      continue;
    }
    assert.notEqual(f, HEAD_NOT_PLAIN, line);
    const w: Int32Array = head.words;
    const stamp = b.toString('latin1', 0, 19);
    assert.equal((f & HEAD_FLAG.newTime) !== 0, stamp !== lastStamp, line);
    lastStamp = stamp;
    assert.equal(stampTimeOf(head.timeBytes), plainTime(b, 0, end), line);
    assert.deepEqual([w[HEAD_WORD.msgStart], w[HEAD_WORD.msgEnd], w[HEAD_WORD.client]], [spans[SPAN.msgStart], spans[SPAN.msgEnd], at], line);
    const serverAt = at >= 0 ? serverAfter(b, at, end) : -1;
    assert.equal((f & HEAD_FLAG.noServer) !== 0, serverAt < 0, line);
    if (serverAt < 0) continue;
    assert.equal(w[HEAD_WORD.server], serverAt, line);
    compared++;
    const message = b.toString('latin1', spans[SPAN.msgStart], spans[SPAN.msgEnd]);
    assert.equal((f & HEAD_FLAG.sameMessage) !== 0, message === lastMessage, line);
    if (f & HEAD_FLAG.sameMessage) same++;
    lastMessage = message.length <= 2048 ? message : undefined;
    const tail = b.toString('latin1', serverAt, end);
    assert.equal((f & HEAD_FLAG.tailLong) !== 0, tail.length > 252, line);
    if (f & HEAD_FLAG.tailLong) continue;
    const slot = w[HEAD_WORD.slot] ?? -1;
    assert.equal((f & HEAD_FLAG.tailHit) !== 0, slots.get(slot) === tail, line);
    if (f & HEAD_FLAG.tailHit) hits++;
    slots.set(slot, tail);
  }
  assert.ok(compared > 500 && hits > 100 && same > 100, `compared ${compared}, tail hits ${hits}, same messages ${same}`);
  head.reset();
  const end = b.write(NGINX_ERROR_LINES[0] ?? '', 0);
  assert.equal(head.head(0, end) & (HEAD_FLAG.tailHit | HEAD_FLAG.sameMessage | HEAD_FLAG.newTime), HEAD_FLAG.newTime, 'a reset forgets');
});

test('quick answers a slot only for a record head reads as the same time, message and a tail hit there', (t) => {
  const kernel = NewlineKernel.create(1 << 16);
  const head = kernel ? ErrorHeadKernel.create(kernel) : null;
  if (!kernel || !head) return t.skip('WebAssembly (SIMD, bulk memory) not available');
  head.reset();
  const b = kernel.bytes;
  const client = (c: string): string => `2026/11/20 10:00:00 [error] 1#1: *7 connect() failed (111: Connection refused) while connecting to upstream, client: ${c}`;
  const tail = ', server: s, request: "GET /a HTTP/1.1", upstream: "http://127.0.0.1:8080/a", host: "s"';
  // Spoilt and real lines, each after itself (quick's case), and lines built to look like one more of the last.
  const tricky = [
    client('10.0.0.1') + tail,
    // a second ", client: " before the server: the last one ends the message, which is then another
    client('10.0.0.2') + ', client: 10.0.0.3' + tail,
    client('10.0.0.4') + tail,
    // the same message and tail an hour later, then with a different level, then cut short
    client('10.0.0.5').replace('10:00:00', '11:00:00') + tail,
    client('10.0.0.6').replace('[error]', '[warn]') + tail,
    client('10.0.0.7') + tail.slice(0, 12),
    client('10.0.0.8'),
  ];
  let quickOnes = 0;
  for (const line of [...tricky, ...lines().flatMap((l) => [l, l])]) {
    const end = b.write(line, 0);
    b.fill(0x78, end, end + 64);
    const q = head.quick(0, end);
    const f = head.head(0, end);
    if (q < 0) continue;
    quickOnes++;
    assert.equal(f, HEAD_FLAG.sameMessage | HEAD_FLAG.tailHit, line);
    assert.equal(head.words[HEAD_WORD.slot], q, line);
  }
  assert.ok(quickOnes > 400, `quick answered ${quickOnes} times`);
  // After a reset nothing is the same as before.
  const end = b.write(tricky[0] ?? '', 0);
  head.head(0, end);
  assert.ok(head.quick(0, end) >= 0);
  head.reset();
  assert.ok(head.quick(0, end) < 0, 'a reset forgets');
});
