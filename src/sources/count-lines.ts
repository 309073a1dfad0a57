// Counts the lines of a byte range of a plain file without reading them: for the part of a log before
// a --since/--until window, whose lines still number the ones in it. Reading the bytes from the page
// cache is the cost; the newlines are counted by the SIMD kernel (newline-kernel.ts) in the block
// where readSync put them, with a plain JS count as the fallback.
import { closeSync, openSync, readSync } from 'node:fs';
import { NewlineKernel } from './newline-kernel.ts';
import { kernelOff } from './wasm-asm.ts';

/** Lines of a range, and how many of them are longer than the line limit (skipped by the readers). */
export interface LineCount {
  lines: number;
  oversize: number;
}

const NL = 0x0a;
/** Bytes per block: 1 MiB, a multiple of the kernel's 64-byte step. */
const KERNEL_BLOCK = 1 << 20;

let kernel: NewlineKernel | null | undefined;

/** This thread's counting kernel (its data buffer holds one block), or null without WebAssembly SIMD. */
function simdKernel(): NewlineKernel | null {
  if (kernelOff('newline')) return null;
  if (kernel === undefined) kernel = NewlineKernel.create(KERNEL_BLOCK);
  return kernel;
}

/** Whether this runtime runs the SIMD kernel (else lines are counted by indexOf). */
export function simdAvailable(): boolean {
  return simdKernel() !== null;
}

/** Newlines in b[0, n), by the kernel when `b` is its buffer, else by indexOf. */
function newlines(b: Buffer, n: number, k: NewlineKernel | null): number {
  if (k && b === k.bytes) return k.count(0, n);
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
  const b = k && !exact ? k.bytes : Buffer.allocUnsafe(blockBytes);
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
