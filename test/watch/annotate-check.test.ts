// The request-ID join's store write: a followed log line added to a check's evidence, in SQLite and in a
// real PostgreSQL server the test starts (skipped where PostgreSQL is not installed), at most 5 kept.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openPostgresStore } from '../../src/watch/store/postgres-store.ts';
import { openSqliteStore } from '../../src/watch/store/sqlite-store.ts';
import type { Store } from '../../src/watch/store/types.ts';
import { pgForFile } from './pg-server.ts';

const pgs = pgForFile();
const skip = pgs.skip;

async function checkAnnotations(s: Store): Promise<void> {
  const id = await s.addCheck({ target: 'shop', at: 1000, ok: false, state: 'down', status: 502, ms: 3, code: null, evidence: { requestId: 'r-1', body: 'Bad Gateway' } });
  for (let k = 1; k <= 7; k++) await s.annotateCheck(id, { source: 'syslog:h/nginx_access', line: k, text: `rid="r-1" ${k}` });
  await s.annotateCheck(id + 1000, { source: 'x', line: 1, text: 'no such check' });
  const [c] = await s.checks('shop', 0);
  assert.equal(c?.evidence.body, 'Bad Gateway');
  assert.equal(c?.evidence.requestId, 'r-1');
  assert.deepEqual(c?.evidence.logLines?.map((l) => l.line), [1, 2, 3, 4, 5]);
}

test('SQLite: a log line joined by request ID is kept in the check\'s evidence', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-annotate-'));
  const s = openSqliteStore(join(dir, 'data'));
  t.after(async () => {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  });
  await checkAnnotations(s);
});

test('PostgreSQL: the same', { skip, timeout: 60_000 }, async (t) => {
  const s = await openPostgresStore(await pgs.db('annotate'));
  t.after(() => s.close());
  await checkAnnotations(s);
});
