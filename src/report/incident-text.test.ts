import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IncidentReport } from '../incident/types.ts';
import { renderIncident } from './incident-text.ts';
import { plain } from './terminal.ts';

test('the terminal report: eight numbered steps, looked/could-not-see lines, text from logs escaped', () => {
  const evil = 'GET /\u001b]0;pwned\u0007 HTTP/1.1';
  const r: IncidentReport = {
    version: 1, verdict: null, postmortem: '# Post-mortem (draft)\n',
    steps: [
      { step: 'identify', found: { verdict: { cause: 'upstream.refused', layer: 'upstream', title: 't', statuses: { 502: 3 }, start: 'S', end: 'E', evidence: [{ source: 'e.log', line: 1, text: evil }] }, probe: null }, looked: ['e.log'], unavailable: [{ what: 'a live probe', reason: 'no --url given' }] },
      { step: 'scope', found: null, looked: [], unavailable: [] },
      { step: 'changes', found: { window: { from: 'F', to: 'T' }, deploy: null, files: [], apt: [], deployLog: [], trigger: null }, looked: [], unavailable: [] },
      { step: 'logs', found: { analyzed: [], onHost: [], journal: { lines: [`kernel: ${evil}`], truncated: false } }, looked: [], unavailable: [] },
      { step: 'health', found: { resources: { load: null, memory: null, swap: null, fileHandles: null }, disks: [], listening: { listeners: [], upstreams: [{ upstream: '127.0.0.1:3000', listening: false, detail: 'nothing listens' }] }, processes: [], services: [] }, looked: [], unavailable: [{ what: '/proc/1/fd', reason: 'permission denied' }] },
      { step: 'rollback', found: { plan: null, others: [] }, looked: [], unavailable: [] },
      { step: 'communicate', found: { statusPage: `s ${evil}`, customer: 'c' }, looked: [], unavailable: [] },
      { step: 'document', found: {}, looked: [], unavailable: [] },
    ],
  };
  const out = renderIncident(r, plain);
  assert.deepEqual([...out.matchAll(/^(\d)\. /gm)].map((m) => m[1]), ['1', '2', '3', '4', '5', '6', '7', '8']);
  assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f]/.test(out), 'no raw control character');
  assert.equal(out.split('\\x1b]0;pwned\\x07').length - 1, 3);
  assert.match(out, /could not see: a live probe \(no --url given\)/);
  assert.match(out, /upstream 127\.0\.0\.1:3000: NOT LISTENING/);
  assert.match(out, /could not see: \/proc\/1\/fd \(permission denied\)/);
});
