import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { makeAlert } from './alert-text.ts';
import { AlertDispatcher } from './dispatcher.ts';
import { slackChannel } from './slack.ts';
import type { AlertIncident } from './types.ts';
import { webhookChannel } from './webhook.ts';

export const INCIDENT: AlertIncident = {
  id: 7, target: 'shop', state: 'open', cause: 'upstream.refused', layer: 'upstream',
  title: 'The upstream refuses connections: nothing listens there', statuses: { 502: 3 },
  start: '2026-11-20T14:02:09Z', end: '2026-11-20T14:02:19Z', resolvedAt: null, path: '/api', upstream: '127.0.0.1:3000',
  summary: 'nginx answered 502', nextSteps: ['Check that the app process is running'], evidence: [{ source: 'probe', line: 0, text: 'HTTP 502 <b>x</b>' }], trigger: null,
};

async function listen(handler: (req: IncomingMessage, body: string) => number): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      res.statusCode = handler(req, body);
      res.end('done');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, server };
}

test('webhook and Slack receive the verdict line; a refusing channel retries without blocking them', async (t) => {
  const got: { path: string; body: unknown }[] = [];
  const ok = await listen((req, body) => {
    got.push({ path: req.url ?? '', body: JSON.parse(body) as unknown });
    return 200;
  });
  t.after(() => ok.server.close());
  const dead = await listen(() => 200);
  const deadUrl = dead.url;
  await new Promise((r) => dead.server.close(r));
  const results: { channel: string; ok: boolean; attempts: number; error: string | null }[] = [];
  const d = new AlertDispatcher([webhookChannel(deadUrl, 'dead'), webhookChannel(ok.url, 'hook'), slackChannel(ok.url.replace('/hook', '/slack'), 'slack')], {
    attempts: 3, backoffMs: 200, onResult: (r) => results.push(r),
  });
  const t0 = Date.now();
  d.dispatch(makeAlert('opened', INCIDENT));
  while (got.length < 2 && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 10));
  // The dead channel needs at least its two backoffs (200 + 400 ms) to give up: both good ones came first.
  assert.equal(got.length, 2);
  assert.equal(results.find((r) => r.channel === 'dead'), undefined, 'the good channels waited for the dead one');
  await d.idle(10_000);
  const hook = got.find((g) => g.path === '/hook')?.body as { event: string; text: string; incident: { id: number } };
  assert.equal(hook.event, 'opened');
  assert.match(hook.text, /^502 on shop \/api since 14:02:09Z — the upstream refuses connections/);
  assert.equal(hook.incident.id, 7);
  const slack = got.find((g) => g.path === '/slack')?.body as { text: string; blocks: { text: { text: string } }[] };
  assert.match(slack.blocks[0]?.text.text ?? '', /&lt;b&gt;x&lt;\/b&gt;/);
  const deadResult = results.find((r) => r.channel === 'dead');
  assert.deepEqual([deadResult?.ok, deadResult?.attempts], [false, 3]);
  assert.deepEqual(d.stats().map((s) => [s.channel, s.sent, s.failed]), [['dead', 0, 1], ['hook', 1, 0], ['slack', 1, 0]]);
});

test('a channel answering 500 is retried with backoff until it succeeds', async (t) => {
  let calls = 0;
  const flaky = await listen(() => (++calls < 3 ? 500 : 204));
  t.after(() => flaky.server.close());
  const results: { ok: boolean; attempts: number }[] = [];
  const d = new AlertDispatcher([webhookChannel(flaky.url)], { attempts: 5, backoffMs: 20, onResult: (r) => results.push(r) });
  d.dispatch(makeAlert('resolved', { ...INCIDENT, resolvedAt: '2026-11-20T14:09:00Z' }));
  await d.idle(5000);
  assert.equal(calls, 3);
  assert.deepEqual(results.map((r) => [r.ok, r.attempts]), [[true, 3]]);
});

test('a queue past its bound drops the oldest and counts it', async () => {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((r) => (release = r));
  const seen: number[] = [];
  const d = new AlertDispatcher([{ name: 'slow', send: async (a) => { await gate; seen.push(a.incident.id); } }], { maxQueue: 2 });
  for (let id = 1; id <= 5; id++) d.dispatch(makeAlert('opened', { ...INCIDENT, id }));
  release();
  await d.idle(2000);
  assert.deepEqual(seen, [1, 4, 5]);
  assert.equal(d.stats()[0]?.dropped, 2);
});
