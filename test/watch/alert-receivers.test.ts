// Alerts reach real receivers: Debian's prometheus-alertmanager on loopback, and an SMTP sink (smtp-server).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { makeAlert } from '../../src/watch/alerts/alert-text.ts';
import { alertmanagerChannel } from '../../src/watch/alerts/alertmanager.ts';
import { AlertDispatcher } from '../../src/watch/alerts/dispatcher.ts';
import { emailChannel } from '../../src/watch/alerts/email.ts';
import type { AlertIncident } from '../../src/watch/alerts/types.ts';
import { freePort, waitForPort } from '../lab/ports.ts';
import { start, stop } from '../lab/processes.ts';

const INCIDENT: AlertIncident = {
  id: 42, target: 'shop', state: 'open', cause: 'upstream.refused', layer: 'upstream',
  title: 'The upstream refuses connections: nothing listens there', statuses: { 502: 12 },
  start: new Date(Date.now() - 60_000).toISOString(), end: new Date().toISOString(), resolvedAt: null, path: '/api', upstream: '127.0.0.1:3000',
  summary: '', nextSteps: ['Check that the app process is running and listening on 127.0.0.1:3000'],
  evidence: [{ source: 'error.log', line: 7, text: 'connect() failed (111: Connection refused) while connecting to upstream' }], trigger: null,
};
const AM = '/usr/bin/prometheus-alertmanager';

/** The Subject header, unfolded, with RFC 2047 Q-encoded words decoded. */
function subjectOf(mail: string): string {
  const m = /^Subject: (.*(?:\r\n[ \t].*)*)/m.exec(mail);
  const raw = (m?.[1] ?? '').replace(/\?=(?:\r\n)?[ \t]+=\?/g, '?==?').replace(/\r\n[ \t]+/g, ' ');
  return raw.replace(/=\?UTF-8\?Q\?([^?]*)\?=/gi, (_, q: string) =>
    Buffer.from(q.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_h, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8'));
}

test('Alertmanager (v2 API) holds the alert with cause, layer and target labels, then resolves it', { skip: existsSync(AM) ? false : `${AM} is not installed (apt-get install prometheus-alertmanager)` }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-am-'));
  const port = await freePort();
  const cluster = await freePort();
  writeFileSync(join(dir, 'am.yml'), 'route:\n  receiver: none\nreceivers:\n  - name: none\n');
  const am = start('alertmanager', AM, [`--config.file=${join(dir, 'am.yml')}`, `--storage.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, `--cluster.listen-address=127.0.0.1:${cluster}`, '--log.level=warn'], join(dir, 'am.log'));
  t.after(async () => {
    // Waited for: Alertmanager writes its state on the way out, which raced the folder's removal.
    await stop(am);
    rmSync(dir, { recursive: true, force: true });
  });
  await waitForPort(port, 15_000);
  const results: { ok: boolean; error: string | null }[] = [];
  const d = new AlertDispatcher([alertmanagerChannel(`http://127.0.0.1:${port}`)], { attempts: 10, backoffMs: 300, onResult: (r) => results.push(r) });
  d.dispatch(makeAlert('opened', INCIDENT));
  await d.idle(15_000);
  assert.deepEqual(results.map((r) => r.ok), [true], results[0]?.error ?? '');
  const alerts = (await (await fetch(`http://127.0.0.1:${port}/api/v2/alerts`)).json()) as { labels: Record<string, string>; annotations: Record<string, string>; status: { state: string } }[];
  const a = alerts.find((x) => x.labels.incident === '42');
  assert.ok(a, 'Alertmanager does not hold the alert');
  assert.deepEqual([a.labels.alertname, a.labels.cause, a.labels.layer, a.labels.target], ['fivexx', 'upstream.refused', 'upstream', 'shop']);
  assert.match(a.annotations.summary ?? '', /^502 on shop \/api since/);
  d.dispatch(makeAlert('resolved', { ...INCIDENT, state: 'resolved', resolvedAt: new Date(Date.now() - 1000).toISOString() }));
  await d.idle(15_000);
  const active = (await (await fetch(`http://127.0.0.1:${port}/api/v2/alerts?active=true&silenced=false&inhibited=false&unprocessed=false`)).json()) as { labels: Record<string, string> }[];
  assert.equal(active.filter((x) => x.labels.incident === '42').length, 0, 'the alert is still active after resolution');
  await d.close();
});

test('email goes out over SMTP with the verdict as subject and evidence in the body', async (t) => {
  const mails: { from: string; to: string[]; data: string }[] = [];
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onData(stream, session, cb) {
      let data = '';
      stream.on('data', (c: Buffer) => (data += c.toString()));
      stream.on('end', () => {
        mails.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), data });
        cb();
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  t.after(() => server.close());
  const d = new AlertDispatcher([emailChannel(`smtp://127.0.0.1:${port}`, 'fivexx@example.com', ['ops@example.com'])], { attempts: 2, backoffMs: 100 });
  d.dispatch(makeAlert('opened', INCIDENT));
  await d.idle(10_000);
  assert.equal(mails.length, 1);
  assert.equal(mails[0]?.from, 'fivexx@example.com');
  assert.deepEqual(mails[0]?.to, ['ops@example.com']);
  assert.match(subjectOf(mails[0]?.data ?? ''), /^502 on shop \/api since \d\d:\d\d:\d\dZ — the upstream refuses connections: nothing listens there \(127\.0\.0\.1:3000\) \[upstream\.refused\]$/);
  assert.match(mails[0]?.data ?? '', /connect\(\) failed \(111: Connection refused\)/);
  await d.close();
});
