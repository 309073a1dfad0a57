// The combined fast path's per-line check, in JavaScript: the reference. It reads
// `client - user [dd/Mon/yyyy:HH:MM:SS +hhmm] "request" status bytes "referer" "agent"` strictly from
// bytes and says whether the line is plainly that shape with a status below 500. The WebAssembly
// kernel (combined-kernel.ts) is an accelerator behind the same interface: the same answers on the
// bytes of its memory, tested against this one (combined-kernel.test.ts); deleting it changes no result.
import { CLF_TIME as T, OPEN_TAIL_LIMIT } from '../parse/line-shapes.ts';

/** The bits of a check's result below the status: the second of the day. */
export const STATUS_SHIFT = 17;
/** A line that is plainly combined up to its time, but of another day than the key's (or no key is set). */
export const OTHER_DAY = -2;
/** A line the check does not vouch for: the parser reads it. */
export const NOT_PLAIN = -1;

/** What both the reference and the kernel answer for one line. */
export interface CombinedCheck {
  /**
   * For b[a, nl): status << STATUS_SHIFT | second of the day, when it is plainly combined with a
   * status below 500 (below 600 with acceptFailed) and of the day of the key; OTHER_DAY when it is plain up to its time but of
   * another day; NOT_PLAIN otherwise.
   */
  check(b: Uint8Array, a: number, nl: number): number;
  /** Where the client of the last line checked ends (set once its "- " is seen). */
  readonly clientEnd: number;
  /** Where the time of the last line checked starts, after its '[' (set once seen). */
  readonly timeStart: number;
  /** Where the request of the last line counted starts (after its opening quote) and its closing quote. */
  readonly requestStart: number;
  readonly requestQuote: number;
  /**
   * After a check that counted a 5xx line: where its endpoint (the path without its query) starts when
   * the line is a cheap failure (its path plain: `plainEndpoint`; nothing after its agent: `plainTail`),
   * else -1; where the endpoint ends, and the FNV-1a hash of its bytes (`endpointHash`). Not set by
   * other lines.
   */
  readonly failedPath: number;
  readonly failedPathEnd: number;
  readonly failedPathHash: number;
  /** On: a plainly combined line with a status from 500 to 599 is counted too (its status says so); off (the default): below 500 only. */
  acceptFailed(on: boolean): void;
  /** Sets the day key: the line bytes of CLF_TIME.dayKey ("dd/Mon/yyyy" and " +hhmm"). */
  setDay(key: Uint8Array): void;
  /** No day key: every plain line is OTHER_DAY. */
  clearDay(): void;
}

const SP = 0x20;
const QUOTE = 0x22;
const DASH = 0x2d;
const SLASH = 0x2f;
const QUESTION = 0x3f;
const CR = 0x0d;
const COLON = 0x3a;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;

const [DAY, ZONE] = T.dayKey;

function digit(b: Uint8Array, at: number): number {
  const d = (b[at] ?? 0) - 48;
  return d >= 0 && d <= 9 ? d : -1000;
}

/** The reference check. */
export class CombinedLineCheck implements CombinedCheck {
  clientEnd = 0;
  timeStart = 0;
  private readonly key = new Uint8Array(T.dayKeyLength);
  private keySet = false;

  setDay(key: Uint8Array): void {
    this.key.set(key.subarray(0, T.dayKeyLength));
    this.keySet = true;
  }

  clearDay(): void {
    this.keySet = false;
  }

  check(b: Uint8Array, a: number, nl: number): number {
    const r = this.timePart(b, a, nl);
    if (r < 0) return r;
    const got = this.tailPart(b, nl, this.requestEnd, r, this.statusBound);
    if (got >= 0 && got >>> STATUS_SHIFT >= 500) this.failedPart(b, nl);
    return got;
  }

  failedPath = -1;
  failedPathEnd = 0;
  failedPathHash = 0;

  /** Sets failedPath, failedPathEnd and failedPathHash for a counted 5xx line. */
  private failedPart(b: Uint8Array, nl: number): void {
    this.failedPath = plainTail(b, this.requestEnd, nl) ? plainEndpoint(b, this.requestStart, this.requestQuote) : -1;
    if (this.failedPath < 0) return;
    this.failedPathEnd = plainEndpointEnd;
    this.failedPathHash = endpointHash(b, this.failedPath, plainEndpointEnd);
  }

  private statusBound = 500;

  acceptFailed(on: boolean): void {
    this.statusBound = on ? 600 : 500;
  }

  /** Where the status starts, set by timePart. */
  private requestEnd = 0;
  requestStart = 0;
  requestQuote = 0;

  /**
   * `client - user [time] "request" ` strictly: the second of the day, OTHER_DAY or NOT_PLAIN.
   * Sets clientEnd, timeStart and where the status starts.
   */
  timePart(b: Uint8Array, a: number, nl: number): number {
    let i = a;
    while (i < nl && b[i] !== SP) i++;
    if (i === a || i + 3 >= nl || b[i + 1] !== DASH || b[i + 2] !== SP) return NOT_PLAIN;
    this.clientEnd = i;
    i += 3;
    while (i < nl && b[i] !== SP) i++;
    if (i + 1 >= nl || b[i + 1] !== LBRACKET) return NOT_PLAIN;
    const t = i + 2;
    if (t + T.length + 3 >= nl || b[t + T.length] !== RBRACKET || b[t + T.length + 1] !== SP || b[t + T.length + 2] !== QUOTE) return NOT_PLAIN;
    this.timeStart = t;
    if (!this.sameDay(b, t)) return OTHER_DAY;
    if (b[t + T.colons[0]] !== COLON || b[t + T.colons[1]] !== COLON || b[t + T.colons[2]] !== COLON) return NOT_PLAIN;
    const h = digit(b, t + T.hour) * 10 + digit(b, t + T.hour + 1);
    const m = digit(b, t + T.minute) * 10 + digit(b, t + T.minute + 1);
    const s = digit(b, t + T.second) * 10 + digit(b, t + T.second + 1);
    if (h < 0 || m < 0 || s < 0) return NOT_PLAIN;
    // The request: up to the first quote, which must be followed by a space.
    let r = t + T.length + 3;
    this.requestStart = r;
    while (r < nl && b[r] !== QUOTE) r++;
    if (r + 1 >= nl || b[r + 1] !== SP) return NOT_PLAIN;
    this.requestQuote = r;
    this.requestEnd = r + 2;
    return (h * 60 + m) * 60 + s;
  }

  /** A status from 100 below `bound` at `i`, the bytes sent, then the end of the line or ` "referer" "agent"`. */
  private tailPart(b: Uint8Array, nl: number, i: number, second: number, bound: number): number {
    const s0 = digit(b, i);
    const code = s0 * 100 + digit(b, i + 1) * 10 + digit(b, i + 2);
    if (s0 < 1 || code < 100 || code >= bound || b[i + 3] !== SP) return NOT_PLAIN;
    i += 4;
    while (i < nl && b[i] !== SP) i++;
    if (i < nl) {
      if (b[i + 1] !== QUOTE) return NOT_PLAIN;
      // The referer's closing quote: the first quote after its opening one that `" "` follows.
      let j = i + 2;
      for (;;) {
        while (j < nl && b[j] !== QUOTE) j++;
        if (j + 2 >= nl) return NOT_PLAIN;
        if (b[j + 1] === SP && b[j + 2] === QUOTE) break;
        j++;
      }
      // The agent's closing quote may be missing only in a short tail, as the parser allows.
      if (nl - (j + 3) >= OPEN_TAIL_LIMIT) return NOT_PLAIN;
    }
    return (code << STATUS_SHIFT) | second;
  }

  private sameDay(b: Uint8Array, t: number): boolean {
    if (!this.keySet) return false;
    const key = this.key;
    for (let j = 0; j < DAY[1]; j++) if (b[t + DAY[0] + j] !== key[j]) return false;
    for (let j = 0; j < ZONE[1]; j++) if (b[t + ZONE[0] + j] !== key[DAY[1] + j]) return false;
    return true;
  }
}

/** FNV-1a (32 bits, as a signed integer) of b[from, to): the key of an endpoint's bytes. */
export function endpointHash(b: Uint8Array, from: number, to: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = from; i < to; i++) h = Math.imul(h ^ (b[i] ?? 0), 0x01000193);
  return h;
}

/**
 * True when the line ends with its bytes sent (Common Log Format) or with the agent's closing quote:
 * nothing after it that the parser reads as `key=value` fields (combined's kvTail: upstream status,
 * times, addresses), which would change a failed line's verdict. `i`: where the status starts on a
 * line the check found plain (so the referer's and the agent's opening quotes are where it saw them).
 */
export function plainTail(b: Uint8Array, i: number, nl: number): boolean {
  let end = nl;
  if (end > i && b[end - 1] === CR) end--;
  i += 4;
  while (i < end && b[i] !== SP) i++;
  if (i >= end) return true;
  // The referer's closing quote: the first quote after its opening one that `" "` follows (as the check reads it).
  let j = i + 2;
  while (j + 2 < end && !(b[j] === QUOTE && b[j + 1] === SP && b[j + 2] === QUOTE)) j++;
  // The agent runs to the first quote after its opening one (the parser's reading): it must be the last byte.
  let k = j + 3;
  while (k < end && b[k] !== QUOTE) k++;
  return k === end - 1;
}

/** Where the endpoint plainEndpoint found ends. */
let plainEndpointEnd = 0;

/**
 * Where the endpoint (path without its query) of the request b[rs, rq) starts, as the parser reads it
 * (the text between the first and the last space; it ends at plainEndpointEnd), or -1 when it is not
 * plainly that: a request without a method, a target not starting with '/' (`http://…`, `*`), a byte
 * outside ASCII.
 */
export function plainEndpoint(b: Uint8Array, rs: number, rq: number): number {
  let sp = rs;
  while (sp < rq && b[sp] !== SP) sp++;
  if (sp === rs || sp >= rq || b[sp + 1] !== SLASH) return -1;
  let sp2 = rq - 1;
  while (sp2 > sp && b[sp2] !== SP) sp2--;
  const end = sp2 > sp ? sp2 : rq;
  let q = end;
  for (let i = sp + 1; i < end; i++) {
    const x = b[i] ?? 0;
    if (x >= 0x80) return -1;
    if (x === QUESTION && q === end) q = i;
  }
  plainEndpointEnd = q;
  return sp + 1;
}
