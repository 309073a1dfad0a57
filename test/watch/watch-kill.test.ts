// kill -9 of `fivexx watch` (embedded SQLite) during heavy check writes, then a restart on the same data folder:
// the database passes integrity_check, every open incident is still open, and none is alerted "opened" again.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import { until } from '../support/until.ts';

const BIN = new URL('../../src/cli/bin.ts', import.meta.url).pathname;
const TARGETS = 40;
const INTERVAL = 250;

test('kill -9 of fivexx watch during heavy writes, restart: no corruption, incidents still open, not re-alerted', { timeout: 120_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-watch-kill-'));
  const hooks: { event: string; incident: { id: number } }[] = [];
  const site = createServer((req, res) => {
    if (req.url === '/hook') {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        hooks.push(JSON.parse(body) as (typeof hooks)[number]);
        res.end();
      });
      return;
    }
    res.writeHead(502, { server: 'nginx' });
    res.end('<html><head><title>502 Bad Gateway</title></head><body>' + 'x'.repeat(1500) + '</body></html>');
  });
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
  const port = (site.address() as AddressInfo).port;
  const targets = Array.from({ length: TARGETS }, (_, i) => `  - { name: t${i}, url: "http://127.0.0.1:${port}/t${i}", interval: ${INTERVAL}ms, timeout: 2s }`).join('\n');
  writeFileSync(join(dir, 'watch.yaml'), `targets:\n${targets}\nalerts:\n  - type: webhook\n    url: http://127.0.0.1:${port}/hook\nrules:\n  consecutiveFailures: 2\n`);
  const run = (): { kill: (s: NodeJS.Signals) => void; exited: Promise<unknown> } => {
    const child = spawn(process.execPath, [BIN, 'watch', '--config', join(dir, 'watch.yaml'), '--data', join(dir, 'data'), '--port', '0'], { stdio: 'ignore' });
    return { kill: (s) => child.kill(s), exited: new Promise((r) => child.once('exit', r)) };
  };
  let w = run();
  t.after(async () => {
    w.kill('SIGKILL');
    await w.exited;
    site.closeAllConnections();
    site.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const opened = (): number => hooks.filter((h) => h.event === 'opened').length;
  await until('every incident opened and alerted', 60_000, () => (opened() === TARGETS ? true : undefined));
  // Heavy writes go on (160 checks a second with their evidence); kill in the middle of them.
  await new Promise((r) => setTimeout(r, 1000 + Math.floor(Math.random() * 500)));
  w.kill('SIGKILL');
  await w.exited;

  let db = new DatabaseSync(join(dir, 'data', 'watch.db'));
  assert.equal(Object.values(db.prepare('PRAGMA integrity_check').get() as Record<string, string>)[0], 'ok');
  const before = (db.prepare("SELECT id FROM incidents WHERE state = 'open' ORDER BY id").all() as { id: number }[]).map((r) => r.id);
  const checksBefore = Number((db.prepare('SELECT count(*) AS n FROM checks').get() as { n: number }).n);
  db.close();
  assert.equal(before.length, TARGETS, 'every incident is still open after the kill');
  assert.ok(checksBefore > TARGETS * 4, `only ${checksBefore} checks were written`);

  const restartedAt = Date.now();
  w = run();
  db = new DatabaseSync(join(dir, 'data', 'watch.db'));
  await until('checks of every target after the restart', 30_000, () => {
    const n = Number((db.prepare('SELECT count(DISTINCT target) AS n FROM checks WHERE at > ?').get(restartedAt) as { n: number }).n);
    return n === TARGETS ? true : undefined;
  });
  await new Promise((r) => setTimeout(r, 4 * INTERVAL));
  const after = (db.prepare("SELECT id FROM incidents WHERE state = 'open' ORDER BY id").all() as { id: number }[]).map((r) => r.id);
  db.close();
  assert.deepEqual(after, before, 'the same incidents are open, no new one');
  assert.equal(opened(), TARGETS, 'no incident was alerted "opened" again');
  assert.equal(new Set(hooks.map((h) => h.incident.id)).size, TARGETS);
  w.kill('SIGTERM');
  await w.exited;
});
