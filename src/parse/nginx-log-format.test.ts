import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileLogFormat, COMBINED, tokenize } from './nginx-log-format.ts';
import { readLogFormats } from './nginx-conf.ts';

test('tokenize splits literals and $variables, including ${braced}', () => {
  assert.deepEqual(tokenize('a $x "${y}z"'), [{ lit: 'a ' }, { name: 'x' }, { lit: ' "' }, { name: 'y' }, { lit: 'z"' }]);
});

test('combined reads a real lab line', () => {
  const p = compileLogFormat(COMBINED);
  const e = p.parse('127.0.0.1 - - [22/Nov/2026:20:19:30 +0000] "GET /api/orders HTTP/1.1" 200 25 "-" "fivexx-lab/1"', 0, 1);
  assert.equal(e?.status, 200);
  assert.equal(e?.path, '/api/orders');
  assert.equal(e?.time, Date.UTC(2026, 10, 22, 20, 19, 30));
});

test('a zone offset in $time_local is applied', () => {
  const e = compileLogFormat(COMBINED).parse('1.2.3.4 - - [07/Dec/2016:11:05:07 +0100] "GET / HTTP/1.1" 502 1 "-" "x"', 0, 1);
  assert.equal(new Date(e?.time ?? 0).toISOString(), '2016-12-07T10:05:07.000Z');
});

test('unquoted multi-value upstream variables keep their ", " and " : " separators', () => {
  const p = compileLogFormat('$remote_addr [$time_local] "$request" $status $upstream_addr $upstream_status $request_time');
  const e = p.parse('10.0.0.9 [20/Nov/2026:14:02:09 +0000] "GET /a HTTP/1.1" 502 10.0.0.1:80, 10.0.0.2:80 : unix:/x.sock 502, 504 : 502 0.010', 0, 1);
  assert.equal(e?.upstreamAddr, '10.0.0.1:80, 10.0.0.2:80 : unix:/x.sock');
  assert.equal(e?.upstreamStatus, '502, 504 : 502');
  assert.equal(e?.requestTime, 0.01);
});

test('a line of another format is refused, not mis-read', () => {
  const p = compileLogFormat(COMBINED);
  assert.equal(p.parse('2026/11/22 20:19:15 [error] 1#1: *1 connect() failed', 0, 1), undefined);
  assert.equal(p.parse('1.2.3.4 - - [07/Dec/2016:11:05:07 +0100] "GET / HTTP/1.1" abc 1 "-" "x"', 0, 1), undefined);
});

test('key=value extensions after combined are read', () => {
  const p = compileLogFormat(COMBINED, true);
  const e = p.parse('1.2.3.4 - - [07/Dec/2016:11:05:07 +0000] "GET / HTTP/1.1" 504 1 "-" "x" "5.6.7.8" rt=60.001 ua="127.0.0.1:3000" us="504" uht="-"', 0, 1);
  assert.equal(e?.upstreamStatus, '504');
  assert.equal(e?.upstreamHeaderTime, '-');
  assert.equal(e?.requestTime, 60.001);
});

test('log_format directives are read from an nginx config, strings concatenated', () => {
  const conf = `http {
    # a comment with log_format inside
    log_format  main  '$remote_addr - $remote_user [$time_local] "$request" '
                      '$status $body_bytes_sent "$http_referer" "$http_user_agent" "$http_x_forwarded_for"';
    log_format json escape=json '{"t":"$time_iso8601","s":$status}';
  }`;
  const f = readLogFormats(conf);
  assert.equal(f.get('main'), '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" "$http_x_forwarded_for"');
  assert.equal(f.get('json'), '{"t":"$time_iso8601","s":$status}');
});
