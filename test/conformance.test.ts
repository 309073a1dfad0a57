// Peers' parser test logs (test/fixtures/conformance, a copy of shared/conformance: Elastic Beats,
// elastic/examples, lnav): fivexx must read
// every line a peer reads, and the fields both sides extract must agree with the peer's expected parse.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadFormats } from '../src/catalog/formats.ts';
import type { AccessEvent, LogRecord } from '../src/events/types.ts';
import { readSource, type SourceReport } from '../src/sources/read-source.ts';
import { CONFORMANCE_DIR, SHARED_CONFORMANCE_DIR, sumMismatches } from './conformance-files.ts';

const DIR = CONFORMANCE_DIR;
const BEATS = join(DIR, 'elastic-beats');
const formats = loadFormats();

interface Parsed {
  report: SourceReport;
  byLine: Map<number, AccessEvent | LogRecord>;
}

async function parseFile(path: string): Promise<Parsed> {
  const byLine = new Map<number, AccessEvent | LogRecord>();
  const report = await readSource(path, 0, formats, undefined, { onAccess: (e) => byLine.set(e.line, e), onRecord: (r) => byLine.set(r.line, r) });
  return { report, byLine };
}

/** 1-based line number of each byte offset where a line starts. */
function lineStarts(text: string): Map<number, number> {
  const m = new Map<number, number>();
  let line = 1;
  m.set(0, 1);
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') m.set(Buffer.byteLength(text.slice(0, i + 1)), ++line);
  return m;
}

type Expected = Record<string, unknown>;
const get = (e: Expected, ...keys: string[]): unknown => keys.map((k) => e[k]).find((v) => v !== undefined);

/** Compares the fields both sides extract; returns the disagreements. */
function compare(exp: Expected, got: AccessEvent | LogRecord): string[] {
  const out: string[] = [];
  const text = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));
  const check = (what: string, want: unknown, have: unknown): void => {
    if (want === undefined || want === null) return;
    if (text(want) !== text(have)) out.push(`${what}: peer ${JSON.stringify(want)}, fivexx ${JSON.stringify(have)}`);
  };
  if (got.kind === 'access') {
    check('status', get(exp, 'http.response.status_code', 'haproxy.http.response.status_code', 'nginx.access.response_code', 'apache.access.response_code'), got.status);
    const method = get(exp, 'http.request.method');
    if (typeof method === 'string') check('method', method.toUpperCase(), got.method.toUpperCase());
    const url = get(exp, 'url.original');
    if (typeof url === 'string' && got.path) check('path', url, got.path);
    // Beats picks the first public address of a forwarded chain (enrichment, not parsing): compare single addresses only.
    const list = get(exp, 'nginx.access.remote_ip_list');
    const client = get(exp, 'source.address', 'source.ip');
    if (client !== undefined && !(Array.isArray(list) && list.length > 1)) check('client', client, got.client);
    const ts = get(exp, '@timestamp');
    if (typeof ts === 'string' && got.zoned) check('time', new Date(ts).getTime(), got.time);
    const term = get(exp, 'haproxy.termination_state');
    if (typeof term === 'string') check('termination', term, got.termination);
    const backend = get(exp, 'haproxy.backend_name');
    if (typeof backend === 'string') check('backend', backend, got.upstreamAddr.split('/')[0]);
  } else {
    check('level', get(exp, 'log.level'), got.level.replace(/^warning$/, 'warn'));
    check('pid', get(exp, 'process.pid'), got.pid);
    const msg = get(exp, 'message');
    if (typeof msg === 'string' && got.producer !== 'haproxy') {
      const head = got.message.split('\n')[0] ?? '';
      if (!msg.startsWith(head.slice(0, 60))) out.push(`message: peer ${JSON.stringify(msg.slice(0, 80))}, fivexx ${JSON.stringify(head.slice(0, 80))}`);
    }
    const ts = get(exp, '@timestamp');
    const tz = get(exp, 'event.timezone');
    if (typeof ts === 'string' && typeof tz === 'string') {
      const sign = tz.startsWith('-') ? -1 : 1;
      const [h = '0', m = '0'] = tz.slice(1).split(':');
      const offset = sign * (Number(h) * 60 + Number(m));
      check('time', new Date(ts).getTime(), got.time - offset * 60_000);
    }
  }
  return out;
}

const pairs = readdirSync(BEATS).filter((f) => f.endsWith('-expected.json')).sort();

for (const expectedFile of pairs) {
  const logFile = expectedFile.replace(/-expected\.json$/, '');
  test(`conformance: ${logFile} reads like the peer's expected parse`, async () => {
    const text = readFileSync(join(BEATS, logFile), 'utf8');
    const expected = JSON.parse(readFileSync(join(BEATS, expectedFile), 'utf8')) as Expected[];
    const starts = lineStarts(text);
    const { byLine, report } = await parseFile(join(BEATS, logFile));
    assert.notEqual(report.format, 'unknown', `${logFile}: no format detected`);
    const problems: string[] = [];
    for (const exp of expected) {
      const offset = Number(get(exp, 'log.offset', 'offset'));
      const line = starts.get(offset);
      assert.ok(line, `${logFile}: no line starts at byte ${offset}`);
      const got = byLine.get(line);
      if (!got) {
        problems.push(`line ${line}: the peer parses it, fivexx does not`);
        continue;
      }
      for (const p of compare(exp, got)) problems.push(`line ${line}: ${p}`);
    }
    assert.deepEqual(problems, [], `${logFile} (${report.format})`);
  });
}

test('conformance: the copy in the repository is whole (SHA256SUMS) and keeps its licences', () => {
  assert.deepEqual(sumMismatches(DIR), []);
  for (const licence of ['elastic-beats/LICENSE.txt', 'elastic-examples/LICENSE', 'tstack-lnav/LICENSE']) assert.ok(existsSync(join(DIR, licence)), licence);
});

test('conformance: the copy equals shared/conformance when that is beside the repository', (t) => {
  if (!existsSync(SHARED_CONFORMANCE_DIR)) return t.skip('shared/conformance is not beside the repository: the copy is not compared with it');
  assert.equal(readFileSync(join(DIR, 'SHA256SUMS'), 'utf8'), readFileSync(join(SHARED_CONFORMANCE_DIR, 'SHA256SUMS'), 'utf8'), 'shared/conformance changed: copy it again');
});

test('conformance: every peer log is read with a known format and nothing left unparsed but the malformed lines', async () => {
  const files = [
    ...readdirSync(BEATS).filter((f) => f.endsWith('.log')).map((f) => join(BEATS, f)),
    join(DIR, 'tstack-lnav', 'test__logfile_haproxy.0'),
    join(DIR, 'tstack-lnav', 'test__logfile_access_log.1'),
  ];
  for (const f of files) {
    const { report } = await parseFile(f);
    assert.notEqual(report.format, 'unknown', f);
    assert.equal(report.unparsed, 0, `${f} (${report.format}): ${report.unparsed} unparsed`);
  }
  const bad = await parseFile(join(DIR, 'tstack-lnav', 'test__logfile_bad_access_log.0'));
  assert.equal(bad.report.unparsed, 1, 'the line without ident and user is counted, not mis-read');
});

test('conformance: 10,000 real Apache combined lines from elastic/examples, zero rejects, the status counts awk gives', async () => {
  const file = join(DIR, 'elastic-examples', 'Common Data Formats__apache_logs__apache_logs');
  const counts: Record<string, number> = {};
  const report = await readSource(file, 0, formats, undefined, {
    onAccess: (e) => void (counts[e.status] = (counts[e.status] ?? 0) + 1),
    onRecord: () => undefined,
  });
  assert.equal(report.unparsed, 0);
  assert.deepEqual(counts, { 200: 9126, 304: 445, 404: 213, 301: 164, 206: 45, 500: 3, 416: 2, 403: 2 });
});
