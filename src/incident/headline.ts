// The verdict in a few facts, from the analysis's leading incident or else the live probe, for messages and the post-mortem.
import type { Incident } from '../events/analysis.ts';
import type { Verdict } from '../probe/types.ts';

export interface Headline {
  readonly cause: string | null;
  readonly layer: string | null;
  readonly title: string;
  /** Statuses with counts, largest first: [["502", 40]]. */
  readonly statuses: readonly [string, number][];
  readonly start: string | null;
  readonly end: string | null;
  readonly requests: number | null;
  /** Failed share of all requests in the incident's window (0–1). */
  readonly share: number | null;
  readonly paths: readonly [string, number][];
  readonly upstreams: readonly [string, number][];
  readonly hosts: readonly [string, number][];
  readonly summary: string;
  readonly source: 'logs' | 'probe' | 'none';
}

export function fromIncident(i: Incident): Headline {
  return {
    cause: i.cause, layer: i.layer, title: i.title,
    statuses: Object.entries(i.statuses).sort((a, b) => b[1] - a[1]),
    start: i.start, end: i.end, requests: i.requests, share: i.scope.share,
    paths: i.scope.paths, upstreams: i.scope.upstreams, hosts: i.scope.hosts,
    summary: i.meaning, source: 'logs',
  };
}

export function fromProbe(v: Verdict, at: string): Headline {
  return {
    cause: v.cause, layer: v.layer, title: v.summary,
    statuses: v.status !== null ? [[String(v.status), 1]] : [], start: at, end: at, requests: null, share: null,
    paths: [], upstreams: [], hosts: [], summary: v.summary, source: v.cause ? 'probe' : 'none',
  };
}

/** "502 (40), 504 (2)". */
export function statusList(h: Headline): string {
  return h.statuses.map(([s, n]) => (h.requests === null ? s : `${s} (${n})`)).join(', ');
}

/** "14:02 UTC" from an ISO time. */
export function clock(iso: string): string {
  return `${iso.slice(11, 16)} UTC`;
}

/** "between 14:02 UTC and 14:09 UTC", or "around 14:02 UTC" when both fall in one minute. */
export function span(start: string, end: string): string {
  return clock(start) === clock(end) ? `around ${clock(start)}` : `between ${clock(start)} and ${clock(end)}`;
}

/** Plain words for a layer, for people outside the team. */
export const PLAIN_LAYER: Record<string, string> = {
  client: 'there was a network problem between some visitors and our site',
  edge: 'our content delivery network could not reach our servers',
  gateway: 'our web server or load balancer itself failed',
  upstream: 'our web server could not get answers from the application behind it',
  app: 'our application hit an error it did not handle',
  dependency: 'a service our application depends on (such as its database) was not available',
  host: 'the server ran short of resources (memory, disk or connections)',
};
