// The latest time a log can hold, for stamps without a year (syslog's "Nov 22 20:19:15"): the file's
// modification time, or the wall clock for a stream or a file whose mtime is not believable.
import { statSync } from 'node:fs';

/** 2000-01-01: an mtime before this (a tar's 0, a reproducible build's epoch) says nothing. */
const EARLIEST = Date.UTC(2000, 0, 1);

/** Epoch ms: `path`'s mtime, or `now` for '-', an unreadable path or an mtime before 2000 or in the future. */
export function referenceTime(path: string, now = Date.now()): number {
  if (path === '-') return now;
  try {
    const m = statSync(path).mtimeMs;
    return m >= EARLIEST && m <= now + 86_400_000 ? m : now;
  } catch {
    return now;
  }
}
