// The join queue: time order (equal times in arrival order), the count kept, lines taken early counted,
// and the same entries after many compactions as a plain array would give.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { access } from './test-events.ts';
import { JoinQueue } from './join-queue.ts';

test('entries come out by time, equal times in arrival order; past `keep` the oldest come out early (down to 7/8 of it), counted', () => {
  const q = new JoinQueue();
  const out: number[] = [];
  const visit = (_x: unknown, _k: number, _n: number, seq: number): void => void out.push(seq);
  q.add(access({ time: 10 }), -1, 1, 10, 0);
  q.add(access({ time: 30 }), -1, 1, 30, 1);
  q.add(access({ time: 20 }), -1, 1, 20, 2);
  q.add(access({ time: 20 }), -1, 2, 20, 3);
  assert.equal(q.takeUpTo(10, Infinity, visit), 0);
  assert.deepEqual(out, [0]);
  // Three wait (2, 3 and 1 by time), over a keep of two: down to one, the two of time 20 (three lines) come out early.
  assert.equal(q.takeUpTo(15, 2, visit), 3);
  assert.deepEqual(out, [0, 2, 3]);
  assert.equal(q.length, 1);
  assert.equal(q.takeUpTo(Infinity, 0, visit), 0);
  assert.deepEqual(out, [0, 2, 3, 1]);
  assert.equal(q.length, 0);
});

test('a queue kept full over many compactions gives what a plain sorted array gives', () => {
  const q = new JoinQueue();
  const ref: { t: number; seq: number }[] = [];
  const got: number[] = [];
  const want: number[] = [];
  let early = 0;
  let a = 7;
  const rnd = (): number => ((a = (a * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let seq = 0; seq < 30_000; seq++) {
    // Mostly in time order, now and then a line a little late.
    const t = Math.floor(seq / 10) - (rnd() < 0.05 ? Math.floor(rnd() * 5) : 0);
    q.add(access(), -1, 1, t, seq);
    let at = ref.length;
    while (at > 0 && (ref[at - 1]?.t ?? 0) > t) at--;
    ref.splice(at, 0, { t, seq });
    const clock = Math.floor(seq / 10) - 50;
    early += q.takeUpTo(clock, 300, (_x, _k, _n, s) => void got.push(s));
    let n = 0;
    while (n < ref.length && (ref[n]?.t ?? Infinity) <= clock) n++;
    if (ref.length - n > 300) n = ref.length - Math.floor((300 * 7) / 8);
    want.push(...ref.splice(0, n).map((r) => r.seq));
    assert.equal(q.length, ref.length);
  }
  assert.deepEqual(got, want);
  assert.ok(early > 0 && early < 30_000);
});
