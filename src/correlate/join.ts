// Joins failed access lines with the error/app findings that explain them: time window, request, client, upstream.
import type { Finding } from '../classify/classify.ts';
import type { AccessEvent } from '../events/types.ts';
import { splitRequest } from './failed-request.ts';

export interface Join {
  readonly findings: Finding[];
  readonly confidence: number;
}

export const SLACK_MS = 2000;

/** A finding in an index, standing for `available` identical findings not yet claimed (1 in the plain index). */
export interface Slot {
  readonly finding: Finding;
  readonly available: number;
  /** The finding's request split once (the store keeps it), so scoring splits nothing. */
  readonly split?: { readonly method: string; readonly path: string };
}

/** What a join needs of the findings: those in a time range, in time order, and claiming. */
export interface JoinIndex {
  /** Slots with something available whose finding's time lies in [from, to], by time then arrival. */
  slotsIn(from: number, to: number): Iterable<Slot>;
  /** Claims one finding of the slot (only findings that name a request are ever claimed). */
  claim(slot: Slot): void;
  /**
   * Optional: the slots of `slotsIn(from, to)` that can score for a line requesting `path` (those naming
   * no request or that path), in the same order; the join then scores only these.
   */
  candidatesFor?(path: string, from: number, to: number): Iterable<Slot>;
}

/** The plain index: findings sorted by time, with a binary search for the first at or after a time. */
export class FindingIndex implements JoinIndex {
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

  *slotsIn(from: number, to: number): Iterable<Slot> {
    for (let i = this.firstAtOrAfter(from); i < this.sorted.length; i++) {
      const f = this.sorted[i];
      if (!f || f.record.time > to) break;
      if (!this.used.has(f)) yield { finding: f, available: 1 };
    }
  }

  /** Claims a finding that names one request, so it explains only that one. */
  claim(slot: Slot): void {
    if (slot.finding.record.request) this.used.add(slot.finding);
  }
}

interface Scored {
  readonly slot: Slot;
  readonly score: number;
  readonly requestMatched: boolean;
}

/** The last upstream nginx tried ("a, b : c" → "c"), or "\u0000" (matching nothing) when it names none. */
export function lastUpstream(e: AccessEvent): string {
  return e.upstreamAddr ? (e.upstreamAddr.split(/, | : /).pop() ?? '\u0000') : '\u0000';
}

/**
 * How well finding `f` fits access line `e`; undefined when it cannot explain it at all. `split` and
 * `last` are `f`'s request split and `lastUpstream(e)` when the caller has them already.
 */
export function score(e: AccessEvent, f: Finding, split?: Slot['split'], last?: string): { score: number; requestMatched: boolean } | undefined {
  const r = f.record;
  const failedStatus = e.status >= 500;
  if (f.pattern.midBody === failedStatus) return undefined;
  let s = 0;
  let requestMatched = false;
  if (r.request) {
    const req = split ?? splitRequest(r.request);
    const samePath = req.path === e.path;
    if (!samePath || (req.method !== '?' && req.method !== '' && e.method !== '' && req.method !== e.method)) return undefined;
    s += 4;
    requestMatched = true;
  }
  if (r.client && e.client) {
    if (r.client === e.client) s += 2;
    else if (r.producer === 'nginx') return undefined;
  }
  if (r.upstream && e.upstreamAddr && r.upstream.includes(last ?? lastUpstream(e))) s += 1;
  s -= Math.abs(r.time - e.time) / 2000;
  if (!requestMatched && (!r.timed || Math.abs(r.time - e.time) > SLACK_MS)) return undefined;
  return { score: s, requestMatched };
}

/** The window in which findings may explain `e`: its start (end − request time) − 2 s … its end + 2 s. */
export function joinWindow(e: AccessEvent): [number, number] {
  const duration = Number.isFinite(e.requestTime) ? Math.max(0, e.requestTime) * 1000 : 0;
  return [e.time - duration - SLACK_MS, e.time + SLACK_MS];
}

/** The findings that explain one failed access line, best first; undefined when none do. */
export function joinAccess(e: AccessEvent, index: JoinIndex): Join | undefined {
  const [from, to] = joinWindow(e);
  const candidates: Scored[] = [];
  const last = lastUpstream(e);
  for (const slot of index.candidatesFor ? index.candidatesFor(e.path, from, to) : index.slotsIn(from, to)) {
    const sc = score(e, slot.finding, slot.split, last);
    if (sc) candidates.push({ slot, ...sc });
  }
  if (candidates.length === 0) return undefined;
  candidates.sort((a, b) => b.slot.finding.pattern.specificity - a.slot.finding.pattern.specificity || b.score - a.score);
  const best = candidates[0];
  if (!best) return undefined;
  // Up to three findings, a slot standing for as many identical findings as it has available.
  const findings: Finding[] = [];
  for (const c of candidates) {
    for (let k = 0; k < c.slot.available && findings.length < 3; k++) findings.push(c.slot.finding);
    if (findings.length >= 3) break;
  }
  const own = candidates.find((c) => c.slot.finding.record.request && c.requestMatched);
  if (own) index.claim(own.slot);
  if (best !== own && best.slot.finding.record.request) index.claim(best.slot);
  return { findings, confidence: best.requestMatched ? 0.95 : 0.8 };
}
