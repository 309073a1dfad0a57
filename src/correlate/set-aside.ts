// Counts what was read and set aside as no failed request (stream/mail proxy records, requests retried to another
// upstream and answered, findings whose cause answers 4xx) and says so in one sentence each (analysis `notes`).
import type { NoRequestKind } from '../parse/nginx-no-request.ts';

/** Where the first of a kind was: a source's index and a 1-based line. */
interface Example {
  readonly source: number;
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

function count(map: Map<string, Tally>, key: string, at: Example, n = 1): void {
  const t = map.get(key) ?? { n: 0, first: undefined };
  t.n += n;
  t.first ??= at;
  map.set(key, t);
}

export class SetAside {
  private readonly noRequest = new Map<string, Tally>();
  private readonly retried = new Map<string, Tally>();
  /** By cause ID: findings of causes that answer below 500, not taken as failures without an access log. */
  private readonly below500 = new Map<string, Tally>();

  /** An nginx record that matched a cause but names no HTTP request. */
  addNoRequest(kind: NoRequestKind, source: number, line: number): void {
    count(this.noRequest, kind, { source, line });
  }

  /** An access line whose request failed on one upstream and was answered by another. */
  addRetried(source: number, line: number): void {
    count(this.retried, '', { source, line });
  }

  /** `n` findings of `causeId`, whose usual status is below 500, made no failure. */
  addBelow500(causeId: string, source: number, line: number, n = 1): void {
    count(this.below500, causeId, { source, line }, n);
  }

  /** Findings of causes that answer below 500 set aside, by cause. */
  get below500Counts(): ReadonlyMap<string, number> {
    return new Map([...this.below500].map(([k, t]) => [k, t.n]));
  }

  /** One sentence per kind of thing set aside; `pathOf` names a source, `statusOf` a cause's usual status. */
  notes(pathOf: (source: number) => string, statusOf: (causeId: string) => number): string[] {
    const at = (e: Example | undefined): string => (e ? ` (first: ${pathOf(e.source)}:${e.line})` : '');
    const out: string[] = [];
    for (const t of this.retried.values()) {
      out.push(`${t.n} request(s) retried to another upstream and answered: not failed requests, no incident from them${at(t.first)}`);
    }
    for (const [kind, t] of this.noRequest) {
      out.push(`${t.n} nginx error record(s) ${KIND_WORDS[kind as NoRequestKind]} name no HTTP request: not taken as failed requests${at(t.first)}`);
    }
    for (const [cause, t] of this.below500) {
      out.push(`${t.n} record(s) of ${cause}, which answers ${statusOf(cause)}, not 5xx: no 5xx incident from them without an access log${at(t.first)}`);
    }
    return out;
  }
}
