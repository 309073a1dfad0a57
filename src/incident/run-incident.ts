// Walks the eight steps of an incident (identify, scope, changes, logs, health, rollback, communicate, document).
import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Analysis, Incident } from '../events/analysis.ts';
import { draftMessages } from './communicate.ts';
import type { ChangedFile } from './changed-files.ts';
import { collectDeploy, type DeployFacts } from './deploy-git.ts';
import { findLogs, type FoundLog } from './find-logs.ts';
import { fromIncident, fromProbe, type Headline } from './headline.ts';
import { identify, type Identified } from './identify.ts';
import { renderPostmortem, type TimelineEntry } from './postmortem.ts';
import { planRollback, type RollbackPlan } from './rollback.ts';
import { installedServices, systemdRuns } from './services.ts';
import type { ChangesStepFound, HealthFound, IdentifyFound, LogsFound, RollbackFound, ScopeFound } from './step-found.ts';
import { changesStep, healthStep, journalFacts, type ChangesFound, type Window } from './steps-facts.ts';
import { merge, type HostRoots, type IncidentReport, type Step, type Unavailable } from './types.ts';

export interface IncidentOptions {
  /** Logs to analyse (--logs); empty: the logs found on this host. */
  readonly logs: readonly string[];
  readonly url: URL | undefined;
  /** The deploy folder (--app); undefined: searched for. */
  readonly app: string | undefined;
  /** How far before the onset changes are looked for. */
  readonly windowMs: number;
  readonly probeTimeoutMs: number;
  readonly since: number | undefined;
  readonly now: number;
  readonly roots: HostRoots;
}

const step = (name: Step['step'], found: unknown, a: { looked: readonly string[]; unavailable: readonly Unavailable[] }): Step => ({ step: name, found, looked: [...a.looked], unavailable: [...a.unavailable] });

function scopeStep(analysis: Analysis | null): Step {
  if (!analysis) return step('scope', null, { looked: [], unavailable: [{ what: 'scope', reason: 'no analysis of logs (see identify)' }] });
  const [top] = analysis.incidents;
  const found: ScopeFound = {
    totals: analysis.totals,
    paths: top?.scope.paths ?? [], hosts: top?.scope.hosts ?? [], upstreams: top?.scope.upstreams ?? [], share: top?.scope.share ?? null,
    incidents: analysis.incidents.map((i) => ({ cause: i.cause, layer: i.layer, requests: i.requests, statuses: i.statuses, start: i.start, end: i.end, share: i.scope.share })),
  };
  return step('scope', found, {
    looked: analysis.sources.map((s) => `${s.path} (${s.format}, ${s.lines} lines)`),
    unavailable: [{ what: 'client groups', reason: 'the analysis does not break failed requests down by client' }, ...(analysis.totals.requests === 0 ? [{ what: 'share of traffic', reason: 'no access log was read' }] : [])],
  });
}

const capped = (xs: readonly string[], n: number): string => xs.slice(0, n).join(', ') + (xs.length > n ? ` and ${xs.length - n} more` : '');

/** Changed files for the timeline: each on its own when few, else one line per top folder (/etc/php: 40 files). */
function fileEntries(files: readonly ChangedFile[]): TimelineEntry[] {
  if (files.length <= 5) return files.map((f) => ({ at: f.at, what: `${f.path} changed` }));
  const groups = new Map<string, ChangedFile[]>();
  for (const f of files) {
    const key = f.path.split('/').slice(0, 3).join('/');
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  return [...groups].map(([dir, fs]) => ({ at: fs[0]?.at ?? '', what: `${fs.length} file(s) changed under ${dir}, the latest ${fs[0]?.path ?? ''}` }));
}

function timeline(ident: Identified, ch: ChangesFound, now: number): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  for (const c of ch.deploy?.commits ?? []) {
    const at = c.deployedAt ?? c.at;
    const committed = c.deployedAt && c.deployedAt !== c.at ? ` (committed ${c.at})` : '';
    if (at >= ch.window.from && at <= ch.window.to) out.push({ at, what: `commit ${c.sha.slice(0, 12)} "${c.subject}"${committed} in ${ch.deploy?.dir ?? ''}` });
  }
  out.push(...fileEntries(ch.files));
  for (const e of ch.apt) out.push({ at: e.at, what: `apt ${e.action.toLowerCase()}: ${capped(e.packages.map((p) => `${p.name} ${p.to ?? ''}`.trim()), 6)}` });
  for (const d of ch.deployLog) out.push({ at: d.at, what: `${d.kind} ${d.ref} (${d.source})` });
  for (const i of ident.analysis?.incidents.slice(0, 5) ?? []) {
    out.push({ at: i.start, what: `first ${Object.keys(i.statuses).join('/')}: ${i.cause} (${i.requests} request(s) until ${i.end})` });
  }
  if (ident.probe) out.push({ at: new Date(now).toISOString(), what: `live probe of ${ident.probe.url}: ${ident.probe.verdict.status ?? 'no answer'}${ident.probe.verdict.cause ? ` (${ident.probe.verdict.cause})` : ''}` });
  out.push({ at: new Date(now).toISOString(), what: 'fivexx incident run (this draft)' });
  return out;
}

function headlineOf(verdict: Incident | null, ident: Identified, now: number): Headline {
  if (verdict) return fromIncident(verdict);
  if (ident.probe) return fromProbe(ident.probe.verdict, new Date(now).toISOString());
  return fromProbe({ layer: null, cause: null, status: null, responder: 'unknown', confidence: 0, summary: 'nothing found', nextSteps: [] }, new Date(now).toISOString());
}

function logPaths(o: IncidentOptions, found: readonly FoundLog[]): string[] {
  if (o.logs.length) return [...o.logs];
  return found.filter((l) => l.kind !== 'deploy' && l.bytes > 0).map((l) => l.path);
}

async function isGit(dir: string | undefined): Promise<boolean> {
  return dir ? stat(join(dir, '.git')).then((s) => s.isDirectory(), () => false) : false;
}

type Acc = { looked: string[]; unavailable: Unavailable[] };
const acc = (): Acc => ({ looked: [], unavailable: [] });

/** Steps 1 and the facts it needs: the deploy folder, the logs on the host, the analysis and the probe. */
async function gather(o: IncidentOptions) {
  const changesAcc = acc();
  const deploy: DeployFacts | null = merge(changesAcc, await collectDeploy(o.app, o.roots));
  const app = o.app ?? deploy?.dir;
  const logsAcc = acc();
  const hostLogs = merge(logsAcc, await findLogs(o.roots.varLog, app));
  const paths = logPaths(o, hostLogs);
  const deployLogs = hostLogs.filter((l) => l.kind === 'deploy').map((l) => l.path);
  const ident = await identify({ logs: paths, changes: deployLogs, gitChanges: (await isGit(app)) ? app : undefined, url: o.url, probeTimeoutMs: o.probeTimeoutMs, since: o.since, triggerWindowMs: o.windowMs });
  const analysis = ident.found.analysis;
  const verdict = analysis?.incidents[0] ?? null;
  const onset = verdict ? Date.parse(verdict.start) : o.now;
  const w: Window = { from: onset - o.windowMs, onset, end: verdict ? Date.parse(verdict.end) : o.now };
  // Change logs the analysis read among the given logs count as deploy logs too.
  const changeLogs = (analysis?.sources ?? []).filter((s) => s.format === 'changes' && !deployLogs.includes(s.path)).map((s) => s.path);
  return { deploy, app, hostLogs, paths, deployLogs: [...deployLogs, ...changeLogs], ident, analysis, verdict, w, changesAcc, logsAcc };
}

function identifyFound(verdict: Incident | null, ident: Identified): IdentifyFound {
  const v = verdict ? { cause: verdict.cause, layer: verdict.layer, title: verdict.title, statuses: verdict.statuses, start: verdict.start, end: verdict.end, evidence: verdict.evidence.slice(0, 3) } : null;
  return { verdict: v, probe: ident.probe };
}

function triggerText(verdict: Incident | null, plan: RollbackPlan | undefined): string | null {
  if (verdict?.trigger) return `${verdict.trigger.kind} ${verdict.trigger.ref} at ${verdict.trigger.at} (${verdict.trigger.source})`;
  return plan ? `${plan.change} at ${plan.at} (the latest change before the onset; to be confirmed)` : null;
}

export async function runIncident(o: IncidentOptions): Promise<IncidentReport> {
  const g = await gather(o);
  const changes = await changesStep(o.roots, g.app, g.deploy, g.deployLogs, g.w);
  const journal = await journalFacts(o.roots, g.w);
  const upstreams = [...new Set(g.analysis?.incidents.flatMap((i) => i.scope.upstreams.map(([u]) => u)) ?? [])];
  const health = await healthStep(o.roots, upstreams, [...new Set([o.roots.varLog, ...g.paths.map((p) => dirname(p)), ...(g.app ? [g.app] : [])])]);
  const plans = planRollback({
    onset: g.w.onset, from: g.w.from, deploy: g.deploy, files: changes.found.files, apt: changes.found.apt, services: await installedServices(o.roots.etc),
    systemd: await systemdRuns(o.roots), etcGit: (await isGit(o.roots.etc)) ? o.roots.etc : null, trigger: g.verdict?.trigger ?? null,
  });
  const headline = headlineOf(g.verdict, g.ident.found, o.now);
  const postmortem = renderPostmortem({
    headline, evidence: g.verdict?.evidence ?? [], trigger: triggerText(g.verdict, plans[0]), timeline: timeline(g.ident.found, changes.found, o.now), rollback: plans[0] ?? null,
    nextSteps: g.verdict?.nextSteps ?? g.ident.found.probe?.verdict.nextSteps ?? [], detectedAt: new Date(o.now).toISOString(), totalRequests: g.analysis?.totals.requests ?? null,
  });
  const noPlan = { what: 'a change to roll back', reason: `no deploy, config file or package change in the ${Math.round(o.windowMs / 60_000)} min before the onset` };
  const steps: Step[] = [
    step('identify', identifyFound(g.verdict, g.ident.found), g.ident),
    scopeStep(g.analysis),
    step('changes', { ...changes.found, trigger: g.verdict?.trigger ?? null } satisfies ChangesStepFound, { looked: [...g.changesAcc.looked, ...changes.looked], unavailable: [...g.changesAcc.unavailable, ...changes.unavailable] }),
    step('logs', { analyzed: g.analysis?.sources ?? [], onHost: g.hostLogs, journal: journal.found } satisfies LogsFound, { looked: [...g.logsAcc.looked, ...journal.looked], unavailable: [...g.logsAcc.unavailable, ...journal.unavailable] }),
    step('health', health.found satisfies HealthFound, health),
    step('rollback', { plan: plans[0] ?? null, others: plans.slice(1) } satisfies RollbackFound, { looked: ['the changes of step 3 before the onset'], unavailable: plans.length ? [] : [noPlan] }),
    step('communicate', draftMessages(headline), { looked: ['the verdict'], unavailable: [] }),
    step('document', { sections: [...postmortem.matchAll(/^## (.+)$/gm)].map((m) => m[1]) }, { looked: ['every step above'], unavailable: [] }),
  ];
  return { version: 1, steps, verdict: g.verdict, postmortem };
}
