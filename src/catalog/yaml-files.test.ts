import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { FivexxError } from '../errors/codes.ts';
import { CATALOG_DIR } from './paths.ts';
import { buildYamlCache, parseYaml, readYamlFile, yamlKey } from './yaml-files.ts';

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.yaml'))
    .map((e) => join(e.parentPath, e.name));
}

test('the build cache holds every catalog file, each equal to its parse', () => {
  const { cache, files, left } = buildYamlCache(CATALOG_DIR);
  const all = yamlFiles(CATALOG_DIR);
  assert.ok(all.length > 50);
  assert.equal(files, all.length);
  assert.deepEqual(left, []);
  for (const p of all) {
    const text = readFileSync(p, 'utf8');
    assert.deepEqual(cache[yamlKey(text)], parseYaml(text), p);
  }
});

test('a built dist/yaml-cache.json agrees with the parser wherever it has a file', (t) => {
  const url = new URL('../../dist/yaml-cache.json', import.meta.url);
  if (!existsSync(url)) return t.skip('not built (npm ci builds it)');
  const cache = JSON.parse(readFileSync(url, 'utf8')) as Record<string, unknown>;
  let hits = 0;
  for (const p of yamlFiles(CATALOG_DIR)) {
    const text = readFileSync(p, 'utf8');
    if (!Object.hasOwn(cache, yamlKey(text))) continue;
    hits++;
    assert.deepEqual(cache[yamlKey(text)], parseYaml(text), p);
  }
  assert.ok(hits > 0, 'the cache matches no catalog file');
});

test('a file not in the cache is parsed; YAML that JSON cannot hold is left to the parser', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-yaml-'));
  writeFileSync(join(dir, 'a.yaml'), 'id: x.y\npatterns: [a, "b"]\nweight: .inf\n');
  assert.deepEqual(readYamlFile(join(dir, 'a.yaml')), { id: 'x.y', patterns: ['a', 'b'], weight: Infinity });
  const { cache, files, left } = buildYamlCache(dir);
  assert.equal(files, 1);
  assert.deepEqual(left, ['a.yaml']);
  assert.deepEqual(cache, {});
});

test('a catalog file that is not valid YAML is FIVEXX_CATALOG_INVALID with its line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-yaml-'));
  writeFileSync(join(dir, 'bad.yaml'), 'id: x.y\npatterns: [a, "b"\nweight: 1\n');
  assert.throws(() => readYamlFile(join(dir, 'bad.yaml')), (err: unknown) => {
    assert.ok(err instanceof FivexxError);
    assert.equal(err.code, 'FIVEXX_CATALOG_INVALID');
    assert.match(err.message, /bad\.yaml:\d+: not valid YAML: /);
    return true;
  });
});
