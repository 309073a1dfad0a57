// The combined check over a whole block, in JavaScript: the reference of the kernel's `walk`
// (combined-kernel.ts). It finds each line's newline and runs the per-line check (combined-check.ts)
// on it, writing one record a line, so that the scanner crosses into WebAssembly once per block, not
// once per line, and needs no separate newline pass. combined-walk.test.ts holds the kernel to this.
import { OTHER_DAY, STATUS_SHIFT, type CombinedCheck } from './combined-check.ts';

/**
 * Int32 words a record: the line's newline, the check's answer, and for a counted 5xx line its
 * failedPath, failedPathEnd and failedPathHash (-1, 0, 0 for every other line).
 */
export const RECORD = 5;
/** The smallest answer of a counted 5xx line. */
export const FAILED_FROM = 500 << STATUS_SHIFT;

/** A block-level check: the kernel's or the reference's, with the same records. */
export interface CombinedWalk {
  /** The records the last `walk` wrote, RECORD words each. */
  readonly records: Int32Array;
  /**
   * Checks the lines of b[from, end) that end with a newline, in order, writing a record for each, and
   * stops after `cap` records, after a line of another day (OTHER_DAY: the caller reads its day and
   * walks on from the next line), or at a line the newline of which is not before `end`. Returns the
   * number of records written.
   */
  walk(b: Uint8Array, from: number, end: number, cap: number): number;
}

/** The reference walk: the per-line check of `check`, one line at a time. */
export class CombinedWalkReference implements CombinedWalk {
  readonly records: Int32Array;
  private readonly check: CombinedCheck;

  constructor(check: CombinedCheck, capacity: number) {
    this.check = check;
    this.records = new Int32Array(capacity * RECORD);
  }

  walk(b: Uint8Array, from: number, end: number, cap: number): number {
    const c = this.check;
    const out = this.records;
    let a = from;
    let n = 0;
    while (n < cap) {
      const nl = b.indexOf(0x0a, a);
      if (nl < 0 || nl >= end) break;
      const r = c.check(b, a, nl);
      const o = n * RECORD;
      const failed = r >= FAILED_FROM;
      out[o] = nl;
      out[o + 1] = r;
      out[o + 2] = failed ? c.failedPath : -1;
      out[o + 3] = failed ? c.failedPathEnd : 0;
      out[o + 4] = failed ? c.failedPathHash : 0;
      n++;
      a = nl + 1;
      if (r === OTHER_DAY) break;
    }
    return n;
  }
}
