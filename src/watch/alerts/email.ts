// Email channel over SMTP (nodemailer): the verdict line as the subject, evidence and next steps in the body.
import { createTransport } from 'nodemailer';
import type { Alert, AlertChannel } from './types.ts';

export function emailBody(alert: Alert): string {
  const i = alert.incident;
  const out = [alert.text, '', `Target: ${i.target}`, `Cause: ${i.cause} (${i.layer})`, `Since: ${i.start}`];
  if (i.resolvedAt) out.push(`Resolved: ${i.resolvedAt}`);
  if (i.trigger) out.push(`Trigger: ${i.trigger.kind} ${i.trigger.ref} at ${i.trigger.at}`);
  if (i.evidence.length) out.push('', 'Evidence:', ...i.evidence.map((e) => `  ${e.source}:${e.line}  ${e.text.slice(0, 500)}`));
  if (i.nextSteps.length && alert.event !== 'resolved') out.push('', 'Next steps:', ...i.nextSteps.map((s, k) => `  ${k + 1}. ${s}`));
  return out.join('\n') + '\n';
}

export function emailChannel(smtp: string, from: string, to: readonly string[], name = 'email'): AlertChannel {
  const transport = createTransport(smtp);
  return {
    name,
    async send(alert, signal) {
      const sent = transport.sendMail({ from, to: [...to], subject: alert.text.slice(0, 200), text: emailBody(alert) });
      await new Promise<void>((resolve, reject) => {
        const abort = (): void => reject(new Error('email: timed out'));
        signal.addEventListener('abort', abort, { once: true });
        sent.then(() => resolve(), reject).finally(() => signal.removeEventListener('abort', abort));
      });
    },
  };
}
