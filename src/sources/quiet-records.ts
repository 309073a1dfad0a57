// The fast path for record logs (nginx's error log): most records of a busy error log hold none of
// the literals any cause or change marker needs, so nothing can come of parsing them. Such a record,
// one line that the parser would read as a timed record, is only counted. Every other line goes to
// the record reader as text, in order, with the quiet record just before it and the one just after
// it: the reader's neighbour logic (a record without a time takes its neighbours' times) sees what it
// would have seen, so what comes out is what the line-by-line read gives.
import type { ByteScreen } from '../classify/literals.ts';
import { LineScanner, lineText } from './line-scanner.ts';
import type { NewlineKernel } from './newline-kernel.ts';
import { QuietKernel } from './quiet-kernel.ts';

/** Answers of a quiet check for one line. */
export const NOT_PLAIN = -1;
export const QUIET = 0;
/** Only from an accelerator: it cannot tell; the reference decides. */
export const MAYBE = 1;
export const LOUD = 2;

/** A quiet check: the reference answers NOT_PLAIN, QUIET or LOUD; an accelerator may answer MAYBE instead. */
export interface QuietCheck {
  check(b: Uint8Array, a: number, nl: number): number;
}

/**
 * The reference: a plain record start (the parser's `plainStart`) whose message holds no literal of
 * the screen is QUIET; another plain record is LOUD.
 */
export class QuietReference implements QuietCheck {
  private readonly plainStart: (b: Uint8Array, a: number, end: number, span: Int32Array) => boolean;
  private readonly screen: ByteScreen;
  private readonly span = new Int32Array(2);

  constructor(plainStart: (b: Uint8Array, a: number, end: number, span: Int32Array) => boolean, screen: ByteScreen) {
    this.plainStart = plainStart;
    this.screen = screen;
  }

  check(b: Uint8Array, a: number, nl: number): number {
    if (!this.plainStart(b, a, nl, this.span)) return NOT_PLAIN;
    return this.screen.any(b, this.span[0] ?? a, this.span[1] ?? nl) ? LOUD : QUIET;
  }
}

/**
 * Takes in plain records that the screen lets through but that need no reading (the error-log fast
 * path, src/engine/error-digest.ts): held and left out of the reader like quiet records, and handed
 * on in order (before any later text reaches the reader).
 */
export interface RecordDigest {
  /**
   * b[a, nl), line `lineNo`: true when it can be taken (then `hold` may follow in the same call).
   * `kernel`: the newline kernel whose memory holds b, when it does (a WebAssembly reader may read it there).
   */
  take(b: Buffer, a: number, nl: number, lineNo: number, kernel?: NewlineKernel | null): boolean;
  /** The record last taken is now the held one. */
  hold(): void;
  /** The held record stands (`keep`: left out of the reader) or is read as text after all. */
  settle(keep: boolean): void;
  /** Text is about to reach the reader: hand on what was taken before it. */
  flush(): void;
  /**
   * Optional: after a held record taken from `kernel`'s bytes, takes the lines ending at found[k, n) in
   * one go while each is taken and held in turn (the held before it settled as kept): how many (0:
   * none). `ranA`/`ranNl`: the last one's bounds; `lineNo`: the number of the line before them.
   */
  run?(kernel: NewlineKernel, k: number, n: number, a: number, end: number, maxLine: number, lineNo: number): number;
  readonly ranA?: number;
  readonly ranNl?: number;
}

/** A line kept until the next says whether it is left out. */
interface Held {
  b: Buffer;
  a: number;
  nl: number;
  text: string | undefined;
  line: number;
  taken: boolean;
}

export class QuietRecords extends LineScanner {
  /** Quiet records left out. */
  skipped = 0;
  private readonly reference: QuietReference;
  private readonly screen: ByteScreen;
  private readonly emit: (line: string, lineNo: number) => void;
  /** The last quiet line, not yet known to be left out: kept until the next line says. */
  private held: Held | undefined;
  /** The object `held` reuses (one per line would be most of what the fast path allocates). */
  private spare: Held = { b: Buffer.alloc(0), a: 0, nl: 0, text: undefined, line: 0, taken: false };
  /** The last line went to the reader: the next record goes too. */
  private afterEmitted = false;

  /**
   * `wasmCheck`: the records are nginx's (quiet-kernel.ts reads their start as `plainStart` does).
   * `rangeEdges`: the lines are one range of a file read in parts (src/engine/error-digest-parallel.ts):
   * its first line and a held last line go to the reader, so that each part stands on its own.
   */
  private readonly digest: RecordDigest | undefined;
  private readonly rangeEdges: boolean;
  private lastTaken = false;

  constructor(maxLineBytes: number, plainStart: (b: Uint8Array, a: number, end: number, span: Int32Array) => boolean, screen: ByteScreen, emit: (line: string, lineNo: number) => void, wasmCheck = false, digest?: RecordDigest, rangeEdges = false) {
    super(maxLineBytes);
    this.digest = digest;
    this.digestRuns = digest?.run !== undefined;
    this.afterEmitted = rangeEdges;
    this.rangeEdges = rangeEdges;
    this.wasmCheck = wasmCheck;
    this.reference = new QuietReference(plainStart, screen);
    this.screen = screen;
    this.emit = emit;
  }

  /** The WebAssembly accelerator on the current kernel's memory (quiet-kernel.ts), for nginx records. */
  private readonly wasmCheck: boolean;
  private accel: QuietKernel | null = null;
  private accelFor: NewlineKernel | null = null;

  protected line(b: Buffer, a: number, nl: number): void {
    const k = this.kernel;
    if (k && this.wasmCheck && this.accelFor !== k) {
      this.accelFor = k;
      const bitmap = this.screen.strideBitmap();
      this.accel = bitmap ? QuietKernel.create(k, bitmap) : null;
    }
    // The accelerator settles most lines; what it cannot tell (MAYBE), the reference decides.
    // A record the digest takes would be LOUD (its message holds a literal): it is held like a quiet one.
    // After a taken record the next is tried first (an outage log is mostly such records), else after the pre-check.
    const digest = this.digest;
    let taken = this.lastTaken && digest !== undefined && digest.take(b, a, nl, this.lines, k);
    let r = taken ? LOUD : k && this.accel ? this.accel.check(b, a, nl) : MAYBE;
    if (!taken && r !== QUIET && digest !== undefined && !this.lastTaken) taken = digest.take(b, a, nl, this.lines, k);
    this.lastTaken = taken;
    if (!taken && r === MAYBE) r = this.reference.check(b, a, nl);
    const quiet = taken || r === QUIET;
    this.mayRun = false;
    if (quiet && !this.afterEmitted) {
      if (this.held) {
        this.skipped++;
        if (this.held.taken) this.digest?.settle(true);
      }
      if (taken) this.digest?.hold();
      const h = this.held ?? this.spare;
      h.b = b;
      h.a = a;
      h.nl = nl;
      h.text = undefined;
      h.line = this.lines;
      h.taken = taken;
      this.held = h;
      this.mayRun = taken && this.digestRuns;
      return;
    }
    this.release();
    this.digest?.flush();
    this.emit(lineText(b, a, nl), this.lines);
    this.afterEmitted = !quiet;
  }

  /** Whether the digest reads runs of records (RecordDigest `run`). */
  private readonly digestRuns: boolean;

  /** After a held taken record: the digest takes the lines after it that are more of the same. */
  protected override runFrom(kernel: NewlineKernel, k: number, n: number, a: number, end: number): number {
    const d = this.digest;
    const h = this.held;
    if (!d?.run || !h?.taken) return 0;
    const m = d.run(kernel, k, n, a, end, this.maxLine, this.lines);
    if (m === 0) return 0;
    this.skipped += m;
    h.a = d.ranA ?? 0;
    h.nl = d.ranNl ?? 0;
    h.line = this.lines + m;
    h.text = undefined;
    return m;
  }

  /** The held line's bytes are about to be reused: keep its text. */
  override blockDone(): void {
    if (this.held && this.held.text === undefined) this.held.text = lineText(this.held.b, this.held.a, this.held.nl);
  }

  private release(): void {
    const h = this.held;
    if (!h) return;
    this.held = undefined;
    this.spare = h;
    if (h.taken) this.digest?.settle(false);
    this.digest?.flush();
    this.emit(h.text ?? lineText(h.b, h.a, h.nl), h.line);
  }

  /** The end: a quiet last record is left out too. */
  finish(): void {
    this.endLines();
    if (this.rangeEdges) this.release();
    if (this.held) {
      this.skipped++;
      if (this.held.taken) this.digest?.settle(true);
    }
    this.held = undefined;
    this.digest?.flush();
  }
}
