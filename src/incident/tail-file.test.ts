import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { tailFile } from './tail-file.ts';

test('tailFile: the whole file when small, else the last bytes from a line start', async () => {
  const p = join(mkdtempSync(join(tmpdir(), 'fivexx-tail-')), 'h.log');
  writeFileSync(p, 'first line\nsecond line\nthird\n');
  assert.equal(await tailFile(p, 1000), 'first line\nsecond line\nthird\n');
  assert.equal(await tailFile(p, 10), 'third\n');
  await assert.rejects(tailFile(`${p}.missing`, 10), { code: 'ENOENT' });
});
