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
    if (e <= s) return '';
    if (e - s > MAX_BYTES) return b.toString('utf8', s, e);
    let h = 0x811c9dc5;
    let high = 0;
    for (let i = s; i < e; i++) {
      const c = b[i] ?? 0;
      high |= c;
      h = Math.imul(h ^ c, 0x01000193);
    }
    // Only ASCII is cached: its bytes are its characters, so a slot is checked without encoding.
    if (high >= 0x80) return b.toString('utf8', s, e);
    const slot = (h >>> 0) & MASK;
    const had = this.slots[slot];
    if (had !== undefined && had.length === e - s && sameAscii(had, b, s)) return had;
    const v = b.toString('latin1', s, e);
    this.slots[slot] = v;
    return v;
  }
}

function sameAscii(v: string, b: Buffer, s: number): boolean {
  for (let j = 0; j < v.length; j++) if (v.charCodeAt(j) !== b[s + j]) return false;
  return true;
}
