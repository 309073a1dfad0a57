// The byte reading of plain nginx error records must say what the parser says: time, message, and the
// path, upstream peer and host the correlator takes from the request fields (fromFinding), on real
// lines and on lines spoilt at random with the separators the parser looks for.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromFinding } from '../correlate/failed-request.ts';
import { endpoint } from '../correlate/scope.ts';
import type { Cause, CausePattern } from '../catalog/causes.ts';
import { ByteStrings } from './byte-strings.ts';
import { nginxError } from './nginx-error.ts';
import { pathSpan, peerSpan, plainTime, readPlainRecord, SPAN } from './nginx-error-bytes.ts';
import { NGINX_ERROR_LINES, nginxErrorSampleLines, prng, spoilt } from '../sources/kernel-lines.ts';

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
  const lines = [...NGINX_ERROR_LINES, ...nginxErrorSampleLines()];
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
