// check-config against real servers' configs: each test config passes the server's own syntax check (nginx -t,
// apache2 -t, haproxy -c), real faults are injected (a stopped backend, a PHP-FPM socket owned by root with mode
// 0600, timeouts shorter than a real Gunicorn config's and PHP-FPM pool's, an app sending big headers), and the
// findings must name each fault's file and line.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer as httpServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { main } from '../src/cli/main.ts';
import type { CommandIo } from '../src/cli/io.ts';
import type { AuditReport } from '../src/config-audit/model.ts';
import { freePort } from './lab/ports.ts';
import { start, stop, type Started } from './lab/processes.ts';

const PHP_FPM = ['/usr/sbin/php-fpm8.2', '/usr/sbin/php-fpm'].find((p) => existsSync(p));
const APPS = fileURLToPath(new URL('./lab/apps/', import.meta.url));
const root = process.getuid?.() === 0;
const dir = mkdtempSync(join(tmpdir(), 'fivexx-check-'));
chmodSync(dir, 0o755);
const p = (f: string): string => join(dir, f);
let fpm: Started | undefined;
let bigHeaders: ReturnType<typeof httpServer> | undefined;
let dead = 0;
let big = 0;

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string[] }> {
  let out = '';
  const err: string[] = [];
  const io: CommandIo = { out: (t) => void (out += t), warn: (m) => void err.push(m), fail: (c, m) => (err.push(`${c}: ${m}`), 2), color: false };
  return { code: await main(argv, io), out, err };
}

function lineOf(file: string, needle: string): number {
  const text = spawnSync('cat', [file], { encoding: 'utf8' }).stdout;
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, `${needle} in ${file}`);
  return i + 1;
}

function syntaxOk(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr}${r.stdout}`);
}

before(async () => {
  dead = await freePort();
  bigHeaders = httpServer((_req, res) => {
    res.setHeader('Set-Cookie', Array.from({ length: 3 }, (_, i) => `s${i}=`.padEnd(2500, 'x')));
    res.end('ok');
  }).listen(0, '127.0.0.1');
  await new Promise((r) => bigHeaders?.once('listening', r));
  big = (bigHeaders.address() as { port: number }).port;
  writeFileSync(p('gunicorn.conf.py'), `bind = "127.0.0.1:${dead}"\nworkers = 2\ntimeout = 120\nkeepalive = 2\n`);
  writeFileSync(p('php-fpm.conf'), `[global]\npid = ${p('fpm.pid')}\nerror_log = ${p('fpm.log')}\ndaemonize = no\n[www]\n${root ? 'user = nobody\ngroup = nogroup\n' : ''}listen = ${p('fpm.sock')}\nlisten.owner = root\nlisten.group = root\nlisten.mode = 0600\npm = static\npm.max_children = 1\nrequest_terminate_timeout = 120s\n`);
  if (PHP_FPM && root) {
    fpm = start('php-fpm', PHP_FPM, ['-F', '-y', p('php-fpm.conf'), '-R'], p('fpm.stderr'));
    const until = Date.now() + 8000;
    while (!existsSync(p('fpm.sock')) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  }
});

after(async () => {
  if (fpm) await stop(fpm);
  bigHeaders?.close();
});

function nginxConf(port: number): string {
  return `user www-data;
worker_processes 1;
pid ${p('nginx.pid')};
events { worker_connections 64; }
http {
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  access_log off;
  upstream app {
    server 127.0.0.1:${dead}; # stopped backend
    keepalive 8;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://app;
      proxy_read_timeout 30s; # shorter than gunicorn
    }
    location /big/ {
      proxy_pass http://127.0.0.1:${big};
    }
    location ~ \\.php$ {
      include /etc/nginx/fastcgi_params;
      fastcgi_pass unix:${p('fpm.sock')};
    }
  }
}
`;
}

const wanted = (r: AuditReport, cause: string, file: string, line: number): boolean => r.findings.some((f) => f.cause === cause && f.file === file && f.line === line);

test('nginx: a stopped backend, a root-only PHP-FPM socket, big headers, short timeouts and keepalive are found at their lines', async (t) => {
  if (!existsSync('/usr/sbin/nginx') || !PHP_FPM || !root) return t.skip('needs nginx, php-fpm and root (to give the socket another owner than the worker)');
  const conf = p('nginx.conf');
  writeFileSync(conf, nginxConf(await freePort()));
  syntaxOk('/usr/sbin/nginx', ['-t', '-q', '-c', conf, '-p', dir, '-e', p('nginx-error.log')]);
  syntaxOk('/usr/bin/gunicorn', ['--check-config', '-c', p('gunicorn.conf.py'), '--chdir', APPS, 'wsgi_app:application']);
  syntaxOk(PHP_FPM, ['-t', '-y', p('php-fpm.conf')]);
  const r = await run('check-config', '--json', '--php-fpm-conf', p('php-fpm.conf'), '--gunicorn-conf', p('gunicorn.conf.py'), conf);
  assert.equal(r.code, 1, r.err.join('\n'));
  const report = JSON.parse(r.out) as AuditReport;
  assert.ok(report.files.includes(conf) && report.files.includes('/etc/nginx/fastcgi_params'), 'includes followed');
  const at = (needle: string): number => lineOf(conf, needle);
  assert.ok(wanted(report, 'upstream.refused', conf, at('# stopped backend')), JSON.stringify(report.findings, null, 1));
  assert.ok(wanted(report, 'upstream.permission_denied', conf, at('fastcgi_pass')));
  assert.ok(wanted(report, 'upstream.header_too_big', conf, at(`proxy_pass http://127.0.0.1:${big}`)));
  assert.ok(wanted(report, 'upstream.timeout', conf, at('# shorter than gunicorn')));
  assert.ok(wanted(report, 'upstream.timeout', conf, at('fastcgi_pass')), 'fastcgi_read_timeout default 60s < request_terminate_timeout 120s');
  assert.ok(wanted(report, 'upstream.unreachable', conf, at('proxy_pass http://app')), 'keepalive without HTTP/1.1');
  const errors = report.findings.filter((f) => f.severity === 'error').map((f) => f.cause).sort();
  assert.deepEqual(errors, ['upstream.header_too_big', 'upstream.permission_denied', 'upstream.refused']);

  // Repair the faults: the backend listens, the socket is opened to all; those errors go.
  const listener = createServer().listen(dead, '127.0.0.1');
  await new Promise((r2) => listener.once('listening', r2));
  chmodSync(p('fpm.sock'), 0o666);
  const fixed = JSON.parse((await run('check-config', '--json', '--php-fpm-conf', p('php-fpm.conf'), conf)).out) as AuditReport;
  listener.close();
  assert.deepEqual(fixed.findings.filter((f) => f.severity === 'error').map((f) => f.cause), ['upstream.header_too_big']);
});

test('Apache: a stopped backend, a root-only socket and ProxyTimeout below Gunicorn\'s timeout', async (t) => {
  if (!existsSync('/usr/sbin/apache2') || !root) return t.skip('needs apache2 and root');
  const conf = p('apache.conf');
  const mods = ['mpm_event', 'authz_core', 'proxy', 'proxy_http', 'proxy_fcgi'].map((m) => `LoadModule ${m}_module /usr/lib/apache2/modules/mod_${m}.so`).join('\n');
  writeFileSync(conf, `ServerRoot ${dir}\nServerName lab.test\nListen 127.0.0.1:${await freePort()}\nPidFile ${p('apache.pid')}\nDefaultRuntimeDir ${dir}\nMutex file:${dir} default\nErrorLog ${p('apache-error.log')}\n${mods}\nUser www-data\nGroup www-data\nProxyTimeout 30\n<FilesMatch "\\.php$">\n  SetHandler "proxy:unix:${p('fpm.sock')}|fcgi://localhost"\n</FilesMatch>\nProxyPass /app/ http://127.0.0.1:${dead}/\n`);
  if (existsSync(p('fpm.sock'))) chmodSync(p('fpm.sock'), 0o600);
  syntaxOk('/usr/sbin/apache2', ['-t', '-d', dir, '-f', conf]);
  const r = await run('check-config', '--json', '--gunicorn-conf', p('gunicorn.conf.py'), conf);
  assert.equal(r.code, 1);
  const report = JSON.parse(r.out) as AuditReport;
  assert.ok(wanted(report, 'upstream.refused', conf, lineOf(conf, 'ProxyPass /app/')), JSON.stringify(report.findings, null, 1));
  assert.ok(wanted(report, 'upstream.timeout', conf, lineOf(conf, 'ProxyTimeout')));
  if (fpm) assert.ok(wanted(report, 'upstream.permission_denied', conf, lineOf(conf, 'SetHandler')));
});

test('HAProxy: a stopped backend without health check and timeout server below Gunicorn\'s timeout; a clean config exits 0', async (t) => {
  if (!existsSync('/usr/sbin/haproxy')) return t.skip('needs haproxy');
  const conf = p('haproxy.cfg');
  writeFileSync(conf, `global\n  pidfile ${p('haproxy.pid')}\ndefaults\n  mode http\n  timeout connect 1s\n  timeout client 10s\n  timeout server 30s\nfrontend fe\n  bind 127.0.0.1:${await freePort()}\n  default_backend app\nbackend app\n  server app1 127.0.0.1:${dead}\n`);
  syntaxOk('/usr/sbin/haproxy', ['-c', '-q', '-f', conf]);
  const r = await run('check-config', '--json', '--gunicorn-conf', p('gunicorn.conf.py'), conf);
  assert.equal(r.code, 1);
  const report = JSON.parse(r.out) as AuditReport;
  const server = lineOf(conf, 'server app1');
  assert.ok(wanted(report, 'upstream.refused', conf, server));
  assert.ok(report.findings.some((f) => f.line === server && f.severity === 'info' && /no health check/.test(f.message)));
  assert.ok(wanted(report, 'upstream.timeout', conf, lineOf(conf, 'timeout server')));
  const clean = p('clean.cfg');
  writeFileSync(clean, `defaults\n  mode http\n  timeout connect 1s\n  timeout client 10s\n  timeout server 130s\nfrontend fe\n  bind 127.0.0.1:${await freePort()}\n  default_backend app\nbackend app\n  server app1 127.0.0.1:${big} check\n`);
  syntaxOk('/usr/sbin/haproxy', ['-c', '-q', '-f', clean]);
  const ok = await run('check-config', '--gunicorn-conf', p('gunicorn.conf.py'), clean);
  assert.equal(ok.code, 0, ok.out);
  assert.match(ok.out, /0 error\(s\), 0 warning\(s\)/);
});

test('bad input: a missing file and a file of no known server exit 2 with one coded line', async () => {
  const missing = await run('check-config', p('nope.conf'));
  assert.deepEqual([missing.code, missing.err.length], [2, 1]);
  assert.match(missing.err[0] ?? '', /^FIVEXX_PATH_NOT_FOUND: /);
  writeFileSync(p('garbage.txt'), 'hello world\n');
  const garbage = await run('check-config', p('garbage.txt'));
  assert.match(garbage.err[0] ?? '', /^FIVEXX_CONFIG_INVALID: /);
});

test('Debian\'s own configs: every include read, no note, nothing to report', async (t) => {
  if (!existsSync('/etc/nginx/nginx.conf') || !existsSync('/etc/apache2/apache2.conf') || !existsSync('/etc/haproxy/haproxy.cfg')) return t.skip('the Debian packages\' configs are not installed');
  const r = await run('check-config', '--json', '--no-app-defaults', '--no-probe');
  const report = JSON.parse(r.out) as AuditReport;
  assert.equal(r.code, 0, r.out);
  for (const f of ['/etc/nginx/mime.types', '/etc/apache2/ports.conf', '/etc/apache2/sites-enabled/000-default.conf', '/etc/haproxy/haproxy.cfg']) {
    if (existsSync(f)) assert.ok(report.files.includes(f), `${f} read`);
  }
  assert.deepEqual(report.findings.filter((f) => f.severity !== 'info'), []);
});
