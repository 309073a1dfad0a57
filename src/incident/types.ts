// The shapes of `fivexx incident`: eight steps, each with what it found, looked at and could not see.
import type { Incident } from '../events/analysis.ts';

export const STEP_NAMES = ['identify', 'scope', 'changes', 'logs', 'health', 'rollback', 'communicate', 'document'] as const;
export type StepName = (typeof STEP_NAMES)[number];

/** Something a collector could not see, and why (permission denied, no systemd, not installed…). */
export interface Unavailable {
  readonly what: string;
  readonly reason: string;
}

/** What one collector returns: its facts, the places it looked, and what it could not see. */
export interface Collected<T> {
  readonly found: T;
  readonly looked: readonly string[];
  readonly unavailable: readonly Unavailable[];
}

export interface Step {
  readonly step: StepName;
  readonly found: unknown;
  readonly looked: readonly string[];
  readonly unavailable: readonly Unavailable[];
}

export interface IncidentReport {
  readonly version: 1;
  readonly steps: readonly Step[];
  /** The analysis's leading incident (shaped as in `analyze`), or null when the logs show none. */
  readonly verdict: Incident | null;
  readonly postmortem: string;
}

/** Where host facts are read from: the real host by default, temp folders in tests. */
export interface HostRoots {
  readonly proc: string;
  readonly etc: string;
  readonly varLog: string;
  /** Holds `systemd/system` when systemd runs (/run). */
  readonly run: string;
  /** Folders searched for a deploy folder when --app is not given. */
  readonly appParents: readonly string[];
  /** Folders searched for programs (absolute paths only; no PATH lookup). */
  readonly bin: readonly string[];
}

export const REAL_HOST: HostRoots = {
  proc: '/proc', etc: '/etc', varLog: '/var/log', run: '/run',
  appParents: ['/srv', '/var/www', '/opt'],
  bin: ['/usr/bin', '/bin', '/usr/sbin', '/sbin', '/usr/local/bin'],
};

/** Adds a collector's looked/unavailable lists to a step's. */
export function merge<T>(into: { looked: string[]; unavailable: Unavailable[] }, c: Collected<T>): T {
  into.looked.push(...c.looked);
  into.unavailable.push(...c.unavailable);
  return c.found;
}
