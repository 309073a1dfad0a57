// Picks the log format of a file from its first lines, wrappers peeled off: the format that reads most of them wins.
import type { LogFormat } from '../catalog/formats.ts';
import { unsupportedFormat } from './unsupported.ts';
import { peelLines } from './wrappers/peel.ts';

export interface Detection {
  readonly format: LogFormat | undefined;
  readonly score: number;
  /** With no format: the FIVEXX_FORMAT_UNSUPPORTED message when the lines are of a format fivexx names but does not read. */
  readonly unsupported?: string;
}

/** Lines this format reads, as a share of the non-blank sample lines. */
export function scoreFormat(format: LogFormat, lines: readonly string[]): number {
  const nonBlank = lines.filter((l) => l.trim() !== '');
  if (nonBlank.length === 0) return 0;
  let ok = 0;
  if (format.kind === 'access') {
    let requests = 0;
    let proven = 0;
    const fb = format.fallback;
    for (const l of nonBlank) {
      if (format.access.parse(l, 0, 0)) requests++;
      else if (fb?.isStart(l) && fb.parse(l, 0, 0)) {
        ok++;
        if (fb.proves?.(l)) proven++;
      }
    }
    return requests === 0 && proven === 0 ? 0 : (ok + requests) / nonBlank.length;
  }
  const p = format.records;
  let head = '';
  let n = 0;
  let prev = '';
  let proven = 0;
  for (const l of nonBlank) {
    if (p.isStart(l) && p.parse(l, 0, 0)) {
      if ((p.proves ?? p.isStart)(l)) proven++;
      head = l;
      n = 1;
      ok++;
    } else if (head && p.continues(l, head, n, prev)) {
      n++;
      ok++;
    }
    prev = l;
  }
  return proven === 0 ? 0 : ok / nonBlank.length;
}

const MIN_SCORE = 0.5;

/** The best format for these lines; earlier formats win ties. */
export function detectFormat(formats: readonly LogFormat[], raw: readonly string[]): Detection {
  const lines = peelLines(raw);
  let best: Detection = { format: undefined, score: 0 };
  for (const f of formats) {
    const score = scoreFormat(f, lines);
    if (score > best.score + 1e-9) best = { format: f, score };
  }
  if (best.score >= MIN_SCORE) return best;
  const unsupported = unsupportedFormat(lines);
  return { format: undefined, score: best.score, ...(unsupported ? { unsupported } : {}) };
}
