// What every check-config rule is: an id, the causes it may name, and a check over the configs read.
import type { AppSettings } from './app-servers/types.ts';
import type { Finding, ServerConfig, Severity } from './model.ts';

export interface AuditContext {
  readonly configs: readonly ServerConfig[];
  readonly apps: AppSettings;
  /** Whether rules may connect to loopback upstreams (never to others). */
  readonly probe: boolean;
  readonly now: Date;
  /** The folder holding passwd and group. */
  readonly etc: string;
}

export interface Rule {
  readonly id: string;
  /** Every cause ID this rule's findings may carry (checked against the catalog by a test). */
  readonly causes: readonly string[];
  check(ctx: AuditContext): Promise<Finding[]>;
}

/** A finding at a directive's place. */
export function finding(at: { file: string; line: number }, severity: Severity, cause: string, message: string, fix: string): Finding {
  return { severity, file: at.file, line: at.line, message, cause, fix };
}
