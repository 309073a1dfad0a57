import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { collectDeploy } from './deploy-git.ts';
import { gitAt, makeDeployRepo, npmLock } from './test-git.ts';
import { REAL_HOST } from './types.ts';

const tmp = mkdtempSync(join(tmpdir(), 'fivexx-deploy-'));

test('a git deploy folder: its commits, and the packages package-lock.json changed in its last change', async (t) => {
  if (!existsSync('/usr/bin/git')) return t.skip('git is not installed');
  const dir = join(tmp, 'shop');
  makeDeployRepo(dir, [
    { files: { 'package-lock.json': npmLock({ express: '4.18.2', pg: '8.11.0' }), 'app.js': 'v1' }, subject: 'release 1', at: new Date('2026-11-20T13:00:00Z') },
    { files: { 'package-lock.json': npmLock({ express: '5.0.0', pg: '8.11.0', 'left-pad': '1.3.0' }), 'app.js': 'v2' }, subject: 'release 2: express 5', at: new Date('2026-11-20T14:00:00Z') },
  ]);
  const r = await collectDeploy(dir, REAL_HOST);
  assert.deepEqual(r.unavailable, []);
  assert.equal(r.found?.kind, 'git');
  assert.deepEqual(r.found?.commits.map((c) => [c.subject, c.at, c.deployedAt]), [['release 2: express 5', '2026-11-20T14:00:00.000Z', '2026-11-20T14:00:00.000Z'], ['release 1', '2026-11-20T13:00:00.000Z', '2026-11-20T13:00:00.000Z']]);
  const lock = r.found?.lockfiles[0];
  assert.equal(lock?.file, 'package-lock.json');
  assert.equal(lock?.ref, r.found?.commits[0]?.sha.slice(0, 12));
  assert.deepEqual(lock?.packages, [{ name: 'express', from: '4.18.2', to: '5.0.0' }, { name: 'left-pad', from: null, to: '1.3.0' }]);
  // Going back to release 1 later (a rollback by checkout) moves HEAD: the reflog says when.
  gitAt(dir, ['checkout', '-q', 'HEAD~1'], new Date('2026-11-20T15:30:00Z'));
  const back = await collectDeploy(dir, REAL_HOST);
  assert.deepEqual(back.found?.commits.map((c) => [c.subject, c.deployedAt]), [['release 1', '2026-11-20T15:30:00.000Z']]);
});

test('found by itself under the usual parents; releases/ folders compared; what it cannot see is said', async () => {
  const parent = join(tmp, 'srv');
  const rel = join(parent, 'api', 'releases');
  mkdirSync(join(rel, '20261120130000'), { recursive: true });
  mkdirSync(join(rel, '20261120140000'));
  writeFileSync(join(rel, '20261120130000', 'composer.lock'), JSON.stringify({ packages: [{ name: 'guzzlehttp/guzzle', version: '7.8.0' }] }));
  writeFileSync(join(rel, '20261120140000', 'composer.lock'), JSON.stringify({ packages: [{ name: 'guzzlehttp/guzzle', version: '7.8.1' }] }));
  const roots = { ...REAL_HOST, appParents: [parent, join(tmp, 'none')] };
  const r = await collectDeploy(undefined, roots);
  assert.equal(r.found?.kind, 'releases');
  assert.deepEqual(r.found?.releases.map((x) => x.name), ['20261120140000', '20261120130000']);
  assert.deepEqual(r.found?.lockfiles[0]?.packages, [{ name: 'guzzlehttp/guzzle', from: '7.8.0', to: '7.8.1' }]);
  const none = await collectDeploy(undefined, { ...REAL_HOST, appParents: [join(tmp, 'none')] });
  assert.equal(none.found, null);
  assert.match(none.unavailable[0]?.reason ?? '', /none found/);
  const plain = join(tmp, 'plain');
  mkdirSync(plain);
  assert.match((await collectDeploy(plain, REAL_HOST)).unavailable[0]?.reason ?? '', /neither a git work tree/);
  const nogit = await collectDeploy(join(tmp, 'shop'), { ...REAL_HOST, bin: [join(tmp, 'nobin')] });
  if (existsSync(join(tmp, 'shop'))) assert.match(nogit.unavailable[0]?.reason ?? '', /git is not installed/);
});
