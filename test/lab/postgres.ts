// A real PostgreSQL for the lab: a throw-away cluster in the lab's folder, run as the postgres user.
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync } from 'node:fs';
import pg from 'pg';
import type { Lab } from './lab.ts';
import { waitForPort } from './ports.ts';

const BIN = '/usr/lib/postgresql/15/bin';
export const POSTGRES_TOOLS = [`${BIN}/initdb`, `${BIN}/postgres`, '/usr/bin/setpriv'];

function postgresUser(): { uid: number; gid: number } | undefined {
  const id = (flag: string): number => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const uid = id('-u');
  const gid = id('-g');
  return Number.isInteger(uid) && uid > 0 && Number.isInteger(gid) ? { uid, gid } : undefined;
}

/** Creates and starts a cluster on 127.0.0.1:`port` with `maxConnections` (no reserved slots); user "app", trust auth. */
export async function startPostgres(lab: Lab, port: number, maxConnections: number): Promise<void> {
  const user = postgresUser();
  if (!user || !existsSync(`${BIN}/initdb`)) throw new Error('no postgres user or PostgreSQL 15 binaries');
  const dir = lab.path('pg');
  mkdirSync(dir, { mode: 0o700 });
  chownSync(dir, user.uid, user.gid);
  const asPostgres = ['--reuid=postgres', '--regid=postgres', '--clear-groups', '--'];
  const init = spawnSync('/usr/bin/setpriv', [...asPostgres, `${BIN}/initdb`, '-D', dir, '-A', 'trust', '-U', 'app', '--no-sync'], { encoding: 'utf8', timeout: 60_000 });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr.slice(0, 300)}`);
  lab.startHelper('postgres', '/usr/bin/setpriv', [...asPostgres, `${BIN}/postgres`, '-D', dir, '-p', String(port), '-k', dir,
    '-c', 'listen_addresses=127.0.0.1', '-c', `max_connections=${maxConnections}`, '-c', 'superuser_reserved_connections=0', '-c', 'fsync=off']);
  await waitForPort(port, 30_000);
}

/** Connects, retrying for up to 10 s while the server answers "the database system is starting up". */
async function connectWhenReady(port: number): Promise<pg.Client> {
  const until = Date.now() + 10_000;
  for (;;) {
    const c = new pg.Client({ host: '127.0.0.1', port, user: 'app', database: 'postgres', connectionTimeoutMillis: 5000 });
    try {
      await c.connect();
      return c;
    } catch (e) {
      await c.end().catch(() => undefined);
      if (Date.now() > until || !(e instanceof Error) || !e.message.includes('starting up')) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** Opens `n` sessions that hold a connection slot each; the caller ends them. */
export async function holdConnections(port: number, n: number): Promise<pg.Client[]> {
  const clients: pg.Client[] = [];
  for (let i = 0; i < n; i++) {
    clients.push(await connectWhenReady(port));
  }
  return clients;
}
