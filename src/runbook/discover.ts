// Discovers a host's web stack for the runbook: services, their logs, targets and checks, the app's deploy folder.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { findDeployFolders } from '../incident/deploy-git.ts';
import { serviceCommands, type ServiceCommands } from '../incident/service-commands.ts';
import { installedServices, systemdRuns, type Service } from '../incident/services.ts';
import type { HostRoots, Unavailable } from '../incident/types.ts';
import type { RunbookConfig } from './config.ts';
import { confReader, underRoot } from './conf-files.ts';
import { discoverApache } from './discover-apache.ts';
import { discoverHaproxy } from './discover-haproxy.ts';
import { discoverNginx } from './discover-nginx.ts';
import { discoverPhpFpm } from './discover-php.ts';
import type { ServiceFacts } from './discover-types.ts';

export interface DiscoveredService {
  readonly service: Service;
  readonly commands: ServiceCommands;
  readonly facts: ServiceFacts;
}

export interface Discovery {
  readonly services: readonly DiscoveredService[];
  readonly systemd: boolean;
  readonly app: { readonly dir: string; readonly kind: 'git' | 'releases' | 'folder' } | null;
  /** /etc is a git work tree (etckeeper). */
  readonly etcGit: boolean;
  readonly looked: readonly string[];
  readonly unavailable: readonly Unavailable[];
}

const isDir = (p: string): Promise<boolean> => stat(p).then((s) => s.isDirectory(), () => false);

async function appOf(config: RunbookConfig, roots: HostRoots, looked: string[], unavailable: Unavailable[]): Promise<Discovery['app']> {
  const dir = config.app?.dir ?? (await findDeployFolders(roots, looked, unavailable))[0];
  if (!dir) return null;
  const kind = (await isDir(join(dir, '.git'))) ? 'git' : (await isDir(join(dir, 'releases'))) ? 'releases' : 'folder';
  return { dir, kind };
}

export async function discover(roots: HostRoots, config: RunbookConfig): Promise<Discovery> {
  const reader = confReader();
  const exists = (p: string): Promise<boolean> => stat(underRoot(p, roots)).then(() => true, () => false);
  const systemd = await systemdRuns(roots);
  const services: DiscoveredService[] = [];
  for (const s of await installedServices(roots.etc)) {
    const facts = s.kind === 'nginx' ? await discoverNginx(s.config, roots, reader, exists)
      : s.kind === 'apache2' ? await discoverApache(s.config, s.unit === 'httpd' ? 'conf/httpd.conf' : 'apache2.conf', roots, reader, exists)
      : s.kind === 'haproxy' ? await discoverHaproxy(s.config, roots, reader, exists)
      : await discoverPhpFpm(s.unit, s.config, roots, reader, exists);
    services.push({ service: s, commands: serviceCommands(s, systemd), facts });
  }
  const looked: string[] = [];
  const unavailable: Unavailable[] = [];
  const app = await appOf(config, roots, looked, unavailable);
  if (!services.length) unavailable.push({ what: 'web services', reason: `no nginx, apache2, httpd, haproxy or php-fpm configuration under ${roots.etc}` });
  if (!systemd) unavailable.push({ what: 'systemd', reason: `not running here (${join(roots.run, 'systemd', 'system')} is absent): commands use service/apachectl/nginx -s` });
  if (!app) unavailable.push({ what: 'the app\'s deploy folder', reason: 'none found and none in the config (app: dir:)' });
  return { services, systemd, app, etcGit: await isDir(join(roots.etc, '.git')), looked: [...reader.files, ...looked], unavailable: [...reader.unavailable, ...unavailable] };
}
