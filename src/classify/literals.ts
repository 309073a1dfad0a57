// A pre-filter for many regexes over one text: each regex's required literals (text any match must
// contain) are indexed, so a record is only tested against the patterns whose literal it holds.

/** Escapes that stand for one fixed character; every other escape (\d, \b, \1, \u…) ends a literal run. */
const LITERAL_ESCAPES = new Set([...'()[]{}.*+?^$|\\/-\'"!#%&,:;<=>@`~_ ']);
const MIN_LITERAL = 3;

/** Skips a character class starting at `i` ('['); returns the index after its ']'. */
function skipClass(src: string, i: number): number {
  let j = i + 1;
  if (src[j] === '^') j++;
  if (src[j] === ']') j++;
  while (j < src.length && src[j] !== ']') j += src[j] === '\\' ? 2 : 1;
  return j + 1;
}

/** Skips a group starting at `i` ('('); returns the index after its ')'. */
function skipGroup(src: string, i: number): number {
  let depth = 0;
  let j = i;
  while (j < src.length) {
    const c = src[j];
    if (c === '\\') j += 2;
    else if (c === '[') j = skipClass(src, j);
    else {
      if (c === '(') depth++;
      else if (c === ')' && --depth === 0) return j + 1;
      j++;
    }
  }
  return j;
}

/** A quantifier at `i`: its length and whether it lets the atom before it be absent. */
function quantifier(src: string, i: number): { len: number; optional: boolean } | undefined {
  const c = src[i];
  let len = 0;
  let optional = false;
  if (c === '?' || c === '*') {
    len = 1;
    optional = true;
  } else if (c === '+') len = 1;
  else if (c === '{') {
    const m = /^\{(\d+)(,\d*)?\}/.exec(src.slice(i, i + 24));
    if (!m) return undefined;
    len = m[0].length;
    optional = Number(m[1]) === 0;
  } else return undefined;
  if (src[i + len] === '?') len++;
  return { len, optional };
}

/** Splits a regex source at its top-level '|'. */
function alternatives(src: string): string[] {
  const out: string[] = [];
  let start = 0;
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '\\') i += 2;
    else if (c === '[') i = skipClass(src, i);
    else if (c === '(') i = skipGroup(src, i);
    else {
      if (c === '|') {
        out.push(src.slice(start, i));
        start = i + 1;
      }
      i++;
    }
  }
  out.push(src.slice(start));
  return out;
}

/** How good a requirement is: its shortest literal (a longer one is rarer, so fewer texts pass). */
function strength(req: readonly string[]): number {
  return req.length === 0 ? 0 : Math.min(...req.map((r) => r.length)) - (req.length > 1 ? 0.5 : 0);
}

/**
 * What every match of `alt` (a regex without top-level '|') must contain: its longest run of fixed
 * characters, or the literals of a group it cannot skip, whichever is stronger; [] when none.
 */
function requirement(alt: string): string[] {
  let best: string[] = [];
  let run = '';
  const offer = (req: string[]): void => {
    if (strength(req) > strength(best)) best = req;
  };
  const end = (): void => {
    offer([run]);
    run = '';
  };
  let i = 0;
  while (i < alt.length) {
    const c = alt[i] ?? '';
    let atom: string | undefined;
    let group: string | undefined;
    let next: number;
    if (c === '\\') {
      const e = alt[i + 1] ?? '';
      atom = LITERAL_ESCAPES.has(e) ? e : undefined;
      next = i + 2;
    } else if (c === '[') next = skipClass(alt, i);
    else if (c === '(') {
      next = skipGroup(alt, i);
      const inner = alt.slice(i + 1, next - 1);
      // Lookarounds and named groups are left alone; plain and non-capturing groups are read.
      group = inner.startsWith('?:') ? inner.slice(2) : inner.startsWith('?') ? undefined : inner;
    } else if (c === '.' || c === '^' || c === '$') next = i + 1;
    else {
      atom = c;
      next = i + 1;
    }
    const q = quantifier(alt, next);
    if (q) next += q.len;
    if (atom === undefined || q?.optional) {
      end();
      if (group !== undefined && !q?.optional) offer(literalsOf(group) ?? []);
    } else {
      run += atom;
      // A repeated character is there at least once, but what follows it may be another copy.
      if (q) end();
    }
    i = next;
  }
  end();
  return best;
}

function literalsOf(source: string): string[] | undefined {
  const reqs = alternatives(source).map(requirement);
  return reqs.every((r) => r.length > 0 && r.every((l) => l.length >= MIN_LITERAL)) ? [...new Set(reqs.flat())] : undefined;
}

/**
 * Literals such that any match of the regex contains at least one of them, or undefined when the
 * regex gives none long enough (it must then be tested on every text).
 */
export function requiredLiterals(re: RegExp): string[] | undefined {
  if (re.flags.includes('i') || re.flags.includes('v') || re.flags.includes('u')) return undefined;
  return literalsOf(re.source);
}

/**
 * Required literals when all are LONG_LITERAL characters or more (a pre-filter finds those fastest),
 * else undefined: the pattern is then tried on every text.
 */
export function longLiterals(re: RegExp): string[] | undefined {
  const lits = requiredLiterals(re);
  return lits?.every((l) => l.length >= LONG_LITERAL) ? lits : undefined;
}

/**
 * A trigram's key: a 15-bit hash of its characters' low bytes, so that the bitmap below is 4 KiB and
 * stays in the CPU's first-level cache. Different trigrams may share a key; the check behind is exact.
 */
function tri(c0: number, c1: number, c2: number): number {
  return ((c0 & 0xff) * 1089 + (c1 & 0xff) * 33 + (c2 & 0xff)) & KEY_MASK;
}
const KEY_MASK = 0x7fff;

/** Bytes of a log's head a screen is tuned to at most (ByteScreen.tunedTo). */
const TUNE_SAMPLE = 64 << 10;

/** Literals at least this long are found by looking at every STRIDE-th position only. */
export const LONG_LITERAL = 5;
const STRIDE = LONG_LITERAL - 2;

interface Entry {
  readonly literal: string;
  /** Where the keyed trigram sits in the literal. */
  readonly offset: number;
}

/** How common a character is in log text: lowercase letters, spaces and zeros are everywhere. */
function commonness(c: number): number {
  if (c === 32 || c === 48) return 3;
  if (c >= 97 && c <= 122) return 'etaoinsrhlcdu'.includes(String.fromCharCode(c)) ? 3 : 2;
  return 1;
}

/**
 * Where in `literal` the `width` consecutive trigrams are least common: keying a literal there keeps
 * the texts' common trigrams ("ups", "the") from hitting the index.
 */
function rarestWindow(literal: string, width: number): number {
  let best = 0;
  let bestScore = Infinity;
  for (let at = 0; at + width + 2 <= literal.length; at++) {
    let score = 0;
    for (let j = at; j < at + width + 2; j++) score += commonness(literal.charCodeAt(j));
    if (score < bestScore) {
      best = at;
      bestScore = score;
    }
  }
  return best;
}

/** Where in `literal` the `width` consecutive trigrams occur least often in the sample `counts` tallied. */
function leastFrequentWindow(literal: string, width: number, counts: Uint32Array): number {
  let best = 0;
  let bestScore = Infinity;
  for (let at = 0; at + width + 2 <= literal.length; at++) {
    let score = 0;
    for (let j = at; j < at + width; j++) score += counts[tri(literal.charCodeAt(j), literal.charCodeAt(j + 1), literal.charCodeAt(j + 2))] ?? 0;
    if (score < bestScore) {
      best = at;
      bestScore = score;
    }
  }
  return best;
}

/** A trigram bitmap (one bit per key) and the literals behind each key. */
class TrigramTable {
  readonly bits = new Uint32Array((KEY_MASK + 1) >>> 5);
  readonly byKey = new Map<number, Entry[]>();

  add(literal: string, offset: number): void {
    const k = tri(literal.charCodeAt(offset), literal.charCodeAt(offset + 1), literal.charCodeAt(offset + 2));
    this.bits[k >>> 5] = (this.bits[k >>> 5] ?? 0) | (1 << (k & 31));
    const list = this.byKey.get(k) ?? [];
    list.push({ literal, offset });
    this.byKey.set(k, list);
  }
}

/**
 * Finds which of a fixed set of literals occur in a text. A literal of LONG_LITERAL characters or
 * more holds a trigram at one of every STRIDE consecutive positions, so those are found by looking at
 * every STRIDE-th position; shorter ones need every position.
 */
export class LiteralIndex {
  private readonly long = new TrigramTable();
  private readonly short = new TrigramTable();
  private readonly hasShort: boolean;

  constructor(literals: readonly string[]) {
    const distinct = [...new Set(literals)].filter((l) => l.length >= MIN_LITERAL);
    for (const literal of distinct) {
      if (literal.length >= LONG_LITERAL) {
        const at = rarestWindow(literal, STRIDE);
        for (let o = 0; o < STRIDE; o++) this.long.add(literal, at + o);
      } else this.short.add(literal, rarestWindow(literal, 1));
    }
    this.hasShort = distinct.some((l) => l.length < LONG_LITERAL);
  }

  /** The literals that occur in `text` (one shared empty set when none do: do not modify it). */
  found(text: string): ReadonlySet<string> {
    const out = this.scan(text, this.long, STRIDE, undefined);
    return (this.hasShort ? this.scan(text, this.short, 1, out) : out) ?? NONE;
  }

  private scan(text: string, table: TrigramTable, step: number, into: Set<string> | undefined): Set<string> | undefined {
    let out = into;
    const bits = table.bits;
    for (let i = 0; i + MIN_LITERAL <= text.length; i += step) {
      const k = tri(text.charCodeAt(i), text.charCodeAt(i + 1), text.charCodeAt(i + 2));
      if (((bits[k >>> 5] ?? 0) & (1 << (k & 31))) === 0) continue;
      for (const e of table.byKey.get(k) ?? []) {
        const at = i - e.offset;
        if (at >= 0 && text.startsWith(e.literal, at)) (out ??= new Set()).add(e.literal);
      }
    }
    return out;
  }
}

const NONE: ReadonlySet<string> = new Set();

/**
 * The same literals looked for in bytes (as UTF-8), for the byte-level fast path of record logs:
 * `any` says whether some literal may occur; false means none does.
 */
export class ByteScreen {
  private readonly literals: readonly string[];
  private readonly long = new TrigramTable();
  private readonly short = new TrigramTable();
  private readonly hasShort: boolean;

  /**
   * `counts`: how often each trigram key occurs in a sample of the text to be screened; each literal
   * is then keyed where its trigrams are least frequent there (else where its characters look rarest).
   */
  constructor(literals: readonly string[], counts?: Uint32Array) {
    // Each literal as a string of its UTF-8 bytes, so that charCodeAt gives byte values.
    const distinct = [...new Set(literals)].filter((l) => l.length >= MIN_LITERAL).map((l) => Buffer.from(l, 'utf8').toString('latin1'));
    this.literals = literals;
    for (const literal of distinct) {
      if (literal.length >= LONG_LITERAL) {
        const at = counts ? leastFrequentWindow(literal, STRIDE, counts) : rarestWindow(literal, STRIDE);
        for (let o = 0; o < STRIDE; o++) this.long.add(literal, at + o);
      } else this.short.add(literal, counts ? leastFrequentWindow(literal, 1, counts) : rarestWindow(literal, 1));
    }
    this.hasShort = distinct.some((l) => l.length < LONG_LITERAL);
  }

  /**
   * The same screen keyed for text like `sample` (a log's first bytes): a literal keyed at trigrams
   * its log is full of ("rea" of "already" in a log of "reading upstream") is checked at every line.
   */
  tunedTo(sample: Uint8Array): ByteScreen {
    const counts = new Uint32Array(KEY_MASK + 1);
    // A few hundred lines tell which trigrams a log is full of; more only cost start-up time (this runs
    // before the first line is read, in each thread that reads).
    const n = Math.min(sample.length, TUNE_SAMPLE);
    for (let i = 0; i + MIN_LITERAL <= n; i++) {
      const k = tri(sample[i] ?? 0, sample[i + 1] ?? 0, sample[i + 2] ?? 0);
      counts[k] = (counts[k] ?? 0) + 1;
    }
    return new ByteScreen(this.literals, counts);
  }

  /**
   * For a byte-level pre-screen (quiet-kernel.ts): the bitmap of the keys looked up at every STRIDE-th
   * byte, with the key function `tri` (a 15-bit hash of three bytes: (c0 * 1089 + c1 * 33 + c2) &
   * 0x7fff); a text in which no such key is set holds none of the literals. Undefined when some
   * literal is short (its keys are looked up at every byte).
   */
  strideBitmap(): { readonly bits: Uint32Array; readonly stride: number } | undefined {
    return this.hasShort ? undefined : { bits: this.long.bits, stride: STRIDE };
  }

  any(b: Uint8Array, start: number, end: number): boolean {
    return ByteScreen.scan(b, start, end, this.long, STRIDE) || (this.hasShort && ByteScreen.scan(b, start, end, this.short, 1));
  }

  private static scan(b: Uint8Array, start: number, end: number, table: TrigramTable, step: number): boolean {
    const bits = table.bits;
    for (let i = start; i + MIN_LITERAL <= end; i += step) {
      const k = tri(b[i] ?? 0, b[i + 1] ?? 0, b[i + 2] ?? 0);
      if (((bits[k >>> 5] ?? 0) & (1 << (k & 31))) === 0) continue;
      for (const e of table.byKey.get(k) ?? []) {
        const at = i - e.offset;
        if (at >= start && at + e.literal.length <= end && bytesAre(b, at, e.literal)) return true;
      }
    }
    return false;
  }
}

function bytesAre(b: Uint8Array, at: number, latin1: string): boolean {
  for (let j = 0; j < latin1.length; j++) if (b[at + j] !== latin1.charCodeAt(j)) return false;
  return true;
}

