// The error pages served by the real servers: each snippet installed in a temporary config on 127.0.0.1, the backend
// broken (nothing listening, or an app answering 500), the page served with the right status, the request ID filled in
// (equal to the X-Request-ID header), the time filled in, and JSON for Accept: application/json.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { writePages } from '../src/pages/write.ts';
import { freePort, waitForPort } from './lab/ports.ts';
import { start, stop } from './lab/processes.ts';

const root = process.getuid?.() === 0;
const dir = mkdtempSync(join(tmpdir(), 'fivexx-pages-'));
const out = join(dir, 'pages');
chmodSync(dir, 0o755);
let app: Server | undefined;
let appPort = 0;
let dead = 0;

before(async () => {
  writePages(out, { statusUrl: 'https://status.example.com/' });
  app = createServer((_req, res) => {
    res.statusCode = 500;
    res.end('Traceback: secret internals\n');
  }).listen(0, '127.0.0.1');
  await new Promise((r) => app?.once('listening', r));
  appPort = (app.address() as { port: number }).port;
  dead = await freePort();
});

after(() => app?.close());

interface Got {
  readonly status: number;
  readonly type: string;
  readonly id: string;
  readonly body: string;
}

function get(port: number, path: string, accept = 'text/html'): Promise<Got> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, headers: { accept, host: 'lab.test' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), id: String(res.headers['x-request-id'] ?? ''), body }));
    });
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/** The page is the right one, for the right status, with the request ID of the header and a time filled in. */
async function assertServed(port: number, path: string, status: number): Promise<void> {
  const html = await get(port, path);
  assert.equal(html.status, status, html.body.slice(0, 300));
  assert.match(html.type, /^text\/html/);
  assert.ok(html.id.length >= 8, `X-Request-ID header: '${html.id}'`);
  assert.ok(html.body.includes(`<dd>${html.id}</dd>`), `the request ID ${html.id} in the page: ${html.body.slice(-400)}`);
  assert.match(html.body, new RegExp(`Error ${status} `));
  assert.match(html.body, /<dd>(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC|\d\d\/\w{3}\/\d{4}:\d\d:\d\d:\d\d [+-]\d{4})<\/dd>/, 'the time is filled in');
  assert.ok(!html.body.includes('secret internals') && !html.body.includes('<!--#') && !html.body.includes('%['), 'no app body, no unfilled placeholder');
  const json = await get(port, path, 'application/json');
  assert.equal(json.status, status);
  assert.match(json.type, /^application\/json/);
  const doc = JSON.parse(json.body) as { error: { status: number; requestId: string; time: string } };
  assert.equal(doc.error.status, status);
  assert.equal(doc.error.requestId, json.id);
  assert.notEqual(doc.error.requestId, html.id, 'each request has its own ID');
}

function syntaxOk(cmd: string, args: string[], env?: NodeJS.ProcessEnv): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 20_000, env: { ...process.env, ...env } });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr}${r.stdout}`);
}

async function serve(name: string, cmd: string, args: string[], port: number, signal: NodeJS.Signals, check: (port: number) => Promise<void>, env?: NodeJS.ProcessEnv): Promise<void> {
  const p = start(name, cmd, args, join(dir, `${name}.out`), env);
  try {
    await waitForPort(port, 10_000);
    await check(port);
  } finally {
    await stop(p, signal);
  }
}

test('nginx: 502 for a stopped backend, 500 for an app error, request ID by SSI, JSON by Accept', async (t) => {
  if (!existsSync('/usr/sbin/nginx')) return t.skip('nginx is not installed');
  const port = await freePort();
  const conf = join(dir, 'nginx-test.conf');
  mkdirSync(join(dir, 'ngx'), { recursive: true });
  writeFileSync(conf, `worker_processes 1;\ndaemon off;\npid ${dir}/nginx.pid;\nerror_log ${dir}/nginx-error.log;\nevents { worker_connections 64; }\nhttp {\n  access_log off;\n  client_body_temp_path ${dir}/ngx/body;\n  proxy_temp_path ${dir}/ngx/proxy;\n  fastcgi_temp_path ${dir}/ngx/fcgi;\n  uwsgi_temp_path ${dir}/ngx/uwsgi;\n  scgi_temp_path ${dir}/ngx/scgi;\n  server {\n    listen 127.0.0.1:${port};\n    include ${out}/nginx.conf;\n    location / { proxy_pass http://127.0.0.1:${dead}; }\n    location /boom { proxy_pass http://127.0.0.1:${appPort}; }\n  }\n}\n`);
  syntaxOk('/usr/sbin/nginx', ['-t', '-q', '-c', conf, '-e', join(dir, 'nginx-error.log')]);
  await serve('nginx', '/usr/sbin/nginx', ['-c', conf, '-e', join(dir, 'nginx-error.log')], port, 'SIGQUIT', async (p) => {
    await assertServed(p, '/', 502);
    await assertServed(p, '/boom', 500);
  });
});

test('Apache: 503 for a stopped backend, 500 for an app error, UNIQUE_ID by mod_include, JSON by Accept', async (t) => {
  if (!existsSync('/usr/sbin/apache2')) return t.skip('apache2 is not installed');
  const port = await freePort();
  const conf = join(dir, 'apache-test.conf');
  const mods = ['mpm_event', 'authz_core', 'mime', 'alias', 'include', 'unique_id', 'headers', 'proxy', 'proxy_http'];
  writeFileSync(conf, `ServerRoot ${dir}\nServerName lab.test\nListen 127.0.0.1:${port}\nPidFile ${dir}/apache.pid\nDefaultRuntimeDir ${dir}\nMutex file:${dir} default\nErrorLog ${dir}/apache-error.log\n${mods.map((m) => `LoadModule ${m}_module /usr/lib/apache2/modules/mod_${m}.so`).join('\n')}\n${root ? 'User nobody\nGroup nogroup\n' : ''}TypesConfig /etc/mime.types\nInclude ${out}/apache.conf\nProxyPass /boom http://127.0.0.1:${appPort}/boom\nProxyPass / http://127.0.0.1:${dead}/\n`);
  syntaxOk('/usr/sbin/apache2', ['-t', '-d', dir, '-f', conf]);
  await serve('apache2', '/usr/sbin/apache2', ['-d', dir, '-f', conf, '-DFOREGROUND'], port, 'SIGTERM', async (p) => {
    await assertServed(p, '/', 503);
    await assertServed(p, '/boom', 500);
  });
});

/** The snippet's numbered parts, uncommented lines only. */
function haproxyPart(n: number): string {
  const text = readFileSync(join(out, 'haproxy.cfg'), 'utf8');
  const part = text.split(/^# \d\. /m)[n] ?? '';
  return part.split('\n').slice(1).filter((l) => l.trim() && !l.trim().startsWith('#')).join('\n');
}

test('HAProxy: 503 for a stopped backend, 500 for an app error, %[unique-id] by lf-file, JSON by Accept', async (t) => {
  if (!existsSync('/usr/sbin/haproxy')) return t.skip('haproxy is not installed');
  const port = await freePort();
  const conf = join(dir, 'haproxy-test.cfg');
  writeFileSync(conf, `global\n  pidfile ${dir}/haproxy.pid\ndefaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n  timeout server 5s\nfrontend fe\n  bind 127.0.0.1:${port}\n${haproxyPart(1)}\n  use_backend dead_json if { path_beg /dead } { req.hdr(accept) -m sub application/json }\n  use_backend dead if { path_beg /dead }\n  use_backend boom_json if { req.hdr(accept) -m sub application/json }\n  default_backend boom\nbackend dead\n${haproxyPart(2)}\n  server d 127.0.0.1:${dead}\nbackend dead_json\n${haproxyPart(3)}\n  server d 127.0.0.1:${dead}\nbackend boom\n${haproxyPart(2)}\n  server b 127.0.0.1:${appPort}\nbackend boom_json\n${haproxyPart(3)}\n  server b 127.0.0.1:${appPort}\n`);
  syntaxOk('/usr/sbin/haproxy', ['-c', '-q', '-f', conf]);
  await serve('haproxy', '/usr/sbin/haproxy', ['-f', conf, '-db'], port, 'SIGUSR1', async (p) => {
    await assertServed(p, '/dead', 503);
    await assertServed(p, '/boom', 500);
  });
});

test('Caddy: 502 for a stopped backend, 500 for an app error, {http.request.uuid} by templates, JSON by Accept', async (t) => {
  if (!existsSync('/usr/bin/caddy')) return t.skip('caddy is not installed');
  const port = await freePort();
  const conf = join(dir, 'Caddyfile-test');
  const env = { HOME: dir, XDG_DATA_HOME: join(dir, 'xdg'), XDG_CONFIG_HOME: join(dir, 'xdg') };
  writeFileSync(conf, `{\n  admin off\n  auto_https off\n}\nhttp://:${port} {\n  bind 127.0.0.1\n  import ${out}/Caddyfile\n  reverse_proxy /boom 127.0.0.1:${appPort} {\n    @fivexx_error status 500 502 503 504\n    handle_response @fivexx_error {\n      error {http.reverse_proxy.status_code}\n    }\n  }\n  reverse_proxy 127.0.0.1:${dead}\n}\n`);
  syntaxOk('/usr/bin/caddy', ['validate', '--config', conf, '--adapter', 'caddyfile'], env);
  await serve('caddy', '/usr/bin/caddy', ['run', '--config', conf, '--adapter', 'caddyfile'], port, 'SIGTERM', async (p) => {
    await assertServed(p, '/', 502);
    await assertServed(p, '/boom', 500);
  }, env);
});
