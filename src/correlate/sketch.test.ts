// TopSketch (values in arrays while few, then a Map) counts as the plain Map-only sketch it replaced,
// kept here as the reference: the same counts, order, size and approximation, merges included.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { prng } from '../sources/kernel-lines.ts';
import { TopSketch } from './sketch.ts';

/** The reference: one Map in insertion order, space-saving replacement at capacity. */
class MapSketch {
  readonly counts = new Map<string, { n: number }>();
  approximate = false;
  private readonly capacity: number;
  constructor(capacity: number) {
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

  addAll(other: MapSketch): void {
    for (const [k, c] of other.counts) this.add(k, c.n);
    this.approximate ||= other.approximate;
  }

  top(n: number): [string, number][] {
    return [...this.counts].map(([k, c]): [string, number] => [k, c.n]).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, n);
  }
}

test('TopSketch counts as the Map-only reference, below, at and past its array limit and its capacity', () => {
  const rnd = prng(3);
  for (const small of [undefined, 0, 5]) for (const capacity of [1, 3, 4, 23, 24, 25, 40, 256]) {
    for (const distinct of [2, 20, 30, 100]) {
      const values = Array.from({ length: distinct }, (_, i) => (i === 0 ? '' : `/p/${i}`));
      const make = (): [TopSketch, MapSketch] => [new TopSketch(capacity, small), new MapSketch(capacity)];
      const [s, r] = make();
      for (let k = 0; k < 400; k++) {
        // Each value added as its own string (not the same object): equal text must count as one.
        const v = `${values[Math.floor(rnd() * rnd() * distinct)] ?? ''}`;
        const n = 1 + Math.floor(rnd() * 3);
        if (rnd() < 0.1) {
          const [s2, r2] = make();
          for (let j = 0; j < 30; j++) {
            const w = values[Math.floor(rnd() * distinct)] ?? '';
            s2.add(w);
            r2.add(w);
          }
          s.addAll(s2);
          r.addAll(r2);
        } else if (rnd() < 0.1) {
          // Exact counts of a batch (the error digest's): as adding each value with its count, in the Map's order.
          const counts = new Map<string, number>();
          for (let j = 0; j < 12; j++) {
            const w = values[Math.floor(rnd() * distinct)] ?? '';
            counts.set(w, (counts.get(w) ?? 0) + 1 + Math.floor(rnd() * 4));
          }
          s.addCounts(counts);
          for (const [w, c] of counts) r.add(w, c);
        } else {
          s.add(v, n);
          r.add(v, n);
        }
        const what = `small ${small}, capacity ${capacity}, ${distinct} values, step ${k}`;
        assert.equal(s.size, r.counts.size, what);
        assert.equal(s.approximate, r.approximate, what);
      }
      assert.deepEqual(s.top(1000), r.top(1000), `small ${small}, capacity ${capacity}, ${distinct} values`);
    }
  }
});
