import assert from 'node:assert/strict';
import { test } from 'node:test';
import { noRequestKind } from './nginx-no-request.ts';

// Recorded from Debian's nginx 1.22.1 with libnginx-mod-stream and libnginx-mod-mail (a temporary config on
// 127.0.0.1, 2026-11-27; test/false-alarms.test.ts records them again on every run).
const STREAM_REFUSED = '2026/11/27 16:15:14 [error] 2807#2807: *13 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: 127.0.0.1:18993, upstream: "127.0.0.1:18994", bytes from/to client:0/0, bytes from/to upstream:0/0';
const MAIL_RESOLVE = '2026/11/27 16:15:15 [error] 2807#2807: *15 127.0.0.1 could not be resolved (110: Operation timed out) while in resolving client address, client: 127.0.0.1, server: 127.0.0.1:18997';
const HTTP_REFUSED = '2026/11/27 16:15:14 [error] 2807#2807: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: lab.test, request: "GET /retry/a HTTP/1.1", upstream: "http://127.0.0.1:18991/retry/a", host: "lab.test"';

test('stream and mail proxy records name no HTTP request', () => {
  assert.equal(noRequestKind(STREAM_REFUSED), 'stream');
  assert.equal(noRequestKind(MAIL_RESOLVE), 'mail');
  // Shapes of ngx_mail_log_error and ngx_stream_log_error (written from nginx's source): login, bare upstream, UDP.
  assert.equal(noRequestKind('2023/04/05 21:00:42 [info] 126#126: *175063 client login failed: "Authentication credentials invalid" while in http auth state, client: 203.0.113.9 using starttls, server: 0.0.0.0:587, login: "postmaster"'), 'mail');
  assert.equal(noRequestKind('2022/04/05 13:25:31 [info] 8#8: *24790 client logged in, client: 203.0.113.9, server: 0.0.0.0:11587, login: "a@example.com", upstream: 192.0.2.9:10025'), 'mail');
  assert.equal(noRequestKind('2026/11/27 16:20:01 [error] 7#7: *3 upstream timed out (110: Connection timed out) while connecting to upstream, udp client: 10.0.0.5, server: 0.0.0.0:53, upstream: "10.0.0.53:53", bytes from/to client:40/0, bytes from/to upstream:0/0'), 'stream');
});

test('HTTP records keep their request; connection-level HTTP lines and cut lines are told apart', () => {
  assert.equal(noRequestKind(HTTP_REFUSED), undefined);
  assert.equal(noRequestKind('2026/11/27 16:20:01 [info] 7#7: *9 SSL_do_handshake() failed (SSL: error:0A00006C:SSL routines::bad key share) while SSL handshaking, client: 127.0.0.1, server: [::]:443'), 'connection');
  // nginx cuts an error line at about 2 KiB: a tail cut inside its request is not taken for a no-request record.
  assert.equal(noRequestKind(HTTP_REFUSED.slice(0, HTTP_REFUSED.indexOf(', request:') + 6)), undefined);
  assert.equal(noRequestKind('2026/11/27 16:20:01 [error] 7#7: *9 upstream timed out, client: 127.0.0.1, server: lab.test'), undefined);
  assert.equal(noRequestKind('2026/11/27 16:20:01 [alert] 7#7: worker process 9 exited on signal 11'), undefined);
  // A multi-line record (FastCGI stderr) is judged by its last line.
  assert.equal(noRequestKind(`2026/11/27 16:20:01 [error] 7#7: *9 FastCGI sent in stderr: "a\nb" while reading response header from upstream, client: 127.0.0.1, server: lab.test, request: "GET / HTTP/1.1", upstream: "fastcgi://unix:/x.sock:", host: "lab.test"`), undefined);
});
