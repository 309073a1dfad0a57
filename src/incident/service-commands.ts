// How to test, reload and restart each kind of service, with systemd or without it (shared with the runbook).
import type { Service } from './services.ts';

export interface ServiceCommands {
  readonly test: string | null;
  readonly reload: string;
  readonly restart: string;
  readonly status: string;
}

const TESTS: Record<Service['kind'], (s: Service) => string | null> = {
  nginx: () => 'nginx -t',
  apache2: (s) => (s.unit === 'httpd' ? 'apachectl configtest' : 'apache2ctl configtest'),
  haproxy: (s) => `haproxy -c -f ${s.config}/haproxy.cfg`,
  // The unit is php8.2-fpm, the program php-fpm8.2.
  'php-fpm': (s) => `${s.unit.replace(/^php([\d.]*)-fpm$/, 'php-fpm$1')} -t`,
};

/** The commands for one service; `systemd` says whether systemctl manages it here. */
export function serviceCommands(s: Service, systemd: boolean): ServiceCommands {
  const test = TESTS[s.kind](s);
  const guarded = (cmd: string): string => (test ? `${test} && ${cmd}` : cmd);
  if (systemd) {
    return { test, reload: guarded(`systemctl reload ${s.unit}`), restart: guarded(`systemctl restart ${s.unit}`), status: `systemctl status ${s.unit}` };
  }
  const direct: Record<Service['kind'], string> = {
    nginx: 'nginx -s reload',
    apache2: s.unit === 'httpd' ? 'apachectl graceful' : 'apache2ctl graceful',
    haproxy: `service ${s.unit} reload`,
    'php-fpm': `service ${s.unit} reload`,
  };
  return { test, reload: guarded(direct[s.kind]), restart: guarded(`service ${s.unit} restart`), status: `service ${s.unit} status` };
}

/** The service whose config folder holds `path`, if any. */
export function serviceOfPath(path: string, services: readonly Service[]): Service | undefined {
  return services.find((s) => path === s.config || path.startsWith(`${s.config}/`));
}
