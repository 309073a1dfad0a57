// CPU time a call costs this process (user + system): a measure of work that other processes' load does not inflate as it does wall time.

/** CPU milliseconds this process spent in one call of `fn`. */
export function cpuMs(fn: () => void): number {
  const t0 = process.cpuUsage();
  fn();
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1000;
}

/** The least CPU milliseconds of `runs` calls of `fn` (the least is the one a preemption or a collection disturbed least). */
export function bestCpuMs(fn: () => void, runs = 3): number {
  let best = Infinity;
  for (let r = 0; r < runs; r++) best = Math.min(best, cpuMs(fn));
  return best;
}
