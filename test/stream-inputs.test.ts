// Pipes and devices: a process substitution (/dev/fd/N), a FIFO with a writer and stdin are read once,
// as streams, with the limits of stdin; a device is refused; an endless line stops the read.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Analysis } from '../src/events/analysis.ts';

const BIN = fileURLToPath(new URL('../src/cli/bin.ts', import.meta.url));
const ACCESS = fileURLToPath(new URL('../samples/nginx-database-down/access.log', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'fivexx-streams-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs a bash command line where $CLI is the command; a hang fails (time limit). */
function sh(line: string, timeout = 60_000): { status: number | null; stdout: string; stderr: string; ms: number } {
  const t0 = Date.now();
  const r = spawnSync('bash', ['-c', line.replaceAll('$CLI', `'${process.execPath}' '${BIN}'`)], { encoding: 'utf8', timeout });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
}

function lines(stdout: string): number {
  return (JSON.parse(stdout) as Analysis).sources.reduce((n, s) => n + s.lines, 0);
}

test('a process substitution (/dev/fd/N, a pipe) is read as a stream: no ESPIPE', () => {
  const r = sh(`$CLI analyze --json <(cat '${ACCESS}')`);
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.stderr, '');
  assert.equal(lines(r.stdout), 22);
});

test('a FIFO with a writer is opened once and read in full, without hanging', () => {
  const fifo = join(tmp, 'fifo');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  const writer = spawn('bash', ['-c', `cat '${ACCESS}' > '${fifo}'`], { stdio: 'ignore' });
  const r = sh(`$CLI analyze --json '${fifo}' '${ACCESS}'`, 30_000);
  writer.kill();
  assert.equal(r.status, 1, `exit ${r.status} (null: it hung) ${r.stderr}`);
  const a = JSON.parse(r.stdout) as Analysis;
  assert.deepEqual(a.sources.map((s) => [s.path, s.lines]), [[fifo, 22], [ACCESS, 22]]);
});

test('a character device is refused with one coded line', () => {
  const r = sh(`$CLI analyze /dev/zero`, 30_000);
  assert.equal(r.status, 2);
  assert.equal(r.stderr, 'fivexx: FIVEXX_PATH_DEVICE: analyze: /dev/zero: a character device, not a log: refused\n');
});

test('an endless line through a pipe (cat /dev/zero) stops with one coded line, soon', () => {
  const r = sh(`cat /dev/zero | $CLI analyze -`, 60_000);
  assert.equal(r.status, 2, `exit ${r.status} (null: it ran on)`);
  assert.equal(r.stderr, 'fivexx: FIVEXX_LINE_TOO_LONG: analyze: -: a line of more than 64 MiB without a newline: not a text log, reading stopped there\n');
});

test('a gzip through stdin is decompressed like a .gz file', () => {
  const r = sh(`gzip -c '${ACCESS}' | $CLI analyze --json -`);
  assert.equal(r.status, 1, r.stderr);
  assert.equal(lines(r.stdout), 22);
});
