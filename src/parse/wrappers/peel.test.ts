// Wrappers peel to the inner line, leave other lines alone, join partial lines, and are all registered.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { LinePeeler, peelLines, peelOnce, WRAPPERS } from './peel.ts';

const CLF = '192.168.61.205 - - [24/Aug/2021:09:52:13 +0000] "GET / HTTP/1.1" 502 157 "-" "curl/7.68.0"';
const NGINX = '2015/01/21 10:56:10 [error] 2833#0: *16336 connect() failed (111: Connection refused) while connecting to upstream, client: 5.7.9.2';

test('each wrapper peels its documented shape to the inner line', () => {
  // docker compose logs (documented output; docker cannot run here).
  assert.equal(peelOnce(`nginx_1  | ${CLF}`)?.text, CLF);
  assert.equal(peelOnce(`web-1 | ${NGINX}`)?.text, NGINX);
  // With the terminal's erase-line escape compose writes before each prefix (as in lnav's logfile_docker_compose.0).
  assert.equal(peelOnce(`\x1b[2Kweb-1  | ${CLF}`)?.text, CLF);
  // Kubernetes CRI (kubelet CRI logging format), full line.
  assert.deepEqual(peelOnce(`2025-12-31T17:37:40.493035218+01:00 stdout F ${CLF}`), { text: CLF, partial: false });
  // Docker json-file driver.
  assert.equal(peelOnce(JSON.stringify({ log: `${CLF}\n`, stream: 'stdout', time: '2021-08-24T09:52:13.1Z' }))?.text, CLF);
  // rsyslog (RFC 3164) and RFC 5424 carrying nginx; written after fail2ban's nginx-botsearch and crowdsec's pfSense lines.
  assert.equal(peelOnce(`Jan 21 10:56:10 web1 nginx: ${NGINX}`)?.text, NGINX);
  assert.equal(peelOnce(`<171>1 2025-11-05T20:47:03.000000+00:00 firewall.lan nginx - - - ${NGINX}`)?.text, NGINX);
  // Emissary-ingress's `ACCESS ` before Envoy's line.
  assert.equal(peelOnce('ACCESS [2024-04-25T17:51:55.294Z] "GET / HTTP/1.1" 200 -')?.text, '[2024-04-25T17:51:55.294Z] "GET / HTTP/1.1" 200 -');
  // A compose prefix around a syslog line: peeled twice.
  assert.equal(peelOnce(`rsyslog_1 | Jan 21 10:56:10 web1 nginx[12]: ${NGINX}`)?.text, NGINX);
});

test('lines that are not wrapped are left alone; comments are no record', () => {
  for (const l of [CLF, NGINX, '[Mon Mar 28 16:50:49.522240 2016] [:error] [pid 1795] x', '{"level":"info","msg":"x"}', '#0 /var/www/index.php(12): f()']) {
    assert.equal(peelOnce(l)?.text, l);
  }
  // Syslog lines of other programs, or of nginx without nginx's own line inside, stay syslog lines.
  for (const l of ['Jan 21 10:56:10 web1 cron[1]: (root) CMD (x)', 'Jan 21 10:56:10 web1 nginx: started']) assert.equal(peelOnce(l)?.text, l);
  assert.equal(peelOnce('# failJSON: { "time": "2008-07-22T06:48:30", "match": true }'), undefined);
  // W3C's column directive is kept for the w3c reader (src/parse/w3c.ts); its other directives are comments.
  assert.deepEqual(peelOnce('#Fields: date time s-ip cs-method'), { text: '#Fields: date time s-ip cs-method', partial: false });
  assert.equal(peelOnce('#Software: Microsoft Internet Information Services 10.0'), undefined);
});

test('partial lines (CRI P, Docker json without its newline) are joined with the next', () => {
  const p = new LinePeeler();
  assert.equal(p.peel('2025-12-31T17:37:40Z stdout P 192.168.61.205 - - [24/Aug/2021:09:52:13 +0000] ', 7), undefined);
  assert.deepEqual(p.peel('2025-12-31T17:37:40Z stdout F "GET / HTTP/1.1" 502 157 "-" "curl/7.68.0"', 8), [CLF, 7]);
  const json = (log: string): string => JSON.stringify({ log, stream: 'stdout', time: '2021-08-24T09:52:13Z' });
  assert.deepEqual(peelLines([json(CLF.slice(0, 20)), json(`${CLF.slice(20)}\n`)]), [CLF]);
});

test('every wrapper file of this folder is registered', () => {
  const files = readdirSync(import.meta.dirname).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'peel.ts' && f !== 'types.ts');
  assert.deepEqual(files.map((f) => f.replace(/\.ts$/, '')).sort(), WRAPPERS.map((w) => w.name).sort());
});
