// Upstream addresses as the servers write them (`unix:/p`, `127.0.0.1:8000`, `[::1]:80`, URLs), and which are loopback.

export type Address =
  | { readonly type: 'tcp'; readonly host: string; readonly port: number }
  | { readonly type: 'unix'; readonly path: string }
  | { readonly type: 'variable'; readonly text: string }
  | { readonly type: 'group'; readonly name: string };

const DEFAULT_PORTS: Record<string, number> = { http: 80, https: 443, ws: 80, wss: 443, grpc: 80, grpcs: 443, fcgi: 9000, ajp: 8009 };

/** `host[:port]`, `[v6]:port`, `unix:/path` (nginx) or `/path` (HAProxy); `fallbackPort` when none is written. */
export function parseHostPort(text: string, fallbackPort?: number): Address | undefined {
  if (text.includes('$')) return { type: 'variable', text };
  if (text.startsWith('unix:')) return { type: 'unix', path: text.slice(5) };
  if (text.startsWith('/')) return { type: 'unix', path: text };
  const v6 = /^\[([0-9a-fA-F:.]{2,45})\](?::(\d{1,5}))?$/.exec(text);
  if (v6?.[1]) return tcp(v6[1], v6[2], fallbackPort);
  const m = /^([A-Za-z0-9_.-]{1,253})(?::(\d{1,5}))?$/.exec(text);
  if (!m?.[1]) return undefined;
  if (m[2] === undefined && fallbackPort === undefined) return { type: 'group', name: m[1] };
  return tcp(m[1], m[2], fallbackPort);
}

function tcp(host: string, port: string | undefined, fallback: number | undefined): Address | undefined {
  const p = port === undefined ? fallback : Number(port);
  if (p === undefined || p < 1 || p > 65535) return undefined;
  return { type: 'tcp', host, port: p };
}

/** A URL's scheme, address (a group when it has no port and may name an nginx upstream) and path. */
export function parseUrl(url: string): { scheme: string; address: Address | undefined; path: string } | undefined {
  const m = /^([a-z][a-z0-9+.-]{0,15}):\/\/([^/?#]*)([^#]*)$/i.exec(url);
  if (!m?.[1]) return undefined;
  const scheme = m[1].toLowerCase();
  const hostPart = m[2] ?? '';
  const hasPort = /:\d{1,5}$/.test(hostPart) && !hostPart.endsWith(']');
  const address = hasPort ? parseHostPort(hostPart) : parseHostPort(hostPart, undefined);
  return { scheme, address: address?.type === 'group' ? address : address ?? undefined, path: m[3] || '' };
}

/** The port a scheme uses when none is written. */
export function defaultPort(scheme: string): number | undefined {
  return DEFAULT_PORTS[scheme];
}

/** Loopback names and addresses: the only ones check-config connects to. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '0:0:0:0:0:0:0:1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** How the address is written in a message. */
export function showAddress(a: Address): string {
  if (a.type === 'tcp') return a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
  if (a.type === 'unix') return `unix:${a.path}`;
  return a.type === 'variable' ? a.text : a.name;
}
