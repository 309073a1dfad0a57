// The dashboard's JSON API and the status page over real HTTP, the same tests on both stores: the embedded
// SQLite and a real PostgreSQL server the test starts (skipped with the reason when PostgreSQL is absent).
// Then retention on both: raw checks by `retention`, hourly and daily rollups by `rollupRetention`.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test, type TestContext } from 'node:test';
import pg from 'pg';
import { WatchServer } from '../../src/web/server.ts';
import { parseWatchConfig } from '../../src/watch/config.ts';
import { WatchService } from '../../src/watch/service.ts';
import { openPostgresStore } from '../../src/watch/store/postgres-store.ts';
import { pruneHistory } from '../../src/watch/store/retention.ts';
import { openSqliteStore, SqliteStore } from '../../src/watch/store/sqlite-store.ts';
import { MIGRATIONS } from '../../src/watch/store/migrations.ts';
import type { Store } from '../../src/watch/store/types.ts';
import { pgForFile } from '../watch/pg-server.ts';

const TOKEN = 'dash-token-0123456789abcdef';
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** Half past an hour: checks a second apart fall in one hour whatever the clock says. */
const NOW = Math.floor(Date.now() / HOUR) * HOUR + 30 * 60_000;
const AUTH = { authorization: `Bearer ${TOKEN}` };

const pgs = pgForFile();
const pgSkip = pgs.skip;

type Kind = 'sqlite' | 'postgres';
const KINDS: readonly { kind: Kind; skip: string | false }[] = [{ kind: 'sqlite', skip: false }, { kind: 'postgres', skip: pgSkip }];

async function openStore(t: TestContext, kind: Kind): Promise<Store> {
  if (kind === 'postgres') return openPostgresStore(await pgs.db('dash'));
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-dash-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return openSqliteStore(join(dir, 'data'));
}

async function start(t: TestContext, kind: Kind): Promise<{ base: string; store: Store }> {
  const config = parseWatchConfig(`
targets:
  - name: shop
    url: http://127.0.0.1:9/api
    group: Shop
  - name: blog
    url: http://127.0.0.1:9/blog
    group: Content
  - name: quiet
    url: http://127.0.0.1:9/quiet
    group: Content
apiTokens: [${TOKEN}]
`);
  const store = await openStore(t, kind);
  const watch = new WatchService(config, { store, now: () => NOW });
  const server = new WatchServer(watch, () => NOW);
  const base = `http://127.0.0.1:${await server.listen(0)}`;
  t.after(async () => {
    await watch.stop();
    await server.close();
    await store.close();
  });
  return { base, store };
}

const get = async <T>(base: string, path: string): Promise<T> => {
  const r = await fetch(`${base}${path}`, { headers: AUTH });
  assert.equal(r.status, 200, `${path}: ${r.status} ${await r.clone().text()}`);
  return (await r.json()) as T;
};

const phases = { dns: 1, connect: 2, tls: 0, ttfb: 10, total: 13 };
const bad = { phases, cause: 'upstream.refused', summary: 'refused', headers: { server: 'nginx' }, body: '<h1>502 Bad Gateway</h1>' };

/** Two checks of shop this hour (one failed), blog's two and three hours ago; three incidents. */
async function seed(store: Store): Promise<number[]> {
  await store.addCheck({ target: 'shop', at: NOW - 1000, ok: true, state: 'up', status: 200, ms: 13, code: null, evidence: { phases } });
  await store.addCheck({ target: 'shop', at: NOW - 500, ok: false, state: 'down', status: 502, ms: 15, code: null, evidence: bad });
  await store.addCheck({ target: 'blog', at: NOW - 2 * HOUR, ok: true, state: 'up', status: 200, ms: 20, code: null, evidence: { phases } });
  // A check that arrives late (another instance's, older) is not the newest.
  await store.addCheck({ target: 'blog', at: NOW - 3 * HOUR, ok: false, state: 'down', status: 503, ms: 20, code: null, evidence: { phases } });
  const ids = [];
  for (const [target, at] of [['blog', NOW - 3 * DAY], ['quiet', NOW - 2 * DAY], ['shop', NOW - 600]] as const) {
    ids.push(await store.openIncident({ target, cause: 'upstream.refused', layer: 'upstream', openedAt: at, updatedAt: at, data: { title: `${target} down` } }));
  }
  await store.resolveIncident(ids[0] ?? 0, NOW - 3 * DAY + HOUR);
  await store.resolveIncident(ids[1] ?? 0, NOW - 2 * DAY + HOUR);
  await store.addNote(ids[1] ?? 0, { at: NOW - 2 * DAY, author: 'ops', text: '[public] We moved the quiet service.' });
  return ids;
}

interface Overview { counts: Record<string, number>; total: number; targets: { name: string; spark: ({ n: number; fail: number; ms: number } | null)[]; last: { status: number; cause: string | null } | null }[] }

for (const { kind, skip } of KINDS) {
  test(`${kind}: overview, timeline, targets and feed read the rollups and indexes`, { skip }, async (t) => {
    const { base, store } = await start(t, kind);
    await seed(store);
    const o = await get<Overview>(base, '/api/overview');
    assert.equal(o.total, 3);
    const shop = o.targets.find((x) => x.name === 'shop');
    assert.deepEqual(shop?.spark[23], { n: 2, fail: 1, ms: 14 });
    assert.equal(shop?.spark.filter((h) => h !== null).length, 1);
    assert.deepEqual(shop?.last, { at: NOW - 500, ok: false, status: 502, ms: 15, cause: 'upstream.refused' });
    assert.deepEqual(o.targets.find((x) => x.name === 'blog')?.spark[21], { n: 1, fail: 0, ms: 20 });
    assert.equal(o.targets.find((x) => x.name === 'quiet')?.last, null);
    const page = await get<Overview>(base, '/api/overview?per=1&page=2&q=o');
    assert.deepEqual([page.total, page.targets.map((x) => x.name)], [3, ['quiet']]);

    const tl = await get<{ hours: { at: number; n: number; s2: number; s5: number; ttfb: number; total: number; max: number }[] }>(base, '/api/targets/shop/timeline?hours=24');
    assert.deepEqual(tl.hours.map((h) => [h.at, h.n, h.s2, h.s5, h.ttfb, h.total, h.max]), [[Math.floor(NOW / HOUR) * HOUR, 2, 1, 1, 10, 14, 15]]);
    assert.deepEqual((await get<{ hours: unknown[] }>(base, '/api/targets/blog/timeline?hours=1')).hours, []);

    const targets = await get<{ name: string; lastCheck: { status: number; evidence: { body?: string } } | null }[]>(base, '/api/targets');
    assert.deepEqual(targets.map((x) => [x.name, x.lastCheck?.status ?? null]), [['shop', 502], ['blog', 200], ['quiet', null]]);
    assert.equal(targets[0]?.lastCheck?.evidence.body, '<h1>502 Bad Gateway</h1>');

    const feed = await get<{ id: number; target: string; status: number; cause: string | null; summary: string | null }[]>(base, '/api/feed?after=0');
    assert.deepEqual(feed.map((f) => [f.target, f.status, f.cause, f.summary]), [['blog', 503, null, null], ['shop', 502, 'upstream.refused', 'refused']]);
    assert.deepEqual(await get(base, `/api/feed?after=${feed[0]?.id ?? 0}`), []);
    assert.equal((await fetch(`${base}/api/overview?per=100000`, { headers: AUTH })).status, 400);
    assert.equal((await fetch(`${base}/api/targets/nope/timeline`, { headers: AUTH })).status, 404);
  });

  test(`${kind}: incidents page by page, an incident with its kept responses, the status page`, { skip }, async (t) => {
    const { base, store } = await start(t, kind);
    const ids = await seed(store);
    const first = await get<{ id: number; target: string; state: string }[]>(base, '/api/incidents?state=all&limit=2');
    assert.deepEqual(first.map((i) => [i.id, i.target, i.state]), [[ids[2], 'shop', 'open'], [ids[1], 'quiet', 'resolved']]);
    const rest = await get<{ id: number }[]>(base, `/api/incidents?state=all&limit=2&before=${NOW - 2 * DAY}`);
    assert.deepEqual(rest.map((i) => i.id), [ids[0]]);
    assert.deepEqual((await get<{ id: number }[]>(base, '/api/incidents?state=resolved&limit=10')).map((i) => i.id), [ids[1], ids[0]]);
    assert.deepEqual((await get<{ id: number }[]>(base, '/api/incidents')).map((i) => i.id), [ids[2]]);

    const detail = await get<{ incident: { id: number }; failingHop: string; checks: { status: number; evidence: { body: string } }[] }>(base, `/api/incidents/${ids[2]}`);
    assert.equal(detail.incident.id, ids[2]);
    assert.deepEqual(detail.checks.map((c) => [c.status, c.evidence.body]), [[502, '<h1>502 Bad Gateway</h1>']]);
    assert.equal((await fetch(`${base}/api/incidents/999999`, { headers: AUTH })).status, 404);

    const status = await (await fetch(`${base}/status`)).text();
    assert.match(status, /<li class=d title="[0-9-]+: outage">/, 'today has an outage bar (shop was down)');
    assert.match(status, /1 day\(s\) of outage/);
    assert.match(status, /<strong>quiet<\/strong>: disruption from .*We moved the quiet service\./);
    assert.match(status, /<strong>blog<\/strong>: disruption from /);
    assert.doesNotMatch(status, /127\.0\.0\.1|upstream|refused|502|<script|style=/);
  });

  test(`${kind}: migration 4 fills each target's newest check from the checks a database already has`, { skip }, async (t) => {
    const rows = [['a', 1000, 200], ['a', 3000, 502], ['a', 2000, 301], ['b', 500, 200]] as const;
    const insert = (r: typeof rows[number]): string => `INSERT INTO checks (target, at, ok, state, status, ms, code, evidence) VALUES ('${r[0]}', ${r[1]}, 1, 'up', ${r[2]}, 1, NULL, '{}')`;
    let store: Store;
    if (kind === 'sqlite') {
      const dir = mkdtempSync(join(tmpdir(), 'fivexx-mig-'));
      t.after(() => rmSync(dir, { recursive: true, force: true }));
      const db = new DatabaseSync(join(dir, 'watch.db'));
      db.exec(`CREATE TABLE schema_version (version INTEGER NOT NULL); ${MIGRATIONS.slice(0, 3).map((m) => m.sqlite).join(';\n')}; INSERT INTO schema_version VALUES (1), (2), (3); ${rows.map(insert).join('; ')}`);
      db.close();
      store = new SqliteStore(join(dir, 'watch.db'));
    } else {
      const url = await pgs.db('dash');
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`CREATE TABLE schema_version (version INTEGER NOT NULL); ${MIGRATIONS.slice(0, 3).map((m) => m.postgres).join(';\n')}; INSERT INTO schema_version VALUES (1), (2), (3); ${rows.map(insert).join('; ')}`);
      await c.end();
      store = await openPostgresStore(url);
    }
    t.after(() => store.close());
    const last = await store.lastChecks(['a', 'b', 'c']);
    assert.deepEqual([...last].map(([k, v]) => [k, v.at, v.status]).sort(), [['a', 3000, 502], ['b', 500, 200]]);
    await store.addCheck({ target: 'b', at: 400, ok: true, state: 'up', status: 204, ms: 1, code: null, evidence: {} });
    await store.addCheck({ target: 'c', at: 400, ok: true, state: 'up', status: 204, ms: 1, code: null, evidence: {} });
    assert.deepEqual([...(await store.lastChecks(['b', 'c']))].map(([k, v]) => [k, v.status]).sort(), [['b', 200], ['c', 204]]);
  });

  test(`${kind}: retention prunes raw checks by retention and rollups by rollupRetention`, { skip }, async (t) => {
    const store = await openStore(t, kind);
    t.after(() => store.close());
    const check = (at: number) => store.addCheck({ target: 'shop', at, ok: false, state: 'down', status: 502, ms: 5, code: null, evidence: bad });
    // 200 days, 100 days and 10 days ago, and now.
    for (const ago of [200, 100, 10, 0]) await check(NOW - ago * DAY);
    await store.addCheck({ target: 'gone', at: NOW - 200 * DAY, ok: true, state: 'up', status: 200, ms: 5, code: null, evidence: {} });
    const config = { retention: 30 * DAY, rollupRetention: { hourly: 60 * DAY, daily: 150 * DAY } };
    const out = await pruneHistory(store, config, NOW);
    assert.equal(out.raw, 3, "shop's checks of 200 and 100 days ago, gone's of 200");
    assert.equal(out.rollups, 3 + 2, 'the hours of those three checks, the days of 200 days ago (shop and gone)');
    assert.deepEqual([...(await store.lastChecks(['shop', 'gone'])).keys()], ['shop'], 'the newest check of gone went with it');
    assert.deepEqual((await store.checks('shop', 0)).map((c) => (NOW - c.at) / DAY), [0, 10]);
    assert.deepEqual((await store.hourRollups(0)).map((h) => h.bucket), [10, 0].map((d) => Math.floor((NOW - d * DAY) / HOUR)));
    assert.deepEqual((await store.dayRollups(0)).map((d) => d.bucket).sort((a, b) => a - b), [100, 10, 0].map((d) => Math.floor((NOW - d * DAY) / DAY)));
    assert.equal(await store.firstDay(), Math.floor((NOW - 100 * DAY) / DAY));
    assert.deepEqual(await pruneHistory(store, config, NOW), { raw: 0, rollups: 0 }, 'nothing more on a second run');
    // The defaults of the config are what docs/watch.md says: 90 days of checks and hours, 400 of days.
    const defaults = parseWatchConfig('targets: []\n');
    assert.deepEqual([defaults.retention, defaults.rollupRetention.hourly, defaults.rollupRetention.daily], [90 * DAY, 90 * DAY, 400 * DAY]);
  });

  test(`${kind}: a running watch prunes rollups every hour by the config's rollupRetention`, { skip }, async (t) => {
    const store = await openStore(t, kind);
    for (const ago of [300, 0]) await store.addCheck({ target: 'shop', at: NOW - ago * DAY, ok: true, state: 'up', status: 200, ms: 5, code: null, evidence: { phases } });
    const config = parseWatchConfig('targets: []\nretention: 400d\nrollupRetention:\n  hourly: 30d\n  daily: 200d\n');
    // Only setInterval is mocked: the hourly prune timer fires on tick(), the rest of watch runs for real.
    t.mock.timers.enable({ apis: ['setInterval'] });
    const watch = new WatchService(config, { store, now: () => NOW });
    t.after(async () => {
      await watch.stop();
      await store.close();
    });
    watch.start();
    assert.equal((await store.hourRollups(0)).length, 2);
    t.mock.timers.tick(3_600_000);
    for (let i = 0; i < 100 && (await store.dayRollups(0)).length > 1; i++) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual((await store.hourRollups(0)).map((h) => h.bucket), [Math.floor(NOW / HOUR)]);
    assert.deepEqual((await store.dayRollups(0)).map((d) => d.bucket), [Math.floor(NOW / DAY)]);
    assert.equal((await store.checks('shop', 0)).length, 2, 'retention 400d keeps both checks');
  });
}
