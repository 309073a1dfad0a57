// Hostile input and hostile neighbours: a compile cache planted by another user, escape bytes and secrets in logs,
// a server that sets cookies and a URL that holds a password. Each runs the real command as a process.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const BIN = join(ROOT, 'src/cli/bin.ts');
const tmp = mkdtempSync(join(tmpdir(), 'fivexx-sec-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

interface Ran {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs `node bin …` as a child process (asynchronously: a test's own server keeps answering meanwhile). */
function runNode(bin: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { env, encoding: 'utf8', timeout: 60_000, maxBuffer: 16 << 20 }, (err, out, errText) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
      resolve({ code, out, err: errText });
    });
  });
}

/** Every file under `dir` with its size and modification time, to prove nothing was written there. */
function snapshot(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort().map((f) => {
    const st = statSync(join(dir, f));
    return `${f} ${st.size} ${st.mtimeMs} ${st.uid}`;
  });
}

const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;

test('a compile cache planted in the temp folder by another user is neither loaded nor written', { skip: asRoot ? false : 'needs root to plant a folder owned by another user (nobody)' }, async () => {
  const dir = mkdtempSync(join(tmp, 'cache-'));
  chmodSync(dir, 0o755);
  const pkg = join(dir, 'pkg');
  cpSync(join(ROOT, 'src'), join(pkg, 'src'), { recursive: true, filter: (p) => !p.endsWith('.test.ts') });
  cpSync(join(ROOT, 'package.json'), join(pkg, 'package.json'));
  const bin = join(pkg, 'src/cli/bin.ts');
  const home = join(dir, 'home');
  mkdirSync(home, { mode: 0o700 });
  const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: dir, HOME: home };
  for (const k of ['NODE_COMPILE_CACHE', 'XDG_CACHE_HOME', 'NODE_DISABLE_COMPILE_CACHE']) delete env[k];

  // The attacker's bytecode: the same file compiled with one string changed (same length), its header
  // made to claim the original source, as anyone who can read the package can do.
  const mainTs = join(pkg, 'src/cli/main.ts');
  const original = readFileSync(mainTs, 'utf8');
  assert.ok(original.includes('find 5xx incidents'), 'the help text the attack changes');
  await runNode(bin, ['help'], { ...env, NODE_COMPILE_CACHE: join(dir, 'a') });
  writeFileSync(mainTs, original.replace('find 5xx incidents', 'PWND 5xx incidents'));
  await runNode(bin, ['help'], { ...env, NODE_COMPILE_CACHE: join(dir, 'b') });
  writeFileSync(mainTs, original);
  const [sub] = readdirSync(join(dir, 'b'));
  assert.ok(sub, 'node wrote a compile cache');
  const planted = join(dir, 'node-compile-cache');
  mkdirSync(join(planted, sub), { recursive: true });
  for (const f of readdirSync(join(dir, 'b', sub))) {
    const forged = readFileSync(join(dir, 'b', sub, f));
    const honest = join(dir, 'a', sub, f);
    if (existsSync(honest)) readFileSync(honest).copy(forged, 12, 12, 16);
    writeFileSync(join(planted, sub, f), forged, { mode: 0o644 });
    chownSync(join(planted, sub, f), NOBODY, NOBODY);
  }
  for (const d of [planted, join(planted, sub)]) {
    chownSync(d, NOBODY, NOBODY);
    chmodSync(d, 0o777);
  }
  const before = snapshot(planted);

  const r = await runNode(bin, ['help'], env);
  assert.equal(r.code, 0, r.err);
  assert.doesNotMatch(r.out, /PWND/, 'the planted bytecode ran');
  assert.match(r.out, /find 5xx incidents/);
  assert.deepEqual(snapshot(planted), before, 'fivexx wrote into a folder another user owns');
  const own = join(home, '.cache', 'fivexx');
  assert.equal(statSync(own).mode & 0o777, 0o700, 'its own cache folder is private');
  assert.equal(statSync(own).uid, 0);
});

// Secrets and escape bytes as hostile or careless software writes them into logs (made up here, not copied).
const ESC = '\x1b';
const OSC = `${ESC}]0;PWNED-TITLE\x07`;
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJib2IifQ.c2lnbmF0dXJlLXZhbHVl';
const SECRETS = ['AT-SECRET-1', 'UPSTREAM-PW', 'BEARER-SECRET-123', JWT, 'COOKIE-SECRET', 'DB-PASSWORD', 'HUNTER2-SECRET'];
/** Any control character a terminal acts on (newline and tab aside), C1, and the bidi controls. */
const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

let made: { gateway: string; app: string; badName: string } | undefined;

function hostileLogs(): { gateway: string; app: string; badName: string } {
  made ??= writeHostileLogs();
  return made;
}

function writeHostileLogs(): { gateway: string; app: string; badName: string } {
  const gateway = join(tmp, 'gateway');
  const app = join(tmp, 'app');
  mkdirSync(gateway);
  mkdirSync(app);
  const err: string[] = [];
  const acc: string[] = [];
  for (let k = 0; k < 6; k++) {
    err.push(`2026/11/22 20:26:29 [error] 10658#10658: *${162 + k} connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: lab.test${OSC}, request: "GET /api/orders?access_token=AT-SECRET-1&page=2 HTTP/1.1", upstream: "http://admin:UPSTREAM-PW@127.0.0.1:38823/api/orders?access_token=AT-SECRET-1&page=2", host: "lab.test\u202e"`);
    acc.push(`127.0.0.1 - - [22/Nov/2026:20:26:29 +0000] "GET /api/orders?access_token=AT-SECRET-1&page=2 HTTP/1.1" 502 157 "-" "curl${ESC}[31m\r\`\`\`\r## injected [click](http://evil.example)\r Authorization: Bearer BEARER-SECRET-123 ${JWT}" rt=0.000 ua="127.0.0.1:38823" us="502" uct="-" uht="-" urt="0.000"`);
  }
  writeFileSync(join(gateway, 'error.log'), err.join('\n') + '\n');
  writeFileSync(join(gateway, 'access.log'), acc.join('\n') + '\n');
  const trace = (k: number): string => [
    `2026-11-22 20:26:29,00${k} ERROR [shop.web] Internal Server Error: /api/orders password=HUNTER2-SECRET`,
    'Traceback (most recent call last):',
    '  File "/srv/app.py", line 23, in do_GET',
    `psycopg2.OperationalError: ${OSC}postgres://shop:DB-PASSWORD@db.internal/shop refused; Cookie: sid=COOKIE-SECRET; theme=dark`,
  ].join('\n');
  writeFileSync(join(app, 'app.log'), [0, 1, 2].map(trace).join('\n') + '\n');
  writeFileSync(join(app, 'access.log'), Array(3).fill('127.0.0.1 - - [22/Nov/2026:20:26:29 +0000] "GET /api/orders HTTP/1.1" 500 32 "-" "curl/8" rt=0.008 ua="127.0.0.1:38823" us="500" uct="0.001" uht="0.007" urt="0.008"').join('\n') + '\n');
  const badName = join(tmp, `odd${OSC}name.log`);
  writeFileSync(badName, 'not a log line at all\n');
  return { gateway, app, badName };
}

test('analyze: escape bytes from logs never reach the terminal or a ticket raw, and secrets are hidden by default', async () => {
  const { gateway, app, badName } = hostileLogs();
  const [term, md, json] = await Promise.all(['--no-color', '--markdown', '--json'].map((f) => runNode(BIN, ['analyze', f, gateway, app, badName])));
  for (const r of [term, md, json]) assert.equal(r.code, 1, r.err);
  for (const [name, text] of [['terminal', term.out], ['markdown', md.out], ['json', json.out], ['stderr', term.err]] as const) {
    assert.doesNotMatch(text, RAW_CONTROL, `${name}: a raw control character`);
  }
  assert.ok(term.out.includes('\\x1b]0;PWNED-TITLE\\x07'), 'the escape shows as visible text');
  assert.ok(md.out.includes('\\x1b]0;PWNED-TITLE\\x07') && md.out.includes('\\u202e'));
  assert.ok(term.err.includes('odd\\x1b]0;PWNED-TITLE\\x07name.log'), `the warning names the file visibly: ${term.err}`);
  for (const secret of SECRETS) {
    for (const [name, text] of [['terminal', term.out], ['markdown', md.out], ['json', json.out]] as const) {
      assert.ok(!text.includes(secret), `${name} shows ${secret}`);
    }
  }
  const a = JSON.parse(json.out) as { redacted: number; incidents: { evidence: { text: string }[] }[] };
  const evidence = a.incidents.flatMap((i) => i.evidence.map((e) => e.text)).join('\n');
  for (const kept of ['access_token=[REDACTED]&page=2', 'http://admin:[REDACTED]@127.0.0.1:38823', 'Bearer [REDACTED]', 'sid=[REDACTED]; theme=[REDACTED]', 'shop:[REDACTED]@db.internal']) {
    assert.ok(evidence.includes(kept), `evidence keeps the name, hides the value: ${kept}`);
  }
  assert.ok(a.redacted >= 8, `redacted: ${a.redacted}`);
  assert.match(term.out, /\d+ secret value\(s\) shown as \[REDACTED\].*--no-redact/);
  assert.match(md.out, /\d+ secret value\(s\) shown as \[REDACTED\]/);

  const [open, openTerm] = await Promise.all([runNode(BIN, ['analyze', '--json', '--no-redact', gateway, app]), runNode(BIN, ['analyze', '--no-color', '--no-redact', gateway])]);
  const plain = JSON.parse(open.out) as { redacted: number };
  assert.equal(plain.redacted, 0);
  assert.ok(open.out.includes('AT-SECRET-1') && open.out.includes('COOKIE-SECRET'), '--no-redact shows what the logs say');
  assert.doesNotMatch(openTerm.out, RAW_CONTROL, '--no-redact still escapes');
  assert.doesNotMatch(openTerm.out, /secret value\(s\)/);
});

test('analyze --markdown: no quoted line can close the evidence fence or start a heading', async () => {
  const r = await runNode(BIN, ['analyze', '--markdown', hostileLogs().gateway]);
  const lines = r.out.split(/\r\n|\r|\n/);
  const start = lines.indexOf('**Evidence**') + 2;
  const fence = lines[start] ?? '';
  assert.match(fence, /^`{3,}$/);
  const end = lines.indexOf(fence, start + 1);
  assert.ok(end > start + 1, 'the fence closes after the evidence');
  for (const l of lines.slice(start + 1, end)) assert.doesNotMatch(l, /^ {0,3}(`{3,}|~{3,})/, `a line that could close the fence: ${l}`);
  assert.ok(!lines.some((l) => l.startsWith('## injected')), 'a heading injected from a log line');
});

test('diagnose: the URL password never shows; cookies and secret query parameters are hidden unless --no-redact', async (t) => {
  const server = createServer((_req, res) => {
    res.setHeader('Set-Cookie', ['session=COOKIE-SRV-SECRET; Path=/; HttpOnly', 'theme=dark; Path=/']);
    res.writeHead(502, { 'content-type': 'text/html', server: 'nginx' });
    res.end('<html><body>502 Bad Gateway token=BODY-TOKEN</body></html>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const port = (server.address() as AddressInfo).port;
  const url = `http://alice:URL-PASSWORD@127.0.0.1:${port}/checkout?token=QUERY-TOKEN&page=2`;

  const [json, term, open] = await Promise.all([['--json'], ['--no-color'], ['--json', '--no-redact']].map((f) => runNode(BIN, ['diagnose', ...f, '--timeout', '5s', url])));
  assert.equal(json.code, 1, json.err);
  const d = JSON.parse(json.out) as { url: string; redacted: number; checks: { name: string; headers?: Record<string, string>; body?: string }[] };
  assert.equal(d.url, `http://alice:[REDACTED]@127.0.0.1:${port}/checkout?token=[REDACTED]&page=2`);
  const http = d.checks.find((c) => c.name === 'http');
  assert.equal(http?.headers?.['set-cookie'], 'session=[REDACTED]; Path=/; HttpOnly, theme=[REDACTED]; Path=/');
  assert.match(http?.body ?? '', /token=\[REDACTED\]/);
  assert.ok(d.redacted >= 5, `redacted: ${d.redacted}`);
  assert.equal(term.code, 1, term.err);
  assert.match(term.out, /secret value\(s\) shown as \[REDACTED\]/);
  for (const r of [json, term]) {
    for (const secret of ['URL-PASSWORD', 'COOKIE-SRV-SECRET', 'QUERY-TOKEN', 'BODY-TOKEN']) assert.ok(!(r.out + r.err).includes(secret), `shows ${secret}`);
  }

  assert.ok(open.out.includes('COOKIE-SRV-SECRET') && open.out.includes('QUERY-TOKEN'), '--no-redact shows cookies and parameters');
  assert.ok(!open.out.includes('URL-PASSWORD'), 'but never the password of the URL');
  for (const bad of ['ftp://alice:URL-PASSWORD@127.0.0.1/', 'http://alice:URL PASSWORD@127 .0.0.1/']) {
    const r = await runNode(BIN, ['diagnose', '--json', bad]);
    assert.equal(r.code, 2);
    assert.match(r.err, /^fivexx: FIVEXX_URL_INVALID: /);
    assert.ok(!(r.out + r.err).includes('PASSWORD'), `an error message echoes the password: ${r.err}`);
  }
});

test('the real log that leaked an API secret into reports (shared/real-world boglogs) shows it no more', async (t) => {
  const dir = join(ROOT, '../shared/real-world/boglogs/nginx');
  if (!existsSync(dir)) return t.skip('../shared/real-world is not beside this clone');
  const r = await runNode(BIN, ['analyze', '--json', dir]);
  assert.equal(r.code, 1, r.err);
  const a = JSON.parse(r.out) as { redacted: number };
  assert.ok(a.redacted > 0);
  assert.doesNotMatch(r.out, /apiKeySecret=(?!\[REDACTED\])/);
  assert.match(r.out, /apiKeySecret=\[REDACTED\]/);
});
