// A place where a gateway hands requests to an app ("pass site") and the addresses it may send them to.
import type { Address } from '../addresses.ts';
import type { Directive } from '../model.ts';

export type Protocol = 'http' | 'https' | 'fastcgi' | 'uwsgi' | 'scgi' | 'grpc' | 'ajp';

export interface Target {
  readonly address: Address;
  /** The line naming this address: the pass directive itself, or an upstream/balancer/backend `server` line. */
  readonly at: Directive;
  readonly tls: boolean;
}

export interface PassSite {
  readonly protocol: Protocol;
  /** proxy_pass / fastcgi_pass / ProxyPass / SetHandler / an HAProxy backend's section line. */
  readonly at: Directive;
  readonly parents: readonly Directive[];
  /** The upstream block, balancer or backend section the targets belong to, when there is one. */
  readonly group?: Directive;
  readonly targets: readonly Target[];
  /** The request path a probe asks for ('/' when unknown). */
  readonly path: string;
}
