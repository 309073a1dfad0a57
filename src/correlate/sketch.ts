// A bounded top-N count of values (paths, upstreams, hosts): exact while it holds at most `capacity`
// distinct values, then the space-saving algorithm (a new value replaces the least counted one and
// inherits its count, so counts may be over-estimated by at most that minimum; heavy hitters stay).

export class TopSketch {
  /** Each value's count, in a box of its own so that counting a known value is one lookup. */
  private readonly counts = new Map<string, { n: number }>();
  private readonly capacity: number;
  /** True once a value was replaced: the counts are then upper bounds. */
  approximate = false;

  constructor(capacity = 1024) {
    this.capacity = capacity;
  }

  add(value: string, n = 1): void {
    if (!value) return;
    const had = this.counts.get(value);
    if (had !== undefined) {
      had.n += n;
      return;
    }
    if (this.counts.size < this.capacity) {
      this.counts.set(value, { n });
      return;
    }
    let minKey = '';
    let min = Infinity;
    for (const [k, c] of this.counts) {
      if (c.n < min) {
        min = c.n;
        minKey = k;
      }
    }
    this.counts.delete(minKey);
    this.counts.set(value, { n: min + n });
    this.approximate = true;
  }

  /** Adds every count of `other` (as when two incidents merge). */
  addAll(other: TopSketch): void {
    // forEach: no [key, value] pair made per entry (a pooled second's sketch is merged into its incident's).
    other.counts.forEach((c, k) => this.add(k, c.n));
    this.approximate ||= other.approximate;
  }

  /** The `n` most counted values, ties by name: the order the report prints. */
  top(n: number): [string, number][] {
    return [...this.counts].map(([k, c]): [string, number] => [k, c.n]).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, n);
  }

  get size(): number {
    return this.counts.size;
  }
}
