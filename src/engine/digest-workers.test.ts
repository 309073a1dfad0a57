// Error-log workers started early (digest-workers.ts): started only for inputs that look like big nginx
// error logs and no access log, never blocked by a FIFO, taken by the parallel read (which then reads
// with them: the same analysis), and ended when no read took them; workers started on a file at the
// plan (error-digest-parallel.ts startEarly) ended with their descriptor when no read takes them over.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { dropWarm, takeWarm, warmCount, warmFor } from './digest-workers.ts';
import { endEarly, parallelStats, parallelTuning, startEarly } from './error-digest-parallel.ts';
import { runAnalysis } from './run-analysis.ts';

const ERROR = (k: number): string => `2026/11/20 10:00:${String(k % 60).padStart(2, '0')} [error] 1#1: *${k} connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.1, server: s, request: "GET /a${k % 5} HTTP/1.1", upstream: "http://127.0.0.1:8080/a", host: "s"`;
const ACCESS = '10.0.0.1 - - [20/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 502 0 "-" "curl"';

test('workers are warmed for big nginx error logs only, and ended when not taken', { skip: availableParallelism() < 2 && 'one core: no error-log workers' }, (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-warm-'));
  t.after(() => {
    dropWarm();
    rmSync(dir, { recursive: true, force: true });
  });
  const error = join(dir, 'error.log');
  const access = join(dir, 'access.log');
  const fifo = join(dir, 'fifo');
  writeFileSync(error, Array.from({ length: 100 }, (_, k) => ERROR(k)).join('\n') + '\n');
  writeFileSync(access, `${ACCESS}\n`);
  execFileSync('mkfifo', [fifo]);
  warmFor([error], 1 << 20);
  assert.equal(warmCount(), 0, 'too small to be read in parts');
  warmFor(['--since', '10:00', error, access], 1000);
  assert.equal(warmCount(), 0, 'an access log too: no error-log workers');
  warmFor(['--gap', '5m', fifo, join(dir, 'missing'), dir, error], 1000);
  assert.equal(warmCount(), 1, 'a FIFO, a missing path and a folder passed over');
  dropWarm();
  assert.equal(warmCount(), 0);
  assert.equal(takeWarm(), undefined);
});

test('a warm worker is taken by the parallel read: the same analysis as without one', { skip: availableParallelism() < 2 && 'one core: no error-log workers' }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-warm-'));
  t.after(() => {
    dropWarm();
    rmSync(dir, { recursive: true, force: true });
  });
  const error = join(dir, 'error.log');
  writeFileSync(error, Array.from({ length: 20_000 }, (_, k) => ERROR(k)).join('\n') + '\n');
  const opts = {
    paths: [error], forced: new Map(), extraFormats: [], changes: [], tz: undefined, since: undefined, until: undefined,
    gapMs: 120_000, triggerWindowMs: 30 * 60_000, fastPath: { errorWorkerBytes: 1 << 16 },
  };
  const cold = await runAnalysis(opts);
  warmFor([error], 1 << 16);
  assert.equal(warmCount(), 1);
  // Ready before the read starts (as when started with the command).
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const before = parallelStats.inWorkers;
  parallelTuning.workersFirst = true;
  const warmRun = await runAnalysis(opts).finally(() => (parallelTuning.workersFirst = false));
  assert.equal(warmCount(), 0, 'the read took the warm worker');
  assert.ok(parallelStats.inWorkers > before, 'pieces were read in the worker');
  assert.deepEqual(warmRun, cold);
});

test('workers started early for a file are ended, and its descriptor closed, when no read takes them over', { skip: availableParallelism() < 2 && 'one core: no error-log workers' }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-early-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const error = join(dir, 'error.log');
  writeFileSync(error, Array.from({ length: 5000 }, (_, k) => ERROR(k)).join('\n') + '\n');
  const setup = { tz: undefined, offsetMinutes: 0, since: NaN, until: NaN };
  assert.equal(startEarly(join(dir, 'missing.log'), Buffer.alloc(0), setup, 1 << 20, 1 << 16), undefined);
  assert.equal(startEarly(dir, Buffer.alloc(0), setup, 1 << 20, 1 << 16), undefined, 'a folder');
  assert.equal(startEarly(error, Buffer.alloc(0), setup, 1 << 20, 1 << 30), undefined, 'too small for parts');
  const e = startEarly(error, Buffer.alloc(0), setup, 1 << 20, 1 << 16);
  assert.ok(e && e.parts.length > 0 && e.cut.length > 2);
  const fdPath = `/proc/self/fd/${e.fd}`;
  assert.equal(readlinkSync(fdPath), error);
  const exits = e.parts.map((p) => new Promise((resolve) => p.worker.once('exit', resolve)));
  endEarly(e);
  // Closed: the number is gone, or already reused for another file (a worker loads modules meanwhile).
  assert.notEqual(existsSync(fdPath) ? readlinkSync(fdPath) : '', error);
  await Promise.all(exits);
  endEarly(e);
});
