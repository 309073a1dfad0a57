import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { changeKind, looksLikeChangeLog, parseChangeLog, readChanges } from './read-changes.ts';

test('a deploy log: times, kinds and refs', () => {
  const c = parseChangeLog('2026-11-20T14:02:07Z deploy shop ref=abc1234\n# comment\n2026-11-20 14:30:00 nginx config reload\n[2026-11-20T15:00:00+01:00] restarted api v2.3.1\nno time here', 'deploy.log', 0);
  assert.deepEqual(c.map((x) => [x.kind, x.ref, x.line]), [['deploy', 'abc1234', 1], ['reload', '', 3], ['restart', 'v2.3.1', 4]]);
  assert.equal(c[2]?.time, Date.UTC(2026, 10, 20, 14, 0, 0));
});

test('every change keeps the kind its line gives: deploy, rollback, config, reload, restart', () => {
  const kinds = ['deploy shop ref=a1b2c3d', 'rollback shop ref=9f8e7d6', 'rolled back to v1', 'reverted 1a2b3c4', 'config: raise pool_size to 20',
    'nginx config reload', 'SIGHUP sent to haproxy', 'restarted api v2.3.1', 'released v2.3.2', 'ran migrations'].map(changeKind);
  assert.deepEqual(kinds, ['deploy', 'rollback', 'rollback', 'rollback', 'config', 'reload', 'reload', 'restart', 'deploy', 'change']);
  const sample = parseChangeLog('2026-11-22T20:26:23.824Z deploy shop ref=a1b2c3d\n2026-11-22T20:26:26.241Z rollback shop ref=9f8e7d6\n', 'deploy.log', 0);
  assert.deepEqual(sample.map((c) => [c.kind, c.ref]), [['deploy', 'a1b2c3d'], ['rollback', '9f8e7d6']]);
});

test('a file of deploy lines is recognised as a changes log; an access log is not', () => {
  assert.ok(looksLikeChangeLog(['2026-11-22T20:26:23.824Z deploy shop ref=a1b2c3d', '2026-11-22T20:26:26.241Z rollback shop ref=9f8e7d6']));
  assert.ok(looksLikeChangeLog(['2026-11-22T20:26:26.241Z rollback shop ref=9f8e7d6', '2026-11-22T20:30:00Z nginx reload']));
  assert.ok(!looksLikeChangeLog(['127.0.0.1 - - [22/Nov/2026:20:19:30 +0000] "GET / HTTP/1.1" 200 25 "-" "x"']));
});

test('a git work tree gives its commits with committer times', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-git-'));
  const git = (...args: string[]): string =>
    execFileSync('git', ['-C', dir, ...args], { env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t', GIT_COMMITTER_DATE: '2026-11-20T14:00:00Z', GIT_AUTHOR_DATE: '2026-11-20T14:00:00Z' } }).toString();
  git('init', '-q');
  writeFileSync(join(dir, 'a.txt'), 'x');
  git('add', 'a.txt');
  git('commit', '-q', '-m', 'Raise the pool size');
  const r = await readChanges(dir, 0);
  assert.equal(r.error, undefined);
  assert.equal(r.changes[0]?.time, Date.UTC(2026, 10, 20, 14, 0, 0));
  assert.equal(r.changes[0]?.text, 'Raise the pool size');
  assert.equal(r.changes[0]?.ref.length, 12);
  const bad = await readChanges(tmpdir(), 0);
  assert.match(bad.error ?? '', /must be a git work tree/);
});
