import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkUpstream, collectListening, parseProcNet, parseSs } from './listening.ts';
import { REAL_HOST } from './types.ts';

const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0
   1: 00000000:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2 1 0 100 0 0 10 0
   2: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 3 1 0 100 0 0 10 0
`;
const TCP6 = `  sl  local_address                         remote_address                        st
   0: 00000000000000000000000001000000:0BB8 00000000000000000000000000000000:0000 0A 0
   1: 0000000000000000FFFF00000100007F:0BB9 00000000000000000000000000000000:0000 0A 0
`;

test('/proc/net/tcp{,6}: LISTEN entries only, addresses decoded', () => {
  assert.deepEqual(parseProcNet(TCP), [{ address: '127.0.0.1', port: 8080 }, { address: '0.0.0.0', port: 80 }]);
  assert.deepEqual(parseProcNet(TCP6), [{ address: '::1', port: 3000 }, { address: '127.0.0.1', port: 3001 }]);
  assert.deepEqual(parseSs('State  Recv-Q Send-Q Local Address:Port Peer Address:Port\nLISTEN 0 511 127.0.0.1:8080 0.0.0.0:*\nLISTEN 0 511 [::]:80 [::]:*\nLISTEN 0 5 *:22 *:*\n'),
    [{ address: '127.0.0.1', port: 8080 }, { address: '::', port: 80 }, { address: '0.0.0.0', port: 22 }]);
});

test('an upstream with no listener is named; a wildcard listener counts; a remote host is not judged', () => {
  const l = [...parseProcNet(TCP), ...parseProcNet(TCP6)];
  assert.equal(checkUpstream('127.0.0.1:8080', l).listening, true);
  assert.equal(checkUpstream('http://127.0.0.1:80/api', l).listening, true);
  assert.equal(checkUpstream('127.0.0.1:3000', l).listening, false);
  assert.equal(checkUpstream('[::1]:3000', l).listening, true);
  assert.equal(checkUpstream('10.0.0.7:3000', l).listening, null);
  assert.equal(checkUpstream('unix:/run/php/php8.2-fpm.sock', l).listening, null);
});

test('against a proc root and against the real host: a port we listen on is seen, a closed one is not', async () => {
  const proc = mkdtempSync(join(tmpdir(), 'fivexx-pnet-'));
  mkdirSync(join(proc, 'net'));
  writeFileSync(join(proc, 'net', 'tcp'), TCP);
  const r = await collectListening({ ...REAL_HOST, proc }, ['127.0.0.1:8080', '127.0.0.1:3000']);
  assert.deepEqual(r.found?.upstreams.map((u) => u.listening), [true, false]);
  assert.deepEqual(r.unavailable.map((u) => u.reason), ['not present']);
  const server = createServer();
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const port = (server.address() as { port: number }).port;
  const closed = createServer();
  await new Promise<void>((res) => closed.listen(0, '127.0.0.1', res));
  const closedPort = (closed.address() as { port: number }).port;
  await new Promise<void>((res) => closed.close(() => res()));
  const real = await collectListening(REAL_HOST, [`127.0.0.1:${port}`, `127.0.0.1:${closedPort}`]);
  server.close();
  assert.deepEqual(real.found?.upstreams.map((u) => u.listening), [true, false]);
});

test("HAProxy's backend/server names are checked at the address this host's haproxy.cfg gives them", async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'fivexx-hapx-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'proc', 'net'), { recursive: true });
  writeFileSync(join(root, 'proc', 'net', 'tcp'), TCP);
  mkdirSync(join(root, 'etc', 'haproxy'), { recursive: true });
  writeFileSync(join(root, 'etc', 'haproxy', 'haproxy.cfg'), 'global\n  daemon\nfrontend fe\n  bind 127.0.0.1:80\n  default_backend app\nbackend app\n  server app1 127.0.0.1:8080 check\n  server app2 127.0.0.1:3000 check\nlisten php\n  server fpm /run/php/fpm.sock\n');
  const r = await collectListening({ ...REAL_HOST, proc: join(root, 'proc'), etc: join(root, 'etc') }, ['app/app1', 'app/app2', 'php/fpm', 'app/<NOSRV>', 'other/x']);
  assert.deepEqual(r.found?.upstreams.map((u) => u.listening), [true, false, null, null, null]);
  assert.match(r.found?.upstreams[1]?.detail ?? '', /^app\/app2 is 127\.0\.0\.1:3000 in .*haproxy\.cfg: nothing listens on port 3000 of 127\.0\.0\.1$/);
  assert.ok(r.looked.some((l) => l.endsWith('haproxy.cfg')));
  const none = await collectListening({ ...REAL_HOST, proc: join(root, 'proc'), etc: join(root, 'nothing') }, ['app/app2']);
  assert.equal(none.found?.upstreams[0]?.listening, null, 'without a haproxy.cfg the name stays unchecked');
});
