// The pass sites of any supported server's config.
import type { ServerConfig } from '../model.ts';
import { apacheSites } from './apache.ts';
import { haproxySites } from './haproxy.ts';
import { nginxSites } from './nginx.ts';
import type { PassSite } from './types.ts';

export function passSites(config: ServerConfig): PassSite[] {
  if (config.kind === 'nginx') return nginxSites(config);
  if (config.kind === 'apache') return apacheSites(config);
  return haproxySites(config);
}
