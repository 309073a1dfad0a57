import assert from 'node:assert/strict';
import { test } from 'node:test';
import { quantile, Scheduler } from './scheduler.ts';

test('every job runs once per interval, spread over the first interval, never more than the concurrency at once', async () => {
  const runs = new Map<string, number[]>();
  let inFlight = 0;
  let peak = 0;
  const jobs = Array.from({ length: 50 }, (_, i) => ({
    id: `t${i}`, intervalMs: 200,
    run: async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      runs.set(`t${i}`, [...(runs.get(`t${i}`) ?? []), Date.now()]);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
    },
  }));
  const s = new Scheduler(jobs, { concurrency: 8 });
  const t0 = Date.now();
  s.start();
  await new Promise((r) => setTimeout(r, 1000));
  s.stop();
  assert.ok(peak <= 8, `peak ${peak}`);
  for (const [id, times] of runs) {
    assert.ok(times.length >= 4 && times.length <= 6, `${id} ran ${times.length} times in 1 s at 200 ms`);
    for (let k = 1; k < times.length; k++) assert.ok(Math.abs((times[k] ?? 0) - (times[k - 1] ?? 0) - 200) < 80, `${id} drifted`);
  }
  const firsts = [...runs.values()].map((t) => (t[0] ?? 0) - t0);
  assert.ok(Math.max(...firsts) - Math.min(...firsts) > 100, 'the first runs were not spread (no jitter)');
  assert.equal(s.stats().skipped, 0);
});

test('a run still busy at its next due time is skipped and counted, not stacked', async () => {
  let runs = 0;
  const s = new Scheduler([{ id: 'slow', intervalMs: 50, run: () => { runs++; return new Promise((r) => setTimeout(r, 175)); } }], { concurrency: 4, random: () => 0 });
  s.start();
  await new Promise((r) => setTimeout(r, 400));
  s.stop();
  assert.ok(runs >= 2 && runs <= 3, `runs ${runs}`);
  assert.ok(s.stats().skipped >= 3, `skipped ${s.stats().skipped}`);
});

test('quantile is nearest rank', () => {
  assert.equal(quantile([5, 1, 3, 2, 4], 0.5), 3);
  assert.equal(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.99), 10);
  assert.equal(quantile([], 0.9), 0);
});
