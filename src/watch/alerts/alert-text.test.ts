import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alertText } from './alert-text.ts';
import type { AlertIncident } from './types.ts';

const incident: AlertIncident = {
  id: 1, target: 'shop', state: 'open', cause: 'upstream.refused', layer: 'upstream',
  title: 'The upstream refuses connections: nothing listens there', statuses: { 502: 40, 504: 2 },
  start: '2026-11-20T14:02:09.120Z', end: '2026-11-20T14:05:00Z', resolvedAt: null, path: '/api', upstream: '127.0.0.1:3000',
  summary: '', nextSteps: [], evidence: [], trigger: null,
};

test('the alert line leads with status, where, since when and the cause in words', () => {
  assert.equal(alertText('opened', incident), '502 on shop /api since 14:02:09Z — the upstream refuses connections: nothing listens there (127.0.0.1:3000) [upstream.refused]');
  assert.match(alertText('changed', incident), /^Cause changed: 502 on shop/);
  assert.match(alertText('resolved', { ...incident, resolvedAt: '2026-11-20T14:07:00Z' }), /^Resolved: shop \/api since 14:07:00Z — was 502 from 14:02:09Z/);
  assert.match(alertText('opened', { ...incident, path: null, upstream: null, title: 'PHP-FPM pool is full' }), /^502 on shop since 14:02:09Z — PHP-FPM pool is full \[upstream\.refused\]$/);
});
