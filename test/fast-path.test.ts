// The combined fast path must change nothing: on real logs (the lab's recorded samples, the peers'
// conformance logs) and on damaged copies of them, the byte scanner and a plain regex reference parser
// agree line by line, and a whole read with the fast path (in this thread and split across workers)
// gives the same report, the same counts and the same parsed failures as the line-by-line reader.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadFormats } from '../src/catalog/formats.ts';
import { SecondCounts } from '../src/events/second-counts.ts';
import type { AccessEvent } from '../src/events/types.ts';
import { CombinedScanner, type ScanConfig } from '../src/sources/combined-scan.ts';
import { scanRange } from '../src/sources/scan-file.ts';
import { readSource, type FastPath, type SourceReport } from '../src/sources/read-source.ts';
import { CONFORMANCE_DIR } from './conformance-files.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CONFORMANCE = CONFORMANCE_DIR;
const formats = loadFormats();

/** Real combined-family access logs: recorded by the lab (samples/) and the peers' test logs (test/fixtures/conformance). */
function realLogs(): string[] {
  const out = readdirSync(join(ROOT, 'samples')).map((d) => join(ROOT, 'samples', d, 'access.log')).filter((p) => existsSync(p));
  for (const dir of readdirSync(CONFORMANCE, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const f of readdirSync(join(CONFORMANCE, dir.name))) {
      const head = readFileSync(join(CONFORMANCE, dir.name, f), 'latin1').slice(0, 400);
      if (/\] "(?:GET|POST|HEAD|PUT|DELETE|OPTIONS) /.test(head)) out.push(join(CONFORMANCE, dir.name, f));
    }
  }
  return out;
}

const MONTHS = 'JanFebMarAprMayJunJulAugSepOctNovDec';

/** The simple reference: one regex per combined / common line, written from the format's definition. */
function reference(line: string): { client: string; time: number; method: string; path: string; status: number; bytes: number } | undefined {
  const m = /^([^ ]{1,200}) - ([^ ]{1,200}) \[(\d\d)\/([A-Z][a-z]{2})\/(\d{4}):(\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)\] "([^"]{0,8000})" (\d{3}) ([^ ]{1,40})(?: "[^"]{0,8000}" "[^"]{0,8000}(?:".{0,8000})?)?$/.exec(line);
  if (!m) return undefined;
  const month = MONTHS.indexOf(m[4] ?? '') / 3;
  const offset = (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11]));
  const time = Date.UTC(Number(m[5]), month, Number(m[3]), Number(m[6]), Number(m[7]), Number(m[8])) - offset * 60_000;
  const request = (m[12] ?? '').split(' ');
  const bytes = Number(m[14]);
  return {
    client: m[1] ?? '', time, method: request.length > 1 ? (request[0] ?? '') : '', path: request.length > 1 ? (request[1] ?? '') : (request[0] ?? ''),
    status: Number(m[13]), bytes: Number.isFinite(bytes) ? bytes : 0,
  };
}

/** What the byte scanner makes of one line alone: counted (status, epoch second) or handed to the parser. */
function scanOne(line: string): { status: number; second: number } | 'slow' {
  const sc = new CombinedScanner({ since: NaN, until: NaN, watchClients: [], maxLineBytes: 1 << 20 });
  sc.scan(Buffer.from(`${line}\n`, 'utf8'), 0, Buffer.byteLength(line) + 1, true);
  const t = sc.finish();
  if (t.slow.length > 0) return 'slow';
  const status = t.statuses.findIndex((n) => n > 0);
  let second = NaN;
  const traffic = new SecondCounts();
  for (const part of t.seconds) traffic.addBlocks(part);
  traffic.forEach((s) => (second = s));
  return { status, second };
}

test('the byte scanner and a regex reference parser agree on every line of the real access logs', () => {
  const files = realLogs();
  assert.ok(files.length >= 4, `real logs found: ${files.join(', ')}`);
  const combined = formats.find((f) => f.name === 'combined');
  assert.ok(combined?.kind === 'access');
  let counted = 0;
  let referenceBelow500 = 0;
  for (const file of files) {
    const lines = readFileSync(file, 'utf8').split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
    lines.forEach((line, k) => {
      if (line === '') return;
      const where = `${file}:${k + 1}`;
      const ref = reference(line);
      const fast = scanOne(line);
      const parsed = combined.access.parse(line, 0, k + 1);
      if (ref) {
        // The full parser (used for every line the scanner hands over) agrees with the reference field by field.
        assert.ok(parsed, `${where}: the parser refuses a line the reference reads`);
        assert.deepEqual(
          { client: parsed.client, time: parsed.time, method: parsed.method, path: parsed.path, status: parsed.status, bytes: parsed.bytes },
          ref, where,
        );
        if (ref.status < 500) referenceBelow500++;
      }
      if (fast === 'slow') return;
      counted++;
      assert.ok(ref, `${where}: the scanner counted a line the reference does not read`);
      assert.equal(fast.status, ref.status, `${where}: status`);
      assert.equal(fast.second, Math.floor(ref.time / 1000), `${where}: second`);
      assert.ok(fast.status < 500, `${where}: a 5xx must go to the full parser`);
    });
  }
  // The fast path must really be the path: nearly every plain line below 500 is counted without parsing.
  assert.ok(counted >= 0.95 * referenceBelow500, `counted ${counted} of ${referenceBelow500}`);
});

interface Run {
  report: SourceReport;
  /** Lines the fast path counted without parsing. */
  counted: number;
  statuses: Map<number, number>;
  seconds: Map<number, number>;
  failures: AccessEvent[];
  /** Failed lines the fast path kept as cheap failures (read in full here, as the correlator does when it needs them). */
  cheap: number;
}

/** A read; `cheap`: plainly combined 5xx lines come as cheap failures (counted by the scan), each read in full at once. */
async function run(path: string, fastIn: FastPath | undefined, cheapOn = false): Promise<Run> {
  const statuses = new Map<number, number>();
  const seconds = new Map<number, number>();
  const failures: AccessEvent[] = [];
  let counted = 0;
  let cheap = 0;
  const fast: FastPath | undefined = fastIn && cheapOn ? {
    ...fastIn,
    onCheapFailure(f) {
      cheap++;
      failures.push(f.full());
    },
  } : fastIn;
  const add = (m: Map<number, number>, k: number, n: number): void => {
    m.set(k, (m.get(k) ?? 0) + n);
  };
  const report = await readSource(path, 0, formats, undefined, {
    onAccess(e) {
      add(statuses, e.status, 1);
      add(seconds, Math.floor(e.time / 1000), 1);
      if (e.status >= 500) failures.push(e);
    },
    onRecord() {},
    onCounted(st, parts) {
      st.forEach((n, code) => {
        if (n > 0) add(statuses, code, n);
        counted += n;
      });
      const traffic = new SecondCounts();
      for (const part of parts) traffic.addBlocks(part);
      traffic.forEach((s, n) => add(seconds, s, n));
    },
  }, fast);
  return { report, counted, statuses, seconds, failures, cheap };
}

/** Damaged and unusual copies of real lines: what the fast path must hand over or count exactly as the reader does. */
function damaged(lines: readonly string[]): string {
  const real = lines.filter((l) => l.trim() !== '');
  const a = real[0] ?? '';
  const b = real[1] ?? a;
  return [
    ...real,
    `${a}\r`, // CRLF line end
    '',
    '   ',
    a.replace(' - - [', ' - alice ['), // a user name
    a.replace('HTTP/1.1"', 'HTTP/1.1\\" x"'), // an escaped quote inside the request (Apache)
    a.replace(/"([^"]*)"$/, `"$1${' \\"q\\"'.repeat(12)}"`), // more quotes than the scanner keeps a line
    a.replace(/" (\d{3}) (\d+) "/, '" $1 $2 "a" "b\\" "'), // quotes in the referer: which one ends it
    a.replace(/" (\d{3}) (\d+) "[^"]*"/, '" $1 $2 "x"y" "'), // a referer quote not followed by `" "`
    a.replace(/\[(\d\d)\/[A-Z][a-z]{2}\//, '[$1/Foo/'), // an unknown month
    a.replace(/\] "/, '] ').replace(/"$/, ''), // quotes missing
    a.replace(/" \d{3} /, '" 99 '), // a two-digit status
    a.replace(/" \d{3} /, '" 099 '), // a status with a leading zero
    a.replace(/:(\d\d):(\d\d) /, ':$1:6x '), // a second that is not a number
    a.replace(/" \d{3} /, '" 503 '), // a 5xx
    a.replace(/"([A-Z]+) \//, '"$1 http://shop.test/').replace(/" \d{3} /, '" 502 '), // a 5xx with an absolute target
    a.replace(/"([A-Z]+) \//, '"$1 /caf\u00e9/').replace(/" \d{3} /, '" 504 '), // a 5xx with a path outside ASCII
    a.replace(/"([A-Z]+) \/[^ "]*/, '"$1 /a?b=1 /c').replace(/" \d{3} /, '" 500 '), // a 5xx whose request has a query and three spaces
    `x ${'y'.repeat(1 << 21)}`, // over the 1 MiB line limit
    `\u0000\u0001binary\u00ff garbage`,
    b.slice(0, Math.floor(b.length / 2)), // cut in the middle, last line without newline
  ].join('\n');
}

test('a read with the fast path (in this thread and split across workers) equals the line-by-line read', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-fast-'));
  try {
    const files = realLogs();
    // Every real log, plus one big file of all their lines with damaged copies, repeated so that workers split it.
    const all = files.flatMap((f) => readFileSync(f, 'utf8').split('\n'));
    const big = join(dir, 'mixed.log');
    writeFileSync(big, Array.from({ length: 6 }, () => damaged(all)).join('\n'));
    // The same as gzip, and a gzip cut short (its readable part and the warning must match too).
    const gz = join(dir, 'mixed.log.gz');
    writeFileSync(gz, gzipSync(readFileSync(big)));
    const cut = join(dir, 'cut.log.gz');
    const whole = readFileSync(gz);
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.6)));
    for (const path of [...files, big, gz, cut]) {
      const slow = await run(path, undefined);
      for (const [workers, cheapOn] of [[1, false], [3, false], [1, true], [3, true]] as const) {
        const fast = await run(path, { since: NaN, until: NaN, watchClients: [], workers }, cheapOn);
        const where = `${path} with ${workers} worker(s)${cheapOn ? ', cheap failures' : ''}`;
        assert.deepEqual(fast.report, slow.report, where);
        assert.deepEqual([...fast.statuses].sort(), [...slow.statuses].sort(), `${where}: statuses`);
        assert.deepEqual([...fast.seconds].sort(), [...slow.seconds].sort(), `${where}: seconds`);
        assert.deepEqual(fast.failures, slow.failures, `${where}: failed requests`);
      }
    }
    // The WebAssembly line check and the JavaScript one (where WebAssembly is missing) decide alike,
    // line by line: the same counts, seconds and handed-over lines, with and without a window and a
    // watched client (the logs change days often, so the day key is re-read often).
    const firstClient = /^\S+/.exec(all.find((l) => l.trim() !== '') ?? '')?.[0] ?? '';
    const cfgs: ScanConfig[] = [
      { since: NaN, until: NaN, watchClients: [], maxLineBytes: 1 << 20 },
      { since: Date.UTC(2015, 0, 1), until: Date.UTC(2026, 10, 20, 14, 0), watchClients: [firstClient], maxLineBytes: 1 << 20 },
    ];
    for (const path of [...files, big]) {
      for (const cfg of cfgs) {
        const size = statSync(path).size;
        const withWasm = scanRange(path, 0, size, cfg);
        const withJs = scanRange(path, 0, size, cfg, undefined, false, false);
        assert.deepEqual(withWasm, withJs, `${path}: the WebAssembly and JavaScript line checks`);
      }
    }
    const mixed = await run(big, { since: NaN, until: NaN, watchClients: [], workers: 3 }, true);
    assert.ok(mixed.report.unparsed > 0 && mixed.report.lines > 1000 && mixed.counted > 1000, 'the damaged copies are really in the file, and the fast path counted');
    // Most real lab lines carry upstream fields after the agent (not cheap); the plain 5xx lines are.
    assert.ok(mixed.cheap > 10 && mixed.cheap < mixed.failures.length, `cheap failures ${mixed.cheap} of ${mixed.failures.length}: some, not the odd ones`);
    const damagedGzip = await run(cut, { since: NaN, until: NaN, watchClients: [] });
    assert.ok(damagedGzip.counted > 0 && damagedGzip.report.warnings.some((w) => w.includes('gzip')), 'the cut gzip is scanned up to its damage, and says so');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('with --since/--until, and with clients named by mid-body failures, the fast path still equals the reader', async () => {
  const path = realLogs().sort((a, b) => statSync(b).size - statSync(a).size)[0] ?? '';
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l !== '');
  const times = lines.map((l) => reference(l)?.time ?? NaN).filter((t) => !Number.isNaN(t));
  const since = times[Math.floor(times.length / 3)] ?? NaN;
  const until = times[Math.floor((2 * times.length) / 3)] ?? NaN;
  const client = reference(lines[0] ?? '')?.client ?? '';
  const inWindow = (e: { time: number }): boolean => e.time >= since && e.time <= until;
  const slow = await run(path, undefined);
  const fast = await run(path, { since, until, watchClients: [client], workers: 1 });
  // The window filter belongs to the caller for parsed events: compare only what lies in it.
  assert.deepEqual(fast.failures.filter(inWindow), slow.failures.filter(inWindow));
  // Cheap failures are dropped outside the window by the scan itself: exactly the window's failures.
  const cheap = await run(path, { since, until, watchClients: [client], workers: 1 }, true);
  assert.deepEqual(cheap.failures, slow.failures.filter(inWindow));
  // Counted lines are exactly the reference's lines below 500 in the window, the watched client's excepted.
  const expected = lines.map((l) => reference(l)).filter((r) => r && r.status < 500 && inWindow(r) && r.client !== client).length;
  assert.ok(expected > 0 && expected < lines.length, `a real window: ${expected} of ${lines.length}`);
  assert.equal(fast.counted, expected);
  // Seeking to the window by binary search on times (forced on this small file): the same counts and
  // failures, exact line numbers, and a warning that the lines outside were counted, not read.
  for (const workers of [1, 3]) {
    const sought = await run(path, { since, until, watchClients: [client], workers, seekAbove: 0 });
    assert.equal(sought.counted, expected, `seek with ${workers} worker(s)`);
    assert.deepEqual(sought.failures.filter(inWindow), slow.failures.filter(inWindow));
    const notes = sought.report.warnings.join('; ');
    assert.match(notes, /line\(s\) before the --since window were counted, not read/);
    // After the window (past its 10-minute slack), nothing is read: 'lines' counts the lines before.
    const notRead = Number(/the last (\d+) byte\(s\), after the --until window, were not read/.exec(notes)?.[1] ?? 0);
    assert.ok(notRead > 0, `a window that ends before the file does: ${notes}`);
    const bytes = readFileSync(path);
    const readPart = bytes.subarray(0, bytes.length - notRead);
    assert.equal(readPart.at(-1), 0x0a, 'the part not read starts at a line start');
    assert.equal(sought.report.lines, readPart.toString('latin1').split('\n').length - 1);
    assert.ok(sought.report.lines < slow.report.lines);
  }
});
