import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeControls, escapeDeep, safeJson } from './safe-text.ts';

test('escapeControls makes ESC, OSC, C1, newlines and bidi overrides visible and keeps the rest', () => {
  assert.equal(escapeControls('plain text, tab\tkept'), 'plain text, tab\tkept');
  assert.equal(escapeControls('a\x1b[31mred'), 'a\\x1b[31mred');
  assert.equal(escapeControls('\x1b]0;title\x07'), '\\x1b]0;title\\x07');
  assert.equal(escapeControls('c1\u009bx'), 'c1\\x9bx');
  assert.equal(escapeControls('two\nlines\r'), 'two\\nlines\\r');
  assert.equal(escapeControls('\u202egnp.exe'), '\\u202egnp.exe');
  assert.equal(escapeControls('a\u200fb\u061cc\u2067d'), 'a\\u200fb\\u061cc\\u2067d');
  assert.equal(escapeControls('é ü 漢字'), 'é ü 漢字');
  assert.equal(escapeControls('\x7f'), '\\x7f');
});

test('escapeDeep escapes every string at any depth, keys included, and keeps numbers, nulls and shape', () => {
  const got = escapeDeep({ a: 'x\x1b[2J', n: 3, z: null, list: [['/p\u202e', 2]], h: { 'k\x07': 'v\u200f' } });
  assert.deepEqual(got, { a: 'x\\x1b[2J', n: 3, z: null, list: [['/p\\u202e', 2]], h: { 'k\\x07': 'v\\u200f' } });
});

test('safeJson escapes what JSON.stringify leaves raw, and parses back to the same value', () => {
  const v = { t: 'a\x1b[31m \u009b2J \u202eexe \u2028 \x7f é' };
  const text = safeJson(v);
  assert.doesNotMatch(text, /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u202e]/);
  assert.ok(text.includes('\\u009b2J') && text.includes('\\u202eexe') && text.includes('é'));
  assert.deepEqual(JSON.parse(text), v);
  assert.equal(safeJson({ a: [1, 'x'] }), JSON.stringify({ a: [1, 'x'] }, null, 2));
});
