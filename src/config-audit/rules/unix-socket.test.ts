import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { contextFor } from './_fixture.ts';
import { rule } from './unix-socket.ts';

test('a missing socket and one the worker user may not write are errors at their lines', async (t) => {
  if (process.getuid?.() !== 0) return t.skip('needs root: the socket must belong to another user than the worker');
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-sock-'));
  chmodSync(dir, 0o755);
  const sock = join(dir, 'app.sock');
  const server = createServer().listen(sock);
  await new Promise((r) => server.once('listening', r));
  chmodSync(sock, 0o600);
  const ctx = contextFor('nginx', `user www-data;\nhttp { server {\n location /a { proxy_pass http://unix:${sock}:/; }\n location /b { fastcgi_pass unix:${dir}/gone.sock; }\n} }\n`);
  const f = await rule.check(ctx);
  chmodSync(sock, 0o666);
  const ok = await rule.check(ctx);
  server.close();
  assert.deepEqual(f.map((x) => [x.line, x.cause]), [[3, 'upstream.permission_denied'], [4, 'upstream.socket_missing']]);
  assert.match(f[0]?.message ?? '', /www-data .*:1\).*mode 0600/);
  assert.deepEqual(ok.map((x) => x.cause), ['upstream.socket_missing']);
});
