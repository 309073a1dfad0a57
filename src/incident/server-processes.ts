// Collector: the web and app server processes running (from a /proc root), their open files against their limit.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fsReason } from './fs-reason.ts';
import type { Collected, Unavailable } from './types.ts';

export interface ServerProcesses {
  readonly name: string;
  readonly pids: readonly number[];
  /** The most open files of any of its processes, and that process's soft limit. */
  readonly maxOpenFiles: number | null;
  readonly limit: number | null;
}

const SERVER = /^(?:nginx|apache2|httpd|haproxy|php-fpm[\d.]*|caddy|varnishd|gunicorn|uwsgi|puma|unicorn|node|java|python3?)$/;
const MAX_PIDS = 20_000;

async function openFiles(proc: string, pid: number): Promise<{ n: number; limit: number | null } | Error> {
  try {
    const fds = await readdir(join(proc, String(pid), 'fd'));
    const limits = await readFile(join(proc, String(pid), 'limits'), 'utf8').catch(() => '');
    const m = /^Max open files\s+(\d+)/m.exec(limits);
    return { n: fds.length, limit: m?.[1] ? Number(m[1]) : null };
  } catch (err) {
    return err as Error;
  }
}

/** Server processes grouped by name; open-file counts a process may not read are said per server. */
export async function collectServerProcesses(proc: string): Promise<Collected<ServerProcesses[]>> {
  const unavailable: Unavailable[] = [];
  let names: string[];
  try {
    names = (await readdir(proc)).filter((n) => /^\d+$/.test(n)).slice(0, MAX_PIDS);
  } catch (err) {
    return { found: [], looked: [proc], unavailable: [{ what: `processes in ${proc}`, reason: fsReason(err) }] };
  }
  const groups = new Map<string, { pids: number[]; max: number | null; limit: number | null; denied: string | null }>();
  for (const n of names) {
    const comm = (await readFile(join(proc, n, 'comm'), 'utf8').catch(() => '')).trim();
    if (!SERVER.test(comm)) continue;
    const g = groups.get(comm) ?? { pids: [], max: null, limit: null, denied: null };
    groups.set(comm, g);
    g.pids.push(Number(n));
    const f = await openFiles(proc, Number(n));
    if (f instanceof Error) g.denied ??= fsReason(f);
    else if (g.max === null || f.n > g.max) Object.assign(g, { max: f.n, limit: f.limit });
  }
  const found = [...groups].map(([name, g]) => {
    if (g.denied) unavailable.push({ what: `open files of ${name} (pid ${g.pids.slice(0, 5).join(', ')})`, reason: g.denied });
    return { name, pids: g.pids, maxOpenFiles: g.max, limit: g.limit };
  });
  return { found, looked: [`${proc}/[pid]/comm, fd, limits`], unavailable };
}
