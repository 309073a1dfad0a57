// The combined fast path's per-line check in WebAssembly: an accelerator of the reference in
// combined-check.ts (the same strict reading of `client - user [dd/Mon/yyyy:HH:MM:SS +hhmm] "request"
// status bytes "referer" "agent"`, the same answers, behind the same CombinedCheck interface), run on
// the bytes the newline kernel's memory holds, without JavaScript's bounds checks. CombinedScanner uses
// it when its bytes are in that memory; combined-kernel.test.ts holds it to the reference line by line.
//
//   check(a, nl, state): as CombinedCheck.check, with the day key's 17 bytes at `state`, whether
//   one is set at state + 40 and the status bound at state + 44. It stores where the client ends at
//   state + 32, where the time starts at state + 36, the request's start and closing quote at + 48, + 52;
//   after a counted 5xx line, failedPath, failedPathEnd and failedPathHash at + 20, + 24, + 28.
import { CLF_TIME as T, OPEN_TAIL_LIMIT } from '../parse/line-shapes.ts';
import { NOT_PLAIN, OTHER_DAY, STATUS_SHIFT, type CombinedCheck } from './combined-check.ts';
import { FAILED_FROM, RECORD, RUN, Stop, type CombinedWalk, type WalkOptions } from './combined-walk.ts';
import type { NewlineKernel } from './newline-kernel.ts';
import {
  BLOCK, BR, BR_IF, byteAt, compile, END, expectByte, get, I32, I32_ADD, I32_AND, I32_EQ, I32_EQZ, I32_GE_S, I32_GE_U, I32_GT_U, i32, I32_MUL,
  I32_LOAD, I32_LT_S, I32_NE, I32_OR, I32_SHL, I32_SHR_U, I32_STORE, I32_SUB, I32_XOR, IF, LOOP, moduleBytes, returnIf, returnUnlessSame, set, skipTo as skipToLimit, skipToVector, uleb, VOID,
} from './wasm-asm.ts';

const SP = 0x20;
const QUOTE = 0x22;
const DASH = 0x2d;
const SLASH = 0x2f;
const QUESTION = 0x3f;
const CR = 0x0d;
const COLON = 0x3a;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const CLIENT_END_AT = 32;
const TIME_AT = 36;
const KEY_SET_AT = 40;
const BOUND_AT = 44;
const REQUEST_AT = 48;
const QUOTE_AT = 52;
const PATH_AT = 20;
const PATH_END_AT = 24;
const HASH_AT = 28;
const [DAY, ZONE] = T.dayKey;

// locals: params a, nl, state; then i, t, x, y, z, code, sec, j; for a 5xx line k, sp, end, q, h, rq; m (scratch)
const L = { A: 0, NL: 1, STATE: 2, I: 3, T: 4, X: 5, Y: 6, Z: 7, CODE: 8, SEC: 9, J: 10, K: 11, SP: 12, END: 13, Q: 14, H: 15, RQ: 16, M: 17 };

const slowIf = (cond: number[]): number[] => returnIf(cond, NOT_PLAIN);
const expect = expectByte;
/** local + k >= nl (a position past the line). */
const pastLine = (l: number, k: number): number[] => [...get(l), ...i32(k), I32_ADD, ...get(L.NL), I32_GE_U];
/** while (local < nl && memory[local] != c) local++ */
const skipTo = (l: number, c: number): number[] => skipToLimit(l, c, L.NL);
/** The same, 16 bytes a step: for the long fields (client, request, referer, agent). */
const skipFar = (l: number, c: number): number[] => skipToVector(l, c, L.NL, L.M);
/** dst = memory[local + off] - '0', and not plain unless it is a digit. */
const digitInto = (dst: number, l: number, off: number): number[] => [
  ...byteAt(l, off), ...i32(48), I32_SUB, ...set(dst),
  ...slowIf([...get(dst), ...i32(10), I32_GE_U]),
];
/** dst = the two digits at local + off (a time field). */
const twoDigits = (dst: number, l: number, off: number): number[] => [
  ...digitInto(L.X, l, off), ...digitInto(L.Y, l, off + 1),
  ...get(L.X), ...i32(10), I32_MUL, ...get(L.Y), I32_ADD, ...set(dst),
];

/** The code of a counted 5xx line (CODE >= 500): what follows runs for failed lines only. */
const ifFailed = [...get(L.CODE), ...i32(500), I32_GE_U, IF, VOID];
const store = (at: number, l: number): number[] => [...get(L.STATE), ...get(l), I32_STORE, 2, at];

/**
 * In the referer's branch of a 5xx line: X = whether the agent runs to the first quote after its
 * opening one and that quote is the line's last byte (before a CR): plainTail of combined-check.ts.
 */
const agentTail = [
  ...ifFailed,
  ...get(L.J), ...i32(3), I32_ADD, ...set(L.K),
  ...skipFar(L.K, QUOTE),
  ...get(L.NL), ...i32(1), I32_SUB, ...set(L.END),
  ...byteAt(L.END, 0), ...i32(CR), I32_EQ, IF, VOID, ...get(L.END), ...i32(1), I32_SUB, ...set(L.END), END,
  ...get(L.K), ...get(L.END), I32_EQ, ...set(L.X),
  END,
];

/**
 * After a 5xx line's tail (X: plain): failedPath, failedPathEnd and failedPathHash as plainEndpoint and
 * endpointHash of combined-check.ts read them; failedPath -1 when the tail or the path is not plain.
 */
const failedPath = [
  ...ifFailed,
  ...get(L.STATE), ...i32(-1), I32_STORE, 2, PATH_AT,
  BLOCK, VOID,
  ...get(L.X), I32_EQZ, BR_IF, 0,
  // the method: up to the request's first space, then '/'
  ...get(L.T), ...i32(T.length + 3), I32_ADD, ...set(L.SP),
  ...skipToLimit(L.SP, SP, L.RQ),
  ...get(L.SP), ...get(L.T), ...i32(T.length + 3), I32_ADD, I32_EQ, BR_IF, 0,
  ...get(L.SP), ...get(L.RQ), I32_GE_U, BR_IF, 0,
  ...byteAt(L.SP, 1), ...i32(SLASH), I32_NE, BR_IF, 0,
  // the target ends at the request's last space (none after the first: at the quote)
  ...get(L.RQ), ...i32(1), I32_SUB, ...set(L.K),
  BLOCK, VOID, LOOP, VOID,
  ...get(L.K), ...get(L.SP), I32_GT_U, I32_EQZ, BR_IF, 1,
  ...byteAt(L.K, 0), ...i32(SP), I32_EQ, BR_IF, 1,
  ...get(L.K), ...i32(1), I32_SUB, ...set(L.K),
  BR, 0,
  END, END,
  ...get(L.RQ), ...set(L.END),
  ...get(L.K), ...get(L.SP), I32_GT_U, IF, VOID, ...get(L.K), ...set(L.END), END,
  // the endpoint, hashed, up to the first '?'; every byte of the target ASCII
  ...get(L.SP), ...i32(1), I32_ADD, ...set(L.K),
  ...get(L.END), ...set(L.Q),
  ...i32(0x811c9dc5 | 0), ...set(L.H),
  BLOCK, VOID, LOOP, VOID,
  ...get(L.K), ...get(L.END), I32_GE_U, BR_IF, 1,
  ...byteAt(L.K, 0), ...set(L.Y),
  ...get(L.Y), ...i32(0x80), I32_GE_U, BR_IF, 2,
  ...get(L.Y), ...i32(QUESTION), I32_EQ, IF, VOID, ...get(L.K), ...set(L.Q), BR, 2, END,
  ...get(L.H), ...get(L.Y), I32_XOR, ...i32(0x01000193), I32_MUL, ...set(L.H),
  ...get(L.K), ...i32(1), I32_ADD, ...set(L.K),
  BR, 0,
  END, END,
  BLOCK, VOID, LOOP, VOID,
  ...get(L.K), ...get(L.END), I32_GE_U, BR_IF, 1,
  ...byteAt(L.K, 0), ...i32(0x80), I32_GE_U, BR_IF, 2,
  ...get(L.K), ...i32(1), I32_ADD, ...set(L.K),
  BR, 0,
  END, END,
  ...get(L.SP), ...i32(1), I32_ADD, ...set(L.K),
  ...store(PATH_AT, L.K), ...store(PATH_END_AT, L.Q), ...store(HASH_AT, L.H),
  END,
  END,
];

const checkBody = [
  1, 15, I32,
  // client: up to the first space, then "- "
  ...get(L.A), ...set(L.I),
  ...skipFar(L.I, SP),
  ...slowIf([...get(L.I), ...get(L.A), I32_EQ]),
  ...slowIf(pastLine(L.I, 3)),
  ...expect(L.I, 1, DASH), ...expect(L.I, 2, SP),
  ...get(L.STATE), ...get(L.I), I32_STORE, 2, CLIENT_END_AT,
  // user, then " ["
  ...get(L.I), ...i32(3), I32_ADD, ...set(L.I),
  ...skipTo(L.I, SP),
  ...slowIf(pastLine(L.I, 1)),
  ...expect(L.I, 1, LBRACKET),
  ...get(L.I), ...i32(2), I32_ADD, ...set(L.T),
  ...slowIf(pastLine(L.T, T.length + 3)),
  ...expect(L.T, T.length, RBRACKET), ...expect(L.T, T.length + 1, SP), ...expect(L.T, T.length + 2, QUOTE),
  ...get(L.STATE), ...get(L.T), I32_STORE, 2, TIME_AT,
  // the day and zone against the key, if one is set
  ...returnIf([...get(L.STATE), I32_LOAD, 2, KEY_SET_AT, I32_EQZ], OTHER_DAY),
  ...returnUnlessSame(L.T, DAY[0], L.STATE, 0, DAY[1], OTHER_DAY),
  ...returnUnlessSame(L.T, ZONE[0], L.STATE, DAY[1], ZONE[1], OTHER_DAY),
  // HH:MM:SS
  ...T.colons.flatMap((c) => expect(L.T, c, COLON)),
  ...twoDigits(L.SEC, L.T, T.hour),
  ...twoDigits(L.Z, L.T, T.minute),
  ...get(L.SEC), ...i32(60), I32_MUL, ...get(L.Z), I32_ADD, ...set(L.SEC),
  ...twoDigits(L.Z, L.T, T.second),
  ...get(L.SEC), ...i32(60), I32_MUL, ...get(L.Z), I32_ADD, ...set(L.SEC),
  // the request: up to the first quote, which a space must follow
  ...get(L.T), ...i32(T.length + 3), I32_ADD, ...set(L.I),
  ...get(L.STATE), ...get(L.I), I32_STORE, 2, REQUEST_AT,
  ...skipFar(L.I, QUOTE),
  ...slowIf(pastLine(L.I, 1)),
  ...expect(L.I, 1, SP),
  ...get(L.STATE), ...get(L.I), I32_STORE, 2, QUOTE_AT,
  ...get(L.I), ...set(L.RQ),
  // status: three digits below the bound (500, or 600 accepting failed lines), the first not 0, then a space
  ...get(L.I), ...i32(2), I32_ADD, ...set(L.I),
  ...digitInto(L.X, L.I, 0), ...digitInto(L.Y, L.I, 1), ...digitInto(L.Z, L.I, 2),
  ...slowIf([...get(L.X), I32_EQZ]),
  ...get(L.X), ...i32(100), I32_MUL, ...get(L.Y), ...i32(10), I32_MUL, I32_ADD, ...get(L.Z), I32_ADD, ...set(L.CODE),
  ...slowIf([...get(L.CODE), ...get(L.STATE), I32_LOAD, 2, BOUND_AT, I32_GE_U]),
  ...expect(L.I, 3, SP),
  ...i32(1), ...set(L.X),
  // bytes sent, then the end of the line (Common Log Format) or ` "referer" "agent"`
  ...get(L.I), ...i32(4), I32_ADD, ...set(L.I),
  ...skipTo(L.I, SP),
  ...get(L.I), ...get(L.NL), I32_GE_U, I32_EQZ, IF, VOID,
  ...expect(L.I, 1, QUOTE),
  ...get(L.I), ...i32(2), I32_ADD, ...set(L.J),
  // the referer's closing quote: the first quote that `" "` follows
  BLOCK, VOID, LOOP, VOID,
  ...skipFar(L.J, QUOTE),
  ...slowIf(pastLine(L.J, 2)),
  ...byteAt(L.J, 1), ...i32(SP), I32_EQ, ...byteAt(L.J, 2), ...i32(QUOTE), I32_EQ, I32_AND, BR_IF, 1,
  ...get(L.J), ...i32(1), I32_ADD, ...set(L.J),
  BR, 0,
  END, END,
  // the agent's closing quote may be missing only in a short tail
  ...slowIf([...get(L.NL), ...get(L.J), ...i32(3), I32_ADD, I32_SUB, ...i32(OPEN_TAIL_LIMIT), I32_GE_S]),
  ...agentTail,
  END,
  ...failedPath,
  ...get(L.CODE), ...i32(STATUS_SHIFT), I32_SHL, ...get(L.SEC), I32_OR,
  END,
];

// walk(from, end, state): CombinedWalk.walk (combined-walk.ts). Its control area starts at the address
// at state + 56: the options' flags (1 absorb, 2 countFailed) at + 0, maxLine at + 4; it stores where it
// stopped at + 8 and why at + 12; the status counters are at + 64 (1000 of them), the records from
// + CONTROL_BYTES up to the address at state + 60 (past which no line is started: room for the last
// lines' records). Each line's newline is found 16 bytes a step, then `check` runs on it in the module.
const CALL = 0x10;
const ELSE = 0x05;
const CONTROL_AT = 56;
const STOP_AT = 60;
const STATUSES_AT = 64;
/** Bytes of the control area before the records. */
export const CONTROL_BYTES = 4096;
const W = { A: 0, END: 1, STATE: 2, NL: 3, OUT: 4, STOP: 5, R: 6, M: 7, N: 8, RUNSEC: 9, RUNN: 10, CNT: 11, FLAGS: 12, MAXL: 13, CTRL: 14, WHY: 15, SEC: 16 };
const inc = (l: number): number[] => [...get(l), ...i32(1), I32_ADD, ...set(l)];
/** Writes a record at OUT (its words from the instruction lists), the lines counted before it; OUT and N move on. */
const record = (words: number[][]): number[] => [
  ...words.flatMap((w, k) => [...get(W.OUT), ...w, I32_STORE, 2, ...uleb(k * 4)]),
  ...get(W.OUT), ...get(W.CNT), I32_STORE, 2, 24,
  ...i32(0), ...set(W.CNT),
  ...get(W.OUT), ...i32(RECORD * 4), I32_ADD, ...set(W.OUT),
  ...inc(W.N),
];
const flushRun = [...record([i32(-1), i32(-1), i32(RUN), get(W.RUNSEC), get(W.RUNN), i32(0)]), ...i32(0), ...set(W.RUNN)];
const stateWord = (at: number): number[] => [...get(W.STATE), I32_LOAD, 2, at];
/** The line is the walk's to count (absorb on, not over-long). */
const mine = [...get(W.FLAGS), ...i32(1), I32_AND, ...get(W.NL), ...get(W.A), I32_SUB, ...get(W.MAXL), I32_GT_U, I32_EQZ, I32_AND];
const walkBody = [
  1, 14, I32,
  ...stateWord(CONTROL_AT), ...set(W.CTRL),
  ...get(W.CTRL), ...i32(CONTROL_BYTES), I32_ADD, ...set(W.OUT),
  ...stateWord(STOP_AT), ...set(W.STOP),
  ...get(W.CTRL), I32_LOAD, 2, 0, ...set(W.FLAGS),
  ...get(W.CTRL), I32_LOAD, 2, 4, ...set(W.MAXL),
  BLOCK, VOID, LOOP, VOID,
  ...get(W.OUT), ...get(W.STOP), I32_GE_U, IF, VOID, ...i32(Stop.Full), ...set(W.WHY), BR, 2, END,
  ...get(W.A), ...set(W.NL),
  ...skipToVector(W.NL, 0x0a, W.END, W.M),
  ...get(W.NL), ...get(W.END), I32_GE_U, BR_IF, 1,
  // an empty line of the walk's: only counted
  ...mine, ...get(W.NL), ...get(W.A), I32_EQ, I32_AND, IF, VOID,
  ...inc(W.CNT), ...get(W.NL), ...i32(1), I32_ADD, ...set(W.A), BR, 1,
  END,
  ...get(W.A), ...get(W.NL), ...get(W.STATE), CALL, 0, ...set(W.R),
  // a line the walk counts: plain, below 500 or (countFailed) a 5xx with a plain path
  ...mine, ...get(W.R), ...i32(0), I32_GE_S, I32_AND, IF, VOID,
  ...get(W.R), ...i32(FAILED_FROM), I32_LT_S,
  ...get(W.FLAGS), ...i32(2), I32_AND, ...i32(0), I32_NE, ...stateWord(PATH_AT), ...i32(0), I32_GE_S, I32_AND,
  I32_OR, IF, VOID,
  ...get(W.CTRL), ...get(W.R), ...i32(STATUS_SHIFT), I32_SHR_U, ...i32(2), I32_SHL, I32_ADD, ...set(W.M),
  ...get(W.M), ...get(W.M), I32_LOAD, 2, STATUSES_AT, ...i32(1), I32_ADD, I32_STORE, 2, STATUSES_AT,
  ...get(W.R), ...i32((1 << STATUS_SHIFT) - 1), I32_AND, ...set(W.SEC),
  ...get(W.RUNN), ...i32(0), I32_NE, ...get(W.SEC), ...get(W.RUNSEC), I32_NE, I32_AND, IF, VOID, ...flushRun, END,
  ...get(W.SEC), ...set(W.RUNSEC),
  ...inc(W.RUNN),
  ...get(W.R), ...i32(FAILED_FROM), I32_LT_S, IF, VOID,
  ...inc(W.CNT), ...get(W.NL), ...i32(1), I32_ADD, ...set(W.A), BR, 3,
  END,
  END,
  END,
  // another day: the run so far first
  ...get(W.R), ...i32(OTHER_DAY), I32_EQ, ...get(W.RUNN), ...get(W.CNT), I32_OR, ...i32(0), I32_NE, I32_AND, IF, VOID, ...flushRun, END,
  ...get(W.R), ...i32(FAILED_FROM), I32_GE_S, IF, VOID,
  ...record([get(W.A), get(W.NL), get(W.R), stateWord(PATH_AT), stateWord(PATH_END_AT), stateWord(HASH_AT)]),
  ELSE,
  ...record([get(W.A), get(W.NL), get(W.R), i32(-1), i32(0), i32(0)]),
  END,
  ...get(W.NL), ...i32(1), I32_ADD, ...set(W.A),
  ...get(W.R), ...i32(OTHER_DAY), I32_EQ, IF, VOID, ...i32(Stop.OtherDay), ...set(W.WHY), BR, 2, END,
  BR, 0,
  END, END,
  ...get(W.RUNN), ...get(W.CNT), I32_OR, IF, VOID, ...flushRun, END,
  ...get(W.CTRL), ...get(W.A), I32_STORE, 2, 8,
  ...get(W.CTRL), ...get(W.WHY), I32_STORE, 2, 12,
  ...get(W.N),
  END,
];

const MODULE_BYTES = moduleBytes([{ name: 'check', params: 3, body: checkBody }, { name: 'walk', params: 3, body: walkBody }]);

interface Fns {
  readonly check: (a: number, nl: number, state: number) => number;
  readonly walk: (from: number, end: number, state: number) => number;
}

const made = new WeakMap<NewlineKernel, CombinedKernel | null>();

/** The check on a newline kernel's memory; null where WebAssembly is not available. */
export class CombinedKernel implements CombinedCheck, CombinedWalk {
  private readonly checkFn: (a: number, nl: number, state: number) => number;
  private readonly walkFn: (from: number, end: number, state: number) => number;
  /** The walk's control area, status counters and records: in the newline kernel's `found` area, which a scanner that walks does not use. */
  readonly records: Int32Array;
  readonly statuses: Int32Array;
  private readonly control: Int32Array;
  private readonly out: Int32Array;
  private readonly state: number;
  private readonly key: Uint8Array;
  private readonly words: Int32Array;
  private readonly failed: Int32Array;

  private constructor(kernel: NewlineKernel, fns: Fns) {
    this.checkFn = fns.check;
    this.walkFn = fns.walk;
    const at = kernel.found.byteOffset;
    const buffer = kernel.memory.buffer;
    this.control = new Int32Array(buffer, at, 4);
    this.statuses = new Int32Array(buffer, at + STATUSES_AT, 1000);
    this.records = new Int32Array(buffer, at + CONTROL_BYTES, Math.floor((kernel.found.byteLength - CONTROL_BYTES) / (RECORD * 4)) * RECORD);
    this.out = new Int32Array(buffer, kernel.scratchAt + CONTROL_AT, 2);
    this.out[0] = at;
    this.state = kernel.scratchAt;
    this.key = new Uint8Array(kernel.memory.buffer, kernel.scratchAt, T.dayKeyLength);
    this.words = new Int32Array(kernel.memory.buffer, kernel.scratchAt + CLIENT_END_AT, 6);
    this.failed = new Int32Array(kernel.memory.buffer, kernel.scratchAt + PATH_AT, 3);
  }

  /** The check on `kernel`'s memory: one a kernel, made once (a kernel is reused range after range). */
  static create(kernel: NewlineKernel): CombinedKernel | null {
    if (!made.has(kernel)) made.set(kernel, CombinedKernel.make(kernel));
    return made.get(kernel) ?? null;
  }

  private static make(kernel: NewlineKernel): CombinedKernel | null {
    const c = compile(MODULE_BYTES, 'combined');
    if (!c) return null;
    try {
      const fns = new c.wasm.Instance(c.module, { env: { memory: kernel.memory } }).exports as unknown as Fns;
      const k = new CombinedKernel(kernel, fns);
      k.clearDay();
      k.acceptFailed(false);
      return k;
    } catch {
      return null;
    }
  }

  /** As CombinedCheck.check; `b` must be the kernel's own bytes (the memory it reads). */
  check(_b: Uint8Array, a: number, nl: number): number {
    return this.checkFn(a, nl, this.state);
  }

  /** As CombinedWalk.walk; `b` must be the kernel's own bytes. */
  walk(_b: Uint8Array, from: number, end: number, cap: number, opts: WalkOptions): number {
    const room = Math.min(cap, this.records.length / RECORD) - 2;
    this.out[1] = this.records.byteOffset + Math.max(0, room) * RECORD * 4;
    const ctl = this.control;
    ctl[0] = (opts.absorb ? 1 : 0) | (opts.countFailed ? 2 : 0);
    ctl[1] = opts.maxLine;
    // The area is the newline kernel's `found` too, which other scanners of this thread write.
    if (opts.absorb) this.statuses.fill(0);
    return this.walkFn(from, end, this.state);
  }

  get next(): number {
    return this.control[2] ?? 0;
  }

  get stopped(): Stop {
    return (this.control[3] ?? 0) as Stop;
  }

  get clientEnd(): number {
    return this.words[0] ?? 0;
  }

  get timeStart(): number {
    return this.words[1] ?? 0;
  }

  get requestStart(): number {
    return this.words[4] ?? 0;
  }

  get requestQuote(): number {
    return this.words[5] ?? 0;
  }

  get failedPath(): number {
    return this.failed[0] ?? -1;
  }

  get failedPathEnd(): number {
    return this.failed[1] ?? 0;
  }

  get failedPathHash(): number {
    return this.failed[2] ?? 0;
  }

  acceptFailed(on: boolean): void {
    this.words[3] = on ? 600 : 500;
  }

  setDay(key: Uint8Array): void {
    this.key.set(key.subarray(0, T.dayKeyLength));
    this.words[2] = 1;
  }

  clearDay(): void {
    this.words[2] = 0;
  }
}
