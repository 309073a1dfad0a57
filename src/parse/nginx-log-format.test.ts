import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
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

// Recorded from Debian's nginx 1.22.1 (a temporary config on 127.0.0.1, 2026-11-27) with
// log_format hostreq '… "$host$request_uri" $status … us="$upstream_status" ua="$upstream_addr"'.
const HOST_URI_FORMAT = '$remote_addr - $remote_user [$time_local] "$host$request_uri" $status $body_bytes_sent "$http_referer" "$http_user_agent" us="$upstream_status" ua="$upstream_addr"';
const HOST_URI_LINE = '127.0.0.1 - - [27/Nov/2026:16:15:14 +0000] "lab.test/limited" 503 197 "-" "curl/7.88.1" us="-" ua="-"';

test('"$host$request_uri": two variables side by side are split where the host ends and the URI begins', () => {
  const p = compileLogFormat(HOST_URI_FORMAT);
  assert.deepEqual(p.warnings, []);
  const e = p.parse(HOST_URI_LINE, 0, 1);
  assert.equal(e?.status, 503);
  assert.equal(e?.host, 'lab.test');
  assert.equal(e?.path, '/limited');
  const q = p.parse('127.0.0.1 - - [27/Nov/2026:16:15:14 +0000] "lab.test/retry/a?x=1" 200 7 "-" "curl/7.88.1" us="502, 200" ua="127.0.0.1:18991, 127.0.0.1:18992"', 0, 2);
  assert.equal(q?.path, '/retry/a?x=1');
  assert.equal(q?.upstreamStatus, '502, 200');
});

test('variables side by side: an address then a URI is split, a pair that cannot be told apart is read as the first and warned about', () => {
  const p = compileLogFormat('$remote_addr$request_uri $status');
  assert.deepEqual(p.warnings, []);
  const e = p.parse('10.0.0.7/a/b 502', 0, 1);
  assert.equal(e?.client, '10.0.0.7');
  assert.equal(e?.path, '/a/b');
  const amb = compileLogFormat('$remote_addr$x [$time_local] $status');
  assert.equal(amb.warnings.length, 1);
  assert.match(amb.warnings[0] ?? '', /^FIVEXX_LOG_FORMAT_AMBIGUOUS: .*\$remote_addr\$x/);
  assert.equal(amb.parse('10.0.0.7abc [27/Nov/2026:16:15:14 +0000] 500', 0, 1)?.client, '10.0.0.7abc');
  assert.equal(compileLogFormat('$scheme$host "$request" $status').warnings.length, 1);
});

test('a "$host$request_uri" field where combined has "$request" gives the host and the path', () => {
  const e = compileLogFormat(COMBINED).parse(HOST_URI_LINE.replace(' us="-" ua="-"', ''), 0, 1);
  assert.equal(e?.status, 503);
  assert.equal(e?.host, 'lab.test');
  assert.equal(e?.path, '/limited');
  assert.equal(e?.method, '');
  // A path alone stays a path; a request with a method is unchanged.
  assert.equal(compileLogFormat(COMBINED).parse('1.2.3.4 - - [07/Dec/2016:11:05:07 +0100] "/x/y" 502 1 "-" "x"', 0, 1)?.path, '/x/y');
});

test('the real ekzestencial/load-balancing access log is read whole with its own log_format (skips without ../shared)', (t) => {
  const file = new URL('../../../shared/real-world/ekzestencial-load-balancing/access.log', import.meta.url);
  if (!existsSync(file)) {
    t.skip('../shared/real-world is absent (a clone of the repository alone)');
    return;
  }
  // Its nginx.conf's log_format main (ekzestencial/load-balancing, nginx/nginx.conf).
  const p = compileLogFormat('$realip_remote_addr :: $proxy_add_x_forwarded_for - $remote_addr - $remote_user [$time_local] "$host$request_uri" $status $body_bytes_sent "$http_referer" "$http_user_agent" "$http_x_forwarded_for" resp_body:"$resp_body"');
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
  const read = lines.map((l, i) => p.parse(l, 0, i + 1));
  assert.equal(read.filter((e) => e !== undefined).length, 13);
  assert.deepEqual(read.filter((e) => e?.status === 502).map((e) => [e?.host, e?.path, e?.client]), [
    ['aa1781848a7c.ngrok.io', '/', '37.120.196.90'], ['aa1781848a7c.ngrok.io', '/', '37.120.196.90'],
  ]);
});
