// The error-log fast path (src/engine/error-digest.ts) must change no result: on the lab's recorded
// nginx error logs, the peers' test log, and generated outages (several causes and message shapes, a
// precursor cause past the store's list, mid-body failures, reload markers, records without a time,
// continuations, CRLF, more than one batch a second, plain and gzip, with and without a window), the
// whole analysis is the same as the line-by-line read's, and the fast path really took records in.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { digestStats } from '../src/engine/error-digest.ts';
import { parallelStats, parallelTuning } from '../src/engine/error-digest-parallel.ts';
import { runAnalysis, type AnalyzeOptions } from '../src/engine/run-analysis.ts';
import { CONFORMANCE_DIR } from './conformance-files.ts';
import { prng } from '../src/sources/kernel-lines.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PEER = join(CONFORMANCE_DIR, 'elastic-beats', 'filebeat__module__nginx__error__test__error.log');

const random = prng;

const MESSAGES = [
  'connect() failed (111: Connection refused) while connecting to upstream',
  'connect() failed (111: Connection refused) while connecting to upstream',
  'upstream timed out (110: Connection timed out) while reading response header from upstream',
  'recv() failed (104: Connection reset by peer) while reading response header from upstream',
  'upstream prematurely closed connection while reading response header from upstream',
  'upstream prematurely closed connection while reading upstream',
  'no live upstreams while connecting to upstream',
  'upstream sent too big header while reading response header from upstream',
  'connect() to unix:/run/php/php8.2-fpm.sock failed (2: No such file or directory) while connecting to upstream',
  'connect() to unix:/run/php/php8.2-fpm.sock failed (11: Resource temporarily unavailable) while connecting to upstream',
  'open() "/var/www/html/favicon.ico" failed (2: No such file or directory)',
];
const PATHS = ['/api/orders', '/api/orders/17?x=1', '/', '/static/app.js', '/api/cart', '/api/ümlaut', '/a b', '/login?next=/x'];
const UPSTREAMS = ['http://127.0.0.1:8080', 'http://10.0.0.7:3000', 'fastcgi://unix:/run/php/php8.2-fpm.sock:', 'http://backend'];

const two = (n: number): string => String(n).padStart(2, '0');

/** An outage error log: bursts of failures of several causes, with the odd line that must be read. */
function outage(seed: number, records: number): string {
  const rnd = random(seed);
  const lines: string[] = [];
  let sec = 0;
  for (let k = 0; k < records; k++) {
    // Bursts with quiet gaps (longer than --gap now and then), many records in some seconds.
    if (rnd() < 0.02) sec += rnd() < 0.3 ? 400 : 20;
    else if (rnd() < 0.3) sec++;
    const t = `2026/11/20 ${two(10 + Math.floor(sec / 3600))}:${two(Math.floor(sec / 60) % 60)}:${two(sec % 60)}`;
    const msg = MESSAGES[Math.floor(rnd() * (rnd() < 0.2 ? MESSAGES.length : 2))] ?? '';
    const path = PATHS[Math.floor(rnd() * PATHS.length)] ?? '/';
    const up = UPSTREAMS[Math.floor(rnd() * UPSTREAMS.length)] ?? '';
    const level = rnd() < 0.9 ? 'error' : 'warn';
    const tail = rnd() < 0.05 ? '' : `, client: 10.1.${k % 7}.${k % 250}, server: shop.example.com, request: "${rnd() < 0.5 ? 'GET' : 'POST'} ${path} HTTP/1.1"${rnd() < 0.9 ? `, upstream: "${up}${path}"` : ''}, host: "${rnd() < 0.8 ? 'shop.example.com' : 'api.example.com'}"${rnd() < 0.1 ? ', referrer: "https://x/"' : ''}`;
    let line = `${t} [${level}] 2213#2213: *${1000 + k} ${msg}${tail}`;
    const odd = rnd();
    if (odd < 0.01) line = `${t} [notice] 2213#2213: signal process started`;
    else if (odd < 0.015) line = `${t} [notice] 2213#2213: reconfiguring`;
    else if (odd < 0.02) line = `${line}\r`;
    else if (odd < 0.025) line = `${line}\n  a continuation of it`;
    else if (odd < 0.03) line = `2026/1x/20 10:00:00 [error] 2213#2213: *1 ${msg}`;
    else if (odd < 0.035) line = `${line}\n`;
    lines.push(line);
  }
  return lines.join('\n');
}

const base: AnalyzeOptions = {
  paths: [], forced: new Map(), extraFormats: [], changes: [], tz: undefined, since: undefined, until: undefined,
  gapMs: 120_000, triggerWindowMs: 30 * 60_000,
};

async function both(paths: string[], extra: Partial<AnalyzeOptions> = {}): Promise<void> {
  const slow = await runAnalysis({ ...base, ...extra, paths, fastPath: false });
  const before = digestStats.records;
  const fast = await runAnalysis({ ...base, ...extra, paths });
  const what = `${paths.join(', ')} ${JSON.stringify({ since: extra.since, until: extra.until })}`;
  assert.deepEqual(fast, slow, what);
  taken += digestStats.records - before;
  // In worker threads, a range per 64 KiB (the ranges' records counted in the workers, not here).
  // The workers claim pieces before this thread reads any (else a small file is read here alone).
  parallelTuning.workersFirst = true;
  try {
    const parallel = await runAnalysis({ ...base, ...extra, paths, fastPath: { errorWorkerBytes: 1 << 16 } });
    assert.deepEqual(parallel, slow, `${what} in workers`);
  } finally {
    parallelTuning.workersFirst = false;
  }
}

let taken = 0;

test('the error-log fast path gives the analysis of the line-by-line read', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-digest-'));
  try {
    const samples = ['nginx-composite', 'nginx-database-down', 'nginx-php-fatal'].map((d) => join(ROOT, 'samples', d, 'error.log'));
    for (const f of [...samples, PEER]) await both([f]);
    const sampleLines = samples.flatMap((f) => readFileSync(f, 'utf8').split('\n'));
    // Over 20 000 precursor records (upstream.refused), so the store's precursor list fills.
    const big = join(dir, 'outage.log');
    writeFileSync(big, [outage(1, 60_000), ...sampleLines, outage(2, 3000)].join('\n'));
    const small = join(dir, 'small.log');
    writeFileSync(small, outage(3, 4000));
    const gz = join(dir, 'small.log.gz');
    writeFileSync(gz, gzipSync(readFileSync(small)));
    await both([big]);
    await both([small]);
    await both([gz]);
    await both([small], { since: Date.UTC(2026, 10, 20, 10, 20), until: Date.UTC(2026, 10, 20, 11, 0) });
    await both([small], { tz: 'Europe/Berlin', gapMs: 30_000 });
    await both([small, samples[0] ?? '']);
    assert.ok(taken > 50_000, `records the fast path took in: ${taken}`);
    assert.ok(parallelStats.ranges >= 10, `pieces read in parts: ${parallelStats.ranges}`);
    // The pieces are shared: the worker claims some, this thread reads the others.
    assert.ok(parallelStats.inWorkers > 0 && parallelStats.inWorkers < parallelStats.ranges, `pieces in workers: ${parallelStats.inWorkers} of ${parallelStats.ranges}`);
    // Their workers were started at the plan (startEarly) and taken over by the reads.
    assert.ok(parallelStats.early > 0, `reads that took over early workers: ${parallelStats.early}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a range cut just before a continuation line: the line before it is read as text, as in one pass', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-digest-edge-'));
  try {
    const rec = (k: number, msg = MESSAGES[2] ?? ''): string => `2026/11/20 10:00:${two(k % 60)} [error] 7#7: *${k} ${msg}, client: 10.0.0.${k % 200}, server: s, request: "GET /p${k % 5} HTTP/1.1", upstream: "http://127.0.0.1:8080/p", host: "h"`;
    const a = `${Array.from({ length: 300 }, (_, k) => rec(k)).join('\n')}\n`;
    const c = '  a continuation of the record before it, with upstream timed out (110: Connection timed out) while reading response header from upstream\n';
    // The rest a little shorter than the first part: half the size falls inside the first part's last line.
    const target = a.length - c.length - 10;
    let b = '';
    for (let k = 300; b.length + 400 < target; k++) b += `${rec(k)}\n`;
    const pad = '2026/11/20 10:09:59 [notice] 7#7: padding ';
    b += `${pad}${'x'.repeat(target - b.length - pad.length - 1)}\n`;
    const file = join(dir, 'edge.log');
    writeFileSync(file, a + c + b);
    assert.equal(a.length + c.length + b.length, 2 * a.length - 10, 'the cut falls on the continuation');
    const slow = await runAnalysis({ ...base, paths: [file], fastPath: false });
    const before = parallelStats.ranges;
    const parallel = await runAnalysis({ ...base, paths: [file], fastPath: { errorWorkerBytes: 1 << 10 } });
    // Pieces of a quarter of 1 KiB dealt in turn; one of them starts at half the size, on the continuation.
    assert.ok(parallelStats.ranges - before >= 8, `pieces: ${parallelStats.ranges - before}`);
    assert.deepEqual(parallel, slow);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('records naming no request (stream/mail proxy) and causes below 500 keep the correlator\'s set-aside rules on the fast path', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-digest-aside-'));
  try {
    const t = (k: number): string => `2026/11/20 10:${two(Math.floor(k / 60))}:${two(k % 60)}`;
    // Recorded from nginx's stream module in test/false-alarms.test.ts (no request: no visitor got a status).
    const stream = (k: number): string => `${t(k)} [error] 2807#2807: *${k} connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: 127.0.0.1:18993, upstream: "127.0.0.1:18994", bytes from/to client:0/0, bytes from/to upstream:0/0`;
    // PHP-FPM's "Primary script unknown" answers 404: counted, never a 5xx incident alone.
    const php = (k: number): string => `${t(k)} [error] 2807#2807: *${k} FastCGI sent in stderr: "Primary script unknown" while reading response header from upstream, client: 127.0.0.1, server: lab.test, request: "GET /nope.php HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "lab.test"`;
    for (const [name, line] of [['stream', stream], ['php', php]] as const) {
      const file = join(dir, `${name}.log`);
      writeFileSync(file, `${Array.from({ length: 200 }, (_, k) => line(k)).join('\n')}\n`);
      await both([file]);
      const fast = await runAnalysis({ ...base, paths: [file] });
      assert.ok(fast.ok);
      if (fast.ok) assert.equal(fast.analysis.incidents.length, 0, `${name}: no HTTP incident`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a message first seen on a record naming no request is still classified for the next record that names one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-digest-memo-'));
  try {
    const t = (k: number): string => `2026/11/20 10:${two(Math.floor(k / 60) % 60)}:${two(k % 60)}`;
    const tail = (k: number): string => `, client: 10.0.0.${k % 200}, server: s, request: "GET /p${k % 3} HTTP/1.1", upstream: "http://127.0.0.1:8080/p", host: "h"`;
    // The WebAssembly head reader (error-head-kernel.ts) says "same message as the last record"; the
    // record before had no request, so the digest never looked that message up: it must not reuse the one before.
    // Runs of one message, then a record without a request of the next run's message, then that run.
    const lines = Array.from({ length: 1200 }, (_, k) => {
      const msg = MESSAGES[Math.floor(k / 100) % 2 === 0 ? 0 : 2] ?? '';
      if (k % 100 === 0) return `${t(k)} [error] 7#7: *${k} ${msg}, client: 10.0.0.1, server: 127.0.0.1:9000, upstream: "127.0.0.1:9001"`;
      return `${t(k)} [error] 7#7: *${k} ${msg}${tail(k)}`;
    });
    const file = join(dir, 'memo.log');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const before = digestStats.records;
    await both([file]);
    assert.ok(digestStats.records - before > 1000, `taken: ${digestStats.records - before}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
