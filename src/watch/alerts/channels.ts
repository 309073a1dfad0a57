// Builds the alert channels of a watch config: one file per channel type, chosen here by `type`.
import type { AlertConfig } from '../config-schema.ts';
import { alertmanagerChannel } from './alertmanager.ts';
import { emailChannel } from './email.ts';
import { slackChannel } from './slack.ts';
import type { AlertChannel } from './types.ts';
import { webhookChannel } from './webhook.ts';

export function buildChannels(configs: readonly AlertConfig[]): AlertChannel[] {
  return configs.map((c, i) => {
    const name = c.name ?? `${c.type}${configs.filter((o) => o.type === c.type).length > 1 ? `-${i + 1}` : ''}`;
    switch (c.type) {
      case 'webhook':
        return webhookChannel(c.url, name);
      case 'slack':
        return slackChannel(c.url, name);
      case 'alertmanager':
        return alertmanagerChannel(c.url, name);
      case 'email':
        return emailChannel(c.smtp, c.from, c.to, name);
    }
  });
}
