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

export class QuietRecords extends LineScanner {
  /** Quiet records left out. */
  skipped = 0;
  private readonly plainStart: (b: Buffer, a: number, end: number, span: Int32Array) => boolean;
  private readonly span = new Int32Array(2);
  private readonly screen: ByteScreen;
  private readonly emit: (line: string, lineNo: number) => void;
  /** The last quiet line, not yet known to be left out: kept until the next line says. */
  private held: { b: Buffer; a: number; nl: number; text: string | undefined; line: number } | undefined;
  /** The last line went to the reader: the next record goes too. */
  private afterEmitted = false;

  /** `wasmCheck`: the records are nginx's (quiet-kernel.ts reads their start as `plainStart` does). */
  constructor(maxLineBytes: number, plainStart: (b: Buffer, a: number, end: number, span: Int32Array) => boolean, screen: ByteScreen, emit: (line: string, lineNo: number) => void, wasmCheck = false) {
    super(maxLineBytes);
    this.wasmCheck = wasmCheck;
    this.plainStart = plainStart;
    this.screen = screen;
    this.emit = emit;
  }

  /** The WebAssembly pre-check on the current kernel's memory (quiet-kernel.ts), for nginx records. */
  private readonly wasmCheck: boolean;
  private wasm: QuietKernel | null = null;
  private wasmFor: NewlineKernel | null = null;

  protected line(b: Buffer, a: number, nl: number): void {
    const k = this.kernel;
    if (k && this.wasmCheck && this.wasmFor !== k) {
      this.wasmFor = k;
      const bitmap = this.screen.strideBitmap();
      this.wasm = bitmap ? QuietKernel.create(k, bitmap) : null;
    }
    // The pre-check settles most lines: -1 no plain record start, 0 quiet; 1 asks the exact screen.
    const pre = k && this.wasm ? this.wasm.check(a, nl) : 1;
    const quiet = pre === 0 || (pre > 0 && this.plainStart(b, a, nl, this.span) && !this.screen.any(b, this.span[0] ?? a, this.span[1] ?? nl));
    if (quiet && !this.afterEmitted) {
      if (this.held) this.skipped++;
      this.held = { b, a, nl, text: undefined, line: this.lines };
      return;
    }
    this.release();
    this.emit(lineText(b, a, nl), this.lines);
    this.afterEmitted = !quiet;
  }

  /** The held line's bytes are about to be reused: keep its text. */
  override blockDone(): void {
    if (this.held && this.held.text === undefined) this.held.text = lineText(this.held.b, this.held.a, this.held.nl);
  }

  private release(): void {
    const h = this.held;
    if (!h) return;
    this.held = undefined;
    this.emit(h.text ?? lineText(h.b, h.a, h.nl), h.line);
  }

  /** The end: a quiet last record is left out too. */
  finish(): void {
    this.endLines();
    if (this.held) this.skipped++;
    this.held = undefined;
  }
}
