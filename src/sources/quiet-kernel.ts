// The quiet-record check of nginx error logs in WebAssembly, an accelerator of the reference in
// quiet-records.ts (QuietReference, behind the same QuietCheck interface), on the newline kernel's memory: is
// b[a, nl) a plain timed record ("2026/11/20 14:02:09 [level] …", parse/nginx-error.ts `plainStart`),
// and does any byte screen key (literals.ts, `strideBitmap`) occur at every STRIDE-th byte of its
// message (after the level's "] ", up to the last ", client: ")? No key: quiet, as the exact screen
// would say (it looks at the same bytes); a key found sends the line to the exact check in JS.
//
//   check(a, nl, state) -> -1 not a plain record start; 0 quiet; 1 maybe (ask the exact screen)
//   state: the stride at state + 8 (i32), the 4 KiB bitmap of keys at state + 64, then the skip table.
import type { NewlineKernel } from './newline-kernel.ts';
import type { QuietCheck } from './quiet-records.ts';
import { NGINX_ERROR_START as START } from '../parse/line-shapes.ts';
import { CLIENT_TAIL as TAIL, CLIENT_TAIL_SKIP as TAIL_SKIP } from '../parse/nginx-error.ts';
import { SCRATCH_BYTES } from './newline-kernel.ts';
import {
  BLOCK, BR, BR_IF, byteAt, compile, END, expectByte as expect, get, I32, I32_ADD, I32_AND, I32_EQ, I32_GE_U, I32_GT_U, i32, I32_LE_S,
  I32_LOAD, I32_LOAD8_U, I32_LT_S, I32_MUL, I32_SHR_U, I32_SUB, IF, LOOP, moduleBytes, returnIf, set, skipTo, uleb, VOID,
} from './wasm-asm.ts';

const STRIDE_AT = 8;
const BITMAP_AT = 64;
const BITMAP_BYTES = 4096;
const SKIP_AT = BITMAP_AT + BITMAP_BYTES;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
/** Scratch bytes this kernel needs of the newline kernel's memory. */
export const QUIET_SCRATCH = SKIP_AT + 256;

// locals: params a, nl, state; then close, i, key, stride
const L = { A: 0, NL: 1, STATE: 2, CLOSE: 3, I: 4, KEY: 5, STRIDE: 6, END: 7 };

const checkBody = [
  1, 5, I32,
  // the record start, as plainStart in parse/nginx-error.ts reads it (parse/line-shapes.ts)
  ...returnIf([...get(L.NL), ...get(L.A), I32_SUB, ...i32(START.length), I32_LE_S], -1),
  ...START.fixed.flatMap(([at, c]) => expect(L.A, at, c)),
  ...START.digits.flatMap((d) => returnIf([...byteAt(L.A, d), ...i32(48), I32_SUB, ...i32(10), I32_GE_U], -1)),
  // the level's closing ']'
  ...get(L.A), ...i32(START.length), I32_ADD, ...set(L.CLOSE),
  ...skipTo(L.CLOSE, START.levelEnd, L.NL),
  ...returnIf([...get(L.CLOSE), ...get(L.NL), I32_GE_U], -1),
  // the message ends at the last ", client: " after close + 2 (a backward Horspool search), else at nl
  ...get(L.NL), ...set(L.END),
  ...get(L.NL), ...i32(TAIL.length), I32_SUB, ...set(L.I),
  BLOCK, VOID, LOOP, VOID,
  ...get(L.I), ...get(L.CLOSE), ...i32(3), I32_ADD, I32_LT_S, BR_IF, 1,
  ...byteAt(L.I, 0), ...i32(TAIL[0] ?? 0), I32_EQ, IF, VOID,
  ...[...TAIL.subarray(1)].flatMap((c, j) => [...byteAt(L.I, j + 1), ...i32(c), I32_EQ]),
  ...Array.from({ length: TAIL.length - 2 }, () => I32_AND),
  IF, VOID, ...get(L.I), ...set(L.END), BR, 3, END,
  END,
  // i -= skip[b[i]]
  ...get(L.I),
  ...get(L.STATE), ...byteAt(L.I, 0), I32_ADD, I32_LOAD8_U, 0, ...uleb(SKIP_AT),
  I32_SUB, ...set(L.I),
  BR, 0,
  END, END,
  // keys at close + 2, + stride, … while three bytes remain before the message's end
  ...get(L.STATE), I32_LOAD, 2, STRIDE_AT, ...set(L.STRIDE),
  ...get(L.CLOSE), ...i32(2), I32_ADD, ...set(L.I),
  BLOCK, VOID, LOOP, VOID,
  ...get(L.I), ...i32(3), I32_ADD, ...get(L.END), I32_GT_U, BR_IF, 1,
  ...byteAt(L.I, 0), ...i32(1089), I32_MUL, ...byteAt(L.I, 1), ...i32(33), I32_MUL, I32_ADD, ...byteAt(L.I, 2), I32_ADD,
  ...i32(0x7fff), I32_AND, ...set(L.KEY),
  // bitmap[key >> 3] >> (key & 7) & 1
  ...returnIf([
    ...get(L.STATE), ...get(L.KEY), ...i32(3), I32_SHR_U, I32_ADD, I32_LOAD8_U, 0, ...uleb(BITMAP_AT),
    ...get(L.KEY), ...i32(7), I32_AND, I32_SHR_U, ...i32(1), I32_AND,
  ], 1),
  ...get(L.I), ...get(L.STRIDE), I32_ADD, ...set(L.I),
  BR, 0,
  END, END,
  ...i32(0),
  END,
];

const MODULE_BYTES = moduleBytes([{ name: 'check', params: 3, body: checkBody }]);

/** The check on a newline kernel's memory with a screen's keys; null where WebAssembly is not available. */
export class QuietKernel implements QuietCheck {
  private readonly checkFn: (a: number, nl: number, state: number) => number;
  private readonly state: number;

  private constructor(state: number, checkFn: (a: number, nl: number, state: number) => number) {
    this.state = state;
    this.checkFn = checkFn;
  }

  static create(kernel: NewlineKernel, screen: { readonly bits: Uint32Array; readonly stride: number }): QuietKernel | null {
    if (screen.bits.byteLength !== BITMAP_BYTES || !LITTLE_ENDIAN || SCRATCH_BYTES < QUIET_SCRATCH) return null;
    const c = compile(MODULE_BYTES, 'quiet');
    if (!c) return null;
    try {
      const { check } = new c.wasm.Instance(c.module, { env: { memory: kernel.memory } }).exports as { check: (a: number, nl: number, state: number) => number };
      new Int32Array(kernel.memory.buffer, kernel.scratchAt + STRIDE_AT, 1)[0] = screen.stride;
      // Little-endian words: bit k of the Uint32Array is bit k & 7 of byte k >> 3.
      new Uint8Array(kernel.memory.buffer, kernel.scratchAt + BITMAP_AT, BITMAP_BYTES).set(new Uint8Array(screen.bits.buffer, screen.bits.byteOffset, BITMAP_BYTES));
      new Uint8Array(kernel.memory.buffer, kernel.scratchAt + SKIP_AT, 256).set(TAIL_SKIP);
      return new QuietKernel(kernel.scratchAt, check);
    } catch {
      return null;
    }
  }

  /** As QuietCheck.check (quiet-records.ts): NOT_PLAIN, QUIET or MAYBE; `b` must be the kernel's own bytes. */
  check(_b: Uint8Array, a: number, nl: number): number {
    return this.checkFn(a, nl, this.state);
  }
}
