// Finds and counts newlines 16 bytes at a time: a small WebAssembly SIMD module, written out here
// instruction by instruction (no toolchain needed), that reads the bytes where readSync put them, in
// the module's own memory. The line splitters use `find` (one call per 64 KiB instead of one indexOf
// per line); the line counter of --since/--until seeks uses `count`. Where WebAssembly SIMD is not
// available, `NewlineKernel.create` gives null and the callers use Buffer.indexOf.

const NL = 0x0a;
const PAGE = 1 << 16;
/** `find` looks at most this many bytes per call, so its output fits FIND_CHUNK / 1 positions. */
export const FIND_CHUNK = 1 << 16;
/** Bytes after the data that a vector load at its end may touch, and that `count` pads with zeros. */
const SLACK = 64;

// --- instructions ---
const LOCAL_GET = 0x20;
const LOCAL_SET = 0x21;
const LOCAL_TEE = 0x22;
const I32_CONST = 0x41;
const I32_EQZ = 0x45;
const I32_LT_U = 0x49;
const I32_GE_U = 0x4f;
const I32_CTZ = 0x68;
const I32_ADD = 0x6a;
const I32_SUB = 0x6b;
const I32_AND = 0x71;
const I32_SHR_U = 0x76;
const I32_STORE = 0x36;
const BLOCK = 0x02;
const LOOP = 0x03;
const BR = 0x0c;
const BR_IF = 0x0d;
const END = 0x0b;
const VOID = 0x40;
const I32 = 0x7f;
const V128 = 0x7b;
const simd = (op: number): number[] => [0xfd, op];
const V128_LOAD = 0x00;
const I8X16_SPLAT = 0x0f;
const I32X4_EXTRACT_LANE = 0x1b;
const I8X16_EQ = 0x23;
const I8X16_BITMASK = 0x64;
const I8X16_SUB = 0x71;
const I16X8_EXTADD_PAIRWISE_I8X16_U = 0x7d;
const I32X4_EXTADD_PAIRWISE_I16X8_U = 0x7f;

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
// up to whole 16-byte vectors, as i32 at out, out + 4, …; the caller drops those past its end.
// marks(ptr, len, out) -> n: the same for newlines and double quotes together, in order.
const F = { PTR: 0, LEN: 1, OUT: 2, STOP: 3, MASK: 4, AT: 5, NLS: 6, QUOTES: 7, VEC: 8 };
const V128_OR = 0x50;
const QUOTE = 0x22;
const findBody = (withQuotes: boolean): number[] => [
  2, 3, I32, 3, V128,
  LOCAL_GET, F.PTR, LOCAL_GET, F.LEN, I32_ADD, LOCAL_SET, F.STOP,
  LOCAL_GET, F.OUT, LOCAL_SET, F.AT,
  I32_CONST, NL, ...simd(I8X16_SPLAT), LOCAL_SET, F.NLS,
  I32_CONST, QUOTE, ...simd(I8X16_SPLAT), LOCAL_SET, F.QUOTES,
  BLOCK, VOID,
  LOCAL_GET, F.PTR, LOCAL_GET, F.STOP, I32_GE_U, BR_IF, 0,
  LOOP, VOID,
  ...(withQuotes
    ? [
      LOCAL_GET, F.PTR, ...simd(V128_LOAD), 0, 0, LOCAL_TEE, F.VEC, LOCAL_GET, F.NLS, ...simd(I8X16_EQ),
      LOCAL_GET, F.VEC, LOCAL_GET, F.QUOTES, ...simd(I8X16_EQ),
      ...simd(V128_OR),
    ]
    : [LOCAL_GET, F.PTR, ...simd(V128_LOAD), 0, 0, LOCAL_GET, F.NLS, ...simd(I8X16_EQ)]),
  ...simd(I8X16_BITMASK), LOCAL_SET, F.MASK,
  BLOCK, VOID,
  LOOP, VOID,
  LOCAL_GET, F.MASK, I32_EQZ, BR_IF, 1,
  // *at = ptr + ctz(mask); at += 4; mask &= mask - 1
  LOCAL_GET, F.AT, LOCAL_GET, F.PTR, LOCAL_GET, F.MASK, I32_CTZ, I32_ADD, I32_STORE, 2, 0,
  LOCAL_GET, F.AT, I32_CONST, 4, I32_ADD, LOCAL_SET, F.AT,
  LOCAL_GET, F.MASK, LOCAL_GET, F.MASK, I32_CONST, 1, I32_SUB, I32_AND, LOCAL_SET, F.MASK,
  BR, 0,
  END,
  END,
  LOCAL_GET, F.PTR, I32_CONST, 16, I32_ADD, LOCAL_TEE, F.PTR, LOCAL_GET, F.STOP, I32_LT_U, BR_IF, 0,
  END,
  END,
  LOCAL_GET, F.AT, LOCAL_GET, F.OUT, I32_SUB, I32_CONST, 2, I32_SHR_U, END,
];

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (s: string): number[] => [s.length, ...Buffer.from(s, 'latin1')];
const code = (body: number[]): number[] => [...uleb(body.length), ...body];

const MODULE_BYTES = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
  // types: 0 (i32, i32) -> i32, 1 (i32, i32, i32) -> i32; functions: count, find, marks
  ...section(1, [2, 0x60, 2, I32, I32, 1, I32, 0x60, 3, I32, I32, I32, 1, I32]),
  // imports: env.memory, at least one page
  ...section(2, [1, ...name('env'), ...name('memory'), 2, 0, 1]),
  ...section(3, [3, 0, 1, 1]),
  ...section(7, [3, ...name('count'), 0, 0, ...name('find'), 0, 1, ...name('marks'), 0, 2]),
  ...section(10, [3, ...code(countBody), ...code(findBody(false)), ...code(findBody(true))]),
]);

/** The part of the WebAssembly global used here (the project's type libraries do not declare it). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
  readonly Memory: new (desc: { initial: number }) => { readonly buffer: ArrayBuffer };
}

let compiled: object | null | undefined;

function compiledModule(): { wasm: WasmApi; module: object } | null {
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (compiled === undefined) {
    try {
      compiled = wasm?.validate(MODULE_BYTES) ? new wasm.Module(MODULE_BYTES) : null;
    } catch {
      compiled = null;
    }
  }
  return wasm && compiled ? { wasm, module: compiled } : null;
}

type Finder = (ptr: number, len: number, out: number) => number;

/** One kernel instance with its own memory: a data buffer of the size asked for, and room for `find`'s output. */
export class NewlineKernel {
  /** The data buffer: put bytes here (readSync into it), then count or find in it. */
  readonly bytes: Buffer;
  /** The positions the last `find` wrote. */
  readonly found: Int32Array;
  private readonly countFn: (ptr: number, len: number) => number;
  private readonly findFn: Finder;
  private readonly marksFn: Finder;
  private readonly outAt: number;

  private constructor(bytes: Buffer, found: Int32Array, outAt: number, countFn: (ptr: number, len: number) => number, findFn: Finder, marksFn: Finder) {
    this.bytes = bytes;
    this.found = found;
    this.outAt = outAt;
    this.countFn = countFn;
    this.findFn = findFn;
    this.marksFn = marksFn;
  }

  /** A kernel whose data buffer holds `dataBytes`; null where WebAssembly SIMD is not available. */
  static create(dataBytes: number): NewlineKernel | null {
    const c = compiledModule();
    if (!c) return null;
    try {
      const outAt = Math.ceil((dataBytes + SLACK) / 16) * 16;
      const memory = new c.wasm.Memory({ initial: Math.ceil((outAt + FIND_CHUNK * 4) / PAGE) });
      const { count, find, marks } = new c.wasm.Instance(c.module, { env: { memory } }).exports as { count: (ptr: number, len: number) => number; find: Finder; marks: Finder };
      return new NewlineKernel(Buffer.from(memory.buffer, 0, dataBytes), new Int32Array(memory.buffer, outAt, FIND_CHUNK), outAt, count, find, marks);
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
   * up to the next 16-byte step: the caller stops at its own end. Returns how many were written.
   */
  find(start: number, end: number): number {
    return this.findFn(start, Math.min(end - start, FIND_CHUNK), this.outAt);
  }

  /** `find` for newlines and double quotes together (the caller tells them apart by their byte). */
  findMarks(start: number, end: number): number {
    return this.marksFn(start, Math.min(end - start, FIND_CHUNK), this.outAt);
  }
}
