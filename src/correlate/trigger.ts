// Finds the change (deploy, config reload, restart) that most plausibly triggered an incident.
import type { ChangeEvent } from '../events/types.ts';

export interface Trigger {
  readonly kind: ChangeEvent['kind'];
  readonly at: number;
  readonly ref: string;
  readonly source: string;
  readonly line: number;
  readonly text: string;
}

/** A change this close after the first failure still counts: the two clocks may disagree by a second. */
const AFTER_SLACK_MS = 2000;

/**
 * The latest change at most `windowMs` before the onset; deploys and config changes win over restarts.
 * A change just after the onset (clock skew, second-resolution logs) counts only when none came before.
 */
export function findTrigger(changes: readonly ChangeEvent[], onset: number, windowMs: number): Trigger | undefined {
  const before = changes.filter((c) => c.time <= onset && c.time >= onset - windowMs);
  const inWindow = before.length > 0 ? before : changes.filter((c) => c.time > onset && c.time <= onset + AFTER_SLACK_MS);
  if (inWindow.length === 0) return undefined;
  const rank = (c: ChangeEvent): number => (c.kind === 'restart' ? 0 : 1);
  inWindow.sort((a, b) => rank(b) - rank(a) || b.time - a.time);
  const c = inWindow[0];
  return c ? { kind: c.kind, at: c.time, ref: c.ref, source: c.source, line: c.line, text: c.text } : undefined;
}
