// The one line an alert leads with: status, where, since when, and the cause in words.
import type { Alert, AlertEvent, AlertIncident } from './types.ts';

function hhmmss(iso: string): string {
  const m = /T(\d\d:\d\d:\d\d)/.exec(iso);
  return m ? `${m[1]}Z` : iso;
}

function mainStatus(statuses: Readonly<Record<string, number>>): string {
  const top = Object.entries(statuses).sort((a, b) => b[1] - a[1])[0];
  return top ? top[0] : '5xx';
}

/** Lower-cases the first letter of a title so it reads inside a sentence, unless it starts with an acronym. */
function inSentence(title: string): string {
  return /^[A-Z][a-z]/.test(title) ? title[0]?.toLowerCase() + title.slice(1) : title;
}

/** `502 on shop /api since 14:02:09Z — the upstream refuses connections: nothing listens there (127.0.0.1:3000)`. */
export function alertText(event: AlertEvent, i: AlertIncident): string {
  const where = `${i.target}${i.path ? ` ${i.path}` : ''}`;
  const cause = `${inSentence(i.title)}${i.upstream ? ` (${i.upstream})` : ''} [${i.cause}]`;
  if (event === 'resolved') return `Resolved: ${where} since ${hhmmss(i.resolvedAt ?? i.end)} — was ${mainStatus(i.statuses)} from ${hhmmss(i.start)}: ${cause}`;
  const lead = `${mainStatus(i.statuses)} on ${where} since ${hhmmss(i.start)} — ${cause}`;
  return event === 'changed' ? `Cause changed: ${lead}` : lead;
}

export function makeAlert(event: AlertEvent, incident: AlertIncident): Alert {
  return { event, text: alertText(event, incident), incident };
}
