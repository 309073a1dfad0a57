// watch following a real systemd-journald: a private journal namespace instance the test starts and stops
// (test/support/private-journald.ts), written to over its stdout stream as a service's output is. nginx's
// "connect() failed (111: Connection refused)" and its access lines' 502s there open logs/upstream.refused;
// the journal's time, bytes that are not UTF-8 and the program name as the source are checked; a restart of
// watch resumes after the saved cursor: the lines written while it was down are read once, none twice.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { parseWatchConfig } from '../../src/watch/config.ts';
import { LOG_TARGET_PREFIX } from '../../src/watch/log-incidents.ts';
import { WatchService } from '../../src/watch/service.ts';
import { openSqliteStore } from '../../src/watch/store/sqlite-store.ts';
import { noPrivateJournald, PrivateJournald } from '../support/private-journald.ts';
import { until } from '../support/until.ts';

const skip = noPrivateJournald();

const notes: string[] = [];
function run(config: string, data: string): WatchService {
  return new WatchService(parseWatchConfig(config), { store: openSqliteStore(data), logTiming: { pollMs: 50, tickMs: 100 }, onLogNote: (s, n) => notes.push(`${s}: ${n}`) });
}

const lines = (w: WatchService, source: string): number => w.logs?.pipeline.sources.find((s) => s.path === source)?.lines ?? 0;

/** Writes a probe line until watch has read one: journalctl follows from now, so lines before that are history. */
/** A private journald, a data folder and the list of watch runs a restart test makes: all stopped and removed after it. */
async function restartable(t: TestContext, name: string): Promise<{ j: PrivateJournald; data: string; runs: WatchService[] }> {
  const j = await PrivateJournald.start();
  const data = mkdtempSync(join(tmpdir(), `fivexx-journald-${name}-`));
  const runs: WatchService[] = [];
  t.after(async () => {
    for (const w of runs) {
      await w.stop();
      await w.store.close();
    }
    await j.stop();
    rmSync(data, { recursive: true, force: true });
  });
  return { j, data, runs };
}

async function following(w: WatchService, j: PrivateJournald): Promise<void> {
  await until('journalctl following the private journal', 15_000, async () => {
    await j.write('probe', ['probe']);
    return lines(w, 'journald:probe') > 0 ? true : undefined;
  });
}

const nginxTime = (d: Date): string => d.toISOString().slice(0, 19).replace(/-/g, '/').replace('T', ' ');
const accessTime = (d: Date): string => {
  const m = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  return `${String(d.getUTCDate()).padStart(2, '0')}/${m}/${d.getUTCFullYear()}:${d.toISOString().slice(11, 19)} +0000`;
};

test('watch follows a real journald namespace: nginx\'s refused connects and 502s there open logs/upstream.refused', { skip, timeout: 60_000 }, async (t) => {
  const j = await PrivateJournald.start();
  const data = mkdtempSync(join(tmpdir(), 'fivexx-journald-'));
  const watch = run(`journald: { namespace: ${j.namespace} }\nlogTimeZone: UTC\nrules: { minRequests: 1000 }\n`, data);
  t.after(async () => {
    await watch.stop();
    await watch.store.close();
    await j.stop();
    rmSync(data, { recursive: true, force: true });
  });
  watch.start();
  await following(watch, j);

  for (let i = 0; i < 20; i++) {
    const now = new Date();
    await j.write('nginx', [`${nginxTime(now)} [error] 4242#4242: *${100 + i} connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: shop, request: "GET /api/orders HTTP/1.1", upstream: "http://127.0.0.1:8081/api/orders", host: "shop"`]);
    await j.write('nginx-access', [`127.0.0.1 - - [${accessTime(now)}] "GET /api/orders HTTP/1.1" 502 157 "-" "curl/8"`]);
    await new Promise((r) => setTimeout(r, 50));
  }
  const incident = await until('logs/upstream.refused from the journal', 30_000, async () => (await watch.store.incidents('open')).find((i) => i.target === `${LOG_TARGET_PREFIX}upstream.refused`));
  assert.equal(incident.cause, 'upstream.refused');
  assert.equal(incident.layer, 'upstream');
  // The program's name (SYSLOG_IDENTIFIER; _SYSTEMD_UNIT under systemd) is the source, the line is proof.
  const evidence = (incident.data as { evidence?: { source: string; text: string }[] }).evidence ?? [];
  assert.ok(evidence.some((e) => e.source === 'journald:nginx' && /connect\(\) failed \(111: Connection refused\)/.test(e.text)), JSON.stringify(incident.data));
  assert.equal(lines(watch, 'journald:nginx'), 20);
  assert.equal(lines(watch, 'journald:nginx-access'), 20);
});

test('watch resumes a journald namespace after its saved cursor: lines written while it was down are read once, none twice', { skip, timeout: 60_000 }, async (t) => {
  const { j, data, runs } = await restartable(t, 'resume');
  // Untimed app output is named app-text (journald.format): three lines are too few to detect it from.
  const config = `journald: { namespace: ${j.namespace}, format: app-text }\n`;
  const first = run(config, data);
  runs.push(first);
  const line = (k: number): string => `resume line ${k}`;
  first.start();
  await following(first, j);
  await j.write('resume', Array.from({ length: 10 }, (_, k) => line(k)));
  await until('10 lines read by the first run', 10_000, () => (lines(first, 'journald:resume') === 10 ? true : undefined));
  await runs.shift()?.stop();
  await first.store.close();

  // Written while watch is down: the next run reads these first, from after the saved cursor. The app's
  // errors are not UTF-8 (journalctl gives such a MESSAGE as an array of bytes) and carry no time of their own.
  const down = Date.now();
  await j.write('resume', Array.from({ length: 25 }, (_, k) => line(10 + k)));
  await j.write('api', [0, 1, 2].map((k) => Buffer.concat([Buffer.from(`Error: connect ECONNREFUSED 127.0.0.1:5432 (caf`), Buffer.from([0xe9, 0x20 + k]), Buffer.from(')')])));
  await new Promise((r) => setTimeout(r, 1500));
  const restarted = Date.now();
  const w = run(config, data);
  runs.push(w);
  w.start();
  // More than the 10 entries journalctl --follow shows before it waits for the journal to change.
  await until('the 25 lines written while watch was down', 10_000, () => (lines(w, 'journald:resume') >= 25 ? true : undefined));
  await j.write('resume', Array.from({ length: 3 }, (_, k) => line(35 + k)));
  await until('3 more', 10_000, () => (lines(w, 'journald:resume') >= 28 ? true : undefined));
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(lines(w, 'journald:resume'), 28, 'each line once: the 25 written while down and the 3 after, none of the first 10 again');
  assert.equal(lines(w, 'journald:probe'), 0, 'the first run\'s probe lines are not read again');
  // The journal's time (__REALTIME_TIMESTAMP) dates the app's errors: when they were written, not read.
  const incident = await until('an incident from the app\'s errors', 20_000, async () => (await w.store.incidents('open')).find((i) => i.layer === 'dependency'));
  assert.ok(incident.openedAt >= down - 1000 && incident.openedAt < restarted - 1000, `opened at ${incident.openedAt}: written ${down}, read after ${restarted}`);
  const evidence = (incident.data as { evidence?: { source: string; text: string }[] }).evidence ?? [];
  assert.ok(evidence.some((e) => e.source === 'journald:api' && e.text.includes('(caf\uFFFD')), JSON.stringify(incident.data));
});

test('watch follows a directory of journal files (journald.directory); a journalctl that ends is said', { skip, timeout: 60_000 }, async (t) => {
  const j = await PrivateJournald.start();
  const data = mkdtempSync(join(tmpdir(), 'fivexx-journald-dir-'));
  const dir = j.directory;
  assert.ok(dir, 'the namespace has a journal directory');
  const notes: string[] = [];
  const watch = new WatchService(parseWatchConfig(`journald: { directory: ${dir} }\n`), { store: openSqliteStore(data), logTiming: { pollMs: 50, tickMs: 100 } });
  const missing = new WatchService(parseWatchConfig(`journald: { directory: ${join(data, 'none')} }\n`), { store: openSqliteStore(join(data, 'm')), onLogNote: (s, n) => notes.push(`${s}: ${n}`) });
  t.after(async () => {
    for (const w of [watch, missing]) {
      await w.stop();
      await w.store.close();
    }
    await j.stop();
    rmSync(data, { recursive: true, force: true });
  });
  watch.start();
  missing.start();
  await following(watch, j);
  await j.write('dir-app', ['one', 'two']);
  await until('2 lines from the journal files', 10_000, () => (lines(watch, 'journald:dir-app') === 2 ? true : undefined));
  const said = await until('the note of a journalctl that ended', 10_000, () => notes.find((n) => n.includes('journalctl ended (exit 1)')));
  assert.match(said, /^journald@\/.*none: journalctl ended \(exit 1\): started again in 5 s$/);
});

test('watch stopped in the middle of a burst of journal entries: the next run reads the rest, each entry once', { skip, timeout: 90_000 }, async (t) => {
  const { j, data, runs } = await restartable(t, 'burst');
  const config = `journald: { namespace: ${j.namespace} }\n`;
  const first = run(config, data);
  runs.push(first);
  first.start();
  await following(first, j);
  // Under journald's rate limit (10,000 entries a service in 30 s), and more than journalctl gives in one turn.
  const N = 8000;
  await j.write('burst', Array.from({ length: N }, (_, k) => `burst entry ${k}`));
  const end = Date.now() + 20_000;
  while (lines(first, 'journald:burst') === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 2));
  await runs.shift()?.stop();
  await first.store.close();
  // What journalctl had written but watch not yet read is not given out after the stop (its cursor is not saved).
  await new Promise((r) => setTimeout(r, 300));
  const read = lines(first, 'journald:burst');
  assert.ok(read > 0, 'the first run read some before it stopped');

  const second = run(config, data);
  runs.push(second);
  second.start();
  const by = Date.now() + 30_000;
  while (read + lines(second, 'journald:burst') < N && Date.now() < by) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(read + lines(second, 'journald:burst'), N, `first ${read}, second ${lines(second, 'journald:burst')}: each entry once ${notes.join(' | ')}`);
  t.diagnostic(`first run read ${read} of ${N} before it stopped`);
});
