// `node bench/watch.ts`: fivexx watch with many HTTP targets against local servers, beside a baseline of
// the same probes done the naive way (one setInterval and one fetch per target, as simple monitors do).
// Prints schedule lag (p50/p99), missed probes, probes/s and peak RSS for both.
//
//   node bench/watch.ts [--targets 10000] [--interval 30s] [--seconds 95] [--ports 16]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseDuration } from '../src/cli/durations.ts';
import { parseWatchConfig } from '../src/watch/config.ts';
import { quantile } from '../src/watch/scheduler.ts';
import { WatchService } from '../src/watch/service.ts';
import { openSqliteStore } from '../src/watch/store/sqlite-store.ts';

const { values } = parseArgs({ options: {
  targets: { type: 'string', default: '10000' }, interval: { type: 'string', default: '30s' }, seconds: { type: 'string', default: '95' },
  ports: { type: 'string', default: '16' }, mode: { type: 'string', default: 'both' },
} });
const TARGETS = Number(values.targets);
const INTERVAL = parseDuration(values.interval) ?? 30_000;
const SECONDS = Number(values.seconds);
const PORTS = Number(values.ports);

/** The local servers, in a child process of their own (their CPU is not watch's): 1 path in 100 answers 502. */
async function startServers(): Promise<{ ports: number[]; stop: () => void }> {
  const code = `
    const http = require('node:http');
    const ports = [];
    let left = ${PORTS};
    for (let i = 0; i < ${PORTS}; i++) {
      const s = http.createServer((req, res) => {
        const bad = /\\/t(\\d+)$/.exec(req.url || '') && Number(RegExp.$1) % 100 === 0;
        res.writeHead(bad ? 502 : 200, { 'content-type': 'text/plain', server: 'nginx' });
        res.end(bad ? '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>' : 'ok');
      });
      s.keepAliveTimeout = 1000;
      s.listen(0, '127.0.0.1', () => { ports.push(s.address().port); if (--left === 0) process.stdout.write(JSON.stringify(ports) + '\\n'); });
    }`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const ports = await new Promise<number[]>((resolve) => child.stdout.once('data', (b: Buffer) => resolve(JSON.parse(b.toString()) as number[])));
  return { ports, stop: () => child.kill() };
}

function urls(ports: number[]): string[] {
  return Array.from({ length: TARGETS }, (_, i) => `http://127.0.0.1:${ports[i % ports.length] ?? 0}/t${i}`);
}

function rssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

async function benchWatch(ports: number[]): Promise<Record<string, number>> {
  const data = mkdtempSync(join(tmpdir(), 'fivexx-bench-watch-'));
  const targets = urls(ports).map((u, i) => `  - { name: t${i}, url: "${u}", interval: ${INTERVAL}ms, timeout: 5s }`).join('\n');
  const config = parseWatchConfig(`concurrency: 256\ntargets:\n${targets}\n`);
  const store = openSqliteStore(data);
  const watch = new WatchService(config, { store });
  const t0 = Date.now();
  watch.start();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const s = watch.schedulerStats();
  await watch.stop();
  await store.close();
  rmSync(data, { recursive: true, force: true });
  const elapsed = (Date.now() - t0) / 1000;
  const expected = Math.floor(TARGETS * (elapsed / (INTERVAL / 1000)));
  return {
    started: s?.started ?? 0, expected, skipped: s?.skipped ?? 0, missed: Math.max(0, expected - (s?.started ?? 0) - TARGETS) + (s?.skipped ?? 0),
    lagP50: quantile(s?.lags ?? [], 0.5), lagP99: quantile(s?.lags ?? [], 0.99), perSecond: Math.round((s?.started ?? 0) / elapsed), rss: rssMb(),
  };
}

/** The naive way: a setInterval per target, fetch with a timeout, no limit on how many run at once. */
async function benchNaive(ports: number[]): Promise<Record<string, number>> {
  const lags: number[] = [];
  let started = 0;
  let failed = 0;
  const timers = urls(ports).map((u) => {
    let due = Date.now() + Math.floor(Math.random() * INTERVAL);
    const first = setTimeout(function tick() {
      lags.push(Date.now() - due);
      due += INTERVAL;
      started++;
      fetch(u, { signal: AbortSignal.timeout(5000) }).then((r) => r.text(), () => void failed++).catch(() => undefined);
      timers.push(setTimeout(tick, Math.max(0, due - Date.now())));
    }, due - Date.now());
    return first;
  });
  const t0 = Date.now();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  for (const t of timers) clearTimeout(t);
  const elapsed = (Date.now() - t0) / 1000;
  return { started, expected: Math.floor(TARGETS * (elapsed / (INTERVAL / 1000))), failed, lagP50: quantile(lags, 0.5), lagP99: quantile(lags, 0.99), perSecond: Math.round(started / elapsed), rss: rssMb() };
}

const servers = await startServers();
process.stderr.write(`bench: ${TARGETS} targets every ${INTERVAL / 1000}s on ${PORTS} local ports, ${SECONDS}s per run\n`);
if (values.mode !== 'naive') {
  const w = await benchWatch(servers.ports);
  console.log(`fivexx watch   probes ${w.started} (${w.perSecond}/s)  lag p50 ${w.lagP50} ms  p99 ${w.lagP99} ms  skipped ${w.skipped}  peak RSS ${w.rss} MB`);
  console.log(`  targets: lag p99 <= 1000 ms: ${(w.lagP99 ?? 0) <= 1000 ? 'met' : 'NOT met'}; no missed probe: ${w.skipped === 0 ? 'met' : 'NOT met'}; peak RSS <= 400 MB: ${(w.rss ?? 0) <= 400 ? 'met' : 'NOT met'}`);
}
if (values.mode !== 'watch') {
  const n = await benchNaive(servers.ports);
  console.log(`naive timers   probes ${n.started} (${n.perSecond}/s)  lag p50 ${n.lagP50} ms  p99 ${n.lagP99} ms  fetch failures ${n.failed}  peak RSS ${n.rss} MB (whole process)`);
}
servers.stop();
process.exit(0);
