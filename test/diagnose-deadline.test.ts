// diagnose keeps its promises: --timeout bounds every phase and --deadline the whole run, against a DNS
// server that never answers, a name with four addresses that accept and never answer, slow redirects;
// out-of-range options are refused; redirect chains that end are not loops; live advice fits live mode.
import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createNetServer, type Server } from 'node:net';
import { test } from 'node:test';
import { main } from '../src/cli/main.ts';
import type { CommandIo } from '../src/cli/io.ts';
import type { Diagnosis } from '../src/probe/types.ts';
import { answeringDns, silentDns } from './support/dns.ts';

async function diagnose(...args: string[]): Promise<{ code: number; d: Diagnosis; ms: number; error: string }> {
  let out = '';
  let error = '';
  const io: CommandIo = { out: (t) => void (out += t), warn: () => undefined, fail: (code, m) => { error = `${code}: ${m}`; return 2; }, color: false };
  const t = performance.now();
  const code = await main(['diagnose', '--json', ...args], io);
  return { code, d: (out ? JSON.parse(out) : {}) as Diagnosis, ms: performance.now() - t, error };
}

function listen(server: Server, host = '127.0.0.1', port = 0): Promise<number> {
  return new Promise((resolve) => server.listen(port, host, () => resolve((server.address() as { port: number }).port)));
}

const silentTcp = (): Server => createNetServer((s) => s.on('error', () => undefined));

test('a DNS server that never answers: the run ends within --timeout, with FIVEXX_PROBE_TIMEOUT on the dns check', { timeout: 30_000 }, async () => {
  await diagnose('http://warm-up.invalid/');
  const dns = await silentDns();
  try {
    const r = await diagnose('--timeout', '1s', '--dns-server', dns.address, 'http://shop.example.test/');
    assert.ok(dns.queries() > 0, 'the resolver asked the silent server');
    assert.ok(r.ms < 2000, `ended in ${r.ms.toFixed(0)} ms at --timeout 1s`);
    const check = r.d.checks.find((c) => c.name === 'dns');
    assert.equal(check?.code, 'FIVEXX_PROBE_TIMEOUT');
    const cut = await diagnose('--timeout', '5s', '--deadline', '700ms', '--dns-server', dns.address, 'http://shop.example.test/');
    assert.ok(cut.ms < 1500, `--deadline 700ms ended the run in ${cut.ms.toFixed(0)} ms`);
    assert.equal(cut.d.checks.find((c) => c.name === 'dns')?.code, 'FIVEXX_PROBE_DEADLINE');
  } finally {
    await dns.close();
  }
});

test('a name with four addresses that accept and never answer: probed at once, within --timeout, not four times it', { timeout: 30_000 }, async () => {
  const addrs = ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5'];
  const servers = addrs.map(() => silentTcp());
  const port = await listen(servers[0], addrs[0]);
  await Promise.all(servers.slice(1).map((s, i) => listen(s, addrs[i + 1], port)));
  const dns = await answeringDns(addrs);
  try {
    const r = await diagnose('--timeout', '1s', '--dns-server', dns.address, `http://four.example.test:${port}/`);
    assert.equal(r.d.checks.filter((c) => c.name === 'http').length, 4, 'every address was probed');
    assert.ok(r.d.checks.filter((c) => c.name === 'http').every((c) => c.code === 'FIVEXX_PROBE_TIMEOUT'));
    assert.ok(r.ms < 2000, `four silent addresses took ${r.ms.toFixed(0)} ms at --timeout 1s`);
    assert.equal(r.code, 1);
  } finally {
    await dns.close();
    for (const s of servers) s.close();
  }
});

test('slow same-origin redirects share one phase timeout; the deadline bounds the run', { timeout: 30_000 }, async () => {
  const slow = createHttpServer((req, res) => {
    const n = Number((req.url ?? '/0').slice(1)) || 0;
    setTimeout(() => {
      res.writeHead(302, { location: `/${n + 1}` });
      res.end();
    }, 400).unref();
  });
  const port = await listen(slow);
  try {
    const r = await diagnose('--timeout', '1s', `http://127.0.0.1:${port}/0`);
    assert.ok(r.ms < 1800, `slow redirects took ${r.ms.toFixed(0)} ms at --timeout 1s`);
    assert.equal(r.d.checks.find((c) => c.name === 'http')?.code, 'FIVEXX_PROBE_TIMEOUT');
  } finally {
    slow.close();
    slow.closeAllConnections();
  }
});

test('out-of-range options are refused with FIVEXX_OPTION_INVALID: --timeout 30d, --burst 0, --deadline 0s, a bad --dns-server', async () => {
  for (const args of [['--timeout', '30d'], ['--timeout', '0s'], ['--burst', '0'], ['--burst', '1001'], ['--burst', '2.5'], ['--deadline', '0s'], ['--pause', '2h'], ['--dns-server', 'resolver.example']]) {
    const r = await diagnose(...args, 'http://127.0.0.1:1/');
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.error, /^FIVEXX_OPTION_INVALID: diagnose: --/, args.join(' '));
  }
  const usage = await diagnose('--page', '-', 'http://127.0.0.1:1/');
  assert.match(usage.error, /^FIVEXX_USAGE/);
});

test('a redirect chain that ends is followed, not called a loop; a real loop is; an endless chain is "too many"', { timeout: 30_000 }, async () => {
  const srv = createHttpServer((req, res) => {
    const u = req.url ?? '/';
    if (u.startsWith('/chain/')) {
      const n = Number(u.slice(7));
      res.writeHead(n < 7 ? 302 : 200, n < 7 ? { location: `/chain/${n + 1}` } : {});
      res.end(n < 7 ? '' : 'ok');
    } else if (u === '/a' || u === '/b') {
      res.writeHead(301, { location: u === '/a' ? '/b' : '/a' });
      res.end();
    } else {
      res.writeHead(302, { location: `/up/${Number(u.slice(4)) + 1}` });
      res.end();
    }
  });
  const port = await listen(srv);
  try {
    const chain = await diagnose(`http://127.0.0.1:${port}/chain/0`);
    assert.equal(chain.code, 0, 'a 7-redirect chain that ends in a 200 is fine');
    assert.equal(chain.d.verdict.status, 200);
    const loop = await diagnose(`http://127.0.0.1:${port}/a`);
    assert.equal(loop.d.verdict.cause, 'gateway.config');
    assert.match(loop.d.verdict.summary, /loop/);
    const endless = await diagnose(`http://127.0.0.1:${port}/up/0`);
    assert.equal(endless.d.verdict.cause, 'gateway.config');
    assert.doesNotMatch(endless.d.verdict.summary, /redirects in a loop/);
    assert.match(endless.d.verdict.summary, /more than 20 redirects/);
  } finally {
    srv.close();
  }
});

test('an unexplained live failure gets live advice (--upstream, --burst, the failing hop), and a body-less 502 under Server: nginx is not Caddy\'s', { timeout: 30_000 }, async () => {
  const srv = createHttpServer((_req, res) => {
    res.writeHead(502, { server: 'nginx' });
    res.end();
  });
  const port = await listen(srv);
  try {
    const r = await diagnose(`http://127.0.0.1:${port}/`);
    assert.notEqual(r.d.verdict.responder, 'caddy');
    assert.equal(r.d.verdict.responder, 'unknown');
    assert.deepEqual(r.d.verdict.layers, ['nginx', 'unknown']);
    const steps = r.d.verdict.nextSteps.join('\n');
    assert.match(steps, /--upstream/);
    assert.match(steps, /--burst/);
    assert.match(steps, /X-Request-ID [0-9a-f-]{36}/);
    assert.doesNotMatch(steps, /^Add the gateway error log/m);
  } finally {
    srv.close();
  }
});

test('--deadline bounds the burst and the visitor\'s pause too', { timeout: 30_000 }, async () => {
  const srv = createHttpServer((_req, res) => {
    setTimeout(() => res.end('ok'), 50).unref();
  });
  const port = await listen(srv);
  try {
    const r = await diagnose('--deadline', '1s', '--burst', '1000', '--visitor', '--pause', '1h', `http://127.0.0.1:${port}/`);
    assert.ok(r.ms < 2500, `the run took ${r.ms.toFixed(0)} ms at --deadline 1s`);
    assert.ok((r.d.burst?.requests ?? 0) < 1000, 'the burst was cut');
    assert.match(r.d.verdict.summary, /deadline/);
    const v = await diagnose('--deadline', '1s', '--visitor', '--pause', '1h', `http://127.0.0.1:${port}/`);
    assert.ok(v.ms < 2500, `the visitor's pause ended with the deadline: ${v.ms.toFixed(0)} ms`);
    assert.ok(v.d.visitor, 'the visitor probe ran, cut short');
  } finally {
    srv.close();
    srv.closeAllConnections();
  }
});
