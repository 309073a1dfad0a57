// Retention: raw checks, resolved incidents and changes older than `retention`, hourly rollups older than
// `rollupRetention.hourly` and daily ones older than `rollupRetention.daily`, deleted in one call (hourly by watch).
import type { Store } from './types.ts';

const HOUR = 3_600_000;
const DAY = 86_400_000;

export interface RetentionConfig {
  readonly retention: number;
  readonly rollupRetention: { readonly hourly: number; readonly daily: number };
}

/** Deletes what is past its retention at `now`; returns how many rows went (raw rows, then rollups). */
export async function pruneHistory(store: Store, config: RetentionConfig, now: number): Promise<{ raw: number; rollups: number }> {
  const raw = await store.prune(now - config.retention);
  // A bucket goes once all of it is older than the cut: the hour (day) holding the cut stays.
  const rollups = await store.pruneRollups(Math.floor((now - config.rollupRetention.hourly) / HOUR), Math.floor((now - config.rollupRetention.daily) / DAY));
  return { raw, rollups };
}
