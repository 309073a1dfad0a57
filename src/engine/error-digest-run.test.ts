// The error digest's runs (ErrorDigest `run`, ErrorHeadKernel `run`: many records of one batch read in
// one WebAssembly call) must hand on what one `take` a line hands on: the same batches (counts, values
// and their order, evidence, precursors) and the same text lines for the reader, on logs made to start
// and stop runs everywhere (seconds, messages, tails seen or not, tails naming no request, CRLF, empty
// and over-long lines, quiet records, lines cut by block edges, more than BATCH_MAX records a second,
// a precursor cause before and after the store's list is full).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadCauses } from '../catalog/causes.ts';
import { loadMarkers, markerLiterals, markerLiteralsFor } from '../changes/log-markers.ts';
import { buildClassifier } from '../classify/classify.ts';
import { ByteScreen, LiteralIndex } from '../classify/literals.ts';
import { plainStart } from '../parse/nginx-error.ts';
import { prng } from '../sources/kernel-lines.ts';
import { Feeder } from '../sources/line-scanner.ts';
import { NewlineKernel } from '../sources/newline-kernel.ts';
import { QuietRecords } from '../sources/quiet-records.ts';
import { BATCH_MAX, digestStats, ErrorDigest, type DigestBatch, type DigestRules } from './error-digest.ts';

const catalog = loadCauses();
const classifier = buildClassifier(catalog);
const markers = loadMarkers();
const rules: DigestRules = {
  classifier, markers, screen: new LiteralIndex([...classifier.literals, ...markerLiterals(markers)]),
  precursorIds: new Set(catalog.causes.flatMap((c) => c.precursors)),
};
const screen = new ByteScreen([...(classifier.literalsFor('nginx') ?? []), ...(markerLiteralsFor(markers, 'nginx') ?? [])]);

const MAX_LINE = 2048;
const MESSAGES = [
  // a precursor cause (of gateway.no_healthy_upstream) and causes that are none
  'connect() failed (111: Connection refused) while connecting to upstream',
  'upstream timed out (110: Connection timed out) while reading response header from upstream',
  'upstream sent too big header while reading response header from upstream',
  'open() "/var/www/html/favicon.ico" failed (2: No such file or directory)',
];
const TAILS = [
  ', server: shop.example.com, request: "GET /api/orders HTTP/1.1", upstream: "http://127.0.0.1:8080/api/orders", host: "shop.example.com"',
  ', server: shop.example.com, request: "POST /api/cart HTTP/1.1", upstream: "http://127.0.0.1:8080/api/cart", host: "shop.example.com"',
  ', server: shop.example.com, request: "GET /ümlaut HTTP/1.1", upstream: "http://10.0.0.7:3000/ümlaut", host: "api.example.com"',
  ', server: shop.example.com, request: "GET / HTTP/1.1", host: "shop.example.com"',
  // a stream proxy's record names no request: never a failure
  ', server: 0.0.0.0:5432, upstream: "10.0.0.9:5432", bytes from/to client:0/0, bytes from/to upstream:0/0',
];

const two = (n: number): string => String(n).padStart(2, '0');

/** An error log of long same-second runs broken in every way a run can be broken. */
function runsLog(seed: number, records: number): string {
  const rnd = prng(seed);
  const out: string[] = [];
  let sec = 0;
  let msg = 0;
  for (let k = 0; k < records; k++) {
    if (rnd() < 0.01) sec++;
    if (rnd() < 0.003) sec += 200;
    if (rnd() < 0.01) msg = Math.floor(rnd() * MESSAGES.length);
    const time = `2026/11/20 ${two(10 + Math.floor(sec / 3600) % 10)}:${two(Math.floor(sec / 60) % 60)}:${two(sec % 60)}`;
    const tail = TAILS[rnd() < 0.97 ? Math.floor(rnd() * 3) : Math.floor(rnd() * TAILS.length)] ?? '';
    // Now and then a tail seen nowhere before (a miss in the kernel's cache).
    const fresh = rnd() < 0.01 ? `, server: s${k}.example.com, request: "GET /x${k} HTTP/1.1", host: "h"` : tail;
    let line = `${time} [error] 2213#2213: *${1000 + k} ${MESSAGES[msg] ?? ''}, client: 10.1.${k % 7}.${k % 250}${fresh}`;
    const odd = rnd();
    if (odd < 0.004) line = `${time} [notice] 2213#2213: signal process started`;
    else if (odd < 0.008) line = `${line}\r`;
    else if (odd < 0.01) line = '';
    else if (odd < 0.012) line = `${line}, referrer: "${'r'.repeat(MAX_LINE)}"`;
    else if (odd < 0.014) line = `${time} [error] 2213#2213: *${k} client intended to send too large body`;
    else if (odd < 0.016) line = `${line}\n  a continuation`;
    out.push(line);
  }
  return out.join('\n') + '\n';
}

interface Read {
  readonly batches: DigestBatch[];
  readonly texts: [number, string][];
  readonly lines: number;
  readonly skipped: number;
}

/** The log read through the quiet-record scanner and a digest, runs on or off; `listCap`: the store's list size. */
function read(text: string, runs: boolean, listCap: number): Read {
  const before = process.env.FIVEXX_WASM;
  process.env.FIVEXX_WASM = runs ? '' : 'off:error-run';
  try {
    const batches: DigestBatch[] = [];
    const texts: [number, string][] = [];
    const digest = new ErrorDigest(rules, { batch: (b) => batches.push(b), textComing: () => undefined, inWindowLocal: () => true, listFull: () => false }, listCap);
    const sc = new QuietRecords(MAX_LINE, plainStart, screen.tunedTo(Buffer.from(text.slice(0, 65536))), (line, n) => texts.push([n, line]), true, digest);
    const feeder = new Feeder(sc, MAX_LINE);
    feeder.push(Buffer.from(text));
    feeder.end();
    feeder.release();
    sc.finish();
    return { batches, texts, lines: sc.lines, skipped: sc.skipped };
  } finally {
    if (before === undefined) delete process.env.FIVEXX_WASM;
    else process.env.FIVEXX_WASM = before;
  }
}

test('runs read in WebAssembly hand on what one take a line hands on', (t) => {
  if (!NewlineKernel.create(1024)) return t.skip('no WebAssembly SIMD here: there are no runs to compare');
  for (const [seed, records, listCap] of [[1, 30_000, 5], [2, 30_000, 100_000], [3, 12_000, 0]] as const) {
    const text = runsLog(seed, records);
    const ran = digestStats.ranLines;
    const fast = read(text, true, listCap);
    const ranNow = digestStats.ranLines - ran;
    const slow = read(text, false, listCap);
    assert.equal(digestStats.ranLines - ran, ranNow, 'no run with FIVEXX_WASM=off:error-run');
    // Runs really read most lines (the comparison means something), except where every record's text may be listed.
    if (listCap < 1000) assert.ok(ranNow > records / 2, `seed ${seed}: ${ranNow} of ${records} lines in runs`);
    assert.equal(fast.lines, slow.lines);
    assert.equal(fast.skipped, slow.skipped);
    assert.deepEqual(fast.texts, slow.texts, `seed ${seed}: the reader's lines`);
    assert.equal(fast.batches.length, slow.batches.length, `seed ${seed}: batches`);
    for (const [i, b] of fast.batches.entries()) {
      assert.deepEqual(b, slow.batches[i], `seed ${seed}: batch ${i}`);
      // Same Map order too (deepEqual does not look at it): first seen first.
      for (const f of ['paths', 'upstreams', 'hosts'] as const) {
        const v = b[f];
        if (v instanceof Map) assert.deepEqual([...v.keys()], [...(slow.batches[i]?.[f] as Map<string, number>).keys()], `seed ${seed}: batch ${i} ${f} order`);
      }
    }
  }
});

test('a second of more than BATCH_MAX records is cut into batches as one take a line cuts it', (t) => {
  if (!NewlineKernel.create(1024)) return t.skip('no WebAssembly SIMD here');
  const line = (k: number): string => `2026/11/20 10:00:00 [error] 1#1: *${k} upstream timed out (110: Connection timed out) while reading response header from upstream, client: 10.0.0.1${TAILS[k % 2] ?? ''}`;
  const text = Array.from({ length: BATCH_MAX * 3 + 7 }, (_, k) => line(k)).join('\n') + '\n';
  const fast = read(text, true, 0);
  const slow = read(text, false, 0);
  assert.deepEqual(fast.batches.map((b) => b.count), [BATCH_MAX, BATCH_MAX, BATCH_MAX, 7]);
  assert.deepEqual(fast.batches, slow.batches);
});

test('a run goes on over lines ending in CRLF, read without the CR', (t) => {
  if (!NewlineKernel.create(1024)) return t.skip('no WebAssembly SIMD here');
  const line = (k: number): string => `2026/11/20 10:00:00 [error] 1#1: *${k} upstream timed out (110: Connection timed out) while reading response header from upstream, client: 10.0.0.1${TAILS[0] ?? ''}${k % 2 ? '\r' : ''}`;
  const text = Array.from({ length: 500 }, (_, k) => line(k)).join('\n') + '\n';
  const ran = digestStats.ranLines;
  const fast = read(text, true, 0);
  assert.ok(digestStats.ranLines - ran > 450, `${digestStats.ranLines - ran} of 500 lines in runs`);
  assert.deepEqual(fast.batches, read(text, false, 0).batches);
});
