// Log incidents in a real SQLite store: a live incident of the correlator is opened and alerted once,
// updated as it grows, resolved and alerted when closed; log rules open and resolve incidents of their own;
// fivexx_errors_total counts each failure once.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Correlator } from '../correlate/correlator.ts';
import { access, catalog, finding, T0 } from '../correlate/test-events.ts';
import { watchMetrics } from '../web/watch-metrics.ts';
import type { Alert } from './alerts/types.ts';
import { LogIncidents } from './log-incidents.ts';
import { openSqliteStore } from './store/sqlite-store.ts';

test('a correlated incident is opened, updated, resolved and alerted through the store', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-log-incidents-'));
  const store = openSqliteStore(join(dir, 'data'));
  t.after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const alerts: Alert[] = [];
  const metrics = watchMetrics();
  const c = new Correlator({ catalog, gapMs: 10_000, hasAccessLog: true, latenessMs: 2000 });
  const li = new LogIncidents({
    store, catalog, alert: (a) => alerts.push(a), metrics, sources: () => [{ path: '/var/log/nginx/access.log', format: 'combined', kind: 'access', lines: 1, unparsed: 0 }, { path: '/var/log/nginx/error.log', format: 'nginx-error', kind: 'error', lines: 1, unparsed: 0 }],
    traffic: { get: () => undefined }, precursors: () => [], joins: () => [{ requestId: 'r1', target: 'shop', checkId: 9, at: T0 + 1000, source: 'syslog:h/nginx_access', line: 0, text: 'rid="r1"', seen: T0 + 1100 }],
    refine: (live) => void c.refine(live),
  });
  const fail = (ms: number): void => {
    c.pushFinding(finding('upstream.refused', { time: T0 + ms, timeMax: T0 + ms, upstream: 'http://127.0.0.1:3000/api/orders' }));
    c.pushAccess(access({ time: T0 + ms, upstreamAddr: '127.0.0.1:3000' }));
  };
  const step = async (now: number): Promise<void> => {
    c.advance(T0 + now);
    const closed = c.takeClosed(T0 + now - 600_000);
    await li.sync(c.live(), closed, T0 + now);
  };
  fail(0);
  fail(1000);
  await step(7000);
  const [row] = await store.incidents('open');
  assert.equal(row?.target, 'logs/upstream.refused');
  assert.equal(row.cause, 'upstream.refused');
  assert.equal(row.layer, 'upstream');
  const data = row.data as { requests: number; evidence: { source: string; text: string }[]; scope: { upstreams: [string, number][] }; probes: { checkId: number }[] };
  assert.equal(data.requests, 2);
  assert.equal(data.evidence[0]?.source, '/var/log/nginx/error.log');
  assert.deepEqual(data.scope.upstreams, [['127.0.0.1:3000', 2]]);
  assert.equal(data.probes[0]?.checkId, 9);
  assert.deepEqual(alerts.map((a) => a.event), ['opened']);
  assert.match(alerts[0]?.text ?? '', /^502 on shop\.test \/api\/orders since 14:00:00Z — .*\(127\.0\.0\.1:3000\) \[upstream\.refused\]$/);
  // It grows: written again (no new alert).
  fail(3000);
  await step(9000);
  await step(12_000);
  assert.equal(((await store.incident(row.id))?.data as { requests: number }).requests, 3);
  assert.equal(alerts.length, 1);
  // Quiet for the gap and the settle time: resolved, alerted once.
  await step(3000 + 5000 + 30_000 + 2000 + 10_000 + 1000);
  assert.equal((await store.incident(row.id))?.state, 'resolved');
  assert.deepEqual(alerts.map((a) => a.event), ['opened', 'resolved']);
  assert.match(alerts[1]?.text ?? '', /^Resolved: shop\.test \/api\/orders since/);
  assert.match(metrics.registry.render(), /fivexx_errors_total\{target="logs",status="502",cause="upstream\.refused",layer="upstream"\} 3/);

  // A rule fires and resolves: an incident of its own.
  await li.rule({ kind: 'fire', at: T0 + 100_000, reading: { rule: 'errorRate', requests: 100, errors: 30, value: 0.3, text: '5xx rate 30 % (30 of 100) over 5m, at or above 5.0 %' } }, []);
  const rate = await store.openIncidentFor('logs/errorRate');
  assert.equal(rate?.cause, 'gateway.unexplained');
  await li.rule({ kind: 'resolve', at: T0 + 200_000, reading: { rule: 'errorRate', requests: 100, errors: 0, value: 0, text: '5xx rate 0 %' } }, []);
  assert.equal((await store.incident(rate?.id ?? -1))?.state, 'resolved');
  assert.deepEqual(alerts.slice(2).map((a) => [a.event, a.text]), [
    ['opened', 'logs/errorRate: 5xx rate 30 % (30 of 100) over 5m, at or above 5.0 % — most failures: gateway.unexplained'],
    ['resolved', 'Resolved: logs/errorRate: 5xx rate 0 % — most failures: gateway.unexplained'],
  ]);
});

test('a restart resolves the log incidents the last run left open', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-log-incidents-'));
  const store = openSqliteStore(join(dir, 'data'));
  t.after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  await store.tryOpenIncident({ target: 'logs/upstream.refused', cause: 'upstream.refused', layer: 'upstream', openedAt: 1, updatedAt: 1, data: {} });
  await store.tryOpenIncident({ target: 'shop', cause: 'upstream.refused', layer: 'upstream', openedAt: 1, updatedAt: 1, data: {} });
  const alerts: Alert[] = [];
  const li = new LogIncidents({ store, catalog, alert: (a) => alerts.push(a), sources: () => [], traffic: { get: () => undefined }, precursors: () => [], joins: () => [], refine: () => undefined });
  await li.resolveLeftOpen(1000);
  assert.deepEqual((await store.incidents('open')).map((i) => i.target), ['shop']);
  assert.deepEqual(alerts.map((a) => a.event), ['resolved']);
});
