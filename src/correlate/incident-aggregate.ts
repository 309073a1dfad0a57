// One incident as running aggregates: counts by status and confidence, first/last time, scope sketches,
// the earliest distinct evidence findings and the first access line. Bounded whatever its size.
import type { Cause } from '../catalog/causes.ts';
import type { Finding } from '../classify/classify.ts';
import type { AccessEvent } from '../events/types.ts';
import { accessOf, type CheapFailure } from './cheap-failure.ts';
import { evidenceKey } from './evidence-text.ts';
import type { FailedRequest } from './failed-request.ts';
import { endpoint } from './scope.ts';
import { TopSketch } from './sketch.ts';

/** Where a failure sits in its incident's failure list: merge rank, then time, then arrival. */
export type Ordinal = readonly [number, number, number];

const before = (a: Ordinal, b: Ordinal): boolean => a[0] - b[0] < 0 || (a[0] === b[0] && (a[1] < b[1] || (a[1] === b[1] && a[2] < b[2])));

export interface EvidenceCandidate {
  readonly key: string;
  readonly finding: Finding;
  readonly at: Ordinal;
}

/** Distinct evidence keys kept: the reference quotes at most six lines. */
const EVIDENCE_KEYS = 8;
const SKETCH_CAPACITY = 1024;

/**
 * Failures that share everything an incident counts: `count` failed requests of one status. Paths,
 * upstreams and hosts are one value each (every request has it) or a sketch (a pooled bucket), or exact
 * counts (the error-log fast path's batches).
 */
export interface FailureBatch {
  readonly time: number;
  readonly seq: number;
  readonly count: number;
  readonly status: number;
  readonly withAccess: number;
  readonly paths: TopSketch | string | ReadonlyMap<string, number>;
  readonly upstreams: TopSketch | string | ReadonlyMap<string, number>;
  readonly hosts: TopSketch | string | ReadonlyMap<string, number>;
  readonly findings: readonly Finding[];
  /** The first failed request's access line (a cheap failure is read in full only if it becomes the incident's first). */
  readonly access: AccessEvent | CheapFailure | undefined;
}

/** A batch whose arrival number the correlator sets (Correlator.pushFailures). */
export type UnnumberedBatch = Omit<FailureBatch, 'seq'> & { seq: number };

/** A failed request as a batch (of `n` identical ones). */
export function batchOf(f: FailedRequest, seq: number, n = 1): FailureBatch {
  return {
    time: f.time, seq, count: n, status: f.status, withAccess: f.access ? n : 0,
    paths: endpoint(f.path), upstreams: f.upstream, hosts: f.host, findings: f.findings, access: f.access,
  };
}

function addTo(s: TopSketch, v: TopSketch | string | ReadonlyMap<string, number>, n: number): void {
  if (typeof v === 'string') s.add(v, n);
  else if (v instanceof TopSketch) s.addAll(v);
  else s.addCounts(v);
}

export class IncidentAggregate {
  cause: Cause;
  start: number;
  end: number;
  requests = 0;
  readonly statuses = new Map<number, number>();
  /** Confidence in hundredths → requests. */
  confidences = new Map<number, number>();
  withAccess = 0;
  // An incident's sketches are few and fed every failure: a Map from the first value (a lookup, not a scan of the arrays).
  readonly paths = new TopSketch(SKETCH_CAPACITY, 0);
  readonly upstreams = new TopSketch(SKETCH_CAPACITY, 0);
  readonly hosts = new TopSketch(SKETCH_CAPACITY, 0);
  evidence: EvidenceCandidate[] = [];
  firstAccess: { readonly at: Ordinal; readonly access: AccessEvent } | undefined;
  roots: Finding[] = [];
  /** Requests by the symptom cause they had before a root cause replaced it (an OOM kill behind refused connections). */
  readonly symptoms = new Map<string, number>();
  /** The highest merge rank in use (mergeTouching appends a later incident's failures after these). */
  rank = 0;

  constructor(cause: Cause, time: number) {
    this.cause = cause;
    this.start = time;
    this.end = time;
  }

  add(b: FailureBatch, confidence: number): void {
    this.start = Math.min(this.start, b.time);
    this.end = Math.max(this.end, b.time);
    this.requests += b.count;
    this.statuses.set(b.status, (this.statuses.get(b.status) ?? 0) + b.count);
    const c = Math.round(confidence * 100);
    this.confidences.set(c, (this.confidences.get(c) ?? 0) + b.count);
    this.withAccess += b.withAccess;
    addTo(this.paths, b.paths, b.count);
    addTo(this.upstreams, b.upstreams, b.count);
    addTo(this.hosts, b.hosts, b.count);
    if (b.findings.length === 0 && !b.access) return;
    const at: Ordinal = [0, b.time, b.seq];
    for (const f of b.findings) this.offer(f, at);
    if (b.access && (!this.firstAccess || before(at, this.firstAccess.at))) this.firstAccess = { at, access: accessOf(b.access) };
  }

  /** Keeps the EVIDENCE_KEYS distinct keys that come first, each at its first place. */
  private offer(f: Finding, at: Ordinal): void {
    const full = this.evidence.length >= EVIDENCE_KEYS;
    // Full and later than every kept one: it can neither be new nor earlier (spares the shape).
    if (full && !before(at, this.evidence[this.evidence.length - 1]?.at ?? at)) return;
    this.place({ key: evidenceKey(f), finding: f, at });
  }

  private place(c: EvidenceCandidate): void {
    const i = this.evidence.findIndex((e) => e.key === c.key);
    if (i >= 0) {
      // Kept already, at a place no later: the list is as it was (sorted), nothing to do.
      if (!before(c.at, this.evidence[i]?.at ?? c.at)) return;
      this.evidence[i] = c;
    } else this.evidence.push(c);
    this.evidence.sort((a, b) => (before(a.at, b.at) ? -1 : before(b.at, a.at) ? 1 : 0));
    if (this.evidence.length > EVIDENCE_KEYS) this.evidence.length = EVIDENCE_KEYS;
  }

  /** Takes in `o`; `append`: o's failures come after these whatever their times (mergeTouching). */
  absorb(o: IncidentAggregate, append: boolean): void {
    const shift = append ? this.rank + 1 : 0;
    const moved = (at: Ordinal): Ordinal => [at[0] + shift, at[1], at[2]];
    this.start = Math.min(this.start, o.start);
    this.end = Math.max(this.end, o.end);
    this.requests += o.requests;
    for (const [s, n] of o.statuses) this.statuses.set(s, (this.statuses.get(s) ?? 0) + n);
    for (const [c, n] of o.confidences) this.confidences.set(c, (this.confidences.get(c) ?? 0) + n);
    this.withAccess += o.withAccess;
    this.paths.addAll(o.paths);
    this.upstreams.addAll(o.upstreams);
    this.hosts.addAll(o.hosts);
    for (const e of o.evidence) this.place({ ...e, at: moved(e.at) });
    if (o.firstAccess && (!this.firstAccess || before(moved(o.firstAccess.at), this.firstAccess.at))) {
      this.firstAccess = { at: moved(o.firstAccess.at), access: o.firstAccess.access };
    }
    this.roots.push(...o.roots.filter((r) => !this.roots.includes(r)));
    for (const [c, n] of o.symptoms) this.symptoms.set(c, (this.symptoms.get(c) ?? 0) + n);
    this.rank = Math.max(this.rank, o.rank + shift);
  }

  /** Every request's confidence becomes f(confidence). */
  mapConfidence(f: (c: number) => number): void {
    const next = new Map<number, number>();
    for (const [c, n] of this.confidences) {
      const k = Math.round(f(c / 100) * 100);
      next.set(k, (next.get(k) ?? 0) + n);
    }
    this.confidences = next;
  }

  /** Mean confidence, two decimals. */
  confidence(): number {
    let sum = 0;
    for (const [c, n] of this.confidences) sum += c * n;
    return Math.round(sum / Math.max(1, this.requests)) / 100;
  }
}
