// journalctl's JSON lines as watch reads them: the message (text or bytes), the unit as the source, the time.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { catalog } from '../correlate/test-events.ts';
import { FivexxError } from '../errors/codes.ts';
import { parseWatchConfig } from './config.ts';
import { journalEntry, LogWatch } from './log-watch.ts';
import type { Store } from './store/types.ts';

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

test('a format or zone the config names that does not exist stops watch with a coded error', () => {
  const deps = { store: {} as Store, catalog, alert: () => undefined, now: () => 0 };
  assert.throws(() => new LogWatch(parseWatchConfig('logs:\n  - path: /x.log\n    format: nginx-eror\n'), deps), (e: unknown) => e instanceof FivexxError && e.code === 'FIVEXX_CONFIG_INVALID' && /logs\[0\]\.format: no format nginx-eror/.test(e.message));
  assert.throws(() => new LogWatch(parseWatchConfig('syslog: { udp: "127.0.0.1:0" }\nlogTimeZone: Mars/Olympus\n'), deps), /logTimeZone/);
  assert.ok(new LogWatch(parseWatchConfig('logs:\n  - path: /x.log\n    format: nginx-error\n'), deps));
});
