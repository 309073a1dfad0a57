import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Analysis } from '../events/analysis.ts';
import { fenceFor, renderMarkdown } from './markdown.ts';

test('the evidence fence is longer than any backtick run, and quoted text stays inside it on one line', () => {
  assert.equal(fenceFor(['plain']), '```');
  assert.equal(fenceFor(['a ``` b', '`````x']), '``````');
  const a: Analysis = {
    version: 1, assumedOffsetMinutes: 0, totals: { requests: 1, byStatus: { 500: 1 } },
    sources: [{ path: 'a|b.log', format: 'app-text', lines: 1, unparsed: 0, warnings: [] }],
    incidents: [{
      cause: 'app.exception', layer: 'app', statuses: { 500: 1 }, start: '2026-11-22T20:26:29Z', end: '2026-11-22T20:26:29Z', requests: 1,
      confidence: 0.9, evidence: [{ source: 'a|b.log', line: 1, text: 'boom\n````\n# heading\r\x1b[2Jx' }],
      scope: { paths: [['/a`b', 1]], upstreams: [], hosts: [], share: null }, trigger: null, nextSteps: ['n'], title: 't', meaning: 'm',
      firstCheck: 'f', truncated: 0, statusesInferred: false,
    }],
  };
  const md = renderMarkdown({ ...a, redacted: 2 });
  const lines = md.split('\n');
  assert.ok(lines.includes('a|b.log:1: boom\\n````\\n# heading\\r\\x1b[2Jx'));
  assert.ok(lines.includes('`````'), 'a fence of five backticks');
  assert.ok(!lines.includes('# heading'));
  assert.ok(lines.includes('| `a\\|b.log` | app-text | 1 | 0 |'), 'a | in a path does not split the table');
  assert.ok(lines.includes("- **Scope:** paths: `/a'b` (1)"));
  assert.ok(lines.includes('_2 secret value(s) shown as [REDACTED] (tokens, passwords, cookies); --no-redact shows them._'));
});
