import assert from 'node:assert/strict';
import { test } from 'node:test';
import { codeOf } from '../errors/codes.ts';
import { unsupportedFormat } from './unsupported.ts';

// Shapes of real files in ../shared/real-world (fail2ban's monitorix, crowdsec's tcpudp-flood-traefik and zoraxy,
// elastic's ingress-nginx controller and ALB/NLB test logs), with addresses and names changed.
const CASES: [string, string[]][] = [
  ["Monitorix's web server log", ['Wed Apr 14 08:11:01 2021 - OK - [127.0.0.1] "GET /monitorix-cgi/monitorix.cgi - Mozilla/5.0"', 'Wed Apr 14 08:54:22 2021 - NOTEXIST - [127.0.0.1] File does not exist: /manager/html']],
  ['logfmt', ['time="2024-01-15T18:43:09Z" level=debug msg="Handling UDP stream from 192.0.2.4:34871 to 192.168.176.3:21116"']],
  ['klog', ['I1215 14:15:13.816067       8 main.go:236] "Creating API client" host="https://127.0.0.1:443"', 'F1215 14:16:33.326604       8 main.go:294] Error while initiating a connection', 'goroutine 1 [running]:', '\tk8s.io/klog/v2@v2.3.0/klog.go:996 +0xb9']],
  ["Zoraxy's router log", ['2025/05/01 07:57:03 [2025-05-01 07:57:03.150624] [router:host-http] [origin:example.org] [client: 192.0.2.1] [useragent: curl/8] POST /xmlrpc.php 404']],
  ['AWS Network Load Balancer TLS log', ['tls 2.0 2018-12-20T02:59:40 net/my-network-loadbalancer/c6e77e28c25b2234 g3d4b5e8bb8464cd 192.0.2.39:2817 10.0.0.1:80 5 2 98 246 -']],
  ['W3C extended log without sc-status', ['#Fields: date time c-ip cs-method cs-uri-stem', '2002-05-02 17:42:15 192.0.2.5 GET /x']],
];

test('formats fivexx does not read are named with their shape and first line', () => {
  for (const [name, lines] of CASES) {
    const m = unsupportedFormat(lines);
    assert.ok(m?.startsWith(name), `${name}: ${m}`);
    assert.match(m ?? '', /its lines look like .*; the first: "/);
  }
});

test('lines of read formats, plain app output and a handful of odd lines are not named', () => {
  assert.equal(unsupportedFormat(['127.0.0.1 - - [22/Nov/2026:20:19:30 +0000] "GET / HTTP/1.1" 200 25 "-" "x"']), undefined);
  assert.equal(unsupportedFormat(['Server listening on :3000', 'connected to db']), undefined);
  // One klog line among many others is not enough.
  assert.equal(unsupportedFormat(['I1215 14:15:13.816067       8 main.go:236] x', 'a', 'b', 'c', 'd']), undefined);
  // W3C with sc-status is read by src/parse/w3c.ts, not named.
  assert.equal(unsupportedFormat(['#Fields: date time c-ip sc-status', '2002-05-02 17:42:15 192.0.2.5 200']), undefined);
});

test('a line from the log reaches the message escaped', () => {
  const m = unsupportedFormat(['time="2024-01-15T18:43:09Z" level=error msg="\u001b[31mred\u001b[0m \u202egnp.exe"']) ?? '';
  assert.doesNotMatch(m, /[\u001b\u202e]/);
  assert.equal(codeOf(`FIVEXX_FORMAT_UNSUPPORTED: ${m}`), 'FIVEXX_FORMAT_UNSUPPORTED');
});
