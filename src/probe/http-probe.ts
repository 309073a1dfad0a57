// Probes one URL hop by hop: DNS (every address), TCP connect, TLS (protocol, certificate), then an HTTP
// request to each address with hard timeouts, a bounded body read and a traceable request id.
import { randomBytes, randomUUID } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, connect as netConnect } from 'node:net';
import { checkServerIdentity, connect as tlsConnect, type PeerCertificate } from 'node:tls';
import { resolveHost, dnsServers, ResolveError } from './resolve.ts';
import type { Check } from './types.ts';

export interface ProbeOptions {
  readonly timeoutMs: number;
  readonly maxRedirects: number;
  readonly bodyBytes: number;
  /** Probe at most this many addresses of the name (in parallel). */
  readonly maxAddresses: number;
  /** The run's overall deadline: when it fires, every phase still open ends with FIVEXX_PROBE_DEADLINE. */
  readonly signal?: AbortSignal;
  /** Ask this DNS server (`127.0.0.1:5353`) instead of the system's resolvers. */
  readonly dnsServer?: string;
}

export const DEFAULT_PROBE: ProbeOptions = { timeoutMs: 10_000, maxRedirects: 20, bodyBytes: 2048, maxAddresses: 4 };

const now = (): number => performance.now();
const round = (ms: number): number => Math.round(ms * 10) / 10;

function errCode(err: unknown): string {
  const e = err as { code?: string; message?: string };
  return e.code ?? e.message ?? String(err);
}

/** The check code and text for a phase that ran out of time: its own timer, or the run's deadline. */
function outOfTime(signal: AbortSignal | undefined, ms: number, what: string): { code: string; detail: string } {
  return signal?.aborted
    ? { code: 'FIVEXX_PROBE_DEADLINE', detail: `the run's deadline passed before ${what}` }
    : { code: 'FIVEXX_PROBE_TIMEOUT', detail: `no ${what} within ${ms} ms` };
}

/** Calls `fn` when the run's deadline fires; returns the function that stops listening. */
function onDeadline(signal: AbortSignal | undefined, fn: () => void): () => void {
  if (!signal) return () => undefined;
  if (signal.aborted) {
    queueMicrotask(fn);
    return () => undefined;
  }
  signal.addEventListener('abort', fn, { once: true });
  return () => signal.removeEventListener('abort', fn);
}

/** DNS: every A/AAAA address (hosts file, then a cancellable resolver), or the literal itself. */
async function resolve(host: string, opts: ProbeOptions): Promise<{ check: Check; addresses: string[] }> {
  const t = now();
  try {
    const r = await resolveHost(host, opts.timeoutMs, opts.signal, opts.dnsServer);
    const from = r.source === 'literal' ? 'literal address' : r.source === 'dns' ? `resolver ${r.servers}` : r.servers;
    return { check: { name: 'dns', ok: true, ms: round(now() - t), detail: `${r.addresses.join(', ')} (${from})` }, addresses: r.addresses };
  } catch (err) {
    const code = err instanceof ResolveError ? err.code : errCode(err);
    const why = code === 'FIVEXX_PROBE_TIMEOUT' || code === 'FIVEXX_PROBE_DEADLINE' ? (err as Error).message : code;
    return { check: { name: 'dns', ok: false, ms: round(now() - t), detail: `${why} ${host} (resolver ${dnsServers(opts.dnsServer)})`, code }, addresses: [] };
  }
}

/** TCP connect to one address. */
function tcp(address: string, port: number, timeoutMs: number, signal?: AbortSignal): Promise<Check> {
  const t = now();
  return new Promise((resolve) => {
    const s = netConnect({ host: address, port, timeout: timeoutMs });
    let settled = false;
    const done = (ok: boolean, detail: string, code?: string): void => {
      if (settled) return;
      settled = true;
      stop();
      s.destroy();
      resolve({ name: 'tcp', ok, ms: round(now() - t), detail, address, ...(code ? { code } : {}) });
    };
    const late = (): void => {
      const o = outOfTime(signal, timeoutMs, `a connection to ${address}:${port}`);
      done(false, o.detail, o.code);
    };
    const stop = onDeadline(signal, late);
    s.once('connect', () => done(true, `${address}:${port}`));
    s.once('timeout', late);
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
function tls(address: string, port: number, servername: string, timeoutMs: number, signal?: AbortSignal): Promise<Check> {
  const t = now();
  return new Promise((resolve) => {
    const s = tlsConnect({ host: address, port, servername: isIP(servername) ? undefined : servername, rejectUnauthorized: false, timeout: timeoutMs });
    let settled = false;
    const late = (): void => done({ ok: false, ...outOfTime(signal, timeoutMs, 'TLS handshake') });
    const stop = onDeadline(signal, late);
    const done = (c: Omit<Check, 'name' | 'ms' | 'address'>): void => {
      if (settled) return;
      settled = true;
      stop();
      s.destroy();
      resolve({ name: 'tls', ms: round(now() - t), address, ...c });
    };
    s.once('secureConnect', () => {
      const cert = s.getPeerCertificate();
      const d = certDetail(cert, servername);
      const trust = s.authorized ? '' : `; not trusted: ${String(s.authorizationError)}`;
      done({ ok: d.ok && s.authorized, detail: `${s.getProtocol() ?? 'TLS'}, ${d.detail}${trust}`, ...(d.ok && s.authorized ? {} : { code: String(s.authorizationError ?? 'CERT_INVALID') }) });
    });
    s.once('timeout', late);
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
  readonly reason: string;
}

/** One HTTP request to a fixed address, with a bounded body and a hard limit (`ms`) over the whole exchange. */
function httpOnce(url: URL, address: string, opts: ProbeOptions, ids: { requestId: string; traceparent: string }, ms: number): Promise<HttpResult> {
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
    const late = (): void => {
      const o = outOfTime(opts.signal, opts.timeoutMs, 'complete response');
      req.destroy(Object.assign(new Error(o.detail), { code: o.code }));
    };
    const timer = setTimeout(late, Math.max(1, ms));
    const stop = onDeadline(opts.signal, late);
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
        stop();
        phases.total = round(now() - t0);
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
        resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('utf8'), httpVersion: res.httpVersion, phases, location: res.headers.location, reason: res.statusMessage ?? '' });
      };
      res.once('end', finish);
      res.once('close', finish);
      res.once('error', finish);
    });
    req.once('error', (e) => {
      clearTimeout(timer);
      stop();
      reject(e);
    });
    req.end();
  });
}

function traceIds(): { requestId: string; traceparent: string } {
  return { requestId: randomUUID(), traceparent: `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01` };
}

/** HTTP to one address, following same-origin redirects; the whole chain shares one phase timeout. */
async function http(url: URL, address: string, opts: ProbeOptions): Promise<Check> {
  const ids = traceIds();
  const redirects: string[] = [];
  const seen = new Set([url.href]);
  let current = url;
  const t = now();
  try {
    for (;;) {
      const r = await httpOnce(current, address, opts, ids, opts.timeoutMs - (now() - t));
      const base = { name: 'http', ms: round(now() - t), status: r.status, reason: r.reason, headers: r.headers, body: r.body, address, phases: r.phases, ...ids, httpVersion: r.httpVersion };
      if (r.status >= 300 && r.status < 400 && r.location) {
        const next = new URL(r.location, current);
        redirects.push(next.href);
        if (next.host !== current.host || next.protocol !== current.protocol) return { ...base, ok: true, redirects, detail: `redirects to another origin: ${next.href}` };
        if (seen.has(next.href)) return { ...base, ok: false, redirects, detail: `redirects in a loop: ${next.pathname}${next.search} comes back after ${redirects.length} redirect(s)`, code: 'REDIRECT_LOOP' };
        if (redirects.length > opts.maxRedirects) return { ...base, ok: false, redirects, detail: `more than ${opts.maxRedirects} redirects without reaching a page (browsers give up)`, code: 'REDIRECT_LIMIT' };
        seen.add(next.href);
        current = next;
        continue;
      }
      return { ...base, ok: r.status < 500, ...(redirects.length ? { redirects } : {}) };
    }
  } catch (err) {
    return { name: 'http', ok: false, ms: round(now() - t), detail: `${errCode(err)}: ${(err as Error).message}`.slice(0, 300), address, code: errCode(err), ...ids };
  }
}

/** tcp, tls (https) and http to one address. */
async function probeAddress(url: URL, address: string, port: number, opts: ProbeOptions): Promise<Check[]> {
  const c = await tcp(address, port, opts.timeoutMs, opts.signal);
  if (!c.ok) return [c];
  const out = [c];
  if (url.protocol === 'https:') out.push(await tls(address, port, url.hostname, opts.timeoutMs, opts.signal));
  out.push(await http(url, address, opts));
  return out;
}

/** All checks for a URL: dns, then every address (up to maxAddresses) at once: tcp, tls (https) and http. */
export async function probeUrl(url: URL, opts: ProbeOptions = DEFAULT_PROBE): Promise<Check[]> {
  const { check, addresses } = await resolve(url.hostname.replace(/^\[|\]$/g, ''), opts);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const per = await Promise.all(addresses.slice(0, opts.maxAddresses).map((a) => probeAddress(url, a, port, opts)));
  return [check, ...per.flat()];
}
