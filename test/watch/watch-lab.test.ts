// watch against a real nginx in front of a real Node app: the app is stopped and started again; the webhook
// gets "opened" with the cause and "resolved"; the API and a real Prometheus scrape of /metrics agree.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { WatchServer } from '../../src/web/server.ts';
import { parseWatchConfig } from '../../src/watch/config.ts';
import { WatchService } from '../../src/watch/service.ts';
import { openSqliteStore } from '../../src/watch/store/sqlite-store.ts';
import { hasGateway, Lab } from '../lab/lab.ts';
import { freePort, waitForPort } from '../lab/ports.ts';
import { until } from '../support/until.ts';
import { startHookReceiver } from '../support/hook-receiver.ts';

const TOKEN = 'lab-token-0123456789abcdef';
const PROMETHEUS = '/usr/bin/prometheus';

test('watch: a stopped backend opens an incident naming upstream.refused, alerts, and resolves when it is back', { skip: hasGateway('nginx') ? false : 'nginx is not installed', timeout: 90_000 }, async (t) => {
  const lab = await Lab.create('watch');
  const data = mkdtempSync(join(tmpdir(), 'fivexx-watch-data-'));
  const hook = await startHookReceiver<{ event: string; text: string; incident: { cause: string; id: number } }>();
  const hooks = hook.hooks;
  t.after(async () => {
    hook.close();
    await lab.stopAll();
    rmSync(data, { recursive: true, force: true });
  });
  await lab.startApp();
  await lab.startGateway();
  const config = parseWatchConfig(`
targets:
  - name: shop
    url: http://127.0.0.1:${lab.port}/api/orders
    upstream: http://127.0.0.1:${lab.appPort}/api/orders
    interval: 300ms
    timeout: 2s
alerts:
  - type: webhook
    url: ${hook.url}
rules:
  consecutiveFailures: 2
  resolveAfter: 1s
apiTokens: [${TOKEN}]
`);
  const watch = new WatchService(config, { store: openSqliteStore(data), dispatch: { backoffMs: 100 } });
  const server = new WatchServer(watch);
  t.after(async () => {
    await watch.stop();
    await server.close();
  });
  const port = await server.listen(0);
  watch.start();
  await until('a passing check', 10_000, async () => ((await watch.store.lastCheck('shop'))?.ok ? true : undefined));
  assert.equal(watch.state('shop'), 'up');

  const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
  const rolled = await fetch(`http://127.0.0.1:${port}/api/changes`, { method: 'POST', headers: auth, body: JSON.stringify({ kind: 'rollback', ref: 'v1' }) });
  assert.equal(rolled.status, 201);
  assert.equal((await fetch(`http://127.0.0.1:${port}/api/changes`, { method: 'POST', headers: auth, body: JSON.stringify({ kind: 'restart', ref: 'shop.service', service: 'shop' }) })).status, 201);
  await lab.stopApp();
  const opened = await until('the opened alert', 15_000, () => hooks.find((h) => h.event === 'opened'));
  assert.equal(opened.incident.cause, 'upstream.refused');
  assert.match(opened.text, /^502 on shop \/api\/orders since \d\d:\d\d:\d\dZ — the upstream refuses connections/);
  const api = await (await fetch(`http://127.0.0.1:${port}/api/incidents?state=open`, { headers: { authorization: `Bearer ${TOKEN}` } })).json() as { id: number; cause: string; layer: string; evidence: { text: string }[]; statuses: Record<string, number>; trigger: { kind: string; ref: string; fit: string } | null }[];
  // The restart fits refused connections; the rollback just before it does not (a rollback does not explain them).
  assert.deepEqual([api[0]?.trigger?.kind, api[0]?.trigger?.ref, api[0]?.trigger?.fit], ['restart', 'shop.service', 'strong']);
  assert.equal(api[0]?.cause, 'upstream.refused');
  assert.equal(api[0]?.layer, 'upstream');
  assert.match(api[0]?.evidence[0]?.text ?? '', /HTTP 502 from nginx/);
  assert.equal((await fetch(`http://127.0.0.1:${port}/api/incidents`)).status, 401);
  const checks = await (await fetch(`http://127.0.0.1:${port}/api/targets/shop/checks`, { headers: { authorization: `Bearer ${TOKEN}` } })).json() as { ok: boolean; evidence: { body?: string; requestId?: string } }[];
  const failed = checks.find((c) => !c.ok);
  assert.match(failed?.evidence.body ?? '', /502 Bad Gateway/);
  assert.match(failed?.evidence.requestId ?? '', /^[0-9a-f-]{36}$/);
  const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  assert.match(metrics, /fivexx_errors_total\{target="shop",status="502",cause="upstream\.refused",layer="upstream"\} \d+/);
  assert.match(metrics, /fivexx_incidents_open\{cause="upstream\.refused",layer="upstream"\} 1/);
  assert.match(metrics, /fivexx_probe_duration_seconds_bucket\{target="shop",phase="ttfb",le="\+Inf"\} \d+/);
  const status = await (await fetch(`http://127.0.0.1:${port}/status`)).text();
  assert.match(status, /Outage/);
  assert.doesNotMatch(status, /127\.0\.0\.1|upstream|refused|502/);

  await lab.startApp();
  const resolved = await until('the resolved alert', 15_000, () => hooks.find((h) => h.event === 'resolved'));
  assert.equal(resolved.incident.id, opened.incident.id);
  assert.match(resolved.text, /^Resolved: shop \/api\/orders since/);
  assert.equal(hooks.filter((h) => h.event === 'opened').length, 1, 'one incident, one opened alert');
  assert.equal((await watch.store.incidents('open')).length, 0);
});

test('Prometheus scrapes /metrics and sees the cause and layer labels', { skip: existsSync(PROMETHEUS) ? false : `${PROMETHEUS} is not installed (apt-get install prometheus)`, timeout: 60_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-prom-'));
  const data = join(dir, 'data');
  const config = parseWatchConfig('targets: []\n');
  const watch = new WatchService(config, { store: openSqliteStore(data) });
  watch.metrics.errors.inc({ target: 'shop', status: '502', cause: 'upstream.refused', layer: 'upstream' }, 3);
  const server = new WatchServer(watch);
  const port = await server.listen(0);
  const promPort = await freePort();
  writeFileSync(join(dir, 'prom.yml'), `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: fivexx\n    static_configs:\n      - targets: ['127.0.0.1:${port}']\n`);
  const prom = spawn(PROMETHEUS, [`--config.file=${join(dir, 'prom.yml')}`, `--storage.tsdb.path=${join(dir, 'tsdb')}`, `--web.listen-address=127.0.0.1:${promPort}`, '--log.level=warn'], { stdio: 'ignore' });
  t.after(async () => {
    prom.kill('SIGTERM');
    await new Promise((r) => prom.once('exit', r));
    await watch.stop();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  await waitForPort(promPort, 20_000);
  const q = encodeURIComponent('fivexx_errors_total{cause="upstream.refused"}');
  const value = await until('Prometheus to scrape', 30_000, async () => {
    const r = await fetch(`http://127.0.0.1:${promPort}/api/v1/query?query=${q}`).then((x) => x.json() as Promise<{ data: { result: { metric: Record<string, string>; value: [number, string] }[] } }>).catch(() => undefined);
    return r?.data.result[0];
  });
  assert.equal(value.metric.layer, 'upstream');
  assert.equal(value.metric.target, 'shop');
  assert.equal(value.value[1], '3');
});
