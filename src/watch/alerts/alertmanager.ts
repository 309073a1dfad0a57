// Alertmanager channel (v2 API): one alert per incident, labelled by cause, layer and target; resolved sets endsAt.
import { postJson } from './http-post.ts';
import type { Alert, AlertChannel } from './types.ts';

export function alertmanagerPayload(alert: Alert, now = Date.now()): unknown[] {
  const i = alert.incident;
  return [{
    labels: { alertname: 'fivexx', cause: i.cause, layer: i.layer, target: i.target, incident: String(i.id), severity: 'critical' },
    annotations: { summary: alert.text, description: i.nextSteps.slice(0, 3).join('\n'), evidence: i.evidence[0]?.text.slice(0, 1000) ?? '' },
    startsAt: i.start,
    // An open incident asks Alertmanager to keep it firing for a while; watch re-sends while it stays open.
    endsAt: alert.event === 'resolved' ? (i.resolvedAt ?? new Date(now).toISOString()) : new Date(now + 15 * 60_000).toISOString(),
  }];
}

export function alertmanagerChannel(baseUrl: string, name = 'alertmanager'): AlertChannel {
  const url = new URL('api/v2/alerts', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`).href;
  return { name, send: (alert, signal) => postJson(url, alertmanagerPayload(alert), signal) };
}
