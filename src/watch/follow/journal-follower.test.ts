// journalctl's JSON lines as watch reads them (message as text or bytes, unit or program as the source, the
// time, the cursor), journalctl's arguments (namespace, directory, after the saved cursor), the config keys,
// and a real journalctl that keeps ending started again later and later.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { parseWatchConfig } from '../config.ts';
import { JOURNALCTL, journalArgs, journalEntry, JournalFollower, journalKey } from './journal-follower.ts';

const CURSOR = 's=e80222d283774ac59c13717e9bd96a78;i=8;b=d8534b26de89472fad2b69883be72dd9;m=4b692e5a7;t=66146bf9693d3;x=28e911b19c5fc561';

test('a journal entry gives its message, unit and time; damaged lines give nothing', () => {
  const e = journalEntry(JSON.stringify({ MESSAGE: '2026/11/27 10:00:00 [error] 7#7: *1 connect() failed (111: Connection refused)', _SYSTEMD_UNIT: 'nginx.service', __REALTIME_TIMESTAMP: '1795773600123456', __CURSOR: CURSOR }));
  assert.deepEqual(e, { source: 'journald:nginx.service', text: '2026/11/27 10:00:00 [error] 7#7: *1 connect() failed (111: Connection refused)', time: 1795773600123, cursor: CURSOR });
  // journald gives a message that is not UTF-8 text as an array of bytes.
  assert.equal(journalEntry(JSON.stringify({ MESSAGE: [104, 105], SYSLOG_IDENTIFIER: 'app' }))?.text, 'hi');
  assert.equal(journalEntry(JSON.stringify({ MESSAGE: [104, 105], SYSLOG_IDENTIFIER: 'app' }))?.source, 'journald:app');
  assert.equal(journalEntry(JSON.stringify({ MESSAGE: [104, 255, 105, 999, -1, 'x'] }))?.text, 'h\uFFFDi');
  // An entry without a usable message still moves the cursor on; its text is undefined (counted, skipped).
  assert.deepEqual(journalEntry(JSON.stringify({ MESSAGE: null, __CURSOR: CURSOR })), { source: 'journald:-', text: undefined, time: undefined, cursor: CURSOR });
  assert.equal(journalEntry('{"MESSAGE": 3}')?.text, undefined);
  assert.equal(journalEntry(JSON.stringify({ MESSAGE: 'x', __REALTIME_TIMESTAMP: '1e9' }))?.time, undefined);
  assert.equal(journalEntry('not json'), undefined);
  assert.equal(journalEntry('null'), undefined);
  assert.equal(journalEntry('[1]'), undefined);
});

test('journalctl follows the namespace or directory asked, after the saved cursor or from the end', () => {
  assert.deepEqual(journalArgs({ units: [] }, undefined), ['--follow', '--output=json', '--no-pager', '--lines=0']);
  assert.deepEqual(journalArgs({ units: ['nginx.service'], namespace: 'web' }, CURSOR),
    ['--follow', '--output=json', '--no-pager', '--namespace=web', `--after-cursor=${CURSOR}`, '--no-tail', '--unit', 'nginx.service']);
  assert.deepEqual(journalArgs({ units: [], directory: '/srv/journal' }, undefined), ['--follow', '--output=json', '--no-pager', '--directory=/srv/journal', '--lines=0']);
  // Something that is not a cursor never reaches journalctl (which would refuse it and end).
  assert.ok(journalArgs({ units: [] }, '--help').includes('--lines=0'));
  assert.equal(journalKey({ units: [] }), 'journald');
  assert.equal(journalKey({ units: [], namespace: 'web' }), 'journald@web');
  assert.equal(journalKey({ units: [], directory: '/srv/journal' }), 'journald@/srv/journal');
});

test('journald.namespace and journald.directory are checked by the config', () => {
  assert.equal(parseWatchConfig('journald: { namespace: web-1 }\n').journald?.namespace, 'web-1');
  assert.equal(parseWatchConfig('journald: { namespace: "*" }\n').journald?.namespace, '*');
  assert.equal(parseWatchConfig('journald: { directory: /var/log/journal/remote }\n').journald?.directory, '/var/log/journal/remote');
  assert.deepEqual(parseWatchConfig('journald: {}\n').journald, { units: [] });
  assert.throws(() => parseWatchConfig('journald: { namespace: "../x" }\n'), /journald\.namespace/);
  assert.throws(() => parseWatchConfig('journald: { directory: relative/dir }\n'), /journald\.directory/);
  assert.throws(() => parseWatchConfig('journald: { namespace: web, directory: /srv/j }\n'), /namespace or directory, not both/);
});

test('a journalctl that keeps ending is said and started again, twice as late each time', { skip: existsSync(JOURNALCTL) ? false : 'journalctl is not installed', timeout: 10_000 }, async () => {
  const notes: string[] = [];
  const f = new JournalFollower({ units: [], directory: '/nonexistent/fivexx-journal' }, { onEntry: () => assert.fail('no entry'), onNote: (_s, n) => notes.push(n) }, Date.now, 40);
  f.start(undefined);
  const end = Date.now() + 8000;
  while (notes.filter((n) => n.startsWith('journalctl ended')).length < 3 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  f.stop();
  assert.deepEqual(notes.filter((n) => n.startsWith('journalctl ended')).slice(0, 3), ['journalctl ended (exit 1): started again in 0.04 s', 'journalctl ended (exit 1): started again in 0.08 s', 'journalctl ended (exit 1): started again in 0.16 s']);
  assert.ok(notes.some((n) => /^journalctl: .*nonexistent/.test(n)), notes.join(' | '));
  assert.equal(f.position(), undefined, 'no entry, no cursor to save');
});
