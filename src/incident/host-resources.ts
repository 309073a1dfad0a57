// Collector: load, memory, swap and open file handles from a /proc root.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fsReason } from './fs-reason.ts';
import type { Collected, Unavailable } from './types.ts';

export interface Resources {
  readonly load: { one: number; five: number; fifteen: number; cpus: number | null } | null;
  /** Bytes; available is MemAvailable (what new processes can get without swapping). */
  readonly memory: { total: number; available: number; usedShare: number } | null;
  readonly swap: { total: number; free: number; usedShare: number } | null;
  /** System-wide file handles in use and the limit (/proc/sys/fs/file-nr). */
  readonly fileHandles: { used: number; max: number } | null;
}

function meminfo(text: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const line of text.split('\n')) {
    const r = /^(\w+(?:\(\w+\))?):\s+(\d+)(?: kB)?$/.exec(line);
    if (r?.[1] && r[2]) m.set(r[1], Number(r[2]) * (line.endsWith('kB') ? 1024 : 1));
  }
  return m;
}

const share = (used: number, total: number): number => (total > 0 ? Math.round((used / total) * 1000) / 1000 : 0);

async function read(proc: string, rel: string, unavailable: Unavailable[], looked: string[]): Promise<string | undefined> {
  const p = join(proc, rel);
  looked.push(p);
  try {
    return await readFile(p, 'utf8');
  } catch (err) {
    unavailable.push({ what: p, reason: fsReason(err) });
    return undefined;
  }
}

export async function collectResources(proc: string): Promise<Collected<Resources>> {
  const looked: string[] = [];
  const unavailable: Unavailable[] = [];
  const [loadavg, mem, cpuinfo, filenr] = [
    await read(proc, 'loadavg', unavailable, looked), await read(proc, 'meminfo', unavailable, looked),
    await read(proc, 'cpuinfo', unavailable, looked), await read(proc, 'sys/fs/file-nr', unavailable, looked),
  ];
  const l = loadavg?.split(/\s+/).slice(0, 3).map(Number);
  const cpus = cpuinfo ? cpuinfo.split('\n').filter((x) => /^processor\s*:/.test(x)).length || null : null;
  const load = l && l.length === 3 && l.every(Number.isFinite) ? { one: l[0] ?? 0, five: l[1] ?? 0, fifteen: l[2] ?? 0, cpus } : null;
  const m = mem ? meminfo(mem) : undefined;
  const total = m?.get('MemTotal');
  const avail = m?.get('MemAvailable') ?? m?.get('MemFree');
  const memory = total !== undefined && avail !== undefined ? { total, available: avail, usedShare: share(total - avail, total) } : null;
  const st = m?.get('SwapTotal');
  const sf = m?.get('SwapFree');
  const swap = st !== undefined && sf !== undefined ? { total: st, free: sf, usedShare: share(st - sf, st) } : null;
  const f = filenr?.trim().split(/\s+/).map(Number);
  const fileHandles = f && f.length === 3 && f.every(Number.isFinite) ? { used: (f[0] ?? 0) - (f[1] ?? 0), max: f[2] ?? 0 } : null;
  return { found: { load, memory, swap, fileHandles }, looked, unavailable };
}
