// Counts the lines of a byte range of a plain file without reading them: for the parts of a log that
// a --since/--until seek leaves out, whose lines still number the ones after them. Reading the bytes
// from the page cache is the cost; the newlines are counted 16 bytes at a time by a small WebAssembly
// SIMD kernel that reads the block where readSync put it, with a plain JS count as the fallback.
import { closeSync, openSync, readSync } from 'node:fs';

/** Lines of a range, and how many of them are longer than the line limit (skipped by the readers). */
export interface LineCount {
  lines: number;
  oversize: number;
}

const NL = 0x0a;
/** Bytes per block: 1 MiB, a multiple of the kernel's 64-byte step. */
const KERNEL_BLOCK = 1 << 20;
const PAGE = 1 << 16;

// --- the kernel: count(ptr, len) -> newlines in memory[ptr, ptr + len), len a multiple of 64 ---
// Each step compares four 16-byte vectors with '\n' and subtracts the results (0 or -1 a byte) from a
// vector of 16 byte counters; after at most 63 steps (252 per counter, below 256) the counters are
// added up into the count. About 55 GB/s on one core here: the read from the page cache is the cost.
const LOCAL_GET = 0x20;
const LOCAL_SET = 0x21;
const LOCAL_TEE = 0x22;
const I32_CONST = 0x41;
const I32_GE_U = 0x4f;
const I32_LT_U = 0x49;
const I32_ADD = 0x6a;
const I32_SUB = 0x6b;
const BLOCK = 0x02;
const LOOP = 0x03;
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
const I8X16_SUB = 0x71;
const I16X8_EXTADD_PAIRWISE_I8X16_U = 0x7d;
const I32X4_EXTADD_PAIRWISE_I16X8_U = 0x7f;
// locals: params ptr, len; i32 end, count, steps left; v128 splat of '\n', byte counters, sums
const [PTR, LEN, STOP, COUNT, STEPS, NLS, ACC, SUMS] = [0, 1, 2, 3, 4, 5, 6, 7];
const STEPS_PER_FOLD = 63;

/** counters -= (load(ptr + off) == '\n'), for one 16-byte vector. */
const countVector = (off: number): number[] => [
  LOCAL_GET, ACC, LOCAL_GET, PTR, ...simd(V128_LOAD), 4, off,
  LOCAL_GET, NLS, ...simd(I8X16_EQ), ...simd(I8X16_SUB), LOCAL_SET, ACC,
];

/** count += the sum of the 16 byte counters. */
const fold = [
  LOCAL_GET, COUNT,
  LOCAL_GET, ACC, ...simd(I16X8_EXTADD_PAIRWISE_I8X16_U), ...simd(I32X4_EXTADD_PAIRWISE_I16X8_U), LOCAL_TEE, SUMS,
  ...simd(I32X4_EXTRACT_LANE), 0,
  LOCAL_GET, SUMS, ...simd(I32X4_EXTRACT_LANE), 1, I32_ADD,
  LOCAL_GET, SUMS, ...simd(I32X4_EXTRACT_LANE), 2, I32_ADD,
  LOCAL_GET, SUMS, ...simd(I32X4_EXTRACT_LANE), 3, I32_ADD,
  I32_ADD, LOCAL_SET, COUNT,
];

const kernelBody = [
  3, 3, I32, 2, V128, 1, V128,
  LOCAL_GET, PTR, LOCAL_GET, LEN, I32_ADD, LOCAL_SET, STOP,
  I32_CONST, NL, ...simd(I8X16_SPLAT), LOCAL_SET, NLS,
  BLOCK, VOID,
  LOCAL_GET, PTR, LOCAL_GET, STOP, I32_GE_U, BR_IF, 0,
  LOOP, VOID,
  I32_CONST, 0, ...simd(I8X16_SPLAT), LOCAL_SET, ACC,
  I32_CONST, STEPS_PER_FOLD, LOCAL_SET, STEPS,
  BLOCK, VOID,
  LOOP, VOID,
  ...countVector(0), ...countVector(16), ...countVector(32), ...countVector(48),
  // ptr += 64 (signed LEB128: 0xc0 0x00); out to the fold at the end, else on while steps are left
  LOCAL_GET, PTR, I32_CONST, 0xc0, 0x00, I32_ADD, LOCAL_TEE, PTR, LOCAL_GET, STOP, I32_GE_U, BR_IF, 1,
  LOCAL_GET, STEPS, I32_CONST, 1, I32_SUB, LOCAL_TEE, STEPS, BR_IF, 0,
  END,
  END,
  ...fold,
  LOCAL_GET, PTR, LOCAL_GET, STOP, I32_LT_U, BR_IF, 0,
  END,
  END,
  LOCAL_GET, COUNT, END,
];

const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (s: string): number[] => [s.length, ...Buffer.from(s, 'latin1')];
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

const PAGES = (KERNEL_BLOCK + 64) / PAGE + 1;
const kernelModule = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
  ...section(1, [1, 0x60, 2, I32, I32, 1, I32]),
  ...section(3, [1, 0]),
  ...section(5, [1, 0, PAGES]),
  ...section(7, [2, ...name('count'), 0, 0, ...name('memory'), 2, 0]),
  ...section(10, [1, ...uleb(kernelBody.length), ...kernelBody]),
]);

interface Kernel {
  readonly count: (ptr: number, len: number) => number;
  readonly bytes: Buffer;
}

/** The part of the WebAssembly global this module uses (the project's type libraries do not declare it). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object) => { readonly exports: Record<string, unknown> };
}

let kernel: Kernel | null | undefined;

/** The SIMD kernel of this thread, or null where WebAssembly SIMD is not available. */
function simdKernel(): Kernel | null {
  if (kernel !== undefined) return kernel;
  kernel = null;
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  try {
    if (wasm?.validate(kernelModule)) {
      const { count, memory } = new wasm.Instance(new wasm.Module(kernelModule)).exports as { count: (ptr: number, len: number) => number; memory: { buffer: ArrayBuffer } };
      kernel = { count, bytes: Buffer.from(memory.buffer, 0, KERNEL_BLOCK + 64) };
    }
  } catch {
    kernel = null;
  }
  return kernel;
}

/** Whether this runtime runs the SIMD kernel (else lines are counted by indexOf). */
export function simdAvailable(): boolean {
  return simdKernel() !== null;
}

/** Newlines in b[0, n), by the kernel when it has `b` (its own memory), else by indexOf. */
function newlines(b: Buffer, n: number, k: Kernel | null): number {
  if (k && b.buffer === k.bytes.buffer) {
    const padded = (n + 63) & ~63;
    b.fill(0, n, padded);
    return k.count(0, padded);
  }
  let c = 0;
  for (let i = b.indexOf(NL, 0); i >= 0 && i < n; i = b.indexOf(NL, i + 1)) c++;
  return c;
}

/**
 * Counts the lines of bytes [start, end) of a file, `start` being a line start: a last line without
 * a newline counts, and lines longer than `maxLine` bytes are counted in `oversize` as the line
 * readers skip them. `onBytes` hears how far it got. `useKernel: false` forces the JS count (tests).
 */
export function countLines(path: string, start: number, end: number, maxLine: number, onBytes?: (n: number) => void, useKernel = true): LineCount {
  const k = useKernel ? simdKernel() : null;
  // Lines inside a block are shorter than the block; the only line that can be over the limit is
  // one that crosses a block boundary, checked from the last newline of the blocks before.
  const blockBytes = Math.max(64, Math.min(KERNEL_BLOCK, maxLine + 1));
  const exact = blockBytes > maxLine + 1;
  const b = k && !exact ? k.bytes : Buffer.allocUnsafe(blockBytes + 64);
  const out: LineCount = { lines: 0, oversize: 0 };
  let lastNl = start - 1;
  const fd = openSync(path, 'r');
  try {
    let pos = start;
    let reported = start;
    while (pos < end) {
      const n = readSync(fd, b, 0, Math.min(blockBytes, end - pos), pos);
      if (n === 0) break;
      if (exact) {
        // Tiny line limits (tests): every line is measured.
        for (let i = b.indexOf(NL, 0); i >= 0 && i < n; i = b.indexOf(NL, i + 1)) {
          out.lines++;
          if (pos + i - lastNl - 1 > maxLine) out.oversize++;
          lastNl = pos + i;
        }
      } else {
        const c = newlines(b, n, k);
        if (c > 0) {
          const first = pos + b.indexOf(NL, 0);
          if (first - lastNl - 1 > maxLine) out.oversize++;
          out.lines += c;
          lastNl = pos + b.subarray(0, n).lastIndexOf(NL);
        }
      }
      pos += n;
      if (onBytes && pos - reported >= 32 << 20) {
        onBytes(pos - start);
        reported = pos;
      }
    }
    if (pos > lastNl + 1) {
      out.lines++;
      if (pos - lastNl - 1 > maxLine) out.oversize++;
    }
    onBytes?.(pos - start);
  } finally {
    closeSync(fd);
  }
  return out;
}
