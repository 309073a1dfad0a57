// Reads a file's first 64 KiB of lines without reading the rest: format detection and zone discovery before reading.
import { openBytes } from './read-lines.ts';

const PEEK_BYTES = 64 * 1024;

/** The first complete lines of a file (decompressed when gzip); [] for stdin or an unreadable file. */
export async function peekLines(path: string, maxLines = 64): Promise<string[]> {
  if (path === '-') return [];
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    const { stream, raw } = await openBytes(path);
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
  }
  const lines = Buffer.concat(chunks).subarray(0, PEEK_BYTES).toString('utf8').split('\n');
  if (size >= PEEK_BYTES) lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)).filter((l) => l.trim() !== '').slice(0, maxLines);
}
