// The byte reading of plain nginx error records must say what the parser says: time, message, and the
// path, upstream peer and host the correlator takes from the request fields (fromFinding), on real
// lines and on lines spoilt at random with the separators the parser looks for.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { fromFinding } from '../correlate/failed-request.ts';
import { endpoint } from '../correlate/scope.ts';
import type { Cause, CausePattern } from '../catalog/causes.ts';
import { ByteStrings } from './byte-strings.ts';
import { nginxError } from './nginx-error.ts';
import { pathSpan, peerSpan, plainTime, readPlainRecord, SPAN } from './nginx-error-bytes.ts';
import { prng, spoilt } from '../sources/kernel-lines.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const REAL = [
  '2026/11/20 00:00:00 [error] 2213#2213: *1001 connect() failed (111: Connection refused) while connecting to upstream, client: 195.107.103.3, server: shop.example.com, request: "POST /api/orders/981?a=1 HTTP/1.1", upstream: "http://127.0.0.1:8080/api/orders/981", host: "shop.example.com"',
  '2026/11/20 00:00:01 [warn] 2213#2213: *1 an upstream response is buffered, client: 1.2.3.4, server: s, request: "GET / HTTP/1.1", subrequest: "/x", upstream: "fastcgi://unix:/run/php/fpm.sock:", host: "h", referrer: "https://r/"',
  '2026/11/20 00:00:02 [crit] 1#1: *3 connect() to unix:/run/php.sock failed (2: No such file or directory) while connecting to upstream, client: ::1, server: _, request: "GET /ä?q HTTP/2.0", upstream: "fastcgi://unix:/run/php.sock:", host: "ü.example"',
  '2026/11/20 00:00:03 [error] 7#7: no live upstreams while connecting to upstream',
  '2026/11/20 00:00:04 [error] 7#7: *9 upstream timed out, client: 1.1.1.1',
  '2026/11/20 00:00:05 [error] 7#7: *9 x, client: 1.1.1.1, server: s, request: "GET", host: "h',
  '2026/11/20 00:00:06 [error] 7#7: *9 x, client: 1.1.1.1, server: s, request: "GET /a", b", upstream: "http://[::1]:80/p", host: "h"',
  '2026/11/20 00:00:07 [error] *9 no pid, client: a, server: b, request: "GET  /x HTTP/1.1"',
  '2026/11/20 00:00:08 [error]',
  '2026/11/20 00:00:08 [error] ',
  '2026/11/20 00:00:09 [emerg]x, client: ',
  '2026/11/20 00:00:09 [errorxx] 1#1: m',
  '2026/11/20 00:00:09 [ERROR] 1#1: m',
  '2026/13/45 25:61:61 [error] 1#1: *1 m, client: 1, server: 2, request: "GET /p HTTP/1.1", host: "h"',
];

const random = prng;

const BITS = ['", ', ', client: ', ', server: ', ', request: "', ', upstream: "', ', host: "', '"', ' ', '?', '/', '://', 'unix:', ':', '*', ': ', ']', 'é', '\u00ff'];

const spoil = (line: string, rnd: () => number): string => spoilt(line, rnd, BITS);

const cause = { id: 'x', explains: [] } as unknown as Cause;
const pattern = {} as CausePattern;

/** What the parser and fromFinding make of the line, or undefined when it is no plain timed record. */
function byParser(line: string): unknown {
  const r = nginxError.parse(line, 0, 1);
  if (!r?.timed || !nginxError.isStart(line)) return undefined;
  const f = fromFinding({ record: r, cause, pattern });
  return { time: r.time, message: r.message, path: endpoint(f.path), peer: f.upstream, host: f.host };
}

const strings = new ByteStrings();

function byBytes(line: string): unknown {
  const b = Buffer.from(line, 'utf8');
  const s = new Int32Array(SPAN.size);
  const time = readPlainRecord(b, 0, b.length, s);
  if (Number.isNaN(time)) return undefined;
  assert.equal(time, plainTime(b, 0, b.length));
  const pair = new Int32Array(2);
  pathSpan(b, s[SPAN.reqStart] ?? -1, s[SPAN.reqEnd] ?? -1, pair);
  const path = strings.get(b, pair[0] ?? 0, pair[1] ?? 0);
  peerSpan(b, s[SPAN.upStart] ?? -1, s[SPAN.upEnd] ?? -1, pair);
  const peer = strings.get(b, pair[0] ?? 0, pair[1] ?? 0);
  return { time, message: b.toString('utf8', s[SPAN.msgStart], s[SPAN.msgEnd]), path, peer, host: strings.get(b, s[SPAN.hostStart] ?? 0, s[SPAN.hostEnd] ?? 0) };
}

test('plain nginx error records read from bytes as the parser reads them', () => {
  const samples = ['nginx-composite', 'nginx-database-down', 'nginx-php-fatal'].flatMap((d) => readFileSync(join(ROOT, 'samples', d, 'error.log'), 'utf8').split('\n'));
  const lines = [...REAL, ...samples];
  const rnd = random(7);
  let plain = 0;
  for (let round = 0; round < 40; round++) {
    for (const real of lines) {
      const line = round === 0 ? real : spoil(real, rnd);
      const want = byParser(line);
      const got = byBytes(line);
      // Only a record the parser reads as a plain timed one may be read from bytes; a line under the limit always is.
      if (got === undefined) assert.ok(want === undefined || line.length >= 16_384 || /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d \[[a-z]{1,6}\]/.test(line) === false, line);
      else {
        assert.deepEqual(got, want, line);
        plain++;
      }
    }
  }
  assert.ok(plain > 1000, `records compared: ${plain}`);
});

test('a time is read afresh when any of its bytes differ from the last one read', () => {
  const at = (s: string): number => plainTime(Buffer.from(`${s} [error] m`), 0, s.length + 10);
  assert.equal(at('2026/11/20 00:00:00'), Date.UTC(2026, 10, 20));
  for (const s of ['2026/11/20 00:00:01', '2026/11/20 00:00:11', '1026/11/20 00:00:11', '2026/12/20 00:00:11', '2026/11/20 00:00:11']) {
    assert.equal(at(s), Date.UTC(Number(s.slice(0, 4)), Number(s.slice(5, 7)) - 1, Number(s.slice(8, 10)), 0, 0, Number(s.slice(17, 19))), s);
  }
});
