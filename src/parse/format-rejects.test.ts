// The catalog's negative format samples (`rejects:` in catalog/formats/*.yaml): each format refuses its
// rejected lines, and detection reads them as the format named by `detectedAs` (or as no format).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { readCheckedTree } from '../catalog/checked.ts';
import { loadFormats } from '../catalog/formats.ts';
import { CATALOG_DIR } from '../catalog/paths.ts';
import { detectFormat } from './detect.ts';
import { atReference } from './record.ts';

const formats = loadFormats();
const files = readCheckedTree('format', join(CATALOG_DIR, 'formats'));

/** True when `format` reads `text` as an access line or as a record (a record format's start). */
function reads(name: string, text: string): boolean {
  const f = formats.find((x) => x.name === name);
  assert.ok(f, `no format ${name}`);
  if (f.kind === 'access') return f.access.parse(text, 0, 1) !== undefined;
  const p = atReference(f.records, Date.UTC(2026, 0, 1));
  return p.isStart(text) && p.parse(text, 0, 1) !== undefined;
}

for (const y of files) {
  const rejects = y.data.rejects ?? [];
  if (rejects.length === 0) continue;
  test(`format ${y.data.name}: rejected lines are not read, and detection picks the named format`, () => {
    for (const r of rejects) {
      assert.ok(!reads(y.data.name, r.text), `${y.path}: ${y.data.name} reads the rejected line ${r.text.slice(0, 120)}`);
      const got = detectFormat(formats, [r.text]).format?.name ?? 'unknown';
      assert.equal(got, r.detectedAs ?? 'unknown', `${y.path}: detection of ${r.text.slice(0, 120)}`);
    }
  });
}

test('at least one format has negative samples', () => {
  assert.ok(files.some((y) => (y.data.rejects ?? []).length > 0));
});
