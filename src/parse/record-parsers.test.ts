import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appText, startsRecord } from './app-text.ts';
import { jsonLines } from './json-lines.ts';
import { nginxError, readTail } from './nginx-error.ts';

test('nginx error tail fields are read even when the request contains commas', () => {
  const t = readTail('x, client: 10.1.2.3, server: a.b, request: "GET /q?a=1, 2 HTTP/1.1", upstream: "http://u:1/q", host: "h"');
  assert.equal(t?.client, '10.1.2.3');
  assert.equal(t?.values.request, 'GET /q?a=1, 2 HTTP/1.1');
  assert.equal(t?.values.upstream, 'http://u:1/q');
  assert.equal(t?.values.host, 'h');
});

test('nginx error lines without a connection or tail parse', () => {
  const r = nginxError.parse('2026/11/22 20:19:30 [notice] 9472#9472: signal process started', 0, 1);
  assert.equal(r?.level, 'notice');
  assert.equal(r?.message, 'signal process started');
  assert.equal(r?.client, '');
});

test('a Node.js crash dump is one record, assembled from its lines', () => {
  const lines = ['/srv/app/server.js:12', '    throw new Error(\'boom\');', '    ^', '', 'Error: boom', '    at Server.<anonymous> (/srv/app/server.js:12:11)', '', 'Node.js v24.21.0'];
  assert.ok(appText.isStart(lines[0] ?? ''));
  let prev = lines[0] ?? '';
  for (let i = 1; i < lines.length; i++) {
    const l = lines[i] ?? '';
    assert.ok(!startsRecord(l) && appText.continues(l, lines[0] ?? '', i, prev), `line ${i} continues: ${l}`);
    prev = l;
  }
  const r = appText.parse(lines.join('\n'), 0, 1);
  assert.equal(r?.producer, 'node');
  assert.ok(Number.isNaN(r?.time));
});

test('a gunicorn error line takes its traceback, then the next time-stamped line starts a new record', () => {
  const head = '[2026-11-20 14:02:09 +0000] [42] [ERROR] Error handling request /api';
  assert.ok(appText.continues('Traceback (most recent call last):', head, 1, head));
  assert.ok(appText.isStart('[2026-11-20 14:02:10 +0000] [42] [INFO] Booting worker with pid: 43'));
  const r = appText.parse(`${head}\nTraceback (most recent call last):\n  File "x.py", line 1, in f\nValueError: bad`, 0, 1);
  assert.equal(r?.producer, 'gunicorn');
  assert.equal(r?.level, 'error');
  assert.equal(r?.request, '? /api');
  assert.equal(r?.time, Date.UTC(2026, 10, 20, 14, 2, 9));
  assert.equal(r?.zoned, true);
});

test('JSON lines: pino numeric levels, epoch ms, err.stack becomes part of the message', () => {
  const r = jsonLines.parse('{"level":50,"time":1795378770192,"pid":1,"hostname":"h","err":{"type":"Error","message":"x","stack":"Error: x\\n    at f (a.js:1:1)"},"req":{"method":"POST","url":"/p"},"msg":"failed"}', 0, 1);
  assert.equal(r?.level, 'error');
  assert.equal(r?.time, 1795378770192);
  assert.equal(r?.request, 'POST /p');
  assert.ok(r?.message.includes('Error: x\n    at f'));
  assert.equal(jsonLines.parse('{not json', 0, 1), undefined);
  assert.equal(jsonLines.parse('[1,2]', 0, 1)?.producer, 'app', 'plain lines in a JSON log are read as app text');
});
