// A set of epoch seconds for the lifecycle log (lifecycle-log.ts), which notes the second of every failure
// batch: seconds mostly come in rising order, so one above every earlier one is appended to an array (no
// hashing, no table to grow); only the others go into a Set. As a Set<number> of the same seconds
// (second-set.test.ts), iterated in another order.
export class SecondSet implements Iterable<number> {
  /** Seconds each above the one before. */
  private readonly rising: number[] = [];
  /** Seconds that came at or below the last rising one. */
  private readonly others = new Set<number>();

  /** Adds `s`: false when it was there already. */
  add(s: number): boolean {
    const rising = this.rising;
    const last = rising[rising.length - 1];
    if (last === undefined || s > last) {
      rising.push(s);
      return true;
    }
    if (this.has(s)) return false;
    this.others.add(s);
    return true;
  }

  has(s: number): boolean {
    return this.inRising(s) || this.others.has(s);
  }

  get size(): number {
    return this.rising.length + this.others.size;
  }

  *[Symbol.iterator](): Iterator<number> {
    yield* this.rising;
    yield* this.others;
  }

  /** Binary search of the rising seconds. */
  private inRising(s: number): boolean {
    const rising = this.rising;
    let lo = 0;
    let hi = rising.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = rising[mid] ?? NaN;
      if (v === s) return true;
      if (v < s) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }
}
