// watch's log stages on lines as they come: formats detected per source (or given), own times kept, lines
// without a time given their arrival time, failures correlated into an incident that closes on the clock.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { catalog } from '../correlate/test-events.ts';
import { LogPipeline, MAX_JOIN_QUEUE } from './log-pipeline.ts';

const T0 = Date.UTC(2026, 10, 27, 12, 0, 0);
const clf = (ms: number): string => {
  const d = new Date(ms);
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  return `${String(d.getUTCDate()).padStart(2, '0')}/${mon}/${d.getUTCFullYear()}:${d.toISOString().slice(11, 19)} +0000`;
};
const ngx = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace('T', ' ').replaceAll('-', '/');
const accessLine = (ms: number, status: number): string => `10.0.0.1 - - [${clf(ms)}] "GET /api/orders HTTP/1.1" ${status} 157 "-" "curl/8" rt=0.001 ua="127.0.0.1:3000" us="${status}" uct="-" uht="-" urt="0.000"`;
const errorLine = (ms: number): string => `${ngx(ms)} [error] 7#7: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.1, server: shop.test, request: "GET /api/orders HTTP/1.1", upstream: "http://127.0.0.1:3000/api/orders", host: "shop.test"`;

test('access and error lines are detected, parsed, classified and correlated into an incident that closes after the gap', () => {
  const p = new LogPipeline({ catalog, gapMs: 10_000, toUtc: (ms) => ms }, T0);
  for (let s = 0; s < 5; s++) {
    const t = T0 + s * 1000;
    p.feed('error.log', errorLine(t), s + 1, t + 50);
    p.feed('access.log', accessLine(t, 502), s + 1, t + 50);
    p.feed('access.log', accessLine(t, 200), s + 100, t + 50);
  }
  p.tick(T0 + 6000);
  assert.deepEqual(p.sources.map((s) => [s.path, s.format, s.kind]), [['error.log', 'nginx-error', 'error'], ['access.log', 'combined', 'access']]);
  p.tick(T0 + 12_000);
  const [live] = p.live();
  assert.equal(live?.cause.id, 'upstream.refused');
  assert.equal(live.requests, 5);
  assert.equal(live.start, T0, 'the lines\' own times, not their arrival');
  // Joined with the error log's findings (their local times read in the zone given).
  assert.ok(live.evidence.some((e) => e.finding.record.producer === 'nginx' && /connect\(\) failed/.test(e.finding.record.message)), 'joined to the error-log line');
  assert.deepEqual(p.tick(T0 + 4000 + 5000 + 30_000 + 2000 + 10_000 - 100), []);
  const closed = p.tick(T0 + 4000 + 5000 + 30_000 + 2000 + 10_000 + 100);
  assert.equal(closed.length, 1);
  assert.equal(p.live().length, 0);
});

test('records without a time of their own take their arrival time; a given format skips detection', () => {
  const p = new LogPipeline({ catalog, gapMs: 10_000 }, T0);
  p.source('app.log', 'app-text');
  p.feed('app.log', 'Error: connect ECONNREFUSED 127.0.0.1:5432', 1, T0 + 777);
  p.tick(T0 + 5000);
  assert.equal(p.sources[0]?.format, 'app-text');
  p.tick(T0 + 12_000);
  const live = p.live();
  assert.equal(p.counts.findings, 1, 'classified');
  assert.equal(live[0]?.start, T0 + 777);
  assert.equal(live[0]?.cause.layer, 'dependency');
});

test('a time the transport gives (syslog RFC 5424, journald) is used for a line without its own', () => {
  const p = new LogPipeline({ catalog, gapMs: 10_000 }, T0);
  p.source('syslog:h/app', 'app-text');
  p.feed('syslog:h/app', 'Error: connect ECONNREFUSED 127.0.0.1:5432', 0, T0 + 5000, T0 + 123);
  p.tick(T0 + 12_000);
  assert.equal(p.live()[0]?.start, T0 + 123);
});

test('with no access log among the sources, the findings themselves are the failures', () => {
  const p = new LogPipeline({ catalog, gapMs: 10_000, toUtc: (ms) => ms }, T0);
  for (let s = 0; s < 3; s++) p.feed('error.log', errorLine(T0 + s * 1000), s + 1, T0 + s * 1000 + 10);
  p.tick(T0 + 5000);
  p.tick(T0 + 12_000);
  assert.equal(p.correlator?.live().length, 1);
  assert.equal(p.live()[0]?.cause.id, 'upstream.refused');
  assert.equal(p.live()[0]?.requests, 3);
});

test('while a reader lags, the clock stays at the latest line read: incidents are not closed early', () => {
  const p = new LogPipeline({ catalog, gapMs: 10_000, toUtc: (ms) => ms }, T0);
  for (let s = 0; s < 3; s++) {
    p.feed('error.log', errorLine(T0 + s * 1000), s + 1, T0 + s * 1000);
    p.feed('access.log', accessLine(T0 + s * 1000, 502), s + 1, T0 + s * 1000);
  }
  p.tick(T0 + 5000);
  // The error log is read on, ahead, to its end; the access log is not.
  p.feed('error.log', errorLine(T0 + 590_000), 9, T0 + 590_000);
  // Ten minutes later by the wall clock, with the access log not read to its end: nothing closes.
  assert.deepEqual(p.tick(T0 + 600_000, new Set(['access.log'])), []);
  assert.equal(p.live().length, 1);
  assert.equal(p.tick(T0 + 600_000).length, 1);
});

test('join slots are forgotten 90 s behind the clock, so a steady error log never fills the store', () => {
  const p = new LogPipeline({ catalog, gapMs: 10_000, toUtc: (ms) => ms }, T0);
  for (let s = 0; s < 5; s++) {
    const t = T0 + s * 1000;
    p.feed('error.log', errorLine(t), s + 1, t + 50);
    p.feed('access.log', accessLine(t, 200), s + 1, t + 50);
  }
  p.tick(T0 + 12_000);
  assert.equal(p.correlator?.store.size, 5);
  p.tick(T0 + 90_000 - 1000);
  assert.equal(p.correlator?.store.size, 5, 'kept while a late line may still join them');
  p.tick(T0 + 4000 + 90_000 + 1000);
  assert.equal(p.correlator?.store.size, 0);
});

test('traffic seconds of lines dated far in the future are forgotten: the counts stay within two hours either side', () => {
  const p = new LogPipeline({ catalog, gapMs: 10_000, toUtc: (ms) => ms }, T0);
  for (let i = 0; i < 3000; i++) p.feed('access.log', accessLine(T0 + 86_400_000 * 400 + i * 1000, 200), i + 1, T0);
  p.feed('access.log', accessLine(T0, 200), 3001, T0);
  p.tick(T0 + 2000);
  assert.equal(p.counts.access, 3001);
  assert.equal(p.traffic.size, 1);
  assert.equal(p.traffic.get(Math.floor(T0 / 1000)), 1);
});

test('the correlator\'s join queue is capped in watch: a flood of failed lines is joined early, counted, every line kept', () => {
  const p = new LogPipeline({ catalog, gapMs: 10_000, toUtc: (ms) => ms }, T0);
  const n = MAX_JOIN_QUEUE + 5000;
  const line = accessLine(T0, 502);
  for (let i = 0; i < n; i++) p.feed('access.log', line, i + 1, T0);
  p.tick(T0 + 2000);
  assert.ok((p.correlator?.joinedEarly ?? 0) >= n - MAX_JOIN_QUEUE, String(p.correlator?.joinedEarly));
  const closed = [...p.tick(T0 + 30_000), ...p.tick(T0 + 120_000)];
  assert.equal(closed.reduce((k, a) => k + a.requests, 0), n);
});
