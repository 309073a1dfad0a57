// A file's head, read once (by the plan stage) for detection and both fast paths: its first lines
// (decompressed) and the format they show. Every head read and every detection is counted here, so
// that a test can hold the pipeline to once per file.
import type { LogFormat } from '../catalog/formats.ts';
import { detectFormat, type Detection } from '../parse/detect.ts';
import type { Source } from './open-source.ts';
import { openBytes } from './read-lines.ts';
import { isBlank, sniffDone } from './source-lines.ts';

const SNIFF_BYTES = 1 << 20;

/** Heads read and formats detected since the process started (read by tests). */
export const headStats = { reads: 0, detections: 0 };

/** Format detection (parse/detect.ts), counted. */
export function detect(formats: readonly LogFormat[], lines: readonly string[]): Detection {
  headStats.detections++;
  return detectFormat(formats, lines);
}

/** The first bytes of a file, decompressed; `whole` when they are all of it. */
async function readHead(src: Source): Promise<{ head: Buffer; whole: boolean; compressed: boolean } | undefined> {
  try {
    const compressed = src.compression !== 'none';
    const { stream, raw } = await openBytes(src);
    const chunks: Buffer[] = [];
    let size = 0;
    let whole = true;
    try {
      for await (const chunk of stream) {
        chunks.push(chunk as Buffer);
        size += (chunk as Buffer).length;
        if (size >= SNIFF_BYTES) {
          whole = false;
          break;
        }
      }
    } finally {
      raw.destroy();
      stream.destroy();
    }
    return { head: Buffer.concat(chunks), whole, compressed };
  } catch {
    // Unreadable, or damaged within its head: the line reader reports it.
    return undefined;
  }
}

/** A file's head and the format it shows (`forced` when given). */
export interface Sniffed {
  readonly head: Head;
  readonly format: LogFormat | undefined;
  /** With no format: the format fivexx names but does not read, and what its lines look like (parse/unsupported.ts). */
  readonly unsupported?: string | undefined;
}

/** Reads a file's head once for both fast paths; undefined for a stream, an unreadable or an unfinished head. */
export async function sniff(src: Source, formats: readonly LogFormat[], forced: LogFormat | undefined): Promise<Sniffed | undefined> {
  const head = await sniffHead(src);
  if (!head) return undefined;
  if (forced) return { head, format: forced };
  const d = detect(formats, head.lines);
  return { head, format: d.format, unsupported: d.unsupported };
}

export interface Head {
  readonly lines: string[];
  readonly compressed: boolean;
  /** The head's first bytes (decompressed): a byte screen is tuned to them (read-source.ts). */
  readonly bytes: Buffer;
}

/**
 * The head's complete lines up to what detection reads (sniffDone), or undefined for a pipe, stdin,
 * an unreadable file or a head whose lines do not fit in 1 MiB (the reader then detects as it reads).
 */
export async function sniffHead(src: Source): Promise<Head | undefined> {
  // A pipe or stdin is read once, by the line reader.
  if (!src.regular) return undefined;
  headStats.reads++;
  const got = await readHead(src);
  if (!got) return undefined;
  const parts = got.head.toString('utf8').split('\n');
  const complete = got.whole ? parts.length : parts.length - 1;
  const lines: string[] = [];
  let nonBlank = 0;
  for (let k = 0; k < complete; k++) {
    let line = parts[k] ?? '';
    if (k === parts.length - 1 && line === '') break;
    if (line.length > 0 && line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
    lines.push(line);
    if (!isBlank(line)) nonBlank++;
    if (sniffDone(lines.length, nonBlank)) return { lines, compressed: got.compressed, bytes: got.head };
  }
  return got.whole ? { lines, compressed: got.compressed, bytes: got.head } : undefined;
}

