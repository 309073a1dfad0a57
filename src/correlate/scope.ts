// Measures what an incident touches: top paths, upstreams and hosts, and its share of all traffic.
import type { PerSecond } from '../events/second-counts.ts';
import type { FailedRequest } from './failed-request.ts';

export interface Scope {
  readonly paths: [string, number][];
  readonly upstreams: [string, number][];
  readonly hosts: [string, number][];
  /** Failed requests / all requests in the incident's window (0–1); null when unknown. */
  readonly share: number | null;
}

const TOP = 10;

function top(values: Iterable<string>): [string, number][] {
  const counts = new Map<string, number>();
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, TOP);
}

/** Strips the query string: scope is about endpoints, not about individual URLs. */
export function endpoint(path: string): string {
  const q = path.indexOf('?');
  return q < 0 ? path : path.slice(0, q);
}

/** Failed requests with an access line / all requests in [start, end] (0–1); null when no traffic is known. */
export function shareOf(withAccess: number, traffic: PerSecond, start: number, end: number): number | null {
  let total = 0;
  for (let s = Math.floor(start / 1000); s <= Math.floor(end / 1000); s++) total += traffic.get(s) ?? 0;
  return total > 0 ? Math.min(1, withAccess / total) : null;
}

export function measureScope(
  failures: readonly FailedRequest[],
  traffic: PerSecond,
  start: number,
  end: number,
): Scope {
  const withAccess = failures.filter((f) => f.access).length;
  return {
    paths: top(failures.map((f) => endpoint(f.path))),
    upstreams: top(failures.map((f) => f.upstream)),
    hosts: top(failures.map((f) => f.host)),
    share: shareOf(withAccess, traffic, start, end),
  };
}
