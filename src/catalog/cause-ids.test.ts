// Every cause ID written anywhere (code in src/, docs/causes.md, the catalog's data files) names a
// cause of catalog/causes, and the catalog names no cause that docs/causes.md does not document.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { LAYERS } from '../events/types.ts';
import { causeIdsModule } from './cause-id-list.ts';
import { loadCauses } from './causes.ts';
import { CATALOG_DIR } from './paths.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const catalog = loadCauses();
const ID = `(?:${LAYERS.join('|')})\\.[a-z][a-z_]*`;
/** A whole string literal that looks like a cause ID: 'upstream.refused', "app.crash", `host.disk_full`. */
const LITERAL = new RegExp(`(['"\`])(${ID})\\1`, 'g');
/** A cause ID in YAML text, not part of a longer dotted name (a host name like app.example.com). */
const IN_YAML = new RegExp(`(?<![\\w.-])(${ID})(?![\\w.-])`, 'g');

function files(dir: string, ext: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(ext))
    .map((e) => join(e.parentPath, e.name));
}

/** Every cause-ID-looking literal of the non-test sources, with where it is. */
function causeLiterals(dir: string): { id: string; where: string }[] {
  const out: { id: string; where: string }[] = [];
  for (const f of files(dir, '.ts').filter((p) => !p.endsWith('.test.ts'))) {
    readFileSync(f, 'utf8').split('\n').forEach((line, i) => {
      for (const m of line.matchAll(LITERAL)) out.push({ id: m[2] ?? '', where: `${relative(ROOT, f)}:${i + 1}` });
    });
  }
  return out;
}

test('every cause-ID string literal in src/ names a cause of the catalog', () => {
  // A file of the dashboard's web/ folder ('app.html') looks like an ID of the app layer: not a cause.
  const found = causeLiterals(join(ROOT, 'src')).filter(({ id }) => !existsSync(join(ROOT, 'web', id)));
  assert.ok(found.length > 20, `only ${found.length} cause literals found: the scan is broken`);
  for (const { id, where } of found) assert.ok(catalog.byId.has(id), `${where}: '${id}' is not a cause of catalog/causes`);
});

test('the literal scan finds a misspelt ID', () => {
  const line = "return { causeId: 'upstream.refussed', confidence: 0.5 };";
  const ids = [...line.matchAll(LITERAL)].map((m) => m[2]);
  assert.deepEqual(ids, ['upstream.refussed']);
  assert.ok(!catalog.byId.has(ids[0] ?? ''));
});

test('every cause ID in the catalog\'s data files (responders, termination states) exists', () => {
  const yaml = [...files(join(CATALOG_DIR, 'responders'), '.yaml'), join(CATALOG_DIR, 'termination-states.yaml')];
  let n = 0;
  for (const f of yaml) {
    for (const m of readFileSync(f, 'utf8').replace(/#[^\n]*/g, '').matchAll(IN_YAML)) {
      n++;
      assert.ok(catalog.byId.has(m[1] ?? ''), `${relative(ROOT, f)}: '${m[1] ?? ''}' is not a cause of catalog/causes`);
    }
  }
  assert.ok(n > 20, `only ${n} cause IDs found in the data files`);
});

test('docs/causes.md documents exactly the causes of the catalog', () => {
  const md = readFileSync(join(ROOT, 'docs/causes.md'), 'utf8');
  const ids = new Set([...md.matchAll(/^\| `([a-z]+\.[a-z_]+)` \|/gm)].map((m) => m[1] ?? ''));
  for (const layer of LAYERS) ids.add(`${layer}.unexplained`);
  assert.deepEqual([...ids].sort(), catalog.causes.map((c) => c.id).sort());
});

test('src/catalog/cause-ids.ts lists exactly the causes of the catalog (run node scripts/catalog-schema.ts)', () => {
  assert.equal(readFileSync(join(ROOT, 'src/catalog/cause-ids.ts'), 'utf8'), causeIdsModule(catalog));
});
