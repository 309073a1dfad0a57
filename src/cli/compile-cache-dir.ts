// Picks a folder for Node's compile cache that no other local user can write: bytecode planted there would run as us.
import { lstatSync, mkdirSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What the decision needs of a path: its owner, mode and kind, as lstat sees them (symlinks not followed). */
export interface PathInfo {
  readonly uid: number;
  readonly mode: number;
  readonly dir: boolean;
  readonly symlink: boolean;
}

/** The file-system operations the decision uses, so it can be tested without the real file system. */
export interface CacheFs {
  lstat(path: string): PathInfo | undefined;
  realpath(path: string): string | undefined;
  /** Creates one folder with mode 0700; false when it could not. */
  mkdir(path: string): boolean;
}

export interface CacheContext {
  /** The running user; undefined where the platform has no uids (no cache then). */
  readonly uid: number | undefined;
  /** The package's root folder (holding package.json and dist/). */
  readonly packageDir: string;
  readonly home: string | undefined;
  readonly xdgCacheHome: string | undefined;
}

const OTHERS_WRITE = 0o022;
const STICKY = 0o1000;
const MAX_DEPTH = 64;

/**
 * Every folder from `dir` up to `/` is a real folder (no symlink), owned by `uid` or root, and not
 * writable by group or others, unless it is a sticky folder such as /tmp (there nobody but the owner
 * may rename or remove what lies inside it, and the next folder down is checked as usual).
 */
export function trustedChain(dir: string, uid: number, fs: CacheFs): boolean {
  let p = dir;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    const st = fs.lstat(p);
    if (!st || st.symlink || !st.dir) return false;
    if (st.uid !== uid && st.uid !== 0) return false;
    if ((st.mode & OTHERS_WRITE) !== 0 && (p === dir || (st.mode & STICKY) === 0)) return false;
    const up = dirname(p);
    if (up === p) return true;
    p = up;
  }
  return false;
}

/** The folder is ours alone: a real folder owned by `uid`, not writable by group or others. */
function ownPrivate(st: PathInfo | undefined, uid: number): boolean {
  return st !== undefined && !st.symlink && st.dir && st.uid === uid && (st.mode & OTHERS_WRITE) === 0;
}

/**
 * `dir` if it is (or can be made, mode 0700, at most `create` levels deep) a folder of ours in a
 * trusted chain of parents; undefined otherwise.
 */
export function ownFolder(dir: string, uid: number, fs: CacheFs, create: number): string | undefined {
  const parent = fs.realpath(dirname(dir));
  if (parent === undefined) {
    if (create <= 1 || ownFolder(dirname(dir), uid, fs, create - 1) === undefined) return undefined;
    return ownFolder(dir, uid, fs, 1);
  }
  const real = join(parent, basename(dir));
  if (!trustedChain(parent, uid, fs)) return undefined;
  let st = fs.lstat(real);
  if (st === undefined) {
    if (create < 1 || !fs.mkdir(real)) return undefined;
    st = fs.lstat(real);
  }
  return ownPrivate(st, uid) ? real : undefined;
}

/** The user's own cache folder: $XDG_CACHE_HOME/fivexx, else ~/.cache/fivexx. */
function userCacheDir(ctx: CacheContext): string | undefined {
  if (ctx.xdgCacheHome && isAbsolute(ctx.xdgCacheHome)) return join(ctx.xdgCacheHome, 'fivexx');
  if (ctx.home && isAbsolute(ctx.home)) return join(ctx.home, '.cache', 'fivexx');
  return undefined;
}

/**
 * The compile cache folder to use, or undefined to run without one: first `dist/.compile-cache`
 * inside the package, if the package is ours; then the user's own cache folder. Never a folder
 * that another user owns or can write, nor one reached through a symlink we did not resolve.
 */
export function chooseCompileCacheDir(ctx: CacheContext, fs: CacheFs): string | undefined {
  if (ctx.uid === undefined) return undefined;
  const inPackage = ownFolder(join(ctx.packageDir, 'dist', '.compile-cache'), ctx.uid, fs, 1);
  if (inPackage) return inPackage;
  const user = userCacheDir(ctx);
  return user === undefined ? undefined : ownFolder(user, ctx.uid, fs, 2);
}

/** The real file system, with every failure read as "not usable". */
export const nodeCacheFs: CacheFs = {
  lstat(path) {
    try {
      const st = lstatSync(path);
      return { uid: st.uid, mode: st.mode, dir: st.isDirectory(), symlink: st.isSymbolicLink() };
    } catch {
      return undefined;
    }
  },
  realpath(path) {
    try {
      return realpathSync(path);
    } catch {
      return undefined;
    }
  },
  mkdir(path) {
    try {
      mkdirSync(path, { mode: 0o700 });
      return true;
    } catch {
      return false;
    }
  },
};

/** The decision for this process: the package is two folders above this module (dist/cli or src/cli). */
export function compileCacheDir(moduleUrl: string): string | undefined {
  const packageDir = dirname(dirname(dirname(fileURLToPath(moduleUrl))));
  return chooseCompileCacheDir(
    { uid: process.getuid?.(), packageDir, home: homedir(), xdgCacheHome: process.env.XDG_CACHE_HOME },
    nodeCacheFs,
  );
}
