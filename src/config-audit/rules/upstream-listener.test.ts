import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { contextFor } from './_fixture.ts';
import { rule } from './upstream-listener.ts';

test('a loopback port with no listener is an error at its line; a live one passes; others are not checked', async () => {
  const live = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => live.once('listening', r));
  const port = (live.address() as { port: number }).port;
  const dead = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => dead.once('listening', r));
  const deadPort = (dead.address() as { port: number }).port;
  await new Promise((r) => dead.close(r));
  const ctx = contextFor('nginx', `http {\n upstream app {\n  server 127.0.0.1:${port};\n  server 127.0.0.1:${deadPort};\n }\n server {\n  location / { proxy_pass http://app; }\n  location /x { proxy_pass http://10.1.2.3:80; }\n }\n}\n`);
  const f = await rule.check(ctx);
  live.close();
  assert.deepEqual(f.map((x) => [x.severity, x.line, x.cause]), [['error', 4, 'upstream.refused'], ['info', 8, 'upstream.refused']]);
  assert.match(f[1]?.message ?? '', /not checked/);
});
