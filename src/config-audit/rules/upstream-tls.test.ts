import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contextFor } from './_fixture.ts';
import { rule } from './upstream-tls.ts';

test('TLS upstreams: unverified is a warning per server; Apache without SSLProxyEngine is an error', async () => {
  const n = await rule.check(contextFor('nginx', 'http { server {\n location / { proxy_pass https://10.0.0.1; }\n location /v { proxy_ssl_verify on; proxy_pass https://10.0.0.1; }\n} }\n'));
  assert.deepEqual(n.map((x) => [x.severity, x.line, x.cause]), [['warning', 2, 'upstream.tls']]);
  const a = await rule.check(contextFor('apache', 'ProxyPass / https://10.0.0.1/\n'));
  assert.deepEqual(a.map((x) => [x.severity, x.cause]), [['warning', 'upstream.tls'], ['error', 'gateway.config']]);
  const h = await rule.check(contextFor('haproxy', 'backend b\n  server s 10.0.0.1:443 ssl verify none\nbackend c\n  server s 10.0.0.1:443 ssl verify required ca-file /etc/ssl/certs/ca-certificates.crt\n'));
  assert.deepEqual(h.map((x) => [x.severity, x.line]), [['warning', 1]]);
});
