// Collector: package installs, upgrades and removals from /var/log/apt/history.log near the onset.
import { join } from 'node:path';
import { fsReason, isMissing } from './fs-reason.ts';
import { tailFile } from './tail-file.ts';
import type { Collected } from './types.ts';

export interface AptPackage {
  readonly name: string;
  readonly from: string | null;
  readonly to: string | null;
}

export interface AptEntry {
  readonly at: string;
  readonly commandline: string;
  readonly action: 'Install' | 'Upgrade' | 'Remove' | 'Purge' | 'Downgrade' | 'Reinstall';
  readonly packages: readonly AptPackage[];
}

const ACTIONS = ['Install', 'Upgrade', 'Remove', 'Purge', 'Downgrade', 'Reinstall'] as const;
const TAIL = 2 << 20;

/** `libssl3:amd64 (3.0.11-1, 3.0.13-1), tzdata:amd64 (2024a-1, automatic)` → packages. */
function packagesOf(action: AptEntry['action'], list: string): AptPackage[] {
  const out: AptPackage[] = [];
  for (const m of list.matchAll(/([^\s,()]{1,200}) \(([^()]{0,300})\)/g)) {
    const name = (m[1] ?? '').replace(/:[a-z0-9]+$/, '');
    const vs = (m[2] ?? '').split(', ').filter((v) => v !== 'automatic');
    if (action === 'Upgrade' || action === 'Downgrade') out.push({ name, from: vs[0] ?? null, to: vs[1] ?? null });
    else if (action === 'Install' || action === 'Reinstall') out.push({ name, from: null, to: vs[0] ?? null });
    else out.push({ name, from: vs[0] ?? null, to: null });
  }
  return out;
}

/** Every action of every entry in history.log's text; times are the host's local time. */
export function parseAptHistory(text: string): AptEntry[] {
  const out: AptEntry[] = [];
  for (const block of text.split(/\n\s*\n/)) {
    const lines = block.split('\n');
    const start = lines.find((l) => l.startsWith('Start-Date: '))?.slice(12).trim().replace(/\s+/, 'T');
    const at = start ? new Date(start).getTime() : NaN;
    if (Number.isNaN(at)) continue;
    const commandline = lines.find((l) => l.startsWith('Commandline: '))?.slice(13) ?? '';
    for (const action of ACTIONS) {
      const l = lines.find((x) => x.startsWith(`${action}: `));
      if (l) out.push({ at: new Date(at).toISOString(), commandline, action, packages: packagesOf(action, l.slice(action.length + 2)) });
    }
  }
  return out;
}

/** Entries that started within [from, to] (epoch ms). */
export async function collectAptHistory(varLog: string, from: number, to: number): Promise<Collected<AptEntry[]>> {
  const path = join(varLog, 'apt', 'history.log');
  try {
    const all = parseAptHistory(await tailFile(path, TAIL));
    return { found: all.filter((e) => Date.parse(e.at) >= from && Date.parse(e.at) <= to), looked: [path], unavailable: [] };
  } catch (err) {
    if (isMissing(err)) return { found: [], looked: [`${path} (not present)`], unavailable: [] };
    return { found: [], looked: [path], unavailable: [{ what: path, reason: fsReason(err) }] };
  }
}
