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
  /**
   * Reads the request fields when first asked for, instead of the fields above: most records of a
   * busy error log match no cause, and nothing ever reads their client or upstream.
   */
  lazyRequest?: () => RequestFields | undefined;
}

/** Records keep at most this much text; classification reads the head of a record. */
export const MAX_RECORD_CHARS = 16_384;

export function makeRecord(source: number, line: number, f: RecordFields): LogRecord {
  let req: RequestFields | undefined;
  const request = (): RequestFields => (req ??= f.lazyRequest ? (f.lazyRequest() ?? {}) : f);
  return {
    kind: 'log', source, line, time: f.time, timeMax: f.time, timed: f.timed ?? !Number.isNaN(f.time), zoned: f.zoned ?? false,
    level: (f.level ?? '').toLowerCase(), producer: f.producer, message: f.message.slice(0, MAX_RECORD_CHARS),
    text: f.text.slice(0, MAX_RECORD_CHARS), pid: f.pid ?? '',
    get client() {
      return request().client ?? '';
    },
    get request() {
      return request().request ?? '';
    },
    get upstream() {
      return request().upstream ?? '';
    },
    get host() {
      return request().host ?? '';
    },
  };
}
