import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { contextFor } from './_fixture.ts';
import { rule } from './header-buffer.ts';

test('one GET measures the app\'s header block against proxy_buffer_size (default 4k); FastCGI is not probed', async () => {
  const app = createServer((_req, res) => {
    res.setHeader('Set-Cookie', ['a='.padEnd(3000, 'x'), 'b='.padEnd(3000, 'y')]);
    res.end('ok');
  }).listen(0, '127.0.0.1');
  await new Promise((r) => app.once('listening', r));
  const port = (app.address() as { port: number }).port;
  const f = await rule.check(contextFor('nginx', `http { server {\n location / { proxy_pass http://127.0.0.1:${port}; }\n location /big { proxy_buffer_size 16k; proxy_pass http://127.0.0.1:${port}; }\n location ~ \\.php$ { fastcgi_pass 127.0.0.1:9; }\n} }\n`));
  app.close();
  assert.deepEqual(f.map((x) => [x.severity, x.line, x.cause]), [['error', 2, 'upstream.header_too_big'], ['info', 4, 'upstream.header_too_big']]);
  assert.match(f[0]?.message ?? '', /6\d{3}-byte header block, larger than proxy_buffer_size 4096 \(the default\)/);
});

test('HAProxy: headers must fit tune.bufsize minus tune.maxrewrite (15360 bytes by default)', async () => {
  const app = createServer((req, res) => {
    res.setHeader('X-Big', 'x'.repeat(Number(req.headers['x-size'] ?? 16000)));
    res.end('ok');
  }).listen(0, '127.0.0.1');
  await new Promise((r) => app.once('listening', r));
  const port = (app.address() as { port: number }).port;
  const tight = await rule.check(contextFor('haproxy', `backend app\n  server a 127.0.0.1:${port}\n`));
  const roomy = await rule.check(contextFor('haproxy', `global\n  tune.bufsize 32768\nbackend app\n  server a 127.0.0.1:${port}\n`));
  app.close();
  assert.deepEqual(tight.map((x) => [x.severity, x.line]), [['error', 2]]);
  assert.match(tight[0]?.message ?? '', /HAProxy keeps 15360 bytes/);
  assert.deepEqual(roomy, []);
});
