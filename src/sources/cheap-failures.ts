// The cheap path for failed requests of a plain `combined` file: the scan (a worker thread) reads of a
// plainly combined 5xx line only what correlation pools it by (its time, status and endpoint) and where
// the line is; the main thread reads the whole line again, by position, only when it may be joined with
// a finding or is kept as evidence. The full parser stays the reference: `full()` is its reading.
import { readSync } from 'node:fs';
import type { CheapFailure, CheapLines } from '../correlate/cheap-failure.ts';
import type { AccessEvent } from '../events/types.ts';
import { lineText } from './line-scanner.ts';

/** The failed lines of one scanned range, as columns (they cross from a worker thread by copy). */
export interface CheapPart {
  n: number;
  /** Epoch ms of each line, its status, its endpoint (index into `endpoints`), its line number within the range. */
  time: Float64Array;
  status: Uint16Array;
  endpoint: Uint32Array;
  line: Uint32Array;
  /** Where each line starts in the file and its length in bytes (without the newline). */
  offset: Float64Array;
  length: Uint32Array;
  endpoints: string[];
}

const FIRST_CAPACITY = 1024;
/** Slots of the endpoint table (a power of two); past half full, new endpoints are found by string. */
const TABLE_SLOTS = 1 << 12;

/** True when `known` holds exactly the bytes b[from, to) (compared in place: no view made per line). */
function sameBytes(known: Buffer, b: Buffer, from: number, to: number): boolean {
  if (known.length !== to - from) return false;
  for (let i = 0; i < known.length; i++) if (known[i] !== b[from + i]) return false;
  return true;
}

/** This thread's grown columns, handed from a finished collector to the next (a worker scans range after range). */
let spare: CheapPart | undefined;

/** Collects the failed lines of a range (worker side). */
export class CheapColumns {
  private part = CheapColumns.reused();
  private readonly ids = new Map<string, number>();
  /** Endpoints by a hash of their bytes (id + 1 per slot; 0: empty), so that a known one costs no string. */
  private readonly table = new Int32Array(TABLE_SLOTS);
  private tableUsed = 0;
  private readonly bytes: Buffer[] = [];

  static empty(capacity: number): CheapPart {
    return {
      n: 0, time: new Float64Array(capacity), status: new Uint16Array(capacity), endpoint: new Uint32Array(capacity),
      line: new Uint32Array(capacity), offset: new Float64Array(capacity), length: new Uint32Array(capacity), endpoints: [],
    };
  }

  /** The spare columns emptied, if this thread has them, else new ones. */
  private static reused(): CheapPart {
    const p = spare ?? CheapColumns.empty(FIRST_CAPACITY);
    spare = undefined;
    p.n = 0;
    p.endpoints = [];
    return p;
  }

  get size(): number {
    return this.part.n;
  }

  /**
   * The id of the endpoint b[from, to) (ASCII), added when new; `h`: the check's hash of those bytes
   * (combined-check.ts endpointHash). A slot's bytes are compared in full, so a collision costs a probe.
   */
  endpointId(b: Buffer, from: number, to: number, h: number): number {
    const mask = TABLE_SLOTS - 1;
    for (let slot = h & mask, probes = 0; probes < TABLE_SLOTS; slot = (slot + 1) & mask, probes++) {
      const got = this.table[slot] ?? 0;
      if (got === 0) {
        const id = this.idOf(b.toString('latin1', from, to));
        if (this.tableUsed < TABLE_SLOTS / 2) {
          this.table[slot] = id + 1;
          this.tableUsed++;
          this.bytes[id] = Buffer.from(b.subarray(from, to));
        }
        return id;
      }
      const known = this.bytes[got - 1];
      if (known && sameBytes(known, b, from, to)) return got - 1;
    }
    return this.idOf(b.toString('latin1', from, to));
  }

  private idOf(endpoint: string): number {
    let id = this.ids.get(endpoint);
    if (id === undefined) {
      id = this.part.endpoints.length;
      this.part.endpoints.push(endpoint);
      this.ids.set(endpoint, id);
    }
    return id;
  }

  add(time: number, status: number, id: number, line: number, offset: number, length: number): void {
    let p = this.part;
    if (p.n === p.time.length) p = this.grow();
    const k = p.n++;
    p.time[k] = time;
    p.status[k] = status;
    p.endpoint[k] = id;
    p.line[k] = line;
    p.offset[k] = offset;
    p.length[k] = length;
  }

  private grow(): CheapPart {
    const old = this.part;
    const p = CheapColumns.empty(old.time.length * 2);
    p.time.set(old.time);
    p.status.set(old.status);
    p.endpoint.set(old.endpoint);
    p.line.set(old.line);
    p.offset.set(old.offset);
    p.length.set(old.length);
    p.n = old.n;
    p.endpoints = old.endpoints;
    this.part = p;
    return p;
  }

  /** The columns so far, trimmed; the collector starts empty again. */
  take(): CheapPart {
    const p = this.part;
    const n = p.n;
    // What is handed on below is copied out: the grown columns serve this thread's next collector.
    spare = p;
    this.part = CheapColumns.empty(FIRST_CAPACITY);
    this.ids.clear();
    this.table.fill(0);
    this.tableUsed = 0;
    this.bytes.length = 0;
    return {
      n, time: p.time.slice(0, n), status: p.status.slice(0, n), endpoint: p.endpoint.slice(0, n), line: p.line.slice(0, n),
      offset: p.offset.slice(0, n), length: p.length.slice(0, n), endpoints: p.endpoints,
    };
  }
}

/** Reads a failed line again from the open file and parses it with the source's parser (main thread). */
export class LineRereader {
  private readonly fd: number;
  private readonly parse: (line: string, source: number, lineNo: number) => AccessEvent | undefined;
  private readonly source: number;
  private buf = Buffer.allocUnsafe(4096);

  constructor(fd: number, source: number, parse: (line: string, source: number, lineNo: number) => AccessEvent | undefined) {
    this.fd = fd;
    this.source = source;
    this.parse = parse;
  }

  read(f: ScannedFailure): AccessEvent {
    if (this.buf.length < f.length) this.buf = Buffer.allocUnsafe(f.length);
    const got = readSync(this.fd, this.buf, 0, f.length, f.offset);
    const e = got === f.length ? this.parse(lineText(this.buf, 0, got), this.source, f.line) : undefined;
    // The file changed under the read (it cannot happen to a file read by one descriptor, unless truncated):
    // what the scan read of the line stands for it.
    return e ?? {
      kind: 'access', source: this.source, line: f.line, time: f.time, status: f.status, method: '', path: f.endpoint, client: '', host: '', bytes: 0,
      requestTime: NaN, upstreamAddr: '', upstreamStatus: '', upstreamConnectTime: '', upstreamHeaderTime: '', upstreamResponseTime: '',
      termination: '', producer: '', zoned: true, text: '',
    };
  }
}

/** One failed line the scan read in part: pooled as it is, read in full (once) when needed. */
export class ScannedFailure implements CheapFailure {
  readonly kind = 'cheap';
  readonly time: number;
  readonly status: number;
  readonly endpoint: string;
  readonly line: number;
  readonly offset: number;
  readonly length: number;
  private readonly reader: LineRereader;
  private event: AccessEvent | undefined;

  constructor(p: CheapPart, k: number, lineOffset: number, reader: LineRereader) {
    this.time = p.time[k] ?? NaN;
    this.status = p.status[k] ?? 0;
    this.endpoint = p.endpoints[p.endpoint[k] ?? 0] ?? '';
    this.line = (p.line[k] ?? 0) + lineOffset;
    this.offset = p.offset[k] ?? 0;
    this.length = p.length[k] ?? 0;
    this.reader = reader;
  }

  full(): AccessEvent {
    return (this.event ??= this.reader.read(this));
  }
}

/** The failed lines of one scanned range as the correlator takes them (columns; objects only on demand). */
export class CheapSlice implements CheapLines {
  readonly part: CheapPart;
  readonly time: Float64Array;
  readonly status: Uint16Array;
  readonly endpoints: readonly string[];
  readonly endpoint: Uint32Array;
  private readonly lineOffset: number;
  private readonly reader: LineRereader;

  constructor(part: CheapPart, lineOffset: number, reader: LineRereader) {
    this.part = part;
    this.time = part.time;
    this.status = part.status;
    this.endpoints = part.endpoints;
    this.endpoint = part.endpoint;
    this.lineOffset = lineOffset;
    this.reader = reader;
  }

  endpointAt(k: number): string {
    return this.part.endpoints[this.part.endpoint[k] ?? 0] ?? '';
  }

  at(k: number): ScannedFailure {
    return new ScannedFailure(this.part, k, this.lineOffset, this.reader);
  }
}
