// Requests per epoch second, in blocks of 64 seconds: compact for dense logs (days of traffic in a few
// MB), and no worse than a map for sparse ones.

const BLOCK = 64;

/** Read side, as the scope stage needs it. */
export interface PerSecond {
  get(second: number): number | undefined;
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
}
