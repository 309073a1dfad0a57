// What the hand-written WebAssembly kernels share (newline-kernel.ts, combined-kernel.ts): opcodes by
// name, LEB128 numbers, sections, and compiling a module once per thread. The kernels are small
// enough to write out instruction by instruction, so the build needs no WebAssembly toolchain.

export const LOCAL_GET = 0x20;
export const LOCAL_SET = 0x21;
export const LOCAL_TEE = 0x22;
export const I32_LOAD = 0x28;
export const I64_LOAD = 0x29;
export const I32_LOAD8_U = 0x2d;
export const I32_STORE = 0x36;
export const I32_CONST = 0x41;
export const I32_EQZ = 0x45;
export const I32_EQ = 0x46;
export const I32_NE = 0x47;
export const I32_LT_S = 0x48;
export const I32_LT_U = 0x49;
export const I32_GT_U = 0x4b;
export const I32_LE_S = 0x4c;
export const I32_GE_S = 0x4e;
export const I32_GE_U = 0x4f;
export const I64_NE = 0x52;
export const I32_CTZ = 0x68;
export const I32_ADD = 0x6a;
export const I32_SUB = 0x6b;
export const I32_MUL = 0x6c;
export const I32_AND = 0x71;
export const I32_OR = 0x72;
export const I32_XOR = 0x73;
export const I32_SHL = 0x74;
export const I32_SHR_U = 0x76;
export const BLOCK = 0x02;
export const LOOP = 0x03;
export const IF = 0x04;
export const BR = 0x0c;
export const BR_IF = 0x0d;
export const RETURN = 0x0f;
export const END = 0x0b;
export const VOID = 0x40;
export const I32 = 0x7f;
export const V128 = 0x7b;
export const simd = (op: number): number[] => [0xfd, op];
export const V128_LOAD = 0x00;
export const I8X16_SPLAT = 0x0f;
export const I32X4_EXTRACT_LANE = 0x1b;
export const I8X16_EQ = 0x23;
export const V128_OR = 0x50;
export const I8X16_BITMASK = 0x64;
export const I8X16_SUB = 0x71;
export const I16X8_EXTADD_PAIRWISE_I8X16_U = 0x7d;
export const I32X4_EXTADD_PAIRWISE_I16X8_U = 0x7f;

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

/** Signed LEB128 (i32.const takes it). */
export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

// --- small instruction sequences the kernels are written with ---
export const get = (local: number): number[] => [LOCAL_GET, local];
export const set = (local: number): number[] => [LOCAL_SET, local];
export const i32 = (n: number): number[] => [I32_CONST, ...sleb(n)];
/** memory[local + off], a byte. */
export const byteAt = (local: number, off: number): number[] => [...get(local), I32_LOAD8_U, 0, ...uleb(off)];
/** Returns `value` when the condition (the i32 that `cond` leaves on the stack) is true. */
export const returnIf = (cond: number[], value: number): number[] => [...cond, IF, VOID, ...i32(value), RETURN, END];
/** Returns -1 unless memory[local + off] is `c`. */
export const expectByte = (local: number, off: number, c: number): number[] => returnIf([...byteAt(local, off), ...i32(c), I32_NE], -1);
/** while (local < limit && memory[local] != c) local++ */
export const skipTo = (local: number, c: number, limit: number): number[] => [
  BLOCK, VOID, LOOP, VOID,
  ...get(local), ...get(limit), I32_GE_U, BR_IF, 1,
  ...byteAt(local, 0), ...i32(c), I32_EQ, BR_IF, 1,
  ...get(local), ...i32(1), I32_ADD, ...set(local),
  BR, 0,
  END, END,
];

/**
 * The same as skipTo, 16 bytes a step (SIMD): the first `c` in memory[local, limit), else limit; local
 * unchanged when it starts at or past limit. A step may load up to 15 bytes past limit: the memory
 * must have them (the newline kernel keeps slack after its data). `mask`: an i32 local for scratch.
 */
export const skipToVector = (local: number, c: number, limit: number, mask: number): number[] => [
  BLOCK, VOID, LOOP, VOID,
  ...get(local), ...get(limit), I32_GE_U, BR_IF, 1,
  ...get(local), ...simd(V128_LOAD), 0, 0, ...i32(c), ...simd(I8X16_SPLAT), ...simd(I8X16_EQ), ...simd(I8X16_BITMASK), ...set(mask),
  ...get(mask), IF, VOID,
  ...get(local), ...get(mask), I32_CTZ, I32_ADD, ...set(local), ...clampTo(local, limit), BR, 2,
  END,
  ...get(local), ...i32(16), I32_ADD, ...set(local), ...clampTo(local, limit),
  BR, 0,
  END, END,
];
/** if (local > limit) local = limit */
const clampTo = (local: number, limit: number): number[] => [...get(local), ...get(limit), I32_GT_U, IF, VOID, ...get(limit), ...set(local), END];

/**
 * Returns `value` unless memory[a + offA, + n) equals memory[b + offB, + n) (locals a, b): compared a word
 * at a time (8 or 4 bytes, the last word overlapping the one before), not byte by byte.
 */
export function returnUnlessSame(a: number, offA: number, b: number, offB: number, n: number, value: number): number[] {
  const width = n >= 8 ? 8 : n >= 4 ? 4 : 1;
  const load = width === 8 ? I64_LOAD : width === 4 ? I32_LOAD : I32_LOAD8_U;
  const ne = width === 8 ? I64_NE : I32_NE;
  const at: number[] = [];
  for (let k = 0; k + width < n; k += width) at.push(k);
  at.push(n - width);
  return at.flatMap((k) => returnIf([...get(a), load, 0, ...uleb(offA + k), ...get(b), load, 0, ...uleb(offB + k), ne], value));
}

export const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
export const name = (s: string): number[] => [s.length, ...Buffer.from(s, 'latin1')];
/** A function body for the code section: its size, then its bytes. */
export const code = (body: number[]): number[] => [...uleb(body.length), ...body];

/** A module whose functions take (i32, i32) or (i32, i32, i32) and give i32, on an imported env.memory. */
export function moduleBytes(functions: readonly { name: string; params: 2 | 3; body: number[] }[]): Uint8Array {
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, [2, 0x60, 2, I32, I32, 1, I32, 0x60, 3, I32, I32, I32, 1, I32]),
    ...section(2, [1, ...name('env'), ...name('memory'), 2, 0, 1]),
    ...section(3, [functions.length, ...functions.map((f) => f.params - 2)]),
    ...section(7, [functions.length, ...functions.flatMap((f, i) => [...name(f.name), 0, i])]),
    ...section(10, [functions.length, ...functions.flatMap((f) => code(f.body))]),
  ]);
}

/** The part of the WebAssembly global used here (the project's type libraries do not declare it). */
export interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
  readonly Memory: new (desc: { initial: number }) => WasmMemory;
}

export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}

const compiled = new Map<Uint8Array, object | null>();

/** The kernels, by name: newline (newline-kernel.ts), combined (combined-kernel.ts), quiet (quiet-kernel.ts), error-head and error-run (error-head-kernel.ts). */
export type KernelName = 'newline' | 'combined' | 'quiet' | 'error-head' | 'error-run';

/**
 * Whether a kernel is switched off: FIVEXX_WASM=off switches off all of them, FIVEXX_WASM=off:combined,quiet
 * some. A kernel switched off is not compiled, so its check runs its JavaScript reference, as where
 * WebAssembly is missing: to measure what the kernels gain, and to show that they change nothing.
 */
export function kernelOff(name: KernelName, setting = process.env.FIVEXX_WASM ?? ''): boolean {
  if (setting === 'off') return true;
  return setting.startsWith('off:') && setting.slice(4).split(',').includes(name);
}

/** Compiles kernel `name`'s `bytes` once per thread; null where WebAssembly (or SIMD) is not available or it is switched off. */
export function compile(bytes: Uint8Array, name: KernelName): { wasm: WasmApi; module: object } | null {
  const wasm = kernelOff(name) ? undefined : (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (!compiled.has(bytes)) {
    try {
      compiled.set(bytes, wasm?.validate(bytes) ? new wasm.Module(bytes) : null);
    } catch {
      compiled.set(bytes, null);
    }
  }
  const module = compiled.get(bytes);
  return wasm && module ? { wasm, module } : null;
}

// --- added for the nginx error head kernel (error-head-kernel.ts) ---
export const I64_STORE = 0x37;
export const I32_STORE8 = 0x3a;
/** memory.copy (bulk memory): dst, src, n on the stack. */
export const SELECT = 0x1b;
export const I32_GT_S = 0x4a;
export const MEMORY_COPY = [0xfc, 0x0a, 0x00, 0x00];

/**
 * Sets local `result` to 1 when memory[x, x + n) equals memory[y, y + n) (x, y, n locals; n >= 0), else
 * 0: 8 bytes a step, the last word overlapping the one before when n >= 8, byte by byte below 8.
 * `j`: an i32 local for scratch.
 */
export const sameRun = (x: number, y: number, n: number, j: number, result: number): number[] => [
  ...i32(0), ...set(result), ...i32(0), ...set(j),
  BLOCK, VOID,
  ...get(n), ...i32(8), I32_GE_U, IF, VOID,
  // whole words while 8 bytes remain, then the last 8 bytes (overlapping)
  BLOCK, VOID, LOOP, VOID,
  ...get(j), ...i32(8), I32_ADD, ...get(n), I32_GT_U, BR_IF, 1,
  ...get(x), ...get(j), I32_ADD, I64_LOAD, 0, 0, ...get(y), ...get(j), I32_ADD, I64_LOAD, 0, 0, I64_NE, BR_IF, 3,
  ...get(j), ...i32(8), I32_ADD, ...set(j), BR, 0,
  END, END,
  ...get(x), ...get(n), I32_ADD, ...i32(8), I32_SUB, I64_LOAD, 0, 0, ...get(y), ...get(n), I32_ADD, ...i32(8), I32_SUB, I64_LOAD, 0, 0, I64_NE, BR_IF, 1,
  ...i32(1), ...set(result), BR, 1,
  END,
  BLOCK, VOID, LOOP, VOID,
  ...get(j), ...get(n), I32_GE_U, BR_IF, 1,
  ...get(x), ...get(j), I32_ADD, I32_LOAD8_U, 0, 0, ...get(y), ...get(j), I32_ADD, I32_LOAD8_U, 0, 0, I32_NE, BR_IF, 2,
  ...get(j), ...i32(1), I32_ADD, ...set(j), BR, 0,
  END, END,
  ...i32(1), ...set(result),
  END,
];
export const I32_LOAD16_U = 0x2f;
export const I32_ROTL = 0x77;
export const I64_CONST = 0x42;
export const I64_EQ = 0x51;

/** i64.const of the 8 bytes `bytes` read as a little-endian word (what i64.load gives). */
export function i64Bytes(bytes: Uint8Array): number[] {
  let n = 0n;
  for (let k = 7; k >= 0; k--) n = (n << 8n) | BigInt(bytes[k] ?? 0);
  n = BigInt.asIntN(64, n);
  const out: number[] = [I64_CONST];
  for (;;) {
    const b = Number(n & 0x7fn);
    n >>= 7n;
    if ((n === 0n && (b & 0x40) === 0) || (n === -1n && (b & 0x40) !== 0)) return [...out, b];
    out.push(b | 0x80);
  }
}

// --- added for the error head kernel's backward search and wide hash (error-head-kernel.ts) ---
export const I32_CLZ = 0x67;
export const I64 = 0x7e;
export const I64_XOR = 0x85;
export const I64_SHR_U = 0x88;
export const I64_ROTL = 0x89;
export const I32_WRAP_I64 = 0xa7;
export const I64_EXTEND_I32_U = 0xad;
export const V128_AND = 0x4e;
export const I64_EQZ = 0x50;
export const I64_CTZ = 0x7a;
export const I64_SUB = 0x7d;
export const I64_AND = 0x83;
export const I64_OR = 0x84;
export const I64_SHL = 0x86;
/** v128 local `v` = byte `c` in every lane. */
export const splatBytes = (c: number, v: number): number[] => [...i32(c), ...simd(I8X16_SPLAT), ...set(v)];

/**
 * The last position p in [floor, local] where memory[p] is `c` and memory[p + off2] is `c2` (found in
 * `local`), searched down from `local`, 16 positions a step while a whole step lies at or above `floor`,
 * then one by one; `local` < floor when there is none. Two bytes a candidate: few false ones, few
 * mispredicted branches. Positions are compared signed (local may end at floor - 1 = -1); the bytes up
 * to local + off2 must be readable. `mask`: an i32 local for scratch; `vc`, `vc2`: v128 locals holding
 * `c` and `c2` in every lane (splatBytes), set once before the search.
 */
export const skipBackVector = (local: number, c: number, off2: number, c2: number, floor: number, mask: number, vc: number, vc2: number): number[] => [
  BLOCK, VOID, LOOP, VOID,
  ...get(local), ...get(floor), I32_LT_S, BR_IF, 1,
  ...get(local), ...i32(15), I32_SUB, ...get(floor), I32_GE_S, IF, VOID,
  ...get(local), ...i32(15), I32_SUB, ...simd(V128_LOAD), 0, 0, ...get(vc), ...simd(I8X16_EQ),
  ...get(local), ...i32(15), I32_SUB, ...simd(V128_LOAD), 0, ...uleb(off2), ...get(vc2), ...simd(I8X16_EQ),
  ...simd(V128_AND), ...simd(I8X16_BITMASK), ...set(mask),
  ...get(mask), IF, VOID,
  // the highest lane that matched: local - 15 + (31 - clz(mask))
  ...get(local), ...i32(16), I32_ADD, ...get(mask), I32_CLZ, I32_SUB, ...set(local), BR, 3,
  END,
  ...get(local), ...i32(16), I32_SUB, ...set(local), BR, 1,
  END,
  ...byteAt(local, 0), ...i32(c), I32_EQ, ...byteAt(local, off2), ...i32(c2), I32_EQ, I32_AND, BR_IF, 1,
  ...get(local), ...i32(1), I32_SUB, ...set(local),
  BR, 0,
  END, END,
];
