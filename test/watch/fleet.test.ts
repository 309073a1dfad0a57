// A fleet of `fivexx watch` processes on one real PostgreSQL server, against local HTTP targets whose backend is
// down: one "opened" alert per incident across the fleet (counted on a webhook receiver), every target probed
// by one instance per interval; one instance killed with SIGKILL: its targets are taken over within two
// intervals, and when the backend is back every incident resolves with one "resolved" alert, none lost.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import pg from 'pg';
import { pgForFile } from './pg-server.ts';
import { until } from '../support/until.ts';

const BIN = new URL('../../src/cli/bin.ts', import.meta.url).pathname;
const INTERVAL = 2000;
const TARGETS = 9;
const pgs = pgForFile();
const skip = pgs.skip;

interface Hook { event: string; incident: { id: number; target: string } }

/** The targets (a gateway whose backend is down: 502, or up: 200) and the webhook receiver, on one server. */
async function startSite(): Promise<{ port: number; hooks: Hook[]; setUp: (up: boolean) => void; close: () => Promise<void> }> {
  let up = false;
  const hooks: Hook[] = [];
  const srv: Server = createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/hook') {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        hooks.push(JSON.parse(body) as Hook);
        res.end();
      });
      return;
    }
    res.writeHead(up ? 200 : 502, { server: 'nginx', 'content-type': 'text/html' });
    res.end(up ? 'ok' : '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>');
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return {
    port: (srv.address() as AddressInfo).port, hooks, setUp: (v) => (up = v),
    close: () => {
      srv.closeAllConnections();
      return new Promise((r) => srv.close(() => r()));
    },
  };
}

function watchChild(config: string, db: string): { child: ChildProcess; exited: Promise<unknown>; err: () => string } {
  const child = spawn(process.execPath, [BIN, 'watch', '--config', config, '--port', '0', '--db', db], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr?.on('data', (b: Buffer) => (err += b.toString()));
  return { child, exited: new Promise((r) => child.once('exit', r)), err: () => err };
}

const count = (hooks: Hook[], event: string): Map<number, number> => {
  const m = new Map<number, number>();
  for (const h of hooks) if (h.event === event) m.set(h.incident.id, (m.get(h.incident.id) ?? 0) + 1);
  return m;
};

async function fleetRun(t: { after: (fn: () => Promise<void>) => void }, instances: number, db: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-fleet-'));
  const site = await startSite();
  const url = await pgs.db(db);
  const client = new pg.Client({ connectionString: url });
  const targets = Array.from({ length: TARGETS }, (_, i) => `  - { name: t${i}, url: "http://127.0.0.1:${site.port}/t${i}", interval: ${INTERVAL}ms, timeout: 2s }`).join('\n');
  writeFileSync(join(dir, 'watch.yaml'), `targets:\n${targets}\nalerts:\n  - type: webhook\n    url: http://127.0.0.1:${site.port}/hook\nrules:\n  consecutiveFailures: 2\n  resolveAfter: 2s\n`);
  const kids = Array.from({ length: instances }, () => watchChild(join(dir, 'watch.yaml'), url));
  t.after(async () => {
    for (const k of kids) k.child.kill('SIGKILL');
    await Promise.all(kids.map((k) => k.exited));
    await client.end().catch(() => undefined);
    await site.close();
    rmSync(dir, { recursive: true, force: true });
  });
  await until('the fleet to open every incident', 60_000, () => (count(site.hooks, 'opened').size === TARGETS ? true : undefined));
  await client.connect();
  const leases = async (): Promise<Map<string, string>> => new Map((await client.query<{ target: string; owner: string }>('SELECT target, owner FROM target_leases')).rows.map((r) => [r.target, r.owner]));
  await until('leases split over every instance', 30_000, async () => (new Set((await leases()).values()).size === instances ? true : undefined));

  // Steady state: over three intervals, each target is probed by one instance, once per interval.
  const t0 = Date.now();
  await new Promise((r) => setTimeout(r, 3 * INTERVAL + 200));
  const rows = (await client.query<{ target: string; at: string; instance: string }>('SELECT target, at, instance FROM checks WHERE at >= $1 ORDER BY at', [t0])).rows;
  for (let i = 0; i < TARGETS; i++) {
    const mine = rows.filter((r) => r.target === `t${i}`);
    assert.equal(new Set(mine.map((r) => r.instance)).size, 1, `t${i} probed by ${new Set(mine.map((r) => r.instance)).size} instances in one stretch`);
    assert.ok(mine.length >= 2 && mine.length <= 4, `t${i} probed ${mine.length} times in three intervals`);
    for (let k = 1; k < mine.length; k++) assert.ok(Number(mine[k]?.at) - Number(mine[k - 1]?.at) >= INTERVAL / 2, `t${i} probed twice within half an interval`);
  }

  // kill -9 the instance holding the most targets.
  const held = await leases();
  const byOwner = new Map<string, string[]>();
  for (const [target, owner] of held) byOwner.set(owner, [...(byOwner.get(owner) ?? []), target]);
  const [victim, victimTargets] = [...byOwner].sort((a, b) => b[1].length - a[1].length)[0] ?? ['', []];
  const pid = Number(victim.split(':')[1]);
  const kid = kids.find((k) => k.child.pid === pid);
  assert.ok(kid, `no child has pid ${pid} (owner ${victim})`);
  const killedAt = Date.now();
  kid.child.kill('SIGKILL');
  await kid.exited;
  const takeover = await until('its targets to be probed by the others', 6 * INTERVAL, async () => {
    const r = (await client.query<{ target: string; at: string }>('SELECT target, min(at) AS at FROM checks WHERE at > $1 AND instance <> $2 AND target = ANY($3::text[]) GROUP BY target', [killedAt, victim, victimTargets])).rows;
    return r.length === victimTargets.length ? Math.max(...r.map((x) => Number(x.at) - killedAt)) : undefined;
  });
  assert.ok(takeover <= 2 * INTERVAL + 500, `the killed instance's ${victimTargets.length} targets were taken over after ${takeover} ms (two intervals: ${2 * INTERVAL} ms)`);
  console.log(`# fleet of ${instances}: ${victimTargets.length} targets of the killed instance probed again after ${takeover} ms (interval ${INTERVAL} ms)`);

  // Each surviving instance's status page shows every target down, those others hold too.
  for (const k of kids.filter((x) => x !== kid)) {
    const port = Number(/http:\/\/127\.0\.0\.1:(\d+)\//.exec(k.err())?.[1]);
    await until(`the status page of port ${port} to show ${TARGETS} outages`, 5 * INTERVAL, async () => {
      const page = await (await fetch(`http://127.0.0.1:${port}/status`)).text();
      // One row per target that is not up (the group badges and the legend say "Outage" too).
      return page.match(/<li class="down">/g)?.length === TARGETS ? true : undefined;
    });
  }

  // The backend comes back: one "resolved" per incident, the killed instance's too; no "opened" was repeated.
  site.setUp(true);
  await until('every incident to resolve', 60_000, () => (count(site.hooks, 'resolved').size === TARGETS ? true : undefined));
  await new Promise((r) => setTimeout(r, INTERVAL));
  const opened = count(site.hooks, 'opened');
  const resolved = count(site.hooks, 'resolved');
  assert.deepEqual([...opened.values()], Array<number>(TARGETS).fill(1), 'one "opened" alert per incident across the fleet');
  assert.deepEqual([...resolved.values()], Array<number>(TARGETS).fill(1), 'one "resolved" alert per incident across the fleet');
  assert.deepEqual([...opened.keys()].sort(), [...resolved.keys()].sort());
  assert.equal(new Set(site.hooks.map((h) => h.incident.target)).size, TARGETS);
  for (const k of kids) if (k !== kid) assert.doesNotMatch(k.err(), /FIVEXX_INTERNAL/);
}

test('two watch instances on one PostgreSQL: one alert per incident, one probe per interval, kill -9 taken over', { skip, timeout: 180_000 }, async (t) => {
  await fleetRun(t, 2, 'fleet2');
});

test('three watch instances on one PostgreSQL: one alert per incident, one probe per interval, kill -9 taken over', { skip, timeout: 180_000 }, async (t) => {
  await fleetRun(t, 3, 'fleet3');
});
