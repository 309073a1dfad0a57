import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lastClientTail } from './nginx-error.ts';

/** The reference: the last ", client: " starting in [from, end - 10]. */
function reference(b: Buffer, from: number, end: number): number {
  const at = b.subarray(0, end).lastIndexOf(', client: ');
  return at >= from ? at : -1;
}

test('the backward search for ", client: " finds what lastIndexOf finds', () => {
  // Pieces that make near misses: partial needles, repeated spaces and commas, the needle itself.
  const pieces = [', client: ', ', client:', ' client: ', ',, client: ', ', clien', 'client: ', ', ', ' ', ',', ':', 'x', 'upstream', ', server: a', '"GET /, client: x HTTP/1.1"'];
  let seed = 7;
  const rnd = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  for (let k = 0; k < 3000; k++) {
    let s = '';
    const parts = rnd(12);
    for (let j = 0; j < parts; j++) s += pieces[rnd(pieces.length)];
    const b = Buffer.from(s, 'latin1');
    const from = rnd(b.length + 1);
    const end = from + rnd(b.length - from + 1);
    assert.equal(lastClientTail(b, from, end), reference(b, from, end), JSON.stringify({ s, from, end }));
  }
  const line = Buffer.from('2026/11/20 14:02:09 [error] 1#1: *5 open() "/a, client: b" failed, client: 127.0.0.1, server: x, request: "GET /, client: c HTTP/1.1"');
  assert.equal(lastClientTail(line, 0, line.length), line.lastIndexOf(', client: '));
});
