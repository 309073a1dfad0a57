// `fivexx watch --hash-password` turns a password on stdin into a hash the config accepts and login verifies.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { verifyPassword } from '../../src/web/auth.ts';
import { parseWatchConfig } from '../../src/watch/config.ts';

const bin = fileURLToPath(new URL('../../src/cli/bin.ts', import.meta.url));

test('--hash-password prints an scrypt hash of the first stdin line; a short one is a usage error', async () => {
  const r = spawnSync(process.execPath, [bin, 'watch', '--hash-password'], { input: 'a long passphrase\n', encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 0, r.stderr);
  const hash = r.stdout.trim();
  assert.equal(await verifyPassword('a long passphrase', hash), true);
  assert.equal(parseWatchConfig(`users:\n  - name: ops\n    passwordHash: "${hash}"\n`).users[0]?.name, 'ops');
  const short = spawnSync(process.execPath, [bin, 'watch', '--hash-password'], { input: 'short\n', encoding: 'utf8', timeout: 30_000 });
  assert.equal(short.status, 2);
  assert.match(short.stderr, /^fivexx: FIVEXX_USAGE: watch --hash-password: give a password of 8 to 1000 characters on stdin\n$/);
  assert.throws(() => parseWatchConfig('users:\n  - name: ops\n    passwordHash: hunter2\n'), /passwordHash/);
});
