import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cpuMs } from '../../test/support/cpu-time.ts';
import { hidePasswords, isSecretName, redactHeader, redactText, urlForMessage, type Tally } from './redact.ts';

const R = '[REDACTED]';

// [line as a log writes it, the line as a report must show it, values hidden]
const HIDDEN: [string, string, number][] = [
  ['127.0.0.1 - - [22/Nov/2026:20:26:25 +0000] "GET /api/orders?token=9f8e7d6c5b4a&page=2 HTTP/1.1" 502 157 "-" "curl/8.5"',
    `127.0.0.1 - - [22/Nov/2026:20:26:25 +0000] "GET /api/orders?token=${R}&page=2 HTTP/1.1" 502 157 "-" "curl/8.5"`, 1],
  ['request: "GET /cb?access_token=ya29.a0AfH6SMB&api_key=AIzaSyD-1234&apikey=k1&key=k2 HTTP/1.1", upstream: "http://127.0.0.1:3000/cb"',
    `request: "GET /cb?access_token=${R}&api_key=${R}&apikey=${R}&key=${R} HTTP/1.1", upstream: "http://127.0.0.1:3000/cb"`, 4],
  ['GET /login?user=bob&password=hunter2&passwd=x&pwd=y&Secret=z&client_secret=cs HTTP/1.1',
    `GET /login?user=bob&password=${R}&passwd=${R}&pwd=${R}&Secret=${R}&client_secret=${R} HTTP/1.1`, 5],
  ['GET /s3/obj?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F20261122&X-Amz-Signature=ab12cd&sig=9 HTTP/1.1',
    `GET /s3/obj?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${R}&X-Amz-Signature=${R}&sig=${R} HTTP/1.1`, 3],
  ['GET /v1?apiKeySecret=s1&sessionId=s2&PHPSESSID=s3&sid=s4&auth=s5&APIKey=s6 HTTP/1.1',
    `GET /v1?apiKeySecret=${R}&sessionId=${R}&PHPSESSID=${R}&sid=${R}&auth=${R}&APIKey=${R} HTTP/1.1`, 6],
  ['GET /a;jsessionid=0A1B2C3D HTTP/1.1', `GET /a;jsessionid=${R} HTTP/1.1`, 1],
  ['upstream: "http://admin:s3cr3t@10.0.0.5:8080/api", host: "shop.example"', `upstream: "http://admin:${R}@10.0.0.5:8080/api", host: "shop.example"`, 1],
  ['connect to postgres://app:p%40ss:word@db.internal:5432/shop failed', `connect to postgres://app:${R}@db.internal:5432/shop failed`, 1],
  ['2026-11-22 20:37:11 ERROR request failed Authorization: Bearer abc.def.ghi123', `2026-11-22 20:37:11 ERROR request failed Authorization: Bearer ${R}`, 1],
  ['proxy sent Proxy-Authorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l', `proxy sent Proxy-Authorization: Basic ${R}`, 1],
  ['headers: Cookie: sid=abc123; theme=dark', `headers: Cookie: sid=${R}; theme=${R}`, 2],
  ['upstream sent Set-Cookie: session=xyz789; Path=/; HttpOnly', `upstream sent Set-Cookie: session=${R}; Path=/; HttpOnly`, 1],
  ['{"level":50,"msg":"login failed","password":"hunter2","user":"bob","headers":{"authorization":"Bearer t0k3n-value-123"}}',
    `{"level":50,"msg":"login failed","password":"${R}","user":"bob","headers":{"authorization":"${R}"}}`, 2],
  ['token expired: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U for /api',
    `token expired: ${R} for /api`, 1],
  ['calling https://api.example/v2 with bearer sk_live_51HxYzAbCdEf', `calling https://api.example/v2 with bearer ${R}`, 1],
  ['password=hunter2 user=bob retry=3', `password=${R} user=bob retry=3`, 1],
];

// Lines that must come out exactly as they went in.
const KEPT: string[] = [
  '127.0.0.1 - - [22/Nov/2026:20:26:22 +0000] "GET /api/orders?page=2&sort=desc&q=shoes&id=5&user=bob HTTP/1.1" 200 25 "-" "fivexx-lab/1" rt=0.004 ua="127.0.0.1:38823" us="200" uct="0.000" uht="0.003" urt="0.004"',
  '2026/11/22 20:26:29 [error] 10658#10658: *162 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: lab.test, request: "GET /api/orders HTTP/1.1", upstream: "http://127.0.0.1:38823/api/orders", host: "lab.test"',
  'GET /search?keyword=monkey&author=ann&keys=3&hotkey=f5 HTTP/1.1',
  'mailto:ops@example.com and http://example.com/a@b and git@github.com:org/repo.git',
  '{"level":30,"msg":"listening","port":43583,"count":"3x"}',
  'TypeError: Cannot read properties of undefined (reading \'total\')\n    at boom (file:///srv/app.ts:15:9)',
  'the bearer of bad news; eyJ is not a JWT; a.b.c neither',
  'Jan  3 09:47:02 veridian sudo: timstack : TTY=pts/6 ; PWD=/auto/wstimstack/rpms ; USER=root ; COMMAND=/usr/bin/tail /var/log/messages',
  '[Fri Sep 09 10:42:29.902022 2011] [core:error] [pid 35708:tid 4328636416] [client 89.160.20.112] File does not exist: /usr/local/apache2/htdocs/favicon.ico',
];

test('secret values are hidden, their names kept', () => {
  for (const [line, want, n] of HIDDEN) {
    const tally: Tally = { n: 0 };
    assert.equal(redactText(line, tally), want);
    assert.equal(tally.n, n, line);
  }
});

test('ordinary lines, parameters and paths stay exactly as they are', () => {
  for (const line of KEPT) {
    const tally: Tally = { n: 0 };
    assert.equal(redactText(line, tally), line);
    assert.equal(tally.n, 0, line);
  }
});

test('redacting twice changes nothing and counts nothing more', () => {
  for (const [, want] of HIDDEN) {
    const tally: Tally = { n: 0 };
    assert.equal(redactText(want, tally), want);
    assert.equal(tally.n, 0, want);
  }
});

test('secret names: words and run-together names, not words that merely contain them', () => {
  for (const n of ['token', 'access_token', 'api_key', 'apikey', 'APIKEY', 'key', 'secret', 'password', 'passwd', 'pwd', 'auth', 'session', 'sid', 'signature', 'sig', 'apiKeySecret', 'client_secret', 'X-Api-Key', 'JSESSIONID', 'refreshToken']) {
    assert.ok(isSecretName(n), n);
  }
  for (const n of ['page', 'sort', 'q', 'id', 'user', 'keyword', 'monkey', 'author', 'keys', 'signup', 'design', 'passenger', 'count', 'host']) {
    assert.ok(!isSecretName(n), n);
  }
});

test('headers by name: cookies keep their names, credentials their scheme; a URL password always goes', () => {
  const t: Tally = { n: 0 };
  assert.equal(redactHeader('Set-Cookie', 'session=abc; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Secure, other=x', t),
    `session=${R}; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Secure, other=${R}`);
  assert.equal(redactHeader('cookie', 'a=1; b', t), `a=${R}; ${R}`);
  assert.equal(redactHeader('authorization', 'Bearer abc', t), `Bearer ${R}`);
  assert.equal(redactHeader('x-auth-token', 'abc', t), R);
  assert.equal(redactHeader('location', '/next?token=abc&x=1', t), `/next?token=${R}&x=1`);
  assert.equal(redactHeader('server', 'nginx/1.22.1', t), 'nginx/1.22.1');
  assert.equal(t.n, 7);
  assert.equal(hidePasswords('http://alice:pw@127.0.0.1:8080/x?token=keep', t), `http://alice:${R}@127.0.0.1:8080/x?token=keep`);
});

test('linear time on hostile lines: 200 KB of each pattern redacts in well under a second', () => {
  const n = 200_000;
  const hostile = [
    'a'.repeat(n), '='.repeat(n), '?token='.repeat(n / 7), 'eyJ'.repeat(n / 3), `eyJ${'a'.repeat(n)}.`, '"k":"'.repeat(n / 5),
    `"password":"${'\\'.repeat(n)}`, `http://${'a'.repeat(n)}:${'b'.repeat(n)}@`, 'x://a:'.repeat(n / 6) + '@', 'Cookie: a=b;'.repeat(n / 12),
    'bearer '.repeat(n / 7), `${'A'.repeat(n)}Key=1`, 'aB'.repeat(n / 2) + '=1',
  ];
  for (const line of hostile) {
    // CPU time of this process, not wall time: load elsewhere on the machine does not count.
    const ms = cpuMs(() => redactText(line, { n: 0 }));
    assert.ok(ms < 1000, `${line.slice(0, 20)}…: ${ms.toFixed(0)} CPU ms`);
  }
});

test('a URL in an error message loses its password even when it does not parse', () => {
  assert.equal(urlForMessage('ftp://alice:s3cr3t@example.com/'), `ftp://alice:${R}@example.com/`);
  assert.equal(urlForMessage('http://alice:pa ss@wo rd@exa mple'), `http://alice:${R}@exa mple`);
  assert.equal(urlForMessage('http://example.com:8080/x'), 'http://example.com:8080/x');
  assert.equal(urlForMessage('not a url @ all: no'), 'not a url @ all: no');
});
