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

test('the Markdown report says the crash loop, the symptoms and which lines were placed by order', () => {
  const a: Analysis = {
    version: 1, assumedOffsetMinutes: 0, totals: { requests: 45, byStatus: { 502: 21 } }, sources: [],
    incidents: [{
      cause: 'app.crash', layer: 'app', statuses: { 502: 21 }, start: '2026-11-27T16:25:12Z', end: '2026-11-27T16:25:23Z', requests: 21, confidence: 0.95,
      evidence: [{ source: 'app.log', line: 23, text: 'Node.js v24.21.0', placement: 'inferred' }, { source: 'error.log', line: 1, text: 'upstream prematurely closed connection' }],
      scope: { paths: [], upstreams: [], hosts: [], share: null }, trigger: null, nextSteps: [], title: 'The app process or a worker died while serving',
      meaning: 'm', firstCheck: 'f', truncated: 0, statusesInferred: false,
      symptoms: [{ cause: 'upstream.refused', requests: 18 }],
      lifecycle: { crashes: 3, restarts: 3, placement: 'inferred' },
    }],
  };
  const md = renderMarkdown(a);
  assert.match(md, /- \*\*Lifecycle:\*\* a crash-restart loop: the process died 3 time\(s\) and restarted 3 \(its output has no times/);
  assert.match(md, /- \*\*Symptoms:\*\* `upstream\.refused` ×18 \(consequences of the root cause\)/);
  assert.match(md, /app\.log:23: Node\.js v24\.21\.0 {2}\(no time: placed by order\)/);
  assert.doesNotMatch(md, /error\.log:1: .*placed by order/);
});
