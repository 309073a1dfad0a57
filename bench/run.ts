// `npm run bench`: fivexx analyze against the tools people use today, on the same generated files,
// side by side: wc -l, the mawk status count, GoAccess, zcat. Prints medians, MB/s, peak RSS and the
// ratios the performance targets are stated in (README, "Performance"). A mawk baseline and fivexx on the
// same file run in turns (benchBeside): this VM's speed drifts over minutes, and a ratio must compare runs
// made in the same conditions.
//
//   node bench/run.ts [--runs 3] [--dir /tmp/fivexx-bench] [--quick] [--fresh] [--only KEY,KEY…]
//   --quick: no 10 GB file. GoAccess takes minutes and does not change with fivexx: its figure is kept
//   in the data directory for the same file and reused; --fresh measures it again. --only: just these
//   rows (keys: wc mawk fivexx fivexx+error goaccess zcat fivexx-gz mawk-half fivexx-half mawk-errors fivexx-errors
//   mawk-outage fivexx-outage fivexx-big fivexx-since fivexx-late), and only the files they read.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { generate, INCIDENT_START_MS } from './generate.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' }, dir: { type: 'string', default: process.env.FIVEXX_BENCH_DIR ?? '/tmp/fivexx-bench' },
    quick: { type: 'boolean', default: false }, fresh: { type: 'boolean', default: false }, only: { type: 'string' },
  },
});
const ONLY = values.only === undefined ? undefined : new Set(values.only.split(','));
/** Whether a row is to be measured (--only). */
const want = (...keys: string[]): boolean => !ONLY || keys.some((k) => ONLY.has(k));
const RUNS = Math.max(1, Number(values.runs));
const DIR = values.dir;
const GIB = 1 << 30;

function say(msg: string): void {
  process.stderr.write(`bench: ${msg}\n`);
}

function has(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** Installs the baselines with apt-get when they are missing (and we may). */
function ensureTools(): void {
  const need = [['goaccess', 'goaccess'], ['mawk', 'mawk'], ['/usr/bin/time', 'time']].filter(([cmd]) => !(cmd?.startsWith('/') ? existsSync(cmd) : has(cmd ?? ''))).map(([, pkg]) => pkg ?? '');
  if (need.length === 0) return;
  if (process.getuid?.() !== 0 || !has('apt-get')) {
    say(`missing ${need.join(', ')} and cannot apt-get them (not root): those rows are skipped`);
    return;
  }
  say(`installing ${need.join(', ')} with apt-get (baselines for the comparison)`);
  spawnSync('apt-get', ['update', '-q'], { stdio: 'inherit' });
  spawnSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...need], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

/** The time of the last line of a combined log (for a window at its end). */
function lastTime(path: string): number {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const b = Buffer.alloc(Math.min(size, 64 << 10));
    readSync(fd, b, 0, b.length, size - b.length);
    const text = b.toString('latin1').trimEnd();
    const m = /\[(\d\d)\/(\w{3})\/(\d{4}):(\d\d):(\d\d):(\d\d) \+0000\]/.exec(text.slice(text.lastIndexOf('\n') + 1));
    if (!m) throw new Error(`${path}: no time on its last line`);
    const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].indexOf(m[2] ?? '');
    return Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  } finally {
    closeSync(fd);
  }
}

/** Generates a file once per directory; the stamp records what made it. */
function ensureFile(name: string, make: () => void, stamp: string): string {
  const path = join(DIR, name);
  const stampPath = `${path}.stamp`;
  if (existsSync(path) && existsSync(stampPath) && readFileSync(stampPath, 'utf8') === stamp) return path;
  say(`writing ${path} …`);
  make();
  writeFileSync(stampPath, stamp);
  return path;
}

interface Measure {
  readonly seconds: number;
  readonly rssMb: number;
  readonly stdout: string;
}

/** Runs a shell command under GNU time: its seconds, peak RSS and output. */
function measure(cmd: string): Measure {
  const out = join(DIR, 'time.out');
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', '-o', out, 'sh', '-c', cmd], { encoding: 'utf8', maxBuffer: 256 << 20 });
  const [secs, kb] = readFileSync(out, 'utf8').trim().split('\n').pop()?.split(' ') ?? [];
  return { seconds: Number(secs), rssMb: Number(kb) / 1024, stdout: r.stdout };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? (s[(s.length - 1) / 2] ?? NaN) : ((s[s.length / 2 - 1] ?? 0) + (s[s.length / 2] ?? 0)) / 2;
}

interface Row {
  readonly name: string;
  readonly seconds: number;
  readonly rssMb: number;
  readonly mb: number;
  readonly stdout: string;
}

const rows = new Map<string, Row>();
const q = (p: string): string => `'${p}'`;

/**
 * Times `cmd` `runs` times (after one untimed run, unless `warm` is false). Before each run its input
 * files are read once (`cat > /dev/null`, untimed): this VM's page cache is reclaimed behind our back
 * within seconds, and the targets are stated for a warm cache. Every tool gets the same.
 */
function bench(key: string, name: string, cmd: string, inputs: readonly string[], inputBytes: number, runs = RUNS, warm = true): Row | undefined {
  const rewarm = (): void => {
    spawnSync('sh', ['-c', `cat ${inputs.map(q).join(' ')} > /dev/null`], { stdio: 'ignore' });
  };
  if (warm) {
    rewarm();
    measure(cmd); // warm the binary too
  }
  const ms: Measure[] = [];
  for (let k = 0; k < runs; k++) {
    rewarm();
    ms.push(measure(cmd));
  }
  const row = { name, seconds: median(ms.map((m) => m.seconds)), rssMb: Math.max(...ms.map((m) => m.rssMb)), mb: inputBytes / 1e6, stdout: ms[0]?.stdout ?? '' };
  rows.set(key, row);
  say(`${name}: ${row.seconds.toFixed(2)} s (runs: ${ms.map((m) => m.seconds.toFixed(2)).join(' ')})`);
  return row;
}

interface Side {
  readonly key: string;
  readonly name: string;
  readonly cmd: string;
}

/**
 * A baseline and fivexx on the same input, run in turns (baseline, fivexx, baseline, …) after one untimed
 * run of each: a machine whose speed drifts over minutes (this VM's does) changes both alike, so their
 * ratio is the one each run's conditions give. Sides not asked for (--only) are left out.
 */
function benchBeside(sides: readonly Side[], inputs: readonly string[], inputBytes: number, runs = RUNS): void {
  const wanted = sides.filter((s) => want(s.key));
  if (wanted.length < 2) {
    for (const s of wanted) bench(s.key, s.name, s.cmd, inputs, inputBytes, runs);
    return;
  }
  const rewarm = (): void => {
    spawnSync('sh', ['-c', `cat ${inputs.map(q).join(' ')} > /dev/null`], { stdio: 'ignore' });
  };
  const ms = wanted.map((s) => {
    rewarm();
    measure(s.cmd);
    return [] as Measure[];
  });
  for (let k = 0; k < runs; k++) {
    for (const [i, s] of wanted.entries()) {
      rewarm();
      ms[i]?.push(measure(s.cmd));
    }
  }
  for (const [i, s] of wanted.entries()) {
    const m = ms[i] ?? [];
    const row = { name: s.name, seconds: median(m.map((x) => x.seconds)), rssMb: Math.max(...m.map((x) => x.rssMb)), mb: inputBytes / 1e6, stdout: m[0]?.stdout ?? '' };
    rows.set(s.key, row);
    say(`${s.name}: ${row.seconds.toFixed(2)} s (runs, in turn with ${wanted.filter((o) => o !== s).map((o) => o.key).join(', ')}: ${m.map((x) => x.seconds.toFixed(2)).join(' ')})`);
  }
}

mkdirSync(DIR, { recursive: true });
ensureTools();
say('building fivexx (npm run build)');
if (spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' }).status !== 0) throw new Error('npm run build failed');
const FIVEXX = `node ${join(ROOT, 'dist', 'cli', 'bin.js')}`;
const GEN = readFileSync(join(ROOT, 'bench', 'generate.ts'), 'utf8').length;

// Each file is made only when a row to be measured reads it (--only).
const ACCESS_ROWS = ['wc', 'mawk', 'fivexx', 'fivexx+error', 'goaccess', 'zcat', 'fivexx-gz'];
const access = want(...ACCESS_ROWS) ? ensureFile('access-1g.log', () => {
  generate({ bytes: GIB, out: join(DIR, 'access-1g.log'), errorBytes: 100 << 20, errorOut: join(DIR, 'error-100m.log') });
}, `1g ${GEN}`) : '';
const errorLog = join(DIR, 'error-100m.log');
const gz = want('zcat', 'fivexx-gz') ? ensureFile('access-1g.log.gz', () => {
  spawnSync('sh', ['-c', `gzip -1 -c '${access}' > '${access}.gz'`], { stdio: 'inherit' });
}, `gz ${GEN}`) : '';
// The big file serves the memory check (the issue asks for 5 GB; 10 GB is the stricter check) and the
// --since/--until target, stated for 10 GB.
const big = values.quick || !want('fivexx-big', 'fivexx-since', 'fivexx-late') ? undefined : ensureFile('access-10g.log', () => {
  generate({ bytes: 10 * GIB, out: join(DIR, 'access-10g.log') });
}, `10g ${GEN}`);

// Outage shapes (issue 11): half the lines 5xx; an error log of nothing but upstream errors; 10 GB
// holding a two-hour full outage. Memory must stay bounded by windows and sketches, not by failures.
const half = want('mawk-half', 'fivexx-half') ? ensureFile('access-1g-half5xx.log', () => {
  generate({ bytes: GIB, out: join(DIR, 'access-1g-half5xx.log'), failShare: 0.5 });
}, `half ${GEN}`) : undefined;
const upstreamErrors = want('fivexx-errors') || want('mawk-errors') ? ensureFile('error-1g-upstream.log', () => {
  generate({ bytes: GIB, out: '/dev/null', errorOnly: true, errorBytes: GIB, errorOut: join(DIR, 'error-1g-upstream.log') });
}, `errors ${GEN}`) : undefined;
const outage = values.quick || !want('mawk-outage', 'fivexx-outage') ? undefined : ensureFile('access-10g-outage.log', () => {
  generate({ bytes: 10 * GIB, out: join(DIR, 'access-10g-outage.log'), outageMinutes: 120 });
}, `outage ${GEN}`);

const aBytes = access ? statSync(access).size : NaN;
const eBytes = access ? statSync(errorLog).size : NaN;

if (want('wc')) bench('wc', 'wc -l', `wc -l ${q(access)}`, [access], aBytes);
benchBeside([
  ...(has('mawk') ? [{ key: 'mawk', name: "mawk '{print $9}' | sort | uniq -c", cmd: `mawk '{print $9}' ${q(access)} | sort | uniq -c` }] : []),
  { key: 'fivexx', name: 'fivexx analyze (access log)', cmd: `${FIVEXX} analyze --json ${q(access)}` },
], [access], aBytes);
const fx = rows.get('fivexx');
const fxe = want('fivexx+error') ? bench('fivexx+error', 'fivexx analyze (access + error log)', `${FIVEXX} analyze --json ${q(access)} ${q(errorLog)}`, [access, errorLog], aBytes + eBytes) : undefined;
// GoAccess takes minutes: one run, after the others have warmed the page cache, kept for the same file.
const goaccessKept = join(DIR, `goaccess-time.${GEN}.json`);
if (!want('goaccess')) {
  // not asked for (--only)
} else if (!values.fresh && existsSync(goaccessKept)) {
  rows.set('goaccess', { ...(JSON.parse(readFileSync(goaccessKept, 'utf8')) as Row), name: 'goaccess --log-format=COMBINED (kept)' });
  say(`goaccess: kept figure from ${goaccessKept} (--fresh to measure again)`);
} else if (has('goaccess')) {
  const row = bench('goaccess', 'goaccess --log-format=COMBINED', `goaccess ${q(access)} --log-format=COMBINED --no-progress -o ${q(join(DIR, 'goaccess.json'))} > /dev/null 2>&1`, [access], aBytes, 1, false);
  if (row) writeFileSync(goaccessKept, JSON.stringify({ ...row, stdout: '' }));
}
if (want('zcat')) bench('zcat', 'zcat > /dev/null', `zcat ${q(gz)} > /dev/null`, [gz], aBytes);
if (want('fivexx-gz')) bench('fivexx-gz', 'fivexx analyze (.gz)', `${FIVEXX} analyze --json ${q(gz)}`, [gz], aBytes);
if (half) {
  // The mawk baseline and fivexx on the same file, in turns, in every run's conditions.
  benchBeside([
    ...(has('mawk') ? [{ key: 'mawk-half', name: 'mawk status count (1 GB, 50 % 5xx)', cmd: `mawk '{print $9}' ${q(half)} | sort | uniq -c` }] : []),
    { key: 'fivexx-half', name: 'fivexx analyze (1 GB, 50 % 5xx)', cmd: `${FIVEXX} analyze --json ${q(half)}` },
  ], [half], statSync(half).size);
}
if (upstreamErrors) {
  // The mawk status count of the error log itself (its 9th field is no status: the same work on the same bytes).
  benchBeside([
    ...(has('mawk') ? [{ key: 'mawk-errors', name: 'mawk status count (1 GB error log)', cmd: `mawk '{print $9}' ${q(upstreamErrors)} | sort | uniq -c` }] : []),
    { key: 'fivexx-errors', name: 'fivexx analyze (1 GB upstream errors)', cmd: `${FIVEXX} analyze --json ${q(upstreamErrors)}` },
  ], [upstreamErrors], statSync(upstreamErrors).size);
}
if (outage) {
  const oBytes = statSync(outage).size;
  if (want('mawk-outage') && has('mawk')) bench('mawk-outage', 'mawk status count (10 GB, 2 h outage)', `mawk '{print $9}' ${q(outage)} | sort | uniq -c`, [outage], oBytes, Math.min(RUNS, 2), false);
  if (want('fivexx-outage')) bench('fivexx-outage', 'fivexx analyze (10 GB, 2 h outage)', `${FIVEXX} analyze --json ${q(outage)}`, [outage], oBytes, Math.min(RUNS, 3), false);
}
if (big) {
  const bBytes = statSync(big).size;
  if (want('fivexx-big')) bench('fivexx-big', 'fivexx analyze (10 GB access log)', `${FIVEXX} analyze --json ${q(big)}`, [big], bBytes, Math.min(RUNS, 2));
  // Two windows: the incident's, early in the file (what lies after it is counted), and the file's
  // last half hour (what lies before it is counted): the lines outside are counted either way.
  const since = new Date(INCIDENT_START_MS - 5 * 60_000).toISOString();
  const until = new Date(INCIDENT_START_MS + 15 * 60_000).toISOString();
  if (want('fivexx-since')) bench('fivexx-since', 'fivexx --since/--until, incident (10 GB)', `${FIVEXX} analyze --json --since ${since} --until ${until} ${q(big)}`, [big], bBytes, Math.min(RUNS, 3));
  const last = lastTime(big);
  const lateSince = new Date(last - 30 * 60_000).toISOString();
  if (want('fivexx-late')) bench('fivexx-late', 'fivexx --since, last 30 min (10 GB)', `${FIVEXX} analyze --json --since ${lateSince} ${q(big)}`, [big], bBytes, Math.min(RUNS, 3));
}

// The verdict must hold at speed: the incident is found and named from the error log.
const verdict = JSON.parse(fxe?.stdout ?? '{}') as { incidents?: { cause: string; requests: number }[]; totals?: { requests: number } };
const top = verdict.incidents?.[0];

const cpu = cpus()[0]?.model ?? 'unknown CPU';
console.log(`\nfivexx bench — ${cpus().length} cores (${cpu}), ${(totalmem() / GIB).toFixed(0)} GiB RAM, node ${process.version}, page cache warm, median of ${RUNS} run(s)`);
if (access) console.log(`input: ${(aBytes / 1e9).toFixed(2)} GB combined access log (${DIR}), ${(eBytes / 1e6).toFixed(0)} MB nginx error log\n`);
console.log(`${'command'.padEnd(44)} ${'median s'.padStart(9)} ${'MB/s'.padStart(8)} ${'peak RSS MB'.padStart(12)}`);
for (const r of rows.values()) {
  console.log(`${r.name.padEnd(44)} ${r.seconds.toFixed(2).padStart(9)} ${(r.mb / r.seconds).toFixed(0).padStart(8)} ${r.rssMb.toFixed(0).padStart(12)}`);
}
const ratio = (a: string, b: string): number => (rows.get(a)?.seconds ?? NaN) / (rows.get(b)?.seconds ?? NaN);
const mark = (ok: boolean): string => (ok ? 'met' : 'NOT met');
const gbps = (aBytes / 1e9) / (fx?.seconds ?? NaN);
console.log('\ntargets (rows not measured: n/a):');
const shown = (...keys: string[]): boolean => keys.every((k) => rows.has(k));
const line = (text: string, keys: string[], value: () => string): void => {
  console.log(`  ${text.padEnd(46)} ${shown(...keys) ? value() : 'n/a'}`);
};
line('1 GB access log at >= 1 GB/s:', ['fivexx'], () => `${gbps.toFixed(2)} GB/s — ${mark(gbps >= 1)}`);
line('>= 3x faster than the mawk status count:', ['mawk', 'fivexx'], () => `${ratio('mawk', 'fivexx').toFixed(1)}x — ${mark(ratio('mawk', 'fivexx') >= 3)}`);
line('>= 40x faster than GoAccess:', ['goaccess', 'fivexx'], () => `${ratio('goaccess', 'fivexx').toFixed(1)}x — ${mark(ratio('goaccess', 'fivexx') >= 40)}`);
line('+ 100 MB error log <= 1.5x access only:', ['fivexx+error', 'fivexx'], () => `${ratio('fivexx+error', 'fivexx').toFixed(2)}x — ${mark(ratio('fivexx+error', 'fivexx') <= 1.5)}`);
const rss = Math.max(fx?.rssMb ?? 0, rows.get('fivexx-big')?.rssMb ?? 0);
line('peak RSS <= 200 MB (1 GB and 10 GB):', ['fivexx', 'fivexx-big'], () => `${(fx?.rssMb ?? NaN).toFixed(0)} MB, ${(rows.get('fivexx-big')?.rssMb ?? NaN).toFixed(0)} MB — ${mark(rss <= 200)}`);
const windowS = Math.max(rows.get('fivexx-since')?.seconds ?? Infinity, rows.get('fivexx-late')?.seconds ?? Infinity);
line('--since/--until verdict < 1 s (10 GB, both):', ['fivexx-since', 'fivexx-late'], () => `${windowS.toFixed(2)} s — ${mark(windowS < 1)}`);
line('.gz <= 1.2x zcat:', ['fivexx-gz', 'zcat'], () => `${ratio('fivexx-gz', 'zcat').toFixed(2)}x — ${mark(ratio('fivexx-gz', 'zcat') <= 1.2)}`);
const rssOf = (k: string): number => rows.get(k)?.rssMb ?? NaN;
line('50 % 5xx: >= 3x mawk, <= 200 MB:', ['mawk-half', 'fivexx-half'], () => `${ratio('mawk-half', 'fivexx-half').toFixed(1)}x, ${rssOf('fivexx-half').toFixed(0)} MB — ${mark(ratio('mawk-half', 'fivexx-half') >= 3 && rssOf('fivexx-half') <= 200)}`);
// The baseline is mawk over the error log itself (stricter than over the access log of the same size: its lines are longer and fewer).
const errRatio = ratio('mawk-errors', 'fivexx-errors');
line('1 GB upstream errors: >= 3x mawk, <= 200 MB:', ['fivexx-errors', 'mawk-errors'], () => `${(rows.get('fivexx-errors')?.seconds ?? NaN).toFixed(2)} s, ${errRatio.toFixed(1)}x, ${rssOf('fivexx-errors').toFixed(0)} MB — ${mark(errRatio >= 3 && rssOf('fivexx-errors') <= 200)}`);
line('10 GB with a 2 h outage: <= 200 MB (vs mawk):', ['fivexx-outage'], () => `${rssOf('fivexx-outage').toFixed(0)} MB${rows.has('mawk-outage') ? `, ${ratio('mawk-outage', 'fivexx-outage').toFixed(1)}x mawk` : ''} — ${mark(rssOf('fivexx-outage') <= 200)}`);
if (fxe) console.log(`\nverdict with the error log: ${top ? `${top.cause}, ${top.requests} requests` : 'none'}; requests counted: ${verdict.totals?.requests ?? 0}`);
rmSync(join(DIR, 'time.out'), { force: true });
