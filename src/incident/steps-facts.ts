// Steps 3–5 (changes, logs, health): run the collectors for one incident window and merge what they say.
import { join } from 'node:path';
import { readChanges } from '../changes/read-changes.ts';
import { collectAptHistory, type AptEntry } from './apt-history.ts';
import { collectChangedFiles, type ChangedFile } from './changed-files.ts';
import type { DeployFacts } from './deploy-git.ts';
import { collectDiskSpace } from './disk-space.ts';
import { collectResources } from './host-resources.ts';
import { collectJournal } from './journal.ts';
import { collectListening } from './listening.ts';
import { collectServerProcesses } from './server-processes.ts';
import { collectServiceStates } from './services.ts';
import { merge, type HostRoots, type Unavailable } from './types.ts';

export interface Window {
  readonly from: number;
  readonly onset: number;
  readonly end: number;
}

export interface DeployLogEntry {
  readonly at: string;
  readonly kind: string;
  readonly ref: string;
  readonly text: string;
  readonly source: string;
}

export interface ChangesFound {
  readonly window: { readonly from: string; readonly to: string };
  readonly deploy: DeployFacts | null;
  readonly files: readonly ChangedFile[];
  readonly apt: readonly AptEntry[];
  readonly deployLog: readonly DeployLogEntry[];
}

type Acc = { looked: string[]; unavailable: Unavailable[] };
const acc = (): Acc => ({ looked: [], unavailable: [] });

async function deployLogEntries(paths: readonly string[], w: Window, a: Acc): Promise<DeployLogEntry[]> {
  const out: DeployLogEntry[] = [];
  for (const path of paths) {
    a.looked.push(path);
    const r = await readChanges(path, 0);
    if (r.error) a.unavailable.push({ what: path, reason: r.error });
    for (const c of r.changes) if (c.time >= w.from && c.time <= w.onset) out.push({ at: new Date(c.time).toISOString(), kind: c.kind, ref: c.ref, text: c.text, source: c.source });
  }
  return out;
}

export async function changesStep(roots: HostRoots, app: string | undefined, deploy: DeployFacts | null, deployLogs: readonly string[], w: Window): Promise<{ found: ChangesFound } & Acc> {
  const a = acc();
  const dirs = [join(roots.etc, 'nginx'), join(roots.etc, 'apache2'), join(roots.etc, 'haproxy'), join(roots.etc, 'php'), ...(app ? [app] : [])];
  const files = merge(a, await collectChangedFiles(dirs, w.from, w.onset));
  const apt = merge(a, await collectAptHistory(roots.varLog, w.from, w.onset));
  const deployLog = await deployLogEntries(deployLogs, w, a);
  return { found: { window: { from: new Date(w.from).toISOString(), to: new Date(w.onset).toISOString() }, deploy, files, apt, deployLog }, ...a };
}

export async function healthStep(roots: HostRoots, upstreams: readonly string[], diskPaths: readonly string[]) {
  const a = acc();
  const resources = merge(a, await collectResources(roots.proc));
  const disks = merge(a, await collectDiskSpace(diskPaths));
  const listening = merge(a, await collectListening(roots, upstreams));
  const processes = merge(a, await collectServerProcesses(roots.proc));
  const services = merge(a, await collectServiceStates(roots));
  return { found: { resources, disks, listening, processes, services }, ...a };
}

export async function journalFacts(roots: HostRoots, w: Window): Promise<{ found: Awaited<ReturnType<typeof collectJournal>>['found'] } & Acc> {
  const a = acc();
  const found = merge(a, await collectJournal(roots, w.onset - 600_000, w.end + 600_000));
  return { found, ...a };
}
