// `fivexx watch --db`: a database that does not answer is a coded error whose message never holds the
// URL's password; a URL of another kind is refused before anything starts.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { main } from '../../src/cli/main.ts';
import { freePort } from '../lab/ports.ts';

async function run(argv: string[]): Promise<{ code: number; err: string; warn: string }> {
  let err = '';
  let warn = '';
  const code = await main(argv, { out: () => undefined, warn: (s) => void (warn += s), fail: (c, m) => ((err += `${c}: ${m}`), 2), color: false });
  return { code, err, warn };
}

test('watch --db: unreachable PostgreSQL is FIVEXX_DB_UNAVAILABLE with the password hidden; mysql:// is refused', { timeout: 30_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-db-cli-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'w.yaml'), 'targets: []\n');
  const port = await freePort();
  const down = await run(['watch', '--config', join(dir, 'w.yaml'), '--port', '0', '--db', `postgres://fivexx:hunter2-secret@127.0.0.1:${port}/fivexx`]);
  assert.equal(down.code, 2);
  assert.match(down.err, new RegExp(`^FIVEXX_DB_UNAVAILABLE: watch: postgres://fivexx:[^@]*@127\\.0\\.0\\.1:${port}/fivexx: `));
  assert.doesNotMatch(down.err + down.warn, /hunter2/);
  const other = await run(['watch', '--config', join(dir, 'w.yaml'), '--db', 'mysql://root:hunter2-secret@127.0.0.1/x']);
  assert.equal(other.code, 2);
  assert.match(other.err, /^FIVEXX_OPTION_INVALID: watch: --db mysql:\/\/root:[^@]*@127\.0\.0\.1\/x: give a postgres:\/\//);
  assert.doesNotMatch(other.err, /hunter2/);
});
