import assert from 'node:assert/strict';
import { chmodSync, chownSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { lookupAccount, socketDenied } from './users.ts';

test('accounts by name and #uid, with their groups', () => {
  const etc = mkdtempSync(join(tmpdir(), 'fivexx-etc-'));
  writeFileSync(join(etc, 'passwd'), 'root:x:0:0::/root:/bin/sh\nwww-data:x:33:33::/var/www:/usr/sbin/nologin\n');
  writeFileSync(join(etc, 'group'), 'www-data:x:33:\nsock:x:500:www-data,other\n');
  assert.deepEqual(lookupAccount('www-data', etc), { name: 'www-data', uid: 33, gids: [33, 500] });
  assert.equal(lookupAccount('#0', etc)?.name, 'root');
  assert.equal(lookupAccount('ghost', etc), undefined);
});

test('mode and owner bits decide, folders need search permission', (t) => {
  if (process.getuid?.() !== 0) return t.skip('needs root to chown test files');
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-sock-'));
  chmodSync(dir, 0o755);
  const f = join(dir, 'app.sock');
  writeFileSync(f, '');
  chownSync(f, 0, 0);
  chmodSync(f, 0o600);
  const worker = { name: 'www-data', uid: 33, gids: [33] };
  assert.match(socketDenied(f, worker) ?? '', /mode 0600, owner uid 0 gid 0: www-data may not write/);
  chownSync(f, 0, 33);
  chmodSync(f, 0o660);
  assert.equal(socketDenied(f, worker), undefined);
  chmodSync(dir, 0o700);
  assert.match(socketDenied(f, worker) ?? '', /may not enter/);
  assert.equal(socketDenied(f, { name: 'root', uid: 0, gids: [0] }), undefined);
});
