// `fivexx watch --config FILE [--port N] [--data DIR] [--db URL]`: runs until SIGINT/SIGTERM.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FivexxError } from '../errors/codes.ts';
import { hashPassword } from '../web/auth.ts';
import { WatchServer } from '../web/server.ts';
import { loadWatchConfig } from '../watch/config.ts';
import { WatchService } from '../watch/service.ts';
import { escapeControls } from '../report/safe-text.ts';
import { urlForMessage } from '../report/redact.ts';
import type { PostgresStore } from '../watch/store/postgres-store.ts';
import { openSqliteStore } from '../watch/store/sqlite-store.ts';
import type { Store } from '../watch/store/types.ts';
import type { CommandIo } from './io.ts';

export const WATCH_HELP = `Usage: fivexx watch --config FILE [options]

Probes the config's targets on their intervals, keeps their state and history, opens incidents that
name the cause, alerts through the configured channels, and serves /healthz, /metrics, /status and
the JSON API. Runs until stopped (Ctrl-C or SIGTERM).

Options:
  --config FILE   the watch config (YAML; see examples/watch/ and docs/watch.md)
  --port N        HTTP port on 127.0.0.1 (default 9505; 0 picks a free one)
  --host ADDR     address to listen on (default 127.0.0.1)
  --data DIR      data folder for the embedded database (default ~/.local/share/fivexx)
  --db URL        PostgreSQL instead of the embedded database (postgres://USER[:PASS]@HOST:PORT/DB);
                  several instances on one database share the history and split the targets
  --hash-password read a password from stdin and print its scrypt hash for the config's users[].passwordHash
  --demo          no config needed: watch a demo site on loopback that breaks every minute and recovers,
                  with alerts printed here (data in a temporary folder)
  -h, --help      this help`;

function defaultData(): string {
  return process.env.XDG_DATA_HOME ? join(process.env.XDG_DATA_HOME, 'fivexx') : join(homedir(), '.local', 'share', 'fivexx');
}

/** The database: PostgreSQL for --db, else SQLite in the data folder. */
async function openStore(db: string | undefined, data: string | undefined): Promise<Store> {
  if (db) return (await import('../watch/store/postgres-store.ts')).openPostgresStore(db);
  return openSqliteStore(data ?? defaultData());
}

/** One line for a store error at run time, coded, with no password in it. */
function errorLine(err: unknown, store: Store): string {
  const msg = err instanceof Error ? err.message : String(err);
  const code = err instanceof FivexxError ? err.code : 'FIVEXX_DB_UNAVAILABLE';
  const where = store.kind === 'postgres' ? `${(store as PostgresStore).where}: ` : '';
  return `${code}: ${where}${escapeControls(msg.split('\n')[0] ?? '')}`;
}

/** `--hash-password`: the first line of stdin (at most 1,000 characters) becomes an scrypt hash on stdout. */
async function hashFromStdin(io: CommandIo): Promise<number> {
  let text = '';
  for await (const c of process.stdin as AsyncIterable<Buffer>) {
    text += c.toString('utf8');
    if (text.length > 4096) break;
  }
  const password = text.split(/\r?\n/)[0] ?? '';
  if (password.length < 8 || password.length > 1000) return io.fail('FIVEXX_USAGE', 'watch --hash-password: give a password of 8 to 1000 characters on stdin');
  io.out((await hashPassword(password)) + '\n');
  return 0;
}

export async function watchCommand(argv: string[], io: CommandIo, until?: Promise<void>): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: {
      config: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, data: { type: 'string' }, db: { type: 'string' }, demo: { type: 'boolean' }, 'hash-password': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    } });
  } catch (err) {
    return io.fail('FIVEXX_USAGE', `watch: ${(err as Error).message.split('\n')[0] ?? ''}`);
  }
  const v = parsed.values;
  if (v.help) {
    io.out(WATCH_HELP + '\n');
    return 0;
  }
  if (v['hash-password']) return hashFromStdin(io);
  if (v.demo) return (await import('./watch-demo.ts')).watchDemo(io, until);
  if (!v.config) return io.fail('FIVEXX_USAGE', 'watch: give --config FILE, or --demo (see fivexx watch --help)');
  const port = Number(v.port ?? 9505);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return io.fail('FIVEXX_OPTION_INVALID', `watch: --port ${v.port ?? ''}: a port from 0 to 65535`);
  if (v.db && !/^postgres(?:ql)?:\/\//i.test(v.db)) return io.fail('FIVEXX_OPTION_INVALID', `watch: --db ${urlForMessage(v.db)}: give a postgres://USER@HOST:PORT/DB URL (or no --db for the embedded database)`);
  try {
    const config = loadWatchConfig(v.config);
    const store = await openStore(v.db, v.data);
    const watch = new WatchService(config, {
      store, onError: (err) => io.warn(`watch: ${errorLine(err, store)}`), onLogNote: (source, note) => io.warn(`watch: ${escapeControls(`${source}: ${note}`)}`),
    });
    const server = new WatchServer(watch);
    const bound = await server.listen(port, v.host ?? '127.0.0.1');
    watch.start();
    io.warn(`watch: ${config.targets.length} target(s), ${store.kind === 'postgres' ? `database ${(store as PostgresStore).where}, instance ${watch.instance}` : 'embedded database'}, http://${v.host ?? '127.0.0.1'}:${bound}/ (healthz, metrics, status, api)`);
    return await serveUntilStopped({ watch, server, store }, until);
  } catch (err) {
    if (err instanceof FivexxError) return io.fail(err.code, `watch: ${err.message}`);
    throw err;
  }
}

/** Runs until `until` settles (tests) or SIGINT/SIGTERM, then stops the engine, the server and the store, in that order. */
export async function serveUntilStopped(parts: { watch: WatchService; server: WatchServer; store: { close(): Promise<void> } }, until?: Promise<void>): Promise<number> {
  await (until ?? new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  }));
  await parts.watch.stop();
  await parts.server.close();
  await parts.store.close();
  return 0;
}
