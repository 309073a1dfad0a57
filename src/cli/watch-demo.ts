// `fivexx watch --demo`: watch on the embedded database against a demo site that breaks and recovers by
// itself; alerts are printed, so a newcomer sees a diagnosed incident within a minute.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { escapeControls } from '../report/safe-text.ts';
import { hashPassword } from '../web/auth.ts';
import { WatchServer } from '../web/server.ts';
import { parseWatchConfig } from '../watch/config.ts';
import { startDemoSite, type DemoSite } from '../watch/demo-site.ts';
import { WatchService } from '../watch/service.ts';
import { openSqliteStore } from '../watch/store/sqlite-store.ts';
import type { CommandIo } from './io.ts';
import { serveUntilStopped } from './watch.ts';

export async function watchDemo(io: CommandIo, until?: Promise<void>, timing = { cycleMs: 40_000, downMs: 15_000, intervalMs: 2000 }): Promise<number> {
  const data = mkdtempSync(join(tmpdir(), 'fivexx-demo-'));
  const site = await startDemoSite({ cycleMs: timing.cycleMs, downMs: timing.downMs, onChange: (up) => io.out(`demo: the app ${up ? 'is back' : 'stopped listening (the gateway now answers 502)'}\n`) });
  try {
    return await runDemo(io, site, data, timing, until);
  } finally {
    await site.close();
    rmSync(data, { recursive: true, force: true });
  }
}

async function runDemo(io: CommandIo, site: DemoSite, data: string, timing: { intervalMs: number; cycleMs: number; downMs: number }, until?: Promise<void>): Promise<number> {
  // A one-off dashboard login for this run: user demo, a random password printed below.
  const password = randomBytes(9).toString('base64url');
  const users = `users:\n  - name: demo\n    passwordHash: "${await hashPassword(password)}"\n`;
  const config = parseWatchConfig(`targets:\n  - name: demo-shop\n    url: ${site.url}\n    upstream: ${site.upstream}\n    interval: ${timing.intervalMs}ms\n    timeout: 2s\nrules:\n  consecutiveFailures: 2\n  resolveAfter: ${timing.intervalMs * 2}ms\n${users}`, 'demo');
  const store = openSqliteStore(data);
  const watch = new WatchService(config, {
    store,
    channels: [{ name: 'terminal', send: (a) => Promise.resolve(io.out(`ALERT ${a.event}: ${escapeControls(a.text)}\n${a.event === 'opened' ? `  first step: ${escapeControls(a.incident.nextSteps[0] ?? '')}\n` : ''}`)) }],
  });
  const server = new WatchServer(watch);
  const port = await server.listen(0);
  watch.start();
  io.out(`fivexx watch --demo: watching ${site.url} every ${timing.intervalMs / 1000}s; its app stops for ${timing.downMs / 1000}s every ${timing.cycleMs / 1000}s.\n` +
    `Dashboard http://127.0.0.1:${port}/ (user demo, password ${password}), status page http://127.0.0.1:${port}/status,\n` +
    `metrics http://127.0.0.1:${port}/metrics. Ctrl-C stops.\n`);
  return serveUntilStopped({ watch, server, store }, until);
}
