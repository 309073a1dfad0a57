// `node bench/watch-follow.ts`: fivexx watch following an nginx access log and error log that a child
// process appends to at a fixed rate (default 100,000 access lines/s, 1 % of them 5xx with their error-log
// line, and a 20-second outage of 30 % 5xx every 5 minutes). Every line goes through watch's log stages
// (parse, classify, the streaming correlator, the log rules). Prints, every 10 s: lines/s written and
// processed, lag (lines written and not yet read), RSS and heap; at the end the RSS curve's first, peak and
// last values. Bounded: it stops after --minutes (default 2). --outage S starts each 5-minute cycle's outage
// S seconds into it (default 150; 40 puts one in a 2-minute run).
//
//   node bench/watch-follow.ts [--minutes 2] [--rate 100000] [--share 0.01] [--outage 150]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseWatchConfig } from '../src/watch/config.ts';
import { WatchService } from '../src/watch/service.ts';
import { openSqliteStore } from '../src/watch/store/sqlite-store.ts';

const { values } = parseArgs({ options: {
  minutes: { type: 'string', default: '2' }, rate: { type: 'string', default: '100000' }, share: { type: 'string', default: '0.01' },
  outage: { type: 'string', default: '150' },
} });
const MINUTES = Number(values.minutes);
const RATE = Number(values.rate);
const SHARE = Number(values.share);
const OUTAGE = Number(values.outage);

const dir = mkdtempSync(join(tmpdir(), 'fivexx-bench-follow-'));
const access = join(dir, 'access.log');
const error = join(dir, 'error.log');
writeFileSync(access, '');
writeFileSync(error, '');

/** The writer, in a process of its own: appends every 10 ms what the rate asks, with the lines' real times. */
const WRITER = `
const fs = require('node:fs');
const [access, error, rate, share, seconds, outageAt] = process.argv.slice(1);
let fa = fs.openSync(access, 'a'), fe = fs.openSync(error, 'a');
let aBytes = 0, eBytes = 0, rotations = 0;
// Rotation by rename, as logrotate does, every 256 MiB; three old files kept (a reader that far behind loses lines).
const rotate = (path, fd) => {
  fs.closeSync(fd);
  for (let i = 3; i >= 1; i--) { try { fs.renameSync(i === 1 ? path : path + '.' + (i - 1), path + '.' + i); } catch {} }
  rotations++;
  return fs.openSync(path, 'a');
};
const MON = ['Jan','Feb','Mar','Apr','May','Jun','Jul','Aug','Sep','Oct','Nov','Dec'];
const p2 = (n) => String(n).padStart(2, '0');
const clf = (d) => p2(d.getUTCDate()) + '/' + MON[d.getUTCMonth()] + '/' + d.getUTCFullYear() + ':' + p2(d.getUTCHours()) + ':' + p2(d.getUTCMinutes()) + ':' + p2(d.getUTCSeconds()) + ' +0000';
const ngx = (d) => d.getFullYear() + '/' + p2(d.getMonth() + 1) + '/' + p2(d.getDate()) + ' ' + p2(d.getHours()) + ':' + p2(d.getMinutes()) + ':' + p2(d.getSeconds());
const start = Date.now();
let written = 0, k = 0, lastReport = start;
const tick = () => {
  const now = Date.now();
  const el = (now - start) / 1000;
  if (el >= Number(seconds)) { process.stdout.write(JSON.stringify({ written, rotations, done: true }) + '\\n'); process.exit(0); }
  // At most 0.1 s of lines a turn: a writer that fell behind catches up over several turns.
  const due = Math.min(Math.floor(el * Number(rate)) - written, Math.ceil(Number(rate) / 10));
  const d = new Date(now), t = clf(d), te = ngx(d);
  // A 20-second outage every 5 minutes: 30 % of requests fail.
  const outage = (el % 300) >= Number(outageAt) && (el % 300) < Number(outageAt) + 20;
  const p = outage ? 0.3 : Number(share);
  let a = '', e = '';
  for (let i = 0; i < due; i++, k++) {
    const client = '10.0.' + (k % 200) + '.' + (k % 7);
    const path = '/api/item/' + (k % 500);
    const bad = ((k * 7919) % 10000) / 10000 < p;
    if (bad) {
      a += client + ' - - [' + t + '] "GET ' + path + ' HTTP/1.1" 502 157 "-" "Mozilla/5.0" rt=0.001 ua="10.1.0.5:8080" us="502" uct="-" uht="-" urt="0.000"\\n';
      e += te + ' [error] 7#7: *' + k + ' connect() failed (111: Connection refused) while connecting to upstream, client: ' + client + ', server: shop.test, request: "GET ' + path + ' HTTP/1.1", upstream: "http://10.1.0.5:8080' + path + '", host: "shop.test"\\n';
    } else {
      a += client + ' - - [' + t + '] "GET ' + path + ' HTTP/1.1" 200 ' + (1000 + k % 5000) + ' "-" "Mozilla/5.0" rt=0.0' + (10 + k % 80) + ' ua="10.1.0.5:8080" us="200" uct="0.000" uht="0.010" urt="0.010"\\n';
    }
  }
  if (e) eBytes += fs.writeSync(fe, e);
  if (a) aBytes += fs.writeSync(fa, a);
  if (aBytes > 256 * 2 ** 20) { fa = rotate(access, fa); aBytes = 0; }
  if (eBytes > 256 * 2 ** 20) { fe = rotate(error, fe); eBytes = 0; }
  written += due;
  if (now - lastReport >= 1000) { lastReport = now; process.stdout.write(JSON.stringify({ written }) + '\\n'); }
  setTimeout(tick, 10);
};
tick();
`;

async function main(): Promise<void> {
  const config = parseWatchConfig(`logs:\n  - ${access}\n  - ${error}\nrules:\n  resolveAfter: 30s\n  slo: 0.999\n  latencyP95: 2s\n`);
  const store = openSqliteStore(join(dir, 'data'));
  const alerts: string[] = [];
  const watch = new WatchService(config, { store, channels: [{ name: 'count', send: (a) => { alerts.push(`${a.event} ${a.incident.cause}`); return Promise.resolve(); } }] });
  watch.start();
  // Let watch open both files (at their end) before the writer starts.
  await new Promise((r) => setTimeout(r, 500));
  const writer = spawn(process.execPath, ['-e', WRITER, access, error, String(RATE), String(SHARE), String(MINUTES * 60), String(OUTAGE)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let written = 0;
  let done = false;
  writer.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    for (const l of chunk.split('\n')) {
      if (!l) continue;
      const m = JSON.parse(l) as { written: number; done?: boolean };
      written = m.written;
      done ||= m.done === true;
    }
  });
  const p = watch.logs?.pipeline;
  if (!p) throw new Error('watch follows no logs');
  const t0 = Date.now();
  const rss: number[] = [];
  let lastLines = 0;
  let lastAt = t0;
  // CPU time per line read: what a core of its own would process (the machine may be shared).
  let lastCpu = process.cpuUsage();
  const cpu0 = lastCpu;
  console.log('   s  written/s  processed/s  lag(lines)  lag(s)  RSS MB  heap MB  heap total  live  slots  5xx seen  joined early  CPU µs/line  lines/s a core');
  const sample = (): void => {
    const now = Date.now();
    const accessLines = (watch.logs?.pipeline.sources.find((s) => s.path === access)?.lines ?? 0);
    const rate = ((accessLines - lastLines) * 1000) / Math.max(1, now - lastAt);
    const cpu = process.cpuUsage(lastCpu);
    lastCpu = process.cpuUsage();
    const usPerLine = (cpu.user + cpu.system) / Math.max(1, accessLines - lastLines);
    lastLines = accessLines;
    lastAt = now;
    const lag = Math.max(0, written - accessLines);
    const mem = process.memoryUsage();
    rss.push(mem.rss / 2 ** 20);
    const el = (now - t0) / 1000;
    console.log(`${el.toFixed(0).padStart(4)}  ${(written / Math.max(1, el)).toFixed(0).padStart(9)}  ${rate.toFixed(0).padStart(11)}  ${String(lag).padStart(10)}  ${(lag / RATE).toFixed(2).padStart(6)}  ${(mem.rss / 2 ** 20).toFixed(0).padStart(6)}  ${(mem.heapUsed / 2 ** 20).toFixed(0).padStart(7)}  ${(mem.heapTotal / 2 ** 20).toFixed(0).padStart(10)}  ${String(p.live().length).padStart(4)}  ${String(p.correlator?.store.size ?? 0).padStart(5)}  ${String(p.counts.failed).padStart(8)}  ${String(p.correlator?.joinedEarly ?? 0).padStart(12)}  ${usPerLine.toFixed(2).padStart(11)}  ${(1e6 / usPerLine).toFixed(0).padStart(14)}`);
  };
  const timer = setInterval(sample, 10_000);
  await new Promise<void>((resolve) => writer.once('exit', () => resolve()));
  // Give watch up to 10 s to read the rest.
  const end = Date.now() + 10_000;
  while (Date.now() < end && (p.sources.find((s) => s.path === access)?.lines ?? 0) < written) await new Promise((r) => setTimeout(r, 200));
  clearInterval(timer);
  sample();
  const read = p.sources.find((s) => s.path === access)?.lines ?? 0;
  const secs = MINUTES * 60;
  console.log(`\nwritten ${written} access lines in ${secs} s (${(written / secs).toFixed(0)}/s), read ${read} (${((read / written) * 100).toFixed(2)} %), ${p.counts.failed} failed lines, ${p.counts.findings} findings classified and correlated, ${p.correlator?.joinedEarly ?? 0} failed lines joined early (join queue full)`);
  const all = process.cpuUsage(cpu0);
  console.log(`CPU: ${((all.user + all.system) / Math.max(1, read)).toFixed(2)} µs a line read (lines of both files, parse, classify, correlate, rules, store), ${(1e6 / ((all.user + all.system) / Math.max(1, read))).toFixed(0)} lines/s on a core of its own`);
  console.log(`RSS MB: first ${rss[0]?.toFixed(0)}, peak ${Math.max(...rss).toFixed(0)}, last ${rss[rss.length - 1]?.toFixed(0)}; curve ${rss.map((r) => r.toFixed(0)).join(' ')}`);
  console.log(`current file ${(statSync(access).size / 2 ** 20).toFixed(0)} MiB (rotated every 256 MiB); incidents ${(await store.incidents('all')).map((i) => `${i.target}:${i.state}`).join(', ')}; alerts ${alerts.length}; done ${done}`);
  await watch.stop();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

await main();
