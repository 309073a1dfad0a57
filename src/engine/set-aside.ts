// Counts what analyze read and set aside as no failed request (stream/mail proxy records, requests retried to
// another upstream and answered, findings whose cause answers 4xx) and says so in one sentence each.
import type { NoRequestKind } from '../parse/nginx-no-request.ts';

interface Example {
  readonly path: string;
  readonly line: number;
}

interface Tally {
  n: number;
  first: Example | undefined;
}

const KIND_WORDS: Readonly<Record<NoRequestKind, string>> = {
  stream: 'of the stream (TCP/UDP) proxy',
  mail: 'of the mail proxy',
  connection: 'written before any HTTP request existed (connection level)',
};

/** "502, 200" / "502 : 200": some attempt failed (5xx, or no answer) and the last one answered. */
export function retriedThenAnswered(upstreamStatus: string, status: number): boolean {
  if (status < 200 || status >= 400 || (!upstreamStatus.includes(',') && !upstreamStatus.includes(' : '))) return false;
  const parts = upstreamStatus.split(/, | : /);
  const last = Number(parts[parts.length - 1]);
  return last >= 200 && last < 400 && parts.slice(0, -1).some((p) => p === '-' || Number(p) >= 500);
}

export class SetAside {
  private readonly noRequest = new Map<NoRequestKind, Tally>();
  private readonly retried: Tally = { n: 0, first: undefined };

  /** An nginx record that matched a cause but names no HTTP request. */
  addNoRequest(kind: NoRequestKind, path: string, line: number): void {
    const t = this.noRequest.get(kind) ?? { n: 0, first: undefined };
    t.n++;
    t.first ??= { path, line };
    this.noRequest.set(kind, t);
  }

  /** An access line whose request failed on one upstream and was answered by another. */
  addRetried(path: string, line: number): void {
    this.retried.n++;
    this.retried.first ??= { path, line };
  }

  /** One sentence per kind of thing set aside; `notFailures`: findings by cause that answer below 500. */
  notes(notFailures: ReadonlyMap<string, number>, statusOf: (causeId: string) => number): string[] {
    const at = (e: Example | undefined): string => (e ? ` (first: ${e.path}:${e.line})` : '');
    const out: string[] = [];
    if (this.retried.n > 0) {
      out.push(`${this.retried.n} request(s) retried to another upstream and answered: not failed requests, no incident from them${at(this.retried.first)}`);
    }
    for (const [kind, t] of this.noRequest) {
      out.push(`${t.n} nginx error record(s) ${KIND_WORDS[kind]} name no HTTP request: not taken as failed requests${at(t.first)}`);
    }
    for (const [cause, n] of notFailures) {
      out.push(`${n} record(s) of ${cause}, which answers ${statusOf(cause)}, not 5xx: no 5xx incident from them without an access log`);
    }
    return out;
  }
}
