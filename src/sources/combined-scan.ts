// The fast path for `combined` access logs: reads bytes, not strings. A line whose shape is plainly
// combined and whose status is below 500 is only counted (its second and its status); every other
// line (a 5xx, a possible truncated 2xx, anything unusual) is handed back as text, to be read by the
// full parser exactly as the slow path would. So the fast path decides nothing the parser would not.
import { SecondCounts, type SecondBlocks } from '../events/second-counts.ts';
import { CLF_TIME as T } from '../parse/line-shapes.ts';
import { CombinedLineCheck, NOT_PLAIN, OTHER_DAY, STATUS_SHIFT, type CombinedCheck } from './combined-check.ts';
import { CombinedKernel } from './combined-kernel.ts';
import { FAILED_FROM, RECORD, RUN, Stop } from './combined-walk.ts';
import { CheapColumns, type CheapPart } from './cheap-failures.ts';
import { LineScanner, lineText } from './line-scanner.ts';
import type { NewlineKernel } from './newline-kernel.ts';

const DASH = 0x2d;
const SLASH = 0x2f;
const SP = 0x20;
const SECOND_MASK = (1 << STATUS_SHIFT) - 1;

/** Slow lines a draining scanner hands on at a time. */
const DRAIN_LINES = 4096;

export interface ScanConfig {
  /** Epoch ms bounds of --since/--until; lines outside are read but not counted (NaN: no bound). */
  readonly since: number;
  readonly until: number;
  /** Clients named by mid-body failures (their 2xx lines may be truncated): such lines go the slow way. */
  readonly watchClients: readonly string[];
  /** Lines longer than this many bytes are skipped and counted, as the line reader does. */
  readonly maxLineBytes: number;
  /**
   * Plainly combined 5xx lines of a file read by position are counted and kept as columns (`cheap`),
   * not as text: the consumer reads them again only when needed (cheap-failures.ts).
   */
  readonly cheapFailures?: boolean;
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
  /** With `cheapFailures`: the range's plainly combined 5xx lines (counted in statuses and seconds too). */
  cheap: CheapPart | undefined;
}

export function newTally(): ScanTally {
  return {
    lines: 0, oversize: 0, unread: 0, notReadBytes: 0, statuses: new Int32Array(1000), seconds: [], slow: [], slowLines: [], firstFastLine: 0,
    firstFastOffset: NaN, cheap: undefined,
  };
}

const MONTH_CODES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].map(
  (m) => (m.charCodeAt(0) << 16) | (m.charCodeAt(1) << 8) | m.charCodeAt(2),
);

function digit(b: Uint8Array, at: number): number {
  const d = (b[at] ?? 0) - 48;
  return d >= 0 && d <= 9 ? d : -1000;
}

/**
 * Scans lines of one byte range: each line goes through the line check (combined-check.ts, the
 * reference; or its WebAssembly accelerator when the bytes are in a kernel's memory), which knows the
 * day of the last line read; a line of another day has its day read here and is checked again.
 */
export class CombinedScanner extends LineScanner {
  readonly tally: ScanTally = newTally();
  private readonly cfg: ScanConfig;
  private readonly watch: Uint8Array[];
  private readonly watchLengths: Set<number>;
  /** Bytes of the last line's day key ("dd/Mon/yyyy" and " +hhmm"), and what they mean. */
  private readonly dayKey = new Uint8Array(T.dayKeyLength);
  private dayValid = false;
  private dayBaseMs = 0;
  private dayOffset = 0;
  private readonly traffic = new SecondCounts();
  private runSecond = NaN;
  private runCount = 0;
  private readonly reference = new CombinedLineCheck();
  /** The WebAssembly check on the current kernel's memory (combined-kernel.ts), when there is one. */
  private accel: CombinedKernel | null = null;
  private accelFor: NewlineKernel | null = null;

  private readonly drain: ((slow: string[], slowLines: number[]) => void) | undefined;
  private readonly cheap: CheapColumns | undefined;

  /** `drain`: takes the slow lines every few thousand, so that a scan of many 5xx lines stays small. */
  constructor(cfg: ScanConfig, drain?: (slow: string[], slowLines: number[]) => void) {
    super(cfg.maxLineBytes);
    this.cfg = cfg;
    this.drain = drain;
    this.watch = cfg.watchClients.map((c) => Buffer.from(c, 'utf8'));
    this.watchLengths = new Set(this.watch.map((w) => w.length));
    this.cheap = cfg.cheapFailures === true ? new CheapColumns() : undefined;
    this.reference.acceptFailed(this.cheap !== undefined);
  }

  /** The time of the line b[a, nl) when it is plainly combined up to its request, else -1 (for seeking). */
  timeOf(b: Buffer, a: number, nl: number): number {
    const c = this.reference;
    let r = c.timePart(b, a, nl);
    if (r === OTHER_DAY) r = this.newDay(c, b) ? c.timePart(b, a, nl) : -1;
    const ms = r < 0 ? -1 : this.dayBaseMs + r * 1000;
    return ms >= 0 ? ms : -1;
  }

  /** Ends the scan: flushes the last run of seconds; a skipped line cut by the end of input still counts. */
  finish(): ScanTally {
    this.endLines();
    this.tally.lines = this.lines;
    this.tally.oversize = this.oversize;
    this.flushRun();
    this.tally.seconds.push(this.traffic.toBlocks());
    if (this.cheap && this.cheap.size > 0) this.tally.cheap = this.cheap.take();
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

  /** The check for this line: the kernel's when the bytes are in its memory, else the reference. */
  private checker(): CombinedCheck {
    const k = this.kernel;
    if (!k) return this.reference;
    if (this.accelFor !== k) {
      this.accelFor = k;
      this.accel = CombinedKernel.create(k);
      // A kernel serves range after range: its state is this scanner's, not the last one's.
      this.accel?.acceptFailed(this.cheap !== undefined);
      if (this.dayValid) this.accel?.setDay(this.dayKey);
      else this.accel?.clearDay();
    }
    return this.accel ?? this.reference;
  }

  protected line(b: Buffer, a: number, nl: number): void {
    const c = this.checker();
    let r = c.check(b, a, nl);
    if (r === OTHER_DAY) {
      if (!this.newDay(c, b)) return this.slow(b, a, nl);
      r = c.check(b, a, nl);
    }
    if (r >= FAILED_FROM) this.answer(b, a, nl, r, c.failedPath, c.failedPathEnd, c.failedPathHash);
    else this.answer(b, a, nl, r, -1, 0, 0, c.clientEnd);
  }

  /**
   * The lines of a block through the kernel's walk (combined-walk.ts): one call into WebAssembly per
   * block (or per day change), which finds the newlines itself and, once this scanner has nothing to do
   * for a plainly counted line but count it, counts such lines itself. Each record is then taken as
   * `take` takes a line. Scanners that watch clients read lines one at a time.
   */
  protected override scanFound(kernel: NewlineKernel, start: number, end: number, final: boolean): number {
    this.checker();
    const w = this.accel;
    if (!w || this.watch.length > 0) return super.scanFound(kernel, start, end, final);
    const b = kernel.bytes;
    const rec = w.records;
    let a = start;
    for (;;) {
      const absorb = this.mayAbsorb();
      // Before the first counted line, a few records at a time: it turns absorbing on.
      const cap = absorb ? rec.length / RECORD : 16;
      const opts = { absorb, countFailed: absorb && this.cheap !== undefined && this.base >= 0, maxLine: this.maxLine };
      const n = w.walk(b, a, end, cap, opts);
      for (let o = 0; o < n * RECORD; o += RECORD) this.record(b, rec, o, opts.countFailed);
      if (absorb) this.takeStatuses(w.statuses);
      a = w.next;
      if (w.stopped === Stop.End) break;
    }
    if (final && a < end) {
      this.take(b, a, end);
      a = end;
    }
    return Math.min(a, end);
  }

  /**
   * Whether the walk may count plain lines by itself: this scanner would only count them (no watched
   * client, no --since/--until, the first counted line seen, a day after 1970, empty lines only counted).
   */
  private mayAbsorb(): boolean {
    const cfg = this.cfg;
    return this.countEmpty && this.tally.firstFastLine !== 0 && this.dayValid && this.dayBaseMs >= 0 && cfg.since !== cfg.since && cfg.until !== cfg.until;
  }

  /** One record of a walk (combined-walk.ts RECORD): a run of counted lines, or a line as `take` takes it. */
  private record(b: Buffer, rec: Int32Array, o: number, countedFailed: boolean): void {
    this.lines += rec[o + 6] ?? 0;
    const r = rec[o + 2] ?? NOT_PLAIN;
    if (r === RUN) return this.countSeconds(this.dayBaseMs / 1000 + (rec[o + 3] ?? 0), rec[o + 4] ?? 0);
    const a = rec[o] ?? 0;
    const nl = rec[o + 1] ?? 0;
    this.lines++;
    if (nl === a && this.countEmpty) return;
    if (nl - a > this.maxLine) {
      this.oversize++;
      return;
    }
    if (r === OTHER_DAY) return this.line(b, a, nl);
    const path = rec[o + 3] ?? -1;
    // A 5xx line the walk counted (its status and second): only its columns are left to keep.
    if (countedFailed && r >= FAILED_FROM && path >= 0) return this.keepFailed(b, a, nl, this.dayBaseMs + (r & SECOND_MASK) * 1000, r >>> STATUS_SHIFT, path, rec[o + 4] ?? 0, rec[o + 5] ?? 0);
    this.answer(b, a, nl, r, path, rec[o + 4] ?? 0, rec[o + 5] ?? 0);
  }

  /** Adds the walk's status counters to the tally. */
  private takeStatuses(counts: Int32Array): void {
    const statuses = this.tally.statuses;
    for (let k = 0; k < 1000; k++) {
      const n = counts[k] ?? 0;
      if (n !== 0) statuses[k] = (statuses[k] ?? 0) + n;
    }
  }

  /** What a line's check answered, `r` (for a counted 5xx line, its path; for a watched client, where the client ends). */
  private answer(b: Buffer, a: number, nl: number, r: number, path: number, pathEnd: number, hash: number, clientEnd = a): void {
    if (r < 0) return this.slow(b, a, nl);
    const ms = this.dayBaseMs + (r & SECOND_MASK) * 1000;
    if (ms < 0) return this.slow(b, a, nl);
    const code = r >>> STATUS_SHIFT;
    if (code >= 500) return this.failed(b, a, nl, ms, code, path, pathEnd, hash);
    this.count(b, a, nl, clientEnd, ms, code);
  }

  /**
   * A plainly combined 5xx line (the check accepts them when cheap failures are on): with a plain
   * path (from `path` to `pathEnd`, hashed `hash`: the check's failedPath), counted and kept as
   * columns; otherwise it goes the slow way as text.
   */
  private failed(b: Buffer, a: number, nl: number, ms: number, code: number, path: number, pathEnd: number, hash: number): void {
    const cheap = this.cheap;
    // The check read the tail and the path of a 5xx line (combined-check.ts plainTail, plainEndpoint).
    if (!cheap || !(this.base >= 0) || path < 0) return this.slow(b, a, nl);
    const t = this.tally;
    if (t.firstFastLine === 0) {
      t.firstFastLine = this.lines;
      t.firstFastOffset = this.dayOffset;
    }
    // Outside --since/--until: nothing, as the access handler drops it.
    if ((this.cfg.since === this.cfg.since && ms < this.cfg.since) || (this.cfg.until === this.cfg.until && ms > this.cfg.until)) return;
    t.statuses[code] = (t.statuses[code] ?? 0) + 1;
    this.countSecond(ms);
    this.keepFailed(b, a, nl, ms, code, path, pathEnd, hash);
  }

  /** A counted cheap failure's columns: its time, status, endpoint and where the line is. */
  private keepFailed(b: Buffer, a: number, nl: number, ms: number, code: number, path: number, pathEnd: number, hash: number): void {
    const cheap = this.cheap;
    if (cheap) cheap.add(ms, code, cheap.endpointId(b, path, pathEnd, hash), this.lines, this.base + a, nl - a);
  }

  /** Reads the day of the line whose time starts at c.timeStart and gives it to the checks; false when unreadable. */
  private newDay(c: CombinedCheck, b: Uint8Array): boolean {
    const ok = this.readDay(b, c.timeStart);
    for (const x of [this.reference, this.accel]) {
      if (ok) x?.setDay(this.dayKey);
      else x?.clearDay();
    }
    return ok;
  }

  /** A plainly combined line below 500 at `ms`: counted, unless its client is watched or it lies outside the window. */
  private count(b: Buffer, a: number, nl: number, clientEnd: number, ms: number, code: number): void {
    const t = this.tally;
    if (this.watch.length > 0 && this.watched(b, a, clientEnd)) return this.slow(b, a, nl);
    if ((this.cfg.since === this.cfg.since && ms < this.cfg.since) || (this.cfg.until === this.cfg.until && ms > this.cfg.until)) return;
    if (t.firstFastLine === 0) {
      t.firstFastLine = this.lines;
      t.firstFastOffset = this.dayOffset;
    }
    t.statuses[code] = (t.statuses[code] ?? 0) + 1;
    this.countSecond(ms);
  }

  private countSecond(ms: number): void {
    this.countSeconds(Math.floor(ms / 1000), 1);
  }

  /** `n` lines counted in epoch second `sec` (none: nothing), as `n` calls of countSecond. */
  private countSeconds(sec: number, n: number): void {
    if (n === 0) return;
    if (sec !== this.runSecond) {
      this.flushRun();
      this.runSecond = sec;
    }
    this.runCount += n;
  }

  /** Reads "dd/Mon/yyyy" and " +hhmm" of the time at b[t]; keeps them only when the whole day is readable. */
  private readDay(b: Uint8Array, t: number): boolean {
    this.dayValid = false;
    if (b[t + T.slashes[0]] !== SLASH || b[t + T.slashes[1]] !== SLASH || b[t + T.zoneSpace] !== SP) return false;
    const day = digit(b, t + T.day) * 10 + digit(b, t + T.day + 1);
    const y = t + T.year;
    const year = digit(b, y) * 1000 + digit(b, y + 1) * 100 + digit(b, y + 2) * 10 + digit(b, y + 3);
    const mo = t + T.month;
    const month = MONTH_CODES.indexOf(((b[mo] ?? 0) << 16) | ((b[mo + 1] ?? 0) << 8) | (b[mo + 2] ?? 0));
    const sign = b[t + T.sign] === 0x2b ? 1 : b[t + T.sign] === DASH ? -1 : 0;
    const oh = digit(b, t + T.zoneHour) * 10 + digit(b, t + T.zoneHour + 1);
    const om = digit(b, t + T.zoneMinute) * 10 + digit(b, t + T.zoneMinute + 1);
    if (day < 0 || year < 0 || month < 0 || sign === 0 || oh < 0 || om < 0) return false;
    const offset = sign * (oh * 60 + om);
    const base = Date.UTC(year, month, day) - offset * 60_000;
    if (!Number.isFinite(base)) return false;
    this.dayOffset = offset;
    this.dayBaseMs = base;
    let k = 0;
    for (const [from, n] of T.dayKey) for (let j = 0; j < n; j++) this.dayKey[k++] = b[t + from + j] ?? 0;
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
