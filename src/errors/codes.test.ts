import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { codeOf, coded, ERROR_CODES, fsErrorCode } from './codes.ts';

test('every code is FIVEXX_ upper case and round-trips through coded()', () => {
  for (const code of Object.keys(ERROR_CODES) as (keyof typeof ERROR_CODES)[]) {
    assert.match(code, /^FIVEXX_[A-Z_]+$/);
    assert.equal(codeOf(coded(code, 'x: y')), code);
  }
  assert.equal(codeOf('FIVEXX_NOT_A_CODE: x'), undefined);
  assert.equal(codeOf('plain text'), undefined);
});

test('file-system errors map to path codes', () => {
  assert.equal(fsErrorCode({ code: 'ENOENT' }), 'FIVEXX_PATH_NOT_FOUND');
  assert.equal(fsErrorCode({ code: 'EACCES' }), 'FIVEXX_PATH_UNREADABLE');
});

test('the codes the contract names exist', () => {
  const contract = readFileSync(new URL('../../docs/contract.md', import.meta.url), 'utf8');
  for (const m of contract.matchAll(/`(FIVEXX_[A-Z_]+)`/g)) assert.ok(m[1] && m[1] in ERROR_CODES, `${m[1]} is in the contract but not in codes.ts`);
});
