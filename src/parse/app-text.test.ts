// Untimed application output (`node app.js > app.log 2>&1`): one record a line, each runtime trace one record,
// detected as app text by a banner or a trace. The lines are real: recorded from the lab's plain Node app
// (test/lab/apps/plain-app.ts, Node.js 24), its heap report from the node-heap scenario, Python 3.11.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadFormats } from '../catalog/formats.ts';
import type { LogRecord } from '../events/types.ts';
import { RecordAssembler } from '../sources/source-lines.ts';
import { appText } from './app-text.ts';
import { BANNER, CRASH } from '../../test/support/untimed-app-lines.ts';
import { detectFormat } from './detect.ts';

const LAB_LOG = [BANNER, 'GET / 200', 'GET /cart 200', 'order total undefined', ...CRASH, BANNER, 'GET / 200'];

function records(lines: readonly string[]): LogRecord[] {
  const out: LogRecord[] = [];
  const a = new RecordAssembler(appText, 0, (r) => out.push(r));
  lines.forEach((l, i) => a.push(l, i + 1));
  a.finish();
  return out;
}

test('untimed output: each line a record, the crash dump one record up to its Node.js footer, the banner after it a record', () => {
  const rs = records(LAB_LOG);
  assert.deepEqual(rs.map((r) => r.line), [1, 2, 3, 4, 5, 14, 15]);
  assert.equal(rs[4]?.text, CRASH.join('\n'));
  assert.equal(rs[4]?.producer, 'node');
  assert.equal(rs[4]?.level, 'error');
  assert.deepEqual([rs[5]?.message, rs[5]?.level], [BANNER, ''], 'a banner is not an error');
  assert.ok(rs.every((r) => Number.isNaN(r.time) && !r.timed));
});

test("a failed start's dump (EADDRINUSE, 'Emitted' frames, the error's fields) is one record", () => {
  const dump = ['node:events:505', "    throw er; // Unhandled 'error' event", '    ^', '', 'Error: listen EADDRINUSE: address already in use 127.0.0.1:38124',
    '    at Server.setupListenHandle [as _listen2] (node:net:2328:16)', "Emitted 'error' event on Server instance at:", '    at emitErrorNT (node:net:2416:8)',
    "    at process.processTicksAndRejections (node:internal/process/task_queues:90:21) {", "  code: 'EADDRINUSE',", '  port: 38124', '}', '', 'Node.js v24.21.0'];
  const rs = records(['> shop@1.0.0 start', ...dump, 'GET / 200']);
  assert.deepEqual(rs.map((r) => r.line), [1, 2, 16]);
});

test("V8's heap report: the GC lines, then FATAL ERROR with its native stack, end where the output goes on", () => {
  const rs = records(['<--- Last few GCs --->', '', '[1062:0x2fa47000]     1796 ms: Mark-Compact (reduce) 30.9 (34.8) -> 30.4 (32.6) MB', '',
    'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory', '----- Native stack trace -----', '',
    ' 1: 0x931db0  [/opt/node24/lib/node_modules/node/bin/node]', BANNER]);
  assert.deepEqual(rs.map((r) => r.line), [1, 5, 9]);
});

test('an untimed Python traceback ends at its exception line; a chained one stays in it', () => {
  const tb = ['Traceback (most recent call last):', '  File "/srv/app.py", line 23, in do_GET', '    body = total(order)', "KeyError: 'total'"];
  const rs = records([...tb, '', 'During handling of the above exception, another exception occurred:', '', ...tb, 'Serving on http://0.0.0.0:8000']);
  assert.deepEqual(rs.map((r) => r.line), [1, 12]);
  assert.equal(rs[0]?.producer, 'python');
  const stop = ['Traceback (most recent call last):', '  File "/tmp/ut/t.py", line 3, in <module>', '    total({})', '  File "/tmp/ut/t.py", line 2, in total',
    '    raise StopIteration', 'StopIteration', BANNER];
  assert.deepEqual(records(stop).map((r) => r.line), [1, 7], 'an exception whose name says neither Error nor Exception');
});

const formats = loadFormats();

test('detection: untimed output with a banner or a trace is app text; untimed lines with nothing of an app are not', () => {
  assert.equal(detectFormat(formats, LAB_LOG).format?.name, 'app-text');
  assert.equal(detectFormat(formats, [BANNER, 'GET / 200', 'GET /cart 200']).format?.name, 'app-text', 'a banner proves it');
  assert.equal(detectFormat(formats, CRASH).format?.name, 'app-text', 'a crash dump proves it');
  assert.equal(detectFormat(formats, ['GET / 200', 'GET /cart 200', 'order total undefined']).format, undefined, 'no proof: unknown');
});

test('detection: lines that carry a time further in are not untimed app output', () => {
  // AWS load-balancer lines (a time after the first field) beside connection-log lines that start with one.
  const lines = [
    'http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.000 0.001 0.000 200 200 34 366 "GET http://x/ HTTP/1.1"',
    'tls 2.0 2018-12-20T02:59:40 net/my-network-loadbalancer/c6e77e28c25b2234 g3d4b5e8bb8464cd 192.168.131.39:2817 10.0.0.1:80 5 2 98 246 -',
    'tls 2.0 2020-04-01T08:51:42 net/my-network-loadbalancer/c6e77e28c25b2234 g3d4b5e8bb8464cd 192.168.131.39:2817 10.0.0.1:80 5 2 98 246 -',
    '2024-10-04T17:05:15.514108Z 192.168.131.39 36280 443 TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256 4.036 "CN=amazondomains.com"',
  ];
  assert.notEqual(detectFormat(formats, lines).format?.name, 'app-text');
});

test('followed live (watch): a record with no time of its own takes its first line\'s arrival time', () => {
  const out: LogRecord[] = [];
  const a = new RecordAssembler(appText, 0, (r) => out.push(r));
  const t0 = Date.UTC(2026, 10, 27, 16, 0, 0);
  [BANNER, ...CRASH, '2026-11-27T16:00:09.000Z timed line'].forEach((l, i) => a.push(l, i + 1, t0 + i * 1000));
  a.finish();
  assert.deepEqual(out.map((r) => [r.line, r.time, r.timeMax, r.timed]), [
    [1, t0, t0, false], [2, t0 + 1000, t0 + 1000, false], [11, Date.UTC(2026, 10, 27, 16, 0, 9), Date.UTC(2026, 10, 27, 16, 0, 9), true],
  ]);
});
