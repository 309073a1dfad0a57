// check-config's engine: runs every rule over the configs read and returns the contract's document.
import { loadCauses } from '../catalog/causes.ts';
import { FivexxError } from '../errors/codes.ts';
import type { AppSettings } from './app-servers/types.ts';
import type { AuditReport, Finding, ServerConfig } from './model.ts';
import { loadRules } from './rules/index.ts';

const ORDER = { error: 0, warning: 1, info: 2 } as const;

export interface AuditInput {
  readonly configs: readonly ServerConfig[];
  readonly apps: AppSettings;
  readonly probe: boolean;
  readonly now?: Date;
  readonly etc?: string;
}

export async function audit(input: AuditInput): Promise<AuditReport> {
  const ctx = { configs: input.configs, apps: input.apps, probe: input.probe, now: input.now ?? new Date(), etc: input.etc ?? '/etc' };
  const found: Finding[] = input.configs.flatMap((c) => c.notes);
  for (const rule of await loadRules()) found.push(...(await rule.check(ctx)));
  const causes = loadCauses().byId;
  for (const f of found) if (!causes.has(f.cause)) throw new FivexxError('FIVEXX_INTERNAL', `check-config: a finding names the unknown cause ${f.cause}`);
  found.sort((a, b) => ORDER[a.severity] - ORDER[b.severity] || a.file.localeCompare(b.file) || a.line - b.line);
  const files = [...new Set([...input.configs.flatMap((c) => c.files), ...input.apps.files])];
  return { version: 1, files, findings: found };
}
