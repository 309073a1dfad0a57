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

export interface GatewaySpec {
  readonly conf: string;
  readonly confPath: string;
  readonly cmd: string;
  readonly args: string[];
  readonly stopSignal?: NodeJS.Signals;
  /** Steps before the start (folders the gateway expects). */
  readonly before?: (() => void)[];
}

export interface Gateway {
  installed(): boolean;
  build(site: Site): GatewaySpec;
}
