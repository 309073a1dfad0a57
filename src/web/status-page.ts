// The public status page: per group, its state now, a bar per day for 90 days, each target's state, and past
// disruptions with the notes the operator published ("[public] …"); no address, cause, evidence or internals.
import type { WatchService } from '../watch/service.ts';
import type { CheckRollup, TargetState } from '../watch/store/types.ts';

const DAY = 86_400_000;
const DAYS = 90;
const WORDS: Record<TargetState, string> = { up: 'Operational', degraded: 'Degraded performance', down: 'Outage', maintenance: 'Under maintenance' };
const RANK: Record<TargetState, number> = { up: 0, maintenance: 1, degraded: 2, down: 3 };
type DayState = 'none' | 'up' | 'degraded' | 'partial' | 'down';
const DAY_WORDS: Record<DayState, string> = { none: 'no data', up: 'no disruption', degraded: 'degraded performance', partial: 'partial outage', down: 'outage' };
const SHORT: Record<DayState, string> = { none: 'n', up: 'u', degraded: 'g', partial: 'p', down: 'd' };
const DAY_RANK: Record<DayState, number> = { none: 0, up: 1, degraded: 2, partial: 3, down: 4 };

export function escapeHtml(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}

const ymd = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const when = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';

type History = Map<string, DayState[]>;

/** Folds troubled daily rollups into the groups' day states (the worst of the group's targets wins). */
function fold(out: History, rows: readonly CheckRollup[], groupOf: Map<string, string>, first: number): void {
  for (const r of rows) {
    const days = out.get(groupOf.get(r.target) ?? '');
    const k = r.bucket - first;
    if (!days || k < 0 || k >= DAYS) continue;
    const s: DayState = r.down / r.n >= 0.05 ? 'down' : r.down > 0 ? 'partial' : r.degraded > 0 || r.fail > 0 ? 'degraded' : 'up';
    if (DAY_RANK[s] > DAY_RANK[days[k] ?? 'none']) days[k] = s;
  }
}

/** Past days do not change: they are read once a day per watch; only today is read on every load. */
const past = new WeakMap<WatchService, { today: number; history: History }>();

/** Each group's day states, oldest first: from the daily rollups of troubled days only. */
async function dayStates(w: WatchService, groupOf: Map<string, string>, now: number): Promise<History> {
  const db = w.store;
  const today = Math.floor(now / DAY);
  const first = today - DAYS + 1;
  let cached = past.get(w);
  if (cached?.today !== today) {
    const known = (await db.firstDay()) ?? today + 1;
    const history: History = new Map();
    for (const g of new Set(groupOf.values())) history.set(g, Array.from({ length: DAYS }, (_, k) => (first + k >= known ? 'up' : 'none')));
    fold(history, (await db.dayRollups(first, true)).filter((r) => r.bucket < today), groupOf, first);
    cached = { today, history };
    past.set(w, cached);
  }
  const out: History = new Map([...cached.history].map(([g, days]) => [g, days.slice()]));
  for (const days of out.values()) if (days[DAYS - 1] === 'none') days[DAYS - 1] = 'up';
  fold(out, await db.dayRollups(today, true), groupOf, first);
  return out;
}

/** The bars (outage days carry their date as a title) and, for screen readers, the 90 days in words. */
function bars(days: readonly DayState[], now: number): { bars: string; words: string } {
  const first = (Math.floor(now / DAY) - DAYS + 1) * DAY;
  const count = (st: DayState): number => days.filter((d) => d === st).length;
  const last = days.findLastIndex((d) => DAY_RANK[d] > DAY_RANK.up);
  const words = last < 0 ? `No disruption in the last ${DAYS} days.`
    : `In the last ${DAYS} days: ${count('down')} day(s) of outage, ${count('partial')} of partial outage, ${count('degraded')} degraded; the latest ${ymd(first + last * DAY)} (${DAY_WORDS[days[last] ?? 'none']}).`;
  return {
    // Short classes and no closing tags (valid HTML): 90 bars a group stay small with hundreds of groups.
    bars: days.map((st, k) => (st === 'down' ? `<li class=d title="${ymd(first + k * DAY)}: outage">` : `<li class=${SHORT[st]}>`)).join(''),
    words,
  };
}

export async function renderStatusPage(w: WatchService, now: number): Promise<string> {
  const groups = new Map<string, string[]>();
  const groupOf = new Map<string, string>();
  for (const t of w.config.targets) {
    const g = t.group ?? 'Services';
    const names = groups.get(g) ?? [];
    if (names.length === 0) groups.set(g, names);
    names.push(t.name);
    groupOf.set(t.name, g);
  }
  const history = await dayStates(w, groupOf, now);
  const sections = [...groups].map(([group, names], gi) => {
    const states = names.map((n) => w.state(n));
    const worst = states.reduce<TargetState>((a, s) => (RANK[s] > RANK[a] ? s : a), 'up');
    const b = bars(history.get(group) ?? [], now);
    // Services not operational are listed with their state; the operational ones by name only.
    const rows = names.flatMap((n, k) => (states[k] === 'up' ? [] : [`<li class="${states[k] ?? 'up'}"><span class="name">${escapeHtml(n)}</span> <span class="state">${WORDS[states[k] ?? 'up']}</span></li>`]));
    const fine = names.filter((_, k) => states[k] === 'up').map(escapeHtml);
    return `<section class="group" aria-labelledby="g-${gi}"><h2 id="g-${gi}">${escapeHtml(group)} <span class="badge ${worst}">${WORDS[worst]}</span></h2>
<ol class="days" aria-hidden="true">${b.bars}</ol><p class="sr">${b.words}</p><p class="axis" aria-hidden="true"><span>${DAYS} days ago</span><span>today</span></p>
${rows.length ? `<ul class="targets">${rows.join('')}</ul>` : ''}${fine.length ? `<details><summary>${fine.length} of ${names.length} service(s) operational</summary><p class="fine">${fine.join(', ')}</p></details>` : ''}</section>`;
  });
  const recent = await w.store.incidentsSince(now - DAYS * DAY, 50);
  const incidents = recent.map((i) => {
    const end = i.resolvedAt === null ? 'ongoing' : `resolved ${when(i.resolvedAt)}`;
    const notes = i.notes.filter((n) => n.text.startsWith('[public] ')).map((n) => `<p>${escapeHtml(n.text.slice(9))} <small>${when(n.at)}</small></p>`).join('');
    return `<li><strong>${escapeHtml(i.target)}</strong>: disruption from ${when(i.openedAt)}, ${end}${notes}</li>`;
  });
  const all = [...groups.values()].flat().map((n) => w.state(n));
  const overall = all.some((s) => s === 'down') ? 'Some services are down' : all.some((s) => s === 'degraded') ? 'Some services are degraded' : 'All services are operational';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark"><title>Status</title><link rel="stylesheet" href="/assets/status.css"></head>
<body><main><h1>Status</h1><p class="overall">${overall}</p><p class="updated">Updated ${when(now)}</p><ul class="legend" aria-hidden="true"><li class=u>No disruption</li><li class=g>Degraded</li><li class=p>Partial outage</li><li class=d>Outage</li><li class=n>No data</li></ul>${sections.join('')}
<section><h2>Past incidents (${DAYS} days)</h2>${incidents.length ? `<ul class="incidents">${incidents.join('')}</ul>` : '<p>No incidents.</p>'}</section></main></body></html>
`;
}
