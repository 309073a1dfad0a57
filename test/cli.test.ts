// The CLI end to end on the bundled samples and on bad input: output shape, exit codes, one-line errors.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Analysis } from '../src/events/analysis.ts';
import { main } from '../src/cli/main.ts';
import type { CommandIo } from '../src/cli/io.ts';

const SAMPLES = fileURLToPath(new URL('../samples/', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'fivexx-cli-'));

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string[] }> {
  let out = '';
  const err: string[] = [];
  const io: CommandIo = {
    out: (t) => void (out += t),
    warn: (m) => void err.push(`warning: ${m}`),
    fail: (code, m) => {
      err.push(`${code}: ${m}`);
      return 2;
    },
    color: false,
  };
  return { code: await main(argv, io), out, err };
}

test('analyze --json on the bundled composite sample: two incidents, the deploy as trigger, exit 1', async () => {
  const r = await run('analyze', '--json', join(SAMPLES, 'nginx-composite'));
  assert.equal(r.code, 1);
  const a = JSON.parse(r.out) as Analysis;
  assert.equal(a.version, 1);
  assert.deepEqual(a.incidents.map((i) => i.cause).sort(), ['app.exception', 'upstream.refused']);
  const bug = a.incidents.find((i) => i.cause === 'app.exception');
  assert.equal(bug?.trigger?.ref, 'a1b2c3d');
  assert.ok(a.sources.some((s) => s.format === 'changes'), 'deploy.log is read as a changes log');
  for (const i of a.incidents) {
    assert.match(i.start, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{3})?Z$/);
    assert.ok(i.evidence.length > 0 && i.nextSteps.length > 0);
  }
});

test('the terminal report leads with the verdict; markdown is for tickets', async () => {
  const t = await run('analyze', join(SAMPLES, 'nginx-database-down'));
  assert.equal(t.code, 1);
  assert.match(t.out, /1\. dependency\.database/);
  const m = await run('analyze', '--markdown', join(SAMPLES, 'nginx-php-fatal'));
  assert.match(m.out, /^# fivexx analysis/);
  assert.match(m.out, /## 1\. `app\.exception`/);
});

test('a missing file, an empty directory, garbage and usage errors exit 2 with one line', async () => {
  const empty = join(tmp, 'empty');
  mkdirSync(empty);
  const garbage = join(tmp, 'garbage.bin');
  writeFileSync(garbage, Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 7919) % 256)));
  for (const argv of [['analyze', join(tmp, 'nope.log')], ['analyze', empty], ['analyze', garbage], ['analyze'], ['analyze', '--bogus', garbage], ['frobnicate']]) {
    const r = await run(...argv);
    assert.equal(r.code, 2, argv.join(' '));
    const last = r.err[r.err.length - 1] ?? '';
    assert.ok(last.length > 0 && !last.includes('\n'), `one-line error for ${argv.join(' ')}: ${last}`);
  }
});

test('garbage next to a good log is counted, not fatal', async () => {
  const garbage = join(tmp, 'junk.log');
  writeFileSync(garbage, 'not a log line\n\u0000\u0001\u0002 binary\n');
  const r = await run('analyze', '--json', garbage, join(SAMPLES, 'nginx-database-down', 'access.log'));
  assert.equal(r.code, 1);
  const a = JSON.parse(r.out) as Analysis;
  const junk = a.sources.find((s) => s.path === garbage);
  assert.equal(junk?.format, 'unknown');
  assert.equal(junk?.unparsed, 2);
});

test('a log with no server errors exits 0', async () => {
  const ok = join(tmp, 'ok.log');
  writeFileSync(ok, '127.0.0.1 - - [22/Nov/2026:20:19:30 +0000] "GET / HTTP/1.1" 200 25 "-" "x"\n');
  const r = await run('analyze', ok);
  assert.equal(r.code, 0);
  assert.match(r.out, /No server errors found/);
});

test('stdin (-) is read like a file', async () => {
  const { spawnSync } = await import('node:child_process');
  const { readFileSync } = await import('node:fs');
  const bin = fileURLToPath(new URL('../src/cli/bin.ts', import.meta.url));
  const input = readFileSync(join(SAMPLES, 'nginx-database-down', 'access.log'));
  const r = spawnSync(process.execPath, [bin, 'analyze', '--json', '-'], { input, encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 1, r.stderr);
  const a = JSON.parse(r.stdout) as Analysis;
  assert.equal(a.sources[0]?.path, '-');
  assert.equal(a.sources[0]?.format, 'combined');
  assert.equal(a.totals.byStatus['500'], 10);
});

test('--nginx-conf reads the log_format of a custom access log; --log-format takes it as a string', async () => {
  const fmt = `'$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" ' 'rt=$request_time ua="$upstream_addr" us="$upstream_status" uct="$upstream_connect_time" uht="$upstream_header_time" urt="$upstream_response_time"'`;
  const conf = join(tmp, 'nginx.conf');
  writeFileSync(conf, `http {\n  log_format lab ${fmt};\n  access_log /var/log/nginx/access.log lab;\n}\n`);
  const access = join(SAMPLES, 'nginx-database-down', 'access.log');
  const r = await run('analyze', '--json', '--nginx-conf', conf, access);
  const a = JSON.parse(r.out) as Analysis;
  assert.equal(a.sources[0]?.format, 'nginx-access:lab');
  assert.equal(a.incidents[0]?.cause, 'app.unexplained', 'the upstream answered the 500 itself ($upstream_header_time is set)');
  const s = await run('analyze', '--json', '--log-format', fmt.replaceAll("' '", '').slice(1, -1), access);
  assert.equal((JSON.parse(s.out) as Analysis).sources[0]?.format, 'nginx-access:custom');
  const missing = await run('analyze', '--nginx-conf', join(tmp, 'none.conf'), access);
  assert.equal(missing.code, 2);
});

test('the README quick start can run: the built command is executable (npx runs it directly)', (t) => {
  const bin = fileURLToPath(new URL('../dist/cli/bin.js', import.meta.url));
  if (!existsSync(bin)) return t.skip('not built (npm ci builds it)');
  assert.ok((statSync(bin).mode & 0o111) !== 0, `${bin} is not executable`);
});


test('without WebAssembly (node --jitless) the built command falls back to JavaScript and says the same', async (t) => {
  const bin = fileURLToPath(new URL('../dist/cli/bin.js', import.meta.url));
  if (!existsSync(bin)) return t.skip('not built (npm ci builds it)');
  const { spawnSync } = await import('node:child_process');
  const sample = fileURLToPath(new URL('../samples/nginx-composite', import.meta.url));
  const runWith = (flags: string[]): { out: string; status: number | null } => {
    const r = spawnSync(process.execPath, [...flags, bin, 'analyze', '--json', sample], { encoding: 'utf8', timeout: 60_000 });
    return { out: r.stdout, status: r.status };
  };
  const probe = spawnSync(process.execPath, ['--jitless', '-p', 'typeof WebAssembly'], { encoding: 'utf8' });
  assert.equal(probe.stdout.trim(), 'undefined', '--jitless really takes WebAssembly away');
  const jitless = runWith(['--jitless']);
  const normal = runWith([]);
  assert.equal(normal.status, 1, 'the sample holds incidents');
  assert.equal(jitless.status, normal.status);
  assert.ok(normal.out.length > 100);
  assert.equal(jitless.out, normal.out);
});
