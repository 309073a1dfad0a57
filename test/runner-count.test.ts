// npm test's own runner flags: every test of a file is counted (Node.js's --test-force-exit drops the tail of a
// file's report, nodejs/node#64833, which made the suite's count vary from run to run), and a file whose
// leftover handle keeps its process alive fails by name (test/support/exit-watchdog.ts) instead of hanging.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TESTS = 300;

/** The options npm test gives `node --test`, from package.json (everything before the first file glob). */
function runnerFlags(): string[] {
  const script = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.test ?? '';
  const cmd = /node --test (.*?) "/.exec(script)?.[1];
  assert.ok(cmd, `no node --test command in ${script}`);
  return cmd.split(/\s+/);
}

function run(t: TestContext, body: string, env: Record<string, string> = {}): { status: number | null; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-runner-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'x.test.mjs');
  writeFileSync(file, body);
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_TEST_CONTEXT'));
  const r = spawnSync(process.execPath, ['--test', ...runnerFlags(), '--test-reporter=tap', file], { cwd: ROOT, encoding: 'utf8', timeout: 60_000, env: { ...clean, ...env } });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

test(`npm test's runner counts all ${TESTS} quick tests of a file`, (t) => {
  const body = ["import { test } from 'node:test';", ...Array.from({ length: TESTS }, (_, i) => `test('quick test number ${i} with a name of some length', () => {});`)].join('\n');
  const r = run(t, body);
  assert.equal(r.status, 0, r.out.slice(-2000));
  assert.match(r.out, new RegExp(`^# tests ${TESTS}$`, 'm'));
  assert.match(r.out, new RegExp(`^# pass ${TESTS}$`, 'm'));
});

test("npm test's runner fails a file whose leftover handle keeps it alive, naming it", (t) => {
  const r = run(t, "import { test } from 'node:test';\ntest('leaves a timer', () => { setInterval(() => {}, 1000); });\n", { FIVEXX_TEST_EXIT_LIMIT_MS: '1000' });
  assert.notEqual(r.status, 0);
  assert.match(r.out, /exit-watchdog: .*x\.test\.mjs: its tests ended 1 s ago but the process is still alive \(leftover handles: .*Timeout/);
  assert.match(r.out, /^# pass 1$/m, 'the test itself passed and is counted');
});
