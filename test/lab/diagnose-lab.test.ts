// `fivexx diagnose` against real gateways on 127.0.0.1 whose app the test breaks, and against servers
// that misbehave on purpose (never answer, endless headers, garbage TLS, redirect loops, bad certificates).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { main } from '../../src/cli/main.ts';
import type { CommandIo } from '../../src/cli/io.ts';
import type { Diagnosis } from '../../src/probe/types.ts';
import { hasGateway, Lab, type LabConfig } from './lab.ts';
import type { GatewayKind } from './gateways/index.ts';

async function diagnose(...args: string[]): Promise<{ code: number; d: Diagnosis; ms: number }> {
  let out = '';
  const io: CommandIo = { out: (t) => void (out += t), warn: () => undefined, fail: (code, m) => { throw new Error(`${code}: ${m}`); }, color: false };
  const t = performance.now();
  const code = await main(['diagnose', '--json', ...args], io);
  return { code, d: JSON.parse(out) as Diagnosis, ms: performance.now() - t };
}

async function withLab(gateway: GatewayKind, config: LabConfig, body: (lab: Lab) => Promise<void>): Promise<void> {
  const lab = await Lab.create(`diag-${gateway}`, { ...config, gateway });
  try {
    await body(lab);
  } finally {
    await lab.stopAll();
    lab.remove();
  }
}

const front = (lab: Lab, path = '/api/orders'): string => `http://127.0.0.1:${lab.port}${path}`;
const backend = (lab: Lab, path = '/api/orders'): string => `http://127.0.0.1:${lab.appPort}${path}`;

function need(t: { skip: (m: string) => void }, gateway: GatewayKind): boolean {
  if (hasGateway(gateway)) return true;
  if (process.env.CI) assert.fail(`${gateway} is not installed`);
  t.skip(`${gateway} is not installed`);
  return false;
}

test('diagnose nginx: healthy (exit 0), app stopped (refused), app slow (timeout), app 500 (the app)', { timeout: 60_000 }, async (t) => {
  if (!need(t, 'nginx')) return;
  await withLab('nginx', { proxyReadTimeout: '1s' }, async (lab) => {
    await lab.startApp();
    await lab.startGateway();
    const ok = await diagnose(front(lab));
    assert.equal(ok.code, 0);
    assert.equal(ok.d.verdict.cause, null);
    const http = ok.d.checks.find((c) => c.name === 'http');
    assert.match(http?.requestId ?? '', /^[0-9a-f-]{36}$/);
    assert.match(http?.traceparent ?? '', /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);

    const slow = await diagnose('--upstream', backend(lab, '/slow?ms=2500'), front(lab, '/slow?ms=2500'));
    assert.equal(slow.d.verdict.status, 504);
    assert.equal(slow.d.verdict.responder, 'nginx');
    assert.equal(slow.d.verdict.cause, 'upstream.timeout');

    const boom = await diagnose('--upstream', backend(lab, '/throw'), front(lab, '/throw'));
    assert.equal(boom.d.verdict.status, 500);
    assert.equal(boom.d.verdict.responder, 'app');
    assert.equal(boom.d.verdict.layer, 'app');

    await lab.stopApp();
    const down = await diagnose(front(lab));
    assert.equal(down.code, 1);
    assert.equal(down.d.verdict.status, 502);
    assert.equal(down.d.verdict.responder, 'nginx');
    const both = await diagnose('--upstream', backend(lab), front(lab));
    assert.equal(both.d.verdict.cause, 'upstream.refused');
    assert.equal(both.d.verdict.layer, 'upstream');
    assert.ok(both.d.checks.some((c) => c.name === 'upstream-tcp' && c.code === 'ECONNREFUSED'));
  });
});

for (const [gateway, status, cause] of [['apache', 503, 'upstream.refused'], ['haproxy', 503, 'gateway.no_healthy_upstream'], ['caddy', 502, 'upstream.unexplained'], ['varnish', 503, 'upstream.unexplained']] as const) {
  test(`diagnose ${gateway}: the app is stopped; the error page names ${gateway}; --upstream names the refusal`, { timeout: 60_000 }, async (t) => {
    if (!need(t, gateway)) return;
    await withLab(gateway, {}, async (lab) => {
      await lab.startApp();
      await lab.startGateway();
      await lab.stopApp();
      if (gateway === 'haproxy') await new Promise((r) => setTimeout(r, 2000));
      const d = await diagnose(front(lab));
      assert.equal(d.d.verdict.status, status);
      assert.equal(d.d.verdict.responder, gateway);
      assert.equal(d.d.verdict.cause, cause);
      const both = await diagnose('--upstream', backend(lab), front(lab));
      assert.equal(both.d.verdict.cause, 'upstream.refused');
    });
  });
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

test('a server that never answers, endless headers, an endless body and a redirect loop: verdicts within the timeout', { timeout: 60_000 }, async () => {
  const silent = createNetServer((s) => s.on('error', () => undefined));
  const endlessHeaders = createNetServer((s) => {
    s.on('error', () => undefined);
    s.write('HTTP/1.1 200 OK\r\n');
    const timer = setInterval(() => s.write(`X-Filler: ${'x'.repeat(1000)}\r\n`), 1);
    s.on('close', () => clearInterval(timer));
  });
  const endlessBody = createHttpServer((_req, res) => {
    res.writeHead(200);
    const timer = setInterval(() => res.write('y'.repeat(64 * 1024)), 1);
    res.on('close', () => clearInterval(timer));
  });
  const loop = createHttpServer((req, res) => {
    res.writeHead(302, { location: `/r${Number((req.url ?? '/r0').slice(2)) + 1}` });
    res.end();
  });
  const ports = await Promise.all([silent, endlessHeaders, endlessBody, loop].map(listen));
  try {
    const [pSilent, pHeaders, pBody, pLoop] = ports;
    const hang = await diagnose('--timeout', '1s', `http://127.0.0.1:${pSilent}/`);
    assert.equal(hang.code, 1);
    assert.ok(hang.ms < 1000 + 1000 + 500, `a silent server is diagnosed within the timeout plus one second (${hang.ms.toFixed(0)} ms)`);
    assert.ok(hang.d.checks.some((c) => c.code === 'FIVEXX_PROBE_TIMEOUT'));
    const headers = await diagnose('--timeout', '2s', `http://127.0.0.1:${pHeaders}/`);
    assert.equal(headers.code, 1);
    const body = await diagnose('--timeout', '2s', `http://127.0.0.1:${pBody}/`);
    assert.ok((body.d.checks.find((c) => c.name === 'http')?.body?.length ?? 0) <= 2048, 'the body read is bounded');
    const redirects = await diagnose(`http://127.0.0.1:${pLoop}/r0`);
    assert.equal(redirects.d.verdict.cause, 'gateway.config');
    assert.match(redirects.d.verdict.summary, /more than 20 redirects/, 'an endless chain of new URLs is too long, not a loop');
  } finally {
    for (const s of [silent, endlessHeaders, endlessBody, loop]) s.close();
    silent.unref();
    endlessHeaders.unref();
  }
});

test('TLS: a self-signed certificate for the wrong name, and a server that speaks garbage instead of TLS', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '2', '-subj', '/CN=shop.example'], { stdio: 'ignore' });
  const https = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (_req, res) => res.end('ok\n'));
  const garbage = createNetServer((s) => {
    s.on('error', () => undefined);
    s.end('HELLO I AM NOT TLS\r\n');
  });
  execFileSync('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'old-key.pem'), '-out', join(dir, 'old.csr'), '-subj', '/CN=localhost'], { stdio: 'ignore' });
  execFileSync('openssl', ['x509', '-req', '-in', join(dir, 'old.csr'), '-signkey', join(dir, 'old-key.pem'), '-out', join(dir, 'old.pem'), '-days', '-1'], { stdio: 'ignore' });
  const expired = createHttpsServer({ key: readFileSync(join(dir, 'old-key.pem')), cert: readFileSync(join(dir, 'old.pem')) }, (_req, res) => res.end('ok\n'));
  const [pTls, pGarbage, pExpired] = await Promise.all([https, garbage, expired].map(listen));
  try {
    const d = await diagnose(`https://localhost:${pTls}/`);
    assert.equal(d.d.verdict.cause, 'gateway.config');
    assert.match(d.d.verdict.summary, /does not match localhost|not trusted/);
    const g = await diagnose('--timeout', '2s', `https://127.0.0.1:${pGarbage}/`);
    assert.equal(g.code, 1);
    assert.ok(g.d.checks.some((c) => c.name === 'tls' && !c.ok));
    const old = await diagnose(`https://localhost:${pExpired}/`);
    assert.equal(old.d.verdict.cause, 'gateway.config');
    assert.match(old.d.verdict.summary, /expired/);
  } finally {
    https.close();
    garbage.close();
    expired.close();
  }
});

test('--burst finds an intermittent 502 a single probe misses; visitor mode tells this site from the network', { timeout: 60_000 }, async () => {
  let n = 0;
  const flaky = createHttpServer((_req, res) => {
    n++;
    res.writeHead(n % 3 === 0 ? 502 : 200);
    res.end(n % 3 === 0 ? 'Bad Gateway' : 'ok');
  });
  const healthy = createHttpServer((_req, res) => res.end('ok'));
  const [pFlaky, pHealthy] = await Promise.all([flaky, healthy].map(listen));
  try {
    const b = await diagnose('--burst', '9', `http://127.0.0.1:${pFlaky}/`);
    assert.equal(b.code, 1);
    assert.equal(b.d.burst?.requests, 9);
    assert.equal(b.d.burst?.failed, 3);
    assert.equal(b.d.verdict.cause, 'upstream.unexplained');
    const site = await diagnose('--pause', '0s', '--compare', `http://127.0.0.1:${pHealthy}/`, 'http://shop.fivexx.invalid/');
    assert.equal(site.d.verdict.cause, 'gateway.unexplained', 'other sites work: the site\'s own DNS is at fault');
    assert.equal(site.d.visitor?.persistent, true);
    const net = await diagnose('--pause', '0s', '--compare', 'http://127.0.0.1:1/', 'http://shop.fivexx.invalid/');
    assert.equal(net.d.verdict.cause, 'client.network', 'every site fails: the visitor\'s network');
    assert.ok((net.d.visitor?.advice.length ?? 0) > 0);
  } finally {
    flaky.close();
    healthy.close();
  }
});

test('diagnose nginx in front of an upstream that resets, then one that answers garbage: --upstream names each', { timeout: 60_000 }, async (t) => {
  if (!need(t, 'nginx')) return;
  const { startRawUpstream, closeServer } = await import('./raw-upstream.ts');
  // nginx relays a reply without a status line as HTTP/0.9 (no 502): then the front itself is unreadable.
  for (const [behaviour, cause, status] of [['reset', 'upstream.reset', 502], ['invalid-header', 'upstream.invalid_response', 502], ['garbage-status', 'upstream.invalid_response', null]] as const) {
    await withLab('nginx', {}, async (lab) => {
      const raw = await startRawUpstream(lab.spare[0] ?? 0, behaviour);
      try {
        await lab.startApp();
        await lab.startGateway();
        const d = await diagnose('--upstream', `http://127.0.0.1:${lab.spare[0] ?? 0}/orders`, front(lab, '/raw/orders'));
        assert.equal(d.d.verdict.cause, cause, behaviour);
        assert.equal(d.d.verdict.status, status, behaviour);
        if (status) assert.equal(d.d.verdict.responder, 'nginx');
      } finally {
        await closeServer(raw);
      }
    });
  }
});
