// journalctl's JSON lines as watch reads them: the message (text or bytes), the unit as the source, the time.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { journalEntry } from './log-watch.ts';

test('a journal entry gives its message, unit and time; damaged lines give nothing', () => {
  const e = journalEntry(JSON.stringify({ MESSAGE: '2026/11/27 10:00:00 [error] 7#7: *1 connect() failed (111: Connection refused)', _SYSTEMD_UNIT: 'nginx.service', __REALTIME_TIMESTAMP: '1795773600123456' }));
  assert.deepEqual(e, { source: 'journald:nginx.service', text: '2026/11/27 10:00:00 [error] 7#7: *1 connect() failed (111: Connection refused)', time: 1795773600123 });
  // journald gives a message with control bytes as an array of bytes.
  assert.equal(journalEntry(JSON.stringify({ MESSAGE: [104, 105], SYSLOG_IDENTIFIER: 'app' }))?.text, 'hi');
  assert.equal(journalEntry(JSON.stringify({ MESSAGE: [104, 105], SYSLOG_IDENTIFIER: 'app' }))?.source, 'journald:app');
  assert.equal(journalEntry('{"MESSAGE": 3}'), undefined);
  assert.equal(journalEntry('not json'), undefined);
  assert.equal(journalEntry('null'), undefined);
});
