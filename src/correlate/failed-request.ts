// The unit of correlation: one failed request (or one failure record) with the cause given to it.
import { requireCause, type Cause, type CauseCatalog } from '../catalog/causes.ts';
import type { Finding } from '../classify/classify.ts';
import type { AccessEvent } from '../events/types.ts';

export interface FailedRequest {
  readonly time: number;
  /** The status the visitor got; 0 when only an error record is known. */
  readonly status: number;
  readonly access: AccessEvent | undefined;
  readonly path: string;
  readonly upstream: string;
  readonly host: string;
  cause: Cause;
  confidence: number;
  /** The records that explain it, most telling first. */
  findings: Finding[];
}

/** "GET /x?y HTTP/1.1" → { method, path }. */
export function splitRequest(request: string): { method: string; path: string } {
  const sp = request.indexOf(' ');
  if (sp < 0) return { method: '', path: request };
  const sp2 = request.indexOf(' ', sp + 1);
  return { method: request.slice(0, sp), path: sp2 < 0 ? request.slice(sp + 1) : request.slice(sp + 1, sp2) };
}

/** "http://127.0.0.1:3000/api" → "127.0.0.1:3000"; "fastcgi://unix:/run/php.sock:" → "unix:/run/php.sock". */
export function upstreamPeer(upstream: string): string {
  const scheme = upstream.indexOf('://');
  let rest = scheme >= 0 ? upstream.slice(scheme + 3) : upstream;
  if (rest.startsWith('unix:')) {
    const end = rest.indexOf(':', 5);
    return end < 0 ? rest : rest.slice(0, end);
  }
  const slash = rest.indexOf('/');
  if (slash >= 0) rest = rest.slice(0, slash);
  return rest;
}

/** The catalog's cause for an ID (the catch-all when it has none). */
/** The cause an access-evidence rule names; an ID the catalog lacks is an error, never a silent fallback. */
export function causeOf(catalog: CauseCatalog, id: string): Cause {
  return requireCause(catalog, id, 'access evidence');
}

export function fromAccess(e: AccessEvent, cause: Cause, confidence: number, findings: Finding[]): FailedRequest {
  const fu = findings.find((f) => f.record.upstream)?.record.upstream;
  const lastAddr = e.upstreamAddr.split(/, | : /).pop() ?? '';
  return {
    time: e.time, status: e.status, access: e, path: e.path, upstream: lastAddr && lastAddr !== '-' ? lastAddr : fu ? upstreamPeer(fu) : '',
    host: e.host, cause, confidence, findings,
  };
}

/**
 * A finding alone stands for a failed request only when its cause's usual status (the first the catalog
 * lists, the one inferred without an access log) is a 5xx: PHP-FPM's "Primary script unknown" answers 404.
 */
export function failsAlone(f: Finding): boolean {
  return (f.cause.statuses[0] ?? 500) >= 500;
}

/** The confidence of a failure known only from its error record. */
export const FINDING_CONFIDENCE = 0.8;

export function fromFinding(f: Finding): FailedRequest {
  const r = f.record;
  const path = r.request ? (r.request.split(' ')[1] ?? '') : '';
  return {
    time: r.time, status: r.status ?? 0, access: undefined, path, upstream: r.upstream ? upstreamPeer(r.upstream) : '', host: r.host,
    cause: f.cause, confidence: FINDING_CONFIDENCE, findings: [f],
  };
}
