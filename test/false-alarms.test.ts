// No false alarms, on real servers (127.0.0.1, temporary configs): Debian's nginx with its stream and mail modules,
// PHP-FPM and uWSGI. nginx's stream/mail records, a request retried to another upstream and answered, PHP-FPM's
// "Primary script unknown" (404) and a rate limit answered 429 make no 5xx incident; a rate limit answered with
// nginx's default 503 does; uWSGI's "(HTTP/1.1 500)" is read as the status.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { accessFormat } from '../src/catalog/formats.ts';
import { runAnalysis } from '../src/engine/run-analysis.ts';
import type { Analysis } from '../src/events/analysis.ts';
import { freePort, waitForPort } from './lab/ports.ts';
import { start, stop, type Started } from './lab/processes.ts';

const MODULES = '/usr/lib/nginx/modules';
const PHP_FPM = ['/usr/sbin/php-fpm8.2', '/usr/sbin/php-fpm'].find((p) => existsSync(p));
const HOST_URI = '$remote_addr - $remote_user [$time_local] "$host$request_uri" $status $body_bytes_sent "$http_referer" "$http_user_agent" us="$upstream_status" ua="$upstream_addr"';

const dir = mkdtempSync(join(tmpdir(), 'fivexx-false-alarms-'));
chmodSync(dir, 0o755);
const started: Started[] = [];
after(async () => {
  for (const p of started.reverse()) await stop(p);
  rmSync(dir, { recursive: true, force: true });
});
const log = (f: string): string => join(dir, 'logs', f);

function get(port: number, path: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host: 'lab.test' }, timeout: 5000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });
}

/** Opens a TCP connection, sends `text`, and waits for the server to close it (or `ms`). */
function talk(port: number, text: string, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const c = connect(port, '127.0.0.1', () => c.write(text));
    const done = (): void => {
      clearTimeout(timer);
      c.destroy();
      resolve();
    };
    const timer = setTimeout(done, ms);
    c.on('data', () => undefined);
    c.on('close', done);
    c.on('error', done);
  });
}

async function analyze(paths: string[], logFormat?: string): Promise<Analysis> {
  const r = await runAnalysis({
    paths, forced: new Map(), extraFormats: logFormat ? [accessFormat('nginx-access:hostreq', logFormat)] : [], changes: [], tz: 'UTC',
    since: undefined, until: undefined, gapMs: 120_000, triggerWindowMs: 1_800_000,
  });
  assert.ok(r.ok, JSON.stringify(r));
  return r.analysis;
}

function nginxConf(p: Record<string, number>): string {
  return `load_module ${MODULES}/ngx_stream_module.so;
load_module ${MODULES}/ngx_mail_module.so;
pid ${dir}/nginx.pid;
error_log ${log('error.log')} info;
daemon off;
events { worker_connections 64; }
http {
  client_body_temp_path ${dir}/tmp; proxy_temp_path ${dir}/tmp; fastcgi_temp_path ${dir}/tmp; uwsgi_temp_path ${dir}/tmp; scgi_temp_path ${dir}/tmp;
  log_format hostreq '${HOST_URI}';
  access_log ${log('access.log')} hostreq;
  limit_req_zone $binary_remote_addr zone=one:1m rate=1r/m;
  upstream pair { server 127.0.0.1:${p.dead}; server 127.0.0.1:${p.backup} backup; }
  server { listen 127.0.0.1:${p.backup}; access_log off; location / { return 200 "backup\\n"; } }
  server {
    listen 127.0.0.1:${p.http}; server_name lab.test;
    location /retry { proxy_pass http://pair; }
    location /limited429 { limit_req zone=one; limit_req_status 429; proxy_pass http://127.0.0.1:${p.backup}; }
    location /limited { limit_req zone=one; proxy_pass http://127.0.0.1:${p.backup}; }
    location ~ \\.php$ { fastcgi_pass unix:${dir}/fpm.sock; include /etc/nginx/fastcgi_params; fastcgi_param SCRIPT_FILENAME ${dir}/www$fastcgi_script_name; }
  }
}
stream { server { listen 127.0.0.1:${p.stream}; proxy_pass 127.0.0.1:${p.dead}; } }
mail {
  server_name mail.lab.test; auth_http 127.0.0.1:${p.dead}/auth;
  resolver 127.0.0.1:${p.dns}; resolver_timeout 1s;
  server { listen 127.0.0.1:${p.smtp}; protocol smtp; smtp_auth none; }
}
`;
}

function fpmConf(): string {
  const root = process.getuid?.() === 0;
  return `[global]\npid = ${dir}/fpm.pid\nerror_log = ${log('php-fpm.log')}\ndaemonize = no\n[www]\n${root ? 'user = nobody\ngroup = nogroup\n' : ''}` +
    `listen = ${dir}/fpm.sock\nlisten.mode = 0666\npm = static\npm.max_children = 1\n`;
}

const canRun = existsSync('/usr/sbin/nginx') && existsSync(`${MODULES}/ngx_stream_module.so`) && existsSync(`${MODULES}/ngx_mail_module.so`) && PHP_FPM !== undefined;

test('nginx stream/mail records, a retried request, a 404 and a 429 make no 5xx incident; the default 503 of a rate limit does', { timeout: 60_000 }, async (t) => {
  if (!canRun || !PHP_FPM) {
    t.skip('needs nginx with libnginx-mod-stream and libnginx-mod-mail, and php-fpm (.ci/run installs them)');
    return;
  }
  for (const d of ['logs', 'tmp', 'www']) mkdirSync(join(dir, d), { recursive: true });
  const p: Record<string, number> = {};
  for (const k of ['http', 'backup', 'dead', 'stream', 'smtp', 'dns']) p[k] = await freePort();
  writeFileSync(join(dir, 'nginx.conf'), nginxConf(p));
  writeFileSync(join(dir, 'fpm.conf'), fpmConf());
  const fpm = start('php-fpm', PHP_FPM, ['-F', '-y', join(dir, 'fpm.conf'), ...(process.getuid?.() === 0 ? ['-R'] : [])], join(dir, 'fpm.stderr'));
  started.push(fpm);
  const nginx = start('nginx', '/usr/sbin/nginx', ['-c', join(dir, 'nginx.conf'), '-p', dir], join(dir, 'nginx.stderr'));
  started.push(nginx);
  await waitForPort(p.http ?? 0);
  for (let i = 0; i < 50 && !existsSync(join(dir, 'fpm.sock')); i++) await new Promise((r) => setTimeout(r, 100));

  const statuses = [];
  for (const path of ['/retry/a', '/limited429', '/limited429', '/limited', '/limited', '/missing.php']) statuses.push(await get(p.http ?? 0, path));
  assert.deepEqual(statuses, [200, 200, 429, 503, 503, 404]);
  await talk(p.stream ?? 0, 'x', 3000);
  await talk(p.smtp ?? 0, 'EHLO x\r\n', 3000);
  await stop(nginx);
  const error = readFileSync(log('error.log'), 'utf8');
  t.diagnostic(error.split('\n').filter((l) => /\[error\]/.test(l)).join('\n'));
  assert.match(error, /connect\(\) failed \(111: Connection refused\) while connecting to upstream, client: 127\.0\.0\.1, server: 127\.0\.0\.1:\d+, upstream: "127\.0\.0\.1:\d+", bytes from\/to client/);
  assert.match(error, /could not be resolved \(110: Operation timed out\) while in resolving client address, client: 127\.0\.0\.1, server: 127\.0\.0\.1:\d+$/m);

  // The error log alone: stream/mail records and the 404 are set aside and said; the rate limit is nginx's default 503.
  const alone = await analyze([log('error.log')]);
  const evidence = alone.incidents.flatMap((i) => i.evidence.map((e) => e.text));
  assert.ok(!evidence.some((e) => /bytes from\/to|resolving client address/.test(e)), evidence.join('\n'));
  assert.ok(!alone.incidents.some((i) => i.cause === 'app.script_not_found' || i.cause === 'upstream.dns'));
  assert.deepEqual(alone.incidents.find((i) => i.cause === 'gateway.rate_limited')?.statuses, { 503: 3 });
  assert.ok(alone.notes?.some((n) => /^1 nginx error record\(s\) of the stream .* proxy name no HTTP request/.test(n)), String(alone.notes));
  assert.ok(alone.notes?.some((n) => /^1 nginx error record\(s\) of the mail proxy/.test(n)), String(alone.notes));
  assert.ok(alone.notes?.some((n) => /^1 record\(s\) of app\.script_not_found, which answers 404/.test(n)), String(alone.notes));

  // With the access log (its log_format given, "$host$request_uri" split): the statuses are the access log's.
  const all = await analyze([log('error.log'), log('access.log')], HOST_URI);
  assert.deepEqual(all.incidents.map((i) => [i.cause, i.statuses]), [['gateway.rate_limited', { 503: 2 }]]);
  assert.deepEqual(all.incidents[0]?.scope.paths, [['/limited', 2]]);
  assert.equal(all.totals.requests, 6);
  assert.ok(all.notes?.some((n) => /^1 request\(s\) retried to another upstream and answered/.test(n)), String(all.notes));
});

test('uWSGI: "(HTTP/1.1 500)" is read as the status, a traceback is the cause of its request', { timeout: 30_000 }, async (t) => {
  if (!existsSync('/usr/bin/uwsgi')) {
    t.skip('needs uwsgi with the python3 plugin (.ci/run installs it)');
    return;
  }
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const app = join(dir, 'app500.py');
  writeFileSync(app, `def application(environ, start_response):
    path = environ.get("PATH_INFO", "/")
    if path.startswith("/error"):
        start_response("500 Internal Server Error", [("Content-Type", "text/plain")])
        return [b"failed\\n"]
    if path.startswith("/unavail"):
        start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
        return [b"busy\\n"]
    if path.startswith("/boom"):
        raise RuntimeError("boom")
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok\\n"]
`);
  const port = await freePort();
  const uwsgi = start('uwsgi', '/usr/bin/uwsgi', ['--plugin', 'python3', '--http-socket', `127.0.0.1:${port}`, '--wsgi-file', app, '--processes', '1',
    '--master', '--logto', log('uwsgi.log')], join(dir, 'uwsgi.stderr'));
  started.push(uwsgi);
  await waitForPort(port);
  for (const path of ['/', '/error', '/unavail', '/boom']) await get(port, path);
  // uWSGI writes a request's log line after its response: stopped at once, it may never write the last
  // one (the traceback then stands alone). Wait (at most 5 s) for the /boom line.
  for (let waited = 0; waited < 5000 && !readFileSync(log('uwsgi.log'), 'utf8').includes('GET /boom'); waited += 20) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await stop(uwsgi, 'SIGINT');
  const a = await analyze([log('uwsgi.log')]);
  const byCause = Object.fromEntries(a.incidents.map((i) => [i.cause, [i.statuses, i.statusesInferred]]));
  assert.deepEqual(byCause, { 'app.unexplained': [{ 500: 1, 503: 1 }, false], 'app.exception': [{ 500: 1 }, false] });
});
