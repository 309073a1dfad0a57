// A bounded top-N count of values (paths, upstreams, hosts): exact while it holds at most `capacity`
// distinct values, then the space-saving algorithm (a new value replaces the least counted one and
// inherits its count, so counts may be over-estimated by at most that minimum; heavy hitters stay).

/**
 * Distinct values a sketch keeps in two arrays, searched in order, before it moves them to a Map: a
 * pooled second's sketch (a few paths, a hundred thousand of them in an outage) then costs no Map and no
 * box per value.
 */
const SMALL = 24;

export class TopSketch {
  /** While few: the values in the order they came, and their counts. */
  private keys: string[] = [];
  private ns: number[] = [];
  /** Past SMALL (or the capacity): each value's count, in a box of its own so that counting a known value is one lookup. */
  private counts: Map<string, { n: number }> | undefined;
  private readonly capacity: number;
  /** Distinct values kept in the arrays at most (0: a Map from the first value, as a long-lived sketch fed many values wants). */
  private readonly small: number;
  /** True once a value was replaced: the counts are then upper bounds. */
  approximate = false;

  constructor(capacity = 1024, small = SMALL) {
    this.capacity = capacity;
    this.small = small;
  }

  add(value: string, n = 1): void {
    if (!value) return;
    const counts = this.counts ?? this.few(value, n);
    if (counts === undefined) return;
    const had = counts.get(value);
    if (had !== undefined) {
      had.n += n;
      return;
    }
    if (counts.size < this.capacity) {
      counts.set(value, { n });
      return;
    }
    let minKey = '';
    let min = Infinity;
    for (const [k, c] of counts) {
      if (c.n < min) {
        min = c.n;
        minKey = k;
      }
    }
    counts.delete(minKey);
    counts.set(value, { n: min + n });
    this.approximate = true;
  }

  /** Adds each value of `counts` with its count, in the Map's order (as `add` of each would). */
  addCounts(counts: ReadonlyMap<string, number>): void {
    counts.forEach((n, value) => this.add(value, n));
  }

  /** Counts `value` in the arrays (undefined: done), or moves them to the Map that counts it. */
  private few(value: string, n: number): Map<string, { n: number }> | undefined {
    const keys = this.keys;
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] === value) {
        this.ns[i] = (this.ns[i] ?? 0) + n;
        return undefined;
      }
    }
    if (keys.length < this.small && keys.length < this.capacity) {
      keys.push(value);
      this.ns.push(n);
      return undefined;
    }
    const counts = new Map<string, { n: number }>();
    for (let i = 0; i < keys.length; i++) counts.set(keys[i] ?? '', { n: this.ns[i] ?? 0 });
    this.counts = counts;
    this.keys = [];
    this.ns = [];
    return counts;
  }

  /** Calls `f` with each value and its count, in the order the values came. */
  private each(f: (value: string, n: number) => void): void {
    if (this.counts) this.counts.forEach((c, k) => f(k, c.n));
    else for (let i = 0; i < this.keys.length; i++) f(this.keys[i] ?? '', this.ns[i] ?? 0);
  }

  /** Adds every count of `other` (as when two incidents merge). */
  addAll(other: TopSketch): void {
    other.each((k, n) => this.add(k, n));
    this.approximate ||= other.approximate;
  }

  /** The `n` most counted values, ties by name: the order the report prints. */
  top(n: number): [string, number][] {
    const all: [string, number][] = [];
    this.each((k, c) => all.push([k, c]));
    return all.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, n);
  }

  get size(): number {
    return this.counts ? this.counts.size : this.keys.length;
  }
}
