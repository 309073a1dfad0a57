// watch's web security over real HTTP on loopback: what needs a login, the cookie's flags, CSRF on every
// session state change, API tokens without CSRF, the login rate limit and the security headers (the dashboard's
// JSON on both stores: dashboard-api.test.ts).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { hashPassword } from '../../src/web/auth.ts';
import { settled } from '../../src/web/http-util.ts';
import { WatchServer } from '../../src/web/server.ts';
import { parseWatchConfig } from '../../src/watch/config.ts';
import { WatchService } from '../../src/watch/service.ts';
import { openSqliteStore } from '../../src/watch/store/sqlite-store.ts';

const TOKEN = 'web-token-0123456789abcdef';
const PASSWORD = 'a long enough passphrase';

async function start(t: TestContext, extra = ''): Promise<{ base: string; watch: WatchService }> {
  const data = mkdtempSync(join(tmpdir(), 'fivexx-websec-'));
  const config = parseWatchConfig(`
targets:
  - name: shop
    url: http://127.0.0.1:9/api
    group: Shop
apiTokens: [${TOKEN}]
users:
  - name: ops
    passwordHash: "${await hashPassword(PASSWORD)}"
${extra}`);
  const store = openSqliteStore(data);
  const watch = new WatchService(config, { store });
  const server = new WatchServer(watch);
  const base = `http://127.0.0.1:${await server.listen(0)}`;
  t.after(async () => {
    await watch.stop();
    await server.close();
    await store.close();
    rmSync(data, { recursive: true, force: true });
  });
  return { base, watch };
}

function login(base: string, password: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams({ username: 'ops', password }).toString() });
}

test('pages need a login; the cookie is HttpOnly and SameSite=Strict; CSRF guards every session POST; tokens still work', async (t) => {
  const { base, watch } = await start(t);
  const home = await fetch(`${base}/`, { redirect: 'manual' });
  assert.equal(home.status, 303);
  assert.equal(home.headers.get('location'), '/login');
  assert.equal((await fetch(`${base}/healthz`)).status, 200);
  assert.equal((await fetch(`${base}/status`)).status, 200);
  assert.equal((await fetch(`${base}/metrics`)).status, 200);
  assert.equal((await fetch(`${base}/api/overview`)).status, 401);

  const bad = await login(base, 'wrong');
  assert.equal(bad.headers.get('location'), '/login?failed=1');
  assert.equal(bad.headers.get('set-cookie'), null);
  assert.equal((await login(base, PASSWORD, { origin: 'https://evil.example' })).status, 403);
  assert.equal((await login(base, PASSWORD, { 'sec-fetch-site': 'cross-site' })).status, 403);
  assert.equal((await login(base, PASSWORD, { origin: 'not a url' })).status, 403);
  const ok = await login(base, PASSWORD);
  assert.equal(ok.status, 303);
  const cookie = ok.headers.get('set-cookie') ?? '';
  assert.match(cookie, /^fivexx_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/);
  const session = cookie.split(';')[0] ?? '';

  const page = await fetch(`${base}/incidents/1`, { headers: { cookie: session } });
  assert.equal(page.status, 200);
  const csp = page.headers.get('content-security-policy') ?? '';
  assert.match(csp, /script-src 'self';/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.doesNotMatch(csp, /unsafe-inline/);
  assert.equal(page.headers.get('x-frame-options'), 'DENY');
  const html = await page.text();
  assert.doesNotMatch(html, /<script>|<style|\sstyle=|\son[a-z]+=/, 'no inline script or style');

  const { csrf } = await (await fetch(`${base}/api/session`, { headers: { cookie: session } })).json() as { csrf: string };
  const id = await settled(watch.store.openIncident({ target: 'shop', cause: 'upstream.refused', layer: 'upstream', openedAt: 1000, updatedAt: 1000, data: { title: 'x' } }));
  const note = (headers: Record<string, string>): Promise<Response> => fetch(`${base}/api/incidents/${id}/notes`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ text: 'hello', public: true }) });
  assert.equal((await note({ cookie: session })).status, 403);
  assert.equal((await note({ cookie: session, 'x-csrf-token': 'x'.repeat(32) })).status, 403);
  assert.equal((await note({ cookie: session, 'x-csrf-token': csrf })).status, 200);
  const ack = await fetch(`${base}/api/incidents/${id}/ack`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: session }, body: '{}' });
  assert.equal(ack.status, 403);
  assert.equal((await fetch(`${base}/logout`, { method: 'POST', headers: { cookie: session } })).status, 403);
  // An API token is not a cookie: no CSRF token needed, as before.
  const change = await fetch(`${base}/api/changes`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify({ kind: 'deploy', ref: 'abc' }) });
  assert.equal(change.status, 201);
  const inc = await settled(watch.store.incident(id));
  assert.deepEqual(inc?.notes.map((n) => [n.author, n.text]), [['ops', '[public] hello']]);
  assert.equal(inc?.acked, false);

  const out = await fetch(`${base}/logout`, { method: 'POST', headers: { cookie: session, 'x-csrf-token': csrf } });
  assert.match(out.headers.get('set-cookie') ?? '', /Max-Age=0/);
  assert.equal((await fetch(`${base}/api/session`, { headers: { cookie: session } })).status, 401);
});

test('five failed logins make the name and the address wait (429 with Retry-After)', async (t) => {
  const { base } = await start(t);
  for (let i = 0; i < 5; i++) assert.equal((await login(base, `wrong ${i}`)).headers.get('location'), '/login?failed=1');
  const limited = await login(base, PASSWORD);
  assert.equal(limited.status, 429);
  assert.ok(Number(limited.headers.get('retry-after')) > 0);
});

test('secureCookies marks the cookie Secure', async (t) => {
  const { base } = await start(t, 'secureCookies: true\n');
  assert.match((await login(base, PASSWORD)).headers.get('set-cookie') ?? '', /; Secure$/);
});
