// Step 1, identify: the exact error from the logs (the analyze engine) and, with a URL, from a live probe.
import { loadCauses } from '../catalog/causes.ts';
import { runAnalysis } from '../engine/run-analysis.ts';
import type { Analysis } from '../events/analysis.ts';
import { DEFAULT_PROBE, probeUrl } from '../probe/http-probe.ts';
import type { Check, Verdict } from '../probe/types.ts';
import { decide } from '../probe/verdict.ts';
import type { Collected, Unavailable } from './types.ts';

export interface Identified {
  readonly analysis: Analysis | null;
  readonly probe: { readonly url: string; readonly verdict: Verdict; readonly checks: readonly Check[] } | null;
}

export interface IdentifyOptions {
  readonly logs: readonly string[];
  /** Deploy/change logs for the trigger (analyze --changes). */
  readonly changes: readonly string[];
  /** The deploy folder's git work tree, also for the trigger; dropped when this user cannot read it. */
  readonly gitChanges: string | undefined;
  readonly url: URL | undefined;
  readonly probeTimeoutMs: number;
  readonly since: number | undefined;
  readonly triggerWindowMs: number;
}

async function analyzeLogs(o: IdentifyOptions, unavailable: Unavailable[]): Promise<Analysis | null> {
  if (o.logs.length === 0) {
    unavailable.push({ what: 'the exact error from the logs', reason: 'no readable log found (give --logs DIR)' });
    return null;
  }
  const run = (changes: readonly string[]): ReturnType<typeof runAnalysis> => runAnalysis({
    paths: o.logs, forced: new Map(), extraFormats: [], changes, tz: undefined, since: o.since, until: undefined,
    gapMs: 120_000, triggerWindowMs: o.triggerWindowMs, onWarning: (m) => unavailable.push({ what: 'part of the logs', reason: m }),
  });
  let outcome = await run(o.gitChanges ? [...o.changes, o.gitChanges] : o.changes);
  if (!outcome.ok && outcome.code === 'FIVEXX_CHANGES_UNREADABLE' && o.gitChanges) {
    // git refuses another user's repository to the analysis: that must not cost the verdict.
    unavailable.push({ what: `git history of ${o.gitChanges} for the trigger`, reason: outcome.error });
    outcome = await run(o.changes);
  }
  if (!outcome.ok) {
    unavailable.push({ what: 'the exact error from the logs', reason: `${outcome.code}: ${outcome.error}` });
    return null;
  }
  return outcome.analysis;
}

export async function identify(o: IdentifyOptions): Promise<Collected<Identified>> {
  const unavailable: Unavailable[] = [];
  const looked = [...o.logs.map((l) => `${l} (fivexx analyze)`), ...(o.url ? [`${o.url.href} (live probe)`] : [])];
  const [analysis, checks] = await Promise.all([analyzeLogs(o, unavailable), o.url ? probeUrl(o.url, { ...DEFAULT_PROBE, timeoutMs: o.probeTimeoutMs }) : Promise.resolve(undefined)]);
  if (!o.url) unavailable.push({ what: 'a live probe', reason: 'no --url given' });
  const probe = o.url && checks ? { url: o.url.href, verdict: decide(loadCauses(), checks, undefined, ''), checks } : null;
  return { found: { analysis, probe }, looked, unavailable };
}
