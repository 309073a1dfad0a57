// Writes a reproducible nginx `combined` access log (and optionally the matching error log) with one
// 502 incident: the API backend refuses connections for six minutes. Same seed, same bytes.
//
//   node bench/generate.ts --bytes 1G --out access.log [--error-bytes 100M --error-out error.log]
//
// The line shapes are the ones Debian's nginx 1.22 writes (see catalog/formats/combined.yaml and the
// nginx-error samples recorded by the lab); the traffic is synthetic: a seeded PRNG picks clients,
// paths, agents and sizes. Time advances about 80 requests per second from 2026-11-20T00:00:00Z, so
// a bigger file covers a longer span and holds the same incident, starting at 14:02:00 on the first day.
import { closeSync, openSync, writeSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { prng } from '../src/sources/kernel-lines.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export const START_MS = Date.UTC(2026, 10, 20, 0, 0, 0);
export const INCIDENT_START_MS = Date.UTC(2026, 10, 20, 14, 2, 0);
export const INCIDENT_END_MS = INCIDENT_START_MS + 6 * 60_000;
const PER_SECOND = 80;


const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'curl/7.88.1',
  'okhttp/4.12.0',
];
const PAGES = ['/', '/products', '/products/42', '/products/1337', '/cart', '/checkout', '/about', '/blog/2026/11/launch', '/search?q=shoes', '/login'];
const ASSETS = ['/static/app.3f9c1a.js', '/static/app.3f9c1a.css', '/static/logo.svg', '/favicon.ico', '/static/fonts/inter.woff2'];
const API = ['/api/orders', '/api/cart', '/api/products?page=2', '/api/session', '/api/orders/981'];
const REFERERS = ['-', 'https://shop.example.com/', 'https://shop.example.com/products', 'https://www.google.com/'];

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** "20/Nov/2026:14:02:09 +0000" for a UTC epoch second. */
function clfTime(sec: number): string {
  const d = new Date(sec * 1000);
  return `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()] ?? 'Jan'}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

/** "2026/11/20 14:02:09" as nginx's error log writes local (here UTC) time. */
function errTime(sec: number): string {
  const d = new Date(sec * 1000);
  return `${d.getUTCFullYear()}/${two(d.getUTCMonth() + 1)}/${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)([kKmMgG]?)$/.exec(s);
  if (!m) throw new Error(`not a size: ${s}`);
  const unit = { '': 1, k: 1 << 10, m: 1 << 20, g: 1 << 30 }[(m[2] ?? '').toLowerCase()] ?? 1;
  return Math.round(Number(m[1]) * unit);
}

class Writer {
  private parts: string[] = [];
  private pending = 0;
  written = 0;
  private readonly fd: number;
  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }
  add(line: string): void {
    this.parts.push(line);
    this.pending += line.length + 1;
    if (this.pending > 4 << 20) this.flush();
  }
  flush(): void {
    if (this.parts.length === 0) return;
    const buf = Buffer.from(`${this.parts.join('\n')}\n`, 'latin1');
    writeSync(this.fd, buf);
    this.written += buf.length;
    this.parts = [];
    this.pending = 0;
  }
  get size(): number {
    return this.written + this.pending;
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

export interface Generated {
  readonly lines: number;
  readonly failed: number;
  readonly errorLines: number;
}

/** Writes the access log (and the error log when asked); returns counts for the bench to check against. */
export interface GenerateOptions {
  readonly bytes: number;
  readonly out: string;
  readonly errorBytes?: number;
  readonly errorOut?: string;
  readonly seed?: number;
  /** Outage shapes: every line independently a 502 with this probability (its error line written too). */
  readonly failShare?: number;
  /** Outage shapes: the incident lasts this many minutes (default 6) and fails every request, not only /api/. */
  readonly outageMinutes?: number;
  /** Outage shapes: write only the error log, one upstream error a request, until it reaches `errorBytes`. */
  readonly errorOnly?: boolean;
}

/** Writes the access log (and the error log when asked); returns counts for the bench to check against. */
export function generate(opts: GenerateOptions): Generated {
  const rnd = prng(opts.seed ?? 5);
  const pick = <T>(xs: readonly T[]): T => {
    const x = xs[Math.floor(rnd() * xs.length)];
    if (x === undefined) throw new Error('empty list');
    return x;
  };
  const access = new Writer(opts.errorOnly ? '/dev/null' : opts.out);
  const incidentEnd = opts.outageMinutes === undefined ? INCIDENT_END_MS : INCIDENT_START_MS + opts.outageMinutes * 60_000;
  const full = opts.outageMinutes !== undefined;
  const share = opts.failShare ?? 0;
  const more = (): boolean => (opts.errorOnly ? (error?.size ?? 0) < errorBudget : access.size < opts.bytes);
  const error = opts.errorOut && opts.errorBytes ? new Writer(opts.errorOut) : undefined;
  const errorBudget = opts.errorBytes ?? 0;
  // Error lines per access line, so that the error log reaches its size when the access log does.
  const errorRatio = error ? errorBudget / 230 / (opts.bytes / 190) : 0;
  // A site's visitors: 50,000 addresses, a few of them much busier than the rest (rnd() * rnd()).
  const CLIENTS = Array.from({ length: 50_000 }, () => `${10 + Math.floor(rnd() * 200)}.${Math.floor(rnd() * 256)}.${Math.floor(rnd() * 256)}.${1 + Math.floor(rnd() * 254)}`);
  let lines = 0;
  let failed = 0;
  let errorLines = 0;
  let conn = 1000;
  let sec = START_MS / 1000;
  let inSecond = 0;
  while (more()) {
    if (++inSecond > PER_SECOND) {
      sec++;
      inSecond = 0;
    }
    const ms = sec * 1000;
    const client = CLIENTS[Math.floor(rnd() * rnd() * CLIENTS.length)] ?? '';
    const r = rnd();
    const path = r < 0.5 ? pick(ASSETS) : r < 0.8 ? pick(PAGES) : r < 0.98 ? pick(API) : '/wp-login.php';
    const method = path.startsWith('/api/orders') && rnd() < 0.3 ? 'POST' : 'GET';
    const inOutage = ms >= INCIDENT_START_MS && ms < incidentEnd;
    const down = (inOutage && (full || path.startsWith('/api/'))) || (share > 0 && rnd() < share) || opts.errorOnly === true;
    let status = path === '/wp-login.php' ? 404 : path.startsWith('/static/') && rnd() < 0.3 ? 304 : 200;
    if (down) status = 502;
    let bytes = status === 304 ? 0 : status === 404 ? 153 : status === 502 ? 157 : 200 + Math.floor(rnd() * 40_000);
    // A rare unrelated bug: the app answers 500 on one order page now and then.
    if (!down && path === '/api/orders/981' && rnd() < 0.001) {
      status = 500;
      bytes = 21;
    }
    if (status >= 500) failed++;
    const t = clfTime(sec);
    access.add(`${client} - - [${t}] "${method} ${path} HTTP/1.1" ${status} ${bytes} "${pick(REFERERS)}" "${pick(AGENTS)}"`);
    lines++;
    if (!error) continue;
    conn++;
    const request = `request: "${method} ${path} HTTP/1.1"`;
    if (down) {
      error.add(`${errTime(sec)} [error] 2213#2213: *${conn} connect() failed (111: Connection refused) while connecting to upstream, client: ${client}, server: shop.example.com, ${request}, upstream: "http://127.0.0.1:8080${path}", host: "shop.example.com"`);
      errorLines++;
    } else if (status === 404) {
      error.add(`${errTime(sec)} [error] 2213#2213: *${conn} open() "/var/www/shop/wp-login.php" failed (2: No such file or directory), client: ${client}, server: shop.example.com, ${request}, host: "shop.example.com"`);
      errorLines++;
    }
    // Background noise an nginx error log is full of on a busy site.
    if (!opts.errorOnly && rnd() < errorRatio && error.size < errorBudget) {
      error.add(`${errTime(sec)} [warn] 2213#2213: *${conn} an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/${conn % 10}/${two(conn % 100)}/00000${conn} while reading upstream, client: ${client}, server: shop.example.com, ${request}, upstream: "http://127.0.0.1:8080${path}", host: "shop.example.com", referrer: "https://shop.example.com/"`);
      errorLines++;
    }
  }
  access.close();
  error?.close();
  return { lines, failed, errorLines };
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      bytes: { type: 'string', default: '1G' }, out: { type: 'string' }, 'error-bytes': { type: 'string' }, 'error-out': { type: 'string' }, seed: { type: 'string' },
      'fail-share': { type: 'string' }, 'outage-minutes': { type: 'string' }, 'error-only': { type: 'boolean', default: false },
    },
  });
  if (!values.out) {
    console.error('usage: node bench/generate.ts --bytes 1G --out FILE [--error-bytes 100M --error-out FILE] [--fail-share 0.5] [--outage-minutes 120] [--error-only]');
    process.exit(2);
  }
  const g = generate({
    bytes: parseSize(values.bytes), out: values.out, errorBytes: values['error-bytes'] ? parseSize(values['error-bytes']) : undefined,
    errorOut: values['error-out'], seed: values.seed ? Number(values.seed) : undefined,
    failShare: values['fail-share'] ? Number(values['fail-share']) : undefined,
    outageMinutes: values['outage-minutes'] ? Number(values['outage-minutes']) : undefined, errorOnly: values['error-only'],
  });
  console.log(JSON.stringify(g));
}
