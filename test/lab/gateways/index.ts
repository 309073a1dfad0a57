// The gateways the lab can put in front of the app, by name.
import { apache } from './apache.ts';
import { caddy } from './caddy.ts';
import { varnish } from './varnish.ts';
import { haproxy } from './haproxy.ts';
import { nginx } from './nginx.ts';
import type { Gateway } from './types.ts';

export type { Gateway, Site } from './types.ts';
export type GatewayKind = 'nginx' | 'apache' | 'haproxy' | 'caddy' | 'varnish';

export const GATEWAYS: Record<GatewayKind, Gateway> = { nginx, apache, haproxy, caddy, varnish };
