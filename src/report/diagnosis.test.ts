import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Diagnosis } from '../probe/types.ts';
import { renderDiagnosis } from './diagnosis.ts';
import { plain } from './terminal.ts';

test('the diagnose report escapes every text from the URL, the server and errors, and says what it hid', () => {
  const d: Diagnosis = {
    version: 1, url: 'http://127.0.0.1/\x1b]0;t\x07',
    verdict: { layer: 'upstream', cause: 'upstream.refused', status: 502, responder: 'evil\x1b[2J', confidence: 0.9, summary: 's\u202e', nextSteps: ['n\x07'] },
    checks: [{ name: 'http', ok: false, ms: 1, detail: 'ECONNRESET \x9b31m', address: '127.0.0.1', headers: { server: 'x\x1b' }, body: '\x1b]8;;' }],
    visitor: { retryAfterMs: 1000, retryStatus: 502, persistent: true, compared: [{ url: 'http://h/\x1b', ok: false, detail: 'd\x1b' }], advice: ['a\x1b'] },
  };
  const out = renderDiagnosis({ ...d, redacted: 3 }, plain);
  assert.doesNotMatch(out, /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]/);
  for (const shown of ['\\x1b]0;t\\x07', 'evil\\x1b[2J', 's\\u202e', 'ECONNRESET \\x9b31m', 'n\\x07', 'http://h/\\x1b', 'a\\x1b']) assert.ok(out.includes(shown), shown);
  assert.match(out.split('\n')[1] ?? '', /^3 secret value\(s\) shown as \[REDACTED\]/);
});
