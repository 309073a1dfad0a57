// The remembered tail values must be what reading the request fields from bytes gives, hit or miss: on
// real lines, lines spoilt at random with the separators the reader looks for, and more distinct tails
// of one length than the cache has slots (so slots are shared and every hit must be checked).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { prng, spoilt } from '../sources/kernel-lines.ts';
import { lastClientTail } from './nginx-error.ts';
import { pathSpan, peerSpan, readPlainRecord, serverAfter, SPAN } from './nginx-error-bytes.ts';
import { TailCache } from './tail-values.ts';

const LINES = [
  '2026/11/20 00:00:00 [error] 2213#2213: *1001 connect() failed (111: Connection refused) while connecting to upstream, client: 195.107.103.3, server: shop.example.com, request: "POST /api/orders/981?a=1 HTTP/1.1", upstream: "http://127.0.0.1:8080/api/orders/981", host: "shop.example.com"',
  '2026/11/20 00:00:01 [warn] 2213#2213: *1 an upstream response is buffered, client: 1.2.3.4, server: s, request: "GET / HTTP/1.1", subrequest: "/x", upstream: "fastcgi://unix:/run/php/fpm.sock:", host: "h", referrer: "https://r/"',
  '2026/11/20 00:00:02 [crit] 1#1: *3 connect() to unix:/run/php.sock failed (2: No such file or directory) while connecting to upstream, client: ::1, server: _, request: "GET /ä?q HTTP/2.0", upstream: "fastcgi://unix:/run/php.sock:", host: "ü.example"',
  '2026/11/20 00:00:05 [error] 7#7: *9 x, client: 1.1.1.1, server: s, request: "GET", host: "h',
  '2026/11/20 00:00:06 [error] 7#7: *9 x, client: 1.1.1.1, server: s, request: "GET /a", b", upstream: "http://[::1]:80/p", host: "h"',
  '2026/11/20 00:00:07 [error] 7#7: *9 stream, client: 127.0.0.1, server: 127.0.0.1:18993, upstream: "127.0.0.1:18994", bytes from/to client:0/0',
];

const BITS = ['", ', ', client: ', ', server: ', ', request: "', ', upstream: "', ', host: "', ', referrer: "', '"', ' ', '?', '/', '://', 'unix:', ':'];

const spoil = (line: string, rnd: () => number): string => spoilt(line, rnd, BITS);

/** The values as ErrorDigest read them before the cache: the spans of the whole record, then fresh strings. */
function direct(b: Buffer): unknown {
  const s = new Int32Array(SPAN.size);
  if (Number.isNaN(readPlainRecord(b, 0, b.length, s)) || (s[SPAN.reqStart] ?? -1) < 0) return { request: false, path: '', peer: '', host: '' };
  const pair = new Int32Array(2);
  const text = (x: number, y: number): string => (y > x ? b.toString('utf8', x, y) : '');
  pathSpan(b, s[SPAN.reqStart] ?? -1, s[SPAN.reqEnd] ?? -1, pair);
  const path = text(pair[0] ?? 0, pair[1] ?? 0);
  peerSpan(b, s[SPAN.upStart] ?? -1, s[SPAN.upEnd] ?? -1, pair);
  const peer = text(pair[0] ?? 0, pair[1] ?? 0);
  return { request: true, path, peer, host: text(s[SPAN.hostStart] ?? 0, s[SPAN.hostEnd] ?? 0) };
}

function cached(cache: TailCache, b: Buffer): unknown {
  const at = lastClientTail(b, 0, b.length);
  const serverAt = at >= 0 ? serverAfter(b, at, b.length) : -1;
  if (serverAt < 0) return { request: false, path: '', peer: '', host: '' };
  return { ...cache.get(b, serverAt, b.length) };
}

test('tail values, hit or miss, are what the request fields read from bytes give', () => {
  const cache = new TailCache();
  const rnd = prng(11);
  let compared = 0;
  for (let round = 0; round < 60; round++) {
    for (const real of LINES) {
      const line = round === 0 ? real : spoil(real, rnd);
      const b = Buffer.from(line);
      // Only plain records reach the cache in ErrorDigest.take; the others are the parser's.
      if (Number.isNaN(readPlainRecord(b, 0, b.length, new Int32Array(SPAN.size)))) continue;
      const want = direct(b);
      assert.deepEqual(cached(cache, b), want, line);
      assert.deepEqual(cached(cache, b), want, `${line} (again)`);
      compared++;
    }
  }
  assert.ok(compared > 200, `lines compared: ${compared}`);
});

test('more tails of one length than slots: a shared slot never gives another tail\'s values', () => {
  const cache = new TailCache();
  const line = (k: number): Buffer => Buffer.from(`2026/11/20 00:00:00 [error] 1#1: *1 m, client: 1.2.3.4, server: s, request: "GET /p${String(k).padStart(5, '0')} HTTP/1.1", upstream: "http://10.0.0.${k % 10}:80/", host: "h${String(k % 1000).padStart(3, '0')}"`);
  for (let round = 0; round < 2; round++) {
    for (let k = 0; k < 6000; k += round + 1) {
      const b = line(k);
      assert.deepEqual(cached(cache, b), direct(b), b.toString());
    }
  }
});
