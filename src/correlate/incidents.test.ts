// Incident rules: gap splitting, root-cause refinement, untimed findings, merging touching incidents.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromAccess, fromFinding } from './failed-request.ts';
import { explainFromUntimed, groupIncidents, mergeTouching, refineWithRoots } from './incidents.ts';
import { access, catalog, finding, T0 } from './test-events.ts';

const refused = catalog.byId.get('upstream.refused');
const fail = (dt: number): ReturnType<typeof fromAccess> => {
  if (!refused) throw new Error('catalog');
  return fromAccess(access({ time: T0 + dt }), refused, 0.95, []);
};

test('gap splitting: a cause quiet for longer than the gap starts a new incident', () => {
  const drafts = groupIncidents([fail(0), fail(60_000), fail(190_000)], 120_000);
  assert.deepEqual(drafts.map((d) => d.failures.length), [2, 1]);
  assert.equal(groupIncidents([fail(0), fail(60_000), fail(180_000)], 120_000).length, 1);
});

test('root-cause refinement: a root seen in or just before the incident becomes its cause', () => {
  const drafts = groupIncidents([fail(0), fail(1000)], 120_000);
  const root = finding('app.crash', { time: T0 - 30_000, timeMax: T0 - 30_000, request: '' });
  const used = refineWithRoots(drafts, [root], catalog);
  assert.equal(drafts[0]?.failures[0]?.cause.id, 'app.crash');
  assert.equal(drafts[0]?.failures[0]?.confidence, 0.95);
  assert.ok(used.has(root));
  // More than a minute before: not this incident's root.
  const far = groupIncidents([fail(0)], 120_000);
  refineWithRoots(far, [finding('app.crash', { time: T0 - 61_000, timeMax: T0 - 61_000 })], catalog);
  assert.equal(far[0]?.failures[0]?.cause.id, 'upstream.refused');
});

test('untimed findings explain an unexplained incident their time range touches', () => {
  const un = catalog.byId.get('upstream.unexplained');
  if (!un) throw new Error('catalog');
  const drafts = groupIncidents([fromAccess(access(), un, 0.3, [])], 120_000);
  explainFromUntimed(drafts, [finding('app.crash', { timed: false, time: T0 - 5000, timeMax: T0 + 1000 })], catalog);
  assert.equal(drafts[0]?.failures[0]?.cause.id, 'app.crash');
  assert.equal(drafts[0]?.failures[0]?.confidence, 0.6);
});

test('mergeTouching joins incidents of one cause within the gap, in time order', () => {
  const two = (): ReturnType<typeof groupIncidents> => [
    ...groupIncidents([fromFinding(finding('app.crash', { time: T0 + 5000 }))], 1000),
    ...groupIncidents([fromFinding(finding('app.crash', { time: T0 }))], 1000),
  ];
  assert.equal(mergeTouching(two(), 10_000).length, 1);
  assert.equal(mergeTouching(two(), 1000).length, 2);
});
