// Explained failed requests by second, counted by (time, status, upstream, cause): what a request
// nothing explained borrows from (the cause most of its explained neighbours within ±30 s got, when they
// share its status and upstream).
import type { Cause } from '../catalog/causes.ts';
import type { FailedRequest } from './failed-request.ts';

export const NEIGHBOUR_MS = 30_000;

interface Entry {
  readonly time: number;
  readonly seq: number;
  readonly status: number;
  readonly upstream: string;
  readonly cause: Cause;
  count: number;
}

const NONE: readonly Entry[] = [];

export class Neighbours {
  private readonly seconds = new Map<number, Entry[]>();

  add(f: FailedRequest, seq: number): void {
    const second = Math.floor(f.time / 1000);
    const list = this.seconds.get(second) ?? [];
    if (list.length === 0) this.seconds.set(second, list);
    const same = list.find((e) => e.time === f.time && e.status === f.status && e.upstream === f.upstream && e.cause === f.cause);
    if (same) same.count++;
    else list.push({ time: f.time, seq, status: f.status, upstream: f.upstream, cause: f.cause, count: 1 });
  }

  /** The cause most explained neighbours of a request at `time` have (the first seen on a tie), if any. */
  borrow(time: number, status: number, upstream: string): Cause | undefined {
    // Nothing explained yet (a run without error logs): one call per pooled second of an outage, no garbage.
    if (this.seconds.size === 0) return undefined;
    const near: Entry[] = [];
    for (let s = Math.floor((time - NEIGHBOUR_MS) / 1000); s <= Math.floor((time + NEIGHBOUR_MS) / 1000); s++) {
      for (const e of this.seconds.get(s) ?? NONE) {
        if (Math.abs(e.time - time) > NEIGHBOUR_MS || e.status !== status) continue;
        if (!upstream || !e.upstream || e.upstream === upstream) near.push(e);
      }
    }
    if (near.length === 0) return undefined;
    near.sort((a, b) => a.time - b.time || a.seq - b.seq);
    const counts = new Map<Cause, number>();
    for (const e of near) counts.set(e.cause, (counts.get(e.cause) ?? 0) + e.count);
    let best: Cause | undefined;
    let most = 0;
    for (const [cause, n] of counts) {
      if (n > most) {
        best = cause;
        most = n;
      }
    }
    return best;
  }

  /** Forgets seconds wholly before `ms`. */
  pruneBefore(ms: number): void {
    const limit = Math.floor(ms / 1000);
    for (const s of this.seconds.keys()) if (s < limit) this.seconds.delete(s);
  }
}
