// Loads catalog/termination-states.yaml: gateway access-log states that prove a cause on their own.
import { join } from 'node:path';
import type { AccessEvent } from '../events/types.ts';
import { CATALOG_DIR } from './paths.ts';
import { loadCauses, requireCause, type CauseCatalog } from './causes.ts';
import { readChecked } from './checked.ts';

export interface TerminationRule {
  readonly producer: string;
  readonly state: string;
  readonly server: string;
  readonly status: number;
  readonly cause: string;
  readonly midBody: boolean;
}

const DEFAULT_FILE = join(CATALOG_DIR, 'termination-states.yaml');
let cached: TerminationRule[] | undefined;

/**
 * The rules of the file, checked against its schema; every cause a rule names must exist in
 * `causes` (FIVEXX_CATALOG_INVALID otherwise).
 */
export function loadTerminationRules(file = DEFAULT_FILE, causes: CauseCatalog = loadCauses()): TerminationRule[] {
  if (cached && file === DEFAULT_FILE) return cached;
  const data = readChecked('terminationStates', file, file === DEFAULT_FILE ? 'termination-states.yaml' : file);
  const rules: TerminationRule[] = [];
  for (const [producer, list] of Object.entries(data)) {
    for (const r of list ?? []) {
      requireCause(causes, r.cause, `termination-states.yaml: ${producer} ${r.state}`);
      rules.push({ producer, state: r.state, server: r.server ?? '', status: r.status ?? 0, cause: r.cause, midBody: r.midBody ?? false });
    }
  }
  if (file === DEFAULT_FILE) cached = rules;
  return rules;
}

/** The first rule that fits the line's producer, termination state, server and status. */
export function terminationRule(rules: readonly TerminationRule[], e: AccessEvent): TerminationRule | undefined {
  if (!e.termination) return undefined;
  const head = e.termination.slice(0, 2);
  const flags = e.termination.split(',');
  const server = e.upstreamAddr.slice(e.upstreamAddr.indexOf('/') + 1);
  return rules.find(
    (r) => r.producer === e.producer && (r.state === head || flags.includes(r.state)) && (!r.server || r.server === server) && (!r.status || r.status === e.status) &&
      (r.midBody ? e.status < 500 : e.status >= 500),
  );
}
