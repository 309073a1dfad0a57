// The pass sites of an nginx config: proxy_pass, fastcgi_pass, uwsgi_pass, scgi_pass and grpc_pass, with upstream groups expanded.
import { defaultPort, parseHostPort, parseUrl, type Address } from '../addresses.ts';
import { walk, type Directive, type ServerConfig } from '../model.ts';
import type { PassSite, Protocol, Target } from './types.ts';

const PASSES: Record<string, Protocol> = { proxy_pass: 'http', fastcgi_pass: 'fastcgi', uwsgi_pass: 'uwsgi', scgi_pass: 'scgi', grpc_pass: 'grpc' };

/** The `upstream NAME {}` blocks by name. */
export function nginxGroups(config: ServerConfig): Map<string, Directive> {
  const groups = new Map<string, Directive>();
  for (const { d } of walk(config.tree)) if (d.name === 'upstream' && d.children && d.args[0]) groups.set(d.args[0], d);
  return groups;
}

function passTarget(d: Directive): { protocol: Protocol; tls: boolean; address: Address | undefined; path: string } {
  const base = PASSES[d.name] ?? 'http';
  const arg = d.args[0] ?? '';
  const sock = /^(https?|grpcs?):\/\/unix:([^:]{1,4096})(?::(.*))?$/i.exec(arg);
  if (sock?.[2]) {
    const tls = /s$/i.test(sock[1] ?? '');
    return { protocol: tls && base === 'http' ? 'https' : base, tls, address: { type: 'unix', path: sock[2] }, path: sock[3] ?? '' };
  }
  if (/^[a-z]+:\/\//i.test(arg)) {
    const u = parseUrl(arg);
    const scheme = u?.scheme ?? 'http';
    const tls = scheme === 'https' || scheme === 'grpcs';
    const address = u?.address?.type === 'group' ? u.address : u?.address;
    return { protocol: tls && base === 'http' ? 'https' : base, tls, address, path: u?.path ?? '' };
  }
  return { protocol: base, tls: false, address: parseHostPort(arg), path: '' };
}

function groupTargets(group: Directive, tls: boolean): Target[] {
  const out: Target[] = [];
  for (const s of group.children ?? []) {
    if (s.name !== 'server' || !s.args[0]) continue;
    const address = parseHostPort(s.args[0], 80);
    if (address) out.push({ address, at: s, tls });
  }
  return out;
}

function locationPath(parents: readonly Directive[]): string {
  const loc = parents.findLast((p) => p.name === 'location');
  const arg = loc?.args.length === 1 ? loc.args[0] : loc?.args[0] === '^~' || loc?.args[0] === '=' ? loc.args[1] : undefined;
  return arg?.startsWith('/') ? arg : '/';
}

/** Every pass directive with its targets; a name that is an upstream group lists the group's servers. */
export function nginxSites(config: ServerConfig): PassSite[] {
  const groups = nginxGroups(config);
  const sites: PassSite[] = [];
  for (const { d, parents } of walk(config.tree)) {
    if (!(d.name in PASSES) || !d.args[0]) continue;
    const t = passTarget(d);
    const path = t.path || locationPath(parents);
    const group = t.address?.type === 'group' ? groups.get(t.address.name) : undefined;
    let targets: Target[] = [];
    if (group) targets = groupTargets(group, t.tls);
    else if (t.address?.type === 'group') {
      const port = defaultPort(t.tls ? 'https' : 'http') ?? 80;
      targets = [{ address: { type: 'tcp', host: t.address.name, port }, at: d, tls: t.tls }];
    } else if (t.address) targets = [{ address: t.address, at: d, tls: t.tls }];
    sites.push({ protocol: t.protocol, at: d, parents, ...(group ? { group } : {}), targets, path });
  }
  return sites;
}
