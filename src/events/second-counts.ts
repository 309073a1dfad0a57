// Requests per epoch second, in blocks of 64 seconds: compact for dense logs (days of traffic in a few
// MB), and no worse than a map for sparse ones.

const BLOCK = 64;

/** Read side, as the scope stage needs it. */
export interface PerSecond {
  get(second: number): number | undefined;
}

/** The counts in plain form, for structured clone between threads: block keys, and 64 counts per key in one array. */
export interface SecondBlocks {
  readonly keys: readonly number[];
  readonly counts: Int32Array;
}

export class SecondCounts implements PerSecond {
  private readonly blocks = new Map<number, Int32Array>();

  add(second: number, n = 1): void {
    const key = Math.floor(second / BLOCK);
    let block = this.blocks.get(key);
    if (!block) {
      block = new Int32Array(BLOCK);
      this.blocks.set(key, block);
    }
    const at = second - key * BLOCK;
    block[at] = (block[at] ?? 0) + n;
  }

  get(second: number): number | undefined {
    const key = Math.floor(second / BLOCK);
    const v = this.blocks.get(key)?.[second - key * BLOCK];
    return v === 0 ? undefined : v;
  }

  toBlocks(): SecondBlocks {
    const keys = [...this.blocks.keys()];
    const counts = new Int32Array(keys.length * BLOCK);
    keys.forEach((k, i) => counts.set(this.blocks.get(k) ?? [], i * BLOCK));
    return { keys, counts };
  }

  addBlocks(b: SecondBlocks): void {
    b.keys.forEach((key, i) => {
      for (let at = 0; at < BLOCK; at++) {
        const n = b.counts[i * BLOCK + at] ?? 0;
        if (n !== 0) this.add(key * BLOCK + at, n);
      }
    });
  }

  /** Calls `fn` for every second with a count, in no particular order. */
  forEach(fn: (second: number, count: number) => void): void {
    for (const [key, block] of this.blocks) block.forEach((n, at) => n !== 0 && fn(key * BLOCK + at, n));
  }
}
