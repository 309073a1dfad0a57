// Stable error codes: every error or counted warning a user can see carries one (docs/contract.md).
// Callers and tests match on the code, never on the English text. Add codes; never rename one.

export const ERROR_CODES = {
  FIVEXX_USAGE: 'a command or flag was used wrongly',
  FIVEXX_OPTION_INVALID: 'a flag has a value out of range or of the wrong kind',
  FIVEXX_PATH_NOT_FOUND: 'a path given does not exist (or vanished while read)',
  FIVEXX_PATH_UNREADABLE: 'a path exists but cannot be read (permissions, I/O error)',
  FIVEXX_PATH_UNSAFE: 'a path another user could write was refused',
  FIVEXX_PATH_DEVICE: 'a character or block device was refused',
  FIVEXX_FORMAT_UNKNOWN: 'no known log format reads the lines',
  FIVEXX_FORMAT_UNSUPPORTED: 'a recognised log format that fivexx does not read',
  FIVEXX_NOTHING_READABLE: 'no input held a readable line',
  FIVEXX_EMPTY: 'an input holds no lines',
  FIVEXX_WINDOW_EMPTY: 'the --since/--until window holds no line',
  FIVEXX_WINDOW_SKIPPED: 'lines outside the --since/--until window were counted, not read',
  FIVEXX_LINE_TOO_LONG: 'over-long lines were skipped',
  FIVEXX_COMPRESSED_TRUNCATED: 'a compressed file ends early or is damaged; what came before was read',
  FIVEXX_DECOMPRESSOR_MISSING: 'a compressed file needs a program that is not installed',
  FIVEXX_FILE_CHANGED: 'a file shrank, grew or was replaced while it was read',
  FIVEXX_CONFIG_INVALID: 'a configuration file (nginx, Apache, watch) is invalid',
  FIVEXX_TZ_INVALID: 'an unknown time zone',
  FIVEXX_CHANGES_UNREADABLE: 'a changes log or git work tree could not be read',
  FIVEXX_CATALOG_INVALID: 'the catalog shipped with fivexx is invalid',
  FIVEXX_URL_INVALID: 'a URL is malformed or of an unsupported scheme',
  FIVEXX_PROBE_DNS: 'a name did not resolve',
  FIVEXX_PROBE_REFUSED: 'a connection was refused',
  FIVEXX_PROBE_RESET: 'a connection was reset or closed early',
  FIVEXX_PROBE_TLS: 'a TLS handshake or certificate failed',
  FIVEXX_PROBE_TIMEOUT: 'a probe phase ran out of time',
  FIVEXX_PROBE_DEADLINE: 'the whole probe ran out of time',
  FIVEXX_PROBE_FAILED: 'a probe failed for another reason',
  FIVEXX_PAGE_UNREADABLE: 'a saved response page could not be read',
  FIVEXX_INTERNAL: 'a bug in fivexx',
  FIVEXX_NOT_BUILT: 'the command was run from a clone that `npm ci` has not built',
  FIVEXX_NODE_VERSION: 'Node.js is older than 24 and the package\'s own Node.js 24 is missing',
  FIVEXX_OUTPUT_UNWRITABLE: 'an output file could not be written',
  FIVEXX_DB_UNAVAILABLE: 'the database could not be reached, logged into or migrated',
  FIVEXX_AUTH: 'a login, session, API token or CSRF token was missing or wrong',
  FIVEXX_UNTIMED_UNPLACED: 'crash or out-of-memory records without times found no failures to be placed against',
  FIVEXX_LOG_FORMAT_AMBIGUOUS: 'a log_format writes two variables side by side that cannot be told apart',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** An error a user can see, with its stable code; thrown only inside a stage, shown as one line. */
export class FivexxError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = 'FivexxError';
  }
}

/** `CODE: message`, the shape of a counted warning in `sources[].warnings[]` and on stderr. */
export function coded(code: ErrorCode, message: string): string {
  return `${code}: ${message}`;
}

/** The code a `coded()` text starts with, if any. */
export function codeOf(text: string): ErrorCode | undefined {
  const m = /^(FIVEXX_[A-Z_]+): /.exec(text);
  return m && m[1] && m[1] in ERROR_CODES ? (m[1] as ErrorCode) : undefined;
}

/** Maps a Node file-system error to a code. */
export function fsErrorCode(err: unknown): ErrorCode {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'FIVEXX_PATH_NOT_FOUND';
  return 'FIVEXX_PATH_UNREADABLE';
}
