import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadCauses } from '../catalog/causes.ts';
import { loadMarkers } from '../changes/log-markers.ts';
import { ByteScreen, LiteralIndex, requiredLiterals } from './literals.ts';

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

test('the byte screen, keyed by guess or tuned to a sample of the log, finds each literal at every offset', () => {
  const literals = ['ddress already in use', 'upstream sent ', 'ENOSPC', 'psycopg', 'abc', 'no live upstreams', 'réseau'];
  const filler = 'an upstream response is buffered to a temporary file while reading upstream, already reading ';
  const plain = new ByteScreen(literals);
  // A sample full of the literals' common trigrams: tuning must move the keys, never lose a literal.
  const tuned = plain.tunedTo(Buffer.from(filler.repeat(200) + 'ddress already in use '.repeat(50)));
  for (const screen of [plain, tuned]) {
    const quiet = Buffer.from(filler.repeat(3));
    assert.equal(screen.any(quiet, 0, quiet.length), false);
    for (const lit of literals) {
      for (let at = 0; at < 12; at++) {
        const b = Buffer.from(filler.slice(0, at) + lit + filler.slice(at));
        const start = Buffer.byteLength(filler.slice(0, at));
        assert.ok(screen.any(b, 0, b.length), `${lit} at ${at}`);
        // Exactly the literal's bytes: found; one byte short on either side: not.
        const len = Buffer.byteLength(lit);
        assert.ok(screen.any(b, start, start + len), `${lit} alone at ${at}`);
        assert.equal(screen.any(b, start + 1, start + len), false, `${lit} cut at the front, at ${at}`);
        assert.equal(screen.any(b, start, start + len - 1), false, `${lit} cut at the back, at ${at}`);
      }
    }
  }
});
