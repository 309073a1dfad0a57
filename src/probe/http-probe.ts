// Probes one URL hop by hop: DNS (every address), TCP connect, TLS (protocol, certificate), then an HTTP
// request to each address with hard timeouts, a bounded body read and a traceable request id.
import { randomBytes, randomUUID } from 'node:crypto';
import { getServers } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, connect as netConnect } from 'node:net';
import { checkServerIdentity, connect as tlsConnect, type PeerCertificate } from 'node:tls';
import type { Check } from './types.ts';

export interface ProbeOptions {
  readonly timeoutMs: number;
  readonly maxRedirects: number;
  readonly bodyBytes: number;
  /** Probe at most this many addresses of the name. */
  readonly maxAddresses: number;
}

export const DEFAULT_PROBE: ProbeOptions = { timeoutMs: 10_000, maxRedirects: 5, bodyBytes: 2048, maxAddresses: 4 };

const now = (): number => performance.now();
const round = (ms: number): number => Math.round(ms * 10) / 10;

function errCode(err: unknown): string {
  const e = err as { code?: string; message?: string };
  return e.code ?? e.message ?? String(err);
}

/** The resolvers the system uses (getaddrinfo follows /etc/hosts first, then these). */
function resolvers(): string {
  const s = getServers();
  return s.length ? s.join(', ') : 'system default';
}

/** DNS: every A/AAAA address, or the literal itself. */
async function resolve(host: string, timeoutMs: number): Promise<{ check: Check; addresses: string[] }> {
  const t = now();
  if (isIP(host)) return { check: { name: 'dns', ok: true, ms: 0, detail: `${host} (literal address)` }, addresses: [host] };
  try {
    const timer = new Promise<never>((_, reject) => setTimeout(() => reject(Object.assign(new Error('DNS timeout'), { code: 'ETIMEOUT' })), timeoutMs).unref());
    const found = await Promise.race([lookup(host, { all: true }), timer]);
    const addresses = found.map((a) => a.address);
    return { check: { name: 'dns', ok: true, ms: round(now() - t), detail: `${addresses.join(', ')} (resolver ${resolvers()})` }, addresses };
  } catch (err) {
    return { check: { name: 'dns', ok: false, ms: round(now() - t), detail: `${errCode(err)} ${host} (resolver ${resolvers()})`, code: errCode(err) }, addresses: [] };
  }
}

/** TCP connect to one address. */
function tcp(address: string, port: number, timeoutMs: number): Promise<Check> {
  const t = now();
  return new Promise((resolve) => {
    const s = netConnect({ host: address, port, timeout: timeoutMs });
    const done = (ok: boolean, detail: string, code?: string): void => {
      s.destroy();
      resolve({ name: 'tcp', ok, ms: round(now() - t), detail, address, ...(code ? { code } : {}) });
    };
    s.once('connect', () => done(true, `${address}:${port}`));
    s.once('timeout', () => done(false, `no answer from ${address}:${port} within ${timeoutMs} ms`, 'ETIMEDOUT'));
    s.once('error', (e) => done(false, `${errCode(e)} ${address}:${port}`, errCode(e)));
  });
}

function certDetail(cert: PeerCertificate, servername: string): { ok: boolean; detail: string } {
  const until = new Date(cert.valid_to);
  const from = new Date(cert.valid_from);
  const problems: string[] = [];
  if (Date.now() > until.getTime()) problems.push(`certificate expired on ${until.toISOString().slice(0, 10)}`);
  if (Date.now() < from.getTime()) problems.push(`certificate not valid before ${from.toISOString().slice(0, 10)}`);
  if (servername && !isIP(servername)) {
    const mismatch = checkServerIdentity(servername, cert);
    if (mismatch) problems.push(`certificate does not match ${servername}`);
  }
  return problems.length
    ? { ok: false, detail: problems.join('; ') }
    : { ok: true, detail: `certificate valid until ${until.toISOString().slice(0, 10)}` };
}

/** TLS handshake to one address: protocol, certificate validity, chain trust, name match. */
function tls(address: string, port: number, servername: string, timeoutMs: number): Promise<Check> {
  const t = now();
  return new Promise((resolve) => {
    const s = tlsConnect({ host: address, port, servername: isIP(servername) ? undefined : servername, rejectUnauthorized: false, timeout: timeoutMs });
    const done = (c: Omit<Check, 'name' | 'ms' | 'address'>): void => {
      s.destroy();
      resolve({ name: 'tls', ms: round(now() - t), address, ...c });
    };
    s.once('secureConnect', () => {
      const cert = s.getPeerCertificate();
      const d = certDetail(cert, servername);
      const trust = s.authorized ? '' : `; not trusted: ${String(s.authorizationError)}`;
      done({ ok: d.ok && s.authorized, detail: `${s.getProtocol() ?? 'TLS'}, ${d.detail}${trust}`, ...(d.ok && s.authorized ? {} : { code: String(s.authorizationError ?? 'CERT_INVALID') }) });
    });
    s.once('timeout', () => done({ ok: false, detail: `no TLS handshake within ${timeoutMs} ms`, code: 'ETIMEDOUT' }));
    s.once('error', (e) => done({ ok: false, detail: `TLS handshake failed: ${errCode(e)} ${(e as Error).message}`.slice(0, 300), code: errCode(e) }));
  });
}

interface HttpResult {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly httpVersion: string;
  readonly phases: { dns: number; connect: number; tls: number; ttfb: number; total: number };
  readonly location: string | undefined;
}

/** One HTTP request to a fixed address, with a bounded body and a hard timeout over the whole exchange. */
function httpOnce(url: URL, address: string, opts: ProbeOptions, ids: { requestId: string; traceparent: string }): Promise<HttpResult> {
  const t0 = now();
  const phases = { dns: 0, connect: 0, tls: 0, ttfb: 0, total: 0 };
  const secure = url.protocol === 'https:';
  const make = secure ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = make({
      host: address, port: url.port || (secure ? 443 : 80), path: `${url.pathname}${url.search}`, method: 'GET', agent: false,
      servername: isIP(url.hostname) ? undefined : url.hostname, rejectUnauthorized: false,
      headers: { host: url.host, 'user-agent': 'fivexx-diagnose/1', accept: '*/*', 'x-request-id': ids.requestId, traceparent: ids.traceparent },
      maxHeaderSize: 64 * 1024,
    });
    const timer = setTimeout(() => req.destroy(Object.assign(new Error(`no complete response within ${opts.timeoutMs} ms`), { code: 'ETIMEDOUT' })), opts.timeoutMs);
    req.on('socket', (s) => {
      s.once('connect', () => (phases.connect = round(now() - t0)));
      s.once('secureConnect', () => (phases.tls = round(now() - t0 - phases.connect)));
    });
    req.once('response', (res: IncomingMessage) => {
      phases.ttfb = round(now() - t0);
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < opts.bodyBytes) chunks.push(c.subarray(0, opts.bodyBytes - size));
        size += c.length;
        if (size > 1 << 20) res.destroy();
      });
      const finish = (): void => {
        clearTimeout(timer);
        phases.total = round(now() - t0);
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
        resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('utf8'), httpVersion: res.httpVersion, phases, location: res.headers.location });
      };
      res.once('end', finish);
      res.once('close', finish);
      res.once('error', finish);
    });
    req.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    req.end();
  });
}

function traceIds(): { requestId: string; traceparent: string } {
  return { requestId: randomUUID(), traceparent: `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01` };
}

/** HTTP to one address, following redirects on the same origin up to the limit. */
async function http(url: URL, address: string, opts: ProbeOptions): Promise<Check> {
  const ids = traceIds();
  const redirects: string[] = [];
  let current = url;
  const t = now();
  try {
    for (;;) {
      const r = await httpOnce(current, address, opts, ids);
      if (r.status >= 300 && r.status < 400 && r.location && redirects.length < opts.maxRedirects) {
        const next = new URL(r.location, current);
        redirects.push(next.href);
        if (next.host !== current.host || next.protocol !== current.protocol) {
          return { name: 'http', ok: true, ms: round(now() - t), status: r.status, headers: r.headers, body: r.body, address, phases: r.phases, ...ids, httpVersion: r.httpVersion, redirects, detail: `redirects to another origin: ${next.href}` };
        }
        current = next;
        continue;
      }
      const loop = r.status >= 300 && r.status < 400 && redirects.length >= opts.maxRedirects;
      return {
        name: 'http', ok: r.status < 500 && !loop, ms: round(now() - t), status: r.status, headers: r.headers, body: r.body, address, phases: r.phases,
        ...ids, httpVersion: r.httpVersion, ...(redirects.length ? { redirects } : {}), ...(loop ? { detail: `more than ${opts.maxRedirects} redirects`, code: 'REDIRECT_LOOP' } : {}),
      };
    }
  } catch (err) {
    return { name: 'http', ok: false, ms: round(now() - t), detail: `${errCode(err)}: ${(err as Error).message}`.slice(0, 300), address, code: errCode(err), ...ids };
  }
}

/** All checks for a URL: dns, then per address tcp, tls (https) and http. */
export async function probeUrl(url: URL, opts: ProbeOptions = DEFAULT_PROBE): Promise<Check[]> {
  const checks: Check[] = [];
  const { check, addresses } = await resolve(url.hostname.replace(/^\[|\]$/g, ''), opts.timeoutMs);
  checks.push(check);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  for (const address of addresses.slice(0, opts.maxAddresses)) {
    const c = await tcp(address, port, opts.timeoutMs);
    checks.push(c);
    if (!c.ok) continue;
    if (url.protocol === 'https:') checks.push(await tls(address, port, url.hostname, opts.timeoutMs));
    checks.push(await http(url, address, opts));
  }
  return checks;
}
