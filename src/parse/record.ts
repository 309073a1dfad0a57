// The shared shape of record parsers and the builder that fills a LogRecord's optional fields.
import type { LogKind, LogRecord, Producer } from '../events/types.ts';

/** A parser for logs whose records may span several physical lines. */
export interface RecordParser {
  readonly kind: Exclude<LogKind, 'access'>;
  /** True when `line` begins a new record. */
  isStart(line: string): boolean;
  /** True when `line` continues the open record whose first line is `head`; `prev` is the line before. */
  continues(line: string, head: string, lines: number, prev: string): boolean;
  /** For format detection: true when `line` shows this format (default: `isStart`). */
  proves?(line: string): boolean;
  /** Parses a whole record; `text` joins its lines with "\n". */
  parse(text: string, source: number, line: number): LogRecord | undefined;
  /**
   * For the byte-level fast path of record logs (src/sources/quiet-records.ts): `plainStart` is true
   * when bytes b[a, end) begin a record that `parse` reads, alone, as a timed record of `producer`;
   * it then sets span[0], span[1] to bytes that hold all of that record's message. `shape`
   * 'nginx-error': plainStart reads nginx's error-log start, which src/sources/quiet-kernel.ts also reads.
   */
  readonly quiet?: { readonly producer: Producer; readonly shape?: 'nginx-error'; plainStart(b: Uint8Array, a: number, end: number, span: Int32Array): boolean };
  /**
   * For formats whose times lack a year (syslog's "Nov 22 20:19:15"): the same parser, taking the
   * year from `reference`, the latest time the log can hold (its file's mtime), instead of the wall
   * clock. See atReference().
   */
  atReference?(reference: number): RecordParser;
}

/** The parser for one log whose latest possible time is `reference` (epoch ms). */
export function atReference(parser: RecordParser, reference: number): RecordParser {
  return parser.atReference?.(reference) ?? parser;
}

/** The fields that tie a record to one request. */
export interface RequestFields {
  client?: string;
  request?: string;
  upstream?: string;
  host?: string;
}

export interface RecordFields extends RequestFields {
  time: number;
  timed?: boolean;
  zoned?: boolean;
  level?: string;
  producer: Producer;
  message: string;
  text: string;
  pid?: string;
  /** The HTTP status the record says its request got (uWSGI's request line). */
  status?: number;
  /**
   * Reads the request fields when first asked for, instead of the fields above: most records of a
   * busy error log match no cause, and nothing ever reads their client or upstream.
   */
  lazyRequest?: () => RequestFields | undefined;
}

/** Records keep at most this much text; classification reads the head of a record. */
export const MAX_RECORD_CHARS = 16_384;

/** A parsed record: its fields as read, and its request fields read when first asked for (if lazy). */
class ParsedRecord implements LogRecord {
  readonly kind = 'log' as const;
  readonly source: number;
  readonly line: number;
  time: number;
  timeMax: number;
  readonly timed: boolean;
  readonly zoned: boolean;
  readonly level: string;
  readonly producer: Producer;
  readonly message: string;
  readonly text: string;
  readonly pid: string;
  readonly status: number | undefined;
  #request: RequestFields | undefined;
  readonly #lazy: (() => RequestFields | undefined) | undefined;

  constructor(source: number, line: number, f: RecordFields) {
    this.source = source;
    this.line = line;
    this.time = f.time;
    this.timeMax = f.time;
    this.timed = f.timed ?? !Number.isNaN(f.time);
    this.zoned = f.zoned ?? false;
    this.level = (f.level ?? '').toLowerCase();
    this.producer = f.producer;
    this.message = f.message.slice(0, MAX_RECORD_CHARS);
    this.text = f.text.slice(0, MAX_RECORD_CHARS);
    this.pid = f.pid ?? '';
    this.status = f.status;
    this.#lazy = f.lazyRequest;
    this.#request = f.lazyRequest ? undefined : f;
  }

  #fields(): RequestFields {
    return (this.#request ??= this.#lazy?.() ?? {});
  }

  get client(): string {
    return this.#fields().client ?? '';
  }
  get request(): string {
    return this.#fields().request ?? '';
  }
  get upstream(): string {
    return this.#fields().upstream ?? '';
  }
  get host(): string {
    return this.#fields().host ?? '';
  }
}

/** Builds a record; the request fields are read from `f`, or by `f.lazyRequest` when first asked for. */
export function makeRecord(source: number, line: number, f: RecordFields): LogRecord {
  return new ParsedRecord(source, line, f);
}
