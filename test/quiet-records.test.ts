// The quiet-record fast path of error logs must change nothing: on real nginx error logs (the lab's
// recordings, the peers' test log) and on damaged copies of them, plain and gzip, the records that
// classify to a cause or mark a change are the same, field by field, as in the line-by-line read,
// and so is the source's report.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { loadCauses } from '../src/catalog/causes.ts';
import { loadFormats } from '../src/catalog/formats.ts';
import { loadMarkers, markerLiteralsFor, markerOf } from '../src/changes/log-markers.ts';
import { buildClassifier } from '../src/classify/classify.ts';
import { ByteScreen } from '../src/classify/literals.ts';
import type { LogRecord } from '../src/events/types.ts';
import { nginxError } from '../src/parse/nginx-error.ts';
import { Feeder } from '../src/sources/line-scanner.ts';
import { QuietRecords } from '../src/sources/quiet-records.ts';
import { readSource, type QuietPath, type SourceReport } from '../src/sources/read-source.ts';
import { CONFORMANCE_DIR } from './conformance-files.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PEER = join(CONFORMANCE_DIR, 'elastic-beats', 'filebeat__module__nginx__error__test__error.log');
const formats = loadFormats();
const classifier = buildClassifier(loadCauses());
const markers = loadMarkers();
const quiet: QuietPath = {
  screenFor(producer) {
    const causes = classifier.literalsFor(producer);
    const marks = markerLiteralsFor(markers, producer);
    return causes && marks ? new ByteScreen([...causes, ...marks]) : undefined;
  },
};

/** What a record that matters looks like to the later stages. */
function seen(r: LogRecord): Record<string, unknown> {
  return {
    line: r.line, time: r.time, timeMax: r.timeMax, timed: r.timed, level: r.level, message: r.message, text: r.text,
    client: r.client, request: r.request, upstream: r.upstream, host: r.host, pid: r.pid,
    cause: classifier.classify(r)?.cause.id, marker: markerOf(markers, r, 'x')?.kind,
  };
}

async function read(path: string, withQuiet: boolean): Promise<{ report: SourceReport; records: Record<string, unknown>[]; all: number }> {
  // Kept as objects: the reader fills in borrowed times (timeMax) after handing a record on.
  const records: LogRecord[] = [];
  let all = 0;
  const report = await readSource(path, 0, formats, undefined, {
    onAccess() {},
    onRecord(r) {
      all++;
      if (classifier.classify(r) || markerOf(markers, r, 'x')) records.push(r);
    },
  }, undefined, withQuiet ? quiet : undefined);
  return { report, records: records.map(seen), all };
}

/** Real lines and damaged copies around them: a record without a readable time between quiet ones, blanks, CRLF, a 2 MiB line. */
function damaged(lines: readonly string[]): string {
  const real = lines.filter((l) => l.trim() !== '');
  const quietLine = real.find((l) => l.includes('[notice]')) ?? real[0] ?? '';
  const failing = real.find((l) => l.includes('connect() failed')) ?? real[1] ?? '';
  // Quiet lines of different times, newest last, so that a record's borrowed times show which neighbour lent them.
  const byTime = [...new Map(real.filter((l) => l.includes('[notice]')).map((l) => [l.slice(0, 19), l])).values()].sort();
  const early = byTime[0] ?? quietLine;
  const late = byTime.slice(1);
  return [
    ...real,
    early, failing.replace(/^(\d{4})\/\d\d/, '$1/x1'), ...late, // a failing line with a bad month: it takes its neighbours' times
    quietLine, 'a continuation line', quietLine,
    `${quietLine}\r`, '', '  ', failing, quietLine, quietLine,
    `${quietLine} ${'y'.repeat(1 << 21)}`,
    '\u0000binary\u00ff',
    quietLine.slice(0, 30),
    // Each byte of the time and its separators spoilt in turn, three times after a failing record:
    // such a line is not a plain record start, so all are read (often as that record's continuation).
    // Were they taken for quiet records, the middle one would be left out (a quiet record is read only
    // next to a read one).
    ...[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20].flatMap((d) => {
      const spoilt = `${quietLine.slice(0, d)}x${quietLine.slice(d + 1)}`;
      return [failing, spoilt, spoilt, spoilt, quietLine];
    }),
  ].join('\n');
}

test('error logs through the quiet-record fast path give the same records that matter and the same report', async () => {
  const files = ['nginx-composite', 'nginx-database-down', 'nginx-php-fatal'].map((d) => join(ROOT, 'samples', d, 'error.log'));
  files.push(PEER);
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-quiet-'));
  try {
    const mixed = join(dir, 'mixed.log');
    writeFileSync(mixed, Array.from({ length: 5 }, () => damaged(files.flatMap((f) => readFileSync(f, 'utf8').split('\n')))).join('\n'));
    const gz = join(dir, 'mixed.log.gz');
    writeFileSync(gz, gzipSync(readFileSync(mixed)));
    const cut = join(dir, 'cut.log.gz');
    const whole = readFileSync(gz);
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.7)));
    let left = 0;
    let matter = 0;
    for (const path of [...files, mixed, gz, cut]) {
      const slow = await read(path, false);
      const fast = await read(path, true);
      assert.deepEqual(fast.report, slow.report, path);
      assert.deepEqual(fast.records, slow.records, `${path}: records that matter`);
      matter += slow.records.length;
      left += slow.all - fast.all;
    }
    // The WebAssembly pre-check and the JavaScript check alone (where WebAssembly is missing) read and
    // leave out the same lines.
    const bytes = readFileSync(mixed);
    const screen = quiet.screenFor('nginx')?.tunedTo(bytes.subarray(0, 256 << 10));
    assert.ok(screen && nginxError.quiet);
    const parser = nginxError.quiet;
    const byCheck = [true, false].map((wasmCheck) => {
      const emitted: string[] = [];
      const sc = new QuietRecords(1 << 20, (b, a, end, span) => parser.plainStart(b, a, end, span), screen, (line, n) => emitted.push(`${n}:${line}`), wasmCheck);
      const feeder = new Feeder(sc, 1 << 20);
      for (let off = 0; off < bytes.length; off += 1 << 20) feeder.push(bytes.subarray(off, off + (1 << 20)));
      feeder.end();
      sc.finish();
      return { emitted, skipped: sc.skipped, lines: sc.lines };
    });
    assert.deepEqual(byCheck[0], byCheck[1], 'the WebAssembly and JavaScript checks');
    assert.ok((byCheck[0]?.skipped ?? 0) > 20, `quiet records left out: ${byCheck[0]?.skipped}`);
    // The comparison is about something, and the fast path really leaves records out.
    assert.ok(matter > 20, `records that matter: ${matter}`);
    assert.ok(left > 100, `quiet records left out: ${left}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
