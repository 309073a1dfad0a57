// The combined fast path's per-line check in WebAssembly: the same strict reading of
// `client - user [dd/Mon/yyyy:HH:MM:SS +hhmm] "request" status bytes "referer" "agent"` as
// CombinedScanner's JS (combined-scan.ts), on the bytes the newline kernel's memory holds, without
// JavaScript's bounds checks. CombinedScanner uses it when its bytes are in that memory and keeps the
// JS for the rest; test/fast-path.test.ts runs both against the line reader.
//
//   check(a, nl, state) -> status << 17 | second of the day, when b[a, nl) is plainly combined with a
//   status below 500 and the day of the key at `state` (17 bytes: "dd/Mon/yyyy" and " +hhmm");
//   -2 when it is plain up to its time but of another day (the JS reads the day and calls again);
//   -1 otherwise. It stores where the client ends at state + 32 and where the time starts at state + 36.
import type { NewlineKernel } from './newline-kernel.ts';
import {
  BLOCK, BR, BR_IF, byteAt, compile, END, expectByte, get, I32, I32_ADD, I32_AND, I32_EQ, I32_EQZ, I32_GE_S, I32_GE_U, i32, I32_MUL,
  I32_NE, I32_OR, I32_SHL, I32_STORE, I32_SUB, IF, LOOP, moduleBytes, returnIf, set, skipTo as skipToLimit, VOID,
} from './wasm-asm.ts';

const SP = 0x20;
const QUOTE = 0x22;
const DASH = 0x2d;
const COLON = 0x3a;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
/** As OPEN_TAIL_LIMIT in combined-scan.ts: the agent's closing quote may be missing only in a shorter tail. */
const OPEN_TAIL_LIMIT = 4096;
export const STATUS_SHIFT = 17;
const CLIENT_END_AT = 32;
const TIME_AT = 36;

// locals: params a, nl, state; then i, t, x, y, z, code, sec, j
const L = { A: 0, NL: 1, STATE: 2, I: 3, T: 4, X: 5, Y: 6, Z: 7, CODE: 8, SEC: 9, J: 10 };

const slowIf = (cond: number[]): number[] => returnIf(cond, -1);
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
  ...slowIf(pastLine(L.T, 29)),
  ...expect(L.T, 26, RBRACKET), ...expect(L.T, 27, SP), ...expect(L.T, 28, QUOTE),
  ...get(L.STATE), ...get(L.T), I32_STORE, 2, TIME_AT,
  // the day and zone against the key
  ...[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].flatMap((k) => returnIf([...byteAt(L.T, k), ...byteAt(L.STATE, k), I32_NE], -2)),
  ...[0, 1, 2, 3, 4, 5].flatMap((k) => returnIf([...byteAt(L.T, 20 + k), ...byteAt(L.STATE, 11 + k), I32_NE], -2)),
  // HH:MM:SS
  ...expect(L.T, 11, COLON), ...expect(L.T, 14, COLON), ...expect(L.T, 17, COLON),
  ...twoDigits(L.SEC, L.T, 12),
  ...twoDigits(L.Z, L.T, 15),
  ...get(L.SEC), ...i32(60), I32_MUL, ...get(L.Z), I32_ADD, ...set(L.SEC),
  ...twoDigits(L.Z, L.T, 18),
  ...get(L.SEC), ...i32(60), I32_MUL, ...get(L.Z), I32_ADD, ...set(L.SEC),
  // the request: up to the first quote, which a space must follow
  ...get(L.T), ...i32(29), I32_ADD, ...set(L.I),
  ...skipTo(L.I, QUOTE),
  ...slowIf(pastLine(L.I, 1)),
  ...expect(L.I, 1, SP),
  // status: three digits below 500, the first not 0, then a space
  ...get(L.I), ...i32(2), I32_ADD, ...set(L.I),
  ...digitInto(L.X, L.I, 0), ...digitInto(L.Y, L.I, 1), ...digitInto(L.Z, L.I, 2),
  ...slowIf([...get(L.X), I32_EQZ]),
  ...get(L.X), ...i32(100), I32_MUL, ...get(L.Y), ...i32(10), I32_MUL, I32_ADD, ...get(L.Z), I32_ADD, ...set(L.CODE),
  ...slowIf([...get(L.CODE), ...i32(500), I32_GE_U]),
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

/** The per-line check on a newline kernel's memory; null where WebAssembly is not available. */
export class CombinedKernel {
  private readonly checkFn: (a: number, nl: number, state: number) => number;
  private readonly state: number;
  private readonly key: Uint8Array;
  private readonly words: Int32Array;

  private constructor(kernel: NewlineKernel, checkFn: (a: number, nl: number, state: number) => number) {
    this.checkFn = checkFn;
    this.state = kernel.scratchAt;
    this.key = new Uint8Array(kernel.memory.buffer, kernel.scratchAt, 17);
    this.words = new Int32Array(kernel.memory.buffer, kernel.scratchAt + CLIENT_END_AT, 2);
  }

  static create(kernel: NewlineKernel): CombinedKernel | null {
    const c = compile(MODULE_BYTES);
    if (!c) return null;
    try {
      const { check } = new c.wasm.Instance(c.module, { env: { memory: kernel.memory } }).exports as { check: (a: number, nl: number, state: number) => number };
      return new CombinedKernel(kernel, check);
    } catch {
      return null;
    }
  }

  /** See the top of this file. */
  check(a: number, nl: number): number {
    return this.checkFn(a, nl, this.state);
  }

  /** Where the client of the last line checked ends. */
  get clientEnd(): number {
    return this.words[0] ?? 0;
  }

  /** Where the time of the last line checked starts (after its '['). */
  get timeStart(): number {
    return this.words[1] ?? 0;
  }

  /** Sets the day key: 17 bytes, "dd/Mon/yyyy" and " +hhmm"; zeros match no line. */
  setDay(key: Uint8Array): void {
    this.key.set(key);
  }

  clearDay(): void {
    this.key.fill(0);
  }
}

