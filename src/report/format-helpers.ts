// Small formatting helpers shared by the terminal and Markdown reports (given text already escaped: escapeDeep).
import type { Incident } from '../events/analysis.ts';

/** How a renderer quotes a value taken from the logs (Markdown: a code span). */
export type Quote = (s: string) => string;
const asIs: Quote = (s) => s;

/** The one-line note that secret values were hidden, or nothing. */
export function redactedNote(n: number | undefined, optOut = '--no-redact shows them'): string {
  return n ? `${n} secret value(s) shown as [REDACTED] (tokens, passwords, cookies); ${optOut}` : '';
}

export function duration(startIso: string, endIso: string): string {
  const s = Math.max(0, Math.round((Date.parse(endIso) - Date.parse(startIso)) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function statusesText(i: Incident): string {
  return Object.entries(i.statuses)
    .sort((a, b) => b[1] - a[1])
    .map(([s, n]) => `${s} × ${n}${Number(s) < 500 ? ' (truncated)' : ''}`)
    .join(', ');
}

export function shareText(i: Incident): string {
  return i.scope.share === null ? '' : `${(i.scope.share * 100).toFixed(i.scope.share < 0.1 ? 1 : 0)}% of requests in the window`;
}

export function triggerText(i: Incident, q: Quote = asIs): string {
  const t = i.trigger;
  if (!t) return 'none found (no change shortly before onset that fits this cause)';
  const before = Math.round((Date.parse(i.start) - Date.parse(t.at)) / 1000);
  const when = before >= 0 ? `${before}s before onset` : `${-before}s after onset`;
  return `${t.kind}${t.ref ? ` ${q(t.ref)}` : ''} at ${t.at} (${q(t.source)}), ${when}; fit ${t.fit} (${Math.round(t.confidence * 100)}%): ${t.reason}`;
}

export function scopeText(i: Incident, q: Quote = asIs): string[] {
  const list = (xs: [string, number][]): string => xs.slice(0, 5).map(([k, n]) => `${q(k)} (${n})`).join(', ');
  const out: string[] = [];
  if (i.scope.paths.length) out.push(`paths: ${list(i.scope.paths)}`);
  if (i.scope.upstreams.length) out.push(`upstreams: ${list(i.scope.upstreams)}`);
  if (i.scope.hosts.length) out.push(`hosts: ${list(i.scope.hosts)}`);
  return out;
}

export const LAYER_WORDS: Record<string, string> = {
  client: "the visitor's own network or browser",
  edge: 'the CDN / WAF in front of the origin',
  gateway: 'the load balancer or reverse proxy itself',
  upstream: 'the hop from the gateway to the application',
  app: 'the application server or its code',
  dependency: 'a service the application calls (database, cache, API)',
  host: "the machine's resources (memory, disk, file descriptors)",
};

/** The process lifecycle in words: crashes, restarts, and whether their times were inferred. */
export function lifecycleText(i: Incident): string {
  const l = i.lifecycle;
  if (!l) return '';
  const loop = l.restarts > 1 ? `a crash-restart loop: the process died ${l.crashes} time(s) and restarted ${l.restarts}` : `the process died ${l.crashes} time(s), restarted ${l.restarts}`;
  return l.placement === 'inferred' ? `${loop} (its output has no times: placed by order against the failures)` : loop;
}

/** The failures a root cause brought about, in words (its symptoms), or '' when there are none. */
export function symptomsText(i: Incident, q: Quote = asIs): string {
  return i.symptoms?.length ? `${i.symptoms.map((x) => `${q(x.cause)} ×${x.requests}`).join(', ')} (consequences of the root cause)` : '';
}
