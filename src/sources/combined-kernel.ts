// The combined fast path's per-line check in WebAssembly: an accelerator of the reference in
// combined-check.ts (the same strict reading of `client - user [dd/Mon/yyyy:HH:MM:SS +hhmm] "request"
// status bytes "referer" "agent"`, the same answers, behind the same CombinedCheck interface), run on
// the bytes the newline kernel's memory holds, without JavaScript's bounds checks. CombinedScanner uses
// it when its bytes are in that memory; combined-kernel.test.ts holds it to the reference line by line.
//
//   check(a, nl, state): as CombinedCheck.check, with the day key's 17 bytes at `state`, whether
//   one is set at state + 40 and the status bound at state + 44. It stores where the client ends at
//   state + 32, where the time starts at state + 36, the request's start and closing quote at + 48, + 52.
import { CLF_TIME as T, OPEN_TAIL_LIMIT } from '../parse/line-shapes.ts';
import { NOT_PLAIN, OTHER_DAY, STATUS_SHIFT, type CombinedCheck } from './combined-check.ts';
import type { NewlineKernel } from './newline-kernel.ts';
import {
  BLOCK, BR, BR_IF, byteAt, compile, END, expectByte, get, I32, I32_ADD, I32_AND, I32_EQ, I32_EQZ, I32_GE_S, I32_GE_U, i32, I32_MUL,
  I32_LOAD, I32_NE, I32_OR, I32_SHL, I32_STORE, I32_SUB, IF, LOOP, moduleBytes, returnIf, set, skipTo as skipToLimit, VOID,
} from './wasm-asm.ts';

const SP = 0x20;
const QUOTE = 0x22;
const DASH = 0x2d;
const COLON = 0x3a;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const CLIENT_END_AT = 32;
const TIME_AT = 36;
const KEY_SET_AT = 40;
const BOUND_AT = 44;
const REQUEST_AT = 48;
const QUOTE_AT = 52;
const [DAY, ZONE] = T.dayKey;

// locals: params a, nl, state; then i, t, x, y, z, code, sec, j
const L = { A: 0, NL: 1, STATE: 2, I: 3, T: 4, X: 5, Y: 6, Z: 7, CODE: 8, SEC: 9, J: 10 };

const slowIf = (cond: number[]): number[] => returnIf(cond, NOT_PLAIN);
const expect = expectByte;
/** local + k >= nl (a position past the line). */
const pastLine = (l: number, k: number): number[] => [...get(l), ...i32(k), I32_ADD, ...get(L.NL), I32_GE_U];
/** while (local < nl && memory[local] != c) local++ */
const skipTo = (l: number, c: number): number[] => skipToLimit(l, c, L.NL);
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

const checkBody = [
  1, 8, I32,
  // client: up to the first space, then "- "
  ...get(L.A), ...set(L.I),
  ...skipTo(L.I, SP),
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
  ...Array.from({ length: DAY[1] }, (_, k) => returnIf([...byteAt(L.T, DAY[0] + k), ...byteAt(L.STATE, k), I32_NE], OTHER_DAY)).flat(),
  ...Array.from({ length: ZONE[1] }, (_, k) => returnIf([...byteAt(L.T, ZONE[0] + k), ...byteAt(L.STATE, DAY[1] + k), I32_NE], OTHER_DAY)).flat(),
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
  ...skipTo(L.I, QUOTE),
  ...slowIf(pastLine(L.I, 1)),
  ...expect(L.I, 1, SP),
  ...get(L.STATE), ...get(L.I), I32_STORE, 2, QUOTE_AT,
  // status: three digits below the bound (500, or 600 accepting failed lines), the first not 0, then a space
  ...get(L.I), ...i32(2), I32_ADD, ...set(L.I),
  ...digitInto(L.X, L.I, 0), ...digitInto(L.Y, L.I, 1), ...digitInto(L.Z, L.I, 2),
  ...slowIf([...get(L.X), I32_EQZ]),
  ...get(L.X), ...i32(100), I32_MUL, ...get(L.Y), ...i32(10), I32_MUL, I32_ADD, ...get(L.Z), I32_ADD, ...set(L.CODE),
  ...slowIf([...get(L.CODE), ...get(L.STATE), I32_LOAD, 2, BOUND_AT, I32_GE_U]),
  ...expect(L.I, 3, SP),
  // bytes sent, then the end of the line (Common Log Format) or ` "referer" "agent"`
  ...get(L.I), ...i32(4), I32_ADD, ...set(L.I),
  ...skipTo(L.I, SP),
  ...get(L.I), ...get(L.NL), I32_GE_U, I32_EQZ, IF, VOID,
  ...expect(L.I, 1, QUOTE),
  ...get(L.I), ...i32(2), I32_ADD, ...set(L.J),
  // the referer's closing quote: the first quote that `" "` follows
  BLOCK, VOID, LOOP, VOID,
  ...skipTo(L.J, QUOTE),
  ...slowIf(pastLine(L.J, 2)),
  ...byteAt(L.J, 1), ...i32(SP), I32_EQ, ...byteAt(L.J, 2), ...i32(QUOTE), I32_EQ, I32_AND, BR_IF, 1,
  ...get(L.J), ...i32(1), I32_ADD, ...set(L.J),
  BR, 0,
  END, END,
  // the agent's closing quote may be missing only in a short tail
  ...slowIf([...get(L.NL), ...get(L.J), ...i32(3), I32_ADD, I32_SUB, ...i32(OPEN_TAIL_LIMIT), I32_GE_S]),
  END,
  ...get(L.CODE), ...i32(STATUS_SHIFT), I32_SHL, ...get(L.SEC), I32_OR,
  END,
];

const MODULE_BYTES = moduleBytes([{ name: 'check', params: 3, body: checkBody }]);

const made = new WeakMap<NewlineKernel, CombinedKernel | null>();

/** The check on a newline kernel's memory; null where WebAssembly is not available. */
export class CombinedKernel implements CombinedCheck {
  private readonly checkFn: (a: number, nl: number, state: number) => number;
  private readonly state: number;
  private readonly key: Uint8Array;
  private readonly words: Int32Array;

  private constructor(kernel: NewlineKernel, checkFn: (a: number, nl: number, state: number) => number) {
    this.checkFn = checkFn;
    this.state = kernel.scratchAt;
    this.key = new Uint8Array(kernel.memory.buffer, kernel.scratchAt, T.dayKeyLength);
    this.words = new Int32Array(kernel.memory.buffer, kernel.scratchAt + CLIENT_END_AT, 6);
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
      const { check } = new c.wasm.Instance(c.module, { env: { memory: kernel.memory } }).exports as { check: (a: number, nl: number, state: number) => number };
      const k = new CombinedKernel(kernel, check);
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
