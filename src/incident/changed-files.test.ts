import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { collectChangedFiles } from './changed-files.ts';

test('files changed in the window before onset, newest first, with a backup beside them; older files left out', async () => {
  const etc = mkdtempSync(join(tmpdir(), 'fivexx-etc-'));
  const nginx = join(etc, 'nginx');
  mkdirSync(join(nginx, 'sites-enabled'), { recursive: true });
  const onset = Date.parse('2026-11-20T14:02:00Z');
  const put = (rel: string, at: number): void => {
    writeFileSync(join(nginx, rel), 'x');
    utimesSync(join(nginx, rel), at / 1000, at / 1000);
  };
  put('nginx.conf', onset - 86_400_000);
  put('sites-enabled/shop', onset - 120_000);
  put('sites-enabled/shop.bak', onset - 86_400_000);
  put('mime.types', onset - 600_000);
  mkdirSync(join(nginx, 'logs'));
  put('logs/error.log', onset - 60_000);
  put('nginx.pid', onset - 60_000);
  put('error.log.1', onset - 60_000);
  const r = await collectChangedFiles([nginx, join(etc, 'apache2')], onset - 3_600_000, onset);
  assert.deepEqual(r.found.map((f) => [f.path.slice(nginx.length), f.backup?.slice(nginx.length) ?? null]), [['/sites-enabled/shop', '/sites-enabled/shop.bak'], ['/mime.types', null]]);
  assert.deepEqual(r.unavailable, []);
  assert.deepEqual(r.looked.slice(1), [`${join(etc, 'apache2')} (not present)`]);
  const capped = await collectChangedFiles([nginx], 0, onset, { maxEntries: 2, maxDepth: 8 });
  assert.match(capped.unavailable[0]?.reason ?? '', /walk limit/);
});

test('an unreadable folder is listed as permission denied when not root', async (t) => {
  if (process.getuid?.() === 0) return t.skip('root reads every folder');
  const d = mkdtempSync(join(tmpdir(), 'fivexx-locked-'));
  chmodSync(d, 0o000);
  const r = await collectChangedFiles([d], 0, Date.now());
  chmodSync(d, 0o755);
  assert.deepEqual(r.unavailable, [{ what: d, reason: 'permission denied' }]);
});
