// Generic webhook channel: POSTs { event, text, incident } as JSON.
import { postJson } from './http-post.ts';
import type { AlertChannel } from './types.ts';

export function webhookChannel(url: string, name = 'webhook'): AlertChannel {
  return { name, send: (alert, signal) => postJson(url, alert, signal) };
}
