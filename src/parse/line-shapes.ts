// The line shapes and limits that a parser, its JavaScript prefilter and its WebAssembly kernel all
// read, defined once: src/parse/time.ts and nginx-log-format.ts, src/sources/combined-scan.ts and
// combined-kernel.ts (the combined line); src/parse/nginx-error.ts and src/sources/quiet-kernel.ts
// (the nginx error-log record start).

/**
 * A combined line's last quoted value (the user agent) may lack its closing quote only when fewer
 * than this many bytes remain: the parser reads it to the end of the line; the fast paths hand such
 * a line, and any longer one, to the parser.
 */
export const OPEN_TAIL_LIMIT = 4096;

/** Common Log Format time "dd/Mon/yyyy:HH:MM:SS +hhmm": where each part starts. */
export const CLF_TIME = {
  /** Its length; `]` follows, then ` "` and the request in a combined line. */
  length: 26,
  day: 0, month: 3, year: 7, hour: 12, minute: 15, second: 18, sign: 21, zoneHour: 22, zoneMinute: 24,
  slashes: [2, 6],
  colons: [11, 14, 17],
  zoneSpace: 20,
  /** The bytes that name the day and the zone, [start, length) pairs: lines of one day share them. */
  dayKey: [[0, 11], [20, 6]],
  /** The length of the day key: 11 + 6 bytes. */
  dayKeyLength: 17,
} as const;

/** nginx's error-log record start "yyyy/mm/dd HH:MM:SS [level] ": its fixed bytes and its digits. */
export const NGINX_ERROR_START = {
  /** Where the level starts (after "["); a start is longer than this. */
  length: 21,
  fixed: [[4, 0x2f], [7, 0x2f], [10, 0x20], [13, 0x3a], [16, 0x3a], [19, 0x20], [20, 0x5b]],
  digits: [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18],
  /** The byte that closes the level. */
  levelEnd: 0x5d,
} as const;
