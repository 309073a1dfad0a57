// The worker's chunk form (digest-wire.ts) gives back exactly the events written, in order: lines, batches
// with one string or exact counts per scope field (the Maps' order kept), evidence, keys and precursor
// texts; recurring strings named by number across chunks, and sent as texts once the table is full.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { prng } from '../sources/kernel-lines.ts';
import { TABLE_MAX, WireReader, WireWriter, type WireChunk } from './digest-wire.ts';
import type { DigestBatch } from './error-digest.ts';

type Event = { line: [number, string] } | { batch: DigestBatch };

const PATHS = ['/api/orders', '/api/orders/17', '/', '', '/static/app.js', '/api/ümlaut', '/a b', '/x'.repeat(200)];
const CAUSES = ['upstream.refused', 'upstream.timeout', 'php-fpm.socket-missing'];

function pick<T>(rnd: () => number, list: readonly T[]): T {
  return list[Math.floor(rnd() * list.length)];
}

/** One string, or exact counts in a random order of first sight. */
function values(rnd: () => number, list: readonly string[]): string | Map<string, number> {
  if (rnd() < 0.4) return pick(rnd, list);
  const m = new Map<string, number>();
  for (let k = 1 + Math.floor(rnd() * 12); k > 0; k--) {
    const v = rnd() < 0.2 ? `/unique/${Math.floor(rnd() * 1e9)}` : pick(rnd, list);
    m.set(v, (m.get(v) ?? 0) + 1 + Math.floor(rnd() * 5));
  }
  return m;
}

function triples(rnd: () => number, n: number): [number, string, number][] {
  return Array.from({ length: n }, (_, k): [number, string, number] => [k * 7 + Math.floor(rnd() * 5), `2026/11/20 10:00:0${k} [error] text ${rnd()}`, Math.floor(rnd() * 3)]);
}

function events(seed: number, n: number): Event[] {
  const rnd = prng(seed);
  const out: Event[] = [];
  for (let k = 0; k < n; k++) {
    if (rnd() < 0.2) {
      out.push({ line: [k, rnd() < 0.1 ? '' : `a line for the reader ${k} ${rnd()}`] });
      continue;
    }
    const evidence = triples(rnd, Math.floor(rnd() * 3));
    const causeId = pick(rnd, CAUSES);
    out.push({
      batch: {
        time: rnd() < 0.02 ? NaN : Date.UTC(2026, 10, 20, 10) + k * 1000, causeId, count: 1 + Math.floor(rnd() * 1024),
        paths: values(rnd, PATHS), upstreams: values(rnd, PATHS.map((p) => `127.0.0.1:8080${p}`)), hosts: values(rnd, ['shop.example.com', 'api.example.com']),
        evidence, keys: evidence.map((_, i) => `${causeId}:shape ${i}`), precursors: Math.floor(rnd() * 40), precursorTexts: triples(rnd, rnd() < 0.7 ? 0 : 2),
      },
    });
  }
  return out;
}

/** Writes `evs` in chunks of `per`, as a worker posts them (each chunk cloned as postMessage would), and reads them back. */
function roundTrip(evs: readonly Event[], per: number, tableMax?: number): Event[] {
  const writer = new WireWriter(tableMax);
  const reader = new WireReader();
  const chunks: WireChunk[] = [];
  for (const [k, e] of evs.entries()) {
    if ('line' in e) writer.line(e.line[0], e.line[1]);
    else writer.batch(e.batch);
    if ((k + 1) % per === 0 || k === evs.length - 1) chunks.push(structuredClone(writer.take()));
  }
  assert.ok(writer.empty);
  // The table (each side's copy of the recurring strings) stays within its bound.
  const tabled = chunks.reduce((n, c) => n + c.fresh.length, 0);
  assert.ok(tabled <= (tableMax ?? TABLE_MAX), `strings in the table: ${tabled}`);
  const back: Event[] = [];
  for (const c of chunks) reader.read(c, (n, text) => back.push({ line: [n, text] }), (b) => back.push({ batch: b }));
  return back;
}

/** The Maps' entries in their order (deepEqual compares Maps regardless of order). */
const ordered = (evs: readonly Event[]): unknown => JSON.stringify(evs, (_k, v: unknown) => (v instanceof Map ? [...(v as Map<string, number>)] : Number.isNaN(v) ? 'NaN' : v));

test('chunks give back the events written, in order, Maps in their order', () => {
  for (const [seed, per] of [[1, 1], [2, 7], [3, 500]] as const) {
    const evs = events(seed, 3000);
    const back = roundTrip(evs, per);
    assert.deepStrictEqual(back, evs);
    assert.equal(ordered(back), ordered(evs));
  }
});

test('past a full table, recurring strings go as texts and still read back', () => {
  const evs = events(4, 2000);
  for (const max of [0, 1, 5]) {
    const back = roundTrip(evs, 13, max);
    assert.deepStrictEqual(back, evs);
    assert.equal(ordered(back), ordered(evs));
  }
});

test('a recurring string is sent once: later chunks name it by number', () => {
  const writer = new WireWriter();
  const batch: DigestBatch = { time: 0, causeId: 'upstream.refused', count: 2, paths: new Map([['/a', 1], ['/b', 1]]), upstreams: 'u', hosts: 'h', evidence: [], keys: [], precursors: 0, precursorTexts: [] };
  writer.batch(batch);
  const first = writer.take();
  writer.batch(batch);
  const second = writer.take();
  assert.deepEqual(first.fresh, ['upstream.refused', '/a', '/b', 'u', 'h']);
  assert.deepEqual(second.fresh, []);
  assert.deepEqual(second.texts, []);
  const reader = new WireReader();
  const got: DigestBatch[] = [];
  for (const c of [first, second]) reader.read(c, () => assert.fail('no line'), (b) => got.push(b));
  assert.deepStrictEqual(got, [batch, batch]);
});
