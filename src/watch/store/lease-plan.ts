// How many targets an instance of a fleet should hold, and which to claim or give back (pure): each live
// instance holds at most ceil(targets / instances); free or expired leases are claimed up to that share.

export interface LeasePlan {
  /** Leases of this instance to give back (over its share, or no longer in the config). */
  readonly release: readonly string[];
  /** Free or expired targets to try to claim, in order. */
  readonly claim: readonly string[];
}

/**
 * `mine`: targets this instance holds now; `taken`: targets others hold with an unexpired lease;
 * `instances`: live instances, this one included; `start`: where in `targets` this instance starts looking
 * (instances start at different places, so they do not all contend for the same free targets).
 */
export function planLeases(targets: readonly string[], mine: readonly string[], taken: ReadonlySet<string>, instances: number, start = 0): LeasePlan {
  const wanted = new Set(targets);
  const share = Math.ceil(targets.length / Math.max(1, instances));
  const kept = mine.filter((t) => wanted.has(t)).sort();
  const release = [...mine.filter((t) => !wanted.has(t)), ...kept.slice(share)];
  const room = share - Math.min(kept.length, share);
  if (room <= 0) return { release, claim: [] };
  const have = new Set(mine);
  const claim: string[] = [];
  for (let i = 0; i < targets.length && claim.length < room; i++) {
    const t = targets[(i + start) % targets.length] ?? '';
    if (!have.has(t) && !taken.has(t)) claim.push(t);
  }
  return { release, claim };
}

/** A stable start position for an owner id (FNV-1a). */
export function startOf(owner: string, n: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < owner.length; i++) h = Math.imul(h ^ owner.charCodeAt(i), 0x01000193) >>> 0;
  return n === 0 ? 0 : h % n;
}
