// HAProxy's logs name `backend/server`, not an address: this host's haproxy.cfg says which address each one is,
// so the health step can check that address's port instead of saying it cannot.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readHaproxy } from '../config-audit/readers/haproxy.ts';

export interface HaproxyServers {
  /** The config read. */
  readonly file: string;
  /** `backend/server` → the address written on its `server` line (`host:port`, `unix@…`, a name…). */
  readonly servers: ReadonlyMap<string, string>;
}

/** The servers of `<etc>/haproxy/haproxy.cfg` (backend and listen sections), or undefined when there is no such file. */
export function haproxyServers(etc: string): HaproxyServers | undefined {
  const file = join(etc, 'haproxy', 'haproxy.cfg');
  if (!existsSync(file)) return undefined;
  const servers = new Map<string, string>();
  for (const section of readHaproxy(file).tree) {
    const backend = section.args[0];
    if ((section.name !== 'backend' && section.name !== 'listen') || !backend) continue;
    for (const d of section.children ?? []) {
      const [name, address] = d.args;
      if (d.name === 'server' && name && address) servers.set(`${backend}/${name}`, address);
    }
  }
  return { file, servers };
}
