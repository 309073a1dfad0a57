// Collector: which web/app services this host has (from /etc) and their states through `systemctl is-active`.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { execReason, findProgram, runBounded } from './bounded-exec.ts';
import type { Collected, HostRoots } from './types.ts';

export interface Service {
  /** The systemd unit name (nginx, apache2, haproxy, php8.2-fpm…). */
  readonly unit: string;
  readonly kind: 'nginx' | 'apache2' | 'haproxy' | 'php-fpm';
  /** Its config folder under the /etc root. */
  readonly config: string;
}

export interface ServiceState {
  readonly unit: string;
  /** active, inactive, failed, activating…, or null when it could not be asked. */
  readonly state: string | null;
}

const exists = (p: string): Promise<boolean> => stat(p).then(() => true, () => false);

/** Services whose config folders exist under the /etc root. */
export async function installedServices(etc: string): Promise<Service[]> {
  const out: Service[] = [];
  for (const [unit, kind, dir] of [['nginx', 'nginx', 'nginx'], ['apache2', 'apache2', 'apache2'], ['httpd', 'apache2', 'httpd'], ['haproxy', 'haproxy', 'haproxy']] as const) {
    if (await exists(join(etc, dir))) out.push({ unit, kind, config: join(etc, dir) });
  }
  const versions = await readdir(join(etc, 'php')).catch(() => []);
  for (const v of versions.sort()) {
    if (await exists(join(etc, 'php', v, 'fpm'))) out.push({ unit: `php${v}-fpm`, kind: 'php-fpm', config: join(etc, 'php', v, 'fpm') });
  }
  return out;
}

/** True when systemd is the running init (it creates /run/systemd/system). */
export function systemdRuns(roots: HostRoots): Promise<boolean> {
  return exists(join(roots.run, 'systemd', 'system'));
}

export async function collectServiceStates(roots: HostRoots): Promise<Collected<ServiceState[]>> {
  const services = await installedServices(roots.etc);
  const units = services.map((s) => s.unit);
  const what = `service states (${units.join(', ') || 'no web services configured'})`;
  const looked = [`${roots.etc}/{nginx,apache2,httpd,haproxy,php/*/fpm}`];
  if (units.length === 0) return { found: [], looked, unavailable: [] };
  const systemctl = findProgram('systemctl', roots.bin);
  if (!(await systemdRuns(roots))) return { found: units.map((unit) => ({ unit, state: null })), looked, unavailable: [{ what, reason: `no systemd (${join(roots.run, 'systemd', 'system')} is absent); see the running processes instead` }] };
  if (!systemctl) return { found: units.map((unit) => ({ unit, state: null })), looked, unavailable: [{ what, reason: 'systemctl is not installed' }] };
  const found: ServiceState[] = [];
  const unavailable = [];
  for (const unit of units) {
    // is-active prints the state and exits 3 for inactive/failed: the printed word is the answer.
    const r = await runBounded(systemctl, ['is-active', unit], { timeoutMs: 5000, maxBytes: 4096 });
    const word = r.stdout.trim().split('\n')[0] ?? '';
    if (/^[a-z-]{1,30}$/.test(word)) found.push({ unit, state: word });
    else {
      found.push({ unit, state: null });
      unavailable.push({ what: `state of ${unit}`, reason: execReason(r) });
    }
  }
  return { found, looked: [...looked, `${systemctl} is-active ${units.join(' ')}`], unavailable };
}
