// Opens a log source once: a regular file is read by position from that one descriptor (by every
// reader and worker), so a rotation mid-run cannot mix two files; a pipe, FIFO or stdin is read once,
// in order, as a stream. Devices are refused. At the end, a file that shrank or was replaced says so.
import { closeSync, createReadStream, existsSync, fstatSync, open, read, readSync, statSync, type Stats } from 'node:fs';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { coded, fsErrorCode } from '../errors/codes.ts';
import { compressionOf, MAGIC_BYTES, type Compression } from './decompress.ts';

const openAsync = promisify(open);

/** File calls for streams on a descriptor this module owns: destroying a stream must not close it (Node's would). */
const KEEP_OPEN = { open, read, close: (_fd: number, cb: (err: NodeJS.ErrnoException | null) => void): void => cb(null) };

/** One opened input. `regular`: a file read by position; otherwise a stream read once. */
export class Source {
  readonly path: string;
  readonly regular: boolean;
  readonly fd: number;
  /** Bytes at open (regular files); 0 for streams. */
  readonly size: number;
  /** Detected at open for regular files; streams are told apart on their first bytes. */
  readonly compression: Compression;
  private readonly dev: number;
  private readonly ino: number;
  private closed = false;
  private streamed = false;

  constructor(path: string, fd: number, st: Stats | undefined, compression: Compression) {
    this.path = path;
    this.fd = fd;
    this.regular = st?.isFile() ?? false;
    this.size = this.regular && st ? st.size : 0;
    this.dev = st?.dev ?? 0;
    this.ino = st?.ino ?? 0;
    this.compression = compression;
  }

  /**
   * The raw bytes: for a regular file a new stream from byte 0 at each call (positional reads on the
   * one descriptor); for a stream the one and only stream (a second call is a bug).
   */
  rawStream(): Readable {
    if (this.closed) throw new Error(`${this.path}: read after close`);
    if (this.regular) return this.track(createReadStream(this.path, { fd: this.fd, fs: KEEP_OPEN, start: 0, autoClose: false, highWaterMark: 1 << 20 }));
    if (this.streamed) throw new Error(`${this.path}: a stream can be read only once`);
    this.streamed = true;
    if (this.path === '-') return process.stdin;
    return this.track(createReadStream(this.path, { fd: this.fd, fs: KEEP_OPEN, autoClose: false, highWaterMark: 1 << 20 }));
  }

  /** Streams on the descriptor: it is closed only once they all are (a read in flight must not meet a closed, or reused, number). */
  private readonly live = new Set<Readable>();

  private track(stream: Readable): Readable {
    this.live.add(stream);
    // A stream given up (a head was enough) may still fail its last read: nobody listens then.
    stream.on('error', () => undefined);
    stream.once('close', () => {
      this.live.delete(stream);
      if (this.closed && this.live.size === 0) closeSync(this.fd);
    });
    return stream;
  }

  /** A path that opens this same file again (not the path, which may now name another file): for readers that take paths. */
  samePath(): string {
    return fdPath(this.fd);
  }

  /**
   * A FIVEXX_FILE_CHANGED warning when the file shrank while read (copytruncate), or its path now names
   * another file or none (an atomic rotation); `readTo`: the byte up to which a reader got.
   */
  changed(readTo?: number): string | undefined {
    if (!this.regular || this.closed) return undefined;
    const now = fstatSync(this.fd);
    const short = readTo !== undefined && readTo < this.size && this.compression === 'none';
    if (now.size < this.size || short) {
      const at = Math.min(now.size, readTo ?? now.size);
      return coded('FIVEXX_FILE_CHANGED', `shrank from ${this.size} to ${at} bytes while it was read (truncated, as by copytruncate): the lines after byte ${at} are missing`);
    }
    let st: Stats;
    try {
      st = statSync(this.path);
    } catch {
      return coded('FIVEXX_FILE_CHANGED', 'was renamed or removed while it was read (rotated): the file as it was when opened was read in full; a new file under that name was not read');
    }
    if (st.ino !== this.ino || st.dev !== this.dev) {
      return coded('FIVEXX_FILE_CHANGED', 'was replaced while it was read (rotated): the file as it was when opened was read in full; the new file under that name was not read');
    }
    return undefined;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.path === '-') return;
    if (this.live.size === 0) closeSync(this.fd);
    else for (const s of this.live) s.destroy();
  }
}

/** A path that opens the file open on descriptor `fd` again, the same file even if it was renamed or replaced. */
export function fdPath(fd: number): string {
  return existsSync('/proc/self/fd') ? `/proc/self/fd/${fd}` : `/dev/fd/${fd}`;
}

/** A one-line coded reason a path cannot be read, from a file-system error. */
export function unreadable(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const code = fsErrorCode(err);
  const why: Record<string, string> = {
    ENOENT: 'no such file (it may have vanished after it was listed)',
    ENOTDIR: 'no such file',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EMFILE: 'too many open files',
    ENFILE: 'too many open files in the system',
    EISDIR: 'is a directory',
    ENXIO: 'not a file that can be read (a socket?)',
    EIO: 'input/output error',
  };
  return coded(code, why[e.code ?? ''] ?? `cannot be read (${e.code ?? e.message})`);
}

/** Refuses devices; undefined for what may be read. */
export function deviceRefusal(st: Stats): string | undefined {
  if (st.isCharacterDevice() || st.isBlockDevice()) {
    return coded('FIVEXX_PATH_DEVICE', `a ${st.isCharacterDevice() ? 'character' : 'block'} device, not a log: refused`);
  }
  return undefined;
}

/** Opens `path` ('-' is stdin) once; a coded one-line reason (no path in it) when it cannot be read. */
export async function openSource(path: string): Promise<Source | string> {
  if (path === '-') return new Source(path, 0, undefined, 'none');
  let fd: number;
  try {
    // A device is refused before it is opened: opening some has effects (a tape rewinds).
    const refused = deviceRefusal(statSync(path));
    if (refused) return refused;
    fd = await openAsync(path, 'r');
  } catch (err) {
    return unreadable(err);
  }
  try {
    const st = fstatSync(fd);
    const refused = deviceRefusal(st);
    if (refused || st.isDirectory()) {
      closeSync(fd);
      return refused ?? coded('FIVEXX_PATH_UNREADABLE', 'is a directory');
    }
    let compression: Compression = 'none';
    if (st.isFile()) {
      const magic = Buffer.alloc(MAGIC_BYTES);
      compression = compressionOf(magic.subarray(0, readSync(fd, magic, 0, MAGIC_BYTES, 0)));
    }
    return new Source(path, fd, st, compression);
  } catch (err) {
    closeSync(fd);
    return unreadable(err);
  }
}
