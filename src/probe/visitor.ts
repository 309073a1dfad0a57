// Visitor mode: retry after a pause (a passing error or a persistent one?) and compare with other
// sites (is it this site, or the visitor's own network?).
import { probeUrl, type ProbeOptions } from './http-probe.ts';
import type { Check, Visitor } from './types.ts';

function outcome(checks: readonly Check[]): { ok: boolean; status: number | null; detail: string } {
  const bad = checks.find((c) => !c.ok);
  const http = checks.find((c) => c.name === 'http');
  return { ok: !bad && (http?.status ?? 0) < 500, status: http?.status ?? null, detail: bad ? `${bad.name}: ${bad.detail ?? bad.code ?? ''}` : `HTTP ${http?.status ?? '?'}` };
}

/** Waits `ms`, or less when the run's deadline fires first. */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    if (signal?.aborted) done();
  });
}

export async function visit(url: URL, firstFailed: boolean, pauseMs: number, compare: readonly URL[], opts: ProbeOptions): Promise<Visitor> {
  await pause(pauseMs, opts.signal);
  const again = outcome(await probeUrl(url, opts));
  const compared = await Promise.all(compare.map(async (u) => ({ url: u.href, ...outcome(await probeUrl(u, opts)) })));
  const othersFail = compared.length > 0 && compared.every((c) => !c.ok);
  const advice: string[] = [];
  if (othersFail) advice.push('Other sites fail too: check your own connection, DNS resolver, VPN or proxy first.');
  else if (firstFailed && again.ok) advice.push('The error passed on retry: reload the page; if it comes back, it is intermittent on the site\'s side.');
  else if (firstFailed) advice.push('The error persists: the site itself is failing. Wait and retry later, or check its status page.');
  if (firstFailed && !othersFail) advice.push('Avoid resubmitting forms or payments while the site errors.');
  return {
    retryAfterMs: pauseMs, retryStatus: again.status, persistent: firstFailed && !again.ok,
    compared: compared.map(({ url: u, ok, detail }) => ({ url: u, ok, detail })), advice,
  };
}
