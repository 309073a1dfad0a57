// What a lab gateway needs to know about the site, and what it gives back to be started.
import type { LabConfig } from '../lab.ts';

export interface Site {
  readonly dir: string;
  readonly port: number;
  readonly appPort: number;
  readonly spare: readonly number[];
  readonly logs: { readonly access: string; readonly combined: string; readonly error: string; readonly app: string; readonly fpm: string };
  readonly config: LabConfig;
  path(...p: string[]): string;
}

/** Fills {dir}, {app}, {port} (the gateway's own) and {spare0} in a config snippet a scenario adds to a gateway's config. */
export function fillSnippet(s: Site, snippet: string | undefined): string {
  return (snippet ?? '').replaceAll('{dir}', s.dir).replaceAll('{app}', String(s.appPort)).replaceAll('{port}', String(s.port))
    .replaceAll('{spare0}', String(s.spare[0] ?? 0));
}

export interface GatewaySpec {
  readonly conf: string;
  readonly confPath: string;
  readonly cmd: string;
  readonly args: string[];
  readonly stopSignal?: NodeJS.Signals;
  /** Steps before the start (folders the gateway expects). */
  readonly before?: (() => void)[];
  /** Processes the gateway needs (a syslog daemon), started before it and stopped after it. */
  readonly helpers?: readonly Helper[];
}

export interface Helper {
  readonly name: string;
  readonly cmd: string;
  readonly args: string[];
  readonly setup: () => void;
  /** A UDP port it listens on (no TCP port to wait for): the lab waits briefly after the start. */
  readonly udpPort?: number;
  /** Start it after the gateway (it attaches to the gateway, like varnishncsa). */
  readonly after?: boolean;
  /** Where its standard output goes (default: a .stderr file of its own). */
  readonly stdoutTo?: string;
}

export interface Gateway {
  installed(): boolean;
  build(site: Site): GatewaySpec;
}

/** Where a gateway sends PHP requests: PHP-FPM's unix socket (or a missing one), or its TCP port. */
export function fpmTarget(s: Site): { readonly unix: string } | { readonly tcp: string } {
  const c = s.config;
  if (c.phpSocket === 'tcp') return { tcp: `127.0.0.1:${s.spare[2] ?? 0}` };
  return { unix: c.phpSocket === 'missing' ? s.path('run', 'php-fpm-missing.sock') : s.path('php-fpm.sock') };
}
