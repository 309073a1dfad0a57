// SecondSet holds the seconds a Set<number> holds: the same answers to add, has and size, the same members,
// for seconds in rising order, with repeats, and out of order (pieces of a log, several logs).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { prng } from '../sources/kernel-lines.ts';
import { SecondSet } from './second-set.ts';

test('SecondSet answers as a Set of the same seconds', () => {
  for (const seed of [1, 2, 3, 4]) {
    const rnd = prng(seed);
    const s = new SecondSet();
    const ref = new Set<number>();
    let t = 1_763_600_000;
    for (let k = 0; k < 5000; k++) {
      const r = rnd();
      // Mostly the next seconds, some repeats, some back in time (another piece or log), a few far ahead.
      const v = r < 0.6 ? (t += Math.floor(rnd() * 3)) : r < 0.8 ? t - Math.floor(rnd() * 40) : r < 0.98 ? t - Math.floor(rnd() * 5000) : (t += 100_000);
      const what = `seed ${seed}, step ${k}, second ${v}`;
      assert.equal(s.has(v), ref.has(v), what);
      const added = !ref.has(v);
      ref.add(v);
      assert.equal(s.add(v), added, what);
      assert.equal(s.size, ref.size, what);
      const probe = t - Math.floor(rnd() * 6000);
      assert.equal(s.has(probe), ref.has(probe), `${what}, probe ${probe}`);
    }
    assert.deepEqual([...s].sort((a, b) => a - b), [...ref].sort((a, b) => a - b), `seed ${seed}`);
  }
});
