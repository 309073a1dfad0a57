import assert from 'node:assert/strict';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { chooseCompileCacheDir, nodeCacheFs, ownFolder, type CacheFs, type PathInfo } from './compile-cache-dir.ts';

const ME = 1000;
const OTHER = 1001;

/** Folders given as path → [owner, mode] (0o120777: a symlink); as user ME, who may make folders only in its own. */
function fakeFs(tree: Record<string, [number, number]>): CacheFs & { made: string[] } {
  const made: string[] = [];
  const info = (p: string): PathInfo | undefined => {
    const e = tree[p];
    return e && { uid: e[0], mode: e[1] & 0o7777, dir: (e[1] & 0o170000) === 0, symlink: (e[1] & 0o170000) === 0o120000 };
  };
  return {
    made,
    lstat: info,
    realpath: (p) => (tree[p] ? p : undefined),
    mkdir: (p) => {
      if (tree[dirname(p)]?.[0] !== ME) return false;
      tree[p] = [ME, 0o700];
      made.push(p);
      return true;
    },
  };
}

const base: Record<string, [number, number]> = {
  '/': [0, 0o755],
  '/tmp': [0, 0o1777],
  '/home': [0, 0o755],
  '/home/me': [ME, 0o750],
  '/opt': [0, 0o755],
  '/opt/fivexx': [ME, 0o755],
  '/opt/fivexx/dist': [ME, 0o755],
};
const ctx = { uid: ME, packageDir: '/opt/fivexx', home: '/home/me', xdgCacheHome: undefined };

test('the package folder comes first when the package is ours', () => {
  const fs = fakeFs({ ...base });
  assert.equal(chooseCompileCacheDir(ctx, fs), '/opt/fivexx/dist/.compile-cache');
  assert.deepEqual(fs.made, ['/opt/fivexx/dist/.compile-cache']);
});

test('a package of root run by another user: the user\'s own cache folder, created 0700', () => {
  const fs = fakeFs({ ...base, '/opt/fivexx': [0, 0o755], '/opt/fivexx/dist': [0, 0o755] });
  assert.equal(chooseCompileCacheDir(ctx, fs), '/home/me/.cache/fivexx');
  assert.deepEqual(fs.made, ['/home/me/.cache', '/home/me/.cache/fivexx']);
  assert.equal(chooseCompileCacheDir({ ...ctx, xdgCacheHome: '/home/me/xdg' }, fakeFs({ ...base, '/opt/fivexx/dist': [0, 0o755], '/home/me/xdg': [ME, 0o700] })), '/home/me/xdg/fivexx');
});

test('a cache folder owned by another user, writable by others or a symlink is refused', () => {
  const cache = '/opt/fivexx/dist/.compile-cache';
  const user = '/home/me/.cache/fivexx';
  const refused: Record<string, [number, number]>[] = [
    { [cache]: [OTHER, 0o700], '/home/me/.cache': [ME, 0o700], [user]: [OTHER, 0o700] },
    { [cache]: [ME, 0o777], '/home/me/.cache': [ME, 0o700], [user]: [ME, 0o777] },
    { [cache]: [ME, 0o770], '/home/me/.cache': [ME, 0o700], [user]: [ME, 0o775] },
    { [cache]: [ME, 0o120777], '/home/me/.cache': [ME, 0o120777] },
    { '/opt': [0, 0o777], '/home/me': [OTHER, 0o755] },
    { '/opt/fivexx': [OTHER, 0o755], '/home': [0, 0o777] },
    { '/opt/fivexx/dist': [ME, 0o1777], '/home/me/.cache': [ME, 0o1777] },
  ];
  for (const extra of refused) {
    const fs = fakeFs({ ...base, ...extra });
    assert.equal(chooseCompileCacheDir(ctx, fs), undefined, JSON.stringify(extra));
  }
});

test('a sticky folder such as /tmp above our own folders is fine; no uid, a relative home: no cache', () => {
  const fs = fakeFs({ ...base, '/tmp/pkg': [ME, 0o755], '/tmp/pkg/dist': [ME, 0o755] });
  assert.equal(chooseCompileCacheDir({ ...ctx, packageDir: '/tmp/pkg' }, fs), '/tmp/pkg/dist/.compile-cache');
  assert.equal(chooseCompileCacheDir({ ...ctx, uid: undefined }, fakeFs({ ...base })), undefined);
  const noPkg = { ...base, '/opt/fivexx/dist': [0, 0o755] as [number, number] };
  assert.equal(chooseCompileCacheDir({ ...ctx, home: 'relative', xdgCacheHome: 'also-relative' }, fakeFs(noPkg)), undefined);
});

const tmp = mkdtempSync(join(tmpdir(), 'fivexx-cache-dir-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

test('on the real file system: a folder of another user, a world-writable one and a symlink are refused', { skip: process.getuid?.() === 0 ? false : 'needs root to make a folder owned by another user' }, () => {
  const foreign = join(tmp, 'foreign');
  mkdirSync(foreign, { mode: 0o700 });
  chownSync(foreign, 65534, 65534);
  assert.equal(ownFolder(foreign, 0, nodeCacheFs, 1), undefined);
  const open = join(tmp, 'open');
  mkdirSync(open);
  chmodSync(open, 0o777);
  assert.equal(ownFolder(open, 0, nodeCacheFs, 1), undefined);
  const link = join(tmp, 'link');
  const target = join(tmp, 'target');
  mkdirSync(target, { mode: 0o700 });
  symlinkSync(target, link);
  assert.equal(ownFolder(link, 0, nodeCacheFs, 1), undefined);
  assert.equal(ownFolder(join(foreign, 'inside'), 0, nodeCacheFs, 1), undefined, 'nothing is made in a folder of another user');
  const mine = join(tmp, 'home', '.cache', 'fivexx');
  mkdirSync(join(tmp, 'home'), { mode: 0o700 });
  assert.equal(ownFolder(mine, 0, nodeCacheFs, 2), mine);
  assert.equal(statSync(mine).mode & 0o777, 0o700);
});
