// Collector: free space and free inodes of the filesystems holding the logs and the app.
import { statfs } from 'node:fs/promises';
import { fsReason } from './fs-reason.ts';
import type { Collected, Unavailable } from './types.ts';

export interface DiskSpace {
  readonly path: string;
  readonly bytes: { total: number; available: number; usedShare: number };
  readonly inodes: { total: number; free: number; usedShare: number } | null;
}

const share = (used: number, total: number): number => (total > 0 ? Math.round((used / total) * 1000) / 1000 : 0);

/** statfs of each path (one entry per distinct filesystem, first path named). */
export async function collectDiskSpace(paths: readonly string[]): Promise<Collected<DiskSpace[]>> {
  const found: DiskSpace[] = [];
  const unavailable: Unavailable[] = [];
  const seen = new Set<string>();
  for (const path of paths) {
    try {
      const s = await statfs(path);
      const key = `${s.type}:${s.blocks}:${s.files}:${s.bsize}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const total = s.blocks * s.bsize;
      found.push({
        path,
        bytes: { total, available: s.bavail * s.bsize, usedShare: share(s.blocks - s.bfree, s.blocks) },
        inodes: s.files > 0 ? { total: s.files, free: s.ffree, usedShare: share(s.files - s.ffree, s.files) } : null,
      });
    } catch (err) {
      unavailable.push({ what: `disk space of ${path}`, reason: fsReason(err) });
    }
  }
  return { found, looked: paths.map((p) => `statfs ${p}`), unavailable };
}
