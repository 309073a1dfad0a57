// watch following the systemd journal: a line written with systemd-cat reaches the log stages as a source
// `journald:…`. Skips where there is no journal to write to (containers without systemd-journald).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseWatchConfig } from '../../src/watch/config.ts';
import { WatchService } from '../../src/watch/service.ts';
import { openSqliteStore } from '../../src/watch/store/sqlite-store.ts';
import { until } from '../support/until.ts';

const SOCKET = '/run/systemd/journal/socket';
const why = !existsSync('/usr/bin/journalctl') ? 'journalctl is not installed'
  : !existsSync(SOCKET) ? `no journal to write to (${SOCKET} is missing: systemd-journald is not running here)`
  : !existsSync('/usr/bin/systemd-cat') ? 'systemd-cat is not installed' : false;

test('watch follows journald: a line written to the journal becomes a source of the pipeline', { skip: why, timeout: 30_000 }, async (t) => {
  const data = mkdtempSync(join(tmpdir(), 'fivexx-journald-'));
  const watch = new WatchService(parseWatchConfig('journald: {}\n'), { store: openSqliteStore(data), logTiming: { pollMs: 100, tickMs: 200 } });
  t.after(async () => {
    await watch.stop();
    rmSync(data, { recursive: true, force: true });
  });
  watch.start();
  const tag = `fivexx-test-${process.pid}`;
  await until('the journal line', 20_000, () => {
    spawnSync('/usr/bin/systemd-cat', ['-t', tag], { input: `connect() failed (111: Connection refused) ${tag}\n` });
    return watch.logs?.pipeline.sources.find((s) => s.path.startsWith('journald:') && s.lines > 0);
  });
  assert.ok(watch.logs?.pipeline.sources.some((s) => s.path.startsWith('journald:')));
});
