// The README's two commands on a machine whose own Node.js is older than 24: the package brings Node.js 24
// (its `node` dependency), the launcher bin/fivexx.js runs on it, and a clone that is not built says so in
// one line instead of failing in npm (a failed prepare under npx leaves a broken npx cache entry).
// scripts/check-quick-start.sh runs the quick start itself in a fresh clone (.ci/run does).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ERROR_CODES } from '../src/errors/codes.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const LAUNCHER = join(ROOT, 'bin', 'fivexx.js');
const SAMPLE = join(ROOT, 'samples', 'nginx-composite');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  bin: Record<string, string>; dependencies: Record<string, string>; engines: { node: string }; allowScripts?: Record<string, boolean>; scripts: Record<string, string>;
};

/** A Node.js older than 24 on this machine (Debian's /usr/bin/node is 20), if any. */
function oldNode(): string | undefined {
  for (const n of ['/usr/bin/node', '/usr/local/bin/node']) {
    const v = spawnSync(n, ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? '';
    if (/^v(\d+)\./.test(v) && Number(/^v(\d+)/.exec(v)?.[1]) < 24) return n;
  }
  return undefined;
}

/** A folder holding only the given repository files, at the same relative paths. */
function partialCopy(files: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-fresh-'));
  for (const f of files) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    copyFileSync(join(ROOT, f), join(dir, f));
  }
  return dir;
}

test('package.json: Node.js 24 is a dependency whose install script is approved; engines do not stop an older npm ci', () => {
  assert.equal(pkg.bin.fivexx, 'bin/fivexx.js');
  assert.match(pkg.dependencies.node ?? '', /^\^24\./);
  assert.equal(pkg.allowScripts?.node, true, 'the node package needs its preinstall (it fetches the platform binary)');
  assert.ok(!/24/.test(pkg.engines.node), `engines.node ${pkg.engines.node} would refuse the Node.js that runs npm ci`);
  assert.equal(pkg.scripts.prepare, 'node scripts/prepare.js');
  assert.ok((statSync(LAUNCHER).mode & 0o111) !== 0, 'bin/fivexx.js is executable');
  const staged = spawnSync('git', ['-C', ROOT, 'ls-files', '-s', 'bin/fivexx.js'], { encoding: 'utf8' });
  if (staged.status === 0 && staged.stdout) assert.match(staged.stdout, /^100755 /, 'git keeps the executable bit for a fresh clone');
  assert.ok('FIVEXX_NOT_BUILT' in ERROR_CODES && 'FIVEXX_NODE_VERSION' in ERROR_CODES);
});

test('npm ci gave node_modules/.bin/node 24, and the launcher on it gives what the build gives', (t) => {
  const node = join(ROOT, 'node_modules', '.bin', 'node');
  if (!existsSync(node)) return t.skip('node_modules/.bin/node is absent (npm ci installs it)');
  assert.match(spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout, /^v24\./);
  if (!existsSync(join(ROOT, 'dist', 'cli', 'bin.js'))) return t.skip('not built (npm ci builds it)');
  const direct = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli', 'bin.js'), 'analyze', '--json', SAMPLE], { encoding: 'utf8', timeout: 60_000 });
  const launched = spawnSync(node, [LAUNCHER, 'analyze', '--json', SAMPLE], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(direct.status, 1);
  assert.equal(launched.status, 1);
  assert.equal(launched.stdout, direct.stdout);
});

test('on an older Node.js the launcher starts the package\'s Node.js 24 and gives the same report and exit status', (t) => {
  const old = oldNode();
  if (!old) return t.skip('no Node.js older than 24 on this machine');
  if (!existsSync(join(ROOT, 'node_modules', 'node', 'bin', 'node')) || !existsSync(join(ROOT, 'dist', 'cli', 'bin.js'))) return t.skip('not installed and built (npm ci)');
  const onOld = spawnSync(old, [LAUNCHER, 'analyze', '--json', SAMPLE], { encoding: 'utf8', timeout: 60_000 });
  const onNew = spawnSync(process.execPath, [LAUNCHER, 'analyze', '--json', SAMPLE], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(onOld.status, 1, onOld.stderr);
  assert.equal(onOld.stdout, onNew.stdout);
  const usage = spawnSync(old, [LAUNCHER, 'analyze', '--bogus'], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(usage.status, 2, 'exit codes pass through');
  assert.match(usage.stderr, /^fivexx: FIVEXX_USAGE: /);
});

test('a clone npm ci has not built: the command says so in one line and exits 2', () => {
  const dir = partialCopy(['bin/fivexx.js', 'package.json']);
  try {
    const r = spawnSync(process.execPath, [join(dir, 'bin', 'fivexx.js'), 'analyze', SAMPLE], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^fivexx: FIVEXX_NOT_BUILT: fivexx is not built \(no .*dist\/cli\/bin\.js\): run `npm ci` in \S+\n$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an older Node.js without the node dependency: one line saying to run npm ci', (t) => {
  const old = oldNode();
  if (!old) return t.skip('no Node.js older than 24 on this machine');
  const dir = partialCopy(['bin/fivexx.js', 'package.json']);
  try {
    mkdirSync(join(dir, 'dist', 'cli'), { recursive: true });
    copyFileSync(join(ROOT, 'package.json'), join(dir, 'dist', 'cli', 'bin.js'));
    const r = spawnSync(old, [join(dir, 'bin', 'fivexx.js'), '--version'], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^fivexx: FIVEXX_NODE_VERSION: fivexx needs Node\.js 24, this is v\d+\.\S+ and the package's `node` dependency is missing: run `npm ci` in \S+\n$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('prepare without node_modules: fails npm ci with one line, but lets npx keep a whole cache entry', () => {
  const dir = partialCopy(['scripts/prepare.js', 'package.json']);
  try {
    const run = (command: string): { status: number | null; stderr: string } =>
      spawnSync(process.execPath, [join(dir, 'scripts', 'prepare.js')], { encoding: 'utf8', env: { ...process.env, npm_command: command }, timeout: 30_000 });
    const ci = run('ci');
    assert.equal(ci.status, 1);
    assert.match(ci.stderr, /^fivexx: FIVEXX_NOT_BUILT: building fivexx needs Node\.js 24 and the dev dependencies \(this is Node\.js v\d+\S*, without node_modules\): run `npm ci` in \S+, which installs both\n$/);
    const npx = run('exec');
    assert.equal(npx.status, 0, 'under npx a failed prepare would leave a broken entry in the npx cache');
    assert.equal(npx.stderr, ci.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
