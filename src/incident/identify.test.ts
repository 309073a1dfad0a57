import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { identify } from './identify.ts';

const SAMPLE = fileURLToPath(new URL('../../samples/nginx-database-down/', import.meta.url));
const NGINX_502 = '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

test('identify: the analyze engine on the logs and a live probe of the URL', async () => {
  const server = createServer((_req, res) => res.writeHead(502, { server: 'nginx', 'content-type': 'text/html' }).end(NGINX_502));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const url = new URL(`http://127.0.0.1:${(server.address() as { port: number }).port}/api`);
    const r = await identify({ logs: [SAMPLE], changes: [], gitChanges: undefined, url, probeTimeoutMs: 10_000, since: undefined, triggerWindowMs: 1_800_000 });
    assert.equal(r.found.analysis?.incidents[0]?.cause, 'dependency.database');
    assert.equal(r.found.probe?.verdict.status, 502);
    assert.equal(r.found.probe?.verdict.responder, 'nginx');
    // The sample's nginx error log is empty (the app failed, not nginx): said as a counted problem, not hidden.
    assert.deepEqual(r.unavailable.map((u) => [u.what, u.reason.split(':')[0]]), [['part of the logs', 'FIVEXX_EMPTY']]);
  } finally {
    server.close();
  }
});

test('identify: unreadable logs and no URL are said, not thrown; an unreadable git history is dropped, not fatal', async () => {
  const r = await identify({ logs: ['/nonexistent/logs'], changes: [], gitChanges: undefined, url: undefined, probeTimeoutMs: 1000, since: undefined, triggerWindowMs: 1000 });
  assert.equal(r.found.analysis, null);
  // A single problem is the error itself (one line, not repeated as a warning).
  assert.deepEqual(r.unavailable.map((u) => u.what), ['the exact error from the logs', 'a live probe']);
  assert.match(r.unavailable[0]?.reason ?? '', /^FIVEXX_PATH_NOT_FOUND: /);
  const g = await identify({ logs: [SAMPLE], changes: [], gitChanges: '/nonexistent/repo', url: undefined, probeTimeoutMs: 1000, since: undefined, triggerWindowMs: 1000 });
  assert.equal(g.found.analysis?.incidents[0]?.cause, 'dependency.database');
  assert.ok(g.unavailable.some((u) => /^git history of \/nonexistent\/repo/.test(u.what)), JSON.stringify(g.unavailable));
});
