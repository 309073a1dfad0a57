// Every responder file's samples, positive and negative, are named as they expect (author, relays, cause),
// and the files are validated: an unknown key is refused with FIVEXX_CATALOG_INVALID.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadCauses } from '../catalog/causes.ts';
import { responderOf } from './responder-catalog.ts';
import { responderSamples } from './responder-samples.ts';
import { fingerprint, loadResponders } from './responders.ts';
import { fromResponse } from './verdict.ts';

const ISSUE_17 = ['openresty', 'tengine', 'vercel', 'elb-classic', 'iis', 'kong', 'railway', 'cloudrun', 'netlify', 'fly', 'render', 'cloudflare', 'akamai', 'fastly', 'gfe', 'azure'];

for (const s of responderSamples()) {
  test(`${s.file}: a ${s.status} ${s.note ? `(${s.note.slice(0, 60)}) ` : ''}is drawn by ${s.expect.responder}`, () => {
    const fp = fingerprint({ status: s.status, reason: s.reason ?? '', headers: s.headers, body: s.body });
    assert.equal(fp.responder, s.expect.responder, fp.signs.join('; '));
    if (s.expect.not) assert.notEqual(fp.responder, s.expect.not);
    assert.deepEqual(fp.via, s.expect.relays ?? fp.via);
    if (s.expect.cause) {
      const v = fromResponse(loadCauses(), { name: 'http', ok: false, ms: 1, status: s.status, reason: s.reason ?? '', headers: { ...s.headers }, body: s.body }, undefined, '');
      assert.equal(v.cause, s.expect.cause);
    }
  });
}

test('every responder the issue names has a file, a meaning for both readers, and positive and negative samples', () => {
  const ids = new Set(loadResponders().map((r) => r.id));
  for (const id of ISSUE_17) assert.ok(ids.has(id), `${id} has a responder file`);
  const all = responderSamples();
  for (const r of loadResponders()) {
    assert.ok(r.meaning.visitor.length > 20 && r.meaning.operator.length > 20, `${r.id}: meaning`);
    const mine = all.filter((s) => s.file.endsWith(`/${r.id}.yaml`));
    assert.ok(mine.some((s) => s.expect.responder === r.id || (r.kind === 'app' && s.expect.responder === 'app')), `${r.id}: a positive sample`);
  }
  const negatives = all.filter((s) => s.expect.not !== undefined || s.expect.responder === 'unknown');
  assert.ok(negatives.length >= 20, `negative samples: ${negatives.length}`);
});

test('an unknown key, a bad role or an unsafe regex in a responder file is refused with the file and field named', () => {
  const base = { id: 'x', name: 'X', kind: 'gateway', meaning: { visitor: 'v', operator: 'o' }, signs: [{ body: 'x', weight: 3 }] };
  assert.doesNotThrow(() => responderOf('x.yaml', base));
  assert.throws(() => responderOf('x.yaml', { ...base, match: [] }), { code: 'FIVEXX_CATALOG_INVALID', message: /x\.yaml: unknown key 'match'/ });
  assert.throws(() => responderOf('x.yaml', { ...base, signs: [{ body: 'x', weight: 3, hedaer: 'server' }] }), /signs\[0\]: unknown key 'hedaer'/);
  assert.throws(() => responderOf('x.yaml', { ...base, signs: [{ body: 'x', weight: 3, role: 'owner' }] }), /'role' must be/);
  assert.throws(() => responderOf('x.yaml', { ...base, signs: [{ body: '(a+)+$', weight: 3 }] }), /catastrophic/);
  assert.throws(() => responderOf('x.yaml', { ...base, kind: 'cdn' }), /'kind' must be/);
});

test('nothing proves anything: an unsigned page is "unknown", never a guess', () => {
  for (const body of ['', 'Internal Server Error', '<html><body>oops</body></html>', '{"error":"x"}']) {
    assert.equal(fingerprint({ status: 500, headers: {}, body }).responder, 'unknown', body);
  }
});

test('the README lists every responder with the sign it is known by', async () => {
  const { readFileSync } = await import('node:fs');
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  for (const r of loadResponders()) {
    if (r.kind === 'app') continue;
    assert.match(readme, new RegExp(`^\\| \`${r.id}\` \\| .{10,}`, 'm'), `${r.id} in the README's responder table`);
  }
});

test('every responder regex runs in linear time on long adversarial input (2 KiB bodies are read, 50 KB tried)', async () => {
  const { worstCaseMs } = await import('../catalog/regex-safety.ts');
  for (const r of loadResponders()) {
    for (const s of r.signs) {
      // The better of two runs: a catastrophic regex is slow both times, a busy machine only once.
      for (const re of [s.body, s.regex, s.reason]) if (re) assert.ok(Math.min(worstCaseMs(re), worstCaseMs(re)) < 100, `${r.id}: /${re.source}/`);
    }
  }
});
