// watch following a real nginx's logs in front of a real Node app: the access and error log files, and an
// access log and error log shipped over syslog (UDP). The app is stopped: the logs alone open an incident
// naming upstream.refused (layer, evidence, scope), a test HTTP server receives its alert, the probe's
// X-Request-ID found in nginx's syslog access line joins the check and the incident; the app is started
// again and the incident resolves after the quiet gap.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseWatchConfig } from '../../src/watch/config.ts';
import { LOG_TARGET_PREFIX } from '../../src/watch/log-incidents.ts';
import { WatchService } from '../../src/watch/service.ts';
import { openSqliteStore } from '../../src/watch/store/sqlite-store.ts';
import { hasGateway, Lab } from '../lab/lab.ts';
import { freePort } from '../lab/ports.ts';
import { until } from '../support/until.ts';
import { startHookReceiver } from '../support/hook-receiver.ts';

interface Hook { event: string; text: string; incident: { id: number; cause: string; layer: string; evidence: { source: string; text: string }[]; upstream: string | null } }

const RID_FORMAT = '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" rt=$request_time ua="$upstream_addr" us="$upstream_status" rid="$http_x_request_id"';

test('watch: nginx logs (files and syslog) alone open an incident naming upstream.refused, alert, join the probe\'s request ID, and resolve', { skip: hasGateway('nginx') ? false : 'nginx is not installed', timeout: 150_000 }, async (t) => {
  const syslogPort = await freePort();
  const lab = await Lab.create('watch-logs', {
    extraHttp: [
      `log_format rid '${RID_FORMAT}';`,
      `access_log syslog:server=127.0.0.1:${syslogPort},tag=nginx_access rid;`,
      'error_log {dir}/logs/error.log error;',
      `error_log syslog:server=127.0.0.1:${syslogPort},tag=nginx_error error;`,
    ].join('\n'),
  });
  const data = mkdtempSync(join(tmpdir(), 'fivexx-watch-logs-'));
  const hook = await startHookReceiver<Hook>();
  const hooks = hook.hooks;
  t.after(async () => {
    hook.close();
    await lab.stopAll();
    rmSync(data, { recursive: true, force: true });
  });
  await lab.startApp();
  await lab.startGateway();
  // A few lines so that both files exist and show their formats.
  for (let i = 0; i < 3; i++) await fetch(`http://127.0.0.1:${lab.port}/api/orders`).then((r) => r.text());
  const config = parseWatchConfig(`
targets:
  - name: shop
    url: http://127.0.0.1:${lab.port}/api/orders
    interval: 500ms
    timeout: 2s
logs:
  - ${lab.logs.access}
  - path: ${lab.logs.error}
    format: nginx-error
syslog:
  udp: 127.0.0.1:${syslogPort}
alerts:
  - type: webhook
    url: ${hook.url}
rules:
  consecutiveFailures: 2
  resolveAfter: 1s
  minRequests: 1000
`);
  const notes: string[] = [];
  const watch = new WatchService(config, { store: openSqliteStore(data), dispatch: { backoffMs: 100 }, logTiming: { pollMs: 100, tickMs: 250 }, onLogNote: (s, n) => notes.push(`${s}: ${n}`) });
  t.after(() => watch.stop());
  watch.start();
  await until('a passing check', 10_000, async () => ((await watch.store.lastCheck('shop'))?.ok ? true : undefined));
  for (let i = 0; i < 3; i++) await fetch(`http://127.0.0.1:${lab.port}/api/orders`).then((r) => r.text());

  await lab.stopApp();
  const logIncident = await until('an incident from the logs', 30_000, async () => (await watch.store.incidents('open')).find((i) => i.target === `${LOG_TARGET_PREFIX}upstream.refused`));
  assert.equal(logIncident.cause, 'upstream.refused');
  assert.equal(logIncident.layer, 'upstream');
  const opened = await until('the alert of the log incident', 15_000, () => hooks.find((h) => h.event === 'opened' && h.incident.id === logIncident.id));
  assert.match(opened.text, /^502 on .* since \d\d:\d\d:\d\dZ — the upstream refuses connections.*\[upstream\.refused\]/);
  assert.equal(opened.incident.upstream, `127.0.0.1:${lab.appPort}`);
  // The proving line is nginx's own, from the followed file or the syslog copy of it.
  assert.ok(opened.incident.evidence.some((e) => /connect\(\) failed \(111: Connection refused\)/.test(e.text)), JSON.stringify(opened.incident.evidence));

  // The probe's X-Request-ID is in the syslog access line: the check and the incident name each other.
  const joined = await until('a check joined to its log line', 20_000, async () => (await watch.store.checks('shop', 0, 200)).find((c) => !c.ok && (c.evidence.logLines?.length ?? 0) > 0));
  assert.match(joined.evidence.logLines?.[0]?.text ?? '', new RegExp(`rid="${joined.evidence.requestId ?? 'none'}"`));
  assert.match(joined.evidence.logLines?.[0]?.source ?? '', /^syslog:/);
  const withProbes = await until('the log incident naming the probe', 20_000, async () => {
    const row = await watch.store.incident(logIncident.id);
    const probes = (row?.data as { probes?: { target: string; requestId: string }[] } | undefined)?.probes ?? [];
    return probes.length > 0 ? probes : undefined;
  });
  assert.equal(withProbes[0]?.target, 'shop');
  assert.match(withProbes[0]?.requestId ?? '', /^[0-9a-f-]{36}$/);
  const probeIncident = await until('the probe incident naming the log line', 20_000, async () => {
    const row = await watch.store.openIncidentFor('shop');
    return (row?.data as { logLines?: unknown[] } | undefined)?.logLines?.length ? row : undefined;
  });
  assert.equal(probeIncident.target, 'shop');

  // Every source went through the analyze stages with its format.
  const sources = watch.logs?.pipeline.sources ?? [];
  const byPath = new Map(sources.map((s) => [s.path, s]));
  assert.equal(byPath.get(lab.logs.access)?.format, 'combined');
  assert.equal(byPath.get(lab.logs.error)?.format, 'nginx-error');
  const syslogAccess = sources.find((s) => s.path.endsWith('/nginx_access'));
  assert.equal(syslogAccess?.format, 'combined', JSON.stringify(sources));
  assert.ok((syslogAccess?.lines ?? 0) > 3);
  assert.equal(sources.find((s) => s.path.endsWith('/nginx_error'))?.format, 'nginx-error', JSON.stringify(sources));

  await lab.startApp();
  const resolved = await until('the resolved alert of the log incident', 90_000, () => hooks.find((h) => h.event === 'resolved' && h.incident.id === logIncident.id));
  assert.match(resolved.text, /^Resolved: /);
  assert.equal((await watch.store.incident(logIncident.id))?.state, 'resolved');
  assert.equal(hooks.filter((h) => h.event === 'opened' && h.incident.id === logIncident.id).length, 1, 'one log incident, one opened alert');
});
