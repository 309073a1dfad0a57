// A failed access line known only by what pooling needs (time, status, endpoint; no upstream, host or
// request time: a plain `combined` line), with its full reading on demand. The correlator pools it as it
// is when no finding lies in its join window, and reads it in full (the reference path) otherwise.
import type { AccessEvent } from '../events/types.ts';

export interface CheapFailure {
  readonly kind: 'cheap';
  readonly time: number;
  readonly status: number;
  /** The request's path without its query (scope.ts `endpoint`). */
  readonly endpoint: string;
  /** The line as the format's parser reads it (read again from the file once, then kept). */
  full(): AccessEvent;
}

/** An access line, or the full reading of a cheap one. */
export function accessOf(a: AccessEvent | CheapFailure): AccessEvent {
  return a.kind === 'cheap' ? a.full() : a;
}

/**
 * The template a cheap failure stands for when its verdict is read: every field a plain combined line
 * lacks is empty (access-evidence.ts reads only those and the status).
 */
export function bareAccess(status: number): AccessEvent {
  return {
    kind: 'access', source: 0, line: 0, time: 0, status, method: '', path: '', client: '', host: '', bytes: 0, requestTime: NaN,
    upstreamAddr: '', upstreamStatus: '', upstreamConnectTime: '', upstreamHeaderTime: '', upstreamResponseTime: '',
    termination: '', producer: '', zoned: true, text: '',
  };
}

/**
 * A run of cheap failures as columns (one scanned range): the correlator pools them straight from the
 * columns and makes a `CheapFailure` of a line only when it keeps it (a bucket's first line) or joins it.
 */
export interface CheapLines {
  readonly time: Float64Array;
  readonly status: Uint16Array;
  /** The endpoint of line k (a string shared by the range's lines of that endpoint). */
  endpointAt(k: number): string;
  /** The endpoints of the run by id (0 … endpoints.length - 1), and the id of line k's. */
  readonly endpoints: readonly string[];
  readonly endpoint: Uint32Array;
  /** Line k as a cheap failure (a new object each call). */
  at(k: number): CheapFailure;
}
