// Loads catalog/termination-states.yaml: gateway access-log states that prove a cause on their own.
import { join } from 'node:path';
import type { AccessEvent } from '../events/types.ts';
import { CATALOG_DIR } from './paths.ts';
import { FieldReader, readYamlFile } from './yaml-files.ts';

export interface TerminationRule {
  readonly producer: string;
  readonly state: string;
  readonly server: string;
  readonly status: number;
  readonly cause: string;
  readonly midBody: boolean;
}

let cached: TerminationRule[] | undefined;

export function loadTerminationRules(file = join(CATALOG_DIR, 'termination-states.yaml')): TerminationRule[] {
  if (cached) return cached;
  const data = readYamlFile(file) as Record<string, unknown>;
  const rules: TerminationRule[] = [];
  for (const producer of Object.keys(data)) {
    for (const r of FieldReader.of(file, data).list(producer)) {
      rules.push({
        producer, state: r.string('state'), server: r.string('server', true), status: r.number('status', 0),
        cause: r.string('cause'), midBody: r.bool('midBody'),
      });
    }
  }
  cached = rules;
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
