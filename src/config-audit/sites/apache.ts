// The pass sites of an Apache config: ProxyPass, ProxyPassMatch, SetHandler proxy:…, with balancers expanded.
import { parseHostPort, parseUrl, type Address } from '../addresses.ts';
import { named, walk, type Directive, type ServerConfig } from '../model.ts';
import type { PassSite, Protocol, Target } from './types.ts';

const SCHEMES: Record<string, Protocol> = { http: 'http', https: 'https', ws: 'http', wss: 'https', fcgi: 'fastcgi', uwsgi: 'uwsgi', scgi: 'scgi', ajp: 'ajp', h2: 'https', h2c: 'http' };

/** `unix:/path|http://localhost/` or a plain URL → protocol, address, path. */
export function apacheUrl(url: string): { protocol: Protocol; address: Address | undefined; balancer?: string; path: string } | undefined {
  let socket: string | undefined;
  let rest = url;
  if (/^unix:/i.test(url)) {
    const bar = url.indexOf('|');
    if (bar < 0) return undefined;
    socket = url.slice(5, bar);
    rest = url.slice(bar + 1);
  }
  const u = parseUrl(rest);
  if (!u) return undefined;
  if (u.scheme === 'balancer') return { protocol: 'http', address: undefined, balancer: u.address?.type === 'group' ? u.address.name : '', path: u.path };
  const protocol = SCHEMES[u.scheme];
  if (!protocol) return undefined;
  const address: Address | undefined = socket ? { type: 'unix', path: socket } : u.address?.type === 'group'
    ? parseHostPort(u.address.name, protocol === 'https' ? 443 : protocol === 'fastcgi' ? 9000 : 80) : u.address;
  return { protocol, address, path: u.path };
}

function passUrl(d: Directive, parents: readonly Directive[]): string | undefined {
  if (named(d, 'SetHandler')) return d.args[0]?.toLowerCase().startsWith('proxy:') ? d.args[0].slice(6) : undefined;
  const inLocation = parents.some((p) => /^location(match)?$/i.test(p.name));
  const url = inLocation && d.args[0] !== undefined && /:\/\/|^unix:/i.test(d.args[0]) ? d.args[0] : d.args[1];
  return url === '!' ? undefined : url;
}

function balancerMembers(config: ServerConfig, name: string): { group?: Directive; targets: Target[] } {
  const targets: Target[] = [];
  let group: Directive | undefined;
  for (const { d, parents } of walk(config.tree)) {
    if (!named(d, 'BalancerMember')) continue;
    const proxy = parents.findLast((p) => named(p, 'Proxy'));
    const url = proxy ? d.args[0] : d.args[1];
    const owner = proxy?.args[0] ?? d.args[0] ?? '';
    if (!owner.toLowerCase().startsWith(`balancer://${name.toLowerCase()}`)) continue;
    group = proxy;
    const u = url ? apacheUrl(url) : undefined;
    if (u?.address) targets.push({ address: u.address, at: d, tls: u.protocol === 'https' });
  }
  return { ...(group ? { group } : {}), targets };
}

/** Every ProxyPass / ProxyPassMatch / SetHandler proxy: line with its targets. */
export function apacheSites(config: ServerConfig): PassSite[] {
  const sites: PassSite[] = [];
  for (const { d, parents } of walk(config.tree)) {
    if (!named(d, 'ProxyPass', 'ProxyPassMatch', 'SetHandler')) continue;
    const url = passUrl(d, parents);
    const u = url ? apacheUrl(url) : undefined;
    if (!u) continue;
    const path = named(d, 'ProxyPass') && d.args[0]?.startsWith('/') ? d.args[0] : '/';
    if (u.balancer !== undefined) {
      const b = balancerMembers(config, u.balancer);
      sites.push({ protocol: b.targets[0]?.at ? protocolOf(b.targets[0]) : 'http', at: d, parents, ...b, path });
    } else if (u.address) sites.push({ protocol: u.protocol, at: d, parents, targets: [{ address: u.address, at: d, tls: u.protocol === 'https' }], path });
  }
  return sites;
}

function protocolOf(t: Target): Protocol {
  return t.tls ? 'https' : 'http';
}
