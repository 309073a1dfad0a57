// The pass sites of an HAProxy config: each backend or listen section with its `server` lines.
import { parseHostPort, type Address } from '../addresses.ts';
import { named, type Directive, type ServerConfig } from '../model.ts';
import type { PassSite, Target } from './types.ts';

/** A server line's address: `unix@/p`, `/p`, `ipv4@h:p`, `h:p`. */
export function serverAddress(text: string): Address | undefined {
  const at = text.indexOf('@');
  const family = at > 0 ? text.slice(0, at) : '';
  const rest = at > 0 ? text.slice(at + 1) : text;
  if (family === 'unix') return { type: 'unix', path: rest };
  const a = parseHostPort(rest);
  return a?.type === 'group' ? undefined : a;
}

/** Server options in force: the backend's `default-server` line, then the server's own words. */
export function serverWords(section: Directive, server: Directive): string[] {
  const defaults = section.children?.filter((d) => named(d, 'default-server')).flatMap((d) => d.args) ?? [];
  return [...defaults, ...server.args.slice(2)];
}

export function haproxySites(config: ServerConfig): PassSite[] {
  const sites: PassSite[] = [];
  for (const section of config.tree) {
    if (!named(section, 'backend', 'listen')) continue;
    const targets: Target[] = [];
    for (const s of section.children ?? []) {
      if (!named(s, 'server') || !s.args[1]) continue;
      const address = serverAddress(s.args[1]);
      if (address) targets.push({ address, at: s, tls: serverWords(section, s).includes('ssl') });
    }
    const fcgi = section.children?.some((d) => named(d, 'use-fcgi-app')) ?? false;
    if (targets.length) sites.push({ protocol: fcgi ? 'fastcgi' : targets[0]?.tls ? 'https' : 'http', at: section, parents: [section], group: section, targets, path: '/' });
  }
  return sites;
}
