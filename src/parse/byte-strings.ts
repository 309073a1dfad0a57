// Strings of short byte runs (paths, hosts, upstream peers) made once and reused: a busy log repeats a
// few thousand values millions of times; the same string each time also keeps its hash for the maps
// that count it. A direct-mapped cache: a clash replaces the slot, a value is never wrong.

const SLOTS = 1 << 13;
const MASK = SLOTS - 1;
/** Longer values are decoded each time (rarely repeated, and costly to compare). */
const MAX_BYTES = 512;

export class ByteStrings {
  private readonly slots: (string | undefined)[] = new Array<string | undefined>(SLOTS).fill(undefined);

  /** The UTF-8 text of b[s, e), as b.toString('utf8', s, e) gives it. */
  get(b: Buffer, s: number, e: number): string {
    const n = e - s;
    if (n <= 0) return '';
    if (n > MAX_BYTES) return b.toString('utf8', s, e);
    // The slot is picked by a few bytes and the length; a hit is checked byte by byte (one pass, no hash of every byte).
    const h = Math.imul((b[s] ?? 0) ^ ((b[e - 1] ?? 0) << 8) ^ ((b[e - 2] ?? 0) << 16) ^ ((b[s + (n >> 1)] ?? 0) << 24) ^ n, 0x9e3779b1) ^ (b[e - 3] ?? 0);
    const slot = (h >>> 19) & MASK;
    const had = this.slots[slot];
    if (had !== undefined && had.length === n && sameAscii(had, b, s)) return had;
    // Only ASCII is cached: its bytes are its characters, so a slot is checked without encoding.
    for (let i = s; i < e; i++) if ((b[i] ?? 0) >= 0x80) return b.toString('utf8', s, e);
    const v = b.toString('latin1', s, e);
    this.slots[slot] = v;
    return v;
  }
}

function sameAscii(v: string, b: Buffer, s: number): boolean {
  for (let j = 0; j < v.length; j++) if (v.charCodeAt(j) !== b[s + j]) return false;
  return true;
}
