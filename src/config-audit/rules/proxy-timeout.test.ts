import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contextFor, gunicorn } from './_fixture.ts';
import { rule } from './proxy-timeout.ts';

const fpm = { server: 'php-fpm' as const, setting: 'request_terminate_timeout', seconds: 120, file: 'www.conf', line: 9 };

test('nginx: a proxy_read_timeout not longer than Gunicorn\'s timeout is flagged at its line, the default 60s at proxy_pass', async () => {
  const ctx = contextFor('nginx', 'http {\n proxy_read_timeout 30s;\n server {\n  location / { proxy_pass http://127.0.0.1:1; }\n  location /long { proxy_read_timeout 2m; proxy_pass http://127.0.0.1:1; }\n  location ~ \\.php$ { fastcgi_pass unix:/x.sock; }\n }\n}\n', { timeouts: [gunicorn(60), fpm] });
  const f = await rule.check(ctx);
  assert.deepEqual(f.map((x) => [x.line, x.cause]), [[2, 'upstream.timeout'], [6, 'upstream.timeout']]);
  assert.match(f[0]?.message ?? '', /proxy_read_timeout 30s is not longer than gunicorn's timeout 60s/);
  assert.match(f[1]?.message ?? '', /fastcgi_read_timeout \(default\) 60s .* php-fpm's request_terminate_timeout 120s/);
});

test('Apache ProxyTimeout and HAProxy timeout server (milliseconds when bare), inherited from defaults', async () => {
  const a = await rule.check(contextFor('apache', 'ProxyTimeout 20\nProxyPass /app http://127.0.0.1:1/\nProxyPass /ok http://127.0.0.1:1/ timeout=90\n', { timeouts: [gunicorn(30)] }));
  assert.deepEqual(a.map((x) => x.line), [1]);
  const h = await rule.check(contextFor('haproxy', 'defaults\n  timeout server 30000\nbackend app\n  server a 127.0.0.1:1\nbackend b\n  timeout server 31s\n  server b 127.0.0.1:2\n', { timeouts: [gunicorn(30)] }));
  assert.deepEqual(h.map((x) => x.line), [2]);
});
