// Follows the systemd journal through `journalctl --follow --output=json` (the default journal, a namespace
// or a directory of journal files): each entry's message, source and time, and its cursor, saved like a
// file's position so a restart resumes after the last entry read (`--after-cursor`), none lost or read twice.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { LogPosition } from '../store/types.ts';

export const JOURNALCTL = '/usr/bin/journalctl';

/** Which journal and which of it: the `journald` key of the config. */
export interface JournalSpec {
  readonly units: readonly string[];
  readonly namespace?: string;
  readonly directory?: string;
}

export interface JournalEntry {
  readonly source: string;
  readonly text: string;
  readonly time: number | undefined;
  readonly cursor: string | undefined;
}

export interface JournalEvents {
  onEntry(e: JournalEntry): void;
  onNote?(source: string, note: string): void;
}

/** A cursor as journald writes them (`s=…;i=…;b=…;m=…;t=…;x=…`): anything else is not passed to journalctl. */
const CURSOR = /^[a-z]=[0-9a-f]{1,64}(?:;[a-z]=[0-9a-f]{1,64}){0,15}$/;
/** journalctl ended on its own: started again after this long from the last entry read, twice as long each time it ends again before giving an entry (at most MAX_RESTART_MS). */
const RESTART_MS = 5000;
const MAX_RESTART_MS = 300_000;

/** The key the cursor is saved under among the file positions: `journald`, `journald@NAMESPACE`, `journald@/DIR`. */
export function journalKey(spec: JournalSpec): string {
  const where = spec.directory ?? spec.namespace;
  return where === undefined ? 'journald' : `journald@${where}`;
}

/** journalctl's arguments: after the saved cursor when there is one, else from now. */
export function journalArgs(spec: JournalSpec, cursor: string | undefined): string[] {
  const args = ['--follow', '--output=json', '--no-pager'];
  if (spec.directory !== undefined) args.push(`--directory=${spec.directory}`);
  else if (spec.namespace !== undefined) args.push(`--namespace=${spec.namespace}`);
  // --follow alone shows 10 entries after the cursor and the rest only once the journal changes: --no-tail, all.
  args.push(...(cursor !== undefined && CURSOR.test(cursor) ? [`--after-cursor=${cursor}`, '--no-tail'] : ['--lines=0']));
  for (const u of spec.units) args.push('--unit', u);
  return args;
}

export class JournalFollower {
  readonly key: string;
  readonly #spec: JournalSpec;
  readonly #events: JournalEvents;
  readonly #now: () => number;
  #child: ChildProcess | undefined;
  #cursor: string | undefined;
  #restart: NodeJS.Timeout | undefined;
  readonly #restartMs: number;
  #delay: number;
  #stopped = false;
  /** Entries read, and entries skipped (no usable MESSAGE: journalctl gives null for one over 4096 bytes). */
  entries = 0;
  skipped = 0;

  constructor(spec: JournalSpec, events: JournalEvents, now: () => number = Date.now, restartMs = RESTART_MS) {
    this.#spec = spec;
    this.#restartMs = restartMs;
    this.#delay = restartMs;
    this.#events = events;
    this.#now = now;
    this.key = journalKey(spec);
  }

  /** The cursor of the last entry given out, to save (undefined before the first). */
  position(): LogPosition | undefined {
    const c = this.#cursor;
    return c === undefined ? undefined : { path: this.key, dev: 0, ino: 0, offset: 0, line: this.entries, updatedAt: this.#now(), cursor: c };
  }

  /** Starts journalctl after the saved position's cursor, or at the journal's end without one. */
  start(saved: LogPosition | undefined): void {
    if (saved?.cursor !== undefined && !CURSOR.test(saved.cursor)) this.#events.onNote?.(this.key, 'the saved cursor is not a journal cursor: following from the end');
    else this.#cursor = saved?.cursor;
    this.#spawn();
  }

  #spawn(): void {
    if (this.#stopped) return;
    const child = spawn(JOURNALCTL, journalArgs(this.#spec, this.#cursor), { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#child = child;
    child.on('error', (err) => this.#events.onNote?.(this.key, `journalctl: ${err.message}`));
    child.stderr.on('data', (b: Buffer) => this.#events.onNote?.(this.key, `journalctl: ${b.toString('utf8').slice(0, 300).trim()}`));
    child.on('exit', (code, signal) => {
      if (this.#stopped || this.#child !== child) return;
      this.#events.onNote?.(this.key, `journalctl ended (${signal ?? `exit ${code ?? '?'}`}): started again in ${this.#delay / 1000} s`);
      this.#restart = setTimeout(() => this.#spawn(), this.#delay);
      this.#delay = Math.min(this.#delay * 2, MAX_RESTART_MS);
      this.#restart.unref();
    });
    createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (raw) => {
      // Lines still buffered when watch stops are not given out: their cursor is not saved, the next run reads them.
      if (this.#stopped || this.#child !== child) return;
      this.#take(raw);
    });
  }

  #take(raw: string): void {
    const e = journalEntry(raw);
    if (e?.cursor !== undefined) this.#cursor = e.cursor;
    if (e === undefined || e.text === undefined) {
      if (this.skipped++ === 0) this.#events.onNote?.(this.key, 'a journal entry watch could not use was skipped (not JSON, or no MESSAGE text: journalctl gives null for one over 4096 bytes); skips are counted');
      return;
    }
    this.entries++;
    this.#delay = this.#restartMs;
    this.#events.onEntry({ source: e.source, text: e.text, time: e.time, cursor: e.cursor });
  }

  /** Stops reading at once (nothing is given out after this returns) and ends journalctl. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#restart);
    this.#child?.kill('SIGTERM');
  }
}

/** One `journalctl --output=json` line: its message (text, or bytes when not UTF-8), unit or program, time, cursor. */
export function journalEntry(raw: string): { source: string; text: string | undefined; time: number | undefined; cursor: string | undefined } | undefined {
  let o: unknown;
  try {
    o = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return undefined;
  const r = o as Record<string, unknown>;
  const msg = r.MESSAGE;
  const text = typeof msg === 'string' ? msg
    : Array.isArray(msg) ? Buffer.from(msg.filter((b): b is number => Number.isInteger(b) && b >= 0 && b <= 255)).toString('utf8') : undefined;
  const unit = typeof r._SYSTEMD_UNIT === 'string' ? r._SYSTEMD_UNIT : typeof r.SYSLOG_IDENTIFIER === 'string' ? r.SYSLOG_IDENTIFIER : '-';
  const us = typeof r.__REALTIME_TIMESTAMP === 'string' && /^\d{1,17}$/.test(r.__REALTIME_TIMESTAMP) ? Number(r.__REALTIME_TIMESTAMP) : NaN;
  const cursor = typeof r.__CURSOR === 'string' ? r.__CURSOR : undefined;
  return { source: `journald:${unit}`, text, time: Number.isFinite(us) ? Math.floor(us / 1000) : undefined, cursor };
}
