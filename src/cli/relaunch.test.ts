// A big analyze is relaunched with a small young generation, nginx error logs alone are not (relaunch.ts):
// decided from the inputs' sizes and first bytes, never from an option's value.
import assert from 'node:assert/strict';
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { relaunchFlag, SEMI_SPACE_FLAG } from './relaunch.ts';

/** A sparse file of `size` bytes starting with `line` (no disk space taken). */
function sparse(path: string, line: string, size: number): string {
  const fd = openSync(path, 'w');
  writeSync(fd, `${line}\n`);
  ftruncateSync(fd, size);
  closeSync(fd);
  return path;
}

test('the relaunch flag: none for small inputs, other commands or nginx error logs alone, else 2 MB', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-relaunch-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const big = 300 << 20;
  const error = sparse(join(dir, 'error.log'), '2026/11/20 10:00:00 [error] 1#1: *1 connect() failed (111: Connection refused)', big);
  const error2 = sparse(join(dir, 'error2.log'), '2026/11/20 10:00:00 [error] 1#1: *1 upstream timed out', 1000);
  const access = sparse(join(dir, 'access.log'), '10.0.0.1 - - [20/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 502 0 "-" "x"', big);
  const small = sparse(join(dir, 'small.log'), '2026/11/20 10:00:00 [error] 1#1: *1 x', 1000);
  assert.equal(relaunchFlag(['analyze', small]), undefined);
  assert.equal(relaunchFlag(['diagnose', error]), undefined);
  assert.equal(relaunchFlag(['analyze', error]), undefined);
  assert.equal(relaunchFlag(['analyze', '--gap', '5m', error, error2]), undefined);
  assert.equal(relaunchFlag(['analyze', access]), SEMI_SPACE_FLAG);
  assert.equal(relaunchFlag(['analyze', error, access]), SEMI_SPACE_FLAG);
});
