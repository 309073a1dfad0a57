// Names the change (deploy, rollback, config, reload, restart) that triggered an incident: only one whose kind fits the cause, with how well.
import type { IncidentTrigger } from '../events/analysis.ts';
import type { ChangeEvent, ChangeKind, Layer, Producer } from '../events/types.ts';
import { toIso } from '../parse/time.ts';

export type Fit = 'strong' | 'plausible';

export interface Trigger {
  readonly kind: ChangeKind;
  readonly at: number;
  readonly ref: string;
  readonly source: string;
  readonly line: number;
  readonly text: string;
  readonly fit: Fit;
  /** 0–1: the fit weighed by how long before onset the change came. */
  readonly confidence: number;
  /** Why this kind of change explains this cause, in words. */
  readonly reason: string;
}

/** The cause of an incident, as much as the fit needs. */
export interface CauseRef {
  readonly id: string;
  readonly layer: Layer;
}

interface Rule {
  readonly kinds: readonly ChangeKind[];
  /** Cause ids, or `layer.*` for every cause of a layer. */
  readonly causes: readonly string[];
  readonly fit: Fit;
  readonly reason: string;
  /** Only changes of the app or of unknown origin (a changes log), not those a gateway's own log marks. */
  readonly notGateway?: boolean;
  /** Only changes a gateway's own log marks (nginx reloading or starting). */
  readonly gatewayOnly?: boolean;
}

/** Connection-level upstream failures: nothing (or the wrong thing) listens where the gateway connects. */
const DOWN = ['upstream.refused', 'upstream.reset', 'upstream.premature_close', 'upstream.socket_missing', 'upstream.unreachable', 'gateway.no_healthy_upstream', 'app.startup', 'app.crash'];
/** Upstream failures that the proxy's own settings (address, socket, TLS, buffers) can cause. */
const PROXY_SETTINGS = ['upstream.refused', 'upstream.socket_missing', 'upstream.permission_denied', 'upstream.dns', 'upstream.tls', 'upstream.unreachable', 'upstream.header_too_big', 'upstream.timeout', 'upstream.invalid_response'];
/** Failures new application code can cause away from its own exceptions. */
const CODE_SIDE = ['dependency.*', 'upstream.timeout', 'upstream.premature_close', 'upstream.invalid_response', 'upstream.header_too_big', 'app.*'];

/** First match wins: the strong rules come before the plausible ones for the same kinds. */
export const FIT_RULES: readonly Rule[] = [
  { kinds: ['deploy'], causes: ['app.*'], fit: 'strong', reason: 'a deploy shortly before errors in the application code' },
  { kinds: ['deploy'], causes: CODE_SIDE, fit: 'plausible', reason: 'a deploy: new code can fail this way' },
  { kinds: ['rollback'], causes: CODE_SIDE, fit: 'plausible', reason: 'a rollback: the older code can fail this way (with newer data or config)' },
  { kinds: ['change'], causes: CODE_SIDE, fit: 'plausible', reason: 'a code change: it can fail this way once deployed' },
  { kinds: ['config', 'reload'], causes: ['gateway.*', 'app.config'], fit: 'strong', reason: 'a configuration change shortly before errors that configuration causes' },
  { kinds: ['config', 'reload'], causes: [...PROXY_SETTINGS, 'edge.*', 'app.*'], fit: 'plausible', reason: 'a configuration change: a wrong address, socket or limit fails this way' },
  { kinds: ['restart'], causes: DOWN, fit: 'strong', reason: 'a restart: the app is down or starting while it restarts', notGateway: true },
  { kinds: ['restart'], causes: ['upstream.*', 'app.*'], fit: 'plausible', reason: 'a restart: the app can fail this way while it starts', notGateway: true },
  { kinds: ['restart'], causes: ['gateway.*'], fit: 'plausible', reason: 'the gateway restarted: it can fail this way while it starts', gatewayOnly: true },
];

const GATEWAYS: ReadonlySet<Producer> = new Set(['nginx', 'apache', 'haproxy', 'caddy', 'varnish', 'traefik', 'envoy', 'alb']);
const BASE: Record<Fit, number> = { strong: 0.9, plausible: 0.6 };

function causeMatches(pattern: string, cause: CauseRef): boolean {
  return pattern.endsWith('.*') ? pattern.slice(0, -2) === cause.layer : pattern === cause.id;
}

/** The first rule under which this change explains this cause, if any. */
export function fitOf(change: Pick<ChangeEvent, 'kind' | 'producer'>, cause: CauseRef): Rule | undefined {
  const byGateway = change.producer !== undefined && GATEWAYS.has(change.producer);
  return FIT_RULES.find((r) =>
    r.kinds.includes(change.kind) && !(r.notGateway && byGateway) && !(r.gatewayOnly && !byGateway) && r.causes.some((p) => causeMatches(p, cause)));
}

/** A change this close after the first failure still counts: the two clocks may disagree by a second. */
const AFTER_SLACK_MS = 2000;
/** Changes this close before onset keep their whole fit; older ones fade to half at the window's start. */
const FRESH_MS = 60_000;

function closeness(gapMs: number, windowMs: number): number {
  if (gapMs < 0) return 0.8;
  if (gapMs <= FRESH_MS || windowMs <= FRESH_MS) return 1;
  return 1 - 0.5 * Math.min(1, (gapMs - FRESH_MS) / (windowMs - FRESH_MS));
}

/**
 * The change at most `windowMs` before the onset whose kind fits the cause best (then the latest); a
 * change just after the onset (clock skew, second-resolution logs) counts only when none came before.
 * Changes that do not fit the cause are never named: a rollback does not explain refused connections.
 */
export function findTrigger(changes: readonly ChangeEvent[], onset: number, windowMs: number, cause: CauseRef): Trigger | undefined {
  const fitting = (list: readonly ChangeEvent[]): Trigger[] => list.flatMap((c) => {
    const rule = fitOf(c, cause);
    if (!rule) return [];
    const confidence = Math.round(BASE[rule.fit] * closeness(onset - c.time, windowMs) * 100) / 100;
    return [{ kind: c.kind, at: c.time, ref: c.ref, source: c.source, line: c.line, text: c.text, fit: rule.fit, confidence, reason: rule.reason }];
  });
  let found = fitting(changes.filter((c) => c.time <= onset && c.time >= onset - windowMs));
  if (found.length === 0) found = fitting(changes.filter((c) => c.time > onset && c.time <= onset + AFTER_SLACK_MS));
  found.sort((a, b) => b.confidence - a.confidence || b.at - a.at);
  return found[0];
}

/** The incident's `trigger` as the JSON report gives it, or null when no change fits. */
export function incidentTrigger(changes: readonly ChangeEvent[], onset: number, windowMs: number, cause: CauseRef): IncidentTrigger | null {
  const t = findTrigger(changes, onset, windowMs, cause);
  return t ? { kind: t.kind, at: toIso(t.at), ref: t.ref, source: t.source, fit: t.fit, confidence: t.confidence, reason: t.reason } : null;
}
