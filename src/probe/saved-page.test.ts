// Saved responses as people paste them: curl -i (with 100 Continue and redirects), curl -v, HTTP/2 heads
// without a space after the colon, a browser-saved page or a bare body whose status is read from its text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cpuMs } from '../../test/support/cpu-time.ts';
import { parseSavedPage, statusFromText } from './saved-page.ts';

test('curl -i: the status line, its reason phrase, headers (names lower-cased) and the body', () => {
  const p = parseSavedPage('HTTP/1.1 504 GATEWAY_TIMEOUT\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n');
  assert.deepEqual([p.status, p.reason, p.headers['content-length'], p.body, p.statusFrom], [504, 'GATEWAY_TIMEOUT', '0', '', 'status-line']);
  const h2 = parseSavedPage('HTTP/2.0 503\ndate:Mon, 27 Feb 2017 02:52:52 GMT\nserver:cloudflare-nginx\n\n<html>x</html>\n');
  assert.deepEqual([h2.status, h2.reason, h2.headers.server, h2.body], [503, '', 'cloudflare-nginx', '<html>x</html>\n']);
});

test('curl -i -L and 100 Continue: the last response is read', () => {
  const p = parseSavedPage('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 301 Moved\r\nLocation: /b\r\n\r\nHTTP/1.1 502 Bad Gateway\r\nServer: nginx\r\n\r\nbody');
  assert.deepEqual([p.status, p.headers.server, p.body], [502, 'nginx', 'body']);
});

test('curl -v: the "< " lines are the head, "*" and ">" lines are dropped', () => {
  const text = '*   Trying 127.0.0.1:80...\n> GET / HTTP/1.1\n> Host: x\n>\n< HTTP/1.1 503 Service Unavailable\n< Server: envoy\n<\nno healthy upstream\n* Connection #0 left intact\n';
  const p = parseSavedPage(text);
  assert.deepEqual([p.status, p.headers.server, p.body.trim()], [503, 'envoy', 'no healthy upstream']);
});

test('a bare body or a saved page: the status is the one the page states, or 0', () => {
  assert.equal(parseSavedPage('<html><head><title>502 Bad Gateway</title></head></html>').status, 502);
  assert.equal(parseSavedPage('{"status":500,"error":"Internal Server Error"}').statusFrom, 'page-text');
  assert.equal(statusFromText('An error occurred with your deployment\n\nFUNCTION_INVOCATION_TIMEOUT'), 0);
  assert.equal(statusFromText('Bad Gateway'), 502);
  assert.equal(statusFromText('<html><body><h1>Service Unavailable</h1>'), 503);
  assert.equal(parseSavedPage('hello').statusFrom, 'none');
});

test('hostile input: a long header block, a status line without headers, control bytes: no crash, bounded time', () => {
  // CPU time of this process, not wall time: load elsewhere on the machine does not count.
  const ms = cpuMs(() => {
    parseSavedPage(`HTTP/1.1 500 X\n${'a: b\n'.repeat(100_000)}\nbody`);
    parseSavedPage(`HTTP/1.1 500 ${'x'.repeat(100_000)}\n\n`);
    parseSavedPage(`${'<'.repeat(200_000)}`);
  });
  assert.ok(ms < 2000, `${ms.toFixed(0)} CPU ms`);
  assert.equal(parseSavedPage('HTTP/1.1 502 Bad Gateway').status, 502);
});
