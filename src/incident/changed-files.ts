// Collector: files changed near the onset (mtime within a window) under the servers' config folders and the app.
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fsReason, isMissing } from './fs-reason.ts';
import type { Collected, Unavailable } from './types.ts';

export interface ChangedFile {
  readonly path: string;
  readonly at: string;
  /** A previous version beside it (.bak, ~, .orig, .dpkg-old), when one exists. */
  readonly backup: string | null;
}

export interface WalkLimits {
  readonly maxEntries: number;
  readonly maxDepth: number;
}

// What changes by itself while the app runs (logs, caches, sockets) is not a change anyone made.
const SKIP = new Set(['.git', 'node_modules', 'vendor', '__pycache__', '.cache', 'log', 'logs', 'tmp', 'cache', 'sessions']);
const RUNTIME = /\.(?:log|pid|sock|swp)(?:\.\d{1,3})?$|\.gz$/;
const BACKUP_SUFFIXES = ['.bak', '~', '.orig', '.dpkg-old', '.save'];
const DEFAULT_WALK: WalkLimits = { maxEntries: 20_000, maxDepth: 8 };

interface Walk {
  readonly from: number;
  readonly to: number;
  readonly limits: WalkLimits;
  seen: number;
  readonly out: { path: string; mtime: number; names: Set<string> }[];
  readonly unavailable: Unavailable[];
}

async function walk(dir: string, depth: number, w: Walk): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if (!isMissing(err) || depth === 0) w.unavailable.push({ what: dir, reason: fsReason(err) });
    return;
  }
  const here = new Set(names);
  for (const name of names) {
    if (++w.seen > w.limits.maxEntries) return;
    if (SKIP.has(name)) continue;
    const p = join(dir, name);
    const s = await lstat(p).catch(() => undefined);
    if (!s) continue;
    if (s.isDirectory() && depth < w.limits.maxDepth) await walk(p, depth + 1, w);
    else if ((s.isFile() || s.isSymbolicLink()) && !RUNTIME.test(name) && s.mtimeMs >= w.from && s.mtimeMs <= w.to) w.out.push({ path: p, mtime: s.mtimeMs, names: here });
  }
}

function backupOf(path: string, names: Set<string>): string | null {
  const base = path.slice(path.lastIndexOf('/') + 1);
  if (BACKUP_SUFFIXES.some((s) => base.endsWith(s))) return null;
  const b = BACKUP_SUFFIXES.map((s) => base + s).find((n) => names.has(n));
  return b ? join(path, '..', b) : null;
}

/** Files under `dirs` whose mtime falls in [from, to] (epoch ms), newest first; walks are bounded. */
export async function collectChangedFiles(dirs: readonly string[], from: number, to: number, limits: WalkLimits = DEFAULT_WALK): Promise<Collected<ChangedFile[]>> {
  const looked: string[] = [];
  const unavailable: Unavailable[] = [];
  const found: ChangedFile[] = [];
  for (const dir of dirs) {
    const w: Walk = { from, to, limits, seen: 0, out: [], unavailable: [] };
    await walk(dir, 0, w);
    if (w.unavailable.some((u) => u.what === dir && u.reason === 'not present')) {
      looked.push(`${dir} (not present)`);
      continue;
    }
    looked.push(`${dir} (files changed ${new Date(from).toISOString()} → ${new Date(to).toISOString()})`);
    unavailable.push(...w.unavailable);
    if (w.seen > limits.maxEntries) unavailable.push({ what: `${dir} beyond ${limits.maxEntries} entries`, reason: 'walk limit reached' });
    for (const f of w.out) found.push({ path: f.path, at: new Date(f.mtime).toISOString(), backup: backupOf(f.path, f.names) });
  }
  return { found: found.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)), looked, unavailable };
}
