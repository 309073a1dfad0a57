// What each step's `found` holds, for the renderers (the JSON document carries them as they are).
import type { Evidence, Incident, SourceSummary } from '../events/analysis.ts';
import type { DiskSpace } from './disk-space.ts';
import type { FoundLog } from './find-logs.ts';
import type { Resources } from './host-resources.ts';
import type { Identified } from './identify.ts';
import type { JournalLines } from './journal.ts';
import type { Listening } from './listening.ts';
import type { RollbackPlan } from './rollback.ts';
import type { ServerProcesses } from './server-processes.ts';
import type { ServiceState } from './services.ts';
import type { ChangesFound } from './steps-facts.ts';

export interface IdentifyFound {
  readonly verdict: { cause: string; layer: string; title: string; statuses: Incident['statuses']; start: string; end: string; evidence: readonly Evidence[] } | null;
  readonly probe: Identified['probe'];
}

export interface ScopeFound {
  readonly totals: { readonly requests: number; readonly byStatus: Readonly<Record<string, number>> };
  readonly paths: readonly [string, number][];
  readonly hosts: readonly [string, number][];
  readonly upstreams: readonly [string, number][];
  readonly share: number | null;
  readonly incidents: readonly { cause: string; layer: string; requests: number; statuses: Incident['statuses']; start: string; end: string; share: number | null }[];
}

export interface ChangesStepFound extends ChangesFound {
  readonly trigger: Incident['trigger'];
}

export interface LogsFound {
  readonly analyzed: readonly SourceSummary[];
  readonly onHost: readonly FoundLog[];
  readonly journal: JournalLines | null;
}

export interface HealthFound {
  readonly resources: Resources;
  readonly disks: readonly DiskSpace[];
  readonly listening: Listening | null;
  readonly processes: readonly ServerProcesses[];
  readonly services: readonly ServiceState[];
}

export interface RollbackFound {
  readonly plan: RollbackPlan | null;
  readonly others: readonly RollbackPlan[];
}
