// The public status page: per group, each target's state and its incidents of the last 90 days, with no
// address, cause, evidence or other internals.
import type { WatchService } from '../watch/service.ts';
import type { TargetState } from '../watch/store/types.ts';

const WORDS: Record<TargetState, string> = { up: 'Operational', degraded: 'Degraded performance', down: 'Outage', maintenance: 'Under maintenance' };

export function escapeHtml(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}

export async function renderStatusPage(w: WatchService, now: number): Promise<string> {
  const since = now - 90 * 86_400_000;
  const groups = new Map<string, string[]>();
  for (const t of w.config.targets) groups.set(t.group ?? 'Services', [...(groups.get(t.group ?? 'Services') ?? []), t.name]);
  const incidents = (await w.store.incidents('all', 2000)).filter((i) => i.openedAt >= since);
  const sections = [...groups].map(([group, names]) => {
    const rows = names.map((n) => {
      const s = w.state(n);
      return `<li class="${s}"><span class="name">${escapeHtml(n)}</span> <span class="state">${WORDS[s]}</span></li>`;
    });
    return `<section><h2>${escapeHtml(group)}</h2><ul>${rows.join('')}</ul></section>`;
  });
  const history = incidents.slice(0, 50).map((i) => {
    const end = i.resolvedAt === null ? 'ongoing' : `resolved ${new Date(i.resolvedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    const note = i.notes.filter((n) => n.text.startsWith('[public] ')).map((n) => `<p>${escapeHtml(n.text.slice(9))}</p>`).join('');
    return `<li><strong>${escapeHtml(i.target)}</strong>: disruption from ${new Date(i.openedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC, ${end}${note}</li>`;
  });
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Status</title></head><body><main><h1>Status</h1>${sections.join('')}
<section><h2>Past incidents (90 days)</h2>${history.length ? `<ul>${history.join('')}</ul>` : '<p>No incidents.</p>'}</section></main></body></html>
`;
}
