import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Analysis, Incident } from '../events/analysis.ts';
import { plain, renderTerminal } from './terminal.ts';

const incident: Incident = {
  cause: 'app.crash', layer: 'app', statuses: { '502': 21 }, start: '2026-11-27T16:25:12Z', end: '2026-11-27T16:25:23Z', requests: 21, confidence: 0.95,
  evidence: [{ source: 'app.log', line: 23, text: 'Node.js v24.21.0', placement: 'inferred' }, { source: 'error.log', line: 1, text: 'upstream prematurely closed connection' }],
  scope: { paths: [], upstreams: [], hosts: [], share: null }, trigger: null, nextSteps: [], title: 'The app process or a worker died while serving',
  meaning: 'm', firstCheck: 'f', truncated: 0, statusesInferred: false,
  symptoms: [{ cause: 'upstream.refused', requests: 18 }, { cause: 'upstream.premature_close', requests: 3 }],
  lifecycle: { crashes: 3, restarts: 3, placement: 'inferred' },
};
const analysis: Analysis = { version: 1, sources: [], totals: { requests: 45, byStatus: { '502': 21 } }, incidents: [incident], assumedOffsetMinutes: 0 };

test('the terminal report says the crash loop, the symptoms and which lines were placed by order', () => {
  const text = renderTerminal(analysis, plain);
  assert.match(text, /Lifecycle: {3}a crash-restart loop: the process died 3 time\(s\) and restarted 3 \(its output has no times: placed by order/);
  assert.match(text, /Symptoms: {4}upstream\.refused ×18, upstream\.premature_close ×3 \(consequences of the root cause\)/);
  assert.match(text, /app\.log:23 {2}Node\.js v24\.21\.0 {2}\(no time: placed by order\)/);
  assert.doesNotMatch(text, /error\.log:1 .*placed by order/);
  const plainIncident = renderTerminal({ ...analysis, incidents: [{ ...incident, symptoms: undefined, lifecycle: undefined }] }, plain);
  assert.doesNotMatch(plainIncident, /Lifecycle|Symptoms/);
});
