// Applies the redaction rules to a whole report: every text quoted from logs or responses, never the user's own paths.
import type { Analysis, Incident } from '../events/analysis.ts';
import type { Diagnosis } from '../probe/types.ts';
import { hidePasswords, redactHeader, redactText, type Tally } from './redact.ts';

/** Extension of the contract: how many secret values the report hides (0 with --no-redact). */
export type RedactedAnalysis = Analysis & { readonly redacted: number };
export type RedactedDiagnosis = Diagnosis & { readonly redacted: number };

type Rule = (text: string, tally: Tally) => string;

function isStringRecord(v: unknown): v is Record<string, string> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');
}

function headers(h: Record<string, string>, tally: Tally): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k, redactHeader(k, v, tally)]));
}

/** Every string in `value`, at any depth (keys unchanged, those named in `keep` left alone); `headers` by header name. */
function walk(value: unknown, rule: Rule, tally: Tally, keep: ReadonlySet<string>, key = ''): unknown {
  if (typeof value === 'string') return keep.has(key) ? value : rule(value, tally);
  if (Array.isArray(value)) return value.map((v: unknown) => walk(v, rule, tally, keep, key));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = k === 'headers' && rule === redactText && isStringRecord(v) ? headers(v, tally) : walk(v, rule, tally, keep, k);
  }
  return out;
}

/** Two paths that differed only by a secret are one path once it is hidden. */
function merge(list: readonly [string, number][]): [string, number][] {
  const counts = new Map<string, number>();
  for (const [k, n] of list) counts.set(k, (counts.get(k) ?? 0) + n);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

function mergeScope(i: Incident): Incident {
  return { ...i, scope: { ...i.scope, paths: merge(i.scope.paths), upstreams: merge(i.scope.upstreams), hosts: merge(i.scope.hosts) } };
}

/** The user's own file paths stay as given; everything quoted from the logs is redacted. */
const ANALYSIS_KEEP = new Set(['path', 'source']);

/** The analysis with every secret in log text hidden, and how many were. */
export function redactAnalysis(a: Analysis): RedactedAnalysis {
  const tally: Tally = { n: 0 };
  const r = walk(a, redactText, tally, ANALYSIS_KEEP) as Analysis;
  return { ...r, incidents: r.incidents.map(mergeScope), redacted: tally.n };
}

/**
 * The diagnosis with the URL's password hidden, always; with `all`, also cookies, credentials, secret
 * query parameters and tokens in URLs, headers, bodies and details.
 */
export function redactDiagnosis(d: Diagnosis, all: boolean): RedactedDiagnosis {
  const tally: Tally = { n: 0 };
  const r = walk(d, all ? redactText : hidePasswords, tally, new Set()) as Diagnosis;
  return { ...r, redacted: tally.n };
}

/** Any other report (`fivexx incident`): every string at any depth redacted, the user's own paths kept. */
export function redactReport<T extends object>(report: T): T & { readonly redacted: number } {
  const tally: Tally = { n: 0 };
  const r = walk(report, redactText, tally, ANALYSIS_KEEP) as T;
  return { ...r, redacted: tally.n };
}
