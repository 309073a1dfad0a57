import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Analysis, Incident } from '../events/analysis.ts';
import type { Diagnosis } from '../probe/types.ts';
import { redactAnalysis, redactDiagnosis } from './redact-report.ts';

const R = '[REDACTED]';

function incident(over: Partial<Incident>): Incident {
  return {
    cause: 'upstream.refused', layer: 'upstream', statuses: { 502: 3 }, start: '2026-11-22T20:26:29Z', end: '2026-11-22T20:26:29Z',
    requests: 3, confidence: 0.95, evidence: [], scope: { paths: [], upstreams: [], hosts: [], share: null }, trigger: null,
    nextSteps: [], title: 't', meaning: 'm', firstCheck: 'f', truncated: 0, statusesInferred: false, ...over,
  };
}

test('analysis: log text is redacted, the user\'s own paths are not, and scope entries that become equal merge', () => {
  const a: Analysis = {
    version: 1, assumedOffsetMinutes: 0, totals: { requests: 3, byStatus: { 502: 3 } },
    sources: [{ path: '/var/log/token=abc/access.log', format: 'combined', lines: 3, unparsed: 0, warnings: ['line 3: password=x'] }],
    incidents: [incident({
      evidence: [{ source: '/var/log/token=abc/access.log', line: 1, text: 'GET /a?token=1 HTTP/1.1' }],
      scope: { paths: [['/reset/eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.', 2], ['/reset/eyJhbGciOiJub25lIn0.eyJzdWIiOiIyIn0.', 1]], upstreams: [['http://u:p@10.0.0.1:80', 3]], hosts: [], share: 1 },
      nextSteps: ['Check http://u:p@10.0.0.1:80'],
    })],
  };
  const r = redactAnalysis(a);
  assert.equal(r.sources[0]?.path, '/var/log/token=abc/access.log');
  assert.deepEqual(r.sources[0]?.warnings, [`line 3: password=${R}`]);
  assert.deepEqual(r.incidents[0]?.evidence[0], { source: '/var/log/token=abc/access.log', line: 1, text: `GET /a?token=${R} HTTP/1.1` });
  assert.deepEqual(r.incidents[0]?.scope.paths, [[`/reset/${R}`, 3]]);
  assert.deepEqual(r.incidents[0]?.scope.upstreams, [[`http://u:${R}@10.0.0.1:80`, 3]]);
  assert.deepEqual(r.incidents[0]?.nextSteps, [`Check http://u:${R}@10.0.0.1:80`]);
  assert.equal(r.redacted, 6);
  assert.equal(a.incidents[0]?.evidence[0]?.text, 'GET /a?token=1 HTTP/1.1', 'the input is not changed');
});

test('diagnosis: headers by name, bodies and URLs; without `all` only the URL password goes', () => {
  const d: Diagnosis = {
    version: 1, url: 'http://alice:pw@127.0.0.1:8080/x?token=t',
    verdict: { layer: 'upstream', cause: 'upstream.refused', status: 502, responder: 'nginx', confidence: 0.9, summary: 'nginx answered 502', nextSteps: [] },
    checks: [{ name: 'http', ok: false, ms: 1, status: 502, headers: { 'set-cookie': 'sid=s; Path=/', server: 'nginx' }, body: 'api_key=k', redirects: ['http://h/next?sig=1'] }],
  };
  const all = redactDiagnosis(d, true);
  assert.equal(all.url, `http://alice:${R}@127.0.0.1:8080/x?token=${R}`);
  assert.deepEqual(all.checks[0]?.headers, { 'set-cookie': `sid=${R}; Path=/`, server: 'nginx' });
  assert.equal(all.checks[0]?.body, `api_key=${R}`);
  assert.deepEqual(all.checks[0]?.redirects, [`http://h/next?sig=${R}`]);
  assert.equal(all.redacted, 5);
  const some = redactDiagnosis(d, false);
  assert.equal(some.url, `http://alice:${R}@127.0.0.1:8080/x?token=t`);
  assert.deepEqual(some.checks[0]?.headers, d.checks[0]?.headers);
  assert.equal(some.redacted, 1);
});
