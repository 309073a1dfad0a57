// Generated and damaged log lines for the tests that hold each WebAssembly kernel to its JavaScript
// reference (combined-kernel.test.ts, quiet-kernel.test.ts): plain lines of every shape the checks
// accept, and copies with a byte changed, dropped, doubled or cut, so that every early exit is taken.

import { readFileSync } from 'node:fs';
import { OPEN_TAIL_LIMIT } from '../parse/line-shapes.ts';

/** A small deterministic generator (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A copy of `line` spoilt up to four times: a few characters dropped, or one of `bits` (the separators a
 * reader searches for) put in at a random place, so that every early exit of a reader is taken.
 */
export function spoilt(line: string, rnd: () => number, bits: readonly string[]): string {
  let s = line;
  for (let k = Math.floor(rnd() * 4); k >= 0; k--) {
    const at = Math.floor(rnd() * (s.length + 1));
    if (rnd() < 0.3) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(rnd() * 6));
    else s = s.slice(0, at) + (bits[Math.floor(rnd() * bits.length)] ?? '') + s.slice(at);
  }
  return s;
}

const pick = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
const two = (n: number): string => String(n).padStart(2, '0');
/** Bytes that the checks look for, and some they must not trip on. */
const NOISE = [' ', '"', '[', ']', '-', ':', '/', '+', '0', '5', '9', 'a', 'Z', '\\', '\t', '\u0000', '\u00ff', ','];

/** A combined (or Common Log Format) line, plain or unusual in the ways real logs are. */
export function combinedLine(rnd: () => number): string {
  const client = pick(rnd, ['10.0.0.1', '2001:db8::1', 'example.com', '-', '192.168.1.200']);
  const user = pick(rnd, ['-', '-', 'alice', 'bob smith']);
  const day = `${two(1 + Math.floor(rnd() * 28))}/${pick(rnd, ['Jan', 'Feb', 'Nov', 'Dec', 'Foo'])}/${pick(rnd, ['2026', '2025', '20x6'])}`;
  const time = `${two(Math.floor(rnd() * 24))}:${two(Math.floor(rnd() * 60))}:${two(Math.floor(rnd() * 60))}`;
  const zone = pick(rnd, ['+0000', '+0100', '-0530', '+1400', '0000']);
  const request = pick(rnd, [
    'GET / HTTP/1.1', 'POST /api/orders?x=1 HTTP/2.0', '-', 'GET /a\\"b HTTP/1.1', '\\x16\\x03', 'GET /caf\u00e9?x HTTP/1.1',
    'GET /q?\u00e9 HTTP/1.1', 'GET http://x.test/ HTTP/1.1', 'GET /a?b?c HTTP/1.1', 'GET /only', 'GET  /two HTTP/1.1', ' /x HTTP/1.1',
  ]);
  const status = pick(rnd, ['200', '304', '404', '499', '500', '502', '599', '600', '099', '1000', '20x', '100']);
  const bytes = pick(rnd, ['0', '157', '-', '40213']);
  const tail = pick(rnd, [
    '', ` "-" "curl/8.0"`, ` "https://x.test/" "Mozilla/5.0 (X11)"`, ` "-" "agent with \\"quote\\""`, ` "-" "cut agent`,
    ` "-" "${'a'.repeat(5000)}`, ` "-" "${'a'.repeat(OPEN_TAIL_LIMIT - 1)}`, ` "-" "${'a'.repeat(OPEN_TAIL_LIMIT)}`,
    ` "-" "ok" rt=0.001 us="502"`, ` "-"`, ` "a" "b" "c"`, ` "-" "curl/8.0"\r`, ` "-" "curl/8.0" `, ` "-" "curl/8.0"\r\r`, '\r',
  ]);
  return `${client} - ${user} [${day}:${time} ${zone}] "${request}" ${status} ${bytes}${tail}`;
}

/** An nginx error-log line: a plain record start or something near it. */
export function nginxErrorLine(rnd: () => number): string {
  const time = `2026/${two(1 + Math.floor(rnd() * 12))}/${two(1 + Math.floor(rnd() * 28))} ${two(Math.floor(rnd() * 24))}:${two(Math.floor(rnd() * 60))}:${two(Math.floor(rnd() * 60))}`;
  const level = pick(rnd, ['error', 'warn', 'crit', 'notice', '']);
  const message = pick(rnd, [
    'connect() failed (111: Connection refused) while connecting to upstream',
    'an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/1 while reading upstream',
    'upstream timed out (110: Connection timed out) while reading response header from upstream',
    'no live upstreams while connecting to upstream',
    'signal 1 (SIGHUP) received from 1234, reconfiguring',
    'open() "/srv/www/favicon.ico" failed (2: No such file or directory)',
    'FastCGI sent in stderr: "PHP message: PHP Fatal error:  Uncaught Exception: boom"',
    'x',
  ]);
  const tail = pick(rnd, ['', ', client: 10.0.0.1, server: x.test, request: "GET / HTTP/1.1", upstream: "http://127.0.0.1:8080/", host: "x.test"', ', client: 1.2.3.4', ', client: ']);
  return `${time} [${level}] 2213#2213: *${Math.floor(rnd() * 1e6)} ${message}${tail}`;
}

/** Replaces one of the line's punctuation bytes (what the checks look for) with another byte. */
function breakPunctuation(rnd: () => number, s: string): string {
  const at: number[] = [];
  for (let i = 0; i < s.length; i++) if (' ":/[]-+,'.includes(s[i] ?? '')) at.push(i);
  if (at.length === 0) return s;
  const i = pick(rnd, at);
  return s.slice(0, i) + pick(rnd, NOISE.filter((c) => c !== s[i])) + s.slice(i + 1);
}

/** A copy with one or two bytes changed, dropped or doubled, a punctuation byte changed, or cut short. */
export function damaged(rnd: () => number, line: string): string {
  let s = line;
  for (let k = 1 + Math.floor(rnd() * 2); k > 0; k--) {
    const at = Math.floor(rnd() * (s.length + 1));
    const op = Math.floor(rnd() * 5);
    if (op === 4) s = breakPunctuation(rnd, s);
    else if (op === 0) s = s.slice(0, at) + pick(rnd, NOISE) + s.slice(at + 1);
    else if (op === 1) s = s.slice(0, at) + s.slice(at + 1);
    else if (op === 2) s = s.slice(0, at) + (s[at] ?? '') + s.slice(at);
    else s = s.slice(0, at);
  }
  return s;
}

/** `n` lines from `make`, about half of them damaged. */
export function lines(seed: number, n: number, make: (rnd: () => number) => string): string[] {
  const rnd = prng(seed);
  return Array.from({ length: n }, () => (rnd() < 0.5 ? make(rnd) : damaged(rnd, make(rnd))));
}

/**
 * nginx error records for the byte readers' tests (nginx-error-bytes.test.ts, error-head-kernel.test.ts):
 * real shapes (TCP and unix upstreams, IPv6, non-ASCII, subrequests) and broken ones (no pid, no message,
 * a bad level, an open quote, an impossible date, a long message).
 */
export const NGINX_ERROR_LINES: readonly string[] = [
  '2026/11/20 00:00:00 [error] 2213#2213: *1001 connect() failed (111: Connection refused) while connecting to upstream, client: 195.107.103.3, server: shop.example.com, request: "POST /api/orders/981?a=1 HTTP/1.1", upstream: "http://127.0.0.1:8080/api/orders/981", host: "shop.example.com"',
  '2026/11/20 00:00:01 [warn] 2213#2213: *1 an upstream response is buffered, client: 1.2.3.4, server: s, request: "GET / HTTP/1.1", subrequest: "/x", upstream: "fastcgi://unix:/run/php/fpm.sock:", host: "h", referrer: "https://r/"',
  '2026/11/20 00:00:02 [crit] 1#1: *3 connect() to unix:/run/php.sock failed (2: No such file or directory) while connecting to upstream, client: ::1, server: _, request: "GET /ä?q HTTP/2.0", upstream: "fastcgi://unix:/run/php.sock:", host: "ü.example"',
  '2026/11/20 00:00:03 [error] 7#7: no live upstreams while connecting to upstream',
  '2026/11/20 00:00:04 [error] 7#7: *9 upstream timed out, client: 1.1.1.1',
  '2026/11/20 00:00:05 [error] 7#7: *9 x, client: 1.1.1.1, server: s, request: "GET", host: "h',
  '2026/11/20 00:00:06 [error] 7#7: *9 x, client: 1.1.1.1, server: s, request: "GET /a", b", upstream: "http://[::1]:80/p", host: "h"',
  '2026/11/20 00:00:07 [error] *9 no pid, client: a, server: b, request: "GET  /x HTTP/1.1"',
  '2026/11/20 00:00:08 [error]',
  '2026/11/20 00:00:08 [error] ',
  '2026/11/20 00:00:09 [emerg]x, client: ',
  '2026/11/20 00:00:09 [errorxx] 1#1: m',
  '2026/11/20 00:00:09 [ERROR] 1#1: m',
  '2026/13/45 25:61:61 [error] 1#1: *1 m, client: 1, server: 2, request: "GET /p HTTP/1.1", host: "h"',
  '2026/11/20 00:00:00 [error] 2213#2213: *1001 connect() failed (111: Connection refused) while connecting to upstream, client: 195.107.103.3, server: shop.example.com, request: "POST /api/orders/981 HTTP/1.1", upstream: "http://127.0.0.1:8080/api/orders/981", host: "shop.example.com"',
  '2026/11/20 00:00:00 [error] 2213#2213: *1002 connect() failed (111: Connection refused) while connecting to upstream, client: 153.37.121.244, server: shop.example.com, request: "GET /static/logo.svg HTTP/1.1", upstream: "http://127.0.0.1:8080/static/logo.svg", host: "shop.example.com"',
  `2026/11/20 00:00:10 [error] 1#1: *2 ${'long '.repeat(500)}, client: 1, server: s, request: "GET /${'p'.repeat(300)} HTTP/1.1", host: "h"`,
];

/** The lines of the bundled samples' nginx error logs. */
export function nginxErrorSampleLines(): string[] {
  return ['nginx-composite', 'nginx-database-down', 'nginx-php-fatal'].flatMap((d) => readFileSync(new URL(`../../samples/${d}/error.log`, import.meta.url), 'utf8').split('\n'));
}
