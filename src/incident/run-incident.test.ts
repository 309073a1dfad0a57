import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runIncident } from './run-incident.ts';
import type { ChangesStepFound, HealthFound, RollbackFound, ScopeFound } from './step-found.ts';
import { REAL_HOST, type HostRoots } from './types.ts';

const SAMPLE = fileURLToPath(new URL('../../samples/nginx-composite/', import.meta.url));

/** A host made of temp folders: a /proc with the app's port closed, an /etc with nginx, an apt history. */
function fakeHost(onset: number): HostRoots {
  const root = mkdtempSync(join(tmpdir(), 'fivexx-inc-'));
  const d = (rel: string): string => {
    mkdirSync(join(root, rel), { recursive: true });
    return join(root, rel);
  };
  writeFileSync(join(d('proc/net'), 'tcp'), '  sl  local_address rem_address   st\n   0: 0100007F:0050 00000000:0000 0A 0\n');
  writeFileSync(join(d('proc'), 'loadavg'), '0.5 0.4 0.3 1/100 1\n');
  writeFileSync(join(d('etc/nginx/sites-enabled'), 'shop'), 'server {}\n');
  writeFileSync(join(root, 'etc/nginx/sites-enabled/shop.bak'), 'server {}\n');
  utimesSync(join(root, 'etc/nginx/sites-enabled/shop'), (onset - 600_000) / 1000, (onset - 600_000) / 1000);
  utimesSync(join(root, 'etc/nginx/sites-enabled/shop.bak'), (onset - 86_400_000) / 1000, (onset - 86_400_000) / 1000);
  d('var/log');
  return { ...REAL_HOST, proc: join(root, 'proc'), etc: join(root, 'etc'), varLog: join(root, 'var/log'), run: join(root, 'run'), appParents: [join(root, 'srv')], bin: [join(root, 'bin')] };
}

test('the eight steps on copied logs and a temp host: verdict, scope, changes, health, rollback, messages, post-mortem', async () => {
  const onset = Date.parse('2026-11-22T20:26:25Z');
  const roots = fakeHost(onset);
  const r = await runIncident({ logs: [SAMPLE], url: undefined, app: undefined, windowMs: 3_600_000, probeTimeoutMs: 2000, since: undefined, now: Date.parse('2026-11-22T20:40:00Z'), roots });
  assert.deepEqual(r.steps.map((s) => s.step), ['identify', 'scope', 'changes', 'logs', 'health', 'rollback', 'communicate', 'document']);
  assert.equal(r.verdict?.cause, 'app.exception');
  const scope = r.steps[1]?.found as ScopeFound;
  assert.deepEqual(scope.paths, [['/api/cart', 10], ['/api/orders', 10]]);
  const changes = r.steps[2]?.found as ChangesStepFound;
  assert.equal(changes.trigger?.ref, 'a1b2c3d');
  assert.deepEqual(changes.files.map((f) => f.path), [join(roots.etc, 'nginx/sites-enabled/shop')]);
  const health = r.steps[4]?.found as HealthFound;
  assert.deepEqual(health.listening?.upstreams.map((u) => [u.upstream, u.listening]), [['127.0.0.1:38823', false]]);
  assert.deepEqual(health.resources.load, { one: 0.5, five: 0.4, fifteen: 0.3, cpus: null });
  const rollback = r.steps[5]?.found as RollbackFound;
  assert.equal(rollback.plan?.change, 'deploy a1b2c3d (' + join(SAMPLE, 'deploy.log') + ')');
  assert.deepEqual(rollback.others[0]?.commands.slice(1), [`cp -p ${join(roots.etc, 'nginx/sites-enabled/shop.bak')} ${join(roots.etc, 'nginx/sites-enabled/shop')}`, 'nginx -t && nginx -s reload']);
  const unavailable = r.steps.flatMap((s) => s.unavailable);
  for (const what of ['a live probe', 'client groups', 'deploy folder', 'journald (journalctl)']) assert.ok(unavailable.some((u) => u.what === what), what);
  assert.ok(unavailable.some((u) => u.what === join(roots.proc, 'meminfo') && u.reason === 'not present'));
  assert.match(r.postmortem, /\*\*Failed requests:\*\* 20 of 100 read in the logs \(500 \(20\)\)/);
  assert.match(r.postmortem, /## Timeline \(UTC\)\n\n- 2026-11-22 20:16:25: .*sites-enabled\/shop changed\n- 2026-11-22 20:26:23: deploy a1b2c3d/);
});

test('no logs at all: every step still says what it looked at and what it could not see', async () => {
  const roots = fakeHost(Date.now());
  const r = await runIncident({ logs: [], url: undefined, app: undefined, windowMs: 60_000, probeTimeoutMs: 1000, since: undefined, now: Date.now(), roots });
  assert.equal(r.verdict, null);
  assert.match(r.steps[0]?.unavailable[0]?.reason ?? '', /no readable log found/);
  assert.equal(r.steps[1]?.found, null);
  assert.match(r.postmortem, /no server error found/);
  for (const s of r.steps) assert.ok(s.looked.length + s.unavailable.length > 0, `${s.step} says nothing`);
});
