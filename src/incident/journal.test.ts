import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { collectJournal } from './journal.ts';
import { REAL_HOST } from './types.ts';

function fakeBin(script: string): string {
  const bin = mkdtempSync(join(tmpdir(), 'fivexx-bin-'));
  writeFileSync(join(bin, 'journalctl'), `#!/bin/sh\n${script}\n`);
  chmodSync(join(bin, 'journalctl'), 0o755);
  return bin;
}

function rootsWithJournal(bin: string): typeof REAL_HOST {
  const varLog = mkdtempSync(join(tmpdir(), 'fivexx-jvar-'));
  mkdirSync(join(varLog, 'journal', 'abc'), { recursive: true });
  return { ...REAL_HOST, varLog, run: join(varLog, 'run'), bin: [bin] };
}

test('journalctl: lines in the window, its arguments bounded (--since, --until, -n), a permission hint said', async () => {
  const bin = fakeBin('echo "$@" > "$(dirname "$0")/args"; echo "2026-11-20T14:02:01+0000 vm kernel: Out of memory: Killed process 311 (node)"; echo "Hint: You are currently not seeing messages from other users and the system." >&2');
  const r = await collectJournal(rootsWithJournal(bin), Date.parse('2026-11-20T13:52:00Z'), Date.parse('2026-11-20T14:12:00Z'));
  assert.deepEqual(r.found?.lines, ['2026-11-20T14:02:01+0000 vm kernel: Out of memory: Killed process 311 (node)']);
  assert.match(r.looked[0] ?? '', /--since @1795182720 --until @1795183920 -n 200/);
  assert.match(r.unavailable[0]?.reason ?? '', /permission denied/);
});

test('no journalctl, no journal files, a hung journalctl: each said in unavailable', async () => {
  const none = await collectJournal({ ...REAL_HOST, bin: ['/nonexistent'] }, 0, 1);
  assert.match(none.unavailable[0]?.reason ?? '', /not installed/);
  const bin = fakeBin('sleep 5');
  const empty = await collectJournal({ ...REAL_HOST, varLog: '/nonexistent', run: '/nonexistent', bin: [bin] }, 0, 1);
  assert.match(empty.unavailable[0]?.reason ?? '', /no journal files/);
  const hung = await collectJournal(rootsWithJournal(bin), 0, 1, 200);
  assert.match(hung.unavailable[0]?.reason ?? '', /timed out/);
});
