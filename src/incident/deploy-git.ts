// Collector: the deploy folder's git history and releases, and the packages its lockfiles changed.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { findProgram, runBounded, execReason } from './bounded-exec.ts';
import { fsReason, isMissing } from './fs-reason.ts';
import { diffVersions, LOCKFILES, readLockfile, type LockfileName, type PackageChange } from './lockfiles.ts';
import type { Collected, HostRoots, Unavailable } from './types.ts';

export interface Commit {
  readonly sha: string;
  readonly parent: string | null;
  /** When it was committed. */
  readonly at: string;
  /** When HEAD last moved to it here (the reflog: a pull, checkout or commit on this host), if known. */
  readonly deployedAt: string | null;
  readonly subject: string;
}

export interface LockfileChange {
  readonly file: LockfileName;
  /** The commit (or release folder) that changed it, and the one before. */
  readonly ref: string;
  readonly previous: string;
  readonly at: string;
  readonly packages: readonly PackageChange[];
}

export interface DeployFacts {
  readonly dir: string;
  readonly kind: 'git' | 'releases';
  readonly commits: readonly Commit[];
  /** Release folders, newest first, when the folder holds releases/ (Capistrano, Deployer). */
  readonly releases: readonly { name: string; at: string }[];
  readonly lockfiles: readonly LockfileChange[];
}

const LOCK_CAP = 32 << 20;

/** git with the repository's own config unable to run programs: no fsmonitor, no pager, no textconv. */
function gitArgs(dir: string, args: string[]): string[] {
  // A deploy folder is often owned by another user; reading its history is safe with fsmonitor off.
  return ['-c', 'safe.directory=*', '-c', 'core.fsmonitor=false', '--no-pager', '-C', dir, ...args];
}

async function isDir(p: string): Promise<boolean> {
  return stat(p).then((s) => s.isDirectory(), () => false);
}

/** Candidate deploy folders under the usual parents, newest first; each with a .git or a releases/. */
export async function findDeployFolders(roots: HostRoots, looked: string[], unavailable: Unavailable[]): Promise<string[]> {
  const found: { dir: string; mtime: number }[] = [];
  for (const parent of roots.appParents) {
    looked.push(parent);
    let names: string[];
    try {
      names = (await readdir(parent)).slice(0, 200);
    } catch (err) {
      if (!isMissing(err)) unavailable.push({ what: parent, reason: fsReason(err) });
      continue;
    }
    for (const name of names) {
      const dir = join(parent, name);
      for (const mark of ['.git', 'releases']) {
        const s = await stat(join(dir, mark)).catch(() => undefined);
        if (s?.isDirectory()) {
          found.push({ dir, mtime: s.mtimeMs });
          break;
        }
      }
    }
  }
  return found.sort((a, b) => b.mtime - a.mtime).map((f) => f.dir);
}

function parseLog(stdout: string): Commit[] {
  return stdout.split('\n').filter(Boolean).map((l) => {
    const [sha = '', parents = '', at = '', ...subject] = l.split('\t');
    return { sha, parent: parents.split(' ')[0] || null, at: new Date(at).toISOString(), deployedAt: null, subject: subject.join('\t') };
  });
}

async function lockfileChange(git: string, dir: string, file: LockfileName): Promise<LockfileChange | Unavailable | undefined> {
  const last = await runBounded(git, gitArgs(dir, ['log', '-n', '1', '--format=%H%x09%P%x09%cI%x09%s', '--', file]), { timeoutMs: 10_000, maxBytes: 4096 });
  const c = parseLog(last.stdout)[0];
  if (!c?.parent) return undefined;
  const show = (rev: string): Promise<string | undefined> =>
    runBounded(git, gitArgs(dir, ['cat-file', 'blob', `${rev}:${file}`]), { timeoutMs: 10_000, maxBytes: LOCK_CAP }).then((r) => (r.outcome === 'ok' && !r.truncated ? r.stdout : undefined));
  const [before, after] = await Promise.all([show(c.parent), show(c.sha)]);
  const b = readLockfile(file, before ?? (file.endsWith('.json') || file === 'composer.lock' ? '{}' : ''));
  const a = after === undefined ? undefined : readLockfile(file, after);
  if (!a || !b) return { what: `${join(dir, file)} at ${c.sha.slice(0, 12)}`, reason: 'unreadable or larger than 32 MiB' };
  return { file, ref: c.sha.slice(0, 12), previous: c.parent.slice(0, 12), at: c.at, packages: diffVersions(b, a) };
}

/** sha → when HEAD last moved to it, from `HEAD@{date}` selectors of the reflog (newest first). */
async function reflogTimes(git: string, dir: string): Promise<Map<string, string>> {
  const r = await runBounded(git, gitArgs(dir, ['reflog', '-n', '100', '--date=iso-strict', '--format=%H%x09%gd']), { timeoutMs: 10_000, maxBytes: 64 << 10 });
  const out = new Map<string, string>();
  for (const line of r.outcome === 'ok' ? r.stdout.split('\n') : []) {
    const m = /^([0-9a-f]{40})\tHEAD@\{([^}]{1,40})\}$/.exec(line);
    const t = m?.[2] ? Date.parse(m[2]) : NaN;
    if (m?.[1] && !Number.isNaN(t) && !out.has(m[1])) out.set(m[1], new Date(t).toISOString());
  }
  return out;
}

async function gitFacts(dir: string, roots: HostRoots): Promise<Collected<DeployFacts | null>> {
  const git = findProgram('git', roots.bin);
  if (!git) return { found: null, looked: [dir], unavailable: [{ what: `git history of ${dir}`, reason: 'git is not installed' }] };
  const log = await runBounded(git, gitArgs(dir, ['log', '-n', '20', '--format=%H%x09%P%x09%cI%x09%s']), { timeoutMs: 10_000, maxBytes: 256 << 10 });
  if (log.outcome !== 'ok') return { found: null, looked: [dir], unavailable: [{ what: `git history of ${dir}`, reason: execReason(log) }] };
  const unavailable: Unavailable[] = [];
  const lockfiles: LockfileChange[] = [];
  for (const file of LOCKFILES) {
    const c = await lockfileChange(git, dir, file);
    if (c && 'reason' in c) unavailable.push(c);
    else if (c) lockfiles.push(c);
  }
  const moved = await reflogTimes(git, dir);
  const commits = parseLog(log.stdout).map((c) => ({ ...c, deployedAt: moved.get(c.sha) ?? null }));
  return { found: { dir, kind: 'git', commits, releases: [], lockfiles }, looked: [`${dir} (git log, reflog, lockfiles: ${LOCKFILES.join(', ')})`], unavailable };
}

async function releaseFacts(dir: string): Promise<Collected<DeployFacts | null>> {
  const rel = join(dir, 'releases');
  const names = (await readdir(rel)).sort().reverse().slice(0, 20);
  const releases = await Promise.all(names.map(async (name) => ({ name, at: new Date((await stat(join(rel, name))).mtimeMs).toISOString() })));
  const lockfiles: LockfileChange[] = [];
  const [now, prev] = releases;
  if (now && prev) {
    for (const file of LOCKFILES) {
      const read = (r: string): Promise<string | undefined> => readFile(join(rel, r, file), 'utf8').catch(() => undefined);
      const [b, a] = await Promise.all([read(prev.name), read(now.name)]);
      const bv = b === undefined ? undefined : readLockfile(file, b);
      const av = a === undefined ? undefined : readLockfile(file, a);
      if (bv && av) lockfiles.push({ file, ref: now.name, previous: prev.name, at: now.at, packages: diffVersions(bv, av) });
    }
  }
  return { found: { dir, kind: 'releases', commits: [], releases, lockfiles }, looked: [`${rel} (the two newest releases' lockfiles)`], unavailable: [] };
}

/** The deploy folder's facts: `app` when given, else the newest folder found under the usual parents. */
export async function collectDeploy(app: string | undefined, roots: HostRoots): Promise<Collected<DeployFacts | null>> {
  const looked: string[] = [];
  const unavailable: Unavailable[] = [];
  const dirs = app ? [app] : await findDeployFolders(roots, looked, unavailable);
  const dir = dirs[0];
  if (!dir) return { found: null, looked, unavailable: [...unavailable, { what: 'deploy folder', reason: `none found under ${roots.appParents.join(', ')} (give --app DIR)` }] };
  try {
    await readdir(dir);
    const r = (await isDir(join(dir, '.git'))) ? await gitFacts(dir, roots) : (await isDir(join(dir, 'releases'))) ? await releaseFacts(dir) : undefined;
    if (!r) return { found: null, looked: [...looked, dir], unavailable: [...unavailable, { what: dir, reason: 'neither a git work tree nor a releases/ folder' }] };
    return { found: r.found, looked: [...looked, ...r.looked], unavailable: [...unavailable, ...r.unavailable] };
  } catch (err) {
    return { found: null, looked: [...looked, dir], unavailable: [...unavailable, { what: dir, reason: fsReason(err) }] };
  }
}
