// The PostgreSQL store against a real server the test starts: the same rows as SQLite, the same tables and
// columns, leases that never give one target to two instances, and kill -9 (of a writer, of the server).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { MIGRATIONS } from '../../src/watch/store/migrations.ts';
import { openPostgresStore } from '../../src/watch/store/postgres-store.ts';
import { openSqliteStore } from '../../src/watch/store/sqlite-store.ts';
import { pgForFile } from './pg-server.ts';

const pgs = pgForFile();
const skip = pgs.skip;
const freshDb = (): Promise<string> => pgs.db('t');

test('rows round-trip as in SQLite; one open incident per target; migrations run once', { skip }, async () => {
  const url = await freshDb();
  let s = await openPostgresStore(url);
  await s.addCheck({ target: 'shop', at: 1000, ok: false, state: 'down', status: 502, ms: 3.5, code: null, evidence: { headers: { server: 'nginx' }, body: 'Bad Gateway' } }, 'i1');
  const id = await s.openIncident({ target: 'shop', cause: 'upstream.refused', layer: 'upstream', openedAt: 1000, updatedAt: 1000, data: { statuses: { 502: 1 } } });
  await s.acknowledge(id, { at: 2000, author: 'ops', text: 'looking' });
  await s.addNote(id, { at: 2100, author: 'ops', text: 'restarted' });
  await s.updateIncident(id, { cause: 'app.crash', layer: 'app', updatedAt: 3000 });
  await s.addChange({ at: 900, kind: 'deploy', ref: 'abc123', service: 'shop', source: 'api' });
  await s.savePosition({ path: '/var/log/x', dev: 1, ino: 2 ** 40, offset: 300, line: 7, updatedAt: 5 });
  await s.savePosition({ path: '/var/log/x', dev: 1, ino: 2 ** 40, offset: 400, line: 9, updatedAt: 6 });
  await s.recordAlert({ incidentId: id, event: 'opened', channel: 'hook', at: 1001, ok: true, error: null });
  await s.close();
  s = await openPostgresStore(url);
  const inc = await s.incident(id);
  assert.equal(inc?.cause, 'app.crash');
  assert.equal(inc?.layer, 'app');
  assert.equal(inc?.acked, true);
  assert.deepEqual(inc?.notes.map((n) => n.text), ['looking', 'restarted']);
  assert.deepEqual(inc?.data, { statuses: { 502: 1 } });
  assert.deepEqual(await s.tryOpenIncident({ target: 'shop', cause: 'x', layer: 'app', openedAt: 3500, updatedAt: 3500, data: {} }), { id, created: false });
  assert.deepEqual(await s.alertsFor(id), [{ event: 'opened', channel: 'hook', ok: true }]);
  assert.equal(await s.resolveIncident(id, 4000), true);
  assert.equal(await s.resolveIncident(id, 4001), false);
  assert.equal((await s.incidents('open')).length, 0);
  assert.equal((await s.incidents('resolved'))[0]?.resolvedAt, 4000);
  assert.equal((await s.latestIncidentFor('shop'))?.id, id);
  assert.equal((await s.lastCheck('shop'))?.evidence.body, 'Bad Gateway');
  assert.deepEqual(await s.lastStates(0), [{ target: 'shop', state: 'down' }]);
  assert.equal((await s.changes(0, 1000))[0]?.ref, 'abc123');
  assert.deepEqual(await s.position('/var/log/x'), { path: '/var/log/x', dev: 1, ino: 2 ** 40, offset: 400, line: 9, updatedAt: 6 });
  await s.savePosition({ path: 'journald@app', dev: 0, ino: 0, offset: 0, line: 2, updatedAt: 7, cursor: 's=ab;i=8' });
  assert.equal((await s.position('journald@app'))?.cursor, 's=ab;i=8');
  assert.equal(Number((await s.pool.query<{ n: string }>('SELECT count(*) AS n FROM schema_version')).rows[0]?.n), MIGRATIONS.length);
  assert.equal(await s.prune(5000), 3);
  await s.close();
});

test('SQLite and PostgreSQL migrations give the same tables and columns', { skip }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-schema-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const lite = openSqliteStore(join(dir, 'data'));
  const pgs = await openPostgresStore(await freshDb());
  const liteCols = new Set<string>();
  for (const { name } of lite.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]) {
    for (const c of lite.db.prepare(`PRAGMA table_info(${name})`).all() as { name: string; notnull: number; pk: number }[]) liteCols.add(`${name}.${c.name} ${c.notnull || c.pk ? 'not null' : 'null'}`);
  }
  const rows = (await pgs.pool.query<{ table_name: string; column_name: string; is_nullable: string }>("SELECT table_name, column_name, is_nullable FROM information_schema.columns WHERE table_schema = 'public'")).rows;
  const pgCols = new Set(rows.map((r) => `${r.table_name}.${r.column_name} ${r.is_nullable === 'YES' ? 'null' : 'not null'}`));
  assert.deepEqual([...pgCols].sort(), [...liteCols].sort());
  const liteIdx = (lite.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]).map((r) => r.name).sort();
  const pgIdx = (await pgs.pool.query<{ indexname: string }>("SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT LIKE '%_pkey'")).rows.map((r) => r.indexname).sort();
  assert.deepEqual(pgIdx, liteIdx);
  await lite.close();
  await pgs.close();
});

test('the rollup trigger and its backfill give the same hourly and daily rows in both dialects', { skip }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-rollup-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const lite = openSqliteStore(join(dir, 'data'));
  const pgs = await openPostgresStore(await freshDb());
  const H = 3_600_000;
  const checks = [
    { target: 'a', at: 5 * H + 1, ok: true, state: 'up', status: 200, ms: 10.5, evidence: { phases: { dns: 1.5, connect: 2, tls: 3, ttfb: 4 } } },
    { target: 'a', at: 5 * H + 2, ok: false, state: 'down', status: 502, ms: 30, evidence: { phases: { dns: 0.5, ttfb: 9 } } },
    { target: 'a', at: 6 * H, ok: false, state: 'degraded', status: 301, ms: 7, evidence: {} },
    { target: 'b', at: 30 * H, ok: false, state: 'down', status: null, ms: 1000, evidence: { phases: { connect: 12.25 } } },
    { target: 'b', at: 30 * H + 5, ok: true, state: 'up', status: 404, ms: 2, evidence: { phases: { dns: 1 } } },
  ] as const;
  for (const c of checks) {
    const row = { ...c, code: null, evidence: c.evidence as Record<string, unknown> };
    await lite.addCheck(row);
    await pgs.addCheck(row);
  }
  const read = async (): Promise<[unknown, unknown]> => {
    const q = 'SELECT * FROM check_hours ORDER BY target, hour';
    const d = 'SELECT * FROM check_days ORDER BY target, day';
    const norm = (rows: Record<string, unknown>[]): unknown => rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' && k !== 'target' ? Number(v) : v])));
    return [
      norm([...lite.db.prepare(q).all(), ...lite.db.prepare(d).all()] as Record<string, unknown>[]),
      norm([...(await pgs.pool.query<Record<string, unknown>>(q)).rows, ...(await pgs.pool.query<Record<string, unknown>>(d)).rows] as Record<string, unknown>[]),
    ];
  };
  const [byTrigger, pgByTrigger] = await read();
  assert.deepEqual(pgByTrigger, byTrigger);
  assert.equal((byTrigger as unknown[]).length, 3 + 2, 'three hours and two days');
  const backfill = (sql: string): string => 'DELETE FROM check_hours; DELETE FROM check_days; ' + sql.slice(sql.indexOf('INSERT INTO check_hours SELECT'));
  lite.db.exec(backfill(MIGRATIONS[2]?.sqlite ?? ''));
  await pgs.pool.query(backfill(MIGRATIONS[2]?.postgres ?? ''));
  const [lite2, pg2] = await read();
  assert.deepEqual(lite2, byTrigger, 'the SQLite backfill gives what the trigger kept');
  assert.deepEqual(pg2, byTrigger, 'the PostgreSQL backfill gives the same');
  await lite.close();
  await pgs.close();
});

test('leases: three instances racing never hold one target twice, and split them fairly', { skip }, async () => {
  const url = await freshDb();
  const stores = await Promise.all([1, 2, 3].map(() => openPostgresStore(url)));
  const targets = Array.from({ length: 30 }, (_, i) => `t${i}`);
  let last: string[][] = [];
  for (let round = 0; round < 8; round++) {
    last = (await Promise.all(stores.map((s, i) => s.leaseTargets({ owner: `o${i}`, targets, leaseMs: 60_000 })))).map((r) => [...r.held]);
    const all = last.flat();
    assert.equal(new Set(all).size, all.length, `round ${round}: a target is held twice`);
  }
  assert.deepEqual(last.map((h) => h.length), [10, 10, 10]);
  const db = (await stores[0]?.pool.query<{ target: string; owner: string }>('SELECT target, owner FROM target_leases'))?.rows ?? [];
  assert.equal(db.length, 30);
  await stores[2]?.releaseTargets('o2');
  let rest = await Promise.all(stores.slice(0, 2).map((s, i) => s.leaseTargets({ owner: `o${i}`, targets, leaseMs: 60_000 })));
  // Two rounds at once may both reach for the same free targets; the next round evens it out.
  rest = await Promise.all(stores.slice(0, 2).map((s, i) => s.leaseTargets({ owner: `o${i}`, targets, leaseMs: 60_000 })));
  assert.equal(rest[0]?.instances, 2);
  assert.deepEqual(rest.map((r) => r.held.length), [15, 15], 'the released ten are taken by the others');
  await Promise.all(stores.map((s) => s.close()));
});

test('a wrong port or database is a coded error with no password in it', { skip }, async () => {
  const bad = pgs.server().url.replace('fivexx@', 'fivexx:s3cret-pw@').replace(/:\d+\//, ':1/');
  await assert.rejects(openPostgresStore(bad), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'FIVEXX_DB_UNAVAILABLE');
    assert.doesNotMatch(err.message, /s3cret/);
    assert.match(err.message, /postgres:\/\/fivexx:.*@127\.0\.0\.1:1\//);
    return true;
  });
});

/** A child that writes checks and opens incidents as fast as it can, printing each id once committed. */
function writer(url: string, prefix: string): { child: ReturnType<typeof spawn>; exited: Promise<unknown>; ids: () => number[] } {
  const script = `
    import { openPostgresStore } from ${JSON.stringify(new URL('../../src/watch/store/postgres-store.ts', import.meta.url).href)};
    const s = await openPostgresStore(${JSON.stringify(url)});
    for (let i = 0; i < 1_000_000; i++) {
      const id = await s.transaction(async (c) => {
        for (let k = 0; k < 20; k++) await c.query("INSERT INTO checks (target, at, ok, state, status, ms, code, evidence) VALUES ($1, $2, 0, 'down', 502, 1, NULL, $3)", ['t' + k, i, JSON.stringify({ pad: 'x'.repeat(490) })]);
        return (await c.query("INSERT INTO incidents (target, cause, layer, state, opened_at, updated_at, data, notes) VALUES ($1, 'upstream.refused', 'upstream', 'open', $2, $2, '{}', '[]') RETURNING id", [${JSON.stringify(prefix)} + i, i])).rows[0].id;
      });
      process.stdout.write(id + '\\n');
    }`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
  const exited = new Promise((r) => child.once('exit', r));
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  return { child, exited, ids: () => out.split('\n').filter(Boolean).map(Number) };
}

async function untilCount(ids: () => number[], n: number, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (ids().length < n && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
}

test('kill -9 of a writer, then of the server, during heavy writes: every committed incident is there', { skip, timeout: 300_000 }, async () => {
  const url = await freshDb();
  const w = writer(url, 'a');
  await untilCount(w.ids, 200, 60_000);
  w.child.kill('SIGKILL');
  await w.exited;
  let s = await openPostgresStore(url);
  const committed = w.ids();
  assert.ok(committed.length >= 100, `the writer committed only ${committed.length} incidents`);
  for (const id of committed) assert.ok(await s.incident(id), `incident ${id} was committed but is gone`);
  await s.close();

  const w2 = writer(url, 'b');
  await untilCount(w2.ids, 200, 60_000);
  await pgs.server().stop('SIGKILL');
  w2.child.kill('SIGKILL');
  await w2.exited;
  await pgs.server().restart();
  s = await openPostgresStore(url);
  const committed2 = w2.ids();
  assert.ok(committed2.length >= 100, `the writer committed only ${committed2.length} incidents before the crash`);
  for (const id of committed2) assert.ok(await s.incident(id), `incident ${id} was committed before the crash but is gone`);
  const checks = Number((await s.pool.query<{ n: string }>('SELECT count(*) AS n FROM checks')).rows[0]?.n);
  assert.ok(checks >= (committed.length + committed2.length) * 20, 'checks of committed transactions are gone');
  await s.close();
});
