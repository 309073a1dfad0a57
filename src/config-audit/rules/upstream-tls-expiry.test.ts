import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { contextFor } from './_fixture.ts';
import { rule } from './upstream-tls.ts';

test('an expired certificate: the upstream\'s own (one TLS handshake on loopback) and a configured file', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-tls-'));
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { encoding: 'utf8', timeout: 30_000 });
  if (made.status !== 0) return t.skip('openssl is not available to make a certificate');
  const server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (_q, s) => s.end()).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const port = (server.address() as { port: number }).port;
  const ctx = contextFor('nginx', `http { server {\n location / {\n  proxy_ssl_verify on;\n  proxy_ssl_certificate ${dir}/cert.pem;\n  proxy_pass https://127.0.0.1:${port};\n } } }\n`);
  const now = await rule.check(ctx);
  const later = await rule.check({ ...ctx, now: new Date(Date.now() + 10 * 86_400_000) });
  server.close();
  assert.deepEqual(now, [], 'valid today, verified');
  assert.deepEqual(later.map((f) => [f.severity, f.line, f.cause]), [['error', 4, 'upstream.tls'], ['error', 5, 'upstream.tls']]);
  assert.match(later[1]?.message ?? '', /presents a certificate that expired/);
});
