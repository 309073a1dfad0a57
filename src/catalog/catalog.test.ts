// Every cause and format in the catalog proves itself: samples classify as declared, ids follow causes.md,
// and every regex is safe from catastrophic backtracking.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildClassifier } from '../classify/classify.ts';
import { loadMarkers, markerOf } from '../changes/log-markers.ts';
import { loadCauses } from './causes.ts';
import { loadFormats } from './formats.ts';
import { parseSample } from './parse-sample.ts';
import { nestedQuantifier, worstCaseMs } from './regex-safety.ts';

const catalog = loadCauses();
const formats = loadFormats();
const classifier = buildClassifier(catalog);
const SHARED_DIR = fileURLToPath(new URL('../../../shared/', import.meta.url));
const DOCS_DIR = fileURLToPath(new URL('../../docs/', import.meta.url));

test('docs/causes.md and docs/contract.md are exact copies of shared/ when shared/ is beside the repository', (t) => {
  if (!existsSync(SHARED_DIR)) return t.skip('shared/ is not beside the repository');
  for (const f of ['causes.md', 'contract.md']) {
    assert.equal(readFileSync(DOCS_DIR + f, 'utf8'), readFileSync(SHARED_DIR + f, 'utf8'), `docs/${f} differs from shared/${f}: copy it again`);
  }
});

test('every cause id of causes.md has a file, and every file names an id causes.md knows', () => {
  const md = readFileSync(existsSync(SHARED_DIR + 'causes.md') ? SHARED_DIR + 'causes.md' : DOCS_DIR + 'causes.md', 'utf8');
  const ids = new Set([...md.matchAll(/^\| `([a-z]+\.[a-z_]+)` \|/gm)].map((m) => m[1] ?? ''));
  const layers = [...md.matchAll(/^\| `([a-z]+)` \| /gm)].map((m) => m[1] ?? '');
  for (const l of layers) ids.add(`${l}.unexplained`);
  assert.ok(ids.size > 30, 'causes.md should list the causes');
  for (const id of ids) assert.ok(catalog.byId.has(id), `causes.md names ${id} but the catalog has no file for it`);
  for (const c of catalog.causes) assert.ok(ids.has(c.id), `${c.file}: ${c.id} is not in causes.md`);
});

for (const cause of catalog.causes) {
  test(`cause ${cause.id}: samples classify as declared`, () => {
    assert.ok(cause.samples.noMatch.length > 0, `${cause.file}: needs at least one sample that must not match`);
    assert.ok(cause.nextSteps.length > 0 && cause.meaning && cause.firstCheck, `${cause.file}: needs meaning, first check and next steps`);
    if (cause.patterns.some((p) => !p.unverified)) assert.ok(cause.samples.match.length > 0, `${cause.file}: verified patterns need samples`);
    const hits = new Set<RegExp>();
    for (const s of cause.samples.match) {
      const r = parseSample(formats, s.format, s.text);
      assert.ok(typeof r !== 'string' && r.kind === 'log', `${cause.file}: ${typeof r === 'string' ? r : 'not a log record'}`);
      const got = classifier.classify(r);
      assert.equal(got?.cause.id, cause.id, `${cause.file}: sample classified as ${got?.cause.id ?? 'nothing'}: ${s.text.slice(0, 160)}`);
      for (const p of cause.patterns) if (p.regex.test(r.message)) hits.add(p.regex);
    }
    for (const s of cause.samples.noMatch) {
      const r = parseSample(formats, s.format, s.text);
      assert.ok(typeof r !== 'string' && r.kind === 'log', `${cause.file}: ${typeof r === 'string' ? r : 'not a log record'}`);
      assert.notEqual(classifier.classify(r)?.cause.id, cause.id, `${cause.file}: must not match: ${s.text.slice(0, 160)}`);
    }
    for (const p of cause.patterns) {
      if (p.unverified) assert.ok(!hits.has(p.regex), `${cause.file}: /${p.regex.source}/ has a sample now: drop 'unverified'`);
      else assert.ok(hits.has(p.regex), `${cause.file}: /${p.regex.source}/ matches none of the samples (mark it unverified or add one)`);
    }
  });
}

test('change markers recognise their real sample lines', () => {
  for (const m of loadMarkers()) {
    for (const s of m.samples) {
      const r = parseSample(formats, s.format, s.text);
      assert.ok(typeof r !== 'string' && r.kind === 'log', `change-markers.yaml: ${typeof r === 'string' ? r : 'not a record'}`);
      assert.equal(markerOf([m], r, 'x')?.kind, m.kind, `change-markers.yaml: /${m.regex.source}/ misses ${s.text}`);
    }
  }
});

test('explains lists name existing causes', () => {
  for (const c of catalog.causes) for (const e of c.explains) assert.ok(catalog.byId.has(e), `${c.file}: explains unknown ${e}`);
});

test('every catalog regex is safe from catastrophic backtracking', () => {
  const regexes = [...catalog.causes.flatMap((c) => c.patterns.map((p) => ({ where: c.file, re: p.regex }))),
    ...loadMarkers().map((m) => ({ where: 'change-markers.yaml', re: m.regex }))];
  for (const { where, re } of regexes) {
    assert.ok(!nestedQuantifier(re.source), `${where}: /${re.source}/ nests an unbounded quantifier in a repeated group`);
    const ms = worstCaseMs(re);
    assert.ok(ms < 100, `${where}: /${re.source}/ took ${ms.toFixed(1)} ms on a 50 KB adversarial input`);
  }
});

test('the safety check itself flags a catastrophic regex', () => {
  assert.ok(nestedQuantifier('(a+)+$'));
  assert.ok(nestedQuantifier('(?:x\\d*y)*z'));
  assert.ok(!nestedQuantifier('connect\\(\\) (?:to \\S{1,400} )?failed'));
});

for (const f of formats) {
  test(`format ${f.name}: samples parse to the declared fields`, () => {
    for (const s of f.samples) {
      const r = parseSample(formats, f.name, s.text);
      assert.ok(typeof r !== 'string', `${f.name}: ${typeof r === 'string' ? r : 'unreadable'}: ${s.text.slice(0, 120)}`);
      for (const [k, want] of Object.entries(s.fields)) {
        let got: unknown = (r as unknown as Record<string, unknown>)[k];
        if (k === 'time') got = Number.isNaN(got) ? null : new Date(got as number).toISOString().replace('.000Z', 'Z');
        assert.deepEqual(got, want, `${f.name}: field ${k} of ${s.text.slice(0, 100)}`);
      }
    }
  });
}
