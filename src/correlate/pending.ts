// Failed requests nothing explained yet, waiting for the clock to pass their neighbour window: pooled by
// (time, status, upstream, cause, confidence), so a flood of them costs one bucket a second, not one a line.
import type { FailureBatch } from './incident-aggregate.ts';
import type { FailedRequest } from './failed-request.ts';
import { endpoint } from './scope.ts';
import { TopSketch } from './sketch.ts';

/** Distinct paths and hosts one bucket counts exactly (a second's worth; past it, the sketch estimates). */
const BUCKET_SKETCH = 256;

interface Bucket extends FailureBatch {
  count: number;
  withAccess: number;
  readonly paths: TopSketch;
  readonly hosts: TopSketch;
  readonly upstream: string;
  readonly causeId: string;
  readonly confidence: number;
  readonly key: string;
}

export class PendingQueue {
  private readonly buckets = new Map<string, Bucket>();
  /** Bucket times, ascending (mostly appended: lines come nearly in time order). */
  private readonly times: number[] = [];
  private readonly byTime = new Map<number, Bucket[]>();

  push(f: FailedRequest, seq: number): void {
    const key = `${f.time}|${f.status}|${f.upstream}|${f.cause.id}|${f.confidence}`;
    let b = this.buckets.get(key);
    if (!b) {
      b = {
        time: f.time, seq, count: 0, status: f.status, withAccess: 0, paths: new TopSketch(BUCKET_SKETCH), upstreams: f.upstream, upstream: f.upstream,
        hosts: new TopSketch(BUCKET_SKETCH), findings: [], access: f.access, causeId: f.cause.id, confidence: f.confidence, key,
      };
      this.buckets.set(key, b);
      this.enqueue(b);
    }
    b.count++;
    if (f.access) b.withAccess++;
    b.paths.add(endpoint(f.path));
    b.hosts.add(f.host);
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
    for (const time of this.times.splice(0, n)) {
      for (const b of this.byTime.get(time) ?? []) {
        this.buckets.delete(b.key);
        settle(b, b.causeId, b.confidence);
      }
      this.byTime.delete(time);
    }
  }

  get size(): number {
    return this.buckets.size;
  }
}
