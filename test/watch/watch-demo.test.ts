// The demo a newcomer runs: an incident with the right cause is alerted, then resolved, on its own.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { watchDemo } from '../../src/cli/watch-demo.ts';

test('watch --demo alerts upstream.refused when the demo app stops and resolves when it is back', { timeout: 30_000 }, async () => {
  let out = '';
  let stop: () => void = () => undefined;
  const until = new Promise<void>((r) => (stop = r));
  const io = { out: (t: string) => void (out += t), warn: () => undefined, fail: () => 2, color: false };
  const done = watchDemo(io, until, { cycleMs: 4000, downMs: 1500, intervalMs: 200 });
  const end = Date.now() + 20_000;
  while (!/ALERT resolved/.test(out) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
  stop();
  assert.equal(await done, 0);
  assert.match(out, /ALERT opened: 502 on demo-shop \/api\/orders since \d\d:\d\d:\d\dZ — the upstream refuses connections: nothing listens there \(127\.0\.0\.1:\d+\) \[upstream\.refused\]/);
  assert.match(out, /ALERT resolved: Resolved: demo-shop/);
});
