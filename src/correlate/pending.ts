// Failed requests nothing explained yet, waiting for the clock to pass their neighbour window: pooled by
// (time, status, upstream, cause, confidence), so a flood of them costs one bucket a second, not one a line.
import type { Cause } from '../catalog/causes.ts';
import type { Finding } from '../classify/classify.ts';
import type { AccessEvent } from '../events/types.ts';
import type { CheapFailure, CheapLines } from './cheap-failure.ts';
import type { FailureBatch } from './incident-aggregate.ts';
import type { FailedRequest } from './failed-request.ts';
import { endpoint } from './scope.ts';
import { TopSketch } from './sketch.ts';

/** Distinct paths and hosts one bucket counts exactly (a second's worth; past it, the sketch estimates). */
const BUCKET_SKETCH = 256;
/** A bucket's findings: none (a pooled failure names none), one list for all. */
const NO_FINDINGS: readonly Finding[] = [];

interface Bucket extends FailureBatch {
  count: number;
  withAccess: number;
  readonly paths: TopSketch;
  /** '' until a line with a host comes (a cheap failure has none): a pooled second of cheap failures makes no hosts sketch. */
  hosts: TopSketch | '';
  readonly upstream: string;
  readonly causeId: string;
  readonly confidence: number;
}

export class PendingQueue {
  private count = 0;
  /** Bucket times, ascending (mostly appended: lines come nearly in time order). */
  private readonly times: number[] = [];
  private readonly byTime = new Map<number, Bucket[]>();

  push(f: FailedRequest, seq: number): void {
    const b = this.bucket(f.time, f.status, f.upstream, f.cause, f.confidence, f.access, seq);
    b.count++;
    if (f.access) b.withAccess++;
    b.paths.add(endpoint(f.path));
    if (b.hosts === '') b.hosts = new TopSketch(BUCKET_SKETCH);
    b.hosts.add(f.host);
  }

  /** A cheap failure (no upstream, no host; cheap-failure.ts): pooled as `push` pools its full reading. */
  pushCheap(f: CheapFailure, cause: Cause, confidence: number, seq: number): void {
    const b = this.bucket(f.time, f.status, '', cause, confidence, f, seq);
    b.count++;
    b.withAccess++;
    b.paths.add(f.endpoint);
  }

  /** Line k of a run of cheap failures, as `pushCheap` of it (its object made only when it opens a bucket). */
  pushCheapAt(xs: CheapLines, k: number, cause: Cause, confidence: number, seq: number): void {
    const time = xs.time[k] ?? NaN;
    const status = xs.status[k] ?? 0;
    const b = this.find(time, status, '', cause, confidence) ?? this.open(time, status, '', cause, confidence, xs.at(k), seq);
    b.count++;
    b.withAccess++;
    b.paths.add(xs.endpointAt(k));
  }

  /**
   * Lines [from, to) of a run, all of one time and each unexplained by its status alone (`verdictOf`), as
   * `pushCheapAt` of each in turn: buckets open in the same order, and each bucket's paths are added once per
   * endpoint with its count, in the order the endpoints first come (the same sketch, while it stays exact).
   */
  pushCheapGroup(xs: CheapLines, from: number, to: number, verdictOf: (status: number) => { cause: Cause; confidence: number }, seq: number): void {
    const time = xs.time[from] ?? NaN;
    // The group's statuses in the order they first come, in a scratch array (a count, no array a group).
    const statuses = this.groupStatuses;
    let m = 0;
    for (let k = from; k < to; k++) {
      const status = xs.status[k] ?? 0;
      let seen = false;
      for (let i = 0; i < m && !seen; i++) seen = statuses[i] === status;
      if (seen) continue;
      statuses[m++] = status;
      const v = verdictOf(status);
      if (!this.find(time, status, '', v.cause, v.confidence)) this.open(time, status, '', v.cause, v.confidence, xs.at(k), seq + k - from);
    }
    for (let i = 0; i < m; i++) {
      const status = statuses[i] ?? 0;
      const v = verdictOf(status);
      const b = this.find(time, status, '', v.cause, v.confidence);
      if (b) this.addPaths(b, xs, from, to, status);
    }
  }

  /** Counts the lines of `status` among [from, to) into `b`, their endpoints added by first appearance. */
  private addPaths(b: Bucket, xs: CheapLines, from: number, to: number, status: number): void {
    const ids = this.groupIds;
    const counts = this.groupCounts.length >= xs.endpoints.length ? this.groupCounts : (this.groupCounts = new Uint32Array(xs.endpoints.length * 2));
    // A count of ids, not ids.length = 0 (which would drop the array's room and grow it again each group).
    let m = 0;
    for (let k = from; k < to; k++) {
      if (xs.status[k] !== status) continue;
      const id = xs.endpoint[k] ?? 0;
      if ((counts[id] ?? 0) === 0) ids[m++] = id;
      counts[id] = (counts[id] ?? 0) + 1;
    }
    let n = 0;
    const exact = b.paths.size + m <= BUCKET_SKETCH;
    for (let i = 0; i < m; i++) {
      const id = ids[i] ?? 0;
      const c = counts[id] ?? 0;
      counts[id] = 0;
      n += c;
      if (exact) b.paths.add(xs.endpoints[id] ?? '', c);
    }
    if (!exact) for (let k = from; k < to; k++) if (xs.status[k] === status) b.paths.add(xs.endpointAt(k));
    b.count += n;
    b.withAccess += n;
  }

  /** Scratch for `pushCheapGroup`: a group's statuses. */
  private readonly groupStatuses: number[] = [];
  /** Scratch for `addPaths`: endpoint ids of a group by first appearance, and their counts (zero between groups). */
  private readonly groupIds: number[] = [];
  private groupCounts = new Uint32Array(256);

  private bucket(time: number, status: number, upstream: string, cause: Cause, confidence: number, access: AccessEvent | CheapFailure | undefined, seq: number): Bucket {
    return this.find(time, status, upstream, cause, confidence) ?? this.open(time, status, upstream, cause, confidence, access, seq);
  }

  /** One bucket per (time, status, upstream, cause, confidence): the time's few buckets are searched. */
  private find(time: number, status: number, upstream: string, cause: Cause, confidence: number): Bucket | undefined {
    const same = this.byTime.get(time);
    if (same) {
      for (const b of same) if (b.status === status && b.upstream === upstream && b.causeId === cause.id && b.confidence === confidence) return b;
    }
    return undefined;
  }

  private open(time: number, status: number, upstream: string, cause: Cause, confidence: number, access: AccessEvent | CheapFailure | undefined, seq: number): Bucket {
    const b: Bucket = {
      time, seq, count: 0, status, withAccess: 0, paths: new TopSketch(BUCKET_SKETCH), upstreams: upstream, upstream,
      hosts: '', findings: NO_FINDINGS, access, causeId: cause.id, confidence,
    };
    this.count++;
    this.enqueue(b);
    return b;
  }

  /** Reads in full every cheap failure a bucket keeps as its first access line (before its file closes). */
  readCheapInFull(): void {
    for (const same of this.byTime.values()) for (const b of same) if (b.access?.kind === 'cheap') b.access.full();
  }

  private enqueue(b: Bucket): void {
    const same = this.byTime.get(b.time);
    if (same) {
      same.push(b);
      return;
    }
    this.byTime.set(b.time, [b]);
    let at = this.times.length;
    while (at > 0 && (this.times[at - 1] ?? 0) > b.time) at--;
    this.times.splice(at, 0, b.time);
  }

  /** Hands on (time order) every bucket at or before `t`. */
  drainUpTo(t: number, settle: (b: FailureBatch & { readonly upstream: string }, causeId: string, confidence: number) => void): void {
    let n = 0;
    while (n < this.times.length && (this.times[n] ?? Infinity) <= t) n++;
    if (n === 0) return;
    for (const time of this.times.splice(0, n)) {
      for (const b of this.byTime.get(time) ?? []) {
        this.count--;
        settle(b, b.causeId, b.confidence);
      }
      this.byTime.delete(time);
    }
  }

  get size(): number {
    return this.count;
  }
}
