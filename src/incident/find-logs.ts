// Collector: the server and app logs on this host, found by themselves (nginx, apache2, php-fpm, haproxy, the app's).
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fsReason, isMissing } from './fs-reason.ts';
import type { Collected, Unavailable } from './types.ts';

export interface FoundLog {
  readonly path: string;
  readonly kind: 'nginx' | 'apache2' | 'php-fpm' | 'haproxy' | 'app' | 'deploy';
  readonly bytes: number;
  readonly modified: string;
}

interface Place {
  readonly dir: string;
  readonly kind: FoundLog['kind'];
  /** Which file names in the folder are logs. */
  readonly match: (name: string) => boolean;
}

const isLog = (n: string): boolean => n.endsWith('.log');
const DEPLOY = /^deploy(?:s|ment)?\.log$/;

function places(varLog: string, app: string | undefined): Place[] {
  const list: Place[] = [
    { dir: join(varLog, 'nginx'), kind: 'nginx', match: isLog },
    { dir: join(varLog, 'apache2'), kind: 'apache2', match: isLog },
    { dir: join(varLog, 'httpd'), kind: 'apache2', match: (n) => n.endsWith('_log') || isLog(n) },
    { dir: varLog, kind: 'php-fpm', match: (n) => /^php[\d.]*-fpm\.log$/.test(n) },
    { dir: varLog, kind: 'haproxy', match: (n) => n === 'haproxy.log' },
    { dir: varLog, kind: 'deploy', match: (n) => DEPLOY.test(n) },
  ];
  if (app) {
    for (const sub of ['log', 'logs', 'storage/logs', 'var/log']) list.push({ dir: join(app, sub), kind: 'app', match: (n) => isLog(n) && !DEPLOY.test(n) });
    for (const sub of ['', 'log', 'logs']) list.push({ dir: join(app, sub), kind: 'deploy', match: (n) => DEPLOY.test(n) });
  }
  return list;
}

/** Whether this process can open the file for reading (a folder listing does not say). */
async function readable(path: string): Promise<string | undefined> {
  try {
    await (await open(path, 'r')).close();
    return undefined;
  } catch (err) {
    return fsReason(err);
  }
}

/** Logs in the usual places, each checked for read access; unreadable ones and folders are said. */
export async function findLogs(varLog: string, app: string | undefined): Promise<Collected<FoundLog[]>> {
  const found: FoundLog[] = [];
  const looked: string[] = [];
  const unavailable: Unavailable[] = [];
  const listed = new Map<string, Promise<string[] | Error>>();
  for (const p of places(varLog, app)) {
    if (!listed.has(p.dir)) listed.set(p.dir, readdir(p.dir).then((n) => n.sort(), (e: Error) => e));
    const names = await listed.get(p.dir);
    if (names instanceof Error) {
      if (!isMissing(names) && !unavailable.some((u) => u.what === p.dir)) unavailable.push({ what: p.dir, reason: fsReason(names) });
      continue;
    }
    if (!looked.includes(p.dir)) looked.push(p.dir);
    for (const name of names ?? []) {
      if (!p.match(name)) continue;
      const path = join(p.dir, name);
      const s = await stat(path).catch(() => undefined);
      if (!s?.isFile()) continue;
      const denied = await readable(path);
      if (denied) unavailable.push({ what: path, reason: denied });
      else found.push({ path, kind: p.kind, bytes: s.size, modified: new Date(s.mtimeMs).toISOString() });
    }
  }
  return { found, looked, unavailable };
}
