// Step 8, document: a post-mortem draft in Markdown (summary, impact in numbers, timeline, root cause and
// trigger, detection, resolution, action items: the sections the Google SRE, PagerDuty and Atlassian templates share).
import type { Evidence } from '../events/analysis.ts';
import { escapeControls } from '../report/safe-text.ts';
import { clock, PLAIN_LAYER, statusList, type Headline } from './headline.ts';
import type { RollbackPlan } from './rollback.ts';

export interface TimelineEntry {
  readonly at: string;
  readonly what: string;
}

export interface PostmortemInput {
  readonly headline: Headline;
  readonly evidence: readonly Evidence[];
  readonly trigger: string | null;
  readonly timeline: readonly TimelineEntry[];
  readonly rollback: RollbackPlan | null;
  readonly nextSteps: readonly string[];
  readonly detectedAt: string;
  readonly totalRequests: number | null;
}

/** Text from logs and configs, safe in Markdown code: no control characters, no backticks breaking code spans. */
const safe = (s: string): string => escapeControls(s).replaceAll('`', "'");
/** The same for running text, where `<` could also open HTML. */
const text = (s: string): string => safe(s).replaceAll('<', '&lt;').replaceAll('>', '&gt;');

function minutes(a: string, b: string): string {
  const s = Math.max(0, Math.round((Date.parse(b) - Date.parse(a)) / 1000));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return s < 172_800 ? `${Math.round(s / 3600)} h` : `${Math.round(s / 86_400)} days`;
}

function impact(h: Headline, total: number | null): string[] {
  const out: string[] = [];
  if (h.requests !== null) out.push(`- **Failed requests:** ${h.requests}${total ? ` of ${total} read in the logs` : ''} (${statusList(h)})`);
  if (h.share !== null) out.push(`- **Share of traffic in the incident window:** ${(h.share * 100).toFixed(h.share < 0.1 ? 1 : 0)}%`);
  if (h.start && h.end) out.push(`- **Duration:** ${h.start} → ${h.end} (${minutes(h.start, h.end)})`);
  const list = (xs: readonly [string, number][]): string => xs.slice(0, 5).map(([k, n]) => `\`${safe(k)}\` (${n})`).join(', ');
  if (h.paths.length) out.push(`- **Paths:** ${list(h.paths)}`);
  if (h.upstreams.length) out.push(`- **Upstreams:** ${list(h.upstreams)}`);
  if (h.hosts.length) out.push(`- **Hosts:** ${list(h.hosts)}`);
  return out.length ? out : ['- No failed requests counted (the error was seen by the live probe only).'];
}

export function renderPostmortem(p: PostmortemInput): string {
  const h = p.headline;
  const title = h.cause ? `${text(h.title)} (\`${h.cause}\`)` : 'no server error found';
  const out = [`# Post-mortem (draft): ${title}`, '', '## Summary', ''];
  out.push(h.cause
    ? `${h.start ? `From ${h.start}${h.end ? ` to ${h.end}` : ''}` : 'During the incident'}, ${h.requests ?? 'some'} request(s) failed with ${statusList(h) || 'server errors'}: ${PLAIN_LAYER[h.layer ?? ''] ?? 'a part of the system failed'}. ${text(h.summary)}`
    : 'fivexx found no server error in the logs read nor in the live probe.');
  out.push('', '## Impact', '', ...impact(h, p.totalRequests), '', '## Timeline (UTC)', '');
  for (const e of [...p.timeline].sort((a, b) => Date.parse(a.at) - Date.parse(b.at))) out.push(`- ${e.at.replace('T', ' ').replace(/\.\d+Z$|Z$/, '')}: ${text(e.what)}`);
  out.push('', '## Root cause and trigger', '');
  out.push(h.cause ? `**Cause:** \`${h.cause}\`, layer \`${h.layer ?? '?'}\`: ${text(h.title)}.` : '**Cause:** to be determined.');
  out.push('', `**Trigger:** ${p.trigger ? text(p.trigger) : 'no change found shortly before the onset (to be confirmed).'}`);
  if (p.evidence.length) {
    out.push('', '**Evidence:**', '', '```');
    for (const e of p.evidence.slice(0, 5)) out.push(`${safe(e.source)}:${e.line}: ${safe(e.text)}`);
    out.push('```');
  }
  out.push('', '## Detection', '');
  out.push(h.start ? `The first failed request was at ${clock(h.start)}; this draft was made at ${clock(p.detectedAt)} (${minutes(h.start, p.detectedAt)} later). Who or what alerted first: _to fill in_.` : `Checked at ${clock(p.detectedAt)}. Who or what alerted first: _to fill in_.`);
  out.push('', '## Resolution', '');
  if (p.rollback) {
    out.push(`Proposed: revert ${text(p.rollback.change)} (${text(p.rollback.note)})${p.rollback.commands.length ? ':' : '.'}`);
    if (p.rollback.commands.length) out.push('', '```sh', ...p.rollback.commands.map(safe), '```');
    out.push('', `Then ${text(p.rollback.then)}.`);
  } else out.push('No change to roll back was found before the onset: fix forward (see the action items).');
  out.push('', 'What was actually done, and when service recovered: _to fill in_.', '', '## Action items', '');
  const items = [...p.nextSteps, 'Alert on the 5xx rate of the gateway (e.g. fivexx watch) so the next occurrence is seen within a minute.', 'Add a health check for the failing layer and make deploys wait for it.'];
  items.forEach((s) => out.push(`- [ ] ${text(s)}`));
  return out.join('\n') + '\n';
}
