// Runs fivexx's analysis over a lab's logs, as the CLI would.
import { existsSync } from 'node:fs';
import { runAnalysis } from '../../src/engine/run-analysis.ts';
import type { Analysis } from '../../src/events/analysis.ts';
import type { Lab } from './lab.ts';

export async function analyzeLab(lab: Lab, opts: { accessOnly?: boolean; combined?: boolean; withoutError?: boolean; errorOnly?: boolean } = {}): Promise<Analysis> {
  const l = lab.logs;
  const access = opts.combined ? l.combined : l.access;
  const kern = lab.path('logs', 'kern.log');
  const paths = opts.errorOnly ? [l.error] : opts.accessOnly ? [access] : [access, ...(opts.withoutError ? [] : [l.error]), l.app, l.fpm, kern].filter((p) => existsSync(p));
  const outcome = await runAnalysis({
    paths, forced: new Map(), extraFormats: [], changes: existsSync(l.deploy) ? [l.deploy] : [], tz: undefined,
    since: undefined, until: undefined, gapMs: 120_000, triggerWindowMs: 1_800_000,
  });
  if (!outcome.ok) throw new Error(outcome.error);
  return outcome.analysis;
}
