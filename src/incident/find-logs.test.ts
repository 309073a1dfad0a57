import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { findLogs } from './find-logs.ts';

test('finds nginx, apache2, php-fpm, haproxy, deploy and the app\'s logs in their usual places', async () => {
  const root = mkdtempSync(join(tmpdir(), 'fivexx-varlog-'));
  const app = join(root, 'srv-shop');
  for (const d of ['nginx', 'apache2']) mkdirSync(join(root, d));
  mkdirSync(join(app, 'storage', 'logs'), { recursive: true });
  writeFileSync(join(root, 'nginx', 'error.log'), 'x\n');
  writeFileSync(join(root, 'nginx', 'access.log.2.gz'), 'x');
  writeFileSync(join(root, 'apache2', 'error.log'), '');
  writeFileSync(join(root, 'php8.2-fpm.log'), 'x\n');
  writeFileSync(join(root, 'haproxy.log'), 'x\n');
  writeFileSync(join(root, 'syslog'), 'x\n');
  writeFileSync(join(app, 'storage', 'logs', 'laravel.log'), 'x\n');
  writeFileSync(join(app, 'deploy.log'), '2026-11-20T14:00:00Z deploy ref=abc\n');
  const r = await findLogs(root, app);
  assert.deepEqual(r.found.map((f) => [f.kind, f.path.slice(root.length)]), [
    ['nginx', '/nginx/error.log'], ['apache2', '/apache2/error.log'], ['php-fpm', '/php8.2-fpm.log'], ['haproxy', '/haproxy.log'],
    ['app', '/srv-shop/storage/logs/laravel.log'], ['deploy', '/srv-shop/deploy.log'],
  ]);
  assert.equal(r.found[0]?.bytes, 2);
  assert.ok(r.looked.includes(join(root, 'nginx')));
  assert.deepEqual(r.unavailable, [], 'missing folders (httpd, app/log) are not errors');
});
