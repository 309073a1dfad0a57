// The result of `fivexx analyze`, shaped exactly as the contract's JSON (version 1), plus documented extensions.
import type { ChangeKind, Layer } from './types.ts';

export interface SourceSummary {
  readonly path: string;
  readonly format: string;
  readonly lines: number;
  readonly unparsed: number;
  /** Extension: problems met while reading (truncated gzip, unknown format, over-long lines). */
  readonly warnings: readonly string[];
}

export interface Evidence {
  readonly source: string;
  readonly line: number;
  readonly text: string;
  /** Extension: 'inferred' when the line carries no time and was placed by its order against the failures it explains. */
  readonly placement?: 'inferred';
}

/** How a record's time was had: written on it (or inherited from its neighbours), or inferred from its order. */
export type Placement = 'logged' | 'inferred';

/** Extension of an incident: the process lifecycle its root evidence shows (src/correlate/lifecycle.ts). */
export interface IncidentLifecycle {
  /** Fatal records (crash, OOM) among the incident's root evidence. */
  readonly crashes: number;
  /** Of those, the ones a start banner followed: the process came back (a crash-restart loop when more than one). */
  readonly restarts: number;
  /** 'inferred': some of those records carry no time and were placed by their order against the failures. */
  readonly placement: Placement;
}

/** Extension: requests counted under a root cause that, on their own, showed this symptom cause. */
export interface Symptom {
  readonly cause: string;
  readonly requests: number;
}

export interface IncidentTrigger {
  readonly kind: ChangeKind;
  readonly at: string;
  readonly ref: string;
  readonly source: string;
  /** Extension: how well this kind of change explains the incident's cause, and why. */
  readonly fit: 'strong' | 'plausible';
  /** Extension: 0–1, the fit weighed by how long before onset the change came. */
  readonly confidence: number;
  readonly reason: string;
}

export interface Incident {
  readonly cause: string;
  readonly layer: Layer;
  readonly statuses: Readonly<Record<string, number>>;
  readonly start: string;
  readonly end: string;
  readonly requests: number;
  readonly confidence: number;
  readonly evidence: readonly Evidence[];
  readonly scope: {
    readonly paths: [string, number][];
    readonly upstreams: [string, number][];
    readonly hosts: [string, number][];
    /** Extension: failed share of all requests in the window (0–1), null when unknown. */
    readonly share: number | null;
  };
  readonly trigger: IncidentTrigger | null;
  readonly nextSteps: readonly string[];
  /** Extensions: the cause's title, meaning and first place to check. */
  readonly title: string;
  readonly meaning: string;
  readonly firstCheck: string;
  /** Extension: requests that got a truncated 2xx (the failure came after the headers). */
  readonly truncated: number;
  /** Extension: true when statuses were inferred from error records alone (no access log). */
  readonly statusesInferred: boolean;
  /** Extension: when a root cause replaced the symptoms (an OOM kill behind refused connections), the symptoms, largest first. */
  readonly symptoms?: readonly Symptom[];
  /** Extension: the process lifecycle the root evidence shows (crashes, restarts after them, how they were placed). */
  readonly lifecycle?: IncidentLifecycle;
}

export interface Analysis {
  readonly version: 1;
  readonly sources: readonly SourceSummary[];
  readonly totals: { readonly requests: number; readonly byStatus: Readonly<Record<string, number>> };
  readonly incidents: readonly Incident[];
  /** Extension: the zone offset (minutes) applied to log times that carry none. */
  readonly assumedOffsetMinutes: number;
  /**
   * Extension: what was read and set aside as no failed request, one sentence each (requests retried to another
   * upstream and answered, nginx stream/mail proxy records, records of causes that answer 4xx). Absent when none.
   */
  readonly notes?: readonly string[];
}
