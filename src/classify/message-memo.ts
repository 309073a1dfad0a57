// Remembers what a function of a record's message gave, keyed by the message's exact bytes, in bounded
// memory: a busy error log repeats a few messages millions of times, and each is classified once.
// Exact bytes, not a masked template: a cause's regex may read any character of the message.

/** Distinct messages remembered; past that the memo starts again empty (an answer is never wrong, only recomputed). */
const MAX_ENTRIES = 4096;
/** Messages longer than this are not remembered (computed each time). */
const MAX_KEY_BYTES = 4096;

export class MessageMemo<V> {
  private readonly compute: (message: string) => V;
  private readonly entries = new Map<string, V>();
  /** The last message's bytes and answer: consecutive records mostly repeat it, compared without a string. */
  private readonly last = Buffer.allocUnsafe(MAX_KEY_BYTES);
  private lastLength = -1;
  private lastValue: V | undefined;
  /** Answers computed (for tests and the profile). */
  computed = 0;

  constructor(compute: (message: string) => V) {
    this.compute = compute;
  }

  /** The answer for the message in bytes b[s, e) (UTF-8). */
  get(b: Buffer, s: number, e: number): V {
    const n = e - s;
    if (n === this.lastLength && this.sameAsLast(b, s, n)) return this.lastValue as V;
    const message = b.toString('utf8', s, e);
    let v = this.entries.get(message);
    if (v === undefined && !this.entries.has(message)) {
      v = this.compute(message);
      this.computed++;
      if (n > MAX_KEY_BYTES) return v;
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(message, v);
    }
    if (n <= MAX_KEY_BYTES) {
      b.copy(this.last, 0, s, e);
      this.lastLength = n;
      this.lastValue = v;
    }
    return v as V;
  }

  private sameAsLast(b: Buffer, s: number, n: number): boolean {
    // Buffer.compare (memcmp): faster than a loop in JavaScript over a message's bytes.
    return b.compare(this.last, 0, n, s, s + n) === 0;
  }
}
