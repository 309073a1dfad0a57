import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadCauses } from '../catalog/causes.ts';
import { loadMarkers } from '../changes/log-markers.ts';
import { LiteralIndex, requiredLiterals } from './literals.ts';

test('required literals: what every match must contain, never a part that may be absent', () => {
  assert.deepEqual(requiredLiterals(/connect\(\) failed \(111: Connection refused\)/), ['connect() failed (111: Connection refused)']);
  assert.deepEqual(requiredLiterals(/ab?cdef/), ['cdef']);
  assert.deepEqual(requiredLiterals(/(?:Uncaught )?Error: \d+ x/), ['Error: ']);
  assert.deepEqual(requiredLiterals(/(?:ECONNREFUSED|ETIMEDOUT) \d/), ['ECONNREFUSED', 'ETIMEDOUT']);
  assert.deepEqual(requiredLiterals(/foo bar|baz qux/), ['foo bar', 'baz qux']);
  assert.deepEqual(requiredLiterals(/xy+zzz/), ['zzz']);
  assert.equal(requiredLiterals(/a|bcd/), undefined, 'an alternative without a literal of 3 characters');
  assert.equal(requiredLiterals(/(?:abc)?\d+/), undefined, 'an optional group is not required');
  assert.equal(requiredLiterals(/ABC/i), undefined, 'case-insensitive patterns are tried on every text');
});

test('every cause and marker pattern: each sample it matches holds one of its required literals', () => {
  const checks: { re: RegExp; texts: string[] }[] = [];
  for (const c of loadCauses().causes) for (const p of c.patterns) checks.push({ re: p.regex, texts: c.samples.match.map((s) => s.text) });
  for (const m of loadMarkers()) checks.push({ re: m.regex, texts: m.samples.map((s) => s.text) });
  let proved = 0;
  for (const { re, texts } of checks) {
    const lits = requiredLiterals(re);
    for (const t of texts) {
      if (!re.test(t) || !lits) continue;
      proved++;
      assert.ok(lits.some((l) => t.includes(l)), `${re.source} matches ${t} without any of ${JSON.stringify(lits)}`);
      assert.ok(new LiteralIndex(lits).found(t).size > 0, `the index finds a literal of ${re.source} in ${t}`);
    }
  }
  assert.ok(proved > 50, `samples checked: ${proved}`);
});

test('the literal index finds every occurrence, at any position, and nothing else', () => {
  const idx = new LiteralIndex(['refused', 'timed out', 'réseau', 'abc']);
  assert.deepEqual([...idx.found('connect() failed (111: Connection refused) and timed out')].sort(), ['refused', 'timed out']);
  assert.deepEqual([...idx.found('abc')], ['abc']);
  assert.deepEqual([...idx.found('erreur réseau')], ['réseau']);
  assert.equal(idx.found('ab').size, 0);
  assert.equal(idx.found('nothing to see here').size, 0);
});
