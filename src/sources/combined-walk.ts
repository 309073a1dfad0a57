// The combined check over a whole block, in JavaScript: the reference of the kernel's `walk`
// (combined-kernel.ts). It finds each line's newline and runs the per-line check (combined-check.ts)
// on it, so that the scanner crosses into WebAssembly once per block, not once per line, and needs no
// separate newline pass. When the scanner allows it (`absorb`), a line that would only be counted (a
// plain line below 500, an empty line; with `countFailed`, a plain 5xx line's status and second too) is
// counted here, in status counters and runs of one second, and gives no record of its own.
// combined-walk.test.ts holds the kernel to this reference.
import { OTHER_DAY, STATUS_SHIFT, type CombinedCheck } from './combined-check.ts';

/**
 * Int32 words a record. A line's: where it starts, its newline, the check's answer, for a counted 5xx
 * line its failedPath, failedPathEnd and failedPathHash (-1, 0, 0 for every other line), and the lines
 * counted here since the record before. A run's (answer RUN): -1, -1, RUN, the second of the day, how
 * many lines it counted, 0, and the lines counted here since the record before (the run's among them).
 */
export const RECORD = 7;
/** The answer of a run record. */
export const RUN = -3;
/** The smallest answer of a counted 5xx line. */
export const FAILED_FROM = 500 << STATUS_SHIFT;
const SECOND_MASK = (1 << STATUS_SHIFT) - 1;

/**
 * Why a walk stopped: no newline before the end (the rest starts an unfinished line), the records are
 * full, or after a line of another day (its record is the last: the caller reads its day, then walks on).
 */
export const Stop = { End: 0, Full: 1, OtherDay: 2 } as const;
export type Stop = (typeof Stop)[keyof typeof Stop];

/** What the scanner allows a walk to count by itself. */
export interface WalkOptions {
  /** Lines that would only be counted give no record: empty lines, and plain lines below 500 of at most maxLine bytes. */
  readonly absorb: boolean;
  /** With absorb: a plain 5xx line whose path is plain (failedPath >= 0) has its status and second counted here too (its record stays). */
  readonly countFailed: boolean;
  readonly maxLine: number;
}

/** A block-level check: the kernel's or the reference's, with the same records and counts. */
export interface CombinedWalk {
  /** The records the last `walk` wrote, RECORD words each. */
  readonly records: Int32Array;
  /** Lines the last walk with absorb counted, by status (0–999): such a walk starts them at 0. */
  readonly statuses: Int32Array;
  /** After a walk: where it stopped (the start of the first line it did not read) and why. */
  readonly next: number;
  readonly stopped: Stop;
  /**
   * Checks the lines of b[from, end) that end with a newline, in order, and writes at most `cap`
   * records (cap >= 3): see RECORD, and `stopped` for where it stops. Returns the records written.
   */
  walk(b: Uint8Array, from: number, end: number, cap: number, opts: WalkOptions): number;
}

/** The reference walk: the per-line check of `check`, one line at a time. */
export class CombinedWalkReference implements CombinedWalk {
  readonly records: Int32Array;
  readonly statuses = new Int32Array(1000);
  next = 0;
  stopped: Stop = Stop.End;
  private readonly check: CombinedCheck;
  private n = 0;
  private counted = 0;
  private runSecond = 0;
  private runLines = 0;

  constructor(check: CombinedCheck, capacity: number) {
    this.check = check;
    this.records = new Int32Array(capacity * RECORD);
  }

  walk(b: Uint8Array, from: number, end: number, cap: number, opts: WalkOptions): number {
    const c = this.check;
    this.n = 0;
    this.counted = 0;
    this.runLines = 0;
    this.runSecond = 0;
    if (opts.absorb) this.statuses.fill(0);
    let a = from;
    this.stopped = Stop.End;
    for (;;) {
      if (this.n + 2 >= cap) {
        this.stopped = Stop.Full;
        break;
      }
      const nl = b.indexOf(0x0a, a);
      if (nl < 0 || nl >= end) break;
      const mine = opts.absorb && nl - a <= opts.maxLine;
      if (mine && nl === a) {
        this.counted++;
        a = nl + 1;
        continue;
      }
      const r = c.check(b, a, nl);
      const failed = r >= FAILED_FROM;
      if (mine && r >= 0 && (!failed || (opts.countFailed && c.failedPath >= 0))) {
        this.statuses[r >>> STATUS_SHIFT]++;
        const second = r & SECOND_MASK;
        if (this.runLines > 0 && second !== this.runSecond) this.flush();
        this.runSecond = second;
        this.runLines++;
        if (!failed) {
          this.counted++;
          a = nl + 1;
          continue;
        }
      }
      if (r === OTHER_DAY && (this.runLines > 0 || this.counted > 0)) this.flush();
      this.put(a, nl, r, failed ? c.failedPath : -1, failed ? c.failedPathEnd : 0, failed ? c.failedPathHash : 0);
      a = nl + 1;
      if (r === OTHER_DAY) {
        this.stopped = Stop.OtherDay;
        break;
      }
    }
    if (this.runLines > 0 || this.counted > 0) this.flush();
    this.next = a;
    return this.n;
  }

  /** The run so far (and the lines counted before it) as a run record. */
  private flush(): void {
    this.put(-1, -1, RUN, this.runSecond, this.runLines, 0);
    this.runLines = 0;
  }

  private put(a: number, nl: number, r: number, path: number, pathEnd: number, hash: number): void {
    const o = this.n++ * RECORD;
    const out = this.records;
    out[o] = a;
    out[o + 1] = nl;
    out[o + 2] = r;
    out[o + 3] = path;
    out[o + 4] = pathEnd;
    out[o + 5] = hash;
    out[o + 6] = this.counted;
    this.counted = 0;
  }
}
