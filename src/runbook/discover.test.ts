import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { REAL_HOST, type HostRoots } from '../incident/types.ts';
import { EMPTY_CONFIG } from './config.ts';
import { discover } from './discover.ts';
import { makeHost } from './test-host.ts';

const rootsOf = (root: string): HostRoots => ({ ...REAL_HOST, etc: join(root, 'etc'), varLog: join(root, 'var/log'), run: join(root, 'run'), appParents: [join(root, 'srv')] });

test('discovers each service with its logs (includes followed, variables filled), targets and checks', async () => {
  const root = makeHost();
  const d = await discover(rootsOf(root), EMPTY_CONFIG);
  assert.deepEqual(d.services.map((s) => s.service.unit), ['nginx', 'apache2', 'haproxy', 'php8.2-fpm']);
  const by = (unit: string) => d.services.find((s) => s.service.unit === unit)?.facts;
  assert.deepEqual(by('nginx')?.logs.map((l) => [l.path, l.exists, l.from.slice(root.length)]), [
    ['/var/log/nginx/error.log', true, '/etc/nginx/nginx.conf:2'],
    ['/var/log/nginx/access.log', false, '/etc/nginx/nginx.conf:5'],
    ['/var/log/nginx/shop.access.log', false, '/etc/nginx/sites-enabled/shop:3'],
  ]);
  assert.deepEqual(by('nginx')?.upstreams.map((u) => u.target), ['upstream shop: 127.0.0.1:3000 max_fails=3', 'upstream shop: 127.0.0.1:3001', 'proxy_pass http://shop', 'fastcgi_pass unix:/run/php/php8.2-fpm.sock']);
  assert.deepEqual(by('nginx')?.checks.map((c) => c.what), ['stub_status at location /nginx_status']);
  assert.deepEqual(by('apache2')?.logs.map((l) => l.path), ['/var/log/apache2/error.log', '/var/log/apache2/api_access.log']);
  assert.deepEqual(by('apache2')?.upstreams.map((u) => u.target), ['ProxyPass /api http://127.0.0.1:4000/']);
  assert.equal(by('apache2')?.checks[0]?.what, 'server-status in <VirtualHost *:8080> <Location /server-status>');
  assert.deepEqual(by('haproxy')?.logs.map((l) => l.path), ['syslog /dev/log local0', '/var/log/haproxy.log']);
  assert.deepEqual(by('haproxy')?.upstreams.map((u) => u.target), ['backend app: server a1 127.0.0.1:3000 (health-checked)', 'backend app: server a2 127.0.0.1:3001 (no check)']);
  assert.deepEqual(by('haproxy')?.checks.map((c) => c.what), ['HTTP health check in backend app: GET /healthz', 'stats page at /stats in listen stats']);
  assert.deepEqual(by('php8.2-fpm')?.logs.map((l) => l.path), ['/var/log/php8.2-fpm.log', '/var/log/php-fpm/www.slow.log']);
  assert.equal(d.app?.dir, join(root, 'srv', 'shop'));
  assert.equal(d.app?.kind, 'git');
  assert.equal(d.systemd, false);
  assert.ok(d.unavailable.some((u) => u.what === 'systemd'));
});

test('with systemd, restarts go through systemctl; an unreadable or missing config is said', async () => {
  const root = makeHost({ 'etc/nginx/nginx.conf': 'include /etc/nginx/missing.conf;\n' });
  mkdirSync(join(root, 'run', 'systemd', 'system'), { recursive: true });
  const d = await discover(rootsOf(root), EMPTY_CONFIG);
  const nginx = d.services.find((s) => s.service.unit === 'nginx');
  assert.equal(nginx?.commands.reload, 'nginx -t && systemctl reload nginx');
  assert.deepEqual(nginx?.facts.logs.map((l) => l.from), ['default', 'default']);
  assert.ok(d.unavailable.some((u) => u.what === join(root, 'etc/nginx/missing.conf') && u.reason === 'not present'));
});
