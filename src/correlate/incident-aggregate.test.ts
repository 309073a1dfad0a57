// IncidentAggregate keeps the evidence the plain rule keeps (each key at its earliest place, the first
// EVIDENCE_KEYS keys, found again and re-sorted on every offer), also when a key comes again and again (the
// error digest's batch a second) and when findings say their key before their record is read.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../classify/classify.ts';
import { prng } from '../sources/kernel-lines.ts';
import { evidenceKey, shape, type KeyedFinding } from './evidence-text.ts';
import { IncidentAggregate, type FailureBatch, type Ordinal } from './incident-aggregate.ts';
import { catalog, finding, T0 } from './test-events.ts';

const before = (a: Ordinal, b: Ordinal): boolean => a[0] < b[0] || (a[0] === b[0] && (a[1] < b[1] || (a[1] === b[1] && a[2] < b[2])));

/** The plain rule: every offer looks its key up, replaces a later place, sorts, keeps the first 8. */
class Reference {
  list: { key: string; finding: Finding; at: Ordinal }[] = [];
  offer(f: Finding, at: Ordinal): void {
    const key = `${f.cause.id}:${shape(f.record.message)}`;
    const i = this.list.findIndex((e) => e.key === key);
    if (i >= 0) {
      if (before(at, this.list[i]?.at ?? at)) this.list[i] = { key, finding: f, at };
    } else this.list.push({ key, finding: f, at });
    this.list.sort((a, b) => (before(a.at, b.at) ? -1 : before(b.at, a.at) ? 1 : 0));
    if (this.list.length > 8) this.list.length = 8;
  }
}

const CAUSES = ['upstream.refused', 'upstream.timeout', 'upstream.reset'];

/** A finding of one of a few messages; half of them say their key (as the error digest's do). */
function someFinding(rnd: () => number, line: number): Finding {
  const causeId = CAUSES[Math.floor(rnd() * CAUSES.length)] ?? '';
  const message = `${causeId} message ${'abcdefghijkl'.charAt(Math.floor(rnd() * 12))} "x${line}" at ${line}`;
  const f = finding(causeId, { message, text: message, line });
  if (rnd() < 0.5) return f;
  const keyed: KeyedFinding = { ...f, knownKey: `${causeId}:${shape(message)}` };
  return keyed;
}

test('evidence kept as the plain rule keeps it, keys said or computed', () => {
  const cause = catalog.byId.get('upstream.refused');
  if (!cause) throw new Error('no upstream.refused');
  for (const seed of [1, 2, 3]) {
    const rnd = prng(seed);
    const agg: IncidentAggregate = new IncidentAggregate(cause, T0);
    const ref = new Reference();
    for (let k = 0; k < 3000; k++) {
      // Mostly later batches, now and then an earlier time (lines read out of order).
      const time = T0 + (rnd() < 0.1 ? -Math.floor(rnd() * 50) : k) * 1000;
      const findings = Array.from({ length: Math.floor(rnd() * 3) }, () => someFinding(rnd, k));
      const b: FailureBatch = { time, seq: k, count: 1, status: 502, withAccess: 0, paths: '/a', upstreams: 'u', hosts: 'h', findings, access: undefined };
      agg.add(b, 0.8);
      for (const f of findings) ref.offer(f, [0, time, k]);
      assert.deepEqual(agg.evidence.map((e) => [e.key, e.at]), ref.list.map((e) => [e.key, e.at]), `seed ${seed}, batch ${k}`);
      assert.ok(agg.evidence.every((e, i) => e.finding === ref.list[i]?.finding), `seed ${seed}, batch ${k}: the same findings`);
    }
    assert.equal(agg.evidence.length, 8);
  }
});

test('a finding that says its key gives the key computed from its record', () => {
  const message = 'connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.1';
  const f = finding('upstream.refused', { message, text: message });
  const keyed: KeyedFinding = { ...f, knownKey: `upstream.refused:${shape(message)}` };
  assert.equal(evidenceKey(keyed), evidenceKey(f));
  assert.equal(evidenceKey(f), `upstream.refused:${shape(message)}`);
});
