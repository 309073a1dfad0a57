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

/** A trigram's key: 7 bits per character (non-ASCII characters share keys; the check below is exact). */
function tri(c0: number, c1: number, c2: number): number {
  return ((c0 & 0x7f) << 14) | ((c1 & 0x7f) << 7) | (c2 & 0x7f);
}

/** Finds which of a fixed set of literals occur in a text, in one pass over it. */
export class LiteralIndex {
  /** One bit per trigram key that starts some literal: 256 KiB, so the pass stays in the CPU cache. */
  private readonly starts = new Uint32Array(1 << 16);
  private readonly byKey = new Map<number, string[]>();

  constructor(literals: readonly string[]) {
    const distinct = [...new Set(literals)].filter((l) => l.length >= MIN_LITERAL);
    for (const literal of distinct) {
      const k = tri(literal.charCodeAt(0), literal.charCodeAt(1), literal.charCodeAt(2));
      this.starts[k >>> 5] = (this.starts[k >>> 5] ?? 0) | (1 << (k & 31));
      const list = this.byKey.get(k) ?? [];
      list.push(literal);
      this.byKey.set(k, list);
    }
  }

  /** The literals that occur in `text` (one shared empty set when none do: do not modify it). */
  found(text: string): ReadonlySet<string> {
    let out: Set<string> | undefined;
    const n = text.length;
    if (n < MIN_LITERAL) return NONE;
    const starts = this.starts;
    let c1 = text.charCodeAt(0);
    let c2 = text.charCodeAt(1);
    for (let i = 0; i + MIN_LITERAL <= n; i++) {
      const c0 = c1;
      c1 = c2;
      c2 = text.charCodeAt(i + 2);
      const k = tri(c0, c1, c2);
      if (((starts[k >>> 5] ?? 0) & (1 << (k & 31))) === 0) continue;
      for (const literal of this.byKey.get(k) ?? []) {
        if (text.startsWith(literal, i)) (out ??= new Set()).add(literal);
      }
    }
    return out ?? NONE;
  }
}

const NONE: ReadonlySet<string> = new Set();
