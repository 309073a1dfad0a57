// What an alert carries (docs/contract.md, watch alerts): the event, a one-line verdict and the incident.

export type AlertEvent = 'opened' | 'changed' | 'resolved';

/** The incident as analyze shapes it, plus the watch fields. */
export interface AlertIncident {
  readonly id: number;
  readonly target: string;
  readonly state: 'open' | 'resolved';
  readonly cause: string;
  readonly layer: string;
  readonly title: string;
  readonly statuses: Readonly<Record<string, number>>;
  readonly start: string;
  readonly end: string;
  readonly resolvedAt: string | null;
  readonly path: string | null;
  readonly upstream: string | null;
  readonly summary: string;
  readonly nextSteps: readonly string[];
  readonly evidence: readonly { readonly source: string; readonly line: number; readonly text: string }[];
  readonly trigger: { readonly kind: string; readonly at: string; readonly ref: string } | null;
}

export interface Alert {
  readonly event: AlertEvent;
  /** One line, leading with the verdict. */
  readonly text: string;
  readonly incident: AlertIncident;
}

/** One configured channel. `send` throws on failure; the dispatcher retries. */
export interface AlertChannel {
  readonly name: string;
  send(alert: Alert, signal: AbortSignal): Promise<void>;
}
