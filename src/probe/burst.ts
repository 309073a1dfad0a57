// Sends N bounded requests in a row to one URL and counts statuses: intermittent 5xx show as a rate.
import { probeUrl, type ProbeOptions } from './http-probe.ts';
import type { Burst } from './types.ts';

export async function burst(url: URL, n: number, opts: ProbeOptions, deadlineMs: number): Promise<Burst> {
  const byStatus: Record<string, number> = {};
  let requests = 0;
  let failed = 0;
  const end = Date.now() + deadlineMs;
  for (let i = 0; i < n && Date.now() < end && !opts.signal?.aborted; i++) {
    const checks = await probeUrl(url, { ...opts, maxAddresses: 1 });
    const http = checks.find((c) => c.name === 'http');
    const key = http?.status ? String(http.status) : (checks.find((c) => !c.ok)?.code ?? 'error');
    byStatus[key] = (byStatus[key] ?? 0) + 1;
    requests++;
    if (!http?.status || http.status >= 500) failed++;
  }
  return { requests, byStatus, failed, errorRate: requests ? Math.round((failed / requests) * 1000) / 1000 : 0 };
}
