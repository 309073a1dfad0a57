// Collector: warnings and errors journald kept around the onset, read through journalctl (bounded).
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { execReason, findProgram, runBounded } from './bounded-exec.ts';
import type { Collected, HostRoots } from './types.ts';

export interface JournalLines {
  readonly lines: readonly string[];
  readonly truncated: boolean;
}

export const JOURNAL_LINES = 200;

async function hasJournal(roots: HostRoots): Promise<boolean> {
  for (const d of [join(roots.varLog, 'journal'), join(roots.run, 'log', 'journal')]) {
    const names = await readdir(d).catch(() => []);
    if (names.length > 0) return true;
  }
  return false;
}

/** Priority warning and worse between `from` and `to` (epoch ms), at most JOURNAL_LINES lines. */
export async function collectJournal(roots: HostRoots, from: number, to: number, timeoutMs = 10_000): Promise<Collected<JournalLines | null>> {
  const what = 'journald (journalctl)';
  const journalctl = findProgram('journalctl', roots.bin);
  if (!journalctl) return { found: null, looked: [], unavailable: [{ what, reason: 'journalctl is not installed' }] };
  if (!(await hasJournal(roots))) return { found: null, looked: [journalctl], unavailable: [{ what, reason: `no journal files in ${roots.varLog}/journal or ${roots.run}/log/journal` }] };
  const args = ['--no-pager', '-q', '-o', 'short-iso', '-p', 'warning', '--since', `@${Math.floor(from / 1000)}`, '--until', `@${Math.ceil(to / 1000)}`, '-n', String(JOURNAL_LINES)];
  const r = await runBounded(journalctl, args, { timeoutMs, maxBytes: 512 << 10 });
  const looked = [`${journalctl} ${args.join(' ')}`];
  if (r.outcome !== 'ok') return { found: null, looked, unavailable: [{ what, reason: execReason(r) }] };
  const lines = r.stdout.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('-- '));
  const partial = /not seeing messages from other users|No journal files were opened due to insufficient permissions/i.test(r.stderr);
  return {
    found: { lines, truncated: r.truncated || lines.length >= JOURNAL_LINES },
    looked,
    unavailable: partial ? [{ what: 'journald messages of the system and other users', reason: 'permission denied (add the user to the systemd-journal or adm group)' }] : [],
  };
}
