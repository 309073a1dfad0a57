// A log's reference time is its file's mtime; a December syslog read in January keeps its year.
import assert from 'node:assert/strict';
import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadFormats } from '../catalog/formats.ts';
import type { LogRecord } from '../events/types.ts';
import { readSource } from './read-source.ts';
import { referenceTime } from './reference-time.ts';

// In the past whenever the test runs, so that the mtime is believed.
const DEC_31 = new Date(Date.UTC(2024, 11, 31, 23, 59, 59));

test('the reference is the mtime; a stream, a missing file or an unbelievable mtime use the clock', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-ref-'));
  const f = join(dir, 'syslog');
  writeFileSync(f, 'x\n');
  utimesSync(f, DEC_31, DEC_31);
  const now = Date.UTC(2025, 0, 5);
  assert.equal(referenceTime(f, now), DEC_31.getTime());
  assert.equal(referenceTime('-', now), now);
  assert.equal(referenceTime(join(dir, 'none'), now), now);
  utimesSync(f, new Date(0), new Date(0));
  assert.equal(referenceTime(f, now), now);
});

test('a December syslog file read a year later: its records are of the year of its mtime, not of the clock', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-ref-'));
  const f = join(dir, 'syslog');
  writeFileSync(f, 'Dec 31 23:50:00 web kernel: Out of memory: Killed process 12 (php-fpm)\nDec 31 23:59:00 web systemd[1]: php-fpm.service: Failed\n');
  utimesSync(f, DEC_31, DEC_31);
  const formats = loadFormats();
  const records: LogRecord[] = [];
  await readSource(f, 0, formats, formats.find((x) => x.name === 'syslog'), { onAccess: () => undefined, onRecord: (r) => records.push(r) });
  assert.deepEqual(records.map((r) => new Date(r.time).toISOString()), ['2024-12-31T23:50:00.000Z', '2024-12-31T23:59:00.000Z']);
});
