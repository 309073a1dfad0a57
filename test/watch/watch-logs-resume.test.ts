// watch's followed files across a restart: positions are saved at stop and reading resumes there, so the
// lines written while watch was down are read once, and none twice (the real file, the real SQLite store).
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseWatchConfig } from '../../src/watch/config.ts';
import { WatchService } from '../../src/watch/service.ts';
import { openSqliteStore } from '../../src/watch/store/sqlite-store.ts';
import { until } from '../support/until.ts';

const line = (k: number): string => `10.0.0.1 - - [27/Nov/2026:12:00:${String(k % 60).padStart(2, '0')} +0000] "GET /p${k} HTTP/1.1" 200 10 "-" "curl/8"\n`;

test('followed files resume from the saved position after a restart: no line lost, none read twice', { timeout: 30_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-watch-resume-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'access.log');
  writeFileSync(file, line(0).repeat(100));
  const config = parseWatchConfig(`logs:\n  - ${join(dir, '*.log')}\n`);
  const run = (): WatchService => new WatchService(config, { store: openSqliteStore(join(dir, 'data')), logTiming: { pollMs: 50, tickMs: 100 } });
  const lines = (w: WatchService): number => w.logs?.pipeline.sources.find((s) => s.path === file)?.lines ?? -1;

  const first = run();
  first.start();
  // A file known at the first start is read from its end: the 100 old lines are history.
  await until('the file opened', 5000, () => (first.logs?.pipeline.sources.length ? true : undefined));
  await new Promise((r) => setTimeout(r, 200));
  for (let k = 1; k <= 10; k++) appendFileSync(file, line(k));
  await until('10 lines read', 5000, () => (lines(first) === 10 ? true : undefined));
  await first.stop();
  await first.store.close();

  for (let k = 11; k <= 15; k++) appendFileSync(file, line(k));
  const second = run();
  second.start();
  t.after(async () => {
    await second.stop();
    await second.store.close();
  });
  await until('the 5 lines written while stopped', 5000, () => (lines(second) === 5 ? true : undefined));
  appendFileSync(file, line(16));
  await until('one more', 5000, () => (lines(second) === 6 ? true : undefined));
  // Detection waits a second for a slow source's lines.
  await new Promise((r) => setTimeout(r, 1300));
  assert.equal(lines(second), 6, 'none read twice');
  assert.equal(second.logs?.pipeline.sources.find((s) => s.path === file)?.format, 'combined');
});
