// The web face's load figures: 2,000 targets with 30 days of history written straight into a SQLite store,
// then the dashboard's and the status page's first loads measured in Debian's Chromium (fresh context each
// time, so nothing is cached), median of several loads. Prints figures; it is not a timed test.
//
//   node bench/web.ts [--targets 2000] [--days 30] [--every 60] [--loads 7] [--dir /tmp/fivexx-bench-web] [--fresh]
//   --every: minutes between generated checks of a target (60: 1,440,000 checks for 2,000 targets and 30 days).
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromiumMissing, launchChromium } from '../test/web/browser.ts';
import { hashPassword } from '../src/web/auth.ts';
import { WatchServer } from '../src/web/server.ts';
import { parseWatchConfig } from '../src/watch/config.ts';
import { WatchService } from '../src/watch/service.ts';
import { openSqliteStore, type SqliteStore } from '../src/watch/store/sqlite-store.ts';

const { values } = parseArgs({ options: {
  targets: { type: 'string', default: '2000' }, days: { type: 'string', default: '30' }, every: { type: 'string', default: '60' },
  loads: { type: 'string', default: '7' }, dir: { type: 'string', default: '/tmp/fivexx-bench-web' }, fresh: { type: 'boolean', default: false },
} });
const TARGETS = Number(values.targets);
const DAYS = Number(values.days);
const EVERY = Number(values.every) * 60_000;
const LOADS = Number(values.loads);
const PASSWORD = 'bench password 0123';
const HOUR = 3_600_000;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const name = (i: number): string => `site-${String(i).padStart(4, '0')}`;

/** Checks every EVERY ms for DAYS days (a few targets fail for an hour now and then), and their incidents. */
function generateHistory(store: SqliteStore, now: number): number {
  const start = now - DAYS * 86_400_000;
  const ins = store.db.prepare('INSERT INTO checks (target, at, ok, state, status, ms, code, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const okEv = JSON.stringify({ phases: { dns: 1.2, connect: 2.5, tls: 8.1, ttfb: 40.3, total: 52.1 } });
  const badEv = JSON.stringify({ phases: { dns: 1.2, connect: 2.5, tls: 8.1, ttfb: 3.3, total: 15.1 }, cause: 'upstream.refused', summary: 'nginx answered 502; the backend refuses connections', headers: { server: 'nginx' }, body: '<html><head><title>502 Bad Gateway</title></head></html>' });
  let n = 0;
  for (let t = 0; t < TARGETS; t++) {
    store.transaction(() => {
      for (let at = start + (t * 997) % EVERY; at < now; at += EVERY) {
        // Target t fails for an hour every (t % 23 + 3) days; target 0..4 are down now.
        const bad = Math.floor(at / HOUR) % ((t % 23 + 3) * 24) === 0 || (t < 5 && at > now - HOUR);
        ins.run(name(t), at, bad ? 0 : 1, bad ? 'down' : 'up', bad ? 502 : 200, bad ? 15.1 : 52.1, null, bad ? badEv : okEv);
        n++;
      }
    });
  }
  const data = (t: number) => ({ cause: 'upstream.refused', layer: 'upstream', title: 'The upstream refuses connections', statuses: { 502: 4 }, evidence: [{ source: 'probe', line: 0, text: `${name(t)}: HTTP 502 from nginx` }], nextSteps: ['Check the app'] });
  // The store's incident calls are async; the bench writes its rows directly in one transaction.
  const inc = store.db.prepare("INSERT INTO incidents (target, cause, layer, state, opened_at, updated_at, resolved_at, acked, data, notes) VALUES (?, 'upstream.refused', 'upstream', ?, ?, ?, ?, 0, ?, '[]')");
  store.transaction(() => {
    for (let t = 0; t < TARGETS; t += 7) {
      for (let k = 1; k <= 3; k++) {
        const at = now - k * 9 * 86_400_000 - t * 60_000;
        if (at < start) continue;
        inc.run(name(t), 'resolved', at, at + HOUR, at + HOUR, JSON.stringify(data(t)));
      }
    }
    for (let t = 0; t < 5; t++) inc.run(name(t), 'open', now - HOUR, now, null, JSON.stringify(data(t)));
  });
  return n;
}

function config(hash: string): string {
  const lines = ['targets:'];
  for (let t = 0; t < TARGETS; t++) lines.push(`  - name: ${name(t)}`, `    url: http://127.0.0.1:9/${t}`, `    group: Group ${String(Math.floor(t / 50)).padStart(2, '0')}`);
  lines.push('users:', '  - name: ops', `    passwordHash: "${hash}"`);
  return lines.join('\n') + '\n';
}

async function main(): Promise<void> {
  const missing = chromiumMissing();
  if (missing) throw new Error(missing);
  const dir = join(values.dir, `${TARGETS}-${DAYS}-${values.every}`);
  if (values.fresh) rmSync(dir, { recursive: true, force: true });
  const fresh = !existsSync(join(dir, 'watch.db'));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const store = openSqliteStore(dir);
  const now = Date.now();
  if (fresh) {
    const t0 = performance.now();
    const n = generateHistory(store, now);
    console.log(`generated ${n.toLocaleString('en')} checks for ${TARGETS} targets over ${DAYS} days in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } else {
    console.log(`reusing ${dir} (--fresh to generate again)`);
  }
  const watch = new WatchService(parseWatchConfig(config(await hashPassword(PASSWORD))), { store });
  const server = new WatchServer(watch);
  const base = `http://127.0.0.1:${await server.listen(0)}`;
  const browser = await launchChromium();
  try {
    const login = await fetch(`${base}/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ username: 'ops', password: PASSWORD }).toString() });
    const cookie = /fivexx_session=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1] ?? '';
    const dash: number[] = [];
    const status: number[] = [];
    for (let i = 0; i < LOADS; i++) {
      const ctx = await browser.newContext();
      await ctx.addCookies([{ name: 'fivexx_session', value: cookie, url: base }]);
      const page = await ctx.newPage();
      await page.goto(`${base}/`);
      await page.waitForFunction(() => performance.getEntriesByName('fivexx-ready').length > 0, undefined, { timeout: 30_000 });
      dash.push(await page.evaluate(() => performance.getEntriesByName('fivexx-ready')[0]?.startTime ?? NaN));
      await page.goto(`${base}/status`);
      status.push(await page.evaluate(() => {
        // Runs in the page: a navigation entry has loadEventEnd (the node types here do not know it).
        const nav = performance.getEntriesByType('navigation' as Parameters<typeof performance.getEntriesByType>[0])[0] as unknown as { loadEventEnd: number; startTime: number } | undefined;
        return nav ? nav.loadEventEnd - nav.startTime : NaN;
      }));
      await ctx.close();
    }
    const t0 = performance.now();
    await fetch(`${base}/status`).then((r) => r.text());
    const statusServer = performance.now() - t0;
    const t1 = performance.now();
    await fetch(`${base}/api/overview`, { headers: { cookie: `fivexx_session=${cookie}` } }).then((r) => r.text());
    const overviewServer = performance.now() - t1;
    console.log(`targets ${TARGETS}, history ${DAYS} days, ${LOADS} loads each, fresh browser context per load`);
    console.log(`dashboard first load (navigation start → targets rendered): median ${median(dash).toFixed(0)} ms (all: ${dash.map((x) => x.toFixed(0)).join(', ')}); target ≤ 1000 ms`);
    console.log(`status page first load (navigation start → load event end): median ${median(status).toFixed(0)} ms (all: ${status.map((x) => x.toFixed(0)).join(', ')}); target ≤ 300 ms`);
    console.log(`server side alone: /status ${statusServer.toFixed(0)} ms, /api/overview ${overviewServer.toFixed(0)} ms`);
  } finally {
    await browser.close();
    await watch.stop();
    await server.close();
    await store.close();
  }
}

await main();
