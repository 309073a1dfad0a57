import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { test } from 'node:test';
import { parseSyslog, SyslogReceiver, TcpFraming, type SyslogMessage } from './syslog-receiver.ts';

test('RFC 3164 as nginx and rsyslog send it, and RFC 5424', () => {
  const a = parseSyslog('<190>Nov 27 13:50:00 web1 nginx: 127.0.0.1 - - [27/Nov/2026:13:50:00 +0000] "GET / HTTP/1.1" 502 157 "-" "curl"', 5);
  assert.deepEqual([a?.host, a?.app, a?.severity, a?.source, a?.text.slice(0, 20)], ['web1', 'nginx', 6, 'syslog:web1/nginx', '127.0.0.1 - - [27/No']);
  const b = parseSyslog('<131>Nov  3 09:01:02 lb haproxy[123]: 10.0.0.1:5555 [03/Nov/2026:09:01:02.100] fe be/<NOSRV> 0/-1/-1/-1/0 503 212 - - SC-- 0/0/0/0/0 0/0 "GET / HTTP/1.1"', 5);
  assert.deepEqual([b?.host, b?.app, b?.severity], ['lb', 'haproxy', 3]);
  const c = parseSyslog('<171>1 2025-11-05T20:47:03.000000+00:00 firewall.lan nginx - - - 2025/11/05 20:47:03 [error] 24537#230441: *914 open() failed', 5);
  assert.deepEqual([c?.host, c?.app, c?.time, c?.text.slice(0, 19)], ['firewall.lan', 'nginx', Date.parse('2025-11-05T20:47:03Z'), '2025/11/05 20:47:03']);
  const d = parseSyslog('<190>nginx: just a tag', 5);
  assert.deepEqual([d?.host, d?.app, d?.text], ['', 'nginx', 'just a tag']);
  assert.equal(parseSyslog('plain text, no priority', 5), undefined);
});

test('TCP framing: octet counting and newlines, split anywhere', () => {
  const got: string[] = [];
  const f = new TcpFraming();
  const stream = Buffer.from('11 <13>a: one\n<13>b: two\n12 <13>c: three');
  for (let i = 0; i < stream.length; i += 3) f.push(stream.subarray(i, i + 3), (m) => got.push(m));
  assert.deepEqual(got, ['<13>a: one\n', '<13>b: two', '<13>c: three']);
});

test('the receiver takes UDP and TCP on loopback; garbage is counted, not passed on', async (t) => {
  const got: SyslogMessage[] = [];
  const r = new SyslogReceiver((m) => got.push(m));
  t.after(() => r.close());
  const udp = await r.listenUdp('127.0.0.1:0');
  const tcp = await r.listenTcp('127.0.0.1:0');
  const { createSocket } = await import('node:dgram');
  const u = createSocket('udp4');
  await new Promise<void>((res) => u.send('<190>Nov 27 13:50:00 web1 nginx: udp line', udp, '127.0.0.1', () => res()));
  u.close();
  const s = connect(tcp, '127.0.0.1');
  await new Promise<void>((res) => s.once('connect', () => res()));
  s.end('21 <190>h nginx: tcp one<190>h nginx: tcp two\nnot syslog\n');
  const end = Date.now() + 3000;
  while (got.length < 3 && Date.now() < end) await new Promise((res) => setTimeout(res, 20));
  assert.deepEqual(got.map((m) => m.text).sort(), ['tcp one', 'tcp two', 'udp line']);
  assert.equal(r.dropped, 1);
});
