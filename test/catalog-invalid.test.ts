// A broken catalog file stops the command with one line naming the code, the file, the line and the field.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

test('analyze with a cause file holding an unknown key: fivexx: FIVEXX_CATALOG_INVALID: file:line: field, exit 2, JSON error', () => {
  // A copy of the package whose catalog has one bad file (the catalog lives beside src/).
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-badcat-'));
  for (const d of ['src', 'catalog', 'samples']) cpSync(join(ROOT, d), join(dir, d), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  const file = join(dir, 'catalog/causes/upstream/refused.yaml');
  const text = readFileSync(file, 'utf8').replace('specificity: 50\n', 'specificity: 50\n  weigth: 3\n');
  writeFileSync(file, text);
  const line = text.split('\n').findIndex((l) => l.includes('weigth')) + 1;
  const r = spawnSync(process.execPath, [join(dir, 'src/cli/bin.ts'), 'analyze', '--json', join(dir, 'samples/nginx-composite')], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, new RegExp(`^fivexx: FIVEXX_CATALOG_INVALID: upstream/refused\\.yaml:${line}: patterns\\.0: .*"weigth"\\n$`));
  const doc = JSON.parse(r.stdout) as { error: { code: string } };
  assert.equal(doc.error.code, 'FIVEXX_CATALOG_INVALID');
});
