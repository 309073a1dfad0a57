import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { quantile, Scheduler } from './scheduler.ts';

/** Advances the mocked clock in small steps, letting promise callbacks run between them. */
async function advance(ms: number, step = 5): Promise<void> {
  for (let t = 0; t < ms; t += step) {
    mock.timers.tick(step);
    for (let k = 0; k < 5; k++) await Promise.resolve();
  }
}

test('every job runs once per interval, spread over the first interval, never more than the concurrency at once', async (t) => {
  mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 });
  t.after(() => mock.timers.reset());
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
  let seed = 1;
  const s = new Scheduler(jobs, { concurrency: 8, random: () => ((seed = (seed * 16807) % 2147483647) / 2147483647) });
  s.start();
  await advance(1000);
  s.stop();
  assert.ok(peak <= 8 && peak >= 2, `peak ${peak}`);
  for (const [id, times] of runs) {
    assert.ok(times.length >= 4 && times.length <= 6, `${id} ran ${times.length} times in 1 s at 200 ms`);
    for (let k = 1; k < times.length; k++) assert.ok(Math.abs((times[k] ?? 0) - (times[k - 1] ?? 0) - 200) <= 30, `${id} drifted: ${times.join(', ')}`);
  }
  const firsts = [...runs.values()].map((x) => (x[0] ?? 0) - 1_000_000);
  assert.ok(Math.max(...firsts) - Math.min(...firsts) > 100, 'the first runs were not spread (no jitter)');
  assert.equal(s.stats().skipped, 0);
  assert.ok(quantile(s.stats().lags, 0.99) <= 30, `lag p99 ${quantile(s.stats().lags, 0.99)}`);
});

test('a run still busy at its next due time is skipped and counted, not stacked', async (t) => {
  mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 });
  t.after(() => mock.timers.reset());
  let runs = 0;
  const s = new Scheduler([{ id: 'slow', intervalMs: 50, run: () => { runs++; return new Promise((r) => setTimeout(r, 175)); } }], { concurrency: 4, random: () => 0 });
  s.start();
  await advance(400);
  s.stop();
  assert.equal(runs, 3);
  assert.ok(s.stats().skipped >= 5, `skipped ${s.stats().skipped}`);
});

test('quantile is nearest rank', () => {
  assert.equal(quantile([5, 1, 3, 2, 4], 0.5), 3);
  assert.equal(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.99), 10);
  assert.equal(quantile([], 0.9), 0);
});
