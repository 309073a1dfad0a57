// Slack incoming-webhook channel: the verdict line first, then where to look.
import { postJson } from './http-post.ts';
import type { Alert, AlertChannel } from './types.ts';

/** Slack's mrkdwn needs &, < and > escaped. */
function esc(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

export function slackPayload(alert: Alert): { text: string; blocks: unknown[] } {
  const i = alert.incident;
  const lines = [`*${esc(alert.text)}*`];
  if (alert.event !== 'resolved') {
    if (i.nextSteps[0]) lines.push(`First step: ${esc(i.nextSteps[0])}`);
    if (i.evidence[0]) lines.push('```' + esc(i.evidence[0].text.slice(0, 500)).replaceAll('```', "'''") + '```');
    if (i.trigger) lines.push(`Trigger: ${esc(i.trigger.kind)} ${esc(i.trigger.ref)} at ${esc(i.trigger.at)}`);
  }
  return { text: alert.text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } }] };
}

export function slackChannel(url: string, name = 'slack'): AlertChannel {
  return { name, send: (alert, signal) => postJson(url, slackPayload(alert), signal) };
}
