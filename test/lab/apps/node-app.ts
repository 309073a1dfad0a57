// A small real Node.js app for the lab: routes that succeed, stall, throw, fail on the database or die.
// Logs JSON lines with pino, as many production Node apps do; a crash prints Node's own stack to stderr.
import { openSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { createClient } from 'redis';
import { pino } from 'pino';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i] ?? '', process.argv[i + 1] ?? '');
const port = Number(args.get('--port'));
const dbPort = Number(args.get('--db-port') ?? '1');
const buggy = args.get('--buggy') === '1';
const log = pino();
const openFiles: number[] = [];

function boom(): never {
  throw new TypeError("Cannot read properties of undefined (reading 'total')");
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://lab');
  const reqInfo = { method: req.method, url: req.url };
  const fail = (err: unknown, msg: string): void => {
    log.error({ err, req: reqInfo }, msg);
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end('Internal Server Error');
  };
  try {
    if (url.pathname === '/slow') {
      const ms = Number(url.searchParams.get('ms') ?? '3000');
      setTimeout(() => res.end('slow done\n'), ms).unref();
      return;
    }
    if (url.pathname === '/throw' || (buggy && url.pathname.startsWith('/api'))) boom();
    if (url.pathname === '/db') {
      const client = new pg.Client({ host: '127.0.0.1', port: dbPort, user: 'app', database: 'shop', connectionTimeoutMillis: 1000 });
      client.connect().then(
        () => res.end('db ok\n'),
        (err: unknown) => fail(err, 'database query failed'),
      );
      return;
    }
    if (url.pathname === '/die') {
      process.kill(process.pid, 'SIGKILL');
      return;
    }
    if (url.pathname === '/die-mid-body') {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '100000' });
      res.write('x'.repeat(1000), () => setTimeout(() => process.kill(process.pid, 'SIGKILL'), 50));
      return;
    }
    if (url.pathname === '/mysql') {
      mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'shop', database: 'shop', connectTimeout: 1000 }).then(
        async (c) => {
          await c.end();
          res.end('mysql ok\n');
        },
        (err: unknown) => fail(err, 'order query failed'),
      );
      return;
    }
    if (url.pathname === '/redis') {
      const client = createClient({ socket: { host: '127.0.0.1', port: 6379, reconnectStrategy: false, connectTimeout: 1000 } });
      client.on('error', () => undefined);
      client.connect().then(
        async () => {
          await client.quit();
          res.end('redis ok\n');
        },
        (err: unknown) => fail(err, 'session store unavailable'),
      );
      return;
    }
    if (url.pathname === '/cache') {
      // A session store on Redis's port that is not running: what a Redis client reports as ECONNREFUSED.
      const sock = connect(6379, '127.0.0.1');
      sock.once('connect', () => {
        sock.destroy();
        res.end('cache ok\n');
      });
      sock.once('error', (err) => fail(err, 'session store unavailable'));
      return;
    }
    if (url.pathname === '/partner') {
      fetch(`http://127.0.0.1:${dbPort + 1}/v1/rates`, { signal: AbortSignal.timeout(2000) }).then(
        () => res.end('rates ok\n'),
        (err: unknown) => fail(err, 'exchange-rate API call failed'),
      );
      return;
    }
    if (url.pathname === '/hog') {
      // Real memory (outside the V8 heap) until the memory cgroup's limit makes the kernel kill us.
      const hog: Buffer[] = [];
      const grow = (): void => {
        hog.push(Buffer.alloc(8 << 20, 1));
        setTimeout(grow, 5);
      };
      grow();
      return;
    }
    if (url.pathname === '/oom') {
      const hog: string[][] = [];
      for (;;) hog.push(Array.from({ length: 100_000 }, (_, i) => `${i}-${Math.random()}`));
    }
    if (url.pathname === '/disk') {
      writeFileSync('/dev/full', `order ${Date.now()}\n`);
      res.end('saved\n');
      return;
    }
    if (url.pathname === '/files') {
      for (let i = 0; i < 40; i++) openFiles.push(openSync('/dev/null', 'r'));
      res.end(`open files: ${openFiles.length}\n`);
      return;
    }
    if (url.pathname === '/report') {
      const pkg = 'pdf-report-renderer';
      import(pkg).then(
        () => res.end('report\n'),
        (err: unknown) => fail(err, 'report failed'),
      );
      return;
    }
    if (url.pathname === '/big-header') {
      res.writeHead(200, { 'set-cookie': `session=${'s'.repeat(12_000)}` });
      res.end('big\n');
      return;
    }
    if (url.pathname === '/crash') {
      setImmediate(() => {
        throw new RangeError('Invalid array length');
      });
      return;
    }
    res.end(`ok ${url.pathname}\n`);
  } catch (err) {
    fail(err, 'request failed');
  }
});
server.listen(port, '127.0.0.1', () => log.info({ port }, 'listening'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
