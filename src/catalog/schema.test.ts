// The catalog schemas reject unknown keys, bad producers and malformed IDs with the file and line,
// under FIVEXX_CATALOG_INVALID; unknown cause IDs are errors wherever they are written.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { FivexxError } from '../errors/codes.ts';
import { loadMarkers } from '../changes/log-markers.ts';
import { loadCauses, requireCause } from './causes.ts';
import { buildCheckMarks } from './checked.ts';
import { loadFormats } from './formats.ts';
import { CATALOG_DIR } from './paths.ts';
import { validate } from './schema.ts';
import { catalogSchemaJson } from './schema-json.ts';
import { loadTerminationRules } from './termination-states.ts';

/** Asserts that `fn` throws a FivexxError with the catalog code whose message matches `re`. */
function rejects(fn: () => unknown, re: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof FivexxError, `not a FivexxError: ${String(err)}`);
    assert.equal(err.code, 'FIVEXX_CATALOG_INVALID');
    assert.match(err.message, re);
    return true;
  });
}

/** A copy of the catalog's causes in a temporary folder, with one file replaced. */
function causesWith(rel: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-causes-'));
  cpSync(join(CATALOG_DIR, 'causes'), dir, { recursive: true });
  writeFileSync(join(dir, rel), text);
  return dir;
}

const REFUSED = readFileSync(join(CATALOG_DIR, 'causes/upstream/refused.yaml'), 'utf8');

test('every shipped catalog file passes its schema', () => {
  assert.ok(Object.keys(buildCheckMarks()).length > 50);
});

test('an unknown key is rejected with the file, its line and the key', () => {
  const text = REFUSED.replace('specificity: 50\n', 'specificity: 50\n  weight: 3\n');
  const line = text.split('\n').findIndex((l) => l.includes('weight: 3')) + 1;
  rejects(() => loadCauses(causesWith('upstream/refused.yaml', text)), new RegExp(`^upstream/refused\\.yaml:${line}: patterns\\.0: .*"weight"`));
});

test('a producer that does not exist is rejected', () => {
  const text = REFUSED.replace('- producers:\n  - nginx', '- producers:\n  - ngnix');
  rejects(() => loadCauses(causesWith('upstream/refused.yaml', text)), /refused\.yaml:\d+: patterns\.0\.producers\.0: /);
});

test('a malformed id, a layer that does not exist and a bad regex are rejected', () => {
  rejects(() => validate('cause', 'x.yaml', { ...baseCause(), id: 'Upstream.Refused' }), /x\.yaml: id: not a cause id/);
  rejects(() => validate('cause', 'x.yaml', { ...baseCause(), layer: 'network' }), /x\.yaml: layer: /);
  rejects(() => validate('cause', 'x.yaml', { ...baseCause(), patterns: [{ regex: 'a(b' }] }), /patterns\.0\.regex: not a regular expression/);
  rejects(() => validate('format', 'f.yaml', { name: 'f', description: 'd', parser: 'nginx-errors', samples: [] }), /f\.yaml: parser: /);
});

test('an explains list naming an unknown cause fails the load', () => {
  const text = REFUSED.replace('explains: []', 'explains: [upstream.refussed]');
  rejects(() => loadCauses(causesWith('upstream/refused.yaml', text)), /refused\.yaml: unknown cause id 'upstream\.refussed'/);
});

test('requireCause returns a known cause and throws FIVEXX_CATALOG_INVALID for an unknown one', () => {
  const catalog = loadCauses();
  assert.equal(requireCause(catalog, 'upstream.refused').id, 'upstream.refused');
  rejects(() => requireCause(catalog, 'upstream.refussed', 'src/x.ts'), /^src\/x\.ts: unknown cause id 'upstream\.refussed'/);
});

test('a termination rule naming an unknown cause or an unknown key fails the load', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-states-'));
  writeFileSync(join(dir, 'a.yaml'), 'haproxy:\n  - { state: SC, cause: upstream.refusd }\n');
  rejects(() => loadTerminationRules(join(dir, 'a.yaml')), /unknown cause id 'upstream\.refusd'/);
  writeFileSync(join(dir, 'b.yaml'), 'haproxy:\n  - { state: SC, cause: upstream.refused, reason: x }\n');
  rejects(() => loadTerminationRules(join(dir, 'b.yaml')), /b\.yaml:2: haproxy\.0: .*"reason"/);
  writeFileSync(join(dir, 'c.yaml'), 'haproxi:\n  - { state: SC, cause: upstream.refused }\n');
  rejects(() => loadTerminationRules(join(dir, 'c.yaml')), /c\.yaml:2: .*"haproxi"/);
});

test('a change marker of an unknown kind or with an unknown key fails the load', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-markers-'));
  writeFileSync(join(dir, 'a.yaml'), 'markers:\n  - { kind: reboot, producers: [nginx], regex: x, samples: [] }\n');
  rejects(() => loadMarkers(join(dir, 'a.yaml')), /a\.yaml:2: markers\.0\.kind: /);
  writeFileSync(join(dir, 'b.yaml'), 'markers:\n  - { kind: config, producers: [nginx], regex: x, samples: [], note: y }\n');
  rejects(() => loadMarkers(join(dir, 'b.yaml')), /b\.yaml:2: markers\.0: .*"note"/);
});

test('a format with an unknown key or an alsoReads naming nothing fails the load', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-formats-'));
  writeFileSync(join(dir, 'a.yaml'), 'name: a\ndescription: d\nparser: nginx-error\nsamples: []\nproducers: [nginx]\n');
  rejects(() => loadFormats(dir), /a\.yaml:5: .*"producers"/);
  writeFileSync(join(dir, 'a.yaml'), 'name: a\ndescription: d\nparser: alb\nalsoReads: [combined-prefixd]\nsamples: []\n');
  rejects(() => loadFormats(dir), /alsoReads names 'combined-prefixd'/);
});

function baseCause(): Record<string, unknown> {
  return {
    id: 'upstream.x', layer: 'upstream', title: 't', statuses: [502], meaning: 'm', firstCheck: 'f', nextSteps: ['n'],
    references: [], explains: [], patterns: [], samples: { match: [], noMatch: [] },
  };
}

test('docs/catalog-schema.json is the one the schemas generate (run node scripts/catalog-schema.ts)', () => {
  const written = readFileSync(new URL('../../docs/catalog-schema.json', import.meta.url), 'utf8');
  assert.equal(written, catalogSchemaJson());
});
