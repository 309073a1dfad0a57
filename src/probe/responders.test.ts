// Every responder's samples are attributed to the expected responder and read as the expected cause.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { CATALOG_DIR } from '../catalog/paths.ts';
import { fingerprint, loadResponders, responderVerdict } from './responders.ts';

interface Sample {
  status: number;
  headers: Record<string, string>;
  body: string;
  expect: { responder: string; cause: string };
}

for (const r of loadResponders()) {
  const data = parse(readFileSync(join(CATALOG_DIR, 'responders', `${r.id}.yaml`), 'utf8')) as { samples?: Sample[] };
  for (const s of data.samples ?? []) {
    test(`responder ${r.id}: a ${s.status} is read as ${s.expect.responder} / ${s.expect.cause}`, () => {
      const res = { status: s.status, headers: s.headers, body: s.body };
      const fp = fingerprint(res);
      assert.equal(fp.responder, s.expect.responder);
      assert.equal(responderVerdict(fp.responder, res)?.cause, s.expect.cause);
    });
  }
}

test('a 500 relayed through nginx with the app\'s own body is the app\'s', () => {
  const fp = fingerprint({ status: 500, headers: { server: 'nginx/1.22.1' }, body: 'Internal Server Error' });
  assert.equal(fp.responder, 'app');
  assert.deepEqual(fp.via, ['nginx']);
});
