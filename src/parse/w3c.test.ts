import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bestCpuMs } from '../../test/support/cpu-time.ts';
import { w3cAccess, w3cDirectives } from './w3c.ts';

test('W3C lines are read by the columns of the "#Fields:" before them, space- or tab-separated', () => {
  // lnav's test file (real IIS output, tstack/lnav test/logfile_w3c.0).
  assert.equal(w3cAccess.parse('#Fields: date time c-ip cs-username s-ip s-port cs-method cs-uri-stem cs-uri-query sc-status cs(User-Agent)', 0, 4), undefined);
  const e = w3cAccess.parse('2002-05-02 17:42:15 172.22.255.255 - 172.30.255.255 80 GET /images/picture.jpg - 200 Mozilla/4.0+(compatible;MSIE+5.5;+Windows+2000+Server)', 0, 5);
  assert.deepEqual([e?.time, e?.status, e?.client, e?.method, e?.path], [Date.UTC(2002, 4, 2, 17, 42, 15), 200, '172.22.255.255', 'GET', '/images/picture.jpg']);
  // CloudFront's documented fields, tab-separated, time-taken in seconds (written from AWS's documentation, not recorded).
  w3cAccess.parse('#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query time-taken', 0, 1);
  const cf = w3cAccess.parse(['2026-11-27', '16:40:02', 'FRA56-C1', '512', '203.0.113.9', 'GET', 'd111111abcdef8.cloudfront.net', '/api', '502', '-', 'curl/8', 'a=1', '30.002'].join('\t'), 0, 2);
  assert.deepEqual([cf?.status, cf?.host, cf?.path, cf?.requestTime, cf?.bytes], [502, 'd111111abcdef8.cloudfront.net', '/api?a=1', 30.002, 512]);
});

test('a W3C line whose field count differs, or without a date, time and status, is not read', () => {
  w3cAccess.parse('#Fields: date time c-ip sc-status time-taken', 0, 1);
  assert.equal(w3cAccess.parse('2026-11-27 16:40:02 203.0.113.9 502', 0, 2), undefined);
  assert.equal(w3cAccess.parse('yesterday 16:40:02 203.0.113.9 502 15', 0, 3), undefined);
  assert.equal(w3cAccess.parse('2026-11-27 16:40:02 203.0.113.9 abc 15', 0, 4), undefined);
  assert.equal(w3cAccess.parse('2026-11-27 16:40:02 203.0.113.9 503 15', 0, 5)?.requestTime, 0.015);
});

test('the directives are records of their own (never unparsed), and nothing else is', () => {
  assert.ok(w3cDirectives.isStart('#Software: Microsoft Internet Information Services 10.0'));
  assert.equal(w3cDirectives.parse('#Version: 1.0', 0, 1)?.message, '#Version: 1.0');
  assert.equal(w3cDirectives.isStart('2026-11-27 16:40:02 x'), false);
});

test('a 1 MiB line of separators costs about what a line of letters does (split at most one piece past the fields)', () => {
  w3cAccess.parse('#Fields: date time c-ip sc-status', 0, 1);
  // CPU time of this process, not wall time: load elsewhere on the machine does not count.
  const best = (line: string): number => bestCpuMs(() => assert.equal(w3cAccess.parse(line, 0, 2), undefined), 5);
  const n = 1 << 20;
  const letters = best(`2026-11-27 16:40:02 ${'a'.repeat(n)}`);
  // Splitting the whole line costs about 9 CPU ms here (half a million pieces); the bounded split about 0.02 ms, like letters.
  const separators = best(`2026-11-27 16:40:02${' x'.repeat(n / 2)}`);
  assert.ok(separators < 20 * letters + 2, `${separators.toFixed(2)} CPU ms against ${letters.toFixed(2)} CPU ms for letters`);
});
