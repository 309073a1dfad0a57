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
      const r = spawnSync(process.execPath, ['--test', fileURLToPath(new URL(`../${file}`, import.meta.url))], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, TMPDIR: own } });
      assert.equal(r.status, 0, r.stdout.slice(-2000));
      assert.deepEqual(readdirSync(own), []);
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });
}
