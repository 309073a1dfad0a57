// `analyze` on untimed application output (`node app.js > app.log 2>&1`), end to end on files: alone, its
// crashes have nothing to be placed against and a warning says so; beside nginx's error log of the same
// hours, each crash is placed by order at the failures it explains and the incident says the placement is
// inferred. The lines are real, recorded by the lab's crash-loop scenario (test/lab/scenarios.ts).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runAnalysis } from '../src/engine/run-analysis.ts';
import { BANNER, CRASH } from './support/untimed-app-lines.ts';

const APP_LOG = [BANNER, 'GET / 200', 'GET /cart 200', 'order total undefined', ...CRASH, BANNER, 'GET / 200', ''].join('\n');
const ERROR_LOG = [
  '2026/11/27 16:25:12 [error] 20776#20776: *26 upstream prematurely closed connection while reading response header from upstream, client: 127.0.0.1, server: lab.test, request: "GET /crash HTTP/1.1", upstream: "http://127.0.0.1:35075/crash", host: "lab.test"',
  '2026/11/27 16:25:12 [error] 20776#20776: *28 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: lab.test, request: "GET /api/orders HTTP/1.1", upstream: "http://127.0.0.1:35075/api/orders", host: "lab.test"',
  '',
].join('\n');

async function analyze(files: Record<string, string>): Promise<Awaited<ReturnType<typeof runAnalysis>> & { dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-untimed-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const r = await runAnalysis({
    paths: Object.keys(files).map((n) => join(dir, n)), forced: new Map(), extraFormats: [], changes: [], tz: undefined, since: undefined, until: undefined,
    gapMs: 120_000, triggerWindowMs: 1_800_000,
  });
  return { ...r, dir };
}

test('an untimed app log alone: read as app text, its crash unplaced and said so', async () => {
  const r = await analyze({ 'app.log': APP_LOG });
  rmSync(r.dir, { recursive: true, force: true });
  assert.ok(r.ok);
  const s = r.analysis.sources[0];
  assert.equal(s?.format, 'app-text');
  assert.equal(s?.unparsed, 0);
  assert.match(s?.warnings[0] ?? '', /^FIVEXX_UNTIMED_UNPLACED: 1 crash or out-of-memory record\(s\) carry no time/);
  assert.equal(r.analysis.incidents.length, 0);
});

test("beside nginx's error log: the crash is the root cause, placed by order, of the closed and refused connections", async () => {
  const r = await analyze({ 'error.log': ERROR_LOG, 'app.log': APP_LOG });
  rmSync(r.dir, { recursive: true, force: true });
  assert.ok(r.ok);
  const [inc] = r.analysis.incidents;
  assert.deepEqual([inc?.cause, inc?.requests, inc?.start], ['app.crash', 2, '2026-11-27T16:25:12Z']);
  assert.deepEqual(inc?.lifecycle, { crashes: 1, restarts: 1, placement: 'inferred' });
  assert.deepEqual(inc?.symptoms, [{ cause: 'upstream.premature_close', requests: 1 }, { cause: 'upstream.refused', requests: 1 }]);
  const quoted = inc?.evidence.find((e) => e.source.endsWith('app.log'));
  assert.deepEqual([quoted?.line, quoted?.text, quoted?.placement], [13, 'Node.js v24.21.0', 'inferred']);
  assert.deepEqual(r.analysis.sources.map((x) => x.warnings.length), [0, 0], 'placed: no warning');
});
