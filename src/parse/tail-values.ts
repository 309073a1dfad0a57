// The scope values of an nginx error record's request fields (the endpoint of its request, its upstream
// peer, its host), remembered by the exact bytes of its tail from ", server: " to the line's end: an
// outage repeats a few hundred such tails millions of times (only the client before them differs), and
// reading the fields from bytes is most of a record's cost. A direct-mapped cache: a slot is picked from
// some of the bytes, a hit is checked on every byte (a clash replaces the slot; a value is never wrong).
import { ByteStrings } from './byte-strings.ts';
import { pathSpan, peerSpan, readTailFrom, SPAN } from './nginx-error-bytes.ts';

/** What the request fields of a tail give the correlator (fromFinding's path, upstream and host). */
export interface TailValues {
  /** The record names a request (else nginx's stream/mail proxy or a connection-level line). */
  readonly request: boolean;
  readonly path: string;
  readonly peer: string;
  readonly host: string;
}

const SLOTS = 1 << 11;
const MASK = SLOTS - 1;
/** Longer tails are read each time (costly to keep and to compare, rarely repeated). */
const MAX_BYTES = 512;
/** The slot is picked from every STRIDE-th byte, the last ones and the length. */
const STRIDE = 7;

export class TailCache {
  private readonly keys: (Buffer | undefined)[] = new Array<Buffer | undefined>(SLOTS).fill(undefined);
  private readonly values: (TailValues | undefined)[] = new Array<TailValues | undefined>(SLOTS).fill(undefined);
  private readonly spans = new Int32Array(SPAN.size);
  private readonly pair = new Int32Array(2);
  private readonly strings = new ByteStrings();

  /** The values of the tail b[serverAt, end) (serverAt: where ", server: " starts, as serverAfter finds it). */
  get(b: Buffer, serverAt: number, end: number): TailValues {
    const n = end - serverAt;
    if (n > MAX_BYTES) return this.read(b, serverAt, end);
    let h = Math.imul(n, 0x9e3779b1) ^ ((b[end - 1] ?? 0) | ((b[end - 2] ?? 0) << 8) | ((b[end - 3] ?? 0) << 16));
    for (let i = serverAt + 10; i < end; i += STRIDE) h = Math.imul(h ^ (b[i] ?? 0), 0x01000193);
    const slot = (h >>> 16) & MASK;
    const key = this.keys[slot];
    const had = this.values[slot];
    // Buffer.compare (memcmp): about twice as fast as a loop in JavaScript over a tail of 130 bytes.
    if (key !== undefined && had !== undefined && key.length === n && b.compare(key, 0, n, serverAt, end) === 0) return had;
    const v = this.read(b, serverAt, end);
    this.keys[slot] = Buffer.from(b.subarray(serverAt, end));
    this.values[slot] = v;
    return v;
  }

  /** The values read from bytes (readTailFrom, pathSpan, peerSpan), as ErrorDigest took them before this cache; uncached. */
  read(b: Buffer, serverAt: number, end: number): TailValues {
    const s = this.spans;
    for (let k = SPAN.reqStart; k < SPAN.size; k++) s[k] = -1;
    readTailFrom(b, serverAt, end, s);
    const request = (s[SPAN.reqStart] ?? -1) >= 0;
    if (!request) return NO_REQUEST;
    const pair = this.pair;
    pathSpan(b, s[SPAN.reqStart] ?? -1, s[SPAN.reqEnd] ?? -1, pair);
    const path = this.strings.get(b, pair[0] ?? 0, pair[1] ?? 0);
    peerSpan(b, s[SPAN.upStart] ?? -1, s[SPAN.upEnd] ?? -1, pair);
    const peer = this.strings.get(b, pair[0] ?? 0, pair[1] ?? 0);
    const host = this.strings.get(b, s[SPAN.hostStart] ?? 0, s[SPAN.hostEnd] ?? 0);
    return { request, path, peer, host };
  }
}

const NO_REQUEST: TailValues = { request: false, path: '', peer: '', host: '' };
