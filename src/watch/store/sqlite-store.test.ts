import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { MIGRATIONS } from './migrations.ts';
import { openSqliteStore, SqliteStore } from './sqlite-store.ts';

function tempDir(t: { after: (fn: () => void) => void }): string {
  const d = mkdtempSync(join(tmpdir(), 'fivexx-store-'));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

test('checks, incidents, notes, changes and positions round-trip; migrations run once', async (t) => {
  const dir = tempDir(t);
  let s = openSqliteStore(join(dir, 'data'));
  await s.addCheck({ target: 'shop', at: 1000, ok: false, state: 'down', status: 502, ms: 3.5, code: null, evidence: { headers: { server: 'nginx' }, body: 'Bad Gateway' } });
  const id = await s.openIncident({ target: 'shop', cause: 'upstream.refused', layer: 'upstream', openedAt: 1000, updatedAt: 1000, data: { statuses: { 502: 1 } } });
  await s.acknowledge(id, { at: 2000, author: 'ops', text: 'looking' });
  await s.updateIncident(id, { cause: 'app.crash', layer: 'app', updatedAt: 3000 });
  await s.addChange({ at: 900, kind: 'deploy', ref: 'abc123', service: 'shop', source: 'api' });
  await s.savePosition({ path: '/var/log/x', dev: 1, ino: 2, offset: 300, line: 7, updatedAt: 5 });
  await s.savePosition({ path: '/var/log/x', dev: 1, ino: 2, offset: 400, line: 9, updatedAt: 6 });
  await s.close();
  s = openSqliteStore(join(dir, 'data'));
  const inc = await s.incident(id);
  assert.equal(inc?.cause, 'app.crash');
  assert.equal(inc?.acked, true);
  assert.deepEqual(inc?.notes, [{ at: 2000, author: 'ops', text: 'looking' }]);
  assert.equal((await s.openIncidentFor('shop'))?.id, id);
  assert.deepEqual(await s.tryOpenIncident({ target: 'shop', cause: 'x', layer: 'app', openedAt: 3500, updatedAt: 3500, data: {} }), { id, created: false }, 'a second open incident on a target is refused');
  assert.equal(await s.resolveIncident(id, 4000), true);
  assert.equal(await s.resolveIncident(id, 4001), false, 'resolving twice says so');
  assert.equal((await s.incidents('open')).length, 0);
  assert.equal((await s.incidents('resolved'))[0]?.resolvedAt, 4000);
  assert.equal((await s.lastCheck('shop'))?.evidence.body, 'Bad Gateway');
  assert.equal((await s.changes(0, 1000))[0]?.ref, 'abc123');
  assert.equal((await s.position('/var/log/x'))?.offset, 400);
  // A journald source's cursor round-trips beside the files' positions.
  const cursor = 's=e80222d283774ac59c13717e9bd96a78;i=8;b=d8534b26de89472fad2b69883be72dd9;m=4b692e5a7;t=66146bf9693d3;x=28e911b19c5fc561';
  await s.savePosition({ path: 'journald@app', dev: 0, ino: 0, offset: 0, line: 2, updatedAt: 7, cursor });
  assert.equal((await s.position('journald@app'))?.cursor, cursor);
  assert.equal((await s.position('/var/log/x'))?.cursor, undefined);
  const versions = s.db.prepare('SELECT count(*) AS n FROM schema_version').get() as { n: number };
  assert.equal(versions.n, MIGRATIONS.length);
  assert.equal(await s.prune(5000), 3);
  await s.close();
});

test('leases: two owners split the targets, a lapsed owner loses them, a release frees them', async (t) => {
  const s = openSqliteStore(join(tempDir(t), 'data'));
  const targets = ['a', 'b', 'c', 'd', 'e'];
  const one = await s.leaseTargets({ owner: 'one', targets, leaseMs: 60_000 });
  assert.equal(one.held.length, 5, 'alone, an instance holds everything');
  const two = await s.leaseTargets({ owner: 'two', targets, leaseMs: 200 });
  assert.equal(two.instances, 2);
  assert.equal(two.held.length, 0, 'nothing is free yet');
  const oneAgain = await s.leaseTargets({ owner: 'one', targets, leaseMs: 60_000 });
  assert.equal(oneAgain.held.length, 3, 'over its share, one gives back two');
  const twoAgain = await s.leaseTargets({ owner: 'two', targets, leaseMs: 200 });
  assert.deepEqual([...twoAgain.held].sort(), targets.filter((x) => !oneAgain.held.includes(x)).sort());
  await new Promise((r) => setTimeout(r, 300));
  const taken = await s.leaseTargets({ owner: 'one', targets, leaseMs: 60_000 });
  assert.equal(taken.instances, 1, 'two stopped renewing: it is gone');
  assert.equal(taken.held.length, 5, 'and its targets are taken over');
  await s.releaseTargets('one');
  assert.equal((await s.leaseTargets({ owner: 'three', targets, leaseMs: 60_000 })).held.length, 5);
  await s.close();
});

test('a data folder that is a symlink or writable by others is refused', async (t) => {
  const dir = tempDir(t);
  symlinkSync(tmpdir(), join(dir, 'link'));
  assert.throws(() => openSqliteStore(join(dir, 'link')), { code: 'FIVEXX_PATH_UNSAFE' });
  const open = join(dir, 'open');
  await openSqliteStore(open).close();
  chmodSync(open, 0o777);
  assert.throws(() => openSqliteStore(open), { code: 'FIVEXX_PATH_UNSAFE' });
});

// A child writes incidents as fast as it can and prints each id once committed; it is killed with SIGKILL
// mid-write. Every printed id must be there after reopening, and the database must pass integrity_check.
test('kill -9 during heavy writes: no corruption, no committed incident lost', async (t) => {
  const dir = tempDir(t);
  const script = `
    import { SqliteStore } from ${JSON.stringify(new URL('./sqlite-store.ts', import.meta.url).href)};
    const s = new SqliteStore(${JSON.stringify(join(dir, 'watch.db'))});
    for (let i = 0; i < 1_000_000; i++) {
      const id = s.transaction(() => {
        for (let k = 0; k < 20; k++) s.addCheckSync({ target: 't' + k, at: i, ok: false, state: 'down', status: 502, ms: 1, code: null, evidence: { body: 'x'.repeat(500) } });
        return s.tryOpenIncidentSync({ target: 't' + i, cause: 'upstream.refused', layer: 'upstream', openedAt: i, updatedAt: i, data: { i } }).id;
      });
      process.stdout.write(id + '\\n');
    }`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (b: Buffer) => {
    out += b.toString();
  });
  await new Promise<void>((resolve) => {
    const stop = setTimeout(() => resolve(), 10_000);
    child.stdout.on('data', () => {
      if (out.split('\n').length > 300) {
        clearTimeout(stop);
        resolve();
      }
    });
  });
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  const committed = out.split('\n').filter(Boolean).map(Number);
  assert.ok(committed.length > 100, `the child committed only ${committed.length} incidents`);
  const s = new SqliteStore(join(dir, 'watch.db'));
  const check = s.db.prepare('PRAGMA integrity_check').get() as Record<string, string>;
  assert.equal(Object.values(check)[0], 'ok');
  const max = (s.db.prepare('SELECT max(id) AS m FROM incidents').get() as { m: number }).m;
  assert.ok(max >= (committed.at(-1) ?? 0), `incident ${committed.at(-1)} was committed but is gone (max ${max})`);
  for (const id of committed.slice(-50)) assert.ok(await s.incident(id), `incident ${id} lost`);
  await s.close();
});
