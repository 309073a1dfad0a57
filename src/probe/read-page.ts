// Reads a saved response for `diagnose --page`: a file, a FIFO or stdin ('-'), at most 4 MiB, refusing
// directories and devices; errors carry a stable code and one line.
import { createReadStream, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { FivexxError, fsErrorCode } from '../errors/codes.ts';

const LIMIT = 4 << 20;

async function readBounded(stream: Readable, what: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of stream as AsyncIterable<Buffer>) {
    chunks.push(c.subarray(0, LIMIT - size));
    size += c.length;
    if (size >= LIMIT) {
      stream.destroy();
      break;
    }
  }
  const buf = Buffer.concat(chunks);
  if (buf.length === 0) throw new FivexxError('FIVEXX_PAGE_UNREADABLE', `${what}: empty, no response to read`);
  if (buf.subarray(0, 8192).includes(0)) throw new FivexxError('FIVEXX_PAGE_UNREADABLE', `${what}: binary data, not a saved HTTP response or page`);
  return buf.toString('utf8');
}

/** The text of the saved response at `path` ('-' for stdin). */
export async function readPage(path: string, stdin: Readable = process.stdin): Promise<string> {
  if (path === '-') return readBounded(stdin, 'stdin');
  let st;
  try {
    st = statSync(path);
  } catch (err) {
    throw new FivexxError(fsErrorCode(err), `--page ${path}: ${(err as NodeJS.ErrnoException).code ?? 'cannot read'}`);
  }
  if (st.isDirectory()) throw new FivexxError('FIVEXX_PAGE_UNREADABLE', `--page ${path}: a directory, not a saved response`);
  if (st.isCharacterDevice() || st.isBlockDevice()) throw new FivexxError('FIVEXX_PATH_DEVICE', `--page ${path}: a device, not a saved response`);
  try {
    return await readBounded(createReadStream(path), `--page ${path}`);
  } catch (err) {
    if (err instanceof FivexxError) throw err;
    throw new FivexxError(fsErrorCode(err), `--page ${path}: ${(err as NodeJS.ErrnoException).code ?? 'cannot read'}`);
  }
}
