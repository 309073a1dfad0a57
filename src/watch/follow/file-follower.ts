// Follows one log file by polling its open descriptor: survives rename rotation (drains the old file,
// then opens the new one) and copytruncate (starts again from 0), and resumes from a saved position.
import { closeSync, fstatSync, openSync, readdirSync, readSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { LogPosition } from '../store/types.ts';

export interface FollowedLine {
  readonly path: string;
  readonly line: number;
  readonly text: string;
  /** When watch read it: the time of a line that has none of its own. */
  readonly arrived: number;
}

export interface FollowerEvents {
  onLine(l: FollowedLine): void;
  /** Rotation, truncation, an over-long line, a read error: counted and said, never thrown. */
  onNote?(path: string, note: string): void;
}

const CHUNK = 1 << 16;
const MAX_LINE = 1 << 20;

interface Open {
  fd: number;
  dev: number;
  ino: number;
  offset: number;
  line: number;
}

function tryStat(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** A file in the same folder with the given inode (where a rotation moved the file we were reading). */
function findByInode(path: string, dev: number, ino: number): string | undefined {
  try {
    for (const name of readdirSync(dirname(path))) {
      if (!name.startsWith(basename(path))) continue;
      const p = join(dirname(path), name);
      const s = tryStat(p);
      if (s && s.dev === dev && s.ino === ino && s.isFile()) return p;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** Rotated files the follower may read between the one it was reading and the current one (in case it fell behind). */
const MAX_MISSED = 8;
const COMPRESSED = /\.(gz|bz2|xz|zst|lz4|z)$/i;

/**
 * Files a rotation moved away after the one we were reading (`o`, last written at `mtimeMs`) and before the
 * current `path`: same folder and name prefix, not compressed, written later than ours; oldest first, opened
 * at once (another rotation may rename them again). A reader more than one rotation behind reads them all.
 */
function missedRotations(path: string, o: Open, mtimeMs: number, current: Stats): Open[] {
  const found: { fd: number; st: Stats }[] = [];
  try {
    for (const name of readdirSync(dirname(path))) {
      const p = join(dirname(path), name);
      if (!name.startsWith(basename(path)) || p === path || COMPRESSED.test(name)) continue;
      const st = tryStat(p);
      if (!st?.isFile() || (st.dev === o.dev && st.ino === o.ino) || (st.dev === current.dev && st.ino === current.ino) || !(st.mtimeMs > mtimeMs)) continue;
      found.push({ fd: openSync(p, 'r'), st });
    }
  } catch {
    // An unreadable folder: only the current file is read.
  }
  found.sort((a, b) => a.st.mtimeMs - b.st.mtimeMs);
  for (const f of found.slice(0, found.length - MAX_MISSED)) closeSync(f.fd);
  return found.slice(-MAX_MISSED).map((f) => ({ fd: f.fd, dev: f.st.dev, ino: f.st.ino, offset: 0, line: 0 }));
}

export class FileFollower {
  readonly path: string;
  readonly #events: FollowerEvents;
  readonly #now: () => number;
  #open: Open | undefined;
  /** Files to read after the open one, in order (a rotation found the reader behind): the last is the current file. */
  #next: Open[] = [];
  #carry: Buffer = Buffer.alloc(0);
  /** True when the last poll stopped at its byte limit with more to read. */
  behind = false;
  #skipping = false;
  readonly #buf = Buffer.allocUnsafe(CHUNK);

  constructor(path: string, events: FollowerEvents, now: () => number = Date.now) {
    this.path = path;
    this.#events = events;
    this.#now = now;
  }

  /** Where the next unread byte is, to save. */
  position(): LogPosition | undefined {
    const o = this.#open;
    return o ? { path: this.path, dev: o.dev, ino: o.ino, offset: o.offset - this.#carry.length, line: o.line, updatedAt: this.#now() } : undefined;
  }

  /**
   * Opens the file. With a saved position of the same file, reading resumes there; if the saved file was
   * rotated away meanwhile, its rest is read first from where it now lies. `fromEnd` starts a new file at its end.
   */
  start(saved: LogPosition | undefined, fromEnd: boolean): void {
    const s = tryStat(this.path);
    if (saved && s && s.dev === saved.dev && s.ino === saved.ino && s.size >= saved.offset) {
      this.#openAt(this.path, saved.offset, saved.line);
      return;
    }
    if (saved) {
      const moved = findByInode(this.path, saved.dev, saved.ino);
      if (moved) {
        this.#events.onNote?.(this.path, `rotated while watch was stopped: reading the rest of ${moved} first`);
        this.#openAt(moved, saved.offset, saved.line);
        if (this.#open) {
          this.#drain(this.#open);
          this.#flushCarry(this.#open);
        }
        this.#close();
      } else if (s) this.#events.onNote?.(this.path, 'the file saved last time is gone (rotated and removed?): reading the new file from its start');
    }
    if (s) this.#openAt(this.path, saved || !fromEnd ? 0 : s.size, 0);
  }

  #openAt(path: string, offset: number, line: number): void {
    try {
      const fd = openSync(path, 'r');
      const st = fstatSync(fd);
      this.#open = { fd, dev: st.dev, ino: st.ino, offset, line };
      this.#carry = Buffer.alloc(0);
      this.#skipping = false;
    } catch (err) {
      this.#events.onNote?.(path, `cannot open: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
  }

  #close(): void {
    if (this.#open) closeSync(this.#open.fd);
    this.#open = undefined;
  }

  /**
   * Reads what was appended (at most about `maxBytes`, so a busy log does not hold the event loop; the rest
   * comes at the next poll); follows a rename or a truncation. Returns the number of lines read.
   */
  poll(maxBytes = Infinity): number {
    if (!this.#open) {
      if (tryStat(this.path)) this.#openAt(this.path, 0, 0);
      if (!this.#open) return 0;
    }
    const o = this.#open;
    let lines = 0;
    const size = fstatSync(o.fd).size;
    if (size < o.offset) {
      this.#events.onNote?.(this.path, `truncated (copytruncate?) from ${o.offset} to ${size} bytes: reading from the start`);
      o.offset = 0;
      this.#carry = Buffer.alloc(0);
    }
    lines += this.#drain(o, maxBytes);
    this.behind = o.offset < size;
    if (this.behind) return lines;
    const now = this.#next.length > 0 ? undefined : tryStat(this.path);
    if (now && (now.ino !== o.ino || now.dev !== o.dev)) {
      // Renamed away and a new file created: the old descriptor was drained above; the files rotated since
      // (when the reader fell that far behind), then the new one, are read from 0.
      this.#next = missedRotations(this.path, o, fstatSync(o.fd).mtimeMs, now);
      if (this.#next.length > 0) this.#events.onNote?.(this.path, `rotated ${this.#next.length + 1} times since this file was opened: reading the ${this.#next.length} rotated files first`);
      else this.#events.onNote?.(this.path, 'rotated (renamed): following the new file');
      try {
        const fd = openSync(this.path, 'r');
        const st = fstatSync(fd);
        this.#next.push({ fd, dev: st.dev, ino: st.ino, offset: 0, line: 0 });
      } catch (err) {
        this.#events.onNote?.(this.path, `cannot open: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
      }
    }
    const n = this.#next.shift();
    if (!n) return lines;
    this.#flushCarry(o);
    this.#close();
    this.#open = n;
    this.#carry = Buffer.alloc(0);
    this.#skipping = false;
    // Bounded as the first drain: a new file that grew while the old one was read is caught up over polls
    // (unbounded, a reader slower than the writer chased it for as long as the outage lasted, timers held).
    lines += this.#drain(n, maxBytes);
    this.behind = n.offset < fstatSync(n.fd).size || this.#next.length > 0;
    return lines;
  }

  #drain(o: Open, maxBytes = Infinity): number {
    let lines = 0;
    const stopAt = o.offset + maxBytes;
    for (;;) {
      if (o.offset >= stopAt) return lines;
      let n: number;
      try {
        n = readSync(o.fd, this.#buf, 0, CHUNK, o.offset);
      } catch (err) {
        this.#events.onNote?.(this.path, `read error: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
        return lines;
      }
      if (n <= 0) return lines;
      o.offset += n;
      lines += this.#split(o, this.#buf.subarray(0, n));
    }
  }

  #split(o: Open, chunk: Buffer): number {
    let lines = 0;
    let start = 0;
    for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, start)) {
      const part = chunk.subarray(start, nl);
      start = nl + 1;
      o.line++;
      if (this.#skipping) {
        this.#skipping = false;
        this.#carry = Buffer.alloc(0);
        continue;
      }
      if (this.#carry.length + part.length > MAX_LINE) {
        this.#events.onNote?.(this.path, `line ${o.line} is over ${MAX_LINE} bytes: skipped`);
        this.#carry = Buffer.alloc(0);
        continue;
      }
      const whole = this.#carry.length ? Buffer.concat([this.#carry, part]) : part;
      this.#carry = Buffer.alloc(0);
      let text = whole.toString('utf8');
      if (text.endsWith('\r')) text = text.slice(0, -1);
      this.#events.onLine({ path: this.path, line: o.line, text, arrived: this.#now() });
      lines++;
    }
    const rest = chunk.subarray(start);
    if (this.#skipping) return lines;
    if (this.#carry.length + rest.length > MAX_LINE) {
      this.#events.onNote?.(this.path, `line ${o.line + 1} is over ${MAX_LINE} bytes: skipped`);
      this.#skipping = true;
      this.#carry = Buffer.alloc(0);
    } else if (rest.length) this.#carry = Buffer.concat([this.#carry, rest]);
    return lines;
  }

  /** A last line without a newline, when its file is rotated away, still counts. */
  #flushCarry(o: Open): void {
    if (this.#carry.length === 0 || this.#skipping) return;
    o.line++;
    this.#events.onLine({ path: this.path, line: o.line, text: this.#carry.toString('utf8'), arrived: this.#now() });
    this.#carry = Buffer.alloc(0);
  }

  stop(): void {
    this.#close();
    for (const n of this.#next.splice(0)) closeSync(n.fd);
  }
}
