import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { collectServiceStates, installedServices } from './services.ts';
import { REAL_HOST } from './types.ts';

function host(): typeof REAL_HOST {
  const root = mkdtempSync(join(tmpdir(), 'fivexx-svc-'));
  for (const d of ['etc/nginx', 'etc/haproxy', 'etc/php/8.2/fpm', 'etc/php/8.2/cli', 'etc/php/7.4/cli', 'bin']) mkdirSync(join(root, d), { recursive: true });
  writeFileSync(join(root, 'bin', 'systemctl'), '#!/bin/sh\ncase "$2" in nginx) echo active;; haproxy) echo failed; exit 3;; *) echo "Failed to connect to bus" >&2; exit 1;; esac\n');
  chmodSync(join(root, 'bin', 'systemctl'), 0o755);
  return { ...REAL_HOST, etc: join(root, 'etc'), run: join(root, 'run'), bin: [join(root, 'bin')] };
}

test('services from /etc: nginx, haproxy, php8.2-fpm (not a php without fpm)', async () => {
  const h = host();
  assert.deepEqual((await installedServices(h.etc)).map((s) => s.unit), ['nginx', 'haproxy', 'php8.2-fpm']);
});

test('no systemd: every unit listed with a null state and the reason said', async () => {
  const r = await collectServiceStates(host());
  assert.deepEqual(r.found.map((s) => s.state), [null, null, null]);
  assert.match(r.unavailable[0]?.reason ?? '', /^no systemd/);
});

test('with systemd: the word systemctl is-active prints, an error said per unit', async () => {
  const h = host();
  mkdirSync(join(h.run, 'systemd', 'system'), { recursive: true });
  const r = await collectServiceStates(h);
  assert.deepEqual(r.found, [{ unit: 'nginx', state: 'active' }, { unit: 'haproxy', state: 'failed' }, { unit: 'php8.2-fpm', state: null }]);
  assert.deepEqual(r.unavailable, [{ what: 'state of php8.2-fpm', reason: 'exit 1: Failed to connect to bus' }]);
});
