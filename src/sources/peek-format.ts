// Reads a file's first 64 KiB of lines without reading the rest: format detection and zone discovery
// before reading. At most a few files are open at a time; pipes and devices are not opened here (a
// pipe can be read only once: the reader does that).
import { stat } from 'node:fs/promises';
import { openSource } from './open-source.ts';
import { openBytes } from './read-lines.ts';

const PEEK_BYTES = 64 * 1024;
/** Files peeked at once: each holds a descriptor, and a directory may hold thousands of files. */
const PEEK_AT_ONCE = 16;

let running = 0;
const waiting: (() => void)[] = [];

/** Runs `fn` when fewer than PEEK_AT_ONCE others run. */
async function bounded<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= PEEK_AT_ONCE) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** The first complete lines of a regular file (decompressed); [] for stdin, a pipe, a device or an unreadable file. */
export async function peekLines(path: string, maxLines = 64): Promise<string[]> {
  if (path === '-') return [];
  const regular = await stat(path).then((s) => s.isFile(), () => false);
  if (!regular) return [];
  return bounded(() => peekFile(path, maxLines));
}

async function peekFile(path: string, maxLines: number): Promise<string[]> {
  const chunks: Buffer[] = [];
  let size = 0;
  const src = await openSource(path);
  if (typeof src === 'string') return [];
  try {
    const { stream, raw } = await openBytes(src);
    try {
      for await (const chunk of stream) {
        chunks.push(chunk as Buffer);
        size += (chunk as Buffer).length;
        if (size >= PEEK_BYTES) break;
      }
    } finally {
      raw.destroy();
      stream.destroy();
    }
  } catch {
    // What was read before a damaged stream still counts.
  } finally {
    src.close();
  }
  const lines = Buffer.concat(chunks).subarray(0, PEEK_BYTES).toString('utf8').split('\n');
  if (size >= PEEK_BYTES) lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)).filter((l) => l.trim() !== '').slice(0, maxLines);
}
