// Test files clean up after themselves: run with a temporary folder of their own, they leave it empty.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

for (const file of ['test/bad-input.test.ts', 'src/sources/read-lines.test.ts']) {
  test(`${file} leaves no folder in the temporary folder`, () => {
    const own = mkdtempSync(join(tmpdir(), 'fivexx-tmp-'));
    try {
      // Run as a plain script: without the parent runner's NODE_TEST_CONTEXT, which would make it report to us instead of running.
      const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_TEST_CONTEXT'));
      const r = spawnSync(process.execPath, [fileURLToPath(new URL(`../${file}`, import.meta.url))], { encoding: 'utf8', timeout: 120_000, env: { ...env, TMPDIR: own } });
      assert.equal(r.status, 0, r.stdout.slice(-2000));
      assert.deepEqual(readdirSync(own), []);
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });
}
