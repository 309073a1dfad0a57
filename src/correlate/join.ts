// Joins failed access lines with the error/app findings that explain them: time window, request, client, upstream.
import type { Finding } from '../classify/classify.ts';
import type { AccessEvent } from '../events/types.ts';
import { splitRequest } from './failed-request.ts';

export interface Join {
  readonly findings: Finding[];
  readonly confidence: number;
}

const SLACK_MS = 2000;

/** Findings sorted by time, with a binary search for the first at or after a time. */
export class FindingIndex {
  readonly sorted: Finding[];
  private readonly used = new Set<Finding>();

  constructor(findings: readonly Finding[]) {
    this.sorted = [...findings].sort((a, b) => a.record.time - b.record.time);
  }

  firstAtOrAfter(t: number): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.sorted[mid]?.record.time ?? Infinity) < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Claims a finding that names one request, so it explains only that one. */
  claim(f: Finding): void {
    if (f.record.request) this.used.add(f);
  }

  isClaimed(f: Finding): boolean {
    return this.used.has(f);
  }
}

interface Scored {
  readonly finding: Finding;
  readonly score: number;
  readonly requestMatched: boolean;
}

function score(e: AccessEvent, f: Finding): Scored | undefined {
  const r = f.record;
  const failedStatus = e.status >= 500;
  if (f.pattern.midBody === failedStatus) return undefined;
  let s = 0;
  let requestMatched = false;
  if (r.request) {
    const req = splitRequest(r.request);
    const samePath = req.path === e.path;
    if (!samePath || (req.method !== '?' && req.method !== '' && e.method !== '' && req.method !== e.method)) return undefined;
    s += 4;
    requestMatched = true;
  }
  if (r.client && e.client) {
    if (r.client === e.client) s += 2;
    else if (r.producer === 'nginx') return undefined;
  }
  if (r.upstream && e.upstreamAddr && r.upstream.includes(e.upstreamAddr.split(/, | : /).pop() ?? '\u0000')) s += 1;
  s -= Math.abs(r.time - e.time) / 2000;
  if (!requestMatched && (!r.timed || Math.abs(r.time - e.time) > SLACK_MS)) return undefined;
  return { finding: f, score: s, requestMatched };
}

/** The findings that explain one failed access line, best first; undefined when none do. */
export function joinAccess(e: AccessEvent, index: FindingIndex): Join | undefined {
  const duration = Number.isFinite(e.requestTime) ? Math.max(0, e.requestTime) * 1000 : 0;
  const from = e.time - duration - SLACK_MS;
  const to = e.time + SLACK_MS;
  const candidates: Scored[] = [];
  for (let i = index.firstAtOrAfter(from); i < index.sorted.length; i++) {
    const f = index.sorted[i];
    if (!f || f.record.time > to) break;
    if (index.isClaimed(f)) continue;
    const sc = score(e, f);
    if (sc) candidates.push(sc);
  }
  if (candidates.length === 0) return undefined;
  candidates.sort((a, b) => b.finding.pattern.specificity - a.finding.pattern.specificity || b.score - a.score);
  const best = candidates[0];
  if (!best) return undefined;
  const own = candidates.find((c) => c.finding.record.request && c.requestMatched);
  if (own) index.claim(own.finding);
  if (best !== own) index.claim(best.finding);
  const findings = candidates.map((c) => c.finding).filter((f, i, a) => a.indexOf(f) === i).slice(0, 3);
  return { findings, confidence: best.requestMatched ? 0.95 : 0.8 };
}
