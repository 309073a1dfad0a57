// The streaming stage against the plain reference (analyze.ts) and its own rules: neighbour borrowing,
// access-only inference, gap splitting with the clock, bounded memory under a flood.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../classify/classify.ts';
import type { AccessEvent } from '../events/types.ts';
import { SecondCounts } from '../events/second-counts.ts';
import { analyze } from './analyze.ts';
import { Correlator } from './correlator.ts';
import { describeAll } from './describe.ts';
import { access, catalog, finding, T0 } from './test-events.ts';

function streamed(findings: Finding[], failed: AccessEvent[], gapMs = 120_000, hasAccessLog = true): ReturnType<typeof describeAll> {
  const c = new Correlator({ catalog, gapMs, hasAccessLog, latenessMs: 10_000 });
  for (const f of findings) c.pushFinding(f);
  for (const e of failed) c.pushAccess(e);
  return describeAll(c.close(), { sources: [], changes: [], traffic: new SecondCounts(), triggerWindowMs: 3_600_000, precursors: c.store.precursors });
}

function reference(findings: Finding[], failed: AccessEvent[], gapMs = 120_000, hasAccessLog = true): ReturnType<typeof describeAll> {
  return [...analyze({
    catalog, sources: [], failedAccess: failed, findings, changes: [], totals: { requests: 0, byStatus: {} }, traffic: new SecondCounts(),
    hasAccessLog, assumedOffsetMinutes: 0, gapMs, triggerWindowMs: 3_600_000,
  }).incidents];
}

test('neighbour borrowing: an unexplained 502 takes the cause of explained 502s within 30 s', () => {
  const failed = [access({ time: T0, client: '10.0.0.1' }), access({ time: T0 + 20_000, client: '10.0.0.2', path: '/other' })];
  const out = streamed([finding('upstream.refused')], failed);
  assert.deepEqual(out.map((i) => [i.cause, i.requests]), [['upstream.refused', 2]]);
  // 40 s away: too far to borrow.
  const far = streamed([finding('upstream.refused')], [failed[0], access({ time: T0 + 40_000, path: '/other' })]);
  assert.deepEqual(far.map((i) => i.cause).sort(), ['upstream.refused', 'upstream.unexplained']);
});

test('access-only inference: nginx upstream fields name the cause when no record does', () => {
  const out = streamed([], [access({ status: 504, upstreamAddr: '10.0.0.2:80', upstreamStatus: '504', upstreamHeaderTime: '-', upstreamConnectTime: '0.001' })]);
  assert.equal(out[0]?.cause, 'upstream.timeout');
  // A retry: nginx's last attempt is the one that decided the answer.
  const retried = streamed([], [access({ upstreamAddr: '10.0.0.2:80, 10.0.0.3:80', upstreamStatus: '504, 502', upstreamConnectTime: '0.001, -', requestTime: 0.01 })]);
  assert.equal(retried[0]?.cause, 'upstream.refused');
  assert.deepEqual(retried[0]?.scope.upstreams, [['10.0.0.3:80', 1]]);
});

test('gap splitting in the stream: quiet longer than --gap starts a new incident', () => {
  const at = (dt: number): AccessEvent => access({ time: T0 + dt });
  assert.equal(streamed([], [at(0), at(60_000), at(190_000)]).length, 2);
  assert.equal(streamed([], [at(0), at(60_000), at(170_000)]).length, 1);
});

/** A seeded mix of findings and failed lines: refused/reset/timeouts, roots, clients, retries, gaps. */
function generated(seed: number): { findings: Finding[]; failed: AccessEvent[] } {
  let a = seed;
  const rnd = (): number => ((a = (a * 1103515245 + 12345) % 2147483648) / 2147483648);
  const findings: Finding[] = [];
  const failed: AccessEvent[] = [];
  const causes = ['upstream.refused', 'upstream.reset', 'upstream.premature_close', 'upstream.timeout'];
  let t = T0;
  for (let k = 0; k < 400; k++) {
    t += Math.floor(rnd() * (rnd() < 0.05 ? 300_000 : 4000));
    const path = `/api/${Math.floor(rnd() * 5)}`;
    const client = `10.0.0.${Math.floor(rnd() * 4)}`;
    if (rnd() < 0.6) findings.push(finding(causes[Math.floor(rnd() * causes.length)] ?? 'upstream.refused', { time: t, timeMax: t, client, request: rnd() < 0.7 ? `GET ${path} HTTP/1.1` : '', line: k }));
    if (rnd() < 0.03) findings.push(finding('app.crash', { time: t - 1000, timeMax: t - 1000, request: '', client: '', line: k }));
    failed.push(access({ time: t + Math.floor(rnd() * 1500), path, client, line: k, status: rnd() < 0.8 ? 502 : 504, requestTime: rnd() * 3 }));
  }
  return { findings, failed };
}

/** Mean confidences may differ in the last rounding: the stream sums exact hundredths, the reference floats. */
function rounded(list: ReturnType<typeof describeAll>): unknown[] {
  return list.map((i) => ({ ...i, confidence: Math.round(i.confidence * 10) }));
}

test('the stream gives the reference\'s incidents on generated inputs', () => {
  for (let seed = 1; seed <= 12; seed++) {
    const { findings, failed } = generated(seed);
    const got = streamed(findings, failed);
    const want = reference(findings, failed);
    assert.deepEqual(rounded(got), rounded(want), `seed ${seed}`);
    for (const [k, i] of got.entries()) assert.ok(Math.abs(i.confidence - (want[k]?.confidence ?? NaN)) <= 0.011, `seed ${seed}: confidence`);
    assert.deepEqual(rounded(streamed(findings, [], 120_000, false)), rounded(reference(findings, [], 120_000, false)), `seed ${seed}, no access log`);
  }
});

test('a flood of identical findings and failures stays a few slots and buckets', () => {
  const c = new Correlator({ catalog, gapMs: 120_000, hasAccessLog: true, latenessMs: 10_000 });
  for (let k = 0; k < 20_000; k++) c.pushFinding(finding('upstream.refused', { time: T0 + Math.floor(k / 100) * 1000, request: '' }));
  for (let k = 0; k < 20_000; k++) c.pushAccess(access({ time: T0 + Math.floor(k / 100) * 1000, line: k }));
  assert.ok(c.store.size <= 200, `${c.store.size} slots`);
  const [inc] = c.close();
  assert.equal(inc?.requests, 20_000);
});

test('without an access log, a cause that answers 4xx makes no incident; it is counted; a rate limit is a 503', () => {
  const c = new Correlator({ catalog, gapMs: 120_000, hasAccessLog: false, latenessMs: 10_000 });
  c.pushFinding(finding('app.script_not_found', { request: 'GET /missing.php HTTP/1.1' }));
  c.pushFinding(finding('gateway.rate_limited', { request: 'GET /limited HTTP/1.1' }));
  const out = describeAll(c.close(false), { sources: [], changes: [], traffic: new SecondCounts(), triggerWindowMs: 3_600_000, precursors: c.store.precursors });
  assert.deepEqual(out.map((i) => [i.cause, i.statuses]), [['gateway.rate_limited', { 503: 1 }]]);
  assert.deepEqual([...c.setAside.below500Counts], [['app.script_not_found', 1]]);
  // The plain reference agrees.
  const ref = reference([finding('app.script_not_found'), finding('gateway.rate_limited', { request: 'GET /x HTTP/1.1' })], [], 120_000, false);
  assert.deepEqual(ref.map((i) => i.cause), ['gateway.rate_limited']);
  // With an access log a 500 that the same record explains is still that cause's.
  const joined = streamed([finding('app.script_not_found', { request: 'GET /api/orders HTTP/1.1' })], [access({ status: 500 })]);
  assert.equal(joined[0]?.cause, 'app.script_not_found');
});

test('an nginx stream/mail record matching a cause is set aside and counted, never a failure', () => {
  // Recorded from Debian's nginx 1.22.1 with libnginx-mod-stream (test/false-alarms.test.ts).
  const text = '2026/11/27 16:15:14 [error] 2807#2807: *13 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: 127.0.0.1:18993, upstream: "127.0.0.1:18994", bytes from/to client:0/0, bytes from/to upstream:0/0';
  for (const hasAccessLog of [false, true]) {
    const c = new Correlator({ catalog, gapMs: 120_000, hasAccessLog, latenessMs: 10_000 });
    c.pushFinding(finding('upstream.refused', { text, message: text, request: '', line: 20 }));
    if (hasAccessLog) c.pushAccess(access({ status: 502, path: '/', client: '127.0.0.1' }));
    const out = describeAll(c.close(hasAccessLog), { sources: [], changes: [], traffic: new SecondCounts(), triggerWindowMs: 3_600_000, precursors: c.store.precursors });
    assert.deepEqual(out.map((i) => i.cause), hasAccessLog ? ['upstream.unexplained'] : []);
    assert.match(c.setAside.notes(() => 'error.log', () => 0)[0] ?? '', /^1 nginx error record\(s\) of the stream .*\(first: error\.log:20\)$/);
  }
});

test('the join queue is bounded by a count: past `maxQueued` the oldest failed line is joined at once, counted', () => {
  const run = (maxQueued?: number): { causes: string[][]; early: number } => {
    const c = new Correlator({ catalog, gapMs: 120_000, hasAccessLog: true, latenessMs: 10_000, maxQueued });
    c.pushAccess(access({ time: T0 }));
    c.pushAccess(access({ time: T0 + 100, path: '/other', client: '10.0.0.2' }));
    c.pushAccess(access({ time: T0 + 200, path: '/other', client: '10.0.0.3' }));
    // Its finding comes after the line (within the join delay): found only while the line still waits.
    c.pushFinding(finding('upstream.refused'));
    const out = describeAll(c.close(), { sources: [], changes: [], traffic: new SecondCounts(), triggerWindowMs: 3_600_000, precursors: c.store.precursors });
    return { causes: out.map((i) => [i.cause, String(i.requests)]), early: c.joinedEarly };
  };
  // Under the cap: the line waits and its finding explains it (its neighbours borrow the cause).
  assert.deepEqual(run(3), { causes: [['upstream.refused', '3']], early: 0 });
  assert.deepEqual(run(), run(3));
  // Over it: the oldest lines (down to 7/8 of the cap) were joined before their finding came; every line still counted.
  const capped = run(2);
  assert.equal(capped.early, 2);
  assert.equal(capped.causes.reduce((n, c) => n + Number(c[1]), 0), 3);
  assert.ok(!capped.causes.some((c) => c[0] === 'upstream.refused' && c[1] === '3'), JSON.stringify(capped.causes));
});
