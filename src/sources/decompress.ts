// Compressed rotations: tells gzip, zstd, xz and bzip2 apart by their magic bytes and turns a raw byte
// stream into the decompressed one (zlib for gzip and zstd, the system's xz/bzip2 for the others).
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { createGunzip, createZstdDecompress } from 'node:zlib';
import { coded } from '../errors/codes.ts';

export type Compression = 'none' | 'gzip' | 'zstd' | 'xz' | 'bzip2';

/** Bytes needed to tell the compressions apart. */
export const MAGIC_BYTES = 6;

/** The compression a file's first bytes show. */
export function compressionOf(head: Buffer): Compression {
  const b = (i: number): number => head[i] ?? -1;
  if (b(0) === 0x1f && b(1) === 0x8b) return 'gzip';
  if (b(0) === 0x28 && b(1) === 0xb5 && b(2) === 0x2f && b(3) === 0xfd) return 'zstd';
  if (b(0) === 0xfd && b(1) === 0x37 && b(2) === 0x7a && b(3) === 0x58 && b(4) === 0x5a && b(5) === 0x00) return 'xz';
  // "BZh" and a block size digit 1-9.
  if (b(0) === 0x42 && b(1) === 0x5a && b(2) === 0x68 && b(3) >= 0x31 && b(3) <= 0x39) return 'bzip2';
  return 'none';
}

/** The programs that decompress what zlib cannot, and the Debian package each comes in. */
const PROGRAMS: Record<'xz' | 'bzip2', { readonly program: string; readonly pkg: string }> = {
  xz: { program: 'xz', pkg: 'xz-utils' },
  bzip2: { program: 'bzip2', pkg: 'bzip2' },
};

const found = new Map<string, string | undefined>();

/** The absolute path of `program` on PATH (only absolute PATH entries count), or undefined. */
export function findProgram(program: string, pathVar = process.env.PATH ?? ''): string | undefined {
  const key = `${program}\u0000${pathVar}`;
  if (found.has(key)) return found.get(key);
  let hit: string | undefined;
  for (const dir of pathVar.split(delimiter)) {
    if (!dir || !isAbsolute(dir)) continue;
    const p = join(dir, program);
    try {
      accessSync(p, constants.X_OK);
      hit = p;
      break;
    } catch {
      // Not here.
    }
  }
  found.set(key, hit);
  return hit;
}

/** A coded warning when `c` needs a program that is not installed; undefined when it can be read. */
export function missingDecompressor(c: Compression): string | undefined {
  if (c !== 'xz' && c !== 'bzip2') return undefined;
  const { program, pkg } = PROGRAMS[c];
  if (findProgram(program)) return undefined;
  return coded('FIVEXX_DECOMPRESSOR_MISSING', `${c}-compressed, and no '${program}' program on PATH: install ${pkg} (apt-get install ${pkg}) to read it`);
}

/** An error of a decompressor: the input ends early or is damaged. */
export class DecompressError extends Error {
  readonly code = 'FIVEXX_COMPRESSED_TRUNCATED';
  readonly compression: Compression;
  /** The program that reads it is not installed. */
  readonly missing: boolean;
  constructor(compression: Compression, message: string, missing = false) {
    super(message);
    this.compression = compression;
    this.missing = missing;
  }
}

/** Runs the system's xz or bzip2 on `raw`; its output, ending in a DecompressError when it fails. */
function throughProgram(raw: Readable, c: 'xz' | 'bzip2'): Readable {
  const { program, pkg } = PROGRAMS[c];
  const exe = findProgram(program);
  const out = new PassThrough({ highWaterMark: 1 << 20 });
  if (!exe) {
    process.nextTick(() => out.destroy(new DecompressError(c, missingDecompressor(c) ?? `no '${program}' program: install ${pkg}`, true)));
    return out;
  }
  const child = spawn(exe, ['-dc'], { stdio: ['pipe', 'pipe', 'pipe'], shell: false });
  let stderr = '';
  let stopped = false;
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s: string) => void (stderr.length < 2000 && (stderr += s)));
  // Reading stopped early (a head was enough): the program is ours to end.
  out.on('close', () => {
    stopped = true;
    raw.destroy();
    if (child.exitCode === null && child.signalCode === null) child.kill();
  });
  child.stdin.on('error', () => undefined);
  raw.on('error', (err) => out.destroy(err));
  raw.pipe(child.stdin);
  child.stdout.pipe(out, { end: false });
  child.on('error', (err) => out.destroy(err));
  child.on('close', (code) => {
    if (stopped) return;
    if (code === 0) out.end();
    else out.destroy(new DecompressError(c, `${program}: ${firstLine(stderr) || `exit status ${code ?? 'by signal'}`}`));
  });
  return out;
}

function firstLine(s: string): string {
  return (s.split('\n').find((l) => l.trim() !== '') ?? '').trim().slice(0, 200);
}

/** The decompressed bytes of `raw`, compressed as `c`; errors surface as stream errors. */
export function decompress(raw: Readable, c: Compression): Readable {
  switch (c) {
    case 'none':
      return raw;
    // Big output chunks: fewer hand-overs from the thread pool, same bytes.
    case 'gzip':
      return named(raw.pipe(createGunzip({ chunkSize: 1 << 20 })), c);
    case 'zstd':
      return named(raw.pipe(createZstdDecompress({ chunkSize: 1 << 20 })), c);
    case 'xz':
    case 'bzip2':
      return throughProgram(raw, c);
  }
}

/** Errors of a zlib stream carry the compression's name (`compression`), for the warning. */
function named(z: Readable, c: Compression): Readable {
  z.once('error', (err: Error & { compression?: Compression }) => void (err.compression = c));
  return z;
}

/** The compression an error of `decompress` came from, when known. */
export function compressionOfError(err: unknown): string {
  if (err instanceof DecompressError) return err.compression;
  return (err as { compression?: string } | undefined)?.compression ?? 'compressed';
}

/** True for an error that says compressed data ends early or is damaged. */
export function isDecompressError(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | undefined;
  return err instanceof DecompressError || e?.code === 'Z_BUF_ERROR' || e?.code === 'Z_DATA_ERROR' || (e?.code ?? '').startsWith('ZSTD_') || /unexpected end of file/i.test(e?.message ?? '');
}
