// Peels the wrappers (src/parse/wrappers/*) off log lines before detection and parsing, line by line:
// a line may be wrapped several times (a compose prefix around a syslog line); partial lines are joined.
import { comment } from './comment.ts';
import { compose } from './compose.ts';
import { cri } from './cri.ts';
import { dockerJson } from './docker-json.ts';
import { emissary } from './emissary.ts';
import { syslog } from './syslog.ts';
import type { Wrapper } from './types.ts';

/** Every wrapper, tried in this order (the loosest, compose's `name | `, last). A test checks each file here is listed. */
export const WRAPPERS: readonly Wrapper[] = [comment, dockerJson, cri, syslog, emissary, compose];

const MAX_ROUNDS = 3;
/** A joined partial line stops growing here (the line reader's own limit is 1 MiB). */
const MAX_JOINED_CHARS = 1 << 20;

type Result = { text: string; partial: boolean } | undefined;

/** The inner line of `line` (undefined: no record, e.g. a comment); `partial` when it continues on the next line. */
export function peelOnce(line: string, wrappers: readonly Wrapper[] = WRAPPERS): Result {
  let text = line;
  let partial = false;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let peeled = false;
    for (const w of wrappers) {
      const p = w.peel(text);
      if (!p) continue;
      if ('skip' in p) return undefined;
      text = p.text;
      partial ||= p.partial === true;
      peeled = true;
      break;
    }
    if (!peeled) break;
  }
  return { text, partial };
}

/** A stateful peeler for one stream: joins partial lines (CRI `P`, Docker's 16 KiB splits). */
export class LinePeeler {
  private pending = '';
  private pendingLine = 0;

  /** The complete inner line and its first line number, or undefined when there is none yet (or no record). */
  peel(line: string, lineNo: number): [string, number] | undefined {
    const r = peelOnce(line);
    if (!r) return undefined;
    if (this.pending === '') this.pendingLine = lineNo;
    if (r.partial) {
      if (this.pending.length < MAX_JOINED_CHARS) this.pending += r.text;
      return undefined;
    }
    const text = this.pending + r.text;
    this.pending = '';
    return [text, this.pendingLine];
  }
}

/** The inner lines of a sample (for format detection). */
export function peelLines(lines: readonly string[]): string[] {
  const p = new LinePeeler();
  const out: string[] = [];
  lines.forEach((l, i) => {
    const r = p.peel(l, i);
    if (r) out.push(r[0]);
  });
  return out;
}

/** Wraps a line handler so that it sees inner lines only. */
export function peeled(handle: (line: string, lineNo: number) => void): (line: string, lineNo: number) => void {
  const p = new LinePeeler();
  return (line, lineNo) => {
    const r = p.peel(line, lineNo);
    if (r) handle(r[0], r[1]);
  };
}
