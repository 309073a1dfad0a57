// LogWatch's checks of the config: a format or zone that does not exist stops watch with a coded error.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { catalog } from '../correlate/test-events.ts';
import { FivexxError } from '../errors/codes.ts';
import { parseWatchConfig } from './config.ts';
import { LogWatch } from './log-watch.ts';
import type { Store } from './store/types.ts';

test('a format or zone the config names that does not exist stops watch with a coded error', () => {
  const deps = { store: {} as Store, catalog, alert: () => undefined, now: () => 0 };
  assert.throws(() => new LogWatch(parseWatchConfig('logs:\n  - path: /x.log\n    format: nginx-eror\n'), deps), (e: unknown) => e instanceof FivexxError && e.code === 'FIVEXX_CONFIG_INVALID' && /logs\[0\]\.format: no format nginx-eror/.test(e.message));
  assert.throws(() => new LogWatch(parseWatchConfig('syslog: { udp: "127.0.0.1:0" }\nlogTimeZone: Mars/Olympus\n'), deps), /logTimeZone/);
  assert.ok(new LogWatch(parseWatchConfig('logs:\n  - path: /x.log\n    format: nginx-error\n'), deps));
});
