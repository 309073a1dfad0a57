// Every lifecycle rule on its own (restarts, fatal exceptions, bursts, placement by order, the incident's
// fields), then both correlation paths on an untimed crash-restart loop and an untimed heap OOM.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../classify/classify.ts';
import type { AccessEvent, ChangeEvent, LogRecord } from '../events/types.ts';
import { SecondCounts } from '../events/second-counts.ts';
import { analyze } from './analyze.ts';
import { Correlator } from './correlator.ts';
import { describeAll } from './describe.ts';
import { burstsOf, fatalRecords, lifecycleFields, lifecycleOf, markFatal, placeByOrder, placementOf, windowsByStarts, type LifecycleEvent } from './lifecycle.ts';
import { access, catalog, finding, T0 } from './test-events.ts';

const CRASH_TEXT = 'file:///srv/app.js:13\n      throw new TypeError("x");\n      ^\n\nTypeError: x\n    at Immediate.<anonymous> (file:///srv/app.js:13:13)\n\nNode.js v24.21.0';

/** A record of an untimed app log (source 2) at `line`. */
function untimed(causeId: string, line: number, text = CRASH_TEXT): Finding {
  return finding(causeId, { source: 2, line, time: NaN, timeMax: NaN, timed: false, producer: 'node', message: text, text, request: '', client: '' });
}

function banner(line: number): LogRecord {
  const text = 'Server listening on http://127.0.0.1:3000';
  return { ...finding('app.crash', { source: 2, line, time: NaN, timeMax: NaN, timed: false, producer: 'app', message: text, text }).record };
}

const ev = (f: Finding): LifecycleEvent => ({ line: f.record.line, finding: f });
const bn = (line: number): LifecycleEvent => ({ line, banner: banner(line) });

test('a start banner after a fatal record is a restart; one before the next fatal record counts for that one only', () => {
  const [a, b, c] = [untimed('app.crash', 2), untimed('app.crash', 12), untimed('host.out_of_memory', 30)];
  const out = fatalRecords([bn(1), ev(a), ev(b), bn(20), ev(c)], catalog);
  assert.deepEqual(out.map((x) => [x.finding.record.line, x.restarted]), [[2, false], [12, true], [30, false]]);
});

test('an app exception a banner follows at once ended the process: it becomes app.crash; a distant banner or a dependency error does not', () => {
  const exc = untimed('app.exception', 5, 'TypeError: x\n    at f (/srv/app.js:1:1)');
  const [close] = fatalRecords([ev(exc), bn(7)], catalog);
  assert.equal(close?.finding.cause.id, 'app.crash');
  assert.equal(close?.finding.record, exc.record, 'the same record, under its new cause');
  assert.equal(close?.restarted, true);
  assert.deepEqual(fatalRecords([ev(exc), bn(6 + 1 + 3 + 1)], catalog), [], 'a banner four lines after the trace is another start');
  const db = untimed('dependency.database', 5, 'Error: connect ECONNREFUSED 127.0.0.1:5432');
  assert.deepEqual(fatalRecords([ev(db), bn(6)], catalog), [], 'only an app-layer exception is read as fatal');
});

test('bursts: failures of the explained causes, split where they fall quiet for more than 3 s; in-flight deaths flagged', () => {
  const s = (t: number): number => Math.floor((T0 + t) / 1000);
  const seconds = new Map([
    ['upstream.refused', new Set([s(0), s(1000), s(10_000), s(11_000)])],
    ['upstream.premature_close', new Set([s(10_000)])],
    ['upstream.timeout', new Set([s(5000)])],
  ]);
  const bursts = burstsOf(seconds, new Set(['upstream.refused', 'upstream.premature_close']));
  assert.deepEqual(bursts.map((b) => [b.start - T0, b.inFlight]), [[0, false], [10_000, true]]);
  assert.equal(burstsOf(seconds, new Set(['upstream.refused', 'upstream.timeout'])).length, 3, 'explained, the timeout at 5 s is a burst of its own');
  assert.equal(burstsOf(new Map([['upstream.refused', new Set([s(0), s(3000)])]]), new Set(['upstream.refused'])).length, 1, '3 s of quiet is still one burst');
});

test('placement by order: the k-th untimed fatal record at the k-th burst, marked inferred; timed records untouched', () => {
  const bursts = [{ start: T0, end: T0 + 999, inFlight: true }, { start: T0 + 60_000, end: T0 + 60_999, inFlight: false }];
  const [a, b] = [untimed('app.crash', 2), untimed('app.crash', 12)];
  const timed = finding('app.crash', { producer: 'node' });
  assert.deepEqual(placeByOrder([a, timed, b], bursts), [a, b]);
  assert.deepEqual([a.record.time, b.record.time, b.record.timeMax], [T0, T0 + 60_000, T0 + 60_000]);
  assert.equal(placementOf(a.record), 'inferred');
  assert.equal(placementOf(timed.record), undefined);
  assert.equal(timed.record.time, T0);
});

test('placement by order: as many in-flight bursts as records map to those; otherwise each record spans every burst', () => {
  const bursts = [{ start: T0, end: T0 + 999, inFlight: false }, { start: T0 + 30_000, end: T0 + 30_999, inFlight: true }, { start: T0 + 90_000, end: T0 + 90_999, inFlight: false }];
  const one = untimed('app.crash', 2);
  placeByOrder([one], bursts);
  assert.deepEqual([one.record.time, one.record.timeMax], [T0 + 30_000, T0 + 30_000], 'the burst where a request died in flight');
  const [x, y] = [untimed('app.crash', 2), untimed('app.crash', 9)];
  placeByOrder([x, y], bursts);
  assert.deepEqual([x.record.time, x.record.timeMax, y.record.time, y.record.timeMax], [T0, T0 + 90_999, T0, T0 + 90_999]);
  assert.deepEqual(placeByOrder([untimed('app.crash', 2)], []), [], 'nothing to place against: the record keeps no time');
});

test('planned starts (banners no crash came before) answer to the deploys, latest first, and bound the records after them', () => {
  const [d1, d2] = [T0, T0 + 60_000];
  const one = windowsByStarts([1, 20, 40], [10, 30], [d2]);
  assert.deepEqual([one(0), one(10), one(30)], [[-Infinity, d2], [d2, Infinity], [d2, Infinity]], 'only the first banner was planned');
  const two = windowsByStarts([1, 50], [60], [d1, d2]);
  assert.deepEqual([two(30), two(60)], [[d1, d2], [d2, Infinity]]);
  const fewer = windowsByStarts([1, 50], [60], [d2]);
  assert.deepEqual([fewer(30), fewer(60)], [[-Infinity, d2], [d2, Infinity]], 'the latest start answers to the only deploy');
  assert.deepEqual(windowsByStarts([1], [5], [])(5), [-Infinity, Infinity], 'no deploy: anywhere');
});

test('the incident fields: symptoms largest first, crashes and restarts of its roots, inferred when any was placed', () => {
  const [a, b] = [untimed('app.crash', 2), finding('app.crash', { producer: 'node' })];
  markFatal(a, true);
  placeByOrder([a], [{ start: T0, end: T0, inFlight: true }]);
  markFatal(b, false);
  assert.deepEqual(lifecycleOf([a, b]), { crashes: 2, restarts: 1, placement: 'inferred' });
  assert.deepEqual(lifecycleOf([b]), { crashes: 1, restarts: 0, placement: 'logged' });
  assert.equal(lifecycleOf([finding('app.crash')]), undefined, 'a record the rules never saw');
  const fields = lifecycleFields(new Map([['upstream.premature_close', 3], ['upstream.refused', 18]]), []);
  assert.deepEqual(fields, { symptoms: [{ cause: 'upstream.refused', requests: 18 }, { cause: 'upstream.premature_close', requests: 3 }] });
  assert.deepEqual(lifecycleFields(new Map(), []), {}, 'no root: no extension fields');
});

/** Three crashes 20 s apart: each a premature close, then refused connections while the process restarts. */
function crashLoop(): { findings: Finding[]; failed: AccessEvent[]; banners: LogRecord[] } {
  const findings: Finding[] = [];
  const failed: AccessEvent[] = [];
  const banners = [banner(1)];
  for (let k = 0; k < 3; k++) {
    const t = T0 + k * 20_000;
    findings.push(untimed('app.crash', 10 + k * 20));
    banners.push(banner(19 + k * 20));
    const closed = finding('upstream.premature_close', { time: t, timeMax: t, request: 'GET /crash HTTP/1.1', client: `10.0.0.${k}` });
    findings.push(closed);
    failed.push(access({ time: t, path: '/crash', client: `10.0.0.${k}` }));
    for (let i = 1; i <= 4; i++) {
      const c = `10.0.1.${k * 10 + i}`;
      findings.push(finding('upstream.refused', { time: t + i * 100, timeMax: t + i * 100, client: c }));
      failed.push(access({ time: t + i * 100, client: c }));
    }
  }
  return { findings, failed, banners };
}

interface Inputs { findings: Finding[]; failed: AccessEvent[]; banners: LogRecord[]; changes?: ChangeEvent[] }

function viaReference(x: Inputs): ReturnType<typeof describeAll> {
  return [...analyze({
    catalog, sources: [], failedAccess: x.failed, findings: x.findings, changes: x.changes ?? [], totals: { requests: 0, byStatus: {} }, traffic: new SecondCounts(),
    hasAccessLog: true, assumedOffsetMinutes: 0, gapMs: 120_000, triggerWindowMs: 3_600_000, banners: x.banners,
  }).incidents];
}

function viaStream(x: Inputs): ReturnType<typeof describeAll> {
  const c = new Correlator({ catalog, gapMs: 120_000, hasAccessLog: true, latenessMs: 10_000 });
  for (const b of x.banners) c.lifecycle.noteBanner(b);
  for (const ch of x.changes ?? []) c.lifecycle.noteChange(ch);
  for (const f of x.findings) c.pushFinding(f);
  for (const e of x.failed) c.pushAccess(e);
  return describeAll(c.close(), { sources: [], changes: [], traffic: new SecondCounts(), triggerWindowMs: 3_600_000, precursors: c.store.precursors });
}

for (const [name, run] of [['reference', viaReference], ['stream', viaStream]] as const) {
  test(`${name}: a request the root cause explains directly still counts the symptom it showed`, () => {
    const oom = finding('host.out_of_memory', { producer: 'kernel', request: '', client: '', message: 'Memory cgroup out of memory: Killed process 25994 (node)' });
    const closed = finding('upstream.premature_close', { time: T0 + 300, timeMax: T0 + 300 });
    const out = run({ findings: [oom, closed], failed: [access({ time: T0 + 300 })], banners: [] });
    assert.deepEqual(out.map((i) => [i.cause, i.symptoms]), [['host.out_of_memory', [{ cause: 'upstream.premature_close', requests: 1 }]]]);
  });

  test(`${name}: an untimed crash-restart loop is the root cause of its refused and closed connections`, () => {
    const out = run(crashLoop());
    assert.deepEqual(out.map((i) => [i.cause, i.requests]), [['app.crash', 15]]);
    assert.deepEqual(out[0]?.symptoms, [{ cause: 'upstream.refused', requests: 12 }, { cause: 'upstream.premature_close', requests: 3 }]);
    assert.deepEqual(out[0]?.lifecycle, { crashes: 3, restarts: 3, placement: 'inferred' });
    assert.equal(out[0]?.evidence[0]?.placement, 'inferred');
  });

  test(`${name}: a deploy anchors the new version's start: refused connections before it are not its crashes`, () => {
    const refusedAt = (t: number, tag: string): [Finding, AccessEvent] => [
      finding('upstream.refused', { time: t, timeMax: t, client: tag }), access({ time: t, client: tag })];
    const bursts = [T0, T0 + 300_000, T0 + 320_000].flatMap((t, k) => [1, 2, 3, 4].map((i) => refusedAt(t + i * 100, `10.0.${k}.${i}`)));
    // The old version's banner, the new one's after the deploy, then it crashes at boot twice (nothing in flight).
    const inputs = (changes: ChangeEvent[]): Inputs => ({
      findings: [untimed('app.crash', 5), untimed('app.crash', 16), ...bursts.map(([f]) => f)], failed: bursts.map(([, e]) => e),
      banners: [banner(1), banner(3), banner(14), banner(25)], changes,
    });
    const deploy: ChangeEvent = { kind: 'deploy', time: T0 + 200_000, ref: 'a1b2c3d', text: 'deploy shop ref=a1b2c3d', source: 'deploy.log', line: 1 };
    assert.deepEqual(run(inputs([deploy])).map((i) => [i.cause, i.requests]), [['app.crash', 8], ['upstream.refused', 4]]);
    assert.deepEqual(run(inputs([])).map((i) => [i.cause, i.requests]), [['app.crash', 8], ['app.crash', 4]], 'without the deploy: anywhere among the bursts');
  });

  test(`${name}: an untimed heap OOM before a burst of refused connections is its root cause`, () => {
    const oom = untimed('host.out_of_memory', 3, 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory');
    const refused = [1, 2, 3].map((i) => finding('upstream.refused', { time: T0 + i * 200, timeMax: T0 + i * 200, client: `10.0.2.${i}` }));
    const failed = [1, 2, 3].map((i) => access({ time: T0 + i * 200, client: `10.0.2.${i}` }));
    const out = run({ findings: [oom, ...refused], failed, banners: [] });
    assert.deepEqual(out.map((i) => [i.cause, i.requests]), [['host.out_of_memory', 3]]);
    assert.deepEqual(out[0]?.symptoms, [{ cause: 'upstream.refused', requests: 3 }]);
    assert.deepEqual(out[0]?.lifecycle, { crashes: 1, restarts: 0, placement: 'inferred' }, 'no banner: the process did not come back');
  });
}
