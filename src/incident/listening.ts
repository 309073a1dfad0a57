// Collector: listening TCP sockets (/proc/net/tcp{,6}, else `ss -ltn`) compared with the upstreams the analysis named.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execReason, findProgram, runBounded } from './bounded-exec.ts';
import { fsReason } from './fs-reason.ts';
import { haproxyServers } from './haproxy-servers.ts';
import type { Collected, HostRoots, Unavailable } from './types.ts';

export interface Listener {
  readonly address: string;
  readonly port: number;
}

export interface UpstreamCheck {
  readonly upstream: string;
  /** true: something listens there; false: nothing does; null: not a host:port this host can answer for. */
  readonly listening: boolean | null;
  readonly detail: string;
}

export interface Listening {
  readonly listeners: readonly Listener[];
  readonly upstreams: readonly UpstreamCheck[];
}

/** `0100007F` → 127.0.0.1; IPv6 as four little-endian words. */
function hexAddress(hex: string): string {
  const words = hex.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((w) => (w.match(/../g) ?? []).reverse().map((b) => parseInt(b, 16)));
  if (bytes.length === 4) return bytes.join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  const v4 = groups.slice(0, 5).every((g) => g === '0') && groups[5] === 'ffff';
  if (v4) return bytes.slice(12).join('.');
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::').replace(/:{3,}/, '::');
}

/** LISTEN (state 0A) entries of a /proc/net/tcp or tcp6 file. */
export function parseProcNet(text: string): Listener[] {
  const out: Listener[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f[3] !== '0A' || !f[1]) continue;
    const [addr = '', port = ''] = f[1].split(':');
    out.push({ address: hexAddress(addr), port: parseInt(port, 16) });
  }
  return out;
}

/** `ss -ltn` output: the local address column. */
export function parseSs(text: string): Listener[] {
  const out: Listener[] = [];
  for (const line of text.split('\n').slice(1)) {
    const local = line.trim().split(/\s+/)[3];
    const m = local && local.length < 200 ? /^\[?([^\]]*?)\]?(?:%\S+)?:(\d+)$/.exec(local) : null;
    if (m?.[1] !== undefined && m[2]) out.push({ address: m[1] === '*' ? '0.0.0.0' : m[1], port: Number(m[2]) });
  }
  return out;
}

const LOCAL = new Set(['127.0.0.1', 'localhost', '::1', '0.0.0.0', '::']);
const ANY = new Set(['0.0.0.0', '::']);

/** Whether an upstream `host:port` (or a URL) has a listener here. */
export function checkUpstream(upstream: string, listeners: readonly Listener[]): UpstreamCheck {
  const m = upstream.length > 300 ? null : /^(?:[a-z]+:\/\/)?\[?([^\]/]+?)\]?:(\d{1,5})(?:\/.*)?$/i.exec(upstream);
  if (!m?.[1] || !m[2]) return { upstream, listening: null, detail: 'not a host:port (a unix socket or a name)' };
  const host = m[1];
  const port = Number(m[2]);
  const here = listeners.filter((l) => l.port === port && (l.address === host || ANY.has(l.address) || (host === 'localhost' && LOCAL.has(l.address))));
  if (here.length) return { upstream, listening: true, detail: `listening on ${here.map((l) => `${l.address}:${l.port}`).join(', ')}` };
  if (!LOCAL.has(host) && !listeners.some((l) => l.address === host)) return { upstream, listening: null, detail: `${host} is not an address of this host: check it there` };
  return { upstream, listening: false, detail: `nothing listens on port ${port} of ${host}` };
}

async function fromProc(proc: string, unavailable: Unavailable[]): Promise<Listener[] | undefined> {
  const texts = await Promise.all(['tcp', 'tcp6'].map((f) => readFile(join(proc, 'net', f), 'utf8').catch((e: unknown) => {
    unavailable.push({ what: join(proc, 'net', f), reason: fsReason(e) });
    return undefined;
  })));
  if (texts.every((t) => t === undefined)) return undefined;
  return texts.flatMap((t) => (t ? parseProcNet(t) : []));
}

export async function collectListening(roots: HostRoots, upstreams: readonly string[]): Promise<Collected<Listening | null>> {
  const unavailable: Unavailable[] = [];
  const looked = [join(roots.proc, 'net', 'tcp'), join(roots.proc, 'net', 'tcp6')];
  let listeners = await fromProc(roots.proc, unavailable);
  if (!listeners) {
    const ss = findProgram('ss', roots.bin);
    if (!ss) unavailable.push({ what: 'listening sockets (ss)', reason: 'ss is not installed' });
    else {
      looked.push(`${ss} -ltn`);
      const r = await runBounded(ss, ['-ltn'], { timeoutMs: 5000, maxBytes: 1 << 20 });
      if (r.outcome === 'ok') listeners = parseSs(r.stdout);
      else unavailable.push({ what: 'listening sockets (ss)', reason: execReason(r) });
    }
  }
  if (!listeners) return { found: null, looked, unavailable };
  const uniq = [...new Map(listeners.map((l) => [`${l.address}:${l.port}`, l])).values()].sort((a, b) => a.port - b.port);
  // HAProxy names `backend/server`: its address comes from this host's haproxy.cfg when that names it.
  const named = upstreams.some((u) => /^[^/:\s]+\/[^/\s]+$/.test(u)) ? haproxyServers(roots.etc) : undefined;
  if (named) looked.push(named.file);
  const check = (u: string): UpstreamCheck => {
    const address = named?.servers.get(u);
    if (address === undefined) return checkUpstream(u, uniq);
    const c = checkUpstream(address, uniq);
    return { upstream: u, listening: c.listening, detail: `${u} is ${address} in ${named?.file ?? 'haproxy.cfg'}: ${c.detail}` };
  };
  return { found: { listeners: uniq, upstreams: upstreams.map(check) }, looked, unavailable };
}
