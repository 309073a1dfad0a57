// The log alert rules: 5xx rate over a window (with a floor of requests), p95 request time, SLO burn rate
// over 1 h and 5 min; each fires when its condition holds and resolves after `resolveAfter` without it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUCKET_MS, LogRules, readRules, RuleWindow, type LogRuleSpec } from './log-rules.ts';

const T0 = Date.UTC(2026, 10, 27, 12, 0, 0);
const spec: LogRuleSpec = { errorRate: 0.05, minRequests: 20, windowMs: 300_000, latencyP95Ms: undefined, slo: undefined, resolveAfterMs: 60_000 };

/** `n` requests a second for `seconds` from `from`, every `every`-th one a 502, each taking `rt` seconds. */
function traffic(w: RuleWindow, from: number, seconds: number, n: number, every: number, rt = 0.01): void {
  let k = 0;
  for (let s = 0; s < seconds; s++) for (let i = 0; i < n; i++) w.add(from + s * 1000 + i, ++k % every === 0 ? 502 : 200, rt);
}

const holds = (w: RuleWindow, s: LogRuleSpec, now: number, rule: string): boolean | undefined => readRules(w, s, now).find((r) => r.reading.rule === rule)?.holds;

test('errorRate: 10 % of 5xx over the window holds, 2 % does not, and too few requests never do', () => {
  const w = new RuleWindow(600_000);
  traffic(w, T0, 60, 10, 10);
  assert.equal(holds(w, spec, T0 + 60_000, 'errorRate'), true);
  const r = readRules(w, spec, T0 + 60_000)[0]?.reading;
  assert.equal(r?.requests, 600);
  assert.equal(r?.errors, 60);
  assert.match(r?.text ?? '', /^5xx rate 10 % \(60 of 600\) over 5m/);
  const low = new RuleWindow(600_000);
  traffic(low, T0, 60, 10, 50);
  assert.equal(holds(low, spec, T0 + 60_000, 'errorRate'), false);
  const few = new RuleWindow(600_000);
  traffic(few, T0, 19, 1, 1);
  assert.equal(holds(few, spec, T0 + 19_000, 'errorRate'), false, '19 requests, all 5xx, stay under minRequests');
  // Out of the window: the errors of 6 minutes ago no longer count.
  assert.equal(holds(w, spec, T0 + 60_000 + 360_000, 'errorRate'), false);
});

test('latencyP95: the 95th percentile of request times against the threshold', () => {
  const s = { ...spec, latencyP95Ms: 1000 };
  const w = new RuleWindow(600_000);
  traffic(w, T0, 30, 10, 1_000_000, 0.05);
  assert.equal(holds(w, s, T0 + 30_000, 'latencyP95'), false);
  // 10 % of requests at 3 s: p95 is about 3 s.
  for (let i = 0; i < 40; i++) w.add(T0 + 30_000 + i, 200, 3);
  const r = readRules(w, s, T0 + 31_000).find((x) => x.reading.rule === 'latencyP95');
  assert.equal(r?.holds, true);
  assert.ok((r?.reading.value ?? 0) >= 3000 && (r?.reading.value ?? 0) <= 3750, String(r?.reading.value));
});

test('sloBurn: needs both the 1 h and the 5 min burn at 14.4x', () => {
  const s = { ...spec, slo: 0.999 };
  const w = new RuleWindow(3_700_000);
  // An hour at 0.5 % errors: burn 5x, no alert.
  traffic(w, T0, 3600, 2, 200);
  assert.equal(holds(w, s, T0 + 3_600_000, 'sloBurn'), false);
  // Then 10 minutes at 100 % errors: 5 min burn 1000x, 1 h burn about 170x.
  traffic(w, T0 + 3_600_000, 600, 2, 1);
  const r = readRules(w, s, T0 + 4_200_000).find((x) => x.reading.rule === 'sloBurn');
  assert.equal(r?.holds, true);
  assert.ok((r?.reading.short ?? 0) > 900, String(r?.reading.short));
  // A short burst alone (long window calm) does not fire: 1 min at 100 % over a calm hour is about 17x... over 5 min too.
  const calm = new RuleWindow(3_700_000);
  traffic(calm, T0, 3600, 20, 1_000_000);
  traffic(calm, T0 + 3_600_000, 10, 20, 1);
  assert.equal(holds(calm, s, T0 + 3_610_000, 'sloBurn'), false, 'a 10-second burst is under 14.4x over the hour');
});

test('a rule fires once, stays firing while it holds, and resolves after resolveAfter without it', () => {
  const rules = new LogRules(spec);
  let now = T0;
  const step = (seconds: number, every: number): string[] => {
    const out: string[] = [];
    for (let s = 0; s < seconds; s++) {
      for (let i = 0; i < 10; i++) rules.window.add(now + i, (i + 1) % every === 0 ? 502 : 200, 0.01);
      now += 1000;
      for (const e of rules.evaluate(now)) out.push(`${e.kind}:${e.reading.rule}`);
    }
    return out;
  };
  assert.deepEqual(step(60, 1_000_000), []);
  assert.deepEqual(step(30, 2), ['fire:errorRate']);
  assert.equal(rules.firing('errorRate'), true);
  // Healthy again: the 5-minute window still holds the errors for a while, then 60 s more resolve it.
  const after = step(420, 1_000_000);
  assert.deepEqual(after, ['resolve:errorRate']);
  assert.equal(rules.firing('errorRate'), false);
  assert.ok(rules.window.buckets <= 300_000 / BUCKET_MS + 2, `${rules.window.buckets} buckets kept`);
});

test('lines dated in the future do not pile up buckets: the window keeps at most two spans of them', () => {
  const rules = new LogRules({ errorRate: 0.05, minRequests: 10, windowMs: 300_000, latencyP95Ms: undefined, slo: undefined, resolveAfterMs: 60_000 });
  const now = Date.UTC(2026, 10, 20, 14, 0, 0);
  // A skewed or damaged log: one line a bucket, years ahead.
  for (let i = 0; i < 5000; i++) rules.window.add(now + 86_400_000 * 365 + i * BUCKET_MS, 502, 0.01);
  rules.evaluate(now);
  assert.ok(rules.window.buckets <= (2 * 310_000) / BUCKET_MS + 3, `${rules.window.buckets} buckets kept`);
});
