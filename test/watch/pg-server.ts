// A throwaway PostgreSQL server for tests: Debian's binaries, a temporary data folder, 127.0.0.1 on a free port,
// run as the `postgres` user when the test runs as root (PostgreSQL refuses root). Stop it with stop().
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { after, before } from 'node:test';
import { join } from 'node:path';
import { freePort, waitForPort } from '../lab/ports.ts';

const BIN = '/usr/lib/postgresql/15/bin';

export interface PgServer {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  /** Kills the server with SIGKILL (crash test) or stops it with SIGINT (fast shutdown). */
  stop(signal?: 'SIGKILL' | 'SIGINT'): Promise<void>;
  /** Starts it again on the same data folder and port. */
  restart(): Promise<void>;
  /** Stops it and deletes its folder. */
  destroy(): Promise<void>;
}

/** Why PostgreSQL tests cannot run here, or false. */
export function pgMissing(): string | false {
  if (!existsSync(join(BIN, 'initdb')) || !existsSync(join(BIN, 'postgres'))) return `PostgreSQL is not installed in ${BIN} (apt-get install postgresql)`;
  if (process.getuid?.() === 0 && spawnSync('id', ['-u', 'postgres']).status !== 0) return 'running as root and there is no postgres user to run the server as';
  return false;
}

/** The command prefix that runs a PostgreSQL binary as a user allowed to. */
function asPg(cmd: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
}

export async function startPg(): Promise<PgServer> {
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-pg-'));
  if (process.getuid?.() === 0) {
    const uid = Number(spawnSync('id', ['-u', 'postgres']).stdout.toString());
    const gid = Number(spawnSync('id', ['-g', 'postgres']).stdout.toString());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const [cmd, args] = asPg(join(BIN, 'initdb'), ['-D', data, '-U', 'fivexx', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const init = spawnSync(cmd, args, { encoding: 'utf8', timeout: 60_000 });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const port = await freePort();
  let proc: ChildProcess | undefined;
  const launch = async (): Promise<void> => {
    // After a SIGKILL the old backends take a moment to notice and leave shared memory: retry for up to 60 s
    // (a count of tries would be a time bound that a loaded machine can miss).
    const retryEnd = Date.now() + 60_000;
    for (;;) {
      const [c, a] = asPg(join(BIN, 'postgres'), ['-D', data, '-h', '127.0.0.1', '-p', String(port), '-k', dir, '-c', 'max_connections=60', '-c', 'shared_buffers=16MB', '-c', 'log_min_messages=fatal']);
      const p = spawn(c, a, { stdio: 'ignore' });
      proc = p;
      const died = new Promise<boolean>((r) => p.once('exit', () => r(true)));
      const up = waitForPort(port, 30_000).then(() => false, () => true);
      if (!(await Promise.race([up, died]))) break;
      if (Date.now() > retryEnd) throw new Error('postgres does not start (60 s of retries after it exited)');
      await new Promise((res) => setTimeout(res, 500));
    }
    // Accepting TCP is not accepting logins: wait for the end of recovery too (a loaded machine may take a while).
    const end = Date.now() + 90_000;
    while (Date.now() < end) {
      const r = spawnSync(join(BIN, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)], { timeout: 5000 });
      if (r.status === 0) return;
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error('postgres does not accept connections 90 s after it started');
  };
  const stop = async (signal: 'SIGKILL' | 'SIGINT' = 'SIGINT'): Promise<void> => {
    const p = proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    // The signal goes to postgres itself (runuser's child), named in its postmaster.pid.
    const pid = Number(spawnSync('head', ['-1', join(data, 'postmaster.pid')], { encoding: 'utf8' }).stdout.trim());
    if (pid > 0) process.kill(pid, signal);
    else p.kill('SIGKILL');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
  };
  await launch();
  return {
    url: `postgres://fivexx@127.0.0.1:${port}/postgres`, port, dir, stop, restart: launch,
    async destroy() {
      await stop('SIGINT');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh database on the server, so tests sharing one server do not see each other's rows. */
export async function createDb(server: PgServer, name: string): Promise<string> {
  const pg = (await import('pg')).default;
  const c = new pg.Client({ connectionString: server.url });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  return server.url.replace(/\/postgres$/, `/${name}`);
}

/** One PostgreSQL server for a whole test file: started before its tests unless PostgreSQL is missing or the
 * file's tests skip for a reason of their own (`skip` says why), destroyed after them; `db()` creates a fresh
 * database on it and returns its URL. */
export interface FilePg {
  readonly skip: string | false;
  server(): PgServer;
  db(prefix: string): Promise<string>;
}

export function pgForFile(skipAnyway: string | false = false): FilePg {
  const skip = skipAnyway || pgMissing();
  let server: PgServer | undefined;
  let dbs = 0;
  before(async () => {
    if (!skip) server = await startPg();
  });
  after(async () => {
    await server?.destroy();
  });
  const running = (): PgServer => {
    if (!server) throw new Error('the PostgreSQL server of this file is not running (skipped or not started)');
    return server;
  };
  return { skip, server: running, db: (prefix) => createDb(running(), `${prefix}${++dbs}`) };
}
