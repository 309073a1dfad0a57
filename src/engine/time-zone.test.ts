import assert from 'node:assert/strict';
import { test } from 'node:test';
import { zone } from './time-zone.ts';

test('fixed offsets and IANA zones turn local wall-clock times into UTC', () => {
  const local = Date.UTC(2026, 6, 1, 12, 0, 0);
  const plus2 = zone('+02:00');
  assert.ok(plus2.ok && plus2.toUtc(local) === Date.UTC(2026, 6, 1, 10, 0, 0));
  const berlin = zone('Europe/Berlin');
  assert.ok(berlin.ok && berlin.toUtc(local) === Date.UTC(2026, 6, 1, 10, 0, 0), 'CEST is +02:00 in July');
  const winter = Date.UTC(2026, 0, 15, 12, 0, 0);
  assert.ok(berlin.ok && berlin.toUtc(winter) === Date.UTC(2026, 0, 15, 11, 0, 0), 'CET is +01:00 in January');
  assert.equal(zone('Mars/Olympus').ok, false);
});
