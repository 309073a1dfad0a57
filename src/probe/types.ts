// The result shapes of `fivexx diagnose`: checks per hop and the verdict (contract version 1).
import type { Layer } from '../events/types.ts';

export interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly ms: number;
  readonly detail?: string;
  readonly status?: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** Extensions: which address, the timing phases, the request id sent. */
  readonly address?: string;
  readonly phases?: { dns: number; connect: number; tls: number; ttfb: number; total: number };
  readonly requestId?: string;
  readonly traceparent?: string;
  readonly httpVersion?: string;
  readonly redirects?: string[];
  readonly code?: string;
  /** Extension: the reason phrase of the status line (the Classic ELB's only sign). */
  readonly reason?: string;
}

export interface Verdict {
  readonly layer: Layer | null;
  readonly cause: string | null;
  readonly status: number | null;
  readonly responder: string;
  readonly confidence: number;
  readonly summary: string;
  readonly nextSteps: readonly string[];
  /** Extension: every hop that drew or relayed the page, outermost first, the author last. */
  readonly layers?: readonly string[];
  /** Extension: the signs that named them (a header, a line of the page, the status, the reason phrase). */
  readonly signs?: readonly string[];
  /** Extension: what the author's page means for the visitor and for the operator. */
  readonly meaning?: { readonly visitor: string; readonly operator: string };
}

/** Extension: N bounded requests in a row, for intermittent errors a single probe misses. */
export interface Burst {
  readonly requests: number;
  readonly byStatus: Readonly<Record<string, number>>;
  readonly failed: number;
  readonly errorRate: number;
}

/** Extension: visitor mode, a second probe after a pause and probes of other sites. */
export interface Visitor {
  readonly retryAfterMs: number;
  readonly retryStatus: number | null;
  readonly persistent: boolean;
  readonly compared: readonly { readonly url: string; readonly ok: boolean; readonly detail: string }[];
  readonly advice: readonly string[];
}

export interface Diagnosis {
  readonly version: 1;
  readonly url: string;
  /** Extension: 'page' when read offline from a saved response (--page); absent for a live probe. */
  readonly source?: 'page';
  readonly verdict: Verdict;
  readonly checks: readonly Check[];
  readonly burst?: Burst;
  readonly visitor?: Visitor;
}
