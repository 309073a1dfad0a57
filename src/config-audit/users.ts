// The worker's user (nginx `user`, Apache `User`, HAProxy `user`) and whether it may connect to a unix socket.
import { readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ServerConfig } from './model.ts';
import { topLevel } from './scope.ts';

export interface Account {
  readonly name: string;
  readonly uid: number;
  readonly gids: readonly number[];
}

function readLines(path: string): string[][] {
  try {
    return readFileSync(path, 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(':'));
  } catch {
    return [];
  }
}

/** The account by name or `#uid`, with its primary and supplementary groups; undefined when unknown. */
export function lookupAccount(name: string, etc = '/etc'): Account | undefined {
  const passwd = readLines(`${etc}/passwd`);
  const byUid = name.startsWith('#') ? Number(name.slice(1)) : undefined;
  const row = passwd.find((r) => (byUid !== undefined ? Number(r[2]) === byUid : r[0] === name));
  if (!row) return byUid !== undefined && Number.isInteger(byUid) ? { name, uid: byUid, gids: [] } : undefined;
  const user = row[0] ?? name;
  const extra = readLines(`${etc}/group`).filter((g) => (g[3] ?? '').split(',').includes(user)).map((g) => Number(g[2]));
  return { name: user, uid: Number(row[2]), gids: [Number(row[3]), ...extra] };
}

/** The user the server's workers run as, and where that was decided (a line, or the built-in default). */
export function workerUser(config: ServerConfig): { name: string; line?: number; file?: string } {
  const word = config.kind === 'nginx' ? 'user' : config.kind === 'apache' ? 'User' : 'user';
  const d = topLevel(config, word);
  if (d?.args[0]) return { name: d.args[0], line: d.line, file: d.file };
  if (config.kind === 'haproxy') return { name: 'root' };
  return { name: 'nobody' };
}

function allowed(mode: number, uid: number, gid: number, who: Account, bit: number): boolean {
  if (who.uid === 0) return true;
  if (uid === who.uid) return (mode & (bit << 6)) !== 0;
  if (who.gids.includes(gid)) return (mode & (bit << 3)) !== 0;
  return (mode & bit) !== 0;
}

/** Why `who` cannot connect to the socket at `path` (write on it, search on every folder above), or undefined when it can. */
export function socketDenied(path: string, who: Account): string | undefined {
  const s = statSync(path);
  if (!allowed(s.mode, s.uid, s.gid, who, 2)) {
    return `${path} is mode ${(s.mode & 0o777).toString(8).padStart(4, '0')}, owner uid ${s.uid} gid ${s.gid}: ${who.name} may not write to it`;
  }
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const d = statSync(dir);
    if (!allowed(d.mode, d.uid, d.gid, who, 1)) return `${who.name} may not enter ${dir} (mode ${(d.mode & 0o777).toString(8).padStart(4, '0')}, uid ${d.uid} gid ${d.gid})`;
    if (dir === dirname(dir)) return undefined;
  }
}
