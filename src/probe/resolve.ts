// Resolves a host name within a time limit that really ends the work: /etc/hosts first (as getaddrinfo
// does, and RFC 6761's localhost), then a cancellable node:dns Resolver (A and AAAA) with its own timeout,
// cancelled when the phase timer or the run's deadline fires. getaddrinfo cannot be stopped once started.
import { readFileSync } from 'node:fs';
import { Resolver } from 'node:dns/promises';
import { getServers } from 'node:dns';
import { isIP } from 'node:net';

export interface ResolveResult {
  readonly addresses: string[];
  /** Where the answer came from: 'hosts', 'dns', 'literal' or 'special' (localhost, .invalid). */
  readonly source: 'hosts' | 'dns' | 'literal' | 'special';
  readonly servers: string;
}

export class ResolveError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** The addresses /etc/hosts gives the name (bounded read; a missing file is no entry). */
export function hostsLookup(host: string, path = '/etc/hosts'): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8').slice(0, 1 << 20);
  } catch {
    return [];
  }
  const name = host.toLowerCase();
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const fields = raw.replace(/#.*/, '').trim().split(/\s+/);
    const addr = fields[0] ?? '';
    if (!isIP(addr.replace(/%.*$/, ''))) continue;
    if (fields.slice(1).some((f) => f.toLowerCase() === name) && !out.includes(addr)) out.push(addr);
  }
  return out;
}

/** `127.0.0.1:5353` or `[::1]:53` or `127.0.0.1`: the form setServers takes. */
export function validDnsServer(s: string): boolean {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([0-9.]+))(?::(\d{1,5}))?$/.exec(s.trim());
  if (!m) return false;
  const port = m[3] === undefined ? 53 : Number(m[3]);
  return isIP(m[1] ?? m[2] ?? '') !== 0 && port > 0 && port < 65536;
}

function timeoutError(ms: number, deadline: boolean): ResolveError {
  return deadline
    ? new ResolveError('FIVEXX_PROBE_DEADLINE', 'the run\'s deadline passed during the DNS lookup')
    : new ResolveError('FIVEXX_PROBE_TIMEOUT', `no DNS answer within ${ms} ms`);
}

/** The names to ask, as the system resolver would: /etc/resolv.conf's search domains for short names (ndots). */
export function searchNames(host: string, conf = readResolvConf()): string[] {
  if (host.endsWith('.')) return [host.slice(0, -1)];
  const dots = host.split('.').length - 1;
  const searched = conf.search.slice(0, 6).map((d) => `${host}.${d}`);
  return dots >= conf.ndots ? [host, ...searched] : [...searched, host];
}

function readResolvConf(path = '/etc/resolv.conf'): { search: string[]; ndots: number } {
  let text = '';
  try {
    text = readFileSync(path, 'utf8').slice(0, 1 << 16);
  } catch {
    return { search: [], ndots: 1 };
  }
  let search: string[] = [];
  let ndots = 1;
  for (const line of text.split('\n')) {
    const f = line.replace(/[#;].*/, '').trim().split(/\s+/);
    if (f[0] === 'search' || f[0] === 'domain') search = f.slice(1).filter((d) => /^[A-Za-z0-9.-]{1,253}$/.test(d));
    if (f[0] === 'options') for (const o of f.slice(1)) if (/^ndots:\d{1,2}$/.test(o)) ndots = Math.min(15, Number(o.slice(6)));
  }
  return { search, ndots };
}

/** Asks each candidate name in turn (search domains), the first with an address wins. */
async function querySearch(resolver: Resolver, host: string): Promise<string[]> {
  let last: unknown;
  for (const name of searchNames(host)) {
    try {
      return await queryDns(resolver, name);
    } catch (err) {
      last = err;
      const code = (err as { code?: string }).code;
      if (code !== 'ENOTFOUND' && code !== 'ENODATA') break;
    }
  }
  throw last instanceof Error ? last : new ResolveError('ENOTFOUND', `no address for ${host}`);
}

/** A and AAAA at once; once one family has answered, the other gets at most `graceMs` more (a silent AAAA must not lose the A). */
async function queryDns(resolver: Resolver, host: string, graceMs = 300): Promise<string[]> {
  const v4 = resolver.resolve4(host).then((a) => ({ ok: true as const, a }), (e: unknown) => ({ ok: false as const, e }));
  const v6 = resolver.resolve6(host).then((a) => ({ ok: true as const, a }), (e: unknown) => ({ ok: false as const, e }));
  const first = await Promise.race([v4, v6]);
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), graceMs)));
  const rest = first.ok && first.a.length ? await Promise.all([Promise.race([v4, grace]), Promise.race([v6, grace])]) : await Promise.all([v4, v6]);
  clearTimeout(timer);
  const addresses = rest.flatMap((r) => (r?.ok ? r.a : []));
  if (addresses.length) return addresses;
  const err = rest.map((r) => (r && !r.ok ? r.e : undefined)).find(Boolean) as { code?: string } | undefined;
  throw new ResolveError(err?.code ?? 'ENODATA', `no address for ${host}`);
}

/** The resolvers asked, for people. */
export function dnsServers(dnsServer?: string): string {
  return (dnsServer ? [dnsServer] : getServers()).join(', ') || 'system default';
}

/** Every A/AAAA address of `host`, or a ResolveError with a code, within `timeoutMs` or before `signal`. */
export async function resolveHost(host: string, timeoutMs: number, signal?: AbortSignal, dnsServer?: string): Promise<ResolveResult> {
  if (isIP(host)) return { addresses: [host], source: 'literal', servers: '' };
  const name = host.toLowerCase();
  const fromHosts = hostsLookup(name.replace(/\.$/, ''));
  if (fromHosts.length) return { addresses: fromHosts, source: 'hosts', servers: '/etc/hosts' };
  const bare = name.replace(/\.$/, '');
  if (bare === 'localhost' || bare.endsWith('.localhost')) return { addresses: ['127.0.0.1', '::1'], source: 'special', servers: 'RFC 6761' };
  if (bare === 'invalid' || bare.endsWith('.invalid')) throw new ResolveError('ENOTFOUND', `${host} is a reserved name that never resolves (RFC 6761)`);
  const resolver = new Resolver({ timeout: Math.max(1, Math.min(timeoutMs, 2 ** 31 - 1)), tries: 1 });
  if (dnsServer) resolver.setServers([dnsServer]);
  const servers = dnsServers(dnsServer);
  if (signal?.aborted) throw timeoutError(timeoutMs, true);
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeoutError(timeoutMs, false)), timeoutMs);
    onAbort = (): void => reject(timeoutError(timeoutMs, true));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  const query = querySearch(resolver, name);
  query.catch(() => undefined);
  try {
    return { addresses: await Promise.race([query, stop]), source: 'dns', servers };
  } catch (err) {
    if (err instanceof ResolveError) throw err;
    const e = err as { code?: string; message?: string };
    throw new ResolveError(e.code === 'ETIMEOUT' ? 'FIVEXX_PROBE_TIMEOUT' : e.code ?? 'EDNS', e.message ?? String(err));
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
    resolver.cancel();
  }
}
