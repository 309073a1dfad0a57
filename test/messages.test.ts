// One line per problem on stderr, coded; the same problem said the same way whatever else is given;
// a --since/--until window that holds no line is an error, not an all-clear.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Analysis } from '../src/events/analysis.ts';

const BIN = fileURLToPath(new URL('../src/cli/bin.ts', import.meta.url));
const ACCESS = fileURLToPath(new URL('../samples/nginx-database-down/access.log', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'fivexx-messages-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, 'analyze', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('a file of one 50 MB line: "no known format", one line, not "over-long line(s) skipped"', () => {
  const path = join(tmp, 'one-line.log');
  writeFileSync(path, 'x'.repeat(50 << 20) + '\n');
  const r = cli(path);
  assert.equal(r.status, 2);
  assert.equal(r.stderr, `fivexx: FIVEXX_FORMAT_UNKNOWN: analyze: ${path}: no known log format reads its first lines (1 line(s), all over 1 MiB and skipped)\n`);
});

test('an empty log is FIVEXX_EMPTY alone and beside a good log; a missing file is said once', () => {
  const empty = join(tmp, 'empty.log');
  writeFileSync(empty, '');
  const alone = cli(empty);
  assert.equal(alone.status, 2);
  assert.equal(alone.stderr, `fivexx: FIVEXX_EMPTY: analyze: ${empty}: empty: 0 lines\n`);
  const beside = cli('--json', empty, ACCESS);
  assert.equal(beside.status, 1);
  assert.equal(beside.stderr, `fivexx: warning: FIVEXX_EMPTY: ${empty}: empty: 0 lines\n`);
  const a = JSON.parse(beside.stdout) as Analysis;
  assert.deepEqual(a.sources.find((s) => s.path === empty)?.warnings, ['FIVEXX_EMPTY: empty: 0 lines']);

  const missing = join(tmp, 'nope.log');
  const gone = cli(missing);
  assert.equal(gone.status, 2);
  assert.equal(gone.stderr, `fivexx: FIVEXX_PATH_NOT_FOUND: analyze: ${missing}: no such file (it may have vanished after it was listed)\n`);
  const two = cli(missing, empty);
  assert.equal(two.status, 2);
  assert.deepEqual(two.stderr.trimEnd().split('\n'), [
    `fivexx: warning: FIVEXX_PATH_NOT_FOUND: ${missing}: no such file (it may have vanished after it was listed)`,
    `fivexx: warning: FIVEXX_EMPTY: ${empty}: empty: 0 lines`,
    'fivexx: FIVEXX_NOTHING_READABLE: analyze: none of the 2 inputs holds a readable line (2 problem(s) above)',
  ]);
});

test('an unknown option is one clean FIVEXX_USAGE line', () => {
  const r = cli('--bogus', ACCESS);
  assert.equal(r.status, 2);
  assert.equal(r.stderr, 'fivexx: FIVEXX_USAGE: analyze: unknown option --bogus (see fivexx analyze --help)\n');
});

test('--since on older logs: the window held 0 of N lines, exit 2, no "No server errors found"', () => {
  for (const flags of [['--since', '2h'], ['--until', '2020-01-01T00:00:00Z']]) {
    const r = cli(...flags, ACCESS);
    assert.equal(r.status, 2, flags.join(' '));
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^fivexx: FIVEXX_WINDOW_EMPTY: analyze: the window .* holds 0 of the 22 access line\(s\) read: nothing to diagnose there/);
    assert.equal(r.stderr.split('\n').length, 2, 'one line');
  }
  // A window that holds the lines is read as before.
  const inside = cli('--json', '--since', '2026-11-22T20:00:00Z', ACCESS);
  assert.equal(inside.status, 1);
  // An error log alone: its records' times tell.
  const app = fileURLToPath(new URL('../samples/nginx-database-down/app.log', import.meta.url));
  const records = cli('--since', '1h', app);
  assert.equal(records.status, 2);
  assert.match(records.stderr, /FIVEXX_WINDOW_EMPTY: analyze: the window .* holds 0 of the 11 line\(s\) read/);
});
