// The plan stage of `analyze`: each file's head is read once (decompressed), its format detected once
// (or taken from --format), change logs are set aside, and the zone of times written without one is
// decided once, from --tz or the access logs' own offsets. Readers then get a fixed format and the head
// (for the fast paths' set-up) and neither read the head nor detect again.
import { stat } from 'node:fs/promises';
import type { LogFormat } from '../catalog/formats.ts';
import { looksLikeChangeLog } from '../changes/read-changes.ts';
import type { LogKind } from '../events/types.ts';
import { openSource } from '../sources/open-source.ts';
import { detect, sniffHead, type Sniffed } from '../sources/sniff-head.ts';
import { isBlank, offsetInLine } from '../sources/source-lines.ts';
import { fixedZone, zone } from './time-zone.ts';

/** One file as the plan stage saw it. */
export interface PlannedSource {
  readonly path: string;
  readonly size: number;
  /** --format NAME=PATH, when given. */
  readonly forced: LogFormat | undefined;
  /**
   * The head and the format it shows, handed to the reader; undefined for stdin, a pipe, an unreadable
   * file or a head whose lines do not fit in 1 MiB (the reader then detects from what it reads).
   */
  readonly planned: Sniffed | undefined;
  /** The kind the head shows (decides the reading order). */
  readonly kind: LogKind | undefined;
  readonly isChangeLog: boolean;
  /** The head's first non-blank lines (the zone is read from access logs'). */
  readonly lines: readonly string[];
}

export interface Zone {
  readonly toUtc: (localMs: number) => number;
  readonly offsetMinutes: number;
  /** True when nothing said the zone (no --tz, no offset in the access logs' heads). */
  readonly guessed: boolean;
}

export interface Plan {
  readonly sources: readonly PlannedSource[];
  /** The zone, or the message of a --tz that is not one. */
  readonly zone: Zone | string;
}

/** Heads read at once: each holds a descriptor, and a directory may hold thousands of files. */
const AT_ONCE = 16;
/** Head bytes kept for a format whose records a byte screen may skip (it is tuned to them); others keep none. */
const TUNE_BYTES = 256 << 10;
const EMPTY = Buffer.alloc(0);

/** Runs `fn` over `items`, at most `n` at a time, results in order. */
async function bounded<T, R>(items: readonly T[], n: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i]);
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, lane));
  return out;
}

/** The head of a regular file (read once), or undefined for anything else. */
async function headOf(path: string, formats: readonly LogFormat[], forced: LogFormat | undefined): Promise<{ size: number; planned: Sniffed | undefined }> {
  const info = path === '-' ? undefined : await stat(path).catch(() => undefined);
  if (!info?.isFile()) return { size: 0, planned: undefined };
  const src = await openSource(path);
  if (typeof src === 'string') return { size: info.size, planned: undefined };
  try {
    const head = await sniffHead(src);
    if (!head) return { size: info.size, planned: undefined };
    const d = forced ? { format: forced, unsupported: undefined } : detect(formats, head.lines);
    const format = d.format;
    const quiet = format !== undefined && format.kind !== 'access' && format.records.quiet !== undefined;
    // Only what a reader uses is kept: a folder of thousands of files must not hold a MiB each.
    const bytes = quiet ? Buffer.from(head.bytes.subarray(0, TUNE_BYTES)) : EMPTY;
    return { size: info.size, planned: { head: { lines: head.lines, compressed: head.compressed, bytes }, format, unsupported: d.unsupported } };
  } finally {
    src.close();
  }
}

/** Plans the files: heads, formats, change logs, the zone. `forcedNames`: --format NAME=PATH ('changes' marks a change log). */
export async function planSources(
  files: readonly string[], formats: readonly LogFormat[], forcedNames: ReadonlyMap<string, string>, tz: string | undefined,
): Promise<Plan> {
  const byName = new Map(formats.map((f) => [f.name, f]));
  const sources = await bounded(files, AT_ONCE, async (path): Promise<PlannedSource> => {
    const forcedName = forcedNames.get(path);
    const forced = forcedName ? byName.get(forcedName) : undefined;
    const { size, planned } = await headOf(path, formats, forced);
    // As before the plan stage: a forced file's lines tell neither a change log nor the zone.
    const lines = forced ? [] : (planned?.head.lines ?? []).filter((l) => !isBlank(l)).slice(0, 64);
    const isChangeLog = forcedName === 'changes' || (!forced && forcedName === undefined && looksLikeChangeLog(lines));
    return { path, size, forced, planned, kind: planned?.format?.kind ?? forced?.kind, isChangeLog, lines };
  });
  const accessLines = sources.filter((p) => p.kind === 'access' && !p.isChangeLog).flatMap((p) => p.lines.slice(0, 5));
  return { sources, zone: chooseZone(tz, accessLines) };
}

/** The zone for times written without one: --tz, else the offset the access logs write, else UTC. */
export function chooseZone(tz: string | undefined, accessLines: readonly string[]): Zone | string {
  if (tz) {
    const z = zone(tz);
    if (!z.ok) return z.error;
    return { toUtc: z.toUtc, offsetMinutes: Math.round((0 - z.toUtc(0)) / 60_000), guessed: false };
  }
  const offset = accessLines.map(offsetInLine).find((o) => !Number.isNaN(o));
  return { toUtc: fixedZone(offset ?? 0), offsetMinutes: offset ?? 0, guessed: offset === undefined };
}
