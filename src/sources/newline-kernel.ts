// Finds and counts newlines 16 bytes at a time: a small WebAssembly SIMD module, written out here
// instruction by instruction (wasm-asm.ts), that reads the bytes where readSync put them, in the
// module's own memory (which other kernels may share: combined-kernel.ts). The line splitters use `find` (one call per 64 KiB instead of one indexOf
// per line); the line counter of --since/--until seeks uses `count`. Where WebAssembly SIMD is not
// available, `NewlineKernel.create` gives null and the callers use Buffer.indexOf.

const NL = 0x0a;
const PAGE = 1 << 16;
/** `find` looks at most this many bytes per call, so its output fits FIND_CHUNK positions. */
export const FIND_CHUNK = 1 << 16;
/** Bytes after the data that a vector load at its end may touch, and that `count` pads with zeros. */
const SLACK = 64;
/** Bytes kept for other kernels' state (see `scratchAt`): 8 KiB, the error head kernel's tail cache (256 KiB) and its run's counts (16 KiB). */
export const SCRATCH_BYTES = 8192 + (256 << 10) + (16 << 10);

import {
  BLOCK, BR, BR_IF, compile, END, I16X8_EXTADD_PAIRWISE_I8X16_U, I32, I32_ADD, I32_CONST, I32_GE_U,
  I32_LT_U, I32_SHR_U, I32_STORE, I32_SUB, I32X4_EXTADD_PAIRWISE_I16X8_U, I32X4_EXTRACT_LANE, I8X16_BITMASK, I8X16_EQ,
  I8X16_SPLAT, I8X16_SUB, I32_WRAP_I64, I64, I64_AND, I64_CONST, I64_CTZ, I64_EQZ, I64_EXTEND_I32_U, I64_OR, I64_SHL, I64_SUB,
  LOCAL_GET, LOCAL_SET, LOCAL_TEE, LOOP, moduleBytes, simd, V128, V128_LOAD, VOID, type WasmMemory,
} from './wasm-asm.ts';

// count(ptr, len) -> newlines in memory[ptr, ptr + len), len a multiple of 64. Each step compares four
// 16-byte vectors with '\n' and subtracts the results (0 or -1 a byte) from 16 byte counters; after
// at most 63 steps (252 a counter, below 256) the counters are added into the count. About 55 GB/s
// on one core here: reading the bytes from the page cache is the cost, not counting them.
const C = { PTR: 0, LEN: 1, STOP: 2, COUNT: 3, STEPS: 4, NLS: 5, ACC: 6, SUMS: 7 };
const STEPS_PER_FOLD = 63;

/** counters -= (load(ptr + off) == '\n'), for one 16-byte vector. */
const countVector = (off: number): number[] => [
  LOCAL_GET, C.ACC, LOCAL_GET, C.PTR, ...simd(V128_LOAD), 4, off,
  LOCAL_GET, C.NLS, ...simd(I8X16_EQ), ...simd(I8X16_SUB), LOCAL_SET, C.ACC,
];

/** count += the sum of the 16 byte counters. */
const fold = [
  LOCAL_GET, C.COUNT,
  LOCAL_GET, C.ACC, ...simd(I16X8_EXTADD_PAIRWISE_I8X16_U), ...simd(I32X4_EXTADD_PAIRWISE_I16X8_U), LOCAL_TEE, C.SUMS,
  ...simd(I32X4_EXTRACT_LANE), 0,
  LOCAL_GET, C.SUMS, ...simd(I32X4_EXTRACT_LANE), 1, I32_ADD,
  LOCAL_GET, C.SUMS, ...simd(I32X4_EXTRACT_LANE), 2, I32_ADD,
  LOCAL_GET, C.SUMS, ...simd(I32X4_EXTRACT_LANE), 3, I32_ADD,
  I32_ADD, LOCAL_SET, C.COUNT,
];

const countBody = [
  2, 3, I32, 3, V128,
  LOCAL_GET, C.PTR, LOCAL_GET, C.LEN, I32_ADD, LOCAL_SET, C.STOP,
  I32_CONST, NL, ...simd(I8X16_SPLAT), LOCAL_SET, C.NLS,
  BLOCK, VOID,
  LOCAL_GET, C.PTR, LOCAL_GET, C.STOP, I32_GE_U, BR_IF, 0,
  LOOP, VOID,
  I32_CONST, 0, ...simd(I8X16_SPLAT), LOCAL_SET, C.ACC,
  I32_CONST, STEPS_PER_FOLD, LOCAL_SET, C.STEPS,
  BLOCK, VOID,
  LOOP, VOID,
  ...countVector(0), ...countVector(16), ...countVector(32), ...countVector(48),
  // ptr += 64 (signed LEB128: 0xc0 0x00); out to the fold at the end, else on while steps are left
  LOCAL_GET, C.PTR, I32_CONST, 0xc0, 0x00, I32_ADD, LOCAL_TEE, C.PTR, LOCAL_GET, C.STOP, I32_GE_U, BR_IF, 1,
  LOCAL_GET, C.STEPS, I32_CONST, 1, I32_SUB, LOCAL_TEE, C.STEPS, BR_IF, 0,
  END,
  END,
  ...fold,
  LOCAL_GET, C.PTR, LOCAL_GET, C.STOP, I32_LT_U, BR_IF, 0,
  END,
  END,
  LOCAL_GET, C.COUNT, END,
];

// find(ptr, len, out) -> n: writes the positions of the newlines of memory[ptr, ptr + len), rounded
// up to whole 64-byte steps, as i32 at out, out + 4, …; the caller drops those past its end. A step
// compares four 16-byte vectors with '\n' and joins their bitmasks into one 64-bit mask: a line of a
// few hundred bytes costs a few steps, one branch each, then one store per newline.
const F = { PTR: 0, LEN: 1, OUT: 2, STOP: 3, AT: 4, MASK: 5, NLS: 6 };
/** The 16 lanes of the vector at ptr + off that are '\n', as bits off..off + 15 of an i64. */
const laneBits = (off: number): number[] => [
  LOCAL_GET, F.PTR, ...simd(V128_LOAD), 4, off, LOCAL_GET, F.NLS, ...simd(I8X16_EQ), ...simd(I8X16_BITMASK), I64_EXTEND_I32_U,
  ...(off === 0 ? [] : [I64_CONST, off, I64_SHL]),
];
const findBody = [
  3, 2, I32, 1, I64, 1, V128,
  LOCAL_GET, F.PTR, LOCAL_GET, F.LEN, I32_ADD, LOCAL_SET, F.STOP,
  LOCAL_GET, F.OUT, LOCAL_SET, F.AT,
  I32_CONST, NL, ...simd(I8X16_SPLAT), LOCAL_SET, F.NLS,
  BLOCK, VOID,
  LOCAL_GET, F.PTR, LOCAL_GET, F.STOP, I32_GE_U, BR_IF, 0,
  LOOP, VOID,
  ...laneBits(0), ...laneBits(16), I64_OR, ...laneBits(32), I64_OR, ...laneBits(48), I64_OR, LOCAL_SET, F.MASK,
  BLOCK, VOID,
  LOOP, VOID,
  LOCAL_GET, F.MASK, I64_EQZ, BR_IF, 1,
  // *at = ptr + ctz(mask); at += 4; mask &= mask - 1
  LOCAL_GET, F.AT, LOCAL_GET, F.PTR, LOCAL_GET, F.MASK, I64_CTZ, I32_WRAP_I64, I32_ADD, I32_STORE, 2, 0,
  LOCAL_GET, F.AT, I32_CONST, 4, I32_ADD, LOCAL_SET, F.AT,
  LOCAL_GET, F.MASK, LOCAL_GET, F.MASK, I64_CONST, 1, I64_SUB, I64_AND, LOCAL_SET, F.MASK,
  BR, 0,
  END,
  END,
  // ptr += 64 (signed LEB128: 0xc0 0x00)
  LOCAL_GET, F.PTR, I32_CONST, 0xc0, 0x00, I32_ADD, LOCAL_TEE, F.PTR, LOCAL_GET, F.STOP, I32_LT_U, BR_IF, 0,
  END,
  END,
  LOCAL_GET, F.AT, LOCAL_GET, F.OUT, I32_SUB, I32_CONST, 2, I32_SHR_U, END,
];

const MODULE_BYTES = moduleBytes([
  { name: 'count', params: 2, body: countBody },
  { name: 'find', params: 3, body: findBody },
]);

type Finder = (ptr: number, len: number, out: number) => number;

/** One kernel instance with its own memory: a data buffer of the size asked for, and room for `find`'s output. */
export class NewlineKernel {
  /** The data buffer: put bytes here (readSync into it), then count or find in it. */
  readonly bytes: Buffer;
  /** The positions the last `find` wrote. */
  readonly found: Int32Array;
  /** The memory, for other kernels that read the same bytes (combined-kernel.ts). */
  readonly memory: WasmMemory;
  /** SCRATCH_BYTES of the memory that no function here uses: the state of such other kernels. */
  readonly scratchAt: number;
  private readonly countFn: (ptr: number, len: number) => number;
  private readonly findFn: Finder;
  private readonly outAt: number;

  private constructor(memory: WasmMemory, dataBytes: number, outAt: number, fns: { count: (ptr: number, len: number) => number; find: Finder }) {
    this.memory = memory;
    this.bytes = Buffer.from(memory.buffer, 0, dataBytes);
    this.found = new Int32Array(memory.buffer, outAt, FIND_CHUNK);
    this.outAt = outAt;
    this.scratchAt = outAt + FIND_CHUNK * 4;
    this.countFn = fns.count;
    this.findFn = fns.find;
  }

  /** A kernel whose data buffer holds `dataBytes`; null where WebAssembly SIMD is not available. */
  static create(dataBytes: number): NewlineKernel | null {
    const c = compile(MODULE_BYTES, 'newline');
    if (!c) return null;
    try {
      const outAt = Math.ceil((dataBytes + SLACK) / 16) * 16;
      const memory = new c.wasm.Memory({ initial: Math.ceil((outAt + FIND_CHUNK * 4 + SCRATCH_BYTES) / PAGE) });
      const fns = new c.wasm.Instance(c.module, { env: { memory } }).exports as { count: (ptr: number, len: number) => number; find: Finder };
      return new NewlineKernel(memory, dataBytes, outAt, fns);
    } catch {
      return null;
    }
  }

  /** Newlines in bytes[start, end); the SLACK bytes after `end` are overwritten. */
  count(start: number, end: number): number {
    const len = end - start;
    const padded = (len + 63) & ~63;
    new Uint8Array(this.bytes.buffer, start + len, padded - len).fill(0);
    return this.countFn(start, padded);
  }

  /**
   * Writes to `found` the positions of the newlines in bytes[start, start + FIND_CHUNK) and beyond,
   * up to the next 64-byte step: the caller stops at its own end. Returns how many were written.
   */
  find(start: number, end: number): number {
    return this.findFn(start, Math.min(end - start, FIND_CHUNK), this.outAt);
  }
}
