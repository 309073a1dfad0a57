import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { collectDiskSpace } from './disk-space.ts';
import { collectResources } from './host-resources.ts';

test('load, memory, swap and file handles from a /proc root', async () => {
  const proc = mkdtempSync(join(tmpdir(), 'fivexx-proc-'));
  mkdirSync(join(proc, 'sys', 'fs'), { recursive: true });
  writeFileSync(join(proc, 'loadavg'), '7.50 3.20 1.10 3/412 9999\n');
  writeFileSync(join(proc, 'cpuinfo'), 'processor\t: 0\nmodel name\t: x\n\nprocessor\t: 1\n');
  writeFileSync(join(proc, 'meminfo'), 'MemTotal:        4000000 kB\nMemFree:          100000 kB\nMemAvailable:     200000 kB\nSwapTotal:       1000000 kB\nSwapFree:         250000 kB\n');
  writeFileSync(join(proc, 'sys', 'fs', 'file-nr'), '9000\t0\t10000\n');
  const r = await collectResources(proc);
  assert.deepEqual(r.found.load, { one: 7.5, five: 3.2, fifteen: 1.1, cpus: 2 });
  assert.deepEqual(r.found.memory, { total: 4_096_000_000, available: 204_800_000, usedShare: 0.95 });
  assert.deepEqual(r.found.swap, { total: 1_024_000_000, free: 256_000_000, usedShare: 0.75 });
  assert.deepEqual(r.found.fileHandles, { used: 9000, max: 10000 });
  assert.deepEqual(r.unavailable, []);
});

test('a /proc root with nothing in it: each file said unavailable, values null; the real /proc reads', async () => {
  const r = await collectResources(mkdtempSync(join(tmpdir(), 'fivexx-noproc-')));
  assert.equal(r.unavailable.length, 4);
  assert.ok(r.unavailable.every((u) => u.reason === 'not present'));
  assert.equal(r.found.memory, null);
  if (existsSync('/proc/meminfo')) assert.ok(((await collectResources('/proc')).found.memory?.total ?? 0) > 0);
});

test('disk space and inodes, one entry per filesystem; a missing path is said', async () => {
  const d = mkdtempSync(join(tmpdir(), 'fivexx-df-'));
  const r = await collectDiskSpace([d, join(d, '.'), join(d, 'nope')]);
  assert.equal(r.found.length, 1);
  assert.ok((r.found[0]?.bytes.total ?? 0) > 0);
  assert.deepEqual(r.unavailable, [{ what: `disk space of ${join(d, 'nope')}`, reason: 'not present' }]);
});
