import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { collectServerProcesses } from './server-processes.ts';

test('server processes by name with their open files and limit; other processes ignored', async () => {
  const proc = mkdtempSync(join(tmpdir(), 'fivexx-pids-'));
  const pid = (n: number, comm: string, fds: number, limit?: number): void => {
    mkdirSync(join(proc, String(n), 'fd'), { recursive: true });
    writeFileSync(join(proc, String(n), 'comm'), `${comm}\n`);
    for (let i = 0; i < fds; i++) writeFileSync(join(proc, String(n), 'fd', String(i)), '');
    if (limit) writeFileSync(join(proc, String(n), 'limits'), `Limit                     Soft Limit           Hard Limit           Units\nMax open files            ${limit}                 524288               files\n`);
  };
  pid(10, 'nginx', 3, 1024);
  pid(11, 'nginx', 7, 1024);
  pid(12, 'bash', 9);
  pid(13, 'php-fpm8.2', 2);
  writeFileSync(join(proc, 'uptime'), '1 1');
  const r = await collectServerProcesses(proc);
  assert.deepEqual(r.found, [
    { name: 'nginx', pids: [10, 11], maxOpenFiles: 7, limit: 1024 },
    { name: 'php-fpm8.2', pids: [13], maxOpenFiles: 2, limit: null },
  ]);
  assert.deepEqual(r.unavailable, []);
  const none = await collectServerProcesses(join(proc, 'nope'));
  assert.deepEqual(none.unavailable[0]?.reason, 'not present');
});
