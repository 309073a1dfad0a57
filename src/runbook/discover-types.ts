// What the runbook discovers on a host: where each service logs, what it proxies to, which checks exist.

export interface LogPlace {
  readonly service: string;
  readonly path: string;
  readonly what: string;
  /** Where it is set (file:line), or "default". */
  readonly from: string;
  /** Whether the file is there now (null: not a file path, e.g. syslog or a pipe). */
  readonly exists: boolean | null;
}

export interface UpstreamRef {
  readonly service: string;
  readonly target: string;
  readonly from: string;
}

export interface CheckHint {
  readonly service: string;
  readonly what: string;
  readonly from: string;
}

export interface ServiceFacts {
  readonly logs: LogPlace[];
  readonly upstreams: UpstreamRef[];
  readonly checks: CheckHint[];
}

export const emptyFacts = (): ServiceFacts => ({ logs: [], upstreams: [], checks: [] });

/** A log place with its existence checked under the roots (null for syslog, stderr or a pipe). */
export async function logPlace(service: string, path: string, what: string, from: string, exists: (p: string) => Promise<boolean>): Promise<LogPlace> {
  return { service, path, what, from, exists: path.startsWith('/') ? await exists(path) : null };
}
