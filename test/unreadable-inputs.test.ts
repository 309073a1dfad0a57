// Files that cannot be read: permission denied (run as an unprivileged user), too many files for the
// descriptor limit, a file gone between listing and reading, and symbolic links (Kubernetes'
// /var/log/containers): each a counted one-line coded warning, exit 2 only when nothing is readable.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runAnalysis, type AnalyzeOptions } from '../src/engine/run-analysis.ts';
import type { Analysis } from '../src/events/analysis.ts';

const BIN = fileURLToPath(new URL('../src/cli/bin.ts', import.meta.url));
const SAMPLE = fileURLToPath(new URL('../samples/nginx-database-down/', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'fivexx-unreadable-'));
chmodSync(tmp, 0o755);
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs the CLI (as `nobody` when `asNobody`), with a time limit: a hang fails the test. */
function cli(args: string[], opts: { asNobody?: boolean; shell?: string } = {}): { status: number | null; stdout: string; stderr: string } {
  const node = process.execPath;
  const r = opts.shell
    ? spawnSync('bash', ['-c', opts.shell.replace('$CLI', `'${node}' '${BIN}'`)], { encoding: 'utf8', timeout: 60_000 })
    : opts.asNobody
      ? spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', node, BIN, ...args], { encoding: 'utf8', timeout: 60_000 })
      : spawnSync(node, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** No stack trace, no Node error text: only `fivexx: …` lines on stderr. */
function assertClean(stderr: string): void {
  for (const line of stderr.split('\n').filter((l) => l !== '')) {
    assert.match(line, /^fivexx: (warning: )?FIVEXX_[A-Z_]+: /, `a coded one-line message, not: ${line}`);
  }
}

const options = (paths: string[]): AnalyzeOptions => ({
  paths, forced: new Map(), extraFormats: [], changes: [], tz: undefined, since: undefined, until: undefined, gapMs: 120_000, triggerWindowMs: 1_800_000,
});

const canDropPrivileges = process.getuid?.() === 0 && existsSync('/usr/bin/setpriv');

test('a file the user may not read is a counted warning; only unreadable input exits 2 with one line', { skip: !canDropPrivileges && 'needs root and setpriv to run as nobody' }, () => {
  const dir = join(tmp, 'eacces');
  mkdirSync(dir);
  chmodSync(dir, 0o755);
  for (const f of ['access.log', 'app.log', 'error.log']) copyFileSync(join(SAMPLE, f), join(dir, f));
  chmodSync(join(dir, 'access.log'), 0o644);
  chmodSync(join(dir, 'app.log'), 0o000);
  chmodSync(join(dir, 'error.log'), 0o000);
  const some = cli(['analyze', '--json', dir], { asNobody: true });
  assert.equal(some.status, 1, some.stderr);
  assertClean(some.stderr);
  assert.match(some.stderr, /FIVEXX_PATH_UNREADABLE: .*app\.log: permission denied/);
  const a = JSON.parse(some.stdout) as Analysis;
  const app = a.sources.find((s) => s.path.endsWith('app.log'));
  assert.equal(app?.format, 'unreadable');
  assert.deepEqual(app?.warnings, ['FIVEXX_PATH_UNREADABLE: permission denied']);
  // The readable access log is read in full (the fast path), the unreadable ones counted.
  assert.equal(a.sources.find((s) => s.path.endsWith('access.log'))?.lines, 22);

  chmodSync(join(dir, 'access.log'), 0o000);
  const none = cli(['analyze', join(dir, 'access.log')], { asNobody: true });
  assert.equal(none.status, 2);
  assert.equal(none.stderr, `fivexx: FIVEXX_PATH_UNREADABLE: analyze: ${join(dir, 'access.log')}: permission denied\n`);

  const closed = join(tmp, 'closed');
  mkdirSync(closed, { mode: 0o700 });
  copyFileSync(join(SAMPLE, 'access.log'), join(closed, 'access.log'));
  const shut = cli(['analyze', closed], { asNobody: true });
  assert.equal(shut.status, 2);
  assert.equal(shut.stderr, `fivexx: FIVEXX_PATH_UNREADABLE: analyze: ${closed}: permission denied\n`);
});

test('600 files under a descriptor limit of 256: all read, a bounded number open at a time', () => {
  const dir = join(tmp, 'many');
  mkdirSync(dir);
  const line = (i: number): string => `10.0.0.${i % 250} - - [22/Nov/2026:20:19:${String(i % 60).padStart(2, '0')} +0000] "GET /p/${i} HTTP/1.1" ${i % 7 === 0 ? 502 : 200} 12 "-" "x"\n`;
  for (let i = 0; i < 600; i++) writeFileSync(join(dir, `access-${String(i).padStart(3, '0')}.log`), line(i) + line(i + 1));
  const r = cli([], { shell: `ulimit -n 256; $CLI analyze --json '${dir}'` });
  assertClean(r.stderr);
  assert.equal(r.status, 1, r.stderr.slice(0, 500));
  const a = JSON.parse(r.stdout) as Analysis;
  assert.equal(a.sources.length, 600);
  assert.equal(a.sources.reduce((n, s) => n + s.lines, 0), 1200);
  assert.equal(a.totals.requests, 1200);
});

test('a file that vanishes between listing and reading is a counted warning, the rest is read', async () => {
  const dir = join(tmp, 'vanish');
  mkdirSync(dir);
  copyFileSync(join(SAMPLE, 'app.log'), join(dir, 'a-app.log'));
  copyFileSync(join(SAMPLE, 'app.log'), join(dir, 'b-app.log'));
  const warnings: string[] = [];
  let gone = false;
  const out = await runAnalysis({
    ...options([dir]),
    onWarning: (m) => warnings.push(m),
    // Reading the first file: the second is deleted after it was listed and peeked at.
    onProgress: () => {
      if (!gone) unlinkSync(join(dir, 'b-app.log'));
      gone = true;
    },
  });
  assert.ok(out.ok);
  assert.ok(gone);
  const b = out.analysis.sources.find((s) => s.path.endsWith('b-app.log'));
  assert.equal(b?.format, 'unreadable');
  assert.match(b?.warnings[0] ?? '', /^FIVEXX_PATH_NOT_FOUND: no such file/);
  assert.deepEqual(warnings, [`FIVEXX_PATH_NOT_FOUND: ${join(dir, 'b-app.log')}: ${(b?.warnings[0] ?? '').slice('FIVEXX_PATH_NOT_FOUND: '.length)}`]);
  assert.equal(out.analysis.sources.find((s) => s.path.endsWith('a-app.log'))?.lines, 11);
});

test('symbolic links in a directory are followed to their files, each file once, loops cut, broken links counted', async () => {
  const pods = join(tmp, 'pods');
  const containers = join(tmp, 'containers');
  mkdirSync(join(pods, 'shop'), { recursive: true });
  mkdirSync(containers);
  copyFileSync(join(SAMPLE, 'access.log'), join(pods, 'shop', '0.log'));
  copyFileSync(join(SAMPLE, 'app.log'), join(pods, 'shop', '1.log'));
  symlinkSync(join(pods, 'shop', '0.log'), join(containers, 'shop_access.log'));
  symlinkSync(join(pods, 'shop', '1.log'), join(containers, 'shop_app.log'));
  symlinkSync(join(pods, 'shop', '1.log'), join(containers, 'shop_app-again.log'));
  symlinkSync(join(pods, 'gone', '0.log'), join(containers, 'dead_pod.log'));
  symlinkSync(containers, join(containers, 'loop'));
  symlinkSync(pods, join(containers, 'pods'));
  const warnings: string[] = [];
  const out = await runAnalysis({ ...options([containers]), onWarning: (m) => warnings.push(m) });
  assert.ok(out.ok);
  const read = out.analysis.sources.filter((s) => s.format !== 'unreadable');
  // 'pods' (a link to the pods' folder) sorts first: its files are read there, and not again through the other links.
  assert.deepEqual(read.map((s) => [s.path.slice(containers.length + 1), s.lines]), [['pods/shop/0.log', 22], ['pods/shop/1.log', 11]]);
  const direct = await runAnalysis(options([join(containers, 'shop_access.log'), join(containers, 'shop_app.log'), join(containers, 'shop_app-again.log')]));
  assert.ok(direct.ok);
  assert.deepEqual(direct.analysis.sources.map((s) => [s.path.slice(containers.length + 1), s.lines]), [['shop_access.log', 22], ['shop_app.log', 11]]);
  assert.deepEqual(warnings, [`FIVEXX_PATH_NOT_FOUND: ${containers}: 1 broken symbolic link(s) or file(s) gone while listed, skipped`]);
});
