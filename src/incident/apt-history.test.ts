import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { collectAptHistory, parseAptHistory } from './apt-history.ts';

const HISTORY = `
Start-Date: 2026-11-19  09:00:00
Commandline: apt-get install -y jq
Install: jq:amd64 (1.6-2.1), libjq1:amd64 (1.6-2.1, automatic)
End-Date: 2026-11-19  09:00:03

Start-Date: 2026-11-20  13:55:10
Commandline: apt-get upgrade -y
Requested-By: ops (1000)
Upgrade: php8.2-fpm:amd64 (8.2.7-1, 8.2.26-1), libssl3:amd64 (3.0.11-1~deb12u1, 3.0.15-1~deb12u1)
Remove: php8.2-opcache:amd64 (8.2.7-1)
End-Date: 2026-11-20  13:55:40
`;

test('history.log: each action with the packages and versions before and after', () => {
  const e = parseAptHistory(HISTORY);
  assert.equal(e.length, 3);
  const up = e.find((x) => x.action === 'Upgrade');
  assert.equal(up?.commandline, 'apt-get upgrade -y');
  assert.deepEqual(up?.packages, [{ name: 'php8.2-fpm', from: '8.2.7-1', to: '8.2.26-1' }, { name: 'libssl3', from: '3.0.11-1~deb12u1', to: '3.0.15-1~deb12u1' }]);
  assert.deepEqual(e.find((x) => x.action === 'Install')?.packages, [{ name: 'jq', from: null, to: '1.6-2.1' }, { name: 'libjq1', from: null, to: '1.6-2.1' }]);
  assert.deepEqual(e.find((x) => x.action === 'Remove')?.packages, [{ name: 'php8.2-opcache', from: '8.2.7-1', to: null }]);
});

test('only entries in the window; a missing file is said, not an error', async () => {
  const root = mkdtempSync(join(tmpdir(), 'fivexx-apt-'));
  mkdirSync(join(root, 'apt'));
  writeFileSync(join(root, 'apt', 'history.log'), HISTORY);
  const onset = new Date('2026-11-20T14:00:00').getTime();
  const r = await collectAptHistory(root, onset - 3_600_000, onset);
  assert.deepEqual(r.found.map((x) => x.action), ['Upgrade', 'Remove']);
  const none = await collectAptHistory(join(root, 'nope'), 0, onset);
  assert.deepEqual(none.unavailable, []);
  assert.match(none.looked[0] ?? '', /not present/);
});
