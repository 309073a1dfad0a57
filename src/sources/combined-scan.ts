// The fast path for `combined` access logs: reads bytes, not strings. A line whose shape is plainly
// combined and whose status is below 500 is only counted (its second and its status); every other
// line (a 5xx, a possible truncated 2xx, anything unusual) is handed back as text, to be read by the
// full parser exactly as the slow path would. So the fast path decides nothing the parser would not.
import { SecondCounts, type SecondBlocks } from '../events/second-counts.ts';
import { CombinedKernel, STATUS_SHIFT } from './combined-kernel.ts';
import { LineScanner, lineText } from './line-scanner.ts';
import type { NewlineKernel } from './newline-kernel.ts';

const SP = 0x20;
const QUOTE = 0x22;
const DASH = 0x2d;
const COLON = 0x3a;
const SLASH = 0x2f;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;

/** Slow lines a draining scanner hands on at a time. */
const DRAIN_LINES = 4096;

/** The reference parser accepts a user agent with no closing quote when the rest of the line is shorter than this. */
const OPEN_TAIL_LIMIT = 4096;

export interface ScanConfig {
  /** Epoch ms bounds of --since/--until; lines outside are read but not counted (NaN: no bound). */
  readonly since: number;
  readonly until: number;
  /** Clients named by mid-body failures (their 2xx lines may be truncated): such lines go the slow way. */
  readonly watchClients: readonly string[];
  /** Lines longer than this many bytes are skipped and counted, as the line reader does. */
  readonly maxLineBytes: number;
}

/** What a scan of some lines found; merged across ranges by `mergeTally`. */
export interface ScanTally {
  /** Physical lines seen, the skipped over-long ones included. */
  lines: number;
  oversize: number;
  /** Counted (fast) lines in the window, by status 0–999. */
  readonly statuses: Int32Array;
  /** Counted lines in the window, by epoch second: one part per scanned range. */
  readonly seconds: SecondBlocks[];
  /** Lines only counted, not read (before the --since/--until window the scan sought). */
  unread: number;
  /** Bytes at the end of the file not read at all (after the --until window the scan sought). */
  notReadBytes: number;
  /** Lines for the full parser: their text and their 1-based number within the scanned range. */
  readonly slow: string[];
  readonly slowLines: number[];
  /** The first counted line's number (0: none) and the zone offset, in minutes, its time wrote. */
  firstFastLine: number;
  firstFastOffset: number;
}

export function newTally(): ScanTally {
  return { lines: 0, oversize: 0, unread: 0, notReadBytes: 0, statuses: new Int32Array(1000), seconds: [], slow: [], slowLines: [], firstFastLine: 0, firstFastOffset: NaN };
}

const MONTH_CODES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].map(
  (m) => (m.charCodeAt(0) << 16) | (m.charCodeAt(1) << 8) | m.charCodeAt(2),
);

function digit(b: Uint8Array, at: number): number {
  const d = (b[at] ?? 0) - 48;
  return d >= 0 && d <= 9 ? d : -1000;
}

/** Scans lines of one byte range; keeps the parsed day of the last line, as consecutive lines share it. */
export class CombinedScanner extends LineScanner {
  readonly tally: ScanTally = newTally();
  private readonly cfg: ScanConfig;
  private readonly watch: Uint8Array[];
  private readonly watchLengths: Set<number>;
  /** Bytes of the last line's "dd/Mon/yyyy" and " +hhmm", and what they mean. */
  private readonly dayKey = new Uint8Array(17);
  private dayValid = false;
  private dayBaseMs = 0;
  private dayOffset = 0;
  private readonly traffic = new SecondCounts();
  private runSecond = NaN;
  private runCount = 0;

  /** The WebAssembly line check on the current kernel's memory (combined-kernel.ts), when there is one. */
  private wasm: CombinedKernel | null = null;
  private wasmFor: NewlineKernel | null = null;

  private readonly drain: ((slow: string[], slowLines: number[]) => void) | undefined;

  /** `drain`: takes the slow lines every few thousand, so that a scan of many 5xx lines stays small. */
  constructor(cfg: ScanConfig, drain?: (slow: string[], slowLines: number[]) => void) {
    super(cfg.maxLineBytes);
    this.cfg = cfg;
    this.drain = drain;
    this.watch = cfg.watchClients.map((c) => Buffer.from(c, 'utf8'));
    this.watchLengths = new Set(this.watch.map((w) => w.length));
  }

  /** The time of the line b[a, nl) when it is plainly combined, else -1 (for seeking). */
  timeOf(b: Buffer, a: number, nl: number): number {
    return this.fastTime(b, a, nl);
  }

  /** Ends the scan: flushes the last run of seconds; a skipped line cut by the end of input still counts. */
  finish(): ScanTally {
    this.endLines();
    this.tally.lines = this.lines;
    this.tally.oversize = this.oversize;
    this.flushRun();
    this.tally.seconds.push(this.traffic.toBlocks());
    return this.tally;
  }

  private flushRun(): void {
    if (this.runCount > 0) this.traffic.add(this.runSecond, this.runCount);
    this.runCount = 0;
  }

  private slow(b: Buffer, a: number, nl: number): void {
    this.tally.slow.push(lineText(b, a, nl));
    this.tally.slowLines.push(this.lines);
    if (this.drain && this.tally.slow.length >= DRAIN_LINES) {
      this.drain(this.tally.slow.splice(0), this.tally.slowLines.splice(0));
    }
  }

  protected line(b: Buffer, a: number, nl: number): void {
    const k = this.kernel;
    if (k) {
      if (this.wasmFor !== k) {
        this.wasmFor = k;
        this.wasm = CombinedKernel.create(k);
        if (this.dayValid) this.wasm?.setDay(this.dayKey);
      }
      if (this.wasm) return this.lineByWasm(this.wasm, b, a, nl);
    }
    const ms = this.fastTime(b, a, nl);
    if (ms < 0) return this.slow(b, a, nl);
    // Status: three digits and a space after the request's closing quote.
    let i = this.requestEnd;
    const s0 = digit(b, i);
    const code = s0 * 100 + digit(b, i + 1) * 10 + digit(b, i + 2);
    if (s0 < 1 || code < 100 || code >= 500 || b[i + 3] !== SP) return this.slow(b, a, nl);
    // Bytes sent, then either the end of the line (Common Log Format) or ` "referer" "agent"`.
    i += 4;
    while (i < nl && b[i] !== SP) i++;
    if (i < nl) {
      if (b[i + 1] !== QUOTE) return this.slow(b, a, nl);
      // The referer's closing quote: the first quote after its opening one that `" "` follows.
      let j = i + 2;
      for (;;) {
        while (j < nl && b[j] !== QUOTE) j++;
        if (j + 2 >= nl) return this.slow(b, a, nl);
        if (b[j + 1] === SP && b[j + 2] === QUOTE) break;
        j++;
      }
      // The agent's closing quote may be missing only in a short tail, as the parser allows.
      if (nl - (j + 3) >= OPEN_TAIL_LIMIT) return this.slow(b, a, nl);
    }
    this.count(b, a, nl, ms, code);
  }

  /** A plainly combined line below 500 at `ms`: counted, unless its client is watched or it lies outside the window. */
  private count(b: Buffer, a: number, nl: number, ms: number, code: number): void {
    const t = this.tally;
    if (this.watch.length > 0 && this.watched(b, a, this.clientEnd)) return this.slow(b, a, nl);
    if ((this.cfg.since === this.cfg.since && ms < this.cfg.since) || (this.cfg.until === this.cfg.until && ms > this.cfg.until)) return;
    if (t.firstFastLine === 0) {
      t.firstFastLine = this.lines;
      t.firstFastOffset = this.dayOffset;
    }
    t.statuses[code] = (t.statuses[code] ?? 0) + 1;
    const sec = Math.floor(ms / 1000);
    if (sec !== this.runSecond) {
      this.flushRun();
      this.runSecond = sec;
    }
    this.runCount++;
  }

  /** `line` by the WebAssembly check: the same decisions, read from its result. */
  private lineByWasm(w: CombinedKernel, b: Buffer, a: number, nl: number): void {
    let r = w.check(a, nl);
    if (r === -2) {
      if (!this.readDay(b, w.timeStart)) {
        w.clearDay();
        return this.slow(b, a, nl);
      }
      w.setDay(this.dayKey);
      r = w.check(a, nl);
    }
    if (r < 0) return this.slow(b, a, nl);
    const ms = this.dayBaseMs + (r & ((1 << STATUS_SHIFT) - 1)) * 1000;
    if (ms < 0) return this.slow(b, a, nl);
    this.clientEnd = w.clientEnd;
    this.count(b, a, nl, ms, r >>> STATUS_SHIFT);
  }

  /** Where the client ends and where the status starts, set by fastTime. */
  private clientEnd = 0;
  private requestEnd = 0;

  /**
   * Reads `client - user [dd/Mon/yyyy:HH:MM:SS +hhmm] "request" ` strictly; returns the epoch ms,
   * or -1 when the line is not plainly that shape (the full parser then decides).
   */
  private fastTime(b: Uint8Array, a: number, nl: number): number {
    let i = a;
    while (i < nl && b[i] !== SP) i++;
    if (i === a || i + 3 >= nl || b[i + 1] !== DASH || b[i + 2] !== SP) return -1;
    this.clientEnd = i;
    i += 3;
    while (i < nl && b[i] !== SP) i++;
    if (i + 1 >= nl || b[i + 1] !== LBRACKET) return -1;
    const t = i + 2;
    if (t + 29 >= nl || b[t + 26] !== RBRACKET || b[t + 27] !== SP || b[t + 28] !== QUOTE) return -1;
    if (!this.sameDay(b, t) && !this.readDay(b, t)) return -1;
    if (b[t + 11] !== COLON || b[t + 14] !== COLON || b[t + 17] !== COLON) return -1;
    const h = digit(b, t + 12) * 10 + digit(b, t + 13);
    const m = digit(b, t + 15) * 10 + digit(b, t + 16);
    const s = digit(b, t + 18) * 10 + digit(b, t + 19);
    if (h < 0 || m < 0 || s < 0) return -1;
    // The request: up to the first quote, which must be followed by a space.
    let r = t + 29;
    while (r < nl && b[r] !== QUOTE) r++;
    if (r + 1 >= nl || b[r + 1] !== SP) return -1;
    this.requestEnd = r + 2;
    const ms = this.dayBaseMs + ((h * 60 + m) * 60 + s) * 1000;
    return ms >= 0 ? ms : -1;
  }

  private sameDay(b: Uint8Array, t: number): boolean {
    if (!this.dayValid) return false;
    const k = this.dayKey;
    for (let j = 0; j < 11; j++) if (b[t + j] !== k[j]) return false;
    for (let j = 0; j < 6; j++) if (b[t + 20 + j] !== k[11 + j]) return false;
    return true;
  }

  private readDay(b: Uint8Array, t: number): boolean {
    this.dayValid = false;
    if (b[t + 2] !== SLASH || b[t + 6] !== SLASH || b[t + 20] !== SP) return false;
    const day = digit(b, t) * 10 + digit(b, t + 1);
    const year = digit(b, t + 7) * 1000 + digit(b, t + 8) * 100 + digit(b, t + 9) * 10 + digit(b, t + 10);
    const month = MONTH_CODES.indexOf(((b[t + 3] ?? 0) << 16) | ((b[t + 4] ?? 0) << 8) | (b[t + 5] ?? 0));
    const sign = b[t + 21] === 0x2b ? 1 : b[t + 21] === DASH ? -1 : 0;
    const oh = digit(b, t + 22) * 10 + digit(b, t + 23);
    const om = digit(b, t + 24) * 10 + digit(b, t + 25);
    if (day < 0 || year < 0 || month < 0 || sign === 0 || oh < 0 || om < 0) return false;
    this.dayOffset = sign * (oh * 60 + om);
    this.dayBaseMs = Date.UTC(year, month, day) - this.dayOffset * 60_000;
    if (!Number.isFinite(this.dayBaseMs)) return false;
    for (let j = 0; j < 11; j++) this.dayKey[j] = b[t + j] ?? 0;
    for (let j = 0; j < 6; j++) this.dayKey[11 + j] = b[t + 20 + j] ?? 0;
    this.dayValid = true;
    return true;
  }

  private watched(b: Uint8Array, a: number, end: number): boolean {
    const len = end - a;
    if (!this.watchLengths.has(len)) return false;
    outer: for (const w of this.watch) {
      if (w.length !== len) continue;
      for (let j = 0; j < len; j++) if (b[a + j] !== w[j]) continue outer;
      return true;
    }
    return false;
  }
}

/** Adds `from` into `into`; line numbers of `from` are shifted by `lineOffset` (the lines before its range). */
export function mergeTally(into: ScanTally, from: ScanTally, lineOffset: number): void {
  for (let k = 0; k < 1000; k++) into.statuses[k] = (into.statuses[k] ?? 0) + (from.statuses[k] ?? 0);
  into.seconds.push(...from.seconds);
  for (let k = 0; k < from.slow.length; k++) {
    into.slow.push(from.slow[k] ?? '');
    into.slowLines.push((from.slowLines[k] ?? 0) + lineOffset);
  }
  if (into.firstFastLine === 0 && from.firstFastLine > 0) {
    into.firstFastLine = from.firstFastLine + lineOffset;
    into.firstFastOffset = from.firstFastOffset;
  }
  into.lines += from.lines;
  into.oversize += from.oversize;
  into.unread += from.unread;
  into.notReadBytes += from.notReadBytes;
}
