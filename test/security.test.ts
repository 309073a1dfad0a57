// Hostile input and hostile neighbours: a compile cache planted by another user, escape bytes and secrets in logs,
// a server that sets cookies and a URL that holds a password. Each runs the real command as a process.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const BIN = join(ROOT, 'src/cli/bin.ts');
const tmp = mkdtempSync(join(tmpdir(), 'fivexx-sec-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

interface Ran {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs `node bin …` as a child process (asynchronously: a test's own server keeps answering meanwhile). */
function runNode(bin: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { env, encoding: 'utf8', timeout: 60_000, maxBuffer: 16 << 20 }, (err, out, errText) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
      resolve({ code, out, err: errText });
    });
  });
}

/** Every file under `dir` with its size and modification time, to prove nothing was written there. */
function snapshot(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort().map((f) => {
    const st = statSync(join(dir, f));
    return `${f} ${st.size} ${st.mtimeMs} ${st.uid}`;
  });
}

const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;

test('a compile cache planted in the temp folder by another user is neither loaded nor written', { skip: asRoot ? false : 'needs root to plant a folder owned by another user (nobody)' }, async () => {
  const dir = mkdtempSync(join(tmp, 'cache-'));
  chmodSync(dir, 0o755);
  const pkg = join(dir, 'pkg');
  cpSync(join(ROOT, 'src'), join(pkg, 'src'), { recursive: true, filter: (p) => !p.endsWith('.test.ts') });
  cpSync(join(ROOT, 'package.json'), join(pkg, 'package.json'));
  const bin = join(pkg, 'src/cli/bin.ts');
  const home = join(dir, 'home');
  mkdirSync(home, { mode: 0o700 });
  const env = { ...process.env, TMPDIR: dir, HOME: home, XDG_CACHE_HOME: '', NODE_COMPILE_CACHE: '' };
  delete env.NODE_COMPILE_CACHE;
  delete env.XDG_CACHE_HOME;

  // The attacker's bytecode: the same file compiled with one string changed (same length), its header
  // made to claim the original source, as anyone who can read the package can do.
  const mainTs = join(pkg, 'src/cli/main.ts');
  const original = readFileSync(mainTs, 'utf8');
  assert.ok(original.includes('find 5xx incidents'), 'the help text the attack changes');
  await runNode(bin, ['help'], { ...env, NODE_COMPILE_CACHE: join(dir, 'a') });
  writeFileSync(mainTs, original.replace('find 5xx incidents', 'PWND 5xx incidents'));
  await runNode(bin, ['help'], { ...env, NODE_COMPILE_CACHE: join(dir, 'b') });
  writeFileSync(mainTs, original);
  const [sub] = readdirSync(join(dir, 'b'));
  assert.ok(sub, 'node wrote a compile cache');
  const planted = join(dir, 'node-compile-cache');
  mkdirSync(join(planted, sub), { recursive: true });
  for (const f of readdirSync(join(dir, 'b', sub))) {
    const forged = readFileSync(join(dir, 'b', sub, f));
    const honest = join(dir, 'a', sub, f);
    if (existsSync(honest)) readFileSync(honest).copy(forged, 12, 12, 16);
    writeFileSync(join(planted, sub, f), forged, { mode: 0o644 });
    chownSync(join(planted, sub, f), NOBODY, NOBODY);
  }
  for (const d of [planted, join(planted, sub)]) {
    chownSync(d, NOBODY, NOBODY);
    chmodSync(d, 0o777);
  }
  const before = snapshot(planted);

  const r = await runNode(bin, ['help'], env);
  assert.equal(r.code, 0, r.err);
  assert.doesNotMatch(r.out, /PWND/, 'the planted bytecode ran');
  assert.match(r.out, /find 5xx incidents/);
  assert.deepEqual(snapshot(planted), before, 'fivexx wrote into a folder another user owns');
  const own = join(home, '.cache', 'fivexx');
  assert.equal(statSync(own).mode & 0o777, 0o700, 'its own cache folder is private');
  assert.equal(statSync(own).uid, 0);
});
