// The web face's load figures: N targets with days of history written straight into the store (SQLite, or a
// throwaway PostgreSQL server started here with --db pg), then either the dashboard's and the status page's
// first loads in Debian's Chromium (fresh context each time, nothing cached), or with --api each JSON route
// and /status timed over HTTP on loopback. Medians of several loads. Prints figures; it is not a timed test.
//
//   node bench/web.ts [--targets 2000] [--days 30] [--every 60] [--loads 7] [--db sqlite|pg] [--api] [--dir /tmp/fivexx-bench-web] [--fresh]
//   --every: minutes between generated checks of a target (60: 1,440,000 checks for 2,000 targets and 30 days).
//   --db pg: PostgreSQL 15 from Debian (apt-get install postgresql), its data in a temporary folder, deleted after.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromiumMissing, launchChromium } from '../test/web/browser.ts';
import { pgMissing, startPg, type PgServer } from '../test/watch/pg-server.ts';
import { hashPassword } from '../src/web/auth.ts';
import { WatchServer } from '../src/web/server.ts';
import { parseWatchConfig } from '../src/watch/config.ts';
import { WatchService } from '../src/watch/service.ts';
import { openPostgresStore, type PostgresStore } from '../src/watch/store/postgres-store.ts';
import { openSqliteStore, type SqliteStore } from '../src/watch/store/sqlite-store.ts';
import type { Store } from '../src/watch/store/types.ts';

const { values } = parseArgs({ options: {
  targets: { type: 'string', default: '2000' }, days: { type: 'string', default: '30' }, every: { type: 'string', default: '60' },
  loads: { type: 'string', default: '7' }, dir: { type: 'string', default: '/tmp/fivexx-bench-web' }, fresh: { type: 'boolean', default: false },
  db: { type: 'string', default: 'sqlite' }, api: { type: 'boolean', default: false },
} });
const TARGETS = Number(values.targets);
const DAYS = Number(values.days);
const EVERY = Number(values.every) * 60_000;
const LOADS = Number(values.loads);
const PASSWORD = 'bench password 0123';
const HOUR = 3_600_000;
const DAY = 86_400_000;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const name = (i: number): string => `site-${String(i).padStart(5, '0')}`;
const OK_EV = JSON.stringify({ phases: { dns: 1.2, connect: 2.5, tls: 8.1, ttfb: 40.3, total: 52.1 } });
const BAD_EV = JSON.stringify({ phases: { dns: 1.2, connect: 2.5, tls: 8.1, ttfb: 3.3, total: 15.1 }, cause: 'upstream.refused', summary: 'nginx answered 502; the backend refuses connections', headers: { server: 'nginx' }, body: '<html><head><title>502 Bad Gateway</title></head></html>' });
const incidentData = (t: number): string => JSON.stringify({ cause: 'upstream.refused', layer: 'upstream', title: 'The upstream refuses connections', statuses: { 502: 4 }, evidence: [{ source: 'probe', line: 0, text: `${name(t)}: HTTP 502 from nginx` }], nextSteps: ['Check the app'] });

/** The incidents of the history: three resolved ones every seventh target, and targets 0..4 open now. */
function incidentRows(now: number): [string, string, number, number, number | null, string][] {
  const rows: [string, string, number, number, number | null, string][] = [];
  for (let t = 0; t < TARGETS; t += 7) {
    for (let k = 1; k <= 3; k++) {
      const at = now - k * 9 * DAY - t * 60_000;
      if (at >= now - DAYS * DAY) rows.push([name(t), 'resolved', at, at + HOUR, at + HOUR, incidentData(t)]);
    }
  }
  for (let t = 0; t < 5; t++) rows.push([name(t), 'open', now - HOUR, now, null, incidentData(t)]);
  return rows;
}

/** Checks every EVERY ms for DAYS days (target t fails for an hour every (t % 23 + 3) days; 0..4 are down now). */
function generateSqlite(store: SqliteStore, now: number): number {
  const start = now - DAYS * DAY;
  const ins = store.db.prepare('INSERT INTO checks (target, at, ok, state, status, ms, code, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  let n = 0;
  for (let t = 0; t < TARGETS; t++) {
    store.transaction(() => {
      for (let at = start + (t * 997) % EVERY; at < now; at += EVERY) {
        const bad = Math.floor(at / HOUR) % ((t % 23 + 3) * 24) === 0 || (t < 5 && at > now - HOUR);
        ins.run(name(t), at, bad ? 0 : 1, bad ? 'down' : 'up', bad ? 502 : 200, bad ? 15.1 : 52.1, null, bad ? BAD_EV : OK_EV);
        n++;
      }
    });
  }
  const inc = store.db.prepare("INSERT INTO incidents (target, cause, layer, state, opened_at, updated_at, resolved_at, acked, data, notes) VALUES (?, 'upstream.refused', 'upstream', ?, ?, ?, ?, 0, ?, '[]')");
  store.transaction(() => {
    for (const r of incidentRows(now)) inc.run(...r);
  });
  return n;
}

/** The same history generated inside PostgreSQL (generate_series), 500 targets a statement; the trigger keeps the rollups. */
async function generatePg(store: PostgresStore, now: number): Promise<number> {
  const start = now - DAYS * DAY;
  let n = 0;
  for (let from = 0; from < TARGETS; from += 500) {
    const r = await store.pool.query(`INSERT INTO checks (target, at, ok, state, status, ms, code, evidence)
      SELECT 'site-' || lpad(t::text, 5, '0'), at, (NOT bad)::int, CASE WHEN bad THEN 'down' ELSE 'up' END, CASE WHEN bad THEN 502 ELSE 200 END,
        CASE WHEN bad THEN 15.1 ELSE 52.1 END, NULL, CASE WHEN bad THEN $5 ELSE $6 END
      FROM generate_series($1::int, $2::int) AS t, LATERAL generate_series($3::bigint + (t * 997) % $4::bigint, $7::bigint - 1, $4::bigint) AS at,
        LATERAL (SELECT (at / ${HOUR}) % ((t % 23 + 3) * 24) = 0 OR (t < 5 AND at > $7::bigint - ${HOUR}) AS bad) AS b`,
    [from, Math.min(TARGETS, from + 500) - 1, start, EVERY, BAD_EV, OK_EV, now]);
    n += r.rowCount ?? 0;
  }
  for (const r of incidentRows(now)) {
    await store.pool.query("INSERT INTO incidents (target, cause, layer, state, opened_at, updated_at, resolved_at, acked, data, notes) VALUES ($1, 'upstream.refused', 'upstream', $2, $3, $4, $5, 0, $6, '[]')", r);
  }
  await store.pool.query('ANALYZE');
  return n;
}

function config(hash: string): string {
  const lines = ['targets:'];
  for (let t = 0; t < TARGETS; t++) lines.push(`  - name: ${name(t)}`, `    url: http://127.0.0.1:9/${t}`, `    group: Group ${String(Math.floor(t / 50)).padStart(3, '0')}`);
  lines.push('users:', '  - name: ops', `    passwordHash: "${hash}"`);
  return lines.join('\n') + '\n';
}

/** Opens the store (and the PostgreSQL server); generates the history unless the SQLite one is kept from before. */
async function openStore(now: number): Promise<{ store: Store; pg?: PgServer }> {
  const t0 = performance.now();
  let n: number | undefined;
  let store: Store;
  let pg: PgServer | undefined;
  if (values.db === 'pg') {
    const missing = pgMissing();
    if (missing) throw new Error(missing);
    pg = await startPg();
    const s = await openPostgresStore(pg.url);
    n = await generatePg(s, now);
    store = s;
  } else {
    const dir = join(values.dir, `${TARGETS}-${DAYS}-${values.every}`);
    if (values.fresh) rmSync(dir, { recursive: true, force: true });
    const fresh = !existsSync(join(dir, 'watch.db'));
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const s = openSqliteStore(dir);
    if (fresh) n = generateSqlite(s, now);
    else console.log(`reusing ${dir} (--fresh to generate again)`);
    store = s;
  }
  if (n !== undefined) console.log(`${values.db}: generated ${n.toLocaleString('en')} checks for ${TARGETS} targets over ${DAYS} days in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { store, pg };
}

/** Each API route and /status over HTTP: the first (cold) answer, then the median of LOADS. */
async function measureApi(base: string, cookie: string): Promise<void> {
  const headers = { cookie: `fivexx_session=${cookie}` };
  const incidents = (await (await fetch(`${base}/api/incidents`, { headers })).json()) as { id: number }[];
  const routes = ['/status', '/api/overview', '/api/overview?state=down', '/api/overview?per=200&page=20', '/api/overview?q=site-0999',
    '/api/targets', `/api/targets/${name(1)}/timeline?hours=24`, `/api/targets/${name(1)}/timeline?hours=720`, '/api/incidents',
    '/api/incidents?state=all&limit=50', `/api/incidents/${incidents[0]?.id ?? 1}`, '/api/feed?after=0', '/api/feed?after=0&limit=200'];
  console.log(`${values.db}, ${TARGETS} targets, ${DAYS} days: route, first answer, median of ${LOADS} (ms), bytes`);
  for (const path of routes) {
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i <= LOADS; i++) {
      const t0 = performance.now();
      const r = await fetch(`${base}${path}`, { headers });
      const body = await r.text();
      if (r.status !== 200) throw new Error(`${path}: ${r.status} ${body.slice(0, 200)}`);
      times.push(performance.now() - t0);
      bytes = body.length;
    }
    const first = times.shift() ?? NaN;
    console.log(`  ${path.padEnd(44)} ${first.toFixed(1).padStart(8)} ${median(times).toFixed(1).padStart(8)} ${String(bytes).padStart(10)}`);
  }
}

async function measureBrowser(base: string, cookie: string): Promise<void> {
  const browser = await launchChromium();
  try {
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
    console.log(`${values.db}, targets ${TARGETS}, history ${DAYS} days, ${LOADS} loads each, fresh browser context per load`);
    console.log(`dashboard first load (navigation start → targets rendered): median ${median(dash).toFixed(0)} ms (all: ${dash.map((x) => x.toFixed(0)).join(', ')}); target ≤ 1000 ms`);
    console.log(`status page first load (navigation start → load event end): median ${median(status).toFixed(0)} ms (all: ${status.map((x) => x.toFixed(0)).join(', ')}); target ≤ 300 ms`);
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  if (values.db !== 'sqlite' && values.db !== 'pg') throw new Error('--db is sqlite or pg');
  const missing = values.api ? false : chromiumMissing();
  if (missing) throw new Error(missing);
  const now = Date.now();
  const { store, pg } = await openStore(now);
  const watch = new WatchService(parseWatchConfig(config(await hashPassword(PASSWORD))), { store });
  const server = new WatchServer(watch);
  const base = `http://127.0.0.1:${await server.listen(0)}`;
  try {
    const login = await fetch(`${base}/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ username: 'ops', password: PASSWORD }).toString() });
    const cookie = /fivexx_session=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1] ?? '';
    await (values.api ? measureApi(base, cookie) : measureBrowser(base, cookie));
  } finally {
    await watch.stop();
    await server.close();
    await store.close();
    await pg?.destroy();
  }
}

await main();
