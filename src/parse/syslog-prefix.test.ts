// Syslog stamps without a year take it from the log's context (its latest time), not the wall clock.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { haproxyEvents } from './haproxy.ts';
import { atReference } from './record.ts';
import { syslogFile } from './syslog-file.ts';
import { readSyslog, yearlessTime } from './syslog-prefix.ts';

const iso = (ms: number | undefined): string => new Date(ms ?? NaN).toISOString();
const JAN_2027 = Date.UTC(2027, 0, 3, 9, 0, 0);

test('a December stamp read "in January" is of the year before', () => {
  assert.equal(iso(readSyslog('Dec 31 23:59:58 web kernel: x', JAN_2027)?.time), '2026-12-31T23:59:58.000Z');
  assert.equal(iso(readSyslog('Jan  2 00:00:01 web kernel: x', JAN_2027)?.time), '2027-01-02T00:00:01.000Z');
});

test('a log spanning New Year keeps each line in its own year', () => {
  const lines = ['Dec 30 10:00:00 h app: a', 'Dec 31 23:59:59 h app: b', 'Jan  1 00:00:00 h app: c', 'Jan  3 08:59:00 h app: d'];
  assert.deepEqual(lines.map((l) => iso(readSyslog(l, JAN_2027)?.time).slice(0, 10)), ['2026-12-30', '2026-12-31', '2027-01-01', '2027-01-03']);
});

test('a stamp of the reference month stays in its year, with slack for zones', () => {
  const ref = Date.UTC(2026, 10, 22, 12, 0, 0);
  assert.equal(iso(yearlessTime(ref, 10, 22, 20, 0, 0)).slice(0, 4), '2026');
  assert.equal(iso(yearlessTime(ref, 10, 23, 11, 0, 0)).slice(0, 4), '2026');
  assert.equal(iso(yearlessTime(ref, 10, 26, 0, 0, 0)).slice(0, 4), '2025');
});

test('the syslog parser takes the year from its reference, not the wall clock', () => {
  const text = 'Dec 31 23:50:00 web kernel: Out of memory: Killed process 12 (php-fpm)';
  assert.equal(iso(atReference(syslogFile, JAN_2027).parse(text, 0, 1)?.time), '2026-12-31T23:50:00.000Z');
  assert.equal(iso(atReference(syslogFile, Date.UTC(2024, 11, 31, 23, 59, 59)).parse(text, 0, 1)?.time), '2024-12-31T23:50:00.000Z');
});

test('HAProxy messages behind a syslog header take the year from the reference', () => {
  const text = 'Dec 31 23:50:00 localhost haproxy[23791]: Server app/app1 is DOWN, reason: Layer4 connection problem';
  assert.equal(iso(atReference(haproxyEvents, JAN_2027).parse(text, 0, 1)?.time), '2026-12-31T23:50:00.000Z');
});
