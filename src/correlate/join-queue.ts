// Failed lines waiting to be joined, by time, side by side (no pair per line): the line (or the columns of a
// run of cheap failures), the index of its first line in the run (-1 for a line), how many lines (of one
// time), their time, the arrival number of the first. Taken from the front by a head index, the arrays
// compacted now and then: taking one entry costs no copy of the rest (a full queue gives up one a line).
import type { AccessEvent } from '../events/types.ts';
import type { CheapFailure, CheapLines } from './cheap-failure.ts';

export type Queued = AccessEvent | CheapFailure | CheapLines;

/** Taken entries kept before the arrays are compacted (and at most half of them). */
const COMPACT_AT = 4096;

export class JoinQueue {
  private readonly xs: (Queued | undefined)[] = [];
  private readonly ks: number[] = [];
  private readonly ns: number[] = [];
  private readonly times: number[] = [];
  private readonly seqs: number[] = [];
  /** The first entry not yet taken. */
  private head = 0;

  /** Entries waiting (a group of cheap lines is one). */
  get length(): number {
    return this.times.length - this.head;
  }

  /** Queues `n` lines of time `t` (the line, or lines k… of a run) after those of the same time or earlier. */
  add(x: Queued, k: number, n: number, t: number, seq: number): void {
    const times = this.times;
    let at = times.length;
    while (at > this.head && (times[at - 1] ?? 0) > t) at--;
    if (at === times.length) {
      this.xs.push(x);
      this.ks.push(k);
      this.ns.push(n);
      times.push(t);
      this.seqs.push(seq);
    } else {
      this.xs.splice(at, 0, x);
      this.ks.splice(at, 0, k);
      this.ns.splice(at, 0, n);
      times.splice(at, 0, t);
      this.seqs.splice(at, 0, seq);
    }
  }

  /**
   * Takes, in order, the entries of time ≤ `t`, and past them the oldest while more than `keep` wait;
   * `visit` gets each. Returns the lines taken before their time (for the keep).
   */
  takeUpTo(t: number, keep: number, visit: (x: Queued, k: number, n: number, seq: number) => void): number {
    this.compact();
    const from = this.head;
    const times = this.times;
    let end = from;
    while (end < times.length && (times[end] ?? Infinity) <= t) end++;
    let early = 0;
    // Past `keep`, down to 7/8 of it: early joins come in batches, a line's neighbours joined together.
    if (times.length - end > keep) for (const to = times.length - Math.floor((keep * 7) / 8); end < to; end++) early += this.ns[end] ?? 1;
    if (end === from) return 0;
    this.head = end;
    for (let i = from; i < end; i++) {
      const x = this.xs[i];
      if (x !== undefined) visit(x, this.ks[i] ?? -1, this.ns[i] ?? 1, this.seqs[i] ?? 0);
      this.xs[i] = undefined;
    }
    return early;
  }

  /** Drops the taken entries from the arrays once they are many (amortised: each entry is moved a few times at most). */
  private compact(): void {
    const h = this.head;
    if (h < COMPACT_AT || h * 2 < this.times.length) return;
    this.xs.splice(0, h);
    this.ks.splice(0, h);
    this.ns.splice(0, h);
    this.times.splice(0, h);
    this.seqs.splice(0, h);
    this.head = 0;
  }

  /** Reads in full every cheap failure waiting (before its file closes): a group becomes its lines, each read in full, in its place. */
  readCheapInFull(): void {
    for (let i = this.head; i < this.times.length; i++) {
      const x = this.xs[i];
      const k = this.ks[i] ?? -1;
      if (k >= 0) i += this.expand(i, x as CheapLines, k) - 1;
      else if (x && 'kind' in x && x.kind === 'cheap') x.full();
    }
  }

  /** Replaces the group at `at` (lines k… of `run`) by its lines, each read in full; returns how many. */
  private expand(at: number, run: CheapLines, k: number): number {
    const lines = Array.from({ length: this.ns[at] ?? 1 }, (_, j) => {
      const f = run.at(k + j);
      f.full();
      return f;
    });
    const t = this.times[at] ?? NaN;
    const seq = this.seqs[at] ?? 0;
    this.xs.splice(at, 1, ...lines);
    this.ks.splice(at, 1, ...lines.map(() => -1));
    this.ns.splice(at, 1, ...lines.map(() => 1));
    this.times.splice(at, 1, ...lines.map(() => t));
    this.seqs.splice(at, 1, ...lines.map((_, j) => seq + j));
    return lines.length;
  }
}
