import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadFormats } from '../catalog/formats.ts';
import { bestCpuMs } from '../../test/support/cpu-time.ts';
import { haproxyHttp } from './haproxy.ts';

/** The regular expression the parser used before (super-linear on lines of ':'): the reference for what a line yields. */
const REFERENCE =
  /(?:^|[\s:])(\[?[\w.:-]{1,60}?\]?):(\d{1,5}) \[(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?\] (\S{1,200}) ([^\s/]{1,200})\/(\S{1,200})(?: [^\s/]{1,200})? (-?\d{1,10})\/(-?\d{1,10})\/(-?\d{1,10})\/(-?\d{1,10})\/\+?(-?\d{1,10}) (-?\d{1,3}) \+?(\d{1,15}) \S{1,200} \S{1,200} ([A-Za-z-]{4}) /;

const LINE = 'Nov 22 20:19:15 lb haproxy[812]: 10.0.0.7:51234 [22/Nov/2026:20:19:15.120] web~ app/app1 0/0/1/-1/5002 504 198 - - sH-- 1/1/0/0/0 0/0 "GET /api/orders HTTP/1.1"';

function lines(): string[] {
  const samples = loadFormats().flatMap((f) => f.samples.map((s) => s.text));
  const variants = [
    LINE,
    LINE.replace('10.0.0.7', '[::1]'),
    LINE.replace('10.0.0.7', 'fe80::1'),
    LINE.replace('lb haproxy[812]: ', ''),
    LINE.replace('10.0.0.7:51234', '10.0.0.7:123456'),
    LINE.replace('10.0.0.7:51234', 'x:y:10.0.0.7:8'),
    LINE.replace('lb haproxy[812]: ', 'a'.repeat(70) + ' '),
    `${'b'.repeat(70)}:1 [22/Nov/2026:20:19:15] x ${LINE}`,
    ':'.repeat(300) + LINE.slice(LINE.indexOf('10.0.0.7')),
    LINE.replace('504', '5040'),
  ];
  return [...samples, ...variants];
}

test('the linear scan reads every sample and variant as the old regular expression did', () => {
  let matched = 0;
  for (const line of lines()) {
    const m = REFERENCE.exec(line);
    const e = haproxyHttp.parse(line, 0, 1);
    const status = Number(m?.[18]);
    if (!m || !(status >= 100 && status <= 999)) {
      assert.equal(e, undefined, line);
      continue;
    }
    matched++;
    assert.ok(e, line);
    assert.equal(e.client, m[1], line);
    assert.equal(e.status, status, line);
    assert.equal(e.bytes, Number(m[19]), line);
    assert.equal(e.upstreamAddr, `${m[11]}/${m[12]}`, line);
    assert.equal(e.termination, m[20], line);
  }
  assert.ok(matched >= 5, `real lines matched: ${matched}`);
});

/** The best of three parse costs of `line`, in CPU ms of this process (not wall time: load elsewhere does not count). */
function timeOf(line: string): number {
  return bestCpuMs(() => haproxyHttp.parse(line, 0, 1));
}

test('a 1 MiB line of colons (or of " [" and ports) costs about what a line of letters does, not 60 tries a character', () => {
  const n = 1 << 20;
  const letters = timeOf('a'.repeat(n));
  // Generous: the old expression took thousands of times longer on colons (seconds for one line).
  const bound = 20 * letters + 150;
  for (const line of [':'.repeat(n), ' ['.repeat(n / 2), '1:2 [0'.repeat(n / 6), ':1 [22/Nov/2026:'.repeat(n / 16)]) {
    const t = timeOf(line);
    assert.ok(t < bound, `${JSON.stringify(line.slice(0, 12))}…: ${t.toFixed(1)} CPU ms against ${letters.toFixed(2)} CPU ms for letters`);
  }
});
